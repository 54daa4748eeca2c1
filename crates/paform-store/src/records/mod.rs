//! Versioned on-disk record types. A record type, once released, never changes shape: a new
//! shape is a new module (`v2`) plus a migration documented in `migrations-doc/`.
//! Decimals and timestamps are stored as their canonical strings, so a record decodes to
//! exactly what was written whatever the decimal library's internal layout.

pub mod chain;
pub mod floor;
pub mod showroom;
pub mod v1;
pub mod v2;
pub mod v3;
