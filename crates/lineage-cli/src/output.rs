//! What the CLI prints: the output format (a readable summary on a
//! terminal, JSON when piped), the progress bar on stderr, and the
//! terminal summary of a report.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::time::Duration;

use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};

use lineage::report::Report;

/// Writes `text` to stdout. When the reader has gone (`lineage ... |
/// head -1`), the command stops quietly with status 0, as Unix tools do:
/// the output it was asked for is no longer wanted.
pub fn print(text: &str) -> Result<(), lineage::Error> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(stdout_error)
}

/// An error writing stdout: a closed pipe ends the process quietly
/// (status 0); anything else is an error to report.
pub fn stdout_error(e: std::io::Error) -> lineage::Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    lineage::Error::new(
        lineage::ErrorKind::Internal,
        format!("cannot write the output: {e}"),
    )
}

/// How a result is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    /// A short readable summary (the default on a terminal).
    Summary,
    /// The full JSON document (the default when stdout is piped).
    Json,
    /// The full report as Markdown.
    Md,
    /// The report as one self-contained HTML file to hand on (no script,
    /// no remote link, charts as SVG, a glossary, the inputs' SHA-256).
    Html,
}

impl OutFormat {
    /// The format asked for, else a summary on a terminal and JSON when
    /// stdout is a pipe or a file (what a script reading the output wants).
    pub fn resolve(asked: Option<OutFormat>) -> OutFormat {
        asked.unwrap_or(if std::io::stdout().is_terminal() {
            OutFormat::Summary
        } else {
            OutFormat::Json
        })
    }
}

/// A progress bar on stderr fed with the core's (stage, fraction).
pub struct Progress(ProgressBar);

impl Progress {
    pub fn new() -> Self {
        let pb = ProgressBar::new(1000);
        pb.set_style(
            ProgressStyle::with_template("{spinner} {msg:24} [{bar:30}] {percent:>3}% {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb.enable_steady_tick(Duration::from_millis(200));
        Progress(pb)
    }

    pub fn update(&self, stage: &str, fraction: f64) {
        self.0.set_message(stage.to_string());
        self.0.set_position((fraction * 1000.0) as u64);
    }

    pub fn finish(self) {
        self.0.finish_and_clear();
    }
}

/// The report in a few lines for a person at a terminal: the headline
/// (the claim and its scope, the first line of every rendering), the
/// reason, the ranking with each candidate's family, the tests and the
/// warnings. `--format json`, `md` or `html` gives everything.
pub fn summary(report: &Report) -> String {
    let mut s = String::new();
    let v = &report.verdict;
    let suspect = report
        .sources
        .iter()
        .find(|x| x.role == "suspect")
        .map_or("?", |x| x.name.as_str());
    let _ = writeln!(s, "{}", v.headline.trim_end());
    // What an auditor checks first, before the reasoning: does the claim
    // survive formatting, do the signals agree, what does the suspect say
    // it is.
    if let Some(r) = &v.robustness {
        let verdict = if r.survives { "holds" } else { "FAILS" };
        let _ = writeln!(s, "  robustness check {verdict}: {}", r.message);
    }
    if let Some(t) = &v.specificity {
        let _ = writeln!(
            s,
            "  specificity test ({}): p = {:.4}, {}",
            t.family,
            t.p_value,
            if t.holds { "holds" } else { "does not hold" }
        );
        if let Some(m) = &t.model_test {
            let _ = writeln!(
                s,
                "  model test ({}): p = {:.4}, {}",
                m.model,
                m.p_value,
                if m.holds {
                    "holds"
                } else {
                    "does not hold, so the claim names the family, not one model"
                }
            );
        }
    }
    let _ = writeln!(s, "  signals: {}", agreement(report));
    if let Some(said) = says_it_is(report, suspect) {
        let _ = writeln!(s, "  {suspect} says it is: {said}");
    }
    let _ = writeln!(s, "  {}", v.reason);
    let _ = writeln!(s, "  {}", v.figures());
    let _ = writeln!(
        s,
        "\nRanking ({} {}s; candidate, family, score, interval):",
        report.design.units, report.design.unit
    );
    let width = column_width(v.ranking.iter().map(|r| r.candidate.as_str()));
    let family_width = column_width(v.ranking.iter().map(|r| r.family.as_str()));
    for (i, r) in v.ranking.iter().enumerate() {
        let _ = writeln!(
            s,
            "  {}. {:<width$}  {:<family_width$}  {:>7.3}  [{:.3}, {:.3}]  {}  first in {} signal(s)",
            i + 1,
            r.candidate,
            r.family,
            r.score,
            r.low,
            r.high,
            if r.in_set {
                "in the set".to_string()
            } else {
                format!("ruled out (p = {:.4})", r.closest_p_value)
            },
            r.signals_first
        );
    }
    if let Some(p) = &v.power {
        let _ = writeln!(s, "  power: {}", p.message);
    }
    for t in &v.tests {
        let _ = writeln!(s, "  test: {} (p = {:.4})", t.hypothesis, t.p_value);
    }
    if !report.identity_leaks.is_empty() {
        let _ = writeln!(
            s,
            "\nIdentity leaks (sentences in which a text presents itself as a model or vendor), by source: {}",
            leaks_by_source(report)
        );
    }
    for w in &report.warnings {
        let _ = writeln!(s, "warning: {}", w.message);
    }
    let _ = writeln!(s, "\n{}", lineage::report::CAVEAT);
    let _ = writeln!(
        s,
        "Full report: --format json, md or html (one self-contained file to hand on)."
    );
    s
}

/// What the suspect's answers to identity probes claim, deduplicated with
/// counts ("ChatGPT (12 answers), OpenAI (3)"), or None when it answered
/// no identity probe.
fn says_it_is(report: &Report, suspect: &str) -> Option<String> {
    let p = report
        .identity_probes
        .iter()
        .find(|p| p.source == suspect)?;
    let mut parts: Vec<String> = p
        .names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let unit = if i == 0 { " answers" } else { "" };
            format!("{} ({}{unit})", n.entity, n.answers)
        })
        .collect();
    if p.unnamed > 0 {
        parts.push(format!("no name ({})", p.unnamed));
    }
    Some(format!(
        "{} of {} identity answers: {}",
        p.answers - p.unnamed,
        p.answers,
        parts.join(", ")
    ))
}

