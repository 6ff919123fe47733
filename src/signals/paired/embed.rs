//! The [`Embedder`]: corpus statistics (idf tables, the most frequent
//! words, the means and standard deviations that z-score rates) fitted on
//! all the texts of an analysis, and the [`TextRepr`] of each text under
//! them.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::{
    column_stats, is_capitalised, sorted_hashes, PairedSignal, TextRepr, Vectors, OPENING_WORDS,
};
use crate::detmath::ln;
use crate::features::mask_topic;
use crate::signals::features::{
    char_ngram_counts, structure_features, word_tokens, SparseVec, CHAR_HASH_BITS,
};
use crate::stats::FixedState;
use crate::text;

/// Document frequencies over a hashed feature space, for idf weights.
#[derive(Clone, Debug)]
struct Idf {
    df: Vec<f32>,
    n_docs: f32,
    /// `ln(n_docs / df) + 1` for every document frequency `df` in
    /// `1..=n_docs` (index 0 unused): one `ln` per distinct frequency
    /// instead of one per feature of every text, the same bits.
    by_df: Vec<f64>,
}

impl Idf {
    fn fit<'a>(docs: impl Iterator<Item = &'a SparseVec>) -> Idf {
        let mut df = vec![0.0f32; 1 << CHAR_HASH_BITS];
        let mut n_docs = 0.0f32;
        for d in docs {
            n_docs += 1.0;
            for &(k, _) in &d.0 {
                df[k as usize] += 1.0;
            }
        }
        let n_docs = n_docs.max(1.0);
        let by_df = (0..=n_docs as usize)
            .map(|d| ln((n_docs / (d as f32).max(1.0)) as f64) + 1.0)
            .collect();
        Idf { df, n_docs, by_df }
    }

    fn idf(&self, key: u32) -> f64 {
        let df = self.df[key as usize].max(1.0);
        match self.by_df.get(df as usize) {
            // Document frequencies are whole counts below 2^24: exact.
            Some(&idf) if df == df.trunc() => idf,
            _ => ln((self.n_docs / df) as f64) + 1.0,
        }
    }

    /// Damped rate times idf, scaled to unit length. The weight
    /// ln(1 + 1000 c / L), with c a feature's count and L the text's total,
    /// damps repeats as sublinear tf does but on the *rate*: a text
    /// repeated twice gets the same vector, so length cannot leak in.
    /// Features no fitted text had get the idf of a feature seen once.
    fn weigh(&self, counts: &SparseVec) -> SparseVec {
        let total: f32 = counts.total().max(1.0);
        // Most features occur once or a few times in a text: the damped
        // rate of small whole counts is computed once per text.
        let damp = |c: f32| ln(1.0 + 1000.0 * (c as f64) / total as f64);
        let small: [f64; 8] = std::array::from_fn(|c| damp(c as f32));
        SparseVec(
            counts
                .0
                .iter()
                .map(|&(k, c)| {
                    // detmath: the same bits natively and in wasm.
                    let damped = if (0.0..8.0).contains(&c) && c == c.trunc() {
                        small[c as usize]
                    } else {
                        damp(c)
                    };
                    (k, (damped * self.idf(k)) as f32)
                })
                .collect(),
        )
        .normalized()
    }
}

/// Turns texts into [`TextRepr`]s with statistics fitted on one corpus.
#[derive(Clone, Debug)]
pub struct Embedder {
    max_char_n: usize,
    char_idf: Idf,
    word_idf: Idf,
    masked_idf: Option<Idf>,
    /// Most frequent words and their index in `function_words`.
    frequent: HashMap<String, usize, FixedState>,
    fw_mean: Vec<f64>,
    fw_sd: Vec<f64>,
    struct_mean: Vec<f64>,
    struct_sd: Vec<f64>,
}

/// An embedder fitted on a corpus, with that corpus embedded.
pub struct Embedded {
    pub embedder: Embedder,
    pub reprs: Vec<TextRepr>,
    /// Case-folded words of each text (UAX #29).
    pub words: Vec<Vec<String>>,
    /// Raw structure features of each text ([`STRUCTURE_NAMES`] order).
    ///
    /// [`STRUCTURE_NAMES`]: super::features::STRUCTURE_NAMES
    pub structure: Vec<Vec<f64>>,
}

