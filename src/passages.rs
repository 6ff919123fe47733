//! Shared passages across a large corpus: which pairs of texts share a
//! verbatim passage of at least `min_words` words, wherever it sits in
//! either text.
//!
//! # Method: local MinHash sketches, LSH buckets, exact verification
//!
//! Whole-text MinHash estimates Jaccard similarity, which a 30-word
//! passage copied into a 1000-word answer barely moves. Here each text is
//! sketched *locally*: over every window of `min_words - k + 1`
//! consecutive word k-grams, the k-gram with the smallest hash (a MinHash
//! of the window under one hash function; the same selection as
//! winnowing, Schleimer et al. 2003) is kept. Two texts sharing a passage
//! of at least `min_words` words share a whole window, hence its minimum:
//! the guarantee holds however long either text is (containment, not
//! resemblance). Every selected hash is an LSH bucket key; texts in the
//! same bucket are candidate pairs.
//!
//! A bucket that more than [`PassageOptions::max_bucket`] texts fall into
//! is a stock phrase ("I hope this helps ..."), not a copied passage; it
//! is dropped and counted, since its pairs would grow quadratically.
//!
//! Every candidate pair is then verified word by word
//! ([`crate::signals::overlap::shared_spans`]): a hash collision cannot
//! produce a hit, and each reported passage is maximal.
//!
//! # Scale
//!
//! [`sketch`] is a pure function of one text (a map step), and the
//! buckets ([`candidate_pairs`]) are a group-by on the key (a shuffle):
//! the same two steps run on one machine here and as a map + shuffle on a
//! distributed engine (docs/PERFORMANCE.md). A sketch costs 8 bytes per
//! selected k-gram, about `2 / (window + 1)` of the words.

mod totals;

pub use totals::{echoes_prompt, pair_totals, PairTotal, Shared};

use crate::error::Error;
use crate::options::{check_count, OptionArgs};
use crate::signals::overlap::{self, Boilerplate, OverlapOptions, SharedSpan};
use crate::text;

/// Options of the passage finder. Front ends other than the CLI (the
/// Python package) take them as a [`PassageArgs`] object; they serialise
/// (camelCase: `minWords`, `k`, `maxBucket`) to show the defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PassageOptions {
    /// Shortest passage that must be found, in words.
    pub min_words: usize,
    /// Words per k-gram (at most `min_words`).
    pub k: usize,
    /// Buckets holding more texts than this are dropped as stock phrases.
    pub max_bucket: usize,
}

impl Default for PassageOptions {
    fn default() -> Self {
        Self {
            min_words: 20,
            // Long enough that unrelated texts rarely share a k-gram by
            // chance (each chance collision costs a verification), short
            // enough for a dense sketch: 2 / 12 of the words at 20.
            k: 10,
            max_bucket: 64,
        }
    }
}

/// Longest `min_words` accepted by [`PassageOptions::validate`]: a
/// passage search for longer runs is a search for whole duplicates.
pub const MAX_MIN_WORDS: usize = 10_000;

impl PassageOptions {
    /// Checks the ranges: `min_words` 1..=[`MAX_MIN_WORDS`], `k`
    /// 1..=`min_words`, `max_bucket` at least 2 (a bucket of one text
    /// pairs nothing); the error is a `BAD_ARGUMENT` naming the field.
    pub fn validate(&self) -> Result<(), Error> {
        check_count("minWords", self.min_words, 1, MAX_MIN_WORDS)?;
        check_count("k", self.k, 1, self.min_words)?;
        check_count("maxBucket", self.max_bucket, 2, usize::MAX)
    }

    /// k-gram length and window actually used (k clamped to 1..=min_words).
    pub fn overlap_options(&self) -> OverlapOptions {
        let min_words = self.min_words.max(1);
        let k = self.k.clamp(1, min_words);
        OverlapOptions {
            k,
            window: min_words - k + 1,
        }
    }
}

/// The passage options as the CLI and the Python package take them,
/// every field optional (camelCase: `minWords`, `k`, `maxBucket`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PassageArgs {
    pub min_words: Option<usize>,
    /// Left out: the default k, shortened to `minWords` when that is
    /// shorter (a 5-word passage is found with 5-word k-grams).
    pub k: Option<usize>,
    pub max_bucket: Option<usize>,
}

impl OptionArgs for PassageArgs {
    type Options = PassageOptions;

