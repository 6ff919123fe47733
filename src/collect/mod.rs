//! The pure half of `lineage collect`: reading a prompt file, the
//! chat-completions request and the reading of its answer, the retry
//! policy, what a resumed run finds in its output file, and the record
//! written for each answer.
//!
//! Nothing here opens a connection, reads a clock or the environment: the
//! native CLI (`crates/lineage-cli`) does the HTTP and passes the time in, so
//! every decision (retry or stop, skip or ask) is a function that is
//! tested here without a network, and could run in a browser. `chat`
//! holds the request, the answer and the retry policy; this module the
//! prompt file, the resume scan and the records.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use crate::corpus::LineError;
use crate::record::{id_string, prompt_id_of, Record};

mod budget;
mod chat;
mod language;
mod redact;

pub use budget::{estimate_tokens, Plan, Usage};
pub use chat::{
    chat_url, classify_status, parse_chat_completion, parse_retry_after, redact_url, rfc3339_utc,
    BodyProblem, ChatAnswer, ChatSettings, RetryPolicy, StatusClass,
};
pub use language::language_mismatch;
pub use redact::{Redactor, REDACTED};

/// One prompt to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Prompt {
    pub id: String,
    pub text: String,
    /// The prompt record's other fields (a probe's `category` and
    /// `language`), copied into each answer's `meta.probe`.
    pub extra: Map<String, Value>,
}

/// A prompt file as read.
#[derive(Clone, Debug, PartialEq)]
pub struct PromptFile {
    pub prompts: Vec<Prompt>,
    /// Lines that repeated an earlier prompt (same id, same text); skipped.
    pub repeated: usize,
    /// True for JSON Lines, false for plain text.
    pub jsonl: bool,
    /// Lower-case hex SHA-256 of the file's bytes (recorded in `meta`).
    pub sha256: String,
}

/// At most this many line errors are listed for one file.
const MAX_ERRORS: usize = 20;

/// Reads a prompt file: JSON Lines with a `prompt` and optionally a
/// `prompt_id` per line (the probe set's format, or any file of answers
/// that carry their prompt: a prompt repeated by several sources is asked
/// once), or plain text with one prompt per line, or (natively) a
/// reference panel, whose answers' prompts are asked, so a suspect answers
/// exactly the references' prompts. The format is JSON Lines when the
/// first non-blank line starts with `{`. A prompt without an id gets
/// [`prompt_id_of`] its text. Blank lines are skipped; every bad line is
/// an error naming the file and line, and nothing is returned then (a
/// collection should not start from half a prompt file).
pub fn read_prompts(name: &str, bytes: &[u8]) -> Result<PromptFile, Vec<LineError>> {
    let err = |line: usize, message: String| LineError {
        file: name.to_string(),
        line,
        message,
    };
    #[cfg(not(target_arch = "wasm32"))]
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let panel = crate::panel::read_gz(name, bytes)
            .map_err(|e| vec![err(e.line().unwrap_or(0), e.to_string())])?;
        return panel_prompts(&panel)
            .map(|prompts| PromptFile {
                prompts,
                repeated: 0,
                jsonl: true,
                sha256: crate::corpus::sha256_hex(bytes),
            })
            .map_err(|m| vec![err(0, m)]);
    }
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let content = std::str::from_utf8(body).map_err(|e| {
        let at = e.valid_up_to();
        let line = 1 + body[..at].iter().filter(|&&b| b == b'\n').count();
        vec![err(line, format!("invalid UTF-8 at byte {at}"))]
    })?;
    let jsonl = content
        .lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim_start().starts_with('{'));
    let mut prompts = Vec::new();
    let mut errors = Vec::new();
    // id -> (line, index in prompts)
    let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut repeated = 0;
    for (i, line) in content.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let parsed = if jsonl {
            parse_prompt_line(trimmed)
        } else {
            Ok(Prompt {
                id: prompt_id_of(trimmed),
                text: trimmed.to_string(),
                extra: Map::new(),
            })
        };
        match parsed {
            Err(message) => errors.push(err(line_no, message)),
            Ok(p) => match seen.get(&p.id) {
                Some(&(first, k)) if prompts.get(k).is_some_and(|q: &Prompt| q.text == p.text) => {
                    let _ = first;
                    repeated += 1;
                }
                Some(&(first, _)) => errors.push(err(
                    line_no,
                    format!(
                        "prompt id {:?} is already used on line {first} for another prompt",
                        p.id
                    ),
                )),
                None => {
                    seen.insert(p.id.clone(), (line_no, prompts.len()));
                    prompts.push(p);
                }
            },
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if prompts.is_empty() {
        return Err(vec![err(0, "no prompts in the file".into())]);
    }
    Ok(PromptFile {
        prompts,
        repeated,
        jsonl,
        sha256: crate::corpus::sha256_hex(bytes),
    })
}

