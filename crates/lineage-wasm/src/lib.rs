//! The boundary: the only module that names `wasm_bindgen` / `JsValue`.
//! Here: the module's life (start, panic recovery), `version`, `schemaVersion`,
//! `profile`, `reportMarkdown`, `reportHtml`, the options' defaults and ranges,
//! and the conversions every export uses ([`from_js`], [`to_js`], [`js_error`]);
//! then [`workspace`] (`analyze`, `Workspace`), [`text`] (`sharedSpans`,
//! `identityLeaks`) and [`panel`] (`addPanel`, `panelText`). Every export is a
//! thin forward to the core: its own types cross, with TypeScript declarations
//! derived from them (tsify); errors are [`lineage::Error`], whose kind is `code`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use lineage::error::{Error, ErrorKind};
use lineage::options;

mod panel;
mod text;
mod workspace;

pub use panel::panel_text;
pub use text::{identity_leaks, shared_spans};
pub use workspace::{analyze, analyze_with, count_items, cross_validation, preflight, Workspace};

#[wasm_bindgen(typescript_custom_section)]
const TS_EXTRA: &'static str = r#"
/** Every error the module throws is an `Error` with one of these codes. */
export interface LineageError extends Error {
    code: LineageErrorCode;
}
/** Called with the core's stage name and the overall fraction done, in [0, 1]. */
export type ProgressCallback = (stage: string, fraction: number) => void;
/** The roles of the sources, then any analysis parameter (the rest keep their defaults). */
export type AnalyzeOptions = Roles & Partial<AnalysisOptions>;
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
/// instance's memory half-updated, unusable for good. Instead the hook,
/// after the usual console message, asks wasm-bindgen to replace the
/// instance with a fresh one before the next call (`schedule_reinit`,
/// wasm-bindgen 0.2.130's "Handling Aborts"), then throws the JS error
/// itself: a JS exception may unwind wasm frames, so the caller gets a
/// catchable `Error` and the old instance is never entered again.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        wasm_bindgen::handler::schedule_reinit();
        wasm_bindgen::throw_val(js_error(Error::panic(info.payload(), info.location())));
    }));
}

/// Panics on purpose, so the tests can check that a panic becomes an
/// `Error` with code `"PANIC"`. Only in builds with the `panic-test`
/// feature, which the release package never enables.
#[cfg(feature = "panic-test")]
#[wasm_bindgen(js_name = triggerPanicForTest)]
pub fn trigger_panic_for_test(message: String) {
    panic!("{message}");
}

/// Traps without panicking, as an out-of-memory abort would: the package
/// entry (index.js) must notice and reset the instance. Test builds only.
#[cfg(feature = "panic-test")]
#[wasm_bindgen(js_name = triggerTrapForTest)]
pub fn trigger_trap_for_test() {
    core::arch::wasm32::unreachable()
}

/// Version of the crate (the same string the native CLI reports).
#[wasm_bindgen]
pub fn version() -> String {
    lineage::VERSION.to_string()
}

/// Version of the `Report` layout (`report.schemaVersion`): it changes
/// when a field is renamed or removed, not when one is added.
#[wasm_bindgen(js_name = schemaVersion)]
pub fn schema_version() -> u32 {
    lineage::report::SCHEMA_VERSION
}

/// The analysis parameters' defaults (what `analyze` uses for a parameter
/// left out), for a page's settings form.
#[wasm_bindgen(js_name = analysisDefaults, unchecked_return_type = "AnalysisOptions")]
pub fn analysis_defaults() -> Result<JsValue, JsValue> {
    to_js(&lineage::analysis::AnalysisOptions::default())
}

/// The file extensions the readers take (lower case, no dot: "jsonl",
/// "csv", ...), each of them also gzipped; the one list the CLI and the
/// page's file pickers use too.
#[wasm_bindgen(js_name = inputExtensions, unchecked_return_type = "string[]")]
pub fn input_extensions() -> Result<JsValue, JsValue> {
    to_js(&lineage::corpus::Format::extensions())
}

/// The allowed range of every numeric analysis parameter.
#[wasm_bindgen(js_name = optionRanges, unchecked_return_type = "OptionRange[]")]
pub fn option_ranges() -> Result<JsValue, JsValue> {
    to_js(&lineage::parameters::RANGES)
}

