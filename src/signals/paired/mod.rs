//! The paired signals: how alike two answers to the *same prompt* are,
//! measured several ways that a distilled student inherits from its
//! teacher — the content it chooses, the phrasing, the names and examples
//! it brings up, how it opens, its function-word rates, its layout, its
//! length.
//!
//! Why answers to the same prompt: a student trained on a teacher's
//! outputs learns, prompt by prompt, what the teacher would say. Comparing
//! answers to one prompt holds the topic fixed, and the analysis compares
//! the suspect's answer with the *control's* answer to the same prompt in
//! exactly the same way, so whatever the prompt itself explains cancels in
//! the excess (see `docs/METHOD.md`, "Per-prompt scores").
//!
//! Every signal is a similarity in which higher means more alike. Each text
//! is first turned into a [`TextRepr`] by an [`Embedder`] fitted on all the
//! texts of an analysis (idf weights, the most frequent words and the
//! standardisation of rates), so the suspect, the control and the
//! candidates are represented by one and the same computation.
//!
//! ```
//! use lineage::signals::overlap::{Boilerplate, NgramSets};
//! use lineage::signals::paired::{Answer, EmbedOptions, Embedder, PairedSignal, VERBATIM_NGRAM};
//! let texts = ["Sure! Here are three ideas:\n\n1. Paris\n2. Rome", "Sure! Here are some ideas:\n\n1. Paris\n2. Oslo", "No."];
//! let opts = EmbedOptions { max_char_n: 4, n_frequent: 300, signals: PairedSignal::ALL };
//! let r = Embedder::fit(&texts, &[], &opts).reprs;
//! let grams: Vec<NgramSets> = texts.iter().map(|t| NgramSets::of(t, VERBATIM_NGRAM, &Boilerplate::none())).collect();
//! let answer = |i: usize| Answer { repr: &r[i], grams: &grams[i] };
//! let near = PairedSignal::Opening.similarity(answer(0), answer(1));
//! let far = PairedSignal::Opening.similarity(answer(0), answer(2));
//! assert!(near > far);
//! ```

use std::collections::BTreeSet;

mod embed;
pub mod signal;
#[cfg(test)]
mod tests;

pub use embed::{EmbedOptions, Embedded, Embedder};
pub use signal::{Definition, DeltaKind, EvidenceKind, SignalOptions};

use super::features::SparseVec;
use super::overlap::NgramSets;

/// One way of comparing two answers to the same prompt. Serialised by its
/// stable [`name`](PairedSignal::name).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum PairedSignal {
    /// Cosine of character 1..n-gram tf-idf vectors: wording and spelling.
    CharNgrams,
    /// Cosine of word tf-idf vectors: the content chosen.
    Words,
    /// Overlap of distinct word bigrams: phrasing.
    WordPairs,
    /// Overlap of capitalised words: the names and examples brought up.
    Names,
    /// Jaccard of the first words: the opening formula.
    Opening,
    /// Cosine of z-scored rates of the most frequent words (Cosine Delta on
    /// one answer each).
    FunctionWords,
    /// Negative RMS distance of z-scored layout and punctuation rates
    /// (length excluded: it is a signal of its own).
    Structure,
    /// Negative absolute difference of log word counts.
    Length,
    /// Cosine of character n-grams of the topic-masked texts (rare words'
    /// letters replaced by `*`, Stamatatos 2017): style without content.
    MaskedChars,
    /// Share of the first answer's word 5-grams found in the second, stock
    /// phrases discounted (Broder 1997 containment).
    VerbatimOverlap,
}

/// Words that make up the opening formula of an answer.
const OPENING_WORDS: usize = 6;

impl PairedSignal {
    /// Every signal, in report order.
    pub const ALL: &'static [PairedSignal] = &signal::ALL;

    /// The signals of the combined score by default: what a teacher would
    /// *say* to a prompt (the wording, the words and names chosen, the
    /// length), not the generic form every chat assistant shares. Form
    /// signals (opening formula, function words, structure, word pairs,
    /// masked characters) put a human-answer control far from *every*
    /// assistant, so a student whose teacher is absent looked closer to
    /// the teacher's look-alikes; chosen from the ablation on the
    /// development data, checked on each half of its prompts
    /// (docs/ACCURACY.md). Each signal's file says whether it is one.
    pub const DEFAULT: &'static [PairedSignal] = &signal::DEFAULT;

    /// The signal's definition (its file in `signal/`).
    pub fn def(self) -> &'static Definition {
        signal::REGISTRY[self as usize]
    }

    /// Stable machine name (report, CLI `--signals`).
    pub fn name(self) -> &'static str {
        self.def().name
    }

    pub fn from_name(name: &str) -> Option<PairedSignal> {
        Self::ALL.iter().copied().find(|s| s.name() == name)
    }

    /// What the signal compares, for the report.
    pub fn description(self) -> &'static str {
        self.def().description
    }

    /// Whether the signal compares a text with a source *profile* too, for
    /// designs without shared prompts (vector and rate signals only).
    pub fn has_profile(self) -> bool {
        self.def().profile.is_some()
    }

    /// Similarity of two answers (higher = more alike), under the default
    /// options.
    pub fn similarity(self, a: Answer<'_>, b: Answer<'_>) -> f64 {
        self.similarity_with(a, b, &SignalOptions::default())
    }

    /// Similarity of two answers under `opts`.
    pub fn similarity_with(self, a: Answer<'_>, b: Answer<'_>, opts: &SignalOptions) -> f64 {
        (self.def().pair)(a, b, opts)
    }

    /// Similarity of an answer to a source profile under `opts` (signals
    /// with [`has_profile`](Self::has_profile); 0 for the others).
    pub fn profile_similarity(self, a: &TextRepr, p: &SourceProfile, opts: &SignalOptions) -> f64 {
        self.def().profile.map_or(0.0, |f| f(a, p, opts))
    }
}

