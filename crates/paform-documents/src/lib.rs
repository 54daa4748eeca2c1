//! Paform's PDF documents as pure renderers: view data in, PDF bytes out. No store, no clock,
//! no I/O; the only bytes read are the fonts compiled into the crate.
//!
//! The PDFs are written by `krilla` (by the typst authors): fonts are embedded and subset, and
//! text is real text, so a document is searchable and its text can be extracted.
//! Money arrives as the decimal strings the application printed; this crate only groups
//! their digits for reading, it never computes with them.

mod canvas;
mod commercial;
pub mod labels;

pub use commercial::{
    BoardSummary, Business, CommercialDocument, DocumentKind, DocumentLine, Party, render,
};

/// A document could not be written (a broken picture, or the PDF writer refused).
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("the picture is not a readable PNG: {0}")]
    Picture(String),
    #[error("the label code {0:?} cannot be drawn as a QR code")]
    QrCode(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}
