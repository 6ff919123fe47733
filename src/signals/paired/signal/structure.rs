//! Structure: layout and punctuation rates (lists, headings, bold,
//! sentence length, ...), z-scored, length excluded (it is a signal of
//! its own). The report shows the suspect's rates next to the best
//! candidate's whether or not the combined score uses the signal.

use super::{no_detail, Definition, EvidenceKind};
use crate::signals::paired::{rms_diff, PairedSignal};

pub(super) const DEF: Definition = Definition {
    signal: PairedSignal::Structure,
    name: "structure",
    description: "negative RMS distance of z-scored layout and punctuation rates (lists, headings, bold, sentence length, ...)",
    default: false,
    pair: |a, b, _| -rms_diff(&a.repr.vectors.structure, &b.repr.vectors.structure),
    profile: Some(|a, p, _| -rms_diff(&a.vectors.structure, &p.structure)),
    evidence: EvidenceKind::StructureSideBySide,
    needs_masked_ngrams: false,
    reads_word_ngrams: false,
    detail: no_detail,
};
