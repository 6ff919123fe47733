//! What the passage finder adds up for a reader: the passages and words
//! each pair of sources shares, with the passages that merely restate the
//! prompt ([`echoes_prompt`]) flagged and left out of the totals: two
//! answers that both quote the question share words because of the
//! question, not because one model learnt from the other.

use std::collections::BTreeMap;

use crate::text::{self, fold::fold_for_matching};

/// A passage restates the prompt when at least this share of its words
/// stands in the prompt as one verbatim run.
const ECHO_SHARE: f64 = 0.5;

/// The words of `text` as the verbatim overlap matches them (case and
/// homoglyphs folded).
fn matching_words(text: &str) -> Vec<String> {
    text::words(text)
        .iter()
        .map(|w| fold_for_matching(w.text))
        .collect()
}

/// True when `passage` restates `prompt`: its longest run of words that
/// stands verbatim in the prompt (matched as the overlap matches, case
/// and homoglyphs folded) covers at least half of the passage.
pub fn echoes_prompt(passage: &str, prompt: &str) -> bool {
    let (p, q) = (matching_words(passage), matching_words(prompt));
    if p.is_empty() || q.is_empty() {
        return false;
    }
    // Longest common run of words, one row of the table at a time.
    let mut longest = 0;
    let mut previous = vec![0usize; q.len() + 1];
    for word in &p {
        let mut row = vec![0usize; q.len() + 1];
        for (j, other) in q.iter().enumerate() {
            if word == other {
                row[j + 1] = previous[j] + 1;
                longest = longest.max(row[j + 1]);
            }
        }
        previous = row;
    }
    longest as f64 >= ECHO_SHARE * p.len() as f64
}

/// The passages two sources share, added up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PairTotal {
    /// The two sources, in name order.
    pub a: String,
    pub b: String,
    /// Passages and their words, prompt echoes left out.
    pub passages: usize,
    pub words: usize,
    /// Passages left out as prompt echoes.
    pub echoes: usize,
}

/// One shared passage as the totals read it.
pub struct Shared<'a> {
    pub a: &'a str,
    pub b: &'a str,
    pub words: usize,
    pub prompt_echo: bool,
}

/// The totals of every pair of sources, most shared words first (then by
/// name): the pairs a reader looks at first.
pub fn pair_totals<'a>(passages: impl IntoIterator<Item = Shared<'a>>) -> Vec<PairTotal> {
    let mut by_pair: BTreeMap<(&str, &str), PairTotal> = BTreeMap::new();
    for s in passages {
        let key = if s.a <= s.b { (s.a, s.b) } else { (s.b, s.a) };
        let total = by_pair.entry(key).or_insert_with(|| PairTotal {
            a: key.0.to_string(),
            b: key.1.to_string(),
            ..PairTotal::default()
        });
        if s.prompt_echo {
            total.echoes += 1;
        } else {
            total.passages += 1;
            total.words += s.words;
        }
    }
    let mut totals: Vec<PairTotal> = by_pair.into_values().collect();
    crate::sort::stable_sort_by(&mut totals, |x, y| {
        y.words
            .cmp(&x.words)
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoes_are_passages_mostly_in_the_prompt() {
        let prompt = "How did US states get their names? Explain briefly.";
        // (passage, restates the prompt)
        let cases = [
            ("how did us states get their names", true),
            (
                "HOW DID US STATES GET THEIR NAMES and many other things",
                true,
            ),
            (
                "did US states get their names from explorers, leaders or rivers of the west",
                false,
            ),
            (
                "rivers mountains and explorers gave many states their names",
                false,
            ),
            ("", false),
        ];
        for (passage, want) in cases {
            assert_eq!(echoes_prompt(passage, prompt), want, "{passage}");
        }
        assert!(!echoes_prompt("anything at all", ""));
    }

    #[test]
    fn totals_add_up_per_unordered_pair_without_echoes() {
        let shared = |a, b, words, prompt_echo| Shared {
            a,
            b,
            words,
            prompt_echo,
        };
        let got = pair_totals([
            shared("x", "y", 10, false),
            shared("y", "x", 5, false),
            shared("x", "y", 30, true),
            shared("a", "z", 40, false),
            shared("b", "c", 0, true),
        ]);
        let rows: Vec<(&str, &str, usize, usize, usize)> = got
            .iter()
            .map(|t| (t.a.as_str(), t.b.as_str(), t.passages, t.words, t.echoes))
            .collect();
        assert_eq!(
            rows,
            [
                ("a", "z", 1, 40, 0),
                ("x", "y", 2, 15, 1),
                ("b", "c", 0, 0, 1)
            ]
        );
    }
}
