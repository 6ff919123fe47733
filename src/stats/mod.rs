//! Statistics: seeded resampling, paired tests, distances, average-linkage
//! trees and weighted log-odds. Everything random takes an explicit seed
//! and uses ChaCha8, whose stream is the same natively and in wasm, so a
//! report is reproducible byte for byte.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::detmath::ln;

mod normal;
pub use normal::normal_quantile;

/// The one RNG constructor of the crate: ChaCha8 from a 64-bit seed.
pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// A uniform index in `0..n` (`n > 0`) drawn the same way on every
/// platform. `gen_range` over `usize` samples a `u64` on 64-bit targets
/// and a `u32` on wasm32, so the two would give different streams from
/// the same seed; this draws a `u32` whenever `n` fits one (exactly what
/// `rand`'s own slice shuffle does) and a `u64` otherwise.
pub fn below(r: &mut ChaCha8Rng, n: usize) -> usize {
    debug_assert!(n > 0);
    match u32::try_from(n) {
        Ok(n) => r.gen_range(0..n) as usize,
        Err(_) => r.gen_range(0..n as u64) as usize,
    }
}

/// Fisher–Yates shuffle with [`below`]'s portable draws: the same
/// permutation natively and in wasm for the same RNG state.
pub fn shuffle<T>(r: &mut ChaCha8Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, below(r, i + 1));
    }
}

/// Derives an independent seed for a named sub-stream, so adding a
/// resampling step somewhere does not shift every later random draw.
pub fn sub_seed(seed: u64, label: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(label.as_bytes(), seed)
}

/// Arithmetic mean; 0 for an empty slice.
pub fn mean(x: &[f64]) -> f64 {
    if x.is_empty() {
        0.0
    } else {
        x.iter().sum::<f64>() / x.len() as f64
    }
}

/// Sample standard deviation (n − 1); 0 when fewer than two values.
pub fn sd(x: &[f64]) -> f64 {
    if x.len() < 2 {
        return 0.0;
    }
    let m = mean(x);
    (x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() - 1) as f64).sqrt()
}

/// Median; 0 for an empty slice.
pub fn median(x: &[f64]) -> f64 {
    quantile(x, 0.5)
}

/// Linear-interpolated quantile (type 7, as R's default); NaNs are ignored.
pub fn quantile(x: &[f64], q: f64) -> f64 {
    let mut v: Vec<f64> = x.iter().copied().filter(|v| v.is_finite()).collect();
    if v.is_empty() {
        return 0.0;
    }
    let h = (v.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    // The two order statistics by selection, not a sort (a bootstrap's
    // interval reads two of its ten thousand values): the lo-th, then the
    // smallest of those above it.
    let (_, &mut low, above) = v.select_nth_unstable_by(lo, f64::total_cmp);
    let high = if hi == lo {
        low
    } else {
        above.iter().copied().min_by(f64::total_cmp).unwrap_or(low)
    };
    low + (h - lo as f64) * (high - low)
}

/// z-scores of a vector (0 when the spread is 0).
pub fn zscores(x: &[f64]) -> Vec<f64> {
    let m = mean(x);
    let s = sd(x);
    x.iter()
        .map(|v| if s > 0.0 { (v - m) / s } else { 0.0 })
        .collect()
}

/// Cosine similarity of two dense vectors; 0 when either has no length.
pub fn cosine(a: &[f64], b: &[f64]) -> f64 {
    let (mut dot, mut na, mut nb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na <= 0.0 || nb <= 0.0 {
        0.0
    } else {
        (dot / (na.sqrt() * nb.sqrt())).clamp(-1.0, 1.0)
    }
}

/// A percentile interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// Percentile bootstrap (Efron & Tibshirani 1993, ch. 13) of the mean of
/// `x`: resamples `x` with replacement `reps` times; returns the
/// (α/2, 1 − α/2) percentiles. Empty input gives [0, 0].
pub fn bootstrap_mean(x: &[f64], reps: usize, alpha: f64, seed: u64) -> Interval {
    bootstrap(x.len(), reps, alpha, seed, |idx| {
        idx.iter().map(|&i| x[i]).sum::<f64>() / idx.len() as f64
    })
}

/// Generic percentile bootstrap over `n` units: `stat` receives the
/// resampled indices.
pub fn bootstrap(
    n: usize,
    reps: usize,
    alpha: f64,
    seed: u64,
    mut stat: impl FnMut(&[usize]) -> f64,
) -> Interval {
    if n == 0 || reps == 0 {
        return Interval {
            low: 0.0,
            high: 0.0,
        };
    }
    let mut r = rng(seed);
    let mut idx = vec![0usize; n];
    let mut values = Vec::with_capacity(reps);
    for _ in 0..reps {
        for slot in idx.iter_mut() {
            *slot = below(&mut r, n);
        }
        values.push(stat(&idx));
    }
    Interval {
        low: quantile(&values, alpha / 2.0),
        high: quantile(&values, 1.0 - alpha / 2.0),
    }
}

/// ln C(n, k).
fn ln_choose(n: u64, k: u64) -> f64 {
    ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)
}

/// Lanczos approximation of ln Γ(x) for x > 0 (g = 7, 9 terms), accurate to
/// about 15 digits, enough for binomial tails.
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// P(X ≥ k) for X ~ Binomial(n, 1/2), exact (summed in log space).
pub fn binomial_upper_tail_half(k: u64, n: u64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    let ln_half_n = n as f64 * 0.5f64.ln();
    let mut total = 0.0;
    for j in k..=n {
        total += (ln_choose(n, j) + ln_half_n).exp();
    }
    total.min(1.0)
}

/// Random signs for sign-flip tests: bit `i` of the `i / 64`-th word is
/// unit `i`'s sign. Drawn as whole `u64`s, the same stream natively and in
/// wasm, and 64 signs per draw.
pub fn sign_words(r: &mut ChaCha8Rng, n: usize, out: &mut Vec<u64>) {
    use rand::RngCore;
    out.clear();
    out.extend((0..n.div_ceil(64)).map(|_| r.next_u64()));
}

/// Result of a paired test.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct PairedTest {
    /// Units where the difference is positive / negative (ties dropped).
    pub positive: usize,
    pub negative: usize,
    /// One-sided p-value for "differences tend to be positive".
    pub p_value: f64,
}

