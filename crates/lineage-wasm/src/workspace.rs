//! `analyze`, `analyzeWith` and `crossValidation` (the same analysis with
//! the classifier's cross-validation in a second worker), and the
//! incremental `Workspace`: samples, texts and files in, the core's
//! `Report` out. All forward to the core's `workspace::Workspace`; files
//! are read by the core's `corpus::Reader` (the CLI's), fed here from a
//! `Blob` stream a chunk at a time. What lives here is only the JS side:
//! loose arguments checked (each mistake named) and the stream read.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{from_js, js_error, js_message, json_of, progress_fn, string_arg, to_js};
use lineage::analysis::{Progress, Separability};
use lineage::checks;
use lineage::corpus::{self, AddResult, Format, InputOptions, Reader, Sample};
use lineage::error::Error;
use lineage::workspace;
use serde_json::Value;

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
    let func = "analyze";
    let on_progress = progress_fn(func, on_progress)?;
    let report =
        workspace_of(func, samples)?.run(func, options, on_progress, |c, o, p| c.analyze(o, p));
    to_js(&report?)
}

/// `analyze` with the classifier's cross-validation (over half the work)
/// run elsewhere meanwhile, by `crossValidation(samples, options)` in a
/// second worker: `crossValidation` here is the promise of its result
/// (`null`: run it here). The report is `analyze`'s, to the bit.
#[wasm_bindgen(js_name = analyzeWith, unchecked_return_type = "Report")]
pub async fn analyze_with(
    #[wasm_bindgen(unchecked_param_type = "Sample[]")] samples: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions")] options: JsValue,
    #[wasm_bindgen(js_name = crossValidation, unchecked_param_type = "Promise<Separability | null>")]
    cross_validation: js_sys::Promise,
    #[wasm_bindgen(js_name = onProgress, unchecked_optional_param_type = "ProgressCallback")]
    on_progress: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    // Callers call `analyze` (lineage/worker runs this for them): its name heads the messages.
    let func = "analyze";
    let on_progress = progress_fn(func, on_progress)?;
    let mut ws = workspace_of(func, samples)?;
    let pending = ws.run(func, options, on_progress.clone(), |c, o, p| c.begin(o, p))?;
    let cv = JsFuture::from(cross_validation).await?;
    let cv: Option<Separability> = json_of(&format!("{func}: crossValidation"), cv)?;
    let report = with_progress(func, on_progress, |p| Ok(pending.finish(cv, p)));
    to_js(&report?)
}

/// The classifier's cross-validation for `analyzeWith`; `null` when
/// there is no classifier.
#[wasm_bindgen(js_name = crossValidation, unchecked_return_type = "Separability | null")]
pub fn cross_validation(
    #[wasm_bindgen(unchecked_param_type = "Sample[]")] samples: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let mut ws = workspace_of("crossValidation", samples)?;
    to_js(&ws.run("crossValidation", options, None, |c, o, _| {
        c.cross_validation(o)
    })?)
}

/// A workspace holding `samples` (each checked).
fn workspace_of(func: &str, samples: JsValue) -> Result<Workspace, JsValue> {
    let core = workspace::Workspace::of_samples(samples_of(func, samples)?);
    core.map(|core| Workspace { core })
        .map_err(|e| js_error(e.context(func)))
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
    let samples = samples_of("countItems", samples)?;
    to_js(&checks::count_items(&samples, &items))
}

/// Samples collected a few at a time (pasted texts, files read one by
/// one), analysed as often as wanted. The texts live in the module's
/// memory only, so a page need not keep a second copy; call `free()` when
/// done (or let the garbage collector do it).
#[wasm_bindgen]
#[derive(Default)]
pub struct Workspace {
    pub(super) core: workspace::Workspace,
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
        self.core.len()
    }

    /// Adds one sample; throws `BAD_ARGUMENT` if it is malformed and
    /// `TOO_LARGE` past the size limit (the workspace is then unchanged).
    #[wasm_bindgen(unchecked_return_type = "AddResult")]
    pub fn add(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Sample")] sample: JsValue,
    ) -> Result<JsValue, JsValue> {
        let label = "Workspace.add: sample";
        let sample = corpus::loose_sample(label, "an object", json_of(label, sample)?);
        let added = self.core.add(sample.map_err(js_error)?);
        done("Workspace.add", added)
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
        let name = file_name(&file, opts.name, &self.core.input_name(None, "jsonl"));
        let lower = name.to_ascii_lowercase();
        let format = Format::from_name(lower.trim_end_matches(".gz"));
        let total = file.size().max(1.0);
        let mut stream = file.stream();
        if lower.ends_with(".gz") {
            let inflate = DecompressionStream::new("gzip")?;
            let pair = web_sys::ReadableWritablePair::new(&inflate.readable(), &inflate.writable());
            stream = stream.pipe_through(&pair);
        }
        let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
        let mut parser = Reader::new(&name, format, opts.source.as_deref());
        let read_failed = |e| js_error(Error::read_failed(&name, js_message(e)).context(func));
        while let Some(bytes) = next_chunk(&reader).await.map_err(read_failed)? {
            parser.push(&bytes);
            // Decompressed bytes may outgrow the file; the limit is on what is read.
            if let Err(e) = self.core.check_room(parser.bytes()) {
                let _ = reader.cancel();
                return Err(js_error(e.context(func)));
            }
            reading(&on_progress, parser.bytes() as f64 / total)?;
        }
        done(func, self.core.add_parsed(format, parser.finish()))
    }

    /// Every sample in the workspace, in the order added (as `Sample`s,
    /// prompt ids as strings).
    #[wasm_bindgen(unchecked_return_type = "Sample[]")]
    pub fn records(&self) -> Result<JsValue, JsValue> {
        to_js(self.core.samples())
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
        to_js(&self.run(func, options, on_progress, |c, o, p| c.analyze(o, p))?)
    }
}

