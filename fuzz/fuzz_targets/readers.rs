//! The JSONL and CSV readers on any bytes: no panic, every problem is a
//! numbered line, and reading is deterministic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lineage::corpus;

fuzz_target!(|data: &[u8]| {
    for parsed in [
        corpus::read_jsonl("fuzz.jsonl", data, None),
        corpus::read_jsonl("fuzz.jsonl", data, Some("default")),
        corpus::read_csv("fuzz.csv", data, None),
        corpus::read_csv("fuzz.csv", data, Some("default")),
    ] {
        for e in parsed.errors.iter().chain(&parsed.warnings) {
            assert!(e.line >= 1 || e.message.contains("csv"), "{e}");
        }
        for s in &parsed.samples {
            assert!(!s.source.trim().is_empty());
        }
        assert_eq!(parsed.sha256.len(), 64);
    }
    assert_eq!(
        corpus::read_csv("f", data, None),
        corpus::read_csv("f", data, None)
    );
});
