//! The boundary: the only module that names `wasm_bindgen` / `JsValue`.
//!
//! - this file: the module's life (start, panic recovery), `version`,
//!   `schemaVersion`, `profile`, and the argument and error helpers;
//! - [`workspace`]: samples, the options object, `analyze` and `Workspace`;
//! - [`report`]: the camelCase counterpart of the core's `Report`;
//! - [`text`]: `sharedSpans` and `identityLeaks`.
//!
//! Every export is a thin forward to the core. Arguments arrive as loose
//! JS values and are checked here, so a caller's mistake becomes a JS
//! `Error` with a stable `code` and a message naming the argument, never a
//! panic inside the core. Results leave as serialisable counterparts of the
//! core types (the DTOs below), so the core never learns about JS and the
//! TypeScript declarations are generated from the very structs that are
//! serialised (tsify), not written by hand beside them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::profile as model;
use crate::text::NormalForm;

mod report;
mod text;
mod workspace;

pub use report::Report;
pub use text::{
    identity_leaks, shared_spans, IdentityLeak, LeakClaim, SharedSpan, SharedSpansOptions,
    Utf16Range,
};
pub use workspace::{
    analyze, AddResult, AnalyzeOptions, Delta, InputOptions, LineIssue, PromptId, Sample,
    Workspace, MAX_TEXT_BYTES,
};

/// Upper bounds that keep a typo (an extra zero) from turning into a
/// multi-gigabyte allocation inside a browser tab. The core clamps
/// `max_char_ngram` itself, but a caller who asks for more than it gives
/// should hear so rather than get less silently.
const MAX_MATTR_WINDOW: usize = 100_000;
const MAX_TOP_K: usize = 10_000;
/// The boundary does not offer the core's "0 = no cap" on n-gram tables:
/// a tab's memory is small and shared, and an uncapped table grows with
/// the input.
const MAX_TABLE_ENTRIES: usize = 1 << 24;

#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR: &'static str = r#"
/** Stable codes of the `Error`s the module throws (`error.code`). */
export type LineageErrorCode =
    /** An argument has the wrong type, an unknown field or a value out of range. */
    | "BAD_ARGUMENT"
    /** There is nothing to analyse: no samples, or an input without a single record. */
    | "EMPTY_INPUT"
    /** No line of a JSON Lines input could be read (the first errors are in the message). */
    | "BAD_JSONL"
    /** No record of a CSV input could be read (the first errors are in the message). */
    | "BAD_CSV"
    /** An input, or the workspace, would exceed the module's size limit. */
    | "TOO_LARGE"
    /** A role (suspect, candidate, control) names a source no sample has. */
    | "UNKNOWN_SOURCE"
    /** The roles cannot be analysed (fewer than two candidates, a source in two roles). */
    | "BAD_ROLES"
    /** A bug in Lineage caught as a panic: the module has been reset and stays usable,
     *  but every `Workspace` made before it is gone. Please report it with the input. */
    | "PANIC"
    /** A `Workspace` made before a reset (see `"PANIC"`) was used; make a new one.
     *  Thrown by the package entry (`lineage`), which tracks the resets. */
    | "STALE_WORKSPACE"
    /** A bug in Lineage: please report it with the input that caused it. */
    | "INTERNAL";
/** Every error the module throws is an `Error` with one of these codes. */
export interface LineageError extends Error {
    code: LineageErrorCode;
}
/** Called by `analyze` with the core's stage name and the overall fraction done, in [0, 1]. */
export type ProgressCallback = (stage: string, fraction: number) => void;
"#;

/// Runs once when the module is instantiated (and again after a reset).
#[wasm_bindgen(start)]
fn start() {
    install_panic_hook();
}

