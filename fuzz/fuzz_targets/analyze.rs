//! The whole analysis in its cheap mode: the fewest resamples the options
//! allow (10 bootstrap, 10 permutation), two folds, no robustness re-run,
//! character n-grams up to 2, a few short texts. A report or an
//! AnalysisError, never a panic; the report serialises to JSON and parses
//! back to the same document (no NaN turned into null), renders as
//! Markdown, and an input with its flag set is analysed twice to the same
//! bytes.
//!
//! The input is text, so seeds are readable and mutations stay texts: the
//! first line sets the options (its bytes, see `options`), every other
//! line is one sample, `<source digit><prompt digit or -><text>`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lineage::analysis::{analyze, AnalysisOptions, AnalysisRequest, DeltaKind};
use lineage::corpus::Sample;
use lineage::report::Report;
use lineage::signals::paired::PairedSignal;

/// At most this many samples, of at most this many bytes each: enough to
/// pair, test and abstain, small enough for thousands of runs a second.
const MAX_SAMPLES: usize = 24;
const MAX_TEXT: usize = 160;

fn options(flags: &[u8]) -> AnalysisOptions {
    let byte = |i: usize| flags.get(i).copied().unwrap_or(0);
    let all = PairedSignal::ALL;
    // A non-empty subset of the signals.
    let mut signals: Vec<PairedSignal> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| byte(1) >> (i % 8) & 1 == 1)
        .map(|(_, s)| *s)
        .collect();
    if signals.is_empty() {
        signals.push(all[usize::from(byte(1)) % all.len()]);
    }
    AnalysisOptions {
        seed: u64::from(byte(2)),
        alpha: [0.01, 0.05, 0.5][usize::from(byte(3)) % 3],
        bootstrap_reps: 10,
        permutation_reps: 10,
        mfw: 10 + usize::from(byte(4) % 20),
        delta: [DeltaKind::Cosine, DeltaKind::Burrows, DeltaKind::Eder][usize::from(byte(5)) % 3],
        max_char_ngram: 1 + usize::from(byte(6) % 2),
        classifier_folds: 2,
        overlap_ngram: 1 + usize::from(byte(7) % 6),
        min_paired: 1 + usize::from(byte(8) % 6),
        signals,
        robustness: false,
        ..AnalysisOptions::default()
    }
}

fn sample(line: &str) -> Option<Sample> {
    let mut chars = line.chars();
    let source = chars.next()?;
    let prompt = chars.next()?;
    let mut text: String = chars.as_str().to_string();
    while text.len() > MAX_TEXT {
        text.pop();
    }
    Some(Sample {
        source: format!("s{}", u32::from(source) % 4),
        prompt_id: (prompt != '-').then(|| format!("p{}", u32::from(prompt) % 8)),
        text,
        prompt: None,
        family: None,
    })
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let mut lines = input.split('\n');
    let flags = lines.next().unwrap_or("").as_bytes();
    let samples: Vec<Sample> = lines.filter_map(sample).take(MAX_SAMPLES).collect();
    let opts = options(flags);
    let control = flags.first().is_some_and(|f| f & 1 == 1);
    let req = AnalysisRequest {
        samples,
        suspect: "s0".into(),
        candidates: vec!["s1".into(), "s2".into()],
        control: control.then(|| "s3".into()),
        ..Default::default()
    };
    let Ok(report) = analyze(&req, &opts, &mut |_, _| {}) else {
        return;
    };
    let json = report.to_json();
    let back: Report = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(back.to_json(), json);
    let _ = report.to_markdown();
    if flags.first().is_some_and(|f| f & 2 == 2) {
        let again = analyze(&req, &opts, &mut |_, _| {}).map(|r| r.to_json());
        assert_eq!(again.ok().as_deref(), Some(json.as_str()));
    }
});
