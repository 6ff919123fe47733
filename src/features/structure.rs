//! The structure of one text, surveyed once ([`Survey`]): its Markdown
//! (through the one line walk, [`for_each_content_line`], which the
//! profile uses too), its punctuation, its words; and the two structure
//! vectors the signals read from a survey.
//!
//! The two vectors differ on purpose, not by accident:
//!
//! - [`Survey::paired`] ([`PAIRED_NAMES`]): raw shares and rates plus one
//!   length feature (`log_words`), for the paired structure signal, which
//!   z-scores each feature over the texts of an analysis and compares two
//!   answers to one prompt; length is one explicit feature there.
//! - [`Survey::damped`] ([`DAMPED_NAMES`]): rates per 100 words compressed
//!   by ln(1 + rate), so that one list-heavy answer does not dominate a
//!   linear model, and no length at all (the classifier attributes single
//!   texts of any length).
//!
//! What a bullet line, a heading, a comma or MATTR *is* is decided once,
//! here and in [`crate::text::markdown`].

use super::{mattr, word_key};
use crate::text::markdown::{self, Block};
use crate::text::sentences;

/// Markdown structure counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Markdown {
    pub headings: usize,
    pub bullet_items: usize,
    pub numbered_items: usize,
    /// Closed `**bold**` / `__bold__` runs.
    pub bold: usize,
    /// Closed `*italic*` / `_italic_` runs.
    pub italic: usize,
    /// Fenced code blocks (an unclosed fence counts as one block).
    pub code_fences: usize,
    /// Table rows, header included, delimiter rows excluded.
    pub table_rows: usize,
    /// `[text](url)` links and bare URLs.
    pub links: usize,
    /// Tables (counted by their `|---|` delimiter rows).
    pub tables: usize,
    /// Closed `` `inline code` `` spans.
    pub inline_code: usize,
    /// Lines inside a block quote (`>`).
    pub quoted_lines: usize,
    /// Thematic breaks (`---`).
    pub rules: usize,
}

impl Markdown {
    pub(crate) fn add(&mut self, o: &Markdown) {
        self.headings += o.headings;
        self.bullet_items += o.bullet_items;
        self.numbered_items += o.numbered_items;
        self.bold += o.bold;
        self.italic += o.italic;
        self.code_fences += o.code_fences;
        self.table_rows += o.table_rows;
        self.links += o.links;
        self.tables += o.tables;
        self.inline_code += o.inline_code;
        self.quoted_lines += o.quoted_lines;
        self.rules += o.rules;
    }
}

/// Window of the structure vectors' MATTR, in words.
pub const MATTR_WINDOW: usize = 50;

/// Line counts of [`for_each_content_line`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lines {
    /// Runs of non-blank lines separated by blank lines.
    pub paragraphs: usize,
    /// Lines with something other than white space (code lines included).
    pub non_blank: usize,
}

/// Walks the lines of a text ([`markdown::line`], code fences tracked):
/// adds its Markdown structure to `md`, calls `f` with the content of
/// every line (the line without its block markers; lines inside a code
/// block whole, with no Markdown looked for in them) and returns the
/// paragraph and line counts. The profile and [`Survey`] both read a text
/// through it.
pub fn for_each_content_line<'t>(
    text: &'t str,
    md: &mut Markdown,
    mut f: impl FnMut(&'t str),
) -> Lines {
    let mut in_code = false;
    let mut lines = Lines::default();
    let mut in_paragraph = false;
    for raw in text.split_inclusive('\n') {
        let blank = raw.trim().is_empty();
        if blank {
            in_paragraph = false;
        } else {
            lines.non_blank += 1;
            if !in_paragraph {
                in_paragraph = true;
                lines.paragraphs += 1;
            }
        }
        let line = markdown::line(raw);
        if line.block == Block::Fence {
            if !in_code {
                md.code_fences += 1;
            }
            in_code = !in_code;
            continue;
        }
        if in_code {
            f(raw.trim_end_matches('\n'));
            continue;
        }
        md.quoted_lines += usize::from(line.quoted);
        match line.block {
            Block::Heading => md.headings += 1,
            Block::Bullet => md.bullet_items += 1,
            Block::Numbered => md.numbered_items += 1,
            Block::TableDelimiter => md.tables += 1,
            Block::TableRow => md.table_rows += 1,
            Block::Rule => md.rules += 1,
            Block::Fence | Block::Plain => {}
        }
        if !line.content.is_empty() {
            let inline = markdown::inline(line.content);
            md.bold += inline.bold;
            md.italic += inline.italic;
            md.links += inline.links;
            md.inline_code += inline.inline_code;
            f(line.content);
        }
    }
    lines
}

