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

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use unicode_segmentation::UnicodeSegmentation;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::text::markdown::{self, Block};

pub mod json;
use crate::text::{
    fold_case_into, for_each_sentence_bound, for_each_word_bound, is_emoji, normalize_cow,
    piece_kind, NormalizeOptions, PieceKind,
};

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
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
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

/// Markdown structure counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Markdown {
    pub headings: usize,
    pub bullet_items: usize,
    pub numbered_items: usize,
    /// Closed `**bold**` / `__bold__` runs.
    pub bold: usize,
    /// Closed `*italic*` / `_italic_` runs.
    pub italic: usize,
    /// Fenced code blocks (an unclosed fence counts as one block).
    pub code_fences: usize,
    /// Table rows, header included, delimiter rows excluded.
    pub table_rows: usize,
    /// `[text](url)` links and bare URLs.
    pub links: usize,
    /// Tables (counted by their `|---|` delimiter rows).
    pub tables: usize,
    /// Closed `` `inline code` `` spans.
    pub inline_code: usize,
    /// Lines inside a block quote (`>`).
    pub quoted_lines: usize,
    /// Thematic breaks (`---`).
    pub rules: usize,
}

impl Markdown {
    fn add(&mut self, o: &Markdown) {
        self.headings += o.headings;
        self.bullet_items += o.bullet_items;
        self.numbered_items += o.numbered_items;
        self.bold += o.bold;
        self.italic += o.italic;
        self.code_fences += o.code_fences;
        self.table_rows += o.table_rows;
        self.links += o.links;
        self.tables += o.tables;
        self.inline_code += o.inline_code;
        self.quoted_lines += o.quoted_lines;
        self.rules += o.rules;
    }
}

/// The profile of a text or of a source. It serialises (for JS callers
/// and JSON) with the hashed n-gram tables replaced by their sizes and the
/// `(text, count)` lists as `{text, count}` objects (see [`json`]).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(hashmap_as_object))]
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
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number[]"))]
    pub word_ngrams: [BTreeMap<u64, u32>; 3],
    /// Exact strings of the most frequent word n-grams (n = 1..3), with
    /// counts, most frequent first (ties by key); words joined by one space.
    #[serde(serialize_with = "json::top_ngrams")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "TopWordNgrams"))]
    pub top_word_ngrams: [Vec<(String, u32)>; 3],
    /// Character n-gram counts, n = 1..=max_char_ngram (index 0 = n 1),
    /// keyed by [`char_ngram_key`].
    #[serde(rename = "distinctCharNgrams", serialize_with = "json::sizes")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number[]"))]
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
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Counted[]"))]
    pub opening_words: Vec<(String, u32)>,
    /// Last sentence of each text, with counts.
    #[serde(serialize_with = "json::counted")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Counted[]"))]
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

/// A hasher for keys that are already xxh3 hashes: hashing them again
/// would only cost time.
#[derive(Default)]
struct KeyHasher(u64);

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

type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Seed of the character n-gram hash.
const CHAR_SEED: u64 = 0x243F_6A88_85A3_08D3;

/// One step of the character n-gram hash: characters are mixed in from
/// the last to the first, so that one backward walk from each position
/// yields the keys of the n-grams ending there for every n at once.
#[inline]
fn char_step(state: u64, c: char) -> u64 {
    (state ^ u64::from(u32::from(c)))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(31)
}

/// Final avalanche (MurmurHash3's fmix64), so that every bit of the key
/// depends on every character.
#[inline]
fn char_finish(mut k: u64) -> u64 {
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

/// True when a character is always a grapheme cluster of its own and
/// never joins its neighbours into one: then a text made only of such
/// characters has as many graphemes as characters, and the costly UAX #29
/// grapheme pass can be skipped. The ranges are Latin, Greek, Cyrillic,
/// general punctuation, symbols, CJK and kana without their combining
/// marks.
#[inline]
fn is_simple_char(c: char) -> bool {
    matches!(c as u32,
        0x0..=0x0C | 0x0E..=0x2FF
            | 0x370..=0x482 | 0x48A..=0x52F
            | 0x2010..=0x2027 | 0x2030..=0x205E
            | 0x20A0..=0x20CF | 0x2100..=0x27BF
            | 0x3000..=0x3029 | 0x3030..=0x303F
            | 0x3041..=0x3096 | 0x309B..=0x30FF
            | 0x4E00..=0x9FFF | 0xFF01..=0xFF9D)
}

/// Key of one word: xxh3 of its case-folded form. `buf` is scratch space,
/// so that only words that need folding pay for it.
fn word_key_with(word: &str, buf: &mut String) -> u64 {
    if word
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        xxh3_64(word.as_bytes())
    } else {
        buf.clear();
        fold_case_into(word, buf);
        xxh3_64(buf.as_bytes())
    }
}

