//! Every figure the documentation publishes has one source,
//! `docs/figures.json`, which the benchmarks write. A doc quotes a figure
//! by writing its key in an HTML comment right before the number:
//!
//! ```text
//! the module is <!--fig:wasmGzipBytes-->588 KB gzip
//! T1 top-1 accuracy **<!--fig:t1SingleAccuracy-->0.608**
//! ```
//!
//! The comment is invisible once the Markdown is rendered. The number
//! after it (commas between thousands allowed, `**`/`*`/`` ` `` around it
//! allowed) must be the figure rounded to the decimals the doc writes; for
//! a key ending in `Bytes` a unit may follow (B, bytes, KB, MB, GB, KiB,
//! MiB, GiB), and the figure is divided by it first. A marker whose key is
//! not in figures.json, a marker with no number after it, and a marker in
//! a code block (where it would show) are errors too.
//!
//! figures.json maps each key to `{"value": number, ...}` (the other
//! fields say what was measured and which script writes it) or to a bare
//! number; keys starting with `_` are comments.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const MARK: &str = "<!--fig:";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The figures of figures.json by key.
fn read_figures(text: &str) -> Result<BTreeMap<String, f64>, String> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("docs/figures.json: {e}"))?;
    let object = json
        .as_object()
        .ok_or("docs/figures.json: not a JSON object")?;
    let mut out = BTreeMap::new();
    for (key, entry) in object {
        if key.starts_with('_') {
            continue;
        }
        let value = entry.get("value").unwrap_or(entry);
        let value = value
            .as_f64()
            .ok_or(format!("docs/figures.json: {key}: value is not a number"))?;
        out.insert(key.clone(), value);
    }
    Ok(out)
}

/// A number as a doc writes it: its value and its decimals.
struct Written {
    value: f64,
    decimals: i32,
    /// What followed the number (for byte units).
    rest: String,
}

/// Reads the number at the start of `s` (after optional emphasis or code
/// marks): digits, commas between groups of three, a decimal part.
fn read_number(s: &str) -> Option<Written> {
    let s = s.trim_start().trim_start_matches(['*', '_', '`']);
    let (negative, s) = match s.strip_prefix('-').or_else(|| s.strip_prefix('−')) {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut digits = String::new();
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_digit() {
            digits.push(c as char);
            i += 1;
        } else if c == b','
            && !digits.is_empty()
            && bytes.len() >= i + 4
            && bytes[i + 1..i + 4].iter().all(u8::is_ascii_digit)
            && !bytes.get(i + 4).is_some_and(u8::is_ascii_digit)
        {
            i += 1; // a thousands separator
        } else {
            break;
        }
    }
    if digits.is_empty() {
        return None;
    }
    let mut decimals = 0;
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        digits.push('.');
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            digits.push(bytes[i] as char);
            decimals += 1;
            i += 1;
        }
    }
    let value: f64 = digits.parse().ok()?;
    Some(Written {
        value: if negative { -value } else { value },
        decimals,
        rest: s[i..].trim_start_matches(['*', '_', '`']).to_string(),
    })
}

/// The divisor of a byte unit at the start of `rest` (1 without one).
fn byte_unit(rest: &str) -> f64 {
    let word: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    match word.as_str() {
        "KB" | "kB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        _ => 1.0,
    }
}

/// Does the written number state `figure`, rounded as written?
fn states(written: &Written, key: &str, figure: f64) -> bool {
    let unit = if key.ends_with("Bytes") {
        byte_unit(&written.rest)
    } else {
        1.0
    };
    let half_step = 0.5 * 10f64.powi(-written.decimals);
    (figure / unit - written.value).abs() <= half_step * (1.0 + 1e-9)
}

/// The errors of one document: each names the file, the line and the key.
fn check_doc(name: &str, text: &str, figures: &BTreeMap<String, f64>) -> Vec<String> {
    let mut errors = Vec::new();
    let mut fenced = false;
    for (n, line) in text.lines().enumerate() {
        let at = format!("{name}:{}", n + 1);
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find(MARK) {
            let after = &rest[start + MARK.len()..];
            let Some(end) = after.find("-->") else {
                errors.push(format!("{at}: a figure marker without its closing -->"));
                break;
            };
            let key = after[..end].trim();
            rest = &after[end + 3..];
            if fenced {
                errors.push(format!(
                    "{at}: figure marker {key} in a code block (it would show)"
                ));
                continue;
            }
            let Some(figure) = figures.get(key) else {
                errors.push(format!("{at}: {key} is not in docs/figures.json"));
                continue;
            };
            match read_number(rest) {
                None => errors.push(format!("{at}: no number after the marker of {key}")),
                Some(w) if !states(&w, key, *figure) => errors.push(format!(
                    "{at}: {key} is written {}{} but docs/figures.json says {figure}",
                    w.value,
                    if key.ends_with("Bytes") && byte_unit(&w.rest) != 1.0 {
                        format!(" (times {})", byte_unit(&w.rest))
                    } else {
                        String::new()
                    }
                )),
                Some(_) => {}
            }
        }
    }
    errors
}

