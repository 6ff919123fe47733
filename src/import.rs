//! Importers: answers people already have, turned into records of the
//! JSONL input format ([`Record`]).
//!
//! One mapping serves every layout: a JSON array of objects (AlpacaEval's
//! `results/<model>/model_outputs.json`), JSON Lines, or CSV with a
//! header, and names the fields that hold the text, the prompt, the
//! source and the prompt id. AlpacaEval is the mapping `output`,
//! `instruction`, `generator` with the prompt id derived from the
//! instruction ([`prompt_id_of`], the convention of the development
//! data), so two models' files pair up prompt by prompt.
//!
//! Import is all or nothing: every bad item is reported with the file and
//! its line (JSON Lines, CSV) or element (`[16]`, as `jq` counts, in a
//! JSON array), and then nothing is returned, so no half-imported file is
//! ever written.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{json, Map, Value};

use crate::record::{id_string, prompt_id_of, Record};

/// Which field holds what. Field names are matched exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMap {
    pub text: String,
    /// None: the records carry no prompt.
    pub prompt: Option<String>,
    /// None: every record takes the source given in [`ImportOptions`].
    pub source: Option<String>,
    /// None: the id is derived from the prompt ([`prompt_id_of`]), or
    /// absent when there is no prompt either.
    pub id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOptions {
    pub fields: FieldMap,
    /// Overrides the source field (and is required without one).
    pub source: Option<String>,
    /// Recorded in `meta.importer`.
    pub importer: String,
    /// Fields copied into `meta` when present (AlpacaEval's `dataset`).
    pub meta_fields: Vec<String>,
}

impl ImportOptions {
    /// AlpacaEval's `model_outputs.json`: `{instruction, output, generator,
    /// dataset}`.
    pub fn alpaca_eval(source: Option<String>) -> Self {
        Self {
            fields: FieldMap {
                text: "output".into(),
                prompt: Some("instruction".into()),
                source: Some("generator".into()),
                id: None,
            },
            source,
            importer: "alpaca-eval".into(),
            meta_fields: vec!["dataset".into()],
        }
    }
}

/// How a file's items are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One JSON array of objects.
    JsonArray,
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
}

impl Layout {
    /// `.csv` is CSV; otherwise a file whose first non-blank byte is `[`
    /// is a JSON array, anything else JSON Lines.
    pub fn detect(name: &str, bytes: &[u8]) -> Layout {
        if name.to_ascii_lowercase().ends_with(".csv") {
            return Layout::Csv;
        }
        let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[') => Layout::JsonArray,
            _ => Layout::Jsonl,
        }
    }
}

/// Where in a file an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole.
    File,
    /// A 1-based line (JSON Lines, CSV, or a JSON syntax error).
    Line(usize),
    /// A 0-based element of a JSON array (as `jq '.[16]'` finds it).
    Element(usize),
}

/// One item that could not be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub location: Location,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Location::File => write!(f, "{}: {}", self.file, self.message),
            Location::Line(n) => write!(f, "{}:{}: {}", self.file, n, self.message),
            Location::Element(i) => write!(f, "{}: element [{}]: {}", self.file, i, self.message),
        }
    }
}

/// The records of one file and what was left out on purpose.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imported {
    pub records: Vec<Record>,
    /// Items whose text is empty or blank (the development data leaves
    /// them out too: an empty answer has no style).
    pub skipped_empty: usize,
    /// Items repeating a (source, prompt id) already imported; the first
    /// is kept.
    pub duplicates: usize,
    /// Records with neither an id nor a prompt: they cannot be paired.
    pub without_id: usize,
}

/// At most this many errors are listed for one file.
const MAX_ERRORS: usize = 20;