/// Key of a word n-gram from the keys of its words.
fn combine_keys(keys: &[u64]) -> u64 {
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

/// Calls `f` with every sentence (a `&str` of a line's content) of a
/// normalised text, and with the Markdown structure along the way.
fn for_each_content_line<'t>(
    text: &'t str,
    md: &mut Markdown,
    mut f: impl FnMut(&'t str),
) -> usize {
    let mut in_code = false;
    let mut paragraphs = 0;
    let mut in_paragraph = false;
    for raw in text.split_inclusive('\n') {
        let blank = raw.trim().is_empty();
        if blank {
            in_paragraph = false;
        } else if !in_paragraph {
            in_paragraph = true;
            paragraphs += 1;
        }
        let line = markdown::line(raw);
        if line.block == Block::Fence {
            if !in_code {
                md.code_fences += 1;
            }
            in_code = !in_code;
            continue;
        }
        if in_code {
            f(raw.trim_end_matches('\n'));
            continue;
        }
        md.quoted_lines += usize::from(line.quoted);
        match line.block {
            Block::Heading => md.headings += 1,
            Block::Bullet => md.bullet_items += 1,
            Block::Numbered => md.numbered_items += 1,
            Block::TableDelimiter => md.tables += 1,
            Block::TableRow => md.table_rows += 1,
            Block::Rule => md.rules += 1,
            Block::Fence | Block::Plain => {}
        }
        if !line.content.is_empty() {
            let inline = markdown::inline(line.content);
            md.bold += inline.bold;
            md.italic += inline.italic;
            md.links += inline.links;
            md.inline_code += inline.inline_code;
            f(line.content);
        }
    }
    paragraphs
}

/// A cap of 0 means "no cap" (a hand-built or default profile).
fn effective_cap(cap: usize) -> usize {
    if cap == 0 {
        usize::MAX
    } else {
        cap
    }
}

fn prune_btree(table: &mut BTreeMap<u64, u32>, cap: usize) -> bool {
    let mut pruned = false;
    while table.len() > cap {
        pruned = true;
        let Some(min) = table.values().copied().min() else {
            break;
        };
        table.retain(|_, v| *v > min);
    }
    pruned
}

/// Adds `(string, count)` lists, keeping them sorted by count (most
/// first) then string.
fn merge_counted(into: &mut Vec<(String, u32)>, other: &[(String, u32)]) {
    let mut all: BTreeMap<String, u32> = BTreeMap::new();
    for (s, c) in into.iter().chain(other) {
        let e = all.entry(s.clone()).or_insert(0);
        *e = e.saturating_add(*c);
    }
    let mut v: Vec<(String, u32)> = all.into_iter().collect();
    crate::sort::stable_sort_by(&mut v, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    *into = v;
}

fn truncate_at_char(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Keys buffered before they are sorted and folded into the spill map:
/// 2^20 items (8 or 16 MB) bounds the memory of one table's buffer.
const FLUSH_ITEMS: usize = 1 << 20;

/// An n-gram occurrence: its key and where it starts (word index, or 0
/// for character n-grams, whose position is never needed).
trait Occurrence: Copy + Ord {
    fn key(&self) -> u64;
    fn pos(&self) -> u32;
}

impl Occurrence for u64 {
    fn key(&self) -> u64 {
        *self
    }
    fn pos(&self) -> u32 {
        0
    }
}

impl Occurrence for (u64, u32) {
    fn key(&self) -> u64 {
        self.0
    }
    fn pos(&self) -> u32 {
        self.1
    }
}

/// Counts n-gram keys by buffering them and sorting once, instead of a
/// hash-map update per n-gram: for the short texts that are the common
/// case, pushing to a vector and one sort are several times faster, and
/// the result comes out in key order, ready for the `BTreeMap`. A text
/// longer than [`FLUSH_ITEMS`] n-grams spills sorted runs into a hash map
/// (pruned to the cap), so memory stays bounded.
struct SortCounter<T> {
    buf: Vec<T>,
    spill: KeyMap<(u32, u32)>,
    cap: usize,
    pruned: bool,
}

impl<T: Occurrence> SortCounter<T> {
    fn new(cap: usize, expected: usize) -> Self {
        SortCounter {
            buf: Vec::with_capacity(expected.min(FLUSH_ITEMS)),
            spill: KeyMap::default(),
            cap,
            pruned: false,
        }
    }

    #[inline]
    fn push(&mut self, item: T) {
        self.buf.push(item);
        if self.buf.len() >= FLUSH_ITEMS {
            self.flush();
        }
    }

    /// Sorted `(key, count, first position)` runs of the buffer.
    fn runs(buf: &mut Vec<T>) -> Vec<(u64, u32, u32)> {
        let sorted = bucket_sort(buf);
        let mut out: Vec<(u64, u32, u32)> = Vec::with_capacity(sorted.len() / 2 + 1);
        for item in sorted.iter() {
            match out.last_mut() {
                Some(last) if last.0 == item.key() => last.1 = last.1.saturating_add(1),
                _ => out.push((item.key(), 1, item.pos())),
            }
        }
        out
    }

    fn flush(&mut self) {
        for (key, count, pos) in Self::runs(&mut self.buf) {
            let e = self.spill.entry(key).or_insert((0, pos));
            e.0 = e.0.saturating_add(count);
        }
        self.buf.clear();
        self.pruned |= prune_hash(&mut self.spill, self.cap);
    }

    /// `(key, count, first position)` in key order, and whether the cap
    /// made it drop items.
    fn finish(mut self) -> (Vec<(u64, u32, u32)>, bool) {
        let mut items = if self.spill.is_empty() {
            Self::runs(&mut self.buf)
        } else {
            self.flush();
            let mut v: Vec<(u64, u32, u32)> = self
                .spill
                .into_iter()
                .map(|(k, (c, p))| (k, c, p))
                .collect();
            v.sort_unstable();
            v
        };
        while items.len() > self.cap {
            self.pruned = true;
            let Some(min) = items.iter().map(|i| i.1).min() else {
                break;
            };
            items.retain(|i| i.1 > min);
        }
        (items, self.pruned)
    }
}

/// Sorts occurrences whose keys are uniformly distributed hashes: one
/// counting pass distributes them into about n/4 buckets by the top bits
/// of the key, then each small bucket is insertion-sorted. The keys'
/// uniformity makes this about three times faster than a comparison sort
/// of the whole slice, and sorting the n-gram buffers is the largest cost
/// of a profile. Returns the sorted occurrences.
fn bucket_sort<T: Occurrence>(buf: &mut Vec<T>) -> Vec<T> {
    let n = buf.len();
    if n < 64 {
        buf.sort_unstable();
        return std::mem::take(buf);
    }
    let bits = (usize::BITS - n.leading_zeros() - 2).min(16);
    let shift = 64 - bits;
    // ends[b] becomes the start of bucket b, then (after the scatter) its end.
    let mut ends = vec![0usize; 1usize << bits];
    for x in buf.iter() {
        ends[(x.key() >> shift) as usize] += 1;
    }
    let mut total = 0;
    for e in ends.iter_mut() {
        let count = *e;
        *e = total;
        total += count;
    }
    let mut sorted = buf.clone();
    for &x in buf.iter() {
        let b = (x.key() >> shift) as usize;
        sorted[ends[b]] = x;
        ends[b] += 1;
    }
    let mut start = 0;
    for &end in &ends {
        let bucket = &mut sorted[start..end];
        if bucket.len() <= 16 {
            insertion_sort(bucket);
        } else {
            bucket.sort_unstable();
        }
        start = end;
    }
    sorted
}

fn insertion_sort<T: Ord + Copy>(v: &mut [T]) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1] > x {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

fn prune_hash(table: &mut KeyMap<(u32, u32)>, cap: usize) -> bool {
    let mut pruned = false;
    while table.len() > cap {
        pruned = true;
        let Some(min) = table.values().map(|v| v.0).min() else {
            break;
        };
        table.retain(|_, v| v.0 > min);
    }
    pruned
}

fn items_to_btree(items: &[(u64, u32, u32)]) -> BTreeMap<u64, u32> {
    // The items are in key order: the map is built in bulk, in linear time.
    items.iter().map(|&(k, c, _)| (k, c)).collect()
}

/// Moving-average type-token ratio of a sequence of word keys.
fn mattr(keys: &[u64], window: usize) -> f64 {
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

impl Profile {
    /// Profile of one text (see the module documentation for what is
    /// counted). Never fails: an empty text gives a profile of zeros with
    /// `texts == 1`.
    pub fn of_text(text: &str, options: &ProfileOptions) -> Profile {
        let text = normalize_cow(text, &options.normalize);
        let text: &str = &text;
        let cap = effective_cap(options.max_table_entries);
        let mut pruned = false;
        let mut md = Markdown::default();

        let expected_words = text.len() / 4;
        let mut word_tables: [SortCounter<(u64, u32)>; 3] =
            std::array::from_fn(|_| SortCounter::new(cap, expected_words));
        let mut word_keys: Vec<u64> = Vec::new();
        let mut word_texts: Vec<&str> = Vec::new();
        let mut word_lengths = vec![0u32; WORD_LENGTH_BUCKETS];
        let mut sentence_lengths = vec![0u32; SENTENCE_LENGTH_BUCKETS];
        let mut punct: HashMap<&str, u32> = HashMap::new();
        let mut punctuation_tokens = 0usize;
        let mut emoji = 0usize;
        let mut sentences = 0usize;
        let mut last_sentence: Option<&str> = None;
        let mut buf = String::new();

        let paragraphs = for_each_content_line(text, &mut md, |content| {
            for_each_sentence_bound(content, |_, sentence| {
                let mut in_sentence = 0usize;
                for_each_word_bound(sentence, |_, piece| {
                    if is_emoji(piece) {
                        emoji += 1;
                        return;
                    }
                    match piece_kind(piece) {
                        PieceKind::Whitespace => {}
                        PieceKind::Punctuation => {
                            *punct.entry(piece).or_insert(0) += 1;
                            punctuation_tokens += 1;
                        }
                        PieceKind::Word => {
                            let pos = word_keys.len() as u32;
                            let key = word_key_with(piece, &mut buf);
                            word_keys.push(key);
                            word_texts.push(piece);
                            word_tables[0].push((key, pos));
                            if in_sentence >= 1 {
                                let k = combine_keys(&word_keys[word_keys.len() - 2..]);
                                word_tables[1].push((k, pos - 1));
                            }
                            if in_sentence >= 2 {
                                let k = combine_keys(&word_keys[word_keys.len() - 3..]);
                                word_tables[2].push((k, pos - 2));
                            }
                            in_sentence += 1;
                            let len = if piece.is_ascii() {
                                piece.len()
                            } else {
                                piece.chars().count()
                            };
                            word_lengths[len.clamp(1, WORD_LENGTH_BUCKETS) - 1] += 1;
                        }
                    }
                });
                if in_sentence > 0 {
                    sentences += 1;
                    sentence_lengths[in_sentence.min(SENTENCE_LENGTH_BUCKETS) - 1] += 1;
                    last_sentence = Some(sentence.trim());
                }
            });
        });

        // Character n-grams: one pass over the characters, keeping the
        // last `max_n` of them; at each position a backward walk hashes
        // the n-grams ending there for n = 1..=max_n.
        let max_n = options.max_char_ngram.min(MAX_CHAR_NGRAM);
        let mut char_tables: Vec<SortCounter<u64>> = (0..max_n)
            .map(|_| SortCounter::new(cap, text.len()))
            .collect();
        // A ring of the last 16 characters (MAX_CHAR_NGRAM, a power of
        // two): indexing by a mask, not by `% max_n`, keeps integer
        // division out of the innermost loop.
        const RING: usize = MAX_CHAR_NGRAM;
        let mut recent = ['\0'; RING];
        let mut chars = 0usize;
        let mut simple = true;
        for c in text.chars() {
            simple &= is_simple_char(c);
            recent[chars & (RING - 1)] = c;
            let mut state = CHAR_SEED;
            for (n, table) in char_tables.iter_mut().enumerate().take(chars + 1) {
                state = char_step(state, recent[chars.wrapping_sub(n) & (RING - 1)]);
                table.push(char_finish(state));
            }
            chars += 1;
        }
        let graphemes = if simple {
            chars
        } else {
            text.graphemes(true).count()
        };

        // Exact strings for the top items of each word n-gram order.
        let top_k = options.top_k;
        let mut top_word_ngrams: [Vec<(String, u32)>; 3] = Default::default();
        let word_items: Vec<Vec<(u64, u32, u32)>> = word_tables
            .into_iter()
            .map(|t| {
                let (items, p) = t.finish();
                pruned |= p;
                items
            })
            .collect();
        for (n, table) in word_items.iter().enumerate() {
            let mut items = table.clone();
            let by_count =
                |a: &(u64, u32, u32), b: &(u64, u32, u32)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
            if top_k < items.len() {
                items.select_nth_unstable_by(top_k, by_count);
                items.truncate(top_k);
            }
            items.sort_unstable_by(by_count);
            top_word_ngrams[n] = items
                .into_iter()
                .filter_map(|(_, count, pos)| {
                    let pos = pos as usize;
                    let ws = word_texts.get(pos..pos + n + 1)?;
                    let mut s = String::new();
                    for (i, w) in ws.iter().enumerate() {
                        if i > 0 {
                            s.push(' ');
                        }
                        fold_case_into(w, &mut s);
                    }
                    Some((s, count))
                })
                .collect();
        }

        let mut opening = String::new();
        for (i, w) in word_texts.iter().take(3).enumerate() {
            if i > 0 {
                opening.push(' ');
            }
            fold_case_into(w, &mut opening);
        }
        let opening_words = if opening.is_empty() {
            vec![]
        } else {
            vec![(opening, 1)]
        };
        let closing_sentences = last_sentence
            .map(|s| {
                vec![(
                    truncate_at_char(s, CLOSING_SENTENCE_MAX_BYTES).to_owned(),
                    1,
                )]
            })
            .unwrap_or_default();

        let mut punctuation_counts: BTreeMap<String, u32> = BTreeMap::new();
        for (mark, count) in punct {
            punctuation_counts.insert(mark.to_owned(), count);
        }

        let char_ngrams = char_tables
            .into_iter()
            .map(|t| {
                let (items, p) = t.finish();
                pruned |= p;
                items_to_btree(&items)
            })
            .collect();
        let mut profile = Profile {
            texts: 1,
            bytes: text.len(),
            chars,
            graphemes,
            words: word_keys.len(),
            sentences,
            paragraphs,
            word_ngrams: [
                items_to_btree(&word_items[0]),
                items_to_btree(&word_items[1]),
                items_to_btree(&word_items[2]),
            ],
            top_word_ngrams,
            char_ngrams,
            word_lengths,
            sentence_lengths,
            richness: Richness {
                mattr: mattr(&word_keys, options.mattr_window),
                ..Richness::default()
            },
            punctuation_per_1000: BTreeMap::new(),
            markdown: md,
            emoji,
            emoji_per_1000_words: 0.0,
            opening_words,
            closing_sentences,
            punctuation_counts,
            punctuation_tokens,
            top_k,
            pruned,
            max_table_entries: options.max_table_entries,
        };
        profile.derive();
        profile
    }

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
    fn derive(&mut self) {
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
        self.max_table_entries = self.max_table_entries.max(other.max_table_entries);
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
        add_buckets(&mut self.word_lengths, &other.word_lengths);
        add_buckets(&mut self.sentence_lengths, &other.sentence_lengths);
        for (mark, &c) in &other.punctuation_counts {
            let e = self.punctuation_counts.entry(mark.clone()).or_insert(0);
            *e = e.saturating_add(c);
        }
        merge_counted(&mut self.opening_words, &other.opening_words);
        merge_counted(&mut self.closing_sentences, &other.closing_sentences);

        self.top_k = self.top_k.max(other.top_k);
        for n in 0..3 {
            let mut candidates: BTreeMap<String, (u64, u32)> = BTreeMap::new();
            for (s, c) in self.top_word_ngrams[n]
                .iter()
                .chain(&other.top_word_ngrams[n])
            {
                let words: Vec<&str> = s.split(' ').collect();
                let key = word_ngram_key(&words);
                let entry = candidates.entry(s.clone()).or_insert((key, 0));
                // If pruning dropped the item, fall back to the listed counts.
                entry.1 = self.word_ngrams[n]
                    .get(&key)
                    .copied()
                    .unwrap_or(entry.1.saturating_add(*c));
            }
            let mut list: Vec<(String, u64, u32)> = candidates
                .into_iter()
                .map(|(s, (k, c))| (s, k, c))
                .collect();
            crate::sort::stable_sort_by(&mut list, |a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
            list.truncate(self.top_k);
            self.top_word_ngrams[n] = list.into_iter().map(|(s, _, c)| (s, c)).collect();
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
        p.texts += other.texts;
        p.bytes += other.bytes;
        p.chars += other.chars;
        p.graphemes += other.graphemes;
        p.words += other.words;
        p.sentences += other.sentences;
        p.paragraphs += other.paragraphs;
        p.punctuation_tokens += other.punctuation_tokens;
        p.emoji += other.emoji;
        p.markdown.add(&other.markdown);
        p.pruned |= other.pruned;
        p.top_k = p.top_k.max(other.top_k);
        p.max_table_entries = p.max_table_entries.max(other.max_table_entries);
        let cap = effective_cap(p.max_table_entries);
        add_buckets(&mut p.word_lengths, &other.word_lengths);
        add_buckets(&mut p.sentence_lengths, &other.sentence_lengths);
        for (mark, &c) in &other.punctuation_counts {
            match p.punctuation_counts.get_mut(mark) {
                Some(e) => *e = e.saturating_add(c),
                None => {
                    p.punctuation_counts.insert(mark.clone(), c);
                }
            }
        }
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
            let mut list: Vec<(String, u64, u32)> = candidates
                .into_keys()
                .filter_map(|s| {
                    let words: Vec<&str> = s.split(' ').collect();
                    let key = word_ngram_key(&words);
                    let count = p.word_ngrams[n].get(&key).copied()?;
                    Some((s, key, count))
                })
                .collect();
            crate::sort::stable_sort_by(&mut list, |a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
            list.truncate(p.top_k);
            p.top_word_ngrams[n] = list.into_iter().map(|(s, _, c)| (s, c)).collect();
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

fn sorted_counted(counts: HashMap<String, u32>) -> Vec<(String, u32)> {
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

/// Exact strings (case-folded words joined by one space) of the word
/// n-grams of order `n` (1..=3) of `text` whose keys are in `wanted`:
/// how a caller shows evidence for items it only knows by key. Profiling
/// options must be the ones the keys came from.
pub fn word_ngram_strings(
    text: &str,
    options: &ProfileOptions,
    n: usize,
    wanted: &std::collections::BTreeSet<u64>,
) -> BTreeMap<u64, String> {
    let mut found = BTreeMap::new();
    if !(1..=3).contains(&n) || wanted.is_empty() {
        return found;
    }
    let text = normalize_cow(text, &options.normalize);
    let mut md = Markdown::default();
    let mut buf = String::new();
    for_each_content_line(&text, &mut md, |content| {
        for_each_sentence_bound(content, |_, sentence| {
            let mut words: Vec<&str> = Vec::new();
            for_each_word_bound(sentence, |_, p| {
                if !is_emoji(p) && piece_kind(p) == PieceKind::Word {
                    words.push(p);
                }
            });
            let keys: Vec<u64> = words.iter().map(|w| word_key_with(w, &mut buf)).collect();
            for (i, window) in keys.windows(n).enumerate() {
                let key = combine_keys(window);
                if wanted.contains(&key) && !found.contains_key(&key) {
                    let mut s = String::new();
                    for (j, w) in words[i..i + n].iter().enumerate() {
                        if j > 0 {
                            s.push(' ');
                        }
                        fold_case_into(w, &mut s);
                    }
                    found.insert(key, s);
                }
            }
        });
    });
    found
}
