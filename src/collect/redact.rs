//! Secrets out of everything `lineage collect` prints or writes. A server
//! may echo the API key in an error body ("Incorrect API key provided:
//! sk-..."), and an HTTP library's error names the URL with its user name,
//! password and query string: every such text goes through a
//! [`Redactor`] before it reaches a terminal, a log or a file.

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this are not searched for literally (they would
/// blank out ordinary words); the patterns still catch them in URLs.
const MIN_SECRET: usize = 4;

/// The secrets of one run, and the patterns of secrets in general.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Redactor {
    /// Longest first, so that a secret holding another is replaced whole.
    secrets: Vec<String>,
}

impl Redactor {
    /// The run's secrets: the API key, and the endpoint's user info and
    /// secret-looking query values, as written and percent-decoded.
    pub fn new(key: Option<&str>, endpoint: &str) -> Self {
        let mut secrets: Vec<String> = key.map(str::trim).into_iter().map(String::from).collect();
        if let Some((_, rest)) = endpoint.split_once("://") {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
            if let Some((info, _)) = authority.rsplit_once('@') {
                secrets.push(info.to_string());
                secrets.extend(info.split(':').map(String::from));
            }
        }
        if let Some((_, query)) = endpoint.split_once('?') {
            for pair in query.split(['&', '#']) {
                if let Some((name, value)) = pair.split_once('=') {
                    if secret_name(name) {
                        secrets.push(value.to_string());
                    }
                }
            }
        }
        let decoded: Vec<String> = secrets.iter().map(|s| percent_decode(s)).collect();
        secrets.extend(decoded);
        secrets.retain(|s| s.chars().count() >= MIN_SECRET);
        crate::sort::stable_sort_by(&mut secrets, |a, b| {
            b.len().cmp(&a.len()).then_with(|| a.cmp(b))
        });
        secrets.dedup();
        Redactor { secrets }
    }

    /// A message (an error, a retry line, a server's body): the run's
    /// secrets, URL user info, secret-looking query values, `Bearer`
    /// tokens and `sk-` keys replaced.
    pub fn redact(&self, text: &str) -> String {
        let s = self.redact_known(text);
        let s = user_info(&s);
        let s = query_values(&s);
        let s = token_after(&s, "bearer ", true, 1);
        token_after(&s, "sk-", false, 8)
    }

    /// A model's answer, written to the output file: only the run's own
    /// secrets are replaced (a URL the model writes is its answer).
    pub fn redact_known(&self, text: &str) -> String {
        let mut s = text.to_string();
        for secret in &self.secrets {
            if s.contains(secret.as_str()) {
                s = s.replace(secret.as_str(), REDACTED);
            }
        }
        s
    }
}

/// Whether a query parameter's name says it holds a credential.
fn secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "key",
        "token",
        "secret",
        "pass",
        "pwd",
        "auth",
        "sig",
        "credential",
        "session",
    ]
    .iter()
    .any(|w| n.contains(w))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where a URL part or a token ends in running text.
fn ends_token(c: u8) -> bool {
    c.is_ascii_whitespace() || b"\"'<>()[]{},;`".contains(&c)
}

