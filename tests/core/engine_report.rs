//! Report determinism, length robustness, signals on hand-made cases, and
//! the analysis's refusals, on synthetic data (see `common`); the
//! development data's verdicts are in `dev_verdicts.rs`.

use crate::common;

use common::request;

use lineage::analysis::{analyze, AnalysisOptions, AnalysisRequest};
use lineage::corpus::Sample;
use lineage::report::Evidence;
use lineage::signals::paired::PairedSignal;

fn quick(seed: u64) -> AnalysisOptions {
    AnalysisOptions {
        seed,
        bootstrap_reps: 200,
        permutation_reps: 999,
        ..AnalysisOptions::default()
    }
}

#[test]
fn same_input_and_seed_give_identical_json() {
    let w = common::world(5, 40, 0.7);
    let a = analyze(&request(w.samples.clone(), true), &quick(9), &mut |_, _| {}).unwrap();
    let b = analyze(&request(w.samples.clone(), true), &quick(9), &mut |_, _| {}).unwrap();
    assert_eq!(a.to_json(), b.to_json());
    // Input order does not matter either: sources are grouped and units
    // are matched by prompt id.
    let mut reversed = w.samples.clone();
    reversed.reverse();
    let c = analyze(&request(reversed, true), &quick(9), &mut |_, _| {}).unwrap();
    assert_eq!(a.to_json(), c.to_json());
    let json: serde_json::Value = serde_json::from_str(&a.to_json()).unwrap();
    assert_eq!(json["schemaVersion"], 2);
    assert_eq!(json["seed"], 9);
    assert!(a.to_markdown().contains("Lineage report"));
}

/// The split a page with two workers makes (the classifier's
/// cross-validation in one, everything else in the other) gives the very
/// report `analyze` gives: with and without a control, with the
/// cross-validation handed over or run by `finish` itself, and where
/// there is no classifier at all (fewer outputs per candidate than folds).
#[test]
fn the_two_worker_split_gives_the_same_report() {
    use lineage::analysis::{begin, cross_validation, CrossValidate};
    let few = common::world(3, 4, 0.7).samples;
    // (case, samples, with a control, a classifier to cross-validate)
    let cases: [(&str, Vec<Sample>, bool, bool); 3] = [
        (
            "with a control",
            common::world(5, 40, 0.7).samples,
            true,
            true,
        ),
        (
            "without a control",
            common::world(6, 30, 0.6).samples,
            false,
            true,
        ),
        ("4 outputs a candidate, 5 folds", few, true, false),
    ];
    for (case, samples, control, classified) in cases {
        let req = request(samples, control);
        let opts = quick(11);
        let whole = analyze(&req, &opts, &mut |_, _| {}).unwrap().to_json();
        let cv = cross_validation(&req, &opts).unwrap();
        assert_eq!(cv.is_some(), classified, "{case}");
        for handed in [cv, None] {
            let pending = begin(&req, &opts, CrossValidate::Elsewhere, &mut |_, _| {}).unwrap();
            assert_eq!(pending.awaits_cross_validation(), classified, "{case}");
            let was_handed = handed.is_some();
            let split = pending.finish(handed, &mut |_, _| {}).to_json();
            assert_eq!(
                split, whole,
                "{case}, cross-validation handed over: {was_handed}"
            );
        }
    }
}

/// Pads every suspect output with a copy of itself, or truncates it to its
/// first half: the suspect's style is unchanged, only its length moves.
fn reshape(samples: &[Sample], f: impl Fn(&str) -> String) -> Vec<Sample> {
    samples
        .iter()
        .map(|s| {
            if s.source == "student" {
                Sample {
                    text: f(&s.text),
                    ..s.clone()
                }
            } else {
                s.clone()
            }
        })
        .collect()
}

fn pad(t: &str) -> String {
    format!("{t}\n\n{t}")
}

fn truncate(t: &str) -> String {
    let words: Vec<&str> = t.split(' ').collect();
    words[..words.len().div_ceil(2)].join(" ")
}

