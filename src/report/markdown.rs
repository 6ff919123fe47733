//! The Markdown rendering of a report: what a person reads in an issue,
//! a pull request or an e-mail. User text (source names, passages, leak
//! sentences) is escaped so it never becomes markup.

use super::tables::{self, Cell};
use super::*;

impl Report {
    /// A human-readable Markdown rendering.
    pub fn to_markdown(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let v = &self.verdict;
        // The claim and its scope come first, as in every rendering.
        let _ = writeln!(s, "# {}\n", md_escape(&v.headline));
        let _ = writeln!(
            s,
            "Lineage report. Suspect: **{}**\n",
            md_escape(self.suspect())
        );
        let _ = writeln!(s, "## Verdict\n");
        let _ = writeln!(s, "{}\n", md_escape(&v.reason));
        let _ = writeln!(s, "{}.\n", md_escape(&v.figures()));
        let _ = writeln!(s, "_{}_\n", md_escape(CAVEAT));
        md_table(&mut s, &tables::ranking(v));
        if let Some(p) = &v.power {
            let _ = writeln!(s, "\nPower: {}.", md_escape(&p.message));
        }
        if let Some(r) = &v.robustness {
            let _ = writeln!(s, "\nRobustness: {}.", md_escape(&r.message));
        }
        for c in v.specificity.iter().flat_map(tables::checks) {
            let _ = writeln!(
                s,
                "\n{} ({}): {} — p = {:.4}, {}.\n",
                c.label,
                md_escape(c.subject),
                md_escape(c.hypothesis),
                c.p_value,
                c.outcome()
            );
            md_table(&mut s, &c.against);
        }
        if !v.tests.is_empty() {
            let _ = writeln!(s, "\n### Tests\n");
            md_table(&mut s, &tables::tests(v));
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(s, "\n### Warnings\n");
            for w in &self.warnings {
                let _ = writeln!(s, "- {}", md_escape(&w.message));
            }
        }
        let _ = writeln!(s, "\n## Signals\n");
        for sig in &self.signals {
            let _ = writeln!(s, "### {}\n\n{}\n", sig.name, md_escape(&sig.description));
            md_table(&mut s, &tables::signal_scores(sig));
            if let Some(n) = &sig.note {
                let _ = writeln!(s, "\n_{}_", md_escape(n));
            }
            let shown: Vec<&Evidence> = sig.evidence.iter().take(12).collect();
            if !shown.is_empty() {
                let _ = writeln!(s, "\nEvidence:\n");
                let habits = tables::habits(shown.iter().copied());
                let lines: Vec<String> = shown.iter().filter_map(|e| evidence_line(e)).collect();
                if !habits.rows.is_empty() {
                    md_table(&mut s, &habits);
                    // A blank line ends the table before any list.
                    if !lines.is_empty() {
                        let _ = writeln!(s);
                    }
                }
                for line in lines {
                    let _ = writeln!(s, "- {}", md_escape(&line));
                }
            }
            let _ = writeln!(s);
        }
        if !self.identity_leaks.is_empty() {
            let _ = writeln!(s, "## Identity leaks\n");
            let distinct = self.distinct_leaks();
            for (l, n) in distinct.iter().take(20) {
                let times = if *n > 1 {
                    format!(" ({n} times)")
                } else {
                    String::new()
                };
                let _ = writeln!(
                    s,
                    "- {} ({}; names {}): \"{}\"{times}",
                    md_escape(&l.source),
                    l.language,
                    md_escape(&l.claims.join(", ")),
                    md_escape(&l.sentence)
                );
            }
            if distinct.len() > 20 {
                let _ = writeln!(
                    s,
                    "- ... and {} more distinct sentences",
                    distinct.len() - 20
                );
            }
            let _ = writeln!(s);
        }
        if !self.identity_probes.is_empty() {
            let _ = writeln!(s, "## What each source says it is (identity probes)\n");
            md_table(&mut s, &tables::identity_probes(self));
            let _ = writeln!(s);
        }
        // A source name may hold line breaks: kept on one line, it cannot
        // close the code fence and inject markup.
        let newick = self.kinship.newick.replace(['\n', '\r'], " ");
        let _ = writeln!(s, "## Family tree\n\n```\n{newick}\n```\n");
        let _ = writeln!(s, "## Inputs\n");
        md_table(&mut s, &tables::inputs(self));
        let _ = writeln!(
            s,
            "\nSeed {}, schema {}, lineage {}.",
            self.seed, self.schema_version, self.lineage_version
        );
        s
    }
}

/// Writes a table of the shared model. Text cells are escaped (a `|` in a
/// name cannot split a cell); numbers are written as they are, since they
/// are ours and escaping would put backslashes before an interval's
/// brackets.
fn md_table(s: &mut String, t: &tables::Table) {
    use std::fmt::Write;
    let _ = writeln!(s, "| {} |", t.headers.join(" | "));
    let _ = writeln!(s, "|{}", "---|".repeat(t.headers.len()));
    for row in &t.rows {
        s.push('|');
        for c in row {
            let _ = match c {
                Cell::Num(x) => write!(s, " {x} |"),
                Cell::Name(x) | Cell::Text(x) | Cell::Hash(x) => write!(s, " {} |", md_escape(x)),
                Cell::Quote(x) => write!(s, " \"{}\" |", md_escape(x)),
                Cell::Names(names) => {
                    let names: Vec<String> = names
                        .iter()
                        .map(|(n, count)| format!("{} ({count})", md_escape(n)))
                        .collect();
                    write!(s, " {} |", names.join(", "))
                }
            };
        }
        s.push('\n');
    }
}

/// One piece of evidence as a line; None for a shared habit, which the
/// habits table shows.
fn evidence_line(e: &Evidence) -> Option<String> {
    Some(match e {
        Evidence::SharedHabit { .. } => return None,
        Evidence::Word {
            candidate,
            word,
            z_suspect,
            z_candidate,
        } => format!("{candidate}: \"{word}\" (z {z_suspect:.2} / {z_candidate:.2})"),
        Evidence::Feature {
            candidate,
            feature,
            suspect,
            candidate_value,
        } => format!("{candidate}: {feature} {suspect:.3} vs {candidate_value:.3}"),
        Evidence::SharedSpan {
            candidate,
            prompt_id,
            words,
            text,
            ..
        } => format!("{candidate}, prompt {prompt_id}: {words} words \"{text}\""),
        Evidence::Assignment {
            candidate,
            outputs,
            of,
        } => format!("{candidate}: {outputs} of {of} suspect outputs"),
    })
}

/// Escapes the characters that would change Markdown structure, so user
/// text never becomes markup.
pub(super) fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}
