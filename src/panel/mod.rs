//! Reference panels: answers of known models to one probe set, kept in one
//! file so that a user brings only the suspect's answers.
//!
//! A panel is a gzip-compressed JSON Lines file (`.lineage.jsonl.gz`),
//! one gzip member, UTF-8, lines ended by `\n`:
//!
//! - line 1, the header: `{"lineage_panel": 1, "name", "created",
//!   "probe_set": {"id", "sha256"} | null, "records", "sources": [{"source",
//!   "model", "role": "candidate" | "control", "answers", "collection",
//!   "family"?}]}`;
//! - then one [`Record`] per line, exactly the JSONL input format
//!   (`source`, `prompt_id`, `prompt`, `text`, `meta`), every source
//!   named in the header.
//!
//! The header comes first so that a reader streaming the file (a browser's
//! `DecompressionStream("gzip")`, split into lines) knows the sources and
//! their suggested roles before the answers arrive, and each answer line
//! can go straight to the same JSONL reader as any input. [`Reader`] takes
//! the lines one at a time for that reason; [`read_gz`] and [`write_gz`]
//! do the gzip natively (`flate2`, native only: the browser has its own).
//!
//! `lineage_panel` is both the marker and the schema version: a reader
//! refuses a version it does not know rather than guess at its fields.
//! Fields added to version 1 later are ignored by older readers.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::corpus::Sample;
use crate::record::Record;
use crate::report::InputFile;

/// The panel format this build writes and reads.
pub const SCHEMA_VERSION: u64 = 1;

/// The file name ending of a panel.
pub const EXTENSION: &str = ".lineage.jsonl.gz";

/// Largest decompressed panel read: the CLI's limit on an input file (a
/// gzip bomb stops here, not in the allocator).
pub const MAX_DECOMPRESSED_BYTES: u64 = 256 << 20;

/// The first line of a panel (in the JS package, also named `PanelHeader`:
/// the fields as in the file, snake_case).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Header {
    /// The schema version ([`SCHEMA_VERSION`]).
    pub lineage_panel: u64,
    pub name: String,
    /// When the panel was built (RFC 3339, UTC).
    pub created: String,
    /// The prompts the answers reply to, when one set is known.
    pub probe_set: Option<ProbeSet>,
    /// How many answer lines follow.
    pub records: usize,
    pub sources: Vec<PanelSource>,
}

/// The prompt set of a panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ProbeSet {
    pub id: String,
    /// SHA-256 of the prompt file the answers were collected with.
    pub sha256: Option<String>,
}

/// One model of a panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct PanelSource {
    /// The source name of its records.
    pub source: String,
    /// The model name reported by the server or the importer, if known.
    pub model: Option<String>,
    pub role: SuggestedRole,
    pub answers: usize,
    /// How the answers were obtained: the `meta` settings its records
    /// share (endpoint, model, temperature, importer, ...), the first and
    /// last collection time, and under `varies` the settings that differ
    /// between its records. Empty when the records carry no `meta`.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", tsify(type = "Record<string, unknown>"))]
    pub collection: Map<String, Value>,
    /// The vendor family the panel's maker gave the source ("openai"),
    /// or the one its records share; absent when neither said one (the
    /// built-in table of well-known names is applied at analysis time,
    /// not frozen into the file). Added within version 1: older readers
    /// ignore it, and a panel without it reads as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub family: Option<String>,
}

/// The role a panel suggests for a source; a user can name others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum SuggestedRole {
    Candidate,
    Control,
}

impl SuggestedRole {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestedRole::Candidate => "candidate",
            SuggestedRole::Control => "control",
        }
    }

    /// `candidate` or `control`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "candidate" => Some(SuggestedRole::Candidate),
            "control" => Some(SuggestedRole::Control),
            _ => None,
        }
    }
}

/// A whole panel: its header and its answers.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    pub header: Header,
    pub records: Vec<Record>,
}

