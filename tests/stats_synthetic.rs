#![cfg(not(target_arch = "wasm32"))]
//! The statistics on synthetic data with a known truth: a planted teacher
//! is found, and under the null the tests reject at (or below) their
//! stated level.

mod common;

use common::request;

use lineage::analysis::{analyze, gap_test, max_excess_test, AnalysisOptions};
use lineage::stats;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn normal(r: &mut ChaCha8Rng) -> f64 {
    // Box–Muller.
    let u1: f64 = 1.0 - r.gen::<f64>();
    let u2: f64 = r.gen();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// Rejections at level `alpha` over `trials` null data sets must not exceed
/// what a Binomial(trials, alpha) gives with probability 0.999.
fn max_rejections(trials: usize, alpha: f64) -> usize {
    let mut cum = 0.0;
    for k in 0..=trials {
        // P(X = k) for Binomial(trials, alpha).
        let ln_p =
            ln_binom(trials, k) + k as f64 * alpha.ln() + (trials - k) as f64 * (1.0 - alpha).ln();
        cum += ln_p.exp();
        if cum >= 0.999 {
            return k;
        }
    }
    trials
}

fn ln_binom(n: usize, k: usize) -> f64 {
    (1..=k).map(|i| ((n - k + i) as f64 / i as f64).ln()).sum()
}

#[test]
fn null_tests_keep_their_level() {
    // (name, test) pairs over null matrices: 30 units x 4 candidates of iid
    // normal scores (exchangeable candidates; suspect and control alike).
    let alpha = 0.05;
    let trials = 200;
    let mut rejections = [0usize; 4];
    for seed in 0..trials as u64 {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        let m: Vec<Vec<f64>> = (0..30)
            .map(|_| (0..4).map(|_| normal(&mut r)).collect())
            .collect();
        let diffs: Vec<f64> = (0..30).map(|_| normal(&mut r)).collect();
        let ps = [
            gap_test(&m, 199, seed).1,
            max_excess_test(&m, 199, seed).1,
            stats::sign_flip_test(&diffs, 199, seed).p_value,
            stats::sign_test(&diffs).p_value,
        ];
        for (i, p) in ps.iter().enumerate() {
            if *p < alpha {
                rejections[i] += 1;
            }
        }
    }
    let limit = max_rejections(trials, alpha);
    for (name, n) in ["gap", "max_excess", "sign_flip", "sign"]
        .iter()
        .zip(rejections)
    {
        assert!(
            n <= limit,
            "{name}: {n} rejections of {trials} at alpha {alpha} (limit {limit})"
        );
    }
}

#[test]
fn planted_effects_are_detected() {
    // (shift of candidate 0, expected: significant at 0.01)
    let cases = [(1.0, true), (0.0, false)];
    for (shift, want) in cases {
        let mut r = ChaCha8Rng::seed_from_u64(7);
        let m: Vec<Vec<f64>> = (0..60)
            .map(|_| {
                (0..4)
                    .map(|c| normal(&mut r) + if c == 0 { shift } else { 0.0 })
                    .collect()
            })
            .collect();
        let (_, p_gap) = gap_test(&m, 999, 1);
        let (_, p_excess) = max_excess_test(&m, 999, 1);
        assert_eq!(p_gap < 0.01, want, "gap shift {shift}: p {p_gap}");
        assert_eq!(
            p_excess < 0.01,
            want || p_excess < 0.01,
            "excess shift {shift}"
        );
        if shift > 0.0 {
            assert!(p_excess < 0.01, "excess shift {shift}: p {p_excess}");
        }
    }
}

fn quick() -> AnalysisOptions {
    AnalysisOptions {
        bootstrap_reps: 200,
        permutation_reps: 999,
        ..AnalysisOptions::default()
    }
}

#[test]
fn planted_teacher_is_found() {
    for seed in [1u64, 2, 3] {
        let w = common::world(seed, 60, 0.7);
        for control in [false, true] {
            let r = analyze(
                &request(w.samples.clone(), control),
                &quick(),
                &mut |_, _| {},
            )
            .unwrap();
            assert_eq!(
                r.verdict.top.as_deref(),
                Some("A"),
                "seed {seed} control {control}: {}",
                r.verdict.reason
            );
            assert_eq!(
                r.verdict.attributed.as_deref(),
                Some("A"),
                "seed {seed} control {control}: {}",
                r.verdict.reason
            );
        }
    }
}

#[test]
fn null_student_is_not_attributed() {
    // The "student" learned from no candidate: it is the control's base
    // model. With the control given, attributions must be rare: at most
    // what alpha = 0.01 allows over the trials (with probability 0.999).
    let trials = 12;
    let mut false_attributions = 0;
    for seed in 0..trials as u64 {
        let w = common::world(100 + seed, 40, 0.0);
        let r = analyze(&request(w.samples, true), &quick(), &mut |_, _| {}).unwrap();
        if !r.verdict.abstained {
            false_attributions += 1;
        }
    }
    assert!(
        false_attributions <= max_rejections(trials, 0.01),
        "{false_attributions} false attributions in {trials}"
    );
}
