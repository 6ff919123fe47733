//! Words: the content two answers choose.

use super::{no_detail, Definition, EvidenceKind};
use crate::signals::paired::PairedSignal;

pub(super) const DEF: Definition = Definition {
    signal: PairedSignal::Words,
    name: "words",
    description: "cosine of word tf-idf vectors of the two answers to a prompt (content chosen)",
    default: true,
    pair: |a, b, _| a.repr.vectors.words.dot(&b.repr.vectors.words),
    profile: Some(|a, p, _| a.vectors.words.dot(&p.words)),
    evidence: EvidenceKind::None,
    needs_masked_ngrams: false,
    reads_word_ngrams: false,
    detail: no_detail,
};