/// The distinct prompts a panel's answers answer, in id order.
#[cfg(not(target_arch = "wasm32"))]
fn panel_prompts(panel: &crate::panel::Panel) -> Result<Vec<Prompt>, String> {
    let mut by_id: BTreeMap<String, String> = BTreeMap::new();
    for s in panel.samples() {
        if let (Some(id), Some(text)) = (s.prompt_id, s.prompt) {
            by_id.entry(id).or_insert(text);
        }
    }
    if by_id.is_empty() {
        return Err("the panel's answers carry no prompt text to ask".into());
    }
    Ok(by_id
        .into_iter()
        .map(|(id, text)| Prompt {
            id,
            text,
            extra: Map::new(),
        })
        .collect())
}

/// Fields of an answer record, not of its prompt: left out of a prompt's
/// `extra` when a file of answers is the prompt file.
const ANSWER_FIELDS: &[&str] = &["source", "text", "family", "meta"];

fn parse_prompt_line(line: &str) -> Result<Prompt, String> {
    let Value::Object(mut obj) =
        serde_json::from_str::<Value>(line).map_err(|e| format!("malformed json: {e}"))?
    else {
        return Err("a prompt line must be a JSON object".into());
    };
    let text = match obj.remove("prompt") {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        Some(Value::String(_)) => return Err("\"prompt\" is empty".into()),
        _ => return Err("line has no \"prompt\" string".into()),
    };
    let id = match obj.remove("prompt_id").or_else(|| obj.remove("promptId")) {
        None | Some(Value::Null) => prompt_id_of(&text),
        Some(v) => id_string(&v).ok_or("\"prompt_id\" must be a non-empty string or a number")?,
    };
    for field in ANSWER_FIELDS {
        obj.remove(*field);
    }
    Ok(Prompt {
        id,
        text,
        extra: obj,
    })
}

/// What a resumed run finds in its output file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Existing {
    /// Prompt ids this source has already answered.
    pub done: BTreeSet<String>,
    /// Readable records of any source.
    pub records: usize,
    /// The length to keep: shorter than the file when its last line is an
    /// incomplete record (a write cut short), which is then cut off.
    pub keep_bytes: usize,
    /// The kept part ends without a newline (one is added before appending).
    pub needs_newline: bool,
    /// The collection settings ([`settings_key`]) of this source's records.
    pub settings: BTreeSet<String>,
    /// Lines that could not be read, and the cut-off last line.
    pub warnings: Vec<LineError>,
}

