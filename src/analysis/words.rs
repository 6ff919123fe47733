//! The verdict in plain words: the headline (the claim and its scope, the
//! first line of every rendering), the reason, and power guidance.
//!
//! The headline states only what was shown: "closest of the k candidates
//! given" for a resemblance or an abstention; "teacher: an OpenAI model"
//! only when the specificity test holds; "tentative" when the robustness
//! check fails or fewer than half of the tested signals agree.

use super::classifier::Separability;
use super::decision::{names, Decision, Inferred};
use super::inference;
use super::roles::Cast;
use crate::family;
use crate::report::{r6, AbstentionCode, ClaimLevel, PowerGuidance};

/// What the words of one verdict are made of.
pub struct Words<'a> {
    pub inf: &'a Inferred,
    pub cast: &'a Cast,
    pub decision: &'a Decision,
    pub sep: &'a Separability,
    /// (tested signals ranking the claimed family first, tested signals).
    pub agreeing: (usize, usize),
    pub robust_fails: bool,
}

/// "X" or "one of {X, Y}".
fn set_phrase(names: &[String]) -> String {
    match names {
        [one] => one.clone(),
        many => format!("one of {{{}}}", many.join(", ")),
    }
}

impl Words<'_> {
    fn suspect(&self) -> &str {
        &self.cast.groups[Cast::SUSPECT].0
    }

    fn k(&self) -> usize {
        self.inf.scores.len()
    }

    fn pct(&self) -> String {
        format!("{:.0}%", (1.0 - self.inf.alpha) * 100.0)
    }

    /// "an OpenAI model", or the model itself for a family of one.
    fn family_phrase(&self, f: usize) -> String {
        let name = &self.cast.family_names()[f];
        if self.cast.candidates.contains(name) {
            return name.clone();
        }
        family::model_phrase(name)
    }

    fn closest(&self) -> String {
        set_phrase(&names(self.cast, &self.inf.set))
    }

    /// The claim and its scope in one line.
    pub fn headline(&self) -> String {
        let k = self.k();
        let suspect = self.suspect();
        let scope = format!("of the {k} candidates given");
        match self.decision.code {
            None => {
                let f = self.decision.family.unwrap_or(0);
                let attributed = names(self.cast, &self.decision.attributed);
                let family = self.family_phrase(f);
                let model_level = self.decision.level == Some(ClaimLevel::Model);
                let claim = match attributed.first() {
                    Some(model) if model_level && *model != family => format!("{model}, {family}"),
                    Some(model) if model_level => model.clone(),
                    _ => family,
                };
                let closest = if model_level {
                    String::new()
                } else {
                    format!("; closest: {}", attributed.join(", "))
                };
                let tentative = if self.robust_fails { " (tentative)" } else { "" };
                let line = format!(
                    "{suspect}{tentative}: the teacher is {claim} ({} confidence), among the {k} candidates given{closest}",
                    self.pct()
                );
                match self.tentative_because() {
                    Some(why) => format!("{line}; {why}"),
                    None => line,
                }
            }
            Some(AbstentionCode::NoControl) => format!(
                "{suspect} writes most like {} — closest {scope}; a resemblance, not a teacher claim (no control was given)",
                self.closest()
            ),
            Some(code) => format!(
                "{suspect}: no teacher named — {}; closest {scope}: {}",
                self.short_reason(code),
                self.closest()
            ),
        }
    }

    /// Why an attribution is only tentative, if it is.
    fn tentative_because(&self) -> Option<String> {
        self.robust_fails
            .then(|| "the robustness check failed: the claim rests on formatting".into())
    }

    fn short_reason(&self, code: AbstentionCode) -> String {
        let control = self.cast.control.as_deref().unwrap_or("");
        let top_family = self.inf.family_of[self.inf.top()];
        match code {
            AbstentionCode::NoControl => "no control was given".into(),
            AbstentionCode::CandidatesInseparable => {
                "the candidates' families cannot be told apart".into()
            }
            AbstentionCode::NoExcess => {
                format!("it is no closer than the control {control} to any candidate")
            }
            AbstentionCode::NotSpecific => format!(
                "its resemblance to {} is no more than other vendors' models show (as when the teacher is not among the candidates)",
                self.family_phrase(top_family)
            ),
            AbstentionCode::FamiliesMixed => format!(
                "the evidence points to more than one family ({})",
                self.specific_names().join(", ")
            ),
            AbstentionCode::SignalsDisagree => format!(
                "only {} of the {} tested signals rank {} first",
                self.agreeing.0,
                self.agreeing.1,
                self.family_phrase(self.decision.family.unwrap_or(top_family))
            ),
            AbstentionCode::SetTooLarge => format!(
                "the closest candidates cannot be narrowed below {} of {}",
                self.inf.set.len(),
                self.k()
            ),
        }
    }

    fn specific_names(&self) -> Vec<String> {
        self.inf
            .specific_families()
            .iter()
            .map(|t| self.family_phrase(t.family))
            .collect()
    }

    /// What the model test found, as a clause of the attribution's
    /// reason: why one model is named, or why only its family is.
    fn model_words(&self) -> String {
        let Some(t) = &self.inf.model_test else {
            return String::new();
        };
        let model = &self.cast.candidates[t.member];
        let p = t.p_value;
        if self.decision.level == Some(ClaimLevel::Model) {
            format!(", and more like {model} than its family-mates do (model test p = {p:.4})")
        } else if p >= self.inf.alpha {
            let weakest = t
                .against
                .iter()
                .fold(None::<(usize, f64)>, |w, &(y, _, py)| match w {
                    Some((_, pw)) if pw >= py => w,
                    _ => Some((y, py)),
                })
                .map_or(String::new(), |(y, _)| self.cast.candidates[y].clone());
            format!(
                ", but not more like {model} than {weakest} does (model test p = {p:.4}), so no single model is named"
            )
        } else {
            String::new()
        }
    }

    /// The verdict in plain words (several sentences).
    pub fn reason(&self) -> String {
        let inf = self.inf;
        let pct = self.pct();
        let control = self.cast.control.as_deref().unwrap_or("");
        let k = self.k();
        let p = inf.max_t.p_value;
        let closest = self.closest();
        match self.decision.code {
            None => {
                let f = self.decision.family.unwrap_or(0);
                let attributed = names(self.cast, &self.decision.attributed);
                let spec = inf
                    .family_tests
                    .iter()
                    .find(|t| Some(t.family) == self.decision.family)
                    .map_or(1.0, |t| t.p_value);
                let named = match self.decision.level {
                    Some(ClaimLevel::Model) => attributed[0].clone(),
                    _ if attributed.len() == 1 => {
                        format!("{} (closest: {})", self.family_phrase(f), attributed[0])
                    }
                    _ => format!(
                        "{} (one of {})",
                        self.family_phrase(f),
                        attributed.join(", ")
                    ),
                };
                format!(
                    "The suspect is closer than the control {control} to the candidates' answers (excess test p = {p:.4}), and writes more like {} than every candidate of another family does (specificity test p = {spec:.4}){}; at {pct} confidence the teacher is {named}, of the {k} candidates given. Resemblance beyond a control is evidence of distillation, not proof.",
                    self.family_phrase(f),
                    self.model_words()
                )
            }
            Some(AbstentionCode::NoControl) => format!(
                "The suspect writes most like {closest} (at {pct} confidence the closest candidate is in this set). Without a control this is resemblance, not a teacher claim: resemblance inherited from a shared base model is not ruled out. A control is a model that shares the suspect's base model but was not trained on any candidate's outputs — the suspect's base model itself, or a sibling fine-tune of that base trained on human-written data; add one, with answers to the same prompts, to test for a teacher."
            ),
            Some(AbstentionCode::CandidatesInseparable) => {
                let fam = self.sep.family_accuracy(&inf.family_of);
                match fam {
                    Some((acc, chance)) => format!(
                        "No teacher named: the candidates' families cannot be told apart well enough (cross-validated accuracy at the level of families {acc:.3}, chance {chance:.3}; a quarter of the way from chance to perfect is needed)."
                    ),
                    None => format!(
                        "No teacher named: the candidates cannot be told apart well enough (cross-validated accuracy {:.3}, chance {:.3}; a quarter of the way from chance to perfect is needed).",
                        self.sep.accuracy,
                        1.0 / k as f64
                    ),
                }
            }
            Some(AbstentionCode::NoExcess) => format!(
                "No teacher named: the suspect is not significantly closer than the control {control} to any candidate (excess test p = {p:.4}, α = {}). The teacher may be none of the candidates, or the data too few to tell.",
                inf.alpha
            ),
            Some(AbstentionCode::NotSpecific) => {
                let top = &self.cast.candidates[inf.top()];
                let fam = self.family_phrase(inf.family_of[inf.top()]);
                format!(
                    "No teacher named: the suspect is closer than the control {control} to the candidates (p = {p:.4}), closest to {closest}, but it does not write more like {top} than candidates of other families do, so the resemblance is not specific to {fam}. This is what a student of a teacher absent from the candidates looks like: it resembles every look-alike of its teacher. Add the plausible teachers (every vendor whose outputs the suspect may have learned from) to the candidates."
                )
            }
            Some(AbstentionCode::FamiliesMixed) => format!(
                "No teacher named: the suspect is closer than the control {control} to the candidates (p = {p:.4}), and its resemblance is specific to more than one family ({}); no single vendor can be named.",
                self.specific_names().join(", ")
            ),
            Some(AbstentionCode::SignalsDisagree) => {
                let fam = self.family_phrase(self.decision.family.unwrap_or(0));
                format!(
                    "No teacher named: the suspect is closer than the control {control} to the candidates (p = {p:.4}) and its resemblance to {fam} is specific, but only {} of the {} tested signals rank {fam} first: the combined score rests on a minority of the signals, which a different choice of signals would overturn.",
                    self.agreeing.0, self.agreeing.1
                )
            }
            Some(AbstentionCode::SetTooLarge) => format!(
                "No teacher named: the suspect is closer than the control {control} to some candidate (p = {p:.4}), but the closest cannot be narrowed below {} of {k} candidates ({closest}); a set of half the candidates or more says too little.",
                inf.set.len()
            ),
        }
    }
}

