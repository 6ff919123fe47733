//! Word pairs: the phrasing two answers share. Off by default: phrasing
//! is form every chat assistant shares, which puts a human-answer control
//! far from all of them (`PairedSignal::DEFAULT`).

use super::{no_detail, Definition, EvidenceKind};
use crate::signals::paired::{overlap_coefficient, PairedSignal};

pub(super) const DEF: Definition = Definition {
    signal: PairedSignal::WordPairs,
    name: "word_pairs",
    description: "overlap of the distinct word bigrams of the two answers to a prompt (phrasing)",
    default: false,
    pair: |a, b, _| overlap_coefficient(&a.repr.pairs, &b.repr.pairs),
    profile: None,
    evidence: EvidenceKind::None,
    needs_masked_ngrams: false,
    reads_word_ngrams: false,
    detail: no_detail,
};
