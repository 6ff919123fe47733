//! Normalisation applied before any text is segmented.
//!
//! Two texts that a reader sees as the same should profile the same, so
//! every text goes through [`normalize`] first:
//!
//! - leading byte-order marks (U+FEFF) are removed;
//! - line endings are unified: CRLF and a lone CR both become LF;
//! - the Unicode normal form is applied, NFC by default
//!   ([`NormalForm::Nfc`]): a precomposed `é` and `e` + U+0301 become the
//!   same character, and no visible character changes.
//!
//! Two optional steps exist for texts that may have been altered on
//! purpose to evade detection (a later issue uses them):
//!
//! - [`NormalForm::Nfkc`] also folds compatibility variants: full-width
//!   Latin (`ＡＢＣ`), ligatures (`ﬁ`), superscripts, circled digits and the
//!   like become their plain forms. It changes what a reader sees, which
//!   is why it is not the default.
//! - [`NormalizeOptions::strip_zero_width`] removes invisible characters
//!   that split words without showing: U+200B ZERO WIDTH SPACE, U+200C
//!   ZERO WIDTH NON-JOINER, U+200D ZERO WIDTH JOINER, U+2060 WORD JOINER,
//!   U+2061..U+2064 (invisible operators), U+FEFF inside the text, U+00AD
//!   SOFT HYPHEN, U+180E MONGOLIAN VOWEL SEPARATOR, the bidirectional
//!   marks and controls (U+200E, U+200F, U+061C, U+202A..U+202E,
//!   U+2066..U+2069), U+034F COMBINING GRAPHEME JOINER, the variation
//!   selectors U+FE00..U+FE0F and the tag characters U+E0000..U+E007F.
//!   Note that it also breaks emoji ZWJ sequences (a family emoji becomes
//!   its members), drops emoji presentation selectors and removes the ZWNJ
//!   that Persian spelling uses; that is the price of seeing through
//!   hidden separators. Verbatim-overlap matching always uses it (with
//!   NFKC), whatever the profile's options.
//!
//! Nothing else is touched: control characters, NUL and private-use
//! characters pass through, so offsets stay meaningful and no input can
//! make normalisation fail.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Which Unicode normal form to apply (`"nfc"`, `"nfkc"` or `"none"` in JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum NormalForm {
    /// Canonical composition (the default): changes no visible character.
    #[default]
    Nfc,
    /// Compatibility composition: folds full-width forms, ligatures and the like.
    Nfkc,
    /// Leave the text as it is.
    None,
}

/// Options for [`normalize`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct NormalizeOptions {
    pub form: NormalForm,
    /// Remove zero-width and other invisible word-splitting characters
    /// (see the module documentation for the exact list).
    pub strip_zero_width: bool,
}

/// True for the invisible characters that [`NormalizeOptions::strip_zero_width`] removes.
pub fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061c}'
            | '\u{034f}'
            | '\u{feff}'
            | '\u{00ad}'
            | '\u{180e}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// Strips leading BOMs, turns CRLF and lone CR into LF and applies the
/// normal form (and, if asked, removes zero-width characters).
///
/// ```
/// use lineage::text::{normalize, NormalizeOptions};
/// let text = "\u{feff}Cafe\u{301}\r\nbar\rbaz";
/// assert_eq!(normalize(text, &NormalizeOptions::default()), "Café\nbar\nbaz");
/// ```
pub fn normalize(text: &str, options: &NormalizeOptions) -> String {
    normalize_cow(text, options).into_owned()
}

/// Like [`normalize`], but borrows the input when it is already normal,
/// which is the common case (plain ASCII or NFC text with LF endings) and
/// saves a copy of every text on the profiling hot path.
pub fn normalize_cow<'a>(text: &'a str, options: &NormalizeOptions) -> Cow<'a, str> {
    // All leading BOMs go (a text pasted together from files can have
    // several), which also keeps normalisation idempotent.
    normalize_body(text.trim_start_matches('\u{feff}'), options)
}

/// Everything [`normalize_cow`] does except stripping leading BOMs.
fn normalize_body<'a>(text: &'a str, options: &NormalizeOptions) -> Cow<'a, str> {
    let needs_rewrite =
        text.contains('\r') || (options.strip_zero_width && text.chars().any(is_zero_width));
    let unified: Cow<'a, str> = if needs_rewrite {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    out.push('\n');
                }
                c if options.strip_zero_width && is_zero_width(c) => {}
                c => out.push(c),
            }
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    };
    // The quick checks answer "yes" for almost every real text without
    // allocating; only "no" or "maybe" pay for the full algorithm.
    match options.form {
        NormalForm::Nfc => {
            if unified.is_ascii() || is_nfc_quick(unified.chars()) == IsNormalized::Yes {
                unified
            } else {
                Cow::Owned(unified.nfc().collect())
            }
        }
        NormalForm::Nfkc => {
            if unified.is_ascii() || is_nfkc_quick(unified.chars()) == IsNormalized::Yes {
                unified
            } else {
                Cow::Owned(unified.nfkc().collect())
            }
        }
        NormalForm::None => unified,
    }
}