/// Per-text material read once: what the corpus statistics are fitted on.
struct Raw {
    words: Vec<String>,
    chars: SparseVec,
    word_counts: SparseVec,
    /// All structure features, length first.
    structure: Vec<f64>,
}

/// How an [`Embedder`] is fitted.
#[derive(Clone, Debug)]
pub struct EmbedOptions<'a> {
    /// Character n-grams n = 1..=this.
    pub max_char_n: usize,
    /// How many most frequent words are function words (and stay unmasked).
    pub n_frequent: usize,
    /// The signals that will be used: masked n-grams are computed only for
    /// those that need them ([`super::Definition::needs_masked_ngrams`]).
    pub signals: &'a [PairedSignal],
}

impl Embedder {
    /// Fits the corpus statistics on `texts` and embeds them. `groups` are
    /// the texts of each source: the frequent words are ranked by the mean
    /// over sources of each source's relative frequency, so a verbose
    /// source does not choose them alone (one group when empty). Idf
    /// tables, and the means and standard deviations that z-score rates,
    /// come from all `texts`.
    pub fn fit(texts: &[&str], groups: &[Vec<usize>], opts: &EmbedOptions<'_>) -> Embedded {
        let max_char_n = opts.max_char_n.max(1);
        let raws: Vec<Raw> = crate::stats::par_map(texts, |t| raw(t, max_char_n));
        let all: Vec<usize> = (0..texts.len()).collect();
        let groups: Vec<&[usize]> = if groups.is_empty() {
            vec![&all]
        } else {
            groups.iter().map(Vec::as_slice).collect()
        };
        let frequent = rank_frequent(&raws, &groups, opts.n_frequent);
        let mut e = Embedder {
            max_char_n,
            char_idf: Idf::fit(raws.iter().map(|r| &r.chars)),
            word_idf: Idf::fit(raws.iter().map(|r| &r.word_counts)),
            masked_idf: None,
            frequent: frequent
                .iter()
                .enumerate()
                .map(|(i, w)| (w.clone(), i))
                .collect(),
            fw_mean: Vec::new(),
            fw_sd: Vec::new(),
            struct_mean: Vec::new(),
            struct_sd: Vec::new(),
        };
        let masked: Option<Vec<SparseVec>> = opts
            .signals
            .iter()
            .any(|s| s.def().needs_masked_ngrams)
            .then(|| crate::stats::par_map(texts, |t| char_ngram_counts(&e.mask(t), max_char_n)));
        if let Some(m) = &masked {
            e.masked_idf = Some(Idf::fit(m.iter()));
        }
        let rates: Vec<Vec<f64>> = raws.iter().map(|r| e.rates(&r.words)).collect();
        (e.fw_mean, e.fw_sd) = column_stats(&rates);
        (e.struct_mean, e.struct_sd) = column_stats(
            &raws
                .iter()
                .map(|r| r.structure[1..].to_vec())
                .collect::<Vec<_>>(),
        );
        let items: Vec<usize> = (0..texts.len()).collect();
        let reprs = crate::stats::par_map(&items, |&i| {
            e.repr(
                texts[i],
                &raws[i],
                &rates[i],
                masked.as_ref().map(|m| &m[i]),
            )
        });
        let (words, structure) = raws.into_iter().map(|r| (r.words, r.structure)).unzip();
        Embedded {
            embedder: e,
            reprs,
            words,
            structure,
        }
    }

    /// The most frequent words (function words), most frequent first.
    pub fn frequent_words(&self) -> Vec<&str> {
        let mut v: Vec<(&str, usize)> = self
            .frequent
            .iter()
            .map(|(w, i)| (w.as_str(), *i))
            .collect();
        crate::sort::stable_sort_by_key(&mut v, |x| x.1);
        v.into_iter().map(|x| x.0).collect()
    }

    /// Relative frequencies of the frequent words among `words`.
    fn rates(&self, words: &[String]) -> Vec<f64> {
        let mut rates = vec![0.0; self.frequent.len()];
        for w in words {
            if let Some(&j) = self.frequent.get(w) {
                rates[j] += 1.0;
            }
        }
        if !words.is_empty() {
            let n = words.len() as f64;
            rates.iter_mut().for_each(|x| *x /= n);
        }
        rates
    }

    /// Text distortion: letters of words outside the frequent words become
    /// `*`, their digits `#`; punctuation, layout and frequent words stay.
    fn mask(&self, text: &str) -> String {
        mask_topic(text, |w| self.frequent.contains_key(w))
    }

