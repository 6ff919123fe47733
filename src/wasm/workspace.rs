//! `analyze(samples, options, onProgress?)` and the incremental
//! `Workspace`: samples, texts and files in, the core's `Report` out.
//!
//! Both forward to `crate::analysis::analyze`; files are read by the
//! core's `corpus::Reader`, the same reader as the CLI's, fed here from a
//! `Blob` stream a chunk at a time. What lives here is only the JS side:
//! loose arguments checked (each mistake named, with its index or field),
//! the stream read, and the limit that keeps a browser tab's memory safe.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{
    bad_argument, from_js, from_map, js_error, js_message, js_object, js_type_name, progress_fn,
    string_arg, to_js, JsonMap,
};
use crate::analysis::{self, AnalysisOptions, AnalysisRequest};
use crate::checks;
use crate::corpus::{self, AddResult, Format, InputOptions, LineError, Reader, Sample};
use crate::error::{Error, ErrorKind};
use crate::options::Roles;
use crate::report::{InputFile, Warning};

/// Most text (UTF-8 bytes) one analysis or one workspace may hold. The
/// analysis keeps several feature tables per text, a few times the text's
/// size, and a wasm32 instance has 4 GiB at most, shared with everything
/// else in the tab.
pub const MAX_TEXT_BYTES: usize = 256 << 20;

// web-sys has DecompressionStream only behind `--cfg web_sys_unstable_apis`
// (a flag for every build); the three members used are declared here.
#[wasm_bindgen]
extern "C" {
    pub(super) type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    pub(super) fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    pub(super) fn readable(this: &DecompressionStream) -> web_sys::ReadableStream;
    #[wasm_bindgen(method, getter)]
    pub(super) fn writable(this: &DecompressionStream) -> web_sys::WritableStream;
}

/// Analyses `samples` with the roles and parameters of `options` and
/// returns the report (the same document as the CLI's JSON).
///
/// Throws a `LineageError`: `EMPTY_INPUT` without samples, `BAD_ARGUMENT`
/// for a malformed sample or option (the message names it),
/// `UNKNOWN_SOURCE` when a role names a source no sample has, `BAD_ROLES`
/// when the roles cannot be analysed, `TOO_LARGE` past the size limits.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn analyze(
    #[wasm_bindgen(unchecked_param_type = "Sample[]")] samples: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions")] options: JsValue,
    #[wasm_bindgen(js_name = onProgress, unchecked_optional_param_type = "ProgressCallback")]
    on_progress: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let mut ws = Workspace::new();
    for sample in samples_of("analyze", samples)? {
        ws.push(sample, "analyze")?;
    }
    ws.run("analyze", options, progress_fn("analyze", on_progress)?)
}

/// Counts per source (samples, words, paired prompts) and the warnings
/// the analysis would give about these samples with the roles chosen so
/// far, with the analysis's own thresholds.
#[wasm_bindgen(unchecked_return_type = "Preflight")]
pub fn preflight(
    #[wasm_bindgen(unchecked_param_type = "Sample[]")] samples: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "PreflightOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let samples = samples_of("preflight", samples)?;
    let options = from_js("preflight", "options", options)?;
    to_js(&checks::preflight(&samples, &options))
}

/// Occurrences of each item (a word, or words separated by spaces) in
/// each source, counted on the engine's case-folded words.
#[wasm_bindgen(js_name = countItems, unchecked_return_type = "ItemCounts")]
pub fn count_items(
    #[wasm_bindgen(unchecked_param_type = "Sample[]")] samples: JsValue,
    items: Vec<String>,
) -> Result<JsValue, JsValue> {
    to_js(&checks::count_items(
        &samples_of("countItems", samples)?,
        &items,
    ))
}

