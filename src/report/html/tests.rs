//! The HTML report: escaping, what it holds and in which order, what it
//! must never hold (script, remote links, markup from the inputs).

use super::*;

/// A small report by hand: suspect `s`, candidates `a` and `b` (two
/// families), control `c`; every text field from the inputs is `text`.
fn fixture(a: &str, text: &str) -> Report {
    let span = SpanOffsets {
        start: 0,
        end: 9,
        start_utf16: 0,
        end_utf16: 9,
    };
    let source = |name: &str, role: &str| SourceSummary {
        name: name.into(),
        role: role.into(),
        family: (role == "candidate").then(|| format!("{name}-family")),
        family_from: Some(crate::family::FamilySource::User),
        samples: 40,
        median_words: 120.0,
        mean_words: 130.0,
    };
    let ranked = |candidate: &str, score: f64, in_set: bool| RankedCandidate {
        candidate: candidate.into(),
        family: format!("{candidate}-family"),
        score,
        low: score - 0.2,
        high: score + 0.2,
        signals_first: 2,
        closest_p_value: if in_set { 1.0 } else { 0.001 },
        in_set,
    };
    let leak = || LeakEvidence {
        source: a.into(),
        prompt_id: Some(text.into()),
        sentence: format!("As {text}, I cannot"),
        claims: vec![text.into()],
        language: "en".into(),
        span,
    };
    let habit = Evidence::SharedHabit {
        candidate: a.into(),
        item: text.into(),
        z_suspect: 3.5,
        z_candidate: 4.1,
        count_suspect: 12,
        count_candidate: 30,
    };
    let passage = Evidence::SharedSpan {
        candidate: a.into(),
        prompt_id: text.into(),
        words: 9,
        text: text.into(),
        suspect_span: span,
        candidate_span: span,
    };
    Report {
        schema_version: SCHEMA_VERSION,
        lineage_version: "0.0.0-test".into(),
        seed: 7,
        parameters: crate::parameters::AnalysisOptions {
            permutation_reps: 2000,
            ..Default::default()
        },
        inputs: vec![InputFile {
            name: text.into(),
            sha256: "ab".repeat(32),
            samples: 160,
            malformed_lines: 0,
        }],
        sources: vec![
            source("s", "suspect"),
            source(a, "candidate"),
            source("b", "candidate"),
            source("c", "control"),
        ],
        design: Design {
            paired: true,
            shared_prompts: 40,
            unit: "prompt".into(),
            units: 40,
        },
        signals: vec![SignalResult {
            name: "overlap".into(),
            description: "Verbatim passages".into(),
            scores: vec![CandidateScore {
                candidate: a.into(),
                score: 0.5,
                low: 0.3,
                high: 0.7,
            }],
            ranking: vec![a.into(), "b".into()],
            in_combined: true,
            evidence: vec![passage.clone(), passage, habit],
            note: Some(text.into()),
        }],
        verdict: Verdict {
            headline: format!(
                "s: the teacher is {a} (95% confidence), among the 2 candidates given"
            ),
            kind: VerdictKind::Attribution,
            level: Some(ClaimLevel::Family),
            family: Some(format!("{a}-family")),
            tentative: false,
            specificity: None,
            attributed: vec![a.into()],
            closest: vec![a.into()],
            confidence: 0.95,
            top: Some(a.into()),
            abstained: false,
            abstention: None,
            reason: format!("s is closer than c to {a}"),
            p_value: Some(0.001),
            effect: 0.9,
            ranking: vec![ranked(a, 0.8, true), ranked("b", 0.1, false)],
            agreeing_signals: 3,
            ranked_signals: 4,
            tests: vec![],
            control: Some("c".into()),
            separability: Some(0.9),
            power: None,
            robustness: Some(Robustness {
                check: "format".into(),
                survives: true,
                kind: VerdictKind::Attribution,
                attributed: vec![a.into()],
                closest: vec![a.into()],
                p_value: Some(0.01),
                message: "the claim survives".into(),
            }),
        },
        kinship: Kinship {
            sources: vec!["s".into(), a.into(), "b".into(), "c".into()],
            similarity: vec![
                vec![1.0, 0.8, 0.3, 0.2],
                vec![0.8, 1.0, 0.3, 0.2],
                vec![0.3, 0.3, 1.0, 0.4],
                vec![0.2, 0.2, 0.4, 1.0],
            ],
            newick: format!("((s,{a}),(b,c));"),
        },
        identity_leaks: vec![leak(); 20],
        identity_probes: vec![IdentityProbeSummary {
            source: "s".into(),
            answers: 5,
            names: vec![ClaimedName {
                entity: text.into(),
                vendor: "v".into(),
                kind: "model".into(),
                answers: 4,
                example: format!("I am {text}."),
                prompt_id: None,
            }],
            unnamed: 1,
        }],
        warnings: vec![Warning {
            code: "short_texts".into(),
            message: text.into(),
        }],
    }
}

