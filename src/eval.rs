//! The evaluation protocol of `method.md`: prompts are split by id into
//! two halves with a fixed seed; T1 attributes each second-half output
//! (and batches of 10 outputs of one source) to one of the candidates
//! trained on the first half; T2 runs the full analysis of each student on
//! every prompt that it, its control and the candidates share (nothing in
//! T2 is fitted on the suspect, so no prompt needs to be held out) and
//! reports what was attributed.

// Matrix code (outputs x candidates) reads more clearly with explicit indices.
#![allow(clippy::needless_range_loop)]

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

mod t2;

pub use t2::{summarise, t2_runs, ModeSummary, Outcome, T2Plan, T2};

use crate::analysis::{AnalysisOptions, Space};
use crate::corpus::Sample;
use crate::signals::classifier::{ClassifierOptions, TextClassifier};
use crate::signals::features::SparseVec;
use crate::stats;

/// One T2 case: a suspect, its documented teacher (None = none expected)
/// with the candidates of the teacher's family, and an optional control.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SuspectCase {
    pub suspect: String,
    pub teacher: Option<String>,
    /// The teacher and the candidates of its family (same vendor): an
    /// attribution to any subset of them counts as right.
    pub family: Vec<String>,
    pub control: Option<String>,
}

impl SuspectCase {
    /// Parses `suspect:teacher[+relative...][:control]`, `-` meaning
    /// "none"; the teacher's relatives (e.g. the same vendor's other
    /// models) follow it, joined by `+`.
    pub fn parse(s: &str) -> Result<SuspectCase, String> {
        let parts: Vec<&str> = s.split(':').map(str::trim).collect();
        let opt = |p: Option<&&str>| {
            p.filter(|x| !x.is_empty() && **x != "-")
                .map(|x| x.to_string())
        };
        match parts.as_slice() {
            [suspect, ..] if !suspect.is_empty() && parts.len() <= 3 => {
                let family: Vec<String> = opt(parts.get(1))
                    .map(|t| {
                        t.split('+')
                            .map(str::trim)
                            .filter(|x| !x.is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                Ok(SuspectCase {
                    suspect: suspect.to_string(),
                    teacher: family.first().cloned(),
                    family,
                    control: opt(parts.get(2)),
                })
            }
            _ => Err(format!(
                "cannot read suspect case {s:?}: expected suspect:teacher[:control]"
            )),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct T1 {
    pub candidates: Vec<String>,
    pub single_accuracy: f64,
    pub batch10_accuracy: f64,
    pub n_single: usize,
    pub n_batches: usize,
    /// How outputs are attributed.
    pub method: String,
    /// Per-candidate single-output accuracy, in `candidates` order.
    pub per_candidate: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvalResult {
    /// None when T1 was skipped (`lineage eval --skip-t1`).
    pub t1: Option<T1>,
    pub t2: Vec<T2>,
    /// T2's outcomes counted per mode (all prompts, teacher family left
    /// out, resampled), separately for runs with and without a teacher.
    pub summary: Vec<ModeSummary>,
    pub seconds: f64,
    pub seed: u64,
}

/// Splits prompt ids into two halves: ids are ordered by a seeded hash, so
/// the split is fixed for a seed and independent of file order.
pub fn split_prompts(samples: &[Sample], seed: u64) -> (BTreeSet<String>, BTreeSet<String>) {
    let ids: BTreeSet<&str> = samples
        .iter()
        .filter_map(|s| s.prompt_id.as_deref())
        .collect();
    let mut keyed: Vec<(u64, &str)> = ids
        .into_iter()
        .map(|id| {
            (
                xxhash_rust::xxh3::xxh3_64_with_seed(id.as_bytes(), seed),
                id,
            )
        })
        .collect();
    crate::sort::stable_sort_by(&mut keyed, Ord::cmp);
    let half = keyed.len() / 2;
    let first = keyed[..half].iter().map(|k| k.1.to_string()).collect();
    let second = keyed[half..].iter().map(|k| k.1.to_string()).collect();
    (first, second)
}

/// Names that are not sources of the samples.
pub fn missing_sources<'a>(
    samples: &[Sample],
    names: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let have: BTreeSet<&str> = samples.iter().map(|s| s.source.as_str()).collect();
    let mut out: Vec<String> = names
        .into_iter()
        .filter(|n| !have.contains(n))
        .map(str::to_string)
        .collect();
    out.dedup();
    out
}

fn in_half(samples: &[Sample], source: &str, half: &BTreeSet<String>) -> Vec<Sample> {
    samples
        .iter()
        .filter(|s| s.source == source && s.prompt_id.as_ref().is_some_and(|p| half.contains(p)))
        .cloned()
        .collect()
}

/// The T1 task: the candidates' outputs, with the prompts split in two
/// halves (references come from the first, probes from the second).
#[derive(Clone, Copy)]
pub struct T1Task<'a> {
    pub samples: &'a [Sample],
    pub candidates: &'a [String],
    pub first: &'a BTreeSet<String>,
    pub second: &'a BTreeSet<String>,
}

/// T1 closed-set attribution with the learned classifier trained on the
/// candidates' first-half outputs; each second-half output is attributed
/// by its most likely class, and each batch of 10 outputs of one source
/// (consecutive in prompt-id order) by the sum of calibrated
/// log-probabilities. Falls back to nearest centroid when the classifier
/// cannot be trained.
pub fn t1(task: &T1Task, opts: &AnalysisOptions) -> T1 {
    let mut texts: Vec<&str> = Vec::new();
    let mut labels: Vec<usize> = Vec::new();
    let mut probes: Vec<Vec<&Sample>> = vec![Vec::new(); task.candidates.len()];
    for s in task.samples {
        let Some(c) = task.candidates.iter().position(|c| *c == s.source) else {
            continue;
        };
        let Some(id) = s.prompt_id.as_ref() else {
            continue;
        };
        if task.first.contains(id) {
            texts.push(&s.text);
            labels.push(c);
        } else if task.second.contains(id) {
            probes[c].push(s);
        }
    }
    let copts = ClassifierOptions {
        seed: stats::sub_seed(opts.seed, "t1"),
        ..ClassifierOptions::default()
    };
    let Ok(model) = TextClassifier::train(&texts, &labels, task.candidates.len(), &copts) else {
        return t1_centroid(task, opts);
    };
    let mut tally = Tally::default();
    for (c, list) in probes.iter_mut().enumerate() {
        crate::sort::stable_sort_by(list, |a, b| a.prompt_id.cmp(&b.prompt_id));
        let preds: Vec<usize> = stats::par_map(list, |s| model.predict(&s.text));
        tally.singles(preds.iter().filter(|&&p| p == c).count(), preds.len());
        let chunks: Vec<Vec<&str>> = list
            .chunks(10)
            .filter(|ch| ch.len() == 10)
            .map(|ch| ch.iter().map(|s| s.text.as_str()).collect())
            .collect();
        let batch_preds = stats::par_map(&chunks, |ch| model.predict_batch(ch));
        let ok = batch_preds.iter().filter(|p| **p == Some(c)).count();
        tally.batches(ok, chunks.len());
    }
    tally.t1(
        task.candidates,
        "linear classifier (signals::classifier), batches by summed calibrated log-probabilities",
    )
}

/// T1 by nearest centroid over character n-gram tf-idf profiles built from
/// the first half; batches by the mean of their similarity vectors.
pub fn t1_centroid(task: &T1Task, opts: &AnalysisOptions) -> T1 {
    // One space over references and probes, so idf and z-scores are
    // computed on the same corpus; the centroids use first-half texts only.
    let mut groups: Vec<(String, Vec<Sample>)> = Vec::new();
    for c in task.candidates {
        groups.push((c.clone(), in_half(task.samples, c, task.first)));
    }
    for c in task.candidates {
        groups.push((
            format!("{c}\u{0}probe"),
            in_half(task.samples, c, task.second),
        ));
    }
    let space = Space::build(&groups, opts);
    let k = task.candidates.len();
    let centroids: Vec<&SparseVec> = (0..k).map(|c| &space.profiles[c].chars).collect();
    let mut tally = Tally::default();
    for (c, _) in task.candidates.iter().enumerate() {
        let probes = &space.members[k + c];
        let sims: Vec<Vec<f64>> = stats::par_map(probes, |&i| {
            centroids
                .iter()
                .map(|cv| space.reprs[i].vectors.chars.dot(cv))
                .collect()
        });
        let argmax = |v: &[f64]| {
            let mut best = 0;
            for j in 1..v.len() {
                if v[j] > v[best] {
                    best = j;
                }
            }
            best
        };
        tally.singles(sims.iter().filter(|v| argmax(v) == c).count(), sims.len());
        // Batches: consecutive groups of 10 in prompt-id order (the members
        // are in file order; sort by id so the batches do not depend on it).
        let mut order: Vec<usize> = (0..probes.len()).collect();
        crate::sort::stable_sort_by(&mut order, |&a, &b| {
            space.texts[probes[a]]
                .prompt_id
                .cmp(&space.texts[probes[b]].prompt_id)
        });
        for chunk in order.chunks(10).filter(|ch| ch.len() == 10) {
            let mut mean = vec![0.0; k];
            for &u in chunk {
                for j in 0..k {
                    mean[j] += sims[u][j];
                }
            }
            tally.batches(usize::from(argmax(&mean) == c), 1);
        }
    }
    tally.t1(task.candidates, "nearest centroid, character n-gram tf-idf")
}

/// T1's counts as the candidates are gone through: right attributions of
/// single outputs and of batches, and each candidate's single accuracy.
#[derive(Default)]
struct Tally {
    n_single: usize,
    ok_single: usize,
    n_batches: usize,
    ok_batches: usize,
    per_candidate: Vec<f64>,
}

impl Tally {
    /// The next candidate's single outputs: `ok` of `n` attributed right.
    fn singles(&mut self, ok: usize, n: usize) {
        self.per_candidate.push(ratio(ok, n));
        self.n_single += n;
        self.ok_single += ok;
    }

    /// `ok` of `n` batches attributed right.
    fn batches(&mut self, ok: usize, n: usize) {
        self.n_batches += n;
        self.ok_batches += ok;
    }

    fn t1(self, candidates: &[String], method: &str) -> T1 {
        T1 {
            candidates: candidates.to_vec(),
            single_accuracy: ratio(self.ok_single, self.n_single),
            batch10_accuracy: ratio(self.ok_batches, self.n_batches),
            n_single: self.n_single,
            n_batches: self.n_batches,
            method: method.into(),
            per_candidate: self.per_candidate,
        }
    }
}

/// `a / b`, 0 when `b` is 0.
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Checks the names, then runs T1 (unless `with_t1` is false) and every
/// T2 run the plan asks for. `progress` gets (stage, fraction). Timing is
/// left to the caller (no clock in wasm).
pub fn run(
    samples: &[Sample],
    candidates: &[String],
    cases: &[SuspectCase],
    plan: &T2Plan,
    opts: &AnalysisOptions,
    with_t1: bool,
    progress: &mut dyn FnMut(&str, f64),
) -> Result<EvalResult, String> {
    let mut names: Vec<&str> = candidates.iter().map(String::as_str).collect();
    for c in cases {
        names.push(&c.suspect);
        names.extend(c.family.iter().map(String::as_str));
        names.extend(c.control.as_deref());
    }
    let missing = missing_sources(samples, names);
    if !missing.is_empty() {
        let have: BTreeMap<&str, ()> = samples.iter().map(|s| (s.source.as_str(), ())).collect();
        return Err(format!(
            "not found in the data: {} (available: {})",
            missing.join(", "),
            have.keys().copied().collect::<Vec<_>>().join(", ")
        ));
    }
    if candidates.len() < 2 {
        return Err("at least two candidates are needed".into());
    }
    let (first, second) = split_prompts(samples, opts.seed);
    let task = T1Task {
        samples,
        candidates,
        first: &first,
        second: &second,
    };
    // T1 and the T2 cases are independent: run them all in parallel
    // (rayon shares one pool; each analysis is parallel inside too).
    // Results keep the order of the cases.
    progress("t1 and t2", 0.0);
    let (t1, t2) = stats::join(
        || with_t1.then(|| t1(&task, opts)),
        || t2_runs(samples, candidates, cases, plan, opts),
    );
    progress("done", 1.0);
    Ok(EvalResult {
        t1,
        summary: summarise(&t2),
        t2,
        seconds: 0.0,
        seed: opts.seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suspect_case_parsing() {
        type Want<'a> = Option<(&'a str, Option<&'a str>, Option<&'a str>)>;
        let cases: &[(&str, Want)] = &[
            ("a:b", Some(("a", Some("b"), None))),
            ("a:b:c", Some(("a", Some("b"), Some("c")))),
            ("a:b+d+e:c", Some(("a", Some("b+d+e"), Some("c")))),
            ("a:-:c", Some(("a", None, Some("c")))),
            ("a", Some(("a", None, None))),
            ("", None),
            ("a:b:c:d", None),
        ];
        for (input, want) in cases {
            let got = SuspectCase::parse(input).ok();
            let want = want.map(|(s, t, c)| {
                let family: Vec<String> = t
                    .map(|t| t.split('+').map(str::to_string).collect())
                    .unwrap_or_default();
                SuspectCase {
                    suspect: s.into(),
                    teacher: family.first().cloned(),
                    family,
                    control: c.map(Into::into),
                }
            });
            assert_eq!(got, want, "{input}");
        }
    }

    #[test]
    fn split_halves_are_disjoint_cover_every_prompt_and_ignore_order() {
        let sample = |id: &str, source: &str| Sample::new(source, Some(id), "t");
        let mut samples: Vec<Sample> = (0..41)
            .flat_map(|i| [sample(&format!("p{i}"), "a"), sample(&format!("p{i}"), "b")])
            .collect();
        samples.push(Sample {
            prompt_id: None,
            ..sample("", "a")
        });
        for seed in [0u64, 1, 42] {
            let (first, second) = split_prompts(&samples, seed);
            assert!(first.is_disjoint(&second), "seed {seed}");
            assert_eq!(first.len() + second.len(), 41, "seed {seed}");
            assert!(first.len().abs_diff(second.len()) <= 1, "seed {seed}");
            let mut reversed = samples.clone();
            reversed.reverse();
            assert_eq!(
                split_prompts(&reversed, seed),
                (first, second),
                "seed {seed}"
            );
        }
        assert_ne!(split_prompts(&samples, 0).0, split_prompts(&samples, 1).0);
    }
}