/// Makes a panic an `Error` with code `"PANIC"` and the module usable
/// again.
///
/// The release build aborts on panic (wasm has no unwinding there), so a
/// panic would otherwise end in an `unreachable` trap and leave the
/// instance's memory half-updated (a borrowed `Workspace`, a leaked
/// stack), unusable for good. Instead the hook, after the usual console
/// message, asks wasm-bindgen to replace the instance with a fresh one
/// before the next call (`schedule_reinit`, wasm-bindgen 0.2.130's
/// "Handling Aborts"), then throws the JS error itself: a JS exception
/// may unwind wasm frames, so the caller gets a catchable `Error` and the
/// old instance, which is never entered again, needs no cleaning up.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        wasm_bindgen::handler::schedule_reinit();
        let message = match info.payload().downcast_ref::<&str>() {
            Some(s) => (*s).to_string(),
            None => info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "unknown panic".to_string()),
        };
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        wasm_bindgen::throw_val(error(
            "PANIC",
            &format!("internal error (the module has been reset): {message}{location}"),
        ));
    }));
}

/// Panics on purpose, so the tests can check that a panic becomes an
/// `Error` with code `"PANIC"` and that the module works afterwards. Only
/// in builds with the `panic-test` feature, which the release package
/// never enables (`scripts/build-wasm.sh` builds without features).
#[cfg(feature = "panic-test")]
#[wasm_bindgen(js_name = triggerPanicForTest)]
pub fn trigger_panic_for_test(message: String) {
    panic!("{message}");
}

/// Traps without panicking, as an out-of-memory abort or a stack overflow
/// would: the panic hook never runs, so the package entry (index.js) must
/// notice the `RuntimeError` and reset the instance itself. Test builds
/// only, like [`trigger_panic_for_test`].
#[cfg(feature = "panic-test")]
#[wasm_bindgen(js_name = triggerTrapForTest)]
pub fn trigger_trap_for_test() {
    core::arch::wasm32::unreachable()
}

/// Version of the crate (the same string the native CLI reports).
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Version of the `Report` layout (`report.schemaVersion`): it changes
/// when a field is renamed or removed, not when one is added.
#[wasm_bindgen(js_name = schemaVersion)]
pub fn schema_version() -> u32 {
    crate::report::SCHEMA_VERSION
}

/// Stylometric profile of one text.
///
/// Throws a `LineageError` with code `"BAD_ARGUMENT"` when `text` is not a
/// string or `options` is not an object of known, well-typed fields. An
/// empty text is not an error: its profile has zero counts.
#[wasm_bindgen]
pub fn profile(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    options: Option<Ts<ProfileOptions>>,
) -> Result<Ts<Profile>, JsValue> {
    let text = string_arg("profile: text", &text)?;
    let options = profile_options(options.map(JsValue::from))?;
    let profile = Profile::from(&model::Profile::of_text(&text, &options));
    // Serialising plain numbers, strings and vectors cannot fail; should
    // it ever, the caller still gets an Error rather than a trap.
    Ts::from_rust(&profile).map_err(|e| error("INTERNAL", &format!("profile: {e}")))
}

/// The JS names of [`ProfileOptions`]' fields, in declaration order.
const PROFILE_OPTION_FIELDS: &[&str] = &[
    "normalization",
    "stripZeroWidth",
    "maxCharNgram",
    "mattrWindow",
    "topK",
    "maxTableEntries",
];

/// Options of `profile`; every field may be left out.
#[derive(Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ProfileOptions {
    /// Unicode normal form applied before segmenting (default `"nfc"`).
    #[tsify(optional)]
    pub normalization: Option<Normalization>,
    /// Remove zero-width characters before segmenting (default `false`).
    #[tsify(optional)]
    pub strip_zero_width: Option<bool>,
    /// Largest character n-gram counted, 0..=16 (default 5; 0 counts none).
    #[tsify(optional)]
    pub max_char_ngram: Option<usize>,
    /// Window of the moving-average type-token ratio in words (default 100).
    #[tsify(optional)]
    pub mattr_window: Option<usize>,
    /// How many of the most frequent word n-grams to return (default 20).
    #[tsify(optional)]
    pub top_k: Option<usize>,
    /// Most items any one n-gram table may hold before its rarest items
    /// are dropped (`pruned` in the result), 1..=16777216 (default 524288).
    #[tsify(optional)]
    pub max_table_entries: Option<usize>,
}

