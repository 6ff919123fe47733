//! `lineage passages`: verified shared passages across files, their line
//! numbers, prompt echoes flagged and the per-pair totals.

use crate::cli::{bin, run, tempdir};

fn tempdir_of(name: &str) -> std::path::PathBuf {
    tempdir("passages", name)
}

#[test]
fn passages_finds_verified_shared_passages() {
    let dir = tempdir_of("passages");
    let passage = "the mitochondria is the powerhouse of the cell and it turns sugar and oxygen into the energy that every living cell needs";
    let rec = |source: &str, id: &str, text: &str| {
        serde_json::json!({"source": source, "prompt_id": id, "text": text}).to_string()
    };
    let a = [
        rec(
            "a",
            "1",
            &format!("Rivers carve valleys slowly. {passage}. Then more words follow here."),
        ),
        rec(
            "a",
            "2",
            "Nothing in common with anything else written in this small test corpus.",
        ),
    ];
    let b = [
        "{not json".to_string(),
        rec(
            "b",
            "1",
            &format!(
                "Markets open early. {}! Traders watch.",
                passage.to_uppercase()
            ),
        ),
    ];
    std::fs::write(dir.join("a.jsonl"), a.join("\n")).unwrap();
    std::fs::write(dir.join("b.jsonl"), b.join("\n")).unwrap();
    let d = dir.to_str().unwrap();
    // (arguments, exit code, hits on stdout, fragment on stderr)
    let cases: Vec<(Vec<&str>, i32, usize, &str)> = vec![
        (vec!["passages", d], 0, 1, "1 verified pairs"),
        (
            vec!["passages", d, "--min-words", "23"],
            0,
            0,
            "0 verified pairs",
        ),
        (vec!["passages", d], 0, 1, "b.jsonl:1: malformed json"),
        (
            vec!["passages", d, "--min-words", "0"],
            2,
            0,
            "passages: minWords must be between 1 and 10000, got 0",
        ),
        (
            vec!["passages", d, "--max-bucket", "1"],
            2,
            0,
            "passages: maxBucket must be at least 2, got 1",
        ),
        (
            vec!["passages", "/nonexistent/lineage"],
            2,
            0,
            "neither a file nor a directory",
        ),
    ];
    for (args, code, hits, fragment) in cases {
        let (got, out, err) = run(bin().args(&args));
        assert_eq!(got, code, "{args:?}: {err}");
        assert_eq!(out.lines().count(), hits, "{args:?}: {out}");
        assert!(err.contains(fragment), "{args:?}: {err}");
        for line in out.lines() {
            let h: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(h["words"], 22, "{line}");
            assert_eq!(h["a"]["line"], 1, "{line}");
            assert_eq!(h["b"]["line"], 2, "{line}");
            let text = h["text"].as_str().unwrap();
            assert_eq!(text.to_lowercase(), passage, "{line}");
        }
    }
}

/// A passage both answers take from the prompt is flagged and left out of
/// the per-pair totals; a copied one is counted.
#[test]
fn passages_flag_prompt_echoes_and_add_up_pairs() {
    let dir = tempdir_of("echoes");
    let prompt = "Explain in simple words why the sky looks blue during the day but red and orange at sunset for a curious child";
    let copied = "short blue light bounces off the tiny molecules of the air far more than the long red light does so blue fills the whole sky";
    let rec = |source: &str, text: &str| {
        serde_json::json!({"source": source, "prompt_id": "sky", "prompt": prompt, "text": text})
            .to_string()
    };
    let files = [
        (
            "a",
            format!("You asked me to {prompt}. Here goes: {copied}."),
        ),
        (
            "b",
            format!("Sure! {prompt}? Air scatters sunlight, and at sunset the path is long."),
        ),
        (
            "c",
            format!("Well, {copied}, which is why it looks that way."),
        ),
    ];
    for (source, text) in &files {
        std::fs::write(dir.join(format!("{source}.jsonl")), rec(source, text)).unwrap();
    }
    let (code, out, err) = run(bin().args(["passages", dir.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
    // (pair, prompt echo) of every passage found
    let mut got: Vec<(String, bool)> = out
        .lines()
        .map(|line| {
            let h: serde_json::Value = serde_json::from_str(line).unwrap();
            let pair = format!(
                "{}-{}",
                h["a"]["source"].as_str().unwrap(),
                h["b"]["source"].as_str().unwrap()
            );
            (pair, h["prompt_echo"].as_bool().unwrap())
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [("a-b".to_string(), true), ("a-c".to_string(), false)],
        "{out}"
    );
    // The totals: a × c counted, a × b only as an echo.
    let rows: Vec<Vec<&str>> = err
        .lines()
        .skip_while(|l| !l.starts_with("shared passages by pair"))
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 2, "{err}");
    assert_eq!(rows[0][..3], ["1", "25", "0"], "{err}");
    assert_eq!(rows[0][3..], ["a", "×", "c"], "{err}");
    assert_eq!(rows[1][..3], ["0", "0", "1"], "{err}");
    assert_eq!(rows[1][3..], ["a", "×", "b"], "{err}");
}

#[test]
fn passages_number_every_line() {
    // Record 3 shares one passage with record 1 and another with record 2,
    // so the hits name line 3 before line 2 (pairs come by their first
    // record): each must still carry its own line number.
    let dir = tempdir_of("lines");
    let p = "the mitochondria is the powerhouse of the cell and it turns sugar and oxygen into the energy that every living cell needs";
    let q = "a well designed experiment controls for every variable except the one under study so that any difference can be attributed to it";
    let rec =
        |source: &str, text: &str| serde_json::json!({"source": source, "text": text}).to_string();
    let lines = [
        rec("a", &format!("First. {p}. End.")),
        rec("b", &format!("Second. {q}. End.")),
        rec("c", &format!("Third. {q}. Then. {p}. End.")),
    ];
    std::fs::write(dir.join("x.jsonl"), lines.join("\n")).unwrap();
    let (code, out, err) = run(bin().args(["passages", dir.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
    let mut got: Vec<(u64, u64)> = out
        .lines()
        .map(|l| {
            let h: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                h["a"]["line"].as_u64().unwrap(),
                h["b"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort_unstable();
    assert_eq!(got, [(1, 3), (2, 3)], "{out}");
}
