//! The robustness check: does the verdict survive the suspect's and the
//! control's texts with markdown stripped and whitespace and case
//! normalised? Formatting is the first thing an accused party will call
//! coincidence, and the cheapest thing to change with a system prompt.
//! Both texts are stripped alike and re-embedded under the same corpus
//! statistics; the candidates are left as written, so format signals lose
//! what they measured and the rest must carry the verdict.

use super::classifier::Separability;
use super::decision::{outcome, Inferred};
use super::roles::Cast;
use super::scores::{Scorer, Wanted};
use super::specific::LazyImpostors;
use super::AnalysisOptions;
use crate::report::{r6, Robustness, VerdictKind};
use crate::signals::overlap::NgramSets;
use crate::signals::paired::{Answer, TextRepr, VERBATIM_NGRAM};
use crate::stats;
use crate::text::markdown::{self, Block};

/// Plain text: markdown block markers and emphasis, code and table
/// characters removed, code fences and rules dropped, every run of
/// whitespace one space, lower case.
pub fn strip_formatting(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let l = markdown::line(line);
        if matches!(l.block, Block::Fence | Block::TableDelimiter | Block::Rule) {
            continue;
        }
        for c in l.content.chars() {
            if matches!(c, '*' | '_' | '`' | '#' | '|' | '>') {
                continue;
            }
            out.push(c);
        }
        out.push(' ');
    }
    let lower = out.to_lowercase();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The inference on the suspect's and the control's texts with their
/// formatting stripped (the costly half of the check; it does not depend
/// on the candidates' separability).
pub fn stripped_inference(
    scorer: &Scorer<'_>,
    opts: &AnalysisOptions,
    family_of: &[usize],
    impostors: &LazyImpostors<'_, '_>,
) -> Inferred {
    let (space, units) = (scorer.space(), scorer.units());
    // The word n-gram sets of the stripped texts are read only when a
    // combined signal reads them (verbatim overlap).
    let overlap = opts.signals.iter().any(|s| s.def().reads_word_ngrams);
    // Each unit's stripped answer is discounted by the unit's boilerplate.
    let strip = |idx: &[usize]| -> Vec<(TextRepr, NgramSets)> {
        let items: Vec<(usize, usize)> = idx.iter().copied().enumerate().collect();
        stats::par_map(&items, |&(u, i)| {
            let plain = strip_formatting(&space.texts[i].text);
            let grams = match scorer.boilerplate.get(u) {
                Some(b) if overlap => NgramSets::of(&plain, VERBATIM_NGRAM, b),
                _ => NgramSets::default(),
            };
            (space.embedder.embed(&plain), grams)
        })
    };
    let (s, c) = (strip(&units.suspect), strip(&units.control));
    // Only the combined score is tested: the other signals are not scored.
    let scored = scorer.score(&answers(&s), &answers(&c), Wanted::Combined);
    Inferred::of(&scored, opts, "robust/", family_of, impostors)
}

/// Whether the verdict survives: the stripped inference's outcome against
/// the original's (`kind`, `attributed`).
pub fn judge(
    inf: &Inferred,
    cast: &Cast,
    separability: &Separability,
    original: (VerdictKind, &[String]),
) -> Robustness {
    let (kind, attributed, closest) = outcome(inf, cast, separability);
    let survives = match original.0 {
        VerdictKind::Attribution => {
            kind == VerdictKind::Attribution && attributed.iter().any(|a| original.1.contains(a))
        }
        other => kind == other,
    };
    let message = match (original.0, survives) {
        (VerdictKind::Attribution, true) => format!(
            "the attribution survives with markdown stripped and whitespace and case normalised in the suspect's and control's texts (p = {:.4}, set {{{}}})",
            inf.max_t.p_value,
            attributed.join(", ")
        ),
        (VerdictKind::Attribution, false) => format!(
            "the attribution does not survive with markdown stripped and whitespace and case normalised (p = {:.4}): it rests on formatting, which a system prompt can change",
            inf.max_t.p_value
        ),
        (_, true) => "with markdown stripped and whitespace and case normalised the analysis abstains too".into(),
        (_, false) => format!(
            "with markdown stripped and whitespace and case normalised the analysis would attribute to {{{}}} (p = {:.4}): formatting differences hide a resemblance",
            attributed.join(", "),
            inf.max_t.p_value
        ),
    };
    Robustness {
        check: "markdown stripped, whitespace and case normalised in the suspect's and the control's texts".into(),
        survives,
        kind,
        attributed,
        closest,
        p_value: Some(r6(inf.max_t.p_value)),
        message,
    }
}

fn answers(stripped: &[(TextRepr, NgramSets)]) -> Vec<Answer<'_>> {
    stripped
        .iter()
        .map(|(repr, grams)| Answer { repr, grams })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_formatting_cases() {
        let cases = [
            ("# Title\n\n- **One**\n- _two_", "title one two"),
            ("```\ncode\n```\nAfter", "code after"),
            ("| a | b |\n|---|---|\n| 1 | 2 |", "a b 1 2"),
            ("Plain   TEXT\n\nhere.", "plain text here."),
            ("> quoted `x`", "quoted x"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(strip_formatting(input), want, "{input:?}");
        }
    }
}
