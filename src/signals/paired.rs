//! The paired signals: how alike two answers to the *same prompt* are,
//! measured several ways that a distilled student inherits from its
//! teacher — the content it chooses, the phrasing, the names and examples
//! it brings up, how it opens, its function-word rates, its layout, its
//! length.
//!
//! Why answers to the same prompt: a student trained on a teacher's
//! outputs learns, prompt by prompt, what the teacher would say. Comparing
//! answers to one prompt holds the topic fixed, and the analysis compares
//! the suspect's answer with the *control's* answer to the same prompt in
//! exactly the same way, so whatever the prompt itself explains cancels in
//! the excess (see `docs/METHOD.md`, "Per-prompt scores").
//!
//! Every signal is a similarity in which higher means more alike. Each text
//! is first turned into a [`TextRepr`] by an [`Embedder`] fitted on all the
//! texts of an analysis (idf weights, the most frequent words and the
//! standardisation of rates), so the suspect, the control and the
//! candidates are represented by one and the same computation.
//!
//! ```
//! use lineage::signals::paired::{EmbedOptions, Embedder, PairedSignal};
//! let texts = ["Sure! Here are three ideas:\n\n1. Paris\n2. Rome", "Sure! Here are some ideas:\n\n1. Paris\n2. Oslo", "No."];
//! let opts = EmbedOptions { max_char_n: 4, n_frequent: 300, signals: PairedSignal::ALL };
//! let r = Embedder::fit(&texts, &[], &opts).reprs;
//! let near = PairedSignal::Opening.similarity(&r[0], &r[1], texts[0], texts[1], None);
//! let far = PairedSignal::Opening.similarity(&r[0], &r[2], texts[0], texts[2], None);
//! assert!(near > far);
//! ```

use std::collections::{BTreeMap, BTreeSet};

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::features::{
    char_ngram_counts, structure_features, word_tokens, SparseVec, CHAR_HASH_BITS,
};
use super::overlap::{self, Boilerplate};
use crate::text;

/// One way of comparing two answers to the same prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PairedSignal {
    /// Cosine of character 1..n-gram tf-idf vectors: wording and spelling.
    CharNgrams,
    /// Cosine of word tf-idf vectors: the content chosen.
    Words,
    /// Overlap of distinct word bigrams: phrasing.
    WordPairs,
    /// Overlap of capitalised words: the names and examples brought up.
    Names,
    /// Jaccard of the first words: the opening formula.
    Opening,
    /// Cosine of z-scored rates of the most frequent words (Cosine Delta on
    /// one answer each).
    FunctionWords,
    /// Negative RMS distance of z-scored layout and punctuation rates
    /// (length excluded: it is a signal of its own).
    Structure,
    /// Negative absolute difference of log word counts.
    Length,
    /// Cosine of character n-grams of the topic-masked texts (rare words'
    /// letters replaced by `*`, Stamatatos 2017): style without content.
    MaskedChars,
    /// Share of the first answer's word 5-grams found in the second, stock
    /// phrases discounted (Broder 1997 containment).
    VerbatimOverlap,
}

/// Words that make up the opening formula of an answer.
const OPENING_WORDS: usize = 6;