/// Unicode normal form: `"nfc"` changes no visible character, `"nfkc"`
/// also folds compatibility forms (full-width letters, ligatures),
/// `"none"` leaves the text as it is.
#[derive(Debug, Clone, Copy, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Normalization {
    Nfc,
    Nfkc,
    None,
}

/// The profile of a text, as the page and JS callers see it. Hashed
/// n-gram tables stay inside the module; their sizes come out instead.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(hashmap_as_object)]
pub struct Profile {
    pub texts: usize,
    /// UTF-8 bytes of the normalised text.
    pub bytes: usize,
    /// Unicode scalar values of the normalised text.
    pub chars: usize,
    pub graphemes: usize,
    pub words: usize,
    pub sentences: usize,
    pub paragraphs: usize,
    /// Distinct word n-grams, n = 1, 2, 3 (index 0 = unigrams).
    pub distinct_word_ngrams: Vec<usize>,
    /// Distinct character n-grams, n = 1..=maxCharNgram (index 0 = n 1).
    pub distinct_char_ngrams: Vec<usize>,
    /// The most frequent case-folded word n-grams, with counts.
    pub top_word_ngrams: TopWordNgrams,
    /// `wordLengths[i]` = words of i+1 characters (the last bucket is "longer").
    pub word_lengths: Vec<u32>,
    /// `sentenceLengths[i]` = sentences of i+1 words (the last bucket is "longer").
    pub sentence_lengths: Vec<u32>,
    pub richness: Richness,
    /// Punctuation marks per 1000 tokens (words + punctuation), by mark.
    pub punctuation_per_1000: BTreeMap<String, f64>,
    /// Raw counts of the punctuation marks behind `punctuationPer1000`.
    pub punctuation_counts: BTreeMap<String, u32>,
    /// Punctuation marks in all (the sum of `punctuationCounts`).
    pub punctuation_tokens: usize,
    pub markdown: Markdown,
    pub emoji: usize,
    pub emoji_per_1000_words: f64,
    /// First words of each text (up to 3, case-folded), with counts.
    pub opening_words: Vec<Counted>,
    /// Last sentence of each text, with counts.
    pub closing_sentences: Vec<Counted>,
    /// True when an n-gram table reached `maxTableEntries` and its rarest
    /// items were dropped (distinct counts are then lower bounds).
    pub pruned: bool,
}

/// The most frequent word n-grams by length.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct TopWordNgrams {
    pub unigrams: Vec<Counted>,
    pub bigrams: Vec<Counted>,
    pub trigrams: Vec<Counted>,
}

/// A string with the number of times it occurred.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Counted {
    pub text: String,
    pub count: u32,
}

/// Vocabulary richness measures.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Richness {
    pub type_token_ratio: f64,
    /// Moving-average type-token ratio over `mattrWindow` words.
    pub mattr: f64,
    /// Share of word types that occur once.
    pub hapax_ratio: f64,
    /// Yule's K (lower = richer vocabulary), independent of text length.
    pub yules_k: f64,
}

/// Markdown structure counts.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Markdown {
    pub headings: usize,
    pub bullet_items: usize,
    pub numbered_items: usize,
    pub bold: usize,
    pub italic: usize,
    pub code_fences: usize,
    /// Table rows, header included, delimiter rows excluded.
    pub table_rows: usize,
    /// `[text](url)` links and bare URLs.
    pub links: usize,
    pub tables: usize,
    pub inline_code: usize,
    /// Lines inside a block quote (`>`).
    pub quoted_lines: usize,
    /// Thematic breaks (`---`).
    pub rules: usize,
}

