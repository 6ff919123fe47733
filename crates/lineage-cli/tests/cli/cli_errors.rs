//! The CLI's errors and outputs: missing files, malformed lines (reported
//! with their line number, the rest still read), unknown source names, and
//! a successful run in both formats. Synthetic inputs written to a
//! temporary directory; no development data.

use crate::cli;
use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use cli::{bin, run};

/// A fresh temporary directory for one test.
fn tempdir(name: &str) -> PathBuf {
    cli::tempdir("cli", name)
}

/// Writes the synthetic world as one JSONL file per source.
fn write_world(dir: &Path, prompts: usize) {
    let w = common::world(4, prompts, 0.7);
    let mut by_source: std::collections::BTreeMap<String, String> = Default::default();
    for s in &w.samples {
        let line = serde_json::json!({
            "source": s.source,
            "prompt_id": s.prompt_id,
            "text": s.text,
        });
        let e = by_source.entry(s.source.clone()).or_default();
        e.push_str(&line.to_string());
        e.push('\n');
    }
    for (src, body) in by_source {
        std::fs::write(dir.join(format!("{src}.jsonl")), body).unwrap();
    }
}

/// `lineage analyze --suspect <suspect> --candidate A.jsonl --candidate B.jsonl
/// --unpaired` (the worlds here are small: 12 prompts).
fn analyze_student_vs_a_b(dir: &Path, suspect: &Path) -> Command {
    let mut cmd = bin();
    cmd.args(["analyze", "--unpaired"])
        .arg("--suspect")
        .arg(suspect);
    for c in ["A.jsonl", "B.jsonl"] {
        cmd.arg("--candidate").arg(dir.join(c));
    }
    cmd
}

#[test]
fn errors_name_the_problem() {
    let dir = tempdir("errors");
    write_world(&dir, 12);
    let d = dir.to_str().unwrap();
    let missing = dir.join("nope.jsonl");
    let missing = missing.to_str().unwrap();
    let missing_dir = dir.join("missing-dir");
    let missing_dir = missing_dir.to_str().unwrap();
    let roles = "--suspect student --candidate A";
    // (arguments, split on spaces; exit code; fragment expected on stderr)
    let cases: Vec<(String, i32, &str)> = vec![
        (
            format!("analyze --suspect {missing} --candidate A --candidate B {d}"),
            2,
            "READ_FAILED: cannot read",
        ),
        (
            format!("analyze {d} {roles} --candidate ghost"),
            2,
            "UNKNOWN_SOURCE: unknown source name(s): ghost",
        ),
        (
            format!("analyze {d} {roles} --candidate B --alpha 7"),
            2,
            "alpha must be a number in (0, 0.5], got 7",
        ),
        (
            format!("analyze {d} {roles} --candidate B --min-paired 0"),
            2,
            "minPaired must be a whole number in [1, 1000000], got 0",
        ),
        (
            format!("analyze {d} {roles}"),
            2,
            "BAD_ROLES: at least two candidates are needed",
        ),
        (
            format!("analyze {d} {roles} --candidate B"),
            2,
            "BAD_ARGUMENT: the suspect and the other sources answer only 12 prompt(s) in common (30 or more",
        ),
        (
            format!("analyze {d} {roles} --candidate B --unpaired --format json"),
            0,
            "",
        ),
        (format!("eval {d} --candidates A,B,phantom"), 2, "phantom"),
        (
            format!("eval {missing_dir} --candidates A,B"),
            2,
            "missing-dir",
        ),
    ];
    for (args, code, fragment) in cases {
        let (got, _, err) = run(bin().args(args.split(' ')));
        assert_eq!(got, code, "{args:?}: {err}");
        assert!(err.contains(fragment), "{args:?}: {err}");
    }
}

