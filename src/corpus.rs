//! Samples, their readers (JSONL and CSV), roles, grouping and pairing.
//!
//! Readers never stop at the first bad line: every malformed record becomes
//! a [`LineError`] (file, 1-based line number, message) and the rest of the
//! input is still read, so one stray line in a 400-record file costs one
//! sample, not the analysis. A leading byte-order mark is dropped, any
//! line ending (LF, CRLF, a lone CR) ends a JSONL line, and invalid UTF-8
//! is decoded with U+FFFD and reported in [`Parsed::warnings`] with the
//! byte offset and line of the first bad byte.
//!
//! The size limits of an analysis ([`MAX_TEXT_BYTES`], [`MAX_SOURCE_BYTES`],
//! [`MAX_TOTAL_BYTES`]) are checked by [`check_limits`]; past them the
//! analysis is refused with a `TOO_LARGE` error rather than run out of
//! memory or time.

use std::borrow::Cow;
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
/// that did not, what was read with a repair, and the SHA-256 of the raw
/// bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub name: String,
    pub sha256: String,
    pub samples: Vec<Sample>,
    pub errors: Vec<LineError>,
    /// Problems that cost no record (invalid UTF-8 decoded with U+FFFD).
    pub warnings: Vec<LineError>,
}

/// Largest text (one sample) an analysis accepts, in UTF-8 bytes: a
/// thousand times a long chat answer, far past any real model output.
pub const MAX_TEXT_BYTES: usize = 1 << 20;
/// Largest total of one source's texts: twenty times a 400-answer source
/// of the development data.
pub const MAX_SOURCE_BYTES: usize = 8 << 20;
/// Largest total of all texts of an analysis. Measured natively (release
/// CLI): 17 MB of text in four sources took 48 CPU seconds and 1.1 GB of
/// memory, about 65 bytes per byte of text; wasm is slower and a tab has
/// less memory, so one analysis stops at 16 MiB (about 1 GB).
pub const MAX_TOTAL_BYTES: usize = 16 << 20;

/// Why an input is refused: the limit exceeded, in words for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLarge(pub String);

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The size limits one analysis checks. The default is the documented
/// limits above, sized for a browser tab; the native CLI lets a user with
/// the memory for it raise the per-source and total limits
/// (`--size-limit-mib`), with a warning in the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeLimits {
    pub per_text: usize,
    pub per_source: usize,
    pub total: usize,
}

impl Default for SizeLimits {
    fn default() -> Self {
        Self {
            per_text: MAX_TEXT_BYTES,
            per_source: MAX_SOURCE_BYTES,
            total: MAX_TOTAL_BYTES,
        }
    }
}

impl SizeLimits {
    /// The default limits with the per-source and total limits raised (never
    /// lowered) to `mib` MiB each; the per-text limit stays, since it guards
    /// the cost of one pairwise comparison, not memory.
    pub fn raised_to_mib(mib: usize) -> Self {
        let bytes = mib.saturating_mul(1 << 20);
        let d = Self::default();
        Self {
            per_text: d.per_text,
            per_source: d.per_source.max(bytes),
            total: d.total.max(bytes),
        }
    }

    /// True when these limits are above the defaults.
    pub fn is_raised(&self) -> bool {
        let d = Self::default();
        self.per_source > d.per_source || self.total > d.total
    }
}

/// Checks the size limits over the sources an analysis would use (each
/// source's samples).
pub fn check_limits<'a>(
    sources: impl IntoIterator<Item = &'a [Sample]>,
    limits: &SizeLimits,
) -> Result<(), TooLarge> {
    let mut total = 0usize;
    let mib = |b: usize| b as f64 / f64::from(1u32 << 20);
    for samples in sources {
        let mut own = 0usize;
        for s in samples {
            if s.text.len() > limits.per_text {
                return Err(TooLarge(format!(
                    "a text of {} (prompt {}) has {:.1} MiB; the limit is {:.0} MiB per text",
                    s.source,
                    s.prompt_id.as_deref().unwrap_or("-"),
                    mib(s.text.len()),
                    mib(limits.per_text)
                )));
            }
            own += s.text.len();
            if own > limits.per_source {
                return Err(TooLarge(format!(
                    "the texts of {} exceed {:.0} MiB, the limit per source",
                    s.source,
                    mib(limits.per_source)
                )));
            }
        }
        total += own;
        if total > limits.total {
            return Err(TooLarge(format!(
                "the texts exceed {:.0} MiB, the limit of one analysis",
                mib(limits.total)
            )));
        }
    }
    Ok(())
}

