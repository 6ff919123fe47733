//! Masked characters: style without content. The character n-grams of
//! the texts with every rare word's letters replaced by `*` (Stamatatos
//! 2017); the embedder computes them only when this signal is asked for.

use super::{no_detail, Definition, EvidenceKind};
use crate::signals::paired::PairedSignal;

pub(super) const DEF: Definition = Definition {
    signal: PairedSignal::MaskedChars,
    name: "masked_chars",
    description: "cosine of character n-grams of the topic-masked answers (rare words' letters masked: style without content)",
    default: false,
    pair: |a, b, _| a.repr.vectors.masked.dot(&b.repr.vectors.masked),
    profile: Some(|a, p, _| a.vectors.masked.dot(&p.masked)),
    evidence: EvidenceKind::None,
    needs_masked_ngrams: true,
    reads_word_ngrams: false,
    detail: no_detail,
};
