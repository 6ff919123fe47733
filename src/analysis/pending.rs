//! The last stage of an analysis, split off so that the classifier's
//! cross-validation can run elsewhere meanwhile (a page's second worker):
//! the separability it measures is read by the decision and by the
//! robustness check, and by nothing before them.

use super::classifier::{self, Separability};
use super::decision::{self, Inferred};
use super::roles::Cast;
use super::{robustness, AnalysisOptions, Progress};
use crate::report::{Report, SignalResult, Verdict};

/// An analysis done but for its decision (see [`super::begin`]).
pub struct Pending {
    /// The report around its signals and verdict.
    pub(super) assemble: Box<dyn FnOnce(Vec<SignalResult>, Verdict) -> Report>,
    pub(super) signals: Vec<SignalResult>,
    pub(super) opts: AnalysisOptions,
    pub(super) cast: Cast,
    pub(super) inferred: Inferred,
    /// The inference with formatting stripped, for the robustness check.
    pub(super) stripped: Option<Inferred>,
    /// Where the classifier signal is in `signals` (its note waits for
    /// the cross-validation); None without a classifier.
    pub(super) classifier_at: Option<usize>,
    /// Known unless the cross-validation runs elsewhere.
    pub(super) separability: Option<Separability>,
}

impl Pending {
    /// True while the classifier's cross-validation is still to be handed
    /// to [`Pending::finish`] (`begin` with `CrossValidate::Elsewhere`,
    /// and a classifier to validate).
    pub fn awaits_cross_validation(&self) -> bool {
        self.separability.is_none()
    }

    /// The report. `cross_validation` is what [`super::cross_validation`]
    /// gave on the same request and options; when it is None and still
    /// needed, the cross-validation runs here.
    pub fn finish(self, cross_validation: Option<Separability>, progress: Progress<'_>) -> Report {
        let Pending {
            assemble,
            mut signals,
            opts,
            cast,
            inferred,
            stripped,
            classifier_at,
            separability,
        } = self;
        progress("decision", 0.9);
        let known = separability.or(cross_validation);
        let cv = known.or_else(|| classifier::cross_validation(&cast, &opts));
        let separability = match (cv, classifier_at) {
            (Some(cv), Some(at)) => {
                signals[at].note = Some(classifier::note(&cv, cast.n_candidates()));
                cv
            }
            (Some(cv), None) => cv,
            // Unreachable: a classifier was trained only where its
            // cross-validation can run. Chance, not a made-up accuracy.
            (None, _) => Separability::of_accuracy(1.0 / cast.n_candidates() as f64),
        };
        let robustness = stripped.map(|inf| {
            let (kind, attributed, _) = decision::outcome(&inferred, &cast, &separability);
            robustness::judge(&inf, &cast, &separability, (kind, &attributed))
        });
        let verdict =
            decision::verdict(&inferred, &cast, &signals, &separability, robustness, &opts);
        let report = assemble(signals, verdict);
        progress("done", 1.0);
        report
    }
}
