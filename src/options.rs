//! The analysis parameters' ranges, defined once: [`AnalysisOptions::validate`]
//! checks them for every front end, the CLI's flags parse through
//! [`check`], and the page asks the module for [`RANGES`] and the defaults
//! (`AnalysisOptions::default()`) instead of writing its own.
//!
//! The struct itself lives in `analysis.rs` beside the code that reads
//! it; its defaults are documented in `docs/METHOD.md`.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::analysis::AnalysisOptions;
use crate::error::{Error, ErrorKind};

/// Which sources play which role in an analysis.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Roles {
    /// The source whose lineage is in question.
    pub suspect: String,
    /// The possible teachers; at least two.
    pub candidates: Vec<String>,
    /// A source known to be unrelated to every candidate (a baseline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
    /// Vendor families as the user gives them: source name → family
    /// ("gpt4_0314": "openai"). Sources left out get the family of their
    /// records, of the built-in table of well-known names, or their own
    /// name (`crate::family`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, string>")
    )]
    pub families: BTreeMap<String, String>,
}

/// The allowed values of one numeric option.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct OptionRange {
    /// The option's name in the options object (camelCase); the CLI flag
    /// is the same name in kebab-case.
    pub name: &'static str,
    pub min: f64,
    pub max: f64,
    /// True when `min` itself is not allowed (alpha must be above 0).
    pub min_exclusive: bool,
    /// True when only whole numbers are allowed.
    pub integer: bool,
}

const fn range(name: &'static str, min: f64, max: f64, integer: bool) -> OptionRange {
    OptionRange {
        name,
        min,
        max,
        min_exclusive: false,
        integer,
    }
}

/// Every numeric option's range. The bounds keep a typo (an extra zero)
/// from becoming hours of work or gigabytes of memory, and keep each test
/// meaningful: a significance level of zero never rejects, one above a
/// half "passes" on noise; the seed stays below 2^53 so JavaScript holds
/// it exactly.
pub const RANGES: &[OptionRange] = &[
    range("seed", 0.0, 9_007_199_254_740_991.0, true),
    OptionRange {
        min_exclusive: true,
        ..range("alpha", 0.0, 0.5, false)
    },
    range("bootstrapReps", 10.0, 100_000.0, true),
    range("permutationReps", 10.0, 1_000_000.0, true),
    range("mostFrequentWords", 10.0, 10_000.0, true),
    range("maxCharNgram", 1.0, 8.0, true),
    range("logOddsPrior", 1.0, 1e9, false),
    range("classifierFolds", 2.0, 20.0, true),
    range("overlapNgram", 1.0, 64.0, true),
    range("minPaired", 1.0, 1_000_000.0, true),
];

/// Checks `value` against the range of the option `name` (camelCase);
/// the error names the option and the range. An unknown name is a bug.
pub fn check(name: &str, value: f64) -> Result<(), Error> {
    let Some(r) = RANGES.iter().find(|r| r.name == name) else {
        return Err(Error::new(
            ErrorKind::Internal,
            format!("no range for option {name}"),
        ));
    };
    let below = if r.min_exclusive {
        value <= r.min
    } else {
        value < r.min
    };
    if !value.is_finite() || below || value > r.max || (r.integer && value.fract() != 0.0) {
        let open = if r.min_exclusive { "(" } else { "[" };
        let kind = if r.integer {
            "a whole number"
        } else {
            "a number"
        };
        return Err(Error::new(
            ErrorKind::BadArgument,
            format!(
                "{name} must be {kind} in {open}{}, {}], got {value}",
                r.min, r.max
            ),
        ));
    }
    Ok(())
}

impl AnalysisOptions {
    /// Checks every parameter against [`RANGES`]; the error names the
    /// first one out of range.
    pub fn validate(&self) -> Result<(), Error> {
        let o = self;
        let values: [(&str, f64); 10] = [
            ("seed", o.seed as f64),
            ("alpha", o.alpha),
            ("bootstrapReps", o.bootstrap_reps as f64),
            ("permutationReps", o.permutation_reps as f64),
            ("mostFrequentWords", o.mfw as f64),
            ("maxCharNgram", o.max_char_ngram as f64),
            ("logOddsPrior", o.log_odds_prior),
            ("classifierFolds", o.classifier_folds as f64),
            ("overlapNgram", o.overlap_ngram as f64),
            ("minPaired", o.min_paired as f64),
        ];
        values.iter().try_for_each(|&(name, v)| check(name, v))?;
        if o.signals.is_empty() {
            return Err(Error::new(
                ErrorKind::BadArgument,
                "signals must name at least one per-prompt signal",
            ));
        }
        Ok(())
    }
}

