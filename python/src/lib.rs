//! The Python boundary: the only place in the repository that names PyO3
//! (as `crates/lineage-wasm` is the only one naming wasm-bindgen).
//!
//! Every function forwards to the core and does three things on the way:
//! reads its Python arguments into the core's own serde types (options,
//! samples, roles: the same names and ranges as the JS package, camelCase,
//! `None` meaning "left out"), releases the GIL around the Rust work
//! ([`Python::detach`]), and turns a [`lineage::Error`] (or a panic) into
//! a `lineage.LineageError` whose `code` is the error's kind, as the JS
//! package's `Error.code` is. Values come back as plain Python objects;
//! the report is the CLI's JSON document read by Python's `json`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};

use lineage::analysis::{self, AnalysisOptions, AnalysisRequest};
use lineage::corpus::{self, Sample};
use lineage::error::panic_message;
use lineage::options::{self, JsonMap, OptionArgs};
use lineage::passages::{self, PassageArgs, PassageOptions};
use lineage::{Error, ErrorKind};

mod files;
mod profile;

create_exception!(
    _lineage,
    LineageError,
    PyException,
    "An error of the Lineage core: `code` is its stable code (BAD_ARGUMENT, \
     TOO_LARGE, ...: the JS package's codes), str(error) the message."
);

/// A `LineageError` with `code` and `message` attributes.
pub(crate) fn py_error(py: Python<'_>, e: Error) -> PyErr {
    let err = LineageError::new_err(e.message().to_string());
    let value = err.value(py);
    // Setting attributes on a fresh exception object cannot fail; if it
    // ever did, the exception without them is still the right one.
    let _ = value.setattr("code", e.kind().code());
    let _ = value.setattr("message", e.message());
    err
}

pub(crate) fn bad_argument(py: Python<'_>, message: String) -> PyErr {
    py_error(py, Error::new(ErrorKind::BadArgument, message))
}

/// Runs `work` without the GIL, so other Python threads run meanwhile; a
/// panic becomes a `PANIC` error instead of unwinding into Python.
pub(crate) fn detached<T: Send>(
    py: Python<'_>,
    work: impl FnOnce() -> Result<T, Error> + Send,
) -> PyResult<T> {
    py.detach(|| {
        catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|payload| {
            let message = panic_message(payload.as_ref());
            Err(Error::new(
                ErrorKind::Panic,
                format!("internal error: {message} (please report it with the input)"),
            ))
        })
    })
    .map_err(|e| py_error(py, e))
}

/// The Python type's name, for messages ("got int").
pub(crate) fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}

/// A `list` argument, or `BAD_ARGUMENT` naming it and what it should hold.
fn list_arg<'a, 'py>(
    label: &str,
    holding: &str,
    value: &'a Bound<'py, PyAny>,
) -> PyResult<&'a Bound<'py, PyList>> {
    value.cast::<PyList>().map_err(|_| {
        bad_argument(
            value.py(),
            format!("{label} must be a list{holding}, got {}", type_name(value)),
        )
    })
}

/// A `str` argument, or `BAD_ARGUMENT` naming it.
fn text_arg(label: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    match value.cast::<PyString>() {
        Ok(s) => Ok(s.to_str()?.to_string()),
        Err(_) => Err(bad_argument(
            value.py(),
            format!("{label} must be a str, got {}", type_name(value)),
        )),
    }
}

/// A Python value as JSON, through Python's own `json` (so a value JSON
/// cannot hold, such as a set or NaN, is refused by name).
pub(crate) fn to_json(label: &str, value: &Bound<'_, PyAny>) -> PyResult<serde_json::Value> {
    let py = value.py();
    let text: String = py
        .import("json")?
        .call_method1("dumps", (value,))
        .and_then(|s| s.extract())
        .map_err(|e| bad_argument(py, format!("{label}: not JSON data: {e}")))?;
    serde_json::from_str(&text).map_err(|e| bad_argument(py, format!("{label}: {e}")))
}

/// An options argument (`None` or a dict) as a JSON map without its
/// `None` fields, which keep their defaults.
pub(crate) fn options_map(label: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<JsonMap> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(JsonMap::new());
    };
    if !value.is_instance_of::<PyDict>() {
        return Err(bad_argument(
            value.py(),
            format!("{label} must be a dict, got {}", type_name(value)),
        ));
    }
    options::object_of(label, to_json(label, value)?).map_err(|e| py_error(value.py(), e))
}

