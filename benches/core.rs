//! Criterion benches of the core stages: normalise + segment, profile,
//! signal features, classifier training, winnowing and the whole analysis,
//! over the dev data (skipped with a message when `../shared/data` is
//! absent) and over generated texts in several scripts.
//!
//! ```text
//! cargo bench --bench core                 # everything
//! cargo bench --bench core -- profile      # one group
//! LINEAGE_DEV_DATA=DIR cargo bench ...     # another data directory
//! ```
//!
//! Every bench checks its answer (token counts, a planted passage, an
//! accuracy), so a fast wrong result fails instead of reporting a figure.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use lineage::analysis::{self, AnalysisOptions, AnalysisRequest};
use lineage::corpus::{self, Sample};
use lineage::profile::{Profile, ProfileOptions};
use lineage::signals::classifier::{ClassifierOptions, TextClassifier};
use lineage::signals::features::TextFeatures;
use lineage::signals::overlap::{self, Boilerplate, OverlapOptions};
use lineage::text::{self, NormalizeOptions};

/// One source of the dev data: its name and samples.
type Source = (String, Vec<Sample>);

fn dev_dir() -> PathBuf {
    std::env::var_os("LINEAGE_DEV_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/alpaca_eval_dev"),
        PathBuf::from,
    )
}

/// The dev data, or None (with a message) when it is not there.
fn dev_data() -> Option<Vec<Source>> {
    let dir = dev_dir();
    let Ok(files) = lineage::corpus::files_in(&dir, &["jsonl"]) else {
        eprintln!("no dev data at {}: dev-data benches skipped", dir.display());
        return None;
    };
    let mut out = Vec::new();
    for f in files {
        let name = f.file_stem()?.to_string_lossy().into_owned();
        let bytes = std::fs::read(&f).ok()?;
        let parsed = corpus::read_jsonl(&name, &bytes, Some(&name));
        assert!(parsed.errors.is_empty(), "{}: malformed lines", f.display());
        out.push((name, parsed.samples));
    }
    (!out.is_empty()).then_some(out)
}

/// A sentence per script with its UAX #29 word count: CJK ideographs and
/// hiragana are one word each, katakana runs one word.
const SCRIPTS: &[(&str, &str, usize)] = &[
    ("latin", "The quick brown fox jumps over the lazy dog. ", 9),
    (
        "cyrillic",
        "Съешь же ещё этих мягких французских булок. ",
        7,
    ),
    ("greek", "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. ", 4),
    ("arabic", "نص حكيم له سر قاطع وذو شأن عظيم. ", 8),
    (
        "devanagari",
        "ऋषियों को सताने वाले दुष्ट राक्षसों के राजा रावण का सर्वनाश करने वाले। ",
        13,
    ),
    ("chinese", "我能吞下玻璃而不伤身体。", 11),
    ("japanese", "データを送ります。", 6),
    ("emoji", "Great job 👍🏽 see you soon 🎉! ", 5),
];

/// A text of `reps` copies of each script's sentence, one paragraph per
/// script, and its word count.
fn multi_script_text(reps: usize) -> (String, usize) {
    let mut text = String::new();
    let mut words = 0;
    for (_, sentence, n) in SCRIPTS {
        for _ in 0..reps {
            text.push_str(sentence);
        }
        text.push_str("\n\n");
        words += n * reps;
    }
    (text, words)
}

fn all_texts(data: &[Source]) -> Vec<&str> {
    data.iter()
        .flat_map(|(_, s)| s.iter().map(|s| s.text.as_str()))
        .collect()
}

fn bytes_of(texts: &[&str]) -> u64 {
    texts.iter().map(|t| t.len() as u64).sum()
}

/// Words of a text by normalising then segmenting (the reference count
/// the profile must agree with).
fn segment_words(t: &str) -> usize {
    text::words(&text::normalize_cow(t, &NormalizeOptions::default())).len()
}

