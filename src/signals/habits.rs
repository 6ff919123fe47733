//! Distinctive habits: words and word pairs each source over-uses relative
//! to the pooled corpus, by weighted log-odds with an informative Dirichlet
//! prior (Monroe, Colaresi & Quinn 2008). Two sources share a habit when
//! both over-use the same item; the similarity of two sources is the
//! correlation of their log-odds z-scores over the items either uses often.

use std::collections::BTreeMap;

use crate::stats;

/// Counts of unigrams and bigrams ("a b") of one source.
pub fn item_counts<'a>(texts: impl IntoIterator<Item = &'a [String]>) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for words in texts {
        for w in words {
            *out.entry(w.clone()).or_insert(0.0) += 1.0;
        }
        for pair in words.windows(2) {
            *out.entry(format!("{} {}", pair[0], pair[1])).or_insert(0.0) += 1.0;
        }
    }
    out
}

/// Log-odds z-scores of each source against all the others pooled.
/// `min_count`: items used fewer times over all sources are dropped
/// (their z-scores are noise and they would swamp the correlation).
pub fn source_z(
    counts: &[BTreeMap<String, f64>],
    prior: f64,
    min_count: f64,
) -> Vec<BTreeMap<String, f64>> {
    // The pooled items once, in key order, with every group's counts laid
    // out beside them: no item is copied or looked up per group (each
    // group's z-scores are those of stats::log_odds_z over all pooled
    // items, the same sums in the same order).
    let mut pooled: BTreeMap<&str, f64> = BTreeMap::new();
    for c in counts {
        for (k, v) in c {
            *pooled.entry(k.as_str()).or_insert(0.0) += v;
        }
    }
    pooled.retain(|_, v| *v >= min_count);
    let keys: Vec<&str> = pooled.keys().copied().collect();
    let pooled: Vec<f64> = pooled.into_values().collect();
    let n_pool: f64 = pooled.iter().sum();
    counts
        .iter()
        .map(|group| {
            // Items the group never uses get a z-score too (negative), so the
            // correlation sees avoidance as well as over-use.
            let full = aligned(group, &keys);
            let rest: Vec<f64> = pooled.iter().zip(&full).map(|(p, g)| p - g).collect();
            if n_pool <= 0.0 {
                return BTreeMap::new();
            }
            let totals = [full.iter().sum(), rest.iter().sum(), n_pool];
            keys.iter()
                .zip(full.iter().zip(&rest).zip(&pooled))
                .map(|(k, ((&y_i, &y_j), &y_pool))| {
                    let z = stats::log_odds_item(y_i, y_j, y_pool, totals, prior);
                    (k.to_string(), z)
                })
                .collect()
        })
        .collect()
}

/// The counts of `group` at `keys` (sorted, as a map's keys), 0 for the
/// keys it lacks: one walk of both in order.
fn aligned(group: &BTreeMap<String, f64>, keys: &[&str]) -> Vec<f64> {
    let mut out = vec![0.0; keys.len()];
    let mut items = group.iter().peekable();
    for (slot, &k) in out.iter_mut().zip(keys) {
        while items.next_if(|(g, _)| g.as_str() < k).is_some() {}
        if let Some((_, &v)) = items.next_if(|(g, _)| g.as_str() == k) {
            *slot = v;
        }
    }
    out
}

/// Pearson correlation of two z-score tables over their common items,
/// with the number of items used.
pub fn z_correlation(a: &BTreeMap<String, f64>, b: &BTreeMap<String, f64>) -> (f64, usize) {
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .filter_map(|(k, x)| b.get(k).map(|y| (*x, *y)))
        .collect();
    let n = pairs.len();
    if n < 3 {
        return (0.0, n);
    }
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n as f64;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in &pairs {
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

/// Items both sources over-use (z above `threshold` in both), strongest
/// first by the smaller of the two z-scores.
pub fn shared_overuse(
    a: &BTreeMap<String, f64>,
    b: &BTreeMap<String, f64>,
    threshold: f64,
    limit: usize,
) -> Vec<(String, f64, f64)> {
    let mut items: Vec<(String, f64, f64)> = a
        .iter()
        .filter_map(|(k, za)| {
            let zb = *b.get(k)?;
            (*za > threshold && zb > threshold).then(|| (k.clone(), *za, zb))
        })
        .collect();
    crate::sort::stable_sort_by(&mut items, |x, y| {
        y.1.min(y.2).total_cmp(&x.1.min(x.2)).then(x.0.cmp(&y.0))
    });
    items.truncate(limit);
    items
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
        let counts: Vec<_> = texts
            .iter()
            .map(|t| {
                let w = words(t);
                item_counts([w.as_slice()])
            })
            .collect();
        let z = source_z(&counts, 10.0, 1.0);
        let shared = shared_overuse(&z[0], &z[1], 0.0, 5);
        assert!(shared.iter().any(|(k, _, _)| k == "delve"), "{shared:?}");
        let (r01, _) = z_correlation(&z[0], &z[1]);
        let (r02, _) = z_correlation(&z[0], &z[2]);
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
