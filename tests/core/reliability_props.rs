//! Laws every entry point keeps on hostile text, as property tests:
//! similarities are symmetric where defined, within their range and
//! maximal for identical inputs; every offset (tokens, shared spans,
//! identity leaks, report evidence) lies on a character boundary in UTF-8
//! and on a UTF-16 boundary that does not split a surrogate pair; the
//! report is identical for the same input and seed.

use crate::fixture;

use lineage::analysis::analyze;
use lineage::report::{Evidence, SpanOffsets};
use lineage::signals::features::TextFeatures;
use lineage::signals::overlap::{containment, shared_spans, Boilerplate, OverlapOptions};
use lineage::signals::{habits, identity};
use lineage::text::{self, Span};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Pieces that break naive text handling: astral characters (surrogate
/// pairs in UTF-16), ZWJ emoji, zero-width and bidi controls, homoglyphs,
/// combining storms, line-ending variants, BOMs, NUL, right-to-left
/// scripts, compatibility forms, case mappings that change length.
const PIECES: &[&str] = &[
    "the",
    "model",
    "answers",
    "every",
    "question",
    "politely",
    " ",
    " ",
    " ",
    "\n",
    ". ",
    ", ",
    "𝐏𝐡𝐨𝐭𝐨",
    "🎉",
    "👨\u{200d}👩\u{200d}👧",
    "\u{200b}",
    "\u{200d}",
    "\u{ad}",
    "\u{202e}",
    "\u{2066}",
    "Рaris",
    "οcean",
    "e\u{301}\u{302}\u{303}\u{304}\u{305}",
    "\r\n",
    "\r",
    "\u{feff}",
    "\0",
    "\u{7}",
    "שלום",
    "مرحبا",
    "Київ",
    "ﬁ",
    "ＡＢＣ",
    "İstanbul",
    "ΟΔΟΣ",
    "\u{a0}",
    "\u{3000}",
    "日本語",
    "I am ChatGPT, made by OpenAI.",
    "Я — модель Claude от Anthropic.",
];

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
}

/// Either hostile pieces or any string at all.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![hostile(), any::<String>()]
}

fn check_span(
    text: &str,
    start: usize,
    end: usize,
    start_utf16: usize,
    end_utf16: usize,
) -> Result<(), TestCaseError> {
    prop_assert!(
        start <= end && end <= text.len(),
        "{start}..{end} of {}",
        text.len()
    );
    prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
    // UTF-16 offsets of char boundaries never split a surrogate pair.
    prop_assert_eq!(start_utf16, text::utf16_len(&text[..start]));
    prop_assert_eq!(end_utf16, text::utf16_len(&text[..end]));
    Ok(())
}

fn check(text: &str, s: &Span) -> Result<(), TestCaseError> {
    check_span(text, s.start, s.end, s.start_utf16, s.end_utf16)
}

fn check_offsets(text: &str, s: &SpanOffsets) -> Result<(), TestCaseError> {
    check_span(text, s.start, s.end, s.start_utf16, s.end_utf16)
}

/// Inserts the pieces of `noise` into `text` at word boundaries.
fn sprinkle(text: &str, noise: &[(usize, &str)]) -> String {
    let mut words: Vec<String> = text.split(' ').map(str::to_owned).collect();
    for &(at, piece) in noise {
        let n = words.len();
        words[at % n].push_str(piece);
    }
    words.join(" ")
}

