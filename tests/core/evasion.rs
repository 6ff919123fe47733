//! Evasion of verbatim-overlap detection by trivial tricks: zero-width
//! characters, homoglyphs, compatibility forms and odd whitespace slipped
//! into a copy must not hide the shared passage, and every reported span
//! must point into the *original* (perturbed) text. A table of hand-made
//! cases, then the recall on perturbed copies of the development answers
//! (reads `../shared/data/alpaca_eval_dev`, skipped when it is absent).

use crate::common;

use lineage::corpus;
use lineage::signals::overlap::{shared_spans, Boilerplate, OverlapOptions, SharedSpan};
use lineage::text::fold::fold_for_matching;
use lineage::text::{self, NormalForm, NormalizeOptions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const ORIGINAL: &str = "Photosynthesis is the process by which green plants use sunlight to make food from carbon dioxide and water.";

/// The matching key of a stretch of text: what the matcher compares.
fn key(s: &str) -> String {
    let n = text::normalize(
        s,
        &NormalizeOptions {
            form: NormalForm::Nfkc,
            strip_zero_width: true,
        },
    );
    text::words(&n)
        .iter()
        .map(|w| fold_for_matching(w.text))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks that a span's byte and UTF-16 offsets are consistent in `text`.
fn check_offsets(name: &str, text: &str, span: &lineage::text::Span) {
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{name}"
    );
    assert!(span.start <= span.end && span.end <= text.len(), "{name}");
    assert_eq!(
        text::utf16_offset(text, span.start),
        span.start_utf16,
        "{name}"
    );
    assert_eq!(text::utf16_offset(text, span.end), span.end_utf16, "{name}");
}

/// The one span found between ORIGINAL and its perturbed copy covers the
/// whole copy, and each side's offsets slice to text with the same key.
#[test]
fn tricks_table() {
    // (name, perturbed copy of ORIGINAL)
    let cases: &[(&str, &str)] = &[
        ("zero-width spaces inside words", "Photo\u{200b}synthesis is the pro\u{200b}cess by which gr\u{200c}een plants use sun\u{200d}light to make food from car\u{2060}bon dioxide and wa\u{feff}ter."),
        ("soft hyphens", "Photo\u{ad}syn\u{ad}the\u{ad}sis is the pro\u{ad}cess by which green plants use sun\u{ad}light to make food from carbon di\u{ad}oxide and water."),
        ("bidi marks", "Photosynthesis\u{200e} is the\u{200f} process by\u{202a} which green\u{202c} plants use sunlight to make food from carbon dioxide and water."),
        ("cyrillic homoglyphs", "Рhоtоsуnthеsis is thе рrосеss bу whiсh grееn рlаnts usе sunlight tо mаkе fооd frоm саrbоn diохidе аnd wаtеr."),
        ("greek homoglyphs", "Phοtοsynthesis is the prοcess by which green plαnts use sunlight tο mαke fοοd frοm cαrbοn diοxide αnd wαter."),
        ("full-width letters", "Ｐｈｏｔｏｓｙｎｔｈｅｓｉｓ is the ｐｒｏｃｅｓｓ by which green plants use ｓｕｎｌｉｇｈｔ to make food from carbon dioxide and water."),
        ("odd whitespace", "Photosynthesis\u{a0}is the\u{2003}process\u{2009}by which\u{3000}green  plants\tuse\nsunlight to\u{202f}make food from carbon\u{2002}dioxide and water."),
        ("mathematical letters", "𝐏𝐡𝐨𝐭𝐨𝐬𝐲𝐧𝐭𝐡𝐞𝐬𝐢𝐬 is the process by which green plants use sunlight to make food from carbon dioxide and water."),
        ("everything at once", "Рhо\u{200b}tоsуnthеsis\u{a0}is thе\u{2003}рrо\u{ad}сеss bу whiсh gr\u{200d}ееn рlαnts usе ｓｕｎｌｉｇｈｔ tο mаkе fооd frоm саrbоn diохidе аnd wаtеr."),
    ];
    let opts = OverlapOptions::default();
    let words = text::words(ORIGINAL).len();
    for &(name, copy) in cases {
        let spans = shared_spans(ORIGINAL, copy, &opts, &Boilerplate::none());
        assert_eq!(spans.len(), 1, "{name}: {spans:?}");
        let s = &spans[0];
        assert_eq!(s.words, words, "{name}: the whole text is shared");
        check_offsets(name, ORIGINAL, &s.a);
        check_offsets(name, copy, &s.b);
        assert_eq!(
            &ORIGINAL[s.a.start..s.a.end],
            &ORIGINAL[..ORIGINAL.len() - 1],
            "{name}"
        );
        assert_eq!(
            key(&copy[s.b.start..s.b.end]),
            key(&ORIGINAL[s.a.start..s.a.end]),
            "{name}"
        );
        // The copy's span starts at its first letter and ends at its last.
        assert!(
            copy[s.b.start..].starts_with(['P', 'Р', 'Ｐ', '𝐏']),
            "{name}"
        );
        assert!(
            copy[..s.b.end].ends_with(['r', 'р']),
            "{name}: {:?}",
            &copy[..s.b.end]
        );
        // Symmetric: the copy's spans in the original are found as well.
        let back = shared_spans(copy, ORIGINAL, &opts, &Boilerplate::none());
        assert_eq!(back.len(), 1, "{name}");
        assert_eq!((back[0].a, back[0].b), (s.b, s.a), "{name}");
    }
}

/// Genuine Cyrillic and Greek text still matches itself, in any case.
#[test]
fn non_latin_text_still_matches() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "russian",
            "Вот как это работает в нашей большой стране каждый день",
            "вот как это работает в нашей большой стране каждый день",
        ),
        (
            "greek",
            "ΟΔΟΣ προς την πόλη είναι μεγάλη και όμορφη και ήσυχη",
            "οδος προς την πόλη είναι μεγάλη και όμορφη και ήσυχη",
        ),
        (
            "armenian",
            "Սա շատ լավ օր է մեր քաղաքի համար այսօր և վաղը",
            "սա շատ լավ օր է մեր քաղաքի համար այսօր և վաղը",
        ),
    ];
    for &(name, a, b) in cases {
        let spans = shared_spans(a, b, &OverlapOptions::default(), &Boilerplate::none());
        assert_eq!(spans.len(), 1, "{name}: {spans:?}");
        assert_eq!(spans[0].words, text::words(a).len(), "{name}");
    }
}

