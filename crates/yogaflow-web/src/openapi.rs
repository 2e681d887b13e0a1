//! The OpenAPI document served at `/openapi.json`, generated from the handlers'
//! annotations so it cannot drift from the code that answers.

use crate::api;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "YogaFlow API",
        version = "1.0.0",
        description = "The YogaFlow practice API. Paths, field names and enum values are those of YogaFlow 1.0; \
                       docs/API.md lists every deliberate difference. Every 4xx and 5xx answer carries the ErrorBody shape."
    ),
    paths(
        api::health::root,
        api::health::health,
        api::health::live,
        api::health::ready,
        api::poses::list_poses,
        api::poses::get_pose,
        api::poses::related_poses,
        api::admin::create_pose,
        api::figure_preview::preview,
        api::admin::admin_pose,
        api::admin::replace_pose,
        api::admin::delete_pose,
        api::admin::create_sequence,
        api::admin::replace_sequence,
        api::admin::delete_sequence,
        api::admin::pose_history,
        api::admin::sequence_history,
        api::admin::restore_pose,
        api::admin::restore_sequence,
        api::uploads::upload_image,
        api::uploads::get_image,
        api::uploads::delete_image,
        api::figures::figure,
        api::figures::transition,
        api::sequences::list_sequences,
        api::sequences::sequence_categories,
        api::sequences::focus_areas,
        api::sequences::styles,
        api::sequences::get_sequence,
        api::auth::register,
        api::auth::login,
        api::auth::logout,
        api::auth::me,
        api::auth::refresh,
        api::auth::verify_email,
        api::auth::resend_verification,
        api::auth::forgot_password,
        api::auth::reset_password,
        api::auth::list_sessions,
        api::auth::end_session,
        api::auth::end_all_sessions,
        api::profile::get_profile,
        api::profile::update_profile,
        api::profile::change_password,
        api::profile::request_email_change,
        api::profile::confirm_email_change,
        api::profile::delete_account,
        api::profile::export,
        api::breathing::list,
        api::breathing::get,
        api::practice::start,
        api::practice::complete,
        api::practice::pause,
        api::practice::resume,
        api::practice::abandon,
        api::practice::current,
        api::practice::get_session,
        api::practice::history,
        api::practice::stats,
        api::practice::calendar_view,
        api::practice::achievements,
        api::insights::recommendations,
        api::insights::create_feed,
        api::insights::revoke_feed,
        api::insights::feed,
        api::my_sequences::create,
        api::my_sequences::replace,
        api::my_sequences::delete,
        api::my_sequences::duplicate,
        api::my_sequences::share,
        api::my_sequences::unshare,
        api::my_sequences::open_shared,
        api::favorites::list,
        api::favorites::add_pose,
        api::favorites::remove_pose,
        api::favorites::add_sequence,
        api::favorites::remove_sequence,
        api::favorites::get_goals,
        api::favorites::set_goals,
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::dto::ErrorBody, crate::dto::FieldErrorDto)),
    tags(
        (name = "poses", description = "The pose library"),
        (name = "sequences", description = "Preset and user sequences"),
        (name = "health", description = "Service information and health checks"),
        (name = "auth", description = "Accounts, sign-in and tokens"),
        (name = "profile", description = "The signed-in user's own account"),
        (name = "practice", description = "Practice sessions, history, statistics and calendar"),
        (name = "breathing", description = "Breathing exercises"),
        (name = "favorites", description = "Favorites and weekly goals"),
        (name = "my sequences", description = "Sequences users build and share"),
    )
)]
pub struct ApiDoc;

/// Declares the `bearer` scheme the authenticated operations refer to.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}
