//! The analysis: from samples with roles to a [`Report`] — per-signal
//! scores, the combined ranking, paired tests over prompts, excess
//! similarity over a control, the decision (or abstention), the kinship
//! matrix and tree, and warnings.
//!
//! The statistics are described in `docs/METHOD.md`; the comments here say
//! why each step is done the way it is.

// Matrix code (units x candidates) reads more clearly with explicit indices.
#![allow(clippy::needless_range_loop)]

use std::collections::{BTreeMap, BTreeSet};

use rand::Rng;

use crate::corpus::{self, Role, Sample};
use crate::report::{
    r6, CandidateScore, Design, Evidence, InputFile, Kinship, LeakEvidence, Parameters,
    RankedCandidate, Report, SignalResult, SourceSummary, TestResult, Verdict, Warning,
    SCHEMA_VERSION,
};
use crate::signals::classifier::{self, ClassifierOptions, TextClassifier};
use crate::signals::features::{SparseVec, TextFeatures, CHAR_HASH_BITS, STRUCTURE_NAMES};
use crate::signals::overlap::{self, Boilerplate, OverlapOptions};
use crate::signals::{habits, identity};
use crate::stats;

/// Which Delta measure the `cosine_delta` signal uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum DeltaKind {
    /// Cosine of the z-score vectors (Evert et al. 2017; the default).
    Cosine,
    /// Mean absolute z difference (Burrows 2002).
    Burrows,
    /// Burrows Delta with weights falling linearly with frequency rank (Eder 2015).
    Eder,
}

impl DeltaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeltaKind::Cosine => "cosine",
            DeltaKind::Burrows => "burrows",
            DeltaKind::Eder => "eder",
        }
    }
}

/// Parameters of an analysis; every default is documented in `docs/METHOD.md`,
/// every range in `crate::options` (camelCase names, as JS callers write them).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct AnalysisOptions {
    pub seed: u64,
    /// Significance level of every decision test.
    pub alpha: f64,
    /// Smallest standardised effect (mean / sd of per-prompt differences)
    /// of the top candidate over the runner-up that counts as an attribution.
    pub min_effect: f64,
    pub bootstrap_reps: usize,
    pub permutation_reps: usize,
    /// Number of most frequent words for Delta.
    #[serde(rename = "mostFrequentWords")]
    pub mfw: usize,
    pub delta: DeltaKind,
    /// Character n-grams n = 1..=this.
    pub max_char_ngram: usize,
    /// Total pseudo-count a0 of the log-odds Dirichlet prior.
    pub log_odds_prior: f64,
    pub classifier_folds: usize,
    /// Word n-gram length for verbatim overlap.
    pub overlap_ngram: usize,
    /// Minimum number of shared prompts for a paired design.
    pub min_paired: usize,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        Self {
            seed: 42,
            alpha: 0.01,
            min_effect: 0.2,
            bootstrap_reps: 1000,
            permutation_reps: 9999,
            mfw: 300,
            delta: DeltaKind::Cosine,
            max_char_ngram: 4,
            log_odds_prior: 1000.0,
            classifier_folds: 5,
            overlap_ngram: 5,
            min_paired: 10,
        }
    }
}

