//! Feature extraction: hashed character and word n-grams, and a few
//! length-robust structure rates.
//!
//! Every n-gram is hashed with xxh3 (seedless, platform-stable) into a space
//! of `2^hash_bits` buckets; a second bit of the hash gives the sign of the
//! count (signed hashing, Weinberger et al. 2009) so that two n-grams that
//! collide in one bucket cancel on average instead of adding up.

use std::collections::{HashMap, HashSet};

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::features::structure::Survey;
use crate::features::{for_each_char_ngram, lowercased, mask_topic};
use crate::stats::FixedState;
use crate::text;

/// Marks the start and end of a text for character n-grams, so the opening
/// ("Sure! Here") and closing ("helps!") of an answer are features of their
/// own. Both are control characters that never occur in real answers.
const TEXT_START: char = '\u{2}';
const TEXT_END: char = '\u{3}';

/// Seeds that keep the n-gram families apart in the hash space.
const CHAR_SEED: u64 = 0x6368_6172; // "char"
const MASKED_SEED: u64 = 0x6d61_736b; // "mask"
const WORD_SEED: u64 = 0x776f_7264; // "word"

/// A feature key is its bucket with the block in the top two bits; blocks
/// are weighted and normalised separately.
pub(crate) const BLOCK_SHIFT: u32 = 29;
/// Number of blocks the key layout has room for.
pub(crate) const N_BLOCKS: usize = 8;
/// Character n-grams of the text as written.
pub(crate) const CHAR_BLOCK: u32 = 0;
/// Character n-grams of the topic-masked text.
pub(crate) const MASKED_BLOCK: u32 = 1;
/// Case-folded word n-grams.
pub(crate) const WORD_BLOCK: u32 = 2;
/// Word n-grams at the edges of the text and of its paragraphs.
pub(crate) const EDGE_BLOCK: u32 = 3;
/// Word n-grams of the topic-masked word sequence (rare words become `*`).
pub(crate) const MASKED_WORD_BLOCK: u32 = 4;
const MASKED_WORD_SEED: u64 = 0x6d77_6f72; // "mwor"

/// Words at the start and at the end of a text whose n-grams are edge
/// features.
const EDGE_WORDS: usize = 4;
/// Seeds of the three kinds of edge n-grams.
const OPENING_SEED: u64 = 0x6f70_656e; // "open"
const CLOSING_SEED: u64 = 0x636c_6f73; // "clos"
const PARAGRAPH_SEED: u64 = 0x7061_7261; // "para"

/// Number of structure features returned by [`structure`].
pub(crate) const N_STRUCTURE: usize = 20;
/// Number of length features (see [`FeatureConfig::length`]).
pub(crate) const N_LENGTH: usize = 2;

/// Names of the structure features, in the order [`structure`] returns them.
pub use crate::features::structure::DAMPED_NAMES as STRUCTURE_NAMES;

/// A text's raw features before idf weighting and normalisation.
#[derive(Clone, Debug)]
pub(crate) struct RawDoc {
    /// (key, signed count), sorted by key, zero counts dropped.
    pub sparse: Vec<(u32, i32)>,
    /// Structure features, then length features, each only when enabled.
    pub dense: Vec<f64>,
}

/// Which features to extract.
#[derive(Clone, Debug)]
pub(crate) struct FeatureConfig {
    pub char_ngrams: (usize, usize),
    pub masked_ngrams: (usize, usize),
    pub word_ngrams: (usize, usize),
    /// Opening, closing and paragraph-opening word n-grams.
    pub edges: bool,
    /// Word n-gram lengths over the topic-masked word sequence.
    pub masked_word_ngrams: (usize, usize),
    pub hash_bits: u32,
    pub structure: bool,
    /// Append ln(characters) and ln(words): off by default, because answer
    /// length differs tenfold between models and a student need not write
    /// as long as its teacher.
    pub length: bool,
    /// Words kept by the topic mask (case-folded), see [`mask_topic`]. A
    /// hash set: it is only ever looked up, so its order cannot matter.
    pub frequent: HashSet<String, FixedState>,
}

/// The `n` most frequent case-folded words of the texts (ties broken
/// alphabetically, so the list is deterministic).
pub(crate) fn frequent_words(texts: &[&str], n: usize) -> HashSet<String, FixedState> {
    let mut counts: HashMap<String, usize, FixedState> = HashMap::default();
    let mut lower = String::new();
    for t in texts {
        for w in text::words(t) {
            let word = lowercased(w.text, &mut lower);
            match counts.get_mut(word) {
                Some(n) => *n += 1,
                None => {
                    counts.insert(word.to_string(), 1);
                }
            }
        }
    }
    // Every word once: the ranking below orders them fully.
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    crate::sort::stable_sort_by(&mut ranked, |a, b| {
        b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))
    });
    ranked.into_iter().take(n).map(|(w, _)| w).collect()
}