impl PairedSignal {
    /// Every signal, in report order.
    pub const ALL: &'static [PairedSignal] = &[
        PairedSignal::CharNgrams,
        PairedSignal::Words,
        PairedSignal::WordPairs,
        PairedSignal::Names,
        PairedSignal::Opening,
        PairedSignal::FunctionWords,
        PairedSignal::Structure,
        PairedSignal::Length,
        PairedSignal::MaskedChars,
        PairedSignal::VerbatimOverlap,
    ];

    /// The signals of the combined score by default, chosen from the
    /// ablation on the development data (README, "Accuracy").
    pub const DEFAULT: &'static [PairedSignal] = &[
        PairedSignal::CharNgrams,
        PairedSignal::Words,
        PairedSignal::WordPairs,
        PairedSignal::Names,
        PairedSignal::Opening,
        PairedSignal::FunctionWords,
        PairedSignal::Structure,
        PairedSignal::Length,
        PairedSignal::MaskedChars,
    ];

    /// Stable machine name (report, CLI `--signals`).
    pub fn name(self) -> &'static str {
        match self {
            PairedSignal::CharNgrams => "char_ngrams",
            PairedSignal::Words => "words",
            PairedSignal::WordPairs => "word_pairs",
            PairedSignal::Names => "names",
            PairedSignal::Opening => "opening",
            PairedSignal::FunctionWords => "function_words",
            PairedSignal::Structure => "structure",
            PairedSignal::Length => "length",
            PairedSignal::MaskedChars => "masked_chars",
            PairedSignal::VerbatimOverlap => "verbatim_overlap",
        }
    }

    pub fn from_name(name: &str) -> Option<PairedSignal> {
        Self::ALL.iter().copied().find(|s| s.name() == name)
    }

    /// What the signal compares, for the report.
    pub fn description(self) -> &'static str {
        match self {
            PairedSignal::CharNgrams => "cosine of character n-gram tf-idf vectors of the two answers to a prompt (wording)",
            PairedSignal::Words => "cosine of word tf-idf vectors of the two answers to a prompt (content chosen)",
            PairedSignal::WordPairs => "overlap of the distinct word bigrams of the two answers to a prompt (phrasing)",
            PairedSignal::Names => "overlap of the capitalised words of the two answers to a prompt (names and examples brought up)",
            PairedSignal::Opening => "Jaccard similarity of the first six words of the two answers to a prompt (opening formula)",
            PairedSignal::FunctionWords => "cosine of z-scored rates of the most frequent words (Cosine Delta, one answer each)",
            PairedSignal::Structure => "negative RMS distance of z-scored layout and punctuation rates (lists, headings, bold, sentence length, ...)",
            PairedSignal::Length => "negative absolute difference of the answers' log word counts",
            PairedSignal::MaskedChars => "cosine of character n-grams of the topic-masked answers (rare words' letters masked: style without content)",
            PairedSignal::VerbatimOverlap => "share of the answer's word 5-grams found in the other answer, stock phrases (5-grams most candidates write) discounted",
        }
    }

    /// Whether the signal compares a text with a source *profile* too, for
    /// designs without shared prompts (vector and rate signals only).
    pub fn has_profile(self) -> bool {
        matches!(
            self,
            PairedSignal::CharNgrams
                | PairedSignal::Words
                | PairedSignal::FunctionWords
                | PairedSignal::Structure
                | PairedSignal::Length
                | PairedSignal::MaskedChars
        )
    }

    /// Similarity of two answers (higher = more alike). `text_a`/`text_b`
    /// are the answers themselves, which verbatim overlap reads; its
    /// boilerplate set is `boilerplate` (none when `None`).
    pub fn similarity(
        self,
        a: &TextRepr,
        b: &TextRepr,
        text_a: &str,
        text_b: &str,
        boilerplate: Option<&Boilerplate>,
    ) -> f64 {
        match self {
            PairedSignal::CharNgrams => a.chars.dot(&b.chars),
            PairedSignal::Words => a.words.dot(&b.words),
            PairedSignal::WordPairs => overlap_coefficient(&a.pairs, &b.pairs),
            PairedSignal::Names => overlap_coefficient(&a.names, &b.names),
            PairedSignal::Opening => jaccard(&a.opening, &b.opening),
            PairedSignal::FunctionWords => {
                crate::stats::cosine(&a.function_words, &b.function_words)
            }
            PairedSignal::Structure => -rms_diff(&a.structure, &b.structure),
            PairedSignal::Length => -(a.log_len - b.log_len).abs(),
            PairedSignal::MaskedChars => a.masked.dot(&b.masked),
            PairedSignal::VerbatimOverlap => overlap::containment_with(
                text_a,
                text_b,
                VERBATIM_NGRAM,
                boilerplate.unwrap_or(&Boilerplate::none()),
            ),
        }
    }

    /// Similarity of an answer to a source profile (signals with
    /// [`has_profile`](Self::has_profile); 0 for the others).
    pub fn profile_similarity(self, a: &TextRepr, p: &SourceProfile) -> f64 {
        match self {
            PairedSignal::CharNgrams => a.chars.dot(&p.chars),
            PairedSignal::Words => a.words.dot(&p.words),
            PairedSignal::FunctionWords => {
                crate::stats::cosine(&a.function_words, &p.function_words)
            }
            PairedSignal::Structure => -rms_diff(&a.structure, &p.structure),
            PairedSignal::Length => -(a.log_len - p.log_len).abs(),
            PairedSignal::MaskedChars => a.masked.dot(&p.masked),
            _ => 0.0,
        }
    }
}