#[test]
fn esc_cases() {
    let cases = [
        ("plain", "plain"),
        ("<script>", "&lt;script&gt;"),
        ("a \"b\" 'c'", "a &quot;b&quot; &#39;c&#39;"),
        ("&amp;", "&amp;amp;"),
        ("nul\0here", "nul\u{FFFD}here"),
        ("é ع 中", "é ع 中"),
    ];
    for (input, want) in cases {
        assert_eq!(Esc(input).to_string(), want, "{input:?}");
    }
}

/// Every `<` opens a tag the renderer writes, every attribute is one it
/// writes, and every `&` starts a reference: no input text became markup.
fn assert_inert(html: &str, case: &str) {
    const TAGS: &[&str] = &[
        "!doctype",
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "p",
        "b",
        "i",
        "ul",
        "li",
        "span",
        "bdi",
        "br",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "blockquote",
        "figure",
        "svg",
        "desc",
        "line",
        "circle",
        "rect",
        "text",
        "dl",
        "dt",
        "dd",
        "pre",
        "code",
    ];
    const ATTRS: &[&str] = &[
        "lang",
        "charset",
        "http-equiv",
        "content",
        "name",
        "class",
        "xmlns",
        "viewbox",
        "width",
        "height",
        "role",
        "font-family",
        "font-size",
        "x",
        "y",
        "x1",
        "x2",
        "y1",
        "y2",
        "cx",
        "cy",
        "r",
        "fill",
        "stroke",
        "stroke-width",
        "stroke-dasharray",
        "text-anchor",
    ];
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let tag = &rest[i + 1..];
        let end = tag
            .find('>')
            .unwrap_or_else(|| panic!("{case}: unclosed tag"));
        let inner = tag[..end].trim_start_matches('/').trim_end_matches('/');
        let mut words = inner.split_whitespace();
        let name = words.next().unwrap_or("").to_ascii_lowercase();
        assert!(
            TAGS.contains(&name.as_str()),
            "{case}: tag <{name}> in {}",
            &tag[..end]
        );
        // Attributes: name="value" with no quote inside the value.
        let attrs = &inner[name.len()..];
        for part in attrs.split('"').step_by(2) {
            for a in part.split_whitespace() {
                let a = a.trim_end_matches('=').to_ascii_lowercase();
                assert!(
                    name == "!doctype" || ATTRS.contains(&a.as_str()),
                    "{case}: attribute {a} in <{name}>"
                );
            }
        }
        rest = &tag[end + 1..];
    }
    for (i, _) in html.match_indices('&') {
        let reference = &html[i..html.len().min(i + 8)];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                .iter()
                .any(|r| reference.starts_with(r)),
            "{case}: bare & at {reference}"
        );
    }
}

#[test]
fn hostile_inputs_stay_text() {
    let cases = [
        ("script in a name", "<script>alert(1)</script>", "plain"),
        ("script in every text", "a", "<script>alert(1)</script>"),
        (
            "attribute break in a name",
            "x\" onmouseover=\"alert(1)",
            "plain",
        ),
        ("attribute break, single quote", "a", "' onerror='alert(1)"),
        (
            "tag break in a passage",
            "a",
            "</blockquote></td><img src=x onerror=alert(1)>",
        ),
        ("entity in a passage", "a", "&lt;script&gt; &#x3C;"),
        (
            "svg break in a name",
            "</text></svg><svg onload=alert(1)>",
            "plain",
        ),
        ("NUL and right-to-left", "\u{202E}evil\0", "\u{202E}txt\0"),
    ];
    for (case, name, text) in cases {
        let html = fixture(name, text).to_html();
        assert_inert(&html, case);
        assert!(!html.to_ascii_lowercase().contains("<script"), "{case}");
        assert!(!html.to_ascii_lowercase().contains("<img"), "{case}");
        assert!(!html.contains('\0'), "{case}");
    }
}

#[test]
fn self_contained() {
    let html = fixture("a", "plain").to_html();
    // The one URL is the SVG namespace, which names and fetches nothing.
    let cases = [
        ("<script", 0),
        ("src=", 0),
        ("href=", 0),
        ("url(", 0),
        ("@import", 0),
        ("https:", 0),
        ("http:", 2),
    ];
    for (needle, want) in cases {
        assert_eq!(html.matches(needle).count(), want, "{needle}");
    }
    assert_eq!(
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
        2
    );
    assert!(html.contains("Content-Security-Policy"));
}

#[test]
fn claim_first_then_evidence_glossary_methods_custody() {
    let html = fixture("a", "plain").to_html();
    let order = [
        "<title>Lineage report: s: the teacher is a",
        "<h1>s: the teacher is a (95% confidence), among the 2 candidates given</h1>",
        "<b>Scope.</b>",
        "Robustness check: <span class=\"\">holds</span>",
        "<h2>Read with care</h2>",
        "<h2>The candidates, closest first</h2>",
        "<h2>Passages written word for word by both</h2>",
        "<h2>What each model says it is</h2>",
        "<h2>Habits the suspect shares with a candidate</h2>",
        "<h2>How alike all the sources write</h2>",
        "<h2>Glossary</h2>",
        "<h2>Methods and parameters</h2>",
        "<h2>Inputs (chain of custody)</h2>",
    ];
    let mut at = 0;
    for marker in order {
        let i = html[at..]
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} missing or out of order"));
        at += i + marker.len();
    }
}

