//! The registry of paired signals: each signal is one file in `signal/`
//! holding its [`Definition`] (name, description, whether the combined
//! score uses it by default, how it compares two answers and an answer
//! with a source profile, which evidence the report shows for it), and
//! one line in [`REGISTRY`]. Everything else (the CLI's `--signals` help,
//! the option parser, the scorer, the report's evidence) reads the
//! definitions, so adding a signal touches its file, its line here and
//! its variant of [`PairedSignal`] (the stable identity the report
//! serialises).

use super::{Answer, PairedSignal, SourceProfile, TextRepr};

mod char_ngrams;
mod function_words;
mod length;
mod masked_chars;
mod names;
mod opening;
mod structure;
mod verbatim_overlap;
mod word_pairs;
mod words;

pub use function_words::DeltaKind;

/// Every signal's definition, in report order (the order of
/// [`PairedSignal`]'s variants: `PairedSignal::def` indexes by it, and a
/// test checks it).
pub const REGISTRY: &[&Definition] = &[
    &char_ngrams::DEF,
    &words::DEF,
    &word_pairs::DEF,
    &names::DEF,
    &opening::DEF,
    &function_words::DEF,
    &structure::DEF,
    &length::DEF,
    &masked_chars::DEF,
    &verbatim_overlap::DEF,
];

/// The analysis options a comparison may read.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SignalOptions {
    /// The Delta measure of the function-word signal.
    pub delta: DeltaKind,
}

/// What the report shows, beside its scores, for a signal: the analysis
/// computes these (`analysis::evidence`) even when the signal is not in
/// the combined score, because a reader needs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvidenceKind {
    /// Scores only.
    None,
    /// The frequent words whose z-scored rates the suspect shares most
    /// with each of the best candidates.
    SharedFrequentWords,
    /// The layout and punctuation rates of the suspect next to the best
    /// candidate's.
    StructureSideBySide,
    /// The longest passages the suspect shares with each candidate's
    /// answers to the same prompts (paired designs only).
    SharedPassages,
}

/// One paired signal.
pub struct Definition {
    pub signal: PairedSignal,
    /// Stable machine name (report, CLI `--signals`, `PairedSignal`'s
    /// serde name).
    pub name: &'static str,
    /// What the signal compares, for the report and the CLI's help.
    pub description: &'static str,
    /// Whether the combined score uses it unless told otherwise.
    pub default: bool,
    /// Similarity of two answers to the same prompt (higher = more alike).
    pub pair: fn(Answer<'_>, Answer<'_>, &SignalOptions) -> f64,
    /// Similarity of an answer to a source's profile, for designs without
    /// shared prompts; None for signals that only compare two answers.
    pub profile: Option<fn(&TextRepr, &SourceProfile, &SignalOptions) -> f64>,
    /// What the report shows for it.
    pub evidence: EvidenceKind,
    /// Whether it reads the topic-masked character n-grams, which the
    /// embedder computes only when a selected signal needs them (they
    /// cost a second pass over every text).
    pub needs_masked_ngrams: bool,
    /// Whether it reads the answers' word n-gram sets (`Answer::grams`)
    /// rather than their representations, so the robustness check builds
    /// them for the stripped texts only when such a signal is combined.
    pub reads_word_ngrams: bool,
    /// An addition to the description that depends on the options.
    pub detail: fn(&SignalOptions) -> Option<String>,
}

/// The `detail` of a signal whose description says it all.
fn no_detail(_: &SignalOptions) -> Option<String> {
    None
}

/// How many signals the combined score uses by default.
pub(super) const DEFAULT_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < REGISTRY.len() {
        if REGISTRY[i].default {
            n += 1;
        }
        i += 1;
    }
    n
};

/// Every signal, in report order.
pub(super) const ALL: [PairedSignal; REGISTRY.len()] = {
    let mut out = [PairedSignal::CharNgrams; REGISTRY.len()];
    let mut i = 0;
    while i < REGISTRY.len() {
        out[i] = REGISTRY[i].signal;
        i += 1;
    }
    out
};

/// The default signals, in report order.
pub(super) const DEFAULT: [PairedSignal; DEFAULT_COUNT] = {
    let mut out = [PairedSignal::CharNgrams; DEFAULT_COUNT];
    let (mut i, mut n) = (0, 0);
    while i < REGISTRY.len() {
        if REGISTRY[i].default {
            out[n] = REGISTRY[i].signal;
            n += 1;
        }
        i += 1;
    }
    out
};
