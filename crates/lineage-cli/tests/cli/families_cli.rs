//! Vendor families from the command line: `--family` and `--families` on
//! `lineage analyze` (bad values refused with exit 2, the flags over the
//! file over the records over the built-in table), the terminal summary's
//! first line and its family column, and families kept in a panel's
//! header by `lineage panel build`, listed by `panel show` and used by
//! `analyze --panel` under the user's flags. Synthetic world, quick
//! settings: what is checked is where each family comes from, not the
//! verdict.

use crate::cli;
use crate::common;

use std::path::{Path, PathBuf};

use cli::s;
use serde_json::{json, Value};

fn tempdir(name: &str) -> PathBuf {
    cli::tempdir("fam", name)
}

/// `lineage ARGS...` with a fixed build date (reproducible panels).
fn lineage(args: &[String]) -> (i32, String, String) {
    cli::run(cli::bin().args(args).env("SOURCE_DATE_EPOCH", "1798761599"))
}

/// Splits a case's arguments on spaces (the tests' paths have none).
fn args(line: &str) -> Vec<String> {
    line.split(' ').map(str::to_string).collect()
}

/// The synthetic world, one JSONL file per source; C's records say their
/// family ("Sea"), the others say none.
fn write_world(dir: &Path) {
    let w = common::world(4, 30, 0.7);
    let mut by_source: std::collections::BTreeMap<String, String> = Default::default();
    for smp in &w.samples {
        let mut line = json!({"source": smp.source, "prompt_id": smp.prompt_id, "text": smp.text});
        if smp.source == "C" {
            line["family"] = json!("Sea");
        }
        let body = by_source.entry(smp.source.clone()).or_default();
        body.push_str(&line.to_string());
        body.push('\n');
    }
    for (src, body) in by_source {
        std::fs::write(dir.join(format!("{src}.jsonl")), body).unwrap();
    }
}

/// Quick settings: the families are the point, not the statistics.
const QUICK: &str = "--bootstrap-reps 20 --permutation-reps 20 --no-robustness";

/// (family, familyFrom) of every candidate in a JSON report.
fn families_of(report: &str) -> Vec<(String, String, String)> {
    let report: Value = serde_json::from_str(report).unwrap_or_else(|e| panic!("{e}: {report}"));
    report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["role"] == "candidate")
        .map(|x| {
            let get = |k: &str| x[k].as_str().unwrap_or("null").to_string();
            (get("name"), get("family"), get("familyFrom"))
        })
        .collect()
}

