//! Identity probes: the prompts that ask a model what it is ("Who are
//! you?", "Which company trained you?", in several languages). They come
//! from the project's probe set (`probes/lineage-probes-v1.jsonl`, category
//! `identity`), compiled in (`build.rs` extracts them, so the module does
//! not carry the other categories' prompts), so a sample is recognised as
//! an answer to one either by its prompt id (as `lineage collect` records
//! it) or by its prompt text (answers collected another way).

use std::collections::BTreeSet;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/identity_probes.rs"));

struct Probes {
    ids: BTreeSet<String>,
    prompts: BTreeSet<String>,
}

/// Case-folded, whitespace collapsed, trailing punctuation and spaces
/// dropped: "Who are you?" and "who are you" are one prompt.
fn key(prompt: &str) -> String {
    let folded = prompt.to_lowercase();
    let words: Vec<&str> = folded.split_whitespace().collect();
    words
        .join(" ")
        .trim_end_matches(|c: char| {
            c.is_ascii_punctuation() || matches!(c, '？' | '。' | '！' | '¿' | '¡')
        })
        .to_string()
}

fn probes() -> &'static Probes {
    static PROBES: OnceLock<Probes> = OnceLock::new();
    PROBES.get_or_init(|| {
        let mut p = Probes {
            ids: BTreeSet::new(),
            prompts: BTreeSet::new(),
        };
        for (id, prompt) in IDENTITY_PROBES {
            p.ids.insert(id.to_string());
            p.prompts.insert(key(prompt));
        }
        p
    })
}

/// Whether a sample with this prompt id and prompt text answers an
/// identity probe of the probe set.
pub fn is_identity_probe(prompt_id: Option<&str>, prompt: Option<&str>) -> bool {
    let p = probes();
    prompt_id.is_some_and(|id| p.ids.contains(id))
        || prompt.is_some_and(|text| p.prompts.contains(&key(text)))
}

/// How many identity probes the compiled-in probe set has.
pub fn count() -> usize {
    probes().ids.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_are_recognised_by_id_or_text() {
        // (prompt id, prompt, expected)
        let cases: &[(Option<&str>, Option<&str>, bool)] = &[
            (Some("en-identity-001"), None, true),
            (None, Some("Who are you?"), true),
            (None, Some("  who ARE   you "), true),
            (None, Some("Which company trained you?"), true),
            (Some("en-explain-001"), Some("Why is the sky blue?"), false),
            (None, Some("Who are you, really, deep down?"), false),
            (None, None, false),
        ];
        for (id, prompt, want) in cases {
            assert_eq!(is_identity_probe(*id, *prompt), *want, "{id:?} {prompt:?}");
        }
        assert!(count() >= 10, "{}", count());
    }
}
