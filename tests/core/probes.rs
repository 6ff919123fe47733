//! The probe set (`probes/lineage-probes-v1.jsonl`) keeps the shape its
//! README promises: read by `lineage collect`'s own reader, ids of the form
//! `{language}-{category}-{nnn}` that agree with the record's fields, the
//! documented categories, at least a fifth in other languages (Ukrainian,
//! Russian, Chinese, German and Spanish among them), identity probes in
//! several languages, and summarising prompts that carry their text.

use std::collections::{BTreeMap, BTreeSet};

use lineage::collect::read_prompts;

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/probes/lineage-probes-v1.jsonl"
);

const CATEGORIES: [&str; 8] = [
    "explain",
    "advice",
    "howto",
    "creative",
    "coding",
    "opinion",
    "summarise",
    "identity",
];

#[test]
fn the_probe_set_keeps_its_shape() {
    let bytes = std::fs::read(FILE).unwrap();
    let set = read_prompts(FILE, &bytes).unwrap();
    assert!(set.jsonl);
    assert_eq!(set.repeated, 0);
    assert_eq!(set.prompts.len(), 200);
    let mut by_language: BTreeMap<String, usize> = BTreeMap::new();
    let mut identity_languages = BTreeSet::new();
    for p in &set.prompts {
        let lang = p.extra["language"].as_str().unwrap();
        let cat = p.extra["category"].as_str().unwrap();
        assert!(CATEGORIES.contains(&cat), "{}: {cat}", p.id);
        let parts: Vec<&str> = p.id.split('-').collect();
        assert_eq!(parts.len(), 3, "{}", p.id);
        assert_eq!((parts[0], parts[1]), (lang, cat), "{}", p.id);
        assert!(
            parts[2].len() == 3 && parts[2].bytes().all(|b| b.is_ascii_digit()),
            "{}",
            p.id
        );
        *by_language.entry(lang.to_string()).or_default() += 1;
        if cat == "identity" {
            identity_languages.insert(lang.to_string());
        }
        if cat == "summarise" {
            // The instruction, a blank line, then the text to summarise
            // (in UTF-8 bytes: a Chinese text has fewer, wider characters).
            let (_, text) = p
                .text
                .split_once("\n\n")
                .unwrap_or_else(|| panic!("{}", p.id));
            assert!(text.len() > 400, "{}: the text is too short", p.id);
        }
        assert_eq!(p.text.trim(), p.text, "{}: stray whitespace", p.id);
    }
    for lang in ["uk", "ru", "zh", "de", "es"] {
        assert!(
            by_language.get(lang).copied().unwrap_or(0) >= 5,
            "{lang}: {by_language:?}"
        );
    }
    let other: usize = by_language
        .iter()
        .filter(|(l, _)| *l != "en")
        .map(|(_, n)| n)
        .sum();
    assert!(
        other * 5 >= set.prompts.len(),
        "{other} of {} in other languages",
        set.prompts.len()
    );
    assert!(identity_languages.len() >= 5, "{identity_languages:?}");
}
