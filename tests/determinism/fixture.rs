// The native-vs-wasm determinism fixture, a module of tests/core (native)
// and included by crates/lineage-wasm/tests/node.rs (wasm32 in Node): a fixed corpus, fixed
// options, and the SHA-256 the JSON report of that analysis must have on
// both. Both sides compare against the same constant, so a report that
// differs between the platforms fails one of them.
//
// The corpus is built with integer draws only (no `ln`/`exp`, whose last
// bit may differ between libms), so the *input* is certainly the same on
// both platforms and any difference comes from the core.
//
// When the report legitimately changes (a new field, a method change, a
// version bump), print the new hash with
//     LINEAGE_PRINT_REPORT_HASH=1 cargo test --test core determinism -- --nocapture
// and update REPORT_SHA256 below; the wasm test then checks the same value.

use lineage::analysis::{AnalysisOptions, AnalysisRequest};
use lineage::corpus::Sample;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

/// SHA-256 (hex) of `report_json()` natively and in wasm.
pub const REPORT_SHA256: &str = "62dc4960baa45477e0009984b899cf1f0179bcdfc555736da243e42f16d9e4f6";

include!("words.rs");

/// The fixture's vocabulary: the first style and topic words of the test
/// worlds, and words outside ASCII (the Unicode paths must agree too).
fn vocabulary() -> Vec<&'static str> {
    STYLE_WORDS[..16]
        .iter()
        .chain(&TOPIC_WORDS[..16])
        .chain(&["naïve", "café", "日本語", "Straße"])
        .copied()
        .collect()
}

/// One answer: `sentences` sentences of words drawn with a bias towards
/// the source's own slice of the `vocabulary` (`bias` in 0..its length).
fn answer(rng: &mut ChaCha8Rng, vocabulary: &[&str], bias: u32, prompt: u32) -> String {
    let n = vocabulary.len() as u32;
    let mut out = String::new();
    for s in 0..rng.gen_range(2u32..5) {
        let mut words: Vec<&str> = Vec::new();
        for _ in 0..rng.gen_range(6u32..12) {
            let i = if rng.gen_range(0u32..10) < 6 {
                (bias + rng.gen_range(0u32..6)) % n
            } else {
                (prompt * 7 + rng.gen_range(0u32..n)) % n
            };
            words.push(vocabulary[i as usize]);
        }
        if s > 0 {
            out.push(' ');
        }
        out.push_str(&words.join(" "));
        out.push_str(if rng.gen_range(0u32..4) == 0 {
            "!"
        } else {
            "."
        });
    }
    out
}

/// The fixture corpus: candidates A, B, C, a control, and a student that
/// copies a sentence of A's answer to the same prompt half of the time.
pub fn samples() -> Vec<Sample> {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed);
    let vocabulary = vocabulary();
    let mut out = Vec::new();
    for p in 0..24u32 {
        let mut per_source = Vec::new();
        for (name, bias) in [("A", 0u32), ("B", 8), ("C", 16), ("control", 24)] {
            per_source.push((name, answer(&mut rng, &vocabulary, bias, p)));
        }
        let mut student = answer(&mut rng, &vocabulary, 2, p);
        if rng.gen_range(0u32..2) == 0 {
            let a = &per_source[0].1;
            let copied = a.split_inclusive(['.', '!']).next().unwrap_or(a);
            student = format!("{copied} {student}");
        }
        per_source.push(("student", student));
        for (name, text) in per_source {
            out.push(Sample {
                source: name.into(),
                text,
                prompt_id: Some(format!("p{p:02}")),
                prompt: None,
                family: None,
            });
        }
    }
    out
}

pub fn request() -> AnalysisRequest {
    AnalysisRequest {
        samples: samples(),
        suspect: "student".into(),
        candidates: vec!["A".into(), "B".into(), "C".into()],
        control: Some("control".into()),
        ..Default::default()
    }
}

/// Few resamples (debug wasm is slow) but every random path is taken:
/// bootstrap, permutation tests, classifier folds.
pub fn options() -> AnalysisOptions {
    AnalysisOptions {
        seed: 7,
        bootstrap_reps: 60,
        permutation_reps: 99,
        min_paired: 5,
        ..AnalysisOptions::default()
    }
}

/// The report of the fixture as the CLI writes it.
pub fn report_json() -> String {
    lineage::analysis::analyze(&request(), &options(), &mut |_, _| {})
        .expect("the fixture analyses")
        .to_json()
}

pub fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
