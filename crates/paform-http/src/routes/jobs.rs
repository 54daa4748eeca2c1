//! The production outbox: jobs for manufacturing and logistics (SPEC §5).

use axum::Json;
use axum::extract::{Path, State};
use paform_app::App;
use paform_app::dto::{Job, JobListQuery, Page, Problem};

use crate::extract::ApiQuery;
use crate::problem::ApiResult;

#[utoipa::path(get, path = "/api/jobs", tag = "jobs", params(JobListQuery),
    responses((status = 200, body = Page<Job>), (status = 422, body = Problem)))]
pub(crate) async fn list_jobs(
    State(app): State<App>,
    ApiQuery(query): ApiQuery<JobListQuery>,
) -> ApiResult<Json<Page<Job>>> {
    Ok(Json(app.list_jobs(&query)?))
}

#[utoipa::path(post, path = "/api/jobs/{id}/ack", tag = "jobs",
    responses((status = 200, description = "The job, done (acknowledging again is harmless)", body = Job),
        (status = 404, body = Problem)))]
pub(crate) async fn ack_job(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<Job>> {
    Ok(Json(app.ack_job(&id).await?))
}