impl From<&model::Profile> for Profile {
    fn from(p: &model::Profile) -> Self {
        let counted = |items: &[(String, u32)]| -> Vec<Counted> {
            items
                .iter()
                .map(|(text, count)| Counted {
                    text: text.clone(),
                    count: *count,
                })
                .collect()
        };
        Profile {
            texts: p.texts,
            bytes: p.bytes,
            chars: p.chars,
            graphemes: p.graphemes,
            words: p.words,
            sentences: p.sentences,
            paragraphs: p.paragraphs,
            distinct_word_ngrams: p.word_ngrams.iter().map(BTreeMap::len).collect(),
            distinct_char_ngrams: p.char_ngrams.iter().map(BTreeMap::len).collect(),
            top_word_ngrams: TopWordNgrams {
                unigrams: counted(&p.top_word_ngrams[0]),
                bigrams: counted(&p.top_word_ngrams[1]),
                trigrams: counted(&p.top_word_ngrams[2]),
            },
            word_lengths: p.word_lengths.clone(),
            sentence_lengths: p.sentence_lengths.clone(),
            richness: Richness {
                type_token_ratio: p.richness.type_token_ratio,
                mattr: p.richness.mattr,
                hapax_ratio: p.richness.hapax_ratio,
                yules_k: p.richness.yules_k,
            },
            punctuation_per_1000: p.punctuation_per_1000.clone(),
            markdown: Markdown {
                headings: p.markdown.headings,
                bullet_items: p.markdown.bullet_items,
                numbered_items: p.markdown.numbered_items,
                bold: p.markdown.bold,
                italic: p.markdown.italic,
                code_fences: p.markdown.code_fences,
                table_rows: p.markdown.table_rows,
                links: p.markdown.links,
                tables: p.markdown.tables,
                inline_code: p.markdown.inline_code,
                quoted_lines: p.markdown.quoted_lines,
                rules: p.markdown.rules,
            },
            punctuation_counts: p.punctuation_counts.clone(),
            punctuation_tokens: p.punctuation_tokens,
            pruned: p.pruned,
            emoji: p.emoji,
            emoji_per_1000_words: p.emoji_per_1000_words,
            opening_words: counted(&p.opening_words),
            closing_sentences: counted(&p.closing_sentences),
        }
    }
}

/// Reads and checks the options object; `undefined` and `null` mean
/// "all defaults".
fn profile_options(options: Option<JsValue>) -> Result<model::ProfileOptions, JsValue> {
    let mut out = model::ProfileOptions::default();
    let Some(options) = options_object("profile", "options", options, PROFILE_OPTION_FIELDS)?
    else {
        return Ok(out);
    };
    let field = |name: &str| format!("profile: options.{name}");
    // Field by field, so the message names the field that is wrong.
    let parsed = ProfileOptions {
        normalization: field_of(&options, "normalization", &field)?,
        strip_zero_width: field_of(&options, "stripZeroWidth", &field)?,
        max_char_ngram: field_of(&options, "maxCharNgram", &field)?,
        mattr_window: field_of(&options, "mattrWindow", &field)?,
        top_k: field_of(&options, "topK", &field)?,
        max_table_entries: field_of(&options, "maxTableEntries", &field)?,
    };
    if let Some(form) = parsed.normalization {
        out.normalize.form = match form {
            Normalization::Nfc => NormalForm::Nfc,
            Normalization::Nfkc => NormalForm::Nfkc,
            Normalization::None => NormalForm::None,
        };
    }
    if let Some(strip) = parsed.strip_zero_width {
        out.normalize.strip_zero_width = strip;
    }
    let range = |name: &str, v: usize, min: usize, max: usize| in_range(&field(name), v, min, max);
    if let Some(n) = parsed.max_char_ngram {
        out.max_char_ngram = range("maxCharNgram", n, 0, model::MAX_CHAR_NGRAM)?;
    }
    if let Some(w) = parsed.mattr_window {
        out.mattr_window = range("mattrWindow", w, 1, MAX_MATTR_WINDOW)?;
    }
    if let Some(k) = parsed.top_k {
        out.top_k = range("topK", k, 0, MAX_TOP_K)?;
    }
    if let Some(m) = parsed.max_table_entries {
        out.max_table_entries = range("maxTableEntries", m, 1, MAX_TABLE_ENTRIES)?;
    }
    Ok(out)
}

