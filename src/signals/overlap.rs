//! Verbatim overlap between two texts: word n-gram containment and shared
//! passages found by winnowing (Schleimer, Wilkerson & Aiken, SIGMOD 2003).
//!
//! Texts are compared as sequences of UAX #29 words after NFKC and the
//! removal of invisible characters, each word case-folded with homoglyphs
//! mapped to the Latin letters they imitate ([`fold_for_matching`]), so
//! punctuation, spacing, capitalisation, zero-width characters, full-width
//! forms and Cyrillic or Greek look-alikes do not break a match, while every
//! reported passage keeps its byte and UTF-16 offsets in the original texts.
//!
//! [`fold_for_matching`]: crate::text::fold::fold_for_matching
//!
//! Phrases that most sources produce ("Let me know if you have any other
//! questions") say nothing about who copied whom: a [`Boilerplate`] set,
//! built from many sources' texts, lists the word k-grams produced by at
//! least a given share of sources, and both [`containment_with`] and
//! [`shared_spans`] ignore them.
//!
//! ```
//! use lineage::signals::overlap::{containment, shared_spans, Boilerplate, OverlapOptions};
//! let a = "The mitochondria is the powerhouse of the cell, as every student learns.";
//! let b = "Remember: the mitochondria is the powerhouse of the cell.";
//! assert!(containment(b, a, 3) > 0.7);
//! let spans = shared_spans(a, b, &OverlapOptions::default(), &Boilerplate::none());
//! // Case is folded for matching; each side keeps its own spelling.
//! assert_eq!(spans[0].text, "The mitochondria is the powerhouse of the cell");
//! assert_eq!(&b[spans[0].b.start..spans[0].b.end], "the mitochondria is the powerhouse of the cell");
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::error::Error;
use crate::options::{set_count, OptionArgs};

use crate::text::fold::fold_for_matching_into;
use crate::text::{self, NormalForm, NormalizeOptions, Span};

mod sets;
pub use sets::{KgramSequence, NgramSets};

/// Options of the winnowing matcher.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverlapOptions {
    /// Words per k-gram: the shortest passage that can match.
    pub k: usize,
    /// Winnowing window, in k-grams: every shared passage of at least
    /// `k + window - 1` words is guaranteed to be found.
    pub window: usize,
}

impl Default for OverlapOptions {
    fn default() -> Self {
        Self { k: 5, window: 4 }
    }
}

/// A selected k-gram of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// xxh3 hash of the k case-folded words.
    pub hash: u64,
    /// Index of the k-gram's first word among the text's words.
    pub word: usize,
    /// Where the k-gram is in the text (first word's start to last word's end).
    pub span: Span,
}

/// Options of `sharedSpans`; every field may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct SharedSpansOptions {
    /// Words of the shortest passage that counts as shared, 1..=64 (default 5).
    pub min_words: Option<usize>,
    /// Winnowing window in k-grams, 1..=64 (default 4): every shared
    /// passage of at least `minWords + window - 1` words is guaranteed to
    /// be found; shorter ones may be.
    pub window: Option<usize>,
}

impl OptionArgs for SharedSpansOptions {
    type Options = OverlapOptions;

    /// The matcher's options; a value out of range is a `BAD_ARGUMENT`
    /// naming it (longer k-grams or wider windows would only slow the
    /// matcher down).
    fn to_options(&self) -> Result<OverlapOptions, Error> {
        let mut opts = OverlapOptions::default();
        set_count(&mut opts.k, "minWords", self.min_words, (1, 64))?;
        set_count(&mut opts.window, "window", self.window, (1, 64))?;
        Ok(opts)
    }
}

/// A maximal passage two texts share word for word (case-folded).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct SharedSpan {
    /// Where the passage is in the first text.
    pub a: Span,
    /// Where the passage is in the second text.
    pub b: Span,
    /// Its length in words.
    pub words: usize,
    /// The passage as written in the first text.
    pub text: String,
}

