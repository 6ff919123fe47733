#![cfg(not(target_arch = "wasm32"))]
//! Pathological texts through every text entry point of the core
//! (normalisation, segmentation, profile, features, verbatim overlap,
//! identity leaks, the whole analysis): each must finish, keep its offsets
//! valid and give sane figures. The analysis refuses texts past the size
//! limit with TOO_LARGE (see corpus::MAX_TEXT_BYTES) instead of running
//! out of memory.

mod fixture {
    #![allow(dead_code)]
    include!("determinism/fixture.rs");
}

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
        });
        match analyze(&req, &fixture::options(), &mut |_, _| {}) {
            Ok(report) => {
                assert!(!too_large, "{name}: analysed past the limit");
                assert!(report.verdict.p_value.is_finite(), "{name}");
                assert!(report.to_json().len() > 100, "{name}");
            }
            Err(e) => {
                assert!(too_large && e.is_too_large(), "{name}: {e}");
                assert!(e.to_string().contains("per text"), "{name}: {e}");
            }
        }
    }
}
