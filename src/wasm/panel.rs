//! Reference panels in the browser (`docs/PANEL.md`).
//!
//! `Workspace.addPanel(file)` reads a `.lineage.jsonl.gz` the way
//! `addFile` reads a `.gz`: the `Blob`'s stream through the browser's
//! `DecompressionStream("gzip")`, here fed by hand so that a stream that
//! ends early (all the file given, no gzip trailer) is told from damaged
//! data. The decompressed lines go one at a time to the core's
//! `panel::Reader`, so every error names the file and the line as the
//! CLI's `lineage panel show` does. `panelText(samples, options)` is the
//! file a page saves: the core's `panel::build`, header then records,
//! which the page compresses with `CompressionStream`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::workspace::{samples_of, too_large, DecompressionStream, Workspace, MAX_TEXT_BYTES};
use super::{from_js, js_error, js_message, progress_fn, to_js};
use crate::corpus::{InputOptions, Sample};
use crate::error::Error;
use crate::panel::{self, BuildOptions, PanelError};
use crate::record::Record;
use crate::report::InputFile;

#[wasm_bindgen(typescript_custom_section)]
const TS_PANEL: &'static str = r#"
/** A panel's header record (the core's `panel::Header`). */
export type PanelHeader = Header;
/** How `panelText` builds a panel (the core's `panel::BuildOptions`). */
export type PanelOptions = BuildOptions;
/** What `Workspace.addPanel` added, and the panel's header (as in the file). */
export interface PanelAddResult extends AddResult {
    panel: PanelHeader;
}
"#;

#[wasm_bindgen]
impl Workspace {
    /// Reads a reference panel (`.lineage.jsonl.gz`, from `lineage panel
    /// build` or a page's "Save as a panel") as a stream and adds its
    /// answers. Resolves with what was added and the panel's header
    /// (`panel`: its sources with their suggested roles). All or nothing:
    /// throws `READ_FAILED` naming the file and line for a file that is
    /// not gzip, a gzip stream cut short or damaged, a first line that is
    /// not a panel header, an unknown schema version, a bad answer line or
    /// counts that disagree with the header; `TOO_LARGE` past 256 MiB.
    #[wasm_bindgen(js_name = addPanel, unchecked_return_type = "PanelAddResult")]
    pub async fn add_panel(
        &mut self,
        file: web_sys::Blob,
        #[wasm_bindgen(unchecked_optional_param_type = "InputOptions")] options: Option<JsValue>,
        #[wasm_bindgen(js_name = onProgress, unchecked_optional_param_type = "ProgressCallback")]
        on_progress: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let func = "Workspace.addPanel";
        let opts: InputOptions = from_js(func, "options", options)?;
        let on_progress = progress_fn(func, on_progress)?;
        let name = opts
            .name
            .or_else(|| file.dyn_ref::<web_sys::File>().map(web_sys::File::name))
            .unwrap_or_else(|| "panel.lineage.jsonl.gz".into());
        let fail = |e: PanelError| js_error(Error::from(e).context(func));

        // Not gzip at all: said as the native reader says it.
        let head = JsFuture::from(file.slice_with_i32_and_i32(0, 2)?.array_buffer()).await?;
        if let Some(e) = panel::not_gzip(&name, &js_sys::Uint8Array::new(&head).to_vec()) {
            return Err(fail(e));
        }

        let inflate = DecompressionStream::new("gzip")?;
        let output: web_sys::ReadableStreamDefaultReader =
            inflate.readable().get_reader().unchecked_into();
        let fed = Feed::start(&file, &inflate.writable())?;
        let mut reader = panel::Reader::new(&name);
        let mut pending: Vec<u8> = Vec::new();
        let mut total = 0u64;
        let size = file.size().max(1.0);
        loop {
            let chunk = match JsFuture::from(output.read()).await {
                Ok(c) => c.unchecked_into::<web_sys::ReadableStreamReadResult>(),
                Err(e) => {
                    let e = reader.gzip_error(fed.all_given.get(), &js_message(e));
                    return Err(fail(e));
                }
            };
            if chunk.get_done().unwrap_or(true) {
                break;
            }
            let bytes = js_sys::Uint8Array::new(&chunk.get_value()).to_vec();
            total += bytes.len() as u64;
            if total > panel::MAX_DECOMPRESSED_BYTES
                || self.bytes() + total as usize > MAX_TEXT_BYTES
            {
                let _ = output.cancel();
                return Err(too_large(func));
            }
            pending.extend_from_slice(&bytes);
            let mut start = 0;
            while let Some(end) = pending[start..].iter().position(|&b| b == b'\n') {
                reader
                    .push_bytes(&pending[start..start + end])
                    .map_err(fail)?;
                start += end + 1;
            }
            pending.drain(..start);
            if let Some(f) = &on_progress {
                let done = (fed.given.get() / size).min(1.0);
                f.call2(&JsValue::NULL, &"reading".into(), &done.into())?;
            }
        }
        if !pending.is_empty() {
            reader.push_bytes(&pending).map_err(fail)?;
        }
        let panel = reader.finish().map_err(fail)?;
        let samples: Vec<Sample> = panel.samples();
        let input = InputFile {
            name,
            sha256: fed.sha256(),
            samples: samples.len(),
            malformed_lines: 0,
        };
        let added = self.add_input(func, input, samples)?;
        js_sys::Reflect::set(&added, &"panel".into(), &to_js(&panel.header)?)?;
        Ok(added)
    }
}

