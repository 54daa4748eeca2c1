//! Materials and modules (SPEC §3).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use paform_app::App;
use paform_app::dto::{ListQuery, Material, MaterialInput, Module, ModuleInput, Page, Problem};

use crate::extract::{ApiJson, ApiQuery};
use crate::problem::ApiResult;

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
