//! The HTML rendering of a report: one self-contained file to hand on (no
//! script, no remote link, the style inline, the charts inline SVG),
//! printable from a browser. The claim and its scope come first, then the
//! evidence a person reads, a glossary in plain words, the methods and
//! parameters, and the SHA-256 of every input (chain of custody).
//!
//! Everything from the inputs (source names, passages, sentences, prompt
//! ids, even the headline, which quotes names) goes through [`Esc`]: model
//! outputs are hostile, and no text of theirs may become markup.

use super::tables::{self, Cell};
use super::*;
use std::fmt::{self, Write};

mod glossary;
mod svg;
#[cfg(test)]
mod tests;

/// Text as HTML text or a double- or single-quoted attribute value: the
/// characters that could open markup, end an attribute or start a
/// reference become references, and NUL (which parsers drop) U+FFFD.
pub(super) struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut done = 0;
        for (i, b) in self.0.bytes().enumerate() {
            let reference = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                0 => "\u{FFFD}",
                _ => continue,
            };
            // Every byte matched is ASCII: the slices end on char boundaries.
            f.write_str(&self.0[done..i])?;
            f.write_str(reference)?;
            done = i + 1;
        }
        f.write_str(&self.0[done..])
    }
}

/// A name from the inputs, bidi-isolated: right-to-left text cannot
/// reorder the figures around it.
struct Name<'a>(&'a str);

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<bdi>{}</bdi>", Esc(self.0))
    }
}

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#111;background:#fff}\
h1{font-size:1.5rem;line-height:1.3}h2{margin-top:2rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}\
th{background:#f2f2f2}td.n{text-align:right;white-space:nowrap}blockquote{margin:0;white-space:pre-wrap}\
.caveat{border-left:4px solid #c80;padding-left:.6rem}.fail{color:#a00;font-weight:bold}.hash{font-family:monospace;word-break:break-all}\
pre{white-space:pre-wrap;overflow-wrap:anywhere}svg{max-width:100%;height:auto}figure{margin:1rem 0}dt{font-weight:bold}dd{margin:0 0 .5rem 1.5rem}\
@media print{body{max-width:none;margin:0;font-size:11pt}h2{break-after:avoid}tr,figure,dd,li{break-inside:avoid}thead{display:table-header-group}}";

/// Passages, habits and leak sentences shown; the rest are counted (the
/// JSON report holds them all).
const SHOWN: usize = 40;

impl Report {
    /// The report as one self-contained HTML document, the same from the
    /// CLI (`--format html`), the JS package and the Python package.
    pub fn to_html(&self) -> String {
        let mut s = String::with_capacity(32 * 1024);
        let v = &self.verdict;
        let _ = write!(
            s,
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>Lineage report: {}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n",
            Esc(&v.headline),
            Esc(&v.headline)
        );
        self.html_claim(&mut s);
        self.html_passages(&mut s);
        self.html_identity(&mut s);
        self.html_habits(&mut s);
        self.html_kinship(&mut s);
        glossary::write(&mut s);
        self.html_methods(&mut s);
        self.html_custody(&mut s);
        s.push_str("</body></html>\n");
        s
    }

    fn html_claim(&self, s: &mut String) {
        let v = &self.verdict;
        s.push_str("<p><b>Scope.</b> Suspect ");
        self.names_with_role(s, "suspect");
        s.push_str("; candidate teachers: ");
        let candidates = self.names_with_role(s, "candidate");
        let _ = write!(s, " ({candidates}); control: ");
        if self.names_with_role(s, "control") == 0 {
            s.push_str("none (so no teacher can be named, only a resemblance)");
        }
        let d = &self.design;
        if d.paired {
            let _ = write!(
                s,
                "; compared prompt by prompt on the {} prompts all of them answered",
                d.shared_prompts
            );
        } else {
            let _ = write!(
                s,
                "; unpaired: the models did not answer the same prompts ({} suspect texts)",
                d.units
            );
        }
        s.push_str(". The claim holds only among these candidates: a teacher not given cannot be named.</p>\n");
        let _ = writeln!(s, "<p>{}</p>\n<ul>", Esc(&v.reason));
        if let Some(r) = &v.robustness {
            let (class, word) = if r.survives {
                ("", "holds")
            } else {
                ("fail", "FAILS")
            };
            let _ = writeln!(
                s,
                "<li>Robustness check: <span class=\"{class}\">{word}</span>: {}.</li>",
                Esc(&r.message)
            );
        }
        for c in v.specificity.iter().flat_map(tables::checks) {
            let _ = writeln!(
                s,
                "<li>{} ({}): {} (p = {:.4}).</li>",
                c.label,
                Name(c.subject),
                match (c.holds, c.failure_is_fatal) {
                    (false, true) => format!("<span class=\"fail\">{}</span>", c.outcome()),
                    _ => c.outcome().to_string(),
                },
                c.p_value
            );
        }
        let _ = writeln!(
            s,
            "<li>Signals: {} of {} rank the top candidate ({}) first.</li>",
            v.agreeing_signals,
            v.ranked_signals,
            Name(v.top.as_deref().unwrap_or("none"))
        );
        if let Some(p) = &v.power {
            let _ = writeln!(s, "<li>More data: {}.</li>", Esc(&p.message));
        }
        let _ = writeln!(
            s,
            "<li>Figures: {}.</li>\n</ul>\n<p class=\"caveat\">{}</p>",
            Esc(&v.figures()),
            Esc(CAVEAT)
        );
        if !self.warnings.is_empty() {
            s.push_str("<h2>Read with care</h2>\n<ul>\n");
            for w in &self.warnings {
                let _ = writeln!(s, "<li>{}</li>", Esc(&w.message));
            }
            s.push_str("</ul>\n");
        }
        s.push_str("<h2>The candidates, closest first</h2>\n");
        svg::scores(s, &v.ranking);
        table(s, &tables::ranking(v));
    }

    fn html_passages(&self, s: &mut String) {
        // One row per candidate, prompt and passage (signals may repeat one).
        let mut seen: Vec<&Evidence> = Vec::new();
        for e in self.signals.iter().flat_map(|x| &x.evidence) {
            if passage_key(e).is_some() && !seen.iter().any(|d| passage_key(d) == passage_key(e)) {
                seen.push(e);
            }
        }
        if seen.is_empty() {
            return;
        }
        let suspect = Name(self.suspect());
        let _ = writeln!(
            s,
            "<h2>Passages written word for word by both</h2>\n<p>{} passage(s) in which the suspect {suspect} and a candidate wrote the same words \
for the same prompt (phrases most sources write are left out). The words are as the suspect wrote them; the candidate's differ at most in case and look-alike letters. \
Positions count characters from the start of each answer.</p>",
            seen.len()
        );
        table_head(s, &["candidate", "where", "the shared passage"]);
        for e in seen.iter().take(SHOWN) {
            let Evidence::SharedSpan {
                candidate,
                prompt_id,
                words,
                text,
                suspect_span: a,
                candidate_span: b,
            } = e
            else {
                continue;
            };
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>prompt {}<br>{words} words<br>suspect {}–{}<br>candidate {}–{}</td><td><blockquote>{}</blockquote></td></tr>",
                Name(candidate),
                Name(prompt_id),
                a.start_utf16,
                a.end_utf16,
                b.start_utf16,
                b.end_utf16,
                Esc(text)
            );
        }
        s.push_str("</tbody></table>\n");
        more(s, seen.len(), "passages");
    }

    fn html_identity(&self, s: &mut String) {
        if self.identity_probes.is_empty() && self.identity_leaks.is_empty() {
            return;
        }
        s.push_str("<h2>What each model says it is</h2>\n");
        if !self.identity_probes.is_empty() {
            s.push_str("<p>Answers to the questions that ask a model who it is.</p>\n");
            table(s, &tables::identity_probes(self));
        }
        let leaks = self.distinct_leaks();
        if !leaks.is_empty() {
            let _ = writeln!(
                s,
                "<p>Identity leaks: sentences in which a text presents itself as a model or vendor, in any answer \
({} in all; a sentence a source repeats is one row with its count).</p>",
                self.identity_leaks.len()
            );
            table_head(s, &["source", "names", "language", "times", "sentence"]);
            for (l, n) in leaks.iter().take(SHOWN) {
                let _ = writeln!(
                    s,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{n}</td><td><blockquote>{}</blockquote></td></tr>",
                    Name(&l.source),
                    Esc(&l.claims.join(", ")),
                    Esc(&l.language),
                    Esc(&l.sentence)
                );
            }
            s.push_str("</tbody></table>\n");
            more(s, leaks.len(), "distinct sentences");
        }
    }

    fn html_habits(&self, s: &mut String) {
        let mut habits = tables::habits(self.signals.iter().flat_map(|x| &x.evidence));
        let total = habits.rows.len();
        if total == 0 {
            return;
        }
        let _ = writeln!(
            s,
            "<h2>Habits the suspect shares with a candidate</h2>\n<p>Words and word pairs both use far more often than the other sources \
(z: how clear the over-use is; above 2 is clear), and how often each wrote them.</p>"
        );
        habits.rows.truncate(SHOWN);
        table(s, &habits);
        more(s, total, "habits");
    }

    fn html_kinship(&self, s: &mut String) {
        if self.kinship.sources.len() < 2 {
            return;
        }
        s.push_str("<h2>How alike all the sources write</h2>\n<p>Similarity of every pair of sources (1 = the same), darker is closer.</p>\n");
        svg::kinship(s, &self.kinship);
    }

    fn html_methods(&self, s: &mut String) {
        let v = &self.verdict;
        s.push_str("<h2>Methods and parameters</h2>\n");
        if !v.tests.is_empty() {
            table(s, &tables::tests(v));
        }
        for c in v.specificity.iter().flat_map(tables::checks) {
            let _ = write!(s, "<p>{}: {}", c.label, Esc(c.hypothesis));
            if let Some(m) = c.method {
                let _ = write!(s, " ({})", Esc(m));
            }
            s.push_str(".</p>\n");
            table(s, &c.against);
        }
        table_head(
            s,
            &[
                "signal",
                "what it measures",
                "in the combined score",
                "scores (interval)",
            ],
        );
        for sig in &self.signals {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}",
                Esc(&sig.name),
                Esc(&sig.description)
            );
            if let Some(n) = &sig.note {
                let _ = write!(s, " <i>{}</i>", Esc(n));
            }
            let _ = write!(
                s,
                "</td><td>{}</td><td>",
                if sig.in_combined { "yes" } else { "no" }
            );
            // Each candidate's row on a line of its own within the cell.
            for (i, row) in tables::signal_scores(sig).rows.iter().enumerate() {
                if i > 0 {
                    s.push_str("<br>");
                }
                for (j, c) in row.iter().enumerate() {
                    if j > 0 {
                        s.push(' ');
                    }
                    inline(s, c);
                }
            }
            s.push_str("</td></tr>\n");
        }
        s.push_str("</tbody></table>\n");
        table_head(
            s,
            &["source", "role", "family (from)", "samples", "median words"],
        );
        for x in &self.sources {
            let from = match x.family_from {
                Some(crate::family::FamilySource::User) => " (given)",
                Some(crate::family::FamilySource::Records) => " (its records)",
                Some(crate::family::FamilySource::Builtin) => " (a known name)",
                Some(crate::family::FamilySource::Own) => " (its own)",
                None => "",
            };
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}{}</td><td class=\"n\">{}</td><td class=\"n\">{:.0}</td></tr>",
                Name(&x.name),
                Esc(&x.role),
                Name(x.family.as_deref().unwrap_or("")),
                from,
                x.samples,
                x.median_words
            );
        }
        s.push_str("</tbody></table>\n");
        let p = &self.parameters;
        table_head(s, &["parameter", "value"]);
        let _ = write!(
            s,
            "<tr><td>significance level α</td><td>{}</td></tr><tr><td>bootstrap resamples</td><td>{}</td></tr>\
<tr><td>permutations</td><td>{}</td></tr><tr><td>most frequent words (Delta)</td><td>{}</td></tr>\
<tr><td>Delta</td><td>{}</td></tr><tr><td>longest character n-gram</td><td>{}</td></tr>\
<tr><td>log-odds prior</td><td>{}</td></tr><tr><td>classifier folds</td><td>{}</td></tr>\
<tr><td>shared passage: words at least</td><td>{}</td></tr><tr><td>signals combined</td><td>",
            p.alpha,
            p.bootstrap_reps,
            p.permutation_reps,
            p.mfw,
            p.delta.as_str(),
            p.max_char_ngram,
            p.log_odds_prior,
            p.classifier_folds,
            p.overlap_ngram
        );
        for (i, name) in p.signals.iter().enumerate() {
            let _ = write!(s, "{}{}", if i > 0 { ", " } else { "" }, name.name());
        }
        s.push_str("</td></tr>\n");
        let _ = writeln!(
            s,
            "</tbody></table>\n<p>Kinship tree (Newick, average linkage over 1 − similarity):</p><pre>{}</pre>",
            Esc(&self.kinship.newick)
        );
    }

    fn html_custody(&self, s: &mut String) {
        s.push_str("<h2>Inputs (chain of custody)</h2>\n<p>The SHA-256 of each input's bytes as read: the same file gives the same \
fingerprint (<code>sha256sum FILE</code> recomputes it), any change to it another.</p>\n");
        table(s, &tables::inputs(self));
        let _ = writeln!(
            s,
            "<p>Lineage {}, report schema {}, seed {}: the same inputs and seed give the same report.</p>",
            Esc(&self.lineage_version),
            self.schema_version,
            self.seed
        );
    }

    /// Writes the names of the sources of `role`, comma-separated, and
    /// says how many there were.
    fn names_with_role(&self, s: &mut String, role: &str) -> usize {
        let mut n = 0;
        for x in self.sources.iter().filter(|x| x.role == role) {
            let _ = write!(s, "{}{}", if n > 0 { ", " } else { "" }, Name(&x.name));
            n += 1;
        }
        n
    }
}

