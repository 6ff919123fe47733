//! Identity leaks: positive and negative cases in English, Ukrainian,
//! Russian, Chinese, French, German and Spanish, read from the table
//! tests/core/data/identity_leaks.txt (one case a line).

use lineage::signals::identity::{find_leaks, ClaimKind, Language};

use ClaimKind::{Generic, Model, Vendor};

/// (text, expected claims as (entity, kind), language of the leak); `None`
/// for a text without a leak.
type Case = (
    &'static str,
    Option<(Vec<(&'static str, ClaimKind)>, Language)>,
);

fn cases() -> Vec<Case> {
    include_str!("data/identity_leaks.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|line| {
            let mut fields = line.splitn(3, " | ");
            let (language, claims) = (fields.next().unwrap(), fields.next().unwrap());
            let text = fields.next().unwrap_or("");
            if language == "none" {
                return (text, None);
            }
            let claims = claims
                .split(", ")
                .map(|c| {
                    let (entity, kind) = c.rsplit_once(':').unwrap();
                    let kind = match kind {
                        "model" => Model,
                        "vendor" => Vendor,
                        _ => Generic,
                    };
                    (entity, kind)
                })
                .collect();
            let language = [
                Language::English,
                Language::Ukrainian,
                Language::Russian,
                Language::Chinese,
                Language::French,
                Language::German,
                Language::Spanish,
            ]
            .into_iter()
            .find(|l| l.code() == language)
            .unwrap_or_else(|| panic!("unknown language {language}"));
            (text, Some((claims, language)))
        })
        .collect()
}

#[test]
fn the_table_holds_every_language() {
    let cases = cases();
    for code in ["en", "uk", "ru", "zh", "fr", "de", "es"] {
        let n = cases
            .iter()
            .filter(|c| c.1.as_ref().is_some_and(|x| x.1.code() == code))
            .count();
        assert!(n >= 3, "{code}: {n} positive cases");
    }
    assert!(cases.iter().filter(|c| c.1.is_none()).count() >= 20);
}

#[test]
fn positive_cases() {
    for (text, expected) in cases() {
        let Some((expected, language)) = expected else {
            continue;
        };
        let leaks = find_leaks(text);
        assert_eq!(leaks.len(), 1, "{text}: {leaks:?}");
        let got: Vec<(&str, ClaimKind)> = leaks[0]
            .claims
            .iter()
            .map(|c| (c.entity.as_str(), c.kind))
            .collect();
        assert_eq!(got, expected, "{text}");
        assert_eq!(leaks[0].language, language, "{text}");
        let span = leaks[0].span;
        assert_eq!(&text[span.start..span.end], leaks[0].sentence, "{text}");
        assert_eq!(
            text[..span.start].encode_utf16().count(),
            span.start_utf16,
            "{text}"
        );
        for c in &leaks[0].claims {
            assert_eq!(c.vendor.is_empty(), c.kind == Generic, "{text}: {c:?}");
        }
    }
}

#[test]
fn negative_cases() {
    for (text, expected) in cases() {
        if expected.is_none() {
            let leaks = find_leaks(text);
            assert!(leaks.is_empty(), "{text}: {leaks:?}");
        }
    }
}

#[test]
fn only_the_leaking_sentence_is_reported() {
    let text = "Paris is the capital of France. As an AI language model trained by OpenAI, \
                I have no travel plans. Enjoy your trip!";
    let leaks = find_leaks(text);
    assert_eq!(leaks.len(), 1);
    assert!(leaks[0].sentence.starts_with("As an AI language model"));
    assert_eq!(leaks[0].claims[0].vendor, "OpenAI");
}

#[test]
fn vendors_are_canonical() {
    let leaks = find_leaks("I am Gemini, a model from Google DeepMind.");
    let got: Vec<(&str, &str)> = leaks[0]
        .claims
        .iter()
        .map(|c| (c.entity.as_str(), c.vendor.as_str()))
        .collect();
    assert_eq!(got, [("Gemini", "Google"), ("Google", "Google")]);
}

mod properties {
    use lineage::signals::identity::find_leaks;
    use proptest::prelude::*;

    fn phrase_text() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "I am",
            "I'm",
            "ChatGPT",
            "Claude",
            "OpenAI",
            "as an",
            "AI",
            "language model",
            "developed by",
            "not",
            "я",
            "мовна модель",
            "компанією",
            "我是",
            "由",
            "开发的",
            "作为",
            "人工智能",
            ".",
            ",",
            "!",
            "。",
            "\n\n",
            "🎉",
            "hello",
        ]);
        prop::collection::vec(piece, 0..30).prop_map(|ps| ps.join(" "))
    }

    proptest! {
        #[test]
        fn leaks_slice_to_their_sentences(text in phrase_text()) {
            for leak in find_leaks(&text) {
                prop_assert!(text.is_char_boundary(leak.span.start));
                prop_assert!(text.is_char_boundary(leak.span.end));
                prop_assert_eq!(&text[leak.span.start..leak.span.end], leak.sentence.as_str());
                prop_assert_eq!(text[..leak.span.start].encode_utf16().count(), leak.span.start_utf16);
                prop_assert!(!leak.claims.is_empty());
            }
        }

        #[test]
        fn any_text_is_scanned_without_panic(text in "\\PC{0,300}") {
            let _ = find_leaks(&text);
        }
    }
}
