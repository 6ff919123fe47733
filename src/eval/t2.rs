//! T2, the verdict on known cases, and the two ways a user measures its
//! false-claim rate on their own data: every teacher case run again with
//! the teacher's whole family left out of the candidates (a correct
//! verdict then names no teacher), and every case run on random subsets
//! of its prompts.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::SuspectCase;
use crate::analysis::{self, AnalysisOptions, AnalysisRequest};
use crate::corpus::{self, Sample};
use crate::family;
use crate::report::ClaimLevel;
use crate::stats;

/// Which variants of each case to run besides the case itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct T2Plan {
    /// Run each teacher case again with every candidate of the teacher's
    /// family removed.
    pub drop_family: bool,
    /// Run every case (and its teacher-absent variant) on this many random
    /// subsets of its prompts.
    pub resample: usize,
    /// Prompts in each subset (default: half of the prompts the case's
    /// sources share).
    pub subset: Option<usize>,
    /// The user's word on families (source → family), as in an analysis.
    pub families: BTreeMap<String, String>,
}

/// What one run of a case concluded, against what is documented.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// An attribution inside the teacher's family.
    InFamily,
    /// An attribution to a set holding more than one family.
    Mixed,
    /// An attribution outside the teacher's family, or any attribution
    /// when no teacher is among the candidates.
    Wrong,
    /// No teacher named.
    #[default]
    Abstained,
}

/// One run of one case.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct T2 {
    /// The case as given (its fields first in the JSON).
    #[serde(flatten)]
    pub case: SuspectCase,
    /// "all prompts", "teacher family left out", or either followed by
    /// "resample i of K".
    pub mode: String,
    /// Whether a teacher is among this run's candidates.
    pub teacher_present: bool,
    /// The teacher's family (as the analysis resolves it).
    pub teacher_family: Option<String>,
    pub candidates: Vec<String>,
    pub ranking: Vec<String>,
    pub teacher_rank: Option<usize>,
    /// The excess test's p-value (None without a control).
    pub p_value: Option<f64>,
    pub abstained: bool,
    /// The candidates the teacher was attributed to (empty when abstained).
    pub attributed: Vec<String>,
    /// The attributed family, and whether the claim names a model in it.
    pub family: Option<String>,
    pub level: Option<ClaimLevel>,
    /// The confidence set of the closest candidates, whatever the decision.
    pub closest: Vec<String>,
    /// The abstention code, when abstained.
    pub abstention: Option<String>,
    pub outcome: Outcome,
    /// Paired prompts the case was analysed on.
    pub units: usize,
    pub headline: String,
    pub reason: String,
    /// True when the outcome is what the documented lineage says: an
    /// attribution inside the teacher's family (naming the teacher itself
    /// if it names one model), or no attribution when no teacher is among
    /// the candidates.
    pub correct: bool,
    /// An attribution in the teacher's family that names another model of
    /// it.
    pub wrong_model: bool,
}

/// Counts of outcomes over the runs of one mode.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ModeSummary {
    pub mode: String,
    pub teacher_present: bool,
    pub runs: usize,
    pub in_family: usize,
    pub mixed: usize,
    pub wrong: usize,
    pub abstained: usize,
    /// Attributions in the teacher's family that name one model of it,
    /// not the teacher (counted in `in_family`, not in `correct`).
    pub wrong_model: usize,
    pub correct: usize,
}

/// One run to make: a case, its candidates, its prompts (None = all).
struct Run<'a> {
    case: &'a SuspectCase,
    mode: String,
    candidates: Vec<String>,
    teacher_present: bool,
    prompts: Option<BTreeSet<String>>,
}

/// The family of `source` as an analysis resolves it.
fn family_of(samples: &[Sample], source: &str, user: &BTreeMap<String, String>) -> String {
    let said = samples
        .iter()
        .find(|s| s.source == source && s.family.is_some())
        .and_then(|s| s.family.as_deref());
    family::resolve(source, user, said).0
}

/// Every run the plan asks for, in a fixed order: each case on all
/// prompts, then (with `drop_family`) without its teacher's family, each
/// followed by its resamples.
fn runs<'a>(
    samples: &[Sample],
    candidates: &[String],
    cases: &'a [SuspectCase],
    plan: &T2Plan,
    seed: u64,
) -> Vec<Run<'a>> {
    // Samples by source, for the resamples' shared prompts (one copy).
    let groups = if plan.resample > 0 {
        corpus::group_by_source(samples)
    } else {
        BTreeMap::new()
    };
    let mut out = Vec::new();
    for case in cases {
        let mut variants = vec![(
            "all prompts".to_string(),
            candidates.to_vec(),
            case.teacher.is_some(),
        )];
        if let (true, Some(teacher)) = (plan.drop_family, &case.teacher) {
            let f = family_of(samples, teacher, &plan.families);
            let kept: Vec<String> = candidates
                .iter()
                .filter(|c| family_of(samples, c, &plan.families) != f && !case.family.contains(c))
                .cloned()
                .collect();
            variants.push(("teacher family left out".into(), kept, false));
        }
        for (mode, cands, present) in variants {
            if plan.resample > 0 {
                let shared = shared_prompts(&groups, case, &cands);
                let size = plan.subset.unwrap_or(shared.len() / 2).min(shared.len());
                for i in 0..plan.resample {
                    let label = format!("resample/{}/{mode}/{i}", case.suspect);
                    let mut r = stats::rng(stats::sub_seed(seed, &label));
                    let mut ids = shared.clone();
                    stats::shuffle(&mut r, &mut ids);
                    out.push(Run {
                        case,
                        mode: format!(
                            "{mode}, resample {} of {} ({size} prompts)",
                            i + 1,
                            plan.resample
                        ),
                        candidates: cands.clone(),
                        teacher_present: present,
                        prompts: Some(ids.into_iter().take(size).collect()),
                    });
                }
            }
            out.push(Run {
                case,
                mode,
                candidates: cands,
                teacher_present: present,
                prompts: None,
            });
        }
    }
    out
}

