//! The report: one versioned, serialisable value holding everything an
//! analysis found, with JSON and Markdown renderings.
//!
//! Determinism: the report holds only vectors (never hash maps) in a fixed
//! order, and every float is rounded to six decimals before it is stored,
//! so the same input and seed give byte-identical JSON natively and in
//! wasm even where the platforms' `ln`/`exp` differ in the last bit.

use serde::{Deserialize, Serialize};

/// Bumped whenever a field is renamed or removed (adding fields keeps it).
/// Version 2: every name is camelCase, in the CLI's JSON as in the JS
/// package (one document; version 1 was snake_case in the CLI).
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
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Report {
    pub schema_version: u32,
    pub lineage_version: String,
    pub seed: u64,
    pub parameters: Parameters,
    pub inputs: Vec<InputFile>,
    pub sources: Vec<SourceSummary>,
    pub design: Design,
    pub signals: Vec<SignalResult>,
    pub verdict: Verdict,
    pub kinship: Kinship,
    pub identity_leaks: Vec<LeakEvidence>,
    pub warnings: Vec<Warning>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Parameters {
    pub alpha: f64,
    pub min_effect: f64,
    pub bootstrap_reps: usize,
    pub permutation_reps: usize,
    pub most_frequent_words: usize,
    pub delta: String,
    pub max_char_ngram: usize,
    pub log_odds_prior: f64,
    pub classifier_folds: usize,
    pub overlap_ngram: usize,
}

/// One input file (or pasted text) as read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct InputFile {
    pub name: String,
    pub sha256: String,
    pub samples: usize,
    pub malformed_lines: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct SourceSummary {
    pub name: String,
    pub role: String,
    pub samples: usize,
    pub median_words: f64,
    pub mean_words: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
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
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CandidateScore {
    pub candidate: String,
    pub score: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
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
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
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
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
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
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct LeakEvidence {
    pub source: String,
    pub prompt_id: Option<String>,
    pub sentence: String,
    pub claims: Vec<String>,
    pub language: String,
    pub span: SpanOffsets,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct RankedCandidate {
    pub candidate: String,
    /// Mean combined similarity (standardised units), or mean excess over
    /// the control when one is given.
    pub score: f64,
    pub low: f64,
    pub high: f64,
    /// Number of signals that rank this candidate first.
    pub signals_first: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Verdict {
    /// The attributed candidate, when the analysis is confident.
    pub attributed: Option<String>,
    /// The candidate ranked first (even when abstaining).
    pub top: Option<String>,
    pub abstained: bool,
    pub reason: String,
    /// The p-value the decision used (the largest of the required tests).
    pub p_value: f64,
    /// Standardised effect (mean difference / sd over units) of top over runner-up.
    pub effect: f64,
    pub ranking: Vec<RankedCandidate>,
    /// Signals ranking the top candidate first, out of the ranked signals.
    pub agreeing_signals: usize,
    pub ranked_signals: usize,
    pub tests: Vec<TestResult>,
    pub control: Option<String>,
    /// Cross-validated accuracy among candidates (None when not computed).
    pub separability: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Kinship {
    pub sources: Vec<String>,
    /// Symmetric similarity matrix (1 on the diagonal), rows in `sources` order.
    pub similarity: Vec<Vec<f64>>,
    /// Average-linkage (UPGMA) tree over distance = 1 − similarity.
    pub newick: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
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
    /// The decision's figures in one line: p-value, effect, agreeing
    /// signals, separability.
    pub fn figures(&self) -> String {
        format!(
            "p-value {:.4}, effect {:.2}, {} of {} signals rank the top candidate first{}",
            self.p_value,
            self.effect,
            self.agreeing_signals,
            self.ranked_signals,
            self.separability
                .map(|x| format!(", separability {x:.3}"))
                .unwrap_or_default()
        )
    }
}

impl Report {
    /// Pretty JSON; deterministic for a given report value.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// A human-readable Markdown rendering.
    pub fn to_markdown(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let v = &self.verdict;
        let _ = writeln!(s, "# Lineage report\n");
        let suspect = self
            .sources
            .iter()
            .find(|x| x.role == "suspect")
            .map(|x| x.name.as_str())
            .unwrap_or("?");
        let _ = writeln!(s, "Suspect: **{}**\n", md_escape(suspect));
        if v.abstained {
            let _ = writeln!(s, "## Verdict: no confident attribution\n");
        } else if let Some(a) = &v.attributed {
            let _ = writeln!(s, "## Verdict: {}\n", md_escape(a));
        }
        let _ = writeln!(s, "{}\n", md_escape(&v.reason));
        let _ = writeln!(s, "{}.\n", v.figures());
        let _ = writeln!(s, "_{CAVEAT}_\n");
        let _ = writeln!(s, "| rank | candidate | score | interval | signals first |");
        let _ = writeln!(s, "|---|---|---|---|---|");
        for (i, r) in v.ranking.iter().enumerate() {
            let _ = writeln!(
                s,
                "| {} | {} | {:.3} | [{:.3}, {:.3}] | {} |",
                i + 1,
                md_escape(&r.candidate),
                r.score,
                r.low,
                r.high,
                r.signals_first
            );
        }
        if !v.tests.is_empty() {
            let _ = writeln!(s, "\n### Tests\n");
            for t in &v.tests {
                let _ = writeln!(
                    s,
                    "- {} ({}): p = {:.4} over {} units",
                    md_escape(&t.hypothesis),
                    md_escape(&t.method),
                    t.p_value,
                    t.units
                );
            }
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(s, "\n### Warnings\n");
            for w in &self.warnings {
                let _ = writeln!(s, "- {}", md_escape(&w.message));
            }
        }
        let _ = writeln!(s, "\n## Signals\n");
        for sig in &self.signals {
            let _ = writeln!(s, "### {}\n\n{}\n", sig.name, md_escape(&sig.description));
            for sc in &sig.scores {
                let _ = writeln!(
                    s,
                    "- {}: {:.4} [{:.4}, {:.4}]",
                    md_escape(&sc.candidate),
                    sc.score,
                    sc.low,
                    sc.high
                );
            }
            if let Some(n) = &sig.note {
                let _ = writeln!(s, "\n_{}_", md_escape(n));
            }
            let shown: Vec<&Evidence> = sig.evidence.iter().take(12).collect();
            if !shown.is_empty() {
                let _ = writeln!(s, "\nEvidence:\n");
                for e in shown {
                    let _ = writeln!(s, "- {}", md_escape(&evidence_line(e)));
                }
            }
            let _ = writeln!(s);
        }
        if !self.identity_leaks.is_empty() {
            let _ = writeln!(s, "## Identity leaks\n");
            for l in self.identity_leaks.iter().take(20) {
                let _ = writeln!(
                    s,
                    "- {} ({}; names {}): \"{}\"",
                    md_escape(&l.source),
                    l.language,
                    md_escape(&l.claims.join(", ")),
                    md_escape(&l.sentence)
                );
            }
            let _ = writeln!(s);
        }
        // A source name may hold line breaks: kept on one line, it cannot
        // close the code fence and inject markup.
        let newick = self.kinship.newick.replace(['\n', '\r'], " ");
        let _ = writeln!(s, "## Family tree\n\n```\n{newick}\n```\n");
        let _ = writeln!(s, "## Inputs\n");
        for i in &self.inputs {
            let _ = writeln!(
                s,
                "- {} — {} samples, sha256 {}",
                md_escape(&i.name),
                i.samples,
                i.sha256
            );
        }
        let _ = writeln!(
            s,
            "\nSeed {}, schema {}, lineage {}.",
            self.seed, self.schema_version, self.lineage_version
        );
        s
    }
}

fn evidence_line(e: &Evidence) -> String {
    match e {
        Evidence::SharedHabit {
            candidate,
            item,
            z_suspect,
            z_candidate,
            count_suspect,
            count_candidate,
        } => format!(
            "{candidate}: \"{item}\" over-used by both (z {z_suspect:.1} / {z_candidate:.1}; counts {count_suspect} / {count_candidate})"
        ),
        Evidence::Word {
            candidate,
            word,
            z_suspect,
            z_candidate,
        } => format!("{candidate}: \"{word}\" (z {z_suspect:.2} / {z_candidate:.2})"),
        Evidence::Feature {
            candidate,
            feature,
            suspect,
            candidate_value,
        } => format!("{candidate}: {feature} {suspect:.3} vs {candidate_value:.3}"),
        Evidence::SharedSpan {
            candidate,
            prompt_id,
            words,
            text,
            ..
        } => format!("{candidate}, prompt {prompt_id}: {words} words \"{text}\""),
        Evidence::Assignment {
            candidate,
            outputs,
            of,
        } => format!("{candidate}: {outputs} of {of} suspect outputs"),
    }
}

/// Escapes the characters that would change Markdown structure, so user
/// text never becomes markup.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
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