/// README.md and every docs/*.md.
fn documents(root: &Path) -> Vec<PathBuf> {
    let mut docs = vec![root.join("README.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ is readable")
        .map(|e| e.expect("a docs/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

#[test]
fn every_figure_in_the_docs_is_the_one_in_figures_json() {
    let root = root();
    let json = std::fs::read_to_string(root.join("docs/figures.json"))
        .expect("docs/figures.json is readable");
    let figures = read_figures(&json).unwrap_or_else(|e| panic!("{e}"));
    assert!(!figures.is_empty(), "docs/figures.json holds no figure");
    let mut errors = Vec::new();
    let mut quoted = 0;
    for path in documents(&root) {
        let text = std::fs::read_to_string(&path).expect("a doc is readable");
        let name = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        quoted += text.matches(MARK).count();
        errors.extend(check_doc(&name, &text, &figures));
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(quoted > 0, "no doc quotes a figure of docs/figures.json");
}

#[test]
fn every_entry_of_figures_json_says_what_and_who_writes_it() {
    let json = std::fs::read_to_string(root().join("docs/figures.json"))
        .expect("docs/figures.json is readable");
    let json: serde_json::Value = serde_json::from_str(&json).expect("figures.json is JSON");
    for (key, entry) in json.as_object().expect("an object") {
        if key.starts_with('_') {
            continue;
        }
        for field in ["value", "what", "source"] {
            assert!(
                entry.get(field).is_some(),
                "docs/figures.json: {key} has no \"{field}\""
            );
        }
    }
}

/// The matcher itself: a doc with a wrong figure is caught.
#[test]
fn the_matcher_catches_a_wrong_figure() {
    let figures = read_figures(
        r#"{"_note": "ignored", "wasmGzipBytes": {"value": 588089, "what": "x", "source": "y"},
            "t1SingleAccuracy": {"value": 0.6080114}, "runs": 105, "ratio": {"value": 2.12}}"#,
    )
    .unwrap();
    // (line, errors expected)
    let cases: &[(&str, usize)] = &[
        ("<!--fig:wasmGzipBytes-->588 KB gzip", 0),
        ("<!--fig:wasmGzipBytes-->588,089 bytes", 0),
        ("<!--fig:wasmGzipBytes-->588089 B", 0),
        ("<!--fig:wasmGzipBytes-->0.59 MB", 0),
        ("<!--fig:wasmGzipBytes-->574 KiB", 0),
        ("<!--fig:wasmGzipBytes-->559 KB gzip", 1),
        ("<!--fig:wasmGzipBytes-->559,818 bytes", 1),
        ("<!--fig:wasmGzipBytes-->588 MB", 1),
        ("top-1 **<!--fig:t1SingleAccuracy-->0.608**", 0),
        ("top-1 <!--fig:t1SingleAccuracy-->0.61", 0),
        ("top-1 **<!--fig:t1SingleAccuracy-->0.623**", 1),
        ("top-1 <!--fig:t1SingleAccuracy-->0.6081", 1),
        ("in <!--fig:runs-->105 runs, <!--fig:ratio-->2.12x CPU", 0),
        ("in <!--fig:runs-->104 runs, <!--fig:ratio-->2.3x CPU", 2),
        ("`<!--fig:ratio-->2.1`x", 0),
        ("<!--fig:ratio--> 2.1x (a space is fine)", 0),
        ("<!--fig:nope-->1", 1),
        ("<!--fig:runs-->about a hundred", 1),
        ("<!--fig:runs-- 105", 1),
        ("no marker, any number: 0.623", 0),
        ("```\n<!--fig:runs-->105\n```", 1),
        ("<!--fig:runs-->105,", 0),
        ("<!--fig:runs-->1,05", 1),
    ];
    for (text, expected) in cases {
        let errors = check_doc("case.md", text, &figures);
        assert_eq!(errors.len(), *expected, "{text:?}: {errors:?}");
    }
    assert!(read_figures(r#"{"a": {"value": "588"}}"#).is_err());
    assert!(read_figures("[1]").is_err());
}
