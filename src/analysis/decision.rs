//! Stages 5 and 6: the tests on the combined score, and the decision.
//!
//! With a control the verdict attributes when (1) the candidates' families
//! can be told apart, (2) the suspect is significantly closer than the
//! control to some candidate (max-T excess test), (3) the family of the
//! closest candidate passes the specificity test (`specific`): the
//! suspect writes more like its member than every other family's
//! candidates do, and no other family of the confidence set does, (4) most
//! tested signals rank that family first, and (5) the set's members of
//! that family are fewer than half the candidates. The claim names the
//! family, and one model of it when the set holds one member, the
//! family's members separate, and the suspect writes more like that member
//! than its family-mates do (`specific::model_test`).
//! Without a control it is a resemblance, never an attribution. Each
//! abstention has a stable code, and power guidance says how many prompts
//! the observed effect would need.

use super::classifier::Separability;
use super::inference::{self, MaxT};
use super::roles::Cast;
use super::scores::{order_desc, Scored};
use super::specific::{self, FamilyTest, LazyImpostors, ModelTest};
use super::words;
use super::AnalysisOptions;
use crate::report::{
    r6, Abstention, AbstentionCode, ClaimLevel, ModelComparison, ModelSpecificity, RankedCandidate,
    Robustness, SignalResult, SpecificityComparison, SpecificityTest, TestResult, Verdict,
    VerdictKind,
};
use crate::stats;

/// The tests' results on one [`Scored`].
pub struct Inferred {
    pub scored_paired: bool,
    pub has_control: bool,
    pub units: usize,
    /// Each candidate's combined score.
    pub scores: Vec<f64>,
    /// Candidates by descending score.
    pub order: Vec<usize>,
    /// Bootstrap interval of each candidate's score.
    pub intervals: Vec<(f64, f64)>,
    /// Excess test (with a control) or resemblance test (without).
    pub max_t: MaxT,
    /// p-value of "candidate c is the closest", per candidate.
    pub closest_p: Vec<f64>,
    /// The confidence set, in ranking order (the top always belongs).
    pub set: Vec<usize>,
    /// Standardised effect of the top's score per unit.
    pub effect: f64,
    /// Per-unit top-minus-candidate differences' effect, per candidate
    /// (0 for the top): what narrowing the set would need.
    pub gap_effects: Vec<f64>,
    /// Units where the top's score is positive / negative.
    pub positive: usize,
    pub negative: usize,
    pub alpha: f64,
    /// Each candidate's family (an index into `Cast::family_names`).
    pub family_of: Vec<usize>,
    /// The specificity test of each family with a member in the set
    /// (empty without a control or in an unpaired design).
    pub family_tests: Vec<FamilyTest>,
    /// The candidate each tested (combined) signal ranks first.
    pub signal_tops: Vec<usize>,
    /// The model test of the top candidate against its family-mates, run
    /// when the top is its family's only member in the set (a model-level
    /// claim could follow) and the family has other candidates.
    pub model_test: Option<ModelTest>,
}

/// What the decision rules conclude.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub code: Option<AbstentionCode>,
    /// The claimed family (an attribution), else the family of the closest
    /// candidates when they form one.
    pub family: Option<usize>,
    /// The attributed candidates (the set's members of the claimed
    /// family), in ranking order; empty unless an attribution.
    pub attributed: Vec<usize>,
    pub level: Option<ClaimLevel>,
}

