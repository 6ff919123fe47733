//! Normalisation and UAX #29 segmentation: tables of cases in several
//! scripts, then the laws the segmenters keep (pieces re-join to the
//! normalised input, spans slice to their text, UTF-16 offsets sit on
//! character boundaries).

use lineage::text::{
    graphemes, normalize, paragraphs, punctuation, sentences, split_word_bounds, utf16_len,
    utf16_offset, words, NormalForm, NormalizeOptions, PieceKind, Token,
};
use proptest::prelude::*;

use crate::common;
use common::fragments::{joined, script_run};

fn texts<'a>(tokens: &[Token<'a>]) -> Vec<&'a str> {
    tokens.iter().map(|t| t.text).collect()
}

/// Every span slices the text to the token, and its UTF-16 offsets are
/// those of a JavaScript string holding the same text.
fn check_spans(text: &str, tokens: &[Token<'_>]) {
    for t in tokens {
        assert_eq!(
            &text[t.span.start..t.span.end],
            t.text,
            "byte span of {:?}",
            t.text
        );
        let before: Vec<u16> = text[..t.span.start].encode_utf16().collect();
        assert_eq!(
            t.span.start_utf16,
            before.len(),
            "UTF-16 start of {:?}",
            t.text
        );
        assert_eq!(
            t.span.end_utf16 - t.span.start_utf16,
            t.text.encode_utf16().count(),
            "UTF-16 length of {:?}",
            t.text
        );
        // A UTF-16 offset must never fall between the halves of a surrogate pair.
        let all: Vec<u16> = text.encode_utf16().collect();
        for off in [t.span.start_utf16, t.span.end_utf16] {
            if off < all.len() {
                assert!(
                    !(0xDC00..0xE000).contains(&all[off]),
                    "offset {off} splits a surrogate pair"
                );
            }
        }
    }
}

type Segmenter = fn(&str) -> Vec<Token<'_>>;

/// A segmenter's pieces of `text` are `expected`, and their spans are right.
fn check_pieces(segment: Segmenter, text: &str, expected: &[&str], label: &str) {
    let pieces = segment(text);
    assert_eq!(texts(&pieces), expected, "{label}");
    check_spans(text, &pieces);
}

struct Case {
    name: &'static str,
    text: &'static str,
    words: &'static [&'static str],
    punctuation: &'static [&'static str],
    sentences: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "english",
        text: "Hello, world! How are you?",
        words: &["Hello", "world", "How", "are", "you"],
        punctuation: &[",", "!", "?"],
        sentences: &["Hello, world!", "How are you?"],
    },
    Case {
        name: "english contraction and hyphen",
        text: "GPT-4 is great, isn't it? Yes.",
        words: &["GPT", "4", "is", "great", "isn't", "it", "Yes"],
        punctuation: &["-", ",", "?", "."],
        sentences: &["GPT-4 is great, isn't it?", "Yes."],
    },
    Case {
        name: "english decimals stay one word; an abbreviation ends a sentence (UAX #29 has no abbreviation list)",
        text: "Then 3.14 is pi. Mr. Smith agreed.",
        words: &["Then", "3.14", "is", "pi", "Mr", "Smith", "agreed"],
        punctuation: &[".", ".", "."],
        sentences: &["Then 3.14 is pi.", "Mr.", "Smith agreed."],
    },
    Case {
        name: "ukrainian with apostrophe",
        text: "Привіт, світе! Як справи? Пам'ять — це м’ята.",
        words: &["Привіт", "світе", "Як", "справи", "Пам'ять", "це", "м’ята"],
        punctuation: &[",", "!", "?", "—", "."],
        sentences: &["Привіт, світе!", "Як справи?", "Пам'ять — це м’ята."],
    },
    Case {
        name: "russian",
        text: "Привет, мир. Как дела?",
        words: &["Привет", "мир", "Как", "дела"],
        punctuation: &[",", ".", "?"],
        sentences: &["Привет, мир.", "Как дела?"],
    },
    Case {
        name: "chinese: one word per ideograph",
        text: "我爱北京天安门。今天天气很好！",
        words: &["我", "爱", "北", "京", "天", "安", "门", "今", "天", "天", "气", "很", "好"],
        punctuation: &["。", "！"],
        sentences: &["我爱北京天安门。", "今天天气很好！"],
    },
    Case {
        name: "japanese: katakana runs stay whole, kanji and hiragana split",
        text: "私はデータを見ました。東京へ行く。",
        words: &["私", "は", "データ", "を", "見", "ま", "し", "た", "東", "京", "へ", "行", "く"],
        punctuation: &["。", "。"],
        sentences: &["私はデータを見ました。", "東京へ行く。"],
    },
    Case {
        name: "arabic with arabic question mark and comma",
        text: "مرحبا بالعالم، كيف حالك؟ أنا بخير.",
        words: &["مرحبا", "بالعالم", "كيف", "حالك", "أنا", "بخير"],
        punctuation: &["،", "؟", "."],
        sentences: &["مرحبا بالعالم، كيف حالك؟", "أنا بخير."],
    },
    Case {
        name: "emoji are punctuation pieces, ZWJ sequences and flags stay whole",
        text: "I ❤\u{fe0f} Rust 👨\u{200d}👩\u{200d}👧 🇺🇦!",
        words: &["I", "Rust"],
        punctuation: &["❤\u{fe0f}", "👨\u{200d}👩\u{200d}👧", "🇺🇦", "!"],
        sentences: &["I ❤\u{fe0f} Rust 👨\u{200d}👩\u{200d}👧 🇺🇦!"],
    },
    Case {
        name: "mixed scripts in one sentence",
        text: "GPT пише 中文 and العربية.",
        words: &["GPT", "пише", "中", "文", "and", "العربية"],
        punctuation: &["."],
        sentences: &["GPT пише 中文 and العربية."],
    },
    Case {
        name: "hindi danda ends a sentence",
        text: "नमस्ते दुनिया। आप कैसे हैं?",
        words: &["नमस्ते", "दुनिया", "आप", "कैसे", "हैं"],
        punctuation: &["।", "?"],
        sentences: &["नमस्ते दुनिया।", "आप कैसे हैं?"],
    },
    Case {
        name: "a line break always ends a sentence (list items, headings)",
        text: "# Title\n- first item\n- second item",
        words: &["Title", "first", "item", "second", "item"],
        punctuation: &["#", "-", "-"],
        sentences: &["# Title", "- first item", "- second item"],
    },
    Case {
        name: "empty text",
        text: "",
        words: &[],
        punctuation: &[],
        sentences: &[],
    },
    Case {
        name: "whitespace only",
        text: " \n\t\n  ",
        words: &[],
        punctuation: &[],
        sentences: &[],
    },
];

