//! Materials and modules (SPEC §3).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use paform_app::App;
use paform_app::dto::{
    ListQuery, Material, MaterialInput, ModelReport, Module, ModuleInput, Page, Problem,
};

use crate::extract::{ApiJson, ApiQuery, body_rejection};
use crate::problem::{ApiError, ApiResult};

#[utoipa::path(get, path = "/api/materials", tag = "catalog", params(ListQuery),
    responses((status = 200, body = Page<Material>), (status = 400, body = Problem)))]
pub(crate) async fn list_materials(
    State(app): State<App>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<Material>>> {
    Ok(Json(app.list_materials(&query)?))
}

#[utoipa::path(post, path = "/api/materials", tag = "catalog", request_body = MaterialInput,
    responses((status = 201, body = Material), (status = 422, body = Problem)))]
pub(crate) async fn create_material(
    State(app): State<App>,
    ApiJson(input): ApiJson<MaterialInput>,
) -> ApiResult<(StatusCode, Json<Material>)> {
    Ok((StatusCode::CREATED, Json(app.create_material(input).await?)))
}

#[utoipa::path(get, path = "/api/materials/{id}", tag = "catalog",
    responses((status = 200, body = Material), (status = 404, body = Problem)))]
pub(crate) async fn get_material(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<Material>> {
    Ok(Json(app.get_material(&id)?))
}

#[utoipa::path(put, path = "/api/materials/{id}", tag = "catalog", request_body = MaterialInput,
    responses((status = 200, body = Material), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub(crate) async fn update_material(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<MaterialInput>,
) -> ApiResult<Json<Material>> {
    Ok(Json(app.update_material(&id, input).await?))
}

#[utoipa::path(delete, path = "/api/materials/{id}", tag = "catalog",
    responses((status = 204), (status = 404, body = Problem),
        (status = 409, description = "The material is used by a module", body = Problem)))]
pub(crate) async fn delete_material(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_material(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/modules", tag = "catalog", params(ListQuery),
    responses((status = 200, body = Page<Module>), (status = 400, body = Problem)))]
pub(crate) async fn list_modules(
    State(app): State<App>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<Module>>> {
    Ok(Json(app.list_modules(&query)?))
}

#[utoipa::path(post, path = "/api/modules", tag = "catalog", request_body = ModuleInput,
    responses((status = 201, body = Module),
        (status = 422, description = "Invalid field or unknown material", body = Problem)))]
pub(crate) async fn create_module(
    State(app): State<App>,
    ApiJson(input): ApiJson<ModuleInput>,
) -> ApiResult<(StatusCode, Json<Module>)> {
    Ok((StatusCode::CREATED, Json(app.create_module(input).await?)))
}

#[utoipa::path(get, path = "/api/modules/{id}", tag = "catalog",
    responses((status = 200, body = Module), (status = 404, body = Problem)))]
pub(crate) async fn get_module(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<Module>> {
    Ok(Json(app.get_module(&id)?))
}

#[utoipa::path(put, path = "/api/modules/{id}", tag = "catalog", request_body = ModuleInput,
    responses((status = 200, body = Module), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub(crate) async fn update_module(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ModuleInput>,
) -> ApiResult<Json<Module>> {
    Ok(Json(app.update_module(&id, input).await?))
}

#[utoipa::path(delete, path = "/api/modules/{id}", tag = "catalog",
    responses((status = 204), (status = 404, body = Problem)))]
pub(crate) async fn delete_module(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_module(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The body is the GLB itself (at most 50 MiB); the check is `GLB_ASSET_STANDARD.md` with the
/// module's catalog dimensions.
#[utoipa::path(put, path = "/api/modules/{id}/model", tag = "catalog",
    request_body(content = Vec<u8>, content_type = "model/gltf-binary"),
    responses((status = 201, description = "Stored; the module's `assembly_attributes.glb_url` points at it",
            body = ModelReport),
        (status = 404, body = Problem),
        (status = 413, description = "Body over 50 MiB", body = Problem),
        (status = 422, description = "Every rule of the standard the file breaks, one error per violation (`field` is the rule's code)",
            body = Problem)))]
pub(crate) async fn put_module_model(
    State(app): State<App>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ModelReport>), Response> {
    let body = body.map_err(|rejection| body_rejection(rejection).into_response())?;
    let report = app.put_module_model(&id, body.to_vec()).await;
    Ok((
        StatusCode::CREATED,
        Json(report.map_err(|error| ApiError(error).into_response())?),
    ))
}

#[utoipa::path(get, path = "/api/modules/{id}/model", tag = "catalog",
    responses((status = 200, description = "The module's GLB", content_type = "model/gltf-binary"),
        (status = 404, description = "No such module, or it has no model", body = Problem)))]
pub(crate) async fn get_module_model(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let bytes = app.module_model(&id).await?;
    Ok(([(header::CONTENT_TYPE, "model/gltf-binary")], bytes).into_response())
}

/// Textures downloaded from Hygraph (`GLB_ASSET_STANDARD.md`: the UI loads only local files).
#[utoipa::path(get, path = "/api/media/{file}", tag = "catalog",
    responses((status = 200, description = "The image (PNG, JPEG, WebP or KTX2)", content_type = "image/*"),
        (status = 404, body = Problem)))]
pub(crate) async fn get_media_file(
    State(app): State<App>,
    Path(file): Path<String>,
) -> ApiResult<Response> {
    let (content_type, bytes) = app.media_file(&file).await?;
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}