/// Word n-gram length of verbatim overlap.
pub const VERBATIM_NGRAM: usize = 5;

/// One answer as the paired signals read it: its representation, and its
/// word [`VERBATIM_NGRAM`]-grams for verbatim overlap (built against the
/// boilerplate of the analysis, or [`Boilerplate::none`]).
#[derive(Clone, Copy, Debug)]
pub struct Answer<'a> {
    pub repr: &'a TextRepr,
    pub grams: &'a NgramSets,
}

/// What the paired signals need from one text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextRepr {
    /// The vectors, which also average into a [`SourceProfile`].
    pub vectors: Vectors,
    /// Sorted distinct hashes of case-folded word bigrams.
    pub pairs: Vec<u64>,
    /// Sorted distinct hashes of capitalised words (as written).
    pub names: Vec<u64>,
    /// Sorted distinct hashes of the first [`OPENING_WORDS`] case-folded words.
    pub opening: Vec<u64>,
}

/// The part of a text's representation that has a mean: of one text in a
/// [`TextRepr`], of a source's texts in a [`SourceProfile`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vectors {
    /// Unit-length damped-rate tf-idf vector of character n-grams.
    pub chars: SparseVec,
    /// Unit-length damped-rate tf-idf vector of case-folded words.
    pub words: SparseVec,
    /// Unit-length tf-idf vector of the topic-masked text's character n-grams.
    pub masked: SparseVec,
    /// z-scored relative frequencies of the embedder's most frequent words.
    pub function_words: Vec<f64>,
    /// z-scored structure features without the length feature.
    pub structure: Vec<f64>,
    /// ln(1 + words).
    pub log_len: f64,
}

/// The profile of a source for unpaired designs: the centroids and means
/// of its texts' [`Vectors`] ([`Vectors::of`]).
pub type SourceProfile = Vectors;

impl Vectors {
    /// Centroid (renormalised mean of unit vectors) and mean rates of `reprs`.
    pub fn of(reprs: &[&TextRepr]) -> SourceProfile {
        let centroid = |f: fn(&Vectors) -> &SparseVec| {
            SparseVec::mean(&reprs.iter().map(|r| f(&r.vectors)).collect::<Vec<_>>()).normalized()
        };
        let mean_vec = |f: fn(&Vectors) -> &Vec<f64>| {
            let len = reprs.first().map(|r| f(&r.vectors).len()).unwrap_or(0);
            let mut out = vec![0.0; len];
            for r in reprs {
                for (o, x) in out.iter_mut().zip(f(&r.vectors)) {
                    *o += x;
                }
            }
            let n = reprs.len().max(1) as f64;
            out.iter().map(|x| x / n).collect::<Vec<f64>>()
        };
        let log_lens: Vec<f64> = reprs.iter().map(|r| r.vectors.log_len).collect();
        Vectors {
            chars: centroid(|v| &v.chars),
            words: centroid(|v| &v.words),
            masked: centroid(|v| &v.masked),
            function_words: mean_vec(|v| &v.function_words),
            structure: mean_vec(|v| &v.structure),
            log_len: crate::stats::mean(&log_lens),
        }
    }
}

/// A capitalised word: an upper-case first letter followed by at least one
/// lower-case letter ("Paris", "Київ"; not "I", not "NASA", not "3D").
pub(crate) fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

pub(crate) fn sorted_hashes(it: impl Iterator<Item = u64>) -> Vec<u64> {
    let set: BTreeSet<u64> = it.collect();
    set.into_iter().collect()
}

/// Size of the intersection of two sorted, distinct lists.
pub(crate) fn intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// |A ∩ B| / sqrt(|A| |B|) (the cosine of the sets' indicator vectors); 0
/// when either is empty.
pub fn overlap_coefficient(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    intersection(a, b) as f64 / ((a.len() * b.len()) as f64).sqrt()
}

/// |A ∩ B| / |A ∪ B|; 0 when both are empty.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let i = intersection(a, b);
    let u = a.len() + b.len() - i;
    if u == 0 {
        0.0
    } else {
        i as f64 / u as f64
    }
}

pub(crate) fn rms_diff(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().max(1) as f64;
    (a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>() / n).sqrt()
}

/// Mean and sample standard deviation of each column of `rows`.
pub fn column_stats(rows: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>) {
    let k = rows.first().map(Vec::len).unwrap_or(0);
    let n = rows.len().max(1) as f64;
    let mut mu = vec![0.0; k];
    for r in rows {
        for (m, x) in mu.iter_mut().zip(r) {
            *m += x / n;
        }
    }
    let mut var = vec![0.0; k];
    for r in rows {
        for j in 0..k {
            var[j] += (r[j] - mu[j]).powi(2);
        }
    }
    let denom = (rows.len().max(2) - 1) as f64;
    (mu, var.iter().map(|v| (v / denom).sqrt()).collect())
}
