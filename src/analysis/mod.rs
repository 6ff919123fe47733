//! The analysis: from samples with roles to a [`Report`].
//!
//! [`begin`] reads as the pipeline, one stage per module, each handing a
//! typed value to the next, and [`Pending::finish`] ends it ([`analyze`]
//! is the two):
//!
//! 1. [`roles`]: which source plays which role, checked, in canonical order;
//! 2. [`space`]: every text embedded once under statistics of all texts;
//! 3. [`design`]: the units — prompts answered by every source (paired) or
//!    the suspect's outputs (unpaired);
//! 4. [`scores`]: per unit, signal and candidate, how alike the suspect's
//!    answer (and the control's, through the very same computation) is to
//!    the candidate's, combined into one score per unit and candidate;
//! 5. [`inference`]: the excess test and the confidence set of the closest;
//! 6. [`evidence`] and [`classifier`]: what a person can read (shared
//!    words, passages, leaks, the classifier, habits), then kinship, the
//!    tree and warnings;
//! 7. [`decision`] (in [`Pending::finish`]): attribution, resemblance or
//!    abstention, power guidance, and the robustness check. It alone reads
//!    the classifier's cross-validated separability, so that
//!    cross-validation, over half the work, can run elsewhere meanwhile
//!    ([`cross_validation`], [`CrossValidate::Elsewhere`]).
//!
//! The statistics are described in `docs/METHOD.md`; comments here say why.

mod classifier;
mod decision;
mod design;
mod evidence;
pub mod inference;
mod pending;
mod robustness;
mod roles;
mod scores;
pub mod space;
mod specific;
mod warnings;
mod words;

use crate::corpus::{self, Sample};
use crate::report::{
    r6, Design as ReportDesign, InputFile, Kinship, Report, SourceSummary, Warning, SCHEMA_VERSION,
};
use crate::stats;

pub use crate::parameters::{parse_signals, AnalysisOptions, DeltaKind, Roles, RANGES};
pub use classifier::{CrossValidate, Separability};
pub use pending::Pending;
pub use roles::check_request_roles;
pub use space::Space;
pub use warnings::{size_warnings, SourceSize};

/// What to analyse: all samples, and which sources play which role.
#[derive(Clone, Debug, Default)]
pub struct AnalysisRequest {
    pub samples: Vec<Sample>,
    pub suspect: String,
    pub candidates: Vec<String>,
    pub control: Option<String>,
    /// The user's word on vendor families: source name → family. Sources
    /// not named here get their family from their records, the built-in
    /// table of well-known names, or their own name (`crate::family`).
    pub families: std::collections::BTreeMap<String, String>,
    /// Files the samples came from (for the report); may be empty.
    pub inputs: Vec<InputFile>,
    /// Warnings collected while reading (malformed lines), passed through.
    pub input_warnings: Vec<Warning>,
    /// Size limits checked before anything is computed (default: the
    /// documented limits).
    pub size_limits: corpus::SizeLimits,
}

/// An analysis that cannot start (options out of range, missing sources,
/// too few candidates, inputs past the size limits of [`corpus::check_limits`]).
pub use crate::error::Error as AnalysisError;

/// Progress reporting: stage name and overall fraction in [0, 1].
pub type Progress<'a> = &'a mut dyn FnMut(&str, f64);

/// Runs an analysis. `progress` receives (stage, fraction).
pub fn analyze(
    req: &AnalysisRequest,
    opts: &AnalysisOptions,
    progress: Progress<'_>,
) -> Result<Report, AnalysisError> {
    let pending = begin(req, opts, CrossValidate::Here, progress)?;
    Ok(pending.finish(None, progress))
}

/// The classifier's cross-validation alone, on the same request and
/// options as [`begin`] (what a page's second worker runs meanwhile).
/// `Ok(None)`: there is no classifier (a candidate with fewer outputs than
/// folds); an error is one [`analyze`] would give too.
pub fn cross_validation(
    req: &AnalysisRequest,
    opts: &AnalysisOptions,
) -> Result<Option<Separability>, AnalysisError> {
    opts.validate()?;
    let cast = roles::Cast::of(req)?;
    Ok(classifier::cross_validation(&cast, opts))
}