/// Decodes an input's bytes: a leading UTF-8 byte-order mark is dropped,
/// invalid UTF-8 becomes U+FFFD with a warning that names the first bad
/// byte (0-based offset in the file) and its line.
fn decode<'a>(name: &str, bytes: &'a [u8]) -> (Cow<'a, str>, Vec<LineError>) {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let bom = bytes.len() - body.len();
    match std::str::from_utf8(body) {
        Ok(s) => (Cow::Borrowed(s), Vec::new()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = 1 + body[..at].iter().filter(|&&b| b == b'\n').count();
            let text = String::from_utf8_lossy(body);
            let replaced = body
                .utf8_chunks()
                .filter(|c| !c.invalid().is_empty())
                .count();
            let warning = LineError {
                file: name.to_string(),
                line,
                message: format!(
                    "invalid UTF-8 at byte {} ({} bad sequence(s) in the file, read as U+FFFD)",
                    bom + at,
                    replaced
                ),
            };
            (Cow::Owned(text.into_owned()), vec![warning])
        }
    }
}

/// Lines ended by LF, CRLF or a lone CR (a JSON record never holds a raw
/// CR, so splitting on it cannot cut one).
fn lines_any(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.find(['\n', '\r']) {
            None => {
                rest = None;
                Some(r)
            }
            Some(i) => {
                let skip = if r[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&r[i + skip..]);
                Some(&r[..i])
            }
        }
    })
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
    let (content, warnings) = decode(name, bytes);
    for (i, line) in lines_any(&content).enumerate() {
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
        warnings,
    }
}