/// Word n-gram length of verbatim overlap.
pub const VERBATIM_NGRAM: usize = 5;

/// What the paired signals need from one text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextRepr {
    /// Unit-length damped-rate tf-idf vector of character n-grams.
    pub chars: SparseVec,
    /// Unit-length damped-rate tf-idf vector of case-folded words.
    pub words: SparseVec,
    /// Unit-length tf-idf vector of the topic-masked text's character n-grams.
    pub masked: SparseVec,
    /// Sorted distinct hashes of case-folded word bigrams.
    pub pairs: Vec<u64>,
    /// Sorted distinct hashes of capitalised words (as written).
    pub names: Vec<u64>,
    /// Sorted distinct hashes of the first [`OPENING_WORDS`] case-folded words.
    pub opening: Vec<u64>,
    /// z-scored relative frequencies of the embedder's most frequent words.
    pub function_words: Vec<f64>,
    /// z-scored structure features without the length feature.
    pub structure: Vec<f64>,
    /// ln(1 + words).
    pub log_len: f64,
}

/// The profile of a source for unpaired designs: centroids and means of its
/// texts' representations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceProfile {
    pub chars: SparseVec,
    pub words: SparseVec,
    pub masked: SparseVec,
    pub function_words: Vec<f64>,
    pub structure: Vec<f64>,
    pub log_len: f64,
}

impl SourceProfile {
    /// Centroid (renormalised mean of unit vectors) and mean rates of `reprs`.
    pub fn of(reprs: &[&TextRepr]) -> SourceProfile {
        let centroid = |f: fn(&TextRepr) -> &SparseVec| {
            SparseVec::mean(&reprs.iter().map(|r| f(r)).collect::<Vec<_>>()).normalized()
        };
        let mean_vec = |f: fn(&TextRepr) -> &Vec<f64>| {
            let len = reprs.first().map(|r| f(r).len()).unwrap_or(0);
            let mut out = vec![0.0; len];
            for r in reprs {
                for (o, x) in out.iter_mut().zip(f(r)) {
                    *o += x;
                }
            }
            let n = reprs.len().max(1) as f64;
            out.iter().map(|x| x / n).collect::<Vec<f64>>()
        };
        SourceProfile {
            chars: centroid(|r| &r.chars),
            words: centroid(|r| &r.words),
            masked: centroid(|r| &r.masked),
            function_words: mean_vec(|r| &r.function_words),
            structure: mean_vec(|r| &r.structure),
            log_len: crate::stats::mean(&reprs.iter().map(|r| r.log_len).collect::<Vec<_>>()),
        }
    }
}

/// Document frequencies over a hashed feature space, for idf weights.
#[derive(Clone, Debug)]
struct Idf {
    df: Vec<f32>,
    n_docs: f32,
}

