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
        api::sequences::list_sequences,
        api::sequences::sequence_categories,
        api::sequences::focus_areas,
        api::sequences::styles,
        api::sequences::get_sequence,
    ),
    components(schemas(crate::dto::ErrorBody, crate::dto::FieldErrorDto)),
    tags(
        (name = "poses", description = "The pose library"),
        (name = "sequences", description = "Preset and user sequences"),
        (name = "health", description = "Service information and health checks"),
    )
)]
pub struct ApiDoc;
