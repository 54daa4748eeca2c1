//! CNC production: panelization (modules → panels, which pricing also uses for area) and
//! nesting (panels → stock sheets), and the three-way check of model, dimensions and cut list
//! before production (`conformance`).

pub mod conformance;
pub mod nesting;
pub mod panelize;
pub mod remnants;
