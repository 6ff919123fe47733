//! The tests behind a verdict: a max-T excess test and a confidence set of
//! the closest candidates (multiple comparisons with the best), both by
//! resampling under a null that the design makes exact.
//!
//! The data are a matrix of per-unit scores, one column per candidate:
//!
//! - [`Design::OneSample`]: one row per unit (a prompt, or a suspect output
//!   without a control). With a control each value is the suspect's score
//!   minus the control's on the same prompt; under the null "suspect and
//!   control are exchangeable on each prompt" every row's sign is equally
//!   likely to be flipped, whole (sign-flip permutation; Good 2005, ch. 3).
//! - [`Design::TwoSample`]: suspect rows and control rows with no pairing;
//!   under the null the labels are exchangeable (label permutation).
//!
//! Every statistic is studentised (t per column, Welch's t for two
//! samples), so candidates whose scores vary more do not dominate a
//! maximum. For the sign-flip design the sum of squares of each column is
//! the same under every flip, so studentising costs no exactness.
//! p-values are (1 + #{resampled ≥ observed}) / (1 + R) (Phipson & Smyth
//! 2010): never 0, and exact in level.

// Matrix code (units x candidates) reads more clearly with explicit indices.
#![allow(clippy::needless_range_loop)]

use crate::stats;

/// The scores a test resamples.
#[derive(Clone, Copy, Debug)]
pub enum Design<'a> {
    /// `rows[unit][candidate]`; the null flips whole rows' signs.
    OneSample(&'a [Vec<f64>]),
    /// Suspect rows and control rows; the null relabels rows.
    TwoSample {
        suspect: &'a [Vec<f64>],
        control: &'a [Vec<f64>],
    },
}

/// Result of [`excess_test`].
#[derive(Clone, Debug, PartialEq)]
pub struct MaxT {
    /// The t statistic of each column.
    pub t: Vec<f64>,
    /// The largest of them.
    pub statistic: f64,
    /// One-sided max-T p-value of "some column's mean is above 0" (one
    /// sample) or "above the control's" (two samples).
    pub p_value: f64,
}

/// Tolerance under which a resampled statistic counts as equal to the
/// observed one (rounding of sums in another order).
const TIE: f64 = 1e-9;

impl Design<'_> {
    fn n_cols(&self) -> usize {
        let rows = match self {
            Design::OneSample(r) => r,
            Design::TwoSample { suspect, .. } => suspect,
        };
        rows.first().map(Vec::len).unwrap_or(0)
    }

    fn is_empty(&self) -> bool {
        match self {
            Design::OneSample(r) => r.len() < 2,
            Design::TwoSample { suspect, control } => suspect.len() < 2 || control.len() < 2,
        }
    }

    /// Calls `stat` with the column statistics of the observed data, then
    /// of `reps` resamples under the null; returns how many resamples gave
    /// a value at least the observed one, for each of the `m` outputs of
    /// `stat` (so one resampling pass serves several tests).
    fn resample(
        &self,
        reps: usize,
        seed: u64,
        m: usize,
        mut stat: impl FnMut(&Moments, &mut [f64]),
    ) -> (Vec<f64>, Vec<usize>) {
        let k = self.n_cols();
        let mut observed = vec![0.0; m];
        let mut hits = vec![0usize; m];
        let mut out = vec![0.0; m];
        let mut r = stats::rng(seed);
        match *self {
            Design::OneSample(rows) if k == 1 => {
                // One column (the specificity and model tests'
                // comparisons): each resample's sum is read from a table
                // of the column's signed sums, eight units at a time.
                let mut mo = Moments::one_sample(rows, k);
                stat(&mo, &mut observed);
                let xs: Vec<f64> = rows.iter().map(|row| row[0]).collect();
                let table = FlipTable::of(&xs);
                let mut signs = Vec::new();
                for _ in 0..reps {
                    stats::sign_words(&mut r, xs.len(), &mut signs);
                    if let Moments::OneSample { sums, .. } = &mut mo {
                        sums[0] = table.sum(&signs);
                    }
                    stat(&mo, &mut out);
                    count(&out, &observed, &mut hits);
                }
            }
            Design::OneSample(rows) => {
                let mut mo = Moments::one_sample(rows, k);
                stat(&mo, &mut observed);
                let mut signs = Vec::new();
                for _ in 0..reps {
                    stats::sign_words(&mut r, rows.len(), &mut signs);
                    if let Moments::OneSample { sums, .. } = &mut mo {
                        sums.iter_mut().for_each(|s| *s = 0.0);
                        for (u, row) in rows.iter().enumerate() {
                            let plus = signs[u / 64] >> (u % 64) & 1 == 1;
                            for (s, x) in sums.iter_mut().zip(row) {
                                if plus {
                                    *s += x;
                                } else {
                                    *s -= x;
                                }
                            }
                        }
                    }
                    stat(&mo, &mut out);
                    count(&out, &observed, &mut hits);
                }
            }
            Design::TwoSample { suspect, control } => {
                let pool: Vec<&Vec<f64>> = suspect.iter().chain(control).collect();
                let mut order: Vec<usize> = (0..pool.len()).collect();
                let mo = Moments::two_sample(&pool, suspect.len(), k);
                stat(&mo, &mut observed);
                for _ in 0..reps {
                    // Partial Fisher–Yates: the first |suspect| are relabelled suspect.
                    for i in 0..suspect.len() {
                        let j = i + stats::below(&mut r, pool.len() - i);
                        order.swap(i, j);
                    }
                    let rows: Vec<&Vec<f64>> = order.iter().map(|&i| pool[i]).collect();
                    stat(&Moments::two_sample(&rows, suspect.len(), k), &mut out);
                    count(&out, &observed, &mut hits);
                }
            }
        }
        (observed, hits)
    }
}