/// Stylometric profile of one text. Throws `BAD_ARGUMENT` when `text` is
/// not a string or `options` is not an object of known, well-typed fields
/// in range. An empty text is not an error: its profile has zero counts.
#[wasm_bindgen(unchecked_return_type = "Profile")]
pub fn profile(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ProfileOptions | null")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let text = string_arg("profile: text", &text)?;
    let options = options_arg::<lineage::profile::json::ProfileArgs>("profile", options)?;
    to_js(&lineage::profile::Profile::of_text(&text, &options))
}

type Text = Result<String, JsValue>;

/// The report as Markdown, the same document as `lineage analyze --format md`.
#[wasm_bindgen(js_name = reportMarkdown)]
pub fn report_markdown(#[wasm_bindgen(unchecked_param_type = "Report")] r: JsValue) -> Text {
    Ok(from_js::<lineage::report::Report>("reportMarkdown", "report", Some(r))?.to_markdown())
}

/// The report as one self-contained HTML file, as `lineage analyze --format html`.
#[wasm_bindgen(js_name = reportHtml)]
pub fn report_html(#[wasm_bindgen(unchecked_param_type = "Report")] r: JsValue) -> Text {
    Ok(from_js::<lineage::report::Report>("reportHtml", "report", Some(r))?.to_html())
}

/// Reads a JS argument as a `T` through JSON values, so that serde sees
/// every key: an unknown field is refused (`deny_unknown_fields`) rather
/// than silently ignored, and a wrong field is named
/// ("profile: options.topK: invalid type ..."). `undefined` and `null`,
/// as the whole argument or as a field, read as "left out".
fn from_js<T: DeserializeOwned>(
    func: &str,
    arg: &str,
    value: Option<JsValue>,
) -> Result<T, JsValue> {
    let label = format!("{func}: {arg}");
    let value = json_of(&label, value.unwrap_or(JsValue::NULL))?;
    options::from_value(&label, value).map_err(js_error)
}

/// The `options` argument of `func` as the core's options (defaults,
/// ranges and messages are the core's [`options::OptionArgs`]).
fn options_arg<A: options::OptionArgs>(
    func: &str,
    v: Option<JsValue>,
) -> Result<A::Options, JsValue> {
    let context = |e: Error| js_error(e.context(&format!("{func}: options")));
    from_js::<A>(func, "options", v)?
        .to_options()
        .map_err(context)
}

/// A JS value as JSON values (`undefined` as `null`).
fn json_of<T: DeserializeOwned>(label: &str, value: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| bad_argument(&format!("{label}: {}", js_message(e.into()))))
}

/// Serialises a core value the way its tsify type declares it: `None` as
/// `null` (as in the CLI's JSON) and maps as plain objects, never `Map`s.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    // Plain numbers, strings and vectors cannot fail to serialise; should
    // it ever happen, the caller still gets an Error rather than a trap.
    value
        .serialize(&serializer)
        .map_err(|e| js_error(Error::new(ErrorKind::Internal, js_message(e.into()))))
}

/// A JS `Error` whose `code` is the error's kind (one `LineageErrorCode`).
fn js_error(e: Error) -> JsValue {
    let error = js_sys::Error::new(e.message());
    // Setting a property on a fresh Error cannot fail; if it ever did, the
    // Error without its code is still the right thing to throw.
    let _ = js_sys::Reflect::set(&error, &"code".into(), &e.kind().code().into());
    error.into()
}

fn bad_argument(message: &str) -> JsValue {
    js_error(Error::new(ErrorKind::BadArgument, message))
}

/// The message of a thrown JS value (serde-wasm-bindgen's errors are `Error`s).
fn js_message(value: JsValue) -> String {
    value
        .dyn_into::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|v| format!("{v:?}"))
}

/// The `onProgress` argument as a function, if one was given.
fn progress_fn(func: &str, value: Option<JsValue>) -> Result<Option<js_sys::Function>, JsValue> {
    match value.filter(|v| !v.is_undefined() && !v.is_null()) {
        None => Ok(None),
        Some(v) => v.dyn_into::<js_sys::Function>().map(Some).map_err(|v| {
            bad_argument(&format!(
                "{func}: onProgress must be a function, got {}",
                js_type_name(&v)
            ))
        }),
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

/// `typeof value`, except that `null` and arrays are named as such.
fn js_type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_string()
    } else if js_sys::Array::is_array(value) {
        "array".to_string()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}