impl Inferred {
    pub fn of(
        scored: &Scored,
        opts: &AnalysisOptions,
        label: &str,
        family_of: &[usize],
        impostors: &LazyImpostors<'_, '_>,
    ) -> Inferred {
        let k = scored.n_cand;
        let comb = &scored.combined;
        let scores = comb.scores(k);
        let order = order_desc(&scores);
        let top = order[0];
        let design = comb.design();
        let seed = |name: &str| stats::sub_seed(opts.seed, &format!("{label}{name}"));
        let max_t = inference::excess_test(design, opts.permutation_reps, seed("excess"));
        let closest_p = inference::closest_p_values(design, opts.permutation_reps, seed("closest"));
        let mut set: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&c| c == top || closest_p[c] >= opts.alpha)
            .collect();
        set.dedup();
        let intervals = (0..k)
            .map(|c| {
                let (col, off) = comb.column(c);
                let iv = stats::bootstrap_mean(
                    &col,
                    opts.bootstrap_reps,
                    opts.alpha,
                    seed(&format!("rank/{c}")),
                );
                (iv.low - off, iv.high - off)
            })
            .collect();
        let (top_col, top_off) = comb.column(top);
        let centred: Vec<f64> = top_col.iter().map(|x| x - top_off).collect();
        let gap_effects = (0..k)
            .map(|c| {
                let (col, off) = comb.column(c);
                let d: Vec<f64> = top_col
                    .iter()
                    .zip(&col)
                    .map(|(a, b)| (a - top_off) - (b - off))
                    .collect();
                if c == top {
                    0.0
                } else {
                    inference::effect(&d)
                }
            })
            .collect();
        // The specificity test reads the set; it is run only where a claim
        // could follow (a control, an excess), as the decision reads it.
        let wanted = scored.has_control && max_t.p_value < opts.alpha;
        // Asked only when wanted: asking makes them.
        let imp = wanted.then(|| impostors.get(&set)).flatten();
        let family_tests = imp.as_ref().map_or_else(Vec::new, |imp| {
            specific::family_tests(scored, imp, family_of, &set, opts, label)
        });
        let alone_in_set = set
            .iter()
            .all(|&c| c == top || family_of[c] != family_of[top]);
        let model_test = imp
            .as_ref()
            .filter(|_| alone_in_set)
            .and_then(|imp| specific::model_test(scored, imp, family_of, top, opts, label));
        let signal_tops = scored
            .signals
            .iter()
            .zip(&scored.scaled)
            .filter(|(m, _)| m.in_combined)
            .map(|(_, s)| order_desc(&s.scores(k))[0])
            .collect();
        Inferred {
            signal_tops,
            scored_paired: scored.paired,
            has_control: scored.has_control,
            units: top_col.len(),
            scores,
            order,
            intervals,
            max_t,
            closest_p,
            set,
            effect: inference::effect(&centred),
            gap_effects,
            positive: centred.iter().filter(|&&x| x > 0.0).count(),
            negative: centred.iter().filter(|&&x| x < 0.0).count(),
            alpha: opts.alpha,
            family_of: family_of.to_vec(),
            family_tests,
            model_test,
        }
    }

    pub fn top(&self) -> usize {
        self.order[0]
    }

    /// The family shared by every member of the set, if one.
    fn set_family(&self) -> Option<usize> {
        let f = self.family_of[self.top()];
        self.set
            .iter()
            .all(|&c| self.family_of[c] == f)
            .then_some(f)
    }

    /// How many tested signals rank a member of `family` first.
    pub fn agreeing_signals(&self, family: usize) -> usize {
        self.signal_tops
            .iter()
            .filter(|&&c| self.family_of[c] == family)
            .count()
    }

    /// The families whose specificity test holds at level α.
    pub fn specific_families(&self) -> Vec<&FamilyTest> {
        self.family_tests
            .iter()
            .filter(|t| t.p_value < self.alpha)
            .collect()
    }

    /// The decision rules, in order (see the module docs).
    pub fn decide(&self, sep: &Separability) -> Decision {
        let k = self.scores.len();
        let abstain = |code| Decision {
            code: Some(code),
            family: self.set_family(),
            attributed: Vec::new(),
            level: None,
        };
        if !self.has_control {
            return abstain(AbstentionCode::NoControl);
        }
        if !families_separate(sep, &self.family_of) {
            return abstain(AbstentionCode::CandidatesInseparable);
        }
        if self.max_t.p_value >= self.alpha || self.scores[self.top()] <= 0.0 {
            return abstain(AbstentionCode::NoExcess);
        }
        // A student resembles its teacher more than the teacher's
        // look-alikes: the claim is about the closest candidate's family,
        // and only when that family is specific. A specific family ranked
        // below another family's candidate is no teacher: its student
        // would resemble the other family less than it resembles it.
        let specific = self.specific_families();
        let family = self.family_of[self.top()];
        if !specific.iter().any(|t| t.family == family) {
            return abstain(AbstentionCode::NotSpecific);
        }
        if specific.len() > 1 {
            return abstain(AbstentionCode::FamiliesMixed);
        }
        // Signals that disagree: most tested signals put another family
        // first, so the combined score's verdict rests on a minority.
        if 2 * self.agreeing_signals(family) < self.signal_tops.len() {
            return Decision {
                family: Some(family),
                ..abstain(AbstentionCode::SignalsDisagree)
            };
        }
        let attributed: Vec<usize> = self
            .set
            .iter()
            .copied()
            .filter(|&c| self.family_of[c] == family)
            .collect();
        // One model is the narrowest claim there is; two or more must be
        // fewer than half the candidates to say anything.
        if attributed.len() > 1 && 2 * attributed.len() >= k {
            return Decision {
                family: Some(family),
                ..abstain(AbstentionCode::SetTooLarge)
            };
        }
        // A model is named when it is its family's only member in the set,
        // the family's members can be told apart, and the suspect writes
        // more like it than its family-mates do (the model test).
        let members: Vec<usize> = (0..k).filter(|&c| self.family_of[c] == family).collect();
        // The model test, when there is one, is of the top: the set's only
        // member of its family, so `attributed[0]` whenever that is alone.
        let model_specific = self
            .model_test
            .as_ref()
            .map_or(true, |t| t.p_value < self.alpha);
        let level = if attributed.len() == 1 && model_specific && members_separate(sep, &members) {
            ClaimLevel::Model
        } else {
            ClaimLevel::Family
        };
        Decision {
            code: None,
            family: Some(family),
            attributed,
            level: Some(level),
        }
    }
}

