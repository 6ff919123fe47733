//! `analyze(samples, options, onProgress?)` and the incremental
//! `Workspace`: samples and roles in, the camelCase [`Report`] out.
//!
//! Both forward to `crate::analysis::analyze`; what lives here is the
//! checking of loose JS arguments (each mistake named, with its index or
//! field) and the limits that keep a browser tab's memory safe.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::report::Report;
use super::{
    bad_argument, error, field_of, in_range, js_type_name, options_object, string_arg, to_js,
};
use crate::analysis::{self, AnalysisOptions, AnalysisRequest, DeltaKind};
use crate::corpus::{self, Format};
use crate::report::{InputFile, Warning};

/// Most text (UTF-8 bytes) one analysis or one workspace may hold. The
/// analysis keeps several feature tables per text, a few times the text's
/// size, and a wasm32 instance has 4 GiB at most, shared with everything
/// else in the tab.
pub const MAX_TEXT_BYTES: usize = 256 << 20;
/// Line errors an `AddResult` lists; `malformed` still counts them all, so
/// a file of a million bad lines does not become a million JS objects.
const MAX_LISTED_ERRORS: usize = 100;

/// One model output, as JS callers pass it.
#[derive(Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    /// The model (or person) that wrote the text; not empty.
    pub source: String,
    pub text: String,
    /// Samples of different sources with the same id answer the same
    /// prompt (the analysis is then paired); numbers are read as text.
    #[tsify(optional)]
    pub prompt_id: Option<PromptId>,
    #[tsify(optional)]
    pub prompt: Option<String>,
}

/// A prompt id, written as a string or a number.
#[derive(Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum PromptId {
    Text(String),
    Number(f64),
}

/// The roles of the sources and the analysis parameters; every parameter
/// may be left out (the defaults are those of the CLI, see docs/METHOD.md).
#[derive(Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AnalyzeOptions {
    /// The source whose lineage is in question.
    pub suspect: String,
    /// The possible teachers; at least two.
    pub candidates: Vec<String>,
    /// A source known to be unrelated to every candidate (a baseline).
    #[tsify(optional)]
    pub control: Option<String>,
    /// Seed of every random choice, 0..=2^53-1 (default 42): the same
    /// samples and seed give the same report.
    #[tsify(optional)]
    pub seed: Option<u64>,
    /// Significance level of every decision test, in (0, 0.5] (default 0.01).
    #[tsify(optional)]
    pub alpha: Option<f64>,
    /// Smallest standardised effect of the top candidate over the
    /// runner-up that counts as an attribution, 0..=10 (default 0.2).
    #[tsify(optional)]
    pub min_effect: Option<f64>,
    /// Bootstrap resamples for intervals, 10..=100000 (default 1000).
    #[tsify(optional)]
    pub bootstrap_reps: Option<usize>,
    /// Permutations per test, 10..=1000000 (default 9999).
    #[tsify(optional)]
    pub permutation_reps: Option<usize>,
    /// Most frequent words used by Delta, 10..=10000 (default 300).
    #[tsify(optional)]
    pub most_frequent_words: Option<usize>,
    /// Which Delta measure (default "cosine").
    #[tsify(optional)]
    pub delta: Option<Delta>,
    /// Character n-grams n = 1..=this, 1..=8 (default 4).
    #[tsify(optional)]
    pub max_char_ngram: Option<usize>,
    /// Pseudo-count of the log-odds prior, 1..=1e9 (default 1000).
    #[tsify(optional)]
    pub log_odds_prior: Option<f64>,
    /// Cross-validation folds of the classifier, 2..=20 (default 5).
    #[tsify(optional)]
    pub classifier_folds: Option<usize>,
    /// Words per n-gram of verbatim overlap, 1..=64 (default 5).
    #[tsify(optional)]
    pub overlap_ngram: Option<usize>,
    /// Fewest prompts shared by every source for a paired design,
    /// 2..=1000000 (default 10).
    #[tsify(optional)]
    pub min_paired: Option<usize>,
}

const ANALYZE_OPTION_FIELDS: &[&str] = &[
    "suspect",
    "candidates",
    "control",
    "seed",
    "alpha",
    "minEffect",
    "bootstrapReps",
    "permutationReps",
    "mostFrequentWords",
    "delta",
    "maxCharNgram",
    "logOddsPrior",
    "classifierFolds",
    "overlapNgram",
    "minPaired",
];

