//! RFC 9457 problem details: the one mapping from `AppError` to a status code and body.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use paform_app::AppError;
use paform_app::dto::{FieldError, Problem};

/// An `AppError` on its way out of a handler.
pub(crate) struct ApiError(pub(crate) AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        ApiError(error)
    }
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;

fn problem_body(status: StatusCode, detail: String, errors: Vec<FieldError>) -> Problem {
    let title = status.canonical_reason().unwrap_or("Error").to_owned();
    // 507 is only ever a full disk (SPEC §14), so its type names the disk.
    let slug = match status {
        StatusCode::INSUFFICIENT_STORAGE => "disk-full".to_owned(),
        _ => title.to_lowercase().replace(' ', "-"),
    };
    Problem {
        type_url: format!("https://paform.dev/problems/{slug}"),
        title,
        status: status.as_u16(),
        detail,
        errors,
        mismatches: Vec::new(),
    }
}

/// The problem object an `AppError` is answered with, for edges that are not HTTP (the
/// desktop shell's commands), so both render errors identically.
pub fn problem_of(error: AppError) -> Problem {
    error_problem(error).1
}

/// The status and problem of an `AppError`, with the lists only some errors carry.
fn error_problem(mut error: AppError) -> (StatusCode, Problem) {
    let mismatches = match &mut error {
        AppError::CheckFailed { mismatches, .. } => std::mem::take(mismatches),
        _ => Vec::new(),
    };
    let (status, detail, errors) = status_and_parts(error);
    let mut problem = problem_body(status, detail, errors);
    problem.mismatches = mismatches;
    (status, problem)
}

fn problem_json(status: StatusCode, problem: Problem) -> Response {
    let mut response = (status, axum::Json(problem)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

pub(crate) fn problem_response(
    status: StatusCode,
    detail: String,
    errors: Vec<FieldError>,
) -> Response {
    problem_json(status, problem_body(status, detail, errors))
}

fn field_errors(problems: Vec<paform_app::FieldProblem>) -> Vec<FieldError> {
    problems
        .into_iter()
        .map(|problem| FieldError {
            field: problem.field,
            message: problem.message,
        })
        .collect()
}

fn summary(problems: &[paform_app::FieldProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, problem) = error_problem(self.0);
        problem_json(status, problem)
    }
}

fn status_and_parts(error: AppError) -> (StatusCode, String, Vec<FieldError>) {
    match error {
        AppError::Malformed { detail, problems } => {
            (StatusCode::BAD_REQUEST, detail, field_errors(problems))
        }
        AppError::Invalid { problems } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            summary(&problems),
            field_errors(problems),
        ),
        error @ AppError::NotFound { .. } => (StatusCode::NOT_FOUND, error.to_string(), vec![]),
        AppError::Conflict(detail) | AppError::CheckFailed { detail, .. } => {
            (StatusCode::CONFLICT, detail, vec![])
        }
        AppError::TooLarge(detail) => (StatusCode::PAYLOAD_TOO_LARGE, detail, vec![]),
        AppError::Unauthorized(detail) => (StatusCode::UNAUTHORIZED, detail, vec![]),
        AppError::Forbidden(detail) => (StatusCode::FORBIDDEN, detail, vec![]),
        AppError::Gone(detail) => (StatusCode::GONE, detail, vec![]),
        AppError::Unavailable(detail) => (StatusCode::SERVICE_UNAVAILABLE, detail, vec![]),
        AppError::InsufficientStorage(detail) => {
            tracing::warn!(%detail, "a write found the disk full");
            (StatusCode::INSUFFICIENT_STORAGE, detail, vec![])
        }
        AppError::Internal(error) => {
            tracing::error!(error = format!("{error:#}"), "internal error");
            let detail = "the server failed to handle this request; it has been logged".into();
            (StatusCode::INTERNAL_SERVER_ERROR, detail, vec![])
        }
    }
}

pub(crate) fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    let detail = "the server failed to handle this request; it has been logged".into();
    problem_response(StatusCode::INTERNAL_SERVER_ERROR, detail, vec![])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_a_507_whose_type_names_the_disk() {
        let detail = "the disk holding /data is full; free some space there and try again";
        let problem = problem_of(AppError::InsufficientStorage(detail.to_owned()));
        assert_eq!(problem.status, 507);
        assert_eq!(problem.type_url, "https://paform.dev/problems/disk-full");
        assert_eq!(problem.title, "Insufficient Storage");
        assert_eq!(problem.detail, detail);
    }
}
