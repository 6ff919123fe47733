//! Verbatim overlap: containment, winnowing fingerprints, shared spans and
//! boilerplate discounting, on hand-made cases with known answers.

use lineage::options::OptionArgs;
use lineage::signals::overlap::{
    containment, containment_with, fingerprints, kgram_hashes, shared_spans, Boilerplate,
    OverlapOptions, SharedSpansOptions,
};
use proptest::prelude::*;

fn opts() -> OverlapOptions {
    OverlapOptions::default()
}

#[test]
fn containment_table() {
    // (name, a, b, n, expected)
    let cases: &[(&str, &str, &str, usize, f64)] = &[
        (
            "identical",
            "the cat sat on the mat",
            "the cat sat on the mat",
            2,
            1.0,
        ),
        ("disjoint", "alpha beta gamma", "delta epsilon zeta", 1, 0.0),
        (
            "case and punctuation ignored",
            "The Cat, sat!",
            "the cat sat",
            2,
            1.0,
        ),
        ("half of a's bigrams", "a b c", "a b x", 2, 0.5),
        ("a shorter than n", "one two", "one two three", 3, 0.0),
        ("empty a", "", "anything at all", 1, 0.0),
        ("empty b", "some words here", "", 1, 0.0),
        ("n is zero", "a b c", "a b c", 0, 0.0),
        ("distinct n-grams counted once", "a a a a", "a a", 2, 1.0),
        ("asymmetric: a inside b", "b c", "a b c d", 2, 1.0),
        ("asymmetric: b inside a", "a b c d", "b c", 2, 1.0 / 3.0),
        (
            "cyrillic",
            "Київ є столицею України",
            "столицею України є Київ",
            2,
            1.0 / 3.0,
        ),
    ];
    for &(name, a, b, n, expected) in cases {
        let got = containment(a, b, n);
        assert!(
            (got - expected).abs() < 1e-12,
            "{name}: got {got}, expected {expected}"
        );
    }
}

#[test]
fn shared_spans_table() {
    // (name, a, b, expected passages as they read in a, longest first)
    let copied = "Photosynthesis converts light energy into chemical energy stored in glucose";
    let cases: Vec<(&str, String, String, Vec<&str>)> = vec![
        (
            "identical",
            copied.to_string(),
            copied.to_string(),
            vec![copied],
        ),
        (
            "disjoint",
            "one two three four five six".into(),
            "seven eight nine ten eleven twelve".into(),
            vec![],
        ),
        (
            "copied sentence inside a longer answer",
            format!("Great question! {copied}. Plants also need water and carbon dioxide."),
            format!("In short, {copied}; that is the key idea."),
            vec![copied],
        ),
        (
            "case and punctuation do not break a match",
            "Hello, World: this is a test of matching".into(),
            "hello world this is a test".into(),
            vec!["Hello, World: this is a test"],
        ),
        (
            "two passages, longest first",
            "a b c d e f x1 x2 g h i j k l m n".into(),
            "g h i j k l m n y1 a b c d e f".into(),
            vec!["g h i j k l m n", "a b c d e f"],
        ),
        ("shorter than k", "a b c d".into(), "a b c d".into(), vec![]),
    ];
    for (name, a, b, expected) in &cases {
        let spans = shared_spans(a, b, &opts(), &Boilerplate::none());
        let got: Vec<&str> = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(&got, expected, "{name}");
        for s in &spans {
            assert_eq!(
                &a[s.a.start..s.a.end],
                s.text,
                "{name}: span a slices to the text"
            );
            let words_b = lineage::text::words(&b[s.b.start..s.b.end]).len();
            assert_eq!(
                words_b, s.words,
                "{name}: span b has the same number of words"
            );
        }
    }
}

/// UTF-16 offsets of a byte range, computed independently of the crate.
fn utf16_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    (
        text[..start].encode_utf16().count(),
        text[..end].encode_utf16().count(),
    )
}

#[test]
fn offsets_in_non_latin_text() {
    // (name, a, b, the shared passage); passages have at least k + window
    // - 1 = 8 words, the length winnowing is guaranteed to find.
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "cyrillic",
            "Ось відповідь: я мовна модель яка допомагає людям щодня. Дякую!",
            "Коротко: я мовна модель яка допомагає людям щодня",
            "я мовна модель яка допомагає людям щодня",
        ),
        (
            "emoji between words",
            "🎉🎉 Party time: bring snacks drinks and good music for all 🎶 tonight",
            "Plan 🙂 bring snacks drinks and good music for all 🎶",
            "bring snacks drinks and good music for all",
        ),
        (
            "cjk (one word per ideograph)",
            "你好！我们今天学习机器学习的基础知识。",
            "今天学习机器学习的基础",
            "今天学习机器学习的基础",
        ),
    ];
    for &(name, a, b, passage) in cases {
        let spans = shared_spans(a, b, &opts(), &Boilerplate::none());
        assert_eq!(spans.len(), 1, "{name}: {spans:?}");
        let s = &spans[0];
        assert_eq!(&a[s.a.start..s.a.end], passage, "{name}: bytes in a");
        assert_eq!(&b[s.b.start..s.b.end], passage, "{name}: bytes in b");
        assert_eq!(
            utf16_range(a, s.a.start, s.a.end),
            (s.a.start_utf16, s.a.end_utf16),
            "{name}"
        );
        assert_eq!(
            utf16_range(b, s.b.start, s.b.end),
            (s.b.start_utf16, s.b.end_utf16),
            "{name}"
        );
    }
}