impl Idf {
    fn fit<'a>(docs: impl Iterator<Item = &'a BTreeMap<u32, f32>>) -> Idf {
        let mut df = vec![0.0f32; 1 << CHAR_HASH_BITS];
        let mut n_docs = 0.0f32;
        for d in docs {
            n_docs += 1.0;
            for k in d.keys() {
                df[*k as usize] += 1.0;
            }
        }
        Idf {
            df,
            n_docs: n_docs.max(1.0),
        }
    }

    /// Damped rate times idf, scaled to unit length. The weight
    /// ln(1 + 1000 c / L), with c a feature's count and L the text's total,
    /// damps repeats as sublinear tf does but on the *rate*: a text
    /// repeated twice gets the same vector, so length cannot leak in.
    /// Features no fitted text had get the idf of a feature seen once.
    fn weigh(&self, counts: &BTreeMap<u32, f32>) -> SparseVec {
        let total: f32 = counts.values().sum::<f32>().max(1.0);
        SparseVec(
            counts
                .iter()
                .map(|(k, c)| {
                    let idf = (self.n_docs / self.df[*k as usize].max(1.0)).ln() + 1.0;
                    (*k, (1.0 + 1000.0 * c / total).ln() * idf)
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
    frequent: BTreeMap<String, usize>,
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
    chars: BTreeMap<u32, f32>,
    word_counts: BTreeMap<u32, f32>,
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
    /// [`PairedSignal::MaskedChars`].
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
        let masked: Option<Vec<BTreeMap<u32, f32>>> = opts
            .signals
            .contains(&PairedSignal::MaskedChars)
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
        let mut out = String::with_capacity(text.len());
        text::for_each_word_bound(text, |_, piece| {
            let is_word = piece.chars().any(char::is_alphanumeric);
            if is_word && !self.frequent.contains_key(&piece.to_lowercase()) {
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

    fn repr(
        &self,
        text: &str,
        raw: &Raw,
        rates: &[f64],
        masked: Option<&BTreeMap<u32, f32>>,
    ) -> TextRepr {
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
        TextRepr {
            chars: self.char_idf.weigh(&raw.chars),
            words: self.word_idf.weigh(&raw.word_counts),
            masked: match (&self.masked_idf, masked) {
                (Some(idf), Some(m)) => idf.weigh(m),
                _ => SparseVec::default(),
            },
            pairs,
            names,
            opening,
            function_words: z(rates, &self.fw_mean, &self.fw_sd),
            structure: z(&raw.structure[1..], &self.struct_mean, &self.struct_sd),
            log_len: (raw.words.len() as f64 + 1.0).ln(),
        }
    }
}

fn raw(text: &str, max_char_n: usize) -> Raw {
    let words = word_tokens(text);
    let mask = (1u64 << CHAR_HASH_BITS) - 1;
    let mut word_counts: BTreeMap<u32, f32> = BTreeMap::new();
    for w in &words {
        let h = (xxh3_64_with_seed(w.as_bytes(), WORD_SEED) & mask) as u32;
        *word_counts.entry(h).or_insert(0.0) += 1.0;
    }
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
    let mut mean_rel: BTreeMap<&str, f64> = BTreeMap::new();
    for g in groups {
        let mut counts: BTreeMap<&str, f64> = BTreeMap::new();
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

/// A capitalised word: an upper-case first letter followed by at least one
/// lower-case letter ("Paris", "Київ"; not "I", not "NASA", not "3D").
fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

fn sorted_hashes(it: impl Iterator<Item = u64>) -> Vec<u64> {
    let set: BTreeSet<u64> = it.collect();
    set.into_iter().collect()
}

/// Size of the intersection of two sorted, distinct lists.
fn intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// |A ∩ B| / sqrt(|A| |B|) (the cosine of the sets' indicator vectors); 0
/// when either is empty.
pub fn overlap_coefficient(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    intersection(a, b) as f64 / ((a.len() * b.len()) as f64).sqrt()
}

/// |A ∩ B| / |A ∪ B|; 0 when both are empty.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let i = intersection(a, b);
    let u = a.len() + b.len() - i;
    if u == 0 {
        0.0
    } else {
        i as f64 / u as f64
    }
}

fn rms_diff(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().max(1) as f64;
    (a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>() / n).sqrt()
}

/// Mean and sample standard deviation of each column of `rows`.
pub fn column_stats(rows: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>) {
    let k = rows.first().map(Vec::len).unwrap_or(0);
    let n = rows.len().max(1) as f64;
    let mut mu = vec![0.0; k];
    for r in rows {
        for (m, x) in mu.iter_mut().zip(r) {
            *m += x / n;
        }
    }
    let mut var = vec![0.0; k];
    for r in rows {
        for j in 0..k {
            var[j] += (r[j] - mu[j]).powi(2);
        }
    }
    let denom = (rows.len().max(2) - 1) as f64;
    (mu, var.iter().map(|v| (v / denom).sqrt()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embed_all(texts: &[&str]) -> Vec<TextRepr> {
        let opts = EmbedOptions {
            max_char_n: 4,
            n_frequent: 300,
            signals: PairedSignal::ALL,
        };
        let e = Embedder::fit(texts, &[], &opts);
        // Embedding a text again gives what fitting gave.
        for (t, r) in texts.iter().zip(&e.reprs) {
            assert_eq!(&e.embedder.embed(t), r);
        }
        e.reprs
    }

    #[test]
    fn set_measures() {
        // (a, b, overlap coefficient, jaccard)
        let cases: &[(&[u64], &[u64], f64, f64)] = &[
            (&[1, 2, 3], &[2, 3, 4], 2.0 / 3.0, 0.5),
            (&[1], &[1], 1.0, 1.0),
            (&[], &[1], 0.0, 0.0),
            (&[], &[], 0.0, 0.0),
            (&[1, 2], &[3, 4], 0.0, 0.0),
        ];
        for (a, b, oc, j) in cases {
            assert!(
                (overlap_coefficient(a, b) - oc).abs() < 1e-12,
                "{a:?} {b:?}"
            );
            assert!((jaccard(a, b) - j).abs() < 1e-12, "{a:?} {b:?}");
        }
    }

    #[test]
    fn capitalised_words() {
        let cases = [
            ("Paris", true),
            ("Київ", true),
            ("I", false),
            ("NASA", false),
            ("paris", false),
            ("3D", false),
            ("", false),
        ];
        for (w, want) in cases {
            assert_eq!(is_capitalised(w), want, "{w}");
        }
    }

    #[test]
    fn every_signal_is_symmetric_bounded_and_maximal_on_identical_texts() {
        let texts = [
            "Sure! Here are three cities:\n\n1. **Paris**\n2. Rome\n3. Oslo\n\nI hope this helps!",
            "Paris, Rome and Oslo are all lovely in spring, though Oslo is cold.",
            "Certainly. The capital of France is Paris; it has been since the 10th century.",
            "",
        ];
        let r = embed_all(&texts);
        for &sig in PairedSignal::ALL {
            for i in 0..texts.len() {
                for j in 0..texts.len() {
                    let s = sig.similarity(&r[i], &r[j], texts[i], texts[j], None);
                    assert!(s.is_finite(), "{sig:?} {i} {j}");
                    if sig != PairedSignal::VerbatimOverlap {
                        // Containment is a share of the *first* text's n-grams.
                        let t = sig.similarity(&r[j], &r[i], texts[j], texts[i], None);
                        assert!((s - t).abs() < 1e-9, "{sig:?} not symmetric {i} {j}");
                    }
                    let own = sig.similarity(&r[i], &r[i], texts[i], texts[i], None);
                    assert!(
                        own >= s - 1e-9,
                        "{sig:?}: {i} is closer to {j} than to itself"
                    );
                }
            }
        }
    }

    #[test]
    fn names_opening_and_length_see_what_they_should() {
        let texts = [
            "Sure! Here are some ideas: visit Paris and Rome.",
            "Sure! Here are some ideas: visit Paris and Rome, or stay home.",
            "Visiting Oslo or Bergen is my advice, or else staying at home and reading a long book about the north of Europe and its many fjords.",
        ];
        let r = embed_all(&texts);
        let sim = |sig: PairedSignal, i: usize, j: usize| {
            sig.similarity(&r[i], &r[j], texts[i], texts[j], None)
        };
        for sig in [
            PairedSignal::Names,
            PairedSignal::Opening,
            PairedSignal::Length,
        ] {
            assert!(sim(sig, 0, 1) > sim(sig, 0, 2), "{sig:?}");
        }
    }

    #[test]
    fn a_repeated_text_has_the_same_rate_vectors() {
        let t = "One answer, with words and a list:\n- a\n- b";
        let twice = format!("{t}\n{t}");
        let r = embed_all(&[t, &twice, "something else entirely, for the idf"]);
        for sig in [
            PairedSignal::CharNgrams,
            PairedSignal::Words,
            PairedSignal::MaskedChars,
        ] {
            let s = sig.similarity(&r[0], &r[1], "", "", None);
            assert!(s > 0.95, "{sig:?}: {s}");
        }
    }

    #[test]
    fn names_are_stable() {
        for &s in PairedSignal::ALL {
            assert_eq!(PairedSignal::from_name(s.name()), Some(s));
        }
        assert_eq!(PairedSignal::from_name("nope"), None);
    }
}