/// The Delta measure: cosine of z-scores (Evert et al. 2017), Burrows'
/// mean absolute z difference, or Eder's rank-weighted variant.
#[derive(Debug, Clone, Copy, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Delta {
    Cosine,
    Burrows,
    Eder,
}

/// Options of `addJsonl` and `addCsv`.
#[derive(Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct InputOptions {
    /// How the report names this input (default "input-N.jsonl" / ".csv").
    #[tsify(optional)]
    pub name: Option<String>,
    /// Source of the records that name none (default: such records are errors).
    #[tsify(optional)]
    pub source: Option<String>,
}

/// What one `add`, `addJsonl` or `addCsv` call did.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AddResult {
    /// Samples added by this call.
    pub added: usize,
    /// Records of this input that could not be read.
    pub malformed: usize,
    /// The first (at most 100) of those records, with their line numbers.
    pub errors: Vec<LineIssue>,
    /// Samples in the workspace after this call.
    pub total: usize,
    /// Distinct sources in the workspace after this call, sorted.
    pub sources: Vec<String>,
}

/// A record that could not be read.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct LineIssue {
    /// 1-based line (for CSV: the line the record starts on).
    pub line: usize,
    pub message: String,
}

/// Analyses `samples` with the roles and parameters of `options` and
/// returns the report as a plain object. `onProgress`, if given, is called
/// with the core's stage names and the fraction done.
///
/// Throws a `LineageError`: `EMPTY_INPUT` without samples, `BAD_ARGUMENT`
/// for a malformed sample or option (the message names it),
/// `UNKNOWN_SOURCE` when a role names a source no sample has, `BAD_ROLES`
/// when the roles cannot be analysed, `TOO_LARGE` past 256 MiB of text.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn analyze(
    #[wasm_bindgen(unchecked_param_type = "Sample[]")] samples: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions")] options: JsValue,
    #[wasm_bindgen(js_name = onProgress, unchecked_optional_param_type = "ProgressCallback")]
    on_progress: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    if !js_sys::Array::is_array(&samples) {
        return Err(bad_argument(&format!(
            "analyze: samples must be an array, got {}",
            js_type_name(&samples)
        )));
    }
    let samples = js_sys::Array::from(&samples);
    let mut parsed = Vec::with_capacity(samples.length() as usize);
    let mut bytes = 0usize;
    for (i, value) in samples.iter().enumerate() {
        let sample = sample_of(&value, &format!("analyze: samples[{i}]"))?;
        bytes += sample.text.len();
        check_size("analyze: samples", bytes)?;
        parsed.push(sample);
    }
    let on_progress = progress_fn("analyze", on_progress)?;
    let (request, opts) = request_of("analyze", parsed, options).map_err(|(e, _)| e)?;
    run(&request, &opts, on_progress)
}

/// Samples collected a few at a time (pasted texts, files read one by
/// one), analysed as often as wanted. The texts live in the module's
/// memory only, so a page need not keep a second copy; call `free()` when
/// done (or let the garbage collector do it).
#[wasm_bindgen]
#[derive(Default)]
pub struct Workspace {
    samples: Vec<corpus::Sample>,
    inputs: Vec<InputFile>,
    warnings: Vec<Warning>,
    bytes: usize,
}

#[wasm_bindgen]
impl Workspace {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// Samples in the workspace.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.samples.len()
    }

    /// Adds one sample; throws `BAD_ARGUMENT` if it is malformed and
    /// `TOO_LARGE` past the size limit (the workspace is then unchanged).
    #[wasm_bindgen(unchecked_return_type = "AddResult")]
    pub fn add(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Sample")] sample: JsValue,
    ) -> Result<JsValue, JsValue> {
        let sample = sample_of(&sample, "Workspace.add: sample")?;
        check_size("Workspace.add", self.bytes + sample.text.len())?;
        self.bytes += sample.text.len();
        self.samples.push(sample);
        self.result("Workspace.add", 1, &[])
    }

    /// Adds the records of a JSON Lines text (one object per line with
    /// `source`, `text`, optionally `prompt_id`/`promptId` and `prompt`).
    /// Malformed lines are skipped and listed in the result; throws
    /// `BAD_JSONL` when no line can be read, `EMPTY_INPUT` when the text
    /// holds no record at all.
    #[wasm_bindgen(js_name = addJsonl, unchecked_return_type = "AddResult")]
    pub fn add_jsonl(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "InputOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.add_input("Workspace.addJsonl", Format::Jsonl, text, options)
    }

    /// Adds the records of a CSV text whose header names at least `source`
    /// and `text` (`prompt_id`/`promptId` and `prompt` are optional).
    /// Malformed records are skipped and listed in the result; throws
    /// `BAD_CSV` when none can be read, `EMPTY_INPUT` when there is none.
    #[wasm_bindgen(js_name = addCsv, unchecked_return_type = "AddResult")]
    pub fn add_csv(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "InputOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.add_input("Workspace.addCsv", Format::Csv, text, options)
    }

    /// Analyses the workspace's samples, as `analyze` does; the workspace
    /// keeps its samples and can be analysed again with other roles.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn analyze(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions")] options: JsValue,
        #[wasm_bindgen(js_name = onProgress, unchecked_optional_param_type = "ProgressCallback")]
        on_progress: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let func = "Workspace.analyze";
        let on_progress = progress_fn(func, on_progress)?;
        // The samples move into the request and back, so the texts are
        // never copied (a workspace may hold hundreds of megabytes).
        let samples = std::mem::take(&mut self.samples);
        let (mut request, opts) = match request_of(func, samples, options) {
            Ok(r) => r,
            Err((e, samples)) => {
                self.samples = samples;
                return Err(e);
            }
        };
        request.inputs = self.inputs.clone();
        request.input_warnings = self.warnings.clone();
        let result = run(&request, &opts, on_progress);
        self.samples = request.samples;
        result
    }
}

