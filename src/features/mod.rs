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

/// Moving-average type-token ratio of a sequence of word keys.
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
