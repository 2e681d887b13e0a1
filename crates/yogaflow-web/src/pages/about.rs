//! The privacy notice and the terms of use: plain pages in our own words.

use super::chrome::Chrome;
use super::error::{PageError, render};
use super::viewer::Viewer;
use askama::Template;
use axum::response::Response;

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    chrome: Chrome,
}

#[derive(Template)]
#[template(path = "terms.html")]
struct TermsPage {
    chrome: Chrome,
}

pub async fn privacy(viewer: Viewer) -> Result<Response, PageError> {
    render(&PrivacyPage {
        chrome: Chrome::new("Privacy", "", viewer.auth.as_ref()).here(&viewer.here),
    })
}

pub async fn terms(viewer: Viewer) -> Result<Response, PageError> {
    render(&TermsPage {
        chrome: Chrome::new("Terms of use", "", viewer.auth.as_ref()).here(&viewer.here),
    })
}