/// The sign-flipped sums of one column by table lookup: for every block
/// of eight units, the column's sum over the block under each of the 256
/// sign patterns (bit j of the pattern is unit 8b + j's sign, as in
/// [`stats::sign_words`]). A resample's sum is then one lookup per eight
/// units instead of one addition per unit; the resamples (their signs) are
/// those of the general path, and the sums differ from its unit-by-unit
/// ones only by rounding, far inside the [`TIE`] tolerance.
struct FlipTable {
    /// `sums[block * 256 + pattern]`; units past the column's end (in the
    /// last block) count as 0, so their meaningless sign bits add nothing.
    sums: Vec<f64>,
}

impl FlipTable {
    fn of(xs: &[f64]) -> FlipTable {
        let blocks = xs.len().div_ceil(8);
        let mut sums = vec![0.0; blocks * 256];
        for (b, table) in sums.chunks_exact_mut(256).enumerate() {
            let block = &xs[b * 8..xs.len().min(b * 8 + 8)];
            for (pattern, sum) in table.iter_mut().enumerate() {
                *sum = block
                    .iter()
                    .enumerate()
                    .map(|(j, &x)| if pattern >> j & 1 == 1 { x } else { -x })
                    .sum();
            }
        }
        FlipTable { sums }
    }

    /// The column's sum with unit u's sign the bit u of `signs`.
    fn sum(&self, signs: &[u64]) -> f64 {
        let mut acc = [0.0f64; 4];
        for (b, table) in self.sums.chunks_exact(256).enumerate() {
            let pattern = (signs[b / 8] >> (b % 8 * 8)) as u8;
            acc[b % 4] += table[pattern as usize];
        }
        (acc[0] + acc[1]) + (acc[2] + acc[3])
    }
}

fn count(values: &[f64], observed: &[f64], hits: &mut [usize]) {
    for ((v, o), h) in values.iter().zip(observed).zip(hits.iter_mut()) {
        if *v >= o - TIE * o.abs().max(1.0) {
            *h += 1;
        }
    }
}

/// What the studentised statistics are computed from.
enum Moments {
    /// Column sums under the current signs, the (sign-invariant) sums of
    /// squares of every column and of every difference of two columns.
    OneSample {
        n: f64,
        ss: Vec<f64>,
        ss_diff: Vec<Vec<f64>>,
        sums: Vec<f64>,
    },
    /// Means and variances of each column and each column difference in
    /// both groups.
    TwoSample { a: GroupMoments, b: GroupMoments },
}

