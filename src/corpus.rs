//! Samples, roles, the size limits of an analysis, grouping and pairing;
//! the JSONL and CSV readers are in [`readers`].
//!
//! The size limits of an analysis ([`MAX_TEXT_BYTES`], [`MAX_SOURCE_BYTES`],
//! [`MAX_TOTAL_BYTES`]) are checked by [`check_limits`]; past them the
//! analysis is refused with a `TOO_LARGE` error rather than run out of
//! memory or time.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, ErrorKind};

mod format;
mod readers;
mod records;

pub use format::Format;
pub use readers::{
    hex, read, read_csv, read_jsonl, sha256_hex, InputHash, LineError, Parsed, Reader,
};
pub use records::{loose_sample, loose_samples, parse_jsonl_line};

/// One model output. JS callers pass it as `{source, text, promptId?,
/// prompt?}`; a numeric `promptId` is read as the JSONL reader reads one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Sample {
    /// The model (or person) that wrote the text; not empty.
    #[serde(deserialize_with = "non_empty")]
    pub source: String,
    pub text: String,
    /// Identifier of the prompt; samples of different sources with the same
    /// id answer the same prompt (the analysis is then paired). A string or
    /// a number (`1` and `1.0` both become `"1"`).
    #[serde(
        default,
        deserialize_with = "prompt_id",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(type = "string | number"))]
    pub prompt_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// The vendor family of the source ("openai"), when the records say
    /// it; the user's word and the built-in table are in `crate::family`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
}

fn non_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Err(serde::de::Error::custom("must be a non-empty string"));
    }
    Ok(s)
}

fn prompt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    match v {
        serde_json::Value::Null | serde_json::Value::String(_) | serde_json::Value::Number(_) => {
            Ok(prompt_id_value(&v))
        }
        _ => Err(serde::de::Error::custom(
            "a prompt id must be a string or a number",
        )),
    }
}

/// A prompt id as text: a string as it is (an empty one is no id), a
/// number without a fraction as an integer (`1` and `1.0` are both `"1"`,
/// as JavaScript writes them), any other number in its shortest form.
pub fn prompt_id_value(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Some(i.to_string()),
            (_, Some(u), _) => Some(u.to_string()),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 9e15 => Some((f as i64).to_string()),
            (_, _, Some(f)) => Some(f.to_string()),
            _ => None,
        },
        _ => None,
    }
}

impl Sample {
    /// A sample of `source` answering the prompt `prompt_id` (if any),
    /// without the prompt's text.
    pub fn new(
        source: impl Into<String>,
        prompt_id: Option<&str>,
        text: impl Into<String>,
    ) -> Self {
        Sample {
            source: source.into(),
            text: text.into(),
            prompt_id: prompt_id.map(str::to_string),
            prompt: None,
            family: None,
        }
    }
}

/// Options of an input added to a workspace (`addJsonl`, `addCsv`,
/// `addFile` in the JS package).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct InputOptions {
    /// How the report names this input (default: the file's name, or
    /// "input-N.jsonl" / ".csv" for a text).
    pub name: Option<String>,
    /// Source of the records that name none (default: such records are errors).
    pub source: Option<String>,
}

/// Line errors an [`AddResult`] lists; `malformed` still counts them all, so
/// a file of a million bad lines does not become a million JS objects.
const MAX_LISTED_ERRORS: usize = 100;

/// What adding one input (or sample) to a workspace did.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct AddResult {
    /// Samples added by this call.
    pub added: usize,
    /// Records of this input that could not be read.
    pub malformed: usize,
    /// The first (at most 100) of those records, with their line numbers.
    pub errors: Vec<LineError>,
    /// Samples in the workspace after this call.
    pub total: usize,
    /// Distinct sources in the workspace after this call, sorted.
    pub sources: Vec<String>,
}