/// Word k-grams that many sources produce, to be ignored as evidence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Boilerplate {
    k: usize,
    /// The stock phrases, shared (not copied) by every per-prompt set
    /// [`with_text`](Boilerplate::with_text) makes.
    hashes: std::sync::Arc<BTreeSet<u64>>,
    /// K-grams discounted for one prompt only: the prompt's own words,
    /// which every answer may quote.
    extra: BTreeSet<u64>,
}

/// How texts are normalised for matching: compatibility forms folded
/// (NFKC) and invisible characters removed, so that full-width letters,
/// ligatures, odd spaces and zero-width characters slipped into a copy do
/// not hide it.
const MATCH_NORMALIZATION: NormalizeOptions = NormalizeOptions {
    form: NormalForm::Nfkc,
    strip_zero_width: true,
};

/// A text as matching keys of words ([`fold_for_matching`]: case and
/// homoglyphs folded) with their spans in the *original* text.
struct Words {
    spans: Vec<Span>,
    folded: Vec<String>,
}

impl Words {
    fn new(original: &str) -> Self {
        let mut folded = Vec::new();
        let mut push_key = |word: &str| {
            let mut key = String::with_capacity(word.len());
            fold_for_matching_into(word, &mut key);
            folded.push(key);
        };
        let normal = text::normalize_cow(original, &MATCH_NORMALIZATION);
        if let Cow::Borrowed(_) = normal {
            // Already normal (the common case): words are found in the
            // original itself.
            let tokens = text::words(original);
            tokens.iter().for_each(|t| push_key(t.text));
            let spans = tokens.into_iter().map(|t| t.span).collect();
            return Words { spans, folded };
        }
        let normalized = text::normalize_with_offsets(original, &MATCH_NORMALIZATION);
        let tokens = text::words(&normalized.text);
        tokens.iter().for_each(|t| push_key(t.text));
        // Map every word back to the original. Starts never decrease, so
        // the UTF-16 offsets are counted in one pass over the original.
        let (mut byte, mut utf16) = (0usize, 0usize);
        let spans = tokens
            .iter()
            .map(|t| {
                let (start, end) = normalized.original_span(t.span.start, t.span.end);
                if start >= byte {
                    utf16 += text::utf16_len(&original[byte..start]);
                } else {
                    utf16 -= text::utf16_len(&original[start..byte]);
                }
                byte = start;
                Span {
                    start,
                    end,
                    start_utf16: utf16,
                    end_utf16: utf16 + text::utf16_len(&original[start..end]),
                }
            })
            .collect();
        Words { spans, folded }
    }

    fn len(&self) -> usize {
        self.folded.len()
    }

    /// Hash of the n words starting at `start` (caller checks the range),
    /// built in `buf` (reused across calls: no allocation per n-gram).
    fn ngram_hash(&self, start: usize, n: usize, buf: &mut String) -> u64 {
        buf.clear();
        for (i, w) in self.folded[start..start + n].iter().enumerate() {
            if i > 0 {
                // A separator that cannot occur inside a word.
                buf.push('\u{1f}');
            }
            buf.push_str(w);
        }
        xxh3_64(buf.as_bytes())
    }

    /// Hashes of all n-grams, in order (empty when the text is shorter).
    fn ngram_hashes(&self, n: usize) -> Vec<u64> {
        if n == 0 || self.len() < n {
            return Vec::new();
        }
        let mut buf = String::new();
        (0..=self.len() - n)
            .map(|i| self.ngram_hash(i, n, &mut buf))
            .collect()
    }

    /// The span from the start of word `from` to the end of word `to - 1`.
    fn span(&self, from: usize, to: usize) -> Span {
        let (s, e) = (self.spans[from], self.spans[to - 1]);
        Span {
            start: s.start,
            end: e.end,
            start_utf16: s.start_utf16,
            end_utf16: e.end_utf16,
        }
    }

