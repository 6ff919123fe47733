//! The user's word on vendor families (`--family`, `--families`), shared
//! by `lineage analyze` and `lineage panel build`. What a family *is*,
//! and the order in which the user's word, the records' field and the
//! built-in table are consulted, is the core's (`lineage::family`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;

use lineage::{family, Error, ErrorKind};

use crate::input::read_failed;

/// Largest `--families` file read: a map of model names, never megabytes.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// One `--family FAMILY=SOURCE[,SOURCE...]`, parsed: (source, family) pairs.
#[derive(Clone, Debug)]
pub struct Assignment(Vec<(String, String)>);

/// clap's value parser of `--family`: the core's parser, so a bad value
/// is refused (exit 2) with its message before anything is read.
fn assignment(arg: &str) -> Result<Assignment, String> {
    family::parse_assignment(arg).map(Assignment)
}

/// The family flags of a subcommand.
#[derive(Args, Debug, Default)]
pub struct FamilyArgs {
    /// Sources of one vendor family: FAMILY=SOURCE[,SOURCE...], e.g.
    /// openai=gpt4_0314,gpt-3.5-turbo-0301 (repeat for each family).
    /// Sources not named get the family of their records' "family"
    /// field, else of the built-in table of well-known model names,
    /// else a family of their own; a flag wins over --families.
    #[arg(long = "family", value_name = "FAMILY=SOURCE[,SOURCE...]", value_parser = assignment)]
    family: Vec<Assignment>,
    /// A JSON file mapping sources to families:
    /// {"gpt4_0314": "openai", "claude-2": "anthropic"}.
    #[arg(long = "families", value_name = "FILE")]
    families: Option<PathBuf>,
}

impl FamilyArgs {
    /// source → family as the user said it: the file's, then the flags'
    /// over it (a flag is the later, more specific word).
    pub fn map(&self) -> Result<BTreeMap<String, String>, Error> {
        let mut map = match &self.families {
            Some(path) => read_file(path)?,
            None => BTreeMap::new(),
        };
        for Assignment(pairs) in &self.family {
            map.extend(pairs.iter().cloned());
        }
        Ok(map)
    }
}

/// Reads a `--families` file: a JSON object whose values are non-empty
/// strings. Anything else is refused with what was found, not guessed at.
pub fn read_file(path: &Path) -> Result<BTreeMap<String, String>, Error> {
    let failed = |e: std::io::Error| read_failed(path, e).context("--families");
    let size = std::fs::metadata(path).map_err(failed)?.len();
    let name = path.display();
    if size > MAX_FILE_BYTES {
        return Err(bad(format!(
            "--families {name} has {size} bytes; a families file is a small JSON object (at most 1 MiB)"
        )));
    }
    let bytes = std::fs::read(path).map_err(failed)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| bad(format!("--families {name} is not UTF-8 text")))?;
    parse(text).map_err(|m| bad(format!("--families {name}: {m}")))
}

/// A families file's text as a map; the message says what is wrong.
pub fn parse(text: &str) -> Result<BTreeMap<String, String>, String> {
    const EXPECTED: &str =
        r#"expected a JSON object of source names to families, {"gpt4_0314": "openai", ...}"#;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON ({e}); {EXPECTED}"))?;
    let Value::Object(obj) = value else {
        let got = lineage::options::json_type(&value);
        return Err(format!("the file holds a JSON {got}; {EXPECTED}"));
    };
    let mut map = BTreeMap::new();
    for (source, f) in obj {
        let f = match f {
            Value::String(f) if !f.trim().is_empty() => f,
            Value::String(_) => return Err(format!("the family of {source:?} is empty")),
            other => {
                let got = lineage::options::json_type(&other);
                return Err(format!(
                    "the family of {source:?} is a JSON {got}, not a string"
                ));
            }
        };
        if source.trim().is_empty() {
            return Err("a source name is empty".into());
        }
        map.insert(source.trim().to_string(), family::normalise(&f));
    }
    Ok(map)
}

fn bad(message: String) -> Error {
    Error::new(ErrorKind::BadArgument, message)
}

/// Warns about families given for sources that are not analysed: most
/// likely a misspelt name, which would otherwise be silently ignored.
pub fn warn_unknown<'a>(map: &BTreeMap<String, String>, sources: impl Iterator<Item = &'a str>) {
    let known: std::collections::BTreeSet<&str> = sources.collect();
    for source in map.keys().filter(|s| !known.contains(s.as_str())) {
        eprintln!(
            "warning: a family is given for {source:?}, which is not a source of this analysis"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_file_cases() {
        // Ok((source, family) pairs), or Err(a fragment of the message).
        type Want = Result<&'static [(&'static str, &'static str)], &'static str>;
        // (file text, what it gives)
        let cases: &[(&str, Want)] = &[
            (
                r#"{"gpt4": "OpenAI", " b ": "x"}"#,
                Ok(&[("b", "x"), ("gpt4", "openai")]),
            ),
            ("\u{feff}{}", Ok(&[])),
            (
                r#"["gpt4"]"#,
                Err("the file holds a JSON array; expected a JSON object"),
            ),
            ("openai=gpt4", Err("not JSON")),
            (
                r#"{"gpt4": 3}"#,
                Err(r#"the family of "gpt4" is a JSON number, not a string"#),
            ),
            (r#"{"gpt4": " "}"#, Err(r#"the family of "gpt4" is empty"#)),
            (r#"{"": "openai"}"#, Err("a source name is empty")),
        ];
        for (text, want) in cases {
            match (parse(text), want) {
                (Ok(got), Ok(pairs)) => {
                    let pairs: BTreeMap<String, String> = pairs
                        .iter()
                        .map(|(s, f)| (s.to_string(), f.to_string()))
                        .collect();
                    assert_eq!(got, pairs, "{text}");
                }
                (Err(m), Err(fragment)) => assert!(m.contains(fragment), "{text}: {m}"),
                (got, _) => panic!("{text}: {got:?}"),
            }
        }
    }
}
