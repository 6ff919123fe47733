//! UAX #29 segmentation into words, punctuation, sentences and paragraphs.

use unicode_segmentation::UnicodeSegmentation;

/// A half-open range of a text, in UTF-8 bytes and in UTF-16 code units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub start_utf16: usize,
    pub end_utf16: usize,
}

/// A piece of a text with its position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub span: Span,
}

/// Adds UTF-16 offsets to byte-offset pieces that come in increasing order.
fn with_utf16<'a>(text: &'a str, pieces: impl Iterator<Item = (usize, &'a str)>) -> Vec<Token<'a>> {
    let mut byte_pos = 0;
    let mut utf16_pos = 0;
    pieces
        .map(|(start, piece)| {
            utf16_pos += text[byte_pos..start].encode_utf16().count();
            let start_utf16 = utf16_pos;
            utf16_pos += piece.encode_utf16().count();
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

/// Word-like tokens (letters, digits, ideographs, emoji are not words).
pub fn words(text: &str) -> Vec<Token<'_>> {
    with_utf16(text, text.unicode_word_indices())
}

/// Non-space, non-word segments: punctuation and symbols, one token per UAX #29 segment.
pub fn punctuation(text: &str) -> Vec<Token<'_>> {
    with_utf16(
        text,
        text.split_word_bound_indices().filter(|(_, s)| {
            !s.chars().all(char::is_whitespace) && !s.chars().any(char::is_alphanumeric)
        }),
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

/// Paragraphs: runs of non-blank lines separated by one or more blank lines.
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
