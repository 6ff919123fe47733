//! The pure half of `lineage collect`: reading a prompt file, the
//! chat-completions request and the reading of its answer, the retry
//! policy, what a resumed run finds in its output file, and the record
//! written for each answer.
//!
//! Nothing here opens a connection, reads a clock or the environment: the
//! native CLI (`src/bin/lineage`) does the HTTP and passes the time in, so
//! every decision (retry or stop, skip or ask) is a function that is
//! tested here without a network, and could run in a browser.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::corpus::LineError;
use crate::record::{id_string, prompt_id_of, Record};

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
/// `prompt_id` per line (the probe set's format), or plain text with one
/// prompt per line. The format is JSON Lines when the first non-blank
/// line starts with `{`. A prompt without an id gets
/// [`prompt_id_of`] its text. Blank lines are skipped; every bad line is
/// an error naming the file and line, and nothing is returned then (a
/// collection should not start from half a prompt file).
pub fn read_prompts(name: &str, bytes: &[u8]) -> Result<PromptFile, Vec<LineError>> {
    let err = |line: usize, message: String| LineError {
        file: name.to_string(),
        line,
        message,
    };
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
    Ok(Prompt {
        id,
        text,
        extra: obj,
    })
}

/// The URL requests go to: `{endpoint}/chat/completions`. An endpoint that
/// already ends in `/chat/completions` is used as it is; a query string
/// (some gateways want `?api-version=`) stays at the end.
pub fn chat_url(endpoint: &str) -> Result<String, String> {
    let e = endpoint.trim();
    let lower = e.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) || e.len() <= 8 {
        return Err(format!(
            "--endpoint must be an http:// or https:// URL such as http://localhost:8000/v1, not {e:?}"
        ));
    }
    let (base, query) = match e.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (e, None),
    };
    let base = base.trim_end_matches('/');
    let mut url = if base.ends_with("/chat/completions") {
        base.to_string()
    } else {
        format!("{base}/chat/completions")
    };
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    Ok(url)
}

/// A URL as recorded in `meta`: without user name, password or query
/// string, which may hold credentials.
pub fn redact_url(url: &str) -> String {
    let no_query = url.split(['?', '#']).next().unwrap_or(url);
    match no_query.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = match rest.find('/') {
                Some(i) => rest.split_at(i),
                None => (rest, ""),
            };
            let host = authority.rsplit('@').next().unwrap_or(authority);
            format!("{scheme}://{host}{path}")
        }
        None => no_query.to_string(),
    }
}

/// The settings of a collection, sent with every request and recorded in
/// every record's `meta`.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatSettings {
    pub model: String,
    /// None: the server's default.
    pub temperature: Option<f64>,
    /// None: the server's default.
    pub max_tokens: Option<u32>,
    pub system: Option<String>,
}

impl ChatSettings {
    /// The JSON body of one chat-completions request.
    pub fn request_body(&self, prompt: &str) -> String {
        let mut messages = Vec::new();
        if let Some(s) = &self.system {
            messages.push(json!({"role": "system", "content": s}));
        }
        messages.push(json!({"role": "user", "content": prompt}));
        let mut body = json!({"model": self.model, "messages": messages, "stream": false});
        if let Some(t) = self.temperature {
            body["temperature"] = json!(t);
        }
        if let Some(m) = self.max_tokens {
            body["max_tokens"] = json!(m);
        }
        body.to_string()
    }
}

/// The answer of one chat completion.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatAnswer {
    pub text: String,
    /// The model name the server reports (often more precise than the
    /// requested one).
    pub model: Option<String>,
    pub finish_reason: Option<String>,
    pub usage: Option<Value>,
}

/// Why a response body gave no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyProblem {
    /// Not a chat completion at all (HTML, another API, truncated JSON):
    /// the endpoint is probably wrong, so the whole run stops.
    NotChatCompletion(String),
    /// A chat completion whose first choice holds no text (a refusal, a
    /// tool call, a content filter): this prompt fails, the run goes on.
    NoText(String),
}

