//! Turning a refused form into sentences next to the fields they concern.

use super::error::PageError;
use crate::error::ApiError;

#[derive(Default)]
pub struct FormErrors {
    /// A problem with the form as a whole (shown above it).
    pub general: Option<String>,
    fields: Vec<(String, String)>,
}

impl FormErrors {
    pub fn general(message: impl Into<String>) -> Self {
        FormErrors {
            general: Some(message.into()),
            fields: Vec::new(),
        }
    }

    /// The message for one field, if it was refused.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, m)| m.as_str())
    }

    /// Every message for one field, for fields that can break several rules at
    /// once (a figure description).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(f, _)| f == name)
            .map(|(_, m)| m.as_str())
            .collect()
    }

    pub fn any(&self) -> bool {
        self.general.is_some() || !self.fields.is_empty()
    }

    /// Problems a person can fix become form errors; everything else (the
    /// database is down, a bug) stays an error page.
    pub fn from_api(e: ApiError) -> Result<Self, PageError> {
        Ok(match e {
            ApiError::Validation(fields) => {
                let mut out = FormErrors {
                    general: Some("Please check the highlighted fields.".into()),
                    fields: Vec::new(),
                };
                for f in fields {
                    let message = sentence(&f.message);
                    if !out.all(&f.field).contains(&message.as_str()) {
                        out.fields.push((f.field.clone(), message));
                    }
                }
                out
            }
            ApiError::Unauthorized { message, .. }
            | ApiError::Forbidden { message, .. }
            | ApiError::BadRequest { message, .. }
            | ApiError::Conflict { message, .. }
            | ApiError::NotFound { message, .. } => FormErrors::general(sentence(&message)),
            ApiError::TooManyRequests { retry_after_secs } => FormErrors::general(format!(
                "Too many tries in a short time. Please wait {retry_after_secs} seconds and try again."
            )),
            other => return Err(PageError::Api(other)),
        })
    }
}

/// API messages are written for developers as often as for people; make sure
/// each starts with a capital and ends with a full stop.
fn sentence(m: &str) -> String {
    let m = m.trim();
    let mut chars = m.chars();
    let mut out: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use yogaflow_core::error::FieldError;

    #[test]
    fn field_errors_sit_next_to_their_fields() {
        let e = ApiError::Validation(vec![
            FieldError::new(
                "body",
                "password",
                "too_short",
                "password must be at least 12 characters",
            ),
            FieldError::new("body", "password", "weak", "second problem"),
        ]);
        let f = FormErrors::from_api(e).ok().unwrap_or_default();
        assert_eq!(
            f.field("password"),
            Some("Password must be at least 12 characters.")
        );
        assert!(f.field("email").is_none());
        assert!(f.any());
    }

    #[test]
    fn outages_stay_error_pages() {
        assert!(FormErrors::from_api(ApiError::Internal("x".into())).is_err());
    }
}
