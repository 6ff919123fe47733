//! The tables both renderings show, defined once: their headers, the value
//! in each cell and how each number is written. The Markdown and HTML
//! renderers only lay a [`Table`] out in their markup (and escape it their
//! way), so the two documents cannot drift apart in what a column holds or
//! how many decimals a score has.

use super::*;

/// One cell, with what kind of value it holds: the renderers escape every
/// kind of text, and HTML also marks the kind (names bidi-isolated, numbers
/// right-aligned, fingerprints in monospace).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    /// A name from the inputs: a source, candidate, family or model.
    Name(String),
    /// Other text, from the inputs or in our own words.
    Text(String),
    /// A number as written here (digits, signs, brackets, commas only).
    Num(String),
    /// A fingerprint (hexadecimal).
    Hash(String),
    /// Text quoted from an output (HTML sets it as a block quote).
    Quote(String),
    /// Names from the inputs, each with a count: HTML isolates each name
    /// on its own, so one cannot reorder the others' figures.
    Names(Vec<(String, usize)>),
}

/// A table: a header per column, then rows of cells in that order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Table {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

fn name(s: &str) -> Cell {
    Cell::Name(s.to_string())
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn num(x: impl std::fmt::Display) -> Cell {
    Cell::Num(x.to_string())
}

/// A score (three decimals, as the signals' and the ranking's).
fn score(x: f64) -> Cell {
    num(format!("{x:.3}"))
}

/// A bootstrap interval, as wide as its score is precise.
fn interval(low: f64, high: f64) -> Cell {
    num(format!("[{low:.3}, {high:.3}]"))
}

/// A test statistic.
fn statistic(x: f64) -> Cell {
    num(format!("{x:.3}"))
}

/// A p-value: four decimals, so one under α = 0.05 shows its size.
fn p(x: f64) -> Cell {
    num(format!("{x:.4}"))
}

/// The candidates, closest first.
pub(crate) fn ranking(v: &Verdict) -> Table {
    Table {
        headers: vec![
            "rank",
            "candidate",
            "family",
            "score",
            "interval",
            "p (closest)",
            "in the set",
            "signals ranking it first",
        ],
        rows: v
            .ranking
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    num(i + 1),
                    name(&r.candidate),
                    name(&r.family),
                    score(r.score),
                    interval(r.low, r.high),
                    p(r.closest_p_value),
                    // "ruled out" says why the candidate is not in the set
                    // (its p is under α); a bare "no" did not.
                    text(if r.in_set { "yes" } else { "ruled out" }),
                    num(r.signals_first),
                ]
            })
            .collect(),
    }
}

/// The verdict's tests, one row each.
pub(crate) fn tests(v: &Verdict) -> Table {
    Table {
        headers: vec!["test", "method", "statistic", "p", "units"],
        rows: v
            .tests
            .iter()
            .map(|t| {
                vec![
                    text(&t.hypothesis),
                    text(&t.method),
                    statistic(t.statistic),
                    p(t.p_value),
                    num(t.units),
                ]
            })
            .collect(),
    }
}

/// One signal's scores, one row per candidate.
pub(crate) fn signal_scores(sig: &SignalResult) -> Table {
    Table {
        headers: vec!["candidate", "score", "interval"],
        rows: sig
            .scores
            .iter()
            .map(|c| vec![name(&c.candidate), score(c.score), interval(c.low, c.high)])
            .collect(),
    }
}

/// What each source says it is, from the identity probes.
pub(crate) fn identity_probes(r: &Report) -> Table {
    Table {
        headers: vec![
            "source",
            "identity answers",
            "names it gives (answers)",
            "no name",
            "for example",
        ],
        rows: r
            .identity_probes
            .iter()
            .map(|p| {
                vec![
                    name(&p.source),
                    num(p.answers),
                    Cell::Names(
                        p.names
                            .iter()
                            .map(|n| (n.entity.clone(), n.answers))
                            .collect(),
                    ),
                    num(p.unnamed),
                    p.names
                        .first()
                        .map_or(text(""), |n| Cell::Quote(n.example.clone())),
                ]
            })
            .collect(),
    }
}

/// The habits (over-used words and phrases) the suspect shares with a
/// candidate, from any evidence (other kinds are passed over).
pub(crate) fn habits<'a>(evidence: impl Iterator<Item = &'a Evidence>) -> Table {
    Table {
        headers: vec![
            "candidate",
            "word or phrase",
            "suspect (z, count)",
            "candidate (z, count)",
        ],
        rows: evidence
            .filter_map(|e| match e {
                Evidence::SharedHabit {
                    candidate,
                    item,
                    z_suspect,
                    z_candidate,
                    count_suspect,
                    count_candidate,
                } => Some(vec![
                    name(candidate),
                    Cell::Text(format!("“{item}”")),
                    // One decimal: z says how clear the over-use is, and
                    // above 2 is clear.
                    num(format!("{z_suspect:.1}, {count_suspect}")),
                    num(format!("{z_candidate:.1}, {count_candidate}")),
                ]),
                _ => None,
            })
            .collect(),
    }
}