fn bench_segment(c: &mut Criterion) {
    let mut g = c.benchmark_group("normalize_segment");
    for (name, sentence, n) in SCRIPTS {
        let text = sentence.repeat(200);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("script", name), &text, |b, t| {
            b.iter(|| assert_eq!(segment_words(black_box(t)), n * 200, "{name}"))
        });
    }
    if let Some(data) = dev_data() {
        let texts = all_texts(&data);
        let want: usize = texts.iter().map(|t| segment_words(t)).sum();
        // The law the segmenter keeps: its pieces partition every text,
        // and its words are exactly the pieces of kind Word.
        for t in &texts {
            let n = text::normalize_cow(t, &NormalizeOptions::default());
            let pieces = text::split_word_bounds(&n);
            let joined: String = pieces.iter().map(|(_, tok)| tok.text).collect();
            assert_eq!(joined, n.as_ref(), "pieces do not partition the text");
            let words = pieces
                .iter()
                .filter(|(k, _)| *k == text::PieceKind::Word)
                .count();
            assert_eq!(words, text::words(&n).len());
        }
        g.throughput(Throughput::Bytes(bytes_of(&texts)));
        g.bench_function("dev_data", |b| {
            b.iter(|| {
                let got: usize = texts.iter().map(|t| segment_words(black_box(t))).sum();
                assert_eq!(got, want);
            })
        });
    }
    g.finish();
}

fn bench_profile(c: &mut Criterion) {
    let mut g = c.benchmark_group("profile");
    let opts = ProfileOptions::default();
    let (text, words) = multi_script_text(50);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("multi_script", |b| {
        b.iter(|| assert_eq!(Profile::of_text(black_box(&text), &opts).words, words))
    });
    if let Some(data) = dev_data() {
        let texts = all_texts(&data);
        // Merging keeps counts: the merged profile has the sum of the
        // texts' words (a profile's words skip Markdown markers and
        // emoji, so this is not the segmenter's count).
        let want: usize = texts.iter().map(|t| Profile::of_text(t, &opts).words).sum();
        g.throughput(Throughput::Bytes(bytes_of(&texts)));
        g.sample_size(10);
        g.bench_function("dev_data", |b| {
            b.iter(|| {
                let p = Profile::of_texts(texts.iter().copied(), &opts);
                assert_eq!((p.texts, p.words), (texts.len(), want));
            })
        });
    }
    g.finish();
}

fn bench_signals(c: &mut Criterion) {
    let mut g = c.benchmark_group("signal_features");
    let (text, words) = multi_script_text(50);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("multi_script", |b| {
        b.iter(|| assert_eq!(TextFeatures::of(black_box(&text), 4).words.len(), words))
    });
    if let Some(data) = dev_data() {
        let texts = all_texts(&data);
        let want: usize = texts.iter().map(|t| text::words(t).len()).sum();
        g.throughput(Throughput::Bytes(bytes_of(&texts)));
        g.sample_size(10);
        g.bench_function("dev_data", |b| {
            b.iter(|| {
                let got: usize = texts
                    .iter()
                    .map(|t| TextFeatures::of(black_box(t), 4).words.len())
                    .sum();
                assert_eq!(got, want);
            })
        });
    }
    g.finish();
}