impl AddResult {
    /// `added` samples and `errors` from one input, into a workspace now
    /// holding `samples`.
    pub fn new(added: usize, errors: &[LineError], samples: &[Sample]) -> Self {
        let sources: BTreeSet<&str> = samples.iter().map(|s| s.source.as_str()).collect();
        AddResult {
            added,
            malformed: errors.len(),
            errors: errors.iter().take(MAX_LISTED_ERRORS).cloned().collect(),
            total: samples.len(),
            sources: sources.into_iter().map(str::to_string).collect(),
        }
    }
}

/// The part a source plays in an analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Suspect,
    Candidate,
    Control,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Suspect => "suspect",
            Role::Candidate => "candidate",
            Role::Control => "control",
        }
    }
}

/// Largest text (one sample) an analysis accepts, in UTF-8 bytes: a
/// thousand times a long chat answer, far past any real model output.
pub const MAX_TEXT_BYTES: usize = 1 << 20;
/// Largest total of one source's texts: twenty times a 400-answer source
/// of the development data.
pub const MAX_SOURCE_BYTES: usize = 8 << 20;
/// Largest total of all texts of an analysis. Measured natively (release
/// CLI): 17 MB of text in four sources took 48 CPU seconds and 1.1 GB of
/// memory, about 65 bytes per byte of text; wasm is slower and a tab has
/// less memory, so one analysis stops at 16 MiB (about 1 GB).
pub const MAX_TOTAL_BYTES: usize = 16 << 20;

/// Memory one native analysis takes per byte of text, with room to spare:
/// `bench/big_panel.sh` measured 68 to 76 bytes (peak RSS over the input
/// files, 10 to 37 sources of the dev data; issue 27).
pub const NATIVE_BYTES_PER_TEXT_BYTE: u64 = 100;

/// The size limits one analysis checks. The default is the documented
/// limits above, sized for a browser tab; the native CLI lets a user with
/// the memory for it raise the per-source and total limits
/// (`--size-limit-mib`), with a warning in the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeLimits {
    pub per_text: usize,
    pub per_source: usize,
    pub total: usize,
}

impl Default for SizeLimits {
    fn default() -> Self {
        Self {
            per_text: MAX_TEXT_BYTES,
            per_source: MAX_SOURCE_BYTES,
            total: MAX_TOTAL_BYTES,
        }
    }
}

impl SizeLimits {
    /// The default limits with the per-source and total limits raised (never
    /// lowered) to `mib` MiB each; the per-text limit stays, since it guards
    /// the cost of one pairwise comparison, not memory.
    pub fn raised_to_mib(mib: usize) -> Self {
        let bytes = mib.saturating_mul(1 << 20);
        let d = Self::default();
        Self {
            per_text: d.per_text,
            per_source: d.per_source.max(bytes),
            total: d.total.max(bytes),
        }
    }

    /// The native limits on a machine with `memory` bytes of memory free for
    /// the analysis, for these `samples`: the defaults (the tab's) when the
    /// texts fit them, so the report is the one it always was; otherwise
    /// the per-source and total limits raised to what that memory holds at
    /// [`NATIVE_BYTES_PER_TEXT_BYTE`] (the report then says the limits were
    /// raised), never lowered below the defaults. The core reads no
    /// environment: the caller measures the memory (on Linux,
    /// `MemAvailable` of `/proc/meminfo`).
    pub fn for_machine<'a>(memory: u64, samples: impl IntoIterator<Item = &'a Sample>) -> Self {
        let d = Self::default();
        let mut per_source: std::collections::BTreeMap<&str, usize> = Default::default();
        for s in samples {
            *per_source.entry(s.source.as_str()).or_insert(0) += s.text.len();
        }
        let total: usize = per_source.values().sum();
        let largest = per_source.values().copied().max().unwrap_or(0);
        if total <= d.total && largest <= d.per_source {
            return d;
        }
        let held = usize::try_from(memory / NATIVE_BYTES_PER_TEXT_BYTE).unwrap_or(usize::MAX);
        Self {
            per_text: d.per_text,
            per_source: d.per_source.max(held),
            total: d.total.max(held),
        }
    }

    /// True when these limits are above the defaults.
    pub fn is_raised(&self) -> bool {
        let d = Self::default();
        self.per_source > d.per_source || self.total > d.total
    }
}

