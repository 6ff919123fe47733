//! Profile of a fixed multilingual text with every count checked by hand,
//! Markdown recognition as a table of cases, and inputs that must not
//! panic.

use std::collections::{BTreeMap, BTreeSet};

use lineage::profile::{
    char_ngram_key, word_ngram_key, word_ngram_strings, Markdown, Profile, ProfileOptions,
    SENTENCE_LENGTH_BUCKETS, WORD_LENGTH_BUCKETS,
};

const GOLDEN: &str = include_str!("data/golden_multilingual.md");

fn word_count(p: &Profile, n: usize, words: &[&str]) -> u32 {
    p.word_ngrams[n - 1]
        .get(&word_ngram_key(words))
        .copied()
        .unwrap_or(0)
}

fn char_count(p: &Profile, ngram: &str) -> u32 {
    let n = ngram.chars().count();
    p.char_ngrams[n - 1]
        .get(&char_ngram_key(ngram))
        .copied()
        .unwrap_or(0)
}

/// The fixture, line by line (counted by hand):
///
/// ```text
/// # Привіт, світе                 heading; words привіт світе; ","
///                                 (blank)
/// Hello **world**. Hello again!   2 sentences; bold; "*" x4, ".", "!"
///                                 (blank)
/// - Це перший пункт.              bullet; 3 words; "."
/// - 这是第二。                      bullet; 4 words (one per ideograph); "。"
///                                 (blank)
/// 1. Это третий пункт 😀          numbered; 3 words; 1 emoji
/// ```
#[test]
fn golden_multilingual_profile() {
    let p = Profile::of_text(GOLDEN, &ProfileOptions::default());
    assert_eq!(p.texts, 1);
    assert_eq!(p.bytes, 149);
    assert_eq!(p.chars, 98);
    assert_eq!(p.graphemes, 98);
    assert_eq!(p.words, 16);
    assert_eq!(p.sentences, 6);
    assert_eq!(p.paragraphs, 4);
    assert_eq!(
        p.markdown,
        Markdown {
            headings: 1,
            bullet_items: 2,
            numbered_items: 1,
            bold: 1,
            ..Markdown::default()
        }
    );
    assert_eq!(p.emoji, 1);
    assert_eq!(p.emoji_per_1000_words, 1000.0 / 16.0);

    // Word unigrams, case-folded: "пункт" is spelled the same in
    // Ukrainian and Russian and is counted twice.
    assert_eq!(p.word_ngrams[0].len(), 14);
    for (word, count) in [
        ("hello", 2),
        ("Hello", 2),
        ("пункт", 2),
        ("привіт", 1),
        ("ПРИВІТ", 1),
        ("这", 1),
        ("третий", 1),
        ("missing", 0),
    ] {
        assert_eq!(word_count(&p, 1, &[word]), count, "{word}");
    }
    // Bigrams and trigrams never cross a sentence: "world hello" and
    // "світе hello" do not exist.
    assert_eq!(p.word_ngrams[1].len(), 10);
    assert_eq!(p.word_ngrams[2].len(), 4);
    for (words, count) in [
        (&["hello", "world"][..], 1),
        (&["hello", "again"], 1),
        (&["world", "hello"], 0),
        (&["світе", "hello"], 0),
        (&["третий", "пункт"], 1),
        (&["这", "是"], 1),
        (&["це", "перший", "пункт"], 1),
        (&["是", "第", "二"], 1),
        (&["world", "hello", "again"], 0),
    ] {
        assert_eq!(word_count(&p, words.len(), words), count, "{words:?}");
    }
    let top1: BTreeMap<&str, u32> = p.top_word_ngrams[0]
        .iter()
        .map(|(s, c)| (s.as_str(), *c))
        .collect();
    assert_eq!(p.top_word_ngrams[0].len(), 14);
    assert_eq!(
        &p.top_word_ngrams[0][..2]
            .iter()
            .map(|(_, c)| *c)
            .collect::<Vec<_>>(),
        &[2, 2]
    );
    assert_eq!(top1.get("hello"), Some(&2));
    assert_eq!(top1.get("пункт"), Some(&2));
    assert_eq!(top1.get("привіт"), Some(&1));

    // Character n-grams run over the raw text, markup and line breaks included.
    assert_eq!(p.char_ngrams.len(), 5);
    for n in 1..=5 {
        let total: u32 = p.char_ngrams[n - 1].values().sum();
        assert_eq!(total as usize, 98 - (n - 1), "char {n}-grams");
    }
    for (ngram, count) in [
        ("l", 5),
        ("H", 2),
        ("\n", 8),
        (" ", 13),
        ("*", 4),
        ("He", 2),
        ("\n\n", 3),
        ("**", 2),
        ("Hello", 2),
        ("hello", 0),
        ("пункт", 2),
        ("😀", 1),
        ("т 😀\n", 1),
    ] {
        assert_eq!(char_count(&p, ngram), count, "{ngram:?}");
    }

    // Word lengths in characters: 这 是 第 二 (1), це (2), это (3),
    // світе hello world hello again пункт пункт (5), привіт перший третий (6).
    let mut lengths = vec![0u32; WORD_LENGTH_BUCKETS];
    lengths[0] = 4;
    lengths[1] = 1;
    lengths[2] = 1;
    lengths[4] = 7;
    lengths[5] = 3;
    assert_eq!(p.word_lengths, lengths);
    // Sentences of 2, 2, 2, 3, 4 and 3 words.
    let mut sentences = vec![0u32; SENTENCE_LENGTH_BUCKETS];
    sentences[1] = 3;
    sentences[2] = 2;
    sentences[3] = 1;
    assert_eq!(p.sentence_lengths, sentences);

    // 14 types over 16 tokens; 12 hapaxes; sum of f^2 = 12 + 4 + 4 = 20.
    assert_eq!(p.richness.type_token_ratio, 14.0 / 16.0);
    assert_eq!(
        p.richness.mattr,
        14.0 / 16.0,
        "shorter than the window: MATTR = TTR"
    );
    assert_eq!(p.richness.hapax_ratio, 12.0 / 14.0);
    assert_eq!(p.richness.yules_k, 1e4 * (20.0 - 16.0) / (16.0 * 16.0));

    // Punctuation of the content (block markers "#", "-", "1." excluded):
    // 9 marks among 25 tokens.
    let counts: Vec<(&str, u32)> = p
        .punctuation_counts
        .iter()
        .map(|(m, c)| (m.as_str(), *c))
        .collect();
    assert_eq!(counts, [("!", 1), ("*", 4), (",", 1), (".", 2), ("。", 1)]);
    assert_eq!(p.punctuation_tokens, 9);
    assert_eq!(p.punctuation_per_1000["*"], 4.0 * 1000.0 / 25.0);
    assert_eq!(p.punctuation_per_1000["。"], 1000.0 / 25.0);

    assert_eq!(p.opening_words, [("привіт світе hello".to_owned(), 1)]);
    assert_eq!(p.closing_sentences, [("Это третий пункт 😀".to_owned(), 1)]);
    assert!(!p.pruned);
}

