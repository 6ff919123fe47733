//! The report: one versioned, serialisable value holding everything an
//! analysis found, with JSON and Markdown renderings.
//!
//! Determinism: the report holds only vectors (never hash maps) in a fixed
//! order, and every float is rounded to six decimals before it is stored,
//! so the same input and seed give byte-identical JSON natively and in
//! wasm even where the platforms' `ln`/`exp` differ in the last bit.

use serde::{Deserialize, Serialize};

mod html;
mod markdown;
mod tables;
#[cfg(test)]
use markdown::md_escape;

/// Bumped whenever a field is renamed or removed (adding fields keeps it).
/// Version 2: every name is camelCase, in the CLI's JSON as in the JS
/// package (one document; version 1 was snake_case in the CLI); the verdict
/// attributes to a confidence set (`attributed` is a list), says what kind
/// of claim it makes, and carries an abstention code, power guidance and a
/// robustness check.
pub const SCHEMA_VERSION: u32 = 2;

/// Rounds to six decimals; non-finite values become 0 (JSON has no NaN).
pub fn r6(x: f64) -> f64 {
    if !x.is_finite() {
        return 0.0;
    }
    let r = (x * 1e6).round() / 1e6;
    // Avoid "-0.0" in the output.
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Report {
    pub schema_version: u32,
    pub lineage_version: String,
    pub seed: u64,
    /// The analysis parameters as given (defaults filled in): the core's
    /// own options type, so a parameter added there is reported here.
    pub parameters: crate::parameters::AnalysisOptions,
    pub inputs: Vec<InputFile>,
    pub sources: Vec<SourceSummary>,
    pub design: Design,
    pub signals: Vec<SignalResult>,
    pub verdict: Verdict,
    pub kinship: Kinship,
    pub identity_leaks: Vec<LeakEvidence>,
    /// What each source says it is when asked (its answers to the probe
    /// set's identity probes); empty when no source answered one.
    pub identity_probes: Vec<IdentityProbeSummary>,
    pub warnings: Vec<Warning>,
}

/// One input file (or pasted text) as read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct InputFile {
    pub name: String,
    pub sha256: String,
    pub samples: usize,
    pub malformed_lines: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct SourceSummary {
    pub name: String,
    pub role: String,
    /// The source's vendor family (candidates only; `crate::family`).
    pub family: Option<String>,
    /// Where the family came from: the user's word, the records, the
    /// built-in table of well-known names, or the source's own name.
    pub family_from: Option<crate::family::FamilySource>,
    pub samples: usize,
    pub median_words: f64,
    pub mean_words: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Design {
    /// True when prompts are matched by id across the suspect and every
    /// candidate (and the control).
    pub paired: bool,
    /// Number of prompts answered by all of them.
    pub shared_prompts: usize,
    /// The units the tests resample: "prompt" (paired) or "suspect text".
    pub unit: String,
    pub units: usize,
}

/// A per-candidate score with its interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CandidateScore {
    pub candidate: String,
    pub score: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct SignalResult {
    /// Stable machine name, e.g. `cosine_delta`.
    pub name: String,
    pub description: String,
    /// Higher score = more similar to the suspect.
    pub scores: Vec<CandidateScore>,
    /// Candidates from most to least similar.
    pub ranking: Vec<String>,
    /// Whether this signal enters the combined per-prompt score.
    pub in_combined: bool,
    pub evidence: Vec<Evidence>,
    pub note: Option<String>,
}

/// Offsets of a span in UTF-8 bytes and UTF-16 code units (the latter
/// index JavaScript strings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct SpanOffsets {
    pub start: usize,
    pub end: usize,
    pub start_utf16: usize,
    pub end_utf16: usize,
}

impl From<crate::text::Span> for SpanOffsets {
    fn from(s: crate::text::Span) -> Self {
        SpanOffsets {
            start: s.start,
            end: s.end,
            start_utf16: s.start_utf16,
            end_utf16: s.end_utf16,
        }
    }
}

/// Readable evidence of one signal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum Evidence {
    /// An item both the suspect and the candidate over-use relative to the
    /// pooled corpus (weighted log-odds z-scores).
    SharedHabit {
        candidate: String,
        item: String,
        z_suspect: f64,
        z_candidate: f64,
        count_suspect: u64,
        count_candidate: u64,
    },
    /// A frequent word whose standardised rate the suspect and the
    /// candidate share (largest contributions to Cosine Delta).
    Word {
        candidate: String,
        word: String,
        z_suspect: f64,
        z_candidate: f64,
    },
    /// A structure feature where the suspect is closest to this candidate.
    Feature {
        candidate: String,
        feature: String,
        suspect: f64,
        candidate_value: f64,
    },
    /// A verbatim span the suspect and the candidate wrote for one prompt.
    SharedSpan {
        candidate: String,
        prompt_id: String,
        words: usize,
        text: String,
        suspect_span: SpanOffsets,
        candidate_span: SpanOffsets,
    },
    /// Share of the suspect's outputs a classifier assigns to the candidate.
    Assignment {
        candidate: String,
        outputs: usize,
        of: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct LeakEvidence {
    pub source: String,
    pub prompt_id: Option<String>,
    pub sentence: String,
    pub claims: Vec<String>,
    pub language: String,
    pub span: SpanOffsets,
}

/// What one source says it is when asked who it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct IdentityProbeSummary {
    pub source: String,
    /// Its answers to identity probes.
    pub answers: usize,
    /// The models and vendors those answers claim to be (self-identification
    /// sentences, as in `identityLeaks`), most often first.
    pub names: Vec<ClaimedName>,
    /// Answers that claim no model or vendor.
    pub unnamed: usize,
}

/// A model or vendor a source's identity answers claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ClaimedName {
    /// Canonical name ("ChatGPT", "OpenAI").
    pub entity: String,
    /// The vendor behind it ("OpenAI").
    pub vendor: String,
    /// "model" or "vendor".
    pub kind: String,
    /// How many of the source's identity answers claim it.
    pub answers: usize,
    /// The first sentence that does, and its prompt.
    pub example: String,
    pub prompt_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct RankedCandidate {
    pub candidate: String,
    /// The candidate's vendor family.
    pub family: String,
    /// Mean excess over the control of the combined per-prompt score (with
    /// a control), or mean impostor-normalised similarity (without).
    pub score: f64,
    pub low: f64,
    pub high: f64,
    /// Number of signals that rank this candidate first.
    pub signals_first: usize,
    /// p-value of "this candidate is the closest" (multiple comparisons
    /// with the best): small means some other candidate is significantly
    /// closer, and the candidate is left out of the confidence set.
    pub closest_p_value: f64,
    /// Whether the candidate is in the confidence set of the closest.
    pub in_set: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct TestResult {
    /// What was tested, in words.
    pub hypothesis: String,
    pub method: String,
    pub statistic: f64,
    pub p_value: f64,
    pub units: usize,
    /// Units favouring the hypothesis / against it (for sign tests).
    pub positive: usize,
    pub negative: usize,
}

/// What the verdict claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum VerdictKind {
    /// With a control: the suspect is significantly closer than the control
    /// to a candidate, and the teacher is, at the stated confidence, one of
    /// `attributed`.
    Attribution,
    /// Without a control: the suspect writes most like one of `closest`;
    /// resemblance, never a teacher attribution.
    Resemblance,
    /// No confident claim (see `abstention`).
    Abstention,
}

/// The level of a teacher claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum ClaimLevel {
    /// "The teacher is a model of family F."
    Family,
    /// "The teacher is model X (of family F)."
    Model,
}

