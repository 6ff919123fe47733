//! Stylometric profile of one text, and of a source (many texts merged).
//!
//! OWNER: text-layer helper. The struct below is the contract the wasm
//! boundary maps to a camelCase DTO; fields may be added, not removed.
//!
//! # What is counted, and on what
//!
//! A text is first normalised ([`crate::text::normalize()`]). Then:
//!
//! - **Character n-grams** (n = 1..=[`ProfileOptions::max_char_ngram`])
//!   run over the whole normalised text as written: case, spaces, line
//!   breaks and Markdown markup included, because those are habits too.
//! - **Words, sentences and punctuation** are read from the *content* of
//!   each line: the line without its Markdown block marker (`#`, `-`,
//!   `1.`, `>`, table delimiter rows, code-fence lines), so a numbered
//!   list does not turn into sentences "1.", "2.", ... Lines inside code
//!   fences are content too (code is part of an answer) but no Markdown is
//!   looked for in them. Words are UAX #29 word pieces (see
//!   [`crate::text::segment`], also for what happens to Chinese and
//!   Japanese); emoji pieces are counted as emoji, neither as words nor
//!   as punctuation.
//! - **Word n-grams** (n = 1, 2, 3) are case-folded
//!   ([`crate::text::fold_case`]) and never cross a sentence boundary, so
//!   they never cross a text boundary either.
//! - A **sentence** is a UAX #29 sentence of a line's content that has at
//!   least one word, so `sentences` equals the sum of `sentence_lengths`.
//!
//! # Hashing, and which strings are kept
//!
//! The n-gram tables are keyed by 64-bit hashes (xxh3 for words, a
//! cheaper multiply-rotate hash for characters), never by strings:
//! no string is allocated per n-gram, and a table costs about 16 bytes
//! per distinct item. The keys are stable across platforms (native and wasm)
//! and can be recomputed from a string with [`char_ngram_key`] and
//! [`word_ngram_key`]. With 64 bits, a collision among the at most a few
//! million distinct items of a source is improbable (< 1e-6).
//!
//! Exact strings are kept only where a person reads them: the `top_k`
//! most frequent word n-grams of each order ([`Profile::top_word_ngrams`]),
//! the punctuation marks, the opening words and the closing sentences.
//! To show the string of any other hashed word n-gram, scan the source's
//! texts with [`word_ngram_strings`].
//!
//! # Bounded memory
//!
//! Each n-gram table holds at most [`ProfileOptions::max_table_entries`]
//! items. When a table would grow past it, the items with the smallest
//! count are dropped (lossy counting) and [`Profile::pruned`] is set;
//! counts of the surviving items stay exact. Below the cap (always the
//! case for the dev data) every count is exact. While one text is being
//! profiled, at most 2^20 n-gram occurrences per table are buffered before
//! they are folded into the counts, and 24 bytes per word are kept (for
//! MATTR and for the top strings), so working memory grows with the
//! words of the longest single text, not with the corpus.
//!
//! # Merging
//!
//! A source's profile is the [`Profile::merge`] of its texts' profiles
//! ([`Profile::merge_all`] and [`Profile::of_texts`] do it in one go, in
//! linear time). Every count (tables, distributions, Markdown,
//! punctuation, emoji, opening words, closing sentences) is summed, which
//! gives exactly what profiling the texts as one corpus of separate texts
//! gives: the word counts of the texts joined by blank lines (a property
//! test checks it); only character n-grams that would span the join are
//! absent, as they should be. Derived measures are
//! recomputed from the merged counts: type-token ratio, hapax ratio,
//! Yule's K, punctuation and emoji rates. MATTR cannot be recomputed from
//! counts (it depends on word order), so a merged MATTR is the mean of the
//! texts' MATTR weighted by their word counts.

use std::collections::BTreeMap;

use crate::text::NormalizeOptions;

mod counter;
pub mod json;
mod keys;
mod lossless;
mod merge;
mod of_text;

// Markdown structure is counted where a text's structure is surveyed.
pub use crate::features::structure::Markdown;
pub use keys::{char_ngram_key, word_ngram_key};
pub use lossless::Lossless;
pub use of_text::word_ngram_strings;

/// Buckets of [`Profile::word_lengths`]: 1..=20 characters, the last one
/// also holding longer words.
pub const WORD_LENGTH_BUCKETS: usize = 20;
/// Buckets of [`Profile::sentence_lengths`]: 1..=64 words, the last one
/// also holding longer sentences.
pub const SENTENCE_LENGTH_BUCKETS: usize = 64;
/// Closing sentences are cut to this many bytes (on a character boundary)
/// so that a run-on last "sentence" cannot make a profile large.
pub const CLOSING_SENTENCE_MAX_BYTES: usize = 300;
/// Largest accepted [`ProfileOptions::max_char_ngram`]; larger values are
/// clamped. A power of two: the profiler keeps the last characters in a
/// ring of this size.
pub const MAX_CHAR_NGRAM: usize = 16;

