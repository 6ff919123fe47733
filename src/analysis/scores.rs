//! Stage 4: per-unit scores. For every unit, signal and candidate, how
//! alike the suspect's answer is to the candidate's answer to the same
//! prompt — and, through the very same function, the control's answer.
//! The signals are then put on one scale and averaged into the combined
//! score the tests resample:
//!
//! - with a control (paired): the excess e_m(u, A) = sim_m(S_u, A_u) −
//!   sim_m(C_u, A_u), divided by its root mean square over all units and
//!   candidates. The RMS is the same under every sign flip of whole units,
//!   so the scaling keeps the sign-flip test exact;
//! - with a control (unpaired): the suspect's and the control's outputs'
//!   similarities to each candidate's profile, divided by their pooled
//!   standard deviation (the same under every relabelling);
//! - without a control: impostor normalisation (the Z-norm of speaker
//!   verification, Auckenthaler et al. 2000): the suspect's similarity to A
//!   minus the mean similarity of the *other candidates'* answers to A on
//!   the same units, over their standard deviation. A score reads "how much
//!   closer to A than A's non-students are".

// Matrix code (units x candidates) reads more clearly with explicit indices.
#![allow(clippy::needless_range_loop)]

use super::design::Units;
use super::evidence;
use super::inference::Design;
use super::roles::Cast;
use super::{AnalysisOptions, Space};
use crate::report::{r6, CandidateScore, SignalResult};
use crate::signals::overlap::{Boilerplate, KgramSequence, NgramSets};
use crate::signals::paired::{
    Answer, EvidenceKind, PairedSignal, SignalOptions, SourceProfile, TextRepr,
};
use crate::stats;

/// The per-unit scores of one signal (rows are units, columns candidates).
pub struct SignalMatrix {
    pub signal: PairedSignal,
    pub in_combined: bool,
    pub suspect: Vec<Vec<f64>>,
    pub control: Option<Vec<Vec<f64>>>,
    /// Mean and sd of the other candidates' scores against each candidate.
    pub impostors: Vec<(f64, f64)>,
}

/// Scores on one scale, in the shape the tests resample.
#[derive(Clone, Debug)]
pub enum Scale {
    /// One row per unit: excess over the control, or impostor-normalised
    /// similarity without a control.
    OneSample(Vec<Vec<f64>>),
    /// Suspect rows and control rows (unpaired design with a control).
    TwoSample {
        suspect: Vec<Vec<f64>>,
        control: Vec<Vec<f64>>,
    },
}

impl Scale {
    pub fn design(&self) -> Design<'_> {
        match self {
            Scale::OneSample(rows) => Design::OneSample(rows),
            Scale::TwoSample { suspect, control } => Design::TwoSample { suspect, control },
        }
    }

    /// The values whose mean is candidate `c`'s score (suspect rows), and
    /// the offset to subtract (the control's mean when unpaired).
    pub fn column(&self, c: usize) -> (Vec<f64>, f64) {
        match self {
            Scale::OneSample(rows) => (rows.iter().map(|r| r[c]).collect(), 0.0),
            Scale::TwoSample { suspect, control } => (
                suspect.iter().map(|r| r[c]).collect(),
                stats::mean(&control.iter().map(|r| r[c]).collect::<Vec<_>>()),
            ),
        }
    }

    /// Each candidate's score: the mean over units (minus the control's
    /// mean when unpaired).
    pub fn scores(&self, n_cand: usize) -> Vec<f64> {
        (0..n_cand)
            .map(|c| {
                let (v, off) = self.column(c);
                stats::mean(&v) - off
            })
            .collect()
    }

    fn zeros_like(&self) -> Scale {
        match self {
            Scale::OneSample(r) => Scale::OneSample(zeros(r)),
            Scale::TwoSample { suspect, control } => Scale::TwoSample {
                suspect: zeros(suspect),
                control: zeros(control),
            },
        }
    }

    fn add_scaled(&mut self, other: &Scale, w: f64) {
        let add = |a: &mut Vec<Vec<f64>>, b: &Vec<Vec<f64>>| {
            for (ra, rb) in a.iter_mut().zip(b) {
                for (x, y) in ra.iter_mut().zip(rb) {
                    *x += w * y;
                }
            }
        };
        match (self, other) {
            (Scale::OneSample(a), Scale::OneSample(b)) => add(a, b),
            (
                Scale::TwoSample { suspect, control },
                Scale::TwoSample {
                    suspect: s2,
                    control: c2,
                },
            ) => {
                add(suspect, s2);
                add(control, c2);
            }
            _ => {}
        }
    }
}

