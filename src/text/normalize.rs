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
//!   SOFT HYPHEN and U+180E MONGOLIAN VOWEL SEPARATOR. Note that it also
//!   breaks emoji ZWJ sequences (a family emoji becomes its members) and
//!   removes the ZWNJ that Persian spelling uses; that is the price of
//!   seeing through hidden separators.
//!
//! Nothing else is touched: control characters, NUL and private-use
//! characters pass through, so offsets stay meaningful and no input can
//! make normalisation fail.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Which Unicode normal form to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
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
        '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}' | '\u{180e}'
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
    let text = text.trim_start_matches('\u{feff}');
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
