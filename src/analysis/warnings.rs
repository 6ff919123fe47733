//! Warnings about the data: too few or too short outputs, lengths that
//! differ a lot, no control, an unpaired control of another length.

// The kinship matrix is indexed by source on both axes.
#![allow(clippy::needless_range_loop)]

use super::design::Units;
use super::roles::Cast;
use super::Space;
use crate::corpus::{self, SizeLimits};
use crate::report::Warning;
use crate::stats;

/// Fewer outputs than this in a source: intervals are wide, tests weak
/// (warning `too_few_samples`).
pub const MIN_SAMPLES: usize = 30;
/// A source whose median text is shorter than this many words carries
/// little style (warning `short_texts`).
pub const MIN_MEDIAN_WORDS: f64 = 20.0;
/// Median lengths differing more than this factor between sources
/// (warning `length_imbalance`).
pub const MAX_LENGTH_RATIO: f64 = 3.0;

/// One source's size as the data warnings read it.
pub struct SourceSize {
    pub name: String,
    pub samples: usize,
    pub median_words: f64,
}

/// The warnings on the sources' sizes: too few outputs, too short, lengths
/// far apart. One implementation for the analysis and for the preflight
/// (`crate::checks`), which shows the same warnings while the user edits.
pub fn size_warnings(sizes: &[SourceSize]) -> Vec<Warning> {
    let mut out = Vec::new();
    // The sources `keep` picks, each as `show` writes it, or None.
    let listed = |keep: &dyn Fn(&SourceSize) -> bool, show: &dyn Fn(&SourceSize) -> String| {
        let picked: Vec<String> = sizes.iter().filter(|m| keep(m)).map(show).collect();
        (!picked.is_empty()).then(|| picked.join(", "))
    };
    let few = listed(&|m| m.samples < MIN_SAMPLES, &|m| {
        format!("{} ({})", m.name, m.samples)
    });
    if let Some(few) = few {
        out.push(Warning {
            code: "too_few_samples".into(),
            message: format!(
                "fewer than {MIN_SAMPLES} outputs for: {few}; intervals are wide and tests weak"
            ),
        });
    }
    let short = listed(
        &|m| m.samples > 0 && m.median_words < MIN_MEDIAN_WORDS,
        &|m| format!("{} (median {} words)", m.name, m.median_words),
    );
    if let Some(short) = short {
        out.push(Warning {
            code: "short_texts".into(),
            message: format!("short texts carry little style: {short}"),
        });
    }
    let lo = sizes
        .iter()
        .map(|m| m.median_words)
        .fold(f64::INFINITY, f64::min);
    let hi = sizes.iter().map(|m| m.median_words).fold(0.0, f64::max);
    if lo > 0.0 && hi / lo > MAX_LENGTH_RATIO {
        out.push(Warning {
            code: "length_imbalance".into(),
            message: format!(
                "median lengths differ {:.1}-fold between sources; signals use rates and normalised vectors, and length enters only as the explicit length signal",
                hi / lo
            ),
        });
    }
    out
}

pub fn data_warnings(space: &Space, cast: &Cast, units: &Units, kin: &[Vec<f64>]) -> Vec<Warning> {
    let median_words = |s: usize| {
        stats::median(
            &space.members[s]
                .iter()
                .map(|&i| space.words[i].len() as f64)
                .collect::<Vec<_>>(),
        )
    };
    let sizes: Vec<SourceSize> = cast
        .all_sources()
        .iter()
        .map(|&s| SourceSize {
            name: space.sources[s].clone(),
            samples: space.members[s].len(),
            median_words: median_words(s),
        })
        .collect();
    let mut out = size_warnings(&sizes);
    if cast.control.is_none() {
        // How alike the suspect and its closest candidate are, next to the
        // most alike pair of candidates: resemblance has a scale.
        let k = cast.n_candidates();
        let mut best = (f64::NEG_INFINITY, 0, 0);
        for i in 1..=k {
            for j in (i + 1)..=k {
                if kin[i][j] > best.0 {
                    best = (kin[i][j], i, j);
                }
            }
        }
        let closest = (1..=k).max_by(|&a, &b| kin[0][a].total_cmp(&kin[0][b]).then(b.cmp(&a)));
        let scale = closest
            .map(|c| {
                format!(
                    " (kinship suspect–{} {:.3}; most alike candidates {}–{} {:.3})",
                    space.sources[c],
                    kin[0][c],
                    space.sources[best.1],
                    space.sources[best.2],
                    best.0
                )
            })
            .unwrap_or_default();
        out.push(Warning {
            code: "base_model_not_ruled_out".into(),
            message: format!(
                "no control was given: resemblance inherited from a shared base model or topic is not ruled out{scale}"
            ),
        });
    }
    if let (Some(c), false) = (cast.control_source(), units.paired) {
        // Without pairing, an output's similarity to a profile also depends
        // on its own length, and nothing cancels it between suspect and control.
        let (a, b) = (median_words(Cast::SUSPECT), median_words(c));
        if a.min(b) > 0.0 && a.max(b) / a.min(b) > 1.5 {
            out.push(Warning {
                code: "unpaired_control_length".into(),
                message: format!(
                    "unpaired comparison with a control whose outputs differ in length (median {a:.0} vs {b:.0} words): the excess over the control is confounded with length; pair the outputs by prompt id"
                ),
            });
        }
    }
    out
}

pub fn size_limits_raised(limits: &SizeLimits) -> Warning {
    Warning {
        code: "size_limits_raised".into(),
        message: format!(
            "the size limits were raised to {} MiB per source and {} MiB in all (defaults {} and {}, sized for a browser tab)",
            limits.per_source >> 20,
            limits.total >> 20,
            corpus::MAX_SOURCE_BYTES >> 20,
            corpus::MAX_TOTAL_BYTES >> 20
        ),
    }
}
