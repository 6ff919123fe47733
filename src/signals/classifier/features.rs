//! Feature extraction: hashed character and word n-grams, and a few
//! length-robust structure rates.
//!
//! Every n-gram is hashed with xxh3 (seedless, platform-stable) into a space
//! of `2^hash_bits` buckets; a second bit of the hash gives the sign of the
//! count (signed hashing, Weinberger et al. 2009) so that two n-grams that
//! collide in one bucket cancel on average instead of adding up.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasherDefault;

use crate::text;
use unicode_segmentation::UnicodeSegmentation;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// SipHash with fixed keys: the same on every platform and never asks the
/// OS for entropy (wasm32 has none to give). The maps using it are only
/// looked up, so their iteration order never reaches a result.
pub(crate) type FixedState = BuildHasherDefault<DefaultHasher>;

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
pub const STRUCTURE_NAMES: [&str; N_STRUCTURE] = [
    "paragraphs per 100 words",
    "bullet lines per 100 words",
    "numbered lines per 100 words",
    "heading lines per 100 words",
    "bold markers per 100 words",
    "code fences per 100 words",
    "table rows per 100 words",
    "line breaks per 100 words",
    "sentences per 100 words",
    "commas per 100 words",
    "colons per 100 words",
    "exclamation marks per 100 words",
    "question marks per 100 words",
    "parentheses per 100 words",
    "quotation marks per 100 words",
    "digits per 100 words",
    "mean word length (characters)",
    "share of capitalised words",
    "share of list lines among non-blank lines",
    "moving-average type-token ratio (window 50)",
];

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
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for t in texts {
        for w in text::words(t) {
            *counts.entry(w.text.to_lowercase()).or_insert(0) += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    crate::sort::stable_sort_by(&mut ranked, |a, b| {
        b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))
    });
    ranked.into_iter().take(n).map(|(w, _)| w).collect()
}

/// Text distortion (Stamatatos 2017, "DV-MA"): every word that is not among
/// the frequent words has its letters replaced by `*` and its digits by
/// `#`; punctuation, spacing, markdown and frequent words stay. What is left
/// is how a text is written, not what it is about, which is what carries
/// over to prompts the model was not seen answering.
pub(crate) fn mask_topic(text: &str, frequent: &HashSet<String, FixedState>) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in text.split_word_bounds() {
        let is_word = piece.chars().any(char::is_alphanumeric);
        if is_word && !frequent.contains(&piece.to_lowercase()) {
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
    }
    out
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
            let masked = mask_topic(text, &self.frequent);
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
    let bounds: Vec<usize> = padded
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(padded.len()))
        .collect();
    let n_chars = bounds.len() - 1;
    for start in 0..n_chars {
        for n in min.max(1)..=max {
            if start + n > n_chars {
                break;
            }
            let gram = &padded.as_bytes()[bounds[start]..bounds[start + n]];
            sink(xxh3_64_with_seed(gram, seed));
        }
    }
}

