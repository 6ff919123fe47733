//! One-vs-rest L2-regularised L2-loss (squared hinge) linear SVMs, trained
//! by dual coordinate descent with shrinking (Hsieh, Chang, Lin, Keerthi &
//! Sundararajan, ICML 2008: the default solver of LIBLINEAR).
//!
//! The machines advance together, one pass over each training row serving
//! all of them (see [`train`]), and shrinking drops the samples that are
//! clearly on the right side of a machine's margin, so a pass costs only
//! the support vectors. The visiting order is a seeded ChaCha permutation
//! and every sum runs in a fixed order, so results are bit-identical
//! natively and in wasm.

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
///
/// The machines advance together: each visit of a training row computes
/// its margin under every machine and updates each machine's coordinate
/// for that row. The machines are still independent problems (each has its
/// own duals, gradient bounds, shrinking and stopping test); what they
/// share is the visiting order and the pass over the row. The training
/// rows are far larger than the cache, so one pass over them per epoch
/// instead of one per class is what makes training fast, and the weights a
/// row needs are `n_classes` contiguous values per column.
pub(crate) fn train(
    matrix: &Csr,
    labels: &[usize],
    n_classes: usize,
    n_cols: usize,
    params: &SolverParams,
) -> Vec<f64> {
    let k = n_classes;
    let mut w = vec![0.0f64; n_cols * k];
    if matrix.is_empty() || k == 0 {
        return w;
    }
    let n = labels.len();
    let machines: Vec<Machine> = (0..k).map(|c| Machine::new(labels, c, params)).collect();
    let sq_norms: Vec<f64> = (0..n)
        .map(|i| matrix.row(i).1.iter().map(|v| v * v).sum())
        .collect();
    let mut state = State::new(n, k);
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let mut margins = vec![0.0f64; k];
    let mut steps = vec![0.0f64; k];
    let mut live: Vec<usize> = Vec::with_capacity(k);
    let mut stepped: Vec<usize> = Vec::with_capacity(k);
    for _epoch in 0..params.max_epochs {
        if state.done.iter().all(|&d| d) {
            break;
        }
        state.pg_max.fill(f64::NEG_INFINITY);
        state.pg_min.fill(f64::INFINITY);
        crate::stats::shuffle(&mut rng, &mut state.order[..state.rows_active]);
        let mut s = 0;
        while s < state.rows_active {
            let i = state.order[s];
            let (cols, vals) = matrix.row(i);
            // The machines that visit this row; only their margins are read.
            live.clear();
            live.extend((0..k).filter(|&c| !state.done[c] && state.active[i * k + c]));
            margins_for(&mut margins, &live, &w, cols, vals);
            let mut any_active = false;
            stepped.clear();
            for &c in &live {
                let slot = i * k + c;
                let m = &machines[c];
                let alpha = state.alpha[slot];
                let g = m.y[i] * margins[c] - 1.0 + m.diag[i] * alpha;
                let mut pg = 0.0;
                if alpha == 0.0 {
                    if g > state.pg_max_old[c] {
                        // Shrink: at the bound and likely to stay there.
                        state.active[slot] = false;
                        state.shrunk[c] += 1;
                        continue;
                    }
                    if g < 0.0 {
                        pg = g;
                    }
                } else {
                    pg = g;
                }
                any_active = true;
                state.pg_max[c] = state.pg_max[c].max(pg);
                state.pg_min[c] = state.pg_min[c].min(pg);
                if pg.abs() > 1e-12 {
                    let new = (alpha - g / (sq_norms[i] + m.diag[i])).max(0.0);
                    state.alpha[slot] = new;
                    steps[c] = (new - alpha) * m.y[i];
                    if steps[c] != 0.0 {
                        stepped.push(c);
                    }
                }
            }
            if !stepped.is_empty() {
                step_weights(&mut w, &mut steps, &stepped, cols, vals);
            }
            if !any_active {
                // Shrunk (or finished) for every machine: out of the order.
                state.rows_active -= 1;
                state.order.swap(s, state.rows_active);
                continue;
            }
            s += 1;
        }
        state.end_epoch(params.tolerance);
    }
    w
}

/// The margins of one row under the machines `live` (the others' entries
/// are left as they are: nobody reads them). With many machines and few of
/// them still visiting the row (shrinking leaves each machine its support
/// vectors), only theirs are summed, column by column in the row's order as
/// the full pass does, so every margin has the same bits; when most are
/// live, the contiguous pass over all of them is faster.
fn margins_for(margins: &mut [f64], live: &[usize], w: &[f64], cols: &[u32], vals: &[f64]) {
    let k = margins.len();
    if live.is_empty() {
        return;
    }
    if live.len() * 2 >= k {
        margins.fill(0.0);
        for (&col, &v) in cols.iter().zip(vals) {
            let base = col as usize * k;
            for (m, &wc) in margins.iter_mut().zip(&w[base..base + k]) {
                *m += wc * v;
            }
        }
        return;
    }
    for &c in live {
        margins[c] = 0.0;
    }
    for (&col, &v) in cols.iter().zip(vals) {
        let row = &w[col as usize * k..col as usize * k + k];
        for &c in live {
            margins[c] += row[c] * v;
        }
    }
}

/// Adds `steps[c] * v` to the weights of the machines `stepped` (the
/// others' steps are zero) and zeroes their steps again. Weights start at
/// +0 and a sum of non-zero terms is never -0, so adding a zero step would
/// leave every weight's bits as they are: skipping it changes nothing.
fn step_weights(w: &mut [f64], steps: &mut [f64], stepped: &[usize], cols: &[u32], vals: &[f64]) {
    let k = steps.len();
    if stepped.len() * 2 >= k {
        for (&col, &v) in cols.iter().zip(vals) {
            let base = col as usize * k;
            for (wc, &step) in w[base..base + k].iter_mut().zip(steps.iter()) {
                *wc += step * v;
            }
        }
    } else {
        for (&col, &v) in cols.iter().zip(vals) {
            let row = &mut w[col as usize * k..col as usize * k + k];
            for &c in stepped {
                row[c] += steps[c] * v;
            }
        }
    }
    for &c in stepped {
        steps[c] = 0.0;
    }
}

