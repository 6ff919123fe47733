//! The text layer: normalisation and segmentation (UAX #29), with byte and
//! UTF-16 offsets for every token so the page can highlight spans in JS
//! strings.

pub mod normalize;
pub mod segment;

pub use normalize::{normalize, NormalForm, NormalizeOptions};
pub use segment::{paragraphs, punctuation, sentences, words, Span, Token};
