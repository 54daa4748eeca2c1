//! Paform's domain core: catalog values, exact money, pricing, CNC panelization and
//! nesting, the order state machine, the payment ledger and webhook verification.
//!
//! Invariants kept by omission: this crate performs no I/O, starts no threads, reads no
//! clock (callers pass `now`) and knows nothing of HTTP, redb or serde derives.
//! Every value with an invariant is a newtype that can only be built by `parse`.

pub mod catalog;
pub mod cnc;
pub mod money;
pub mod order;
pub mod pricing;
pub mod problem;
pub mod stock;
pub mod units;
pub mod webhook;
