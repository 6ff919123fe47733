//! One-vs-rest L2-regularised L2-loss (squared hinge) linear SVMs, trained
//! by dual coordinate descent with shrinking (Hsieh, Chang, Lin, Keerthi &
//! Sundararajan, ICML 2008: the default solver of LIBLINEAR).
//!
//! Each class's machine is trained on its own dense weight vector, which
//! stays in cache, and shrinking drops the samples that are clearly on the
//! right side of the margin, so a pass costs only the support vectors.
//! The visiting order is a seeded ChaCha permutation and every sum runs in
//! a fixed order, so results are bit-identical natively and in wasm.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// A sample as (column, value) pairs; the bias column is included.
pub(crate) type SparseRow = Vec<(u32, f64)>;

/// Solver settings.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SolverParams {
    /// Misclassification cost C.
    pub c: f64,
    /// Weigh each class's samples by n / (2 n_class) in its one-vs-rest
    /// problem, so a class with few samples is not drowned by the rest.
    pub balanced: bool,
    pub max_epochs: usize,
    /// Stop when the projected gradient's spread falls below this.
    pub tolerance: f64,
    pub seed: u64,
}

/// Trains `n_classes` one-vs-rest machines; returns weights laid out
/// `[column * n_classes + class]`, so scoring one text reads each of its
/// columns' weights for all classes at once. Classes without samples get
/// weights that score every sample as negative.
pub(crate) fn train(
    rows: &[SparseRow],
    labels: &[usize],
    n_classes: usize,
    n_cols: usize,
    params: &SolverParams,
) -> Vec<f64> {
    let k = n_classes;
    let mut w = vec![0.0f64; n_cols * k];
    if rows.is_empty() || k == 0 {
        return w;
    }
    let matrix = Csr::of(rows);
    let sq_norms: Vec<f64> = (0..rows.len())
        .map(|i| matrix.row(i).1.iter().map(|v| v * v).sum())
        .collect();
    // The one-vs-rest machines are independent (each has its own seeded
    // order): trained in parallel natively, bit-identical either way.
    let classes: Vec<usize> = (0..k).collect();
    let per_class = crate::stats::par_map(&classes, |&c| {
        train_binary(&matrix, labels, c, n_cols, &sq_norms, params)
    });
    for (c, wc) in per_class.iter().enumerate() {
        for (col, &v) in wc.iter().enumerate() {
            w[col * k + c] = v;
        }
    }
    w
}

/// The training rows in one block (compressed sparse rows): every
/// machine walks them many times, and contiguous columns and values take
/// fewer cache lines than a vector of pairs per row.
struct Csr {
    starts: Vec<usize>,
    cols: Vec<u32>,
    vals: Vec<f64>,
}

impl Csr {
    fn of(rows: &[SparseRow]) -> Csr {
        let nnz = rows.iter().map(Vec::len).sum();
        let mut m = Csr {
            starts: Vec::with_capacity(rows.len() + 1),
            cols: Vec::with_capacity(nnz),
            vals: Vec::with_capacity(nnz),
        };
        m.starts.push(0);
        for r in rows {
            m.cols.extend(r.iter().map(|&(c, _)| c));
            m.vals.extend(r.iter().map(|&(_, v)| v));
            m.starts.push(m.cols.len());
        }
        m
    }

    fn row(&self, i: usize) -> (&[u32], &[f64]) {
        let (a, b) = (self.starts[i], self.starts[i + 1]);
        (&self.cols[a..b], &self.vals[a..b])
    }
}

/// One machine: class `positive` against the rest.
fn train_binary(
    rows: &Csr,
    labels: &[usize],
    positive: usize,
    n_cols: usize,
    sq_norms: &[f64],
    params: &SolverParams,
) -> Vec<f64> {
    let n = labels.len();
    let n_pos = labels.iter().filter(|&&y| y == positive).count();
    let y: Vec<f64> = labels
        .iter()
        .map(|&l| if l == positive { 1.0 } else { -1.0 })
        .collect();
    // L2-loss SVM dual: D_ii = 1 / (2 C_i), no upper bound on alpha.
    let diag: Vec<f64> = y
        .iter()
        .map(|&yi| {
            let cost = if params.balanced {
                let side = if yi > 0.0 { n_pos } else { n - n_pos };
                params.c * n as f64 / (2.0 * side.max(1) as f64)
            } else {
                params.c
            };
            0.5 / cost
        })
        .collect();
    let mut w = vec![0.0f64; n_cols];
    let mut alpha = vec![0.0f64; n];
    let mut index: Vec<usize> = (0..n).collect();
    let mut active = n;
    let mut rng =
        ChaCha8Rng::seed_from_u64(params.seed ^ (positive as u64).wrapping_mul(0x9e37_79b9));
    // The shrinking threshold (LIBLINEAR's PGmax_old); the lower one is
    // only needed when alpha has an upper bound, which L2 loss has not.
    let mut pg_max_old = f64::INFINITY;
    for _epoch in 0..params.max_epochs {
        let (mut pg_max, mut pg_min) = (f64::NEG_INFINITY, f64::INFINITY);
        crate::stats::shuffle(&mut rng, &mut index[..active]);
        let mut s = 0;
        while s < active {
            let i = index[s];
            let (cols, vals) = rows.row(i);
            let dot: f64 = cols
                .iter()
                .zip(vals)
                .map(|(&col, &v)| w[col as usize] * v)
                .sum();
            let g = y[i] * dot - 1.0 + diag[i] * alpha[i];
            let mut pg = 0.0;
            if alpha[i] == 0.0 {
                if g > pg_max_old {
                    // Shrink: at the bound and likely to stay there.
                    active -= 1;
                    index.swap(s, active);
                    continue;
                }
                if g < 0.0 {
                    pg = g;
                }
            } else {
                pg = g;
            }
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[i];
                alpha[i] = (old - g / (sq_norms[i] + diag[i])).max(0.0);
                let step = (alpha[i] - old) * y[i];
                for (&col, &v) in cols.iter().zip(vals) {
                    w[col as usize] += step * v;
                }
            }
            s += 1;
        }
        if pg_max - pg_min <= params.tolerance {
            if active == n {
                break;
            }
            // Converged on the active set: check all samples once more.
            active = n;
            pg_max_old = f64::INFINITY;
            continue;
        }
        pg_max_old = if pg_max <= 0.0 { f64::INFINITY } else { pg_max };
    }
    w
}