#[test]
fn length_changes_alone_do_not_flip_the_ranking() {
    for seed in [11u64, 12] {
        let w = common::world(seed, 50, 0.7);
        let base = analyze(&request(w.samples.clone(), true), &quick(1), &mut |_, _| {}).unwrap();
        assert_eq!(
            base.verdict.top.as_deref(),
            Some("A"),
            "{}",
            base.verdict.reason
        );
        for (name, f) in [("pad", pad as fn(&str) -> String), ("truncate", truncate)] {
            let r = analyze(
                &request(reshape(&w.samples, f), true),
                &quick(1),
                &mut |_, _| {},
            )
            .unwrap();
            assert_eq!(
                r.verdict.top, base.verdict.top,
                "seed {seed} {name}: {}",
                r.verdict.reason
            );
        }
    }
}

#[test]
fn refusals_name_the_problem() {
    let w = common::world(3, 20, 0.5);
    // (suspect, candidates, control, expected error fragment)
    let cases: &[(&str, &[&str], Option<&str>, &str)] = &[
        ("nobody", &["A", "B"], None, "nobody"),
        ("student", &["A"], None, "two candidates"),
        ("student", &["A", "B", "zed"], None, "zed"),
        ("student", &["A", "student"], None, "one role"),
        ("student", &["A", "B"], Some("ghost"), "ghost"),
    ];
    for (suspect, cands, control, fragment) in cases {
        let req = AnalysisRequest {
            samples: w.samples.clone(),
            suspect: suspect.to_string(),
            candidates: cands.iter().map(|s| s.to_string()).collect(),
            control: control.map(str::to_string),
            ..Default::default()
        };
        let err = analyze(&req, &quick(1), &mut |_, _| {}).unwrap_err();
        assert!(err.to_string().contains(fragment), "{err}");
    }
}

#[test]
fn odd_inputs_give_reports_not_panics() {
    let mk = |src: &str, id: Option<&str>, text: &str| Sample::new(src, id, text);
    // (description, samples)
    let cases: Vec<(&str, Vec<Sample>)> = vec![
        (
            "empty texts",
            vec![
                mk("student", Some("1"), ""),
                mk("A", Some("1"), ""),
                mk("B", Some("1"), ""),
            ],
        ),
        (
            "no prompt ids",
            vec![
                mk("student", None, "Hi there."),
                mk("A", None, "Hello."),
                mk("B", None, "Yo!"),
            ],
        ),
        (
            "emoji and scripts",
            vec![
                mk("student", Some("1"), "🙂🙂 Привіт, світе! 你好。"),
                mk("A", Some("1"), "Привет! 🙂"),
                mk("B", Some("1"), "你好世界"),
            ],
        ),
    ];
    for (name, samples) in cases {
        let req = AnalysisRequest {
            samples,
            suspect: "student".into(),
            candidates: vec!["A".into(), "B".into()],
            ..Default::default()
        };
        let r = analyze(&req, &quick(1), &mut |_, _| {}).unwrap();
        assert!(r.verdict.abstained, "{name}: {}", r.verdict.reason);
        assert!(!r.warnings.is_empty(), "{name}");
        let _ = r.to_json();
        let _ = r.to_markdown();
    }
}