/// Exact one-sided sign test on paired differences: ties (exact zeros) are
/// dropped; p = P(Bin(n, ½) ≥ #positive).
pub fn sign_test(diffs: &[f64]) -> PairedTest {
    let positive = diffs.iter().filter(|&&d| d > 0.0).count();
    let negative = diffs.iter().filter(|&&d| d < 0.0).count();
    PairedTest {
        positive,
        negative,
        p_value: binomial_upper_tail_half(positive as u64, (positive + negative) as u64),
    }
}

/// One-sided paired permutation (sign-flip) test of "mean difference > 0":
/// under the null each difference is symmetric about 0, so its sign is
/// flipped at random. p = (1 + #{flipped mean ≥ observed}) / (1 + reps),
/// which never reports 0 and is exact in level (Phipson & Smyth 2010).
pub fn sign_flip_test(diffs: &[f64], reps: usize, seed: u64) -> PairedTest {
    let positive = diffs.iter().filter(|&&d| d > 0.0).count();
    let negative = diffs.iter().filter(|&&d| d < 0.0).count();
    if diffs.is_empty() || reps == 0 {
        return PairedTest {
            positive,
            negative,
            p_value: 1.0,
        };
    }
    let observed: f64 = diffs.iter().sum();
    // A tiny tolerance so that permutations equal to the observed sum up
    // to rounding count as "at least as extreme".
    let tol = 1e-12 * diffs.iter().map(|d| d.abs()).sum::<f64>().max(1e-300);
    let mut r = rng(seed);
    let mut hits = 0usize;
    let mut signs = Vec::new();
    for _ in 0..reps {
        sign_words(&mut r, diffs.len(), &mut signs);
        let mut s = 0.0;
        for (i, &d) in diffs.iter().enumerate() {
            if signs[i / 64] >> (i % 64) & 1 == 1 {
                s += d;
            } else {
                s -= d;
            }
        }
        if s >= observed - tol {
            hits += 1;
        }
    }
    PairedTest {
        positive,
        negative,
        p_value: (1 + hits) as f64 / (1 + reps) as f64,
    }
}

