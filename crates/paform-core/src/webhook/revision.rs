//! What orders deliveries about one entry: the operation a delivery performs and the
//! `Revision` that places it in its entry's history.
//! Plain data shared by `payload` (which reads them from a body) and `ordering` (which
//! compares them), so neither of those modules imports the other.

use std::fmt;

use jiff::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    Create,
    Update,
    Delete,
    Publish,
    Unpublish,
}

impl Operation {
    pub fn parse(text: &str) -> Option<Operation> {
        match text {
            "create" => Some(Operation::Create),
            "update" => Some(Operation::Update),
            "delete" => Some(Operation::Delete),
            "publish" => Some(Operation::Publish),
            "unpublish" => Some(Operation::Unpublish),
            _ => None,
        }
    }

    /// The name Hygraph uses on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::Publish => "publish",
            Operation::Unpublish => "unpublish",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where one delivery stands in its entry's history. Plain data, so the store can persist it;
/// build it with `Delivery::revision`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// Absent only for a delete, which outranks every time.
    pub updated_at: Option<Timestamp>,
    pub version: Option<u64>,
    pub operation: Operation,
    /// `delivery_key` of the body.
    pub delivery_key: String,
}