impl Workspace {
    fn add_input(
        &mut self,
        func: &str,
        format: Format,
        text: JsValue,
        options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        // Checked before the string is copied into the module: a UTF-16
        // code unit is at least one UTF-8 byte.
        if let Some(s) = text.dyn_ref::<js_sys::JsString>() {
            check_size(func, self.bytes + s.length() as usize)?;
        }
        let text = string_arg(&format!("{func}: text"), &text)?;
        check_size(func, self.bytes + text.len())?;
        let (ext, bad_code) = match format {
            Format::Jsonl => ("jsonl", "BAD_JSONL"),
            Format::Csv => ("csv", "BAD_CSV"),
        };
        let mut opts = InputOptions::default();
        if let Some(o) = options_object(func, "options", options, &["name", "source"])? {
            let label = |name: &str| format!("{func}: options.{name}");
            opts.name = field_of(&o, "name", &label)?;
            opts.source = field_of(&o, "source", &label)?;
        }
        let name = opts
            .name
            .unwrap_or_else(|| format!("input-{}.{ext}", self.inputs.len() + 1));
        let parsed = corpus::read(&name, text.as_bytes(), format, opts.source.as_deref());
        drop(text);
        if parsed.samples.is_empty() {
            return Err(match parsed.errors.first() {
                None => error(
                    "EMPTY_INPUT",
                    &format!("{func}: {name} holds no record (only blank lines)"),
                ),
                Some(_) => {
                    let first: Vec<String> = parsed
                        .errors
                        .iter()
                        .take(3)
                        .map(|e| e.to_string())
                        .collect();
                    error(
                        bad_code,
                        &format!(
                            "{func}: no record of {name} could be read ({} malformed; {})",
                            parsed.errors.len(),
                            first.join("; ")
                        ),
                    )
                }
            });
        }
        // The same warning the CLI adds, so a report says what was skipped.
        if !parsed.errors.is_empty() {
            let first: Vec<String> = parsed
                .errors
                .iter()
                .take(5)
                .map(|e| e.to_string())
                .collect();
            self.warnings.push(Warning {
                code: "malformed_input".into(),
                message: format!(
                    "{} malformed record(s) skipped in {} (first: {})",
                    parsed.errors.len(),
                    name,
                    first.join("; ")
                ),
            });
        }
        self.inputs.push(InputFile {
            name,
            sha256: parsed.sha256,
            samples: parsed.samples.len(),
            malformed_lines: parsed.errors.len(),
        });
        let added = parsed.samples.len();
        self.bytes += parsed.samples.iter().map(|s| s.text.len()).sum::<usize>();
        self.samples.extend(parsed.samples);
        self.result(func, added, &parsed.errors)
    }

    fn result(
        &self,
        func: &str,
        added: usize,
        errors: &[corpus::LineError],
    ) -> Result<JsValue, JsValue> {
        let sources: BTreeSet<&str> = self.samples.iter().map(|s| s.source.as_str()).collect();
        to_js(
            func,
            &AddResult {
                added,
                malformed: errors.len(),
                errors: errors
                    .iter()
                    .take(MAX_LISTED_ERRORS)
                    .map(|e| LineIssue {
                        line: e.line,
                        message: e.message.clone(),
                    })
                    .collect(),
                total: self.samples.len(),
                sources: sources.into_iter().map(str::to_string).collect(),
            },
        )
    }
}