impl Panel {
    /// The answers as analysis samples.
    pub fn samples(&self) -> Vec<Sample> {
        self.records
            .iter()
            .map(|r| Sample {
                source: r.source.clone(),
                text: r.text.clone(),
                prompt_id: r.prompt_id.clone(),
                prompt: r.prompt.clone(),
                family: record_family(r),
            })
            .collect()
    }

    /// source → family, for the sources whose header entry names one: the
    /// panel maker's word, which an analysis takes as the user's
    /// (`AnalysisRequest::families`) unless the user says otherwise.
    pub fn families(&self) -> BTreeMap<String, String> {
        self.header
            .sources
            .iter()
            .filter_map(|s| Some((s.source.clone(), s.family.clone()?)))
            .collect()
    }

    /// The panel as the report lists an input: named `name`, its file's
    /// SHA-256 `sha256`.
    pub fn input_file(&self, name: String, sha256: String) -> InputFile {
        InputFile {
            name,
            sha256,
            samples: self.records.len(),
            malformed_lines: 0,
        }
    }

    /// The uncompressed file: the header line, then one line per record.
    pub fn to_jsonl(&self) -> String {
        let mut out = serde_json::to_string(&self.header).unwrap_or_default();
        out.push('\n');
        for r in &self.records {
            out.push_str(&r.to_line());
            out.push('\n');
        }
        out
    }

    /// The sources whose suggested role is `role`, in header order.
    pub fn sources_with(&self, role: SuggestedRole) -> Vec<String> {
        self.header
            .sources
            .iter()
            .filter(|s| s.role == role)
            .map(|s| s.source.clone())
            .collect()
    }
}

/// A record's own `family` field (kept among its other fields), as the
/// analysis readers read it from any JSONL line.
pub(crate) fn record_family(r: &Record) -> Option<String> {
    let f = r.extra.get("family")?.as_str()?;
    (!f.trim().is_empty()).then(|| f.to_string())
}

/// What kind of problem a [`PanelError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PanelErrorKind {
    /// The file is not gzip-compressed.
    NotGzip,
    /// The gzip stream ends before its end (a partial download or copy).
    Truncated,
    /// The gzip data is damaged (bad checksum, bad deflate data).
    Corrupt,
    /// The first line is not a panel header.
    NotAPanel,
    /// The header's schema version is not one this build reads.
    UnknownVersion,
    /// The header is a panel header with missing or wrong fields.
    BadHeader,
    /// An answer line is malformed or names a source the header lacks.
    BadRecord,
    /// The answers do not match the header's counts.
    WrongCount,
    /// Building: the inputs or roles do not make a panel.
    BadInput,
    /// Past [`MAX_DECOMPRESSED_BYTES`].
    TooLarge,
}

/// A panel that cannot be read or built: the file, the line when there is
/// one, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanelError {
    kind: PanelErrorKind,
    file: String,
    line: Option<usize>,
    message: String,
}

impl PanelError {
    pub fn new(
        kind: PanelErrorKind,
        file: &str,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }

    pub fn kind(&self) -> PanelErrorKind {
        self.kind
    }

    pub fn line(&self) -> Option<usize> {
        self.line
    }
}

impl fmt::Display for PanelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.file, l, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for PanelError {}

impl From<PanelError> for crate::Error {
    /// A damaged or foreign panel could not be read (`READ_FAILED`); a
    /// build refused its inputs or roles (`BAD_ARGUMENT`).
    fn from(e: PanelError) -> Self {
        let kind = match e.kind {
            PanelErrorKind::TooLarge => crate::ErrorKind::TooLarge,
            PanelErrorKind::BadInput => crate::ErrorKind::BadArgument,
            _ => crate::ErrorKind::ReadFailed,
        };
        crate::Error::new(kind, e.to_string())
    }
}

/// Reads a panel line by line (each line without its `\n`), so a caller
/// can stream a decompressed file through it; the header is available
/// after the first line.
#[derive(Debug)]
pub struct Reader {
    file: String,
    line: usize,
    header: Option<Header>,
    records: Vec<Record>,
    counts: BTreeMap<String, usize>,
    /// The start of a line whose end is in a later chunk.
    pending: Vec<u8>,
    /// Bytes taken by [`push_chunk`](Self::push_chunk) so far.
    bytes: u64,
}

