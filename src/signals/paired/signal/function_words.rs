//! Function words: the rates of the most frequent words, z-scored on the
//! analysis's texts, compared by a Delta measure (Burrows 2002; Cosine
//! Delta, Evert et al. 2017, by default). The report shows the frequent
//! words whose rates the suspect shares most with the best candidates.

use super::{Definition, EvidenceKind, SignalOptions};
use crate::signals::paired::PairedSignal;
use crate::stats;

/// Which Delta measure the `function_words` signal uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum DeltaKind {
    /// Cosine of the z-score vectors (Evert et al. 2017; the default).
    #[default]
    Cosine,
    /// Mean absolute z difference (Burrows 2002).
    Burrows,
    /// Burrows Delta with weights falling linearly with frequency rank (Eder 2015).
    Eder,
}

impl DeltaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeltaKind::Cosine => "cosine",
            DeltaKind::Burrows => "burrows",
            DeltaKind::Eder => "eder",
        }
    }
}

/// The Delta of two z-score vectors, as a similarity (higher = more
/// alike): the cosine, or the negated (weighted) mean absolute difference.
fn delta(kind: DeltaKind, a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().max(1) as f64;
    match kind {
        DeltaKind::Cosine => stats::cosine(a, b),
        DeltaKind::Burrows => -a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f64>() / n,
        DeltaKind::Eder => {
            -a.iter()
                .zip(b)
                .enumerate()
                .map(|(i, (x, y))| (x - y).abs() * (n - i as f64) / n)
                .sum::<f64>()
                / n
        }
    }
}

pub(super) const DEF: Definition = Definition {
    signal: PairedSignal::FunctionWords,
    name: "function_words",
    description:
        "cosine of z-scored rates of the most frequent words (Cosine Delta, one answer each)",
    default: false,
    pair: |a, b, o: &SignalOptions| {
        delta(
            o.delta,
            &a.repr.vectors.function_words,
            &b.repr.vectors.function_words,
        )
    },
    profile: Some(|a, p, o: &SignalOptions| {
        delta(o.delta, &a.vectors.function_words, &p.function_words)
    }),
    evidence: EvidenceKind::SharedFrequentWords,
    needs_masked_ngrams: false,
    reads_word_ngrams: false,
    detail: |o| Some(format!("delta = {}", o.delta.as_str())),
};