/// Latin letters and the homoglyphs a perturbation may swap in for them.
const HOMOGLYPHS: &[(char, &[char])] = &[
    ('a', &['а', 'α']),
    ('c', &['с', 'ϲ']),
    ('e', &['е']),
    ('i', &['і']),
    ('j', &['ј']),
    ('o', &['о', 'ο', 'օ']),
    ('p', &['р', 'ρ']),
    ('s', &['ѕ']),
    ('x', &['х']),
    ('y', &['у']),
    ('A', &['А', 'Α']),
    ('B', &['В', 'Β']),
    ('E', &['Е', 'Ε']),
    ('H', &['Н', 'Η']),
    ('K', &['К', 'Κ']),
    ('M', &['М', 'Μ']),
    ('O', &['О', 'Ο']),
    ('P', &['Р', 'Ρ']),
    ('T', &['Т', 'Τ']),
    ('X', &['Х', 'Χ']),
];
const ZERO_WIDTH: &[char] = &[
    '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}', '\u{ad}', '\u{200e}',
];
const ODD_SPACES: &[&str] = &[
    "\u{a0}", "\u{2002}", "\u{2003}", "\u{2009}", "\u{200a}", "\u{202f}", "\u{3000}", "\t", "  ",
    " \n",
];

#[derive(Clone, Copy, Debug)]
enum Trick {
    ZeroWidth,
    Homoglyphs,
    OddWhitespace,
    FullWidth,
    All,
}

