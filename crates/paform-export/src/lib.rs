//! Paform's CNC export renderers: the cut list and the saw sequence as CSV, and nesting
//! layouts as SVG (for people) and DXF (for CAM software). Every function is pure: it takes plain data and
//! returns the bytes, leaving storage and upload to the caller.
//!
//! Invariants: output is byte-identical for identical input (no clock, no randomness, no
//! hash-map iteration order, fixed number formatting), lengths are millimetres throughout,
//! and every renderer is infallible, so none of them returns an error type.

mod cut_list;
mod dxf;
mod number;
mod saw_sequence;
mod svg;

pub use cut_list::{CutListRow, cut_list_csv};
pub use dxf::nesting_dxf;
pub use saw_sequence::{SawSection, saw_sequence_csv};
pub use svg::nesting_svg;
