//! The learned classifier: which candidate wrote this text?
//!
//! A linear model trained on the candidates' texts, over feature blocks
//! that each describe *how* a text is written rather than what it is about
//! (the prompts of the texts to attribute are not those of training):
//!
//! - **masked character n-grams** (default 1..=4): the text after *text
//!   distortion* (Stamatatos 2017): every word outside the training texts'
//!   300 most frequent has its letters replaced by `*` and digits by `#`,
//!   while punctuation, spacing, markdown and function words stay; start
//!   and end markers make the first and last characters features too;
//! - **word n-grams** (default 1..=2), case-folded;
//! - **edges**: word 1..=3-grams of the first and last four words and
//!   1..=2-grams opening each paragraph: the opening and closing formulas
//!   ("Sure! Here are", "I hope this helps", "Overall,");
//! - **structure**: [`features::STRUCTURE_NAMES`], markdown, list,
//!   paragraph and punctuation *rates* (never raw lengths), standardised on
//!   the training texts;
//! - optionally raw character n-grams, masked word n-grams and log length
//!   (off by default; see the options for why).
//!
//! N-grams are hashed with xxh3 into `2^hash_bits` signed buckets, weighted
//! by sublinear tf (`1 + ln tf`) times smoothed idf
//! (`ln((1 + n) / (1 + df)) + 1`), and L2-normalised block by block to the
//! block's weight, so long and short answers weigh alike.
//!
//! The model is one-vs-rest L2-loss linear SVMs trained by dual coordinate
//! descent with shrinking (LIBLINEAR's default solver), with class-balanced
//! costs. Margins become log-probabilities by a softmax whose single
//! temperature is fitted on out-of-fold margins of the training texts
//! (temperature scaling, Guo et al. 2017), which makes the sum of per-text
//! log-probabilities a sound way to attribute a *batch* of outputs of one
//! source.
//!
//! Measured on the development data (`examples/classifier_dev.rs`: seven
//! candidates, prompts split in halves by a seeded hash of the prompt id,
//! trained on the first half, every second-half output attributed): about
//! 0.62 top-1 for single outputs and 0.93 for batches of ten, against 0.59
//! and 0.86 for a character 1..=4-gram tf-idf linear SVM. Most remaining
//! errors are between same-vendor models (claude-2 and claude-instant-1.2;
//! the three OpenAI models).
//!
//! Everything is deterministic: the same texts, labels and options give the
//! same model and the same scores bit for bit, natively and in wasm (seeded
//! ChaCha permutations, sums in a fixed order, `ln`/`exp` from IEEE basic
//! operations, see `detmath`).
//!
//! ```
//! use lineage::signals::classifier::{ClassifierOptions, TextClassifier};
//! let texts = [
//!     "Sure! Here is a list:\n\n- one\n- two", "Sure! Here are some ideas:\n\n- a\n- b",
//!     "Certainly. The answer is forty-two.", "Certainly. The capital is Paris.",
//! ];
//! let labels = [0, 0, 1, 1];
//! let opts = ClassifierOptions { calibration_folds: 0, ..Default::default() };
//! let model = TextClassifier::train(&texts, &labels, 2, &opts).unwrap();
//! assert_eq!(model.predict("Sure! Here you go:\n\n- x\n- y"), 0);
//! assert_eq!(model.predict("Certainly. It is blue."), 1);
//! ```

use crate::detmath;
mod cv;
mod error;
pub mod features;
mod solver;
mod vectorize;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub use cv::{check_cross_validation, cross_validate, cross_validate_and_train, CrossValidation};
pub use error::ClassifierError;
use error::{err, ErrorKind};
use features::{FeatureConfig, RawDoc};
use solver::SolverParams;
use vectorize::Vectorizer;

