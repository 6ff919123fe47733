//! Merging profiles: [`Profile::merge`] one at a time, and the
//! [`Accumulator`] behind [`Profile::merge_all`] and [`Profile::of_texts`]
//! that sums many in hash maps and sorts once.

use std::collections::{BTreeMap, HashMap};

use super::counter::{effective_cap, prune_btree};
use super::keys::word_ngram_key;
use super::{Profile, ProfileOptions};
use crate::features::KeyMap;

impl Profile {
    /// Profile of several texts taken as one source: the merge of their
    /// profiles.
    pub fn of_texts<'a>(
        texts: impl IntoIterator<Item = &'a str>,
        options: &ProfileOptions,
    ) -> Profile {
        let mut acc = Accumulator::new(options.top_k, options.max_table_entries);
        for text in texts {
            acc.add(&Profile::of_text(text, options));
        }
        acc.finish()
    }

    /// Merges many profiles at once: the same counts as folding them with
    /// [`Profile::merge`], but in time linear in their total size (the
    /// tables are summed in hash maps and sorted once), which is what a
    /// source of hundreds of texts needs. The top strings are chosen among
    /// the top strings of *all* the profiles, so they can only be more
    /// faithful than a fold's; MATTR is the same word-weighted mean (up to
    /// floating-point rounding).
    pub fn merge_all<'a>(profiles: impl IntoIterator<Item = &'a Profile>) -> Profile {
        let mut acc = Accumulator::new(0, 0);
        for p in profiles {
            acc.add(p);
        }
        acc.finish()
    }

    /// Recomputes the measures derived from counts (all but MATTR).
    pub(super) fn derive(&mut self) {
        let unigrams = &self.word_ngrams[0];
        let n: u64 = unigrams.values().map(|&c| u64::from(c)).sum();
        let types = unigrams.len();
        let hapax = unigrams.values().filter(|&&c| c == 1).count();
        let sum_sq: f64 = unigrams
            .values()
            .map(|&c| f64::from(c) * f64::from(c))
            .sum();
        let nf = n as f64;
        self.richness.type_token_ratio = if n == 0 { 0.0 } else { types as f64 / nf };
        self.richness.hapax_ratio = if types == 0 {
            0.0
        } else {
            hapax as f64 / types as f64
        };
        self.richness.yules_k = if n == 0 {
            0.0
        } else {
            1e4 * (sum_sq - nf) / (nf * nf)
        };
        let tokens = (self.words + self.punctuation_tokens) as f64;
        self.punctuation_per_1000 = self
            .punctuation_counts
            .iter()
            .map(|(m, &c)| {
                (
                    m.clone(),
                    if tokens == 0.0 {
                        0.0
                    } else {
                        f64::from(c) * 1000.0 / tokens
                    },
                )
            })
            .collect();
        self.emoji_per_1000_words = if self.words == 0 {
            0.0
        } else {
            self.emoji as f64 * 1000.0 / self.words as f64
        };
    }

    /// Adds the plain counts of `other` (everything but the n-gram
    /// tables, the counted strings and MATTR): what [`Profile::merge`] and
    /// the [`Accumulator`] both do.
    fn add_counts(&mut self, other: &Profile) {
        self.texts += other.texts;
        self.bytes += other.bytes;
        self.chars += other.chars;
        self.graphemes += other.graphemes;
        self.words += other.words;
        self.sentences += other.sentences;
        self.paragraphs += other.paragraphs;
        self.punctuation_tokens += other.punctuation_tokens;
        self.emoji += other.emoji;
        self.markdown.add(&other.markdown);
        self.pruned |= other.pruned;
        self.top_k = self.top_k.max(other.top_k);
        self.max_table_entries = self.max_table_entries.max(other.max_table_entries);
        add_buckets(&mut self.word_lengths, &other.word_lengths);
        add_buckets(&mut self.sentence_lengths, &other.sentence_lengths);
        for (mark, &c) in &other.punctuation_counts {
            match self.punctuation_counts.get_mut(mark) {
                Some(e) => *e = e.saturating_add(c),
                None => {
                    self.punctuation_counts.insert(mark.clone(), c);
                }
            }
        }
    }

    /// Adds another profile's counts into this one (a source profile is
    /// the merge of its texts' profiles); derived rates are recomputed
    /// from the merged counts and MATTR becomes the word-weighted mean (see
    /// the module documentation). Merging is commutative and associative
    /// for every count, and `Profile::default()` is its identity.
    ///
    /// The exact top strings are chosen among the two sides' top strings,
    /// counted with the merged tables: an item that was in neither side's
    /// top list cannot enter the merged one, so with many small texts a
    /// larger `top_k` per text gives a more faithful source list.
    pub fn merge(&mut self, other: &Profile) {
        let mattr = if other.words == 0 {
            self.richness.mattr
        } else if self.words == 0 {
            other.richness.mattr
        } else {
            let (a, b) = (self.words as f64, other.words as f64);
            (self.richness.mattr * a + other.richness.mattr * b) / (a + b)
        };
        self.add_counts(other);
        let cap = effective_cap(self.max_table_entries);

        for (mine, theirs) in self.word_ngrams.iter_mut().zip(&other.word_ngrams) {
            add_table(mine, theirs);
            self.pruned |= prune_btree(mine, cap);
        }
        if self.char_ngrams.len() < other.char_ngrams.len() {
            self.char_ngrams
                .resize_with(other.char_ngrams.len(), BTreeMap::new);
        }
        for (mine, theirs) in self.char_ngrams.iter_mut().zip(&other.char_ngrams) {
            add_table(mine, theirs);
            self.pruned |= prune_btree(mine, cap);
        }
        merge_counted(&mut self.opening_words, &other.opening_words);
        merge_counted(&mut self.closing_sentences, &other.closing_sentences);

        for n in 0..3 {
            let mut candidates: BTreeMap<String, (u64, u32)> = BTreeMap::new();
            for (s, c) in self.top_word_ngrams[n]
                .iter()
                .chain(&other.top_word_ngrams[n])
            {
                let key = joined_key(s);
                let entry = candidates.entry(s.clone()).or_insert((key, 0));
                // If pruning dropped the item, fall back to the listed counts.
                entry.1 = self.word_ngrams[n]
                    .get(&key)
                    .copied()
                    .unwrap_or(entry.1.saturating_add(*c));
            }
            let list = candidates
                .into_iter()
                .map(|(s, (k, c))| (s, k, c))
                .collect();
            self.top_word_ngrams[n] = most_frequent(list, self.top_k);
        }

        self.derive();
        self.richness.mattr = mattr;
    }
}

