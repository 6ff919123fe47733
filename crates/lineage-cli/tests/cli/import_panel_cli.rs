//! `lineage import` and `lineage panel` from the command line: AlpacaEval
//! and generic files imported (ids paired with the development data when
//! it is beside the repository, skipped otherwise), bad elements named and
//! nothing written, panels built, shown and refused when damaged (wrong
//! header, unknown version, truncated gzip) with the file and line.

use crate::cli;

use std::io::Write;
use std::path::{Path, PathBuf};

use cli::s;
use serde_json::{json, Value};

fn tempdir(name: &str) -> PathBuf {
    cli::tempdir("imp", name)
}

/// `lineage ARGS...` with a fixed build date, so that panels are reproducible.
fn lineage(args: &[&str]) -> (i32, String, String) {
    cli::run(cli::bin().args(args).env("SOURCE_DATE_EPOCH", "1798761599"))
}

fn lines(text: &str) -> Vec<Value> {
    cli::json_lines(text)
}

#[test]
fn alpaca_eval_import_pairs_with_the_dev_data() {
    let dir = tempdir("alpaca");
    let dev =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/alpaca_eval_dev/claude-2.jsonl");
    // Real instructions and ids when the dev data is there, else one
    // instruction whose id the data's README gives.
    let known: Vec<(String, String)> = match std::fs::read_to_string(&dev) {
        Ok(t) => t
            .lines()
            .take(5)
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                (
                    v["prompt"].as_str().unwrap().into(),
                    v["prompt_id"].as_str().unwrap().into(),
                )
            })
            .collect(),
        Err(_) => {
            eprintln!(
                "dev data absent ({}): checking the documented id only",
                dev.display()
            );
            vec![(
                "How did US states get their names?".into(),
                "08a2161485c1".into(),
            )]
        }
    };
    let outputs: Vec<Value> = known
        .iter()
        .map(|(q, _)| json!({"instruction": q, "output": format!("An answer to {q}"), "generator": "my-model", "dataset": "helpful_base"}))
        .chain([json!({"instruction": "Empty one", "output": "", "generator": "my-model", "dataset": "x"})])
        .collect();
    let file = dir.join("model_outputs.json");
    std::fs::write(&file, serde_json::to_string_pretty(&outputs).unwrap()).unwrap();
    let out = dir.join("imported.jsonl");
    let (code, _, err) = lineage(&["import", "alpaca-eval", s(&file), "--out", s(&out)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 empty text(s) left out"), "{err}");
    let recs = lines(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(recs.len(), known.len());
    for (r, (q, id)) in recs.iter().zip(&known) {
        assert_eq!(r["prompt_id"], id.as_str());
        assert_eq!(r["prompt"], q.as_str());
        assert_eq!(r["source"], "my-model");
        assert_eq!(r["meta"]["dataset"], "helpful_base");
    }
    // The output is an analysis input: the CLI reads it.
    let (code, stdout, err) = lineage(&["import", "alpaca-eval", s(&file), "--source", "renamed"]);
    assert_eq!(code, 0, "{err}");
    assert!(lines(&stdout).iter().all(|r| r["source"] == "renamed"));
    // An existing --out is never overwritten.
    let (code, _, err) = lineage(&["import", "alpaca-eval", s(&file), "--out", s(&out)]);
    assert_eq!(code, 2);
    assert!(err.contains("exists"), "{err}");
}

#[test]
fn bad_imports_name_the_element_and_write_nothing() {
    let dir = tempdir("badimport");
    let good = dir.join("good.json");
    std::fs::write(
        &good,
        r#"[{"instruction":"a","output":"x","generator":"g"}]"#,
    )
    .unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"[{"instruction":"a","output":"x","generator":"g"},{"instruction":"b","output":7,"generator":"g"}]"#,
    )
    .unwrap();
    let cut = dir.join("cut.json");
    std::fs::write(&cut, "[\n  {\"instruction\": \"a\",\n").unwrap();
    let csv = dir.join("t.csv");
    std::fs::write(&csv, "q,a\nhello,world\nshort\n").unwrap();
    let out = dir.join("out.jsonl");
    // (args, fragment on stderr)
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["import", "alpaca-eval", s(&good), s(&bad), "--out", s(&out)],
            format!(
                "{}: element [1]: \"output\" (the text) is not a string",
                s(&bad)
            ),
        ),
        (
            vec!["import", "alpaca-eval", s(&cut), "--out", s(&out)],
            format!("{}:3: malformed JSON", s(&cut)),
        ),
        (
            vec![
                "import",
                "generic",
                s(&csv),
                "--text-field",
                "a",
                "--prompt-field",
                "q",
                "--source",
                "x",
                "--out",
                s(&out),
            ],
            format!("{}:3: malformed csv record", s(&csv)),
        ),
        (
            vec![
                "import",
                "generic",
                s(&good),
                "--text-field",
                "output",
                "--out",
                s(&out),
            ],
            "no source: name a --source-field or give --source".into(),
        ),
    ];
    for (args, fragment) in cases {
        let (code, _, err) = lineage(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(&fragment), "{fragment}: {err}");
        assert!(err.contains("nothing was written"), "{err}");
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
    let (code, stdout, err) = lineage(&[
        "import",
        "generic",
        s(&good),
        "--text-field",
        "output",
        "--prompt-field",
        "instruction",
        "--source-field",
        "generator",
        "--id-field",
        "instruction",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines(&stdout)[0]["prompt_id"], "a");
}

/// Two sources of JSONL records as `lineage collect` writes them.
fn write_sources(dir: &Path) -> (PathBuf, PathBuf) {
    let rec = |src: &str, i: usize| {
        json!({"source": src, "prompt_id": format!("p{i}"), "prompt": format!("prompt {i}"),
               "text": format!("{src} says {i}"),
               "meta": {"collector": "lineage collect", "model": src, "response_model": format!("{src}-2024"),
                        "temperature": 0.7, "endpoint": "http://127.0.0.1:1/v1", "collected_at": "2026-11-29T10:00:00Z",
                        "prompt_file": "probes.jsonl", "prompt_file_sha256": "abcdef0123456789"}})
        .to_string()
    };
    let a = dir.join("a.jsonl");
    let b = dir.join("b.jsonl");
    std::fs::write(
        &a,
        (0..5).map(|i| rec("alpha", i) + "\n").collect::<String>(),
    )
    .unwrap();
    std::fs::write(
        &b,
        (0..4).map(|i| rec("beta", i) + "\n").collect::<String>(),
    )
    .unwrap();
    (a, b)
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn gunzip(bytes: &[u8]) -> String {
    let mut s = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(bytes), &mut s).unwrap();
    s
}

#[test]
fn panel_build_and_show() {
    let dir = tempdir("panel");
    let (a, b) = write_sources(&dir);
    let panel = dir.join("ref.lineage.jsonl.gz");
    let (code, _, err) = lineage(&[
        "panel",
        "build",
        s(&a),
        s(&b),
        "-o",
        s(&panel),
        "--role",
        "beta=control",
    ]);
    assert_eq!(code, 0, "{err}");
    let text = gunzip(&std::fs::read(&panel).unwrap());
    let all = lines(&text);
    let h = &all[0];
    assert_eq!(h["lineage_panel"], 1);
    assert_eq!(h["name"], "ref");
    assert_eq!(h["created"], "2026-12-31T23:59:59Z", "SOURCE_DATE_EPOCH");
    assert_eq!(h["records"], 9);
    assert_eq!(h["probe_set"]["id"], "probes.jsonl");
    assert_eq!(h["sources"][0]["source"], "alpha");
    assert_eq!(h["sources"][0]["role"], "candidate");
    assert_eq!(h["sources"][0]["model"], "alpha-2024");
    assert_eq!(h["sources"][0]["collection"]["temperature"], 0.7);
    assert_eq!(h["sources"][1]["role"], "control");
    assert_eq!(all.len(), 10);
    assert_eq!(all[1]["source"], "alpha");
    // The same inputs and date give the same file.
    let again = dir.join("again.lineage.jsonl.gz");
    lineage(&[
        "panel",
        "build",
        s(&a),
        s(&b),
        "-o",
        s(&again),
        "--name",
        "ref",
        "--role",
        "beta=control",
    ]);
    assert_eq!(
        std::fs::read(&panel).unwrap(),
        std::fs::read(&again).unwrap()
    );

    let (code, stdout, err) = lineage(&["panel", "show", s(&panel)]);
    assert_eq!(code, 0, "{err}");
    for fragment in [
        "panel \"ref\" (schema 1), built 2026-12-31T23:59:59Z",
        "probe set probes.jsonl (sha256 abcdef012345)",
        "9 answers from 2 sources",
        "alpha  candidate      5 answers  model alpha-2024",
        "beta   control        4 answers  model beta-2024",
        "lineage collect, http://127.0.0.1:1/v1, temperature 0.7, 2026-11-29T10:00:00Z",
    ] {
        assert!(stdout.contains(fragment), "{fragment}:\n{stdout}");
    }
    let (code, stdout, _) = lineage(&["panel", "show", s(&panel), "--json"]);
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&stdout).unwrap()["records"],
        9
    );
}

