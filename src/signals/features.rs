//! The paired signals' view of one text: sparse vectors, case-folded word
//! tokens, hashed character n-gram counts of the case-folded text, and the
//! paired structure vector (all built on [`crate::features`]).
//!
//! Every feature is a *rate* or a normalised vector, except the one
//! explicit length feature (log words), so that no signal silently reduces
//! to "which model writes as long as the suspect".

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::features::for_each_char_ngram;
use crate::features::structure::Survey;
use crate::text;

/// A sparse vector: (index, value) pairs sorted by index, no duplicates.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SparseVec(pub Vec<(u32, f32)>);

impl SparseVec {
    /// Counts of keys: each distinct key with how often it occurs, in key
    /// order. Sorting and counting runs is several times faster than a map
    /// insertion per key, and the counts are the same (whole numbers,
    /// exact in f32 below 2^24).
    pub fn counting(mut keys: Vec<u32>) -> SparseVec {
        keys.sort_unstable();
        SparseVec(
            keys.chunk_by(|a, b| a == b)
                .map(|run| (run[0], run.len() as f32))
                .collect(),
        )
    }

    /// Sum of the values (in index order).
    pub fn total(&self) -> f32 {
        self.0.iter().map(|(_, v)| v).sum()
    }

    pub fn norm(&self) -> f64 {
        self.0
            .iter()
            .map(|(_, v)| (*v as f64) * (*v as f64))
            .sum::<f64>()
            .sqrt()
    }

    /// Scales to unit Euclidean length (no-op for the zero vector).
    pub fn normalized(mut self) -> SparseVec {
        let n = self.norm();
        if n > 0.0 {
            for (_, v) in self.0.iter_mut() {
                *v = (*v as f64 / n) as f32;
            }
        }
        self
    }

    /// Dot product by merging the two sorted index lists; when one list
    /// is much longer (a text against a centroid), its matches are found
    /// by binary search instead. Either way the products are summed in
    /// increasing index order, so the result is the same to the bit.
    pub fn dot(&self, other: &SparseVec) -> f64 {
        let (a, b) = if self.0.len() <= other.0.len() {
            (&self.0, &other.0)
        } else {
            (&other.0, &self.0)
        };
        if a.len() * 16 < b.len() {
            let mut rest = b.as_slice();
            let mut s = 0.0f64;
            for &(k, x) in a {
                let at = rest.partition_point(|e| e.0 < k);
                rest = &rest[at..];
                match rest.first() {
                    Some(&(kb, y)) if kb == k => s += x as f64 * y as f64,
                    Some(_) => {}
                    None => break,
                }
            }
            return s;
        }
        let (mut i, mut j, mut s) = (0, 0, 0.0f64);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    s += a[i].1 as f64 * b[j].1 as f64;
                    i += 1;
                    j += 1;
                }
            }
        }
        s
    }

    /// Cosine similarity; 0 when either vector is zero.
    pub fn cosine(&self, other: &SparseVec) -> f64 {
        let d = self.norm() * other.norm();
        if d > 0.0 {
            (self.dot(other) / d).clamp(-1.0, 1.0)
        } else {
            0.0
        }
    }

    /// Mean of several vectors (a centroid), as a sparse vector.
    ///
    /// Each index's values are added in the order of `vs`: every entry is
    /// numbered, the numbers sorted by (index, number) as plain integers,
    /// and each index's run summed (the order a map accumulating vector by
    /// vector adds them in, without a map insertion per entry).
    pub fn mean(vs: &[&SparseVec]) -> SparseVec {
        let values: Vec<f32> = vs.iter().flat_map(|v| v.0.iter().map(|e| e.1)).collect();
        let mut order: Vec<u64> = vs
            .iter()
            .flat_map(|v| v.0.iter().map(|e| e.0))
            .enumerate()
            .map(|(at, k)| u64::from(k) << 32 | at as u64)
            .collect();
        order.sort_unstable();
        let n = vs.len().max(1) as f32;
        SparseVec(
            order
                .chunk_by(|a, b| a >> 32 == b >> 32)
                .map(|run| {
                    let sum = run
                        .iter()
                        .fold(0.0f32, |s, &e| s + values[e as u32 as usize]);
                    ((run[0] >> 32) as u32, sum / n)
                })
                .collect(),
        )
    }
}