/// Options of [`TextClassifier::train`] and [`cross_validate`].
#[derive(Clone, Debug, PartialEq)]
pub struct ClassifierOptions {
    /// Smallest and largest character n-gram length; `(0, 0)` disables them.
    pub char_ngrams: (usize, usize),
    /// Smallest and largest character n-gram length of the topic-masked
    /// text (rare words' letters replaced by `*`); `(0, 0)` disables them.
    pub masked_ngrams: (usize, usize),
    /// How many of the training texts' most frequent words the topic mask
    /// keeps.
    pub frequent_words: usize,
    /// Smallest and largest word n-gram length; `(0, 0)` disables them.
    pub word_ngrams: (usize, usize),
    /// The n-gram hash space has `2^hash_bits` buckets (clamped to 8..=24);
    /// the model keeps a `4 * 2^hash_bits`-byte bucket-to-column table and
    /// weights only for the buckets seen in training.
    pub hash_bits: u32,
    /// N-grams found in fewer training texts than this are dropped: they
    /// cannot generalise and would dominate the model's size.
    pub min_df: usize,
    /// Weight of the word block relative to the character block (each
    /// block is L2-normalised to its weight).
    pub word_weight: f64,
    /// Weight of the topic-masked character block.
    pub masked_weight: f64,
    /// Lengths of word n-grams over the topic-masked word sequence (rare
    /// words replaced by `*`); `(0, 0)` disables them.
    pub masked_word_ngrams: (usize, usize),
    /// Weight of the masked word n-gram block.
    pub masked_word_weight: f64,
    /// Weight of the edge block: word 1..=3-grams of the first and last six
    /// words and word 1..=2-grams opening each paragraph (opening and
    /// closing formulas); 0 disables it.
    pub edge_weight: f64,
    /// Weight of the structure block; 0 disables it.
    pub structure_weight: f64,
    /// Weight of ln(characters) and ln(words) as explicit features; 0 (the
    /// default) leaves length out, so no attribution rests on "writes as
    /// long as".
    pub length_weight: f64,
    /// Misclassification cost C of the SVMs (inverse regularisation).
    pub c: f64,
    /// Balance each one-vs-rest problem so every class weighs the same.
    pub balanced: bool,
    /// Upper bound on solver passes over the training texts.
    pub max_epochs: usize,
    /// Solver stopping tolerance on the projected gradient.
    pub tolerance: f64,
    /// Folds used to fit the softmax temperature on out-of-fold margins;
    /// 0 or 1 keeps temperature 1 (and trains three times faster).
    pub calibration_folds: usize,
    /// Seed of every random choice (solver order, folds).
    pub seed: u64,
}

impl Default for ClassifierOptions {
    fn default() -> Self {
        Self {
            // Masked character n-grams carry the style at a third of the
            // cost of raw ones, which add nothing measurable on top of them
            // (see the figures in `examples/classifier_dev.rs`).
            char_ngrams: (0, 0),
            masked_ngrams: (1, 4),
            frequent_words: 300,
            word_ngrams: (1, 2),
            hash_bits: 20,
            min_df: 2,
            word_weight: 1.0,
            masked_weight: 1.0,
            edge_weight: 0.5,
            // Off: on the dev data they cost 0.8 (weight 0.5) to 3 points
            // (weight 1) of single-output accuracy.
            masked_word_ngrams: (2, 3),
            masked_word_weight: 0.0,
            structure_weight: 0.5,
            length_weight: 0.0,
            c: 1.0,
            balanced: true,
            // The solver never meets the tolerance within 20 passes on
            // text (every machine ran to the cap), and 10 passes classify
            // as well: T1 on three splits 0.614 / 0.919 against 0.614 /
            // 0.924 with 20 (examples/classifier_dev.rs), for half the
            // training time.
            max_epochs: 10,
            tolerance: 0.1,
            calibration_folds: 3,
            seed: 0x11e4_a9e5,
        }
    }
}