/// The `options` argument of `func` (`None` or a dict) as the core's
/// options: defaults, ranges and messages are the core's
/// ([`options::options_from_map`]), as in the JS package.
fn options_arg<A: OptionArgs>(
    py: Python<'_>,
    func: &str,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<A::Options> {
    let label = format!("{func}: options");
    let map = options_map(&label, options)?;
    options::options_from_map::<A>(&label, map).map_err(|e| py_error(py, e))
}

/// The local MinHash sketch of a text (see `lineage passages`): the
/// distinct LSH bucket keys, sorted, as unsigned 64-bit ints.
#[pyfunction]
#[pyo3(signature = (text, options = None))]
fn sketch(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<u64>> {
    let text = text_arg("sketch: text", text)?;
    let opts = options_arg::<PassageArgs>(py, "sketch", options)?;
    detached(py, move || Ok(passages::sketch(&text, &opts)))
}

/// Candidate pairs from `(bucket, text id)` entries: pairs `(a, b)`,
/// `a < b`, sharing a bucket of at most `max_bucket` texts, sorted and
/// distinct, and the number of buckets dropped as stock phrases.
#[pyfunction]
fn candidate_pairs(
    py: Python<'_>,
    entries: &Bound<'_, PyAny>,
    max_bucket: &Bound<'_, PyAny>,
) -> PyResult<(Vec<(u32, u32)>, usize)> {
    let entries: Vec<(u64, u32)> = entries.extract().map_err(|_| {
        bad_argument(
            py,
            format!(
                "candidate_pairs: entries must be a sequence of (bucket, id) pairs of \
                 unsigned ints (bucket < 2**64, id < 2**32), got {}",
                type_name(entries)
            ),
        )
    })?;
    let max_bucket: usize = match max_bucket.extract() {
        Ok(m) if m >= 2 => m,
        _ => {
            return Err(bad_argument(
                py,
                format!(
                    "candidate_pairs: max_bucket must be an int of at least 2, got {max_bucket}"
                ),
            ))
        }
    };
    detached(py, move || {
        Ok(passages::candidate_pairs(entries, max_bucket))
    })
}

/// The verified shared passages of two texts, longest first: each a dict
/// `{a, b, words, text}` where `a`/`b` hold `start`/`end` (UTF-8 byte
/// offsets, as in `lineage passages`' hits) and `char_start`/`char_end`
/// (code point offsets: `text_a[char_start:char_end]`).
#[pyfunction]
#[pyo3(signature = (text_a, text_b, options = None))]
fn verify<'py>(
    py: Python<'py>,
    text_a: &Bound<'py, PyAny>,
    text_b: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let a = text_arg("verify: text_a", text_a)?;
    let b = text_arg("verify: text_b", text_b)?;
    let opts = options_arg::<PassageArgs>(py, "verify", options)?;
    let json = detached(py, move || {
        let chars = |text: &str, byte: usize| text[..byte].chars().count();
        let side = |text: &str, span: lineage::text::Span| Side {
            start: span.start,
            end: span.end,
            char_start: chars(text, span.start),
            char_end: chars(text, span.end),
        };
        let found: Vec<Passage> = passages::verify(&a, &b, &opts)
            .into_iter()
            .map(|s| Passage {
                a: side(&a, s.a),
                b: side(&b, s.b),
                words: s.words,
                text: s.text,
            })
            .collect();
        serde_json::to_string(&found).map_err(|e| Error::new(ErrorKind::Internal, e.to_string()))
    })?;
    from_json(py, &json)
}

/// One text's side of a passage found by `verify`.
#[derive(serde::Serialize)]
struct Side {
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
}

/// A passage found by `verify` (`Passage` in the stubs).
#[derive(serde::Serialize)]
struct Passage {
    a: Side,
    b: Side,
    words: usize,
    text: String,
}

/// A JSON text as Python objects (dicts, lists, str, int, float, None).
pub(crate) fn from_json<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (json,))
}

/// One JSON Lines record read as `lineage analyze` and `lineage passages`
/// read it (bytes decoded as UTF-8 with U+FFFD for invalid sequences,
/// white space trimmed, `source` defaulting to `default_source`, a
/// numeric prompt id as a string): `{source, text, promptId, prompt}`, a
/// sample `analyze` takes. Raises `BAD_JSONL` for a malformed record.
#[pyfunction]
#[pyo3(signature = (line, default_source = None))]
fn parse_record<'py>(
    py: Python<'py>,
    line: &Bound<'py, PyAny>,
    default_source: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let line: Vec<u8> = if let Ok(b) = line.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else if let Ok(s) = line.cast::<PyString>() {
        s.to_str()?.as_bytes().to_vec()
    } else {
        return Err(bad_argument(
            py,
            format!(
                "parse_record: line must be bytes or str, got {}",
                type_name(line)
            ),
        ));
    };
    let sample = detached(py, move || {
        let text = String::from_utf8_lossy(&line);
        corpus::parse_jsonl_line(text.trim(), default_source.as_deref())
            .map_err(|m| Error::new(ErrorKind::BadJsonl, format!("parse_record: {m}")))
    })?;
    let out = PyDict::new(py);
    out.set_item("source", sample.source)?;
    out.set_item("text", sample.text)?;
    out.set_item("promptId", sample.prompt_id)?;
    out.set_item("prompt", sample.prompt)?;
    Ok(out)
}