#[test]
fn segmentation_table() {
    for case in CASES {
        let segmenters: [(&str, Segmenter, &[&str]); 3] = [
            ("words", words, case.words),
            ("punctuation", punctuation, case.punctuation),
            ("sentences", sentences, case.sentences),
        ];
        for (what, segment, expected) in segmenters {
            let label = format!("{what}: {}", case.name);
            check_pieces(segment, case.text, expected, &label);
        }
    }
}

/// (text, word, byte start, UTF-16 start): explicit offsets where UTF-8
/// and UTF-16 disagree.
const OFFSETS: &[(&str, &str, usize, usize)] = &[
    ("ab cd", "cd", 3, 3),
    ("Як справи", "справи", 5, 3),
    ("我爱北京", "京", 9, 3),
    ("😀 hi", "hi", 5, 3),
    ("🇺🇦 👨\u{200d}👩\u{200d}👧 ok", "ok", 28, 14),
    ("𝒜𝒷 x", "x", 9, 5),
];

#[test]
fn offsets_table() {
    for &(text, word, start, start_utf16) in OFFSETS {
        let w = words(text);
        let t = w
            .iter()
            .find(|t| t.text == word)
            .unwrap_or_else(|| panic!("{word} in {text}"));
        assert_eq!(
            (t.span.start, t.span.start_utf16),
            (start, start_utf16),
            "{text}"
        );
        assert_eq!(utf16_offset(text, start), start_utf16, "{text}");
    }
    // Offsets inside a character or past the end are clamped, not a panic.
    assert_eq!(utf16_offset("😀", 2), 0);
    assert_eq!(utf16_offset("😀", 99), 2);
}

