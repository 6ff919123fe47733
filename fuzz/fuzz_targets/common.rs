//! Helpers shared by the targets (each includes this file with `#[path]`).

/// Cuts `data` into consecutive pieces (some empty) whose lengths come
/// from `seed`, so a target can feed a chunked reader the way a stream
/// does and compare with one push of the whole input.
#[allow(dead_code)]
pub fn pieces(data: &[u8], seed: u8) -> Vec<&[u8]> {
    let mut state = u32::from(seed) | 0x100;
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        // xorshift: small, deterministic, and varied piece lengths 0..=15
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state % 16) as usize;
        let (piece, tail) = rest.split_at(n.min(rest.len()));
        out.push(piece);
        rest = tail;
    }
    out
}

/// The number of lines of `data` as the readers count them: LF, CRLF
/// and a lone CR each end one.
#[allow(dead_code)]
pub fn line_count(data: &[u8]) -> usize {
    let mut n = 1;
    let mut i = 0;
    while i < data.len() {
        if data[i] == b'\n' || data[i] == b'\r' {
            n += 1;
            if data[i] == b'\r' && data.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        }
        i += 1;
    }
    n
}