/// The prompt ids answered by the suspect, the control and every
/// candidate (`groups`: the samples by source).
fn shared_prompts(
    groups: &BTreeMap<String, Vec<Sample>>,
    case: &SuspectCase,
    candidates: &[String],
) -> Vec<String> {
    let names = std::iter::once(&case.suspect)
        .chain(candidates)
        .chain(case.control.as_ref());
    let sources: Vec<&[Sample]> = names
        .map(|n| groups.get(n).map_or(&[][..], Vec::as_slice))
        .collect();
    corpus::shared_prompts(&sources)
}

/// Runs every case as the plan says (in parallel; results in plan order).
pub fn t2_runs(
    samples: &[Sample],
    candidates: &[String],
    cases: &[SuspectCase],
    plan: &T2Plan,
    opts: &AnalysisOptions,
) -> Vec<T2> {
    let todo = runs(samples, candidates, cases, plan, opts.seed);
    stats::par_map(&todo, |run| one_run(samples, run, plan, opts))
}

fn one_run(samples: &[Sample], run: &Run<'_>, plan: &T2Plan, opts: &AnalysisOptions) -> T2 {
    let case = run.case;
    let mut names: BTreeSet<&str> = run.candidates.iter().map(String::as_str).collect();
    names.insert(&case.suspect);
    names.extend(case.control.as_deref());
    let involved: Vec<Sample> = samples
        .iter()
        .filter(|s| names.contains(s.source.as_str()))
        .filter(|s| match (&run.prompts, &s.prompt_id) {
            (None, _) => true,
            (Some(keep), Some(id)) => keep.contains(id),
            (Some(_), None) => false,
        })
        .cloned()
        .collect();
    let teacher_family = case
        .teacher
        .as_ref()
        .map(|t| family_of(samples, t, &plan.families));
    let req = AnalysisRequest {
        samples: involved,
        suspect: case.suspect.clone(),
        candidates: run.candidates.clone(),
        control: case.control.clone(),
        families: plan.families.clone(),
        ..Default::default()
    };
    let base = T2 {
        case: case.clone(),
        mode: run.mode.clone(),
        teacher_present: run.teacher_present,
        teacher_family: teacher_family.clone(),
        candidates: run.candidates.clone(),
        abstained: true,
        correct: !run.teacher_present,
        ..T2::default()
    };
    let report = match analysis::analyze(&req, opts, &mut |_, _| {}) {
        Ok(r) => r,
        Err(e) => {
            return T2 {
                reason: format!("analysis failed: {e}"),
                ..base
            }
        }
    };
    let v = report.verdict;
    let ranking: Vec<String> = v.ranking.iter().map(|r| r.candidate.clone()).collect();
    let family_of_candidate = |c: &str| {
        v.ranking
            .iter()
            .find(|r| r.candidate == c)
            .map(|r| r.family.clone())
    };
    let families: BTreeSet<Option<String>> = v
        .attributed
        .iter()
        .map(|c| family_of_candidate(c))
        .collect();
    let outcome = if v.attributed.is_empty() {
        Outcome::Abstained
    } else if families.len() > 1 {
        Outcome::Mixed
    } else if run.teacher_present && v.family.is_some() && v.family == teacher_family {
        Outcome::InFamily
    } else {
        Outcome::Wrong
    };
    // A model-level claim must name the teacher itself.
    let wrong_model = outcome == Outcome::InFamily
        && v.level == Some(ClaimLevel::Model)
        && v.attributed.first() != case.teacher.as_ref();
    let correct = if run.teacher_present {
        outcome == Outcome::InFamily && !wrong_model
    } else {
        outcome == Outcome::Abstained
    };
    T2 {
        teacher_rank: case
            .teacher
            .as_ref()
            .and_then(|t| ranking.iter().position(|r| r == t).map(|p| p + 1)),
        ranking,
        p_value: v.p_value,
        abstained: v.abstained,
        attributed: v.attributed,
        family: v.family,
        level: v.level,
        closest: v.closest,
        abstention: v.abstention.map(|a| a.code.as_str().to_string()),
        outcome,
        units: report.design.units,
        headline: v.headline,
        reason: v.reason,
        correct,
        wrong_model,
        ..base
    }
}

/// Outcome counts per mode, resamples pooled per mode ("all prompts,
/// resample 3 of 10" counts under "all prompts, resampled").
pub fn summarise(runs: &[T2]) -> Vec<ModeSummary> {
    let mut out: Vec<ModeSummary> = Vec::new();
    for t in runs {
        let mode = match t.mode.split_once(", resample") {
            Some((m, _)) => format!("{m}, resampled"),
            None => t.mode.clone(),
        };
        let same = |s: &ModeSummary| s.mode == mode && s.teacher_present == t.teacher_present;
        let i = match out.iter().position(same) {
            Some(i) => i,
            None => {
                out.push(ModeSummary {
                    mode,
                    teacher_present: t.teacher_present,
                    ..ModeSummary::default()
                });
                out.len() - 1
            }
        };
        let s = &mut out[i];
        s.runs += 1;
        s.correct += usize::from(t.correct);
        s.wrong_model += usize::from(t.wrong_model);
        match t.outcome {
            Outcome::InFamily => s.in_family += 1,
            Outcome::Mixed => s.mixed += 1,
            Outcome::Wrong => s.wrong += 1,
            Outcome::Abstained => s.abstained += 1,
        }
    }
    out
}