#[test]
fn graphemes_table() {
    let cases: &[(&str, &[&str])] = &[
        ("", &[]),
        ("abc", &["a", "b", "c"]),
        ("e\u{301}x", &["e\u{301}", "x"]),
        (
            "👨\u{200d}👩\u{200d}👧🇺🇦👍🏽",
            &["👨\u{200d}👩\u{200d}👧", "🇺🇦", "👍🏽"],
        ),
        // Unicode 15.1 (rule GB9c) keeps an Indic conjunct in one cluster.
        ("नमस्ते", &["न", "म", "स्ते"]),
        ("a\r\nb", &["a", "\r\n", "b"]),
    ];
    for (text, expected) in cases {
        check_pieces(graphemes, text, expected, &format!("{text:?}"));
    }
}

#[test]
fn paragraphs_table() {
    let cases: &[(&str, &[&str])] = &[
        ("", &[]),
        ("one", &["one"]),
        ("one\ntwo", &["one\ntwo"]),
        ("one\n\ntwo", &["one", "two"]),
        ("  one  \n \t \n\n two\n", &["one", "two"]),
        ("\n\n\n", &[]),
    ];
    for (text, expected) in cases {
        check_pieces(paragraphs, text, expected, &format!("{text:?}"));
    }
}

/// The normalisations of the tables below.
const NFC: NormalizeOptions = NormalizeOptions {
    form: NormalForm::Nfc,
    strip_zero_width: false,
};
const NFKC: NormalizeOptions = NormalizeOptions {
    form: NormalForm::Nfkc,
    ..NFC
};
const STRIP: NormalizeOptions = NormalizeOptions {
    strip_zero_width: true,
    ..NFC
};
const UNCHANGED: NormalizeOptions = NormalizeOptions {
    form: NormalForm::None,
    ..NFC
};

#[test]
fn normalisation_table() {
    let cases: &[(&str, &NormalizeOptions, &str, &str)] = &[
        (
            "plain ascii is untouched",
            &NFC,
            "Hello, world.",
            "Hello, world.",
        ),
        ("leading BOMs go", &NFC, "\u{feff}\u{feff}Hi", "Hi"),
        (
            "an inner BOM stays by default",
            &NFC,
            "a\u{feff}b",
            "a\u{feff}b",
        ),
        ("CRLF becomes LF", &NFC, "a\r\nb\r\n", "a\nb\n"),
        ("lone CR becomes LF", &NFC, "a\rb\r", "a\nb\n"),
        ("CR CR LF is two line breaks", &NFC, "a\r\r\nb", "a\n\nb"),
        ("NFC composes", &NFC, "Cafe\u{301}", "Café"),
        ("NFC composes Cyrillic й", &NFC, "и\u{306}", "й"),
        ("NFC keeps full-width", &NFC, "ＡＢＣ", "ＡＢＣ"),
        (
            "NFKC folds full-width and ligatures",
            &NFKC,
            "ＡＢＣ ﬁne ①",
            "ABC fine 1",
        ),
        (
            "zero-width kept by default",
            &NFC,
            "a\u{200b}b",
            "a\u{200b}b",
        ),
        (
            "zero-width stripped on request",
            &STRIP,
            "in\u{200b}vi\u{200c}si\u{200d}ble\u{2060}\u{feff}\u{ad}",
            "invisible",
        ),
        (
            "form None keeps decomposed text",
            &UNCHANGED,
            "e\u{301}\r\n",
            "e\u{301}\n",
        ),
        (
            "NUL and controls pass through",
            &NFC,
            "a\0b\u{7}c",
            "a\0b\u{7}c",
        ),
        ("empty", &NFC, "", ""),
    ];
    for (name, options, input, expected) in cases {
        assert_eq!(normalize(input, options), *expected, "{name}");
    }
}

/// Fragments that exercise the interesting parts of UAX #29: several
/// scripts, emoji sequences, combining marks, astral characters, line
/// breaks of every kind, punctuation and control characters.
fn fragment() -> impl Strategy<Value = String> {
    const CLUSTERS: &[&str] = &[
        "🇺🇦",
        "👍🏽",
        "❤\u{fe0f}",
        "e\u{301}\u{301}",
        "\u{feff}",
        "\u{200b}",
        "𝒜",
        "\0\u{7}",
    ];
    prop_oneof![
        7 => script_run(),
        1 => "[a-z]{1,5}( [a-z]{1,5}){0,4}\n",
        1 => "[a-z0-9.,:;'_\" ]{1,8}",
        1 => "[ \t\n\r]{1,3}",
        1 => "[.,!?;:()\\-—«»“”。！？،؟*#|`_\\[\\]]{1,3}",
        4 => prop::sample::select(CLUSTERS).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ]
}

