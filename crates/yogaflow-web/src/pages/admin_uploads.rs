//! The admin uploads page: send a new image (through the upload API, by
//! `admin.js`), and see every stored image with the poses that show it. An
//! image no pose shows can be deleted here; one in use says where it is used.

use super::admin::Admin;
use super::chrome::Chrome;
use super::error::{PageError, render};
use super::viewer::SignedIn;
use crate::api::uploads::{self, IMAGE_PATH};
use crate::auth::extract::AdminUser;
use crate::error::ApiError;
use crate::params::QueryPairs;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

pub struct ImageRow {
    pub name: String,
    pub url: String,
    pub size: String,
    pub width: i64,
    pub height: i64,
    pub uploaded: String,
    /// Poses that show the image, as (id, name).
    pub used_by: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "admin_uploads.html")]
struct UploadsPage {
    chrome: Chrome,
    images: Vec<ImageRow>,
    message: Option<String>,
    refused: Option<String>,
}

fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

async fn page(
    state: &AppState,
    user: &SignedIn,
    message: Option<String>,
    refused: Option<String>,
) -> Result<Response, PageError> {
    let mut images = Vec::new();
    for info in state.db.list_images().await? {
        images.push(ImageRow {
            used_by: uploads::poses_using(state, &info.name).await?,
            url: format!("{IMAGE_PATH}{}", info.name),
            size: size(info.size),
            width: info.width,
            height: info.height,
            uploaded: format!(
                "{} {:02}:{:02} UTC",
                info.created_at.date(),
                info.created_at.hour(),
                info.created_at.minute()
            ),
            name: info.name,
        });
    }
    render(&UploadsPage {
        chrome: Chrome::new("Images", "admin", Some(&user.auth))
            .here(&user.here)
            .script("admin.js"),
        images,
        message,
        refused,
    })
}

pub async fn uploads(
    State(state): State<AppState>,
    user: SignedIn,
    query: QueryPairs,
) -> Result<Response, PageError> {
    let Admin(user) = Admin::check(user)?;
    let deleted = query.pairs.iter().any(|(k, v)| k == "deleted" && v == "1");
    let message = deleted.then(|| "Deleted. The image is gone for good.".to_owned());
    page(&state, &user, message, None).await
}

pub async fn delete(
    State(state): State<AppState>,
    user: SignedIn,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    let Admin(user) = Admin::check(user)?;
    match uploads::delete_image(
        State(state.clone()),
        AdminUser(user.auth.clone()),
        Path(name),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/admin/uploads?deleted=1").into_response()),
        Err(ApiError::Conflict { message, .. }) => page(&state, &user, None, Some(message)).await,
        Err(e) => Err(e.into()),
    }
}
