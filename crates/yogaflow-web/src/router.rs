//! Every route, and the middleware around them (outermost first: request id,
//! trace, metrics, error reporting, panic catcher, timeout, body limit, security headers).

use crate::api::{
    admin, auth, breathing, favorites, figure_preview, figures, health, insights, my_sequences,
    poses, practice, profile, sequences, uploads,
};
use crate::error::method_not_allowed;
use crate::headers::security_headers;
use crate::openapi::ApiDoc;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

/// Largest request body accepted anywhere but the image upload.
const BODY_LIMIT: usize = 1024 * 1024;
/// The image upload's own limit: the largest image plus room for the multipart framing.
const UPLOAD_BODY_LIMIT: usize = crate::images::MAX_BYTES + 64 * 1024;
const UPLOAD_PATH: &str = "/api/v1/upload/image";

/// Refuses bodies over the route's limit: at once when `Content-Length` says so,
/// otherwise as soon as the stream passes it.
async fn body_limit(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let limit = if request.uri().path() == UPLOAD_PATH {
        UPLOAD_BODY_LIMIT
    } else {
        BODY_LIMIT
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return crate::error::ApiError::PayloadTooLarge.into_response();
    }
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// CORS from the configured allow-list only; with no list, browsers on other
/// origins get no CORS headers at all.
fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let list: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    let layer = CorsLayer::new()
        .allow_origin(AllowOrigin::list(list))
        .allow_credentials(true)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("x-requested-with"),
        ])
        .expose_headers([
            HeaderName::from_static("x-total-count"),
            HeaderName::from_static("x-request-id"),
        ])
        .max_age(Duration::from_secs(600));
    Some(layer)
}

