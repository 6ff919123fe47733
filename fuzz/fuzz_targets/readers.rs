//! The input readers (JSON Lines, CSV, JSON arrays) on any bytes: no
//! panic; the input fed a piece at a time (as the browser's stream gives
//! it, empty pieces included) reads exactly as one push of the whole;
//! every problem names a line inside the input; the SHA-256 is the
//! input's.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lineage::corpus::{self, Format, Reader};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&seed, data)) = data.split_first() else {
        return;
    };
    let lines = common::line_count(data);
    let sha = corpus::sha256_hex(data);
    for format in [Format::Jsonl, Format::Csv, Format::Json] {
        let default = (seed & 1 == 1).then_some("default");
        let whole = corpus::read("fuzz", data, format, default);
        let mut reader = Reader::new("fuzz", format, default);
        for piece in common::pieces(data, seed) {
            reader.push(piece);
        }
        assert_eq!(reader.bytes(), data.len());
        assert_eq!(reader.finish(), whole, "{format:?} in pieces");
        assert_eq!(whole.sha256, sha);
        for e in whole.errors.iter().chain(&whole.warnings) {
            // A JSON array's "line" is its element's 1-based index.
            let last = if format == Format::Json {
                lines.max(data.len())
            } else {
                lines
            };
            assert!(
                e.line >= 1 && e.line <= last,
                "{format:?}: line {} of {lines}: {e}",
                e.line
            );
        }
        for s in &whole.samples {
            assert!(!s.source.trim().is_empty());
            assert!(s.prompt_id.as_ref().is_none_or(|id| !id.is_empty()));
        }
        let _ = whole.report_warnings();
        let _ = whole.refusal(format);
    }
});