/// A quarter of the way from `chance` to perfect accuracy.
fn floor_above(chance: f64) -> f64 {
    chance + (1.0 - chance) / 4.0
}

/// The separability floor of `k` equally likely candidates.
fn separability_floor(k: usize) -> f64 {
    floor_above(1.0 / k as f64)
}

/// Whether the candidates' families can be told apart: the classifier's
/// cross-validated accuracy at the level of families, a quarter of the
/// way from chance to perfect. With one family (or no confusion matrix:
/// the nearest-centroid fallback) the candidates themselves must separate.
fn families_separate(sep: &Separability, family_of: &[usize]) -> bool {
    let k = family_of.len();
    let n_families = {
        let mut f = family_of.to_vec();
        f.sort_unstable();
        f.dedup();
        f.len()
    };
    match sep.family_accuracy(family_of) {
        Some((acc, chance)) if n_families > 1 => acc >= floor_above(chance),
        _ => k < 2 || sep.accuracy >= separability_floor(k),
    }
}

/// Whether one family's members separate among themselves (a model-level
/// claim needs it); a family of one always does.
fn members_separate(sep: &Separability, members: &[usize]) -> bool {
    members.len() < 2
        || sep
            .within_accuracy(members)
            .is_some_and(|acc| acc >= separability_floor(members.len()))
}

pub(super) fn names(cast: &Cast, idx: &[usize]) -> Vec<String> {
    idx.iter().map(|&c| cast.candidates[c].clone()).collect()
}

/// The specificity test as the report shows it: the claimed family's, or
/// else the one of the closest family tested.
fn specificity(inf: &Inferred, cast: &Cast, decision: &Decision) -> Option<SpecificityTest> {
    let families = cast.family_names();
    let test = decision
        .family
        .and_then(|f| inf.family_tests.iter().find(|t| t.family == f))
        .or_else(|| inf.family_tests.first())?;
    let family = families[test.family].clone();
    let member = &cast.candidates[test.member];
    Some(SpecificityTest {
        hypothesis: format!(
            "the suspect writes more like {member} ({family}) than every candidate of another family does"
        ),
        method: "impostors: per prompt, the suspect's combined similarity to the candidate minus each other-family candidate's, one-sided sign-flip permutation of whole prompts (studentised); every impostor must be beaten (intersection-union), Bonferroni over the family's members in the confidence set".into(),
        against: test
            .against
            .iter()
            .map(|&(g, t, p)| SpecificityComparison {
                family: families[g].clone(),
                statistic: r6(t),
                p_value: r6(p),
            })
            .collect(),
        p_value: r6(test.p_value),
        holds: test.p_value < inf.alpha,
        model_test: inf
            .model_test
            .as_ref()
            .filter(|m| inf.family_of[m.member] == test.family)
            .map(|m| {
                let model = &cast.candidates[m.member];
                ModelSpecificity {
                    hypothesis: format!(
                        "the suspect writes more like {model} than every other candidate of {family} does"
                    ),
                    against: m
                        .against
                        .iter()
                        .map(|&(y, t, p)| ModelComparison {
                            model: cast.candidates[y].clone(),
                            statistic: r6(t),
                            p_value: r6(p),
                        })
                        .collect(),
                    p_value: r6(m.p_value),
                    holds: m.p_value < inf.alpha,
                    model: model.clone(),
                }
            }),
        family,
    })
}