/// How many signals agree: the tested (combined) ones on the top
/// candidate's family, then all of them on the top candidate itself.
fn agreement(report: &Report) -> String {
    let v = &report.verdict;
    let top = v.ranking.first();
    let family_of = |c: &str| {
        v.ranking
            .iter()
            .find(|r| r.candidate == c)
            .map(|r| &r.family)
    };
    let tested: Vec<_> = report.signals.iter().filter(|s| s.in_combined).collect();
    let on_family = tested
        .iter()
        .filter(|s| {
            let first = s.ranking.first().and_then(|c| family_of(c));
            first.is_some() && first == top.map(|t| &t.family)
        })
        .count();
    format!(
        "{on_family} of the {} tested rank the family {} first; {} of all {} rank {} itself first",
        tested.len(),
        top.map_or("?", |t| t.family.as_str()),
        v.agreeing_signals,
        v.ranked_signals,
        top.map_or("?", |t| t.candidate.as_str())
    )
}

/// Identity leaks counted per source, the most first ("claude-2 17,
/// suspect 1").
fn leaks_by_source(report: &Report) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for l in &report.identity_leaks {
        match counts.iter_mut().find(|c| c.0 == l.source) {
            Some(c) => c.1 += 1,
            None => counts.push((&l.source, 1)),
        }
    }
    lineage::sort::stable_sort_by(&mut counts, |a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
        .iter()
        .map(|(name, n)| format!("{name} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The width (in characters) of a column of `names`, for `{:<width$}`.
pub fn column_width<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    names.map(|n| n.chars().count()).max().unwrap_or(0)
}

/// Writes a whole file or nothing: the bytes go to a temporary file beside
/// it, which is then renamed over it, so neither a reader nor a crash
/// ever sees half a file.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write as _;
    let name = path.display();
    let file_name = path
        .file_name()
        .ok_or_else(|| format!("{name} is not a file name"))?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {name}: {e}")
    })
}