pub fn router(state: AppState) -> Router {
    let cors = cors(&state.config.allowed_origins);
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/", get(crate::pages::root))
        .route("/health", get(health::health))
        .route("/health/live", get(health::live))
        .route("/health/ready", get(health::ready))
        .route("/metrics", get(crate::metrics::protected))
        .route(
            "/api/v1/poses",
            get(poses::list_poses).post(admin::create_pose),
        )
        .route(
            "/api/v1/poses/{pose_id}",
            get(poses::get_pose)
                .put(admin::replace_pose)
                .delete(admin::delete_pose),
        )
        .route(
            "/api/v1/admin/figures/preview",
            post(figure_preview::preview),
        )
        .route("/api/v1/admin/sequences", post(admin::create_sequence))
        .route(
            "/api/v1/admin/sequences/{sequence_id}",
            put(admin::replace_sequence).delete(admin::delete_sequence),
        )
        .route("/api/v1/admin/poses/{pose_id}", get(admin::admin_pose))
        .route(
            "/api/v1/admin/poses/{pose_id}/history",
            get(admin::pose_history),
        )
        .route(
            "/api/v1/admin/poses/{pose_id}/history/{version}/restore",
            post(admin::restore_pose),
        )
        .route(
            "/api/v1/admin/sequences/{sequence_id}/history",
            get(admin::sequence_history),
        )
        .route(
            "/api/v1/admin/sequences/{sequence_id}/history/{version}/restore",
            post(admin::restore_sequence),
        )
        .route(
            UPLOAD_PATH,
            post(uploads::upload_image).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/api/v1/upload/images/{filename}",
            get(uploads::get_image).delete(uploads::delete_image),
        )
        .route("/api/v1/poses/{pose_id}/related", get(poses::related_poses))
        .route(
            "/api/v1/sequences",
            get(sequences::list_sequences).post(my_sequences::create),
        )
        .route(
            "/api/v1/sequences/categories",
            get(sequences::sequence_categories),
        )
        .route("/api/v1/sequences/focus-areas", get(sequences::focus_areas))
        .route("/api/v1/sequences/styles", get(sequences::styles))
        .route(
            "/api/v1/sequences/{sequence_id}",
            get(sequences::get_sequence)
                .put(my_sequences::replace)
                .delete(my_sequences::delete),
        )
        .route("/api/v1/auth/register", post(auth::register))
        .route("/api/v1/auth/login", post(auth::login))
        .route("/api/v1/auth/logout", post(auth::logout))
        .route("/api/v1/auth/me", get(auth::me))
        .route("/api/v1/auth/refresh", post(auth::refresh))
        .route("/api/v1/auth/verify-email", post(auth::verify_email))
        .route(
            "/api/v1/auth/resend-verification",
            post(auth::resend_verification),
        )
        .route("/api/v1/auth/forgot-password", post(auth::forgot_password))
        .route("/api/v1/auth/reset-password", post(auth::reset_password))
        .route(
            "/api/v1/auth/sessions",
            get(auth::list_sessions).delete(auth::end_all_sessions),
        )
        .route(
            "/api/v1/auth/sessions/{session_id}",
            delete(auth::end_session),
        )
        .route(
            "/api/v1/profile",
            get(profile::get_profile)
                .put(profile::update_profile)
                .delete(profile::delete_account),
        )
        .route("/api/v1/profile/password", put(profile::change_password))
        .route("/api/v1/profile/email", post(profile::request_email_change))
        .route(
            "/api/v1/profile/email/confirm",
            post(profile::confirm_email_change),
        )
        .route("/api/v1/profile/export", get(profile::export))
        .route("/api/v1/breathing", get(breathing::list))
        .route("/api/v1/breathing/{slug}", get(breathing::get))
        .route("/api/v1/sessions/start", post(practice::start))
        .route("/api/v1/sessions/complete", post(practice::complete))
        .route("/api/v1/sessions/current", get(practice::current))
        .route("/api/v1/sessions/{session_id}", get(practice::get_session))
        .route("/api/v1/sessions/{session_id}/pause", put(practice::pause))
        .route(
            "/api/v1/sessions/{session_id}/resume",
            post(practice::resume),
        )
        .route(
            "/api/v1/sessions/{session_id}/abandon",
            post(practice::abandon),
        )
        .route("/api/v1/history", get(practice::history))
        .route("/api/v1/stats", get(practice::stats))
        .route("/api/v1/calendar", get(practice::calendar_view))
        .route("/api/v1/favorites", get(favorites::list))
        .route(
            "/api/v1/favorites/poses/{pose_id}",
            put(favorites::add_pose).delete(favorites::remove_pose),
        )
        .route(
            "/api/v1/favorites/sequences/{sequence_id}",
            put(favorites::add_sequence).delete(favorites::remove_sequence),
        )
        .route(
            "/api/v1/goals",
            get(favorites::get_goals).put(favorites::set_goals),
        )
        .route(
            "/api/v1/sequences/{sequence_id}/duplicate",
            post(my_sequences::duplicate),
        )
        .route(
            "/api/v1/sequences/{sequence_id}/share",
            post(my_sequences::share).delete(my_sequences::unshare),
        )
        .route("/api/v1/shared/{token}", get(my_sequences::open_shared))
        .route("/api/v1/achievements", get(practice::achievements))
        .route("/api/v1/recommendations", get(insights::recommendations))
        .route(
            "/api/v1/calendar/feed",
            post(insights::create_feed).delete(insights::revoke_feed),
        )
        .route("/api/v1/calendar.ics", get(insights::feed))
        .route("/api/v1/poses/{pose_id}/figure.svg", get(figures::figure))
        .route("/api/v1/figures/transition", get(figures::transition))
        .merge(SwaggerUi::new("/docs").url("/openapi.json", ApiDoc::openapi()))
        .merge(crate::pages::routes())
        .fallback(crate::pages::fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(tower::util::option_layer(cors))
        .layer(DefaultBodyLimit::max(crate::auth::extract::JSON_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::rate_limit::enforce,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::csrf::protect,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::idempotency::keys,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(axum::middleware::from_fn(body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(CatchPanicLayer::custom(crate::reporting::panic_response))
        .layer(axum::middleware::from_fn(crate::reporting::report))
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(TraceLayer::new_for_http())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}