/// A trained classifier. Cheap to query; holds only the n-grams seen in at
/// least `min_df` training texts.
#[derive(Clone, Debug)]
pub struct TextClassifier {
    n_classes: usize,
    config: FeatureConfig,
    vectorizer: Vectorizer,
    /// Weights laid out `[column * n_classes + class]`, the bias column last.
    weights: Vec<f32>,
    temperature: f64,
}

impl TextClassifier {
    /// Trains on `texts[i]` labelled `labels[i]` in `0..n_classes`.
    ///
    /// Errors when the lengths differ, when there are fewer than two
    /// classes, a label is out of range, a class has no text, or an option
    /// is out of range (`c` not positive, n-gram range reversed).
    pub fn train(
        texts: &[&str],
        labels: &[usize],
        n_classes: usize,
        opts: &ClassifierOptions,
    ) -> Result<Self, ClassifierError> {
        check_inputs(texts.len(), labels, n_classes, opts)?;
        let counts = class_counts(labels, n_classes);
        if let Some(c) = counts.iter().position(|&n| n == 0) {
            return Err(err(ErrorKind::EmptyClass(c)));
        }
        let (config, raws) = extracted(texts, opts);
        let refs: Vec<&RawDoc> = raws.iter().collect();
        Ok(Self::fit(&refs, labels, n_classes, opts, config))
    }

    /// Fits on already extracted features (shared by `train` and the folds).
    fn fit(
        raws: &[&RawDoc],
        labels: &[usize],
        n_classes: usize,
        opts: &ClassifierOptions,
        config: FeatureConfig,
    ) -> Self {
        let vectorizer = Vectorizer::fit(raws, opts);
        let rows = vectorizer.transform_all(raws);
        let params = solver_params(opts);
        let weights = solver::train(&rows, labels, n_classes, vectorizer.n_cols(), &params);

        // Temperature from out-of-fold margins: the margins of the training
        // texts themselves are overconfident (the model has seen them).
        let temperature = if opts.calibration_folds >= 2 && raws.len() >= 2 * n_classes {
            let folds = stratified_folds(labels, n_classes, opts.calibration_folds, opts.seed);
            let mut margins: Vec<Vec<f64>> = vec![Vec::new(); raws.len()];
            for fold in 0..opts.calibration_folds {
                let train_idx: Vec<usize> = (0..raws.len()).filter(|&i| folds[i] != fold).collect();
                let test_idx: Vec<usize> = (0..raws.len()).filter(|&i| folds[i] == fold).collect();
                if train_idx.is_empty() || test_idx.is_empty() {
                    continue;
                }
                // The vectorizer of the whole training set is reused: the
                // held-out texts' influence on idf is negligible, and
                // refitting it per fold would double the cost.
                let fold_rows = rows.select(&train_idx);
                let fold_labels: Vec<usize> = train_idx.iter().map(|&i| labels[i]).collect();
                let w = solver::train(
                    &fold_rows,
                    &fold_labels,
                    n_classes,
                    vectorizer.n_cols(),
                    &params,
                );
                for &i in &test_idx {
                    margins[i] = margins_of(&w, &rows.pairs(i), n_classes);
                }
            }
            let pairs: Vec<(&[f64], usize)> = margins
                .iter()
                .zip(labels)
                .filter(|(m, _)| !m.is_empty())
                .map(|(m, &y)| (m.as_slice(), y))
                .collect();
            fit_temperature(&pairs)
        } else {
            1.0
        };

        TextClassifier {
            n_classes,
            config,
            vectorizer,
            weights: weights.iter().map(|&w| w as f32).collect(),
            temperature,
        }
    }

    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// The fitted softmax temperature (multiplies the margins).
    pub fn temperature(&self) -> f64 {
        self.temperature
    }