impl Reader {
    /// `file` names the panel in errors.
    pub fn new(file: &str) -> Self {
        Self {
            file: file.to_string(),
            line: 0,
            header: None,
            records: Vec::new(),
            counts: BTreeMap::new(),
            pending: Vec::new(),
            bytes: 0,
        }
    }

    /// Bytes taken by [`push_chunk`](Self::push_chunk) so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Takes the next piece of a decompressed stream, cut anywhere: its
    /// whole lines are read now, a line cut short waits for the next
    /// chunk (or [`finish`](Self::finish)).
    pub fn push_chunk(&mut self, chunk: &[u8]) -> Result<(), PanelError> {
        self.bytes += chunk.len() as u64;
        let mut pending = std::mem::take(&mut self.pending);
        pending.extend_from_slice(chunk);
        let mut start = 0;
        while let Some(end) = pending[start..].iter().position(|&b| b == b'\n') {
            self.push_bytes(&pending[start..start + end])?;
            start += end + 1;
        }
        pending.drain(..start);
        self.pending = pending;
        Ok(())
    }

    pub fn header(&self) -> Option<&Header> {
        self.header.as_ref()
    }

    /// Lines taken so far.
    pub fn lines(&self) -> usize {
        self.line
    }

    fn error(&self, kind: PanelErrorKind, message: impl Into<String>) -> PanelError {
        PanelError::new(kind, &self.file, Some(self.line), message)
    }

    /// Takes the next line as bytes (without its `\n`), as a stream
    /// gives them: invalid UTF-8 is an error naming the line.
    pub fn push_bytes(&mut self, line: &[u8]) -> Result<(), PanelError> {
        match std::str::from_utf8(line) {
            Ok(line) => self.push_line(line),
            Err(e) => Err(PanelError::new(
                PanelErrorKind::BadRecord,
                &self.file,
                Some(self.line + 1),
                format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
            )),
        }
    }

    /// The error of a gzip stream that failed after the lines read so
    /// far: it ended early (`truncated`), or its data is damaged
    /// (`detail` says how).
    pub fn gzip_error(&self, truncated: bool, detail: &str) -> PanelError {
        let (kind, what) = if truncated {
            (
                PanelErrorKind::Truncated,
                "the gzip stream ends early (the file is incomplete: rebuild or copy it again)"
                    .to_string(),
            )
        } else {
            (
                PanelErrorKind::Corrupt,
                format!("corrupt gzip data: {detail}"),
            )
        };
        let message = format!("{what}, after line {}", self.line);
        PanelError::new(kind, &self.file, None, message)
    }

    /// Takes the next line. Blank lines are skipped, but the header must
    /// be the first line.
    pub fn push_line(&mut self, line: &str) -> Result<(), PanelError> {
        self.line += 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let Some(header) = &self.header else {
            let line = line.strip_prefix('\u{feff}').unwrap_or(line);
            self.header = Some(parse_header(line).map_err(|(k, m)| self.error(k, m))?);
            return Ok(());
        };
        if line.trim().is_empty() {
            return Ok(());
        }
        let r = Record::parse_line(line)
            .map_err(|m| self.error(PanelErrorKind::BadRecord, format!("bad answer: {m}")))?;
        if !header.sources.iter().any(|s| s.source == r.source) {
            return Err(self.error(
                PanelErrorKind::BadRecord,
                format!("the answer's source {:?} is not in the header", r.source),
            ));
        }
        *self.counts.entry(r.source.clone()).or_default() += 1;
        self.records.push(r);
        Ok(())
    }

