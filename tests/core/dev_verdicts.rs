//! Verdicts on the development data (`../shared/data/alpaca_eval_dev`, read
//! in place, never copied): known distillation cases checked against a
//! control, controls that must abstain, and teachers left out of the
//! candidates. Skipped (with a message) when the data is absent; ignored in
//! debug builds because each analysis takes minutes there —
//! `scripts/test.sh` runs them in release (`cargo test --release --test
//! dev_verdicts -- --ignored`).

use crate::common;

use std::path::PathBuf;

use lineage::analysis::{analyze, AnalysisOptions, AnalysisRequest};
use lineage::corpus::{self, Sample};
use lineage::report::{ClaimLevel, Report, VerdictKind};

/// The nine candidates of `../shared/data/README.md` (both folders), by
/// vendor.
const OPENAI: [&str; 4] = [
    "text_davinci_003",
    "gpt-3.5-turbo-0301",
    "gpt4_0314",
    "gpt4_0613",
];
const OTHERS: [&str; 5] = [
    "claude-2",
    "claude-2.1",
    "claude-instant-1.2",
    "llama-2-70b-chat-hf",
    "gemini-pro",
];

/// The data folder; its sibling `alpaca_eval_dev_more` holds the other
/// eight models.
fn dir() -> Option<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/alpaca_eval_dev");
    if d.is_dir() && d.with_file_name("alpaca_eval_dev_more").is_dir() {
        Some(d)
    } else {
        eprintln!("skipped: {} (and its _more sibling) not found", d.display());
        None
    }
}

fn load(dir: &std::path::Path, names: &[&str]) -> Vec<Sample> {
    names
        .iter()
        .flat_map(|name| {
            let file = format!("{name}.jsonl");
            let here = dir.join(&file);
            let path = if here.is_file() {
                here
            } else {
                dir.with_file_name("alpaca_eval_dev_more").join(&file)
            };
            let bytes = std::fs::read(path).unwrap();
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

/// The teacher claims on the development data, as `../shared/data/README.md`
/// documents the lineage: students of OpenAI models with their controls,
/// against the nine candidates, then again with every OpenAI model left
/// out; a human-answer model with a ChatGPT student as its control.
#[test]
#[ignore = "reads ../shared/data; minutes in a debug build"]
fn teacher_claims() {
    let Some(d) = dir() else { return };
    let nine: Vec<&str> = OPENAI.iter().chain(&OTHERS).copied().collect();
    // (student, control, teacher) of every OpenAI student there.
    let students = [
        ("alpaca-7b", "guanaco-33b", "text_davinci_003"),
        ("vicuna-13b", "guanaco-33b", "gpt-3.5-turbo-0301"),
        ("nous-hermes-13b", "guanaco-13b", "gpt4_0314"),
        ("airoboros-33b", "guanaco-33b", "gpt4_0314"),
        (
            "OpenHermes-2.5-Mistral-7B",
            "Mistral-7B-Instruct-v0.2",
            "gpt4_0314",
        ),
    ];
    let run = |suspect: &str, cands: &[&str], control: &str| {
        let names: Vec<&str> = std::iter::once(suspect)
            .chain(cands.iter().copied())
            .chain([control])
            .collect();
        analyse(load(&d, &names), suspect, cands, Some(control), false)
    };
    // Teacher absent: no attribution, at the family or the model level.
    for (student, control, _) in students {
        let v = run(student, &OTHERS, control).verdict;
        assert_ne!(
            v.kind,
            VerdictKind::Attribution,
            "{student}: {}",
            v.headline
        );
        assert!(v.attributed.is_empty() && v.level.is_none(), "{student}");
        assert!(
            v.headline
                .starts_with(&format!("{student}: no teacher named")),
            "{}",
            v.headline
        );
    }
    // Teacher present: at least four of five attributed to the OpenAI
    // family, none to another, and a claim that names one model names the
    // teacher (OpenHermes-2.5 is closest to text_davinci_003: the model
    // test keeps that claim at the family).
    let mut in_family = 0;
    for (student, control, teacher) in &students {
        let v = run(student, &nine, control).verdict;
        if v.level == Some(ClaimLevel::Model) {
            assert_eq!(v.attributed, [*teacher], "{student}: {}", v.headline);
        }
        if v.kind == VerdictKind::Attribution {
            assert_eq!(
                v.family.as_deref(),
                Some("openai"),
                "{student}: {}",
                v.headline
            );
            assert!(
                v.attributed.iter().all(|a| OPENAI.contains(&a.as_str())),
                "{student}: {:?}",
                v.attributed
            );
            assert!(
                v.headline
                    .starts_with(&format!("{student}: the teacher is")),
                "{}",
                v.headline
            );
            in_family += 1;
        }
    }
    assert!(
        in_family >= 4,
        "{in_family} of 5 teacher-present cases attributed"
    );
    // A human-answer model, with a ChatGPT student as its control.
    let v = run("guanaco-33b", &nine, "vicuna-13b").verdict;
    assert_eq!(v.kind, VerdictKind::Abstention, "{}", v.headline);
    assert!(v.power.is_some(), "abstention without power guidance");
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