fn bench_classifier(c: &mut Criterion) {
    let mut g = c.benchmark_group("classifier_train");
    g.sample_size(10);
    // Scripts as classes: trivially separable, so held-out accuracy must be 1.
    let mut texts = Vec::new();
    let mut labels = Vec::new();
    for (label, (_, sentence, _)) in SCRIPTS.iter().enumerate() {
        for i in 0..30 {
            texts.push(sentence.repeat(1 + i % 3));
            labels.push(label);
        }
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let opts = ClassifierOptions::default();
    g.bench_function("multi_script", |b| {
        b.iter(|| {
            let m = TextClassifier::train(&refs, &labels, SCRIPTS.len(), &opts).unwrap();
            assert_eq!(m.predict("Съешь ещё мягких булок."), 1);
        })
    });
    if let Some(data) = dev_data() {
        // Four sources; train on even prompts, test on odd ones.
        let picked: Vec<&Source> = data.iter().take(4).collect();
        let (mut train, mut train_y, mut test, mut test_y) = (vec![], vec![], vec![], vec![]);
        for (label, (_, samples)) in picked.iter().enumerate() {
            for (i, s) in samples.iter().enumerate() {
                if i % 2 == 0 {
                    train.push(s.text.as_str());
                    train_y.push(label);
                } else {
                    test.push(s.text.as_str());
                    test_y.push(label);
                }
            }
        }
        g.bench_function("dev_data_4_sources", |b| {
            b.iter(|| {
                let m = TextClassifier::train(&train, &train_y, 4, &opts).unwrap();
                let correct = test
                    .iter()
                    .zip(&test_y)
                    .filter(|(t, &y)| m.predict(t) == y)
                    .count();
                // Chance is 0.25; the classifier is far above it.
                assert!(
                    correct * 2 > test.len(),
                    "accuracy {correct}/{}",
                    test.len()
                );
            })
        });
    }
    g.finish();
}

fn bench_winnowing(c: &mut Criterion) {
    let mut g = c.benchmark_group("winnowing");
    let opts = OverlapOptions::default();
    let none = Boilerplate::none();
    let planted = "the mitochondria is the powerhouse of the cell and it makes energy";
    let (filler, _) = multi_script_text(5);
    let a = format!("{filler} {planted}. {filler}");
    let b = format!("Something else first. {planted}! And then {filler}");
    g.bench_function("multi_script_pair", |bch| {
        bch.iter(|| {
            let spans = overlap::shared_spans(black_box(&a), black_box(&b), &opts, &none);
            assert!(spans.iter().any(|s| s.text.contains(planted)), "{spans:?}");
        })
    });
    if let Some(data) = dev_data() {
        // Every answer of the first source against the same prompt's
        // answer of the second: the number of shared spans is a property
        // of the data, checked against a second winnowing-free count.
        let (a, b) = (&data[0].1, &data[1].1);
        let pairs: Vec<(&str, &str)> = a
            .iter()
            .filter_map(|s| {
                let o = b.iter().find(|o| o.prompt_id == s.prompt_id)?;
                Some((s.text.as_str(), o.text.as_str()))
            })
            .collect();
        let bytes: u64 = pairs.iter().map(|(x, y)| (x.len() + y.len()) as u64).sum();
        let want: usize = pairs
            .iter()
            .map(|(x, y)| overlap::shared_spans(x, y, &opts, &none).len())
            .sum();
        g.throughput(Throughput::Bytes(bytes));
        g.bench_function("dev_data_pairs", |bch| {
            bch.iter(|| {
                let got: usize = pairs
                    .iter()
                    .map(|(x, y)| overlap::shared_spans(x, y, &opts, &none).len())
                    .sum();
                assert_eq!(got, want);
            })
        });
    }
    g.finish();
}

fn bench_analysis(c: &mut Criterion) {
    let Some(data) = dev_data() else { return };
    let mut g = c.benchmark_group("analysis");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(30));
    let names: Vec<&str> = data.iter().map(|(n, _)| n.as_str()).collect();
    let suspect = "alpaca-7b";
    let cands = [
        "gpt-3.5-turbo-0301",
        "claude-2",
        "text_davinci_003",
        "gpt4_0314",
    ];
    if !names.contains(&suspect) || cands.iter().any(|c| !names.contains(c)) {
        eprintln!("dev data lacks the bench's sources: analysis bench skipped");
        return;
    }
    let samples: Vec<Sample> = data
        .iter()
        .filter(|(n, _)| *n == suspect || cands.contains(&n.as_str()))
        .flat_map(|(_, s)| s.iter().cloned())
        .collect();
    let bytes: u64 = samples.iter().map(|s| s.text.len() as u64).sum();
    let req = AnalysisRequest {
        samples,
        suspect: suspect.into(),
        candidates: cands.iter().map(|c| c.to_string()).collect(),
        ..AnalysisRequest::default()
    };
    let opts = AnalysisOptions::default();
    let first = analysis::analyze(&req, &opts, &mut |_, _| {}).unwrap();
    assert_eq!(first.verdict.ranking.len(), cands.len());
    let want = serde_json::to_string(&first).unwrap();
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("dev_data_alpaca_vs_4", |b| {
        b.iter(|| {
            let r = analysis::analyze(&req, &opts, &mut |_, _| {}).unwrap();
            // Deterministic: every run gives the byte-identical report.
            assert_eq!(serde_json::to_string(&r).unwrap(), want);
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_segment,
    bench_profile,
    bench_signals,
    bench_classifier,
    bench_winnowing,
    bench_analysis
);
criterion_main!(benches);