/// A normalised text that remembers where each of its parts came from in
/// the original, so that a span found in the normalised text (a shared
/// phrase, an identity leak) can be shown in the text the person pasted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalized {
    /// The normalised text, the same as [`normalize`] gives.
    pub text: String,
    /// Pieces in order: where each starts in the normalised text, the
    /// original range it came from, and whether it is an unchanged copy
    /// (then offsets map one to one inside it).
    segments: Vec<Segment>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    start: usize,
    original_start: usize,
    original_end: usize,
    copied: bool,
}

impl Normalized {
    fn segment(&self, byte: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.start <= byte);
        self.segments.get(i.checked_sub(1)?)
    }

    /// Original byte offset of the *start* of a span that begins at
    /// normalised byte `byte`: inside a changed piece (a composed accent,
    /// a CRLF, a removed zero-width character, a folded full-width
    /// letter) it is the piece's start. Offsets past the end are clamped.
    pub fn original_start(&self, byte: usize) -> usize {
        match self.segment(byte) {
            Some(s) if s.copied => (s.original_start + (byte - s.start)).min(s.original_end),
            Some(s) => s.original_start,
            None => self.segments.last().map_or(0, |s| s.original_end),
        }
    }

    /// Original byte offset of the *end* of a span that ends at normalised
    /// byte `byte`: inside a changed piece it is the piece's end, so the
    /// original span covers everything the normalised one came from.
    pub fn original_end(&self, byte: usize) -> usize {
        match self.segment(byte) {
            Some(s) if s.copied => (s.original_start + (byte - s.start)).min(s.original_end),
            Some(s) if byte == s.start => s.original_start,
            Some(s) => s.original_end,
            None => self.segments.last().map_or(0, |s| s.original_end),
        }
    }

    /// The original byte range of the normalised range `start..end`.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let a = self.original_start(start);
        (a, self.original_end(end).max(a))
    }
}

/// True when normalisation cannot join `c` to what comes before it, so
/// the text before `c` and the text from `c` on can be normalised apart:
/// the first character of `c`'s decomposition is a starter (combining
/// class 0) that never composes with a preceding character ("yes" in the
/// quick-check table; the "maybe" characters are those that do).
fn starts_segment(c: char, form: NormalForm) -> bool {
    use unicode_normalization::char::{
        canonical_combining_class, decompose_canonical, decompose_compatible,
    };
    let mut first = None;
    let mut keep_first = |d: char| {
        first.get_or_insert(d);
    };
    match form {
        NormalForm::None => return true,
        NormalForm::Nfc => decompose_canonical(c, &mut keep_first),
        NormalForm::Nfkc => decompose_compatible(c, &mut keep_first),
    }
    let Some(d) = first else {
        return true;
    };
    let once = std::iter::once(d);
    let quick = match form {
        NormalForm::Nfkc => is_nfkc_quick(once),
        _ => is_nfc_quick(once),
    };
    canonical_combining_class(d) == 0 && quick == IsNormalized::Yes
}

/// [`normalize`] with the map back to the original (see [`Normalized`]).
///
/// ```
/// use lineage::text::{normalize_with_offsets, NormalizeOptions};
/// let original = "\u{feff}Cafe\u{301}\r\nbar";
/// let n = normalize_with_offsets(original, &NormalizeOptions::default());
/// assert_eq!(n.text, "Café\nbar");
/// let (a, b) = n.original_span(0, "Café".len());
/// assert_eq!(&original[a..b], "Cafe\u{301}");
/// ```
pub fn normalize_with_offsets(original: &str, options: &NormalizeOptions) -> Normalized {
    let body_start = original.len() - original.trim_start_matches('\u{feff}').len();
    let body = &original[body_start..];
    let mut text = String::with_capacity(body.len());
    let mut segments: Vec<Segment> = Vec::new();
    let mut push_segment = |start: usize, end: usize| {
        let segment = &body[start..end];
        let out = normalize_body(segment, options);
        let copied = out == segment;
        let (original_start, original_end) = (body_start + start, body_start + end);
        match segments.last_mut() {
            // Neighbouring unchanged pieces are one piece.
            Some(last) if copied && last.copied && last.original_end == original_start => {
                last.original_end = original_end;
            }
            _ => segments.push(Segment {
                start: text.len(),
                original_start,
                original_end,
                copied,
            }),
        }
        text.push_str(&out);
    };
    let mut segment_start = 0;
    let mut previous = None;
    for (i, c) in body.char_indices() {
        // CRLF is one unit: cutting between CR and LF would make two line breaks.
        let joins_crlf = previous == Some('\r') && c == '\n';
        // A character that is stripped never starts a segment: the marks
        // after it combine with what came before it, as in `normalize`
        // ("y", U+FEFF, U+0301 is "ý" once U+FEFF is gone).
        let stripped = options.strip_zero_width && is_zero_width(c);
        if i > segment_start && !joins_crlf && !stripped && starts_segment(c, options.form) {
            push_segment(segment_start, i);
            segment_start = i;
        }
        previous = Some(c);
    }
    push_segment(segment_start, body.len());
    Normalized { text, segments }
}
