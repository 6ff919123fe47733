//! The learned classifier on small synthetic "models" with known habits:
//! attribution, batches, calibration, cross-validation, determinism and
//! input errors.

use lineage::signals::classifier::{
    cross_validate, cross_validate_and_train, ClassifierOptions, TextClassifier,
};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const TOPICS: &[&str] = &[
    "rivers",
    "volcanoes",
    "bread",
    "chess",
    "tides",
    "bees",
    "glaciers",
    "violins",
    "comets",
    "tea",
    "bridges",
    "owls",
    "deserts",
    "kites",
    "copper",
    "moss",
];

/// Three synthetic writers with different habits, answering about topics
/// drawn at random: one writes bullet lists and opens with "Sure!", one
/// writes plain prose and hedges, one uses bold headings and exclamations.
fn synthetic(writer: usize, rng: &mut ChaCha8Rng) -> String {
    let t1 = TOPICS[rng.gen_range(0..TOPICS.len())];
    let t2 = TOPICS[rng.gen_range(0..TOPICS.len())];
    match writer {
        0 => format!(
            "Sure! Here are some facts about {t1}:\n\n- {t1} are common.\n- {t2} are related.\n\nI hope this helps!"
        ),
        1 => format!(
            "It could be argued that {t1} are, in a sense, rather like {t2}. However, \
             it is perhaps worth noting that opinions differ."
        ),
        _ => format!(
            "**{t1}**\n\nWow! {t1} are amazing! And {t2} too!\n\n**Summary**: {t1} rock!"
        ),
    }
}

fn dataset(per_class: usize, seed: u64) -> (Vec<String>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut texts = Vec::new();
    let mut labels = Vec::new();
    for i in 0..per_class * 3 {
        let writer = i % 3;
        texts.push(synthetic(writer, &mut rng));
        labels.push(writer);
    }
    (texts, labels)
}

fn fast() -> ClassifierOptions {
    ClassifierOptions {
        calibration_folds: 3,
        ..Default::default()
    }
}

fn refs(texts: &[String]) -> Vec<&str> {
    texts.iter().map(String::as_str).collect()
}

#[test]
fn attributes_synthetic_writers() {
    let (train, labels) = dataset(12, 1);
    let model = TextClassifier::train(&refs(&train), &labels, 3, &fast()).unwrap();
    let (test, truth) = dataset(10, 2);
    let correct = test
        .iter()
        .zip(&truth)
        .filter(|(t, &y)| model.predict(t) == y)
        .count();
    assert_eq!(correct, test.len(), "every synthetic answer is attributed");
    // Batches of one writer's texts.
    for writer in 0..3 {
        let batch: Vec<&str> = test
            .iter()
            .zip(&truth)
            .filter(|(_, &y)| y == writer)
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(model.predict_batch(&batch), Some(writer));
    }
    assert_eq!(model.predict_batch(&[]), None);
    assert!(model.temperature() > 0.0);
}

#[test]
fn scores_are_log_probabilities() {
    let (train, labels) = dataset(8, 3);
    let model = TextClassifier::train(&refs(&train), &labels, 3, &fast()).unwrap();
    // (name, text): any input, however odd, yields a distribution.
    let cases = [
        (
            "typical",
            "Sure! Here are some facts about owls:\n\n- owls are common.",
        ),
        ("empty", ""),
        ("whitespace", " \n\n\t "),
        ("emoji and cjk", "🎉 你好 мир"),
        ("control characters", "\u{2}\u{3}\u{0}"),
    ];
    for (name, text) in cases {
        let scores = model.scores(text);
        assert_eq!(scores.len(), 3, "{name}");
        assert!(
            scores.iter().all(|s| s.is_finite() && *s <= 0.0),
            "{name}: {scores:?}"
        );
        let total: f64 = scores.iter().map(|s| s.exp()).sum();
        assert!(
            (total - 1.0).abs() < 1e-9,
            "{name}: probabilities sum to {total}"
        );
        assert!(model.predict(text) < 3, "{name}");
    }
}

#[test]
fn training_is_deterministic() {
    let (train, labels) = dataset(8, 4);
    let a = TextClassifier::train(&refs(&train), &labels, 3, &fast()).unwrap();
    let b = TextClassifier::train(&refs(&train), &labels, 3, &fast()).unwrap();
    let probe = "It could be argued that bees are rather like kites. Sure!";
    let (sa, sb) = (a.scores(probe), b.scores(probe));
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&sa), bits(&sb));
    assert_eq!(a.temperature().to_bits(), b.temperature().to_bits());
}

