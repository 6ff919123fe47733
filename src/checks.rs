//! What can be said about the inputs before an analysis runs: counts per
//! source (samples, words, prompts paired with the suspect), the warnings
//! the analysis would give about the data, and the occurrences of evidence
//! items in every source. The page shows these as the user edits; the
//! data warnings are the analysis's own (`analysis::size_warnings`), so
//! the page cannot promise what the report then contradicts.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::analysis::{size_warnings, SourceSize};
use crate::corpus::{self, Sample};

/// Words of a text as the analysis counts them (UAX #29 words).
pub fn word_count(text: &str) -> usize {
    crate::text::words(text).len()
}

/// The roles as far as they are chosen; every field may be left out.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct PreflightOptions {
    pub suspect: Option<String>,
    pub candidates: Vec<String>,
    pub control: Option<String>,
    /// Fewest prompts answered by every source for a paired design
    /// (default: the analysis's default).
    pub min_paired: Option<usize>,
}

/// One source's counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct SourceCounts {
    pub source: String,
    pub samples: usize,
    pub words: usize,
    pub median_words: f64,
    /// For the suspect: prompts answered by it, every candidate and the
    /// control; for another source: prompts it shares with the suspect.
    pub paired: usize,
}

/// A warning the analysis would give, with the report's code, or (when
/// `blocking`) the reason the analysis would be refused.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Check {
    pub code: String,
    pub message: String,
    /// The analysis would refuse these inputs (`too_large`: past the size
    /// limits of `corpus::check_limits`), so a page can say so while the
    /// text is typed rather than when Analyse is pressed.
    pub blocking: bool,
}

/// Counts of every source, in first-seen order, and the data warnings.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Preflight {
    pub sources: Vec<SourceCounts>,
    pub checks: Vec<Check>,
}

/// The counts and data warnings for `samples` with the roles chosen so far.
pub fn preflight(samples: &[Sample], options: &PreflightOptions) -> Preflight {
    let mut order: Vec<&str> = Vec::new();
    let mut by_source: BTreeMap<&str, Vec<&Sample>> = BTreeMap::new();
    for s in samples {
        if !by_source.contains_key(s.source.as_str()) {
            order.push(&s.source);
        }
        by_source.entry(&s.source).or_default().push(s);
    }
    let ids = |source: &str| -> BTreeSet<&str> {
        by_source.get(source).map_or_else(BTreeSet::new, |v| {
            v.iter().filter_map(|s| s.prompt_id.as_deref()).collect()
        })
    };
    let suspect = options.suspect.as_deref();
    let others: Vec<&str> = options
        .candidates
        .iter()
        .map(String::as_str)
        .chain(options.control.as_deref())
        .collect();
    let suspect_ids = suspect.map(ids).unwrap_or_default();
    let mut shared_by_all = suspect_ids.clone();
    for o in &others {
        let theirs = ids(o);
        shared_by_all.retain(|p| theirs.contains(p));
    }
    let sources: Vec<SourceCounts> = order
        .iter()
        .map(|&source| {
            let texts = &by_source[source];
            let lens: Vec<f64> = texts.iter().map(|s| word_count(&s.text) as f64).collect();
            let paired = if Some(source) == suspect {
                if others.is_empty() {
                    0
                } else {
                    shared_by_all.len()
                }
            } else {
                ids(source).intersection(&suspect_ids).count()
            };
            SourceCounts {
                source: source.to_string(),
                samples: texts.len(),
                words: lens.iter().sum::<f64>() as usize,
                median_words: crate::stats::median(&lens),
                paired,
            }
        })
        .collect();
    let in_roles: Vec<&SourceCounts> = sources
        .iter()
        .filter(|c| Some(c.source.as_str()) == suspect || others.contains(&c.source.as_str()))
        .collect();
    let min_paired = options
        .min_paired
        .unwrap_or(crate::analysis::AnalysisOptions::default().min_paired);
    let mut checks = Vec::new();
    // The analysis's own size check, over the sources it would read.
    let in_role_samples = in_roles
        .iter()
        .map(|c| by_source[c.source.as_str()].iter().copied());
    if let Err(e) = corpus::check_limits(in_role_samples, &corpus::SizeLimits::default()) {
        checks.push(Check {
            code: "too_large".into(),
            message: e.message().to_string(),
            blocking: true,
        });
    }
    checks.extend(data_checks(
        &in_roles,
        suspect.map(|_| shared_by_all.len()),
        min_paired,
    ));
    Preflight { checks, sources }
}

fn data_checks(sources: &[&SourceCounts], shared: Option<usize>, min_paired: usize) -> Vec<Check> {
    let sizes: Vec<SourceSize> = sources
        .iter()
        .map(|c| SourceSize {
            name: c.source.clone(),
            samples: c.samples,
            median_words: c.median_words,
        })
        .collect();
    let mut out: Vec<Check> = size_warnings(&sizes)
        .into_iter()
        .map(|w| Check {
            code: w.code,
            message: w.message,
            blocking: false,
        })
        .collect();
    if matches!(shared, Some(n) if n < min_paired) {
        out.push(Check {
            blocking: false,
            code: "unpaired_design".into(),
            message: format!(
                "fewer than {min_paired} prompts are answered by every source, so differences in topic cannot be ruled out; give samples prompt ids"
            ),
        });
    }
    out
}

