//! The auditor's walk-through of docs/CLI.md, command for command, on a
//! small fixture: reference answers published as AlpacaEval results
//! (`model_outputs.json` arrays) are imported, kept as a panel, the
//! suspect (an endpoint on 127.0.0.1 answering like a student of A) is
//! asked exactly the panel's prompts, and the case file is an HTML report
//! that names A, paired prompt by prompt.

use crate::chat_server::{ChatServer, Reply};
use crate::cli::{self, lineage, s};
use crate::common;

use std::collections::BTreeMap;

use serde_json::{json, Value};

const PROMPTS: usize = 40;

#[test]
fn from_published_references_to_a_case_file() {
    let dir = cli::tempdir("e2e", "auditor");
    std::fs::create_dir_all(dir.join("refs")).unwrap();
    let world = common::world(5, PROMPTS, 0.7);
    let instruction = |id: &str| format!("Question {}", &id[1..]);

    // The published results: one model_outputs.json per reference model.
    for model in ["A", "B", "C", "control"] {
        let outputs: Vec<Value> = world
            .samples
            .iter()
            .filter(|x| x.source == model)
            .map(|x| {
                json!({"instruction": instruction(x.prompt_id.as_deref().unwrap()),
                       "output": x.text, "generator": model, "dataset": "fixture"})
            })
            .collect();
        let file = dir.join(format!("{model}_model_outputs.json"));
        std::fs::write(&file, Value::Array(outputs).to_string()).unwrap();
        let out = dir.join("refs").join(format!("{model}.jsonl"));
        let (code, _, err) = lineage(&[
            "import",
            "alpaca-eval",
            s(&file),
            "--source",
            model,
            "--out",
            s(&out),
        ]);
        assert_eq!(code, 0, "import {model}: {err}");
    }
    let panel = dir.join("refs.lineage.jsonl.gz");
    cli::build_panel(&dir.join("refs"), &panel);

    // The suspect's endpoint answers the student's text for each question.
    let answers: BTreeMap<String, String> = world
        .samples
        .iter()
        .filter(|x| x.source == "student")
        .map(|x| (instruction(x.prompt_id.as_deref().unwrap()), x.text.clone()))
        .collect();
    let server = ChatServer::start(move |seen, _| match answers.get(&seen.prompt) {
        Some(text) => Reply::Answer(text.clone()),
        None => Reply::Raw(404, vec![], r#"{"error":{"message":"unknown"}}"#.into()),
    });
    // Asked exactly the panel's prompts.
    let suspect = dir.join("suspect.jsonl");
    let (code, _, err) = lineage(&[
        "collect",
        "--endpoint",
        &server.endpoint,
        "--model",
        "my-model",
        "--prompts",
        s(&panel),
        "--out",
        s(&suspect),
        "--source",
        "suspect",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!("{PROMPTS} new answer(s) of suspect")),
        "{err}"
    );

    // The case file, and the same analysis as JSON to read its figures.
    let analyze = |format: &str| cli::analyze_with_panel(&panel, &suspect, format);
    let (code, html, err) = analyze("html");
    assert_eq!(code, 0, "{err}");
    assert!(
        html.starts_with("<!doctype html>"),
        "{}",
        &html[..80.min(html.len())]
    );
    assert!(!html.contains("<script"), "the case file runs no script");
    let (code, stdout, err) = analyze("json");
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["design"]["paired"], true);
    assert_eq!(report["design"]["sharedPrompts"], PROMPTS);
    assert_eq!(report["verdict"]["top"], "A", "{}", report["verdict"]);
    // The case file opens with the report's headline (HTML-escaped).
    let headline = report["verdict"]["headline"].as_str().unwrap();
    let escaped = headline
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    assert!(html.contains(&escaped), "{headline}");
    let _ = std::fs::remove_dir_all(&dir);
}
