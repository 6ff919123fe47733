//! The input readers: JSON Lines and CSV records to [`Sample`]s.
//!
//! Readers never stop at the first bad line: every malformed record becomes
//! a [`LineError`] (file, 1-based line number, message) and the rest of the
//! input is still read, so one stray line in a 400-record file costs one
//! sample, not the analysis. A leading byte-order mark is dropped, any
//! line ending (LF, CRLF, a lone CR) ends a JSONL line, and invalid UTF-8
//! is decoded with U+FFFD and reported in [`Parsed::warnings`] with the
//! byte offset and line of the first bad byte.
//!
//! One [`Reader`] serves every front end: it takes the bytes of an input a
//! chunk at a time (the CLI passes a whole file, the wasm `Workspace` the
//! chunks of a `Blob` stream), parses JSON Lines a whole line at a time as
//! they arrive, and hashes the raw bytes as it goes, so a file read in the
//! browser gives the same samples, line errors and SHA-256 as in the CLI.

use std::borrow::Cow;
use std::fmt;

use sha2::{Digest, Sha256};

use super::records::{parse_jsonl_line, shown_names, value_sample};
use super::{Format, Sample};
use crate::error::{Error, ErrorKind};
use crate::report::{InputFile, Warning};

/// A record that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
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
    /// The offset of a zero byte in the first [`SNIFF_BYTES`]: the input
    /// is binary (an image, an archive, UTF-16 text), not records; it is
    /// then refused as a whole instead of listed line by line.
    pub binary: Option<usize>,
}

/// How far into an input a zero byte marks it as binary (git's rule: no
/// UTF-8 text holds one, every image or archive has one early on).
pub const SNIFF_BYTES: usize = 8000;

impl Parsed {
    /// The input as the report lists it.
    pub fn input_file(&self) -> InputFile {
        InputFile {
            name: self.name.clone(),
            sha256: self.sha256.clone(),
            samples: self.samples.len(),
            malformed_lines: self.errors.len(),
        }
    }

    /// The report's warnings about this input: one `invalid_utf8` per
    /// repair and one `malformed_input` naming the first skipped records.
    pub fn report_warnings(&self) -> Vec<Warning> {
        let mut out: Vec<Warning> = self
            .warnings
            .iter()
            .map(|w| Warning {
                code: "invalid_utf8".into(),
                message: w.to_string(),
            })
            .collect();
        if !self.errors.is_empty() {
            let first: Vec<String> = self.errors.iter().take(5).map(|e| e.to_string()).collect();
            out.push(Warning {
                code: "malformed_input".into(),
                message: format!(
                    "{} malformed record(s) skipped in {} (first: {})",
                    self.errors.len(),
                    self.name,
                    first.join("; ")
                ),
            });
        }
        out
    }

    /// An error when not one record could be read: `EMPTY_INPUT` for an
    /// input without records, `BAD_JSONL`/`BAD_CSV` when all were malformed.
    pub fn refusal(&self, format: Format) -> Option<Error> {
        let kind = match format {
            Format::Jsonl | Format::Json => ErrorKind::BadJsonl,
            Format::Csv => ErrorKind::BadCsv,
        };
        if let Some(at) = self.binary {
            let message = format!(
                "{} is not text: it holds a zero byte (at byte {at}), as binary files (an image, an archive) and UTF-16 text do; records are read from UTF-8 JSON Lines, CSV or JSON",
                self.name
            );
            return Some(Error::new(kind, message));
        }
        if !self.samples.is_empty() {
            return None;
        }
        if self.errors.is_empty() {
            return Some(Error::new(
                ErrorKind::EmptyInput,
                format!("{} holds no record (only blank lines)", self.name),
            ));
        }
        let first: Vec<String> = self.errors.iter().take(3).map(|e| e.to_string()).collect();
        Some(Error::new(
            kind,
            format!(
                "no record of {} could be read ({} malformed; {})",
                self.name,
                self.errors.len(),
                first.join("; ")
            ),
        ))
    }
}

/// Lower-case hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of a digest.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of an input given a chunk at a time (the readers', and the
/// page's panel files read as a stream): the hash the report records.
#[derive(Clone, Default)]
pub struct InputHash(Sha256);

impl InputHash {
    pub fn update(&mut self, chunk: &[u8]) {
        self.0.update(chunk);
    }

    /// Lower-case hex of the hash of everything given so far.
    pub fn hex(&self) -> String {
        hex(&self.0.clone().finalize())
    }
}

