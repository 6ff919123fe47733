//! `sharedSpans` and `identityLeaks`: the two signals a page can show on a
//! single pair of texts, with offsets in UTF-16 code units so that
//! `text.slice(startUtf16, endUtf16)` is the passage.

use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use super::{from_js, string_arg, to_js};
use crate::error::{Error, ErrorKind};
use crate::signals::{identity, overlap};
use crate::text::Span;

/// Options of `sharedSpans`; every field may be left out.
#[derive(Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SharedSpansOptions {
    /// Words of the shortest passage that counts as shared, 1..=64 (default 5).
    pub min_words: Option<usize>,
    /// Winnowing window in k-grams, 1..=64 (default 4): every shared
    /// passage of at least `minWords + window - 1` words is guaranteed to
    /// be found; shorter ones may be.
    pub window: Option<usize>,
}

/// A maximal passage two texts share word for word (case-folded).
#[derive(Debug, Serialize, Tsify)]
pub struct SharedSpan {
    /// Where the passage is in the first text.
    pub a: Span,
    /// Where the passage is in the second text.
    pub b: Span,
    /// Its length in words.
    pub words: usize,
    /// The passage as written in the first text.
    pub text: String,
}

/// The passages two texts share, longest first, with UTF-16 offsets into
/// each. Texts shorter than `minWords` words share nothing (an empty
/// array, not an error).
#[wasm_bindgen(js_name = sharedSpans, unchecked_return_type = "SharedSpan[]")]
pub fn shared_spans(
    #[wasm_bindgen(unchecked_param_type = "string")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] b: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SharedSpansOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let a = string_arg("sharedSpans: a", &a)?;
    let b = string_arg("sharedSpans: b", &b)?;
    let o: SharedSpansOptions = from_js("sharedSpans", "options", options)?;
    let mut opts = overlap::OverlapOptions::default();
    // Longer k-grams or wider windows would only slow the matcher down.
    for (name, value, into) in [
        ("minWords", o.min_words, &mut opts.k),
        ("window", o.window, &mut opts.window),
    ] {
        match value {
            Some(v @ 1..=64) => *into = v,
            Some(v) => {
                return Err(super::js_error(Error::new(
                    ErrorKind::BadArgument,
                    format!("sharedSpans: options.{name} must be between 1 and 64, got {v}"),
                )))
            }
            None => {}
        }
    }
    let spans: Vec<SharedSpan> =
        overlap::shared_spans(&a, &b, &opts, &overlap::Boilerplate::none())
            .into_iter()
            .map(|s| SharedSpan {
                a: s.a,
                b: s.b,
                words: s.words,
                text: s.text,
            })
            .collect();
    to_js(&spans)
}

/// Sentences in which `text` presents itself as a model or names its
/// maker ("As an AI developed by OpenAI…", "Я — ChatGPT"), in order.
#[wasm_bindgen(js_name = identityLeaks, unchecked_return_type = "Leak[]")]
pub fn identity_leaks(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<JsValue, JsValue> {
    let text = string_arg("identityLeaks: text", &text)?;
    to_js(&identity::find_leaks(&text))
}
