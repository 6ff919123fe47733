//! Vendor families: which candidates come from one maker.
//!
//! A teacher claim is first a claim about a *family* ("an OpenAI model"):
//! one vendor's models share training data and house style, so a panel
//! that holds every plausible teacher holds siblings that no test can
//! tell apart, and no user needs them told apart to ask "was this
//! distilled from OpenAI?". A source's family comes from, in order: what
//! the user said (a `--family` flag, a panel's header, the package's
//! options, the page's field), a `family` field in its records, the
//! built-in table of well-known model names below, and otherwise the
//! source's own name (a family of one).
//!
//! The table recognises a vendor's *own* models by the name's leading
//! words. A fine-tune of an open model by someone else ("vicuna-13b",
//! "OpenHermes-2.5-Mistral-7B") is not the base model's vendor's model,
//! so only a name that *starts* with the vendor's model line matches.

use std::collections::BTreeMap;

/// (lower-case name prefix, family). The first prefix that a source
/// name (lower-cased, with `_` and spaces read as `-`) starts with wins;
/// longer, more specific prefixes come first where two overlap.
const BUILTIN: &[(&str, &str)] = &[
    // OpenAI: GPT API models, the completion models, o-series reasoners.
    ("gpt-", "openai"),
    ("gpt3", "openai"),
    ("gpt4", "openai"),
    ("chatgpt", "openai"),
    ("text-davinci", "openai"),
    ("text-curie", "openai"),
    ("text-babbage", "openai"),
    ("davinci", "openai"),
    ("o1-", "openai"),
    ("o3-", "openai"),
    ("o4-", "openai"),
    ("openai", "openai"),
    // Anthropic.
    ("claude", "anthropic"),
    ("anthropic", "anthropic"),
    // Google.
    ("gemini", "google"),
    ("gemma", "google"),
    ("palm", "google"),
    ("bard", "google"),
    ("chat-bison", "google"),
    ("text-bison", "google"),
    // Meta.
    ("llama", "meta"),
    ("meta-llama", "meta"),
    // Mistral AI.
    ("mistral", "mistral"),
    ("mixtral", "mistral"),
    ("codestral", "mistral"),
    ("ministral", "mistral"),
    // Others with API or flagship chat models.
    ("qwen", "alibaba"),
    ("deepseek", "deepseek"),
    ("command", "cohere"),
    ("cohere", "cohere"),
    ("grok", "xai"),
    ("phi-", "microsoft"),
    ("yi-", "01-ai"),
    ("glm-", "zhipu"),
    ("chatglm", "zhipu"),
    ("ernie", "baidu"),
];

/// The built-in family of a well-known model name, if any.
pub fn builtin(source: &str) -> Option<&'static str> {
    let key: String = source
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .collect();
    // A name given as "vendor/model" (a hub path) is read by its model
    // part too: "meta-llama/Llama-2-70b-chat-hf".
    let tail = key.rsplit('/').next().unwrap_or(&key);
    BUILTIN
        .iter()
        .find(|(prefix, _)| key.starts_with(prefix) || tail.starts_with(prefix))
        .map(|&(_, family)| family)
}

/// How a family is written in a sentence ("openai" → "OpenAI"): the
/// vendors of the built-in table by their own spelling, any other as
/// given.
pub fn display(family: &str) -> String {
    const SPELLING: &[(&str, &str)] = &[
        ("openai", "OpenAI"),
        ("anthropic", "Anthropic"),
        ("google", "Google"),
        ("meta", "Meta"),
        ("mistral", "Mistral AI"),
        ("alibaba", "Alibaba (Qwen)"),
        ("deepseek", "DeepSeek"),
        ("cohere", "Cohere"),
        ("xai", "xAI"),
        ("microsoft", "Microsoft"),
        ("01-ai", "01.AI"),
        ("zhipu", "Zhipu AI"),
        ("baidu", "Baidu"),
    ];
    SPELLING
        .iter()
        .find(|(key, _)| *key == family)
        .map_or_else(|| family.to_string(), |(_, shown)| shown.to_string())
}

/// "an OpenAI model", "a Google model": a family named in a claim.
pub fn model_phrase(family: &str) -> String {
    let shown = display(family);
    let vowel = shown
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {shown} model", if vowel { "an" } else { "a" })
}

