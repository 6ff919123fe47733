//! Per-text feature extraction shared by the stylometric signals: word
//! tokens, hashed character n-gram counts and structure/format rates.
//!
//! Every feature is a *rate* or a normalised vector, except the one
//! explicit length feature (log words), so that no signal silently reduces
//! to "which model writes as long as the suspect".

use std::collections::BTreeMap;

use crate::text;

/// A sparse vector: (index, value) pairs sorted by index, no duplicates.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SparseVec(pub Vec<(u32, f32)>);

impl SparseVec {
    /// Builds from unsorted (index, value) pairs, summing duplicates.
    pub fn from_counts(map: BTreeMap<u32, f32>) -> SparseVec {
        SparseVec(map.into_iter().filter(|(_, v)| *v != 0.0).collect())
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
    pub fn mean(vs: &[&SparseVec]) -> SparseVec {
        let mut acc: BTreeMap<u32, f32> = BTreeMap::new();
        for v in vs {
            for &(k, x) in &v.0 {
                *acc.entry(k).or_insert(0.0) += x;
            }
        }
        let n = vs.len().max(1) as f32;
        SparseVec(acc.into_iter().map(|(k, v)| (k, v / n)).collect())
    }
}

/// Hash space for character n-grams: 2^20 buckets keeps collisions rare
/// for the few hundred thousand distinct n-grams of a typical corpus.
pub const CHAR_HASH_BITS: u32 = 20;

/// Hashed counts of character n-grams, n = 1..=max_n, over the case-folded
/// text with runs of whitespace collapsed to one space (so layout is
/// measured by the structure features, not twice).
pub fn char_ngram_counts(text: &str, max_n: usize) -> BTreeMap<u32, f32> {
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
    let chars: Vec<(usize, char)> = folded.char_indices().collect();
    let mask = (1u64 << CHAR_HASH_BITS) - 1;
    // Buckets are collected, sorted and counted by runs: several times
    // faster than a map insertion per n-gram, and the counts are the same
    // (whole numbers, exact in f32 below 2^24).
    let mut keys: Vec<u32> = Vec::with_capacity(chars.len() * max_n);
    for start in 0..chars.len() {
        for n in 1..=max_n {
            let end_idx = start + n;
            if end_idx > chars.len() {
                break;
            }
            let b0 = chars[start].0;
            let b1 = chars.get(end_idx).map(|c| c.0).unwrap_or(folded.len());
            // The n is mixed into the seed so "a" as a 1-gram and as part
            // of a longer gram never share a bucket by construction.
            let h = xxhash_rust::xxh3::xxh3_64_with_seed(&folded.as_bytes()[b0..b1], n as u64);
            keys.push((h & mask) as u32);
        }
    }
    keys.sort_unstable();
    // Inserted in key order (each insertion lands at the map's right
    // edge); `collect` would pull a second sort into the wasm module.
    let mut out = BTreeMap::new();
    for run in keys.chunk_by(|a, b| a == b) {
        out.insert(run[0], run.len() as f32);
    }
    out
}

/// Case-folded word tokens (UAX #29 words).
pub fn word_tokens(text: &str) -> Vec<String> {
    text::words(text)
        .into_iter()
        .map(|t| t.text.to_lowercase())
        .collect()
}

/// Names of the structure features, in the order of [`structure_features`].
pub const STRUCTURE_NAMES: [&str; 16] = [
    "log_words",
    "words_per_sentence",
    "paragraphs_per_100_words",
    "bullet_lines_share",
    "numbered_lines_share",
    "heading_lines_share",
    "bold_per_100_words",
    "code_fence_present",
    "commas_per_word",
    "colons_per_word",
    "exclamations_per_word",
    "questions_per_word",
    "parentheses_per_word",
    "quotes_per_word",
    "mean_word_length",
    "type_token_ratio_50",
];

/// Structure and format features of one text. Length enters once, as
/// `log_words`; everything else is a rate or a share.
pub fn structure_features(text: &str, words: &[String]) -> Vec<f64> {
    let n_words = words.len() as f64;
    let per_word = |count: usize| {
        if n_words > 0.0 {
            count as f64 / n_words
        } else {
            0.0
        }
    };
    let sentences = text::sentences(text).len().max(1) as f64;
    let paragraphs = text::paragraphs(text).len() as f64;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let n_lines = lines.len().max(1) as f64;
    let bullet = lines
        .iter()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with("- ") || t.starts_with("* ") || t.starts_with("• ")
        })
        .count() as f64;
    let numbered = lines
        .iter()
        .filter(|l| {
            let t = l.trim_start();
            let digits = t.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && matches!(t[digits..].chars().next(), Some('.') | Some(')'))
        })
        .count() as f64;
    let heading = lines
        .iter()
        .filter(|l| l.trim_start().starts_with('#'))
        .count() as f64;
    let count = |pat: &str| text.matches(pat).count();
    let quotes = text
        .chars()
        .filter(|c| matches!(c, '"' | '“' | '”' | '«' | '»'))
        .count();
    let mean_word_len = if words.is_empty() {
        0.0
    } else {
        words.iter().map(|w| w.chars().count()).sum::<usize>() as f64 / n_words
    };
    // Type-token ratio over windows of 50 words (MATTR), so it does not
    // fall mechanically with length as the plain TTR does.
    let ttr = mattr(words, 50);
    vec![
        crate::detmath::ln(n_words + 1.0),
        n_words / sentences,
        if n_words > 0.0 {
            100.0 * paragraphs / n_words
        } else {
            0.0
        },
        bullet / n_lines,
        numbered / n_lines,
        heading / n_lines,
        if n_words > 0.0 {
            100.0 * (count("**") / 2) as f64 / n_words
        } else {
            0.0
        },
        if count("```") > 0 { 1.0 } else { 0.0 },
        per_word(count(",")),
        per_word(count(":")),
        per_word(count("!")),
        per_word(count("?")),
        per_word(count("(")),
        per_word(quotes),
        mean_word_len,
        ttr,
    ]
}

/// Moving-average type-token ratio over windows of `w` words; the plain
/// TTR for shorter texts; 0 for no words.
pub fn mattr(words: &[String], w: usize) -> f64 {
    if words.is_empty() {
        return 0.0;
    }
    let w = w.max(1);
    if words.len() <= w {
        let distinct: std::collections::BTreeSet<&String> = words.iter().collect();
        return distinct.len() as f64 / words.len() as f64;
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &words[..w] {
        *counts.entry(t.as_str()).or_insert(0) += 1;
    }
    let mut total = counts.len() as f64;
    let windows = words.len() - w + 1;
    for i in 1..windows {
        let out = words[i - 1].as_str();
        if let Some(c) = counts.get_mut(out) {
            *c -= 1;
            if *c == 0 {
                counts.remove(out);
            }
        }
        *counts.entry(words[i + w - 1].as_str()).or_insert(0) += 1;
        total += counts.len() as f64;
    }
    total / windows as f64 / w as f64
}

/// Everything the signals need from one text, computed once.
#[derive(Clone, Debug, Default)]
pub struct TextFeatures {
    pub words: Vec<String>,
    /// Raw hashed character n-gram counts.
    pub char_counts: BTreeMap<u32, f32>,
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

    #[test]
    fn mattr_cases() {
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(mattr(&w("a a a a"), 2), 0.5);
        assert_eq!(mattr(&w("a b c d"), 2), 1.0);
        assert_eq!(mattr(&[], 2), 0.0);
    }
}
