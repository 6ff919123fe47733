//! Laws of the statistics, as property tests.
// A symmetric matrix is filled by (i, j) index pairs.
#![allow(clippy::needless_range_loop)]

use lineage::signals::features::{SparseVec, TextFeatures};
use lineage::stats;
use proptest::prelude::*;

fn vec_f64() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-100.0f64..100.0, 0..40)
}

proptest! {
    #[test]
    fn cosine_is_symmetric_and_bounded(a in vec_f64(), b in vec_f64()) {
        let n = a.len().min(b.len());
        let (a, b) = (&a[..n], &b[..n]);
        let ab = stats::cosine(a, b);
        prop_assert!((ab - stats::cosine(b, a)).abs() < 1e-12);
        prop_assert!((-1.0..=1.0).contains(&ab));
        if a.iter().any(|x| *x != 0.0) {
            prop_assert!((stats::cosine(a, a) - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn p_values_are_probabilities(d in vec_f64(), seed in any::<u64>()) {
        let s = stats::sign_test(&d);
        prop_assert!((0.0..=1.0).contains(&s.p_value));
        let f = stats::sign_flip_test(&d, 99, seed);
        prop_assert!(f.p_value > 0.0 && f.p_value <= 1.0);
        prop_assert_eq!(s.positive + s.negative, d.iter().filter(|x| **x != 0.0).count());
    }

    #[test]
    fn bootstrap_interval_is_ordered_and_within_range(x in prop::collection::vec(-10.0f64..10.0, 1..30), seed in any::<u64>()) {
        let iv = stats::bootstrap_mean(&x, 200, 0.05, seed);
        let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(iv.low <= iv.high);
        prop_assert!(iv.low >= lo - 1e-9 && iv.high <= hi + 1e-9);
        // Same seed, same interval.
        prop_assert_eq!(iv, stats::bootstrap_mean(&x, 200, 0.05, seed));
    }

    #[test]
    fn upgma_tree_names_every_leaf_once(n in 1usize..8, seed in any::<u64>()) {
        use rand::{Rng, SeedableRng};
        let mut r = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let names: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
        let mut d = vec![vec![0.0; n]; n];
        for i in 0..n {
            for j in (i + 1)..n {
                let v: f64 = r.gen();
                d[i][j] = v;
                d[j][i] = v;
            }
        }
        let t = stats::upgma_newick(&names, &d);
        prop_assert!(t.ends_with(';'));
        for name in &names {
            prop_assert_eq!(t.matches(&format!("{name}:")).count() + usize::from(n == 1 && t == format!("{name};")), 1);
        }
    }

    #[test]
    fn sparse_mean_adds_each_index_in_vector_order(
        vs in proptest::collection::vec(
            proptest::collection::btree_map(0u32..40, -3.0f32..3.0, 0..12), 0..6)
    ) {
        // The reference: a map accumulating vector by vector.
        let mut acc = std::collections::BTreeMap::<u32, f32>::new();
        for v in &vs {
            for (&k, &x) in v {
                *acc.entry(k).or_insert(0.0) += x;
            }
        }
        let n = vs.len().max(1) as f32;
        let want: Vec<(u32, u32)> = acc.iter().map(|(&k, &s)| (k, (s / n).to_bits())).collect();
        let vs: Vec<SparseVec> = vs.into_iter().map(|m| SparseVec(m.into_iter().collect())).collect();
        let got = SparseVec::mean(&vs.iter().collect::<Vec<_>>());
        let got: Vec<(u32, u32)> = got.0.iter().map(|&(k, x)| (k, x.to_bits())).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn char_profile_ignores_repetition(text in "[a-z ,.]{1,80}") {
        // A text repeated (with a space) has the same damped-rate profile up
        // to the few n-grams that cross the join: cosine stays near 1.
        let f1 = TextFeatures::of(&text, 3);
        let f2 = TextFeatures::of(&format!("{text} {text}"), 3);
        let v = |f: &TextFeatures| {
            let total: f32 = f.char_counts.total().max(1.0);
            SparseVec(f.char_counts.0.iter().map(|(k, c)| (*k, (1.0 + 1000.0 * c / total).ln())).collect())
        };
        if text.trim().len() > 20 {
            prop_assert!(v(&f1).cosine(&v(&f2)) > 0.9);
        }
    }
}

#[test]
fn log_odds_cases() {
    use std::collections::BTreeMap;
    let m = |pairs: &[(&str, f64)]| -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    };
    // (group, rest, item, sign of z)
    type Counts<'a> = &'a [(&'a str, f64)];
    let cases: &[(Counts, Counts, &str, f64)] = &[
        (
            &[("delve", 30.0), ("the", 100.0)],
            &[("delve", 1.0), ("the", 100.0)],
            "delve",
            1.0,
        ),
        (
            &[("delve", 1.0), ("the", 100.0)],
            &[("delve", 30.0), ("the", 100.0)],
            "delve",
            -1.0,
        ),
    ];
    for (g, r, item, sign) in cases {
        let (g, r) = (m(g), m(r));
        let mut pooled = g.clone();
        for (k, v) in &r {
            *pooled.entry(k.clone()).or_insert(0.0) += v;
        }
        let z = stats::log_odds_z(&g, &r, &pooled, 100.0);
        assert!(z[*item] * sign > 1.96, "{item}: {}", z[*item]);
    }
}
