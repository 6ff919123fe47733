//! The learned classifier, a descriptive signal outside the combined
//! score: trained on the candidates' outputs, cross-validated for the
//! candidates' separability (which the decision reads), then applied to
//! every suspect output. The score of a candidate is the share of suspect
//! outputs assigned to it (minus the control's share, when there is a
//! control), with a bootstrap interval over outputs. A closed-set
//! classifier also picks up whatever the suspect and control differ in,
//! hence outside the combined score (see `docs/METHOD.md`).
//!
//! The cross-validation is over half the CPU of an analysis, and it needs
//! nothing but the candidates' texts: a page with a second worker runs it
//! there ([`cross_validation`]) while this worker does everything else,
//! and hands the result to [`super::Pending::finish`]. The split changes
//! no figure: both sides take the same texts, labels and seeds.

use super::roles::Cast;
use super::scores::order_desc;
use super::{AnalysisOptions, Space};
use crate::report::{r6, CandidateScore, Evidence, SignalResult};
use crate::signals::classifier::{self, ClassifierOptions, TextClassifier};
use crate::stats;

/// How separable the candidates are by the classifier: its
/// cross-validated accuracy among them, and over how many folds.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Separability {
    pub accuracy: f64,
    pub folds: usize,
    /// `confusion[true][predicted]` out-of-fold counts (empty for the
    /// nearest-centroid fallback): what the family-level gates read.
    #[serde(default)]
    pub confusion: Vec<Vec<usize>>,
}

impl Separability {
    /// An accuracy without a confusion matrix (the nearest-centroid
    /// fallback, or chance when nothing could be measured).
    pub fn of_accuracy(accuracy: f64) -> Separability {
        Separability {
            accuracy,
            folds: 0,
            confusion: Vec::new(),
        }
    }

    /// Accuracy when a prediction counts as right if it names a candidate
    /// of the true candidate's family, with its chance level (a uniform
    /// guess among candidates, weighted by the rows of each family). None
    /// without a confusion matrix.
    pub fn family_accuracy(&self, family_of: &[usize]) -> Option<(f64, f64)> {
        let total: usize = self.confusion.iter().flatten().sum();
        if total == 0 || self.confusion.len() != family_of.len() {
            return None;
        }
        let k = family_of.len();
        let mut right = 0;
        for (t, row) in self.confusion.iter().enumerate() {
            for (p, &n) in row.iter().enumerate() {
                if family_of[t] == family_of[p] {
                    right += n;
                }
            }
        }
        // A uniform guess among the k candidates names the true family
        // with probability |F| / k for a row of family F.
        let chance = self
            .confusion
            .iter()
            .enumerate()
            .map(|(t, row)| {
                let members = family_of.iter().filter(|&&f| f == family_of[t]).count();
                row.iter().sum::<usize>() as f64 * members as f64 / k as f64
            })
            .sum::<f64>()
            / total as f64;
        Some((right as f64 / total as f64, chance))
    }

    /// Among rows of the given candidates that were predicted as one of
    /// them, the share predicted exactly: whether one family's members
    /// separate. None without a confusion matrix or such rows.
    pub fn within_accuracy(&self, members: &[usize]) -> Option<f64> {
        let (mut right, mut total) = (0, 0);
        for &t in members {
            for &p in members {
                let n = *self.confusion.get(t)?.get(p)?;
                total += n;
                if t == p {
                    right += n;
                }
            }
        }
        (total > 0).then(|| right as f64 / total as f64)
    }
}

/// Where the classifier's cross-validation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrossValidate {
    /// Here, beside the final model (in parallel on native targets).
    Here,
    /// Elsewhere: its [`Separability`] is handed to `Pending::finish`.
    Elsewhere,
}

/// The training set (every candidate's outputs, labelled by candidate, in
/// role order) and the classifier's options.
fn training_set<'c>(
    cast: &'c Cast,
    opts: &AnalysisOptions,
) -> (Vec<&'c str>, Vec<usize>, ClassifierOptions) {
    let mut texts: Vec<&str> = Vec::new();
    let mut labels: Vec<usize> = Vec::new();
    for c in 0..cast.n_candidates() {
        for sample in &cast.groups[cast.candidate(c)].1 {
            texts.push(&sample.text);
            labels.push(c);
        }
    }
    // Only the argmax is used, so the softmax temperature is not fitted.
    let copts = ClassifierOptions {
        calibration_folds: 0,
        seed: stats::sub_seed(opts.seed, "classifier"),
        ..ClassifierOptions::default()
    };
    (texts, labels, copts)
}