/// Reads an existing output file for a resumed run of `source`. An empty
/// file is a fresh start; a non-empty file with no readable record is
/// refused, since appending to it would mix answers into someone else's
/// file.
pub fn scan_output(name: &str, bytes: &[u8], source: &str) -> Result<Existing, String> {
    let mut out = Existing {
        keep_bytes: bytes.len(),
        ..Existing::default()
    };
    let mut start = 0usize;
    let mut line_no = 0usize;
    let mut unreadable = 0usize;
    while start < bytes.len() {
        line_no += 1;
        let (end, complete) = match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(i) => (start + i, true),
            None => (bytes.len(), false),
        };
        let raw = String::from_utf8_lossy(&bytes[start..end]);
        let line = raw.trim();
        if !line.is_empty() {
            match Record::parse_line(line) {
                Ok(r) => {
                    out.records += 1;
                    if r.source == source {
                        if let Some(id) = r.prompt_id {
                            out.done.insert(id);
                        }
                        out.settings.insert(settings_key(&r.meta));
                    }
                    out.needs_newline = !complete;
                }
                // Records are written with `source` first: a last line that
                // starts like one and does not parse is a write cut short.
                Err(e) if !complete && line.starts_with("{\"source\":") => {
                    out.keep_bytes = start;
                    out.warnings.push(LineError {
                        file: name.to_string(),
                        line: line_no,
                        message: format!(
                            "the last line is an incomplete record (a write cut short: {e}); it is removed and its prompt asked again"
                        ),
                    });
                }
                Err(e) => {
                    unreadable += 1;
                    out.needs_newline = !complete;
                    out.warnings.push(LineError {
                        file: name.to_string(),
                        line: line_no,
                        message: format!("unreadable record left in place: {e}"),
                    });
                }
            }
        }
        start = end + 1;
    }
    if out.records == 0 && unreadable > 0 {
        return Err(format!(
            "{name} exists and holds no Lineage records; choose another --out (answers are appended to it)"
        ));
    }
    Ok(out)
}

/// The settings of a record's `meta` that make answers comparable:
/// endpoint, model, temperature, maximum tokens and system prompt, as one
/// string. A resumed run with other settings is warned about.
pub fn settings_key(meta: &Map<String, Value>) -> String {
    let pick = |k: &str| meta.get(k).cloned().unwrap_or(Value::Null);
    json!([
        pick("endpoint"),
        pick("model"),
        pick("temperature"),
        pick("max_tokens"),
        pick("system")
    ])
    .to_string()
}

/// Where and how a collection runs, for the records' `meta`.
#[derive(Clone, Debug, PartialEq)]
pub struct RunInfo {
    pub settings: ChatSettings,
    /// The endpoint as given, redacted ([`redact_url`]).
    pub endpoint: String,
    /// The prompt file's name (without its folder) and SHA-256.
    pub prompt_file: String,
    pub prompt_file_sha256: String,
}

impl RunInfo {
    /// The `meta` every record of this run shares: what [`settings_key`]
    /// reads, and where the prompts came from.
    pub fn base_meta(&self) -> Map<String, Value> {
        let s = &self.settings;
        let mut m = Map::new();
        m.insert("collector".into(), json!("lineage collect"));
        m.insert("lineage_version".into(), json!(crate::VERSION));
        m.insert("endpoint".into(), json!(self.endpoint));
        m.insert("model".into(), json!(s.model));
        m.insert("temperature".into(), json!(s.temperature));
        m.insert("max_tokens".into(), json!(s.max_tokens));
        m.insert("system".into(), json!(s.system));
        m.insert("prompt_file".into(), json!(self.prompt_file));
        m.insert("prompt_file_sha256".into(), json!(self.prompt_file_sha256));
        m
    }

