//! A record of the JSONL input format with its provenance: what `lineage
//! collect` and `lineage import` write and what a reference panel holds.
//!
//! On disk a record is one JSON object per line with `source`, `text`
//! and optionally `prompt_id`, `prompt` and `meta` (how the text was
//! obtained: endpoint, model, sampling settings, importer). The analysis
//! readers of [`crate::corpus`] read the same lines and ignore `meta`, so
//! every file written here is also an analysis input.
//!
//! Fields a record carries beyond these (the development data's
//! `dataset`, say) are kept as they are when a record is read and written
//! again, so building a panel loses nothing of its inputs.

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// One answer with its provenance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Record {
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    pub text: String,
    /// How the text was obtained; empty when nothing is known.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub meta: Map<String, Value>,
    /// Any other top-level fields, written back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl From<crate::corpus::Sample> for Record {
    /// A sample as a record without provenance; its family, when it has
    /// one, stays a `family` field as the readers read it.
    fn from(s: crate::corpus::Sample) -> Self {
        let mut extra = Map::new();
        if let Some(f) = s.family {
            extra.insert("family".into(), Value::String(f));
        }
        Record {
            source: s.source,
            prompt_id: s.prompt_id,
            prompt: s.prompt,
            text: s.text,
            meta: Map::new(),
            extra,
        }
    }
}

impl Record {
    /// One JSON line (no trailing newline). Serialising a `Record` cannot
    /// fail: every field is a string or a JSON value.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads one non-blank JSONL line strictly: `source` and `text` must be
    /// strings, `prompt_id` (or `promptId`) a string or a number, `meta` an
    /// object. The message says what is wrong, without the location (the
    /// caller knows the file and line).
    pub fn parse_line(line: &str) -> Result<Record, String> {
        let value: Value =
            serde_json::from_str(line).map_err(|e| format!("malformed json: {e}"))?;
        let Value::Object(mut obj) = value else {
            return Err("a record must be a JSON object".into());
        };
        let source = match obj.remove("source") {
            Some(Value::String(s)) if !s.trim().is_empty() => s,
            Some(Value::String(_)) => return Err("\"source\" is empty".into()),
            Some(_) => return Err("\"source\" is not a string".into()),
            None => return Err("record has no \"source\"".into()),
        };
        let text = match obj.remove("text") {
            Some(Value::String(s)) => s,
            Some(_) => return Err("\"text\" is not a string".into()),
            None => return Err("record has no \"text\"".into()),
        };
        let id = match obj.remove("prompt_id") {
            Some(v) => Some(v),
            None => obj.remove("promptId"),
        };
        let prompt_id = match id {
            None | Some(Value::Null) => None,
            Some(v) => {
                Some(id_string(&v).ok_or("\"prompt_id\" must be a non-empty string or a number")?)
            }
        };
        let prompt = match obj.remove("prompt") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => return Err("\"prompt\" is not a string".into()),
        };
        let meta = match obj.remove("meta") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m,
            Some(_) => return Err("\"meta\" is not an object".into()),
        };
        Ok(Record {
            source,
            prompt_id,
            prompt,
            text,
            meta,
            extra: obj,
        })
    }
}

/// A prompt id as text: a non-empty string, or a number written out.
pub fn id_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The prompt id of a prompt that has none: the first 12 hex digits of
/// the SHA-256 of its exact UTF-8 text. This is the convention of the
/// development data (`alpaca_eval_dev`), so a prompt gets the same id
/// whichever tool or file it comes through, and answers pair up.
pub fn prompt_id_of(prompt: &str) -> String {
    let digest = Sha256::digest(prompt.as_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `collect` fuzz target: a number with a long mantissa
    /// was parsed one unit in the last place off, so written and read
    /// again it changed.
    #[test]
    fn numbers_read_back_unchanged() {
        let line = r#"{"source":"a","text":"t","meta":{"n":55555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555511110}}"#;
        let r = Record::parse_line(line).unwrap();
        assert_eq!(Record::parse_line(&r.to_line()).unwrap(), r);
    }

    #[test]
    fn prompt_id_matches_the_dev_data_convention() {
        // From alpaca_eval_dev: the same instruction has this id in every file.
        assert_eq!(
            prompt_id_of("How did US states get their names?"),
            "08a2161485c1"
        );
        assert_eq!(prompt_id_of("").len(), 12);
    }

    #[test]
    fn parse_line_cases() {
        // (line, Ok(source, prompt_id, text) or Err(fragment))
        type Want<'a> = Result<(&'a str, Option<&'a str>, &'a str), &'a str>;
        let cases: &[(&str, Want)] = &[
            (r#"{"source":"a","text":"x"}"#, Ok(("a", None, "x"))),
            (
                r#"{"source":"a","text":"x","prompt_id":7}"#,
                Ok(("a", Some("7"), "x")),
            ),
            (
                r#"{"source":"a","text":"","promptId":"p"}"#,
                Ok(("a", Some("p"), "")),
            ),
            (r#"{"text":"x"}"#, Err("no \"source\"")),
            (r#"{"source":" ","text":"x"}"#, Err("empty")),
            (r#"{"source":"a"}"#, Err("no \"text\"")),
            (r#"{"source":"a","text":3}"#, Err("\"text\" is not")),
            (
                r#"{"source":"a","text":"x","prompt_id":""}"#,
                Err("prompt_id"),
            ),
            (
                r#"{"source":"a","text":"x","meta":[1]}"#,
                Err("\"meta\" is not"),
            ),
            ("[1,2]", Err("JSON object")),
            ("{\"source\":", Err("malformed json")),
        ];
        for (line, want) in cases {
            match (Record::parse_line(line), want) {
                (Ok(r), Ok((s, id, t))) => {
                    assert_eq!(
                        (r.source.as_str(), r.prompt_id.as_deref(), r.text.as_str()),
                        (*s, *id, *t),
                        "{line}"
                    );
                }
                (Err(e), Err(frag)) => assert!(e.contains(frag), "{line}: {e}"),
                (got, _) => panic!("{line}: unexpected {got:?}"),
            }
        }
    }

    #[test]
    fn round_trip_keeps_meta_and_extra_fields() {
        let line = r#"{"source":"a","prompt_id":"p1","prompt":"q","text":"t","meta":{"model":"m"},"dataset":"helpful_base"}"#;
        let r = Record::parse_line(line).unwrap();
        assert_eq!(r.meta["model"], "m");
        assert_eq!(r.extra["dataset"], "helpful_base");
        assert_eq!(Record::parse_line(&r.to_line()).unwrap(), r);
        // The analysis reader reads the same line.
        let s = crate::corpus::parse_jsonl_line(&r.to_line(), None).unwrap();
        assert_eq!((s.source.as_str(), s.text.as_str()), ("a", "t"));
        assert_eq!(s.prompt_id.as_deref(), Some("p1"));
    }
}