struct GroupMoments {
    n: f64,
    mean: Vec<f64>,
    var: Vec<f64>,
    /// Mean and variance of column i minus column j.
    mean_diff: Vec<Vec<f64>>,
    var_diff: Vec<Vec<f64>>,
}

impl GroupMoments {
    fn of(rows: &[&Vec<f64>], k: usize) -> GroupMoments {
        let n = rows.len() as f64;
        let col = |f: &dyn Fn(&Vec<f64>) -> f64| -> (f64, f64) {
            let m = rows.iter().map(|r| f(r)).sum::<f64>() / n;
            let v = rows.iter().map(|r| (f(r) - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
            (m, v)
        };
        let (mut mean, mut var) = (vec![0.0; k], vec![0.0; k]);
        let (mut mean_diff, mut var_diff) = (vec![vec![0.0; k]; k], vec![vec![0.0; k]; k]);
        for i in 0..k {
            (mean[i], var[i]) = col(&|r| r[i]);
            for j in 0..k {
                if i != j {
                    (mean_diff[i][j], var_diff[i][j]) = col(&|r| r[i] - r[j]);
                }
            }
        }
        GroupMoments {
            n,
            mean,
            var,
            mean_diff,
            var_diff,
        }
    }
}

impl Moments {
    fn sums_of(rows: &[Vec<f64>], k: usize) -> Vec<f64> {
        (0..k).map(|j| rows.iter().map(|r| r[j]).sum()).collect()
    }

    fn one_sample(rows: &[Vec<f64>], k: usize) -> Moments {
        let ss = (0..k)
            .map(|j| rows.iter().map(|r| r[j] * r[j]).sum())
            .collect();
        let ss_diff = (0..k)
            .map(|i| {
                (0..k)
                    .map(|j| rows.iter().map(|r| (r[i] - r[j]).powi(2)).sum())
                    .collect()
            })
            .collect();
        Moments::OneSample {
            n: rows.len() as f64,
            ss,
            ss_diff,
            sums: Self::sums_of(rows, k),
        }
    }

    fn two_sample(rows: &[&Vec<f64>], n_a: usize, k: usize) -> Moments {
        Moments::TwoSample {
            a: GroupMoments::of(&rows[..n_a], k),
            b: GroupMoments::of(&rows[n_a..], k),
        }
    }

    /// t statistic of column `i` (one sample: mean > 0; two samples:
    /// suspect mean > control mean, Welch).
    fn t(&self, i: usize) -> f64 {
        match self {
            Moments::OneSample { n, ss, sums, .. } => one_sample_t(*n, sums[i], ss[i]),
            Moments::TwoSample { a, b } => {
                welch(a.mean[i] - b.mean[i], a.var[i], a.n, b.var[i], b.n)
            }
        }
    }

    /// t statistic of column `i` minus column `j`.
    fn t_diff(&self, i: usize, j: usize) -> f64 {
        match self {
            Moments::OneSample {
                n, ss_diff, sums, ..
            } => one_sample_t(*n, sums[i] - sums[j], ss_diff[i][j]),
            Moments::TwoSample { a, b } => welch(
                a.mean_diff[i][j] - b.mean_diff[i][j],
                a.var_diff[i][j],
                a.n,
                b.var_diff[i][j],
                b.n,
            ),
        }
    }
}

/// One-sample t of a column from its sum and sum of squares; 0 when the
/// column has no spread (all values equal: nothing to test).
fn one_sample_t(n: f64, sum: f64, ss: f64) -> f64 {
    let mean = sum / n;
    let var = (ss / n - mean * mean) * n / (n - 1.0);
    if var <= 1e-24 * (ss / n).max(1e-300) {
        return 0.0;
    }
    mean / (var / n).sqrt()
}

fn welch(diff: f64, va: f64, na: f64, vb: f64, nb: f64) -> f64 {
    let se2 = va / na + vb / nb;
    if se2 <= 0.0 {
        0.0
    } else {
        diff / se2.sqrt()
    }
}

/// Max-T test of "for some candidate, the score is above 0" (one sample)
/// or "above the control's" (two samples): the statistic is the largest
/// column t, so testing every candidate at once and picking the best from
/// the same data are both accounted for.
pub fn excess_test(design: Design<'_>, reps: usize, seed: u64) -> MaxT {
    let k = design.n_cols();
    if k == 0 || design.is_empty() {
        return MaxT {
            t: vec![0.0; k],
            statistic: 0.0,
            p_value: 1.0,
        };
    }
    let max_t = |mo: &Moments, out: &mut [f64]| {
        out[0] = (0..k).map(|i| mo.t(i)).fold(f64::NEG_INFINITY, f64::max);
    };
    let (observed, hits) = design.resample(reps, seed, 1, max_t);
    let t = match design {
        Design::OneSample(rows) => {
            let mo = Moments::one_sample(rows, k);
            (0..k).map(|i| mo.t(i)).collect()
        }
        Design::TwoSample { suspect, control } => {
            let pool: Vec<&Vec<f64>> = suspect.iter().chain(control).collect();
            let mo = Moments::two_sample(&pool, suspect.len(), k);
            (0..k).map(|i| mo.t(i)).collect()
        }
    };
    MaxT {
        t,
        statistic: observed[0],
        p_value: p_value(hits[0], reps),
    }
}

/// Multiple comparisons with the best (Hsu 1984), by resampling: for each
/// candidate B, the p-value of "B has the highest mean", from the largest
/// t of (A − B) over the other candidates A, max-T over those comparisons.
/// The candidates with p ≥ α form a 1 − α confidence set of the closest:
/// the truly closest candidate is left out only if some other one beats it
/// significantly, which happens with probability at most α.
pub fn closest_p_values(design: Design<'_>, reps: usize, seed: u64) -> Vec<f64> {
    let k = design.n_cols();
    if k < 2 || design.is_empty() {
        return vec![1.0; k];
    }
    let stat = |mo: &Moments, out: &mut [f64]| {
        for b in 0..k {
            out[b] = (0..k)
                .filter(|&a| a != b)
                .map(|a| mo.t_diff(a, b))
                .fold(f64::NEG_INFINITY, f64::max);
        }
    };
    let (_, hits) = design.resample(reps, seed, k, stat);
    hits.iter().map(|&h| p_value(h, reps)).collect()
}

fn p_value(hits: usize, reps: usize) -> f64 {
    (1 + hits) as f64 / (1 + reps) as f64
}

/// Units needed for a one-sided test at level `alpha / tests` (Bonferroni,
/// a slightly conservative stand-in for a max-T over `tests` comparisons)
/// to have power `power` against a standardised per-unit effect `effect`
/// (mean / sd), by the normal approximation n = ((z₁₋ₐ + z_power) / d)².
/// None when the effect is not positive: more data would not help.
pub fn units_needed(effect: f64, alpha: f64, tests: usize, power: f64) -> Option<usize> {
    if effect.is_nan() || effect <= 0.0 {
        return None;
    }
    let z_a = stats::normal_quantile(1.0 - alpha / tests.max(1) as f64);
    let z_b = stats::normal_quantile(power);
    let n = ((z_a + z_b) / effect).powi(2).ceil();
    Some(n.clamp(2.0, 1e9) as usize)
}

/// Standardised effect mean / sd of a column (0 without spread).
pub fn effect(values: &[f64]) -> f64 {
    let sd = stats::sd(values);
    if sd > 0.0 {
        stats::mean(values) / sd
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_column_resamples_together_as_one_at_a_time() {
        // The one-column path (sums by table lookup) against the general
        // one: the same column twice has the same largest t, and the same
        // sums in every resample up to rounding, so statistic and p agree
        // to the bit, for a unit count that fills no whole sign word.
        let x: Vec<f64> = (0..150)
            .map(|i| ((i * 37 % 101) as f64 - 40.0) / 7.0)
            .collect();
        for reps in [1, 8, 99, 1003] {
            let one = excess_test(Design::OneSample(&rows(&[&x])), reps, 5);
            let two = excess_test(Design::OneSample(&rows(&[&x, &x])), reps, 5);
            assert_eq!(
                (one.statistic, one.p_value),
                (two.statistic, two.p_value),
                "{reps}"
            );
        }
    }

    #[test]
    fn table_sums_are_unit_by_unit_sums() {
        // (units, seed): fewer than eight units, a partial last block, a
        // partial last sign word, whole words.
        for (n, seed) in [(1, 1), (7, 2), (13, 3), (100, 4), (128, 5), (401, 6)] {
            let mut r = stats::rng(seed);
            let xs: Vec<f64> = (0..n)
                .map(|_| stats::below(&mut r, 2001) as f64 / 37.0 - 27.0)
                .collect();
            let table = FlipTable::of(&xs);
            let mut signs = Vec::new();
            for _ in 0..50 {
                stats::sign_words(&mut r, n, &mut signs);
                let want: f64 = xs
                    .iter()
                    .enumerate()
                    .map(|(u, &x)| {
                        if signs[u / 64] >> (u % 64) & 1 == 1 {
                            x
                        } else {
                            -x
                        }
                    })
                    .sum();
                let got = table.sum(&signs);
                assert!(
                    (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                    "{n}: {got} {want}"
                );
            }
        }
    }

    fn rows(cols: &[&[f64]]) -> Vec<Vec<f64>> {
        let n = cols[0].len();
        (0..n)
            .map(|u| cols.iter().map(|c| c[u]).collect())
            .collect()
    }

    #[test]
    fn t_statistics_match_their_formulas() {
        let r = rows(&[&[1.0, 2.0, 3.0, 4.0], &[0.0, 0.0, 0.0, 0.0]]);
        let t = excess_test(Design::OneSample(&r), 0, 1).t;
        // mean 2.5, sd 1.29099, t = 2.5 / (1.29099 / 2) = 3.87298
        assert!((t[0] - 3.872_983).abs() < 1e-5, "{t:?}");
        assert_eq!(t[1], 0.0);
        let a = rows(&[&[1.0, 2.0, 3.0]]);
        let b = rows(&[&[0.0, 1.0, 2.0, 3.0]]);
        let t = excess_test(
            Design::TwoSample {
                suspect: &a,
                control: &b,
            },
            0,
            1,
        )
        .t;
        // diff 0.5, se sqrt(1/3 + 1.6667/4) = 0.866025
        assert!((t[0] - 0.5 / 0.866_025).abs() < 1e-5, "{t:?}");
    }

    #[test]
    fn degenerate_inputs_give_p_one() {
        let empty: Vec<Vec<f64>> = Vec::new();
        let one = vec![vec![1.0, 2.0]];
        for d in [Design::OneSample(&empty), Design::OneSample(&one)] {
            assert_eq!(excess_test(d, 99, 1).p_value, 1.0);
            assert!(closest_p_values(d, 99, 1).iter().all(|&p| p == 1.0));
        }
    }

    #[test]
    fn the_leader_is_always_in_the_set_and_a_clear_loser_is_not() {
        let lead: Vec<f64> = (0..40).map(|i| 1.0 + (i % 3) as f64 * 0.1).collect();
        let lose: Vec<f64> = (0..40).map(|i| -1.0 + (i % 5) as f64 * 0.1).collect();
        let r = rows(&[&lead, &lose]);
        let p = closest_p_values(Design::OneSample(&r), 999, 3);
        assert!(p[0] > 0.5, "{p:?}");
        assert!(p[1] < 0.01, "{p:?}");
    }

    #[test]
    fn units_needed_cases() {
        // (effect, alpha, tests, power, expected)
        let cases = [
            (0.5, 0.05, 1, 0.8, Some(25)), // ((1.6449 + 0.8416) / 0.5)^2 = 24.7
            (0.0, 0.05, 1, 0.8, None),
            (-0.3, 0.01, 3, 0.8, None),
            (1.0, 0.01, 1, 0.5, Some(6)), // (2.3263 / 1)^2 = 5.4
        ];
        for (e, a, k, pw, want) in cases {
            assert_eq!(units_needed(e, a, k, pw), want, "{e} {a} {k} {pw}");
        }
    }
}
