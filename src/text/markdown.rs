//! A small, forgiving reader of the Markdown that chat models write.
//!
//! It is not a CommonMark parser: it recognises, line by line, the block
//! markers that matter for style (headings, bullet and numbered items,
//! code fences, table rows, block quotes) and, inside a line, bold and
//! italic runs, inline code and links. It never fails, runs in one pass
//! and allocates nothing. Known simplifications: setext headings
//! (`Title` over `===`), indented code blocks, nested emphasis across
//! lines and reference-style links are not recognised.

/// What a line is, as far as block structure goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// A line opening or closing a fenced code block (` ``` ` or `~~~`).
    Fence,
    /// An ATX heading (`#` to `######` then a space).
    Heading,
    /// A bullet list item (`-`, `*`, `+`, `•`, `◦`, `▪`, `‣` then a space).
    Bullet,
    /// A numbered list item (`1.` or `1)` then a space).
    Numbered,
    /// The `|---|:--:|` line under a table header: one per table.
    TableDelimiter,
    /// A table row (starts with `|` and has another `|`).
    TableRow,
    /// A thematic break (`---`, `***`, `___`).
    Rule,
    /// Anything else, including blank lines.
    Plain,
}

/// A line's block kind, whether it is inside a block quote, and its
/// content: the part after the block markers, without the line break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    pub block: Block,
    pub quoted: bool,
    pub content: &'a str,
}

/// Reads the block markers of one line (outside code fences).
pub fn line(line: &str) -> Line<'_> {
    let line = line.trim_end_matches(['\n', '\r']);
    let mut rest = line.trim_start();
    let mut quoted = false;
    while let Some(r) = rest.strip_prefix('>') {
        quoted = true;
        rest = r.trim_start();
    }
    let plain = |content| Line {
        block: Block::Plain,
        quoted,
        content,
    };
    if rest.starts_with("```") || rest.starts_with("~~~") {
        return Line {
            block: Block::Fence,
            quoted,
            content: "",
        };
    }
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) {
        let after = &rest[hashes..];
        if after.is_empty() || after.starts_with([' ', '\t']) {
            return Line {
                block: Block::Heading,
                quoted,
                content: after.trim(),
            };
        }
    }
    if is_rule(rest) {
        return Line {
            block: Block::Rule,
            quoted,
            content: "",
        };
    }
    if let Some(first) = rest.chars().next() {
        if matches!(first, '-' | '*' | '+' | '•' | '◦' | '▪' | '‣') {
            let after = &rest[first.len_utf8()..];
            if after.starts_with([' ', '\t']) && !after.trim().is_empty() {
                return Line {
                    block: Block::Bullet,
                    quoted,
                    content: after.trim(),
                };
            }
        }
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let after = &rest[digits..];
        if let Some(after) = after.strip_prefix(['.', ')']) {
            if after.starts_with([' ', '\t']) && !after.trim().is_empty() {
                return Line {
                    block: Block::Numbered,
                    quoted,
                    content: after.trim(),
                };
            }
        }
    }
    if let Some(inner) = rest.strip_prefix('|') {
        if rest.contains('-')
            && rest
                .chars()
                .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
        {
            return Line {
                block: Block::TableDelimiter,
                quoted,
                content: "",
            };
        }
        if inner.contains('|') {
            return Line {
                block: Block::TableRow,
                quoted,
                content: rest.trim_end(),
            };
        }
    }
    plain(rest.trim_end())
}

/// A thematic break: three or more of the same `-`, `*` or `_`, spaces allowed.
fn is_rule(s: &str) -> bool {
    let s = s.trim_end();
    let Some(first) = s.chars().next() else {
        return false;
    };
    matches!(first, '-' | '*' | '_')
        && s.chars().filter(|&c| c == first).count() >= 3
        && s.chars().all(|c| c == first || c == ' ' || c == '\t')
}

/// Inline markup found in one line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Inline {
    /// Closed `**bold**` or `__bold__` runs.
    pub bold: usize,
    /// Closed `*italic*` or `_italic_` runs (an `_` inside a word, as in
    /// `snake_case`, is not emphasis).
    pub italic: usize,
    /// Closed `` `code` `` spans.
    pub inline_code: usize,
    /// `[text](target)` links plus bare `http://` / `https://` URLs.
    pub links: usize,
}

/// Counts the inline markup of one line's content.
pub fn inline(s: &str) -> Inline {
    let b = s.as_bytes();
    let mut out = Inline::default();
    let mut bold_open: Option<u8> = None;
    let mut italic_open: Option<u8> = None;
    let mut bracket_open = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'`' => {
                let run = b[i..].iter().take_while(|&&x| x == b'`').count();
                // A code span closes at the next run of exactly as many backticks.
                let mut j = i + run;
                let mut closed = None;
                while j < b.len() {
                    if b[j] == b'`' {
                        let r = b[j..].iter().take_while(|&&x| x == b'`').count();
                        if r == run {
                            closed = Some(j + r);
                            break;
                        }
                        j += r;
                    } else {
                        j += 1;
                    }
                }
                match closed {
                    Some(end) => {
                        out.inline_code += 1;
                        i = end;
                    }
                    None => i += run,
                }
                continue;
            }
            b'*' | b'_' => {
                let run = b[i..].iter().take_while(|&&x| x == c).count();
                let prev = s[..i].chars().next_back();
                let next = s[i + run..].chars().next();
                let mut opens = next.is_some_and(|n| !n.is_whitespace());
                let mut closes = prev.is_some_and(|p| !p.is_whitespace());
                if c == b'_' {
                    // Intra-word underscores (snake_case) are not emphasis.
                    opens &= !prev.is_some_and(char::is_alphanumeric);
                    closes &= !next.is_some_and(char::is_alphanumeric);
                }
                if run >= 2 {
                    if bold_open == Some(c) && closes {
                        out.bold += 1;
                        bold_open = None;
                    } else if bold_open.is_none() && opens {
                        bold_open = Some(c);
                    }
                }
                if run == 1 || run == 3 {
                    if italic_open == Some(c) && closes {
                        out.italic += 1;
                        italic_open = None;
                    } else if italic_open.is_none() && opens {
                        italic_open = Some(c);
                    }
                }
                i += run;
                continue;
            }
            b'[' => bracket_open = true,
            b']' if bracket_open && b.get(i + 1) == Some(&b'(') => {
                if b[i + 2..].contains(&b')') {
                    out.links += 1;
                }
                bracket_open = false;
            }
            b'h' if b[i..].starts_with(b"http://") || b[i..].starts_with(b"https://") => {
                // A URL that is the target of a [text](url) link was counted already.
                let is_target = i >= 2 && &b[i - 2..i] == b"](";
                if !is_target {
                    out.links += 1;
                }
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}