/// Imports one file. `name` is used in errors and in `meta.file` (its
/// last path component).
pub fn import(
    name: &str,
    bytes: &[u8],
    layout: Layout,
    opts: &ImportOptions,
) -> Result<Imported, Vec<ImportError>> {
    let err = |location: Location, message: String| ImportError {
        file: name.to_string(),
        location,
        message,
    };
    if opts.fields.source.is_none() && opts.source.is_none() {
        return Err(vec![err(
            Location::File,
            "no source: name a --source-field or give --source".into(),
        )]);
    }
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let content = std::str::from_utf8(body).map_err(|e| {
        let at = e.valid_up_to();
        let line = 1 + body[..at].iter().filter(|&&b| b == b'\n').count();
        vec![err(
            Location::Line(line),
            format!("invalid UTF-8 at byte {at}"),
        )]
    })?;
    let items = items(content, layout).map_err(|(loc, m)| vec![err(loc, m)])?;
    let base = base_name(name);
    let mut out = Imported::default();
    let mut errors = Vec::new();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for (loc, item) in items {
        match item.and_then(|obj| map_item(obj, opts, &base)) {
            Err(m) => errors.push(err(loc, m)),
            Ok(None) => out.skipped_empty += 1,
            Ok(Some(r)) => {
                if let Some(id) = &r.prompt_id {
                    if !seen.insert((r.source.clone(), id.clone())) {
                        out.duplicates += 1;
                        continue;
                    }
                } else {
                    out.without_id += 1;
                }
                out.records.push(r);
            }
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.records.is_empty() {
        return Err(vec![err(
            Location::File,
            format!(
                "nothing to import ({} item(s) with an empty text)",
                out.skipped_empty
            ),
        )]);
    }
    Ok(out)
}

type Item = Result<Map<String, Value>, String>;

/// The file's items as JSON objects, each with its location; a syntax
/// error that stops the whole file is returned alone.
fn items(content: &str, layout: Layout) -> Result<Vec<(Location, Item)>, (Location, String)> {
    match layout {
        Layout::JsonArray => {
            let value: Value = serde_json::from_str(content).map_err(|e| {
                // serde_json's message ends with the position, given here
                // as the location instead.
                let full = e.to_string();
                let suffix = format!(" at line {} column {}", e.line(), e.column());
                let what = full.strip_suffix(&suffix).unwrap_or(&full);
                (
                    Location::Line(e.line()),
                    format!("malformed JSON (column {}): {what}", e.column()),
                )
            })?;
            let Value::Array(elements) = value else {
                return Err((Location::File, "expected a JSON array of objects".into()));
            };
            Ok(elements
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Location::Element(i), object(v)))
                .collect())
        }
        Layout::Jsonl => Ok(content
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                let item = serde_json::from_str::<Value>(l.trim())
                    .map_err(|e| format!("malformed json: {e}"))
                    .and_then(object);
                (Location::Line(i + 1), item)
            })
            .collect()),
        Layout::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .flexible(false)
                .from_reader(content.as_bytes());
            let header: Vec<String> = reader
                .headers()
                .map_err(|e| (Location::Line(1), format!("unreadable csv header: {e}")))?
                .iter()
                .map(|h| h.trim().to_string())
                .collect();
            Ok(reader
                .records()
                .map(|rec| match rec {
                    Err(e) => {
                        let line = e.position().map_or(0, |p| p.line() as usize);
                        (
                            Location::Line(line),
                            Err(format!("malformed csv record: {e}")),
                        )
                    }
                    Ok(r) => {
                        let line = r.position().map_or(0, |p| p.line() as usize);
                        let obj = header
                            .iter()
                            .zip(r.iter())
                            .map(|(h, v)| (h.clone(), json!(v)))
                            .collect();
                        (Location::Line(line), Ok(obj))
                    }
                })
                .collect())
        }
    }
}

fn object(v: Value) -> Item {
    match v {
        Value::Object(o) => Ok(o),
        other => Err(format!(
            "expected a JSON object, found {}",
            match other {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "null",
            }
        )),
    }
}