#[test]
fn malformed_lines_are_reported_and_skipped() {
    let dir = tempdir("malformed");
    write_world(&dir, 12);
    // Break line 3 of the student's file and add a record without text.
    let path = dir.join("student.jsonl");
    let mut lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines[2] = "{not json".into();
    lines.push("{\"source\":\"student\"}".into());
    std::fs::write(&path, lines.join("\n")).unwrap();
    let (code, out, err) = run(analyze_student_vs_a_b(&dir, &path).args(["--format", "json"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("student.jsonl:3:"), "{err}");
    assert!(err.contains("student.jsonl:13:"), "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["sources"][0]["samples"], 11);
    let warnings = report["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w["code"] == "malformed_input"));
    // Inputs are listed by name, whatever the order they were read in.
    let inputs = report["inputs"].as_array().unwrap();
    let student = inputs
        .iter()
        .find(|i| i["name"].as_str().unwrap().ends_with("student.jsonl"))
        .unwrap();
    assert_eq!(student["malformedLines"], 2);
    assert_eq!(student["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn analyze_by_name_in_a_directory_and_csv() {
    let dir = tempdir("byname");
    write_world(&dir, 30);
    let d = dir.to_str().unwrap();
    let (code, out, err) = run(bin().args([
        "analyze",
        d,
        "--suspect",
        "student",
        "--candidate",
        "A",
        "--candidate",
        "B",
        "--candidate",
        "C",
        "--control",
        "control",
        "--format",
        "md",
        "--seed",
        "3",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("# "), "{out}");
    assert!(out.contains("Lineage report"), "{out}");
    assert!(out.contains("Seed 3"), "{out}");

    // The same suspect as CSV (source,text,prompt_id).
    let csv_path = dir.join("suspect.csv");
    let mut w = csv::Writer::from_path(&csv_path).unwrap();
    w.write_record(["source", "text", "prompt_id"]).unwrap();
    for s in common::world(4, 30, 0.7)
        .samples
        .iter()
        .filter(|s| s.source == "student")
    {
        w.write_record([
            "student2",
            s.text.as_str(),
            s.prompt_id.as_deref().unwrap_or(""),
        ])
        .unwrap();
    }
    w.flush().unwrap();
    let (code, out, err) = run(bin().args([
        "analyze",
        d,
        "--suspect",
        csv_path.to_str().unwrap(),
        "--candidate",
        "A",
        "--candidate",
        "B",
    ]));
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["sources"][0]["name"], "student2");
}

#[test]
fn eval_json_has_the_documented_keys() {
    let dir = tempdir("eval");
    write_world(&dir, 40);
    let d = dir.to_str().unwrap();
    let args = format!("eval {d} --candidates A,B,C --suspects student:A:control,control:- --json");
    let (code, out, err) = run(bin().args(args.split(' ')));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in [
        "candidates",
        "single_accuracy",
        "batch10_accuracy",
        "n_single",
        "n_batches",
    ] {
        assert!(!v["t1"][key].is_null(), "t1.{key}");
    }
    let t2 = v["t2"].as_array().unwrap();
    assert_eq!(t2.len(), 2);
    for key in ["suspect", "ranking", "p_value", "abstained", "reason"] {
        assert!(!t2[0][key].is_null(), "t2.{key}");
    }
    assert_eq!(t2[0]["teacher"], "A");
    assert!(t2[1]["teacher"].is_null());
    assert!(t2[1]["teacher_rank"].is_null());
    assert!(v["seconds"].as_f64().is_some());
}

/// Hostile files given as the suspect: each is read (with a warning) or
/// refused with a clear error, never a panic.
#[test]
fn hostile_suspect_files_table() {
    let dir = tempdir("hostile");
    write_world(&dir, 12);
    let good = std::fs::read(dir.join("student.jsonl")).unwrap();
    let crlf: Vec<u8> = String::from_utf8(good.clone())
        .unwrap()
        .replace('\n', "\r\n")
        .into_bytes();
    let mut bad_utf8 = good.clone();
    bad_utf8.extend_from_slice(
        b"{\"source\":\"student\",\"prompt_id\":\"p999\",\"text\":\"caf\xe9 ol\xe9\"}\n",
    );
    let first_bad =
        good.len() + b"{\"source\":\"student\",\"prompt_id\":\"p999\",\"text\":\"caf".len();
    let mut duplicated = good.clone();
    duplicated.extend_from_slice(b"{\"source\":\"student\",\"prompt_id\":\"p000\",\"text\":\"A second answer to the first prompt.\"}\n");
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(&crlf);
    let pathological: String = [
        "x".repeat(200_000),
        "🎉".repeat(5_000),
        "?!.,;".repeat(5_000),
        "שלום עולם مرحبا hello ".repeat(500),
        format!("a{}", "\u{301}".repeat(20_000)),
        "nul\0and\u{7}controls\u{1b}[31m".repeat(500),
        "lone\rcarriage\rreturns".repeat(500),
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| {
        serde_json::json!({"source": "student", "prompt_id": format!("p{i:03}"), "text": t})
            .to_string()
            + "\n"
    })
    .collect();
    // (name, file bytes, exit code, fragments on stderr, report warning code)
    type Case<'a> = (&'a str, Vec<u8>, i32, Vec<String>, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (
            "empty file",
            vec![],
            2,
            vec!["EMPTY_INPUT".into(), "holds no record".into()],
            None,
        ),
        ("CRLF endings", crlf, 0, vec![], None),
        ("BOM and CRLF", bom, 0, vec![], None),
        (
            "invalid UTF-8",
            bad_utf8,
            0,
            vec![format!(
                "student.jsonl:13: invalid UTF-8 at byte {first_bad}"
            )],
            Some("invalid_utf8"),
        ),
        (
            "duplicate prompt",
            duplicated,
            0,
            vec![],
            Some("duplicate_prompt"),
        ),
        (
            "pathological texts",
            pathological.into_bytes(),
            0,
            vec![],
            None,
        ),
    ];
    for (name, bytes, want_code, fragments, warning) in cases {
        let path = dir.join("student.jsonl");
        std::fs::write(&path, &bytes).unwrap();
        let (code, out, err) = run(&mut analyze_student_vs_a_b(&dir, &path));
        assert_eq!(code, want_code, "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        for f in &fragments {
            assert!(err.contains(f.as_str()), "{name}: {f:?} not in {err}");
        }
        if code == 0 {
            let report: serde_json::Value = serde_json::from_str(&out).unwrap();
            let codes: Vec<&str> = report["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|w| w["code"].as_str())
                .collect();
            if let Some(w) = warning {
                assert!(codes.contains(&w), "{name}: {codes:?}");
            }
        }
    }
}

/// A 50 MB JSONL file: read, then refused with TOO_LARGE past the analysis
/// limits the user gives (without --size-limit-mib the limits follow the
/// machine's memory), and a 300 MB file refused before it is read.
/// Written to the temporary directory and removed afterwards.
#[test]
fn large_inputs_are_refused_cleanly() {
    let dir = tempdir("large");
    let big = dir.join("big.jsonl");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        let text = "All work and no play makes a model a dull writer, and so on. ".repeat(100);
        let mut written = 0usize;
        let mut i = 0usize;
        while written < 50_000_000 {
            let line = serde_json::json!({"source": format!("s{}", i % 10), "prompt_id": format!("p{}", i / 10), "text": text}).to_string();
            writeln!(f, "{line}").unwrap();
            written += line.len() + 1;
            i += 1;
        }
    }
    let sparse = dir.join("huge.jsonl");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    let b = big.to_str().unwrap();
    let candidates: Vec<String> = (1..10)
        .flat_map(|i| ["--candidate".to_string(), format!("s{i}")])
        .collect();
    // (name, arguments, fragment on stderr)
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "all sources",
            [
                vec![
                    "analyze".into(),
                    b.into(),
                    "--suspect".into(),
                    "s0".into(),
                    "--size-limit-mib".into(),
                    "16".into(),
                ],
                candidates,
            ]
            .concat(),
            "the limit of one analysis",
        ),
        (
            "a 300 MB file",
            vec![
                "analyze".into(),
                sparse.to_str().unwrap().into(),
                "--suspect".into(),
                "s0".into(),
                "--candidate".into(),
                "s1".into(),
                "--candidate".into(),
                "s2".into(),
            ],
            "input files over 256 MiB are refused",
        ),
    ];
    for (name, args, fragment) in cases {
        let (code, out, err) = run(bin().args(&args));
        assert_eq!(code, 2, "{name}: {err}");
        assert!(out.is_empty(), "{name}");
        assert!(
            err.contains("TOO_LARGE") && err.contains(fragment),
            "{name}: {err}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_closed_output_pipe_ends_every_command_quietly() {
    // `lineage ... | head -1`: the reader takes one line and goes away.
    // Each command must stop with status 0 and nothing on stderr, like a
    // Unix tool, however much it still had to write.
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempdir("pipes");
    // Two sources sharing long passages on many prompts: far more output
    // than a pipe's buffer, so the writer meets the closed pipe.
    let passage = "the quick brown fox jumps over the lazy dog while the river runs past the old mill and the miller counts his sacks of grain one by one";
    for source in ["a", "b"] {
        let body: String = (0..1500)
            .map(|p| {
                let text = format!("Answer {p}: {passage} number {p} {passage}.");
                format!(
                    "{}\n",
                    serde_json::json!({"source": source, "prompt_id": format!("p{p}"), "text": text})
                )
            })
            .collect();
        std::fs::write(dir.join(format!("{source}.jsonl")), body).unwrap();
    }
    let panel = dir.join("panel.jsonl.gz");
    let (code, _, err) = run(bin().args([
        "panel",
        "build",
        cli::s(&dir.join("a.jsonl")),
        cli::s(&dir.join("b.jsonl")),
        "-o",
        cli::s(&panel),
    ]));
    assert_eq!(code, 0, "{err}");
    // (command, arguments)
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "passages",
            vec![
                "passages".into(),
                dir.join("a.jsonl").display().to_string(),
                dir.join("b.jsonl").display().to_string(),
            ],
        ),
        (
            "panel show",
            vec!["panel".into(), "show".into(), panel.display().to_string()],
        ),
    ];
    // The reader goes after one line, or before the first (head's race).
    for (name, args) in cases {
        for read_first in [true, false] {
            let mut child = bin()
                .args(&args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let reader = child.stdout.take().unwrap();
            if read_first {
                let mut first = String::new();
                BufReader::new(reader).read_line(&mut first).unwrap();
                assert!(!first.is_empty(), "{name}: no first line");
            } else {
                drop(reader);
            }
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
            assert!(
                !stderr.contains("error") && !stderr.contains("panicked"),
                "{name}: {stderr}"
            );
        }
    }
}
