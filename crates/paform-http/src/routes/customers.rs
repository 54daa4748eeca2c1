//! Customers (SPEC §11).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use paform_app::App;
use paform_app::dto::{Customer, CustomerHistory, CustomerInput, ListQuery, Page, Problem};

use crate::extract::{ApiJson, ApiQuery};
use crate::problem::ApiResult;

#[utoipa::path(get, path = "/api/customers", tag = "customers", params(ListQuery),
    responses((status = 200, description = "`q` searches name, email and phone", body = Page<Customer>),
        (status = 422, body = Problem)))]
pub(crate) async fn list_customers(
    State(app): State<App>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<Customer>>> {
    Ok(Json(app.list_customers(&query)?))
}

#[utoipa::path(post, path = "/api/customers", tag = "customers", request_body = CustomerInput,
    responses((status = 201, body = Customer), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn create_customer(
    State(app): State<App>,
    ApiJson(input): ApiJson<CustomerInput>,
) -> ApiResult<(StatusCode, Json<Customer>)> {
    Ok((StatusCode::CREATED, Json(app.create_customer(input).await?)))
}

#[utoipa::path(get, path = "/api/customers/{id}", tag = "customers",
    responses((status = 200, body = Customer), (status = 404, body = Problem)))]
pub(crate) async fn get_customer(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<Customer>> {
    Ok(Json(app.get_customer(&id)?))
}

#[utoipa::path(put, path = "/api/customers/{id}", tag = "customers", request_body = CustomerInput,
    responses((status = 200, body = Customer), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn update_customer(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CustomerInput>,
) -> ApiResult<Json<Customer>> {
    Ok(Json(app.update_customer(&id, input).await?))
}

#[utoipa::path(get, path = "/api/customers/{id}/history", tag = "customers",
    responses((status = 200, description = "The customer's quotes and orders, newest first", body = CustomerHistory),
        (status = 404, body = Problem)))]
pub(crate) async fn customer_history(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<CustomerHistory>> {
    Ok(Json(app.customer_history(&id)?))
}
