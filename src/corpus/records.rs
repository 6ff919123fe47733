//! One JSON record (a JSON Lines line, or an element of a JSON array) as
//! a [`Sample`]: the input format's field names, and errors that name the
//! fields a record has when the needed ones are missing.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{prompt_id_value, Sample};
use crate::error::{Error, ErrorKind};
use crate::options;

#[derive(Deserialize)]
struct JsonRecord {
    source: Option<String>,
    text: Option<String>,
    prompt_id: Option<Value>,
    #[serde(rename = "promptId")]
    prompt_id_camel: Option<Value>,
    prompt: Option<String>,
    family: Option<String>,
}

/// One JSON Lines record (a non-blank line) as a sample, or what is wrong
/// with it. [`Reader`](super::Reader) reads whole inputs with it; the
/// CLI's `passages` calls it line by line.
pub fn parse_jsonl_line(line: &str, default_source: Option<&str>) -> Result<Sample, String> {
    let rec =
        serde_json::from_str::<JsonRecord>(line).map_err(|e| format!("malformed json: {e}"))?;
    record_sample(rec, default_source).map_err(|field| {
        // Only on this error path is the line read a second time, for
        // the names of its fields.
        match serde_json::from_str::<Map<String, Value>>(line) {
            Ok(fields) => Shape::of(&fields).missing(field),
            Err(_) => format!("record has no \"{field}\""),
        }
    })
}

/// One element of a JSON array of records as a sample, or what is wrong
/// with it. The element is taken by value so that its texts move into the
/// sample instead of being copied; its shape (a few short strings) is
/// taken first, for an error.
pub(super) fn value_sample(item: Value, default_source: Option<&str>) -> Result<Sample, String> {
    let shape = match &item {
        Value::Object(fields) => Shape::of(fields),
        _ => Shape::default(),
    };
    let rec =
        serde_json::from_value::<JsonRecord>(item).map_err(|e| format!("malformed record: {e}"))?;
    record_sample(rec, default_source).map_err(|field| shape.missing(field))
}

/// What an error about a missing field says of the record: the names of
/// its fields, and which of them are null (`"text": null` is there, but
/// holds nothing) or a blank string.
#[derive(Default)]
struct Shape {
    names: Vec<String>,
    null: Vec<String>,
    blank: Vec<String>,
}

impl Shape {
    fn of(fields: &Map<String, Value>) -> Shape {
        let which = |f: fn(&Value) -> bool| {
            let names = fields.iter().filter(|(_, v)| f(v)).map(|(k, _)| k);
            names.cloned().collect()
        };
        Shape {
            names: shown_names(fields.keys()),
            null: which(Value::is_null),
            blank: which(|v| v.as_str().is_some_and(|s| s.trim().is_empty())),
        }
    }

    /// The message for a record without a usable `field`.
    fn missing(&self, field: &str) -> String {
        let has = |list: &[String]| list.iter().any(|n| n == field);
        let what = if has(&self.null) {
            format!("record's \"{field}\" is null")
        } else if has(&self.blank) {
            format!("record's \"{field}\" is blank")
        } else {
            format!("record has no \"{field}\"")
        };
        with_field_names(what, &self.names)
    }
}

/// Up to 12 names (of a record's fields or a CSV header's columns), each
/// cut to 40 characters: enough for an error message to show what an
/// input holds, however wide it is.
pub(super) fn shown_names<'a>(keys: impl Iterator<Item = &'a String>) -> Vec<String> {
    keys.take(12)
        .map(|k| k.chars().take(40).collect())
        .collect()
}

/// `message` followed by the fields the record does have, so that
/// records exported with other names (AlpacaEval's `output` and
/// `generator`, say) show at once what to rename.
fn with_field_names(message: String, names: &[String]) -> String {
    if names.is_empty() {
        format!("{message} (the record has no field)")
    } else {
        format!("{message} (its fields: {})", names.join(", "))
    }
}

/// The record as a sample, or the needed field it lacks.
fn record_sample(rec: JsonRecord, default_source: Option<&str>) -> Result<Sample, &'static str> {
    let source = rec
        .source
        .filter(|s| !s.trim().is_empty())
        .or_else(|| default_source.map(str::to_string));
    match (source, rec.text) {
        (None, _) => Err("source"),
        (_, None) => Err("text"),
        (Some(source), Some(text)) => Ok(Sample {
            source,
            text,
            prompt_id: rec
                .prompt_id
                .or(rec.prompt_id_camel)
                .and_then(|v| prompt_id_value(&v)),
            prompt: rec.prompt,
            family: rec.family.filter(|s| !s.trim().is_empty()),
        }),
    }
}

/// A front end's loose sample (a JS object, a Python dict, as a JSON
/// value) read like an options object ([`options::from_map`]): an error
/// names the field ("analyze: samples[3].text: invalid type ..."). `kind`
/// is what the front end calls such a value ("an object", "a dict").
pub fn loose_sample(label: &str, kind: &str, value: Value) -> Result<Sample, Error> {
    if !value.is_object() {
        let got = options::json_type(&value);
        return Err(Error::new(
            ErrorKind::BadArgument,
            format!("{label} must be {kind} {{source, text, promptId?, prompt?}}, got {got}"),
        ));
    }
    options::from_value(label, value)
}

/// An array of [`loose_sample`]s (`label`: the array's name); an error
/// names the index (`label[i]`).
pub fn loose_samples(label: &str, kind: &str, values: Value) -> Result<Vec<Sample>, Error> {
    let Value::Array(values) = values else {
        let got = options::json_type(&values);
        let message = format!("{label} must be an array, got {got}");
        return Err(Error::new(ErrorKind::BadArgument, message));
    };
    let read = |(i, v)| loose_sample(&format!("{label}[{i}]"), kind, v);
    values.into_iter().enumerate().map(read).collect()
}
