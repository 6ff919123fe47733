//! Running the `lineage` binary, shared by the command-line tests: a fresh
//! temporary directory per test, the command without the API key and
//! proxies of the environment, its exit code and output, JSON Lines read
//! back.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A fresh, empty temporary directory for one test; `group` keeps the
/// directories of one test file together.
pub fn tempdir(group: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lineage-{group}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `lineage` binary, with no API key and no proxy taken from the
/// environment (a test's requests go to its own server on 127.0.0.1).
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lineage"));
    for v in [
        "LINEAGE_API_KEY",
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env_remove(v);
    }
    cmd
}

/// Runs `cmd`: its exit code (-1 when killed), stdout and stderr.
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `lineage ARGS...`, run.
pub fn lineage(args: &[&str]) -> (i32, String, String) {
    run(bin().args(args))
}

/// `lineage panel build REFS -o PANEL --role control=control`: the
/// reference panel of the end-to-end tests, whose control is `control`;
/// fails the test if the command does.
pub fn build_panel(refs: &Path, panel: &Path) {
    let (code, _, err) = lineage(&[
        "panel",
        "build",
        s(refs),
        "-o",
        s(panel),
        "--role",
        "control=control",
    ]);
    assert_eq!(code, 0, "{err}");
}

/// `lineage analyze --panel PANEL --suspect SUSPECT --format FORMAT`, run.
pub fn analyze_with_panel(panel: &Path, suspect: &Path, format: &str) -> (i32, String, String) {
    let args = ["analyze", "--panel", s(panel), "--suspect", s(suspect)];
    lineage(&[&args[..], &["--format", format]].concat())
}

/// A path as an argument (the tests' paths are UTF-8).
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The records of a JSON Lines text (every non-blank line must parse).
pub fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
        .collect()
}