/// Checks a whole-number option against `min..=max` (`max` =
/// `usize::MAX`: no upper bound); the error names the option and the
/// range in the words every front end shows ("k must be between 1 and 5,
/// got 10", "maxBucket must be at least 2, got 1").
pub fn check_count(name: &str, value: usize, min: usize, max: usize) -> Result<(), Error> {
    if (min..=max).contains(&value) {
        return Ok(());
    }
    let range = if max == usize::MAX {
        format!("at least {min}")
    } else {
        format!("between {min} and {max}")
    };
    Err(Error::new(
        ErrorKind::BadArgument,
        format!("{name} must be {range}, got {value}"),
    ))
}

/// Puts a given whole-number option into `into` after [`check_count`];
/// a left-out one (`None`) keeps the default already there.
pub fn set_count(
    into: &mut usize,
    name: &str,
    given: Option<usize>,
    (min, max): (usize, usize),
) -> Result<(), Error> {
    if let Some(value) = given {
        check_count(name, value, min, max)?;
        *into = value;
    }
    Ok(())
}

/// An options object as a front end (the wasm module, the Python
/// package) takes it, every field optional, and the core's options it
/// stands for: defaults filled in, every value checked. Each front end
/// reads such objects through [`options_from_map`], so a default, a
/// range or an error's wording lives in the core alone.
pub trait OptionArgs: DeserializeOwned {
    type Options;
    /// The options, or a `BAD_ARGUMENT` naming the first value out of range.
    fn to_options(&self) -> Result<Self::Options, Error>;
}

/// `map` read as `A` ([`from_map`]) and made into its options; every
/// error starts with `label` ("profile: options: topK must be ...").
pub fn options_from_map<A: OptionArgs>(label: &str, map: JsonMap) -> Result<A::Options, Error> {
    let args: A = from_map(label, map)?;
    args.to_options().map_err(|e| e.context(label))
}

/// The JSON name of a value's type, for "must be ..., got {name}".
pub fn json_type(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A JS or Python options object as JSON values, its `null` fields dropped.
pub type JsonMap = serde_json::Map<String, serde_json::Value>;

/// `map` as a `T`; a field that is wrong on its own is named in the error
/// (`"{label}.{key}: invalid type ..."`), an unknown one refused when `T`
/// denies unknown fields. The front ends read loose arguments through it,
/// so every field's mistake reads the same in each.
pub fn from_map<T: DeserializeOwned>(label: &str, map: JsonMap) -> Result<T, Error> {
    let bad = |m: String| Error::new(ErrorKind::BadArgument, m);
    for (key, v) in &map {
        let one = serde_json::json!({ key.as_str(): v });
        if let Err(e) = serde_json::from_value::<T>(one) {
            if !e.to_string().starts_with("missing field") {
                return Err(bad(format!("{label}.{key}: {e}")));
            }
        }
    }
    serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| bad(format!("{label}: {e}")))
}

/// A front end's optional options object as a map without its `null`
/// fields: `null` itself (JS `undefined`, Python `None`) is an empty one,
/// anything else but an object a `BAD_ARGUMENT`.
pub fn object_of(label: &str, value: serde_json::Value) -> Result<JsonMap, Error> {
    match value {
        serde_json::Value::Null => Ok(JsonMap::new()),
        serde_json::Value::Object(mut map) => {
            map.retain(|_, v| !v.is_null());
            Ok(map)
        }
        other => Err(Error::new(
            ErrorKind::BadArgument,
            format!("{label} must be an object, got {}", json_type(&other)),
        )),
    }
}

/// [`object_of`], then [`from_map`].
pub fn from_value<T: DeserializeOwned>(label: &str, value: serde_json::Value) -> Result<T, Error> {
    from_map(label, object_of(label, value)?)
}