/// Everything of an analysis but what waits for the classifier's
/// cross-validation (with [`CrossValidate::Elsewhere`]); [`analyze`] is
/// `begin` with [`CrossValidate::Here`], then [`Pending::finish`].
pub fn begin(
    req: &AnalysisRequest,
    opts: &AnalysisOptions,
    plan: CrossValidate,
    progress: Progress<'_>,
) -> Result<Pending, AnalysisError> {
    opts.validate()?;
    progress("reading", 0.0);
    let cast = roles::Cast::of(req)?;

    progress("features", 0.05);
    let space = Space::build(&cast.groups, opts);

    progress("signals", 0.35);
    let units = design::Units::of(&space, &cast, opts);
    let scorer = scores::Scorer::new(&space, &cast, &units, opts);
    let scored = scorer.score_units();

    progress("tests", 0.6);
    // The specificity test's other side: every candidate's answers scored
    // against every candidate's, made when a test first needs it.
    let impostors = specific::LazyImpostors::new(&scorer);
    let family_of = cast.family_of();
    let inferred = decision::Inferred::of(&scored, opts, "", &family_of, &impostors);
    let stripped = (opts.robustness && cast.control.is_some())
        .then(|| robustness::stripped_inference(&scorer, opts, &family_of, &impostors));

    progress("classifier", 0.7);
    let trained = classifier::train(&space, &cast, opts, plan);
    let mut signals = scores::signal_results(&scorer, &cast, &scored, opts);
    let (classifier_at, separability) = match trained {
        Some(t) => {
            signals.push(t.signal);
            (Some(signals.len() - 1), t.separability)
        }
        // Without a classifier the separability is the nearest-centroid one.
        None => {
            let accuracy = space.nearest_centroid_loo(&cast.candidate_sources());
            (None, Some(Separability::of_accuracy(accuracy)))
        }
    };
    signals.push(evidence::habits_signal(&space, &cast, opts));

    progress("kinship", 0.85);
    let all = cast.all_sources();
    let kin = space.kinship(&all);
    let names: Vec<String> = all.iter().map(|&s| space.sources[s].clone()).collect();
    let dist: Vec<Vec<f64>> = kin
        .iter()
        .map(|r| r.iter().map(|v| 1.0 - v).collect())
        .collect();
    let newick = stats::upgma_newick(&names, &dist);

    // Inputs and their reading warnings in canonical order too: the same
    // files given in another order make the same report.
    let mut warns: Vec<Warning> = req.input_warnings.clone();
    crate::sort::stable_sort_by(&mut warns, |a, b| {
        (&a.code, &a.message).cmp(&(&b.code, &b.message))
    });
    warns.extend(units.warning.clone());
    warns.extend(warnings::data_warnings(&space, &cast, &units, &kin));
    warns.extend(cast.warnings.clone());
    if req.size_limits.is_raised() {
        warns.push(warnings::size_limits_raised(&req.size_limits));
    }

    let sources = source_summaries(&space, &cast);
    let identity_leaks = evidence::leaks(&space, &all);
    let identity_probes = evidence::identity_probes(&space, &all);
    let mut inputs = req.inputs.clone();
    crate::sort::stable_sort_by(&mut inputs, |a, b| {
        (&a.name, &a.sha256).cmp(&(&b.name, &b.sha256))
    });
    let seed = opts.seed;
    let parameters = opts.clone();
    let design = ReportDesign {
        paired: units.paired,
        shared_prompts: units.shared_prompts,
        unit: if units.paired {
            "prompt"
        } else {
            "suspect output"
        }
        .into(),
        units: units.suspect.len(),
    };
    let kinship = Kinship {
        sources: names,
        similarity: kin
            .iter()
            .map(|r| r.iter().map(|v| r6(*v)).collect())
            .collect(),
        newick,
    };
    // The report around what waits for the cross-validation.
    let assemble = move |signals, verdict| Report {
        schema_version: SCHEMA_VERSION,
        lineage_version: crate::VERSION.into(),
        seed,
        parameters,
        inputs,
        sources,
        design,
        signals,
        verdict,
        kinship,
        identity_leaks,
        identity_probes,
        warnings: warns,
    };
    Ok(Pending {
        assemble: Box::new(assemble),
        signals,
        opts: opts.clone(),
        cast,
        inferred,
        stripped,
        classifier_at,
        separability,
    })
}

fn source_summaries(space: &Space, cast: &roles::Cast) -> Vec<SourceSummary> {
    cast.all_sources()
        .into_iter()
        .map(|s| {
            let lens: Vec<f64> = space.members[s]
                .iter()
                .map(|&i| space.words[i].len() as f64)
                .collect();
            let family =
                (cast.role_of(s) == corpus::Role::Candidate).then(|| cast.families[s - 1].clone());
            SourceSummary {
                family: family.as_ref().map(|f| f.0.clone()),
                family_from: family.map(|f| f.1),
                name: space.sources[s].clone(),
                role: cast.role_of(s).as_str().into(),
                samples: lens.len(),
                median_words: r6(stats::median(&lens)),
                mean_words: r6(stats::mean(&lens)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_lists_parse() {
        // (input, expected names or error)
        let cases: &[(&str, Result<&[&str], ()>)] = &[
            ("char_ngrams", Ok(&["char_ngrams"])),
            ("length, names,length", Ok(&["length", "names"])),
            ("", Err(())),
            ("nope", Err(())),
        ];
        for (input, want) in cases {
            let got = parse_signals(input)
                .map(|v| v.iter().map(|s| s.name()).collect::<Vec<_>>())
                .map_err(|_| ());
            assert_eq!(got, want.map(|w| w.to_vec()), "{input}");
        }
    }
}
