//! The claim must be about the teacher: the specificity test.
//!
//! The excess test shows that the suspect is closer than the control to
//! *some* candidate, and the confidence set says which candidates are the
//! closest. Neither says that the resemblance is *about* them: a student
//! of a teacher absent from the candidates is closer than the control to
//! every look-alike of that teacher, and the closest look-alike then tops
//! the ranking. The test here asks, for a candidate X of family F, whether
//! the suspect writes more like X than every candidate of *another* family
//! does (the impostors of authorship verification, Koppel & Winter 2014):
//! if the suspect's resemblance to X were only that of some other model
//! that resembles X, the candidates that resemble X — the absent teacher's
//! relatives among them — would match it.
//!
//! Per unit u (a prompt), with M the combined signals and rms_m each
//! signal's scale (the root mean square of the suspect's excess over the
//! control, as in the combined score):
//!
//!   d_XY(u) = (1/M) Σ_m (sim_m(S_u, X_u) − sim_m(Y_u, X_u)) / rms_m,
//!
//! the suspect's excess toward X minus candidate Y's excess toward X over
//! the same control (the control's term cancels). The null "the suspect is
//! no more like X than Y is" is tested by a one-sided sign-flip
//! permutation of whole units (studentised). X is specific when every
//! other-family Y is beaten (an intersection-union test: each at level α,
//! the claim "all beaten" has level α); a family is specific when one of
//! its members in the confidence set is, Bonferroni-corrected over those
//! members.

use super::inference::{self, Design};
use super::scores::{root_mean_square, Scored, Scorer, SignalMatrix};
use super::AnalysisOptions;
use crate::stats;

/// Candidates' answers scored against the answers of the candidates the
/// test reads (the members of the confidence set), with the combined
/// signals (raw similarities): what the impostors' side of the test reads.
/// Each candidate's column is made once per analysis, when a test first
/// reads it; the robustness check reuses them (it strips the suspect's and
/// the control's texts, not the candidates').
pub struct Impostors {
    /// Per column x read: `sims[m][y][u]`, the similarity of candidate y's
    /// answer on unit u to candidate x's, for the m-th combined signal.
    columns: Vec<(usize, std::rc::Rc<Column>)>,
}

type Column = Vec<Vec<Vec<f64>>>;

impl Impostors {
    fn sim(&self, m: usize, y: usize, u: usize, x: usize) -> f64 {
        let (_, column) = self
            .columns
            .iter()
            .find(|c| c.0 == x)
            .expect("the impostors of every member tested were made");
        column[m][y][u]
    }
}

/// Every candidate y's answers scored against candidate x's on every unit
/// (`[m][y][u]`), the same function the scores apply to the suspect: the
/// values are those a full candidate-by-candidate matrix would hold.
fn column(scorer: &Scorer<'_>, x: usize) -> Column {
    let units = scorer.units();
    let k = units.candidates[0].len();
    let signals = scorer.combined_signals();
    let ys: Vec<usize> = (0..k).collect();
    let per_y: Vec<Vec<Vec<f64>>> = stats::par_map(&ys, |&y| {
        signals
            .iter()
            .map(|&signal| {
                (0..units.candidates.len())
                    .map(|u| scorer.score_one(signal, u, scorer.answer(units.candidates[u][y]), x))
                    .collect()
            })
            .collect()
    });
    (0..signals.len())
        .map(|m| per_y.iter().map(|y| y[m].clone()).collect())
        .collect()
}

/// [`Impostors`] made on first use, one candidate's column at a time: only
/// an analysis whose excess test rejects reads them (the main inference
/// and the robustness check share one), and only for the members of the
/// confidence set, so no analysis scores every candidate against every
/// other (a cost quadratic in the number of sources).
pub struct LazyImpostors<'s, 'a> {
    scorer: &'s Scorer<'a>,
    made: std::cell::RefCell<Vec<(usize, std::rc::Rc<Column>)>>,
}