/// An input read a chunk at a time (see the module documentation).
pub struct Reader {
    name: String,
    format: Format,
    default_source: Option<String>,
    hasher: InputHash,
    /// Bytes not parsed yet: the unfinished last line (JSONL), or the
    /// whole input (a CSV record may span lines, so CSV is parsed at the end).
    pending: Vec<u8>,
    /// The byte-order mark has been looked for.
    started: bool,
    /// Offset in the input of `pending[0]`, and the lines before it.
    offset: usize,
    line: usize,
    /// Invalid UTF-8: the first bad byte (offset, line), and how many
    /// bad sequences in all.
    first_bad: Option<(usize, usize)>,
    bad_sequences: usize,
    bytes: usize,
    /// A zero byte was seen early on (see [`Parsed::binary`]): the rest is not parsed.
    binary: Option<usize>,
    samples: Vec<Sample>,
    errors: Vec<LineError>,
}

impl Reader {
    /// A reader of the input `name`; `default_source` is the source of
    /// records that name none.
    pub fn new(name: &str, format: Format, default_source: Option<&str>) -> Self {
        Reader {
            name: name.to_string(),
            format,
            default_source: default_source.map(str::to_string),
            hasher: InputHash::default(),
            pending: Vec::new(),
            started: false,
            offset: 0,
            line: 0,
            first_bad: None,
            bad_sequences: 0,
            bytes: 0,
            binary: None,
            samples: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Bytes read so far.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Reads the next chunk of the input.
    pub fn push(&mut self, chunk: &[u8]) {
        self.hasher.update(chunk);
        let before = self.bytes;
        self.bytes += chunk.len();
        if self.binary.is_some() {
            return;
        }
        let sniffed = &chunk[..chunk.len().min(SNIFF_BYTES.saturating_sub(before))];
        if let Some(i) = sniffed.iter().position(|&b| b == 0) {
            // Whatever was read before it goes too: the input is refused whole.
            self.binary = Some(before + i);
            self.pending = Vec::new();
            self.samples = Vec::new();
            self.errors = Vec::new();
            self.first_bad = None;
            return;
        }
        self.pending.extend_from_slice(chunk);
        if !self.started {
            if self.pending.len() < 3 && b"\xef\xbb\xbf".starts_with(&self.pending) {
                return; // perhaps the start of a byte-order mark
            }
            self.skip_bom();
        }
        if self.format == Format::Jsonl {
            self.jsonl_lines(false);
        }
    }

    /// Reads what is left and returns everything read.
    pub fn finish(mut self) -> Parsed {
        if !self.started {
            self.skip_bom();
        }
        match self.format {
            _ if self.binary.is_some() => {}
            Format::Jsonl => self.jsonl_lines(true),
            Format::Csv => {
                let pending = std::mem::take(&mut self.pending);
                let text = self.decode_at(&pending, self.offset, 1);
                self.csv_records(&text);
            }
            Format::Json => self.json_records(),
        }
        let mut warnings = Vec::new();
        if let Some((at, line)) = self.first_bad {
            warnings.push(LineError {
                file: self.name.clone(),
                line,
                message: format!(
                    "invalid UTF-8 at byte {at} ({} bad sequence(s) in the file, read as U+FFFD)",
                    self.bad_sequences
                ),
            });
        }
        Parsed {
            sha256: self.hasher.hex(),
            name: self.name,
            samples: self.samples,
            errors: self.errors,
            warnings,
            binary: self.binary,
        }
    }

    fn skip_bom(&mut self) {
        self.started = true;
        if self.pending.starts_with(b"\xef\xbb\xbf") {
            self.pending.drain(..3);
            self.offset = 3;
        }
    }

    /// Parses every finished line of `pending` (at the end, every line):
    /// LF, CRLF and a lone CR end a line (a JSON record never holds a raw
    /// CR, so splitting on it cannot cut one).
    fn jsonl_lines(&mut self, at_end: bool) {
        let pending = std::mem::take(&mut self.pending);
        let mut start = 0;
        let mut i = 0;
        while i < pending.len() {
            let b = pending[i];
            if b != b'\n' && b != b'\r' {
                i += 1;
                continue;
            }
            // A CR at the end of a chunk may be the first half of a CRLF.
            if b == b'\r' && i + 1 == pending.len() && !at_end {
                break;
            }
            let skip = if b == b'\r' && pending.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            self.jsonl_line(&pending[start..i], self.offset + start);
            start = i + skip;
            i = start;
        }
        if at_end && start < pending.len() {
            self.jsonl_line(&pending[start..], self.offset + start);
            start = pending.len();
        }
        self.offset += start;
        self.pending = pending[start..].to_vec();
    }

    /// One line of JSON Lines, `offset` bytes into the input.
    fn jsonl_line(&mut self, bytes: &[u8], offset: usize) {
        self.line += 1;
        let line = self.line;
        let text = self.decode_at(bytes, offset, line);
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return;
        }
        match parse_jsonl_line(trimmed, self.default_source.as_deref()) {
            Ok(sample) => self.samples.push(sample),
            Err(message) => self.errors.push(LineError {
                file: self.name.clone(),
                line,
                message,
            }),
        }
    }

    /// `bytes` (`offset` bytes into the input, starting on line `line`) as
    /// text; invalid UTF-8 becomes U+FFFD and is counted for the warning.
    fn decode_at<'a>(&mut self, bytes: &'a [u8], offset: usize, line: usize) -> Cow<'a, str> {
        match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(e) => {
                let at = e.valid_up_to();
                if self.first_bad.is_none() {
                    let newlines = bytes[..at].iter().filter(|&&b| b == b'\n').count();
                    self.first_bad = Some((offset + at, line + newlines));
                }
                self.bad_sequences += bytes
                    .utf8_chunks()
                    .filter(|c| !c.invalid().is_empty())
                    .count();
                String::from_utf8_lossy(bytes)
            }
        }
    }

    /// The records of a JSON array (or `{"samples": [...]}`); anything
    /// else is read as JSON Lines.
    fn json_records(&mut self) {
        let list = match serde_json::from_slice::<serde_json::Value>(&self.pending) {
            Ok(serde_json::Value::Array(list)) => list,
            Ok(serde_json::Value::Object(mut o))
                if o.get("samples").is_some_and(|v| v.is_array()) =>
            {
                match o.remove("samples") {
                    Some(serde_json::Value::Array(list)) => list,
                    _ => Vec::new(),
                }
            }
            _ => return self.jsonl_lines(true),
        };
        self.pending.clear();
        for (i, item) in list.into_iter().enumerate() {
            let sample = value_sample(item, self.default_source.as_deref());
            match sample {
                Ok(sample) => self.samples.push(sample),
                Err(message) => self.errors.push(LineError {
                    file: self.name.clone(),
                    line: i + 1,
                    message,
                }),
            }
        }
    }

    /// Every CSV record of the whole (decoded) input. A quoted field that
    /// is never closed would take every later row into one text (the csv
    /// crate reads to the end of the input): its line is reported and
    /// skipped, and reading starts again on the next line.
    fn csv_records(&mut self, content: &str) {
        let name = self.name.clone();
        let error = |line: usize, message: String| LineError {
            file: name.clone(),
            line,
            message,
        };
        let builder = |headers: bool| {
            let mut b = csv::ReaderBuilder::new();
            b.has_headers(headers).flexible(true);
            b
        };
        let mut reader = builder(true).from_reader(content.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
            Err(e) => {
                self.errors
                    .push(error(1, format!("unreadable csv header: {e}")));
                return;
            }
        };
        let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
        let (c_source, c_text) = (col(&["source"]), col(&["text"]));
        let (c_id, c_prompt) = (col(&["prompt_id", "promptid"]), col(&["prompt"]));
        let c_family = col(&["family"]);
        let default_source = self.default_source.clone();
        if c_text.is_none() || (c_source.is_none() && default_source.is_none()) {
            // Name what the header holds: a file exported with other
            // column names ("model", "answer") is then easy to fix.
            let shown = shown_names(header.iter());
            let found = if shown.iter().all(String::is_empty) {
                "it names no column".to_string()
            } else {
                format!("it has {}", shown.join(", "))
            };
            self.errors.push(error(
                1,
                format!(
                    "csv header must name the columns \"source\" and \"text\" \
                     (optionally \"prompt_id\" and \"prompt\"); {found}"
                ),
            ));
            return;
        }
        // (byte offset of the part being read, its first line - 1)
        let (mut base, mut lines_before) = (0usize, 0usize);
        loop {
            let mut records: Vec<(usize, usize, Result<csv::StringRecord, String>)> = Vec::new();
            for rec in reader.records() {
                let (byte, line, r) = match rec {
                    Err(e) => {
                        let p = e.position();
                        let at = p.map_or((0, 0), |p| (p.byte() as usize, p.line() as usize));
                        (at.0, at.1, Err(format!("malformed csv record: {e}")))
                    }
                    Ok(r) => {
                        let p = r.position();
                        let at = p.map_or((0, 0), |p| (p.byte() as usize, p.line() as usize));
                        (at.0, at.1, Ok(r))
                    }
                };
                records.push((base + byte, lines_before + line, r));
            }
            // The first record whose quoting went wrong, and every record
            // after it (read from a wrong quote state), are dropped.
            let ends: Vec<usize> = records
                .iter()
                .skip(1)
                .map(|r| r.0)
                .chain([content.len()])
                .collect();
            let open = records
                .iter()
                .zip(ends)
                .position(|((byte, _, _), end)| quoting_goes_wrong(&content[*byte..end]));
            let open = open.map(|i| {
                let (byte, line, _) = &records[i];
                let at = (*byte, *line);
                records.truncate(i);
                at
            });
            for (_, line, rec) in records {
                let r = match rec {
                    Err(message) => {
                        self.errors.push(error(line, message));
                        continue;
                    }
                    Ok(r) => r,
                };
                let get = |c: Option<usize>| c.and_then(|c| r.get(c)).map(str::to_string);
                let source = get(c_source)
                    .filter(|s| !s.trim().is_empty())
                    .or_else(|| default_source.clone());
                match (source, get(c_text)) {
                    (Some(source), Some(text)) => self.samples.push(Sample {
                        source,
                        text,
                        prompt_id: get(c_id).filter(|s| !s.is_empty()),
                        prompt: get(c_prompt),
                        family: get(c_family).filter(|s| !s.trim().is_empty()),
                    }),
                    _ => self
                        .errors
                        .push(error(line, "record lacks a source or a text field".into())),
                }
            }
            let Some((byte, line)) = open else { break };
            self.errors.push(error(
                line,
                "a quoted field opens on this line and is never closed (a missing \" swallows the rows after it): the line is skipped and reading goes on with the next one".into(),
            ));
            let Some(nl) = content[byte..].find('\n') else {
                break;
            };
            base = byte + nl + 1;
            lines_before = line;
            reader = builder(false).from_reader(&content.as_bytes()[base..]);
        }
    }
}