/// Sums profiles in hash maps; [`Accumulator::finish`] turns the sums
/// into a [`Profile`] once.
struct Accumulator {
    profile: Profile,
    word_tables: [KeyMap<u32>; 3],
    char_tables: Vec<KeyMap<u32>>,
    opening: HashMap<String, u32>,
    closing: HashMap<String, u32>,
    top_candidates: [BTreeMap<String, ()>; 3],
    mattr_weighted: f64,
    mattr_sources: usize,
}

impl Accumulator {
    fn new(top_k: usize, max_table_entries: usize) -> Self {
        Accumulator {
            profile: Profile {
                top_k,
                max_table_entries,
                ..Profile::default()
            },
            word_tables: Default::default(),
            char_tables: Vec::new(),
            opening: HashMap::new(),
            closing: HashMap::new(),
            top_candidates: Default::default(),
            mattr_weighted: 0.0,
            mattr_sources: 0,
        }
    }

    fn add(&mut self, other: &Profile) {
        let p = &mut self.profile;
        if other.words > 0 {
            // With a single contributing profile its MATTR is kept exactly.
            p.richness.mattr = other.richness.mattr;
            self.mattr_weighted += other.richness.mattr * other.words as f64;
            self.mattr_sources += 1;
        }
        p.add_counts(other);
        let cap = effective_cap(p.max_table_entries);
        for (into, list) in [
            (&mut self.opening, &other.opening_words),
            (&mut self.closing, &other.closing_sentences),
        ] {
            for (s, c) in list {
                match into.get_mut(s) {
                    Some(e) => *e = e.saturating_add(*c),
                    None => {
                        into.insert(s.clone(), *c);
                    }
                }
            }
        }
        for (n, list) in other.top_word_ngrams.iter().enumerate() {
            for (s, _) in list {
                if !self.top_candidates[n].contains_key(s) {
                    self.top_candidates[n].insert(s.clone(), ());
                }
            }
        }
        let mut pruned = false;
        for (mine, theirs) in self.word_tables.iter_mut().zip(&other.word_ngrams) {
            add_to_hash_table(mine, theirs, cap, &mut pruned);
        }
        if self.char_tables.len() < other.char_ngrams.len() {
            self.char_tables
                .resize_with(other.char_ngrams.len(), KeyMap::default);
        }
        for (mine, theirs) in self.char_tables.iter_mut().zip(&other.char_ngrams) {
            add_to_hash_table(mine, theirs, cap, &mut pruned);
        }
        self.profile.pruned |= pruned;
    }

