#![cfg(not(target_arch = "wasm32"))]
//! Verdicts on the development data (`../shared/data/alpaca_eval_dev`, read
//! in place, never copied): known distillation cases checked against a
//! control, controls that must abstain, and teachers left out of the
//! candidates. Skipped (with a message) when the data is absent; ignored in
//! debug builds because each analysis takes minutes there —
//! `scripts/test.sh` runs them in release (`cargo test --release --test
//! dev_verdicts -- --ignored`).

mod common;

use std::path::PathBuf;

use lineage::analysis::{analyze, AnalysisOptions, AnalysisRequest};
use lineage::corpus::{self, Sample};
use lineage::report::{Report, VerdictKind};

const OPENAI: [&str; 3] = ["text_davinci_003", "gpt-3.5-turbo-0301", "gpt4_0314"];
const OTHERS: [&str; 4] = [
    "claude-2",
    "claude-instant-1.2",
    "llama-2-70b-chat-hf",
    "gemini-pro",
];

fn dir() -> Option<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/alpaca_eval_dev");
    if d.is_dir() {
        Some(d)
    } else {
        eprintln!("skipped: {} not found", d.display());
        None
    }
}

fn load(dir: &std::path::Path, names: &[&str]) -> Vec<Sample> {
    names
        .iter()
        .flat_map(|name| {
            let bytes = std::fs::read(dir.join(format!("{name}.jsonl"))).unwrap();
            corpus::read_jsonl(name, &bytes, None).samples
        })
        .collect()
}

fn analyse(
    samples: Vec<Sample>,
    suspect: &str,
    cands: &[&str],
    control: Option<&str>,
    robust: bool,
) -> Report {
    let req = AnalysisRequest {
        samples,
        suspect: suspect.into(),
        candidates: cands.iter().map(|c| c.to_string()).collect(),
        control: control.map(str::to_string),
        ..Default::default()
    };
    let opts = AnalysisOptions {
        robustness: robust,
        ..AnalysisOptions::default()
    };
    analyze(&req, &opts, &mut |_, _| {}).unwrap()
}

/// What a case must give: an attribution to a set holding `must` and
/// inside `within`, or no attribution.
enum Want {
    Attribution {
        must: &'static [&'static str],
        within: &'static [&'static str],
    },
    NoAttribution,
}

#[test]
#[ignore = "reads ../shared/data; minutes in a debug build"]
fn known_cases() {
    let Some(d) = dir() else { return };
    let api: Vec<&str> = OPENAI.iter().chain(&OTHERS).copied().collect();
    let api_vicuna: Vec<&str> = api.iter().copied().chain(["vicuna-13b"]).collect();
    let others_vicuna: Vec<&str> = OTHERS.iter().copied().chain(["vicuna-13b"]).collect();
    // (suspect, candidates, control, expected)
    let cases: Vec<(&str, &[&str], Option<&str>, Want)> = vec![
        // alpaca-7b was trained on text_davinci_003's answers.
        (
            "alpaca-7b",
            &api_vicuna,
            Some("guanaco-33b"),
            Want::Attribution {
                must: &["text_davinci_003"],
                within: &OPENAI,
            },
        ),
        // vicuna-13b was trained on shared ChatGPT conversations.
        (
            "vicuna-13b",
            &api,
            Some("guanaco-33b"),
            Want::Attribution {
                must: &[],
                within: &OPENAI,
            },
        ),
        // guanaco-33b learned from human answers: a control, with a
        // ChatGPT student as its own control, must abstain.
        ("guanaco-33b", &api, Some("vicuna-13b"), Want::NoAttribution),
        // The teacher left out of the candidates: no invented teacher.
        (
            "alpaca-7b",
            &others_vicuna,
            Some("guanaco-33b"),
            Want::NoAttribution,
        ),
        (
            "alpaca-7b",
            &OTHERS,
            Some("guanaco-33b"),
            Want::NoAttribution,
        ),
        // vicuna-13b's teacher absent: the other assistants resemble
        // ChatGPT, yet none of them is its teacher.
        (
            "vicuna-13b",
            &OTHERS,
            Some("guanaco-33b"),
            Want::NoAttribution,
        ),
    ];
    for (suspect, cands, control, want) in cases {
        let names: Vec<&str> = std::iter::once(suspect)
            .chain(cands.iter().copied())
            .chain(control)
            .collect();
        let r = analyse(load(&d, &names), suspect, cands, control, false);
        let v = &r.verdict;
        let label = format!(
            "{suspect} vs {} candidates, control {control:?}: {}",
            cands.len(),
            v.reason
        );
        match want {
            Want::Attribution { must, within } => {
                assert_eq!(v.kind, VerdictKind::Attribution, "{label}");
                assert!(v.p_value.unwrap() < 0.01, "{label}");
                assert!(
                    must.iter().all(|m| v.attributed.iter().any(|a| a == m)),
                    "{label}"
                );
                assert!(
                    v.attributed.iter().all(|a| within.contains(&a.as_str())),
                    "{label}"
                );
            }
            Want::NoAttribution => {
                assert_ne!(v.kind, VerdictKind::Attribution, "{label}");
                assert!(v.attributed.is_empty(), "{label}");
                assert!(
                    v.power.is_some(),
                    "{label}: abstention without power guidance"
                );
            }
        }
    }
}

/// Padding (each output twice) or truncating (first half of the words)
/// the suspect's outputs moves only their length: the attribution must not
/// move, and without a control the verdict is a resemblance.
#[test]
#[ignore = "reads ../shared/data; minutes in a debug build"]
fn length_and_formatting_do_not_move_the_verdict() {
    let Some(d) = dir() else { return };
    let cands: Vec<&str> = OPENAI.iter().chain(&OTHERS).copied().collect();
    let names: Vec<&str> = ["alpaca-7b", "guanaco-33b"]
        .iter()
        .chain(&cands)
        .copied()
        .collect();
    let samples = load(&d, &names);
    let base = analyse(
        samples.clone(),
        "alpaca-7b",
        &cands,
        Some("guanaco-33b"),
        true,
    );
    assert_eq!(
        base.verdict.attributed,
        ["text_davinci_003"],
        "{}",
        base.verdict.reason
    );
    let robust = base.verdict.robustness.as_ref().unwrap();
    assert!(robust.survives, "{}", robust.message);
    let pad = |t: &str| format!("{t}\n\n{t}");
    let truncate = |t: &str| {
        let w: Vec<&str> = t.split(' ').collect();
        w[..w.len().div_ceil(2)].join(" ")
    };
    for (name, f) in [
        ("pad", &pad as &dyn Fn(&str) -> String),
        ("truncate", &truncate),
    ] {
        let changed: Vec<Sample> = samples
            .iter()
            .map(|s| Sample {
                text: if s.source == "alpaca-7b" {
                    f(&s.text)
                } else {
                    s.text.clone()
                },
                ..s.clone()
            })
            .collect();
        let r = analyse(changed, "alpaca-7b", &cands, Some("guanaco-33b"), false);
        assert_eq!(
            r.verdict.attributed, base.verdict.attributed,
            "{name}: {}",
            r.verdict.reason
        );
    }
    let no_control: Vec<Sample> = samples
        .into_iter()
        .filter(|s| s.source != "guanaco-33b")
        .collect();
    let r = analyse(no_control, "alpaca-7b", &cands, None, false);
    common::assert_resemblance(&r);
    assert!(r.verdict.reason.contains("control"), "{}", r.verdict.reason);
}