#[test]
fn boilerplate_is_ignored() {
    let closing = "I hope this helps and let me know if you have any other questions";
    let sources: Vec<Vec<String>> = vec![
        vec![format!("Paris is the capital of France. {closing}")],
        vec![format!("Water boils at one hundred degrees. {closing}")],
        vec![format!("Rust has no garbage collector at all. {closing}")],
        vec!["A completely different answer without the formula".to_string()],
    ];
    let borrowed: Vec<Vec<&str>> = sources
        .iter()
        .map(|texts| texts.iter().map(String::as_str).collect())
        .collect();
    let boilerplate = Boilerplate::from_sources(&borrowed, &opts(), 0.5);
    assert!(!boilerplate.is_empty());
    assert_eq!(boilerplate.k(), 5);

    let a = &sources[0][0];
    let b = &sources[1][0];
    // Without discounting, the closing formula is the shared passage.
    let plain = shared_spans(a, b, &opts(), &Boilerplate::none());
    assert_eq!(plain.len(), 1);
    assert!(plain[0].text.starts_with("I hope this helps"));
    // With it, nothing is left.
    assert!(shared_spans(a, b, &opts(), &boilerplate).is_empty());
    assert!(containment(a, b, 5) > 0.5);
    assert_eq!(containment_with(a, b, 5, &boilerplate), 0.0);

    // A real copied passage next to boilerplate is still found.
    let copier = format!("As I said, Paris is the capital of France. {closing}");
    let spans = shared_spans(&copier, a, &opts(), &boilerplate);
    assert_eq!(spans.len(), 1);
    assert!(spans[0].text.starts_with("Paris is the capital of France"));

    // One source alone never makes boilerplate, whatever the share.
    let single = Boilerplate::from_sets(&[kgram_hashes(a, 5)], 5, 0.0);
    assert!(single.is_empty());
}

#[test]
fn winnowing_selects_window_minima() {
    let text = "one two three four five six seven eight nine ten eleven twelve";
    let fps = fingerprints(text, &opts());
    // 12 words, k = 5: 8 k-grams, 5 windows of 4; at least one fingerprint
    // per window and at most one per window.
    assert!(!fps.is_empty() && fps.len() <= 5, "{fps:?}");
    for w in fps.windows(2) {
        assert!(w[0].word < w[1].word, "fingerprints in text order");
    }
    // Every window of 4 consecutive k-grams contains a fingerprint.
    for start in 0..=4 {
        assert!(fps.iter().any(|f| f.word >= start && f.word < start + 4));
    }
    for f in &fps {
        assert_eq!(
            lineage::text::words(&text[f.span.start..f.span.end]).len(),
            5
        );
    }
    assert!(fingerprints("too short", &opts()).is_empty());
    assert_eq!(
        fingerprints("exactly five words here now", &opts()).len(),
        1
    );
}

#[test]
fn shared_spans_options_of_the_package() {
    let o = |min_words, window| SharedSpansOptions { min_words, window };
    // (options, matcher options or the refusal's message)
    let cases: [(SharedSpansOptions, Result<OverlapOptions, &str>); 5] = [
        (o(None, None), Ok(opts())),
        (
            o(Some(1), Some(64)),
            Ok(OverlapOptions { k: 1, window: 64 }),
        ),
        (
            o(Some(0), None),
            Err("minWords must be between 1 and 64, got 0"),
        ),
        (
            o(Some(65), None),
            Err("minWords must be between 1 and 64, got 65"),
        ),
        (
            o(None, Some(0)),
            Err("window must be between 1 and 64, got 0"),
        ),
    ];
    for (options, want) in cases {
        let got = options.to_options().map_err(|e| {
            assert_eq!(e.kind(), lineage::ErrorKind::BadArgument);
            e.to_string()
        });
        assert_eq!(got, want.map_err(str::to_string), "{options:?}");
    }
}

fn word_text() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "the", "cat", "sat", "on", "mat", "Київ", "мова", "学习", "🎉", "naïve", "a", "B", "x,",
        "y.",
    ]);
    prop::collection::vec(word, 0..40).prop_map(|ws| ws.join(" "))
}

fn folded_words(text: &str) -> Vec<String> {
    lineage::text::words(text)
        .iter()
        .map(|w| w.text.to_lowercase())
        .collect()
}

proptest! {
    // That containment is a share in [0, 1] is checked on hostile texts in
    // tests/reliability_props.rs (containment_is_a_share).

    #[test]
    fn identical_texts_are_covered_whole(a in word_text()) {
        let spans = shared_spans(&a, &a, &opts(), &Boilerplate::none());
        let words = lineage::text::words(&a);
        if words.len() >= 5 {
            prop_assert_eq!(spans.len(), 1);
            prop_assert_eq!(spans[0].words, words.len());
            prop_assert_eq!(spans[0].a.start, words[0].span.start);
            prop_assert_eq!(spans[0].a.end, words[words.len() - 1].span.end);
            prop_assert!((containment(&a, &a, 3) - 1.0).abs() < 1e-12);
        } else {
            prop_assert!(spans.is_empty());
        }
    }

    #[test]
    fn spans_slice_to_equal_word_sequences(a in word_text(), b in word_text()) {
        for s in shared_spans(&a, &b, &opts(), &Boilerplate::none()) {
            prop_assert!(a.is_char_boundary(s.a.start) && a.is_char_boundary(s.a.end));
            prop_assert!(b.is_char_boundary(s.b.start) && b.is_char_boundary(s.b.end));
            let (wa, wb) = (folded_words(&a[s.a.start..s.a.end]), folded_words(&b[s.b.start..s.b.end]));
            prop_assert_eq!(&wa, &wb);
            prop_assert_eq!(wa.len(), s.words);
            prop_assert!(s.words >= 5);
        }
    }
}