/// One-sided two-sample permutation test of "mean(a) > mean(b)" for
/// unpaired designs: labels are shuffled `reps` times.
pub fn two_sample_permutation(a: &[f64], b: &[f64], reps: usize, seed: u64) -> f64 {
    if a.is_empty() || b.is_empty() || reps == 0 {
        return 1.0;
    }
    let observed = mean(a) - mean(b);
    let mut pool: Vec<f64> = a.iter().chain(b).copied().collect();
    let mut r = rng(seed);
    let mut hits = 0usize;
    for _ in 0..reps {
        // Partial Fisher–Yates: only the first |a| positions are needed.
        for i in 0..a.len() {
            let j = i + below(&mut r, pool.len() - i);
            pool.swap(i, j);
        }
        let d = mean(&pool[..a.len()]) - mean(&pool[a.len()..]);
        if d >= observed - 1e-12 {
            hits += 1;
        }
    }
    (1 + hits) as f64 / (1 + reps) as f64
}

/// UPGMA / average linkage (Sokal & Michener 1958) over a symmetric
/// distance matrix; returns a Newick string with branch lengths (half the
/// merge height minus the child's height, the ultrametric convention).
/// Ties are broken by the lowest index pair, so the tree is deterministic.
pub fn upgma_newick(names: &[String], dist: &[Vec<f64>]) -> String {
    let n = names.len();
    if n == 0 {
        return ";".into();
    }
    // Each cluster: (newick, size, height).
    let mut clusters: Vec<Option<(String, usize, f64)>> = names
        .iter()
        .map(|s| Some((newick_label(s), 1, 0.0)))
        .collect();
    let mut d: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    let v = dist.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0);
                    if v.is_finite() {
                        v.max(0.0)
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let mut alive = n;
    while alive > 1 {
        let mut best = (f64::INFINITY, 0, 0);
        for i in 0..n {
            if clusters[i].is_none() {
                continue;
            }
            for j in (i + 1)..n {
                if clusters[j].is_some() && d[i][j] < best.0 {
                    best = (d[i][j], i, j);
                }
            }
        }
        let (dij, i, j) = best;
        let (ni, si, hi) = clusters[i].take().unwrap_or_default();
        let (nj, sj, hj) = clusters[j].take().unwrap_or_default();
        let h = dij / 2.0;
        let merged = format!(
            "({}:{},{}:{})",
            ni,
            fmt_len((h - hi).max(0.0)),
            nj,
            fmt_len((h - hj).max(0.0))
        );
        for k in 0..n {
            if k != i && k != j && clusters[k].is_some() {
                let v = (d[i][k] * si as f64 + d[j][k] * sj as f64) / (si + sj) as f64;
                d[i][k] = v;
                d[k][i] = v;
            }
        }
        clusters[i] = Some((merged, si + sj, h));
        alive -= 1;
    }
    let root = clusters
        .into_iter()
        .flatten()
        .next()
        .map(|c| c.0)
        .unwrap_or_default();
    format!("{root};")
}

fn fmt_len(v: f64) -> String {
    format!("{v:.4}")
}

/// Newick labels may not contain its metacharacters; such names are quoted.
fn newick_label(s: &str) -> String {
    if s.chars().any(|c| "():;,[]' \t\n".contains(c)) {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        s.to_string()
    }
}

/// Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi
/// & Quinn 2008, eq. 16–22): z-score of item w for group i against the
/// rest of the corpus, with the prior α_w = a0 · (pooled count of w) /
/// (pooled total). Positive z means group i over-uses w.
///
/// `group` and `rest` are counts; `pooled` is group + rest (the prior's
/// source). Returns (item, z) for every item of the group.
pub fn log_odds_z(
    group: &BTreeMap<String, f64>,
    rest: &BTreeMap<String, f64>,
    pooled: &BTreeMap<String, f64>,
    a0: f64,
) -> BTreeMap<String, f64> {
    let n_i: f64 = group.values().sum();
    let n_j: f64 = rest.values().sum();
    let n_pool: f64 = pooled.values().sum();
    let mut out = BTreeMap::new();
    if n_pool <= 0.0 {
        return out;
    }
    for (w, &y_i) in group {
        let y_pool = pooled.get(w).copied().unwrap_or(y_i);
        let y_j = rest.get(w).copied().unwrap_or(0.0);
        let totals = [n_i, n_j, n_pool];
        out.insert(w.clone(), log_odds_item(y_i, y_j, y_pool, totals, a0));
    }
    out
}

