//! `sharedSpans` and `identityLeaks`: the two signals a page can show on a
//! single pair of texts, with offsets in UTF-16 code units so that
//! `text.slice(startUtf16, endUtf16)` is the passage.

use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use super::{field_of, in_range, options_object, string_arg, to_js};
use crate::signals::{identity, overlap};

/// Longest k-gram and widest winnowing window a caller may ask for; more
/// would only make the matcher slower without finding anything new.
const MAX_MIN_WORDS: usize = 64;
const MAX_WINDOW: usize = 64;

const SHARED_SPANS_FIELDS: &[&str] = &["minWords", "window"];

/// Options of `sharedSpans`; every field may be left out.
#[derive(Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SharedSpansOptions {
    /// Words of the shortest passage that counts as shared, 1..=64 (default 5).
    #[tsify(optional)]
    pub min_words: Option<usize>,
    /// Winnowing window in k-grams, 1..=64 (default 4): every shared
    /// passage of at least `minWords + window - 1` words is guaranteed to
    /// be found; shorter ones may be.
    #[tsify(optional)]
    pub window: Option<usize>,
}

/// A stretch of a JS string: `text.slice(startUtf16, endUtf16)`.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Utf16Range {
    /// First UTF-16 code unit.
    pub start_utf16: usize,
    /// One past the last UTF-16 code unit.
    pub end_utf16: usize,
}

impl From<crate::text::Span> for Utf16Range {
    fn from(span: crate::text::Span) -> Self {
        Utf16Range {
            start_utf16: span.start_utf16,
            end_utf16: span.end_utf16,
        }
    }
}

/// A maximal passage two texts share word for word (case-folded).
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SharedSpan {
    /// Where the passage is in the first text.
    pub a: Utf16Range,
    /// Where the passage is in the second text.
    pub b: Utf16Range,
    /// Its length in words.
    pub words: usize,
    /// The passage as written in the first text.
    pub text: String,
}

/// A sentence in which a text presents itself as a model or names its maker.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct IdentityLeak {
    /// The sentence as written.
    pub sentence: String,
    /// Where the sentence is in the text.
    pub span: Utf16Range,
    /// What it claims, in order of appearance, each entity once.
    pub claims: Vec<LeakClaim>,
    /// ISO 639-1 code of the sentence's language ("en", "uk", "ru", "zh"),
    /// or "und" for any other.
    pub language: String,
}

/// One thing a leaking sentence claims to be or to come from.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct LeakClaim {
    /// Canonical name ("ChatGPT", "OpenAI"; "AI language model" for a generic claim).
    pub entity: String,
    /// The vendor behind the entity; empty for a generic claim.
    pub vendor: String,
    pub kind: ClaimKind,
}

/// What a claim names: a model or product, a vendor, or nobody in particular.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum ClaimKind {
    Model,
    Vendor,
    Generic,
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
    let mut opts = overlap::OverlapOptions::default();
    if let Some(o) = options_object("sharedSpans", "options", options, SHARED_SPANS_FIELDS)? {
        let label = |name: &str| format!("sharedSpans: options.{name}");
        if let Some(k) = field_of::<usize>(&o, "minWords", &label)? {
            opts.k = in_range(&label("minWords"), k, 1, MAX_MIN_WORDS)?;
        }
        if let Some(w) = field_of::<usize>(&o, "window", &label)? {
            opts.window = in_range(&label("window"), w, 1, MAX_WINDOW)?;
        }
    }
    let spans: Vec<SharedSpan> =
        overlap::shared_spans(&a, &b, &opts, &overlap::Boilerplate::none())
            .into_iter()
            .map(|s| SharedSpan {
                a: s.a.into(),
                b: s.b.into(),
                words: s.words,
                text: s.text,
            })
            .collect();
    to_js("sharedSpans", &spans)
}

/// Sentences in which `text` presents itself as a model or names its
/// maker ("As an AI developed by OpenAI…", "Я — ChatGPT"), in order.
#[wasm_bindgen(js_name = identityLeaks, unchecked_return_type = "IdentityLeak[]")]
pub fn identity_leaks(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<JsValue, JsValue> {
    let text = string_arg("identityLeaks: text", &text)?;
    let leaks: Vec<IdentityLeak> = identity::find_leaks(&text)
        .into_iter()
        .map(|l| IdentityLeak {
            sentence: l.sentence,
            span: l.span.into(),
            claims: l
                .claims
                .into_iter()
                .map(|c| LeakClaim {
                    entity: c.entity,
                    vendor: c.vendor,
                    kind: match c.kind {
                        identity::ClaimKind::Model => ClaimKind::Model,
                        identity::ClaimKind::Vendor => ClaimKind::Vendor,
                        identity::ClaimKind::Generic => ClaimKind::Generic,
                    },
                })
                .collect(),
            language: l.language.code().to_string(),
        })
        .collect();
    to_js("identityLeaks", &leaks)
}