/// Reads CSV with a header naming at least `source` and `text` (in any
/// order; `prompt_id`/`promptId` and `prompt` are optional). Quoted fields
/// may contain commas and newlines.
pub fn read_csv(name: &str, bytes: &[u8], default_source: Option<&str>) -> Parsed {
    let mut samples = Vec::new();
    let mut errors = Vec::new();
    let (content, warnings) = decode(name, bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(content.as_bytes());
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
                warnings,
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
            warnings,
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
        warnings,
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
    fn hostile_files_table() {
        // (name, file bytes, texts read, error lines, warning lines and
        // the message they must contain)
        type Case<'a> = (
            &'a str,
            &'a [u8],
            &'a [&'a str],
            &'a [usize],
            &'a [(usize, &'a str)],
        );
        let cases: &[Case] = &[
            ("empty file", b"", &[], &[], &[]),
            ("only a BOM", b"\xef\xbb\xbf", &[], &[], &[]),
            ("BOM before the first record", b"\xef\xbb\xbf{\"source\":\"a\",\"text\":\"x\"}\n", &["x"], &[], &[]),
            ("CRLF endings", b"{\"source\":\"a\",\"text\":\"x\"}\r\n{\"source\":\"a\",\"text\":\"y\"}\r\n", &["x", "y"], &[], &[]),
            ("lone CR endings", b"{\"source\":\"a\",\"text\":\"x\"}\r{\"source\":\"a\",\"text\":\"y\"}\rbad\r", &["x", "y"], &[3], &[]),
            ("escaped CR, NUL and controls kept", b"{\"source\":\"a\",\"text\":\"x\\r\\u0000\\u0007y\"}\n", &["x\r\0\u{7}y"], &[], &[]),
            ("lone surrogate escape becomes U+FFFD", b"{\"source\":\"a\",\"text\":\"x\\ud800y\"}\n", &[], &[1], &[]),
            (
                "invalid UTF-8 on line 2",
                b"{\"source\":\"a\",\"text\":\"x\"}\n{\"source\":\"a\",\"text\":\"b\xffd\"}\n",
                &["x", "b\u{fffd}d"],
                &[],
                &[(2, "invalid UTF-8 at byte 49")],
            ),
            (
                "invalid UTF-8 after a BOM counts the BOM's bytes",
                b"\xef\xbb\xbf{\"source\":\"a\",\"text\":\"\xc3\"}\n",
                &["\u{fffd}"],
                &[],
                &[(1, "invalid UTF-8 at byte 25 (1 bad sequence(s)")],
            ),
            ("malformed middle line, rest kept", b"{\"source\":\"a\",\"text\":\"x\"}\n{\"source\":\n{\"source\":\"a\",\"text\":\"z\"}\n", &["x", "z"], &[2], &[]),
        ];
        for &(name, bytes, texts, error_lines, warnings) in cases {
            let p = read_jsonl("f.jsonl", bytes, None);
            let got: Vec<&str> = p.samples.iter().map(|s| s.text.as_str()).collect();
            assert_eq!(got, texts, "{name}");
            let lines: Vec<usize> = p.errors.iter().map(|e| e.line).collect();
            assert_eq!(lines, error_lines, "{name}: {:?}", p.errors);
            assert_eq!(p.warnings.len(), warnings.len(), "{name}: {:?}", p.warnings);
            for (w, (line, message)) in p.warnings.iter().zip(warnings) {
                assert_eq!(w.line, *line, "{name}");
                assert!(w.message.contains(message), "{name}: {}", w.message);
                assert!(
                    w.to_string().starts_with("f.jsonl:"),
                    "{name}: names the file"
                );
            }
        }
    }

    #[test]
    fn hostile_csv_table() {
        // (name, file bytes, texts read, error count, warning count)
        type Case<'a> = (&'a str, &'a [u8], &'a [&'a str], usize, usize);
        let cases: &[Case] = &[
            ("empty file", b"", &[], 1, 0),
            ("header only", b"source,text\n", &[], 0, 0),
            (
                "BOM before the header",
                b"\xef\xbb\xbfsource,text\na,x\n",
                &["x"],
                0,
                0,
            ),
            (
                "quotes and embedded CRLF",
                b"source,text\r\na,\"say \"\"hi\"\"\r\nthen, go\"\r\n",
                &["say \"hi\"\r\nthen, go"],
                0,
                0,
            ),
            ("short record", b"source,text\na\nb,y\n", &["y"], 1, 0),
            (
                "invalid UTF-8",
                b"source,text\na,\xfe\xff\n",
                &["\u{fffd}\u{fffd}"],
                0,
                1,
            ),
        ];
        for &(name, bytes, texts, n_errors, n_warnings) in cases {
            let p = read_csv("f.csv", bytes, None);
            let got: Vec<&str> = p.samples.iter().map(|s| s.text.as_str()).collect();
            assert_eq!(got, texts, "{name}: {:?}", p.errors);
            assert_eq!(p.errors.len(), n_errors, "{name}: {:?}", p.errors);
            assert_eq!(p.warnings.len(), n_warnings, "{name}");
        }
    }

    #[test]
    fn limits_table() {
        let mk = |source: &str, bytes: usize| Sample {
            source: source.into(),
            text: "x".repeat(bytes),
            prompt_id: None,
            prompt: None,
        };
        let per_text = MAX_TEXT_BYTES;
        let n_source = MAX_SOURCE_BYTES / per_text;
        let n_total = MAX_TOTAL_BYTES / per_text;
        let raised = SizeLimits::raised_to_mib(4 * (MAX_TOTAL_BYTES >> 20));
        let past_default_total: Vec<Sample> = (0..=n_total)
            .map(|i| mk(&format!("s{}", i % 5), per_text))
            .collect();
        // (name, samples, limits, refused with a message containing)
        let cases: Vec<(&str, Vec<Sample>, SizeLimits, Option<&str>)> = vec![
            ("nothing", vec![], SizeLimits::default(), None),
            (
                "one text at the limit",
                vec![mk("a", per_text)],
                SizeLimits::default(),
                None,
            ),
            (
                "one text past it",
                vec![mk("a", per_text + 1)],
                SizeLimits::default(),
                Some("per text"),
            ),
            (
                "a source at its limit",
                (0..n_source).map(|_| mk("a", per_text)).collect(),
                SizeLimits::default(),
                None,
            ),
            (
                "a source past it",
                (0..=n_source).map(|_| mk("a", per_text)).collect(),
                SizeLimits::default(),
                Some("per source"),
            ),
            (
                "all sources at the total",
                (0..n_total)
                    .map(|i| mk(&format!("s{}", i % 4), per_text))
                    .collect(),
                SizeLimits::default(),
                None,
            ),
            (
                "all sources past it",
                past_default_total.clone(),
                SizeLimits::default(),
                Some("of one analysis"),
            ),
            (
                "past the default total, with raised limits",
                past_default_total,
                raised,
                None,
            ),
            (
                "raised limits keep the per-text limit",
                vec![mk("a", per_text + 1)],
                raised,
                Some("per text"),
            ),
        ];
        for (name, samples, limits, refused) in cases {
            let groups = group_by_source(&samples);
            match (
                check_limits(groups.values().map(Vec::as_slice), &limits),
                refused,
            ) {
                (Ok(()), None) => {}
                (Err(e), Some(m)) => assert!(e.0.contains(m), "{name}: {e}"),
                (got, want) => panic!("{name}: got {got:?}, expected refusal {want:?}"),
            }
        }
        assert!(raised.is_raised() && !SizeLimits::default().is_raised());
        assert_eq!(
            SizeLimits::raised_to_mib(1),
            SizeLimits::default(),
            "never lowered"
        );
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
