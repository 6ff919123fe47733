//! The lossless serde form of a [`Profile`]: every field, the hashed
//! tables included, so that a stored profile merges like the original.
//! The JSON form (`impl Serialize for Profile`) reduces the tables to
//! their sizes and cannot be read back; this one is for storage (the
//! Python package pickles profiles with it, through postcard).
//!
//! It is serde's remote derive: the field list below is checked against
//! [`Profile`] by the compiler (a field added there and not here fails to
//! build), and there is no conversion to keep in step. Use it as
//! `#[serde(with = "lineage::profile::Lossless")]` on a `Profile` field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Markdown, Profile, Richness};

/// Serialises and deserialises a [`Profile`] without loss (see the
/// module documentation).
#[derive(Serialize, Deserialize)]
#[serde(remote = "Profile")]
pub struct Lossless {
    pub texts: usize,
    pub bytes: usize,
    pub chars: usize,
    pub graphemes: usize,
    pub words: usize,
    pub sentences: usize,
    pub paragraphs: usize,
    pub word_ngrams: [BTreeMap<u64, u32>; 3],
    pub top_word_ngrams: [Vec<(String, u32)>; 3],
    pub char_ngrams: Vec<BTreeMap<u64, u32>>,
    pub word_lengths: Vec<u32>,
    pub sentence_lengths: Vec<u32>,
    pub richness: Richness,
    pub punctuation_per_1000: BTreeMap<String, f64>,
    pub markdown: Markdown,
    pub emoji: usize,
    pub emoji_per_1000_words: f64,
    pub opening_words: Vec<(String, u32)>,
    pub closing_sentences: Vec<(String, u32)>,
    pub punctuation_counts: BTreeMap<String, u32>,
    pub punctuation_tokens: usize,
    pub top_k: usize,
    pub pruned: bool,
    pub max_table_entries: usize,
}

#[cfg(test)]
mod tests {
    use super::super::{Profile, ProfileOptions};
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    struct Stored(#[serde(with = "super::Lossless")] Profile);

    /// Written and read back, a profile is the same to the bit and still
    /// merges (its tables and `top_k` survive), unlike the JSON form.
    #[test]
    fn a_profile_reads_back_whole() {
        let opts = ProfileOptions {
            top_k: 3,
            ..ProfileOptions::default()
        };
        let a = Profile::of_texts(["Hello there. **Bold** move!", "- one\n- two 🙂"], &opts);
        let json = serde_json::to_string(&Stored(a.clone())).unwrap();
        let Stored(back) = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
        let b = Profile::of_text("Hello again.", &opts);
        let (mut x, mut y) = (a.clone(), back);
        x.merge(&b);
        y.merge(&b);
        assert_eq!(x, y);
        assert!(serde_json::from_str::<Stored>("{\"texts\": 1}").is_err());
    }
}