/// Reads a chat-completions response body.
pub fn parse_chat_completion(body: &str) -> Result<ChatAnswer, BodyProblem> {
    let not = |why: &str| {
        let snippet: String = body.chars().take(160).collect();
        BodyProblem::NotChatCompletion(format!("{why} (body starts {snippet:?})"))
    };
    let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(body) else {
        return Err(not("the response is not a JSON object"));
    };
    if let Some(e) = obj.get("error") {
        let msg = e
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| e.to_string());
        return Err(BodyProblem::NotChatCompletion(format!(
            "the server answered with an error: {msg}"
        )));
    }
    let Some(choice) = obj
        .get("choices")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
    else {
        return Err(not("the response has no \"choices\""));
    };
    let Some(message) = choice.get("message").and_then(Value::as_object) else {
        return Err(not("the first choice has no \"message\""));
    };
    let finish_reason = choice
        .get("finish_reason")
        .and_then(Value::as_str)
        .map(str::to_string);
    let text = match message.get("content") {
        Some(Value::String(s)) => Some(s.clone()),
        // Content parts: the text parts joined.
        Some(Value::Array(parts)) => Some(
            parts
                .iter()
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect::<String>(),
        ),
        _ => None,
    };
    let Some(text) = text else {
        let refusal = message.get("refusal").and_then(Value::as_str);
        return Err(BodyProblem::NoText(format!(
            "the answer holds no text (finish_reason {}{})",
            finish_reason.as_deref().unwrap_or("none"),
            refusal
                .map(|r| format!(", refusal {r:?}"))
                .unwrap_or_default()
        )));
    };
    Ok(ChatAnswer {
        text,
        model: obj.get("model").and_then(Value::as_str).map(str::to_string),
        finish_reason,
        usage: obj.get("usage").cloned(),
    })
}

/// What an HTTP status means for the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusClass {
    Success,
    /// 408, 429 and 5xx: wait and try again.
    Retry,
    /// 401 and 403: the key is missing or wrong; every request would fail.
    Unauthorized,
    /// 404 and 405: the endpoint or model does not exist; every request
    /// would fail.
    NotFound,
    /// Any other status (400 for a prompt that is too long, ...): this
    /// prompt fails, the others go on.
    Rejected,
}

pub fn classify_status(status: u16) -> StatusClass {
    match status {
        200..=299 => StatusClass::Success,
        408 | 429 | 500..=599 => StatusClass::Retry,
        401 | 403 => StatusClass::Unauthorized,
        404 | 405 => StatusClass::NotFound,
        _ => StatusClass::Rejected,
    }
}

/// When to try a request again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per prompt, the first included.
    pub attempts: u32,
    /// The first backoff; each retry doubles it.
    pub base: Duration,
    /// Backoffs stop growing here.
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this gives up on the prompt rather
    /// than hold the run for it.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Six attempts, backoffs of about 0.5, 1, 2, 4 and 8 s (16 s at most
    /// before a prompt is given up); a server's `Retry-After` is honoured
    /// up to ten minutes.
    fn default() -> Self {
        Self {
            attempts: 6,
            base: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(600),
        }
    }
}

impl RetryPolicy {
    /// The wait before the next attempt after `attempts_made` attempts
    /// (1 after the first), or None when the prompt is to be given up.
    /// `retry_after` is the server's wish and is honoured as it is;
    /// otherwise the backoff doubles from `base`, with `jitter` in [0, 1)
    /// spreading it over its upper half so concurrent requests do not
    /// come back together.
    pub fn delay(
        &self,
        attempts_made: u32,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Option<Duration> {
        if attempts_made >= self.attempts {
            return None;
        }
        if let Some(d) = retry_after {
            return (d <= self.max_retry_after).then_some(d);
        }
        let doubling = 2u32.saturating_pow(attempts_made.saturating_sub(1).min(20));
        let full = self.base.saturating_mul(doubling).min(self.max_backoff);
        Some(full.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0)))
    }
}

/// Reads a `Retry-After` header: delay-seconds or an HTTP date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), given the current Unix time. A date
/// in the past means no wait. None when the value is neither.
pub fn parse_retry_after(value: &str, now_unix: u64) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(1e9)));
    }
    let at = parse_http_date(v)?;
    Some(Duration::from_secs(at.saturating_sub(now_unix)))
}

