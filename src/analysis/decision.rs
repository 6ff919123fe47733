//! Stages 5 and 6: the tests on the combined score, and the decision.
//!
//! With a control the verdict attributes to the confidence set of the
//! closest candidates when (1) the candidates can be told apart, (2) the
//! suspect is significantly closer than the control to some candidate
//! (max-T excess test) and (3) the set holds at most half the candidates.
//! Without a control it is a resemblance, never an attribution. Each
//! abstention has a stable code, and power guidance says how many prompts
//! the observed effect would need.

use super::inference::{self, MaxT};
use super::roles::Cast;
use super::scores::{order_desc, Scored};
use super::AnalysisOptions;
use crate::report::{
    r6, Abstention, AbstentionCode, PowerGuidance, RankedCandidate, Robustness, SignalResult,
    TestResult, Verdict, VerdictKind,
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
}

impl Inferred {
    pub fn of(scored: &Scored, opts: &AnalysisOptions, label: &str) -> Inferred {
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
        Inferred {
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
        }
    }

    pub fn top(&self) -> usize {
        self.order[0]
    }

    /// The decision rules, in order (see the module docs).
    pub fn decide(&self, separability: f64) -> Option<AbstentionCode> {
        let k = self.scores.len();
        let chance = 1.0 / k as f64;
        if !self.has_control {
            Some(AbstentionCode::NoControl)
        } else if separability < separability_floor(k) && k > 1 && chance < 1.0 {
            Some(AbstentionCode::CandidatesInseparable)
        } else if self.max_t.p_value >= self.alpha || self.scores[self.top()] <= 0.0 {
            Some(AbstentionCode::NoExcess)
        } else if 2 * self.set.len() > k {
            Some(AbstentionCode::SetTooLarge)
        } else {
            None
        }
    }
}

/// A quarter of the way from chance to perfect cross-validated accuracy.
fn separability_floor(k: usize) -> f64 {
    let chance = 1.0 / k as f64;
    chance + (1.0 - chance) / 4.0
}

fn names(cast: &Cast, idx: &[usize]) -> Vec<String> {
    idx.iter().map(|&c| cast.candidates[c].clone()).collect()
}

/// "X" or "one of {X, Y}".
fn set_phrase(names: &[String]) -> String {
    match names {
        [one] => one.clone(),
        many => format!("one of {{{}}}", many.join(", ")),
    }
}

/// The verdict in plain words.
fn reason(inf: &Inferred, cast: &Cast, code: Option<AbstentionCode>, separability: f64) -> String {
    let set = set_phrase(&names(cast, &inf.set));
    let pct = (1.0 - inf.alpha) * 100.0;
    let control = cast.control.as_deref().unwrap_or("");
    let k = inf.scores.len();
    match code {
        None => format!(
            "The suspect is closer than the control {control} to the candidates' answers (excess test p = {:.4}); at {pct:.0}% confidence the teacher is {set}. Resemblance beyond a control is evidence of distillation, not proof.",
            inf.max_t.p_value
        ),
        Some(AbstentionCode::NoControl) => format!(
            "The suspect writes most like {set} (at {pct:.0}% confidence the closest candidate is in this set). Without a control this is resemblance, not a teacher attribution: resemblance inherited from a shared base model is not ruled out. A control is a model that shares the suspect's base model but was not trained on any candidate's outputs — the suspect's base model itself, or a sibling fine-tune of that base trained on human-written data; give one (--control) with answers to the same prompts to test for a teacher."
        ),
        Some(AbstentionCode::CandidatesInseparable) => format!(
            "No confident attribution: the candidates cannot be told apart well enough (cross-validated accuracy {separability:.3} < {:.3}, a quarter of the way from chance to perfect).",
            separability_floor(k)
        ),
        Some(AbstentionCode::NoExcess) => format!(
            "No confident attribution: the suspect is not significantly closer than the control {control} to any candidate (excess test p = {:.4}, α = {}). The teacher may be none of the candidates, or the data too few to tell.",
            inf.max_t.p_value, inf.alpha
        ),
        Some(AbstentionCode::FamiliesMixed) | Some(AbstentionCode::NotSpecific) => String::new(),
        Some(AbstentionCode::SetTooLarge) => format!(
            "No confident attribution: the suspect is closer than the control {control} to some candidate (p = {:.4}), but the closest cannot be narrowed below {} of {k} candidates ({set}).",
            inf.max_t.p_value,
            inf.set.len()
        ),
    }
}