/// Order-dependent combination of two 64-bit hashes (a multiply-xorshift
/// step as in SplitMix64), so "is not" and "not is" differ.
fn mix(h: u64, x: u64) -> u64 {
    let mut z = (h ^ x.rotate_left(17)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z ^= z >> 31;
    z = z.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z ^ (z >> 29)
}

/// Length-robust structure features of a text: rates per 100 words,
/// shares and means, never raw lengths, because answer length differs up
/// to tenfold between models and must not decide an attribution alone.
/// Rates are compressed with ln(1 + rate) so one list-heavy answer does not
/// dominate. The order is that of [`STRUCTURE_NAMES`].
pub fn structure(text: &str) -> [f64; N_STRUCTURE] {
    let words = text::words(text);
    let n_words = words.len();
    let per100 = |count: usize| -> f64 {
        let rate = count as f64 * 100.0 / n_words.max(1) as f64;
        crate::detmath::ln(1.0 + rate)
    };

    let mut bullets = 0;
    let mut numbered = 0;
    let mut headings = 0;
    let mut table_rows = 0;
    let mut fences = 0;
    let mut non_blank = 0;
    for line in text.lines() {
        let t = line.trim_start();
        if t.is_empty() {
            continue;
        }
        non_blank += 1;
        if t.starts_with("```") {
            fences += 1;
        } else if t.starts_with('#') {
            headings += 1;
        } else if t.starts_with('|') {
            table_rows += 1;
        } else if ["- ", "* ", "+ ", "• "].iter().any(|p| t.starts_with(p)) {
            bullets += 1;
        } else {
            let digits = t.bytes().take_while(u8::is_ascii_digit).count();
            let rest = &t.as_bytes()[digits..];
            if digits > 0 && digits <= 3 && matches!(rest.first(), Some(b'.' | b')')) {
                numbered += 1;
            }
        }
    }
    let count_char = |pred: &dyn Fn(char) -> bool| text.chars().filter(|&c| pred(c)).count();
    let line_breaks = count_char(&|c| c == '\n');
    let commas = count_char(&|c| c == ',' || c == '，' || c == '、');
    let colons = count_char(&|c| c == ':' || c == '：');
    let exclamations = count_char(&|c| c == '!' || c == '！');
    let questions = count_char(&|c| c == '?' || c == '？');
    let parentheses = count_char(&|c| c == '(' || c == '（');
    let quotes = count_char(&|c| matches!(c, '"' | '“' | '”' | '«' | '»' | '„'));
    let digits = count_char(&|c| c.is_ascii_digit());
    let bold = text.matches("**").count() / 2;

    let mean_word_len = if n_words == 0 {
        0.0
    } else {
        words.iter().map(|w| w.text.chars().count()).sum::<usize>() as f64 / n_words as f64
    };
    let capitalised = if n_words == 0 {
        0.0
    } else {
        words
            .iter()
            .filter(|w| w.text.chars().next().is_some_and(char::is_uppercase))
            .count() as f64
            / n_words as f64
    };
    let list_share = if non_blank == 0 {
        0.0
    } else {
        (bullets + numbered) as f64 / non_blank as f64
    };

    [
        per100(text::paragraphs(text).len()),
        per100(bullets),
        per100(numbered),
        per100(headings),
        per100(bold),
        per100(fences),
        per100(table_rows),
        per100(line_breaks),
        per100(text::sentences(text).len()),
        per100(commas),
        per100(colons),
        per100(exclamations),
        per100(questions),
        per100(parentheses),
        per100(quotes),
        per100(digits),
        mean_word_len,
        capitalised,
        list_share,
        mattr(&words, 50),
    ]
}

/// Moving-average type-token ratio (Covington & McFall 2010): the mean TTR
/// of all windows of `window` words, which unlike plain TTR does not fall
/// as a text grows longer. Texts shorter than the window use their TTR.
fn mattr(words: &[text::Token<'_>], window: usize) -> f64 {
    if words.is_empty() {
        return 0.0;
    }
    // Words as hashes of their case-folded form; the map of the current
    // window's counts is only looked up and measured, never iterated, so
    // its order cannot matter.
    let folded: Vec<u64> = words
        .iter()
        .map(|w| xxh3_64_with_seed(w.text.to_lowercase().as_bytes(), WORD_SEED))
        .collect();
    let w = window.min(folded.len());
    let mut counts: HashMap<u64, usize, FixedState> = HashMap::default();
    for &f in &folded[..w] {
        *counts.entry(f).or_insert(0) += 1;
    }
    let mut total = counts.len() as f64;
    let n_windows = folded.len() - w + 1;
    for i in 1..n_windows {
        let out = folded[i - 1];
        if let Some(c) = counts.get_mut(&out) {
            *c -= 1;
            if *c == 0 {
                counts.remove(&out);
            }
        }
        *counts.entry(folded[i + w - 1]).or_insert(0) += 1;
        total += counts.len() as f64;
    }
    total / (n_windows as f64 * w as f64)
}
