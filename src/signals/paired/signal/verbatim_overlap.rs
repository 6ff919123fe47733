//! Verbatim overlap: the share of an answer's word 5-grams found in the
//! other answer to the same prompt, stock phrases (5-grams most
//! candidates write) discounted (Broder 1997 containment). It reads the
//! answers' n-gram sets, not their representations, and has no profile
//! form; the report shows the longest shared passages.

use super::{no_detail, Definition, EvidenceKind};
use crate::signals::paired::PairedSignal;

pub(super) const DEF: Definition = Definition {
    signal: PairedSignal::VerbatimOverlap,
    name: "verbatim_overlap",
    description: "share of the answer's word 5-grams found in the other answer, stock phrases (5-grams most candidates write) discounted",
    default: false,
    pair: |a, b, _| a.grams.containment_in(b.grams),
    profile: None,
    evidence: EvidenceKind::SharedPassages,
    needs_masked_ngrams: false,
    reads_word_ngrams: true,
    detail: no_detail,
};
