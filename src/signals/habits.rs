//! Distinctive habits: words and word pairs each source over-uses relative
//! to the pooled corpus, by weighted log-odds with an informative Dirichlet
//! prior (Monroe, Colaresi & Quinn 2008). Two sources share a habit when
//! both over-use the same item; the similarity of two sources is the
//! correlation of their log-odds z-scores over the items either uses often.

use std::collections::HashMap;

use crate::stats::{self, FixedState};

/// Every source's habit items — words and word pairs ("a b") — with their
/// counts and log-odds z-scores, over the items used at least `min_count`
/// times in all sources.
///
/// Items are numbered once (an interning map, looked up without
/// allocating), every source's counts are sorted runs of numbers, and the
/// kept items' tables are dense vectors in the items' byte order: no
/// string is copied or compared per source, and the z-scores, sums and
/// correlations are those of the per-source maps keyed by item text that
/// this replaces, in the same order (the same bits).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Habits {
    /// The items kept, in byte order.
    pub items: Vec<String>,
    /// `counts[source][item]`.
    pub counts: Vec<Vec<f64>>,
    /// `z[source][item]`: the source's log-odds z-score against all the
    /// other sources pooled. Items a source never uses get one too
    /// (negative), so a correlation sees avoidance as well as over-use.
    /// Every source's is empty when no item is kept.
    pub z: Vec<Vec<f64>>,
}

impl Habits {
    /// The table of `sources`, each given as its texts' case-folded words.
    pub fn of<'a, S>(sources: impl IntoIterator<Item = S>, prior: f64, min_count: f64) -> Habits
    where
        S: IntoIterator<Item = &'a [String]>,
    {
        let mut ids: HashMap<String, u32, FixedState> = HashMap::default();
        let mut pair = String::new();
        let mut id_of = |item: &str| -> u32 {
            if let Some(&id) = ids.get(item) {
                return id;
            }
            let id = ids.len() as u32;
            ids.insert(item.to_string(), id);
            id
        };
        // Each source's (item number, count), in number order.
        let per_source: Vec<Vec<(u32, f64)>> = sources
            .into_iter()
            .map(|texts| {
                let mut seen: Vec<u32> = Vec::new();
                for words in texts {
                    seen.extend(words.iter().map(|w| id_of(w)));
                    for two in words.windows(2) {
                        pair.clear();
                        pair.push_str(&two[0]);
                        pair.push(' ');
                        pair.push_str(&two[1]);
                        seen.push(id_of(&pair));
                    }
                }
                seen.sort_unstable();
                seen.chunk_by(|a, b| a == b)
                    .map(|run| (run[0], run.len() as f64))
                    .collect()
            })
            .collect();
        let mut pooled = vec![0.0; ids.len()];
        for source in &per_source {
            for &(id, n) in source {
                pooled[id as usize] += n;
            }
        }
        // The kept items in byte order, and each one's place among them.
        let mut kept: Vec<(&str, u32)> = ids
            .iter()
            .filter(|&(_, &id)| pooled[id as usize] >= min_count)
            .map(|(item, &id)| (item.as_str(), id))
            .collect();
        kept.sort_unstable();
        let mut place = vec![u32::MAX; ids.len()];
        for (at, &(_, id)) in kept.iter().enumerate() {
            place[id as usize] = at as u32;
        }
        let pooled: Vec<f64> = kept.iter().map(|&(_, id)| pooled[id as usize]).collect();
        let n_pool: f64 = pooled.iter().sum();
        let counts: Vec<Vec<f64>> = per_source
            .iter()
            .map(|source| {
                let mut full = vec![0.0; kept.len()];
                for &(id, n) in source {
                    if let Some(slot) = full.get_mut(place[id as usize] as usize) {
                        *slot = n;
                    }
                }
                full
            })
            .collect();
        let z = counts
            .iter()
            .map(|full| {
                if n_pool <= 0.0 {
                    return Vec::new();
                }
                let rest: Vec<f64> = pooled.iter().zip(full).map(|(p, g)| p - g).collect();
                let totals = [full.iter().sum(), rest.iter().sum(), n_pool];
                full.iter()
                    .zip(&rest)
                    .zip(&pooled)
                    .map(|((&y_i, &y_j), &y_pool)| {
                        stats::log_odds_item(y_i, y_j, y_pool, totals, prior)
                    })
                    .collect()
            })
            .collect();
        Habits {
            items: kept.iter().map(|&(item, _)| item.to_string()).collect(),
            counts,
            z,
        }
    }