fn zeros(m: &[Vec<f64>]) -> Vec<Vec<f64>> {
    m.iter().map(|r| vec![0.0; r.len()]).collect()
}

/// Everything stage 4 computed.
pub struct Scored {
    pub paired: bool,
    pub n_cand: usize,
    pub has_control: bool,
    pub signals: Vec<SignalMatrix>,
    /// Each signal on the common scale (same order as `signals`).
    pub scaled: Vec<Scale>,
    /// The mean of the scaled signals that are in the combination.
    pub combined: Scale,
}

/// Which signals a [`Scorer`] computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wanted {
    /// Every signal of the report (the combined ones and, paired, verbatim
    /// overlap for its evidence).
    All,
    /// Only the signals of the combined score: all the tests read (the
    /// robustness check).
    Combined,
}

/// What a similarity needs besides the two texts, built once per analysis
/// and shared by the scores, the robustness check and the evidence.
pub struct Scorer<'a> {
    space: &'a Space,
    units: &'a Units,
    n_cand: usize,
    has_control: bool,
    cand_src: Vec<usize>,
    /// The options the signals' comparisons read.
    pub(super) signal_opts: SignalOptions,
    signals: Vec<(PairedSignal, bool)>,
    /// Per unit: word 5-grams that at least half of the *candidates*
    /// write (stock phrases; from candidates only, so the suspect and the
    /// control are discounted alike), plus the unit's prompt's own 5-grams
    /// (every answer may quote the prompt). Empty in an unpaired design.
    pub boilerplate: Vec<Boilerplate>,
    /// Verbatim overlap's n-gram sets of every text in a unit, by text
    /// index (empty for the others, and in an unpaired design).
    grams: Vec<NgramSets>,
}

impl<'a> Scorer<'a> {
    pub fn new(space: &'a Space, cast: &Cast, units: &'a Units, opts: &AnalysisOptions) -> Self {
        let cand_src = cast.candidate_sources();
        let signals = computed_signals(space, units, opts);
        // Verbatim overlap is always scored in a paired design (its shared
        // passages are evidence), so its stock phrases are always needed
        // there. Each text is tokenised once: its k-grams make both the
        // boilerplate and its own n-gram sets.
        let (boilerplate, grams) = if units.paired {
            let k = crate::signals::paired::VERBATIM_NGRAM;
            let mut wanted: Vec<usize> = cand_src
                .iter()
                .flat_map(|&s| space.members[s].iter().copied())
                .chain(units.suspect.iter().copied())
                .chain(units.control.iter().copied())
                .collect();
            wanted.sort_unstable();
            wanted.dedup();
            let seqs = stats::par_map(&wanted, |&i| {
                KgramSequence::of(space.texts[i].text.as_str(), k)
            });
            let mut seq_of: Vec<Option<&KgramSequence>> = vec![None; space.texts.len()];
            for (&i, seq) in wanted.iter().zip(&seqs) {
                seq_of[i] = Some(seq);
            }
            let per_source: Vec<Vec<&KgramSequence>> = cand_src
                .iter()
                .map(|&s| space.members[s].iter().filter_map(|&i| seq_of[i]).collect())
                .collect();
            let stock = Boilerplate::from_sequences(&per_source, k, 0.5);
            let boilerplate = per_unit_boilerplate(&stock, units);
            // The unit of each text in one (a text answers one prompt, so
            // it is in one unit at most): its n-grams are discounted by
            // that unit's set.
            let mut unit_of: Vec<Option<usize>> = vec![None; space.texts.len()];
            for (u, row) in units.candidates.iter().enumerate() {
                let own = [units.suspect.get(u), units.control.get(u)];
                for &i in row.iter().chain(own.into_iter().flatten()) {
                    unit_of[i] = Some(u);
                }
            }
            let grams = stats::par_map(
                &seq_of.iter().zip(&unit_of).collect::<Vec<_>>(),
                |(seq, unit)| match (seq, unit) {
                    (Some(seq), Some(u)) => NgramSets::from_sequence(seq, &boilerplate[*u]),
                    _ => NgramSets::default(),
                },
            );
            (boilerplate, grams)
        } else {
            (Vec::new(), Vec::new())
        };
        Scorer {
            space,
            units,
            n_cand: cast.n_candidates(),
            has_control: cast.control.is_some(),
            cand_src,
            signal_opts: SignalOptions { delta: opts.delta },
            signals,
            boilerplate,
            grams,
        }
    }