/// The classifier's cross-validation alone; None when it cannot run (a
/// candidate with fewer outputs than folds), in which case there is no
/// classifier signal either.
pub fn cross_validation(cast: &Cast, opts: &AnalysisOptions) -> Option<Separability> {
    let (texts, labels, copts) = training_set(cast, opts);
    let k = opts.classifier_folds;
    let cv = classifier::cross_validate(&texts, &labels, cast.n_candidates(), k, &copts).ok()?;
    Some(Separability {
        accuracy: cv.accuracy,
        folds: cv.folds,
        confusion: cv.confusion,
    })
}

/// The classifier signal before its cross-validation is known.
pub struct Trained {
    pub signal: SignalResult,
    /// Known when the cross-validation ran here.
    pub separability: Option<Separability>,
}

/// Trains the final model (and cross-validates, with
/// [`CrossValidate::Here`]) and scores the suspect's outputs. None when
/// the classifier cannot be cross-validated.
pub fn train(
    space: &Space,
    cast: &Cast,
    opts: &AnalysisOptions,
    plan: CrossValidate,
) -> Option<Trained> {
    let n_cand = cast.n_candidates();
    let (texts, labels, copts) = training_set(cast, opts);
    let k = opts.classifier_folds;
    let (separability, model) = match plan {
        CrossValidate::Here => {
            let (cv, model) =
                classifier::cross_validate_and_train(&texts, &labels, n_cand, k, &copts).ok()?;
            let s = Separability {
                accuracy: cv.accuracy,
                folds: cv.folds,
                confusion: cv.confusion,
            };
            (Some(s), model)
        }
        CrossValidate::Elsewhere => {
            classifier::check_cross_validation(&labels, n_cand, k, &copts).ok()?;
            (
                None,
                TextClassifier::train(&texts, &labels, n_cand, &copts).ok()?,
            )
        }
    };
    let suspect = &space.members[Cast::SUSPECT];
    let preds: Vec<usize> = stats::par_map(suspect, |&i| model.predict(&space.texts[i].text));
    let n = preds.len();
    let control_share: Vec<f64> = match cast.control_source() {
        Some(cs) => {
            let cp: Vec<usize> =
                stats::par_map(&space.members[cs], |&i| model.predict(&space.texts[i].text));
            (0..n_cand)
                .map(|c| cp.iter().filter(|&&p| p == c).count() as f64 / cp.len().max(1) as f64)
                .collect()
        }
        None => vec![0.0; n_cand],
    };
    let scores: Vec<CandidateScore> = (0..n_cand)
        .map(|c| {
            let hits: Vec<f64> = preds
                .iter()
                .map(|&p| if p == c { 1.0 } else { 0.0 } - control_share[c])
                .collect();
            let iv = stats::bootstrap_mean(
                &hits,
                opts.bootstrap_reps,
                opts.alpha,
                stats::sub_seed(opts.seed, &format!("classifier/{c}")),
            );
            CandidateScore {
                candidate: cast.candidates[c].clone(),
                score: r6(stats::mean(&hits)),
                low: r6(iv.low),
                high: r6(iv.high),
            }
        })
        .collect();
    let order = order_desc(&scores.iter().map(|s| s.score).collect::<Vec<_>>());
    let evidence = order
        .iter()
        .map(|&c| Evidence::Assignment {
            candidate: cast.candidates[c].clone(),
            outputs: preds.iter().filter(|&&p| p == c).count(),
            of: n,
        })
        .collect();
    let signal = SignalResult {
        name: "classifier".into(),
        description: "Linear classifier (hashed character and word n-grams plus structure rates) trained on the candidates: share of suspect outputs assigned to each (minus the control's share, with a control)".into(),
        ranking: order.iter().map(|&c| cast.candidates[c].clone()).collect(),
        scores,
        in_combined: false,
        evidence,
        note: None,
    };
    Some(Trained {
        signal,
        separability,
    })
}

/// The classifier signal's note, once its cross-validation is known.
pub fn note(separability: &Separability, n_candidates: usize) -> String {
    format!(
        "{}-fold cross-validated accuracy among candidates {:.3} (chance {:.3}); descriptive: a closed-set classifier also picks up a shared base model and whatever else the suspect and control differ in",
        separability.folds,
        separability.accuracy,
        1.0 / n_candidates as f64
    )
}
