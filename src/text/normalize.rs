//! Normalisation applied before any text is segmented.

use unicode_normalization::UnicodeNormalization;

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
    /// Remove zero-width characters (U+200B..U+200D, U+2060, U+FEFF inside text).
    pub strip_zero_width: bool,
}

/// Strips a leading BOM, turns CRLF and lone CR into LF and applies the
/// normal form.
pub fn normalize(text: &str, options: &NormalizeOptions) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut unified = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                unified.push('\n');
            }
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
                if options.strip_zero_width => {}
            c => unified.push(c),
        }
    }
    match options.form {
        NormalForm::Nfc => unified.nfc().collect(),
        NormalForm::Nfkc => unified.nfkc().collect(),
        NormalForm::None => unified,
    }
}