impl FeatureConfig {
    /// Extracts the raw features of one text.
    pub fn extract(&self, text: &str) -> RawDoc {
        let mask = (1u64 << self.hash_bits) - 1;
        let mut hashed: Vec<(u32, i32)> = Vec::with_capacity(text.len() * 6);
        let mut push = |h: u64, block: u32| {
            let bucket = (h & mask) as u32 | (block << BLOCK_SHIFT);
            let sign = if h >> 63 == 0 { 1 } else { -1 };
            hashed.push((bucket, sign));
        };

        // Character n-grams, case kept: capitalisation is part of a style.
        char_ngrams(text, self.char_ngrams, CHAR_SEED, &mut |h| {
            push(h, CHAR_BLOCK)
        });
        if self.masked_ngrams.1 > 0 {
            let masked = mask_topic(text, |w| self.frequent.contains(w));
            char_ngrams(&masked, self.masked_ngrams, MASKED_SEED, &mut |h| {
                push(h, MASKED_BLOCK)
            });
        }

        // Word n-grams over case-folded UAX #29 words; an n-gram's hash
        // combines its words' hashes, so no string is built per n-gram.
        let (wmin, wmax) = self.word_ngrams;
        if wmax > 0 || self.edges || self.masked_word_ngrams.1 > 0 {
            let tokens = text::words(text);
            let folded: Vec<String> = tokens.iter().map(|w| w.text.to_lowercase()).collect();
            let mut word_hashes: Vec<u64> = folded
                .iter()
                .map(|w| xxh3_64_with_seed(w.as_bytes(), WORD_SEED))
                .collect();
            // The masked sequence first ("it is * to *", "here are some *
            // for"): syntax and formulas without the topic words.
            if self.masked_word_ngrams.1 > 0 {
                let star = xxh3_64_with_seed(b"*", WORD_SEED);
                let masked: Vec<u64> = folded
                    .iter()
                    .zip(&word_hashes)
                    .map(|(w, &h)| if self.frequent.contains(w) { h } else { star })
                    .collect();
                let (lo, hi) = self.masked_word_ngrams;
                for start in 0..masked.len() {
                    let mut h = MASKED_WORD_SEED;
                    for n in 1..=hi {
                        if start + n > masked.len() {
                            break;
                        }
                        h = mix(h, masked[start + n - 1]);
                        if n >= lo.max(1) {
                            push(h, MASKED_WORD_BLOCK);
                        }
                    }
                }
            }
            let word_hashes = std::mem::take(&mut word_hashes);
            // All n-grams of `hashes[from..to]`, lengths lo..=hi, seeded.
            let mut ngrams = |from: usize, to: usize, (lo, hi): (usize, usize), seed, block| {
                for start in from..to {
                    let mut h = seed;
                    for n in 1..=hi {
                        if start + n > to {
                            break;
                        }
                        h = mix(h, word_hashes[start + n - 1]);
                        if n >= lo.max(1) {
                            push(h, block);
                        }
                    }
                }
            };
            if wmax > 0 {
                ngrams(0, word_hashes.len(), (wmin, wmax), WORD_SEED, WORD_BLOCK);
            }
            if self.edges {
                // How an answer opens ("Sure! Here are"), closes ("I hope
                // this helps") and opens its paragraphs ("Overall,", "In
                // summary"): formulas that are habits, not topics.
                let n = word_hashes.len();
                let opening = EDGE_WORDS.min(n);
                ngrams(0, opening, (1, 3), OPENING_SEED, EDGE_BLOCK);
                ngrams(n - EDGE_WORDS.min(n), n, (1, 3), CLOSING_SEED, EDGE_BLOCK);
                // The first two words of each paragraph ("Overall,", "In
                // summary"). Sentence openers were tried too and lowered
                // accuracy on the dev data: too many, too topical.
                for (pieces, seed) in [(text::paragraphs(text), PARAGRAPH_SEED)] {
                    let mut w = 0;
                    for p in pieces {
                        while w < n && tokens[w].span.start < p.span.start {
                            w += 1;
                        }
                        if w < n && tokens[w].span.start < p.span.end {
                            ngrams(w, (w + 2).min(n), (1, 2), seed, EDGE_BLOCK);
                        }
                    }
                }
            }
        }

        hashed.sort_unstable_by_key(|&(k, _)| k);
        let mut sparse: Vec<(u32, i32)> = Vec::with_capacity(hashed.len() / 2);
        for (key, sign) in hashed {
            match sparse.last_mut() {
                Some(last) if last.0 == key => last.1 += sign,
                _ => sparse.push((key, sign)),
            }
        }
        sparse.retain(|&(_, c)| c != 0);

        let mut dense = Vec::new();
        if self.structure {
            dense.extend_from_slice(&structure(text));
        }
        if self.length {
            let words = text::words(text).len();
            dense.push(crate::detmath::ln(1.0 + text.chars().count() as f64));
            dense.push(crate::detmath::ln(1.0 + words as f64));
        }
        RawDoc { sparse, dense }
    }
}

/// Hashes of the character n-grams of `text` between start and end
/// markers, so the opening ("Sure! Here") and closing ("helps!") of an
/// answer are features of their own.
fn char_ngrams(text: &str, (min, max): (usize, usize), seed: u64, sink: &mut dyn FnMut(u64)) {
    if max == 0 {
        return;
    }
    let mut padded = String::with_capacity(text.len() + 2);
    padded.push(TEXT_START);
    padded.push_str(text);
    padded.push(TEXT_END);
    for_each_char_ngram(&padded, (min, max), |_, gram| {
        sink(xxh3_64_with_seed(gram, seed))
    });
}

/// Order-dependent combination of two 64-bit hashes (a multiply-xorshift
/// step as in SplitMix64), so "is not" and "not is" differ.
fn mix(h: u64, x: u64) -> u64 {
    let mut z = (h ^ x.rotate_left(17)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z ^= z >> 31;
    z = z.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z ^ (z >> 29)
}

/// Length-robust structure features of a text ([`Survey::damped`]):
/// rates per 100 words, shares and means, never raw lengths, because
/// answer length differs up to tenfold between models and must not decide
/// an attribution alone. The order is that of [`STRUCTURE_NAMES`].
pub fn structure(text: &str) -> [f64; N_STRUCTURE] {
    let words: Vec<&str> = text::words(text).into_iter().map(|w| w.text).collect();
    Survey::of(text, &words).damped()
}
