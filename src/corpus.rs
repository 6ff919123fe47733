//! Samples, their readers (JSONL and CSV), roles, grouping and pairing.
//!
//! Readers never stop at the first bad line: every malformed record becomes
//! a [`LineError`] (file, 1-based line number, message) and the rest of the
//! input is still read, so one stray line in a 400-record file costs one
//! sample, not the analysis.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// One model output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    /// The model (or person) that wrote the text.
    pub source: String,
    pub text: String,
    /// Identifier of the prompt; samples of different sources with the same
    /// id answer the same prompt (the analysis is then paired).
    pub prompt_id: Option<String>,
    pub prompt: Option<String>,
}

/// The part a source plays in an analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Suspect,
    Candidate,
    Control,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Suspect => "suspect",
            Role::Candidate => "candidate",
            Role::Control => "control",
        }
    }
}

/// A record that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// Name of the input (a path, or a label for pasted text).
    pub file: String,
    /// 1-based line number (for CSV: the record's starting line).
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// The result of reading one input: the samples that parsed, the lines
/// that did not, and the SHA-256 of the raw bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub name: String,
    pub sha256: String,
    pub samples: Vec<Sample>,
    pub errors: Vec<LineError>,
}

/// Input formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

impl Format {
    /// Guesses the format from a file name (`.csv` is CSV, anything else JSONL).
    pub fn from_name(name: &str) -> Format {
        if name.to_ascii_lowercase().ends_with(".csv") {
            Format::Csv
        } else {
            Format::Jsonl
        }
    }
}

/// Lower-case hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[derive(Deserialize)]
struct JsonRecord {
    source: Option<String>,
    text: Option<String>,
    prompt_id: Option<serde_json::Value>,
    #[serde(rename = "promptId")]
    prompt_id_camel: Option<serde_json::Value>,
    prompt: Option<String>,
}

/// A prompt id may be written as a string or a number; both are kept as text.
fn id_to_string(v: serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.is_empty() => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// One JSON Lines record (a non-blank line) as a sample, or what is wrong
/// with it. [`read_jsonl`] reads whole files with it; streaming readers
/// (the CLI's `passages`) call it line by line.
pub fn parse_jsonl_line(line: &str, default_source: Option<&str>) -> Result<Sample, String> {
    let rec =
        serde_json::from_str::<JsonRecord>(line).map_err(|e| format!("malformed json: {e}"))?;
    let source = rec
        .source
        .filter(|s| !s.trim().is_empty())
        .or_else(|| default_source.map(str::to_string));
    match (source, rec.text) {
        (None, _) => Err("record has no \"source\"".into()),
        (_, None) => Err("record has no \"text\"".into()),
        (Some(source), Some(text)) => Ok(Sample {
            source,
            text,
            prompt_id: rec.prompt_id.or(rec.prompt_id_camel).and_then(id_to_string),
            prompt: rec.prompt,
        }),
    }
}

/// Reads JSON Lines: one object per line with `source`, `text` and
/// optionally `prompt_id` (or `promptId`) and `prompt`. Blank lines are
/// skipped. `default_source` is used when a record has no `source`.
pub fn read_jsonl(name: &str, bytes: &[u8], default_source: Option<&str>) -> Parsed {
    let mut samples = Vec::new();
    let mut errors = Vec::new();
    let content = String::from_utf8_lossy(bytes);
    for (i, line) in content.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let err = |message: String| LineError {
            file: name.to_string(),
            line: line_no,
            message,
        };
        match parse_jsonl_line(trimmed, default_source) {
            Err(message) => errors.push(err(message)),
            Ok(sample) => samples.push(sample),
        }
    }
    Parsed {
        name: name.to_string(),
        sha256: sha256_hex(bytes),
        samples,
        errors,
    }
}

/// Reads CSV with a header naming at least `source` and `text` (in any
/// order; `prompt_id`/`promptId` and `prompt` are optional). Quoted fields
/// may contain commas and newlines.
pub fn read_csv(name: &str, bytes: &[u8], default_source: Option<&str>) -> Parsed {
    let mut samples = Vec::new();
    let mut errors = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            errors.push(LineError {
                file: name.to_string(),
                line: 1,
                message: format!("unreadable csv header: {e}"),
            });
            return Parsed {
                name: name.to_string(),
                sha256: sha256_hex(bytes),
                samples,
                errors,
            };
        }
    };
    let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let (c_source, c_text) = (col(&["source"]), col(&["text"]));
    let (c_id, c_prompt) = (col(&["prompt_id", "promptid"]), col(&["prompt"]));
    if c_text.is_none() || (c_source.is_none() && default_source.is_none()) {
        errors.push(LineError {
            file: name.to_string(),
            line: 1,
            message: "csv header must name the columns \"source\" and \"text\"".into(),
        });
        return Parsed {
            name: name.to_string(),
            sha256: sha256_hex(bytes),
            samples,
            errors,
        };
    }
    for rec in reader.records() {
        match rec {
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                errors.push(LineError {
                    file: name.to_string(),
                    line,
                    message: format!("malformed csv record: {e}"),
                });
            }
            Ok(r) => {
                let line = r.position().map(|p| p.line() as usize).unwrap_or(0);
                let get = |c: Option<usize>| c.and_then(|c| r.get(c)).map(str::to_string);
                let source = get(c_source)
                    .filter(|s| !s.trim().is_empty())
                    .or_else(|| default_source.map(str::to_string));
                match (source, get(c_text)) {
                    (Some(source), Some(text)) => samples.push(Sample {
                        source,
                        text,
                        prompt_id: get(c_id).filter(|s| !s.is_empty()),
                        prompt: get(c_prompt),
                    }),
                    _ => errors.push(LineError {
                        file: name.to_string(),
                        line,
                        message: "record lacks a source or a text field".into(),
                    }),
                }
            }
        }
    }
    Parsed {
        name: name.to_string(),
        sha256: sha256_hex(bytes),
        samples,
        errors,
    }
}

