//! The invariants of ARCHITECTURE.md that a tool can check, checked over
//! the source text (comments excluded): a rule stated in prose alone was
//! broken within weeks. Each rule is a row: what is forbidden, where it is
//! allowed, and the one-off exceptions with the reason they stay.

use std::path::{Path, PathBuf};

struct Rule {
    name: &'static str,
    /// Forbidden fragments of code.
    forbidden: &'static [&'static str],
    /// Files (or folders, ending in `/`) where the fragments are the point.
    home: &'static [&'static str],
    /// `(file, fragment)` exceptions, each with its reason in a comment.
    exceptions: &'static [(&'static str, &'static str)],
}

const RULES: &[Rule] = &[
    Rule {
        name: "only the boundary names wasm-bindgen and the JS types",
        forbidden: &[
            "wasm_bindgen",
            "JsValue",
            "js_sys",
            "web_sys",
            "serde_wasm_bindgen",
        ],
        home: &["crates/lineage-wasm/"],
        exceptions: &[],
    },
    Rule {
        // The Python binding is its own crate (python/), outside src/: the
        // core never names PyO3, as it never names wasm-bindgen.
        name: "only python/ names PyO3",
        forbidden: &["pyo3", "PyResult", "PyErr"],
        home: &[],
        exceptions: &[],
    },
    Rule {
        // `gen_range` over usize draws a u64 natively and a u32 in wasm;
        // stats::below/shuffle draw the same on both.
        name: "random draws go through stats::below / stats::shuffle",
        forbidden: &[
            ".gen::<",
            ".gen(",
            ".gen_range(",
            ".gen_bool(",
            ".gen_ratio(",
            "SliceRandom",
            "thread_rng",
            "from_entropy",
            "OsRng",
        ],
        home: &["src/stats/mod.rs"],
        // Sign flips draw whole u64 words (stats::sign_words), 64 signs a
        // draw, the same stream natively and in wasm.
        exceptions: &[],
    },
    Rule {
        // Every std stable sort instantiates its own driftsort in wasm;
        // crate::sort has one compact sort (unstable sorts of plain keys
        // are allowed: see src/sort.rs).
        name: "stable sorts go through crate::sort",
        forbidden: &[
            ".sort()",
            ".sort_by(",
            ".sort_by_key(",
            ".sort_by_cached_key(",
        ],
        home: &["src/sort.rs"],
        exceptions: &[],
    },
];

/// Files over this many lines are split (a module per concept), with no
/// exception.
const MAX_LINES: usize = 600;

/// The wasm boundary is glue: its files together stay under this many
/// lines (logic it would hold belongs in the core, natively tested).
const MAX_WASM_LINES: usize = 800;

/// The Rust code the rules read: the core and the front ends' sources.
const CODE_DIRS: &[&str] = &["src", "crates/lineage-cli/src", "crates/lineage-wasm/src"];

/// The repository root (the core's manifest directory).
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `path` relative to the root, with `/` separators.
fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The file's code lines, comments dropped (`//` to the end of a line,
/// doc comments included; no rule fragment appears inside a string).
fn code_lines(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split("//").next().unwrap_or("")))
        .collect()
}

#[test]
fn the_architecture_invariants_hold() {
    let mut files = Vec::new();
    for dir in CODE_DIRS {
        rust_files(&root().join(dir), &mut files);
    }
    files.sort();
    let mut broken = Vec::new();
    let mut wasm_lines = 0;
    for path in &files {
        let rel = relative(path);
        let text = std::fs::read_to_string(path).unwrap();
        let lines = text.lines().count();
        if rel.starts_with("crates/lineage-wasm/src/") {
            wasm_lines += lines;
        }
        for rule in RULES {
            if rule
                .home
                .iter()
                .any(|h| rel == *h || (h.ends_with('/') && rel.starts_with(h)))
            {
                continue;
            }
            for (n, line) in code_lines(&text) {
                for f in rule.forbidden {
                    let excepted = rule
                        .exceptions
                        .iter()
                        .any(|(file, frag)| *file == rel && line.contains(frag));
                    if line.contains(f) && !excepted {
                        broken.push(format!("{rel}:{n}: {} ({f})", rule.name));
                    }
                }
            }
        }
    }
    if wasm_lines >= MAX_WASM_LINES {
        broken.push(format!(
            "crates/lineage-wasm/src/: {wasm_lines} lines (at most {} for the boundary: move logic to the core)",
            MAX_WASM_LINES - 1
        ));
    }
    assert!(
        broken.is_empty(),
        "invariants broken:\n{}",
        broken.join("\n")
    );
}