/// One one-vs-rest problem: the labels as ±1 and the dual's diagonal.
struct Machine {
    y: Vec<f64>,
    /// L2-loss SVM dual: `D_ii = 1 / (2 C_i)`, no upper bound on alpha.
    diag: Vec<f64>,
}

impl Machine {
    fn new(labels: &[usize], positive: usize, params: &SolverParams) -> Self {
        let n = labels.len();
        let n_pos = labels.iter().filter(|&&y| y == positive).count();
        let y: Vec<f64> = labels
            .iter()
            .map(|&l| if l == positive { 1.0 } else { -1.0 })
            .collect();
        let diag = y
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
        Machine { y, diag }
    }
}

/// The machines' moving parts; what is kept per row and class (`alpha`,
/// `active`) is laid out `[row * n_classes + class]`.
struct State {
    k: usize,
    alpha: Vec<f64>,
    /// Whether the row is still visited for the class (not shrunk).
    active: Vec<bool>,
    /// Rows shrunk per class.
    shrunk: Vec<usize>,
    /// Classes whose machine has met the stopping test on every row.
    done: Vec<bool>,
    /// Visiting order; its first `rows_active` rows are active for at
    /// least one class.
    order: Vec<usize>,
    rows_active: usize,
    /// The epoch's projected-gradient bounds per class, and the shrinking
    /// threshold (LIBLINEAR's PGmax_old; the lower one is only needed when
    /// alpha has an upper bound, which L2 loss has not).
    pg_max: Vec<f64>,
    pg_min: Vec<f64>,
    pg_max_old: Vec<f64>,
}

impl State {
    fn new(n: usize, k: usize) -> Self {
        State {
            k,
            alpha: vec![0.0; n * k],
            active: vec![true; n * k],
            shrunk: vec![0; k],
            done: vec![false; k],
            order: (0..n).collect(),
            rows_active: n,
            pg_max: vec![f64::NEG_INFINITY; k],
            pg_min: vec![f64::INFINITY; k],
            pg_max_old: vec![f64::INFINITY; k],
        }
    }

    /// Each machine's stopping test, as LIBLINEAR's: converged on all rows
    /// ends it; converged on its active rows only brings the shrunk ones
    /// back for one more check.
    fn end_epoch(&mut self, tolerance: f64) {
        let mut reactivated = false;
        for c in 0..self.k {
            if self.done[c] {
                continue;
            }
            if self.pg_max[c] - self.pg_min[c] <= tolerance {
                if self.shrunk[c] == 0 {
                    self.done[c] = true;
                    continue;
                }
                for slot in self.active.iter_mut().skip(c).step_by(self.k) {
                    *slot = true;
                }
                self.shrunk[c] = 0;
                self.pg_max_old[c] = f64::INFINITY;
                reactivated = true;
                continue;
            }
            self.pg_max_old[c] = if self.pg_max[c] <= 0.0 {
                f64::INFINITY
            } else {
                self.pg_max[c]
            };
        }
        if reactivated {
            // Every row is active again for the class brought back.
            self.rows_active = self.order.len();
        }
    }
}

/// The training rows in one block (compressed sparse rows): the solver
/// walks them many times, and contiguous columns and values take fewer
/// cache lines than a vector of pairs per row. Rows are written straight
/// into it, so a training set is held once, not also as one vector per row.
pub(crate) struct Csr {
    starts: Vec<usize>,
    cols: Vec<u32>,
    vals: Vec<f64>,
}

impl Csr {
    /// An empty block with room for `rows` rows of `nnz` values in all.
    pub(crate) fn with_capacity(rows: usize, nnz: usize) -> Csr {
        let mut starts = Vec::with_capacity(rows + 1);
        starts.push(0);
        Csr {
            starts,
            cols: Vec::with_capacity(nnz),
            vals: Vec::with_capacity(nnz),
        }
    }

    pub(crate) fn push_row(&mut self, row: &[(u32, f64)]) {
        self.cols.extend(row.iter().map(|&(c, _)| c));
        self.vals.extend(row.iter().map(|&(_, v)| v));
        self.starts.push(self.cols.len());
    }

    /// Gives back the room reserved beyond the rows written.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.cols.shrink_to_fit();
        self.vals.shrink_to_fit();
    }

    pub(crate) fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows `picked`, in that order, as a block of their own.
    pub(crate) fn select(&self, picked: &[usize]) -> Csr {
        let nnz = picked
            .iter()
            .map(|&i| self.starts[i + 1] - self.starts[i])
            .sum();
        let mut out = Csr::with_capacity(picked.len(), nnz);
        for &i in picked {
            let (cols, vals) = self.row(i);
            out.cols.extend_from_slice(cols);
            out.vals.extend_from_slice(vals);
            out.starts.push(out.cols.len());
        }
        out
    }

    /// Row `i` as a (column, value) vector.
    pub(crate) fn pairs(&self, i: usize) -> SparseRow {
        let (cols, vals) = self.row(i);
        cols.iter().copied().zip(vals.iter().copied()).collect()
    }

    fn row(&self, i: usize) -> (&[u32], &[f64]) {
        let (a, b) = (self.starts[i], self.starts[i + 1]);
        (&self.cols[a..b], &self.vals[a..b])
    }
}