#[test]
fn what_it_holds() {
    let html = fixture("a", "plain").to_html();
    let cases = [
        // Chain of custody: the input's fingerprint, whole.
        (
            "sha-256",
            format!("<td class=\"hash\">{}</td>", "ab".repeat(32)),
        ),
        // Twenty identical leak sentences: one row, counted.
        (
            "leaks deduplicated",
            "<td class=\"n\">20</td><td><blockquote>As plain, I cannot</blockquote>".into(),
        ),
        ("leak total", "(20 in all;".into()),
        // Two signals' copies of one passage are one row.
        ("passages deduplicated", "1 passage(s)".into()),
        (
            "passage beside its candidate and place",
            "<tr><td><bdi>a</bdi></td><td>prompt <bdi>plain</bdi><br>9 words<br>suspect 0–9<br>candidate 0–9</td><td><blockquote>plain</blockquote></td></tr>".into(),
        ),
        ("what the suspect says", "<bdi>plain</bdi> (4)".into()),
        (
            "habit, both sides",
            "<td class=\"n\">3.5, 12</td><td class=\"n\">4.1, 30</td>".into(),
        ),
        ("glossary: max-T", "<dt>max-T</dt>".into()),
        ("glossary: sd units", "<dt>Score in sd units</dt>".into()),
        ("glossary: separability", "<dt>Separability</dt>".into()),
        ("glossary: control", "<dt>Control</dt>".into()),
        ("glossary: specificity", "<dt>Specificity</dt>".into()),
        (
            "parameters",
            "<tr><td>permutations</td><td>2000</td></tr>".into(),
        ),
        (
            "charts",
            "<title>Score of each candidate with its interval</title>".into(),
        ),
        (
            "kinship chart",
            "<title>Similarity of every pair of sources</title>".into(),
        ),
        ("seed", "seed 7".into()),
        ("print css", "@media print{".into()),
    ];
    for (case, needle) in cases {
        assert!(html.contains(&needle), "{case}: {needle}");
    }
    assert_eq!(html.matches("As plain, I cannot").count(), 1);
}

#[test]
fn verdict_cases() {
    let no_control = |r: &mut Report| {
        r.sources.retain(|x| x.role != "control");
        r.verdict.robustness = None;
    };
    let fails = |r: &mut Report| r.verdict.robustness.as_mut().unwrap().survives = false;
    let empty = |r: &mut Report| {
        r.verdict.ranking.clear();
        r.signals.clear();
        r.identity_leaks.clear();
        r.identity_probes.clear();
        r.warnings.clear();
        r.kinship.sources.truncate(1);
    };
    type Change = fn(&mut Report);
    let cases: [(&str, Change, &str, &str); 3] = [
        (
            "no control",
            no_control,
            "control: none",
            "Robustness check:",
        ),
        (
            "robustness fails",
            fails,
            "<span class=\"fail\">FAILS</span>",
            "<span class=\"\">holds</span>",
        ),
        ("nothing to show", empty, "<h2>Glossary</h2>", "<svg"),
    ];
    for (case, change, present, absent) in cases {
        let mut r = fixture("a", "plain");
        change(&mut r);
        let html = r.to_html();
        assert!(html.contains(present), "{case}: {present}");
        assert!(!html.contains(absent), "{case}: {absent}");
        assert_inert(&html, case);
    }
}

#[test]
fn print_style_cuts_nothing() {
    // No fixed heights, hidden overflow or fixed positions: a printed page
    // holds everything the screen does.
    for banned in ["overflow:hidden", "position:fixed", "max-height"] {
        assert!(!STYLE.contains(banned), "{banned}");
    }
    let heights: Vec<&str> = STYLE.split("height:").skip(1).map(|v| &v[..4]).collect();
    assert_eq!(
        heights,
        ["1.3}", "auto"],
        "the heading's line height and the charts' auto height only"
    );
}

#[test]
fn markdown_and_html_show_the_same_ranking() {
    // One table model: the same headers and cells in both markups.
    let r = fixture("a", "plain");
    let md = r.to_markdown();
    let html = r.to_html();
    assert!(md.contains(
        "| rank | candidate | family | score | interval | p (closest) | in the set | signals ranking it first |"
    ));
    assert!(md.contains("| 2 | b | b-family | 0.100 | [-0.100, 0.300] | 0.0010 | ruled out | 2 |"));
    assert!(html.contains(
        "<tr><td class=\"n\">2</td><td><bdi>b</bdi></td><td><bdi>b-family</bdi></td><td class=\"n\">0.100</td>\
<td class=\"n\">[-0.100, 0.300]</td><td class=\"n\">0.0010</td><td>ruled out</td><td class=\"n\">2</td></tr>"
    ));
}
