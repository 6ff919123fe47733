//! The vectorizer: raw hashed counts to weighted, normalised columns.
//!
//! Columns are the hash buckets found in at least `min_df` training texts,
//! most frequent first; each n-gram block of a text is weighted by
//! sublinear tf times smoothed idf and L2-normalised to the block's weight;
//! structure features are standardised on the training texts.

use super::features::{
    RawDoc, BLOCK_SHIFT, CHAR_BLOCK, EDGE_BLOCK, MASKED_BLOCK, MASKED_WORD_BLOCK, N_BLOCKS,
    N_LENGTH, N_STRUCTURE, WORD_BLOCK,
};
use super::solver::{Csr, SparseRow};
use super::ClassifierOptions;
use crate::detmath;

/// Maps raw features to weighted, normalised columns: column ids for the
/// n-gram keys kept, their idf, and the structure features' standardisation.
#[derive(Clone, Debug)]
pub(crate) struct Vectorizer {
    /// Column of each hash bucket (`u32::MAX` when the bucket was dropped):
    /// a flat table, one memory access per n-gram, `4 * 2^hash_bits` bytes.
    columns: Vec<u32>,
    /// `2^hash_bits - 1`: keys carry their block in the top bits.
    bucket_mask: u32,
    idf: Vec<f64>,
    dense_mean: Vec<f64>,
    dense_scale: Vec<f64>,
    /// Norm of each n-gram block after normalisation, by block id.
    block_weights: [f64; N_BLOCKS],
    /// Sublinear tf `1 + ln c` of the small counts `c` most n-grams have.
    tf_small: [f64; TF_SMALL],
}

/// Counts below this have their sublinear tf looked up, not computed.
const TF_SMALL: usize = 16;

/// Sublinear tf of a count: `1 + ln |c|`.
fn tf(count: u32) -> f64 {
    1.0 + detmath::ln(f64::from(count))
}

impl Vectorizer {
    pub(crate) fn fit(raws: &[&RawDoc], opts: &ClassifierOptions) -> Self {
        // Document frequency per bucket, counted in a flat table (one
        // increment per n-gram of every text, no sort). Buckets, not keys:
        // n-grams of different blocks that hash to the same bucket share a
        // column (a collision like any other).
        let bucket_mask = ((1u64 << opts.hash_bits.clamp(8, 24)) - 1) as u32;
        let mut df = vec![0u32; bucket_mask as usize + 1];
        for r in raws {
            for &(k, _) in &r.sparse {
                df[(k & bucket_mask) as usize] += 1;
            }
        }
        let n = raws.len() as f64;
        let min_df = opts.min_df.max(1);
        let mut kept: Vec<(u32, usize)> = df
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c as usize >= min_df)
            .map(|(key, &c)| (key as u32, c as usize))
            .collect();
        // Frequent n-grams get the low column ids: every text touches them,
        // and keeping their weights together keeps the solver in cache.
        kept.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut columns = vec![u32::MAX; bucket_mask as usize + 1];
        // Smoothed idf by document frequency (at most n + 1 distinct
        // values, so one ln each rather than one per column).
        let max_df = kept.first().map_or(0, |k| k.1);
        let idf_of: Vec<f64> = (0..=max_df)
            .map(|df| detmath::ln((1.0 + n) / (1.0 + df as f64)) + 1.0)
            .collect();
        let mut idf = Vec::with_capacity(kept.len());
        for (col, &(key, df)) in kept.iter().enumerate() {
            columns[key as usize] = col as u32;
            idf.push(idf_of[df]);
        }