#[test]
fn cross_validation_measures_separability() {
    let (texts, labels) = dataset(10, 5);
    let cv = cross_validate(&refs(&texts), &labels, 3, 5, &fast()).unwrap();
    assert_eq!(cv.folds, 5);
    assert_eq!(cv.predictions.len(), texts.len());
    assert_eq!(cv.confusion.iter().flatten().sum::<usize>(), texts.len());
    assert!(cv.accuracy > 0.95, "{cv:?}");
    assert!(cv.per_class_accuracy.iter().all(|&a| a > 0.9));

    // Indistinguishable classes: the same writer under two labels cannot
    // be told apart, and cross-validation says so.
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let same: Vec<String> = (0..40).map(|_| synthetic(1, &mut rng)).collect();
    let halves: Vec<usize> = (0..40).map(|i| i % 2).collect();
    let cv = cross_validate(&refs(&same), &halves, 2, 5, &fast()).unwrap();
    assert!(cv.accuracy < 0.8, "{cv:?}");
}

/// The combined call is the two calls it replaces: the same folds'
/// predictions and a model that scores every text bit for bit alike, with
/// calibration on (the final model's temperature) and off.
#[test]
fn cross_validate_and_train_equals_the_two_calls() {
    let (texts, labels) = dataset(10, 7);
    let probes = [
        "It could be argued that bees are rather like kites. Sure!",
        "Certainly! Here is a list:\n\n- one\n- two",
        "",
    ];
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for calibration_folds in [0, 3] {
        let opts = ClassifierOptions {
            calibration_folds,
            ..fast()
        };
        let (cv, model) = cross_validate_and_train(&refs(&texts), &labels, 3, 5, &opts).unwrap();
        let alone = TextClassifier::train(&refs(&texts), &labels, 3, &opts).unwrap();
        assert_eq!(
            cv,
            cross_validate(&refs(&texts), &labels, 3, 5, &opts).unwrap()
        );
        assert_eq!(model.temperature().to_bits(), alone.temperature().to_bits());
        for probe in probes {
            assert_eq!(
                bits(&model.scores(probe)),
                bits(&alone.scores(probe)),
                "{probe:?}"
            );
        }
    }
    // And it refuses what cross_validate refuses.
    let e = cross_validate_and_train(&refs(&texts), &labels, 3, 11, &fast()).unwrap_err();
    assert!(e.to_string().contains("fold"), "{e}");
}

#[test]
fn errors_name_the_problem() {
    let texts = ["a", "b", "c", "d"];
    let opts = ClassifierOptions::default();
    // Labels that do not make a training set: (labels, n_classes, message).
    let labels: [(&[usize], usize, &str); 4] = [
        (&[0, 1], 2, "4 texts but 2 labels"),
        (&[0, 0, 0, 0], 1, "need at least 2 classes, got 1"),
        (&[0, 1, 2, 0], 2, "label 2 is out of range for 2 classes"),
        (&[0, 0, 2, 2], 3, "class 1 has no training texts"),
    ];
    for (labels, n_classes, message) in labels {
        let e = TextClassifier::train(&texts, labels, n_classes, &opts).unwrap_err();
        assert_eq!(e.to_string(), message, "{labels:?}");
    }
    // Options out of range, with good labels: (options, message).
    let options = [
        (
            ClassifierOptions {
                c: 0.0,
                ..Default::default()
            },
            "invalid option: c must be positive and finite",
        ),
        (
            ClassifierOptions {
                word_ngrams: (3, 1),
                ..Default::default()
            },
            "invalid option: an n-gram range is reversed",
        ),
    ];
    for (o, message) in options {
        let e = TextClassifier::train(&texts, &[0, 1, 0, 1], 2, &o).unwrap_err();
        assert_eq!(e.to_string(), message);
    }
    let e = cross_validate(&texts, &[0, 1, 0, 1], 2, 3, &opts).unwrap_err();
    assert_eq!(e.to_string(), "class 0 has 2 texts, fewer than the 3 folds");
    let e = cross_validate(&texts, &[0, 1, 0, 1], 2, 1, &opts).unwrap_err();
    assert_eq!(e.to_string(), "need at least 2 folds, got 1");
}

#[test]
fn structure_features_are_length_free() {
    use lineage::signals::classifier::features::{structure, STRUCTURE_NAMES};
    // Five copies of a text have the same rates as one copy.
    let one = "Here is a list:\n\n- apples, pears\n- plums!\n\n**Done.**\n\n";
    let many = one.repeat(5);
    let (a, b) = (structure(one), structure(&many));
    assert_eq!(a.len(), STRUCTURE_NAMES.len());
    for (i, name) in STRUCTURE_NAMES.iter().enumerate() {
        if name.contains("type-token") {
            continue; // repeating a text repeats its words: lower TTR by design
        }
        assert!((a[i] - b[i]).abs() < 1e-9, "{name}: {} vs {}", a[i], b[i]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_text_scores_without_panic(text in "\\PC{0,200}") {
        use std::sync::OnceLock;
        static MODEL: OnceLock<TextClassifier> = OnceLock::new();
        let model = MODEL.get_or_init(|| {
            let (train, labels) = dataset(6, 7);
            TextClassifier::train(&refs(&train), &labels, 3, &fast()).unwrap()
        });
        let scores = model.scores(&text);
        prop_assert_eq!(scores.len(), 3);
        let total: f64 = scores.iter().map(|s| s.exp()).sum();
        prop_assert!((total - 1.0).abs() < 1e-9);
    }
}