#[test]
fn signals_on_hand_made_cases() {
    // Student copies A's answers verbatim with a suffix; B and C write
    // other things. The signals must rank A first, the overlap evidence
    // must quote a shared span with offsets into both texts, and without a
    // control the verdict is a resemblance to A, not an attribution.
    let w = common::world(21, 30, 0.0);
    let mut samples: Vec<Sample> = w
        .samples
        .iter()
        .filter(|s| s.source != "student" && s.source != "control")
        .cloned()
        .collect();
    let copies: Vec<Sample> = samples
        .iter()
        .filter(|s| s.source == "A")
        .map(|s| Sample {
            source: "student".into(),
            text: format!("{} Hope that helps a lot.", s.text),
            ..s.clone()
        })
        .collect();
    samples.extend(copies);
    // Every signal, not only the default ones, is computed and reported.
    let every_signal = AnalysisOptions {
        signals: PairedSignal::ALL.to_vec(),
        ..quick(1)
    };
    let r = analyze(&request(samples, false), &every_signal, &mut |_, _| {}).unwrap();
    // (signal name, expected first)
    let cases = [
        ("char_ngrams", "A"),
        ("words", "A"),
        ("word_pairs", "A"),
        ("names", "A"),
        ("opening", "A"),
        ("function_words", "A"),
        ("masked_chars", "A"),
        ("verbatim_overlap", "A"),
        ("habits", "A"),
    ];
    for (name, want) in cases {
        let sig = r.signals.iter().find(|s| s.name == name).unwrap();
        assert_eq!(sig.ranking[0], want, "{name}: {:?}", sig.scores);
    }
    let overlap = r
        .signals
        .iter()
        .find(|s| s.name == "verbatim_overlap")
        .unwrap();
    let span = overlap.evidence.iter().find_map(|e| match e {
        Evidence::SharedSpan {
            candidate,
            suspect_span,
            candidate_span,
            words,
            ..
        } if candidate == "A" => Some((*suspect_span, *candidate_span, *words)),
        _ => None,
    });
    let (s, c, words) = span.expect("a shared span with A");
    assert!(words >= 5);
    assert!(s.end > s.start && c.end > c.start);
    common::assert_resemblance(&r);
    assert_eq!(r.verdict.closest, ["A"], "{}", r.verdict.reason);
}

#[test]
fn progress_is_monotone_and_ends_at_one() {
    let w = common::world(8, 20, 0.7);
    let mut seen: Vec<(String, f64)> = Vec::new();
    analyze(&request(w.samples, true), &quick(1), &mut |stage, f| {
        seen.push((stage.to_string(), f))
    })
    .unwrap();
    assert!(seen.windows(2).all(|p| p[0].1 <= p[1].1), "{seen:?}");
    assert_eq!(seen.last().map(|s| s.1), Some(1.0));
    assert!(seen.iter().all(|s| (0.0..=1.0).contains(&s.1)));
}

#[test]
fn identity_leaks_are_listed_with_offsets() {
    let mut samples = common::world(31, 20, 0.5).samples;
    // (text appended to the student's first output, expected named entity)
    let cases = [
        ("I am ChatGPT, a model developed by OpenAI.", "OpenAI"),
        ("Я — Claude, созданный компанией Anthropic.", "Anthropic"),
    ];
    for (n, s) in samples
        .iter_mut()
        .filter(|s| s.source == "student")
        .enumerate()
    {
        if let Some((leak, _)) = cases.get(n) {
            s.text = format!("{} {leak}", s.text);
        }
    }
    let r = analyze(&request(samples.clone(), true), &quick(1), &mut |_, _| {}).unwrap();
    for (leak, entity) in cases {
        let found = r
            .identity_leaks
            .iter()
            .find(|l| l.source == "student" && l.claims.iter().any(|c| c == entity))
            .unwrap_or_else(|| panic!("no leak naming {entity}: {:?}", r.identity_leaks));
        let text = &samples
            .iter()
            .find(|s| s.source == "student" && s.prompt_id == found.prompt_id)
            .unwrap()
            .text;
        assert!(
            leak.contains(&text[found.span.start..found.span.end])
                || text[found.span.start..found.span.end].contains(entity)
        );
    }
}

