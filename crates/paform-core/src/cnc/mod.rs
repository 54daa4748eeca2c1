//! CNC production: panelization (modules → panels, which pricing also uses for area) and
//! nesting (panels → stock sheets).

pub mod nesting;
pub mod panelize;
pub mod remnants;
