//! Building a panel from records: one header source per input source,
//! repeated answers dropped, the collection settings the records share.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{
    Header, Panel, PanelError, PanelErrorKind, PanelSource, ProbeSet, SuggestedRole, SCHEMA_VERSION,
};
use crate::corpus::Sample;
use crate::record::Record;

/// How to build a panel (in the JS package, also named `PanelOptions`;
/// camelCase there).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct BuildOptions {
    pub name: String,
    /// RFC 3339 (the caller reads the clock; the core does not).
    pub created: String,
    /// The probe set's id; by default the prompt file named in the
    /// records' `meta` when they all share one.
    #[serde(default)]
    pub probe_set: Option<String>,
    /// Suggested roles; every other source is a candidate.
    #[serde(default)]
    #[cfg_attr(
        feature = "typescript",
        tsify(optional, type = "Record<string, SuggestedRole>")
    )]
    pub roles: BTreeMap<String, SuggestedRole>,
    /// Vendor families (source → family) to record in the header; a
    /// source left out keeps the family its records share, if any.
    #[serde(default)]
    #[cfg_attr(
        feature = "typescript",
        tsify(optional, type = "Record<string, string>")
    )]
    pub families: BTreeMap<String, String>,
}

/// The uncompressed panel file built from analysis samples (records
/// without `meta`): what a page saves as a panel, exactly what `lineage
/// panel build` writes before gzip.
pub fn build_from_samples(samples: Vec<Sample>, opts: &BuildOptions) -> Result<String, PanelError> {
    let records = samples.into_iter().map(Record::from).collect();
    Ok(build(records, opts)?.0.to_jsonl())
}

/// `meta` fields that belong to one answer, not to how a source was
/// collected: left out of a source's `collection`.
const PER_ANSWER: &[&str] = &[
    "collected_at",
    "finish_reason",
    "usage",
    "attempts",
    "response_model",
    "probe",
];

/// Builds a panel from records (in the order given; sources sorted by
/// name). A repeated (source, prompt id) keeps its first answer; the
/// notices say what was dropped or cannot be paired.
pub fn build(
    records: Vec<Record>,
    opts: &BuildOptions,
) -> Result<(Panel, Vec<String>), PanelError> {
    let bad = |m: String| PanelError::new(PanelErrorKind::BadInput, &opts.name, None, m);
    if records.is_empty() {
        return Err(bad("no answers to build a panel from".into()));
    }
    let mut notices = Vec::new();
    let mut by_source: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut duplicates: BTreeMap<String, usize> = BTreeMap::new();
    for r in records {
        if let Some(id) = &r.prompt_id {
            if !seen.insert((r.source.clone(), id.clone())) {
                *duplicates.entry(r.source.clone()).or_default() += 1;
                continue;
            }
        }
        by_source.entry(r.source.clone()).or_default().push(r);
    }
    for (s, n) in &duplicates {
        notices.push(format!(
            "{s}: {n} repeated answer(s) to a prompt dropped (the first is kept)"
        ));
    }
    let roles = opts.roles.keys().map(|n| ("--role", n));
    let families = opts.families.keys().map(|n| ("--family", n));
    for (flag, name) in roles.chain(families) {
        if !by_source.contains_key(name) {
            return Err(bad(format!(
                "{flag} names {name:?}, which is not a source of the inputs ({})",
                by_source.keys().cloned().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let mut sources = Vec::new();
    for (name, recs) in &by_source {
        let unpaired = recs.iter().filter(|r| r.prompt_id.is_none()).count();
        if unpaired > 0 {
            notices.push(format!(
                "{name}: {unpaired} answer(s) without a prompt id cannot be paired with a suspect's"
            ));
        }
        sources.push(PanelSource {
            source: name.clone(),
            model: model_of(recs),
            role: opts
                .roles
                .get(name)
                .copied()
                .unwrap_or(SuggestedRole::Candidate),
            answers: recs.len(),
            collection: collection_of(recs),
            family: family_of(name, recs, opts),
        });
    }
    let records: Vec<Record> = by_source.into_values().flatten().collect();
    let probe_set = match &opts.probe_set {
        Some(id) => Some(ProbeSet {
            id: id.clone(),
            sha256: common_meta(&records, "prompt_file_sha256"),
        }),
        None => common_meta(&records, "prompt_file").map(|id| ProbeSet {
            id,
            sha256: common_meta(&records, "prompt_file_sha256"),
        }),
    };
    let header = Header {
        lineage_panel: SCHEMA_VERSION,
        name: opts.name.clone(),
        created: opts.created.clone(),
        probe_set,
        records: records.len(),
        sources,
    };
    Ok((Panel { header, records }, notices))
}

/// A source's family for the header: the builder's word, else the one
/// `family` field all its records share. The built-in table is left to
/// the analysis, so that a panel does not freeze an older table's guess.
fn family_of(source: &str, records: &[Record], opts: &BuildOptions) -> Option<String> {
    if let Some(f) = opts.families.get(source) {
        let f = crate::family::normalise(f);
        return (!f.is_empty()).then_some(f);
    }
    // Compared as families ("OpenAI" and "openai " are one).
    let mut said = records
        .iter()
        .map(|r| super::record_family(r).map(|f| crate::family::normalise(&f)));
    let first = said.next()??;
    said.all(|f| f.as_ref() == Some(&first)).then_some(first)
}

/// A string `meta` field every record has with one value.
fn common_meta(records: &[Record], key: &str) -> Option<String> {
    let mut values = records
        .iter()
        .map(|r| r.meta.get(key).and_then(Value::as_str));
    let first = values.next()??;
    values.all(|v| v == Some(first)).then(|| first.to_string())
}

/// The model a source's answers name: the server's model name when all
/// agree, else the requested or imported one.
fn model_of(records: &[Record]) -> Option<String> {
    common_meta(records, "response_model").or_else(|| common_meta(records, "model"))
}

/// The settings a source's records share, the collection period, and the
/// settings that vary.
fn collection_of(records: &[Record]) -> Map<String, Value> {
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    for r in records {
        keys.extend(r.meta.keys().map(String::as_str));
    }
    let mut out = Map::new();
    let mut varies = Vec::new();
    for k in keys {
        if PER_ANSWER.contains(&k) {
            continue;
        }
        let first = records[0].meta.get(k);
        if records.iter().all(|r| r.meta.get(k) == first) {
            out.insert(k.to_string(), first.cloned().unwrap_or(Value::Null));
        } else {
            varies.push(k);
        }
    }
    let times: Vec<&str> = records
        .iter()
        .filter_map(|r| r.meta.get("collected_at").and_then(Value::as_str))
        .collect();
    if let (Some(a), Some(b)) = (times.iter().min(), times.iter().max()) {
        out.insert("first_collected".into(), json!(a));
        out.insert("last_collected".into(), json!(b));
    }
    if !varies.is_empty() {
        out.insert("varies".into(), json!(varies));
    }
    out
}