/// Hash space for character n-grams: 2^20 buckets keeps collisions rare
/// for the few hundred thousand distinct n-grams of a typical corpus.
pub const CHAR_HASH_BITS: u32 = 20;

/// Hashed counts of character n-grams, n = 1..=max_n, over the case-folded
/// text with runs of whitespace collapsed to one space (so layout is
/// measured by the structure features, not twice).
pub fn char_ngram_counts(text: &str, max_n: usize) -> SparseVec {
    let folded: String = {
        let mut s = String::with_capacity(text.len());
        let mut last_space = false;
        for c in text.chars().flat_map(char::to_lowercase) {
            if c.is_whitespace() {
                if !last_space {
                    s.push(' ');
                }
                last_space = true;
            } else {
                s.push(c);
                last_space = false;
            }
        }
        s
    };
    let mask = (1u64 << CHAR_HASH_BITS) - 1;
    let mut keys: Vec<u32> = Vec::with_capacity(folded.len() * max_n);
    // The n is mixed into the seed so "a" as a 1-gram and as part of a
    // longer gram never share a bucket by construction.
    for_each_char_ngram(&folded, (1, max_n), |n, gram| {
        keys.push((xxh3_64_with_seed(gram, n as u64) & mask) as u32)
    });
    SparseVec::counting(keys)
}

/// Case-folded word tokens (UAX #29 words).
pub fn word_tokens(text: &str) -> Vec<String> {
    text::words(text)
        .into_iter()
        .map(|t| t.text.to_lowercase())
        .collect()
}

/// Names of the paired structure features, in the order of
/// [`structure_features`].
pub use crate::features::structure::PAIRED_NAMES as STRUCTURE_NAMES;

/// Structure and format features of one text (see
/// [`Survey::paired`]): length enters once, as `log_words`; everything
/// else is a rate or a share.
pub fn structure_features(text: &str, words: &[String]) -> Vec<f64> {
    Survey::of(text, words).paired().to_vec()
}

/// Everything the signals need from one text, computed once.
#[derive(Clone, Debug, Default)]
pub struct TextFeatures {
    pub words: Vec<String>,
    /// Raw hashed character n-gram counts.
    pub char_counts: SparseVec,
    pub structure: Vec<f64>,
}

impl TextFeatures {
    pub fn of(text: &str, max_char_n: usize) -> TextFeatures {
        let words = word_tokens(text);
        let structure = structure_features(text, &words);
        TextFeatures {
            char_counts: char_ngram_counts(text, max_char_n),
            words,
            structure,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_cases() {
        let a = SparseVec(vec![(1, 1.0), (3, 2.0)]);
        let b = SparseVec(vec![(3, 1.0), (4, 5.0)]);
        assert_eq!(a.dot(&b), 2.0);
        assert!((a.cosine(&a) - 1.0).abs() < 1e-6);
        assert_eq!(a.cosine(&SparseVec::default()), 0.0);
    }

    #[test]
    fn structure_cases() {
        // (text, feature name, expected value)
        let cases: &[(&str, &str, f64)] = &[
            ("- a\n- b\n", "bullet_lines_share", 1.0),
            ("1. a\n2) b\nc\n", "numbered_lines_share", 2.0 / 3.0),
            ("# T\nbody", "heading_lines_share", 0.5),
            ("One two. Three four.", "words_per_sentence", 2.0),
            ("```\ncode\n```", "code_fence_present", 1.0),
            ("", "log_words", 0.0),
        ];
        for (text, name, want) in cases {
            let w = word_tokens(text);
            let f = structure_features(text, &w);
            let i = STRUCTURE_NAMES.iter().position(|n| n == name).unwrap();
            assert!((f[i] - want).abs() < 1e-9, "{text:?} {name}: {}", f[i]);
        }
    }
}