/// Options for [`Profile::of_text`].
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileOptions {
    pub normalize: NormalizeOptions,
    /// Largest character n-gram kept (n = 1..=this), default 5; 0 keeps
    /// none, values above [`MAX_CHAR_NGRAM`] are clamped.
    pub max_char_ngram: usize,
    /// Window of the moving-average type-token ratio, default 100 words.
    pub mattr_window: usize,
    /// How many of the most frequent items of each n-gram table to keep
    /// as exact strings in [`Profile::top_word_ngrams`] (the rest are only counted hashed).
    pub top_k: usize,
    /// Most items any one n-gram table may hold (see "Bounded memory" in
    /// the module documentation), default 2^19 = 524 288; 0 = no cap.
    pub max_table_entries: usize,
}

impl Default for ProfileOptions {
    fn default() -> Self {
        Self {
            normalize: NormalizeOptions::default(),
            max_char_ngram: 5,
            mattr_window: 100,
            top_k: 20,
            max_table_entries: 1 << 19,
        }
    }
}

/// Vocabulary richness measures, all computed on case-folded word unigrams.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Richness {
    /// Distinct words / words (falls as a text grows: compare only texts
    /// of similar length, or use MATTR).
    pub type_token_ratio: f64,
    /// Mean type-token ratio over every window of `mattr_window` words
    /// (Covington & McFall 2010); the plain TTR when the text is shorter.
    pub mattr: f64,
    /// Words used exactly once / distinct words.
    pub hapax_ratio: f64,
    /// Yule's K = 10^4 (sum of f^2 - N) / N^2 over word frequencies f,
    /// N words: the chance that two words drawn at random are the same,
    /// nearly independent of length.
    pub yules_k: f64,
}

/// The profile of a text or of a source. It serialises (for JS callers
/// and JSON) with the hashed n-gram tables replaced by their sizes and the
/// `(text, count)` lists as `{text, count}` objects (see [`json`]); the
/// lossless form, which merges and reads back, is [`Lossless`].
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
pub struct Profile {
    pub texts: usize,
    /// UTF-8 bytes of the normalised texts.
    pub bytes: usize,
    /// Unicode scalar values of the normalised texts.
    pub chars: usize,
    /// Extended grapheme clusters of the normalised texts.
    pub graphemes: usize,
    pub words: usize,
    /// Sentences with at least one word.
    pub sentences: usize,
    /// Runs of non-blank lines separated by blank lines.
    pub paragraphs: usize,
    /// Case-folded word n-gram counts, n = 1, 2, 3 (index 0 = unigrams),
    /// keyed by [`word_ngram_key`] (see docs: exact strings are
    /// kept only for the top items).
    #[serde(rename = "distinctWordNgrams", serialize_with = "json::sizes")]
    #[cfg_attr(feature = "typescript", tsify(type = "number[]"))]
    pub word_ngrams: [BTreeMap<u64, u32>; 3],
    /// Exact strings of the most frequent word n-grams (n = 1..3), with
    /// counts, most frequent first (ties by key); words joined by one space.
    #[serde(serialize_with = "json::top_ngrams")]
    #[cfg_attr(feature = "typescript", tsify(type = "TopWordNgrams"))]
    pub top_word_ngrams: [Vec<(String, u32)>; 3],
    /// Character n-gram counts, n = 1..=max_char_ngram (index 0 = n 1),
    /// keyed by [`char_ngram_key`].
    #[serde(rename = "distinctCharNgrams", serialize_with = "json::sizes")]
    #[cfg_attr(feature = "typescript", tsify(type = "number[]"))]
    pub char_ngrams: Vec<BTreeMap<u64, u32>>,
    /// `word_lengths[i]` = number of words of i+1 characters (last bucket is "longer").
    pub word_lengths: Vec<u32>,
    /// `sentence_lengths[i]` = number of sentences of i+1 words (last bucket is "longer").
    pub sentence_lengths: Vec<u32>,
    pub richness: Richness,
    /// Punctuation marks per 1000 tokens (words + punctuation), by mark.
    pub punctuation_per_1000: BTreeMap<String, f64>,
    pub markdown: Markdown,
    pub emoji: usize,
    pub emoji_per_1000_words: f64,
    /// First words of each text (up to 3, case-folded), with counts.
    #[serde(serialize_with = "json::counted")]
    #[cfg_attr(feature = "typescript", tsify(type = "Counted[]"))]
    pub opening_words: Vec<(String, u32)>,
    /// Last sentence of each text, with counts.
    #[serde(serialize_with = "json::counted")]
    #[cfg_attr(feature = "typescript", tsify(type = "Counted[]"))]
    pub closing_sentences: Vec<(String, u32)>,
    /// Punctuation marks (UAX #29 pieces that are neither words, spaces
    /// nor emoji) with their counts: the raw counts behind
    /// [`Profile::punctuation_per_1000`].
    pub punctuation_counts: BTreeMap<String, u32>,
    /// Sum of [`Profile::punctuation_counts`].
    pub punctuation_tokens: usize,
    /// How many strings [`Profile::top_word_ngrams`] keeps per order.
    #[serde(skip)]
    pub top_k: usize,
    /// True when some n-gram table hit [`ProfileOptions::max_table_entries`]
    /// and its rarest items were dropped.
    pub pruned: bool,
    /// The [`ProfileOptions::max_table_entries`] this profile was made
    /// with; a merge keeps the larger of the two (0 = no cap).
    #[serde(skip)]
    pub max_table_entries: usize,
}
