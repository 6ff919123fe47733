//! Opening: the formula two answers start with ("Sure! Here are").

use super::{no_detail, Definition, EvidenceKind};
use crate::signals::paired::{jaccard, PairedSignal};

pub(super) const DEF: Definition = Definition {
    signal: PairedSignal::Opening,
    name: "opening",
    description:
        "Jaccard similarity of the first six words of the two answers to a prompt (opening formula)",
    default: false,
    pair: |a, b, _| jaccard(&a.repr.opening, &b.repr.opening),
    profile: None,
    evidence: EvidenceKind::None,
    needs_masked_ngrams: false,
    reads_word_ngrams: false,
    detail: no_detail,
};