/// The specificity test of a teacher claim (`docs/METHOD.md` §4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct SpecificityTest {
    /// The family the test is about (the closest family).
    pub family: String,
    pub hypothesis: String,
    pub method: String,
    /// Per other family: its name, the statistic and the p-value.
    pub against: Vec<SpecificityComparison>,
    /// The largest p-value over the other families (the claim needs all).
    pub p_value: f64,
    /// Whether the test holds at level alpha.
    pub holds: bool,
    /// The same test one level down, for the top candidate when it is its
    /// family's only member in the confidence set: a model is named only
    /// when it holds. None when the family has no other candidate or the
    /// set holds several of its members.
    pub model_test: Option<ModelSpecificity>,
}

/// Whether the suspect writes more like one model than that model's
/// family-mates do: the model-level claim's test (`docs/METHOD.md` §4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ModelSpecificity {
    pub model: String,
    pub hypothesis: String,
    /// Per family-mate: its name, the statistic and the p-value.
    pub against: Vec<ModelComparison>,
    /// The largest p-value over the family-mates (the claim needs all).
    pub p_value: f64,
    pub holds: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ModelComparison {
    pub model: String,
    pub statistic: f64,
    pub p_value: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct SpecificityComparison {
    pub family: String,
    pub statistic: f64,
    pub p_value: f64,
}

/// Why no attribution was made: a stable code for programs, and the
/// message a person reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum AbstentionCode {
    /// No control was given: the verdict can only be a resemblance.
    NoControl,
    /// The candidates cannot be told apart from one another.
    CandidatesInseparable,
    /// The suspect is not significantly closer than the control to any candidate.
    NoExcess,
    /// The confidence set holds more than half of the candidates.
    SetTooLarge,
    /// The confidence set holds candidates of more than one family.
    FamiliesMixed,
    /// Fewer than half of the tested signals rank the claimed family
    /// first: the combined score's verdict rests on a minority.
    SignalsDisagree,
    /// The suspect's resemblance is not specific to the closest family:
    /// the candidates' resemblance to each other explains it (a teacher
    /// absent from the candidates looks like this).
    NotSpecific,
}