/// The file's bytes written into the decompressor by a task of their own
/// (so the output is read meanwhile), hashed as they pass: the SHA-256 of
/// the file, as the CLI reports it.
struct Feed {
    /// Bytes of the file given so far.
    given: Rc<Cell<f64>>,
    /// The whole file was given and the input closed: an error after this
    /// is a stream that ends early.
    all_given: Rc<Cell<bool>>,
    hasher: Rc<RefCell<Sha256>>,
}

impl Feed {
    fn start(file: &web_sys::Blob, into: &web_sys::WritableStream) -> Result<Feed, JsValue> {
        let input: web_sys::ReadableStreamDefaultReader =
            file.stream().get_reader().unchecked_into();
        let writer = into.get_writer()?;
        let feed = Feed {
            given: Rc::default(),
            all_given: Rc::default(),
            hasher: Rc::default(),
        };
        let (given, all_given, hasher) = (
            feed.given.clone(),
            feed.all_given.clone(),
            feed.hasher.clone(),
        );
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                let Ok(chunk) = JsFuture::from(input.read()).await else {
                    // The browser could not read the file: the output side
                    // errors too and says so.
                    let _ = JsFuture::from(writer.abort()).await;
                    return;
                };
                let chunk: web_sys::ReadableStreamReadResult = chunk.unchecked_into();
                if chunk.get_done().unwrap_or(true) {
                    all_given.set(true);
                    let _ = JsFuture::from(writer.close()).await;
                    return;
                }
                let value = chunk.get_value();
                let bytes = js_sys::Uint8Array::new(&value);
                hasher.borrow_mut().update(bytes.to_vec());
                given.set(given.get() + f64::from(bytes.length()));
                // A rejected write means the decompressor failed; the
                // output side reports it.
                if JsFuture::from(writer.write_with_chunk(&value))
                    .await
                    .is_err()
                {
                    let _ = input.cancel();
                    return;
                }
            }
        });
        Ok(feed)
    }

    fn sha256(&self) -> String {
        let digest = self.hasher.borrow().clone().finalize();
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The text of a panel file (uncompressed) built from `samples`: the
/// header record, then one record per answer, exactly what `lineage panel
/// build` writes before gzip. Every source is a candidate unless
/// `options.roles` names it a control. Throws `BAD_ARGUMENT` for bad
/// options or no samples.
#[wasm_bindgen(js_name = panelText)]
pub fn panel_text(
    #[wasm_bindgen(unchecked_param_type = "Sample[]")] samples: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PanelOptions")] options: JsValue,
) -> Result<String, JsValue> {
    let func = "panelText";
    let samples = samples_of(func, samples)?;
    let opts: BuildOptions = from_js(func, "options", Some(options))?;
    let records = samples
        .into_iter()
        .map(|s| Record {
            source: s.source,
            prompt_id: s.prompt_id,
            prompt: s.prompt,
            text: s.text,
            meta: Default::default(),
            extra: Default::default(),
        })
        .collect();
    let (built, _notices) =
        panel::build(records, &opts).map_err(|e| js_error(Error::from(e).context(func)))?;
    Ok(built.to_jsonl())
}
