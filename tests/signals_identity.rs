#![cfg(not(target_arch = "wasm32"))]
//! Identity leaks: positive and negative cases in English, Ukrainian,
//! Russian, Chinese, French, German and Spanish.

use lineage::signals::identity::{find_leaks, ClaimKind, Language};

/// (text, expected claims as (entity, kind), language of the leak).
type Case = (&'static str, &'static [(&'static str, ClaimKind)], Language);

use ClaimKind::{Generic, Model, Vendor};
use Language::{Chinese, English, French, German, Russian, Spanish, Ukrainian};

const POSITIVE: &[Case] = &[
    ("I am ChatGPT.", &[("ChatGPT", Model)], English),
    (
        "Hi! I'm Claude, made by Anthropic.",
        &[("Claude", Model), ("Anthropic", Vendor)],
        English,
    ),
    (
        "I’m Claude, an AI assistant created by Anthropic.",
        &[("Claude", Model), ("Anthropic", Vendor)],
        English,
    ),
    (
        "As an AI language model developed by OpenAI, I cannot browse.",
        &[("OpenAI", Vendor)],
        English,
    ),
    (
        "As an AI language model, I do not have opinions.",
        &[("AI language model", Generic)],
        English,
    ),
    (
        "I am a large language model, trained by Google.",
        &[("Google", Vendor)],
        English,
    ),
    (
        "I was trained by OpenAI on a large dataset.",
        &[("OpenAI", Vendor)],
        English,
    ),
    (
        "My name is Bard and I am here to help.",
        &[("Bard", Model)],
        English,
    ),
    (
        "I'm an AI assistant, so I cannot feel emotions.",
        &[("AI assistant", Generic)],
        English,
    ),
    (
        "OpenAI trained me to be helpful.",
        &[("OpenAI", Vendor)],
        English,
    ),
    (
        "I am GPT-4, OpenAI's latest model.",
        &[("GPT-4", Model), ("OpenAI", Vendor)],
        English,
    ),
    (
        "I am not ChatGPT; I am Vicuna, trained by LMSYS.",
        &[("Vicuna", Model), ("LMSYS", Vendor)],
        English,
    ),
    (
        "Я мовна модель, створена компанією Google.",
        &[("Google", Vendor)],
        Ukrainian,
    ),
    (
        "Я — ChatGPT, мовна модель від OpenAI.",
        &[("ChatGPT", Model), ("OpenAI", Vendor)],
        Ukrainian,
    ),
    (
        "Як мовна модель, я не маю власних думок.",
        &[("language model", Generic)],
        Ukrainian,
    ),
    (
        "Мене створила компанія Anthropic.",
        &[("Anthropic", Vendor)],
        Ukrainian,
    ),
    (
        "я — ChatGPT, разработанный OpenAI.",
        &[("ChatGPT", Model), ("OpenAI", Vendor)],
        Russian,
    ),
    (
        "Как языковая модель ИИ, я не могу испытывать эмоции.",
        &[("language model", Generic)],
        Russian,
    ),
    (
        "Я являюсь большой языковой моделью, обученной компанией Google.",
        &[("Google", Vendor)],
        Russian,
    ),
    ("Меня зовут GigaChat.", &[("GigaChat", Model)], Russian),
    (
        "我是由OpenAI开发的人工智能语言模型。",
        &[("OpenAI", Vendor)],
        Chinese,
    ),
    (
        "作为一个人工智能语言模型，我无法浏览网页。",
        &[("AI language model", Generic)],
        Chinese,
    ),
    (
        "我是通义千问，由阿里云开发。",
        &[("Qwen", Model), ("Alibaba", Vendor)],
        Chinese,
    ),
    ("我是ChatGPT。", &[("ChatGPT", Model)], Chinese),
    (
        "Je suis Claude, un assistant IA créé par Anthropic.",
        &[("Claude", Model), ("Anthropic", Vendor)],
        French,
    ),
    (
        "En tant que modèle de langage développé par OpenAI, je ne peux pas naviguer.",
        &[("OpenAI", Vendor)],
        French,
    ),
    (
        "En tant qu'IA, je n'ai pas d'opinions.",
        &[("AI", Generic)],
        French,
    ),
    (
        "Je suis un grand modèle de langage, entraîné par Google.",
        &[("Google", Vendor)],
        French,
    ),
    (
        "Je m'appelle ChatGPT, un modèle d'OpenAI.",
        &[("ChatGPT", Model), ("OpenAI", Vendor)],
        French,
    ),
    (
        "Ich bin Claude, ein KI-Assistent von Anthropic.",
        &[("Claude", Model), ("Anthropic", Vendor)],
        German,
    ),
    (
        "Als KI-Sprachmodell, das von OpenAI entwickelt wurde, kann ich nicht surfen.",
        &[("OpenAI", Vendor)],
        German,
    ),
    (
        "Als künstliche Intelligenz habe ich keine Gefühle.",
        &[("AI", Generic)],
        German,
    ),
    (
        "Mein Name ist Gemini und ich helfe gern.",
        &[("Gemini", Model)],
        German,
    ),
    (
        "Soy ChatGPT, un modelo de lenguaje desarrollado por OpenAI.",
        &[("ChatGPT", Model), ("OpenAI", Vendor)],
        Spanish,
    ),
    (
        "Como modelo de lenguaje, no tengo opiniones propias.",
        &[("language model", Generic)],
        Spanish,
    ),
    (
        "Me llamo Claude y fui creado por Anthropic.",
        &[("Claude", Model), ("Anthropic", Vendor)],
        Spanish,
    ),
    (
        "Soy un asistente de IA entrenado por Google.",
        &[("Google", Vendor)],
        Spanish,
    ),
];

const NEGATIVE: &[&str] = &[
    "OpenAI released GPT-4 in 2023.",
    "I think ChatGPT is useful for drafting emails.",
    "I am happy to compare ChatGPT and Claude for you.",
    "I'm using Gemini and Llama every day.",
    "As a result, Google changed its search results.",
    "I am an AI enthusiast who reads papers.",
    "The llama is a domesticated South American camelid.",
    "I am not ChatGPT.",
    "Here is a poem about the sea.",
    "",
    "Компанія Google створила мовну модель Gemini.",
    "Я думаю, що ChatGPT корисний.",
    "OpenAI выпустила GPT-4 в 2023 году.",
    "Я считаю, что Claude пишет хорошо.",
    "OpenAI于2023年发布了GPT-4。",
    "我是学生，我喜欢用ChatGPT。",
    "OpenAI a publié GPT-4 en 2023.",
    "Je pense que ChatGPT est utile.",
    "Je suis content de comparer ChatGPT et Claude.",
    "Comme Google, beaucoup d'entreprises investissent.",
    "OpenAI hat GPT-4 im Jahr 2023 veröffentlicht.",
    "Ich finde ChatGPT sehr nützlich.",
    "Als ich ChatGPT zum ersten Mal benutzte, war ich überrascht.",
    "OpenAI lanzó GPT-4 en 2023.",
    "Creo que ChatGPT es útil.",
    "Como Google, muchas empresas invierten en IA.",
    "Soy estudiante y uso ChatGPT.",
];

#[test]
fn positive_cases() {
    for &(text, expected, language) in POSITIVE {
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
    for &text in NEGATIVE {
        let leaks = find_leaks(text);
        assert!(leaks.is_empty(), "{text}: {leaks:?}");
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
