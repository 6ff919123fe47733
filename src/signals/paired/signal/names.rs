//! Names: the names and examples two answers bring up.

use super::{no_detail, Definition, EvidenceKind};
use crate::signals::paired::{overlap_coefficient, PairedSignal};

pub(super) const DEF: Definition = Definition {
    signal: PairedSignal::Names,
    name: "names",
    description: "overlap of the capitalised words of the two answers to a prompt (names and examples brought up)",
    default: true,
    pair: |a, b, _| overlap_coefficient(&a.repr.names, &b.repr.names),
    profile: None,
    evidence: EvidenceKind::None,
    needs_masked_ngrams: false,
    reads_word_ngrams: false,
    detail: no_detail,
};