/// Checks the size limits over the sources an analysis would use (each
/// source's samples).
pub fn check_limits<'a, S: IntoIterator<Item = &'a Sample>>(
    sources: impl IntoIterator<Item = S>,
    limits: &SizeLimits,
) -> Result<(), Error> {
    let mut total = 0usize;
    let mib = |b: usize| b as f64 / f64::from(1u32 << 20);
    for samples in sources {
        let mut own = 0usize;
        for s in samples {
            if s.text.len() > limits.per_text {
                let which = match &s.prompt_id {
                    Some(id) => format!("the answer of {} to prompt {id}", s.source),
                    None => format!("an answer of {} (it has no prompt id)", s.source),
                };
                return Err(Error::new(
                    ErrorKind::TooLarge,
                    format!(
                        "{which} is {:.1} MiB long; the limit is {:.0} MiB per text: shorten it or split it into several answers",
                        mib(s.text.len()),
                        mib(limits.per_text)
                    ),
                ));
            }
            own += s.text.len();
            if own > limits.per_source {
                return Err(Error::new(
                    ErrorKind::TooLarge,
                    format!(
                        "the texts of {} exceed {:.0} MiB, the limit per source",
                        s.source,
                        mib(limits.per_source)
                    ),
                ));
            }
        }
        total += own;
        if total > limits.total {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "the texts exceed {:.0} MiB, the limit of one analysis",
                    mib(limits.total)
                ),
            ));
        }
    }
    Ok(())
}

/// The files of `dir` whose extension is one of `extensions` (any case),
/// sorted by path: how the CLI, the examples and the benches list a data
/// directory. Native only (the core itself reads no file).
#[cfg(not(target_arch = "wasm32"))]
pub fn files_in(
    dir: &std::path::Path,
    extensions: &[&str],
) -> Result<Vec<std::path::PathBuf>, Error> {
    let mut found: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| {
            Error::new(
                ErrorKind::ReadFailed,
                format!("cannot read directory {}: {e}", dir.display()),
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| extensions.iter().any(|e| x.eq_ignore_ascii_case(e)))
        })
        .collect();
    crate::sort::stable_sort_by(&mut found, Ord::cmp);
    Ok(found)
}

/// Samples grouped by source, in source-name order (deterministic).
pub fn group_by_source(samples: &[Sample]) -> BTreeMap<String, Vec<Sample>> {
    let mut out: BTreeMap<String, Vec<Sample>> = BTreeMap::new();
    for s in samples {
        out.entry(s.source.clone()).or_default().push(s.clone());
    }
    out
}

/// Index of one source's samples by prompt id. When a source answers the
/// same prompt twice, the first answer is kept (pairing needs one answer
/// per prompt and the first is the stable choice).
pub fn by_prompt(samples: &[Sample]) -> BTreeMap<&str, &Sample> {
    let mut out = BTreeMap::new();
    for s in samples {
        if let Some(id) = s.prompt_id.as_deref() {
            out.entry(id).or_insert(s);
        }
    }
    out
}