/// Reads bytes in the given format.
pub fn read(name: &str, bytes: &[u8], format: Format, default_source: Option<&str>) -> Parsed {
    match format {
        Format::Jsonl => read_jsonl(name, bytes, default_source),
        Format::Csv => read_csv(name, bytes, default_source),
    }
}

/// Samples grouped by source, in source-name order (deterministic).
pub fn group_by_source(samples: &[Sample]) -> BTreeMap<String, Vec<Sample>> {
    let mut out: BTreeMap<String, Vec<Sample>> = BTreeMap::new();
    for s in samples {
        out.entry(s.source.clone()).or_default().push(s.clone());
    }
    out
}

/// Index of one source's samples by prompt id. When a source answers the
/// same prompt twice, the first answer is kept (pairing needs one answer
/// per prompt and the first is the stable choice).
pub fn by_prompt(samples: &[Sample]) -> BTreeMap<&str, &Sample> {
    let mut out = BTreeMap::new();
    for s in samples {
        if let Some(id) = s.prompt_id.as_deref() {
            out.entry(id).or_insert(s);
        }
    }
    out
}

/// Prompt ids answered by every one of the given sources, sorted. Pairing
/// is by id only, never by position.
pub fn shared_prompts(sources: &[&[Sample]]) -> Vec<String> {
    let mut iter = sources.iter();
    let Some(first) = iter.next() else {
        return Vec::new();
    };
    let mut common: BTreeSet<String> = by_prompt(first).keys().map(|k| k.to_string()).collect();
    for s in iter {
        let ids = by_prompt(s);
        common.retain(|k| ids.contains_key(k.as_str()));
    }
    common.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_cases() {
        // (input, n samples, error lines)
        let cases: &[(&str, usize, &[usize])] = &[
            ("{\"source\":\"a\",\"text\":\"x\"}\n", 1, &[]),
            (
                "{\"source\":\"a\",\"text\":\"x\",\"promptId\":\"p\"}\n\n",
                1,
                &[],
            ),
            (
                "{\"source\":\"a\",\"text\":\"x\"}\nnot json\n{\"text\":\"y\"}\n",
                1,
                &[2, 3],
            ),
            ("{\"source\":\"a\"}\n", 0, &[1]),
            ("", 0, &[]),
        ];
        for (input, n, lines) in cases {
            let p = read_jsonl("f", input.as_bytes(), None);
            assert_eq!(p.samples.len(), *n, "{input:?}");
            let got: Vec<usize> = p.errors.iter().map(|e| e.line).collect();
            assert_eq!(&got, lines, "{input:?}");
        }
    }

    #[test]
    fn prompt_id_variants() {
        let p = read_jsonl(
            "f",
            b"{\"source\":\"a\",\"text\":\"x\",\"promptId\":\"p1\"}\n{\"source\":\"a\",\"text\":\"x\",\"prompt_id\":7}\n",
            None,
        );
        let ids: Vec<_> = p.samples.iter().map(|s| s.prompt_id.clone()).collect();
        assert_eq!(ids, vec![Some("p1".into()), Some("7".into())]);
    }

    #[test]
    fn csv_cases() {
        let p = read_csv(
            "c",
            b"source,text,prompt_id\na,\"hello, world\nline two\",p1\nb,bye,p2\n",
            None,
        );
        assert_eq!(p.samples.len(), 2);
        assert_eq!(p.samples[0].text, "hello, world\nline two");
        assert_eq!(p.samples[1].prompt_id.as_deref(), Some("p2"));
        let bad = read_csv("c", b"foo,bar\n1,2\n", None);
        assert_eq!(bad.samples.len(), 0);
        assert_eq!(bad.errors.len(), 1);
    }

    #[test]
    fn pairing_is_by_id() {
        let mk = |src: &str, id: &str| Sample {
            source: src.into(),
            text: "t".into(),
            prompt_id: Some(id.into()),
            prompt: None,
        };
        let a = vec![mk("a", "1"), mk("a", "2"), mk("a", "3")];
        let b = vec![mk("b", "3"), mk("b", "1")];
        assert_eq!(
            shared_prompts(&[&a, &b]),
            vec!["1".to_string(), "3".to_string()]
        );
    }
}