/// The z-score of one item of [`log_odds_z`]: counts `y_i` in the group,
/// `y_j` in the rest and `y_pool` pooled, with the totals `[n_i, n_j,
/// n_pool]` (`n_pool` > 0).
pub fn log_odds_item(y_i: f64, y_j: f64, y_pool: f64, totals: [f64; 3], a0: f64) -> f64 {
    let [n_i, n_j, n_pool] = totals;
    let alpha_w = (a0 * y_pool / n_pool).max(1e-9);
    let odds_i = ln((y_i + alpha_w) / (n_i + a0 - y_i - alpha_w).max(1e-9));
    let odds_j = ln((y_j + alpha_w) / (n_j + a0 - y_j - alpha_w).max(1e-9));
    let var = 1.0 / (y_i + alpha_w) + 1.0 / (y_j + alpha_w);
    (odds_i - odds_j) / var.sqrt()
}

/// SipHash with fixed keys for hash maps: the same on every platform, and
/// never asks the OS for entropy (wasm32 has none to give). A map using it
/// must never let its iteration order reach a result: it is looked up, or
/// its entries are sorted fully before use.
pub type FixedState = std::hash::BuildHasherDefault<std::collections::hash_map::DefaultHasher>;

/// Maps `f` over `items`, in parallel on native targets (rayon) and
/// sequentially in wasm; the output order is the input order either way,
/// so results never depend on thread scheduling.
#[cfg(not(target_arch = "wasm32"))]
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    use rayon::prelude::*;
    items.par_iter().map(f).collect()
}

/// Runs two closures, in parallel on native targets and one after the
/// other in wasm.
#[cfg(not(target_arch = "wasm32"))]
pub fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    rayon::join(a, b)
}

/// Sequential counterpart of the native `join` for wasm.
#[cfg(target_arch = "wasm32")]
pub fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    (a(), b())
}

/// Sequential counterpart of the native `par_map` for wasm.
#[cfg(target_arch = "wasm32")]
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    items.iter().map(f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_tail_cases() {
        // (k, n, expected P(X >= k))
        let cases = [
            (0, 10, 1.0),
            (10, 10, 1.0 / 1024.0),
            (5, 10, 638.0 / 1024.0),
            (11, 10, 0.0),
            (1, 1, 0.5),
        ];
        for (k, n, want) in cases {
            let got = binomial_upper_tail_half(k, n);
            assert!((got - want).abs() < 1e-12, "k={k} n={n} got {got}");
        }
    }

    #[test]
    fn quantile_cases() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&x, 0.0), 1.0);
        assert_eq!(quantile(&x, 1.0), 4.0);
        assert!((quantile(&x, 0.5) - 2.5).abs() < 1e-12);
        assert_eq!(quantile(&[], 0.5), 0.0);
    }

    proptest::proptest! {
        /// Selection reads the same order statistics as a full sort.
        #[test]
        fn quantile_is_the_sorted_interpolation(
            x in proptest::collection::vec(-5i32..5, 1..60),
            q in 0.0f64..=1.0,
        ) {
            let x: Vec<f64> = x.iter().map(|&v| f64::from(v) / 2.0).collect();
            let mut sorted = x.clone();
            crate::sort::stable_sort_by(&mut sorted, f64::total_cmp);
            let h = (sorted.len() - 1) as f64 * q;
            let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
            let want = sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]);
            proptest::prop_assert_eq!(quantile(&x, q).to_bits(), want.to_bits());
        }
    }

    #[test]
    fn upgma_groups_nearest_first() {
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let d = vec![
            vec![0.0, 0.2, 1.0],
            vec![0.2, 0.0, 1.0],
            vec![1.0, 1.0, 0.0],
        ];
        assert_eq!(
            upgma_newick(&names, &d),
            "((a:0.1000,b:0.1000):0.4000,c:0.5000);"
        );
    }

    #[test]
    fn cosine_cases() {
        let cases: &[(&[f64], &[f64], f64)] = &[
            (&[1.0, 0.0], &[1.0, 0.0], 1.0),
            (&[1.0, 0.0], &[0.0, 1.0], 0.0),
            (&[1.0, 0.0], &[-1.0, 0.0], -1.0),
            (&[0.0, 0.0], &[1.0, 0.0], 0.0),
        ];
        for (a, b, want) in cases {
            assert!((cosine(a, b) - want).abs() < 1e-12);
        }
    }
}
