//! UAX #29 segmentation into graphemes, words, punctuation, sentences and
//! paragraphs, with byte and UTF-16 offsets for every piece.
//!
//! All functions take an already normalised text (see
//! [`normalize`](super::normalize())) and never fail or panic: an empty
//! text gives no pieces.
//!
//! # Word pieces
//!
//! [`split_word_bounds`] cuts a text at every UAX #29 word boundary and
//! sorts each piece into exactly one [`PieceKind`]: a *word* has at least
//! one alphanumeric character (letters of any script, digits, ideographs,
//! kana), *whitespace* is only whitespace, and everything else is
//! *punctuation* (punctuation marks, symbols, emoji). The three streams
//! therefore partition the text: concatenated in order, they give it back.
//! [`words`] and [`punctuation`] are the first and last stream.
//!
//! # Chinese and Japanese
//!
//! UAX #29 has no dictionary. Every Han ideograph and every hiragana
//! character is its own word, while a run of katakana stays one word
//! (`データ`), and so does a run of Latin letters or digits. A Chinese
//! sentence of 12 characters is therefore 12 "words". For stylometric
//! profiles this is the right choice rather than a defect: character
//! unigrams, bigrams and trigrams are the standard units of Chinese and
//! Japanese stylometry, the result is deterministic and identical in the
//! browser, and a dictionary segmenter would add megabytes to the wasm
//! module and its own errors. Word counts of CJK texts are not comparable
//! with word counts of space-separated languages; the profile's relative
//! frequencies are.
//!
//! # Sentences
//!
//! UAX #29 breaks a sentence after `.`, `!`, `?` (and their equivalents in
//! other scripts: `。`, `！`, `؟`, `।`, ...) followed by a suitable
//! context, and always after a line break (rule SB4), so list items,
//! headings and table rows are separate sentences.
//!
//! # Offsets
//!
//! [`Span`] gives byte offsets (to slice the Rust `str`) and UTF-16 code
//! unit offsets (to slice a JavaScript string). Pieces start and end on
//! character boundaries, so a UTF-16 offset never falls inside a surrogate
//! pair.

use unicode_segmentation::UnicodeSegmentation;

/// A half-open range of a text, in UTF-8 bytes and in UTF-16 code units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte (UTF-8) of the piece.
    pub start: usize,
    /// One past the last byte (UTF-8) of the piece.
    pub end: usize,
    /// First UTF-16 code unit of the piece, for JavaScript strings.
    pub start_utf16: usize,
    /// One past the last UTF-16 code unit of the piece.
    pub end_utf16: usize,
}

/// A piece of a text with its position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub span: Span,
}

/// What a UAX #29 word-boundary piece is (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PieceKind {
    /// Has at least one alphanumeric character.
    Word,
    /// Only whitespace.
    Whitespace,
    /// Anything else: punctuation, symbols, emoji, control characters.
    Punctuation,
}

/// Sorts one word-boundary piece into its kind.
pub fn piece_kind(piece: &str) -> PieceKind {
    if piece.chars().any(char::is_alphanumeric) {
        PieceKind::Word
    } else if piece.chars().all(char::is_whitespace) {
        PieceKind::Whitespace
    } else {
        PieceKind::Punctuation
    }
}

/// Number of UTF-16 code units of a string, counted from its bytes: every
/// character has one leading byte, and only 4-byte characters need a
/// surrogate pair.
pub fn utf16_len(s: &str) -> usize {
    s.bytes()
        .map(|b| usize::from((b & 0xc0) != 0x80) + usize::from(b >= 0xf0))
        .sum()
}

/// UTF-16 offset of a byte offset of `text`. A byte offset inside a
/// character or past the end is clamped to the character start or the end.
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    utf16_len(&text[..byte])
}

/// Adds UTF-16 offsets to byte-offset pieces that come in increasing,
/// non-overlapping order (one pass over the text in total).
fn with_utf16<'a>(text: &'a str, pieces: impl Iterator<Item = (usize, &'a str)>) -> Vec<Token<'a>> {
    let mut byte_pos = 0;
    let mut utf16_pos = 0;
    pieces
        .map(|(start, piece)| {
            utf16_pos += utf16_len(&text[byte_pos..start]);
            let start_utf16 = utf16_pos;
            utf16_pos += utf16_len(piece);
            byte_pos = start + piece.len();
            Token {
                text: piece,
                span: Span {
                    start,
                    end: byte_pos,
                    start_utf16,
                    end_utf16: utf16_pos,
                },
            }
        })
        .collect()
}

/// Extended grapheme clusters (what a reader counts as one character: an
/// emoji with its modifiers, a letter with its combining marks).
pub fn graphemes(text: &str) -> Vec<Token<'_>> {
    with_utf16(text, text.grapheme_indices(true))
}

/// Every UAX #29 word-boundary piece with its kind; the pieces cover the
/// whole text in order.
pub fn split_word_bounds(text: &str) -> Vec<(PieceKind, Token<'_>)> {
    let pieces = text.split_word_bound_indices();
    let tokens = with_utf16(text, pieces);
    tokens
        .into_iter()
        .map(|t| (piece_kind(t.text), t))
        .collect()
}

/// Word-like tokens: pieces with at least one letter, digit or ideograph.
/// Emoji and punctuation are not words (see [`punctuation`]).
pub fn words(text: &str) -> Vec<Token<'_>> {
    with_utf16(
        text,
        text.split_word_bound_indices()
            .filter(|(_, s)| piece_kind(s) == PieceKind::Word),
    )
}

/// Non-space, non-word pieces: punctuation, symbols and emoji, one token
/// per UAX #29 piece (an emoji ZWJ sequence is one piece).
pub fn punctuation(text: &str) -> Vec<Token<'_>> {
    with_utf16(
        text,
        text.split_word_bound_indices()
            .filter(|(_, s)| piece_kind(s) == PieceKind::Punctuation),
    )
}

/// Sentences (UAX #29 sentence boundaries), trimmed, empty ones dropped.
pub fn sentences(text: &str) -> Vec<Token<'_>> {
    with_utf16(
        text,
        text.split_sentence_bound_indices()
            .filter_map(|(start, s)| {
                let trimmed = s.trim_start();
                let start = start + (s.len() - trimmed.len());
                let trimmed = trimmed.trim_end();
                (!trimmed.is_empty()).then_some((start, trimmed))
            }),
    )
}

/// Paragraphs: runs of non-blank lines separated by one or more blank
/// lines (a line of only whitespace is blank), trimmed.
pub fn paragraphs(text: &str) -> Vec<Token<'_>> {
    let mut pieces = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if blank {
            if let Some(s) = start.take() {
                pieces.push((s, &text[s..end]));
            }
        } else {
            start.get_or_insert(offset + (line.len() - line.trim_start().len()));
            end = offset + line.trim_end().len();
        }
        offset += line.len();
    }
    if let Some(s) = start {
        pieces.push((s, &text[s..end]));
    }
    with_utf16(text, pieces.into_iter())
}
