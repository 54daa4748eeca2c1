//! The wire contract of Paform: plain serde types that both ends of a connection compile
//! against, so a site, its HQ and the UI's generated TypeScript cannot disagree about a field.
//! It names no store, no runtime and no web framework; only serde and the OpenAPI derive.
//! `dto` holds the shapes of the site's API (SPEC §2–17), which HQ answers too where it
//! serves the same routes (the catalog); `chain` is the replication protocol between sites
//! and HQ (SPEC §15); `demo` the demo catalog both seed.

pub mod chain;
pub mod demo;
pub mod dto;
