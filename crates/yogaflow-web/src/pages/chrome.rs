//! What every page shares: title, navigation state, the signed-in person and the
//! asset URLs. Templates extend `base.html`, which reads these fields.

use super::assets;
use crate::auth::service::Authenticated;
use yogaflow_core::accounts::Role;

pub struct Chrome {
    pub title: String,
    /// Which top-level section is current, for `aria-current`.
    pub section: &'static str,
    pub user_name: Option<String>,
    /// Admins get a link to the library admin pages.
    pub is_admin: bool,
    pub email_verified: bool,
    pub css: &'static str,
    pub app_js: &'static str,
    /// Extra module scripts this page needs (fingerprinted URLs).
    pub scripts: Vec<&'static str>,
    /// The current path, passed to the sign-in link as `next`.
    pub here: String,
}

impl Chrome {
    pub fn new(
        title: impl Into<String>,
        section: &'static str,
        auth: Option<&Authenticated>,
    ) -> Self {
        Chrome {
            title: title.into(),
            section,
            user_name: auth.map(|a| a.user.name.clone()),
            is_admin: auth.is_some_and(|a| a.user.role == Role::Admin),
            email_verified: auth.is_none_or(|a| a.user.email_verified),
            css: assets::url("app.css"),
            app_js: assets::url("app.js"),
            scripts: Vec::new(),
            here: "/".to_owned(),
        }
    }

    pub fn here(mut self, here: &str) -> Self {
        here.clone_into(&mut self.here);
        self
    }

    pub fn script(mut self, name: &str) -> Self {
        self.scripts.push(assets::url(name));
        self
    }

    /// `aria-current` for a navigation link.
    pub fn current(&self, section: &str) -> &'static str {
        if self.section == section {
            "page"
        } else {
            "false"
        }
    }

    pub fn signed_in(&self) -> bool {
        self.user_name.is_some()
    }
}