/// Whether one CSV record's text ends inside a quoted field, or has text
/// after a closing quote (`"one⏎b,y⏎c,"two`: a quote left open took the
/// next rows until another quote closed it). A `"` at the start of a field
/// opens a quoted field, `""` inside it is a quote and a lone `"` closes
/// it; elsewhere a `"` is an ordinary character, as the csv crate reads it.
fn quoting_goes_wrong(record: &str) -> bool {
    let mut bytes = record.bytes().peekable();
    let (mut quoted, mut field_start, mut closed) = (false, true, false);
    while let Some(b) = bytes.next() {
        if quoted {
            if b == b'"' {
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    quoted = false;
                    closed = true;
                }
            }
            continue;
        }
        match b {
            b'"' if field_start => {
                quoted = true;
                field_start = false;
            }
            b',' | b'\n' | b'\r' => {
                field_start = true;
                closed = false;
            }
            b' ' | b'\t' => field_start = false,
            _ if closed => return true,
            _ => field_start = false,
        }
    }
    quoted
}

/// Reads JSON Lines: one object per line with `source`, `text` and
/// optionally `prompt_id` (or `promptId`) and `prompt`. Blank lines are
/// skipped. `default_source` is used when a record has no `source`.
pub fn read_jsonl(name: &str, bytes: &[u8], default_source: Option<&str>) -> Parsed {
    read(name, bytes, Format::Jsonl, default_source)
}

/// Reads CSV with a header naming at least `source` and `text` (in any
/// order; `prompt_id`/`promptId` and `prompt` are optional). Quoted fields
/// may contain commas and newlines.
pub fn read_csv(name: &str, bytes: &[u8], default_source: Option<&str>) -> Parsed {
    read(name, bytes, Format::Csv, default_source)
}

/// Reads a whole input in the given format.
pub fn read(name: &str, bytes: &[u8], format: Format, default_source: Option<&str>) -> Parsed {
    let mut reader = Reader::new(name, format, default_source);
    reader.push(bytes);
    reader.finish()
}
