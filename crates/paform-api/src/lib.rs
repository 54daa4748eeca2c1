//! The wire contract of Paform: plain serde types that both ends of a connection compile
//! against, so a site and its HQ cannot disagree about a field.
//! It names no store, no runtime and no web framework; only serde and the OpenAPI derive.
//! `chain` is the replication protocol between sites and HQ (SPEC §15).

pub mod chain;