/// Samples collected a few at a time (pasted texts, files read one by
/// one), analysed as often as wanted. The texts live in the module's
/// memory only, so a page need not keep a second copy; call `free()` when
/// done (or let the garbage collector do it).
#[wasm_bindgen]
#[derive(Default)]
pub struct Workspace {
    samples: Vec<Sample>,
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
        self.push(sample_of(sample, "Workspace.add: sample")?, "Workspace.add")?;
        self.result(1, &[])
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
        self.add_text("Workspace.addJsonl", Format::Jsonl, text, options)
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
        self.add_text("Workspace.addCsv", Format::Csv, text, options)
    }

    /// Reads a `File` or `Blob` of JSON Lines or CSV (by its name:
    /// `.csv`, else JSON Lines; a `.gz` name is decompressed first) as a
    /// stream, whole lines at a time, with the CLI's reader: the same
    /// samples, line errors and SHA-256 as `lineage analyze` gets from
    /// the same file. `onProgress(stage, fraction)` gets the share of the
    /// file's bytes read. Throws as `addJsonl`/`addCsv`, `READ_FAILED`
    /// when the browser cannot read the file, `TOO_LARGE` past the limit.
    #[wasm_bindgen(js_name = addFile, unchecked_return_type = "AddResult")]
    pub async fn add_file(
        &mut self,
        file: web_sys::Blob,
        #[wasm_bindgen(unchecked_optional_param_type = "InputOptions")] options: Option<JsValue>,
        #[wasm_bindgen(js_name = onProgress, unchecked_optional_param_type = "ProgressCallback")]
        on_progress: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let func = "Workspace.addFile";
        let opts: InputOptions = from_js(func, "options", options)?;
        let on_progress = progress_fn(func, on_progress)?;
        let file_name = file.dyn_ref::<web_sys::File>().map(web_sys::File::name);
        let name = opts
            .name
            .or(file_name)
            .unwrap_or_else(|| format!("input-{}.jsonl", self.inputs.len() + 1));
        let lower = name.to_ascii_lowercase();
        let gz = lower.ends_with(".gz");
        let format = Format::from_name(lower.trim_end_matches(".gz"));
        let total = file.size().max(1.0);
        let mut stream = file.stream();
        if gz {
            let inflate = DecompressionStream::new("gzip")?;
            let pair = web_sys::ReadableWritablePair::new(&inflate.readable(), &inflate.writable());
            stream = stream.pipe_through(&pair);
        }
        let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
        let mut parser = Reader::new(&name, format, opts.source.as_deref());
        let read_failed = |e: JsValue| {
            js_error(Error::new(
                ErrorKind::ReadFailed,
                format!("{func}: cannot read {name}: {}", js_message(e)),
            ))
        };
        loop {
            let chunk: web_sys::ReadableStreamReadResult = JsFuture::from(reader.read())
                .await
                .map_err(read_failed)?
                .unchecked_into();
            if chunk.get_done().unwrap_or(true) {
                break;
            }
            let bytes = js_sys::Uint8Array::new(&chunk.get_value()).to_vec();
            parser.push(&bytes);
            // Decompressed bytes may outgrow the file; the limit is on what is read.
            if self.bytes + parser.bytes() > MAX_TEXT_BYTES {
                let _ = reader.cancel();
                return Err(too_large(func));
            }
            if let Some(f) = &on_progress {
                let done = (parser.bytes() as f64 / total).min(1.0);
                f.call2(&JsValue::NULL, &"reading".into(), &done.into())?;
            }
        }
        self.add_parsed(func, format, parser.finish())
    }

    /// Every sample in the workspace, in the order added (as `Sample`s,
    /// prompt ids as strings).
    #[wasm_bindgen(unchecked_return_type = "Sample[]")]
    pub fn records(&self) -> Result<JsValue, JsValue> {
        to_js(&self.samples)
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
        let on_progress = progress_fn("Workspace.analyze", on_progress)?;
        self.run("Workspace.analyze", options, on_progress)
    }
}

impl Workspace {
    /// UTF-8 bytes of text held.
    pub(super) fn bytes(&self) -> usize {
        self.bytes
    }

    /// Adds the samples of one input read elsewhere (a panel), all or
    /// nothing; the report lists the input as the CLI's does.
    pub(super) fn add_input(
        &mut self,
        func: &str,
        input: InputFile,
        samples: Vec<Sample>,
    ) -> Result<JsValue, JsValue> {
        let text_bytes: usize = samples.iter().map(|s| s.text.len()).sum();
        if self.bytes + text_bytes > MAX_TEXT_BYTES {
            return Err(too_large(func));
        }
        self.inputs.push(input);
        let added = samples.len();
        self.bytes += text_bytes;
        self.samples.extend(samples);
        self.result(added, &[])
    }

    fn push(&mut self, sample: Sample, func: &str) -> Result<(), JsValue> {
        if self.bytes + sample.text.len() > MAX_TEXT_BYTES {
            return Err(too_large(func));
        }
        self.bytes += sample.text.len();
        self.samples.push(sample);
        Ok(())
    }

    fn add_text(
        &mut self,
        func: &str,
        format: Format,
        text: JsValue,
        options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        // Checked before the string is copied into the module: a UTF-16
        // code unit is at least one UTF-8 byte.
        if let Some(s) = text.dyn_ref::<js_sys::JsString>() {
            if self.bytes + s.length() as usize > MAX_TEXT_BYTES {
                return Err(too_large(func));
            }
        }
        let text = string_arg(&format!("{func}: text"), &text)?;
        let opts: InputOptions = from_js(func, "options", options)?;
        let ext = if format == Format::Csv {
            "csv"
        } else {
            "jsonl"
        };
        let name = opts
            .name
            .unwrap_or_else(|| format!("input-{}.{ext}", self.inputs.len() + 1));
        let parsed = corpus::read(&name, text.as_bytes(), format, opts.source.as_deref());
        self.add_parsed(func, format, parsed)
    }