/// One item as a record; None when its text is empty.
fn map_item(
    mut obj: Map<String, Value>,
    opts: &ImportOptions,
    file: &str,
) -> Result<Option<Record>, String> {
    let f = &opts.fields;
    let text = match obj.get(&f.text) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => return Err(format!("no {:?} field (the text)", f.text)),
        Some(_) => return Err(format!("{:?} (the text) is not a string", f.text)),
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    let named_source = match &f.source {
        None => None,
        Some(k) => match obj.get(k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            _ if opts.source.is_some() => None,
            Some(Value::String(_)) => return Err(format!("{k:?} (the source) is empty")),
            Some(Value::Null) | None => {
                return Err(format!("no {k:?} field (the source); or give --source"))
            }
            Some(_) => return Err(format!("{k:?} (the source) is not a string")),
        },
    };
    let Some(source) = opts.source.clone().or_else(|| named_source.clone()) else {
        return Err("no source".into());
    };
    let prompt = match &f.prompt {
        None => None,
        Some(k) => match obj.get(k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) | None => return Err(format!("no {k:?} field (the prompt)")),
            Some(_) => return Err(format!("{k:?} (the prompt) is not a string")),
        },
    };
    let prompt_id = match &f.id {
        Some(k) => Some(
            obj.get(k)
                .and_then(id_string)
                .ok_or_else(|| format!("{k:?} (the prompt id) is missing or empty"))?,
        ),
        None => prompt.as_deref().map(prompt_id_of),
    };
    let mut meta = Map::new();
    meta.insert("importer".into(), json!(opts.importer));
    meta.insert("file".into(), json!(file));
    if let Some(s) = named_source {
        meta.insert("model".into(), json!(s));
    }
    for k in &opts.meta_fields {
        if let Some(v) = obj.remove(k) {
            meta.insert(k.clone(), v);
        }
    }
    Ok(Some(Record {
        source,
        prompt_id,
        prompt,
        text,
        meta,
        extra: Map::new(),
    }))
}