    /// Items sources `a` and `b` both over-use (z above `threshold` in
    /// both), strongest first by the smaller of the two z-scores, with
    /// both z-scores.
    pub fn shared_overuse(
        &self,
        a: usize,
        b: usize,
        threshold: f64,
        limit: usize,
    ) -> Vec<(usize, f64, f64)> {
        let mut shared: Vec<(usize, f64, f64)> = self.z[a]
            .iter()
            .zip(&self.z[b])
            .enumerate()
            .filter(|&(_, (&za, &zb))| za > threshold && zb > threshold)
            .map(|(item, (&za, &zb))| (item, za, zb))
            .collect();
        // Ties by item, that is by the items' byte order.
        crate::sort::stable_sort_by(&mut shared, |x, y| {
            y.1.min(y.2).total_cmp(&x.1.min(x.2)).then(x.0.cmp(&y.0))
        });
        shared.truncate(limit);
        shared
    }
}

/// Pearson correlation of two sources' z-scores over the same items, with
/// the number of items used.
pub fn z_correlation(a: &[f64], b: &[f64]) -> (f64, usize) {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    if n < 3 {
        return (0.0, n);
    }
    let mx = a.iter().sum::<f64>() / n as f64;
    let my = b.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return (0.0, n);
    }
    (sxy / (sxx * syy).sqrt(), n)
}

/// Fisher z interval of a correlation over `n` items. The items are not
/// independent draws, so this interval is optimistic; it is reported as a
/// rough scale of uncertainty, and the verdict does not test on it.
pub fn correlation_interval(r: f64, n: usize, z_crit: f64) -> (f64, f64) {
    if n <= 3 {
        return (-1.0, 1.0);
    }
    let z = r.clamp(-0.999_999, 0.999_999).atanh();
    let se = 1.0 / ((n - 3) as f64).sqrt();
    ((z - z_crit * se).tanh(), (z + z_crit * se).tanh())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn shared_habit_is_found() {
        // Sources 0 and 1 both over-use "delve tapestry"; source 2 says
        // "look simple" instead; all share the same base sentence.
        let base = "the cat sat on the mat ".repeat(10);
        let texts = [
            format!("{base}{}", "delve tapestry ".repeat(5)),
            format!("{base}{}", "delve tapestry ".repeat(4)),
            format!("{base}{}", "look simple ".repeat(5)),
        ];
        let words: Vec<Vec<String>> = texts.iter().map(|t| words(t)).collect();
        let h = Habits::of(words.iter().map(|w| [w.as_slice()]), 10.0, 1.0);
        let shared = h.shared_overuse(0, 1, 0.0, 5);
        assert!(
            shared.iter().any(|&(i, _, _)| h.items[i] == "delve"),
            "{shared:?}"
        );
        let (r01, _) = z_correlation(&h.z[0], &h.z[1]);
        let (r02, _) = z_correlation(&h.z[0], &h.z[2]);
        assert!(r01 > r02, "{r01} {r02}");
    }

    #[test]
    fn interval_contains_estimate() {
        let cases = [(0.5, 100), (0.0, 10), (-0.3, 4), (0.9, 2)];
        for (r, n) in cases {
            let (lo, hi) = correlation_interval(r, n, 1.96);
            assert!(lo <= r && r <= hi, "{r} {n}");
        }
    }
}
