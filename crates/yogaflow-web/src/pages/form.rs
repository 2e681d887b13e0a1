//! Form posts from our own pages (`application/x-www-form-urlencoded`). A body
//! that does not parse gets the friendly error page, not a plain-text rejection.

use super::error::PageError;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

/// Forms are small; anything bigger is not from our pages.
const FORM_LIMIT: usize = 64 * 1024;

pub struct Form<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Form<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, _: &AppState) -> Result<Self, PageError> {
        let bytes = axum::body::to_bytes(req.into_body(), FORM_LIMIT)
            .await
            .map_err(|_| PageError::Api(ApiError::PayloadTooLarge))?;
        serde_urlencoded::from_bytes(&bytes).map(Form).map_err(|_| {
            PageError::Api(ApiError::BadRequest {
                code: "bad_form",
                message:
                    "The form was not filled in the way we expected. Please go back and try again."
                        .into(),
            })
        })
    }
}
