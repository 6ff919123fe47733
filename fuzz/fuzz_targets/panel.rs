//! The panel reader on any decompressed content: no panic; the gzip file
//! read through a reader that hands it over in small pieces reads as the
//! whole file at once, and as its lines pushed one by one as bytes (the
//! browser's way); a panel that reads, written again (JSON Lines and
//! gzip) reads back equal; a panel built from the lines that are records
//! reads back equal.
#![no_main]

use std::io::{Read, Write};

use libfuzzer_sys::fuzz_target;
use lineage::panel::{self, BuildOptions, Panel, PanelError, Reader, SuggestedRole};
use lineage::record::Record;

#[path = "common.rs"]
mod common;

/// A `Read` that gives its bytes in the pieces of `common::pieces`
/// (an empty piece is skipped: a zero read means the end).
struct Pieces<'a> {
    pieces: std::vec::IntoIter<&'a [u8]>,
    current: &'a [u8],
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.pieces.next() {
                Some(piece) => self.current = piece,
                None => return Ok(0),
            }
        }
        let n = self.current.len().min(buf.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current = &self.current[n..];
        Ok(n)
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// The panel of decompressed `bytes`, a line at a time, as the browser's
/// reader pushes them (`push_bytes`: invalid UTF-8 names its line).
fn by_lines(bytes: &[u8]) -> Result<Panel, PanelError> {
    let mut reader = Reader::new("fuzz");
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    if !bytes.is_empty() {
        for line in body.split(|&b| b == b'\n') {
            reader.push_bytes(line)?;
        }
    }
    reader.finish()
}

fn reads_back(p: &Panel) {
    let text = p.to_jsonl();
    assert_eq!(by_lines(text.as_bytes()).as_ref(), Ok(p), "{text}");
    let mut gz = Vec::new();
    panel::write_gz(p, &mut gz).unwrap();
    assert_eq!(panel::read_gz("fuzz", gz.as_slice()).as_ref(), Ok(p));
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, data)) = data.split_first() else {
        return;
    };
    // Not gzip, or damaged gzip: an error, never a panic.
    let _ = panel::read_gz("fuzz", data);

    let gz = gzip(data);
    let whole = panel::read_gz("fuzz", gz.as_slice());
    let pieces = panel::read_gz(
        "fuzz",
        Pieces {
            pieces: common::pieces(&gz, seed).into_iter(),
            current: &[],
        },
    );
    assert_eq!(pieces, whole, "gzip read in pieces");
    assert_eq!(by_lines(data), whole, "lines pushed one by one");
    if let Ok(p) = &whole {
        reads_back(p);
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    let records: Vec<Record> = text
        .lines()
        .filter_map(|l| Record::parse_line(l.trim()).ok())
        .collect();
    let Some(first) = records.first() else {
        return;
    };
    let opts = BuildOptions {
        name: "fuzz".into(),
        created: "2026-01-01T00:00:00Z".into(),
        probe_set: (seed & 2 == 2).then(|| "probes".into()),
        roles: [(first.source.clone(), SuggestedRole::Control)].into(),
        families: [(first.source.clone(), "fuzz".to_string())].into(),
    };
    if let Ok((p, _notices)) = panel::build(records, &opts) {
        reads_back(&p);
    }
});