    /// Raw SVM margins, one per class (larger is more likely).
    pub fn margins(&self, text: &str) -> Vec<f64> {
        let row = self.vectorizer.transform(&self.config.extract(text));
        let k = self.n_classes;
        let mut out = vec![0.0; k];
        for &(col, v) in &row {
            let base = col as usize * k;
            for (o, &w) in out.iter_mut().zip(&self.weights[base..base + k]) {
                *o += f64::from(w) * v;
            }
        }
        out
    }

    /// Calibrated log-probabilities, one per class (they log-sum-exp to 0).
    pub fn scores(&self, text: &str) -> Vec<f64> {
        let scaled: Vec<f64> = self
            .margins(text)
            .iter()
            .map(|m| m * self.temperature)
            .collect();
        let lse = detmath::log_sum_exp(&scaled);
        scaled.iter().map(|s| s - lse).collect()
    }

    /// The most likely class of one text (ties go to the lower index).
    pub fn predict(&self, text: &str) -> usize {
        argmax(&self.margins(text))
    }

    /// Sum of the per-text log-probabilities of a batch of texts assumed to
    /// come from one source (naive-Bayes combination of calibrated scores).
    /// All zeros for an empty batch.
    pub fn batch_scores(&self, texts: &[&str]) -> Vec<f64> {
        let mut total = vec![0.0; self.n_classes];
        for t in texts {
            for (acc, s) in total.iter_mut().zip(self.scores(t)) {
                *acc += s;
            }
        }
        total
    }

    /// The class that best explains a whole batch of texts of one source;
    /// `None` for an empty batch.
    pub fn predict_batch(&self, texts: &[&str]) -> Option<usize> {
        (!texts.is_empty()).then(|| argmax(&self.batch_scores(texts)))
    }
}

/// The feature configuration of a training set and its texts' features.
/// The topic mask's frequent words come from all texts: they are
/// label-free, so cross-validation on them leaks nothing about the
/// held-out labels.
fn extracted(texts: &[&str], opts: &ClassifierOptions) -> (FeatureConfig, Vec<RawDoc>) {
    let config = feature_config(texts, opts);
    let raws = crate::stats::par_map(texts, |t| config.extract(t));
    (config, raws)
}

fn check_inputs(
    n_texts: usize,
    labels: &[usize],
    n_classes: usize,
    opts: &ClassifierOptions,
) -> Result<(), ClassifierError> {
    if n_texts != labels.len() {
        return Err(err(ErrorKind::LengthMismatch {
            texts: n_texts,
            labels: labels.len(),
        }));
    }
    if n_classes < 2 {
        return Err(err(ErrorKind::TooFewClasses(n_classes)));
    }
    if let Some(&label) = labels.iter().find(|&&l| l >= n_classes) {
        return Err(err(ErrorKind::LabelOutOfRange { label, n_classes }));
    }
    if !(opts.c > 0.0 && opts.c.is_finite()) {
        return Err(err(ErrorKind::BadOption("c must be positive and finite")));
    }
    let ranges = [
        opts.char_ngrams,
        opts.masked_ngrams,
        opts.word_ngrams,
        opts.masked_word_ngrams,
    ];
    if ranges.iter().any(|r| r.0 > r.1) {
        return Err(err(ErrorKind::BadOption("an n-gram range is reversed")));
    }
    if opts.char_ngrams.1 > 16
        || opts.masked_ngrams.1 > 16
        || opts.word_ngrams.1 > 8
        || opts.masked_word_ngrams.1 > 8
    {
        return Err(err(ErrorKind::BadOption(
            "n-grams are limited to 16 characters and 8 words",
        )));
    }
    let weights_ok = [
        opts.word_weight,
        opts.masked_weight,
        opts.edge_weight,
        opts.masked_word_weight,
        opts.structure_weight,
        opts.length_weight,
        opts.tolerance,
    ]
    .iter()
    .all(|w| *w >= 0.0 && w.is_finite());
    if !weights_ok {
        return Err(err(ErrorKind::BadOption(
            "weights and tolerance must be non-negative and finite",
        )));
    }
    Ok(())
}