    pub fn space(&self) -> &'a Space {
        self.space
    }

    pub fn units(&self) -> &'a Units {
        self.units
    }

    /// The answer of text `i` as the signals read it.
    pub fn answer(&self, i: usize) -> Answer<'_> {
        Answer {
            repr: &self.space.reprs[i],
            grams: self.grams.get(i).unwrap_or(&NO_GRAMS),
        }
    }

    /// The signals of the combined score, in the order [`Wanted::Combined`] gives.
    pub(super) fn combined_signals(&self) -> Vec<PairedSignal> {
        self.signals.iter().filter(|s| s.1).map(|s| s.0).collect()
    }

    /// Scores the units' own texts.
    pub fn score_units(&self) -> Scored {
        let answers = |idx: &[usize]| idx.iter().map(|&i| self.answer(i)).collect::<Vec<_>>();
        self.score(
            &answers(&self.units.suspect),
            &answers(&self.units.control),
            Wanted::All,
        )
    }

    /// Scores the given suspect and control answers (one per unit, in
    /// `units` order) against the candidates; the robustness check passes
    /// re-embedded texts here.
    pub fn score(&self, suspect: &[Answer<'_>], control: &[Answer<'_>], wanted: Wanted) -> Scored {
        let n_cand = self.n_cand;
        let has_control = self.has_control;
        let signals: Vec<SignalMatrix> = self
            .signals
            .iter()
            .filter(|s| wanted == Wanted::All || s.1)
            .map(|&(signal, in_combined)| {
                let score_all = |answers: &[Answer<'_>]| -> Vec<Vec<f64>> {
                    let items: Vec<(usize, &Answer<'_>)> = answers.iter().enumerate().collect();
                    stats::par_map(&items, |&(u, a)| {
                        (0..n_cand)
                            .map(|c| self.score_one(signal, u, *a, c))
                            .collect()
                    })
                };
                SignalMatrix {
                    signal,
                    in_combined,
                    suspect: score_all(suspect),
                    control: has_control.then(|| score_all(control)),
                    impostors: if has_control {
                        Vec::new()
                    } else {
                        self.impostors(signal)
                    },
                }
            })
            .collect();
        let scaled: Vec<Scale> = signals
            .iter()
            .map(|m| scale(m, self.units.paired))
            .collect();
        let mut combined = match scaled.first() {
            Some(s) => s.zeros_like(),
            None => Scale::OneSample(vec![vec![0.0; n_cand]; suspect.len()]),
        };
        let used: Vec<&Scale> = signals
            .iter()
            .zip(&scaled)
            .filter(|(m, _)| m.in_combined)
            .map(|(_, s)| s)
            .collect();
        for s in &used {
            combined.add_scaled(s, 1.0 / used.len() as f64);
        }
        Scored {
            paired: self.units.paired,
            n_cand,
            has_control,
            signals,
            scaled,
            combined,
        }
    }

    /// Score of answer `a` (unit `u`) against candidate `c`: similarity to
    /// the candidate's answer to the same prompt, or to its profile.
    pub(super) fn score_one(&self, signal: PairedSignal, u: usize, a: Answer<'_>, c: usize) -> f64 {
        if self.units.paired {
            self.similarity(signal, a, self.answer(self.units.candidates[u][c]))
        } else {
            self.profile_similarity(signal, a.repr, &self.space.profiles[self.cand_src[c]])
        }
    }

    fn similarity(&self, signal: PairedSignal, a: Answer<'_>, b: Answer<'_>) -> f64 {
        signal.similarity_with(a, b, &self.signal_opts)
    }

    fn profile_similarity(&self, signal: PairedSignal, a: &TextRepr, p: &SourceProfile) -> f64 {
        signal.profile_similarity(a, p, &self.signal_opts)
    }

    /// For each candidate A, the mean and sd of the scores the other
    /// candidates' texts get against A on the same units.
    fn impostors(&self, signal: PairedSignal) -> Vec<(f64, f64)> {
        let n = self.cand_src.len();
        let per: Vec<Vec<f64>> = stats::par_map(&(0..n).collect::<Vec<_>>(), |&a| {
            let mut vals = Vec::new();
            for b in (0..n).filter(|&b| b != a) {
                if self.units.paired {
                    for (u, row) in self.units.candidates.iter().enumerate() {
                        vals.push(self.score_one(signal, u, self.answer(row[b]), a));
                    }
                } else {
                    for &t in &self.space.members[self.cand_src[b]] {
                        vals.push(self.profile_similarity(
                            signal,
                            &self.space.reprs[t],
                            &self.space.profiles[self.cand_src[a]],
                        ));
                    }
                }
            }
            vals
        });
        per.iter()
            .map(|v| {
                let sd = stats::sd(v);
                (stats::mean(v), if sd > 0.0 { sd } else { 1.0 })
            })
            .collect()
    }
}

