//! Pathological texts through every text entry point of the core
//! (normalisation, segmentation, profile, features, verbatim overlap,
//! identity leaks, the whole analysis): each must finish, keep its offsets
//! valid and give sane figures. The analysis refuses texts past the size
//! limit with TOO_LARGE (see corpus::MAX_TEXT_BYTES) instead of running
//! out of memory.

use crate::fixture;

use lineage::analysis::analyze;
use lineage::corpus::{Sample, MAX_TEXT_BYTES};
use lineage::profile::{Profile, ProfileOptions};
use lineage::signals::features::TextFeatures;
use lineage::signals::identity::find_leaks;
use lineage::signals::overlap::{shared_spans, Boilerplate, OverlapOptions};
use lineage::text::{self, NormalizeOptions};

fn cases() -> Vec<(&'static str, String)> {
    vec![
        ("5 MB without a space or newline", "x".repeat(5 << 20)),
        (
            "only emoji",
            "🎉👨\u{200d}👩\u{200d}👧🏳\u{fe0f}\u{200d}🌈".repeat(20_000),
        ),
        ("only punctuation", "?!.,;:—…«»".repeat(50_000)),
        ("right-to-left", "שלום עולם, זה טקסט בעברית. ".repeat(5_000)),
        (
            "mixed bidi",
            "hello \u{202e}dlrow\u{202c} مرحبا 123 \u{2067}שלום\u{2069}. ".repeat(5_000),
        ),
        (
            "combining-mark storm",
            format!("a{}b", "\u{301}\u{302}\u{303}\u{304}".repeat(50_000)),
        ),
        (
            "NUL and controls",
            "a\0b\u{1}c\u{7}d\u{1b}[0m e\u{7f} f\u{85}g. ".repeat(10_000),
        ),
        (
            "CRLF and lone CR",
            "line one\r\nline two\rline three\n\r\n".repeat(10_000),
        ),
        (
            "BOMs everywhere",
            "\u{feff}\u{feff}word \u{feff}inside\u{feff} text. ".repeat(10_000),
        ),
        (
            "replacement characters (lone surrogates from JS)",
            "a\u{fffd}b \u{fffd}\u{fffd} c".repeat(10_000),
        ),
        ("empty", String::new()),
        ("only whitespace", " \t\n\u{a0}\u{3000}".repeat(10_000)),
    ]
}

#[test]
fn text_entry_points_hold() {
    for (name, t) in cases() {
        let n = text::normalize(&t, &NormalizeOptions::default());
        assert!(n.len() <= t.len() * 3 + 3, "{name}");
        let words = text::words(&t);
        for w in words.iter().step_by(97) {
            assert_eq!(&t[w.span.start..w.span.end], w.text, "{name}");
            assert_eq!(
                w.span.start_utf16,
                text::utf16_len(&t[..w.span.start]),
                "{name}"
            );
        }
        let p = Profile::of_text(&t, &ProfileOptions::default());
        assert!(p.words <= t.len(), "{name}");
        let f = TextFeatures::of(&t, 4);
        assert!(
            f.structure.iter().all(|x| x.is_finite()),
            "{name}: {:?}",
            f.structure
        );
        let spans = shared_spans(&t, &t, &OverlapOptions::default(), &Boilerplate::none());
        let covered: usize = spans.iter().map(|s| s.words).sum();
        assert!(
            covered == 0 || spans.len() == 1,
            "{name}: identical text is one span"
        );
        for leak in find_leaks(&t) {
            assert!(
                t.is_char_boundary(leak.span.start) && t.is_char_boundary(leak.span.end),
                "{name}"
            );
        }
    }
}

/// Each pathological text as one of the suspect's answers: analysed when
/// within the per-text limit, refused with TOO_LARGE past it.
#[test]
fn analysis_holds_or_refuses() {
    for (name, t) in cases() {
        let mut req = fixture::request();
        let too_large = t.len() > MAX_TEXT_BYTES;
        req.samples.push(Sample {
            source: "student".into(),
            text: t,
            prompt_id: Some("p-pathological".into()),
            prompt: None,
            family: None,
        });
        match analyze(&req, &fixture::options(), &mut |_, _| {}) {
            Ok(report) => {
                assert!(!too_large, "{name}: analysed past the limit");
                assert!(
                    report.verdict.p_value.is_none_or(|p| p.is_finite()),
                    "{name}"
                );
                assert!(report.to_json().len() > 100, "{name}");
            }
            Err(e) => {
                assert!(
                    too_large && e.kind() == lineage::ErrorKind::TooLarge,
                    "{name}: {e}"
                );
                assert!(e.to_string().contains("per text"), "{name}: {e}");
            }
        }
    }
}

/// The Markdown export never carries user text as markup: HTML and
/// Markdown control characters from the texts (shared passages, identity
/// leak sentences, source names) are escaped, and line breaks cannot start
/// a heading or a table row.
#[test]
fn exported_markdown_escapes_user_text() {
    let payload = "<script>alert(1)</script> | # [link](javascript:x) *bold* `code` and the rest of this copied passage here";
    let mut req = fixture::request();
    for s in req.samples.iter_mut() {
        if s.prompt_id.as_deref() == Some("p00") && (s.source == "A" || s.source == "student") {
            s.text = format!("{payload}\n# heading? {}", s.text);
        }
        if s.source == "student" && s.prompt_id.as_deref() == Some("p01") {
            s.text
                .push_str(" I am ChatGPT <img src=x onerror=alert(1)>, a model made by OpenAI.");
        }
    }
    // A source name that tries to close the tree's code fence.
    let hostile_name = "C\n```\n<b>bold</b>\n";
    for s in req.samples.iter_mut().filter(|s| s.source == "C") {
        s.source = hostile_name.into();
    }
    req.candidates[2] = hostile_name.into();
    let report = analyze(&req, &fixture::options(), &mut |_, _| {}).unwrap();
    let md = report.to_markdown();
    let fences = md.lines().filter(|l| *l == "```").count();
    assert_eq!(fences, 2, "only the tree's own fence: {md}");
    // The payload did reach the report (as a shared passage and a leak).
    assert!(md.contains("alert(1)"), "{md}");
    assert!(md.contains("onerror"), "{md}");
    // Inside the fence (one line: the tree) text is literal, not markup.
    let mut in_fence = false;
    for (i, line) in md.lines().enumerate() {
        if line == "```" {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            assert!(
                line.starts_with('('),
                "line {i}: the tree is one line: {line}"
            );
            continue;
        }
        let bytes = line.as_bytes();
        for (j, &b) in bytes.iter().enumerate() {
            if b == b'<' || b == b'>' || b == b'`' {
                assert!(
                    j > 0 && bytes[j - 1] == b'\\',
                    "line {i}: unescaped {:?} in {line}",
                    b as char
                );
            }
        }
        assert!(!line.starts_with("# heading"), "line {i}: {line}");
    } // The HTML report of the same analysis: the payloads arrive (as a
      // passage, a leak, a source name) as text, never as markup.
    let html = report.to_html();
    let cases = [
        // The passage starts at a word: "script>alert(1)</script> | # ...".
        ("script&gt;alert(1)&lt;/script&gt; | # [link]", true),
        ("&lt;img src=x onerror=alert(1)&gt;", true),
        ("&lt;b&gt;bold&lt;/b&gt;", true),
        ("<script", false),
        ("<img", false),
        ("<b>bold", false),
    ];
    for (needle, present) in cases {
        assert_eq!(html.contains(needle), present, "{needle}");
    }
}