fn class_counts(labels: &[usize], n_classes: usize) -> Vec<usize> {
    let mut counts = vec![0usize; n_classes];
    for &l in labels {
        counts[l] += 1;
    }
    counts
}

fn feature_config(texts: &[&str], opts: &ClassifierOptions) -> FeatureConfig {
    let masked = opts.masked_ngrams.1 > 0 && opts.masked_weight > 0.0;
    FeatureConfig {
        char_ngrams: opts.char_ngrams,
        masked_ngrams: if masked { opts.masked_ngrams } else { (0, 0) },
        word_ngrams: opts.word_ngrams,
        edges: opts.edge_weight > 0.0,
        masked_word_ngrams: if opts.masked_word_weight > 0.0 {
            opts.masked_word_ngrams
        } else {
            (0, 0)
        },
        hash_bits: opts.hash_bits.clamp(8, 24),
        structure: opts.structure_weight > 0.0,
        length: opts.length_weight > 0.0,
        frequent: if masked || opts.masked_word_weight > 0.0 {
            features::frequent_words(texts, opts.frequent_words)
        } else {
            Default::default()
        },
    }
}

fn solver_params(opts: &ClassifierOptions) -> SolverParams {
    SolverParams {
        c: opts.c,
        balanced: opts.balanced,
        max_epochs: opts.max_epochs.max(1),
        tolerance: opts.tolerance,
        seed: opts.seed,
    }
}

/// Fold of each text: within every class the texts are shuffled (seeded)
/// and dealt round-robin, so each fold holds each class in proportion.
fn stratified_folds(labels: &[usize], n_classes: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xf01d);
    let mut folds = vec![0usize; labels.len()];
    let mut offset = 0;
    for c in 0..n_classes {
        let mut members: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == c).collect();
        crate::stats::shuffle(&mut rng, &mut members);
        for (j, &i) in members.iter().enumerate() {
            // The offset rotates the deal so small classes do not all start
            // in fold 0.
            folds[i] = (j + offset) % k;
        }
        offset += members.len();
    }
    folds
}

fn margins_of(w: &[f64], row: &[(u32, f64)], k: usize) -> Vec<f64> {
    let mut out = vec![0.0; k];
    for &(col, v) in row {
        let base = col as usize * k;
        for (o, &wc) in out.iter_mut().zip(&w[base..base + k]) {
            *o += wc * v;
        }
    }
    out
}

fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = i;
        }
    }
    best
}

/// The temperature t > 0 maximising the log-likelihood of the labels under
/// softmax(t * margins). The log-likelihood is concave in t, so bisection
/// on the sign of its derivative (in log t) finds the maximum.
fn fit_temperature(pairs: &[(&[f64], usize)]) -> f64 {
    if pairs.is_empty() {
        return 1.0;
    }
    // d/dt sum_i log p_i(y_i) = sum_i (m_iy - E_p[m_i]).
    let derivative = |t: f64| -> f64 {
        pairs
            .iter()
            .map(|(m, y)| {
                let scaled: Vec<f64> = m.iter().map(|v| v * t).collect();
                let lse = detmath::log_sum_exp(&scaled);
                let expected: f64 = m
                    .iter()
                    .zip(&scaled)
                    .map(|(v, s)| v * detmath::exp(s - lse))
                    .sum();
                m[*y] - expected
            })
            .sum()
    };
    let (mut lo, mut hi) = (detmath::ln(1e-3), detmath::ln(1e3));
    if derivative(detmath::exp(hi)) > 0.0 {
        return detmath::exp(hi);
    }
    if derivative(detmath::exp(lo)) < 0.0 {
        return detmath::exp(lo);
    }
    for _ in 0..50 {
        let mid = 0.5 * (lo + hi);
        if derivative(detmath::exp(mid)) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    detmath::exp(0.5 * (lo + hi))
}
