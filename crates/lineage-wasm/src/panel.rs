//! Reference panels in the browser (`docs/PANEL.md`).
//!
//! `Workspace.addPanel(file)` reads a `.lineage.jsonl.gz` the way
//! `addFile` reads a `.gz`: the `Blob`'s stream through the browser's
//! `DecompressionStream("gzip")`, here fed by hand so that a stream that
//! ends early (all the file given, no gzip trailer) is told from damaged
//! data. The decompressed chunks go to the core's `panel::Reader`, which
//! cuts them into lines, so every error names the file and the line as
//! the CLI's `lineage panel show` does. `panelText(samples, options)` is
//! the file a page saves: the core's `panel::build_from_samples`, header
//! then records, which the page compresses with `CompressionStream`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::workspace::{
    file_name, next_chunk, reading, samples_of, DecompressionStream, Workspace,
};
use super::{from_js, js_error, js_message, progress_fn, to_js};
use lineage::corpus::{self, InputOptions};
use lineage::error::Error;
use lineage::panel::{self, BuildOptions, PanelError};

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
    /// (`panel`: its sources with their suggested roles and families; the
    /// families go to this workspace's analyses, under the options' own
    /// `families`). All or nothing:
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
        let name = file_name(&file, opts.name, "panel.lineage.jsonl.gz");
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
        let size = file.size().max(1.0);
        loop {
            let bytes = match next_chunk(&output).await {
                Ok(Some(bytes)) => bytes,
                Ok(None) => break,
                Err(e) => return Err(fail(reader.gzip_error(fed.all_given.get(), &js_message(e)))),
            };
            // The panel's decompressed bytes count against the workspace's room.
            let room = usize::try_from(reader.bytes() + bytes.len() as u64).unwrap_or(usize::MAX);
            if let Err(e) = self.core.check_room(room) {
                let _ = output.cancel();
                return Err(js_error(e.context(func)));
            }
            reader.push_chunk(&bytes).map_err(fail)?;
            reading(&on_progress, fed.given.get() / size)?;
        }
        let panel = reader.finish().map_err(fail)?;
        let input = panel.input_file(name, fed.sha256());
        let added = self.core.add_panel(input, &panel);
        let added = to_js(&added.map_err(|e| js_error(e.context(func)))?)?;
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
    hasher: Rc<RefCell<corpus::InputHash>>,
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
                let Ok(chunk) = next_chunk(&input).await else {
                    // The browser could not read the file: the output side
                    // errors too and says so.
                    let _ = JsFuture::from(writer.abort()).await;
                    return;
                };
                let Some(bytes) = chunk else {
                    all_given.set(true);
                    let _ = JsFuture::from(writer.close()).await;
                    return;
                };
                hasher.borrow_mut().update(&bytes);
                given.set(given.get() + bytes.len() as f64);
                // A rejected write means the decompressor failed; the
                // output side reports it.
                let value = js_sys::Uint8Array::from(&bytes[..]);
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
        self.hasher.borrow().hex()
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
    panel::build_from_samples(samples, &opts).map_err(|e| js_error(Error::from(e).context(func)))
}
