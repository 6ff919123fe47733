//! The text layer: normalisation, segmentation (UAX #29) with byte and
//! UTF-16 offsets for every token so the page can highlight spans in JS
//! strings, case folding, emoji detection and a small Markdown reader.

pub mod fold;
pub mod markdown;
pub mod normalize;
pub mod segment;

pub use fold::{fold_case, fold_case_into, is_emoji, is_emoji_char};
pub use normalize::{is_zero_width, normalize, normalize_cow, NormalForm, NormalizeOptions};
pub use segment::{
    graphemes, paragraphs, piece_kind, punctuation, sentences, split_word_bounds, utf16_len,
    utf16_offset, words, PieceKind, Span, Token,
};