    fn to_options(&self) -> Result<PassageOptions, Error> {
        let d = PassageOptions::default();
        let min_words = self.min_words.unwrap_or(d.min_words);
        let opts = PassageOptions {
            min_words,
            k: self.k.unwrap_or(d.k.min(min_words.max(1))),
            max_bucket: self.max_bucket.unwrap_or(d.max_bucket),
        };
        opts.validate()?;
        Ok(opts)
    }
}

/// Hash of one case-folded word (ASCII folded without allocating).
fn word_hash(word: &str, buf: &mut String) -> u64 {
    buf.clear();
    if word.is_ascii() {
        buf.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        buf.push_str(&word.to_lowercase());
    }
    xxhash_rust::xxh3::xxh3_64(buf.as_bytes())
}

/// Order-dependent combination of k word hashes into a k-gram hash.
fn kgram_hash(words: &[u64]) -> u64 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
    for &w in words {
        h = (h.rotate_left(23) ^ w).wrapping_mul(0xff51_afd7_ed55_8ccd);
    }
    h ^ (h >> 29)
}

/// The local MinHash sketch of a text: the distinct minimum k-gram hashes
/// of every window (see the module documentation), sorted. A text shorter
/// than one window keeps its minimum; a text with fewer than k words has
/// an empty sketch (it cannot hold a passage).
pub fn sketch(text: &str, opts: &PassageOptions) -> Vec<u64> {
    let OverlapOptions { k, window } = opts.overlap_options();
    let mut buf = String::new();
    let words: Vec<u64> = text::words(text)
        .iter()
        .map(|t| word_hash(t.text, &mut buf))
        .collect();
    if words.len() < k {
        return Vec::new();
    }
    let grams: Vec<u64> = words.windows(k).map(kgram_hash).collect();
    let w = window.min(grams.len());
    // Sliding-window minimum with a monotone deque of positions.
    let mut out = Vec::with_capacity(2 * grams.len() / (w + 1) + 1);
    let mut deque = std::collections::VecDeque::with_capacity(w);
    for (i, &g) in grams.iter().enumerate() {
        while deque.back().is_some_and(|&j: &usize| grams[j] >= g) {
            deque.pop_back();
        }
        deque.push_back(i);
        if deque.front().is_some_and(|&j| j + w <= i) {
            deque.pop_front();
        }
        if i + 1 >= w {
            out.push(grams[deque[0]]);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Candidate pairs from `(bucket key, text id)` entries (each text's
/// sketch, flattened): pairs `(a, b)`, `a < b`, sharing at least one
/// bucket of at most `max_bucket` texts, sorted and distinct. Also
/// returns the number of buckets dropped as too full.
pub fn candidate_pairs(
    mut entries: Vec<(u64, u32)>,
    max_bucket: usize,
) -> (Vec<(u32, u32)>, usize) {
    entries.sort_unstable();
    entries.dedup();
    let mut pairs = Vec::new();
    let mut dropped = 0;
    for bucket in entries.chunk_by(|x, y| x.0 == y.0) {
        if bucket.len() < 2 {
            continue;
        }
        if bucket.len() > max_bucket {
            dropped += 1;
            continue;
        }
        for (i, &(_, a)) in bucket.iter().enumerate() {
            for &(_, b) in &bucket[i + 1..] {
                pairs.push((a, b));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    (pairs, dropped)
}

/// The verified shared passages of one candidate pair: maximal runs of
/// equal case-folded words, at least `min_words` long, longest first.
pub fn verify(a: &str, b: &str, opts: &PassageOptions) -> Vec<SharedSpan> {
    let min_words = opts.min_words.max(1);
    overlap::shared_spans(a, b, &opts.overlap_options(), &Boilerplate::none())
        .into_iter()
        .filter(|s| s.words >= min_words)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILLER_A: &str = "Rivers carve valleys slowly over many thousands of years while \
        glaciers grind mountains into gravel and sand that winds carry far away";
    const FILLER_B: &str = "Markets open early on weekdays and traders watch prices move \
        as news arrives from distant cities across several different time zones today";
    const PASSAGE: &str = "the mitochondria is the powerhouse of the cell and it turns \
        sugar and oxygen into the energy that every living cell needs";

    #[test]
    fn containment_finds_a_short_passage_in_long_texts() {
        // (text a, text b, expected passage words or 0 for none)
        let long_a = format!("{FILLER_A}. {FILLER_A}. {PASSAGE}. {FILLER_A}.");
        let long_b = format!("{FILLER_B}! {PASSAGE}! {FILLER_B}. {FILLER_B}.");
        let cases: &[(&str, &str, usize)] = &[
            (&long_a, &long_b, 22),
            (PASSAGE, &long_b, 22),
            (FILLER_A, FILLER_B, 0),
            ("", PASSAGE, 0),
        ];
        let opts = PassageOptions::default();
        for (a, b, want) in cases {
            let (sa, sb) = (sketch(a, &opts), sketch(b, &opts));
            let shared = sa.iter().any(|h| sb.binary_search(h).is_ok());
            let found = verify(a, b, &opts);
            assert_eq!(found.first().map_or(0, |s| s.words), *want, "{a:?}");
            // The sketch guarantee: a verified passage implies a shared bucket.
            if *want > 0 {
                assert!(shared, "sketches share no bucket for {a:?}");
            }
        }
    }

    #[test]
    fn options_read_from_json_fill_defaults_and_validate() {
        // (JSON object, Ok(options) or Err(message fragment))
        let d = PassageOptions::default();
        let cases: &[(&str, Result<PassageOptions, &str>)] = &[
            ("{}", Ok(d)),
            (
                r#"{"minWords": 8, "k": 5, "maxBucket": 3}"#,
                Ok(PassageOptions {
                    min_words: 8,
                    k: 5,
                    max_bucket: 3,
                }),
            ),
            (
                r#"{"minWords": 0}"#,
                Err("minWords must be between 1 and 10000, got 0"),
            ),
            (
                r#"{"minWords": 8}"#,
                Ok(PassageOptions {
                    min_words: 8,
                    k: 8,
                    ..d
                }),
            ),
            (
                r#"{"minWords": 8, "k": 10}"#,
                Err("k must be between 1 and 8, got 10"),
            ),
            (
                r#"{"maxBucket": 1}"#,
                Err("maxBucket must be at least 2, got 1"),
            ),
            (r#"{"min_words": 8}"#, Err("unknown field `min_words`")),
            (r#"{"k": -1}"#, Err("invalid value: integer `-1`")),
        ];
        for (json, want) in cases {
            let got = serde_json::from_str::<PassageArgs>(json)
                .map_err(|e| e.to_string())
                .and_then(|a| a.to_options().map_err(|e| e.to_string()));
            match (got, want) {
                (Ok(o), Ok(w)) => assert_eq!(o, *w, "{json}"),
                (Err(e), Err(w)) => assert!(e.contains(w), "{json}: {e}"),
                (got, want) => panic!("{json}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn buckets_pair_texts_and_drop_full_ones() {
        // (entries, max_bucket, pairs, dropped)
        type Case<'a> = (&'a [(u64, u32)], usize, &'a [(u32, u32)], usize);
        let cases: &[Case] = &[
            (&[(1, 0), (1, 2), (2, 1)], 8, &[(0, 2)], 0),
            (&[(1, 0), (1, 1), (1, 2)], 2, &[], 1),
            (&[(1, 0), (1, 1), (2, 0), (2, 1)], 8, &[(0, 1)], 0),
            (&[], 8, &[], 0),
        ];
        for (entries, max, pairs, dropped) in cases {
            let (p, d) = candidate_pairs(entries.to_vec(), *max);
            assert_eq!((p.as_slice(), d), (*pairs, *dropped), "{entries:?}");
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Law: a passage of min_words words planted in two unrelated
        /// texts always puts them in a common bucket, and verification
        /// finds it whole.
        #[test]
        fn planted_passage_always_shares_a_bucket(
            pre_a in proptest::collection::vec("[a-z]{1,8}", 0..60),
            pre_b in proptest::collection::vec("[A-Z]{1,8}", 0..60),
            passage in proptest::collection::vec("[0-9]{1,4}", 20..30),
        ) {
            let opts = PassageOptions::default();
            let p = passage.join(" ");
            let a = format!("{} {p}", pre_a.join(" "));
            let b = format!("{p} {}", pre_b.join(" "));
            let (sa, sb) = (sketch(&a, &opts), sketch(&b, &opts));
            prop_assert!(sa.iter().any(|h| sb.binary_search(h).is_ok()));
            prop_assert!(verify(&a, &b, &opts).iter().any(|s| s.words >= passage.len()));
        }
    }
}
