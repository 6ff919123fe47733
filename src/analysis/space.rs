//! Stage 2: the feature space. Every text of the involved sources is
//! embedded once ([`Embedder`]) under statistics fitted on all of them, so
//! the suspect, the control and the candidates go through one and the same
//! computation; source profiles (centroids and mean rates) are built from
//! the embedded texts.

use crate::corpus::Sample;
use crate::signals::paired::{EmbedOptions, Embedder, PairedSignal, SourceProfile, TextRepr};
use crate::stats;

use super::AnalysisOptions;

/// Embedded texts of every source, and the profiles built from them.
pub struct Space {
    pub sources: Vec<String>,
    /// Indices (into `texts`) of each source's texts.
    pub members: Vec<Vec<usize>>,
    pub texts: Vec<Sample>,
    pub embedder: Embedder,
    pub reprs: Vec<TextRepr>,
    /// Case-folded words of each text.
    pub words: Vec<Vec<String>>,
    /// Raw structure features of each text (`features::STRUCTURE_NAMES`).
    pub structure: Vec<Vec<f64>>,
    /// Profile (centroids, mean rates) of each source.
    pub profiles: Vec<SourceProfile>,
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
        let strs: Vec<&str> = texts.iter().map(|s: &Sample| s.text.as_str()).collect();
        // Masked n-grams are costly; they are computed only when asked for.
        let embedded = Embedder::fit(
            &strs,
            &members,
            &EmbedOptions {
                max_char_n: opts.max_char_ngram,
                n_frequent: opts.mfw,
                signals: &opts.signals,
            },
        );
        let profiles = members
            .iter()
            .map(|m| SourceProfile::of(&m.iter().map(|&i| &embedded.reprs[i]).collect::<Vec<_>>()))
            .collect();
        let struct_raw_source = members
            .iter()
            .map(|m| {
                let k = embedded.structure.first().map(Vec::len).unwrap_or(0);
                let mut out = vec![0.0; k];
                for &i in m {
                    for (o, x) in out.iter_mut().zip(&embedded.structure[i]) {
                        *o += x;
                    }
                }
                let n = m.len().max(1) as f64;
                out.iter().map(|x| x / n).collect()
            })
            .collect();
        Space {
            sources: groups.iter().map(|g| g.0.clone()).collect(),
            members,
            texts,
            embedder: embedded.embedder,
            reprs: embedded.reprs,
            words: embedded.words,
            structure: embedded.structure,
            profiles,
            struct_raw_source,
        }
    }

    /// Whether what the signal reads was computed (masked n-grams are
    /// only when a selected signal needs them).
    pub fn has(&self, signal: PairedSignal) -> bool {
        !signal.def().needs_masked_ngrams
            || self.reprs.iter().any(|r| !r.vectors.masked.0.is_empty())
    }

    /// The most frequent (function) words, most frequent first.
    pub fn mfw(&self) -> Vec<&str> {
        self.embedder.frequent_words()
    }

    /// Kinship of sources: the mean of the cosine of their character
    /// n-gram centroids and of their mean function-word z-profiles.
    pub fn kinship(&self, srcs: &[usize]) -> Vec<Vec<f64>> {
        srcs.iter()
            .map(|&a| {
                srcs.iter()
                    .map(|&b| {
                        if a == b {
                            1.0
                        } else {
                            let (pa, pb) = (&self.profiles[a], &self.profiles[b]);
                            let c = pa.chars.dot(&pb.chars);
                            let d = stats::cosine(&pa.function_words, &pb.function_words);
                            (c + d) / 2.0
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// Leave-one-out nearest-centroid accuracy among the candidates on the
    /// character n-gram vectors: how well the candidates can be told apart
    /// (the fallback when the classifier cannot be trained).
    pub fn nearest_centroid_loo(&self, cand_src: &[usize]) -> f64 {
        use crate::signals::features::SparseVec;
        // Unnormalised sums let us remove one text from its own centroid.
        let sums: Vec<SparseVec> = cand_src
            .iter()
            .map(|&s| {
                let m = &self.members[s];
                let mut v = SparseVec::mean(
                    &m.iter()
                        .map(|&i| &self.reprs[i].vectors.chars)
                        .collect::<Vec<_>>(),
                );
                let n = m.len() as f32;
                v.0.iter_mut().for_each(|x| x.1 *= n);
                v
            })
            .collect();
        let items: Vec<(usize, usize)> = cand_src
            .iter()
            .enumerate()
            .flat_map(|(c, &s)| self.members[s].iter().map(move |&i| (c, i)))
            .collect();
        let correct: Vec<bool> = stats::par_map(&items, |&(c, i)| {
            let x = &self.reprs[i].vectors.chars;
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
}