    /// The record of one answer.
    pub fn record(
        &self,
        source: &str,
        prompt: &Prompt,
        answer: &ChatAnswer,
        collected_at: &str,
        attempts: u32,
    ) -> Record {
        let mut meta = self.base_meta();
        meta.insert("response_model".into(), json!(answer.model));
        meta.insert("finish_reason".into(), json!(answer.finish_reason));
        if let Some(u) = &answer.usage {
            meta.insert("usage".into(), u.clone());
        }
        meta.insert("attempts".into(), json!(attempts));
        meta.insert("collected_at".into(), json!(collected_at));
        if !prompt.extra.is_empty() {
            meta.insert("probe".into(), Value::Object(prompt.extra.clone()));
        }
        Record {
            source: source.to_string(),
            prompt_id: Some(prompt.id.clone()),
            prompt: Some(prompt.text.clone()),
            text: answer.text.clone(),
            meta,
            extra: Map::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn prompt_files() {
        // (name, bytes, Ok(ids, repeated) or Err(line, fragment))
        type Want<'a> = Result<(Vec<&'a str>, usize), (usize, &'a str)>;
        let q_id = prompt_id_of("How did US states get their names?");
        let (why, braces) = (prompt_id_of("Why?"), prompt_id_of("{not json}"));
        let cases: Vec<(&str, &[u8], Want)> = vec![
            (
                "jsonl with ids and extra fields",
                b"{\"prompt_id\":\"en-1\",\"prompt\":\"Hi\",\"category\":\"x\"}\n\n{\"prompt_id\":2,\"prompt\":\"Yo\"}\n",
                Ok((vec!["en-1", "2"], 0)),
            ),
            (
                "jsonl without id gets the hash id",
                b"{\"prompt\":\"How did US states get their names?\"}\n",
                Ok((vec![q_id.as_str()], 0)),
            ),
            (
                "plain text, CRLF, BOM, repeats skipped",
                b"\xef\xbb\xbfHow did US states get their names?\r\n\r\nHow did US states get their names?\r\n",
                Ok((vec![q_id.as_str()], 1)),
            ),
            (
                "plain text may hold braces later",
                b"Why?\n{not json}\n",
                Ok((vec![why.as_str(), braces.as_str()], 0)),
            ),
            ("malformed jsonl line", b"{\"prompt\":\"a\"}\n{\"prompt\":\n", Err((2, "malformed json"))),
            ("missing prompt", b"{\"prompt_id\":\"a\"}\n", Err((1, "no \"prompt\""))),
            ("empty prompt", b"{\"prompt\":\"  \"}\n", Err((1, "empty"))),
            (
                "id reused for another prompt",
                b"{\"prompt_id\":\"a\",\"prompt\":\"x\"}\n{\"prompt_id\":\"a\",\"prompt\":\"y\"}\n",
                Err((2, "already used on line 1")),
            ),
            ("invalid UTF-8", b"ok\nb\xffd\n", Err((2, "invalid UTF-8"))),
            ("empty file", b"\n  \n", Err((0, "no prompts"))),
        ];
        for (name, bytes, want) in cases {
            match (read_prompts("p.txt", bytes), want) {
                (Ok(f), Ok((ids, repeated))) => {
                    let got: Vec<&str> = f.prompts.iter().map(|p| p.id.as_str()).collect();
                    assert_eq!(got, ids, "{name}");
                    assert_eq!(f.repeated, repeated, "{name}");
                }
                (Err(errs), Err((line, frag))) => {
                    assert_eq!(errs[0].line, line, "{name}: {errs:?}");
                    assert!(errs[0].message.contains(frag), "{name}: {errs:?}");
                    assert!(errs[0].to_string().starts_with("p.txt:"), "{name}");
                }
                (got, _) => panic!("{name}: unexpected {got:?}"),
            }
        }
        let f = read_prompts(
            "p",
            b"{\"prompt_id\":\"a\",\"prompt\":\"x\",\"language\":\"de\"}",
        )
        .unwrap();
        assert_eq!(f.prompts[0].extra["language"], "de");
        assert!(f.jsonl);
    }
    fn record_line(source: &str, id: &str) -> String {
        let mut meta = Map::new();
        meta.insert("model".into(), json!("m"));
        Record {
            source: source.into(),
            prompt_id: Some(id.into()),
            prompt: None,
            text: "t".into(),
            meta,
            extra: Map::new(),
        }
        .to_line()
    }

    #[test]
    fn resume_scans() {
        let a1 = record_line("a", "1");
        let a2 = record_line("a", "2");
        let b3 = record_line("b", "3");
        // (name, file, Ok(done ids, keep_bytes, needs_newline, warning lines) or Err)
        type Want = Result<(Vec<&'static str>, usize, bool, Vec<usize>), &'static str>;
        let full = format!("{a1}\n{b3}\n{a2}\n");
        let cut = format!("{a1}\n{}", &a2[..a2.len() - 5]);
        let no_nl = format!("{a1}\n{a2}");
        let bad_middle = format!("{a1}\nnot json\n{a2}\n");
        let cases: Vec<(&str, String, Want)> = vec![
            ("empty", String::new(), Ok((vec![], 0, false, vec![]))),
            (
                "full",
                full.clone(),
                Ok((vec!["1", "2"], full.len(), false, vec![])),
            ),
            (
                "cut last line",
                cut.clone(),
                Ok((vec!["1"], a1.len() + 1, false, vec![2])),
            ),
            (
                "last line lacks newline",
                no_nl.clone(),
                Ok((vec!["1", "2"], no_nl.len(), true, vec![])),
            ),
            (
                "bad middle line",
                bad_middle.clone(),
                Ok((vec!["1", "2"], bad_middle.len(), false, vec![2])),
            ),
            (
                "not our file",
                "source,text\na,b\n".into(),
                Err("holds no Lineage records"),
            ),
            (
                "only a cut record",
                a1[..12].to_string(),
                Ok((vec![], 0, false, vec![1])),
            ),
            (
                "blank lines",
                "\n \n".into(),
                Ok((vec![], 3, false, vec![])),
            ),
            (
                "not our file, no newline",
                "hello".into(),
                Err("holds no Lineage records"),
            ),
            (
                "a foreign last line is left in place",
                format!("{a1}\nhello"),
                Ok((vec!["1"], a1.len() + 6, true, vec![2])),
            ),
        ];
        for (name, file, want) in cases {
            match (scan_output("out.jsonl", file.as_bytes(), "a"), want) {
                (Ok(e), Ok((done, keep, nl, warn))) => {
                    let got: Vec<&str> = e.done.iter().map(String::as_str).collect();
                    assert_eq!(got, done, "{name}");
                    assert_eq!(e.keep_bytes, keep, "{name}");
                    assert_eq!(e.needs_newline, nl, "{name}");
                    let lines: Vec<usize> = e.warnings.iter().map(|w| w.line).collect();
                    assert_eq!(lines, warn, "{name}: {:?}", e.warnings);
                }
                (Err(m), Err(frag)) => assert!(m.contains(frag), "{name}: {m}"),
                (got, _) => panic!("{name}: unexpected {got:?}"),
            }
        }
    }

    #[test]
    fn records_carry_the_settings() {
        let run = RunInfo {
            settings: ChatSettings {
                model: "m".into(),
                temperature: Some(0.7),
                max_tokens: None,
                system: None,
            },
            endpoint: "http://h/v1".into(),
            prompt_file: "probes.jsonl".into(),
            prompt_file_sha256: "ab".into(),
        };
        let mut extra = Map::new();
        extra.insert("category".into(), json!("identity"));
        let prompt = Prompt {
            id: "en-identity-001".into(),
            text: "Who are you?".into(),
            extra,
        };
        let answer = parse_chat_completion(
            r#"{"model":"m-2","choices":[{"message":{"content":"A model."},"finish_reason":"stop"}]}"#,
        )
        .unwrap();
        let r = run.record("src", &prompt, &answer, "2026-01-01T00:00:00Z", 2);
        assert_eq!(r.meta["temperature"], 0.7);
        assert_eq!(r.meta["response_model"], "m-2");
        assert_eq!(r.meta["attempts"], 2);
        assert_eq!(r.meta["probe"]["category"], "identity");
        assert_eq!(settings_key(&r.meta), settings_key(&run.base_meta()));
        let back = Record::parse_line(&r.to_line()).unwrap();
        assert_eq!(back, r);
    }
}
