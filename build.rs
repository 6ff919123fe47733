//! Compiles in the identity probes of the probe set: the analysis only
//! needs their prompt ids and prompts (to recognise answers to them), and
//! the whole set (200 prompts, 45 KB) would cost the wasm module about
//! 10 KB of its gzip budget. The probe set file stays the one source: this
//! reads it at build time and writes `identity_probes.rs` into OUT_DIR.

use std::fmt::Write;

const PROBE_SET: &str = "probes/lineage-probes-v1.jsonl";

fn main() {
    println!("cargo:rerun-if-changed={PROBE_SET}");
    println!("cargo:rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(PROBE_SET).expect("the probe set is part of the repository");
    let mut out =
        String::from("/// (prompt id, prompt) of every identity probe of the probe set.\n");
    out.push_str("pub(super) const IDENTITY_PROBES: &[(&str, &str)] = &[\n");
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{PROBE_SET}:{}: not JSON: {e}", i + 1));
        if v["category"] != "identity" {
            continue;
        }
        let field = |name: &str| {
            v[name]
                .as_str()
                .unwrap_or_else(|| panic!("{PROBE_SET}:{}: no {name}", i + 1))
                .to_string()
        };
        let _ = writeln!(
            out,
            "    ({:?}, {:?}),",
            field("prompt_id"),
            field("prompt")
        );
    }
    out.push_str("];\n");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("identity_probes.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