impl<'s, 'a> LazyImpostors<'s, 'a> {
    pub fn new(scorer: &'s Scorer<'a>) -> Self {
        LazyImpostors {
            scorer,
            made: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// The columns of the candidates `read`; None in an unpaired design
    /// (there is no answer of one candidate to compare with another's on
    /// the same prompt).
    pub fn get(&self, read: &[usize]) -> Option<Impostors> {
        let units = self.scorer.units();
        if !units.paired || units.candidates.is_empty() {
            return None;
        }
        let mut made = self.made.borrow_mut();
        for &x in read {
            if !made.iter().any(|c| c.0 == x) {
                made.push((x, std::rc::Rc::new(column(self.scorer, x))));
            }
        }
        let columns = made
            .iter()
            .filter(|c| read.contains(&c.0))
            .cloned()
            .collect();
        Some(Impostors { columns })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FamilyTest {
    /// The family (an index into the analysis's families).
    pub family: usize,
    /// The member tested (the one with the smallest p-value).
    pub member: usize,
    /// p-value of "the suspect writes more like `member` than every
    /// other-family candidate does", Bonferroni-corrected over the members
    /// tried; 1 when there is no candidate of another family.
    pub p_value: f64,
    /// Per other family: the smallest t and the largest p over its
    /// candidates (the impostor that comes closest).
    pub against: Vec<(usize, f64, f64)>,
}

/// One impostor comparison: the suspect against candidate `impostor`.
struct Comparison {
    impostor: usize,
    t: f64,
    p: f64,
}

/// One member of a family tried: its comparisons and their largest p.
struct Member {
    member: usize,
    p: f64,
    per_y: Vec<Comparison>,
}

/// The combined signals of the suspect's scores, each with its scale (the
/// root mean square of the suspect's excess over the control, as in
/// `scores::scale`), computed once for every comparison of an analysis.
struct SuspectScale<'s> {
    signals: Vec<(&'s SignalMatrix, f64)>,
    units: usize,
}

impl<'s> SuspectScale<'s> {
    /// None without a control (there is no excess to scale by).
    fn of(scored: &'s Scored) -> Option<SuspectScale<'s>> {
        let signals = scored
            .signals
            .iter()
            .filter(|m| m.in_combined)
            .map(|m| {
                let control = m.control.as_ref()?;
                let excess = m
                    .suspect
                    .iter()
                    .zip(control)
                    .flat_map(|(s, c)| s.iter().zip(c).map(|(a, b)| a - b));
                Some((m, root_mean_square(excess)))
            })
            .collect::<Option<Vec<_>>>()?;
        let units = scored.signals.first().map_or(0, |m| m.suspect.len());
        Some(SuspectScale { signals, units })
    }

    /// The suspect's per-unit combined similarity to candidate x minus
    /// candidate y's, each signal on the suspect's scale.
    fn differences(&self, imp: &Impostors, x: usize, y: usize) -> Vec<f64> {
        let mut d = vec![0.0; self.units];
        for (m, &(signal, rms)) in self.signals.iter().enumerate() {
            if rms <= 0.0 {
                continue;
            }
            for (u, out) in d.iter_mut().enumerate() {
                *out += (signal.suspect[u][x] - imp.sim(m, y, u, x)) / rms;
            }
        }
        let n = self.signals.len().max(1) as f64;
        d.iter().map(|v| v / n).collect()
    }
}

/// Candidate x tried against every impostor in `ys`: each comparison's
/// one-sided sign-flip test, and the largest p (every one must be beaten).
fn beat_all(
    scale: &SuspectScale<'_>,
    imp: &Impostors,
    x: usize,
    ys: &[usize],
    opts: &AnalysisOptions,
    label: &str,
) -> Member {
    let per_y: Vec<Comparison> = ys
        .iter()
        .map(|&y| {
            let d = scale.differences(imp, x, y);
            let rows: Vec<Vec<f64>> = d.iter().map(|&v| vec![v]).collect();
            let seed = stats::sub_seed(opts.seed, &format!("{label}specific/{x}/{y}"));
            let t = inference::excess_test(Design::OneSample(&rows), opts.permutation_reps, seed);
            Comparison {
                impostor: y,
                t: t.statistic,
                p: t.p_value,
            }
        })
        .collect();
    let p = if per_y.is_empty() {
        1.0
    } else {
        per_y.iter().map(|c| c.p).fold(0.0, f64::max)
    };
    Member {
        member: x,
        p,
        per_y,
    }
}

/// The model test of a model-level claim: whether the suspect writes more
/// like candidate `x` than each of x's family-mates does (the specificity
/// test one level down). A student of x's sibling resembles x through the
/// sibling, and the sibling resembles x more than that student does; a
/// student of x resembles x more than x's siblings do.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelTest {
    pub member: usize,
    /// The largest p over the family-mates (all must be beaten).
    pub p_value: f64,
    /// Per family-mate: (candidate, t, p).
    pub against: Vec<(usize, f64, f64)>,
}

/// The model test of candidate `x` against its family-mates; None when x
/// has none (nothing to beat) or without a control (there is no scale).
pub fn model_test(
    scored: &Scored,
    imp: &Impostors,
    family_of: &[usize],
    x: usize,
    opts: &AnalysisOptions,
    label: &str,
) -> Option<ModelTest> {
    let mates: Vec<usize> = (0..family_of.len())
        .filter(|&y| y != x && family_of[y] == family_of[x])
        .collect();
    if mates.is_empty() {
        return None;
    }
    let scale = SuspectScale::of(scored)?;
    let tried = beat_all(&scale, imp, x, &mates, opts, label);
    Some(ModelTest {
        member: x,
        p_value: tried.p,
        against: tried.per_y.iter().map(|c| (c.impostor, c.t, c.p)).collect(),
    })
}

/// The specificity test of every family with a member in `set` (candidate
/// indices in ranking order); `family_of[c]` is candidate c's family.
pub fn family_tests(
    scored: &Scored,
    imp: &Impostors,
    family_of: &[usize],
    set: &[usize],
    opts: &AnalysisOptions,
    label: &str,
) -> Vec<FamilyTest> {
    let Some(scale) = SuspectScale::of(scored) else {
        return Vec::new();
    };
    // The set's families, in ranking order of their best member.
    let mut families: Vec<usize> = Vec::new();
    for &c in set {
        if !families.contains(&family_of[c]) {
            families.push(family_of[c]);
        }
    }
    let k = family_of.len();
    families
        .into_iter()
        .map(|f| {
            let members: Vec<usize> = set.iter().copied().filter(|&c| family_of[c] == f).collect();
            let others: Vec<usize> = (0..k).filter(|&y| family_of[y] != f).collect();
            let tried: Vec<Member> = members
                .iter()
                .map(|&x| beat_all(&scale, imp, x, &others, opts, label))
                .collect();
            // The member with the smallest p (ties: the better ranked).
            let best = tried
                .iter()
                .fold(None::<&Member>, |b, t| match b {
                    Some(b) if b.p <= t.p => Some(b),
                    _ => Some(t),
                })
                .expect("a family in the set has a member in it");
            let p_value = (best.p * members.len() as f64).min(1.0);
            let mut against: Vec<(usize, f64, f64)> = Vec::new();
            for c in &best.per_y {
                let g = family_of[c.impostor];
                match against.iter_mut().find(|a| a.0 == g) {
                    Some(a) => {
                        a.1 = a.1.min(c.t);
                        a.2 = a.2.max(c.p);
                    }
                    None => against.push((g, c.t, c.p)),
                }
            }
            FamilyTest {
                family: f,
                member: best.member,
                p_value,
                against,
            }
        })
        .collect()
}
