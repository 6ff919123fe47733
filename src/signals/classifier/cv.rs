//! Cross-validation of the classifier: how separable the classes are, and
//! the same folds with the final model in one call (the analysis needs
//! both, from one extraction of the texts' features).

use super::error::{err, ErrorKind};
use super::features::{FeatureConfig, RawDoc};
use super::{
    argmax, check_inputs, class_counts, extracted, margins_of, stratified_folds, ClassifierError,
    ClassifierOptions, TextClassifier,
};

/// Cross-validated separability of the classes.
#[derive(Clone, Debug, PartialEq)]
pub struct CrossValidation {
    /// Share of texts whose predicted class is their label.
    pub accuracy: f64,
    /// Per class: share of its texts predicted correctly.
    pub per_class_accuracy: Vec<f64>,
    /// `confusion[true][predicted]` counts.
    pub confusion: Vec<Vec<usize>>,
    /// Out-of-fold prediction of every text, in input order.
    pub predictions: Vec<usize>,
    /// Number of folds used.
    pub folds: usize,
}

/// Stratified, seeded k-fold cross-validation: every text is predicted by a
/// model trained without its fold. Measures how separable the classes are
/// (if the candidates cannot be told apart, no attribution is possible).
///
/// Errors as [`TextClassifier::train`] does, when `k < 2`, or when a class
/// has fewer than `k` texts.
pub fn cross_validate(
    texts: &[&str],
    labels: &[usize],
    n_classes: usize,
    k: usize,
    opts: &ClassifierOptions,
) -> Result<CrossValidation, ClassifierError> {
    check_folds(texts.len(), labels, n_classes, k, opts)?;
    let (config, raws) = extracted(texts, opts);
    let refs: Vec<&RawDoc> = raws.iter().collect();
    Ok(cross_validate_extracted(
        &refs, labels, n_classes, k, opts, &config,
    ))
}

/// [`cross_validate`] and [`TextClassifier::train`] on the same texts, as
/// one call: the texts' features are extracted once for both, and the
/// final model trains while the folds do (on native targets).
pub fn cross_validate_and_train(
    texts: &[&str],
    labels: &[usize],
    n_classes: usize,
    k: usize,
    opts: &ClassifierOptions,
) -> Result<(CrossValidation, TextClassifier), ClassifierError> {
    check_folds(texts.len(), labels, n_classes, k, opts)?;
    let (config, raws) = extracted(texts, opts);
    let refs: Vec<&RawDoc> = raws.iter().collect();
    Ok(crate::stats::join(
        || cross_validate_extracted(&refs, labels, n_classes, k, opts, &config),
        || TextClassifier::fit(&refs, labels, n_classes, opts, config.clone()),
    ))
}

/// The checks of [`cross_validate`] without its work: training's, and
/// enough texts in every class for `k` folds. An analysis that leaves the
/// folds to another worker asks this before it trains the final model
/// alone, so both workers agree on whether there is a classifier.
pub fn check_cross_validation(
    labels: &[usize],
    n_classes: usize,
    k: usize,
    opts: &ClassifierOptions,
) -> Result<(), ClassifierError> {
    check_folds(labels.len(), labels, n_classes, k, opts)
}

/// The checks of [`cross_validate`]: those of training, and enough texts
/// in every class for `k` folds.
fn check_folds(
    n_texts: usize,
    labels: &[usize],
    n_classes: usize,
    k: usize,
    opts: &ClassifierOptions,
) -> Result<(), ClassifierError> {
    check_inputs(n_texts, labels, n_classes, opts)?;
    if k < 2 {
        return Err(err(ErrorKind::TooFewFolds(k)));
    }
    let counts = class_counts(labels, n_classes);
    if let Some(class) = counts.iter().position(|&n| n < k) {
        return Err(err(ErrorKind::ClassSmallerThanFolds {
            class,
            count: counts[class],
            folds: k,
        }));
    }
    Ok(())
}

fn cross_validate_extracted(
    raws: &[&RawDoc],
    labels: &[usize],
    n_classes: usize,
    k: usize,
    opts: &ClassifierOptions,
    config: &FeatureConfig,
) -> CrossValidation {
    let folds = stratified_folds(labels, n_classes, k, opts.seed);
    // Argmax predictions do not depend on the temperature: skip calibration.
    let fold_opts = ClassifierOptions {
        calibration_folds: 0,
        ..opts.clone()
    };
    let fold_ids: Vec<usize> = (0..k).collect();
    let per_fold: Vec<Vec<(usize, usize)>> = crate::stats::par_map(&fold_ids, |&fold| {
        let train_idx: Vec<usize> = (0..raws.len()).filter(|&i| folds[i] != fold).collect();
        let train_raws: Vec<&RawDoc> = train_idx.iter().map(|&i| raws[i]).collect();
        let train_labels: Vec<usize> = train_idx.iter().map(|&i| labels[i]).collect();
        let model = TextClassifier::fit(
            &train_raws,
            &train_labels,
            n_classes,
            &fold_opts,
            config.clone(),
        );
        let w: Vec<f64> = model.weights.iter().map(|&x| f64::from(x)).collect();
        (0..raws.len())
            .filter(|&i| folds[i] == fold)
            .map(|i| {
                let row = model.vectorizer.transform(raws[i]);
                (i, argmax(&margins_of(&w, &row, n_classes)))
            })
            .collect()
    });
    let mut predictions = vec![0usize; raws.len()];
    for (i, p) in per_fold.into_iter().flatten() {
        predictions[i] = p;
    }
    let counts = class_counts(labels, n_classes);
    let mut confusion = vec![vec![0usize; n_classes]; n_classes];
    for (&y, &p) in labels.iter().zip(&predictions) {
        confusion[y][p] += 1;
    }
    let correct: usize = (0..n_classes).map(|c| confusion[c][c]).sum();
    let per_class_accuracy = (0..n_classes)
        .map(|c| confusion[c][c] as f64 / counts[c].max(1) as f64)
        .collect();
    CrossValidation {
        accuracy: correct as f64 / raws.len().max(1) as f64,
        per_class_accuracy,
        confusion,
        predictions,
        folds: k,
    }
}
