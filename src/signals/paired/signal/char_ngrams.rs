//! Character n-grams: the wording and spelling of two answers.

use super::{no_detail, Definition, EvidenceKind};
use crate::signals::paired::PairedSignal;

pub(super) const DEF: Definition = Definition {
    signal: PairedSignal::CharNgrams,
    name: "char_ngrams",
    description:
        "cosine of character n-gram tf-idf vectors of the two answers to a prompt (wording)",
    default: true,
    pair: |a, b, _| a.repr.vectors.chars.dot(&b.repr.vectors.chars),
    profile: Some(|a, p, _| a.vectors.chars.dot(&p.chars)),
    evidence: EvidenceKind::None,
    needs_masked_ngrams: false,
    reads_word_ngrams: false,
    detail: no_detail,
};