/// The roles and the parameters of one options object: `suspect`,
/// `candidates` and `control` are the roles, every other key must be an
/// [`AnalysisOptions`] field, in range ([`AnalysisOptions::validate`]).
pub fn analysis_args(label: &str, map: JsonMap) -> Result<(Roles, AnalysisOptions), Error> {
    let (roles, params): (JsonMap, JsonMap) = map.into_iter().partition(|(k, _)| {
        matches!(
            k.as_str(),
            "suspect" | "candidates" | "control" | "families"
        )
    });
    let roles: Roles = from_map(label, roles)?;
    let opts: AnalysisOptions = from_map(label, params)?;
    opts.validate().map_err(|e| e.context(label))?;
    Ok((roles, opts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_every_range_is_checked() {
        assert_eq!(AnalysisOptions::default().validate(), Ok(()));
        assert_eq!(RANGES.len(), 10);
    }

    #[test]
    fn validate_table() {
        let d = AnalysisOptions::default;
        // (name, options, refused with a message containing)
        let cases: Vec<(&str, AnalysisOptions, Option<&str>)> = vec![
            ("defaults", d(), None),
            (
                "alpha at its maximum",
                AnalysisOptions { alpha: 0.5, ..d() },
                None,
            ),
            (
                "alpha 0",
                AnalysisOptions { alpha: 0.0, ..d() },
                Some("alpha must be a number in (0, 0.5], got 0"),
            ),
            (
                "alpha 7",
                AnalysisOptions { alpha: 7.0, ..d() },
                Some("alpha must be"),
            ),
            (
                "alpha NaN",
                AnalysisOptions {
                    alpha: f64::NAN,
                    ..d()
                },
                Some("got NaN"),
            ),
            (
                "seed 2^53",
                AnalysisOptions {
                    seed: 1 << 53,
                    ..d()
                },
                Some("seed must be a whole number"),
            ),
            (
                "seed 2^53 - 1",
                AnalysisOptions {
                    seed: (1 << 53) - 1,
                    ..d()
                },
                None,
            ),
            (
                "5 bootstrap resamples",
                AnalysisOptions {
                    bootstrap_reps: 5,
                    ..d()
                },
                Some("bootstrapReps must be a whole number in [10, 100000], got 5"),
            ),
            (
                "1 fold",
                AnalysisOptions {
                    classifier_folds: 1,
                    ..d()
                },
                Some("classifierFolds"),
            ),
            (
                "no n-grams",
                AnalysisOptions {
                    max_char_ngram: 0,
                    ..d()
                },
                Some("maxCharNgram"),
            ),
            (
                "infinite prior",
                AnalysisOptions {
                    log_odds_prior: f64::INFINITY,
                    ..d()
                },
                Some("logOddsPrior"),
            ),
        ];
        for (name, opts, refused) in cases {
            match (opts.validate(), refused) {
                (Ok(()), None) => {}
                (Err(e), Some(m)) => {
                    assert_eq!(e.kind(), ErrorKind::BadArgument, "{name}");
                    assert!(e.to_string().contains(m), "{name}: {e}");
                }
                (got, want) => panic!("{name}: got {got:?}, expected {want:?}"),
            }
        }
    }

    #[test]
    fn analysis_args_name_the_field_at_fault() {
        let map = |v: serde_json::Value| v.as_object().unwrap().clone();
        let ok = analysis_args(
            "analyze: options",
            map(serde_json::json!({"suspect": "s", "candidates": ["a", "b"], "alpha": 0.01})),
        )
        .unwrap();
        assert_eq!(ok.0.candidates, ["a", "b"]);
        assert_eq!(ok.1.alpha, 0.01);
        // (options, refused with a message containing)
        let cases = [
            (
                serde_json::json!({"suspect": "s", "candidates": ["a", "b"], "alpha": "x"}),
                "analyze: options.alpha: invalid type",
            ),
            (
                serde_json::json!({"suspect": "s", "candidates": ["a", "b"], "alhpa": 0.1}),
                "analyze: options.alhpa: unknown field",
            ),
            (
                serde_json::json!({"suspect": 3, "candidates": ["a", "b"]}),
                "analyze: options.suspect: invalid type",
            ),
            (
                serde_json::json!({"candidates": ["a", "b"]}),
                "analyze: options: missing field `suspect`",
            ),
            (
                serde_json::json!({"suspect": "s", "candidates": ["a", "b"], "alpha": 0.9}),
                "analyze: options: alpha must be a number in (0, 0.5], got 0.9",
            ),
        ];
        for (options, message) in cases {
            let e = analysis_args("analyze: options", map(options)).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::BadArgument);
            assert!(e.message().starts_with(message), "{e}");
        }
    }
}
