//! The ASCII fast paths of the word and sentence segmenters, on the cases
//! their rules are about, against unicode-segmentation: the same pieces at
//! the same offsets.

use unicode_segmentation::UnicodeSegmentation;

/// A segmentation of a text as (byte offset, piece) pairs.
type Bounds = for<'a> fn(&'a str) -> Vec<(usize, &'a str)>;

const WORD_CASES: &[&str] = &[
    "a:b",
    "a::b",
    "3,4",
    "3,,4",
    "3.14",
    "a'b",
    "don't",
    "'quoted'",
    "__init__",
    "_a_",
    "e.g.",
    "U.S.A.",
    "a.1",
    "1.a",
    "1a.b",
    "a1.2",
    "x\r\ny",
    "x\ry",
    "x\n\ny",
    "  \t  ",
    "a  b",
    "a\tb",
    "a\x0bb\x0cc",
    "path/to_file.rs:12:5",
    "\"quote\" (paren) [x] {y}",
    "1,000,000.50",
    "a-b",
    "",
];

const SENTENCE_CASES: &[&str] = &[
    "One. Two.",
    "Pi is 3.14 here.",
    "The U.S. Army. Next",
    "e.g. the cat",
    "Stop. (Then go.) Now",
    "He said \"Stop.\" Then left.",
    "Really?! Yes.",
    "Wait... what?",
    "etc., and more",
    "x.\ny",
    "x.\r\ny",
    "x\ry",
    "end.  \t  Next",
    "a.b",
    "A.B",
    "1. Item",
    "Mr. smith",
    "Go! go",
    "(Hi.) there",
    "No terminator",
    "",
    ".",
    "?",
    " . ",
    "a. 1",
    "a. (b",
    "a. -b",
    "a.\"B",
];

#[test]
fn ascii_fast_paths_match_unicode_segmentation() {
    // (segmenter, fast path, reference, cases)
    let table: [(&str, Bounds, Bounds, &[&str]); 2] = [
        (
            "word",
            fast_words,
            |t| t.split_word_bound_indices().collect(),
            WORD_CASES,
        ),
        (
            "sentence",
            fast_sentences,
            |t| t.split_sentence_bound_indices().collect(),
            SENTENCE_CASES,
        ),
    ];
    for (name, fast, reference, cases) in table {
        for text in cases {
            assert_eq!(fast(text), reference(text), "{name}: {text:?}");
        }
    }
}

fn fast_words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    lineage::text::for_each_word_bound(text, |start, piece| out.push((start, piece)));
    out
}

fn fast_sentences(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    lineage::text::for_each_sentence_bound(text, |start, piece| out.push((start, piece)));
    out
}