fn mixed_text() -> impl Strategy<Value = String> {
    joined(fragment(), 40)
}

proptest! {
    /// The matching key is the case fold with each homoglyph replaced,
    /// except for the four Greek capitals that map by their own shape.
    #[test]
    fn matching_key_is_the_case_fold_with_homoglyphs_replaced(raw in mixed_text()) {
        use lineage::text::fold::{confusable_latin, fold_case, fold_for_matching};
        let word: String = raw.chars().filter(|c| !"ΗΜΝΥ".contains(*c)).collect();
        let want: String = fold_case(&word)
            .chars()
            .map(|l| confusable_latin(l).unwrap_or(l))
            .collect();
        prop_assert_eq!(fold_for_matching(&word), want);
        prop_assert_eq!(fold_for_matching("ΟΔΟΣ οδος Ηλιος"), "oδoc oδoc hλioc");
    }

    #[test]
    fn word_pieces_rejoin_and_partition(raw in mixed_text()) {
        let text = normalize(&raw, &NormalizeOptions::default());
        let pieces = split_word_bounds(&text);
        let joined: String = pieces.iter().map(|(_, t)| t.text).collect();
        prop_assert_eq!(&joined, &text);
        let tokens: Vec<Token<'_>> = pieces.iter().map(|(_, t)| *t).collect();
        check_spans(&text, &tokens);
        // Consecutive pieces touch: the spans tile the text.
        for pair in tokens.windows(2) {
            prop_assert_eq!(pair[0].span.end, pair[1].span.start);
            prop_assert_eq!(pair[0].span.end_utf16, pair[1].span.start_utf16);
        }
        if let Some(last) = tokens.last() {
            prop_assert_eq!(last.span.end_utf16, utf16_len(&text));
        }
        let of_kind = |k: PieceKind| -> Vec<&str> {
            pieces.iter().filter(|(kind, _)| *kind == k).map(|(_, t)| t.text).collect()
        };
        prop_assert_eq!(texts(&words(&text)), of_kind(PieceKind::Word));
        prop_assert_eq!(texts(&punctuation(&text)), of_kind(PieceKind::Punctuation));
    }

    #[test]
    fn fast_word_bounds_equal_the_segmenter(raw in mixed_text(), ascii in "[a-zA-Z0-9.,:;'_\"  \t\r\n\x0b\x0c!?()-]{0,60}") {
        use unicode_segmentation::UnicodeSegmentation;
        for text in [raw.as_str(), ascii.as_str()] {
            let mut fast = Vec::new();
            lineage::text::for_each_word_bound(text, |start, s| fast.push((start, s)));
            let reference: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
            prop_assert_eq!(fast, reference);
        }
    }

    #[test]
    fn fast_sentence_bounds_equal_the_segmenter(
        raw in mixed_text(),
        ascii in "[a-zA-Z0-9 .!?\"'()\\[\\]{},:;#*\t\r\n-]{0,80}",
        prose in proptest::collection::vec("(([A-Z]?[a-z]{1,4}|[0-9]{1,3}|e\\.g\\.|U\\.S\\.)[.!?,;:\"')]{0,3} ?){1,6}\n?", 0..6),
    ) {
        use unicode_segmentation::UnicodeSegmentation;
        let prose = prose.concat();
        for text in [raw.as_str(), ascii.as_str(), prose.as_str()] {
            let mut fast = Vec::new();
            lineage::text::for_each_sentence_bound(text, |start, s| fast.push((start, s)));
            let reference: Vec<(usize, &str)> = text.split_sentence_bound_indices().collect();
            prop_assert_eq!(fast, reference, "{:?}", text);
        }
    }

    #[test]
    fn graphemes_rejoin(raw in mixed_text()) {
        let text = normalize(&raw, &NormalizeOptions::default());
        let g = graphemes(&text);
        prop_assert_eq!(texts(&g).concat(), text.clone());
        check_spans(&text, &g);
    }

    #[test]
    fn sentences_and_paragraphs_cover_every_visible_character(raw in mixed_text()) {
        let text = normalize(&raw, &NormalizeOptions::default());
        let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        for tokens in [sentences(&text), paragraphs(&text)] {
            check_spans(&text, &tokens);
            for pair in tokens.windows(2) {
                prop_assert!(pair[0].span.end <= pair[1].span.start);
            }
            let joined: String = tokens.iter().map(|t| t.text).collect();
            prop_assert_eq!(visible(&joined), visible(&text));
        }
    }

    #[test]
    fn normalisation_is_idempotent(raw in mixed_text(), nfkc in any::<bool>(), strip in any::<bool>()) {
        let options = NormalizeOptions {
            form: if nfkc { NormalForm::Nfkc } else { NormalForm::Nfc },
            strip_zero_width: strip,
        };
        let once = normalize(&raw, &options);
        prop_assert!(!once.contains('\r'));
        prop_assert_eq!(normalize(&once, &options), once);
    }

    #[test]
    fn offsets_map_back_monotonically(raw in mixed_text(), nfkc in any::<bool>(), strip in any::<bool>()) {
        let options = NormalizeOptions {
            form: if nfkc { NormalForm::Nfkc } else { NormalForm::Nfc },
            strip_zero_width: strip,
        };
        let n = lineage::text::normalize_with_offsets(&raw, &options);
        prop_assert_eq!(&n.text, &normalize(&raw, &options));
        // Removed characters at the very end belong to no span.
        prop_assert_eq!(&normalize(&raw[..n.original_end(n.text.len())], &options), &n.text);
        let mut last = 0;
        for (i, _) in n.text.char_indices() {
            let (o, e) = (n.original_start(i), n.original_end(i));
            prop_assert!(o >= last && o <= e && raw.is_char_boundary(o) && raw.is_char_boundary(e));
            // The original up to a mapped start normalises to a prefix of
            // the normalised text that ends at or before `i`; up to a
            // mapped end, to one that ends at or after `i`.
            let before = normalize(&raw[..o], &options);
            prop_assert!(before.len() <= i && n.text.starts_with(&before), "{:?} {} {}", before, i, o);
            let after = normalize(&raw[..e], &options);
            prop_assert!(after.len() >= i && n.text.starts_with(&after), "{:?} {} {}", after, i, e);
            last = o;
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(raw in any::<String>()) {
        let text = normalize(&raw, &NormalizeOptions::default());
        let _ = (words(&text), punctuation(&text), sentences(&text), paragraphs(&text), graphemes(&text));
        for form in [NormalForm::Nfc, NormalForm::Nfkc, NormalForm::None] {
            let options = NormalizeOptions { form, strip_zero_width: true };
            let n = lineage::text::normalize_with_offsets(&raw, &options);
            prop_assert_eq!(&n.text, &normalize(&raw, &options));
            let (a, b) = n.original_span(0, n.text.len() + 10);
            prop_assert!(a <= b && b <= raw.len());
        }
    }
}

/// (original, options, normalised, a piece of the normalised text, the
/// original text that piece maps back to).
#[test]
fn offsets_back_to_the_original_table() {
    let cases: &[(&str, &NormalizeOptions, &str, &str, &str)] = &[
        ("plain", &NFC, "plain", "ai", "ai"),
        ("\u{feff}BOM first", &NFC, "BOM first", "first", "first"),
        ("Cafe\u{301} bar", &NFC, "Café bar", "bar", "bar"),
        ("Cafe\u{301} bar", &NFC, "Café bar", "é", "e\u{301}"),
        ("a\r\nb\rc", &NFC, "a\nb\nc", "b\nc", "b\rc"),
        ("a\r\nb", &NFC, "a\nb", "\n", "\r\n"),
        (
            "in\u{200b}vis\u{200d}ible word",
            &STRIP,
            "invisible word",
            "word",
            "word",
        ),
        // A stripped character between a letter and its accent: they
        // compose as in `normalize` (found by the text fuzz target).
        ("y\u{feff}\u{301}s", &STRIP, "ýs", "ý", "y\u{feff}\u{301}"),
        ("ＡＢＣ def", &NFKC, "ABC def", "B", "Ｂ"),
        ("ＡＢＣ def", &NFKC, "ABC def", "def", "def"),
    ];
    for &(original, options, normalised, piece, back) in cases {
        let n = lineage::text::normalize_with_offsets(original, options);
        assert_eq!(n.text, normalised, "{original:?}");
        let start = n.text.find(piece).expect("piece in text");
        let (a, b) = n.original_span(start, start + piece.len());
        assert_eq!(&original[a..b], back, "{original:?} / {piece:?}");
    }
}
