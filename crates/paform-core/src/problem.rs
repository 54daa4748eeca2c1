//! `FieldProblem`: one named problem with one input field, the currency in which every
//! validation in the core reports its findings (all of them at once, not the first).

use std::fmt;

/// A problem with one input field, named by its path in the request (`items[2].quantity`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, message: impl fmt::Display) -> Self {
        Self {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Collects field problems while a whole input is checked, so a caller sees all of them.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldProblem>);

impl Problems {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the value of `result`, or records its error against `field`.
    pub fn check<T, E: fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(FieldProblem::new(field, error));
                None
            }
        }
    }

    pub fn push(&mut self, field: impl Into<String>, message: impl fmt::Display) {
        self.0.push(FieldProblem::new(field, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was recorded, otherwise every recorded problem.
    pub fn finish(self) -> Result<(), Vec<FieldProblem>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// The page size of a list when none is asked for.
pub const DEFAULT_PAGE: i64 = 50;
/// The largest page a list answers.
pub const MAX_PAGE: i64 = 500;

/// A list's `?limit=&offset=` checked: `(limit, offset)`, a page of 1 to `MAX_PAGE` items
/// (`DEFAULT_PAGE` unless asked) from a non-negative offset.
pub fn page_window(
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<(usize, usize), Vec<FieldProblem>> {
    let mut problems = Problems::new();
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        problems.push("limit", format!("must be from 1 to {MAX_PAGE}"));
    }
    let offset = offset.unwrap_or(0);
    if offset < 0 {
        problems.push("offset", "must not be negative");
    }
    problems.finish()?;
    Ok((limit as usize, offset as usize))
}
