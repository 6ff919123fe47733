//! "Bring only the suspect", end to end with the commands of docs/CLI.md: a
//! chat-completions server on 127.0.0.1 answers like five models (the
//! synthetic world of `common`: teachers A, B, C, a student of A, and a
//! control on the student's base), `lineage collect` gathers the reference
//! answers, `lineage panel build` keeps them as a panel, `lineage collect`
//! gathers the suspect's, and `lineage analyze --panel ... --suspect ...`
//! must rank A first, with the panel's suggested roles.

use crate::chat_server;
use crate::cli;
use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use chat_server::{ChatServer, Reply};
use cli::{lineage, s};
use serde_json::{json, Value};

const PROMPTS: usize = 40;

/// `lineage collect --endpoint E --model M --prompts P --out O EXTRA...`.
fn collect(
    endpoint: &str,
    prompts: &Path,
    model: &str,
    out: &Path,
    extra: &[&str],
) -> (i32, String, String) {
    let mut args = vec!["collect", "--endpoint", endpoint, "--model", model];
    args.extend(["--prompts", s(prompts), "--out", s(out)]);
    args.extend(extra);
    lineage(&args)
}

#[test]
fn from_an_endpoint_to_a_report() {
    let dir = cli::tempdir("e2e", "suspect");
    std::fs::create_dir_all(dir.join("refs")).unwrap();

    // What each "model" answers to each prompt: the world's text for that
    // source and prompt id. Prompt i is "Question i" with id p{i:03}.
    let world = common::world(5, PROMPTS, 0.7);
    let answers: BTreeMap<(String, String), String> = world
        .samples
        .iter()
        .map(|x| {
            let i: usize = x.prompt_id.as_deref().unwrap()[1..].parse().unwrap();
            ((x.source.clone(), format!("Question {i}")), x.text.clone())
        })
        .collect();
    let server = ChatServer::start(move |seen, _| {
        match answers.get(&(seen.model.clone(), seen.prompt.clone())) {
            Some(text) => Reply::Answer(text.clone()),
            None => Reply::Raw(
                404,
                vec![],
                r#"{"error":{"message":"no such model"}}"#.into(),
            ),
        }
    });
    let prompts = dir.join("probes.jsonl");
    let lines: String = (0..PROMPTS)
        .map(|i| {
            json!({"prompt_id": format!("p{i:03}"), "prompt": format!("Question {i}")}).to_string()
                + "\n"
        })
        .collect();
    std::fs::write(&prompts, lines).unwrap();

    // 1. The reference answers, collected once by whoever builds the panel.
    for model in ["A", "B", "C", "control"] {
        let out = dir.join("refs").join(format!("{model}.jsonl"));
        let temperature = ["--temperature", "0.7"];
        let (code, _, err) = collect(&server.endpoint, &prompts, model, &out, &temperature);
        assert_eq!(code, 0, "{model}: {err}");
    }
    let panel = dir.join("reference.lineage.jsonl.gz");
    cli::build_panel(&dir.join("refs"), &panel);

    // 2. The user's three commands: collect the suspect, analyse it
    // against the panel (the panel's `show` is a look, not a step).
    let suspect = dir.join("suspect.jsonl");
    let source = ["--source", "suspect"];
    let (code, _, err) = collect(&server.endpoint, &prompts, "student", &suspect, &source);
    assert_eq!(code, 0, "{err}");
    let (code, shown, err) = lineage(&["panel", "show", s(&panel)]);
    assert_eq!(code, 0, "{err}");
    assert!(shown.contains("160 answers from 4 sources"), "{shown}");
    assert!(shown.contains("probe set probes.jsonl"), "{shown}");
    let (code, stdout, err) = cli::analyze_with_panel(&panel, &suspect, "json");
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&stdout).unwrap();

    // The roles came from the panel's header.
    let roles: BTreeMap<String, String> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["name"].as_str().unwrap().into(),
                x["role"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want: BTreeMap<String, String> = [
        ("A", "candidate"),
        ("B", "candidate"),
        ("C", "candidate"),
        ("control", "control"),
        ("suspect", "suspect"),
    ]
    .into_iter()
    .map(|(a, b)| (a.into(), b.into()))
    .collect();
    assert_eq!(roles, want);
    // Paired prompt by prompt through the probe ids.
    assert_eq!(report["design"]["paired"], true);
    assert_eq!(report["design"]["sharedPrompts"], PROMPTS);
    // The student of A resembles A most.
    assert_eq!(report["verdict"]["top"], "A", "{}", report["verdict"]);
    assert_eq!(report["verdict"]["ranking"][0]["candidate"], "A");
    // Both inputs are listed with their SHA-256.
    let inputs: Vec<&str> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert!(
        inputs.contains(&s(&panel)) && inputs.contains(&s(&suspect)),
        "{inputs:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