/// What to analyse: all samples, and which sources play which role.
#[derive(Clone, Debug, Default)]
pub struct AnalysisRequest {
    pub samples: Vec<Sample>,
    pub suspect: String,
    pub candidates: Vec<String>,
    pub control: Option<String>,
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
use crate::error::ErrorKind;

/// Progress reporting: stage name and overall fraction in [0, 1].
pub type Progress<'a> = &'a mut dyn FnMut(&str, f64);

/// Features of every text of the involved sources, and the reference
/// profiles built from them. Built once, used by every signal; the
/// evaluation builds one per reference set and probes it many times.
pub struct Space {
    pub sources: Vec<String>,
    /// Indices (into `texts`) of each source's texts.
    pub members: Vec<Vec<usize>>,
    pub texts: Vec<Sample>,
    pub feats: Vec<TextFeatures>,
    /// Unit-length sublinear tf-idf vectors of character n-grams.
    pub tfidf: Vec<SparseVec>,
    /// Unit-length centroid of each source's tf-idf vectors.
    pub centroid: Vec<SparseVec>,
    pub mfw: Vec<String>,
    /// z-scored relative frequencies of the MFW, per text and per source.
    pub z_text: Vec<Vec<f64>>,
    pub z_source: Vec<Vec<f64>>,
    /// z-scored structure features per text, and per-source means.
    pub struct_text: Vec<Vec<f64>>,
    pub struct_source: Vec<Vec<f64>>,
    /// Raw (unscaled) per-source mean structure features, for evidence.
    pub struct_raw_source: Vec<Vec<f64>>,
}

impl Space {
    /// Builds the space over `groups` (source name, its samples), in order.
    pub fn build(groups: &[(String, Vec<Sample>)], opts: &AnalysisOptions) -> Space {
        let mut texts = Vec::new();
        let mut members = Vec::new();
        for (_, samples) in groups {
            let start = texts.len();
            texts.extend(samples.iter().cloned());
            members.push((start..texts.len()).collect::<Vec<_>>());
        }
        let max_n = opts.max_char_ngram.max(1);
        let feats: Vec<TextFeatures> = stats::par_map(&texts, |s| TextFeatures::of(&s.text, max_n));

        // Character n-grams: a damped *rate* times idf over all texts
        // (idf discounts what every model writes), scaled to unit length.
        // The weight ln(1 + 1000 c / L), with c the n-gram's count and L
        // the text's number of n-grams, damps repeated n-grams as sublinear
        // tf does, but on the rate: a text repeated twice gets exactly the
        // same vector, so a source's length cannot leak into the profile
        // (plain sublinear tf flattens long texts' profiles).
        // Document frequencies in a dense table over the hash space (4 MB),
        // the same whole-number counts a map would hold.
        let mut df = vec![0.0f32; 1 << CHAR_HASH_BITS];
        for f in &feats {
            for k in f.char_counts.keys() {
                df[*k as usize] += 1.0;
            }
        }
        let n_docs = feats.len().max(1) as f32;
        let tfidf: Vec<SparseVec> = stats::par_map(&feats, |f| {
            let total: f32 = f.char_counts.values().sum::<f32>().max(1.0);
            SparseVec(
                f.char_counts
                    .iter()
                    .map(|(k, c)| {
                        let idf = (n_docs / df[*k as usize]).ln() + 1.0;
                        (*k, (1.0 + 1000.0 * c / total).ln() * idf)
                    })
                    .collect(),
            )
            .normalized()
        });
        let centroid: Vec<SparseVec> = members
            .iter()
            .map(|m| {
                SparseVec::mean(&m.iter().map(|&i| &tfidf[i]).collect::<Vec<_>>()).normalized()
            })
            .collect();

        // Most frequent words: ranked by the mean over sources of each
        // source's relative frequency, so a verbose source does not pick
        // the vocabulary alone.
        let mut mean_rel: BTreeMap<&str, f64> = BTreeMap::new();
        for m in &members {
            let mut counts: BTreeMap<&str, f64> = BTreeMap::new();
            let mut total = 0.0;
            for &i in m {
                for w in &feats[i].words {
                    *counts.entry(w.as_str()).or_insert(0.0) += 1.0;
                    total += 1.0;
                }
            }
            if total > 0.0 {
                for (w, c) in counts {
                    *mean_rel.entry(w).or_insert(0.0) += c / total / members.len() as f64;
                }
            }
        }
        let mut ranked: Vec<(&str, f64)> = mean_rel.into_iter().collect();
        crate::sort::stable_sort_by(&mut ranked, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        let mfw: Vec<String> = ranked
            .iter()
            .take(opts.mfw.max(1))
            .map(|(w, _)| w.to_string())
            .collect();
        let index: BTreeMap<&str, usize> = mfw
            .iter()
            .enumerate()
            .map(|(i, w)| (w.as_str(), i))
            .collect();
        let rel = |ids: &[usize]| -> Vec<f64> {
            let mut v = vec![0.0; mfw.len()];
            let mut total = 0.0;
            for &i in ids {
                for w in &feats[i].words {
                    if let Some(&j) = index.get(w.as_str()) {
                        v[j] += 1.0;
                    }
                    total += 1.0;
                }
            }
            if total > 0.0 {
                v.iter_mut().for_each(|x| *x /= total);
            }
            v
        };
        let rel_text: Vec<Vec<f64>> = (0..feats.len()).map(|i| rel(&[i])).collect();
        // z-scores use the mean and sd of each word's rate over all texts
        // (the documents of the corpus), as in stylo.
        let (mu, sigma) = column_stats(&rel_text, mfw.len());
        let z = |v: &[f64]| -> Vec<f64> {
            v.iter()
                .enumerate()
                .map(|(j, x)| {
                    if sigma[j] > 0.0 {
                        (x - mu[j]) / sigma[j]
                    } else {
                        0.0
                    }
                })
                .collect()
        };
        let z_text: Vec<Vec<f64>> = rel_text.iter().map(|v| z(v)).collect();
        let z_source: Vec<Vec<f64>> = members.iter().map(|m| z(&rel(m))).collect();

        let raw_struct: Vec<Vec<f64>> = feats.iter().map(|f| f.structure.clone()).collect();
        let k = STRUCTURE_NAMES.len();
        let (smu, ssd) = column_stats(&raw_struct, k);
        let struct_text: Vec<Vec<f64>> = raw_struct
            .iter()
            .map(|v| {
                (0..k)
                    .map(|j| {
                        if ssd[j] > 0.0 {
                            (v[j] - smu[j]) / ssd[j]
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect();
        let mean_rows = |rows: &[Vec<f64>], m: &[usize]| -> Vec<f64> {
            let mut out = vec![0.0; k];
            for &i in m {
                for j in 0..k {
                    out[j] += rows[i][j];
                }
            }
            let n = m.len().max(1) as f64;
            out.iter().map(|x| x / n).collect()
        };
        let struct_source = members.iter().map(|m| mean_rows(&struct_text, m)).collect();
        let struct_raw_source = members.iter().map(|m| mean_rows(&raw_struct, m)).collect();

        Space {
            sources: groups.iter().map(|g| g.0.clone()).collect(),
            members,
            texts,
            feats,
            tfidf,
            centroid,
            mfw,
            z_text,
            z_source,
            struct_text,
            struct_source,
            struct_raw_source,
        }
    }

    /// Delta similarity (higher = closer) between two z-score vectors.
    pub fn delta_sim(&self, kind: DeltaKind, a: &[f64], b: &[f64]) -> f64 {
        let n = a.len().max(1) as f64;
        match kind {
            DeltaKind::Cosine => stats::cosine(a, b),
            DeltaKind::Burrows => -a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f64>() / n,
            DeltaKind::Eder => {
                -a.iter()
                    .zip(b)
                    .enumerate()
                    .map(|(i, (x, y))| (x - y).abs() * (n - i as f64) / n)
                    .sum::<f64>()
                    / n
            }
        }
    }

    /// Per-text similarity of text `t` to source `s`, for each per-text signal.
    fn text_scores(&self, kind: DeltaKind, t: usize, s: usize) -> [f64; 3] {
        [
            self.delta_sim(kind, &self.z_text[t], &self.z_source[s]),
            self.tfidf[t].dot(&self.centroid[s]),
            -rms_diff(&self.struct_text[t], &self.struct_source[s]),
        ]
    }
}

fn column_stats(rows: &[Vec<f64>], k: usize) -> (Vec<f64>, Vec<f64>) {
    let n = rows.len().max(1) as f64;
    let mut mu = vec![0.0; k];
    for r in rows {
        for j in 0..k {
            mu[j] += r[j] / n;
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

fn rms_diff(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().max(1) as f64;
    (a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>() / n).sqrt()
}

/// Names and descriptions of the per-unit signals, in score order.
const UNIT_SIGNALS: [(&str, &str); 5] = [
    (
        "cosine_delta",
        "Delta on the most frequent words: z-scored relative frequencies of each suspect output compared with each candidate's profile",
    ),
    (
        "char_ngrams",
        "Character n-gram profile: cosine of each suspect output's tf-idf vector with each candidate's centroid",
    ),
    (
        "structure",
        "Structure and format: negative RMS distance of z-scored rates (length is one explicit feature of sixteen)",
    ),
    (
        "paired_char_ngrams",
        "Same-prompt character n-gram cosine: each suspect answer against the candidate's answer to the same prompt",
    ),
    (
        "verbatim_overlap",
        "Same-prompt verbatim overlap: share of the suspect answer's word n-grams found in the candidate's answer, boilerplate (n-grams at least half of the sources write) discounted",
    ),
];

/// Per-unit scores of one probe source (the suspect or the control):
/// `scores[signal][unit][candidate]`.
type UnitScores = Vec<Vec<Vec<f64>>>;

/// The units of the analysis: prompt ids (paired) or suspect text indices.
struct Units {
    paired: bool,
    suspect_texts: Vec<usize>,
    control_texts: Vec<usize>,
    /// `candidate_texts[unit][candidate]` (paired only).
    candidate_texts: Vec<Vec<usize>>,
}

fn unit_scores(
    space: &Space,
    opts: &AnalysisOptions,
    probe_texts: &[usize],
    cand_src: &[usize],
    paired: Option<(&[Vec<usize>], &Boilerplate)>,
) -> UnitScores {
    let n_sig = if paired.is_some() { 5 } else { 3 };
    let per_unit: Vec<Vec<[f64; 5]>> = stats::par_map(
        &probe_texts.iter().enumerate().collect::<Vec<_>>(),
        |(u, &t)| {
            cand_src
                .iter()
                .enumerate()
                .map(|(c, &s)| {
                    let [a, b, d] = space.text_scores(opts.delta, t, s);
                    let (p, o) = match paired {
                        Some((pc, boiler)) => {
                            let other = pc[*u][c];
                            (
                                space.tfidf[t].dot(&space.tfidf[other]),
                                overlap::containment_with(
                                    &space.texts[t].text,
                                    &space.texts[other].text,
                                    opts.overlap_ngram,
                                    boiler,
                                ),
                            )
                        }
                        None => (0.0, 0.0),
                    };
                    [a, b, d, p, o]
                })
                .collect()
        },
    );
    (0..n_sig)
        .map(|k| {
            per_unit
                .iter()
                .map(|row| row.iter().map(|v| v[k]).collect())
                .collect()
        })
        .collect()
}

/// Mean over units of each candidate's column.
fn column_means(m: &[Vec<f64>], n_cand: usize) -> Vec<f64> {
    (0..n_cand)
        .map(|c| stats::mean(&m.iter().map(|r| r[c]).collect::<Vec<_>>()))
        .collect()
}

/// Order of candidates by descending score (ties by index).
fn order_desc(scores: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    crate::sort::stable_sort_by(&mut idx, |&a, &b| {
        scores[b].total_cmp(&scores[a]).then(a.cmp(&b))
    });
    idx
}

/// Randomisation test of the gap between the best and the second-best
/// candidate mean. Under the null that the candidates are exchangeable
/// for every unit, the candidate labels are permuted within each unit; the
/// statistic is recomputed after each shuffle, *including* the choice of
/// the top two, so selecting the winner from the same data is accounted for.
pub fn gap_test(m: &[Vec<f64>], reps: usize, seed: u64) -> (f64, f64) {
    let n_cand = m.first().map(|r| r.len()).unwrap_or(0);
    if m.is_empty() || n_cand < 2 {
        return (0.0, 1.0);
    }
    let gap = |means: &[f64]| {
        let o = order_desc(means);
        means[o[0]] - means[o[1]]
    };
    let observed = gap(&column_means(m, n_cand));
    let mut r = stats::rng(seed);
    let mut sums = vec![0.0; n_cand];
    let mut perm: Vec<usize> = (0..n_cand).collect();
    let mut hits = 0usize;
    let n = m.len() as f64;
    for _ in 0..reps {
        sums.iter_mut().for_each(|s| *s = 0.0);
        for row in m {
            for i in (1..n_cand).rev() {
                let j = stats::below(&mut r, i + 1);
                perm.swap(i, j);
            }
            for c in 0..n_cand {
                sums[c] += row[perm[c]];
            }
        }
        let means: Vec<f64> = sums.iter().map(|s| s / n).collect();
        if gap(&means) >= observed - 1e-12 {
            hits += 1;
        }
    }
    (observed, (1 + hits) as f64 / (1 + reps) as f64)
}

/// Max-T sign-flip test of "the suspect is closer than the control to at
/// least one candidate". Each unit's excess vector (one value per
/// candidate) changes sign as a whole under the null that suspect and
/// control are exchangeable; the maximum over candidates of the mean
/// excess is the statistic, which controls for picking the best candidate.
pub fn max_excess_test(e: &[Vec<f64>], reps: usize, seed: u64) -> (f64, f64) {
    let n_cand = e.first().map(|r| r.len()).unwrap_or(0);
    if e.is_empty() || n_cand == 0 {
        return (0.0, 1.0);
    }
    let max_mean = |means: &[f64]| means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let observed = max_mean(&column_means(e, n_cand));
    let mut r = stats::rng(seed);
    let mut sums = vec![0.0; n_cand];
    let mut hits = 0usize;
    let n = e.len() as f64;
    for _ in 0..reps {
        sums.iter_mut().for_each(|s| *s = 0.0);
        for row in e {
            let sign = if r.gen::<bool>() { 1.0 } else { -1.0 };
            for c in 0..n_cand {
                sums[c] += sign * row[c];
            }
        }
        let means: Vec<f64> = sums.iter().map(|s| s / n).collect();
        if max_mean(&means) >= observed - 1e-12 {
            hits += 1;
        }
    }
    (observed, (1 + hits) as f64 / (1 + reps) as f64)
}

/// Two-sample max-T permutation test for unpaired controls: suspect and
/// control texts (each a vector over candidates) are relabelled at random.
fn max_excess_unpaired(s: &[Vec<f64>], c: &[Vec<f64>], reps: usize, seed: u64) -> (f64, f64) {
    let n_cand = s.first().map(|r| r.len()).unwrap_or(0);
    if s.is_empty() || c.is_empty() || n_cand == 0 {
        return (0.0, 1.0);
    }
    let stat = |a: &[&Vec<f64>], b: &[&Vec<f64>]| {
        (0..n_cand)
            .map(|k| {
                stats::mean(&a.iter().map(|r| r[k]).collect::<Vec<_>>())
                    - stats::mean(&b.iter().map(|r| r[k]).collect::<Vec<_>>())
            })
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let mut pool: Vec<&Vec<f64>> = s.iter().chain(c.iter()).collect();
    let observed = stat(&pool[..s.len()], &pool[s.len()..]);
    let mut r = stats::rng(seed);
    let mut hits = 0usize;
    for _ in 0..reps {
        for i in 0..s.len() {
            let j = i + stats::below(&mut r, pool.len() - i);
            pool.swap(i, j);
        }
        if stat(&pool[..s.len()], &pool[s.len()..]) >= observed - 1e-12 {
            hits += 1;
        }
    }
    (observed, (1 + hits) as f64 / (1 + reps) as f64)
}

/// Runs an analysis. `progress` receives (stage, fraction).
pub fn analyze(
    req: &AnalysisRequest,
    opts: &AnalysisOptions,
    progress: Progress<'_>,
) -> Result<Report, AnalysisError> {
    opts.validate()?;
    progress("reading", 0.0);
    let groups = corpus::group_by_source(&req.samples);
    let mut missing: Vec<&str> = Vec::new();
    let mut wanted: Vec<(&str, Role)> = vec![(req.suspect.as_str(), Role::Suspect)];
    wanted.extend(req.candidates.iter().map(|c| (c.as_str(), Role::Candidate)));
    if let Some(c) = &req.control {
        wanted.push((c.as_str(), Role::Control));
    }
    for (name, _) in &wanted {
        if !groups.contains_key(*name) {
            missing.push(name);
        }
    }
    if !missing.is_empty() {
        let known: Vec<&str> = groups.keys().map(String::as_str).collect();
        return Err(AnalysisError::new(
            ErrorKind::UnknownSource,
            format!(
                "unknown source name(s): {} (known: {})",
                missing.join(", "),
                known.join(", ")
            ),
        ));
    }
    let distinct: BTreeSet<&str> = wanted.iter().map(|w| w.0).collect();
    if distinct.len() != wanted.len() {
        return Err(AnalysisError::new(
            ErrorKind::BadRoles,
            "a source may play only one role (suspect, candidate or control)",
        ));
    }
    if req.candidates.len() < 2 {
        return Err(AnalysisError::new(
            ErrorKind::BadRoles,
            "at least two candidates are needed",
        ));
    }
    corpus::check_limits(
        wanted.iter().map(|(n, _)| groups[*n].as_slice()),
        &req.size_limits,
    )?;
    let duplicates = duplicate_prompt_warnings(&wanted, &groups);
    // Canonical order inside each source (by prompt id, then text), so the
    // report does not depend on the order of the input lines.
    let ordered: Vec<(String, Vec<Sample>)> = wanted
        .iter()
        .map(|(n, _)| {
            let mut v = groups[*n].clone();
            crate::sort::stable_sort_by(&mut v, |a, b| {
                a.prompt_id.cmp(&b.prompt_id).then(a.text.cmp(&b.text))
            });
            (n.to_string(), v)
        })
        .collect();

    progress("features", 0.05);
    let space = Space::build(&ordered, opts);
    progress("signals", 0.4);
    let mut report = analyze_space(&space, &wanted, req, opts, progress);
    report.inputs = req.inputs.clone();
    report.warnings.extend(duplicates);
    if req.size_limits.is_raised() {
        report.warnings.push(Warning {
            code: "size_limits_raised".into(),
            message: format!(
                "the size limits were raised by the user to {} MiB per source and {} MiB in all (defaults {} and {})",
                req.size_limits.per_source >> 20,
                req.size_limits.total >> 20,
                corpus::MAX_SOURCE_BYTES >> 20,
                corpus::MAX_TOTAL_BYTES >> 20
            ),
        });
    }
    progress("done", 1.0);
    Ok(report)
}

/// A warning for each source that answers some prompt more than once:
/// pairing uses one answer per prompt (the first in prompt id, then text
/// order), so the others are left out of the paired tests.
fn duplicate_prompt_warnings(
    wanted: &[(&str, Role)],
    groups: &BTreeMap<String, Vec<Sample>>,
) -> Vec<Warning> {
    let mut out = Vec::new();
    for (name, _) in wanted {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut repeated: BTreeSet<&str> = BTreeSet::new();
        for id in groups[*name].iter().filter_map(|s| s.prompt_id.as_deref()) {
            if !seen.insert(id) {
                repeated.insert(id);
            }
        }
        if let Some(first) = repeated.first() {
            out.push(Warning {
                code: "duplicate_prompt".into(),
                message: format!(
                    "{name} answers {} prompt(s) more than once (first: {first}); one answer per prompt is paired",
                    repeated.len()
                ),
            });
        }
    }
    out
}

/// The analysis proper over a built space; sources are in `wanted` order
/// (suspect, candidates..., control?).
fn analyze_space(
    space: &Space,
    wanted: &[(&str, Role)],
    req: &AnalysisRequest,
    opts: &AnalysisOptions,
    progress: Progress<'_>,
) -> Report {
    let n_cand = req.candidates.len();
    let suspect_src = 0usize;
    let cand_src: Vec<usize> = (1..=n_cand).collect();
    let control_src = req.control.as_ref().map(|_| n_cand + 1);
    let cand_names: Vec<String> = req.candidates.clone();
    let mut warnings: Vec<Warning> = req.input_warnings.clone();

    // Units: prompts answered by the suspect, every candidate and the
    // control, matched on prompt id; otherwise the suspect's texts.
    let prompt_index = |src: usize| -> BTreeMap<&str, usize> {
        let mut m = BTreeMap::new();
        for &i in &space.members[src] {
            if let Some(id) = space.texts[i].prompt_id.as_deref() {
                m.entry(id).or_insert(i);
            }
        }
        m
    };
    let all_src: Vec<usize> = std::iter::once(suspect_src)
        .chain(cand_src.iter().copied())
        .chain(control_src)
        .collect();
    let indexes: Vec<BTreeMap<&str, usize>> = all_src.iter().map(|&s| prompt_index(s)).collect();
    let shared: Vec<String> = indexes[0]
        .keys()
        .filter(|k| indexes.iter().all(|ix| ix.contains_key(*k)))
        .map(|k| k.to_string())
        .collect();
    let paired = shared.len() >= opts.min_paired;
    let units = if paired {
        Units {
            paired,
            suspect_texts: shared.iter().map(|p| indexes[0][p.as_str()]).collect(),
            control_texts: control_src
                .map(|_| {
                    let ix = indexes.last().expect("control index exists");
                    shared.iter().map(|p| ix[p.as_str()]).collect()
                })
                .unwrap_or_default(),
            candidate_texts: shared
                .iter()
                .map(|p| (1..=n_cand).map(|c| indexes[c][p.as_str()]).collect())
                .collect(),
        }
    } else {
        warnings.push(Warning {
            code: "unpaired_design".into(),
            message: format!(
                "only {} prompts are answered by every source (at least {} are needed to pair); the analysis is unpaired and compares outputs with source profiles",
                shared.len(),
                opts.min_paired
            ),
        });
        Units {
            paired,
            suspect_texts: space.members[suspect_src].clone(),
            control_texts: control_src
                .map(|c| space.members[c].clone())
                .unwrap_or_default(),
            candidate_texts: Vec::new(),
        }
    };
    // Boilerplate: word k-grams that at least half of the sources write
    // somewhere say nothing about who learned from whom.
    let overlap_opts = OverlapOptions {
        k: opts.overlap_ngram.max(1),
        ..OverlapOptions::default()
    };
    let boilerplate = if paired {
        // Built from the candidates (and control) only: a phrase that the
        // suspect shares with a single candidate is evidence, not
        // boilerplate, and including the suspect would make it so.
        let per_source: Vec<Vec<&str>> = all_src[1..]
            .iter()
            .map(|&s| {
                space.members[s]
                    .iter()
                    .map(|&i| space.texts[i].text.as_str())
                    .collect()
            })
            .collect();
        Boilerplate::from_sources(&per_source, &overlap_opts, 0.5)
    } else {
        Boilerplate::none()
    };
    let paired_cands = paired.then_some((units.candidate_texts.as_slice(), &boilerplate));
    let s_scores = unit_scores(space, opts, &units.suspect_texts, &cand_src, paired_cands);
    let c_scores = control_src
        .map(|_| unit_scores(space, opts, &units.control_texts, &cand_src, paired_cands));
    progress("normalising", 0.6);

    // Impostor normalisation (the Z-norm of speaker verification): some
    // candidates are "hubs" that every text resembles (a generic style, a
    // central length), so raw similarities favour them whatever the
    // suspect is. Each signal's score against candidate A is therefore
    // standardised by the mean and sd of the scores that the *other*
    // candidates' outputs (same units) get against A. A score then reads
    // "how much closer to A than A's non-students usually are", comparable
    // across candidates and across signals, which are averaged unweighted.
    let n_sig = s_scores.len();
    let impostors: Vec<UnitScores> = (0..n_cand)
        .map(|b| {
            let probe: Vec<usize> = if units.paired {
                units.candidate_texts.iter().map(|row| row[b]).collect()
            } else {
                space.members[cand_src[b]].clone()
            };
            unit_scores(space, opts, &probe, &cand_src, paired_cands)
        })
        .collect();
    let norm: Vec<Vec<(f64, f64)>> = (0..n_sig)
        .map(|k| {
            (0..n_cand)
                .map(|a| {
                    let vals: Vec<f64> = (0..n_cand)
                        .filter(|&b| b != a)
                        .flat_map(|b| impostors[b][k].iter().map(move |row| row[a]))
                        .collect();
                    let sd = stats::sd(&vals);
                    (stats::mean(&vals), if sd > 0.0 { sd } else { 1.0 })
                })
                .collect()
        })
        .collect();
    let normalize = |sc: &UnitScores| -> UnitScores {
        sc.iter()
            .enumerate()
            .map(|(k, m)| {
                m.iter()
                    .map(|row| {
                        row.iter()
                            .enumerate()
                            .map(|(a, v)| (v - norm[k][a].0) / norm[k][a].1)
                            .collect()
                    })
                    .collect()
            })
            .collect()
    };
    let s_scores = normalize(&s_scores);
    let c_scores = c_scores.as_ref().map(normalize);
    let combine = |sc: &UnitScores| -> Vec<Vec<f64>> {
        let n_units = sc.first().map(|m| m.len()).unwrap_or(0);
        (0..n_units)
            .map(|u| {
                (0..n_cand)
                    .map(|c| (0..n_sig).map(|k| sc[k][u][c]).sum::<f64>() / n_sig as f64)
                    .collect()
            })
            .collect()
    };
    let s_comb = combine(&s_scores);
    let c_comb = c_scores.as_ref().map(combine);

    // Per-signal results (scores = mean over units with a bootstrap interval).
    let mut signals: Vec<SignalResult> = Vec::new();
    // With a control, every per-signal score is the excess over the
    // control (paired: per prompt; unpaired: minus the control's mean), so
    // the per-signal rankings and the agreement count answer the same
    // question as the verdict.
    let excess_col = |k: usize, c: usize| -> Vec<f64> {
        let sc: Vec<f64> = s_scores[k].iter().map(|r| r[c]).collect();
        match &c_scores {
            None => sc,
            Some(cs) => {
                let cc: Vec<f64> = cs[k].iter().map(|r| r[c]).collect();
                if units.paired {
                    sc.iter().zip(&cc).map(|(a, b)| a - b).collect()
                } else {
                    let m = stats::mean(&cc);
                    sc.iter().map(|a| a - m).collect()
                }
            }
        }
    };
    for k in 0..s_scores.len() {
        let scores: Vec<CandidateScore> = (0..n_cand)
            .map(|c| {
                let col: Vec<f64> = excess_col(k, c);
                let iv = stats::bootstrap_mean(
                    &col,
                    opts.bootstrap_reps,
                    opts.alpha,
                    stats::sub_seed(opts.seed, &format!("sig{k}/{c}")),
                );
                CandidateScore {
                    candidate: cand_names[c].clone(),
                    score: r6(stats::mean(&col)),
                    low: r6(iv.low),
                    high: r6(iv.high),
                }
            })
            .collect();
        let (name, description) = UNIT_SIGNALS[k];
        let ranking = order_desc(&scores.iter().map(|s| s.score).collect::<Vec<_>>())
            .into_iter()
            .map(|c| cand_names[c].clone())
            .collect();
        let evidence = match name {
            "cosine_delta" => delta_evidence(space, &cand_src, &cand_names, &scores),
            "structure" => structure_evidence(space, &cand_src, &cand_names, &scores),
            "verbatim_overlap" => overlap_evidence(
                space,
                &units,
                &cand_names,
                &scores,
                &overlap_opts,
                &boilerplate,
            ),
            _ => Vec::new(),
        };
        let mut description = if name == "cosine_delta" {
            format!("{description} (delta = {})", opts.delta.as_str())
        } else {
            description.to_string()
        };
        if control_src.is_some() {
            description.push_str("; score = excess over the control");
        }
        signals.push(SignalResult {
            name: name.into(),
            description,
            scores,
            ranking,
            in_combined: true,
            evidence,
            note: None,
        });
    }
    progress("classifier", 0.65);
    let classifier_result = classifier_signal(space, &cand_src, control_src, &cand_names, opts);
    if let Some((sig, _)) = &classifier_result {
        signals.push(sig.clone());
    }
    signals.push(habits_signal(
        space,
        suspect_src,
        &cand_src,
        control_src,
        &cand_names,
        opts,
    ));

    // Ranking and tests.
    progress("tests", 0.85);
    let mut tests: Vec<TestResult> = Vec::new();
    let (rank_matrix, score_label): (Vec<Vec<f64>>, &str) = match (&c_comb, units.paired) {
        (Some(cc), true) => (
            s_comb
                .iter()
                .zip(cc)
                .map(|(s, c)| s.iter().zip(c).map(|(a, b)| a - b).collect())
                .collect(),
            "excess over control",
        ),
        (Some(cc), false) => {
            // Unpaired control: subtract the control's mean per candidate.
            let cm = column_means(cc, n_cand);
            (
                s_comb
                    .iter()
                    .map(|s| s.iter().zip(&cm).map(|(a, b)| a - b).collect())
                    .collect(),
                "excess over control",
            )
        }
        (None, _) => (s_comb.clone(), "combined similarity"),
    };
    let means = column_means(&rank_matrix, n_cand);
    let order = order_desc(&means);
    let top = order[0];
    let runner = order[1];
    let first_counts: Vec<usize> = (0..n_cand)
        .map(|c| {
            signals
                .iter()
                .filter(|s| s.ranking.first() == Some(&cand_names[c]))
                .count()
        })
        .collect();
    let ranking: Vec<RankedCandidate> = order
        .iter()
        .map(|&c| {
            let col: Vec<f64> = rank_matrix.iter().map(|r| r[c]).collect();
            let iv = stats::bootstrap_mean(
                &col,
                opts.bootstrap_reps,
                opts.alpha,
                stats::sub_seed(opts.seed, &format!("rank/{c}")),
            );
            RankedCandidate {
                candidate: cand_names[c].clone(),
                score: r6(means[c]),
                low: r6(iv.low),
                high: r6(iv.high),
                signals_first: first_counts[c],
            }
        })
        .collect();

    let diffs: Vec<f64> = rank_matrix.iter().map(|r| r[top] - r[runner]).collect();
    let effect = {
        let s = stats::sd(&diffs);
        if s > 0.0 {
            stats::mean(&diffs) / s
        } else {
            0.0
        }
    };
    let sign = stats::sign_test(&diffs);
    tests.push(TestResult {
        hypothesis: format!(
            "per {}, the suspect is closer to {} than to the runner-up {} ({score_label})",
            if units.paired { "prompt" } else { "suspect output" },
            cand_names[top],
            cand_names[runner]
        ),
        method: "exact sign test, one-sided (descriptive: top and runner-up are chosen from the same data)".into(),
        statistic: r6(stats::mean(&diffs)),
        p_value: r6(sign.p_value),
        units: diffs.len(),
        positive: sign.positive,
        negative: sign.negative,
    });
    let (gap, p_gap) = gap_test(
        &rank_matrix,
        opts.permutation_reps,
        stats::sub_seed(opts.seed, "gap"),
    );
    tests.push(TestResult {
        hypothesis: format!(
            "the top candidate's lead over the runner-up ({score_label}) exceeds what exchangeable candidates give"
        ),
        method: "within-unit label permutation of the top-two gap (selection included)".into(),
        statistic: r6(gap),
        p_value: r6(p_gap),
        units: rank_matrix.len(),
        positive: sign.positive,
        negative: sign.negative,
    });
    let mut p_decision = p_gap;
    let mut excess_p = None;
    if let Some(cc) = &c_comb {
        let (stat, p) = if units.paired {
            max_excess_test(
                &rank_matrix,
                opts.permutation_reps,
                stats::sub_seed(opts.seed, "excess"),
            )
        } else {
            max_excess_unpaired(
                &s_comb,
                cc,
                opts.permutation_reps.min(1999),
                stats::sub_seed(opts.seed, "excess"),
            )
        };
        tests.push(TestResult {
            hypothesis: format!(
                "the suspect is closer than the control {} to its best candidate",
                req.control.as_deref().unwrap_or("?")
            ),
            method: if units.paired {
                "max-T sign-flip permutation over prompts".into()
            } else {
                "max-T two-sample permutation over outputs".into()
            },
            statistic: r6(stat),
            p_value: r6(p),
            units: rank_matrix.len(),
            positive: rank_matrix.iter().filter(|r| r[top] > 0.0).count(),
            negative: rank_matrix.iter().filter(|r| r[top] < 0.0).count(),
        });
        p_decision = p_decision.max(p);
        excess_p = Some(p);
    }

    // Separability among candidates: k-fold cross-validated accuracy of
    // the classifier (falls back to leave-one-out nearest centroid when a
    // candidate has fewer texts than folds).
    let separability = classifier_result
        .as_ref()
        .map(|c| c.1)
        .unwrap_or_else(|| nearest_centroid_loo(space, &cand_src));
    let chance = 1.0 / n_cand as f64;
    let sep_floor = chance + (1.0 - chance) / 4.0;

    let ranked_signals = signals.len();
    let agreeing = first_counts[top];
    let kin = kinship(space, &all_src);

    // Decision, from the rules in docs/METHOD.md, checked in order.
    let mut reason;
    let abstained;
    if separability < sep_floor {
        abstained = true;
        reason = format!(
            "the candidates cannot be told apart well enough (cross-validated accuracy {:.3} < {:.3}, a quarter of the way from chance to perfect)",
            separability, sep_floor
        );
    } else if let Some(p) = excess_p.filter(|p| *p >= opts.alpha) {
        abstained = true;
        reason = format!(
            "the suspect is not significantly closer than the control to any candidate (p = {p:.4} ≥ α = {})",
            opts.alpha
        );
    } else if excess_p.is_some() && means[top] <= 0.0 {
        abstained = true;
        reason = "the suspect is not closer than the control to any candidate".into();
    } else if p_gap >= opts.alpha {
        abstained = true;
        reason = format!(
            "{} and {} cannot be separated (p = {:.4} ≥ α = {})",
            cand_names[top], cand_names[runner], p_gap, opts.alpha
        );
    } else if effect < opts.min_effect {
        abstained = true;
        reason = format!(
            "the lead of {} over {} is significant but small (standardised effect {:.3} < {})",
            cand_names[top], cand_names[runner], effect, opts.min_effect
        );
    } else if 2 * agreeing < ranked_signals {
        abstained = true;
        reason = format!(
            "signals disagree: only {agreeing} of {ranked_signals} rank {} first",
            cand_names[top]
        );
    } else {
        abstained = false;
        reason = format!(
            "{} ranks first ({score_label} {:.3} vs {:.3} for {}; p = {:.4}; {} of {} signals agree)",
            cand_names[top],
            means[top],
            means[runner],
            cand_names[runner],
            p_decision,
            agreeing,
            ranked_signals
        );
    }
    if control_src.is_none() {
        // Compare with how alike unrelated candidates are.
        let mut best = (f64::NEG_INFINITY, 0, 0);
        for i in 1..=n_cand {
            for j in (i + 1)..=n_cand {
                if kin[i][j] > best.0 {
                    best = (kin[i][j], i, j);
                }
            }
        }
        reason.push_str(&format!(
            "; kinship suspect–{} {:.3}, most alike candidates {}–{} {:.3}",
            cand_names[top],
            kin[0][top + 1],
            space.sources[best.1],
            space.sources[best.2],
            best.0
        ));
        warnings.push(Warning {
            code: "base_model_not_ruled_out".into(),
            message: "no control was given: resemblance inherited from a shared base model or topic is not ruled out".into(),
        });
    }
    add_data_warnings(space, &all_src, &mut warnings);
    if let (Some(c), false) = (control_src, units.paired) {
        // Without pairing, an output's similarity to a profile also depends
        // on its own length (short outputs are noisier and resemble every
        // profile less), and nothing cancels it between suspect and control.
        let med = |s: usize| {
            stats::median(
                &space.members[s]
                    .iter()
                    .map(|&i| space.feats[i].words.len() as f64)
                    .collect::<Vec<_>>(),
            )
        };
        let (a, b) = (med(suspect_src), med(c));
        if a.min(b) > 0.0 && a.max(b) / a.min(b) > 1.5 {
            warnings.push(Warning {
                code: "unpaired_control_length".into(),
                message: format!(
                    "unpaired comparison with a control whose outputs differ in length (median {a:.0} vs {b:.0} words): the excess over the control is confounded with length; pair the outputs by prompt id"
                ),
            });
        }
    }

    let sources: Vec<SourceSummary> = all_src
        .iter()
        .zip(wanted)
        .map(|(&s, (name, role))| {
            let lens: Vec<f64> = space.members[s]
                .iter()
                .map(|&i| space.feats[i].words.len() as f64)
                .collect();
            SourceSummary {
                name: name.to_string(),
                role: role.as_str().into(),
                samples: lens.len(),
                median_words: r6(stats::median(&lens)),
                mean_words: r6(stats::mean(&lens)),
            }
        })
        .collect();
    let names: Vec<String> = all_src.iter().map(|&s| space.sources[s].clone()).collect();
    let dist: Vec<Vec<f64>> = kin
        .iter()
        .map(|r| r.iter().map(|v| 1.0 - v).collect())
        .collect();
    let newick = stats::upgma_newick(&names, &dist);

    Report {
        schema_version: SCHEMA_VERSION,
        lineage_version: crate::VERSION.into(),
        seed: opts.seed,
        parameters: Parameters {
            alpha: opts.alpha,
            min_effect: opts.min_effect,
            bootstrap_reps: opts.bootstrap_reps,
            permutation_reps: opts.permutation_reps,
            most_frequent_words: opts.mfw,
            delta: opts.delta.as_str().into(),
            max_char_ngram: opts.max_char_ngram,
            log_odds_prior: opts.log_odds_prior,
            classifier_folds: opts.classifier_folds,
            overlap_ngram: opts.overlap_ngram,
        },
        inputs: Vec::new(),
        sources,
        design: Design {
            paired: units.paired,
            shared_prompts: shared.len(),
            unit: if units.paired {
                "prompt"
            } else {
                "suspect output"
            }
            .into(),
            units: rank_matrix.len(),
        },
        signals,
        verdict: Verdict {
            attributed: (!abstained).then(|| cand_names[top].clone()),
            top: Some(cand_names[top].clone()),
            abstained,
            reason,
            p_value: r6(p_decision),
            effect: r6(effect),
            ranking,
            agreeing_signals: agreeing,
            ranked_signals,
            tests,
            control: req.control.clone(),
            separability: Some(r6(separability)),
        },
        kinship: Kinship {
            sources: names,
            similarity: kin
                .iter()
                .map(|r| r.iter().map(|v| r6(*v)).collect())
                .collect(),
            newick,
        },
        identity_leaks: leaks(space, &all_src),
        warnings,
    }
}

/// Kinship similarity of sources: the mean of the character n-gram
/// centroid cosine and the Cosine Delta similarity of the source profiles.
fn kinship(space: &Space, srcs: &[usize]) -> Vec<Vec<f64>> {
    srcs.iter()
        .map(|&a| {
            srcs.iter()
                .map(|&b| {
                    if a == b {
                        1.0
                    } else {
                        let c = space.centroid[a].dot(&space.centroid[b]);
                        let d = stats::cosine(&space.z_source[a], &space.z_source[b]);
                        (c + d) / 2.0
                    }
                })
                .collect()
        })
        .collect()
}

/// Leave-one-out nearest-centroid accuracy among the candidates on the
/// character n-gram profiles: how well the candidates can be told apart.
pub fn nearest_centroid_loo(space: &Space, cand_src: &[usize]) -> f64 {
    // Unnormalised sums let us remove one text from its own centroid.
    let sums: Vec<SparseVec> = cand_src
        .iter()
        .map(|&s| {
            let m = &space.members[s];
            let mut v = SparseVec::mean(&m.iter().map(|&i| &space.tfidf[i]).collect::<Vec<_>>());
            let n = m.len() as f32;
            v.0.iter_mut().for_each(|x| x.1 *= n);
            v
        })
        .collect();
    let items: Vec<(usize, usize)> = cand_src
        .iter()
        .enumerate()
        .flat_map(|(c, &s)| space.members[s].iter().map(move |&i| (c, i)))
        .collect();
    let correct: Vec<bool> = stats::par_map(&items, |&(c, i)| {
        let x = &space.tfidf[i];
        let mut best = (f64::NEG_INFINITY, usize::MAX);
        for (k, sum) in sums.iter().enumerate() {
            // cos(x, sum − x·[k == c]) from dot products alone.
            let (dot, norm2) = if k == c {
                let d = x.dot(sum) - 1.0;
                let n2 = sum.norm().powi(2) - 2.0 * x.dot(sum) + 1.0;
                (d, n2)
            } else {
                (x.dot(sum), sum.norm().powi(2))
            };
            let sim = if norm2 > 0.0 { dot / norm2.sqrt() } else { 0.0 };
            if sim > best.0 {
                best = (sim, k);
            }
        }
        best.1 == c
    });
    if correct.is_empty() {
        0.0
    } else {
        correct.iter().filter(|&&b| b).count() as f64 / correct.len() as f64
    }
}

fn habits_signal(
    space: &Space,
    suspect_src: usize,
    cand_src: &[usize],
    control_src: Option<usize>,
    cand_names: &[String],
    opts: &AnalysisOptions,
) -> SignalResult {
    // The control (when given) is the last source of the log-odds pool.
    let srcs: Vec<usize> = std::iter::once(suspect_src)
        .chain(cand_src.iter().copied())
        .chain(control_src)
        .collect();
    let counts: Vec<BTreeMap<String, f64>> = srcs
        .iter()
        .map(|&s| {
            habits::item_counts(
                space.members[s]
                    .iter()
                    .map(|&i| space.feats[i].words.as_slice()),
            )
        })
        .collect();
    // Items used fewer than 10 times in all give z-scores dominated by the
    // prior; they are left out.
    let z = habits::source_z(&counts, opts.log_odds_prior, 10.0);
    let z_crit = 2.575_829; // two-sided 99% normal quantile
    let mut scores = Vec::new();
    let mut evidence = Vec::new();
    for (c, name) in cand_names.iter().enumerate() {
        let (r, n) = habits::z_correlation(&z[0], &z[c + 1]);
        let (lo, hi) = habits::correlation_interval(r, n, z_crit);
        // With a control: the suspect's correlation minus the control's
        // (the interval is the suspect's, shifted).
        let base = if control_src.is_some() {
            habits::z_correlation(&z[srcs.len() - 1], &z[c + 1]).0
        } else {
            0.0
        };
        let (r, lo, hi) = (r - base, lo - base, hi - base);
        scores.push(CandidateScore {
            candidate: name.clone(),
            score: r6(r),
            low: r6(lo),
            high: r6(hi),
        });
        for (item, zs, zc) in habits::shared_overuse(&z[0], &z[c + 1], 1.96, 8) {
            evidence.push(Evidence::SharedHabit {
                candidate: name.clone(),
                count_suspect: counts[0].get(&item).copied().unwrap_or(0.0) as u64,
                count_candidate: counts[c + 1].get(&item).copied().unwrap_or(0.0) as u64,
                item,
                z_suspect: r6(zs),
                z_candidate: r6(zc),
            });
        }
    }
    let order = order_desc(&scores.iter().map(|s| s.score).collect::<Vec<_>>());
    // Evidence of the best-matching candidates first.
    crate::sort::stable_sort_by_key(&mut evidence, |e| match e {
        Evidence::SharedHabit { candidate, .. } => order
            .iter()
            .position(|&c| &cand_names[c] == candidate)
            .unwrap_or(usize::MAX),
        _ => usize::MAX,
    });
    SignalResult {
        name: "habits".into(),
        description: "Distinctive habits: correlation of weighted log-odds z-scores (informative Dirichlet prior) of words and word pairs, each source against the others".into(),
        ranking: order.iter().map(|&c| cand_names[c].clone()).collect(),
        scores,
        in_combined: false,
        evidence,
        note: Some("interval: Fisher z over items, optimistic because items are not independent".into()),
    }
}

fn delta_evidence(
    space: &Space,
    cand_src: &[usize],
    cand_names: &[String],
    scores: &[CandidateScore],
) -> Vec<Evidence> {
    let order = order_desc(&scores.iter().map(|s| s.score).collect::<Vec<_>>());
    let zs = &space.z_source[0];
    let mut out = Vec::new();
    for &c in order.iter().take(3) {
        let zc = &space.z_source[cand_src[c]];
        let mut contrib: Vec<(usize, f64)> = (0..space.mfw.len())
            .map(|j| (j, zs[j] * zc[j]))
            .filter(|(_, v)| *v > 0.0)
            .collect();
        crate::sort::stable_sort_by(&mut contrib, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (j, _) in contrib.into_iter().take(6) {
            out.push(Evidence::Word {
                candidate: cand_names[c].clone(),
                word: space.mfw[j].clone(),
                z_suspect: r6(zs[j]),
                z_candidate: r6(zc[j]),
            });
        }
    }
    out
}

fn structure_evidence(
    space: &Space,
    cand_src: &[usize],
    cand_names: &[String],
    scores: &[CandidateScore],
) -> Vec<Evidence> {
    let order = order_desc(&scores.iter().map(|s| s.score).collect::<Vec<_>>());
    let raw_s = &space.struct_raw_source[0];
    let mut out = Vec::new();
    if let Some(&c) = order.first() {
        let raw_c = &space.struct_raw_source[cand_src[c]];
        for (j, name) in STRUCTURE_NAMES.iter().enumerate() {
            out.push(Evidence::Feature {
                candidate: cand_names[c].clone(),
                feature: name.to_string(),
                suspect: r6(raw_s[j]),
                candidate_value: r6(raw_c[j]),
            });
        }
    }
    out
}

fn add_data_warnings(space: &Space, srcs: &[usize], warnings: &mut Vec<Warning>) {
    let medians: Vec<(String, f64, usize)> = srcs
        .iter()
        .map(|&s| {
            let lens: Vec<f64> = space.members[s]
                .iter()
                .map(|&i| space.feats[i].words.len() as f64)
                .collect();
            (space.sources[s].clone(), stats::median(&lens), lens.len())
        })
        .collect();
    let few: Vec<String> = medians
        .iter()
        .filter(|m| m.2 < crate::checks::MIN_SAMPLES)
        .map(|m| format!("{} ({})", m.0, m.2))
        .collect();
    if !few.is_empty() {
        warnings.push(Warning {
            code: "too_few_samples".into(),
            message: format!(
                "fewer than 30 outputs for: {}; intervals are wide and tests weak",
                few.join(", ")
            ),
        });
    }
    let short: Vec<String> = medians
        .iter()
        .filter(|m| m.1 < crate::checks::MIN_MEDIAN_WORDS)
        .map(|m| format!("{} (median {} words)", m.0, m.1))
        .collect();
    if !short.is_empty() {
        warnings.push(Warning {
            code: "short_texts".into(),
            message: format!("short texts carry little style: {}", short.join(", ")),
        });
    }
    let lo = medians.iter().map(|m| m.1).fold(f64::INFINITY, f64::min);
    let hi = medians.iter().map(|m| m.1).fold(0.0, f64::max);
    if lo > 0.0 && hi / lo > crate::checks::MAX_LENGTH_RATIO {
        warnings.push(Warning {
            code: "length_imbalance".into(),
            message: format!(
                "median lengths differ {:.1}-fold between sources; signals use rates and normalised profiles, length enters only as one structure feature",
                hi / lo
            ),
        });
    }
}

/// The longest verbatim passages the suspect shares with each of the three
/// best-matching candidates, over all paired prompts, boilerplate excluded.
fn overlap_evidence(
    space: &Space,
    units: &Units,
    cand_names: &[String],
    scores: &[CandidateScore],
    opts: &OverlapOptions,
    boilerplate: &Boilerplate,
) -> Vec<Evidence> {
    let order = order_desc(&scores.iter().map(|s| s.score).collect::<Vec<_>>());
    let mut out = Vec::new();
    for &c in order.iter().take(3) {
        let pairs: Vec<(usize, usize)> = units
            .suspect_texts
            .iter()
            .zip(&units.candidate_texts)
            .map(|(&t, row)| (t, row[c]))
            .collect();
        let found: Vec<Vec<(usize, overlap::SharedSpan)>> = stats::par_map(&pairs, |&(t, o)| {
            overlap::shared_spans(
                &space.texts[t].text,
                &space.texts[o].text,
                opts,
                boilerplate,
            )
            .into_iter()
            .map(|sp| (t, sp))
            .collect()
        });
        let mut all: Vec<(usize, overlap::SharedSpan)> = found.into_iter().flatten().collect();
        crate::sort::stable_sort_by(&mut all, |a, b| {
            b.1.words.cmp(&a.1.words).then(a.0.cmp(&b.0))
        });
        for (t, sp) in all.into_iter().take(5) {
            out.push(Evidence::SharedSpan {
                candidate: cand_names[c].clone(),
                prompt_id: space.texts[t].prompt_id.clone().unwrap_or_default(),
                words: sp.words,
                text: sp.text,
                suspect_span: sp.a.into(),
                candidate_span: sp.b.into(),
            });
        }
    }
    out
}

/// Self-identification sentences in the outputs of every source, in
/// source order: a student that says "I am ChatGPT" names its teacher.
fn leaks(space: &Space, srcs: &[usize]) -> Vec<LeakEvidence> {
    let mut out = Vec::new();
    for &s in srcs {
        let texts: Vec<usize> = space.members[s].clone();
        let found = stats::par_map(&texts, |&i| identity::find_leaks(&space.texts[i].text));
        for (i, leaks) in texts.iter().zip(found) {
            for l in leaks {
                // A generic self-description ("as an AI language model")
                // names nobody and is not evidence of lineage.
                let named: Vec<String> = l
                    .claims
                    .iter()
                    .filter(|c| c.kind != identity::ClaimKind::Generic)
                    .map(|c| c.entity.clone())
                    .collect();
                if named.is_empty() {
                    continue;
                }
                out.push(LeakEvidence {
                    source: space.sources[s].clone(),
                    prompt_id: space.texts[*i].prompt_id.clone(),
                    sentence: l.sentence,
                    claims: named,
                    language: l.language.code().into(),
                    span: l.span.into(),
                });
            }
        }
    }
    out
}

/// The learned classifier: trained on the candidates' outputs, cross-validated for
/// separability, then applied to every suspect output; the score of a
/// candidate is the share of suspect outputs assigned to it, with a
/// bootstrap interval over outputs. Returns None when it cannot be trained
/// (a candidate with fewer outputs than folds).
fn classifier_signal(
    space: &Space,
    cand_src: &[usize],
    control_src: Option<usize>,
    cand_names: &[String],
    opts: &AnalysisOptions,
) -> Option<(SignalResult, f64)> {
    let n_cand = cand_src.len();
    let mut texts: Vec<&str> = Vec::new();
    let mut labels: Vec<usize> = Vec::new();
    for (c, &s) in cand_src.iter().enumerate() {
        for &i in &space.members[s] {
            texts.push(&space.texts[i].text);
            labels.push(c);
        }
    }
    // Only the argmax is used here, so the softmax temperature is not fitted.
    let copts = ClassifierOptions {
        calibration_folds: 0,
        seed: stats::sub_seed(opts.seed, "classifier"),
        ..ClassifierOptions::default()
    };
    let cv =
        classifier::cross_validate(&texts, &labels, n_cand, opts.classifier_folds, &copts).ok()?;
    let model = TextClassifier::train(&texts, &labels, n_cand, &copts).ok()?;
    let suspect: Vec<usize> = space.members[0].clone();
    let preds: Vec<usize> = stats::par_map(&suspect, |&i| model.predict(&space.texts[i].text));
    let n = preds.len();
    // With a control, the score is the suspect's share minus the control's
    // share (the interval resamples the suspect's outputs only).
    let control_share: Vec<f64> = match control_src {
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
                candidate: cand_names[c].clone(),
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
            candidate: cand_names[c].clone(),
            outputs: preds.iter().filter(|&&p| p == c).count(),
            of: n,
        })
        .collect();
    let sig = SignalResult {
        name: "classifier".into(),
        description: "Linear classifier (hashed character and word n-grams plus structure rates) trained on the candidates: share of suspect outputs assigned to each".into(),
        ranking: order.iter().map(|&c| cand_names[c].clone()).collect(),
        scores,
        in_combined: false,
        evidence,
        note: Some(format!(
            "{}-fold cross-validated accuracy among candidates {:.3} (chance {:.3}); a closed-set classifier also picks up a shared base model",
            cv.folds,
            cv.accuracy,
            1.0 / n_cand as f64
        )),
    };
    Some((sig, cv.accuracy))
}