#[test]
fn top_strings_agree_with_the_hashed_tables() {
    let p = Profile::of_text(GOLDEN, &ProfileOptions::default());
    for n in 0..3 {
        for (s, c) in &p.top_word_ngrams[n] {
            let words: Vec<&str> = s.split(' ').collect();
            assert_eq!(words.len(), n + 1, "{s}");
            assert_eq!(
                p.word_ngrams[n].get(&word_ngram_key(&words)),
                Some(c),
                "{s}"
            );
        }
    }
    // A caller that only knows keys can get the strings back from the text.
    let wanted: BTreeSet<u64> = [
        word_ngram_key(&["Hello", "again"]),
        word_ngram_key(&["це", "перший"]),
    ]
    .into();
    let found = word_ngram_strings(GOLDEN, &ProfileOptions::default(), 2, &wanted);
    let strings: BTreeSet<&str> = found.values().map(String::as_str).collect();
    assert_eq!(strings, BTreeSet::from(["hello again", "це перший"]));
}

#[test]
fn case_folding_is_unicode_aware() {
    let p = Profile::of_text(
        "ПРИВІТ Привіт привіт ΟΔΟΣ οδος Straße STRASSE",
        &ProfileOptions::default(),
    );
    assert_eq!(word_count(&p, 1, &["привіт"]), 3);
    assert_eq!(word_count(&p, 1, &["οδοσ"]), 2, "final sigma folds to σ");
    // Lowercasing is not full case folding: ß and ss stay apart.
    assert_eq!(word_count(&p, 1, &["straße"]), 1);
    assert_eq!(word_count(&p, 1, &["strasse"]), 1);
}

