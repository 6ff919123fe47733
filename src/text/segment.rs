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

/// A half-open range of a text, in UTF-8 bytes and in UTF-16 code units
/// (`text.slice(startUtf16, endUtf16)` in JS).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
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

/// The UAX #29 word-break classes that ASCII characters have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AsciiWb {
    Letter,
    Numeric,
    ExtendNumLet,
    MidLetter,
    MidNum,
    /// `.` (MidNumLet) and `'` (Single_Quote, which acts the same here).
    MidNumLet,
    Space,
    Cr,
    Newline,
    Other,
}

#[inline]
fn ascii_wb(b: u8) -> AsciiWb {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => AsciiWb::Letter,
        b'0'..=b'9' => AsciiWb::Numeric,
        b'_' => AsciiWb::ExtendNumLet,
        b':' => AsciiWb::MidLetter,
        b',' | b';' => AsciiWb::MidNum,
        b'.' | b'\'' => AsciiWb::MidNumLet,
        b' ' => AsciiWb::Space,
        b'\r' => AsciiWb::Cr,
        b'\n' | 0x0B | 0x0C => AsciiWb::Newline,
        _ => AsciiWb::Other,
    }
}

/// UAX #29 word boundaries of an ASCII string, by the rules that can
/// apply to ASCII (WB3-WB3d, WB5-WB13b; WB4 and the emoji, Hebrew,
/// Katakana and regional-indicator rules need non-ASCII characters).
fn ascii_word_bounds<'a>(text: &'a str, offset: usize, f: &mut impl FnMut(usize, &'a str)) {
    use AsciiWb::*;
    let b = text.as_bytes();
    let class = |i: usize| b.get(i).map_or(Other, |&c| ascii_wb(c));
    let mut i = 0;
    while i < b.len() {
        let start = i;
        match ascii_wb(b[i]) {
            Cr if class(i + 1) == Newline && b[i + 1] == b'\n' => i += 2,
            Space => {
                i += 1;
                while class(i) == Space {
                    i += 1;
                }
            }
            Letter | Numeric | ExtendNumLet => {
                let mut prev = ascii_wb(b[i]);
                i += 1;
                loop {
                    match class(i) {
                        // WB5, WB8, WB9, WB10, WB13a, WB13b.
                        c @ (Letter | Numeric | ExtendNumLet) => {
                            prev = c;
                            i += 1;
                        }
                        // WB6, WB7: a letter, a mid-letter mark, a letter.
                        MidLetter | MidNumLet if prev == Letter && class(i + 1) == Letter => {
                            prev = Letter;
                            i += 2;
                        }
                        // WB11, WB12: a digit, a mid-number mark, a digit.
                        MidNum | MidNumLet if prev == Numeric && class(i + 1) == Numeric => {
                            prev = Numeric;
                            i += 2;
                        }
                        _ => break,
                    }
                }
            }
            _ => i += 1,
        }
        f(offset + start, &text[start..i]);
    }
}

/// Calls `f` with every UAX #29 word-boundary piece of `text` and its
/// byte offset, exactly as `UnicodeSegmentation::split_word_bound_indices`
/// gives them, but faster: words always break around line breaks (rules
/// WB3a, WB3b), so each line is segmented apart, and an ASCII line (most
/// lines of English model output) takes a direct implementation of the
/// rules that can apply to ASCII. A property test checks the two agree.
pub fn for_each_word_bound<'a>(text: &'a str, mut f: impl FnMut(usize, &'a str)) {
    if text.is_ascii() {
        ascii_word_bounds(text, 0, &mut f);
        return;
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.is_ascii() {
            ascii_word_bounds(line, offset, &mut f);
        } else {
            for (start, piece) in line.split_word_bound_indices() {
                f(offset + start, piece);
            }
        }
        offset += line.len();
    }
}

/// Every UAX #29 word-boundary piece with its kind; the pieces cover the
/// whole text in order.
pub fn split_word_bounds(text: &str) -> Vec<(PieceKind, Token<'_>)> {
    let mut pieces = Vec::new();
    for_each_word_bound(text, |start, s| pieces.push((start, s)));
    with_utf16(text, pieces.into_iter())
        .into_iter()
        .map(|t| (piece_kind(t.text), t))
        .collect()
}

fn pieces_of_kind(text: &str, kind: PieceKind) -> Vec<Token<'_>> {
    let mut pieces = Vec::new();
    for_each_word_bound(text, |start, s| {
        if piece_kind(s) == kind {
            pieces.push((start, s));
        }
    });
    with_utf16(text, pieces.into_iter())
}

/// Word-like tokens: pieces with at least one letter, digit or ideograph.
/// Emoji and punctuation are not words (see [`punctuation`]).
pub fn words(text: &str) -> Vec<Token<'_>> {
    pieces_of_kind(text, PieceKind::Word)
}

/// Non-space, non-word pieces: punctuation, symbols and emoji, one token
/// per UAX #29 piece (an emoji ZWJ sequence is one piece).
pub fn punctuation(text: &str) -> Vec<Token<'_>> {
    pieces_of_kind(text, PieceKind::Punctuation)
}