/// Checks that an options argument is a plain object whose keys are all
/// in `fields`; `None`, `undefined` and `null` read as "no options".
/// `func` and `arg` name the argument in the error message.
fn options_object(
    func: &str,
    arg: &str,
    value: Option<JsValue>,
    fields: &[&str],
) -> Result<Option<JsValue>, JsValue> {
    let Some(value) = value.filter(|o| !o.is_undefined() && !o.is_null()) else {
        return Ok(None);
    };
    // serde would accept an array as a sequence of fields; an options
    // "object" that is an array or a primitive is a caller's mistake.
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(bad_argument(&format!(
            "{func}: {arg} must be an object, got {}",
            js_type_name(&value)
        )));
    }
    // serde-wasm-bindgen reads only the fields a struct names, so
    // `deny_unknown_fields` never fires; a misspelt option would be
    // silently ignored. Check the keys here instead.
    let keys = js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>());
    for key in keys.iter().filter_map(|k| k.as_string()) {
        if !fields.contains(&key.as_str()) {
            return Err(bad_argument(&format!(
                "{func}: unknown option `{key}`, expected one of {}",
                fields.join(", ")
            )));
        }
    }
    Ok(Some(value))
}

/// `object[name]` read as a `T`; `undefined` and `null` read as `None`.
/// `label(name)` is how the error message names the field
/// ("profile: options.topK").
fn field_of<T: serde::de::DeserializeOwned>(
    object: &JsValue,
    name: &str,
    label: &dyn Fn(&str) -> String,
) -> Result<Option<T>, JsValue> {
    let value = js_sys::Reflect::get(object, &name.into()).unwrap_or(JsValue::UNDEFINED);
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        // The error is a JS Error whose message is serde's description
        // ("invalid type: string \"3\", expected usize").
        let reason = JsValue::from(e)
            .dyn_into::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|v| format!("{v:?}"));
        bad_argument(&format!("{}: {reason}", label(name)))
    })
}

/// `value` if it is within `min..=max`; otherwise a `BAD_ARGUMENT` naming
/// the field (`label`, e.g. "profile: options.topK").
fn in_range<T: PartialOrd + std::fmt::Display>(
    label: &str,
    value: T,
    min: T,
    max: T,
) -> Result<T, JsValue> {
    if value >= min && value <= max {
        Ok(value)
    } else {
        Err(bad_argument(&format!(
            "{label} must be between {min} and {max}, got {value}"
        )))
    }
}

/// A string argument, or a `BAD_ARGUMENT` naming it (`label`).
fn string_arg(label: &str, value: &JsValue) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        bad_argument(&format!(
            "{label} must be a string, got {}",
            js_type_name(value)
        ))
    })
}

/// Serialises a DTO the way its tsify type declares it: `None` as
/// `undefined` (tsify's `T | undefined`) and maps as plain objects, never
/// ES `Map`s.
fn to_js<T: Serialize>(func: &str, value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    // Plain numbers, strings and vectors cannot fail to serialise; should
    // it ever happen, the caller still gets an Error rather than a trap.
    value
        .serialize(&serializer)
        .map_err(|e| error("INTERNAL", &format!("{func}: {e}")))
}

fn bad_argument(message: &str) -> JsValue {
    error("BAD_ARGUMENT", message)
}

/// A JS `Error` carrying a stable `code` (one of `LineageErrorCode`).
fn error(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    // Setting a property on a fresh Error object cannot fail; if it ever
    // did, the Error without its code is still the right thing to throw.
    let _ = js_sys::Reflect::set(&error, &"code".into(), &code.into());
    error.into()
}

/// `typeof value`, except that `null` and arrays are named as such, which
/// is what a reader of the error message needs.
fn js_type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_string()
    } else if js_sys::Array::is_array(value) {
        "array".to_string()
    } else {
        value
            .js_typeof()
            .as_string()
            .unwrap_or_else(|| "unknown".to_string())
    }
}