/// Reads one sample object field by field, so the message names the
/// field that is wrong (`label` names the sample, e.g. "analyze: samples[3]").
fn sample_of(value: &JsValue, label: &str) -> Result<corpus::Sample, JsValue> {
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(bad_argument(&format!(
            "{label} must be an object {{source, text, promptId?, prompt?}}, got {}",
            js_type_name(value)
        )));
    }
    let field = |name: &str| format!("{label}.{name}");
    let source: Option<String> = field_of(value, "source", &field)?;
    let text: Option<String> = field_of(value, "text", &field)?;
    let prompt_id: Option<PromptId> = field_of(value, "promptId", &field)?;
    let prompt: Option<String> = field_of(value, "prompt", &field)?;
    let source = source
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| bad_argument(&format!("{label}.source must be a non-empty string")))?;
    let text = text.ok_or_else(|| bad_argument(&format!("{label}.text must be a string")))?;
    let prompt_id = match prompt_id {
        Some(PromptId::Text(s)) if !s.is_empty() => Some(s),
        Some(PromptId::Text(_)) | None => None,
        // The same text as the JSONL reader makes of a JSON number
        // (integers without a fraction).
        Some(PromptId::Number(n)) if n.is_finite() => Some(if n.fract() == 0.0 && n.abs() < 9e15 {
            format!("{}", n as i64)
        } else {
            format!("{n}")
        }),
        Some(PromptId::Number(n)) => {
            return Err(bad_argument(&format!(
                "{label}.promptId must be a string or a finite number, got {n}"
            )))
        }
    };
    Ok(corpus::Sample {
        source,
        text,
        prompt_id,
        prompt,
    })
}

fn check_size(label: &str, bytes: usize) -> Result<(), JsValue> {
    if bytes > MAX_TEXT_BYTES {
        Err(error(
            "TOO_LARGE",
            &format!(
                "{label}: more than {} MiB of text (the module's limit)",
                MAX_TEXT_BYTES >> 20
            ),
        ))
    } else {
        Ok(())
    }
}

/// The request and the core's options from the JS options object. On a
/// bad argument the samples are handed back with the error, so a
/// `Workspace` keeps them.
fn request_of(
    func: &str,
    samples: Vec<corpus::Sample>,
    options: JsValue,
) -> Result<(AnalysisRequest, AnalysisOptions), (JsValue, Vec<corpus::Sample>)> {
    match parse_options(func, &samples, options) {
        Ok((suspect, candidates, control, opts)) => Ok((
            AnalysisRequest {
                samples,
                suspect,
                candidates,
                control,
                inputs: Vec::new(),
                input_warnings: Vec::new(),
                size_limits: corpus::SizeLimits::default(),
            },
            opts,
        )),
        Err(e) => Err((e, samples)),
    }
}

type Roles = (String, Vec<String>, Option<String>, AnalysisOptions);