/// How many units the observed effect would need, when the analysis
/// abstained for lack of evidence.
fn power(inf: &Inferred, cast: &Cast, code: Option<AbstentionCode>) -> Option<PowerGuidance> {
    let k = inf.scores.len();
    let unit = if inf.scored_paired {
        "paired prompts"
    } else {
        "suspect outputs"
    };
    let top = &cast.candidates[inf.top()];
    let (goal, effect, tests) = match code {
        Some(AbstentionCode::NoExcess) => (
            format!("the excess over the control for {top}"),
            inf.effect,
            k,
        ),
        Some(AbstentionCode::SetTooLarge) => {
            // The set holds at most half the candidates once the one ranked
            // just past half is ruled out.
            let b = inf.order[k / 2];
            (
                format!("{top} beating {}", cast.candidates[b]),
                inf.gap_effects[b],
                k - 1,
            )
        }
        _ => return None,
    };
    let needed = inference::units_needed(effect, inf.alpha, tests, 0.8);
    let message = match needed {
        Some(n) if n > inf.units => format!(
            "{goal}: the observed effect ({effect:.2} sd per unit) would need about {n} {unit} to reach α = {} with 80% power (this analysis had {}); collect more answers if that is feasible",
            inf.alpha, inf.units
        ),
        Some(n) => format!(
            "{goal}: the observed effect ({effect:.2} sd per unit) would reach α = {} with about {n} {unit} at 80% power, and this analysis had {}: the effect is too variable or too small to rely on; more answers may still help",
            inf.alpha, inf.units
        ),
        None => format!(
            "{goal}: the observed effect points the wrong way ({effect:.2} sd per unit); more answers would not help"
        ),
    };
    Some(PowerGuidance {
        goal,
        effect: r6(effect),
        units: inf.units,
        units_needed: needed,
        message,
    })
}

/// The verdict from the tests of the combined score.
pub fn verdict(
    inf: &Inferred,
    cast: &Cast,
    signals: &[SignalResult],
    separability: f64,
    robustness: Option<Robustness>,
    opts: &AnalysisOptions,
) -> Verdict {
    let code = inf.decide(separability);
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
    Verdict {
        headline: String::new(),
        level: None,
        family: None,
        tentative: false,
        specificity: None,
        kind,
        attributed: if code.is_none() {
            set_names.clone()
        } else {
            Vec::new()
        },
        closest: set_names,
        confidence: r6(1.0 - opts.alpha),
        top: Some(cast.candidates[top].clone()),
        abstained: code.is_some(),
        abstention: code.map(|c| Abstention {
            code: c,
            message: reason(inf, cast, Some(c), separability),
        }),
        reason: reason(inf, cast, code, separability),
        p_value: inf.has_control.then(|| r6(inf.max_t.p_value)),
        effect: r6(inf.effect),
        ranking,
        agreeing_signals: first_counts[top],
        ranked_signals: signals.len(),
        tests: vec![test],
        control: cast.control.clone(),
        separability: Some(r6(separability)),
        power: power(inf, cast, code),
        robustness,
    }
}

/// The kind of verdict and the set that a decision gives, for comparing
/// the robustness check with the main analysis.
pub fn outcome(
    inf: &Inferred,
    cast: &Cast,
    separability: f64,
) -> (VerdictKind, Vec<String>, Vec<String>) {
    let code = inf.decide(separability);
    let set = names(cast, &inf.set);
    match code {
        None => (VerdictKind::Attribution, set.clone(), set),
        Some(AbstentionCode::NoControl) => (VerdictKind::Resemblance, Vec::new(), set),
        Some(_) => (VerdictKind::Abstention, Vec::new(), set),
    }
}