/// Prompt ids answered by every one of the given sources, sorted. Pairing
/// is by id only, never by position.
pub fn shared_prompts(sources: &[&[Sample]]) -> Vec<String> {
    let mut iter = sources.iter();
    let Some(first) = iter.next() else {
        return Vec::new();
    };
    let mut common: BTreeSet<String> = by_prompt(first).keys().map(|k| k.to_string()).collect();
    for s in iter {
        let ids = by_prompt(s);
        common.retain(|k| ids.contains_key(k.as_str()));
    }
    common.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_table() {
        let mk = |source: &str, bytes: usize| Sample::new(source, None, "x".repeat(bytes));
        let per_text = MAX_TEXT_BYTES;
        let n_source = MAX_SOURCE_BYTES / per_text;
        let n_total = MAX_TOTAL_BYTES / per_text;
        let raised = SizeLimits::raised_to_mib(4 * (MAX_TOTAL_BYTES >> 20));
        let past_default_total: Vec<Sample> = (0..=n_total)
            .map(|i| mk(&format!("s{}", i % 5), per_text))
            .collect();
        // (name, samples, limits, refused with a message containing)
        let cases: Vec<(&str, Vec<Sample>, SizeLimits, Option<&str>)> = vec![
            ("nothing", vec![], SizeLimits::default(), None),
            (
                "one text at the limit",
                vec![mk("a", per_text)],
                SizeLimits::default(),
                None,
            ),
            (
                "one text past it",
                vec![mk("a", per_text + 1)],
                SizeLimits::default(),
                Some("per text"),
            ),
            (
                "a source at its limit",
                (0..n_source).map(|_| mk("a", per_text)).collect(),
                SizeLimits::default(),
                None,
            ),
            (
                "a source past it",
                (0..=n_source).map(|_| mk("a", per_text)).collect(),
                SizeLimits::default(),
                Some("per source"),
            ),
            (
                "all sources at the total",
                (0..n_total)
                    .map(|i| mk(&format!("s{}", i % 4), per_text))
                    .collect(),
                SizeLimits::default(),
                None,
            ),
            (
                "all sources past it",
                past_default_total.clone(),
                SizeLimits::default(),
                Some("of one analysis"),
            ),
            (
                "past the default total, with raised limits",
                past_default_total,
                raised,
                None,
            ),
            (
                "raised limits keep the per-text limit",
                vec![mk("a", per_text + 1)],
                raised,
                Some("per text"),
            ),
        ];
        for (name, samples, limits, refused) in cases {
            let groups = group_by_source(&samples);
            match (
                check_limits(groups.values().map(Vec::as_slice), &limits),
                refused,
            ) {
                (Ok(()), None) => {}
                (Err(e), Some(m)) => assert!(
                    e.to_string().contains(m) && e.kind() == ErrorKind::TooLarge,
                    "{name}: {e}"
                ),
                (got, want) => panic!("{name}: got {got:?}, expected refusal {want:?}"),
            }
        }
        assert!(raised.is_raised() && !SizeLimits::default().is_raised());
        // A machine's limits: the defaults while the texts fit them, else
        // what its memory holds, never below the defaults.
        let gib = 1u64 << 30;
        let small = vec![Sample::new("a", None, "t")];
        assert_eq!(SizeLimits::for_machine(gib, &small), SizeLimits::default());
        let big: Vec<Sample> = (0..21)
            .map(|i| mk(&format!("s{}", i % 3), MAX_TEXT_BYTES))
            .collect();
        let limits = SizeLimits::for_machine(16 * gib, &big);
        assert_eq!(
            limits.total,
            (16 * gib / NATIVE_BYTES_PER_TEXT_BYTE) as usize
        );
        assert!(check_limits(group_by_source(&big).values().map(Vec::as_slice), &limits).is_ok());
        assert_eq!(SizeLimits::for_machine(gib, &big).total, MAX_TOTAL_BYTES);
        assert_eq!(
            SizeLimits::raised_to_mib(1),
            SizeLimits::default(),
            "never lowered"
        );
    }

    #[test]
    fn pairing_is_by_id() {
        let mk = |src: &str, id: &str| Sample::new(src, Some(id), "t");
        let a = vec![mk("a", "1"), mk("a", "2"), mk("a", "3")];
        let b = vec![mk("b", "3"), mk("b", "1")];
        assert_eq!(
            shared_prompts(&[&a, &b]),
            vec!["1".to_string(), "3".to_string()]
        );
    }
}