    fn finish(self) -> Profile {
        let mut p = self.profile;
        let [w1, w2, w3] = self.word_tables;
        p.word_ngrams = [hash_to_btree(w1), hash_to_btree(w2), hash_to_btree(w3)];
        p.char_ngrams = self.char_tables.into_iter().map(hash_to_btree).collect();
        p.opening_words = sorted_counted(self.opening);
        p.closing_sentences = sorted_counted(self.closing);
        for (n, candidates) in self.top_candidates.into_iter().enumerate() {
            let list = candidates
                .into_keys()
                .filter_map(|s| {
                    let key = joined_key(&s);
                    let count = p.word_ngrams[n].get(&key).copied()?;
                    Some((s, key, count))
                })
                .collect();
            p.top_word_ngrams[n] = most_frequent(list, p.top_k);
        }
        p.derive();
        if self.mattr_sources > 1 {
            p.richness.mattr = self.mattr_weighted / p.words as f64;
        }
        p
    }
}

fn add_to_hash_table(
    into: &mut KeyMap<u32>,
    other: &BTreeMap<u64, u32>,
    cap: usize,
    pruned: &mut bool,
) {
    into.reserve(other.len());
    for (&k, &c) in other {
        let e = into.entry(k).or_insert(0);
        *e = e.saturating_add(c);
    }
    while into.len() > cap {
        *pruned = true;
        let Some(min) = into.values().copied().min() else {
            break;
        };
        into.retain(|_, v| *v > min);
    }
}

fn hash_to_btree(table: KeyMap<u32>) -> BTreeMap<u64, u32> {
    let mut items: Vec<(u64, u32)> = table.into_iter().collect();
    items.sort_unstable_by_key(|&(k, _)| k);
    items.into_iter().collect()
}

/// Key of a top string (case-folded words joined by one space).
fn joined_key(s: &str) -> u64 {
    word_ngram_key(&s.split(' ').collect::<Vec<_>>())
}

/// The `top_k` most frequent of `(string, key, count)` items, ties by key.
fn most_frequent(mut list: Vec<(String, u64, u32)>, top_k: usize) -> Vec<(String, u32)> {
    crate::sort::stable_sort_by(&mut list, |a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    list.truncate(top_k);
    list.into_iter().map(|(s, _, c)| (s, c)).collect()
}

/// `(string, count)` items sorted by count (most first) then string.
fn sorted_counted(counts: impl IntoIterator<Item = (String, u32)>) -> Vec<(String, u32)> {
    let mut v: Vec<(String, u32)> = counts.into_iter().collect();
    crate::sort::stable_sort_by(&mut v, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

fn add_table(into: &mut BTreeMap<u64, u32>, other: &BTreeMap<u64, u32>) {
    for (&k, &c) in other {
        let e = into.entry(k).or_insert(0);
        *e = e.saturating_add(c);
    }
}

fn add_buckets(into: &mut Vec<u32>, other: &[u32]) {
    if into.len() < other.len() {
        into.resize(other.len(), 0);
    }
    for (a, &b) in into.iter_mut().zip(other) {
        *a = a.saturating_add(b);
    }
}

/// Adds `(string, count)` lists, keeping them sorted by count (most
/// first) then string.
fn merge_counted(into: &mut Vec<(String, u32)>, other: &[(String, u32)]) {
    let mut all: BTreeMap<String, u32> = BTreeMap::new();
    for (s, c) in into.iter().chain(other) {
        let e = all.entry(s.clone()).or_insert(0);
        *e = e.saturating_add(*c);
    }
    *into = sorted_counted(all);
}