    /// Words inside some k-gram of `hashes`.
    fn mask_of(&self, hashes: &BTreeSet<u64>, k: usize) -> Vec<bool> {
        let mut mask = vec![false; self.len()];
        for (i, h) in self.ngram_hashes(k).iter().enumerate() {
            if hashes.contains(h) {
                mask[i..i + k].iter_mut().for_each(|m| *m = true);
            }
        }
        mask
    }
}

/// Hashes of every word k-gram of a text (not only the winnowed ones), the
/// material of a [`Boilerplate`] set: a phrase is recognised wherever it
/// falls relative to the winnowing windows.
pub fn kgram_hashes(text: &str, k: usize) -> BTreeSet<u64> {
    Words::new(text).ngram_hashes(k).into_iter().collect()
}

impl Boilerplate {
    /// An empty set: nothing is discounted.
    pub fn none() -> Self {
        Self::default()
    }

    /// From one k-gram hash set per source (the union over that source's
    /// texts, see [`kgram_hashes`]): the k-grams that at least `min_share`
    /// of the sources produce, and never fewer than two sources, since a
    /// phrase only one source uses is its own habit, not boilerplate.
    pub fn from_sets(per_source: &[BTreeSet<u64>], k: usize, min_share: f64) -> Self {
        let needed = Self::sources_needed(per_source.len(), min_share);
        let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
        for set in per_source {
            for &h in set {
                *counts.entry(h).or_insert(0) += 1;
            }
        }
        Boilerplate {
            k,
            hashes: std::sync::Arc::new(
                counts
                    .into_iter()
                    .filter(|&(_, c)| c >= needed)
                    .map(|(h, _)| h)
                    .collect(),
            ),
            extra: BTreeSet::new(),
        }
    }

    /// This set plus every k-gram of `text` (with this set's k): for one
    /// prompt, its own words are discounted too, since every answer may
    /// quote the prompt. The stock phrases are shared, not copied.
    pub fn with_text(&self, text: &str) -> Self {
        let k = self.k.max(1);
        Boilerplate {
            k,
            hashes: self.hashes.clone(),
            extra: kgram_hashes(text, k),
        }
    }

    /// From the k-gram sequences of each source's texts (`per_source[s]`),
    /// all of length `k`: the same set as [`from_sets`](Self::from_sets) of
    /// their hashes, by sorting instead of a tree per source.
    pub fn from_sequences(per_source: &[Vec<&KgramSequence>], k: usize, min_share: f64) -> Self {
        let needed = Self::sources_needed(per_source.len(), min_share);
        let mut all: Vec<u64> = Vec::new();
        for texts in per_source {
            let start = all.len();
            for seq in texts {
                all.extend_from_slice(&seq.hashes);
            }
            let mut own = all.split_off(start);
            own.sort_unstable();
            own.dedup();
            all.append(&mut own);
        }
        all.sort_unstable();
        Boilerplate {
            k,
            hashes: std::sync::Arc::new(
                all.chunk_by(|a, b| a == b)
                    .filter(|run| run.len() >= needed)
                    .map(|run| run[0])
                    .collect(),
            ),
            extra: BTreeSet::new(),
        }
    }

    /// Sources that must share a k-gram for it to be boilerplate: at least
    /// `min_share` of them, and never fewer than two.
    fn sources_needed(sources: usize, min_share: f64) -> usize {
        ((min_share.clamp(0.0, 1.0) * sources as f64).ceil() as usize).max(2)
    }

    /// Convenience: `sources[s]` are the texts of source `s`.
    pub fn from_sources(sources: &[Vec<&str>], opts: &OverlapOptions, min_share: f64) -> Self {
        let sets: Vec<BTreeSet<u64>> = sources
            .iter()
            .map(|texts| texts.iter().flat_map(|t| kgram_hashes(t, opts.k)).collect())
            .collect();
        Self::from_sets(&sets, opts.k, min_share)
    }

    /// Whether a k-gram hash is boilerplate.
    pub fn contains(&self, hash: u64) -> bool {
        self.hashes.contains(&hash) || self.extra.contains(&hash)
    }