/// Punctuation and other marks of a text, full-width forms included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    pub line_breaks: usize,
    pub commas: usize,
    pub colons: usize,
    pub exclamations: usize,
    pub questions: usize,
    /// Opening parentheses.
    pub parentheses: usize,
    pub quotes: usize,
    /// ASCII digits.
    pub digits: usize,
}

impl Marks {
    fn of(text: &str) -> Marks {
        let mut m = Marks::default();
        for c in text.chars() {
            let slot = match c {
                '\n' => &mut m.line_breaks,
                ',' | '，' | '、' => &mut m.commas,
                ':' | '：' => &mut m.colons,
                '!' | '！' => &mut m.exclamations,
                '?' | '？' => &mut m.questions,
                '(' | '（' => &mut m.parentheses,
                '"' | '“' | '”' | '«' | '»' | '„' => &mut m.quotes,
                '0'..='9' => &mut m.digits,
                _ => continue,
            };
            *slot += 1;
        }
        m
    }
}

/// Everything the structure vectors are made of, counted in one pass of
/// each kind over a text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Survey {
    pub words: usize,
    /// UAX #29 sentences (trimmed, non-empty).
    pub sentences: usize,
    pub lines: Lines,
    pub markdown: Markdown,
    pub marks: Marks,
    /// Mean characters per word.
    pub mean_word_len: f64,
    /// Share of words whose first character is upper case.
    pub capitalised: f64,
    /// MATTR over [`MATTR_WINDOW`] words.
    pub mattr: f64,
}

impl Survey {
    /// Surveys `text`, whose words (UAX #29, [`crate::text::words`], in
    /// any case) the caller has already split.
    pub fn of<W: AsRef<str>>(text: &str, words: &[W]) -> Survey {
        let mut md = Markdown::default();
        let lines = for_each_content_line(text, &mut md, |_| {});
        let n = words.len();
        let mean = |total: usize| if n == 0 { 0.0 } else { total as f64 / n as f64 };
        let mut buf = String::new();
        let keys: Vec<u64> = words
            .iter()
            .map(|w| word_key(w.as_ref(), &mut buf))
            .collect();
        Survey {
            words: n,
            sentences: sentences(text).len(),
            lines,
            markdown: md,
            marks: Marks::of(text),
            mean_word_len: mean(words.iter().map(|w| w.as_ref().chars().count()).sum()),
            capitalised: mean(
                words
                    .iter()
                    .filter(|w| w.as_ref().chars().next().is_some_and(char::is_uppercase))
                    .count(),
            ),
            mattr: mattr(&keys, MATTR_WINDOW),
        }
    }

    /// `count` per word, 0 for no words.
    fn per_word(&self, count: usize) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            count as f64 / self.words as f64
        }
    }

    /// `count` as a share of the non-blank lines.
    fn line_share(&self, count: usize) -> f64 {
        count as f64 / self.lines.non_blank.max(1) as f64
    }

    /// The paired signal's structure vector, in [`PAIRED_NAMES`] order.
    pub fn paired(&self) -> [f64; 16] {
        let md = &self.markdown;
        let m = &self.marks;
        let n = self.words as f64;
        [
            crate::detmath::ln(n + 1.0),
            n / self.sentences.max(1) as f64,
            100.0 * self.per_word(self.lines.paragraphs),
            self.line_share(md.bullet_items),
            self.line_share(md.numbered_items),
            self.line_share(md.headings),
            100.0 * self.per_word(md.bold),
            if md.code_fences > 0 { 1.0 } else { 0.0 },
            self.per_word(m.commas),
            self.per_word(m.colons),
            self.per_word(m.exclamations),
            self.per_word(m.questions),
            self.per_word(m.parentheses),
            self.per_word(m.quotes),
            self.mean_word_len,
            self.mattr,
        ]
    }

    /// The classifier's structure vector, in [`DAMPED_NAMES`] order:
    /// rates per 100 words as ln(1 + rate), then shares and means.
    pub fn damped(&self) -> [f64; 20] {
        let md = &self.markdown;
        let m = &self.marks;
        let per100 = |count: usize| {
            let rate = count as f64 * 100.0 / self.words.max(1) as f64;
            crate::detmath::ln(1.0 + rate)
        };
        [
            per100(self.lines.paragraphs),
            per100(md.bullet_items),
            per100(md.numbered_items),
            per100(md.headings),
            per100(md.bold),
            per100(md.code_fences),
            per100(md.table_rows),
            per100(m.line_breaks),
            per100(self.sentences),
            per100(m.commas),
            per100(m.colons),
            per100(m.exclamations),
            per100(m.questions),
            per100(m.parentheses),
            per100(m.quotes),
            per100(m.digits),
            self.mean_word_len,
            self.capitalised,
            self.line_share(md.bullet_items + md.numbered_items),
            self.mattr,
        ]
    }
}