proptest! {
    #[test]
    fn token_offsets_are_on_boundaries(t in any_text()) {
        for tokens in [text::words(&t), text::sentences(&t), text::paragraphs(&t), text::graphemes(&t), text::punctuation(&t)] {
            for tok in tokens {
                check(&t, &tok.span)?;
                prop_assert_eq!(&t[tok.span.start..tok.span.end], tok.text);
            }
        }
    }

    #[test]
    fn shared_span_offsets_are_on_boundaries(a in any_text(), b in any_text(), k in 1usize..7, window in 1usize..6) {
        let opts = OverlapOptions { k, window };
        let joined = format!("{a} {b}");
        for (x, y) in [(&a, &b), (&a, &joined), (&joined, &b)] {
            for s in shared_spans(x, y, &opts, &Boilerplate::none()) {
                check(x, &s.a)?;
                check(y, &s.b)?;
                prop_assert_eq!(&s.text, &x[s.a.start..s.a.end]);
                prop_assert!(s.words >= k);
            }
        }
    }

    #[test]
    fn identical_texts_share_everything(a in any_text()) {
        let opts = OverlapOptions::default();
        let spans = shared_spans(&a, &a, &opts, &Boilerplate::none());
        let covered: usize = spans.iter().map(|s| s.words).sum();
        // Maximal: one span, every word, when there are at least k words.
        if covered > 0 {
            prop_assert_eq!(spans.len(), 1);
            prop_assert_eq!(spans[0].a, spans[0].b);
            prop_assert!((containment(&a, &a, 3) - 1.0).abs() < 1e-12);
        }
        for n in 1..4 {
            let c = containment(&a, &a, n);
            prop_assert!(c == 0.0 || c == 1.0);
        }
    }

    #[test]
    fn containment_is_a_share(a in any_text(), b in any_text(), n in 0usize..5) {
        let c = containment(&a, &b, n);
        prop_assert!((0.0..=1.0).contains(&c));
    }

    #[test]
    fn leak_offsets_are_on_boundaries(t in any_text()) {
        for leak in identity::find_leaks(&t) {
            check(&t, &leak.span)?;
        }
    }

    #[test]
    fn char_ngram_cosine_is_symmetric_bounded_and_maximal(a in any_text(), b in any_text()) {
        let fa = TextFeatures::of(&a, 4).char_counts;
        let fb = TextFeatures::of(&b, 4).char_counts;
        let ab = fa.cosine(&fb);
        prop_assert!((ab - fb.cosine(&fa)).abs() < 1e-12);
        // Counts are non-negative, so the cosine is in [0, 1].
        prop_assert!((0.0..=1.0).contains(&ab));
        if fa.norm() > 0.0 {
            prop_assert!((fa.cosine(&fa) - 1.0).abs() < 1e-9);
            prop_assert!(ab <= fa.cosine(&fa) + 1e-12);
        }
    }

    #[test]
    fn habit_correlation_is_symmetric_bounded_and_maximal(
        ab in prop::collection::vec((-5.0f64..5.0, -5.0f64..5.0), 0..20),
    ) {
        let (a, b): (Vec<f64>, Vec<f64>) = ab.into_iter().unzip();
        let (ab, n) = habits::z_correlation(&a, &b);
        let (ba, m) = habits::z_correlation(&b, &a);
        prop_assert_eq!(n, m);
        prop_assert!((ab - ba).abs() < 1e-12);
        prop_assert!((-1.0 - 1e-12..=1.0 + 1e-12).contains(&ab));
        let (aa, _) = habits::z_correlation(&a, &a);
        let varies = a.iter().any(|v| (v - a[0]).abs() > 1e-9);
        if a.len() >= 3 && varies {
            prop_assert!((aa - 1.0).abs() < 1e-9);
        }
    }
}

proptest! {
    // Whole analyses are slow in a debug build: a few cases.
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn report_is_deterministic_and_its_laws_hold(
        // Seeds JavaScript can hold exactly (the core's range).
        seed in 0u64..(1 << 53),
        noise in prop::collection::vec((0usize..40, prop::sample::select(PIECES)), 0..30),
    ) {
        let mut req = fixture::request();
        // Hostile pieces in the suspect's texts.
        for (i, s) in req.samples.iter_mut().enumerate() {
            if s.source == "student" {
                let mine: Vec<(usize, &str)> = noise.iter().filter(|(at, _)| at % 24 == i % 24).map(|&(at, p)| (at / 24, p)).collect();
                s.text = sprinkle(&s.text, &mine);
            }
        }
        let opts = lineage::analysis::AnalysisOptions { seed, ..fixture::options() };
        let report = analyze(&req, &opts, &mut |_, _| {}).unwrap();
        let again = analyze(&req, &opts, &mut |_, _| {}).unwrap();
        prop_assert_eq!(report.to_json(), again.to_json());

        let sim = &report.kinship.similarity;
        for (i, row) in sim.iter().enumerate() {
            prop_assert!((row[i] - 1.0).abs() < 1e-9);
            for (j, &v) in row.iter().enumerate() {
                prop_assert!((v - sim[j][i]).abs() < 1e-12);
                prop_assert!((-1.0..=1.0).contains(&v));
            }
        }
        let text_of: BTreeMap<(&str, &str), &str> = req
            .samples
            .iter()
            .map(|s| ((s.source.as_str(), s.prompt_id.as_deref().unwrap_or("")), s.text.as_str()))
            .collect();
        let mut spans_seen = 0;
        for signal in &report.signals {
            for e in &signal.evidence {
                if let Evidence::SharedSpan { candidate, prompt_id, text, suspect_span, candidate_span, .. } = e {
                    let s = text_of[&("student", prompt_id.as_str())];
                    let c = text_of[&(candidate.as_str(), prompt_id.as_str())];
                    check_offsets(s, suspect_span)?;
                    check_offsets(c, candidate_span)?;
                    prop_assert_eq!(text.as_str(), &s[suspect_span.start..suspect_span.end]);
                    spans_seen += 1;
                }
            }
        }
        // The fixture's student copies from A: the check above has work.
        prop_assert!(spans_seen > 0);
        for leak in &report.identity_leaks {
            let t = text_of[&(leak.source.as_str(), leak.prompt_id.as_deref().unwrap_or(""))];
            check_offsets(t, &leak.span)?;
        }
    }
}
