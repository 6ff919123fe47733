//! The whole analysis on small random corpora (up to 4 sources, a few
//! prompts, any texts): a report or an AnalysisError, never a panic, and
//! the same report twice.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use lineage::analysis::{analyze, AnalysisOptions, AnalysisRequest};
use lineage::corpus::Sample;

#[derive(Arbitrary, Debug)]
struct Record {
    source: u8,
    prompt: Option<u8>,
    text: String,
}

#[derive(Arbitrary, Debug)]
struct Input {
    records: Vec<Record>,
    with_control: bool,
    seed: u64,
    min_paired: u8,
}

fuzz_target!(|input: Input| {
    if input.records.len() > 64 {
        return;
    }
    let samples: Vec<Sample> = input
        .records
        .into_iter()
        .map(|r| Sample {
            source: format!("s{}", r.source % 4),
            text: r.text,
            prompt_id: r.prompt.map(|p| format!("p{}", p % 8)),
            prompt: None,
        })
        .collect();
    let req = AnalysisRequest {
        samples,
        suspect: "s0".into(),
        candidates: vec!["s1".into(), "s2".into()],
        control: input.with_control.then(|| "s3".into()),
        ..Default::default()
    };
    let opts = AnalysisOptions {
        // The core refuses seeds JavaScript cannot hold (2^53 and above).
        seed: input.seed % (1 << 53),
        bootstrap_reps: 20,
        permutation_reps: 19,
        classifier_folds: 2,
        min_paired: usize::from(input.min_paired % 6) + 1,
        ..AnalysisOptions::default()
    };
    let first = analyze(&req, &opts, &mut |_, _| {}).map(|r| r.to_json());
    let second = analyze(&req, &opts, &mut |_, _| {}).map(|r| r.to_json());
    assert_eq!(first, second);
});