    /// The panel, once every line is in: the answers must match the
    /// header's counts (a panel cut short at a line boundary is caught
    /// here).
    pub fn finish(mut self) -> Result<Panel, PanelError> {
        if !self.pending.is_empty() {
            let last = std::mem::take(&mut self.pending);
            self.push_bytes(&last)?;
        }
        let Some(header) = self.header else {
            return Err(PanelError::new(
                PanelErrorKind::NotAPanel,
                &self.file,
                None,
                "the panel is empty (no header line)",
            ));
        };
        if self.records.len() != header.records {
            return Err(PanelError::new(
                PanelErrorKind::WrongCount,
                &self.file,
                None,
                format!(
                    "the header announces {} answers but the file holds {}{}",
                    header.records,
                    self.records.len(),
                    if self.records.len() < header.records {
                        " (the file is incomplete)"
                    } else {
                        ""
                    }
                ),
            ));
        }
        for s in &header.sources {
            let got = self.counts.get(&s.source).copied().unwrap_or(0);
            if got != s.answers {
                return Err(PanelError::new(
                    PanelErrorKind::WrongCount,
                    &self.file,
                    None,
                    format!(
                        "the header announces {} answers of {} but the file holds {got}",
                        s.answers, s.source
                    ),
                ));
            }
        }
        Ok(Panel {
            header,
            records: self.records,
        })
    }
}

/// Reads the header line: the marker and version first, so that a file of
/// another version is refused for its version, not for a field it lacks.
fn parse_header(line: &str) -> Result<Header, (PanelErrorKind, String)> {
    let not_a_panel = || {
        (
            PanelErrorKind::NotAPanel,
            format!(
                "not a Lineage panel: the first line must be the header, a JSON object with \"lineage_panel\": {SCHEMA_VERSION}"
            ),
        )
    };
    let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(line) else {
        return Err(not_a_panel());
    };
    match obj.get("lineage_panel") {
        None => return Err(not_a_panel()),
        Some(v) if v.as_u64() == Some(SCHEMA_VERSION) => {}
        Some(v) => {
            return Err((
                PanelErrorKind::UnknownVersion,
                format!(
                    "unknown panel schema version {v} (this build of Lineage reads version {SCHEMA_VERSION}; a newer Lineage may read it)"
                ),
            ))
        }
    }
    let header: Header = serde_json::from_value(Value::Object(obj))
        .map_err(|e| (PanelErrorKind::BadHeader, format!("bad panel header: {e}")))?;
    let mut names = BTreeSet::new();
    for s in &header.sources {
        if s.source.trim().is_empty() || !names.insert(s.source.as_str()) {
            return Err((
                PanelErrorKind::BadHeader,
                format!(
                    "bad panel header: source {:?} is empty or listed twice",
                    s.source
                ),
            ));
        }
    }
    if header.sources.is_empty() {
        return Err((
            PanelErrorKind::BadHeader,
            "bad panel header: no sources".into(),
        ));
    }
    let sum: usize = header.sources.iter().map(|s| s.answers).sum();
    if sum != header.records {
        return Err((
            PanelErrorKind::BadHeader,
            format!(
                "bad panel header: \"records\" is {} but the sources' answers add up to {sum}",
                header.records
            ),
        ));
    }
    Ok(header)
}

/// The error for a panel file whose first bytes (`start`) are not gzip's,
/// or `None` when they are.
pub fn not_gzip(file: &str, start: &[u8]) -> Option<PanelError> {
    if start.starts_with(&[0x1f, 0x8b]) {
        return None;
    }
    let hint = if start.first() == Some(&b'{') {
        " (it looks like uncompressed JSON Lines: compress it with gzip)"
    } else {
        ""
    };
    Some(PanelError::new(
        PanelErrorKind::NotGzip,
        file,
        None,
        format!("not gzip-compressed; a panel is a .lineage.jsonl.gz file{hint}"),
    ))
}

mod build;
pub use build::{build, build_from_samples, BuildOptions};

#[cfg(not(target_arch = "wasm32"))]
mod gz;
#[cfg(not(target_arch = "wasm32"))]
pub use gz::{read_gz, write_gz};

#[cfg(test)]
mod tests;
