//! Stylometric profile of one text, and of a source (many texts merged).
//!
//! OWNER: text-layer helper. The struct below is the contract the wasm
//! boundary maps to a camelCase DTO; fields may be added, not removed.

use std::collections::BTreeMap;

use crate::text::NormalizeOptions;

/// Options for [`Profile::of_text`].
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileOptions {
    pub normalize: NormalizeOptions,
    /// Largest character n-gram kept (n = 1..=this), default 5.
    pub max_char_ngram: usize,
    /// Window of the moving-average type-token ratio, default 100 words.
    pub mattr_window: usize,
    /// How many of the most frequent items of each n-gram table to keep
    /// as exact strings in [`Profile::top_word_ngrams`] (the rest are only counted hashed).
    pub top_k: usize,
}

impl Default for ProfileOptions {
    fn default() -> Self {
        Self {
            normalize: NormalizeOptions::default(),
            max_char_ngram: 5,
            mattr_window: 100,
            top_k: 20,
        }
    }
}

/// Vocabulary richness measures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Richness {
    pub type_token_ratio: f64,
    pub mattr: f64,
    pub hapax_ratio: f64,
    pub yules_k: f64,
}

/// Markdown structure counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Markdown {
    pub headings: usize,
    pub bullet_items: usize,
    pub numbered_items: usize,
    pub bold: usize,
    pub italic: usize,
    pub code_fences: usize,
    pub table_rows: usize,
    pub links: usize,
}

/// The profile of a text or of a source.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    pub texts: usize,
    pub bytes: usize,
    pub chars: usize,
    pub graphemes: usize,
    pub words: usize,
    pub sentences: usize,
    pub paragraphs: usize,
    /// Case-folded word n-gram counts, n = 1, 2, 3 (index 0 = unigrams),
    /// keyed by a 64-bit hash of the n-gram (see docs: exact strings are
    /// kept only for the top items).
    pub word_ngrams: [BTreeMap<u64, u32>; 3],
    /// Exact strings of the most frequent word n-grams (n = 1..3), with counts.
    pub top_word_ngrams: [Vec<(String, u32)>; 3],
    /// Character n-gram counts, n = 1..=max_char_ngram (index 0 = n 1), hashed.
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
    pub opening_words: Vec<(String, u32)>,
    /// Last sentence of each text, with counts.
    pub closing_sentences: Vec<(String, u32)>,
}

impl Profile {
    /// Profile of one text.
    pub fn of_text(_text: &str, _options: &ProfileOptions) -> Profile {
        todo!("text-layer helper")
    }

    /// Adds another profile's counts into this one (a source profile is
    /// the merge of its texts' profiles); derived rates are recomputed.
    pub fn merge(&mut self, _other: &Profile) {
        todo!("text-layer helper")
    }
}