/// No Rust file of the project is over [`MAX_LINES`]: the library, its
/// tests, benches and examples, the Python package and the fuzz targets.
#[test]
fn no_rust_file_is_over_the_length_limit() {
    let mut files = Vec::new();
    for dir in [
        "src",
        "tests",
        "benches",
        "examples",
        "crates",
        "python/src",
        "fuzz/fuzz_targets",
    ] {
        if root().join(dir).is_dir() {
            rust_files(&root().join(dir), &mut files);
        }
    }
    assert!(files.len() > 100, "found only {} Rust files", files.len());
    let mut long: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let lines = std::fs::read_to_string(path).unwrap().lines().count();
            let rel = relative(path);
            (lines > MAX_LINES)
                .then(|| format!("{rel}: {lines} lines (split it, at most {MAX_LINES})"))
        })
        .collect();
    long.sort();
    assert!(long.is_empty(), "files too long:\n{}", long.join("\n"));
}

/// The checker itself can fail: each rule catches a line written to break it.
#[test]
fn each_rule_catches_its_fragment() {
    let cases = [
        ("let v: JsValue = x;", 0),
        ("use pyo3::prelude::*;", 1),
        ("let b = r.gen_range(0..n);", 2),
        ("v.sort_by(|a, b| a.cmp(b));", 3),
    ];
    for (line, rule) in cases {
        let hit = code_lines(line)
            .iter()
            .any(|(_, l)| RULES[rule].forbidden.iter().any(|f| l.contains(f)));
        assert!(hit, "{line} escapes {}", RULES[rule].name);
    }
    assert!(code_lines("// v.sort()")
        .iter()
        .all(|(_, l)| !l.contains(".sort()")));
}

/// The core's top-level modules (`src/x.rs` or `src/x/`) each file of
/// `text` names through `crate::` paths, `use crate::{a, b::c}` included;
/// comments are not code.
fn crate_refs(text: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for (_, line) in code_lines(text) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group.split('}').next().unwrap_or("").split(',').collect(),
                None => vec![rest],
            };
            for name in names {
                let module: String = name
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !module.is_empty() {
                    out.insert(module);
                }
            }
        }
    }
    out
}

/// A circle in `edges` (module → the modules it names), or None: a
/// depth-first search that meets a module still on its path.
fn find_circle(
    edges: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
) -> Option<Vec<String>> {
    fn visit(
        at: &str,
        edges: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == at) {
            let mut circle = path[start..].to_vec();
            circle.push(at.to_string());
            return Some(circle);
        }
        if done.contains(at) {
            return None;
        }
        path.push(at.to_string());
        for next in edges.get(at).into_iter().flatten() {
            if let Some(circle) = visit(next, edges, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(at.to_string());
        None
    }
    let mut done = std::collections::BTreeSet::new();
    edges
        .keys()
        .find_map(|m| visit(m, edges, &mut Vec::new(), &mut done))
}

/// The core's modules import one another in one direction: the layers of
/// ARCHITECTURE.md (text → features → profile, signals → analysis →
/// checks, workspace, eval), no circle between two top-level modules.
#[test]
fn the_core_modules_import_in_one_direction() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut edges: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for path in &files {
        let rel = relative(path);
        let module = rel["src/".len()..]
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let mut named = crate_refs(&text);
        named.remove(&module);
        edges.entry(module).or_default().extend(named);
    }
    assert!(edges.len() > 10, "read only {} modules", edges.len());
    if let Some(circle) = find_circle(&edges) {
        panic!(
            "the core's modules import in a circle: {}",
            circle.join(" -> ")
        );
    }
}

/// The circle finder itself: cases of (module, named modules) rows and
/// the circle expected.
#[test]
fn the_circle_finder_finds_circles() {
    let graph = |rows: &[(&str, &[&str])]| {
        rows.iter()
            .map(|(m, to)| (m.to_string(), to.iter().map(|t| t.to_string()).collect()))
            .collect::<std::collections::BTreeMap<String, std::collections::BTreeSet<String>>>()
    };
    type Rows<'a> = &'a [(&'a str, &'a [&'a str])];
    let cases: [(Rows, Option<&str>); 4] = [
        (&[("a", &["b"]), ("b", &["c"])], None),
        (&[("a", &["b"]), ("b", &["a"])], Some("a -> b -> a")),
        (
            &[
                ("options", &["analysis"]),
                ("analysis", &["signals"]),
                ("signals", &["options"]),
            ],
            Some("analysis -> signals -> options -> analysis"),
        ),
        (&[("a", &["b", "c"]), ("b", &["c"]), ("c", &[])], None),
    ];
    for (rows, want) in cases {
        let got = find_circle(&graph(rows)).map(|c| c.join(" -> "));
        assert_eq!(got.as_deref(), want, "{rows:?}");
    }
    let refs = crate_refs("use crate::{a, b::c};\nlet x = crate::d::e(); // crate::f");
    assert_eq!(refs.into_iter().collect::<Vec<_>>(), ["a", "b", "d"]);
}
