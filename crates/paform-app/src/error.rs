//! `AppError`: the error taxonomy of every use case, following the API's status codes.
//! Edges map each variant to a status in one `match`; internal causes are logged, never
//! shown to the client.

use paform_core::problem::FieldProblem;
use paform_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is not well-formed (syntax, types, missing fields): 400.
    #[error("{detail}")]
    Malformed {
        detail: String,
        problems: Vec<FieldProblem>,
    },
    /// The request is well-formed but its values are not acceptable: 422.
    #[error("{} field(s) are invalid", problems.len())]
    Invalid { problems: Vec<FieldProblem> },
    #[error("{kind} {id} does not exist")]
    NotFound { kind: &'static str, id: String },
    #[error("{0}")]
    Conflict(String),
    /// The three-way check before production found mismatches (SPEC §17): 409 listing them.
    #[error("{detail}")]
    CheckFailed {
        detail: String,
        mismatches: Vec<crate::dto::CheckMismatch>,
    },
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    Unauthorized(String),
    /// The caller is known or needs no identity, but this is refused (a tampered or
    /// expired download link): 403.
    #[error("{0}")]
    Forbidden(String),
    /// The thing existed but is gone for good (a used or expired pairing code): 410.
    #[error("{0}")]
    Gone(String),
    #[error("{0}")]
    Unavailable(String),
    /// A write found no room on the disk (the detail names the directory): 507.
    #[error("{0}")]
    InsufficientStorage(String),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    pub fn invalid(problems: Vec<FieldProblem>) -> AppError {
        AppError::Invalid { problems }
    }

    pub fn invalid_field(field: &str, message: impl std::fmt::Display) -> AppError {
        AppError::Invalid {
            problems: vec![FieldProblem::new(field, message)],
        }
    }

    pub fn malformed(detail: impl Into<String>) -> AppError {
        AppError::Malformed {
            detail: detail.into(),
            problems: Vec::new(),
        }
    }

    pub fn not_found(kind: &'static str, id: &str) -> AppError {
        AppError::NotFound {
            kind,
            id: id.to_owned(),
        }
    }

    pub fn internal(error: anyhow::Error) -> AppError {
        AppError::Internal(error)
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        match error {
            StoreError::Locked(path) => AppError::Unavailable(format!(
                "the store {} is in use by another Paform process; close it first",
                path.display()
            )),
            StoreError::DiskFull { dir } => {
                AppError::InsufficientStorage(crate::durable::disk_full_detail(&dir))
            }
            StoreError::NotOwned { order_id, seller } => AppError::Conflict(format!(
                "order {order_id} was sold by another site of the chain (node {seller}): this \
                 site records only its production; change the order where it was sold"
            )),
            StoreError::ForeignLink(detail) => AppError::Unavailable(detail),
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<Vec<FieldProblem>> for AppError {
    fn from(problems: Vec<FieldProblem>) -> AppError {
        AppError::Invalid { problems }
    }
}