/// The verdict from the tests of the combined score.
pub fn verdict(
    inf: &Inferred,
    cast: &Cast,
    signals: &[SignalResult],
    sep: &Separability,
    robustness: Option<Robustness>,
    opts: &AnalysisOptions,
) -> Verdict {
    let decision = inf.decide(sep);
    let code = decision.code;
    let top = inf.top();
    let set_names = names(cast, &inf.set);
    let first_counts: Vec<usize> = cast
        .candidates
        .iter()
        .map(|c| {
            signals
                .iter()
                .filter(|s| s.ranking.first() == Some(c))
                .count()
        })
        .collect();
    let ranking = inf
        .order
        .iter()
        .map(|&c| RankedCandidate {
            candidate: cast.candidates[c].clone(),
            family: cast.families[c].0.clone(),
            score: r6(inf.scores[c]),
            low: r6(inf.intervals[c].0),
            high: r6(inf.intervals[c].1),
            signals_first: first_counts[c],
            closest_p_value: r6(inf.closest_p[c]),
            in_set: inf.set.contains(&c),
        })
        .collect();
    let unit = if inf.scored_paired {
        "prompt"
    } else {
        "suspect output"
    };
    let test = if inf.has_control {
        TestResult {
            hypothesis: format!(
                "the suspect is closer than the control {} to at least one candidate",
                cast.control.as_deref().unwrap_or("")
            ),
            method: if inf.scored_paired {
                "studentised max-T over candidates, sign-flip permutation of whole prompts (suspect and control exchangeable on each prompt)".into()
            } else {
                "studentised (Welch) max-T over candidates, permutation of suspect and control outputs".into()
            },
            statistic: r6(inf.max_t.statistic),
            p_value: r6(inf.max_t.p_value),
            units: inf.units,
            positive: inf.positive,
            negative: inf.negative,
        }
    } else {
        TestResult {
            hypothesis: "the suspect resembles at least one candidate more than the other candidates resemble it (impostor-normalised)".into(),
            method: format!("studentised max-T over candidates, sign-flip permutation per {unit}"),
            statistic: r6(inf.max_t.statistic),
            p_value: r6(inf.max_t.p_value),
            units: inf.units,
            positive: inf.positive,
            negative: inf.negative,
        }
    };
    let kind = match code {
        None => VerdictKind::Attribution,
        Some(AbstentionCode::NoControl) => VerdictKind::Resemblance,
        Some(_) => VerdictKind::Abstention,
    };
    let family_names = cast.family_names();
    let attributed = names(cast, &decision.attributed);
    // Tentative: the claim rests on formatting (signals that disagree
    // are an abstention, `SignalsDisagree`).
    let agreeing = decision.family.map_or(0, |f| inf.agreeing_signals(f));
    let robust_fails = robustness.as_ref().is_some_and(|r| !r.survives);
    let tentative = code.is_none() && robust_fails;
    let words = words::Words {
        inf,
        cast,
        decision: &decision,
        sep,
        agreeing: (agreeing, inf.signal_tops.len()),
        robust_fails,
    };
    Verdict {
        headline: words.headline(),
        level: decision.level,
        family: decision.family.map(|f| family_names[f].clone()),
        tentative,
        specificity: specificity(inf, cast, &decision),
        kind,
        attributed,
        closest: set_names,
        confidence: r6(1.0 - opts.alpha),
        top: Some(cast.candidates[top].clone()),
        abstained: code.is_some(),
        abstention: code.map(|c| Abstention {
            code: c,
            message: words.reason(),
        }),
        reason: words.reason(),
        p_value: inf.has_control.then(|| r6(inf.max_t.p_value)),
        effect: r6(inf.effect),
        ranking,
        agreeing_signals: first_counts[top],
        ranked_signals: signals.len(),
        tests: vec![test],
        control: cast.control.clone(),
        separability: Some(r6(sep.accuracy)),
        power: words::power(inf, cast, code),
        robustness,
    }
}

/// The kind of verdict and the set that a decision gives, for comparing
/// the robustness check with the main analysis: (kind, attributed,
/// closest).
pub fn outcome(
    inf: &Inferred,
    cast: &Cast,
    sep: &Separability,
) -> (VerdictKind, Vec<String>, Vec<String>) {
    let decision = inf.decide(sep);
    let set = names(cast, &inf.set);
    match decision.code {
        None => (
            VerdictKind::Attribution,
            names(cast, &decision.attributed),
            set,
        ),
        Some(AbstentionCode::NoControl) => (VerdictKind::Resemblance, Vec::new(), set),
        Some(_) => (VerdictKind::Abstention, Vec::new(), set),
    }
}