    /// Number of boilerplate k-grams.
    pub fn len(&self) -> usize {
        self.hashes.len()
            + self
                .extra
                .iter()
                .filter(|h| !self.hashes.contains(h))
                .count()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty() && self.extra.is_empty()
    }

    /// The k-gram length the set was built with.
    pub fn k(&self) -> usize {
        self.k
    }
}

/// Containment of `a` in `b` (Broder 1997): the share of `a`'s distinct
/// word n-grams that also occur in `b`, in [0, 1]. 0 when `a` has fewer
/// than `n` words (or `n` is 0): there is nothing to be contained.
pub fn containment(a: &str, b: &str, n: usize) -> f64 {
    containment_with(a, b, n, &Boilerplate::none())
}

/// [`containment`] ignoring `a`'s n-grams whose words all lie inside
/// boilerplate k-grams (they are left out of the numerator and the
/// denominator alike).
pub fn containment_with(a: &str, b: &str, n: usize, boilerplate: &Boilerplate) -> f64 {
    NgramSets::of(a, n, boilerplate).containment_in(&NgramSets::of(b, n, boilerplate))
}

/// Winnowing: in every window of `window` consecutive k-gram hashes the
/// minimum is selected (the rightmost on ties, so a run of equal hashes
/// yields one fingerprint per window shift, as in the paper's robust
/// winnowing), each selected position once. A text with fewer k-grams than
/// the window still gets its minimum.
pub fn fingerprints(text: &str, opts: &OverlapOptions) -> Vec<Fingerprint> {
    let words = Words::new(text);
    winnow(&words, &words.ngram_hashes(opts.k.max(1)), opts)
}

fn winnow(words: &Words, hashes: &[u64], opts: &OverlapOptions) -> Vec<Fingerprint> {
    let k = opts.k.max(1);
    let w = opts.window.max(1).min(hashes.len().max(1));
    let mut out: Vec<Fingerprint> = Vec::new();
    if hashes.is_empty() {
        return out;
    }
    for start in 0..=hashes.len() - w {
        let mut best = start;
        for i in start..start + w {
            if hashes[i] <= hashes[best] {
                best = i;
            }
        }
        if out.last().map_or(true, |f| f.word != best) {
            out.push(Fingerprint {
                hash: hashes[best],
                word: best,
                span: words.span(best, best + k),
            });
        }
    }
    out
}

/// Work bound of [`shared_spans`] (seed positions tried plus words walked):
/// ordinary texts stay far below it; a text made of one phrase repeated
/// thousands of times would otherwise cost time quadratic in its length
/// (every repetition matches every other). Past the bound the passages
/// found so far are returned. About 40 ms natively.
pub const MAX_MATCH_STEPS: usize = 1 << 22;

