//! One JSON record (a JSON Lines line, or an element of a JSON array) as
//! a [`Sample`]: the input format's field names, and errors that name the
//! fields a record has when the needed ones are missing.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{prompt_id_value, Sample};

#[derive(Deserialize)]
struct JsonRecord {
    source: Option<String>,
    text: Option<String>,
    prompt_id: Option<Value>,
    #[serde(rename = "promptId")]
    prompt_id_camel: Option<Value>,
    prompt: Option<String>,
}

/// One JSON Lines record (a non-blank line) as a sample, or what is wrong
/// with it. [`Reader`](super::Reader) reads whole inputs with it; the
/// CLI's `passages` calls it line by line.
pub fn parse_jsonl_line(line: &str, default_source: Option<&str>) -> Result<Sample, String> {
    let rec =
        serde_json::from_str::<JsonRecord>(line).map_err(|e| format!("malformed json: {e}"))?;
    record_sample(rec, default_source).map_err(|e| {
        // Only on this error path is the line read a second time, for
        // the names of its fields.
        match serde_json::from_str::<Map<String, Value>>(line) {
            Ok(fields) => with_field_names(e, &fields),
            Err(_) => e,
        }
    })
}

/// `message` followed by the fields the record does have, so that
/// records exported with other names (AlpacaEval's `output` and
/// `generator`, say) show at once what to rename.
/// One element of a JSON array of records as a sample, or what is wrong
/// with it.
pub(super) fn value_sample(item: &Value, default_source: Option<&str>) -> Result<Sample, String> {
    let rec = JsonRecord::deserialize(item).map_err(|e| format!("malformed record: {e}"))?;
    record_sample(rec, default_source).map_err(|e| match item {
        Value::Object(fields) => with_field_names(e, fields),
        _ => e,
    })
}

fn with_field_names(message: String, fields: &Map<String, Value>) -> String {
    let shown: Vec<String> = fields
        .keys()
        .take(12)
        .map(|k| k.chars().take(40).collect())
        .collect();
    if shown.is_empty() {
        format!("{message} (the record has no field)")
    } else {
        format!("{message} (its fields: {})", shown.join(", "))
    }
}

fn record_sample(rec: JsonRecord, default_source: Option<&str>) -> Result<Sample, String> {
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
            prompt_id: rec
                .prompt_id
                .or(rec.prompt_id_camel)
                .and_then(|v| prompt_id_value(&v)),
            prompt: rec.prompt,
        }),
    }
}