        // Standardise structure features; the block is scaled so its
        // expected squared norm is structure_weight^2.
        let n_dense = raws.first().map_or(0, |r| r.dense.len());
        let mut dense_mean = vec![0.0; n_dense];
        let mut dense_scale = vec![0.0; n_dense];
        if n_dense > 0 && !raws.is_empty() {
            for r in raws {
                for (m, v) in dense_mean.iter_mut().zip(&r.dense) {
                    *m += v / n;
                }
            }
            let mut var = vec![0.0; n_dense];
            for r in raws {
                for ((s, v), m) in var.iter_mut().zip(&r.dense).zip(&dense_mean) {
                    *s += (v - m) * (v - m) / n;
                }
            }
            // Structure features first (when enabled), then length.
            let n_structure = if opts.structure_weight > 0.0 {
                N_STRUCTURE
            } else {
                0
            };
            for (j, (scale, v)) in dense_scale.iter_mut().zip(&var).enumerate() {
                let block = if j < n_structure {
                    opts.structure_weight / (N_STRUCTURE as f64).sqrt()
                } else {
                    opts.length_weight / (N_LENGTH as f64).sqrt()
                };
                *scale = if *v > 1e-12 { block / v.sqrt() } else { 0.0 };
            }
        }
        let mut block_weights = [0.0; N_BLOCKS];
        block_weights[CHAR_BLOCK as usize] = 1.0;
        block_weights[MASKED_BLOCK as usize] = opts.masked_weight;
        block_weights[WORD_BLOCK as usize] = opts.word_weight;
        block_weights[EDGE_BLOCK as usize] = opts.edge_weight;
        block_weights[MASKED_WORD_BLOCK as usize] = opts.masked_word_weight;
        Vectorizer {
            columns,
            bucket_mask,
            idf,
            dense_mean,
            dense_scale,
            block_weights,
            tf_small: std::array::from_fn(|c| tf(c as u32)),
        }
    }

    /// Columns: n-gram columns, then the structure features, then the bias.
    pub(crate) fn n_cols(&self) -> usize {
        self.idf.len() + self.dense_mean.len() + 1
    }

    pub(crate) fn transform(&self, raw: &RawDoc) -> SparseRow {
        let mut row = SparseRow::new();
        self.transform_into(raw, &mut row);
        row
    }

    /// Every text's row, written straight into one block.
    pub(crate) fn transform_all(&self, raws: &[&RawDoc]) -> Csr {
        // An upper bound (n-grams under min_df are dropped), given back
        // after: the block never reallocates while it is filled.
        let bound = raws
            .iter()
            .map(|r| r.sparse.len() + r.dense.len() + 1)
            .sum();
        let mut matrix = Csr::with_capacity(raws.len(), bound);
        let mut row = SparseRow::new();
        for r in raws {
            self.transform_into(r, &mut row);
            matrix.push_row(&row);
        }
        matrix.shrink_to_fit();
        matrix
    }

    /// The row of one text into `row` (cleared first), so one buffer serves
    /// every text.
    pub(crate) fn transform_into(&self, raw: &RawDoc, row: &mut SparseRow) {
        row.clear();
        row.reserve(raw.sparse.len() + raw.dense.len() + 1);
        // Keys are sorted with the block in their top bits, so each block
        // is one contiguous run; each is normalised to its own weight.
        let mut block_start = 0;
        let mut block = 0u32;
        let mut norm_sq = 0.0;
        for &(key, count) in &raw.sparse {
            let key_block = key >> BLOCK_SHIFT;
            if key_block != block {
                normalise(
                    &mut row[block_start..],
                    norm_sq,
                    self.block_weights[block as usize],
                );
                block_start = row.len();
                norm_sq = 0.0;
                block = key_block;
            }
            let col = self.columns[(key & self.bucket_mask) as usize];
            if col != u32::MAX {
                let c = count.unsigned_abs();
                let tf = match self.tf_small.get(c as usize) {
                    Some(&t) => t,
                    None => tf(c),
                };
                let v = f64::from(count.signum()) * tf * self.idf[col as usize];
                norm_sq += v * v;
                row.push((col, v));
            }
        }
        normalise(
            &mut row[block_start..],
            norm_sq,
            self.block_weights[block as usize],
        );

        let base = self.idf.len() as u32;
        for (j, ((v, m), s)) in raw
            .dense
            .iter()
            .zip(&self.dense_mean)
            .zip(&self.dense_scale)
            .enumerate()
        {
            let z = (v - m) * s;
            if z != 0.0 && z.is_finite() {
                row.push((base + j as u32, z));
            }
        }
        row.push(((self.n_cols() - 1) as u32, 1.0));
        // Ascending columns: the solver then walks its weights forwards.
        row.sort_unstable_by_key(|&(col, _)| col);
    }
}

fn normalise(block: &mut [(u32, f64)], norm_sq: f64, weight: f64) {
    if norm_sq > 0.0 {
        let scale = weight / norm_sq.sqrt();
        block.iter_mut().for_each(|(_, v)| *v *= scale);
    }
}