/// An IMF-fixdate (RFC 9110 §5.6.7) as Unix seconds.
fn parse_http_date(s: &str) -> Option<u64> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let rest = s.split_once(", ")?.1;
    let parts: Vec<&str> = rest.split_whitespace().collect();
    let [day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|x| x == month)? as u32 + 1;
    let d: u32 = day.parse().ok()?;
    let y: i64 = year.parse().ok()?;
    let hms: Vec<u64> = time
        .split(':')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    let [h, mi, sec] = hms.as_slice() else {
        return None;
    };
    if !(1..=31).contains(&d) || *h > 23 || *mi > 59 || *sec > 60 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    u64::try_from(days * 86_400 + (*h * 3600 + *mi * 60 + *sec) as i64).ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Unix seconds as an RFC 3339 UTC timestamp (`2026-11-30T09:05:00Z`).
pub fn rfc3339_utc(unix_secs: u64) -> String {
    let secs = unix_secs as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        t / 3600,
        (t / 60) % 60,
        t % 60
    )
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

    #[test]
    fn urls() {
        let cases: &[(&str, Result<&str, ()>)] = &[
            (
                "http://localhost:8000/v1",
                Ok("http://localhost:8000/v1/chat/completions"),
            ),
            (
                "http://localhost:8000/v1/",
                Ok("http://localhost:8000/v1/chat/completions"),
            ),
            (
                "https://h/v1/chat/completions",
                Ok("https://h/v1/chat/completions"),
            ),
            (
                "https://h/openai?api-version=2024",
                Ok("https://h/openai/chat/completions?api-version=2024"),
            ),
            ("localhost:8000/v1", Err(())),
            ("ftp://h/v1", Err(())),
            ("http://", Err(())),
        ];
        for (input, want) in cases {
            assert_eq!(
                chat_url(input).map_err(|_| ()),
                want.map(str::to_string),
                "{input}"
            );
        }
        assert_eq!(
            redact_url("https://user:secret@h:9/v1?key=k#x"),
            "https://h:9/v1"
        );
        assert_eq!(redact_url("http://h"), "http://h");
    }

    #[test]
    fn request_body_has_the_settings() {
        let s = ChatSettings {
            model: "m".into(),
            temperature: Some(0.5),
            max_tokens: Some(64),
            system: Some("be brief".into()),
        };
        let v: Value = serde_json::from_str(&s.request_body("Hi")).unwrap();
        assert_eq!(v["model"], "m");
        assert_eq!(v["messages"][0]["role"], "system");
        assert_eq!(v["messages"][1]["content"], "Hi");
        assert_eq!(v["temperature"], 0.5);
        assert_eq!(v["max_tokens"], 64);
        let bare = ChatSettings {
            temperature: None,
            max_tokens: None,
            system: None,
            ..s
        };
        let v: Value = serde_json::from_str(&bare.request_body("Hi")).unwrap();
        assert_eq!(v["messages"].as_array().unwrap().len(), 1);
        assert!(v.get("temperature").is_none() && v.get("max_tokens").is_none());
    }

    #[test]
    fn chat_completion_bodies() {
        // (body, Ok(text) or Err(is_fatal, fragment))
        type Want<'a> = Result<&'a str, (bool, &'a str)>;
        let cases: &[(&str, Want)] = &[
            (
                r#"{"model":"m-1","choices":[{"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"total_tokens":3}}"#,
                Ok("Hello"),
            ),
            (
                r#"{"choices":[{"message":{"content":[{"type":"text","text":"A"},{"type":"text","text":"B"}]}}]}"#,
                Ok("AB"),
            ),
            (r#"{"choices":[{"message":{"content":""}}]}"#, Ok("")),
            ("<html>Not Found</html>", Err((true, "not a JSON object"))),
            (r#"{"choices":[]}"#, Err((true, "no \"choices\""))),
            (r#"{"data":[1]}"#, Err((true, "no \"choices\""))),
            (
                r#"{"choices":[{"text":"legacy completion"}]}"#,
                Err((true, "no \"message\"")),
            ),
            (
                r#"{"error":{"message":"model overloaded"}}"#,
                Err((true, "model overloaded")),
            ),
            (
                r#"{"choices":[{"message":{"content":null,"refusal":"no"},"finish_reason":"content_filter"}]}"#,
                Err((false, "content_filter")),
            ),
            (
                r#"{"choices":[{"message":{"con"#,
                Err((true, "not a JSON object")),
            ),
        ];
        for (body, want) in cases {
            match (parse_chat_completion(body), want) {
                (Ok(a), Ok(text)) => assert_eq!(a.text, *text, "{body}"),
                (Err(BodyProblem::NotChatCompletion(m)), Err((true, frag)))
                | (Err(BodyProblem::NoText(m)), Err((false, frag))) => {
                    assert!(m.contains(frag), "{body}: {m}")
                }
                (got, _) => panic!("{body}: unexpected {got:?}"),
            }
        }
        let a = parse_chat_completion(cases[0].0).unwrap();
        assert_eq!(a.model.as_deref(), Some("m-1"));
        assert_eq!(a.finish_reason.as_deref(), Some("stop"));
        assert_eq!(a.usage.unwrap()["total_tokens"], 3);
    }

    #[test]
    fn statuses() {
        let cases = [
            (200, StatusClass::Success),
            (201, StatusClass::Success),
            (400, StatusClass::Rejected),
            (401, StatusClass::Unauthorized),
            (403, StatusClass::Unauthorized),
            (404, StatusClass::NotFound),
            (408, StatusClass::Retry),
            (422, StatusClass::Rejected),
            (429, StatusClass::Retry),
            (500, StatusClass::Retry),
            (503, StatusClass::Retry),
        ];
        for (s, c) in cases {
            assert_eq!(classify_status(s), c, "{s}");
        }
    }

    #[test]
    fn retry_delays() {
        let p = RetryPolicy::default();
        let ms = |d: Option<Duration>| d.map(|d| d.as_millis());
        // Backoff doubles, jitter spreads it over its upper half.
        assert_eq!(ms(p.delay(1, None, 0.0)), Some(250));
        assert_eq!(ms(p.delay(1, None, 1.0)), Some(500));
        assert_eq!(ms(p.delay(3, None, 1.0)), Some(2000));
        assert_eq!(ms(p.delay(5, None, 1.0)), Some(8000));
        // Retry-After is honoured as it is, up to the cap.
        assert_eq!(
            ms(p.delay(1, Some(Duration::from_secs(7)), 0.3)),
            Some(7000)
        );
        assert_eq!(p.delay(1, Some(Duration::from_secs(601)), 0.0), None);
        // Attempts run out.
        assert_eq!(p.delay(6, None, 0.0), None);
        assert_eq!(p.delay(6, Some(Duration::ZERO), 0.0), None);
        // Capped.
        let long = RetryPolicy { attempts: 100, ..p };
        assert_eq!(ms(long.delay(40, None, 1.0)), Some(30_000));
    }

    #[test]
    fn retry_after_values() {
        // 1994-11-06T08:49:37Z
        let t = 784_111_777;
        let cases: &[(&str, Option<u64>)] = &[
            ("2", Some(2_000)),
            (" 0 ", Some(0)),
            ("1.5", Some(1_500)),
            ("-1", None),
            ("soon", None),
            ("Sun, 06 Nov 1994 08:49:47 GMT", Some(10_000)),
            ("Sun, 06 Nov 1994 08:49:00 GMT", Some(0)),
            ("Sun, 06 Nov 1994 08:49:47 PST", None),
            ("Sun, 32 Nov 1994 08:49:47 GMT", None),
        ];
        for (v, want) in cases {
            assert_eq!(
                parse_retry_after(v, t).map(|d| d.as_millis() as u64),
                *want,
                "{v}"
            );
        }
    }

    #[test]
    fn dates() {
        let cases: &[(u64, &str)] = &[
            (0, "1970-01-01T00:00:00Z"),
            (784_111_777, "1994-11-06T08:49:37Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_798_761_599, "2026-12-31T23:59:59Z"),
        ];
        for (secs, s) in cases {
            assert_eq!(rfc3339_utc(*secs), *s);
        }
        // The two date conversions agree on every day of four centuries.
        for day in (-146_097 * 2)..(146_097 * 2) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
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
