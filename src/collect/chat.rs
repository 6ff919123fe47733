//! The chat-completions exchange: where requests go, what they carry,
//! how an answer is read, what a status means, and when to try again.

use std::time::Duration;

use serde_json::{json, Value};

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
    /// An answer of nothing but white space: never saved as an answer;
    /// asked again, and the prompt fails if it stays empty.
    Empty(String),
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
    if text.trim().is_empty() {
        return Err(BodyProblem::Empty(format!(
            "the answer is empty (finish_reason {})",
            finish_reason.as_deref().unwrap_or("none")
        )));
    }
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
    // Four digits, as the format says (a longer year overflowed the
    // seconds below: found by the `collect` fuzz target).
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
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

#[cfg(test)]
mod tests {
    use super::*;
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
        // (body, Ok(text) or Err(kind of problem, fragment))
        type Want<'a> = Result<&'a str, (&'a str, &'a str)>;
        let cases: &[(&str, Want)] = &[
            (
                r#"{"model":"m-1","choices":[{"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"total_tokens":3}}"#,
                Ok("Hello"),
            ),
            (
                r#"{"choices":[{"message":{"content":[{"type":"text","text":"A"},{"type":"text","text":"B"}]}}]}"#,
                Ok("AB"),
            ),
            (
                r#"{"choices":[{"message":{"content":""}}]}"#,
                Err(("empty", "the answer is empty")),
            ),
            (
                r#"{"choices":[{"message":{"content":" \n\t"},"finish_reason":"length"}]}"#,
                Err(("empty", "finish_reason length")),
            ),
            (
                "<html>Not Found</html>",
                Err(("fatal", "not a JSON object")),
            ),
            (r#"{"choices":[]}"#, Err(("fatal", "no \"choices\""))),
            (r#"{"data":[1]}"#, Err(("fatal", "no \"choices\""))),
            (
                r#"{"choices":[{"text":"legacy completion"}]}"#,
                Err(("fatal", "no \"message\"")),
            ),
            (
                r#"{"error":{"message":"model overloaded"}}"#,
                Err(("fatal", "model overloaded")),
            ),
            (
                r#"{"choices":[{"message":{"content":null,"refusal":"no"},"finish_reason":"content_filter"}]}"#,
                Err(("no text", "content_filter")),
            ),
            (
                r#"{"choices":[{"message":{"con"#,
                Err(("fatal", "not a JSON object")),
            ),
        ];
        for (body, want) in cases {
            match (parse_chat_completion(body), want) {
                (Ok(a), Ok(text)) => assert_eq!(a.text, *text, "{body}"),
                (Err(problem), Err((kind, frag))) => {
                    let (k, m) = match &problem {
                        BodyProblem::NotChatCompletion(m) => ("fatal", m),
                        BodyProblem::NoText(m) => ("no text", m),
                        BodyProblem::Empty(m) => ("empty", m),
                    };
                    assert_eq!(k, *kind, "{body}: {m}");
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
            ("Sun, 06 Nov 999999999999999 08:49:37 GMT", None),
            ("Sun, 06 Nov 99999 08:49:37 GMT", None),
            ("Sun, 06 Nov +994 08:49:37 GMT", None),
            (
                "Fri, 31 Dec 9999 23:59:59 GMT",
                Some(253_402_300_799_000 - 784_111_777_000),
            ),
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
}
