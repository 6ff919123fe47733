//! Files from Python, read and written as the CLI reads and writes them:
//! samples (`read_samples`: JSON Lines, CSV, a JSON array), reference
//! panels (`read_panel`, `write_panel`), and the report as Markdown and
//! HTML (`report_markdown`, `report_html`). Every check and every message
//! is the core's.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use lineage::corpus::{self, Format, Sample};
use lineage::panel::{self, BuildOptions};
use lineage::record::Record;
use lineage::report::Report;
use lineage::{Error, ErrorKind};

use crate::{detached, from_json, options_map, py_error, samples_of, to_json};

fn read_failed(path: &std::path::Path, e: impl std::fmt::Display) -> Error {
    Error::read_failed(&path.display().to_string(), e)
}

fn json_of(value: &impl serde::Serialize) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| Error::new(ErrorKind::Internal, e.to_string()))
}

/// Reads an input file as `lineage analyze` does (the format from its
/// extension: `.csv`, `.json`, otherwise JSON Lines; a record without a
/// source takes `default_source`, or the file's stem): `{"samples":
/// [...], "warnings": [...]}`, the warnings naming file and line of
/// every record that could not be read. Raises `READ_FAILED`, or
/// `BAD_JSONL` / `BAD_CSV` when no record could be read.
#[pyfunction]
#[pyo3(signature = (path, default_source = None))]
pub fn read_samples_file<'py>(
    py: Python<'py>,
    path: PathBuf,
    default_source: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let json = detached(py, move || {
        let bytes = std::fs::read(&path).map_err(|e| read_failed(&path, e))?;
        let name = path.display().to_string();
        let stem = path.file_stem().map(|s| s.to_string_lossy().to_string());
        let format = Format::from_name(&name);
        let parsed = corpus::read(&name, &bytes, format, default_source.or(stem).as_deref());
        if let Some(refusal) = parsed.refusal(format) {
            return Err(refusal);
        }
        let warnings: Vec<String> = parsed
            .errors
            .iter()
            .chain(&parsed.warnings)
            .map(|e| e.to_string())
            .collect();
        json_of(&serde_json::json!({"samples": parsed.samples, "warnings": warnings}))
    })?;
    from_json(py, &json)
}

/// Reads a reference panel (`.lineage.jsonl.gz`, from `lineage panel
/// build` or the page): `{"header": {...}, "samples": [...]}`, the
/// header with its sources' suggested roles and families. Raises
/// `READ_FAILED` naming the file and line of what is wrong.
#[pyfunction]
pub fn read_panel(py: Python<'_>, path: PathBuf) -> PyResult<Bound<'_, PyAny>> {
    let json = detached(py, move || {
        let file = std::fs::File::open(&path).map_err(|e| read_failed(&path, e))?;
        let panel = panel::read_gz(&path.display().to_string(), file)?;
        json_of(&serde_json::json!({"header": panel.header, "samples": panel.samples()}))
    })?;
    from_json(py, &json)
}

/// Writes `samples` as a reference panel at `path` (gzip), as `lineage
/// panel build` does: `options` has `name`, `created` (RFC 3339: the
/// caller reads the clock) and optionally `roles` (source → "control" /
/// "candidate" / ...), `families` (source → family) and `probeSet`.
/// Returns the notices (answers dropped as repeated, sources that cannot
/// be paired).
#[pyfunction]
pub fn write_panel(
    py: Python<'_>,
    path: PathBuf,
    samples: &Bound<'_, PyAny>,
    options: &Bound<'_, PyAny>,
) -> PyResult<Vec<String>> {
    let label = "write_panel: options";
    let samples: Vec<Sample> = samples_of(py, "write_panel: samples", samples)?;
    let opts: BuildOptions = lineage::options::from_map(label, options_map(label, Some(options))?)
        .map_err(|e| py_error(py, e))?;
    detached(py, move || {
        let records: Vec<Record> = samples.into_iter().map(Record::from).collect();
        let (built, notices) = panel::build(records, &opts)?;
        let file = std::fs::File::create(&path).map_err(|e| read_failed(&path, e))?;
        panel::write_gz(&built, std::io::BufWriter::new(file))
            .map_err(|e| read_failed(&path, e))?;
        Ok(notices)
    })
}

/// The report (a dict, as `analyze` returns it) as Markdown: the same
/// text as `lineage analyze --format md`.
#[pyfunction]
pub fn report_markdown(py: Python<'_>, report: &Bound<'_, PyAny>) -> PyResult<String> {
    let report: Report = report_of(py, report)?;
    Ok(report.to_markdown())
}

/// The report (a dict, as `analyze` returns it) as one self-contained
/// HTML file: the same text as `lineage analyze --format html` (no
/// script, no remote link, charts as inline SVG, a glossary, the inputs'
/// SHA-256; printable).
#[pyfunction]
pub fn report_html(py: Python<'_>, report: &Bound<'_, PyAny>) -> PyResult<String> {
    let report: Report = report_of(py, report)?;
    Ok(report.to_html())
}

/// The report dict read back into the core's report type; an error names
/// the field that does not fit (a report of another schema version).
pub fn report_of(py: Python<'_>, report: &Bound<'_, PyAny>) -> PyResult<Report> {
    let label = "report";
    if !report.is_instance_of::<PyDict>() {
        return Err(crate::bad_argument(
            py,
            format!(
                "{label} must be the dict analyze returns, got {}",
                crate::type_name(report)
            ),
        ));
    }
    lineage::options::from_value(label, to_json(label, report)?).map_err(|e| py_error(py, e))
}

/// True when `passage` restates `prompt` (at least half of its words stand
/// in the prompt as one verbatim run, case and homoglyphs folded): the
/// `prompt_echo` of `lineage passages`' hits.
#[pyfunction]
pub fn echoes_prompt(passage: &str, prompt: &str) -> bool {
    lineage::passages::echoes_prompt(passage, prompt)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(echoes_prompt, m)?)?;
    m.add_function(wrap_pyfunction!(read_samples_file, m)?)?;
    m.add_function(wrap_pyfunction!(read_panel, m)?)?;
    m.add_function(wrap_pyfunction!(write_panel, m)?)?;
    m.add_function(wrap_pyfunction!(report_markdown, m)?)?;
    m.add_function(wrap_pyfunction!(report_html, m)?)?;
    Ok(())
}