/// A shared passage's candidate, prompt and text (None for other evidence).
fn passage_key(e: &Evidence) -> Option<(&str, &str, &str)> {
    match e {
        Evidence::SharedSpan {
            candidate,
            prompt_id,
            text,
            ..
        } => Some((candidate, prompt_id, text)),
        _ => None,
    }
}

/// Opens a table with its header row and body; the caller closes it. The
/// headings are markup: constants, or text already escaped.
fn table_head(s: &mut String, columns: &[&str]) {
    s.push_str("<table><thead><tr>");
    for c in columns {
        let _ = write!(s, "<th>{c}</th>");
    }
    s.push_str("</tr></thead><tbody>\n");
}

/// Writes a table of the shared model: every cell escaped by its kind.
fn table(s: &mut String, t: &tables::Table) {
    table_head(s, &t.headers);
    for row in &t.rows {
        s.push_str("<tr>");
        for c in row {
            match c {
                Cell::Num(_) => s.push_str("<td class=\"n\">"),
                Cell::Hash(_) => s.push_str("<td class=\"hash\">"),
                Cell::Name(_) | Cell::Text(_) | Cell::Quote(_) | Cell::Names(_) => {
                    s.push_str("<td>")
                }
            }
            inline(s, c);
            s.push_str("</td>");
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table>\n");
}

/// A cell's value as escaped HTML text (names bidi-isolated).
fn inline(s: &mut String, c: &Cell) {
    let _ = match c {
        Cell::Name(x) => write!(s, "{}", Name(x)),
        Cell::Text(x) | Cell::Num(x) | Cell::Hash(x) => write!(s, "{}", Esc(x)),
        Cell::Quote(x) => write!(s, "<blockquote>{}</blockquote>", Esc(x)),
        Cell::Names(names) => {
            for (i, (n, count)) in names.iter().enumerate() {
                let _ = write!(s, "{}{} ({count})", if i > 0 { ", " } else { "" }, Name(n));
            }
            Ok(())
        }
    };
}

fn more(s: &mut String, total: usize, what: &str) {
    if total > SHOWN {
        let _ = writeln!(
            s,
            "<p>… and {} more {what} in the JSON report.</p>",
            total - SHOWN
        );
    }
}
