//! The DTOs: the shapes of the API, shared by REST and Tauri. Serde and OpenAPI derives
//! live here and in the store's records, nowhere else. Money and rates are decimal strings.

mod catalog;
mod common;
mod quote;
mod settings;

pub use catalog::*;
pub use common::*;
pub use quote::*;
pub use settings::*;