impl Workspace {
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
            let room = self.core.check_room(s.length() as usize);
            room.map_err(|e| js_error(e.context(func)))?;
        }
        let text = string_arg(&format!("{func}: text"), &text)?;
        let opts: InputOptions = from_js(func, "options", options)?;
        done(func, self.core.add_text(format, &text, opts))
    }

    /// Runs `call` on the core's workspace with the options object and
    /// `on_progress`; errors are named after `func`.
    fn run<T>(
        &mut self,
        func: &str,
        options: JsValue,
        on_progress: Option<js_sys::Function>,
        call: impl FnOnce(&mut workspace::Workspace, Value, Progress<'_>) -> Result<T, Error>,
    ) -> Result<T, JsValue> {
        let options = json_of(&format!("{func}: options"), options)?;
        with_progress(func, on_progress, |p| call(&mut self.core, options, p))
    }
}

/// Runs `f` with `on_progress` as the core's progress. A throwing
/// `onProgress` is not called again and its exception is rethrown once
/// the core has finished (the core offers no way to stop early).
fn with_progress<T>(
    func: &str,
    on_progress: Option<js_sys::Function>,
    f: impl FnOnce(Progress<'_>) -> Result<T, Error>,
) -> Result<T, JsValue> {
    let mut thrown: Option<JsValue> = None;
    let mut progress = |stage: &str, fraction: f64| {
        if let (Some(f), None) = (&on_progress, &thrown) {
            if let Err(e) = f.call2(&JsValue::NULL, &stage.into(), &fraction.into()) {
                thrown = Some(e);
            }
        }
    };
    let result = f(&mut progress).map_err(|e| js_error(e.context(func)))?;
    match thrown {
        Some(e) => Err(e),
        None => Ok(result),
    }
}

/// What an `add…` call returns: its `AddResult`, or its error named after it.
fn done(func: &str, added: Result<AddResult, Error>) -> Result<JsValue, JsValue> {
    to_js(&added.map_err(|e| js_error(e.context(func)))?)
}

/// How an input read from `file` is named: `name` if given, else the
/// `File`'s name, else `fallback`.
pub(super) fn file_name(file: &web_sys::Blob, name: Option<String>, fallback: &str) -> String {
    name.or_else(|| file.dyn_ref::<web_sys::File>().map(web_sys::File::name))
        .unwrap_or_else(|| fallback.to_string())
}

/// Tells `on_progress`, if there is one, the share of an input read.
pub(super) fn reading(on_progress: &Option<js_sys::Function>, done: f64) -> Result<(), JsValue> {
    if let Some(f) = on_progress {
        f.call2(&JsValue::NULL, &"reading".into(), &done.min(1.0).into())?;
    }
    Ok(())
}

/// The next chunk of a byte stream, `None` at its end.
pub(super) async fn next_chunk(
    reader: &web_sys::ReadableStreamDefaultReader,
) -> Result<Option<Vec<u8>>, JsValue> {
    let chunk: web_sys::ReadableStreamReadResult =
        JsFuture::from(reader.read()).await?.unchecked_into();
    if chunk.get_done().unwrap_or(true) {
        return Ok(None);
    }
    Ok(Some(js_sys::Uint8Array::new(&chunk.get_value()).to_vec()))
}

/// The samples of a JS array, each checked by the core (an error names
/// its index and field).
pub(super) fn samples_of(func: &str, samples: JsValue) -> Result<Vec<Sample>, JsValue> {
    let label = format!("{func}: samples");
    corpus::loose_samples(&label, "an object", json_of(&label, samples)?).map_err(js_error)
}
