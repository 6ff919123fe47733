//! Answers in a language other than their prompt's: `collect` keeps them
//! and says so in its summary (a model that answers a French prompt in
//! English tells something about the model or the settings).

use super::Prompt;
use crate::signals::identity::{detect_language, Language};

/// The prompt's language (the probe set's `language` field, else detected
/// from its text) and the answer's, when both are known and differ. The
/// detector knows English, French, German, Spanish, Ukrainian, Russian
/// and Chinese (Japanese kanji read as Chinese); a prompt in another
/// language is not checked.
pub fn language_mismatch(prompt: &Prompt, answer: &str) -> Option<(String, String)> {
    let said = prompt.extra.get("language").and_then(|v| v.as_str());
    let asked = match said {
        Some(code) => code
            .split(['-', '_'])
            .next()
            .unwrap_or(code)
            .to_ascii_lowercase(),
        None => detect_language(&prompt.text).code().to_string(),
    };
    let answered = detect_language(answer);
    let known = ["en", "fr", "de", "es", "uk", "ru", "zh"].contains(&asked.as_str());
    (known && answered != Language::Other && answered.code() != asked)
        .then(|| (asked, answered.code().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mismatches() {
        let prompt = |text: &str, language: Option<&str>| Prompt {
            id: "p".into(),
            text: text.into(),
            extra: language
                .map(|l| json!({ "language": l }).as_object().unwrap().clone())
                .unwrap_or_default(),
        };
        // (prompt, its language field, answer, the mismatch)
        type Case<'a> = (
            &'a str,
            Option<&'a str>,
            &'a str,
            Option<(&'a str, &'a str)>,
        );
        let cases: [Case; 6] = [
            (
                "Who are you?",
                None,
                "I am a helpful assistant and I help.",
                None,
            ),
            (
                "Qui es-tu ?",
                Some("fr"),
                "I am an assistant made by a lab, and I help.",
                Some(("fr", "en")),
            ),
            (
                "Who are you?",
                Some("en-US"),
                "Je suis un assistant et je réponds à tes questions.",
                Some(("en", "fr")),
            ),
            (
                "Wer bist du?",
                Some("de"),
                "Ich bin ein Sprachmodell und das ist mein Name.",
                None,
            ),
            (
                "你是谁？",
                None,
                "I am a language model and the answer is no.",
                Some(("zh", "en")),
            ),
            ("Who are you?", Some("ja"), "私はアシスタントです。", None),
        ];
        for (text, language, answer, want) in cases {
            let got = language_mismatch(&prompt(text, language), answer);
            let want = want.map(|(a, b)| (a.to_string(), b.to_string()));
            assert_eq!(got, want, "{text} / {answer}");
        }
    }
}
