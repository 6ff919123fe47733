//! The Markdown rendering of a report: what a person reads in an issue,
//! a pull request or an e-mail. User text (source names, passages, leak
//! sentences) is escaped so it never becomes markup.

use super::*;

impl Report {
    /// A human-readable Markdown rendering.
    pub fn to_markdown(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let v = &self.verdict;
        // The claim and its scope come first, as in every rendering.
        let _ = writeln!(s, "# {}\n", md_escape(&v.headline));
        let suspect = self
            .sources
            .iter()
            .find(|x| x.role == "suspect")
            .map(|x| x.name.as_str())
            .unwrap_or("?");
        let _ = writeln!(s, "Lineage report. Suspect: **{}**\n", md_escape(suspect));
        let _ = writeln!(s, "## Verdict\n");
        let _ = writeln!(s, "{}\n", md_escape(&v.reason));
        let _ = writeln!(s, "{}.\n", md_escape(&v.figures()));
        let _ = writeln!(s, "_{}_\n", md_escape(CAVEAT));
        let _ = writeln!(
            s,
            "| rank | candidate | family | score | interval | p (closest) | in set | signals first |"
        );
        let _ = writeln!(s, "|---|---|---|---|---|---|---|---|");
        for (i, r) in v.ranking.iter().enumerate() {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {:.3} | [{:.3}, {:.3}] | {:.4} | {} | {} |",
                i + 1,
                md_escape(&r.candidate),
                md_escape(&r.family),
                r.score,
                r.low,
                r.high,
                r.closest_p_value,
                if r.in_set { "yes" } else { "no" },
                r.signals_first
            );
        }
        if let Some(p) = &v.power {
            let _ = writeln!(s, "\nPower: {}.", md_escape(&p.message));
        }
        if let Some(r) = &v.robustness {
            let _ = writeln!(s, "\nRobustness: {}.", md_escape(&r.message));
        }
        if let Some(t) = &v.specificity {
            let against: Vec<String> = t
                .against
                .iter()
                .map(|a| {
                    format!(
                        "{} t = {:.2}, p = {:.4}",
                        md_escape(&a.family),
                        a.statistic,
                        a.p_value
                    )
                })
                .collect();
            let _ = writeln!(
                s,
                "\nSpecificity ({}): {} — p = {:.4}, {} ({}).",
                md_escape(&t.family),
                md_escape(&t.hypothesis),
                t.p_value,
                if t.holds { "holds" } else { "does not hold" },
                against.join("; ")
            );
            if let Some(m) = &t.model_test {
                let against: Vec<String> = m
                    .against
                    .iter()
                    .map(|a| {
                        format!(
                            "{} t = {:.2}, p = {:.4}",
                            md_escape(&a.model),
                            a.statistic,
                            a.p_value
                        )
                    })
                    .collect();
                let _ = writeln!(
                    s,
                    "\nModel test ({}): {} — p = {:.4}, {} ({}).",
                    md_escape(&m.model),
                    md_escape(&m.hypothesis),
                    m.p_value,
                    if m.holds { "holds" } else { "does not hold" },
                    against.join("; ")
                );
            }
        }
        if !v.tests.is_empty() {
            let _ = writeln!(s, "\n### Tests\n");
            for t in &v.tests {
                let _ = writeln!(
                    s,
                    "- {} ({}): p = {:.4} over {} units",
                    md_escape(&t.hypothesis),
                    md_escape(&t.method),
                    t.p_value,
                    t.units
                );
            }
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
            for sc in &sig.scores {
                let _ = writeln!(
                    s,
                    "- {}: {:.4} [{:.4}, {:.4}]",
                    md_escape(&sc.candidate),
                    sc.score,
                    sc.low,
                    sc.high
                );
            }
            if let Some(n) = &sig.note {
                let _ = writeln!(s, "\n_{}_", md_escape(n));
            }
            let shown: Vec<&Evidence> = sig.evidence.iter().take(12).collect();
            if !shown.is_empty() {
                let _ = writeln!(s, "\nEvidence:\n");
                for e in shown {
                    let _ = writeln!(s, "- {}", md_escape(&evidence_line(e)));
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
            for p in &self.identity_probes {
                let names = if p.names.is_empty() {
                    "names no model or vendor".to_string()
                } else {
                    p.names
                        .iter()
                        .map(|n| format!("{} ({} of {})", n.entity, n.answers, p.answers))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let _ = writeln!(
                    s,
                    "- {}: {} identity answers; {}",
                    md_escape(&p.source),
                    p.answers,
                    md_escape(&names)
                );
                if let Some(n) = p.names.first() {
                    let _ = writeln!(s, "  - e.g. \"{}\"", md_escape(&n.example));
                }
            }
            let _ = writeln!(s);
        }
        // A source name may hold line breaks: kept on one line, it cannot
        // close the code fence and inject markup.
        let newick = self.kinship.newick.replace(['\n', '\r'], " ");
        let _ = writeln!(s, "## Family tree\n\n```\n{newick}\n```\n");
        let _ = writeln!(s, "## Inputs\n");
        for i in &self.inputs {
            let _ = writeln!(
                s,
                "- {} — {} samples, sha256 {}",
                md_escape(&i.name),
                i.samples,
                i.sha256
            );
        }
        let _ = writeln!(
            s,
            "\nSeed {}, schema {}, lineage {}.",
            self.seed, self.schema_version, self.lineage_version
        );
        s
    }
}

fn evidence_line(e: &Evidence) -> String {
    match e {
        Evidence::SharedHabit {
            candidate,
            item,
            z_suspect,
            z_candidate,
            count_suspect,
            count_candidate,
        } => format!(
            "{candidate}: \"{item}\" over-used by both (z {z_suspect:.1} / {z_candidate:.1}; counts {count_suspect} / {count_candidate})"
        ),
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
    }
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