impl AbstentionCode {
    pub fn as_str(self) -> &'static str {
        match self {
            AbstentionCode::NoControl => "no_control",
            AbstentionCode::CandidatesInseparable => "candidates_inseparable",
            AbstentionCode::NoExcess => "no_excess",
            AbstentionCode::SetTooLarge => "set_too_large",
            AbstentionCode::FamiliesMixed => "families_mixed",
            AbstentionCode::NotSpecific => "not_specific",
            AbstentionCode::SignalsDisagree => "signals_disagree",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Abstention {
    pub code: AbstentionCode,
    pub message: String,
}

/// How many paired prompts the observed effect would need to reach the
/// significance level, so a user knows whether to collect more answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct PowerGuidance {
    /// What the figure is about, e.g. "the excess over the control for X".
    pub goal: String,
    /// Standardised per-prompt effect (mean / sd) it is computed from.
    pub effect: f64,
    /// Units the analysis had.
    pub units: usize,
    /// Units needed for 80% power at the analysis's level (None when the
    /// observed effect points the wrong way: more data would not help).
    pub units_needed: Option<usize>,
    pub message: String,
}

/// Whether the verdict survives the suspect's and control's texts with
/// markdown stripped and whitespace and case normalised (the cheapest
/// things to change with a system prompt).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Robustness {
    pub check: String,
    pub survives: bool,
    pub kind: VerdictKind,
    pub attributed: Vec<String>,
    pub closest: Vec<String>,
    pub p_value: Option<f64>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Verdict {
    /// The claim and its scope in one line: the first line of every
    /// rendering (terminal, Markdown, HTML, the page, exports).
    pub headline: String,
    pub kind: VerdictKind,
    /// What an attribution names: a vendor family, or one model of it
    /// when the family's members separate; None unless `kind` is
    /// attribution.
    pub level: Option<ClaimLevel>,
    /// The attributed family (an attribution), or the family of the
    /// closest candidates (a resemblance or an abstention, when they
    /// form one family).
    pub family: Option<String>,
    /// An attribution whose robustness check failed or whose signals
    /// mostly disagree: stated, but marked tentative in the headline.
    pub tentative: bool,
    /// The test that the suspect's resemblance is specific to the named
    /// family, beyond what the candidates' resemblance to each other
    /// explains (with a control; see `docs/METHOD.md`).
    pub specificity: Option<SpecificityTest>,
    /// The candidates the teacher is attributed to (the confidence set), in
    /// ranking order; empty unless `kind` is attribution.
    pub attributed: Vec<String>,
    /// The confidence set of the closest candidates (by excess over the
    /// control, or by resemblance without one), whatever the decision.
    pub closest: Vec<String>,
    /// Confidence level of the set, 1 − α.
    pub confidence: f64,
    /// The candidate ranked first (even when abstaining).
    pub top: Option<String>,
    pub abstained: bool,
    pub abstention: Option<Abstention>,
    /// The verdict in plain words.
    pub reason: String,
    /// p-value of the excess test ("the suspect is closer than the control
    /// to at least one candidate"); None without a control.
    pub p_value: Option<f64>,
    /// Standardised per-unit effect (mean / sd) of the top candidate's
    /// score (its excess over the control, when there is one).
    pub effect: f64,
    pub ranking: Vec<RankedCandidate>,
    /// Signals ranking the top candidate first, out of the ranked signals.
    pub agreeing_signals: usize,
    pub ranked_signals: usize,
    pub tests: Vec<TestResult>,
    pub control: Option<String>,
    /// Cross-validated accuracy among candidates (None when not computed).
    pub separability: Option<f64>,
    /// Present when the analysis abstained for lack of evidence.
    pub power: Option<PowerGuidance>,
    /// Present when a control was given.
    pub robustness: Option<Robustness>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Kinship {
    pub sources: Vec<String>,
    /// Symmetric similarity matrix (1 on the diagonal), rows in `sources` order.
    pub similarity: Vec<Vec<f64>>,
    /// Average-linkage (UPGMA) tree over distance = 1 − similarity.
    pub newick: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Warning {
    /// Stable code: too_few_samples, short_texts, length_imbalance,
    /// unpaired_design, base_model_not_ruled_out, malformed_input, ...
    pub code: String,
    pub message: String,
}

/// What every rendering of a verdict says with it.
pub const CAVEAT: &str = "Resemblance is evidence, not proof: models trained on similar data, \
    or prompted alike, can write alike without one being distilled from the other.";

impl Verdict {
    /// The decision's figures in one line: the excess test's p-value (with
    /// a control), effect, agreeing signals, separability, confidence set.
    pub fn figures(&self) -> String {
        let set = self.closest.join(", ");
        format!(
            "{}effect {:.2}, {} of {} signals rank the top candidate first{}; {:.0}% confidence set of the closest: {{{set}}}",
            self.p_value
                .map(|p| format!("excess test p = {p:.4}, "))
                .unwrap_or_default(),
            self.effect,
            self.agreeing_signals,
            self.ranked_signals,
            self.separability
                .map(|x| format!(", separability {x:.3}"))
                .unwrap_or_default(),
            self.confidence * 100.0
        )
    }
}

impl Report {
    /// The identity leaks, one per source and sentence with how often it
    /// recurs, in first-seen order: a model that says "As Claude, ..." in
    /// twenty answers is one finding, not twenty lines.
    pub fn distinct_leaks(&self) -> Vec<(&LeakEvidence, usize)> {
        let mut distinct: Vec<(&LeakEvidence, usize)> = Vec::new();
        for l in &self.identity_leaks {
            match distinct
                .iter_mut()
                .find(|(d, _)| d.source == l.source && d.sentence == l.sentence)
            {
                Some((_, n)) => *n += 1,
                None => distinct.push((l, 1)),
            }
        }
        distinct
    }

    /// Pretty JSON; deterministic for a given report value.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r6_cases() {
        let cases = [
            (0.1234564, 0.123456),
            (-0.0000001, 0.0),
            (f64::NAN, 0.0),
            (2.0, 2.0),
        ];
        for (x, want) in cases {
            assert_eq!(r6(x), want);
        }
    }

    #[test]
    fn md_escape_neutralises_markup() {
        assert_eq!(md_escape("*a* | <b>"), "\\*a\\* \\| \\<b\\>");
    }
}