/// Markdown recognition, one row per construct: (text, the counts that
/// are not zero, by their JSON names).
#[test]
fn markdown_table() {
    let cases: &[(&str, &[(&str, usize)])] = &[
        ("plain text", &[]),
        ("# H1\n## H2\n###### H6\n####### not", &[("headings", 3)]),
        ("#hashtag is not a heading", &[]),
        ("- a\n* b\n+ c\n• d\n-not a bullet", &[("bulletItems", 4)]),
        (
            "1. a\n2) b\n10. c\n1.5 is a number",
            &[("numberedItems", 3)],
        ),
        ("**bold** and __bold__ and **open", &[("bold", 2)]),
        (
            "*it* and _it_ but snake_case_name and 2 * 3 * 4",
            &[("italic", 2)],
        ),
        ("***both***", &[("bold", 1), ("italic", 1)]),
        ("* **Bold item:** text", &[("bulletItems", 1), ("bold", 1)]),
        (
            "```rust\nlet x = 1; # not a heading\n- not a bullet\n```\nafter",
            &[("codeFences", 1)],
        ),
        ("```\nunclosed\n# still code", &[("codeFences", 1)]),
        ("~~~\na\n~~~\n```py\nb\n```", &[("codeFences", 2)]),
        (
            "| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 | 4 |",
            &[("tables", 1), ("tableRows", 3)],
        ),
        (
            "see [docs](https://x.org) or https://y.org/z.",
            &[("links", 2)],
        ),
        ("[not a link] (x)", &[]),
        ("use `cargo` and ``a ` b``", &[("inlineCode", 2)]),
        ("> quoted\n> > nested", &[("quotedLines", 2)]),
        (
            "> - quoted bullet",
            &[("quotedLines", 1), ("bulletItems", 1)],
        ),
        ("---\n***\n_ _ _", &[("rules", 3)]),
    ];
    for (text, nonzero) in cases {
        let p = Profile::of_text(text, &ProfileOptions::default());
        let got = serde_json::to_value(&p.markdown).unwrap();
        let got = got.as_object().unwrap();
        for (name, count) in got {
            let want = nonzero.iter().find(|(n, _)| n == name).map_or(0, |c| c.1);
            assert_eq!(count.as_u64(), Some(want as u64), "{text:?}: {name}");
        }
        assert!(
            nonzero.iter().all(|(n, _)| got.contains_key(*n)),
            "{text:?}"
        );
    }
}

/// Block markers are not words and do not make sentences of their own.
#[test]
fn list_markers_are_not_sentences() {
    let p = Profile::of_text(
        "1. First item\n2. Second item\n- Third",
        &ProfileOptions::default(),
    );
    assert_eq!(p.words, 5);
    assert_eq!(p.sentences, 3);
    assert_eq!(word_count(&p, 1, &["1"]), 0);
}

/// Odd inputs: never a panic, and the invariants still hold.
#[test]
fn odd_inputs_do_not_panic() {
    let long_word = "a".repeat(100_000);
    let long_han = "字".repeat(30_000);
    let storm = format!("a{}", "\u{301}".repeat(10_000));
    let zalgo = "Z\u{36b}\u{33f}\u{344}\u{352}a\u{321}\u{359}l\u{35c}g\u{489}o".repeat(500);
    let emoji_wall = "👨\u{200d}👩\u{200d}👧🇺🇦❤\u{fe0f}".repeat(1000);
    let cases: Vec<(&str, &str)> = vec![
        ("empty", ""),
        ("whitespace only", " \t\n\n \r\n "),
        ("only emoji", "😀😀 🎉"),
        ("only punctuation", "?!... ,,, —— «»"),
        ("100k characters without spaces", &long_word),
        ("30k ideographs", &long_han),
        ("combining-mark storm", &storm),
        ("zalgo", &zalgo),
        ("emoji wall", &emoji_wall),
        (
            "NUL and controls",
            "a\0b\u{1}\u{7f}\u{85}c\u{2028}d\u{2029}",
        ),
        ("lone CRs", "\r\r\ra\rb"),
        (
            "stray markup",
            "**\n__\n`\n[](\nhttp://\n|\n|-|\n#\n1.\n- \n> ",
        ),
        ("BOMs and zero widths", "\u{feff}\u{feff}\u{200b}\u{200d}"),
        ("lone surrogate-range escapes as text", "\\ud800 \u{fffd}"),
    ];
    for (name, text) in cases {
        let p = Profile::of_text(text, &ProfileOptions::default());
        assert_eq!(p.texts, 1, "{name}");
        assert_eq!(
            p.sentence_lengths.iter().sum::<u32>() as usize,
            p.sentences,
            "{name}"
        );
        assert_eq!(
            p.word_lengths.iter().sum::<u32>() as usize,
            p.words,
            "{name}"
        );
        let finite = [
            p.richness.type_token_ratio,
            p.richness.mattr,
            p.richness.hapax_ratio,
            p.richness.yules_k,
            p.emoji_per_1000_words,
        ];
        assert!(finite.iter().all(|x| x.is_finite()), "{name}: {finite:?}");
        assert!(
            p.closing_sentences.iter().all(|(s, _)| s.len() <= 300),
            "{name}"
        );
    }
    let p = Profile::of_text(&long_word, &ProfileOptions::default());
    assert_eq!(
        (p.words, p.chars, p.word_lengths[WORD_LENGTH_BUCKETS - 1]),
        (1, 100_000, 1)
    );
    let p = Profile::of_text(&storm, &ProfileOptions::default());
    assert_eq!(p.graphemes, 1);
    let p = Profile::of_text("😀😀 🎉", &ProfileOptions::default());
    assert_eq!((p.words, p.emoji, p.emoji_per_1000_words), (0, 3, 0.0));
}