/// The inputs and their fingerprints (chain of custody).
pub(crate) fn inputs(r: &Report) -> Table {
    Table {
        headers: vec!["input", "samples", "malformed lines", "SHA-256"],
        rows: r
            .inputs
            .iter()
            .map(|i| {
                vec![
                    name(&i.name),
                    num(i.samples),
                    num(i.malformed_lines),
                    Cell::Hash(i.sha256.clone()),
                ]
            })
            .collect(),
    }
}

/// A test of whether the claim is specific: the suspect against the other
/// families (specificity) or against the named model's family-mates (the
/// model test, the same test one level down). One shape for both, so each
/// rendering writes them with one piece of code.
pub(crate) struct Check<'a> {
    /// "Specificity test" or "Model test".
    pub label: &'static str,
    /// The family or model the claim names.
    pub subject: &'a str,
    pub hypothesis: &'a str,
    pub method: Option<&'a str>,
    pub p_value: f64,
    pub holds: bool,
    /// What a failure means: the specificity test's is an abstention; the
    /// model test's only narrows the claim to the family (not a fault of
    /// the claim, so not marked as one).
    pub on_failure: &'static str,
    /// Whether a failure means no claim (marked as a failure).
    pub failure_is_fatal: bool,
    /// What it was compared with: a name, the statistic and its p.
    pub against: Table,
}

impl Check<'_> {
    pub(crate) fn outcome(&self) -> &'static str {
        if self.holds {
            "holds"
        } else {
            self.on_failure
        }
    }
}

/// The specificity test and, below it, its model test (when there is one).
pub(crate) fn checks(t: &SpecificityTest) -> Vec<Check<'_>> {
    let mut out = vec![Check {
        label: "Specificity test",
        subject: &t.family,
        hypothesis: &t.hypothesis,
        method: Some(&t.method),
        p_value: t.p_value,
        holds: t.holds,
        on_failure: "does not hold",
        failure_is_fatal: true,
        against: comparisons(
            "other family",
            t.against
                .iter()
                .map(|a| (&a.family, a.statistic, a.p_value)),
        ),
    }];
    if let Some(m) = &t.model_test {
        out.push(Check {
            label: "Model test",
            subject: &m.model,
            hypothesis: &m.hypothesis,
            method: None,
            p_value: m.p_value,
            holds: m.holds,
            on_failure: "does not hold, so the claim names the family, not one model",
            failure_is_fatal: false,
            against: comparisons(
                "family-mate",
                m.against.iter().map(|a| (&a.model, a.statistic, a.p_value)),
            ),
        });
    }
    out
}

/// A list of comparisons (who, statistic, p) as a table.
fn comparisons<'a>(who: &'static str, rows: impl Iterator<Item = (&'a String, f64, f64)>) -> Table {
    Table {
        headers: vec![who, "statistic", "p"],
        rows: rows
            .map(|(n, t, pv)| vec![name(n), statistic(t), p(pv)])
            .collect(),
    }
}

impl Report {
    /// The suspect's name ("?" when the report has none).
    pub(super) fn suspect(&self) -> &str {
        self.sources
            .iter()
            .find(|x| x.role == "suspect")
            .map_or("?", |x| x.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specificity_and_model_test_are_one_shape() {
        let t = SpecificityTest {
            family: "fam".into(),
            hypothesis: "h".into(),
            method: "m".into(),
            against: vec![SpecificityComparison {
                family: "other".into(),
                statistic: 2.0,
                p_value: 0.01,
            }],
            p_value: 0.01,
            holds: true,
            model_test: Some(ModelSpecificity {
                model: "x".into(),
                hypothesis: "hx".into(),
                against: vec![ModelComparison {
                    model: "mate".into(),
                    statistic: 0.5,
                    p_value: 0.3,
                }],
                p_value: 0.3,
                holds: false,
            }),
        };
        let c = checks(&t);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].against.headers, ["other family", "statistic", "p"]);
        assert_eq!(c[1].against.headers, ["family-mate", "statistic", "p"]);
        assert_eq!(
            c[1].against.rows,
            [vec![
                Cell::Name("mate".into()),
                Cell::Num("0.500".into()),
                Cell::Num("0.3000".into())
            ]]
        );
        assert_eq!(
            (c[0].outcome(), c[1].outcome()),
            (
                "holds",
                "does not hold, so the claim names the family, not one model"
            )
        );
    }
}
