//! Verbatim overlap's per-text material, built once per text and shared:
//! the hashes of its word k-grams in order ([`KgramSequence`]) and its
//! n-gram sets with boilerplate discounted ([`NgramSets`]).

use super::{Boilerplate, Words};

/// A text's word n-grams as [`containment_with`](super::containment_with) reads them, built once so
/// that comparing one text with many others never re-tokenises it: every
/// distinct n-gram (what another text's n-grams are looked up in) and the
/// distinct n-grams not covered by boilerplate (the text's own, what its
/// containment in another text counts). Both sorted.
///
/// In an analysis each answer is compared with up to k² others; building
/// these once per answer instead of tokenising both texts per comparison
/// took verbatim overlap from 6% of an analysis's instructions to under 1%
/// (dev data, ten sources, callgrind).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NgramSets {
    all: Vec<u64>,
    own: Vec<u64>,
}

impl NgramSets {
    /// No n-grams: contained in nothing, containing nothing.
    pub const EMPTY: NgramSets = NgramSets {
        all: Vec::new(),
        own: Vec::new(),
    };

    /// The n-gram sets of `text`, boilerplate discounted.
    pub fn of(text: &str, n: usize, boilerplate: &Boilerplate) -> Self {
        let words = Words::new(text);
        let hashes = words.ngram_hashes(n);
        if boilerplate.k == n {
            return Self::from_sequence(&KgramSequence { k: n, hashes }, boilerplate);
        }
        let mask = boilerplate_mask(&words.ngram_hashes(boilerplate.k), words.len(), boilerplate);
        Self::from_hashes(hashes, n, &mask)
    }

    /// The sets of a text whose k-gram sequence is already known, with a
    /// boilerplate set of the same k (one of another k discounts nothing).
    pub fn from_sequence(seq: &KgramSequence, boilerplate: &Boilerplate) -> Self {
        let words = if seq.hashes.is_empty() {
            0
        } else {
            seq.hashes.len() + seq.k - 1
        };
        let mask = if boilerplate.k == seq.k {
            boilerplate_mask(&seq.hashes, words, boilerplate)
        } else {
            vec![false; words]
        };
        Self::from_hashes(seq.hashes.clone(), seq.k, &mask)
    }

    fn from_hashes(mut hashes: Vec<u64>, n: usize, covered: &[bool]) -> Self {
        let mut own: Vec<u64> = hashes
            .iter()
            .enumerate()
            .filter(|&(i, _)| !covered[i..i + n].iter().all(|&m| m))
            .map(|(_, &h)| h)
            .collect();
        own.sort_unstable();
        own.dedup();
        hashes.sort_unstable();
        hashes.dedup();
        NgramSets { all: hashes, own }
    }

    /// Containment of this text in `other`: the share of this text's own
    /// n-grams that `other` has; 0 when it has none.
    pub fn containment_in(&self, other: &NgramSets) -> f64 {
        if self.own.is_empty() {
            return 0.0;
        }
        crate::signals::paired::intersection(&self.own, &other.all) as f64 / self.own.len() as f64
    }
}

/// The hashes of a text's word k-grams in order: the material of a
/// [`Boilerplate`] set and of [`NgramSets`], computed once per text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KgramSequence {
    pub(super) k: usize,
    pub(super) hashes: Vec<u64>,
}

impl KgramSequence {
    pub fn of(text: &str, k: usize) -> Self {
        KgramSequence {
            k,
            hashes: Words::new(text).ngram_hashes(k),
        }
    }
}

/// Which of a text's `words` words are covered by a boilerplate k-gram,
/// from the hashes of its k-grams in order.
fn boilerplate_mask(kgrams: &[u64], words: usize, boilerplate: &Boilerplate) -> Vec<bool> {
    let mut mask = vec![false; words];
    if boilerplate.is_empty() {
        return mask;
    }
    for (i, h) in kgrams.iter().enumerate() {
        if boilerplate.contains(*h) {
            mask[i..i + boilerplate.k]
                .iter_mut()
                .for_each(|m| *m = true);
        }
    }
    mask
}