#[test]
fn options_are_honoured() {
    let text = "one two three four five six seven eight nine ten one two";
    let options = ProfileOptions {
        max_char_ngram: 2,
        mattr_window: 5,
        top_k: 3,
        ..ProfileOptions::default()
    };
    let p = Profile::of_text(text, &options);
    assert_eq!(p.char_ngrams.len(), 2);
    assert_eq!(p.top_word_ngrams[0].len(), 3);
    // 12 words, windows of 5 are all distinct: MATTR 1, TTR 10/12.
    assert_eq!(p.richness.mattr, 1.0);
    assert_eq!(p.richness.type_token_ratio, 10.0 / 12.0);
    let none = Profile::of_text(
        text,
        &ProfileOptions {
            max_char_ngram: 0,
            ..options.clone()
        },
    );
    assert!(none.char_ngrams.is_empty());
    let huge = Profile::of_text(
        text,
        &ProfileOptions {
            max_char_ngram: 1000,
            ..options
        },
    );
    assert_eq!(huge.char_ngrams.len(), lineage::profile::MAX_CHAR_NGRAM);
}

#[test]
fn tables_stay_within_the_cap() {
    let text: String = (0..5000).map(|i| format!("w{i} ")).collect();
    let options = ProfileOptions {
        max_table_entries: 1000,
        ..ProfileOptions::default()
    };
    let p = Profile::of_text(&text, &options);
    assert!(p.pruned);
    assert!(p
        .word_ngrams
        .iter()
        .chain(&p.char_ngrams)
        .all(|t| t.len() <= 1000));
    let mut merged = p.clone();
    merged.merge(&Profile::of_text("fresh words here", &options));
    assert!(merged
        .word_ngrams
        .iter()
        .chain(&merged.char_ngrams)
        .all(|t| t.len() <= 1000));
    assert!(!Profile::of_text("w1 w2", &options).pruned);
}

/// A text with more than 2^20 n-gram occurrences per table goes through
/// the spill path (sorted runs folded into a hash map): counts stay exact.
#[test]
fn very_long_texts_count_exactly() {
    let text = "abcdefghij ".repeat(100_000);
    let p = Profile::of_text(&text, &ProfileOptions::default());
    assert_eq!(p.chars, 1_100_000);
    assert_eq!(p.words, 100_000);
    assert_eq!(char_count(&p, "a"), 100_000);
    assert_eq!(char_count(&p, " "), 100_000);
    assert_eq!(char_count(&p, "j abc"), 99_999);
    for n in 1..=5 {
        let total: u64 = p.char_ngrams[n - 1].values().map(|&c| u64::from(c)).sum();
        assert_eq!(total, 1_100_000 - (n as u64 - 1), "char {n}-grams");
        assert_eq!(p.char_ngrams[n - 1].len(), 11, "distinct char {n}-grams");
    }
    assert_eq!(word_count(&p, 1, &["abcdefghij"]), 100_000);
    assert_eq!(word_count(&p, 3, &["abcdefghij"; 3]), 99_998);
    assert!(!p.pruned);
}