/// Each candidate's (name, family, familyFrom), as a case writes them.
type Families<'a> = &'a [(&'a str, &'a str, &'a str)];

fn owned(rows: Families) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn bad_family_values_are_refused_with_exit_2() {
    let dir = tempdir("bad");
    write_world(&dir);
    let d = s(&dir);
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let array = write("array.json", r#"["A"]"#);
    let number = write("number.json", r#"{"A": 1}"#);
    let text = write("text.txt", "vendor=A");
    let missing = dir.join("missing.json").display().to_string();
    let roles = format!("analyze {d} --suspect student --candidate A --candidate B");
    // (extra arguments; a fragment of stderr)
    let cases: Vec<(String, &str)> = vec![
        (
            "--family vendor".into(),
            "expected FAMILY=SOURCE[,SOURCE...]",
        ),
        ("--family =A".into(), "the family name is empty"),
        ("--family vendor=".into(), "no source named after '='"),
        ("--family vendor=,".into(), "no source named after '='"),
        (
            format!("--families {array}"),
            "the file holds a JSON array; expected a JSON object",
        ),
        (
            format!("--families {number}"),
            r#"the family of "A" is a JSON number, not a string"#,
        ),
        (format!("--families {text}"), "not JSON"),
        (format!("--families {missing}"), "READ_FAILED"),
    ];
    for (extra, fragment) in cases {
        let (code, out, err) = lineage(&args(&format!("{roles} {extra}")));
        assert_eq!(code, 2, "{extra}: {err}");
        assert!(out.is_empty(), "{extra}: {out}");
        assert!(err.contains(fragment), "{extra}: {err}");
        assert!(!err.contains("panicked"), "{extra}: {err}");
    }
}

#[test]
fn families_come_from_flags_then_file_then_records() {
    let dir = tempdir("order");
    write_world(&dir);
    let d = s(&dir);
    let file = dir.join("families.json");
    std::fs::write(&file, r#"{"A": "from-file", "B": "Bee"}"#).unwrap();
    let f = s(&file);
    let base = format!(
        "analyze {d} --suspect student --candidate A --candidate B --candidate C --control control {QUICK} --format json"
    );
    // (extra arguments; each candidate's (name, family, familyFrom))
    let cases: Vec<(String, Families)> = vec![
        (
            String::new(),
            &[
                ("A", "A", "own"),
                ("B", "B", "own"),
                ("C", "sea", "records"),
            ],
        ),
        (
            "--family Vendor=A,C".into(),
            &[
                ("A", "vendor", "user"),
                ("B", "B", "own"),
                ("C", "vendor", "user"),
            ],
        ),
        (
            format!("--families {f}"),
            &[
                ("A", "from-file", "user"),
                ("B", "bee", "user"),
                ("C", "sea", "records"),
            ],
        ),
        // The flag wins over the file; repeated flags add up.
        (
            format!("--families {f} --family flag=A --family other=C"),
            &[
                ("A", "flag", "user"),
                ("B", "bee", "user"),
                ("C", "other", "user"),
            ],
        ),
    ];
    for (extra, want) in cases {
        let line = if extra.is_empty() {
            base.clone()
        } else {
            format!("{base} {extra}")
        };
        let (code, out, err) = lineage(&args(&line));
        assert_eq!(code, 0, "{extra}: {err}");
        assert_eq!(families_of(&out), owned(want), "{extra}");
    }
    // A family for a source that is not analysed is most likely a typo: said.
    let (code, _, err) = lineage(&args(&format!("{base} --family x=ghost")));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(r#"a family is given for "ghost""#), "{err}");
}

#[test]
fn the_summary_starts_with_the_headline_and_shows_families() {
    let dir = tempdir("summary");
    write_world(&dir);
    let d = s(&dir);
    let line = format!(
        "analyze {d} --suspect student --candidate A --candidate B --control control {QUICK} --family vendor=A"
    );
    let (code, json_out, err) = lineage(&args(&format!("{line} --format json")));
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&json_out).unwrap();
    let (code, out, err) = lineage(&args(&format!("{line} --format summary")));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    // The report's own headline first, then what an auditor checks first:
    // the signals' agreement (and the robustness check, when it ran), before
    // the reasons.
    assert_eq!(
        lines[0],
        report["verdict"]["headline"].as_str().unwrap(),
        "{out}"
    );
    assert!(
        lines[1..4].iter().any(|l| l.starts_with("  signals: ")),
        "{out}"
    );
    // (candidate, its family on its ranking line)
    for (candidate, family) in [("A", "vendor"), ("B", "B")] {
        let row = out
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(candidate))
            .unwrap_or_else(|| panic!("no ranking line of {candidate}: {out}"));
        assert_eq!(row.split_whitespace().nth(2), Some(family), "{row}");
    }
}

#[test]
fn panel_families_round_trip_under_the_users_flags() {
    let dir = tempdir("panel");
    write_world(&dir);
    let panel = dir.join("ref.lineage.jsonl.gz");
    let p = s(&panel);
    let inputs: Vec<String> = ["A", "B", "C", "control"]
        .iter()
        .map(|x| dir.join(format!("{x}.jsonl")).display().to_string())
        .collect();
    let inputs = inputs.join(" ");
    // A family for a source the inputs lack is refused, nothing written.
    let (code, _, err) = lineage(&args(&format!(
        "panel build {inputs} --out {p} --family x=ghost"
    )));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(r#"--family names "ghost""#), "{err}");
    assert!(!panel.exists());

    let (code, _, err) = lineage(&args(&format!(
        "panel build {inputs} --out {p} --role control=control --family Vendor=A"
    )));
    assert_eq!(code, 0, "{err}");
    // The header keeps the builder's word and the records' shared family,
    // not the built-in table's guess.
    let (code, out, err) = lineage(&args(&format!("panel show {p} --json")));
    assert_eq!(code, 0, "{err}");
    let header: Value = serde_json::from_str(&out).unwrap();
    let family = |src: &str| -> Value {
        let sources = header["sources"].as_array().unwrap();
        let entry = sources.iter().find(|x| x["source"] == src).unwrap();
        entry.get("family").cloned().unwrap_or(Value::Null)
    };
    // (source, family in the header)
    for (source, want) in [
        ("A", json!("vendor")),
        ("B", Value::Null),
        ("C", json!("sea")),
    ] {
        assert_eq!(family(source), want, "{source}: {out}");
    }
    let (code, out, err) = lineage(&args(&format!("panel show {p}")));
    assert_eq!(code, 0, "{err}");
    let a_line = out
        .lines()
        .find(|l| l.trim_start().starts_with("A "))
        .unwrap();
    assert!(a_line.ends_with("family vendor"), "{out}");

    let student = dir.join("student.jsonl");
    let base = format!(
        "analyze --suspect {} --panel {p} {QUICK} --format json",
        s(&student)
    );
    // (extra arguments; each candidate's (name, family, familyFrom)): the
    // header's families count as the user's word, a flag over them.
    let cases: Vec<(&str, Families)> = vec![
        (
            "",
            &[
                ("A", "vendor", "user"),
                ("B", "B", "own"),
                ("C", "sea", "user"),
            ],
        ),
        (
            "--family mine=A,B",
            &[
                ("A", "mine", "user"),
                ("B", "mine", "user"),
                ("C", "sea", "user"),
            ],
        ),
    ];
    for (extra, want) in cases {
        let (code, out, err) = lineage(&args(format!("{base} {extra}").trim()));
        assert_eq!(code, 0, "{extra}: {err}");
        assert_eq!(families_of(&out), owned(want), "{extra}");
    }
}