/// The stock phrases `stock` plus, per unit, its prompt's own k-grams
/// (every answer may quote the prompt; units without a prompt text get the
/// stock phrases alone).
pub fn per_unit_boilerplate(stock: &Boilerplate, units: &Units) -> Vec<Boilerplate> {
    units
        .prompts
        .iter()
        .map(|p| match p {
            Some(text) => stock.with_text(text),
            None => stock.clone(),
        })
        .collect()
}

/// The n-gram sets of a text verbatim overlap does not read.
static NO_GRAMS: NgramSets = NgramSets::EMPTY;

/// The signals to compute, each with whether it enters the combination:
/// the selected ones that the design supports, and, when not selected,
/// those whose evidence a reader needs (a definition's `evidence`: the
/// shared passages, the frequent words the suspect and a candidate share,
/// the layout rates side by side). Those are reported, never combined.
fn computed_signals(
    space: &Space,
    units: &Units,
    opts: &AnalysisOptions,
) -> Vec<(PairedSignal, bool)> {
    let usable = |s: &PairedSignal| (units.paired || s.has_profile()) && space.has(*s);
    let mut out: Vec<(PairedSignal, bool)> = PairedSignal::ALL
        .iter()
        .filter(|s| opts.signals.contains(s) && usable(s))
        .map(|&s| (s, true))
        .collect();
    // Signals with evidence are computed for it even when not combined.
    for &s in PairedSignal::ALL {
        if s.def().evidence != EvidenceKind::None && usable(&s) && !opts.signals.contains(&s) {
            out.push((s, false));
        }
    }
    if !out.iter().any(|s| s.1) {
        // Nothing selected fits this design (paired-only signals without
        // pairs): fall back to the profile signals.
        out = PairedSignal::DEFAULT
            .iter()
            .filter(|s| usable(s))
            .map(|&s| (s, true))
            .collect();
    }
    out
}