fn parse_options(
    func: &str,
    samples: &[corpus::Sample],
    options: JsValue,
) -> Result<Roles, JsValue> {
    if samples.is_empty() {
        return Err(error(
            "EMPTY_INPUT",
            &format!("{func}: there are no samples"),
        ));
    }
    let Some(o) = options_object(
        func,
        "options",
        Some(options.clone()),
        ANALYZE_OPTION_FIELDS,
    )?
    else {
        return Err(bad_argument(&format!(
            "{func}: options must be an object naming the suspect and the candidates, got {}",
            js_type_name(&options)
        )));
    };
    let label = |name: &str| format!("{func}: options.{name}");
    let suspect: String = field_of(&o, "suspect", &label)?
        .ok_or_else(|| bad_argument(&format!("{} is required", label("suspect"))))?;
    // serde-wasm-bindgen reads a string as a sequence and fails with a
    // message about Reflect.get; say what is expected instead.
    let raw = js_sys::Reflect::get(&o, &"candidates".into()).unwrap_or(JsValue::UNDEFINED);
    if !raw.is_undefined() && !raw.is_null() && !js_sys::Array::is_array(&raw) {
        return Err(bad_argument(&format!(
            "{} must be an array of source names, got {}",
            label("candidates"),
            js_type_name(&raw)
        )));
    }
    let candidates: Vec<String> = field_of(&o, "candidates", &label)?
        .ok_or_else(|| bad_argument(&format!("{} is required", label("candidates"))))?;
    let control: Option<String> = field_of(&o, "control", &label)?;

    // Roles first: a wrong name is the likeliest mistake, and the message
    // lists the names there are.
    let known: BTreeSet<&str> = samples.iter().map(|s| s.source.as_str()).collect();
    let missing: Vec<&str> = std::iter::once(suspect.as_str())
        .chain(candidates.iter().map(String::as_str))
        .chain(control.as_deref())
        .filter(|name| !known.contains(name))
        .collect();
    if !missing.is_empty() {
        return Err(error(
            "UNKNOWN_SOURCE",
            &format!(
                "{func}: no sample has the source {} (sources: {})",
                missing.join(", "),
                known.into_iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }

    let mut opts = AnalysisOptions::default();
    let range = |name: &str, v: usize, min: usize, max: usize| in_range(&label(name), v, min, max);
    let frange = |name: &str, v: f64, min: f64, max: f64| {
        if v.is_finite() {
            in_range(&label(name), v, min, max)
        } else {
            Err(bad_argument(&format!(
                "{} must be finite, got {v}",
                label(name)
            )))
        }
    };
    if let Some(v) = field_of(&o, "seed", &label)? {
        opts.seed = in_range(&label("seed"), v, 0, (1u64 << 53) - 1)?;
    }
    if let Some(v) = field_of::<f64>(&o, "alpha", &label)? {
        // Zero would make every test fail to reject; above a half a test
        // "passes" on noise.
        if v <= 0.0 {
            return Err(bad_argument(&format!(
                "{} must be above 0, got {v}",
                label("alpha")
            )));
        }
        opts.alpha = frange("alpha", v, 0.0, 0.5)?;
    }
    if let Some(v) = field_of(&o, "minEffect", &label)? {
        opts.min_effect = frange("minEffect", v, 0.0, 10.0)?;
    }
    if let Some(v) = field_of(&o, "bootstrapReps", &label)? {
        opts.bootstrap_reps = range("bootstrapReps", v, 10, 100_000)?;
    }
    if let Some(v) = field_of(&o, "permutationReps", &label)? {
        opts.permutation_reps = range("permutationReps", v, 10, 1_000_000)?;
    }
    if let Some(v) = field_of(&o, "mostFrequentWords", &label)? {
        opts.mfw = range("mostFrequentWords", v, 10, 10_000)?;
    }
    if let Some(v) = field_of::<Delta>(&o, "delta", &label)? {
        opts.delta = match v {
            Delta::Cosine => DeltaKind::Cosine,
            Delta::Burrows => DeltaKind::Burrows,
            Delta::Eder => DeltaKind::Eder,
        };
    }
    if let Some(v) = field_of(&o, "maxCharNgram", &label)? {
        opts.max_char_ngram = range("maxCharNgram", v, 1, 8)?;
    }
    if let Some(v) = field_of(&o, "logOddsPrior", &label)? {
        opts.log_odds_prior = frange("logOddsPrior", v, 1.0, 1e9)?;
    }
    if let Some(v) = field_of(&o, "classifierFolds", &label)? {
        opts.classifier_folds = range("classifierFolds", v, 2, 20)?;
    }
    if let Some(v) = field_of(&o, "overlapNgram", &label)? {
        opts.overlap_ngram = range("overlapNgram", v, 1, 64)?;
    }
    if let Some(v) = field_of(&o, "minPaired", &label)? {
        opts.min_paired = range("minPaired", v, 2, 1_000_000)?;
    }
    Ok((suspect, candidates, control, opts))
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

/// Runs the core and converts its report. A throwing `onProgress` is not
/// called again and its exception is rethrown once the core has finished
/// (the core offers no way to stop early).
fn run(
    request: &AnalysisRequest,
    opts: &AnalysisOptions,
    on_progress: Option<js_sys::Function>,
) -> Result<JsValue, JsValue> {
    let mut thrown: Option<JsValue> = None;
    let mut progress = |stage: &str, fraction: f64| {
        if let (Some(f), None) = (&on_progress, &thrown) {
            if let Err(e) = f.call2(&JsValue::NULL, &stage.into(), &fraction.into()) {
                thrown = Some(e);
            }
        }
    };
    let report = analysis::analyze(request, opts, &mut progress).map_err(|e| {
        let code = if e.is_too_large() {
            "TOO_LARGE"
        } else {
            "BAD_ROLES"
        };
        error(code, &format!("analyze: {e}"))
    })?;
    if let Some(e) = thrown {
        return Err(e);
    }
    to_js("analyze", &Report::from(report))
}