/// Maximal passages shared by `a` and `b`, longest first (ties by position
/// in `a`, then in `b`), at least `opts.k` words each.
///
/// The winnowed fingerprints of `a` are the seeds; each is looked up among
/// all k-grams of `b`, checked word by word (so a hash collision cannot
/// fake a match), and extended in both directions to the maximal run of
/// equal words. Seeds that are boilerplate are skipped, so a passage made
/// only of boilerplate is not reported. Runs are then taken greedily,
/// longest first, skipping any that overlaps an already taken run in `a` or
/// in `b`. Every shared passage of at least `k + window - 1` words is found,
/// unless the texts are so repetitive that [`MAX_MATCH_STEPS`] is reached.
pub fn shared_spans(
    a: &str,
    b: &str,
    opts: &OverlapOptions,
    boilerplate: &Boilerplate,
) -> Vec<SharedSpan> {
    let k = opts.k.max(1);
    let wa = Words::new(a);
    let wb = Words::new(b);
    let ha = wa.ngram_hashes(k);
    let hb = wb.ngram_hashes(k);
    if ha.is_empty() || hb.is_empty() {
        return Vec::new();
    }
    let mut index: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (j, &h) in hb.iter().enumerate() {
        index.entry(h).or_default().push(j);
    }
    let skip_boilerplate = !boilerplate.is_empty() && boilerplate.k == k;
    // Runs as (start in a, start in b, length in words).
    let mut runs: BTreeSet<(usize, usize, usize)> = BTreeSet::new();
    // End (in a) of the last run found on each diagonal (offset in b minus
    // offset in a, shifted by |a| to index a vector). Seeds come in
    // increasing order in a, so a seed before that end lies on the same
    // maximal run, which is not walked again.
    let mut diagonal_end = vec![0usize; wa.len() + wb.len() + 1];
    let mut steps = 0usize;
    'seeds: for fp in winnow(&wa, &ha, opts) {
        if skip_boilerplate && boilerplate.contains(fp.hash) {
            continue;
        }
        let Some(positions) = index.get(&fp.hash) else {
            continue;
        };
        let i = fp.word;
        for &j in positions {
            if steps > MAX_MATCH_STEPS {
                break 'seeds;
            }
            steps += 1;
            let diagonal = j + wa.len() - i;
            if i < diagonal_end[diagonal] || wa.folded[i..i + k] != wb.folded[j..j + k] {
                continue;
            }
            let (mut s_a, mut s_b) = (i, j);
            while s_a > 0 && s_b > 0 && wa.folded[s_a - 1] == wb.folded[s_b - 1] {
                s_a -= 1;
                s_b -= 1;
            }
            let (mut e_a, mut e_b) = (i + k, j + k);
            while e_a < wa.len() && e_b < wb.len() && wa.folded[e_a] == wb.folded[e_b] {
                e_a += 1;
                e_b += 1;
            }
            steps += e_a - s_a;
            runs.insert((s_a, s_b, e_a - s_a));
            diagonal_end[diagonal] = e_a;
        }
    }
    // Words of `a` quoted from the prompt (the per-prompt part of the
    // boilerplate) are no evidence: a run is cut around them and the
    // pieces of at least k words are kept. Stock phrases inside a longer
    // copied passage stay part of it.
    if !boilerplate.extra.is_empty() && boilerplate.k == k {
        let quoted = wa.mask_of(&boilerplate.extra, k);
        runs = runs
            .into_iter()
            .flat_map(|(s_a, s_b, len)| {
                let mut pieces = Vec::new();
                let mut start = s_a;
                let end = s_a + len;
                let cuts = (s_a..end).filter(|&i| quoted[i]).chain([end]);
                for i in cuts {
                    if i - start >= k {
                        pieces.push((start, s_b + (start - s_a), i - start));
                    }
                    start = i + 1;
                }
                pieces
            })
            .collect();
    }
    let mut ordered: Vec<(usize, usize, usize)> = runs.into_iter().collect();
    crate::sort::stable_sort_by(&mut ordered, |x, y| {
        y.2.cmp(&x.2).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1))
    });
    // Words already in a taken run, per side. Checking and marking cost
    // the run's length, and the runs' lengths add up to at most the work
    // bound above.
    let (mut used_a, mut used_b) = (vec![false; wa.len()], vec![false; wb.len()]);
    let mut taken: Vec<(usize, usize, usize)> = Vec::new();
    for run in ordered {
        let (side_a, side_b) = (run.0..run.0 + run.2, run.1..run.1 + run.2);
        if !used_a[side_a.clone()].contains(&true) && !used_b[side_b.clone()].contains(&true) {
            used_a[side_a].fill(true);
            used_b[side_b].fill(true);
            taken.push(run);
        }
    }
    taken
        .into_iter()
        .map(|(s_a, s_b, len)| {
            let span_a = wa.span(s_a, s_a + len);
            SharedSpan {
                a: span_a,
                b: wb.span(s_b, s_b + len),
                words: len,
                text: a[span_a.start..span_a.end].to_string(),
            }
        })
        .collect()
}