/// Analyses samples (`{source, text, promptId?, prompt?}` dicts) with the
/// roles and parameters of `options` (`suspect`, `candidates`, `control`
/// and any analysis parameter by its camelCase name) and returns the
/// report: the same document as `lineage analyze --format json`.
#[pyfunction]
fn analyze<'py>(
    py: Python<'py>,
    samples: &Bound<'py, PyAny>,
    options: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let samples = samples_of(py, "analyze: samples", samples)?;
    if options.is_none() || !options.is_instance_of::<PyDict>() {
        return Err(bad_argument(
            py,
            format!(
                "analyze: options must be a dict naming the suspect and the candidates, got {}",
                type_name(options)
            ),
        ));
    }
    let label = "analyze: options";
    // The options first, validated: `analyze([], options)` checks them
    // alone (the profiles job does, before it starts), ending in EMPTY_INPUT.
    let (roles, opts) =
        lineage::parameters::analysis_args(label, options_map(label, Some(options))?)
            .map_err(|e| py_error(py, e))?;
    let json = detached(py, move || {
        if samples.is_empty() {
            return Err(Error::new(
                ErrorKind::EmptyInput,
                "analyze: there are no samples",
            ));
        }
        let request = AnalysisRequest {
            samples,
            suspect: roles.suspect,
            candidates: roles.candidates,
            control: roles.control,
            families: roles.families,
            ..Default::default()
        };
        let report =
            analysis::analyze(&request, &opts, &mut |_, _| {}).map_err(|e| e.context("analyze"))?;
        serde_json::to_string(&report).map_err(|e| Error::new(ErrorKind::Internal, e.to_string()))
    })?;
    from_json(py, &json)
}

/// The samples of a list, each checked by the core (an error names its
/// index and field).
pub(crate) fn samples_of(
    py: Python<'_>,
    label: &str,
    samples: &Bound<'_, PyAny>,
) -> PyResult<Vec<Sample>> {
    list_arg(label, "", samples)?;
    corpus::loose_samples(label, "a dict", to_json(label, samples)?).map_err(|e| py_error(py, e))
}

/// The analysis parameters' defaults (camelCase, as `analyze` takes them).
#[pyfunction]
fn analysis_defaults(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let json = serde_json::to_string(&AnalysisOptions::default())
        .map_err(|e| py_error(py, Error::new(ErrorKind::Internal, e.to_string())))?;
    from_json(py, &json)
}

/// The passage options' defaults (`minWords`, `k`, `maxBucket`).
#[pyfunction]
fn passage_defaults(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let json = serde_json::to_string(&PassageOptions::default())
        .map_err(|e| py_error(py, Error::new(ErrorKind::Internal, e.to_string())))?;
    from_json(py, &json)
}

/// Version of the core (the CLI's `lineage --version`).
#[pyfunction]
fn version() -> &'static str {
    lineage::VERSION
}

/// Version of the report's layout (`report["schemaVersion"]`).
#[pyfunction]
fn schema_version() -> u32 {
    lineage::report::SCHEMA_VERSION
}

#[pymodule]
fn _lineage(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("LineageError", m.py().get_type::<LineageError>())?;
    m.add("MAX_TEXT_BYTES", corpus::MAX_TEXT_BYTES)?;
    m.add("MAX_SOURCE_BYTES", corpus::MAX_SOURCE_BYTES)?;
    m.add("MAX_TOTAL_BYTES", corpus::MAX_TOTAL_BYTES)?;
    m.add("ERROR_CODES", ErrorKind::ALL.map(|k| k.code()).to_vec())?;
    m.add_function(wrap_pyfunction!(sketch, m)?)?;
    m.add_function(wrap_pyfunction!(candidate_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(parse_record, m)?)?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(analysis_defaults, m)?)?;
    m.add_function(wrap_pyfunction!(passage_defaults, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(schema_version, m)?)?;
    profile::register(m)?;
    files::register(m)?;
    Ok(())
}
