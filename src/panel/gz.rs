//! Gzip natively (`flate2`, pure Rust); a browser decompresses with its
//! own `DecompressionStream`, so this is not compiled into the wasm module.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;

use super::{Panel, PanelError, PanelErrorKind, Reader, MAX_DECOMPRESSED_BYTES};

/// Writes a panel as one gzip member.
pub fn write_gz(panel: &Panel, w: impl Write) -> std::io::Result<()> {
    let mut gz = GzEncoder::new(w, Compression::default());
    gz.write_all(panel.to_jsonl().as_bytes())?;
    gz.finish()?.flush()
}

/// Reads a gzip-compressed panel; `file` names it in errors.
pub fn read_gz(file: &str, r: impl Read) -> Result<Panel, PanelError> {
    let mut input = BufReader::new(r);
    let start = input
        .fill_buf()
        .map_err(|e| PanelError::new(PanelErrorKind::Corrupt, file, None, e.to_string()))?;
    if let Some(e) = super::not_gzip(file, start) {
        return Err(e);
    }
    let mut lines = BufReader::new(GzDecoder::new(input).take(MAX_DECOMPRESSED_BYTES + 1));
    let mut reader = Reader::new(file);
    let mut buf = Vec::new();
    let mut total = 0u64;
    loop {
        buf.clear();
        let n = lines.read_until(b'\n', &mut buf).map_err(|e| {
            let truncated = e.kind() == ErrorKind::UnexpectedEof;
            reader.gzip_error(truncated, &e.to_string())
        })?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > MAX_DECOMPRESSED_BYTES {
            return Err(PanelError::new(
                PanelErrorKind::TooLarge,
                file,
                None,
                format!(
                    "the panel decompresses to more than {} MiB",
                    MAX_DECOMPRESSED_BYTES >> 20
                ),
            ));
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        reader.push_bytes(&buf)?;
    }
    reader.finish()
}