/// Where a source's family came from (the report says which).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum FamilySource {
    /// Said by the user (flag, panel header, options, page).
    User,
    /// A `family` field in the source's records.
    Records,
    /// The built-in table of well-known model names.
    Builtin,
    /// Nothing said: the source is a family of its own.
    Own,
}

/// Normalises a family name as written by a user: trimmed, lower-case,
/// so "OpenAI" and "openai " are one family.
pub fn normalise(family: &str) -> String {
    family.trim().to_lowercase()
}

/// The family of `source`: the user's word, then its records', then the
/// built-in table, then its own name.
pub fn resolve(
    source: &str,
    user: &BTreeMap<String, String>,
    records: Option<&str>,
) -> (String, FamilySource) {
    let said = |f: &str| {
        let f = normalise(f);
        (!f.is_empty()).then_some(f)
    };
    if let Some(f) = user.get(source).and_then(|f| said(f)) {
        (f, FamilySource::User)
    } else if let Some(f) = records.and_then(said) {
        (f, FamilySource::Records)
    } else if let Some(f) = builtin(source) {
        (f.to_string(), FamilySource::Builtin)
    } else {
        (source.to_string(), FamilySource::Own)
    }
}

/// Parses `FAMILY=SOURCE,SOURCE,...` (the CLI's `--family`) into
/// (source, family) pairs.
pub fn parse_assignment(arg: &str) -> Result<Vec<(String, String)>, String> {
    let (family, sources) = arg
        .split_once('=')
        .ok_or_else(|| format!("{arg:?}: expected FAMILY=SOURCE[,SOURCE...]"))?;
    let family = normalise(family);
    if family.is_empty() {
        return Err(format!("{arg:?}: the family name is empty"));
    }
    let sources: Vec<String> = sources
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if sources.is_empty() {
        return Err(format!("{arg:?}: no source named after '='"));
    }
    Ok(sources.into_iter().map(|s| (s, family.clone())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_cases() {
        // (source name, expected family)
        let cases: &[(&str, Option<&str>)] = &[
            ("gpt4_0314", Some("openai")),
            ("gpt-3.5-turbo-0301", Some("openai")),
            ("text_davinci_003", Some("openai")),
            ("GPT-4o", Some("openai")),
            ("o1-preview", Some("openai")),
            ("claude-2.1", Some("anthropic")),
            ("Claude 3 Opus", Some("anthropic")),
            ("gemini-pro", Some("google")),
            ("llama-2-70b-chat-hf", Some("meta")),
            ("meta-llama/Llama-2-70b-chat-hf", Some("meta")),
            ("Mistral-7B-Instruct-v0.2", Some("mistral")),
            ("Qwen2-72B-Instruct", Some("alibaba")),
            // Fine-tunes by others are not the base vendor's models.
            ("OpenHermes-2.5-Mistral-7B", None),
            ("vicuna-13b", None),
            ("alpaca-7b", None),
            ("guanaco-33b", None),
            ("nous-hermes-13b", None),
            ("", None),
        ];
        for (name, want) in cases {
            assert_eq!(builtin(name), *want, "{name}");
        }
    }

    #[test]
    fn resolution_order_cases() {
        let user: BTreeMap<String, String> = [("gpt4_0314".to_string(), " Closed ".to_string())]
            .into_iter()
            .collect();
        // (source, records' family, expected)
        let cases: &[(&str, Option<&str>, (&str, FamilySource))] = &[
            ("gpt4_0314", Some("x"), ("closed", FamilySource::User)),
            (
                "gpt4_0613",
                Some("OpenAI"),
                ("openai", FamilySource::Records),
            ),
            ("gpt4_0613", Some("  "), ("openai", FamilySource::Builtin)),
            ("my-model", None, ("my-model", FamilySource::Own)),
        ];
        for (source, records, (family, from)) in cases {
            assert_eq!(
                resolve(source, &user, *records),
                (family.to_string(), *from),
                "{source}"
            );
        }
    }

    #[test]
    fn assignment_cases() {
        let ok = parse_assignment("OpenAI=gpt4_0314, gpt-3.5-turbo-0301").unwrap();
        assert_eq!(
            ok,
            vec![
                ("gpt4_0314".to_string(), "openai".to_string()),
                ("gpt-3.5-turbo-0301".to_string(), "openai".to_string()),
            ]
        );
        for bad in ["openai", "=a,b", "openai=", "openai= , "] {
            assert!(parse_assignment(bad).is_err(), "{bad}");
        }
    }
}