/// The last component of a path, for `meta.file` (a folder name may say
/// something private about the user's machine).
fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALPACA: &str = r#"[
  {"instruction": "How did US states get their names?", "output": "From many places.", "generator": "m1", "dataset": "helpful_base"},
  {"instruction": "Say hi", "output": "", "generator": "m1", "dataset": "x"},
  {"instruction": "Say bye", "output": "Bye.", "generator": "m1"}
]"#;

    #[test]
    fn alpaca_eval_file() {
        let opts = ImportOptions::alpaca_eval(None);
        let got = import(
            "results/m1/model_outputs.json",
            ALPACA.as_bytes(),
            Layout::JsonArray,
            &opts,
        )
        .unwrap();
        assert_eq!(got.records.len(), 2);
        assert_eq!(got.skipped_empty, 1);
        let r = &got.records[0];
        assert_eq!(r.source, "m1");
        // The id of the development data for this instruction.
        assert_eq!(r.prompt_id.as_deref(), Some("08a2161485c1"));
        assert_eq!(r.meta["dataset"], "helpful_base");
        assert_eq!(r.meta["file"], "model_outputs.json");
        assert_eq!(r.meta["importer"], "alpaca-eval");
        assert_eq!(r.meta["model"], "m1");
        // --source overrides the generator, which stays in meta.
        let opts = ImportOptions::alpaca_eval(Some("mine".into()));
        let got = import("f.json", ALPACA.as_bytes(), Layout::JsonArray, &opts).unwrap();
        assert_eq!(got.records[0].source, "mine");
        assert_eq!(got.records[0].meta["model"], "m1");
    }

    #[test]
    fn bad_items_are_located() {
        let alpaca = ImportOptions::alpaca_eval(None);
        // (name, file, layout, options, expected errors as displayed)
        let generic = ImportOptions {
            fields: FieldMap {
                text: "answer".into(),
                prompt: Some("question".into()),
                source: None,
                id: Some("qid".into()),
            },
            source: Some("s".into()),
            importer: "fields".into(),
            meta_fields: vec![],
        };
        let cases: Vec<(&str, &str, Layout, &ImportOptions, Vec<&str>)> = vec![
            (
                "element without output, element not an object",
                r#"[{"instruction":"a","output":"x","generator":"g"},{"instruction":"b","generator":"g"},3]"#,
                Layout::JsonArray,
                &alpaca,
                vec![
                    "f: element [1]: no \"output\" field (the text)",
                    "f: element [2]: expected a JSON object, found a number",
                ],
            ),
            (
                "missing generator",
                r#"[{"instruction":"a","output":"x"}]"#,
                Layout::JsonArray,
                &alpaca,
                vec!["f: element [0]: no \"generator\" field (the source); or give --source"],
            ),
            (
                "truncated array",
                "[\n{\"instruction\":\"a\",\n",
                Layout::JsonArray,
                &alpaca,
                vec!["f:3: malformed JSON (column 0): EOF while parsing a value"],
            ),
            (
                "an object, not an array",
                r#"{"instruction":"a"}"#,
                Layout::JsonArray,
                &alpaca,
                vec!["f: expected a JSON array of objects"],
            ),
            (
                "jsonl: bad line and missing id",
                "{\"answer\":\"x\",\"question\":\"q\",\"qid\":1}\nnot json\n\n{\"answer\":\"y\",\"question\":\"q\"}\n",
                Layout::Jsonl,
                &generic,
                vec![
                    "f:2: malformed json: expected ident at line 1 column 2",
                    "f:4: \"qid\" (the prompt id) is missing or empty",
                ],
            ),
            (
                "csv: short record",
                "qid,question,answer\n1,q,a\n2,q\n",
                Layout::Csv,
                &generic,
                vec!["f:3: malformed csv record: CSV error: record 2 (line: 3, byte: 26): found record with 2 fields, but the previous record has 3 fields"],
            ),
            (
                "only empty texts",
                "[{\"instruction\":\"a\",\"output\":\" \",\"generator\":\"g\"}]",
                Layout::JsonArray,
                &alpaca,
                vec!["f: nothing to import (1 item(s) with an empty text)"],
            ),
        ];
        for (name, file, layout, opts, want) in cases {
            match import("f", file.as_bytes(), layout, opts) {
                Ok(got) => panic!("{name}: imported {got:?}"),
                Err(errs) => {
                    let got: Vec<String> = errs.iter().map(ToString::to_string).collect();
                    assert_eq!(got, want, "{name}");
                }
            }
        }
    }

    #[test]
    fn generic_mappings() {
        let opts = ImportOptions {
            fields: FieldMap {
                text: "response".into(),
                prompt: Some("question".into()),
                source: Some("model".into()),
                id: None,
            },
            source: None,
            importer: "fields".into(),
            meta_fields: vec![],
        };
        let csv = "model,question,response\nm,\"How did US states get their names?\",\"a, b\"\nm,Hi,x\nm,Hi,y\n";
        let got = import("d.csv", csv.as_bytes(), Layout::Csv, &opts).unwrap();
        assert_eq!(got.records.len(), 2);
        assert_eq!(got.duplicates, 1, "the second answer to Hi is dropped");
        assert_eq!(got.records[0].text, "a, b");
        assert_eq!(got.records[0].prompt_id.as_deref(), Some("08a2161485c1"));
        let jsonl = "{\"response\":\"x\",\"question\":\"Hi\",\"model\":\"m\"}\n";
        let got = import("d.jsonl", jsonl.as_bytes(), Layout::Jsonl, &opts).unwrap();
        assert_eq!(got.records[0].source, "m");
        // Without a prompt or id field the records cannot be paired.
        let bare = ImportOptions {
            fields: FieldMap {
                text: "response".into(),
                prompt: None,
                source: None,
                id: None,
            },
            source: Some("s".into()),
            ..opts
        };
        let got = import("d.jsonl", jsonl.as_bytes(), Layout::Jsonl, &bare).unwrap();
        assert_eq!(
            (got.without_id, got.records[0].prompt_id.clone()),
            (1, None)
        );
        assert_eq!(
            import(
                "d.jsonl",
                jsonl.as_bytes(),
                Layout::Jsonl,
                &ImportOptions {
                    source: None,
                    ..bare
                }
            )
            .unwrap_err()[0]
                .to_string(),
            "d.jsonl: no source: name a --source-field or give --source"
        );
    }

    #[test]
    fn layouts() {
        let cases: &[(&str, &[u8], Layout)] = &[
            ("a.csv", b"[x", Layout::Csv),
            ("a.json", b"  \n[{}]", Layout::JsonArray),
            ("a.json", b"\xef\xbb\xbf[{}]", Layout::JsonArray),
            ("a.jsonl", b"{}\n{}", Layout::Jsonl),
            ("a", b"", Layout::Jsonl),
        ];
        for (name, bytes, want) in cases {
            assert_eq!(Layout::detect(name, bytes), *want, "{name}");
        }
    }
}