#[test]
fn passages_quoted_from_the_prompt_are_not_evidence_of_copying() {
    // The student and A both quote their prompt (a long sentence of its own for
    // each prompt; the other candidates do not, so it is no stock phrase)
    // and the student also copies one sentence of A's. With the prompt
    // text given, only the copied sentence is a shared passage; without
    // it, the quote is one too.
    const WORDS: [&str; 12] = [
        "amber", "basalt", "cobalt", "dune", "ember", "fjord", "granite", "heather", "indigo",
        "juniper", "kelp", "lichen",
    ];
    let quote = |p: &str| -> String {
        let n: usize = p.trim_start_matches('p').parse().unwrap();
        (0..24)
            .map(|i| WORDS[(n * 7 + i * 5) % 12])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let copied = "remember that the best time to plant tomatoes is after the last frost has passed";
    let w = common::world(41, 20, 0.0);
    let samples = |prompt: bool| -> Vec<Sample> {
        w.samples
            .iter()
            .filter(|s| s.source != "control")
            .map(|s| {
                let id = s.prompt_id.clone().unwrap();
                let text = if s.source == "A" || s.source == "student" {
                    format!("As you wrote: {}. {} {copied}.", quote(&id), s.text)
                } else {
                    s.text.clone()
                };
                Sample {
                    text,
                    prompt: prompt.then(|| format!("Summarise: {}.", quote(&id))),
                    ..s.clone()
                }
            })
            .collect()
    };
    // (prompt text given, quote reported)
    for (prompt, want_quote) in [(true, false), (false, true)] {
        let r = analyze(&request(samples(prompt), false), &quick(1), &mut |_, _| {}).unwrap();
        let spans: Vec<String> = r
            .signals
            .iter()
            .flat_map(|s| &s.evidence)
            .filter_map(|e| match e {
                Evidence::SharedSpan {
                    candidate, text, ..
                } if candidate == "A" => Some(text.to_lowercase()),
                _ => None,
            })
            .collect();
        let quoted = spans
            .iter()
            .any(|t| WORDS.iter().filter(|w| t.contains(*w)).count() >= 5);
        assert_eq!(quoted, want_quote, "prompt {prompt}: {spans:?}");
        // The quotes are longer, so they crowd the copy out of the five
        // longest passages listed unless they are discounted.
        let copy = spans.iter().any(|t| t.contains("plant tomatoes"));
        assert_eq!(copy, !want_quote, "prompt {prompt}: {spans:?}");
    }
}

#[test]
fn identity_probe_answers_say_what_each_source_claims_to_be() {
    let mut samples = common::world(51, 20, 0.5).samples;
    // (source, answer to "Who are you?")
    let answers = [
        (
            "student",
            "I am ChatGPT, a large language model trained by OpenAI.",
        ),
        ("A", "I'm Claude, an AI assistant made by Anthropic."),
        ("B", "I am a helpful assistant."),
    ];
    for (source, text) in answers {
        samples.push(Sample {
            source: source.into(),
            text: text.into(),
            prompt_id: Some("en-identity-001".into()),
            prompt: Some("Who are you?".into()),
            family: None,
        });
    }
    let r = analyze(&request(samples, true), &quick(1), &mut |_, _| {}).unwrap();
    let by = |s: &str| r.identity_probes.iter().find(|p| p.source == s);
    // (source, expected first name claimed, expected unnamed answers)
    let cases = [
        ("student", Some("ChatGPT"), 0),
        ("A", Some("Claude"), 0),
        ("B", None, 1),
    ];
    for (source, name, unnamed) in cases {
        let p = by(source).unwrap_or_else(|| panic!("no identity summary for {source}"));
        assert_eq!(p.answers, 1, "{source}");
        assert_eq!(p.names.first().map(|n| n.entity.as_str()), name, "{source}");
        assert_eq!(p.unnamed, unnamed, "{source}");
    }
    assert!(by("C").is_none(), "C answered no identity probe");
    assert!(r.to_markdown().contains("What each source says it is"));
}

#[test]
fn a_leak_said_again_and_again_is_one_markdown_line_with_its_count() {
    // Candidate A says the same self-identifying sentence in three answers:
    // the Markdown lists it once, "(3 times)", not three identical lines.
    let mut samples = common::world(52, 20, 0.5).samples;
    let sentence = "I am Claude, an AI assistant made by Anthropic.";
    for s in samples.iter_mut().filter(|s| s.source == "A").take(3) {
        s.text = format!("{sentence} {}", s.text);
    }
    let r = analyze(&request(samples, true), &quick(1), &mut |_, _| {}).unwrap();
    let md = r.to_markdown();
    let lines: Vec<&str> = md.lines().filter(|l| l.contains("I am Claude")).collect();
    assert_eq!(lines.len(), 1, "{md}");
    assert!(lines[0].ends_with("(3 times)"), "{}", lines[0]);
}
