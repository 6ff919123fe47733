//! Length: how long two answers are, on a log scale (the one signal that
//! is about length; no other reduces to it).

use super::{no_detail, Definition, EvidenceKind};
use crate::signals::paired::PairedSignal;

pub(super) const DEF: Definition = Definition {
    signal: PairedSignal::Length,
    name: "length",
    description: "negative absolute difference of the answers' log word counts",
    default: true,
    pair: |a, b, _| -(a.repr.vectors.log_len - b.repr.vectors.log_len).abs(),
    profile: Some(|a, p, _| -(a.vectors.log_len - p.log_len).abs()),
    evidence: EvidenceKind::None,
    needs_masked_ngrams: false,
    reads_word_ngrams: false,
    detail: no_detail,
};