/// Occurrences of words and word sequences in each source.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
pub struct ItemCounts {
    /// Words per source.
    pub words: BTreeMap<String, usize>,
    /// Occurrences of each item (case-folded, as given) per source.
    pub counts: BTreeMap<String, BTreeMap<String, usize>>,
}

/// How often each of `items` (a word or words separated by spaces) occurs
/// in each source's texts, matched on case-folded UAX #29 words, as the
/// habits signal counts them.
pub fn count_items(samples: &[Sample], items: &[String]) -> ItemCounts {
    let wanted: BTreeMap<Vec<String>, String> = items
        .iter()
        .map(|i| {
            let words = crate::signals::features::word_tokens(i);
            (words, i.to_lowercase())
        })
        .filter(|(w, _)| !w.is_empty())
        .collect();
    let lengths: BTreeSet<usize> = wanted.keys().map(Vec::len).collect();
    let mut out = ItemCounts::default();
    for item in wanted.values() {
        out.counts.insert(item.clone(), BTreeMap::new());
    }
    for (source, texts) in corpus::group_by_source(samples) {
        let mut words_total = 0;
        for s in &texts {
            let words = crate::signals::features::word_tokens(&s.text);
            words_total += words.len();
            for &n in &lengths {
                for gram in words.windows(n) {
                    if let Some(item) = wanted.get(gram) {
                        let per = out.counts.get_mut(item).expect("every item has a row");
                        *per.entry(source.clone()).or_default() += 1;
                    }
                }
            }
        }
        out.words.insert(source, words_total);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(source: &str, id: Option<&str>, text: &str) -> Sample {
        Sample::new(source, id, text)
    }

    #[test]
    fn preflight_counts_and_warns_with_the_analysis_thresholds() {
        let samples = vec![
            sample("s", Some("1"), "one two three"),
            sample("s", Some("2"), "one two"),
            sample("a", Some("1"), "x y z w"),
            sample("b", Some("2"), "x"),
            sample("c", None, "not in any role"),
        ];
        let options = PreflightOptions {
            suspect: Some("s".into()),
            candidates: vec!["a".into(), "b".into()],
            ..Default::default()
        };
        let p = preflight(&samples, &options);
        // (source, samples, words, median words, paired)
        let got: Vec<(&str, usize, usize, f64, usize)> = p
            .sources
            .iter()
            .map(|c| {
                (
                    c.source.as_str(),
                    c.samples,
                    c.words,
                    c.median_words,
                    c.paired,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("s", 2, 5, 2.5, 0),
                ("a", 1, 4, 4.0, 1),
                ("b", 1, 1, 1.0, 1),
                ("c", 1, 4, 4.0, 0)
            ]
        );
        let codes: Vec<&str> = p.checks.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "too_few_samples",
                "short_texts",
                "length_imbalance",
                "unpaired_design"
            ]
        );
        // The analysis's own words (analysis::size_warnings).
        assert_eq!(
            p.checks[0].message,
            "fewer than 30 outputs for: s (2), a (1), b (1); intervals are wide and tests weak"
        );
    }

    #[test]
    fn texts_past_the_size_limits_block_before_the_analysis() {
        let big = "word ".repeat((1 << 20) / 5 + 1); // just over 1 MiB
        let roles = PreflightOptions {
            suspect: Some("s".into()),
            candidates: vec!["a".into(), "b".into()],
            ..Default::default()
        };
        // (case, samples, the blocking message's fragment or None)
        let cases: [(&str, Vec<Sample>, Option<&str>); 4] = [
            (
                "small texts",
                vec![sample("s", Some("1"), "hi"), sample("a", Some("1"), "hi")],
                None,
            ),
            (
                "a long answer of a candidate",
                vec![sample("s", Some("1"), "hi"), sample("a", Some("7"), &big)],
                Some("the answer of a to prompt 7 is 1.0 MiB long; the limit is 1 MiB per text"),
            ),
            (
                "a long pasted answer without an id",
                vec![sample("s", None, &big)],
                Some("an answer of s (it has no prompt id) is 1.0 MiB long"),
            ),
            (
                "a long answer of a source in no role",
                vec![sample("s", Some("1"), "hi"), sample("left-out", None, &big)],
                None,
            ),
        ];
        for (case, samples, want) in cases {
            let p = preflight(&samples, &roles);
            let blocking: Vec<&Check> = p.checks.iter().filter(|c| c.blocking).collect();
            match want {
                None => assert!(blocking.is_empty(), "{case}: {blocking:?}"),
                Some(fragment) => {
                    assert_eq!(blocking.len(), 1, "{case}: {:?}", p.checks);
                    assert_eq!(blocking[0].code, "too_large", "{case}");
                    assert!(
                        blocking[0].message.contains(fragment),
                        "{case}: {}",
                        blocking[0].message
                    );
                }
            }
        }
    }

    #[test]
    fn items_are_counted_on_the_engines_words() {
        let samples = vec![
            sample(
                "a",
                None,
                "It is crucial. Crucial, really: which is crucial!",
            ),
            sample("b", None, "Nothing here."),
        ];
        let counts = count_items(&samples, &["crucial".into(), "is crucial".into()]);
        assert_eq!(counts.words["a"], 8);
        assert_eq!(counts.counts["crucial"].get("a"), Some(&3));
        assert_eq!(counts.counts["is crucial"].get("a"), Some(&2));
        assert_eq!(counts.counts["crucial"].get("b"), None);
    }
}
