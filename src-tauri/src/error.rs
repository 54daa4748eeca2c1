//! `CommandError`: a failed command, serialized as the very problem object the HTTP API
//! answers with (`paform_http::problem_of`), so `ui/lib/api` handles errors identically over
//! both transports. `Result<_, String>` is never used.

use paform_app::AppError;
use paform_app::dto::Problem;
use serde::{Serialize, Serializer};

/// Boxed: a problem can carry lists (field errors, the three-way check's mismatches), and
/// every command returns this as its error.
#[derive(Debug)]
pub(crate) struct CommandError(pub(crate) Box<Problem>);

impl From<AppError> for CommandError {
    fn from(error: AppError) -> CommandError {
        CommandError(Box::new(paform_http::problem_of(error)))
    }
}

impl Serialize for CommandError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

pub(crate) type CommandResult<T> = Result<T, CommandError>;