/// How many units the observed effect would need, when the analysis
/// abstained for lack of evidence.
pub fn power(inf: &Inferred, cast: &Cast, code: Option<AbstentionCode>) -> Option<PowerGuidance> {
    let k = inf.scores.len();
    let (unit, per) = if inf.scored_paired {
        ("paired prompts", "prompt")
    } else {
        ("suspect outputs", "suspect output")
    };
    let top = &cast.candidates[inf.top()];
    let (goal, effect, tests) = match code {
        Some(AbstentionCode::NoExcess) => (
            format!("the excess over the control for {top}"),
            inf.effect,
            k,
        ),
        Some(AbstentionCode::NotSpecific) => {
            // The closest family's test: its weakest comparison, as a
            // per-unit effect (t / √n of a one-sample t).
            let test = inf.family_tests.first()?;
            let (g, t, _) =
                test.against
                    .iter()
                    .copied()
                    .fold(None::<(usize, f64, f64)>, |w, a| match w {
                        Some(w) if w.1 <= a.1 => Some(w),
                        _ => Some(a),
                    })?;
            let member = &cast.candidates[test.member];
            let other = &cast.family_names()[g];
            (
                format!("the suspect writing more like {member} than the {other} candidates do"),
                t / (inf.units.max(1) as f64).sqrt(),
                test.against.len(),
            )
        }
        Some(AbstentionCode::SetTooLarge) => {
            // The set holds fewer than half the candidates once the one
            // ranked at half is ruled out.
            let b = inf.order[(k / 2).min(k - 1)];
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
            "{goal}: the observed effect ({effect:.2} standard deviations per {per}) would need about {n} {unit} to reach α = {} with 80% power (this analysis had {}); collect more answers if that is feasible",
            inf.alpha, inf.units
        ),
        Some(n) => format!(
            "{goal}: the observed effect ({effect:.2} standard deviations per {per}) would reach α = {} with about {n} {unit} at 80% power, and this analysis had {}: the effect is too variable or too small to rely on; more answers may still help",
            inf.alpha, inf.units
        ),
        None => format!(
            "{goal}: the observed effect points the wrong way ({effect:.2} standard deviations per {per}); more answers would not help"
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