    /// The representation of a new text under the fitted statistics.
    pub fn embed(&self, text: &str) -> TextRepr {
        let r = raw(text, self.max_char_n);
        let rates = self.rates(&r.words);
        let masked = self
            .masked_idf
            .as_ref()
            .map(|_| char_ngram_counts(&self.mask(text), self.max_char_n));
        self.repr(text, &r, &rates, masked.as_ref())
    }

    fn repr(&self, text: &str, raw: &Raw, rates: &[f64], masked: Option<&SparseVec>) -> TextRepr {
        let z = |v: &[f64], mu: &[f64], sd: &[f64]| -> Vec<f64> {
            v.iter()
                .zip(mu.iter().zip(sd))
                .map(|(x, (m, s))| if *s > 0.0 { (x - m) / s } else { 0.0 })
                .collect()
        };
        let pairs = sorted_hashes(raw.words.windows(2).map(|w| {
            xxh3_64_with_seed(w[0].as_bytes(), PAIR_SEED)
                ^ xxh3_64_with_seed(w[1].as_bytes(), PAIR_SEED + 1).rotate_left(17)
        }));
        let names = sorted_hashes(
            text::words(text)
                .into_iter()
                .filter(|t| is_capitalised(t.text))
                .map(|t| xxh3_64_with_seed(t.text.as_bytes(), NAME_SEED)),
        );
        let opening = sorted_hashes(
            raw.words
                .iter()
                .take(OPENING_WORDS)
                .enumerate()
                .map(|(i, w)| xxh3_64_with_seed(w.as_bytes(), OPENING_SEED + i as u64)),
        );
        let vectors = Vectors {
            chars: self.char_idf.weigh(&raw.chars),
            words: self.word_idf.weigh(&raw.word_counts),
            masked: match (&self.masked_idf, masked) {
                (Some(idf), Some(m)) => idf.weigh(m),
                _ => SparseVec::default(),
            },
            function_words: z(rates, &self.fw_mean, &self.fw_sd),
            structure: z(&raw.structure[1..], &self.struct_mean, &self.struct_sd),
            log_len: ln(raw.words.len() as f64 + 1.0),
        };
        TextRepr {
            vectors,
            pairs,
            names,
            opening,
        }
    }
}

fn raw(text: &str, max_char_n: usize) -> Raw {
    let words = word_tokens(text);
    let mask = (1u64 << CHAR_HASH_BITS) - 1;
    let word_counts = SparseVec::counting(
        words
            .iter()
            .map(|w| (xxh3_64_with_seed(w.as_bytes(), WORD_SEED) & mask) as u32)
            .collect(),
    );
    Raw {
        chars: char_ngram_counts(text, max_char_n),
        structure: structure_features(text, &words),
        words,
        word_counts,
    }
}

/// The `n` words with the highest mean over groups of their relative
/// frequency in the group (ties alphabetically).
fn rank_frequent(raws: &[Raw], groups: &[&[usize]], n: usize) -> Vec<String> {
    // Each word's mean is added group by group, in group order, as a map
    // keyed by word would; the ranking then orders every word fully.
    let mut mean_rel: HashMap<&str, f64, FixedState> = HashMap::default();
    for g in groups {
        let mut counts: HashMap<&str, f64, FixedState> = HashMap::default();
        let mut total = 0.0;
        for &i in g.iter() {
            for w in &raws[i].words {
                *counts.entry(w.as_str()).or_insert(0.0) += 1.0;
                total += 1.0;
            }
        }
        if total > 0.0 {
            for (w, c) in counts {
                *mean_rel.entry(w).or_insert(0.0) += c / total / groups.len() as f64;
            }
        }
    }
    let mut ranked: Vec<(&str, f64)> = mean_rel.into_iter().collect();
    crate::sort::stable_sort_by(&mut ranked, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    ranked
        .into_iter()
        .take(n.max(1))
        .map(|(w, _)| w.to_string())
        .collect()
}

const WORD_SEED: u64 = 0x776f_7264; // "word"
const PAIR_SEED: u64 = 0x7061_6972; // "pair"
const NAME_SEED: u64 = 0x6e61_6d65; // "name"
const OPENING_SEED: u64 = 0x6f70_656e; // "open"
