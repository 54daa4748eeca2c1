//! The DTOs: the shapes of the API, shared by REST and Tauri. Serde and OpenAPI derives
//! live here and in the store's records, nowhere else. Money and rates are decimal strings.

mod backups;
mod catalog;
mod chain;
mod cnc;
mod common;
mod desktop;
mod floor;
mod models;
pub(crate) mod names;
mod orders;
mod pairing;
mod quote;
mod settings;
mod share;
mod showroom;
mod sync;
mod tokens;

pub use backups::*;
pub use catalog::*;
pub use chain::*;
pub use cnc::*;
pub use common::*;
pub use desktop::*;
pub use floor::*;
pub use models::*;
pub use names::*;
pub use orders::*;
pub use pairing::*;
pub use quote::*;
pub use settings::*;
pub use share::*;
pub use showroom::*;
pub use sync::*;
pub use tokens::*;