#[test]
fn damaged_panels_are_refused_with_file_and_line() {
    let dir = tempdir("damaged");
    let (a, b) = write_sources(&dir);
    let panel = dir.join("ref.lineage.jsonl.gz");
    let (code, _, err) = lineage(&["panel", "build", s(&a), s(&b), "-o", s(&panel)]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&panel).unwrap();
    let text = gunzip(&bytes);
    let body = text.split_once('\n').unwrap().1;
    let write = |name: &str, data: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, data).unwrap();
        p
    };
    // (file, fragment)
    let cases: Vec<(PathBuf, String)> = vec![
        (
            write("trunc.lineage.jsonl.gz", &bytes[..bytes.len() / 2]),
            "the gzip stream ends early".into(),
        ),
        (
            write("records.lineage.jsonl.gz", &gz(body.as_bytes())),
            "records.lineage.jsonl.gz:1: not a Lineage panel".into(),
        ),
        (
            write(
                "v9.lineage.jsonl.gz",
                &gz(text
                    .replacen("\"lineage_panel\":1", "\"lineage_panel\":9", 1)
                    .as_bytes()),
            ),
            "v9.lineage.jsonl.gz:1: unknown panel schema version 9".into(),
        ),
        (
            write(
                "badline.lineage.jsonl.gz",
                &gz(text
                    .replacen("\"text\":\"beta says 2\"", "\"text\":2", 1)
                    .as_bytes()),
            ),
            "badline.lineage.jsonl.gz:9: bad answer: \"text\" is not a string".into(),
        ),
        (
            write("plain.lineage.jsonl.gz", text.as_bytes()),
            "not gzip-compressed".into(),
        ),
    ];
    let suspect = dir.join("suspect.jsonl");
    std::fs::write(
        &suspect,
        "{\"source\":\"s\",\"prompt_id\":\"p0\",\"text\":\"hello\"}\n",
    )
    .unwrap();
    for (file, fragment) in cases {
        for args in [
            vec!["panel", "show", s(&file)],
            vec!["analyze", "--panel", s(&file), "--suspect", s(&suspect)],
        ] {
            let (code, _, err) = lineage(&args);
            assert_eq!(code, 2, "{args:?}: {err}");
            assert!(err.contains(&fragment), "{fragment}: {err}");
        }
    }
    // Builds that are refused write nothing: (inputs and options, message).
    std::fs::write(&b, "{\"source\":\"beta\",\"text\":\"x\"}\n{\"source\":\n").unwrap();
    let out = dir.join("new.lineage.jsonl.gz");
    let malformed = format!("{}:2: malformed json", s(&b));
    let cases: [(Vec<&str>, &str); 3] = [
        (vec![s(&a), s(&b)], &malformed),
        (
            vec![s(&a), "--role", "nobody=control"],
            "\"nobody\", which is not a source",
        ),
        (
            vec![s(&a), "--role", "alpha=teacher"],
            "expected SOURCE=candidate or SOURCE=control",
        ),
    ];
    for (args, fragment) in cases {
        let mut all = vec!["panel", "build", "-o", s(&out)];
        all.extend(args);
        let (code, _, err) = lineage(&all);
        assert_eq!(code, 2, "{all:?}");
        assert!(err.contains(fragment), "{fragment}: {err}");
        assert!(!out.exists(), "{all:?}");
    }
}
