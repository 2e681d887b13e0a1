//! Pose pictures: admins upload and delete them; anyone can fetch them. Images
//! live in the database (so every instance serves every image), named by us
//! (random, with the extension of the format the bytes really are), never by
//! the client. Files a release before that left under the data directory's
//! `uploads/` are still served and deleted from there.

use crate::auth::extract::AdminUser;
use crate::dto::ErrorBody;
use crate::error::ApiError;
use crate::images::{self, Cleaned, ImageError};
use crate::state::AppState;
use axum::Json;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use yogaflow_core::error::FieldError;

/// Where uploaded images are served from; the returned `url` starts with it.
pub const IMAGE_PATH: &str = "/api/v1/upload/images/";

#[derive(Debug, Serialize, ToSchema)]
pub struct UploadResponse {
    /// Where the image is served (use it in a pose's `image_urls`).
    pub url: String,
    /// The generated file name.
    pub filename: String,
    /// Bytes stored, after re-encoding.
    pub size: usize,
    pub width: u32,
    pub height: u32,
    /// `png`, `jpeg` or `webp`: what the bytes are, whatever the file was called.
    pub format: String,
}

fn multipart_error(e: &MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        ApiError::BadRequest {
            code: "malformed_multipart",
            message: "The multipart body could not be read.".into(),
        }
    }
}

fn image_error(e: ImageError) -> ApiError {
    match e {
        ImageError::Unsupported => ApiError::UnsupportedImage,
        ImageError::TooManyPixels { width, height } => ApiError::Validation(vec![FieldError::new(
            "body",
            "file",
            "too_large",
            format!(
                "the image is {width} × {height} pixels; at most {} pixels a side and {} in all",
                images::MAX_SIDE,
                images::MAX_PIXELS
            ),
        )]),
        ImageError::Corrupt => ApiError::Validation(vec![FieldError::new(
            "body",
            "file",
            "invalid",
            "the image could not be read",
        )]),
    }
}

/// Reads the `file` field, stopping as soon as it passes the size limit.
async fn file_field(mut multipart: Multipart) -> Result<Vec<u8>, ApiError> {
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(&e))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let mut data = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(&e))? {
            if data.len() + chunk.len() > images::MAX_BYTES {
                return Err(ApiError::PayloadTooLarge);
            }
            data.extend_from_slice(&chunk);
        }
        return Ok(data);
    }
    Err(ApiError::Validation(vec![FieldError::new(
        "body",
        "file",
        "missing",
        "send the image in a multipart field named file",
    )]))
}

/// Upload a pose picture (admins only).
#[utoipa::path(post, path = "/api/v1/upload/image", tag = "admin", security(("bearer" = [])),
    request_body(content_type = "multipart/form-data", description = "One field `file`: a PNG, JPEG or WebP image of at most 5 MiB and 4096 pixels a side. Its name and declared type are ignored."),
    responses(
        (status = 201, body = UploadResponse, description = "Stored, re-encoded without metadata"),
        (status = 400, body = ErrorBody, description = "Not a multipart body"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "Larger than 5 MiB"),
        (status = 415, body = ErrorBody, description = "Not a PNG, JPEG or WebP image by its bytes (SVG, HTML, polyglots, anything else)"),
        (status = 422, body = ErrorBody, description = "Too many pixels, undecodable, or no file field"),
    ))]
pub async fn upload_image(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<UploadResponse>), ApiError> {
    let multipart = multipart.map_err(|_| ApiError::BadRequest {
        code: "multipart_expected",
        message: "Send the image as multipart/form-data with a field named file.".into(),
    })?;
    let data = file_field(multipart).await?;
    let cleaned: Cleaned = tokio::task::spawn_blocking(move || images::clean(&data))
        .await
        .map_err(|e| ApiError::Internal(format!("image task: {e}")))?
        .map_err(image_error)?;
    let filename = format!(
        "{}.{}",
        uuid::Uuid::new_v4().simple(),
        cleaned.kind.extension()
    );
    state
        .db
        .insert_image(&yogaflow_store::NewImage {
            name: &filename,
            content_type: cleaned.kind.content_type(),
            bytes: &cleaned.bytes,
            width: cleaned.width,
            height: cleaned.height,
            uploaded_by: admin.user.id,
            now: state.clock.now(),
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(UploadResponse {
            url: format!("{IMAGE_PATH}{filename}"),
            filename,
            size: cleaned.bytes.len(),
            width: cleaned.width,
            height: cleaned.height,
            format: match cleaned.kind {
                images::Kind::Png => "png",
                images::Kind::Jpeg => "jpeg",
                images::Kind::WebP => "webp",
            }
            .into(),
        }),
    ))
}

fn image_not_found() -> ApiError {
    ApiError::NotFound {
        code: "image_not_found",
        message: "Image not found".into(),
    }
}

/// An uploaded image, with its real type, `nosniff` and a year of caching.
#[utoipa::path(get, path = "/api/v1/upload/images/{filename}", tag = "admin",
    params(("filename" = String, Path, description = "The generated name an upload returned")),
    responses((status = 200, description = "The image bytes", content_type = "image/png"), (status = 404, body = ErrorBody)))]
pub async fn get_image(
    State(state): State<AppState>,
    Path(filename): Path<String>,
) -> Result<Response, ApiError> {
    let kind = images::stored_name(&filename).ok_or_else(image_not_found)?;
    let bytes = match state.db.image(&filename).await? {
        Some((_, bytes)) => bytes,
        None => tokio::fs::read(state.uploads_dir.join(&filename))
            .await
            .map_err(|_| image_not_found())?,
    };
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(kind.content_type()),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline"),
    );
    Ok(response)
}

/// The poses (id, English name) whose pictures include the image `filename`.
pub async fn poses_using(state: &AppState, filename: &str) -> Result<Vec<(i64, String)>, ApiError> {
    let url = format!("{IMAGE_PATH}{filename}");
    let poses = state.catalog.poses(&state.db).await?;
    Ok(poses
        .iter()
        .filter(|p| p.image_urls.contains(&url))
        .map(|p| (p.id, p.english_name.clone()))
        .collect())
}

/// Delete an uploaded image (admins only). Refused with 409 while a pose shows
/// it, so no pose is left pointing at a missing picture.
#[utoipa::path(delete, path = "/api/v1/upload/images/{filename}", tag = "admin", security(("bearer" = [])),
    params(("filename" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "A pose shows the image (code image_in_use)")))]
pub async fn delete_image(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(filename): Path<String>,
) -> Result<StatusCode, ApiError> {
    images::stored_name(&filename).ok_or_else(image_not_found)?;
    let users = poses_using(&state, &filename).await?;
    if !users.is_empty() {
        let names: Vec<&str> = users.iter().map(|(_, n)| n.as_str()).collect();
        return Err(ApiError::Conflict {
            code: "image_in_use",
            message: format!(
                "This image is shown by {}. Remove it from those poses first.",
                names.join(", ")
            ),
        });
    }
    let in_db = state.db.delete_image(&filename).await?;
    let on_disk = tokio::fs::remove_file(state.uploads_dir.join(&filename))
        .await
        .is_ok();
    if in_db || on_disk {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(image_not_found())
    }
}