/// True when `c` cannot end a sentence or a paragraph under UAX #29:
/// every character of the conservative set checked here (ASCII except
/// `.`, `!`, `?` and line breaks; Latin-1 and Latin Extended letters;
/// Cyrillic; dashes, quotes and bullets; kana; CJK ideographs) has
/// Sentence_Break Other, Lower, Upper, OLetter, Numeric, Sp, Close or
/// SContinue, never STerm, ATerm or Sep.
#[inline]
fn never_ends_sentence(c: char) -> bool {
    if c.is_ascii() {
        return !matches!(c, '.' | '!' | '?' | '\n' | '\r');
    }
    matches!(c as u32, 0xC0..=0x24F | 0x400..=0x52F | 0x2010..=0x2023 | 0x3041..=0x30FF | 0x4E00..=0x9FFF)
}

/// The UAX #29 sentence-break classes that ASCII characters have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AsciiSb {
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
    Cr,
    Lf,
    Other,
}

#[inline]
fn ascii_sb(b: u8) -> AsciiSb {
    match b {
        b'\t' | 0x0B | 0x0C | b' ' => AsciiSb::Sp,
        b'\n' => AsciiSb::Lf,
        b'\r' => AsciiSb::Cr,
        b'a'..=b'z' => AsciiSb::Lower,
        b'A'..=b'Z' => AsciiSb::Upper,
        b'0'..=b'9' => AsciiSb::Numeric,
        b'.' => AsciiSb::ATerm,
        b'!' | b'?' => AsciiSb::STerm,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => AsciiSb::Close,
        b',' | b'-' | b':' | b';' => AsciiSb::SContinue,
        _ => AsciiSb::Other,
    }
}

/// UAX #29 sentence boundaries of an ASCII string, by the rules that can
/// apply to ASCII (SB3-SB11 without Sep, OLetter, Format and Extend).
fn ascii_sentence_bounds<'a>(text: &'a str, offset: usize, f: &mut impl FnMut(usize, &'a str)) {
    use AsciiSb::*;
    let b = text.as_bytes();
    let n = b.len();
    let class = |i: usize| b.get(i).map(|&c| ascii_sb(c));
    // The end of a paragraph separator starting at `i` (CR LF is one).
    let sep_end = |i: usize| {
        if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        }
    };
    let mut start = 0;
    let mut i = 0;
    let mut emit = |from: usize, to: usize| f(offset + from, &text[from..to]);
    while i < n {
        match ascii_sb(b[i]) {
            // SB3, SB4: always break after a line break.
            Cr | Lf => {
                let end = sep_end(i);
                emit(start, end);
                start = end;
                i = end;
            }
            term @ (ATerm | STerm) => {
                if term == ATerm {
                    // SB6: "3.14"; SB7: "U.S".
                    let next = class(i + 1);
                    let after_letter = i > 0 && matches!(ascii_sb(b[i - 1]), Upper | Lower);
                    if next == Some(Numeric) || (next == Some(Upper) && after_letter) {
                        i += 1;
                        continue;
                    }
                }
                let mut k = i + 1;
                while class(k) == Some(Close) {
                    k += 1;
                }
                while class(k) == Some(Sp) {
                    k += 1;
                }
                match class(k) {
                    None => i = k,
                    // SB9-SB11: the separator ends this sentence.
                    Some(Cr | Lf) => {
                        let end = sep_end(k);
                        emit(start, end);
                        start = end;
                        i = end;
                    }
                    // SB8a: "?!", "etc., and".
                    Some(ATerm | STerm) => i = k,
                    Some(SContinue) => i = k + 1,
                    Some(_) => {
                        // SB8: after a full stop, a lower-case letter before
                        // any upper-case letter, terminator or separator
                        // continues the sentence ("e.g. the").
                        let lower_follows = term == ATerm && {
                            let mut m = k;
                            loop {
                                match class(m) {
                                    Some(Lower) => break true,
                                    Some(Upper | Cr | Lf | ATerm | STerm) | None => break false,
                                    _ => m += 1,
                                }
                            }
                        };
                        if !lower_follows {
                            // SB11.
                            emit(start, k);
                            start = k;
                        }
                        i = k;
                    }
                }
            }
            _ => i += 1,
        }
    }
    if start < n {
        emit(start, n);
    }
}

/// Calls `f` with every UAX #29 sentence piece of `text` and its byte
/// offset, untrimmed, exactly as
/// `UnicodeSegmentation::split_sentence_bound_indices` gives them.
///
/// It is faster: a sentence always ends after a line break (rule SB4), so
/// the text is cut into lines first; an ASCII line (most lines of
/// English model output) takes a direct implementation of the rules that
/// can apply to ASCII, and a line with no character that could end a
/// sentence (no `.`, `!`, `?`, `。`, ...: a conservative list of scripts
/// is checked) is one piece without running the segmenter, which is the
/// slowest part of profiling. Property tests check that the result is
/// the segmenter's.
pub fn for_each_sentence_bound<'a>(text: &'a str, mut f: impl FnMut(usize, &'a str)) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if line.is_ascii() {
            ascii_sentence_bounds(line, offset, &mut f);
        } else if body.chars().all(never_ends_sentence) {
            f(offset, line);
        } else {
            for (start, piece) in line.split_sentence_bound_indices() {
                f(offset + start, piece);
            }
        }
        offset += line.len();
    }
}

/// Sentences (UAX #29 sentence boundaries), trimmed, empty ones dropped.
pub fn sentences(text: &str) -> Vec<Token<'_>> {
    let mut pieces = Vec::new();
    for_each_sentence_bound(text, |start, s| {
        let trimmed = s.trim_start();
        let start = start + (s.len() - trimmed.len());
        let trimmed = trimmed.trim_end();
        if !trimmed.is_empty() {
            pieces.push((start, trimmed));
        }
    });
    with_utf16(text, pieces.into_iter())
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
