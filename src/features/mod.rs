//! The text features every part of the analysis shares: the one MATTR,
//! the one enumeration of character n-grams, the one topic mask and the
//! structure counts (on [`crate::text::markdown`]) behind the profile's
//! Markdown counts and the signals' structure vectors.
//!
//! The signals keep their own *choices* (which n-gram lengths, which hash
//! seed, case kept or folded, which rates); what a feature *is* is
//! written here once.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use xxhash_rust::xxh3::xxh3_64;

use crate::text::{fold_case_into, for_each_word_bound};

pub mod structure;

/// A hasher for keys that are already 64-bit hashes: hashing them again
/// would only cost time. Maps using it are looked up, never iterated into
/// a result, so their order cannot matter.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by hashes.
pub type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Key of one word: xxh3 of its case-folded form. `buf` is scratch space,
/// so that only words that need folding pay for it. The profile's word
/// tables and every MATTR count words by this key.
pub fn word_key(word: &str, buf: &mut String) -> u64 {
    if is_lowercase_ascii(word) {
        xxh3_64(word.as_bytes())
    } else {
        buf.clear();
        fold_case_into(word, buf);
        xxh3_64(buf.as_bytes())
    }
}

/// Whether `word` is ASCII without capitals: lowercasing and case folding
/// both leave it as it is, so it needs no copy.
fn is_lowercase_ascii(word: &str) -> bool {
    word.bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
}

/// Moving-average type-token ratio (Covington & McFall 2010) of a
/// sequence of word keys ([`word_key`]): the mean type-token ratio of
/// every window of `window` words, which unlike the plain ratio does not
/// fall as a text grows; the plain ratio when the text is shorter than the
/// window; 0 for no words.
pub fn mattr(keys: &[u64], window: usize) -> f64 {
    let window = window.max(1);
    let n = keys.len();
    if n == 0 {
        return 0.0;
    }
    let mut counts: KeyMap<u32> = KeyMap::default();
    if n <= window {
        for &k in keys {
            *counts.entry(k).or_insert(0) += 1;
        }
        return counts.len() as f64 / n as f64;
    }
    let mut distinct = 0usize;
    for &k in &keys[..window] {
        let c = counts.entry(k).or_insert(0);
        if *c == 0 {
            distinct += 1;
        }
        *c += 1;
    }
    let mut sum = distinct as u64;
    for i in window..n {
        let c = counts.entry(keys[i]).or_insert(0);
        if *c == 0 {
            distinct += 1;
        }
        *c += 1;
        let out = counts.entry(keys[i - window]).or_insert(1);
        *out -= 1;
        if *out == 0 {
            distinct -= 1;
        }
        sum += distinct as u64;
    }
    let windows = (n - window + 1) as f64;
    sum as f64 / (windows * window as f64)
}

/// Calls `f(n, bytes)` with every character n-gram of `text`, n in
/// `min.max(1)..=max`, by start position then length: the one enumeration
/// behind the signals' hashed character n-grams (each hashes the bytes
/// with its own seed, on its own view of the text).
pub fn for_each_char_ngram(
    text: &str,
    (min, max): (usize, usize),
    mut f: impl FnMut(usize, &[u8]),
) {
    if max == 0 {
        return;
    }
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let n_chars = bounds.len() - 1;
    for start in 0..n_chars {
        for n in min.max(1)..=max {
            if start + n > n_chars {
                break;
            }
            f(n, &text.as_bytes()[bounds[start]..bounds[start + n]]);
        }
    }
}

/// `word.to_lowercase()`, written into `buffer` only when lowercasing
/// changes the word: most words are lower-case ASCII already. (Not
/// [`crate::text::fold_case`], which also folds final sigma: the topic
/// mask and the classifier's frequent words keep their own rule.)
pub(crate) fn lowercased<'a>(word: &'a str, buffer: &'a mut String) -> &'a str {
    if is_lowercase_ascii(word) {
        return word;
    }
    *buffer = word.to_lowercase();
    buffer
}

/// Text distortion (Stamatatos 2017, "DV-MA"): every word (a UAX #29 piece
/// with a letter or digit) whose lower-cased form is not `frequent` has
/// its letters replaced by `*` and its digits by `#`; punctuation,
/// spacing, Markdown and frequent words stay. What is left is how a text
/// is written, not what it is about.
pub fn mask_topic(text: &str, frequent: impl Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lower = String::new();
    for_each_word_bound(text, |_, piece| {
        let is_word = piece.chars().any(char::is_alphanumeric);
        if is_word && !frequent(lowercased(piece, &mut lower)) {
            out.extend(piece.chars().map(|c| {
                if c.is_numeric() {
                    '#'
                } else if c.is_alphabetic() {
                    '*'
                } else {
                    c
                }
            }));
        } else {
            out.push_str(piece);
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &str) -> Vec<u64> {
        let mut buf = String::new();
        s.split(' ').map(|w| word_key(w, &mut buf)).collect()
    }

    #[test]
    fn mattr_cases() {
        // (words, window, MATTR)
        let cases: &[(&str, usize, f64)] = &[
            ("a a a a", 2, 0.5),
            ("a b c d", 2, 1.0),
            ("a A b", 5, 2.0 / 3.0), // shorter than the window: the plain TTR, case-folded
            ("a b a b", 3, 2.0 / 3.0),
        ];
        for &(words, window, want) in cases {
            assert_eq!(mattr(&keys(words), window), want, "{words} / {window}");
        }
        assert_eq!(mattr(&[], 2), 0.0);
    }

    #[test]
    fn char_ngrams_by_start_then_length() {
        let mut got = Vec::new();
        for_each_char_ngram("aé!", (1, 2), |n, g| {
            got.push((n, String::from_utf8(g.to_vec()).unwrap()))
        });
        let want = [(1, "a"), (2, "aé"), (1, "é"), (2, "é!"), (1, "!")];
        assert_eq!(got, want.map(|(n, s)| (n, s.to_string())));
        let mut none = 0;
        for_each_char_ngram("abc", (0, 0), |_, _| none += 1);
        for_each_char_ngram("", (1, 3), |_, _| none += 1);
        assert_eq!(none, 0);
    }

    #[test]
    fn the_mask_keeps_frequent_words_and_layout() {
        let masked = mask_topic("The Paris trip, 2024:\n- fun", |w| w == "the");
        assert_eq!(masked, "The ***** ****, ####:\n- ***");
    }
}
