//! The keys of the n-gram tables: a cheap rolling hash for character
//! n-grams, xxh3 of the case-folded words ([`crate::features::word_key`])
//! combined for word n-grams.

use xxhash_rust::xxh3::xxh3_64_with_seed;

pub(super) use crate::features::word_key as word_key_with;

/// Seed of the character n-gram hash.
pub(super) const CHAR_SEED: u64 = 0x243F_6A88_85A3_08D3;

/// One step of the character n-gram hash: characters are mixed in from
/// the last to the first, so that one backward walk from each position
/// yields the keys of the n-grams ending there for every n at once.
#[inline]
pub(super) fn char_step(state: u64, c: char) -> u64 {
    (state ^ u64::from(u32::from(c)))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(31)
}

/// Final avalanche (MurmurHash3's fmix64), so that every bit of the key
/// depends on every character.
#[inline]
pub(super) fn char_finish(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// Key of a character n-gram in [`Profile::char_ngrams`] (the order n is
/// implied by the table it is in).
///
/// Character n-grams are the most numerous items of a profile (five per
/// character), so their key is not xxh3 of the bytes but a cheaper
/// multiply-rotate hash of the code points with a MurmurHash3 finaliser:
/// one backward walk per position gives the keys of all orders at once.
/// It is platform-independent, like every key here.
pub fn char_ngram_key(ngram: &str) -> u64 {
    char_finish(ngram.chars().rev().fold(CHAR_SEED, char_step))
}

/// Key of a word n-gram from the keys of its words.
pub(super) fn combine_keys(keys: &[u64]) -> u64 {
    match keys {
        [] => 0,
        [one] => *one,
        _ => {
            let mut bytes = [0u8; 8 * 3];
            let n = keys.len().min(3);
            for (i, k) in keys[..n].iter().enumerate() {
                bytes[8 * i..8 * i + 8].copy_from_slice(&k.to_le_bytes());
            }
            xxh3_64_with_seed(&bytes[..8 * n], n as u64)
        }
    }
}

/// Key of a word n-gram (n = 1..=3; longer slices use their first three
/// words): words are case-folded, hashed with xxh3, and for n > 1 the
/// word hashes are hashed together. `word_ngram_key(&["Thank", "you"])`
/// is the key of the bigram "thank you" in [`Profile::word_ngrams`]`[1]`.
pub fn word_ngram_key(words: &[&str]) -> u64 {
    let mut buf = String::new();
    let keys: Vec<u64> = words
        .iter()
        .take(3)
        .map(|w| word_key_with(w, &mut buf))
        .collect();
    combine_keys(&keys)
}