/// Burrows (mean absolute difference) or Eder (rank-weighted) Delta as a
/// similarity (its negative).
/// One signal on the common scale (see the module docs).
fn scale(m: &SignalMatrix, paired: bool) -> Scale {
    match (&m.control, paired) {
        (Some(ctl), true) => {
            let e: Vec<Vec<f64>> = m
                .suspect
                .iter()
                .zip(ctl)
                .map(|(s, c)| s.iter().zip(c).map(|(a, b)| a - b).collect())
                .collect();
            let rms = root_mean_square(e.iter().flatten().copied());
            Scale::OneSample(divide(&e, rms))
        }
        (Some(ctl), false) => {
            // Pooled sd around each candidate's pooled mean: the same
            // whichever rows are labelled suspect.
            let k = m.suspect.first().map(Vec::len).unwrap_or(0);
            let pooled: Vec<&Vec<f64>> = m.suspect.iter().chain(ctl).collect();
            let means: Vec<f64> = (0..k)
                .map(|c| stats::mean(&pooled.iter().map(|r| r[c]).collect::<Vec<_>>()))
                .collect();
            let sd = root_mean_square(
                pooled
                    .iter()
                    .flat_map(|r| r.iter().zip(&means).map(|(x, m)| x - m)),
            );
            Scale::TwoSample {
                suspect: divide(&m.suspect, sd),
                control: divide(ctl, sd),
            }
        }
        (None, _) => Scale::OneSample(
            m.suspect
                .iter()
                .map(|row| {
                    row.iter()
                        .zip(&m.impostors)
                        .map(|(v, (mu, sd))| (v - mu) / sd)
                        .collect()
                })
                .collect(),
        ),
    }
}

pub(super) fn root_mean_square(values: impl Iterator<Item = f64>) -> f64 {
    let (mut ss, mut n) = (0.0, 0usize);
    for v in values {
        ss += v * v;
        n += 1;
    }
    if n == 0 {
        0.0
    } else {
        (ss / n as f64).sqrt()
    }
}

/// `m / by`, or zeros when `by` is 0 (a signal that never differs carries
/// no information and must not become NaN).
fn divide(m: &[Vec<f64>], by: f64) -> Vec<Vec<f64>> {
    m.iter()
        .map(|r| {
            r.iter()
                .map(|x| if by > 0.0 { x / by } else { 0.0 })
                .collect()
        })
        .collect()
}

/// One [`SignalResult`] per computed signal: each candidate's score on the
/// common scale with a bootstrap interval, its ranking and its evidence.
pub fn signal_results(
    scorer: &Scorer<'_>,
    cast: &Cast,
    scored: &Scored,
    opts: &AnalysisOptions,
) -> Vec<SignalResult> {
    let names = &cast.candidates;
    scored
        .signals
        .iter()
        .zip(&scored.scaled)
        .map(|(m, s)| {
            let scores: Vec<CandidateScore> = (0..scored.n_cand)
                .map(|c| {
                    let (col, off) = s.column(c);
                    let iv = stats::bootstrap_mean(
                        &col,
                        opts.bootstrap_reps,
                        opts.alpha,
                        stats::sub_seed(opts.seed, &format!("sig/{}/{c}", m.signal.name())),
                    );
                    CandidateScore {
                        candidate: names[c].clone(),
                        score: r6(stats::mean(&col) - off),
                        low: r6(iv.low - off),
                        high: r6(iv.high - off),
                    }
                })
                .collect();
            let order = order_desc(&scores.iter().map(|x| x.score).collect::<Vec<_>>());
            let evidence = evidence::for_signal(scorer, cast, m.signal, &order, opts);
            let mut description = m.signal.description().to_string();
            if let Some(detail) = (m.signal.def().detail)(&scorer.signal_opts) {
                description.push_str(&format!(" ({detail})"));
            }
            description.push_str(match (scored.has_control, scored.paired) {
                (true, true) => "; score = mean excess over the control per prompt, in units of its root mean square",
                (true, false) => "; score = suspect outputs' mean minus the control's, each output against the candidate's profile, in pooled sd units",
                (false, true) => "; score = impostor-normalised similarity to the candidate's answer to the same prompt",
                (false, false) => "; score = impostor-normalised similarity to the candidate's profile",
            });
            SignalResult {
                name: m.signal.name().into(),
                description,
                ranking: order.iter().map(|&c| names[c].clone()).collect(),
                scores,
                in_combined: m.in_combined,
                evidence,
                note: None,
            }
        })
        .collect()
}

/// Order of candidates by descending score (ties by index).
pub fn order_desc(scores: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    crate::sort::stable_sort_by(&mut idx, |&a, &b| {
        scores[b].total_cmp(&scores[a]).then(a.cmp(&b))
    });
    idx
}