    /// Keeps what a reader parsed; the report will list the input and warn
    /// about what was skipped, as the CLI's does.
    fn add_parsed(
        &mut self,
        func: &str,
        format: Format,
        parsed: corpus::Parsed,
    ) -> Result<JsValue, JsValue> {
        if let Some(e) = parsed.refusal(format) {
            return Err(js_error(e.context(func)));
        }
        let text_bytes: usize = parsed.samples.iter().map(|s| s.text.len()).sum();
        if self.bytes + text_bytes > MAX_TEXT_BYTES {
            return Err(too_large(func));
        }
        self.warnings.extend(parsed.report_warnings());
        self.inputs.push(parsed.input_file());
        let added = parsed.samples.len();
        self.bytes += text_bytes;
        self.samples.extend(parsed.samples);
        self.result(added, &parsed.errors)
    }

    fn result(&self, added: usize, errors: &[LineError]) -> Result<JsValue, JsValue> {
        to_js(&AddResult::new(added, errors, &self.samples))
    }

    /// Runs the core on the samples and converts its report. A throwing
    /// `onProgress` is not called again and its exception is rethrown once
    /// the core has finished (the core offers no way to stop early).
    fn run(
        &mut self,
        func: &str,
        options: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> Result<JsValue, JsValue> {
        if self.samples.is_empty() {
            let e = Error::new(ErrorKind::EmptyInput, "there are no samples");
            return Err(js_error(e.context(func)));
        }
        let (roles, opts) = analyze_options(func, options)?;
        let mut request = AnalysisRequest {
            // Moved in and back, so the texts are never copied.
            samples: std::mem::take(&mut self.samples),
            suspect: roles.suspect,
            candidates: roles.candidates,
            control: roles.control,
            inputs: self.inputs.clone(),
            input_warnings: self.warnings.clone(),
            size_limits: corpus::SizeLimits::default(),
        };
        let mut thrown: Option<JsValue> = None;
        let mut progress = |stage: &str, fraction: f64| {
            if let (Some(f), None) = (&on_progress, &thrown) {
                if let Err(e) = f.call2(&JsValue::NULL, &stage.into(), &fraction.into()) {
                    thrown = Some(e);
                }
            }
        };
        let report = analysis::analyze(&request, &opts, &mut progress);
        self.samples = std::mem::take(&mut request.samples);
        let report = report.map_err(|e| js_error(e.context(func)))?;
        match thrown {
            Some(e) => Err(e),
            None => to_js(&report),
        }
    }
}

/// The roles and the parameters of one options object: `suspect`,
/// `candidates` and `control` are the roles, every other key must be an
/// `AnalysisOptions` field (in range: checked by the core's `validate`).
fn analyze_options(func: &str, options: JsValue) -> Result<(Roles, AnalysisOptions), JsValue> {
    if !options.is_object() || js_sys::Array::is_array(&options) {
        return Err(bad_argument(&format!(
            "{func}: options must be an object naming the suspect and the candidates, got {}",
            js_type_name(&options)
        )));
    }
    let (roles, params): (JsonMap, JsonMap) = js_object(func, "options", options)?
        .into_iter()
        .partition(|(k, _)| matches!(k.as_str(), "suspect" | "candidates" | "control"));
    let label = format!("{func}: options");
    let roles: Roles = from_map(&label, roles)?;
    let opts: AnalysisOptions = from_map(&label, params)?;
    opts.validate()
        .map_err(|e| js_error(e.context(&format!("{func}: options"))))?;
    Ok((roles, opts))
}

/// The samples of a JS array, each checked (the error names its index).
pub(super) fn samples_of(func: &str, samples: JsValue) -> Result<Vec<Sample>, JsValue> {
    if !js_sys::Array::is_array(&samples) {
        return Err(bad_argument(&format!(
            "{func}: samples must be an array, got {}",
            js_type_name(&samples)
        )));
    }
    let array = js_sys::Array::from(&samples);
    let label = |i| format!("{func}: samples[{i}]");
    array
        .iter()
        .enumerate()
        .map(|(i, v)| sample_of(v, &label(i)))
        .collect()
}

/// One sample from a JS value, or a `BAD_ARGUMENT` naming it (`label`).
fn sample_of(value: JsValue, label: &str) -> Result<Sample, JsValue> {
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(bad_argument(&format!(
            "{label} must be an object {{source, text, promptId?, prompt?}}, got {}",
            js_type_name(&value)
        )));
    }
    let (label, arg) = label.rsplit_once(": ").unwrap_or(("", label));
    from_js(label, arg, Some(value))
}

pub(super) fn too_large(func: &str) -> JsValue {
    js_error(Error::new(
        ErrorKind::TooLarge,
        format!(
            "{func}: more than {} MiB of text (the module's limit)",
            MAX_TEXT_BYTES >> 20
        ),
    ))
}