/// A perturbed copy of `text`: a third of the letters get a zero-width
/// character after them, half of the letters with a look-alike are
/// swapped, every space becomes an odd one, a fifth of the letters go
/// full-width — depending on the trick.
fn perturb(text: &str, trick: Trick, rng: &mut ChaCha8Rng) -> String {
    let (zw, homo, space, wide) = match trick {
        Trick::ZeroWidth => (true, false, false, false),
        Trick::Homoglyphs => (false, true, false, false),
        Trick::OddWhitespace => (false, false, true, false),
        Trick::FullWidth => (false, false, false, true),
        Trick::All => (true, true, true, true),
    };
    let mut out = String::new();
    for c in text.chars() {
        if c == ' ' && space {
            out.push_str(ODD_SPACES[rng.gen_range(0..ODD_SPACES.len() as u32) as usize]);
            continue;
        }
        let look_alike = HOMOGLYPHS.iter().find(|(l, _)| *l == c).map(|(_, g)| *g);
        match look_alike {
            Some(g) if homo && rng.gen_range(0u32..2) == 0 => {
                out.push(g[rng.gen_range(0..g.len() as u32) as usize])
            }
            _ if wide && c.is_ascii_alphanumeric() && rng.gen_range(0u32..5) == 0 => {
                out.push(char::from_u32(c as u32 - 0x21 + 0xff01).unwrap())
            }
            _ => out.push(c),
        }
        if zw && c.is_alphabetic() && rng.gen_range(0u32..3) == 0 {
            out.push(ZERO_WIDTH[rng.gen_range(0..ZERO_WIDTH.len() as u32) as usize]);
        }
    }
    out
}

fn covered(spans: &[SharedSpan]) -> usize {
    spans.iter().map(|s| s.words).sum()
}

/// Recall of shared-span detection on perturbed copies of the development
/// answers: words of the original found shared with its perturbed copy,
/// over the words the original shares with itself. Target >= 0.95 for every
/// trick. Precision: every reported span's two sides have the same key
/// (the offsets in the perturbed text are right), and the perturbation does
/// not make an answer look copied from another model's answer to the same
/// prompt (spurious coverage stays within 1 point of the unperturbed pair).
#[test]
fn dev_answers_perturbed_recall() {
    let Some(dir) = common::dev_data_dir() else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    // The first 40 answers of every model (400 texts).
    let mut per_model: Vec<Vec<String>> = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let parsed = corpus::read_jsonl(&path.display().to_string(), &bytes, None);
        let mut samples = parsed.samples;
        samples.sort_by(|a, b| a.prompt_id.cmp(&b.prompt_id));
        per_model.push(samples.into_iter().take(40).map(|s| s.text).collect());
    }
    let opts = OverlapOptions::default();
    let none = Boilerplate::none();
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    for trick in [
        Trick::ZeroWidth,
        Trick::Homoglyphs,
        Trick::OddWhitespace,
        Trick::FullWidth,
        Trick::All,
    ] {
        let (mut found, mut total) = (0usize, 0usize);
        let (mut spans_checked, mut spans_wrong) = (0usize, 0usize);
        let (mut spurious, mut baseline, mut pair_words) = (0usize, 0usize, 0usize);
        for (m, answers) in per_model.iter().enumerate() {
            let other = &per_model[(m + 1) % per_model.len()];
            for (a, o) in answers.iter().zip(other) {
                let copy = perturb(a, trick, &mut rng);
                let spans = shared_spans(a, &copy, &opts, &none);
                found += covered(&spans);
                total += covered(&shared_spans(a, a, &opts, &none));
                for s in &spans {
                    spans_checked += 1;
                    if key(&copy[s.b.start..s.b.end]) != key(&a[s.a.start..s.a.end]) {
                        spans_wrong += 1;
                    }
                }
                spurious += covered(&shared_spans(o, &copy, &opts, &none));
                baseline += covered(&shared_spans(o, a, &opts, &none));
                pair_words += covered(&shared_spans(o, o, &opts, &none));
            }
        }
        let recall = found as f64 / total as f64;
        let spurious_rate = spurious as f64 / pair_words as f64;
        let baseline_rate = baseline as f64 / pair_words as f64;
        println!(
            "{trick:?}: recall {recall:.4} ({found}/{total} words), spans with wrong offsets {spans_wrong}/{spans_checked}, \
             other-model coverage {spurious_rate:.4} perturbed vs {baseline_rate:.4} unperturbed"
        );
        assert!(recall >= 0.95, "{trick:?}: recall {recall:.4} < 0.95");
        assert_eq!(spans_wrong, 0, "{trick:?}");
        assert!(spurious_rate <= baseline_rate + 0.01, "{trick:?}");
    }
}