/// `scheme://user:password@host` as `scheme://[redacted]@host`.
fn user_info(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail
            .bytes()
            .position(|c| ends_token(c) || b"/?#".contains(&c))
            .unwrap_or(tail.len());
        match tail[..end].rfind('@') {
            Some(at) => {
                out.push_str(REDACTED);
                out.push_str(&tail[at..end]);
            }
            None => out.push_str(&tail[..end]),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// `?api_key=VALUE` and `&token=VALUE` with the value replaced.
fn query_values(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut i, mut copied) = (0, 0);
    while i < b.len() {
        if b[i] == b'?' || b[i] == b'&' {
            let start = i + 1;
            let eq = start
                + b[start..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || b"_-.".contains(c)))
                    .unwrap_or(b.len() - start);
            let end = match b.get(eq) {
                Some(b'=') if eq > start && secret_name(&s[start..eq]) => b[eq + 1..]
                    .iter()
                    .position(|&c| ends_token(c) || c == b'&' || c == b'#')
                    .map_or(b.len(), |p| eq + 1 + p),
                _ => 0,
            };
            // An empty value (or one already redacted) is left as it is.
            if end > eq + 1 {
                out.push_str(&s[copied..eq + 1]);
                out.push_str(REDACTED);
                (i, copied) = (end, end);
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&s[copied..]);
    out
}

/// A token after `prefix` (matched without regard to ASCII case, at the
/// start of a word) of at least `min` characters, replaced; the prefix is
/// kept when `keep` says so.
fn token_after(s: &str, prefix: &str, keep: bool, min: usize) -> String {
    let lower = s.to_ascii_lowercase();
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(p) = lower[from..].find(prefix) {
        let at = from + p;
        let start = at + prefix.len();
        let word_start = at == 0 || !b[at - 1].is_ascii_alphanumeric();
        let len = b[start..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || b"-_.~+/=*".contains(c)))
            .unwrap_or(b.len() - start);
        if word_start && len >= min {
            out.push_str(&s[copied..if keep { start } else { at }]);
            out.push_str(REDACTED);
            copied = start + len;
        }
        from = start + len;
    }
    out.push_str(&s[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_lose_every_secret() {
        let r = Redactor::new(
            Some("sk-live-abcdef123456"),
            "https://alice:pa%24%24word@api.example.com/v1?api-version=2&api_key=QQQQ9999",
        );
        // (message, what it must become)
        let cases = [
            (
                "Incorrect API key provided: sk-live-abcdef123456.",
                "Incorrect API key provided: [redacted].",
            ),
            ("echo: sk-li*********3456", "echo: [redacted]"),
            (
                "no answer from https://alice:pa%24%24word@api.example.com/v1/chat/completions?api-version=2&api_key=QQQQ9999: timeout",
                "no answer from https://[redacted]@api.example.com/v1/chat/completions?api-version=2&api_key=[redacted]: timeout",
            ),
            ("the password pa$$word was wrong", "the password [redacted] was wrong"),
            ("Authorization: Bearer abc.def-123", "Authorization: Bearer [redacted]"),
            ("http://u:p@h/x?token=t0k&x=1", "http://[redacted]@h/x?token=[redacted]&x=1"),
            ("{\"url\":\"https://k@h?sig=zz\"}", "{\"url\":\"https://[redacted]@h?sig=[redacted]\"}"),
            ("ask-me and task-force", "ask-me and task-force"),
            ("nothing secret in é ü 中 at all?", "nothing secret in é ü 中 at all?"),
        ];
        for (message, want) in cases {
            assert_eq!(r.redact(message), want, "{message}");
        }
    }

    #[test]
    fn answers_lose_only_the_runs_secrets() {
        let r = Redactor::new(Some("my-key-42"), "http://localhost:8000/v1");
        let cases = [
            ("your key is my-key-42", "your key is [redacted]"),
            (
                "see https://user:pw@example.com",
                "see https://user:pw@example.com",
            ),
            ("Bearer tokens are headers", "Bearer tokens are headers"),
        ];
        for (answer, want) in cases {
            assert_eq!(r.redact_known(answer), want, "{answer}");
        }
    }

    #[test]
    fn short_or_missing_secrets_blank_nothing() {
        let cases = [
            (None, "http://localhost:8000/v1", "a key of the house"),
            (Some("a"), "http://localhost/v1", "a cat"),
            (Some("   "), "http://x:y@h/v1", "x and y"),
        ];
        for (key, endpoint, text) in cases {
            assert_eq!(
                Redactor::new(key, endpoint).redact_known(text),
                text,
                "{key:?} {endpoint}"
            );
        }
    }
}