/// Names of [`Survey::paired`], in order.
pub const PAIRED_NAMES: [&str; 16] = [
    "log_words",
    "words_per_sentence",
    "paragraphs_per_100_words",
    "bullet_lines_share",
    "numbered_lines_share",
    "heading_lines_share",
    "bold_per_100_words",
    "code_fence_present",
    "commas_per_word",
    "colons_per_word",
    "exclamations_per_word",
    "questions_per_word",
    "parentheses_per_word",
    "quotes_per_word",
    "mean_word_length",
    "type_token_ratio_50",
];

/// Names of [`Survey::damped`], in order.
pub const DAMPED_NAMES: [&str; 20] = [
    "paragraphs per 100 words",
    "bullet lines per 100 words",
    "numbered lines per 100 words",
    "heading lines per 100 words",
    "bold runs per 100 words",
    "code blocks per 100 words",
    "table rows per 100 words",
    "line breaks per 100 words",
    "sentences per 100 words",
    "commas per 100 words",
    "colons per 100 words",
    "exclamation marks per 100 words",
    "question marks per 100 words",
    "parentheses per 100 words",
    "quotation marks per 100 words",
    "digits per 100 words",
    "mean word length (characters)",
    "share of capitalised words",
    "share of list lines among non-blank lines",
    "moving-average type-token ratio (window 50)",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn survey(text: &str) -> Survey {
        let words: Vec<&str> = crate::text::words(text)
            .into_iter()
            .map(|w| w.text)
            .collect();
        Survey::of(text, &words)
    }

    /// The line kinds come from `text::markdown`, so the signals agree with
    /// the profile: `+` is a bullet, `#tag` is no heading, and nothing
    /// inside a code block is Markdown.
    #[test]
    fn lines_are_read_as_markdown() {
        // (text, bullets, numbered, headings, code blocks, table rows, non-blank lines)
        let cases: &[(&str, [usize; 6])] = &[
            ("- a\n* b\n+ c\n• d", [4, 0, 0, 0, 0, 4]),
            ("1. a\n2) b\n3.x\nc", [0, 2, 0, 0, 0, 4]),
            ("# Title\n#tag\nbody", [0, 0, 1, 0, 0, 3]),
            ("```py\n# comment\n- x\n```\n", [0, 0, 0, 1, 0, 4]),
            ("| a | b |\n|---|---|\n| 1 | 2 |", [0, 0, 0, 0, 2, 3]),
            ("", [0; 6]),
        ];
        for (text, want) in cases {
            let s = survey(text);
            let md = &s.markdown;
            let got = [
                md.bullet_items,
                md.numbered_items,
                md.headings,
                md.code_fences,
                md.table_rows,
                s.lines.non_blank,
            ];
            assert_eq!(&got, want, "{text:?}");
        }
    }

    #[test]
    fn vectors_by_name() {
        // (text, paired feature, value)
        let paired: &[(&str, &str, f64)] = &[
            ("- a\n- b\n", "bullet_lines_share", 1.0),
            ("# T\nbody", "heading_lines_share", 0.5),
            ("One two. Three four.", "words_per_sentence", 2.0),
            ("```\ncode\n```", "code_fence_present", 1.0),
            ("a, b，c", "commas_per_word", 2.0 / 3.0),
            ("**one** two", "bold_per_100_words", 50.0),
            ("", "log_words", 0.0),
        ];
        for (text, name, want) in paired {
            let i = PAIRED_NAMES.iter().position(|n| n == name).unwrap();
            let got = survey(text).paired()[i];
            assert!((got - want).abs() < 1e-9, "{text:?} {name}: {got}");
        }
        let damped = survey("Hello World 42\n- item");
        let at =
            |name: &str| damped.damped()[DAMPED_NAMES.iter().position(|n| *n == name).unwrap()];
        assert_eq!(at("share of capitalised words"), 0.5);
        assert_eq!(at("share of list lines among non-blank lines"), 0.5);
        assert_eq!(at("digits per 100 words"), crate::detmath::ln(1.0 + 50.0));
    }
}
