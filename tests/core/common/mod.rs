//! Synthetic corpora with a known truth, shared by the engine tests.
#![allow(dead_code)]

pub mod fragments;

use lineage::analysis::AnalysisRequest;
use lineage::corpus::Sample;
use lineage::report::{Report, VerdictKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A "model": a preference weight for each style word, an opening phrase,
/// and how it answers a given prompt: which of the prompt's topic words it
/// brings up. `content` is a mixture of (content id, weight): models with
/// the same content id pick the same topic words for a prompt, so a student
/// answers a prompt partly as its teacher would, as distillation teaches it.
#[derive(Clone)]
pub struct Style {
    pub weights: Vec<f64>,
    /// Probability of starting an answer with the model's opening phrase.
    pub opening: &'static str,
    pub content: Vec<(u64, f64)>,
}

include!("../../determinism/words.rs");

/// A random style: word weights drawn from an exponential distribution
/// (a rough Dirichlet), so each model over-uses a few words.
pub fn random_style(rng: &mut ChaCha8Rng, opening: &'static str) -> Style {
    Style {
        weights: STYLE_WORDS
            .iter()
            .map(|_| -(1.0 - rng.gen::<f64>()).ln().powi(2))
            .collect(),
        opening,
        content: vec![(rng.gen::<u64>(), 1.0)],
    }
}

/// Mixes two styles: `share` of `a`, the rest of `b` (a student that
/// learned `share` of its style from teacher `a` on top of base `b`).
pub fn mix(a: &Style, b: &Style, share: f64) -> Style {
    Style {
        weights: a
            .weights
            .iter()
            .zip(&b.weights)
            .map(|(x, y)| share * x + (1.0 - share) * y)
            .collect(),
        opening: a.opening,
        content: a
            .content
            .iter()
            .map(|&(id, w)| (id, w * share))
            .chain(b.content.iter().map(|&(id, w)| (id, w * (1.0 - share))))
            .collect(),
    }
}

fn pick(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut r = rng.gen::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        r -= w;
        if r <= 0.0 {
            return i;
        }
    }
    weights.len() - 1
}

/// The topic words a content id brings up for prompt `p`: three of the
/// prompt's eight, chosen by the id.
fn topic_words(content: u64, p: usize) -> [&'static str; 3] {
    let mut r = ChaCha8Rng::seed_from_u64(content ^ (p as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let base = p * 7;
    [0, 1, 2].map(|_| TOPIC_WORDS[(base + r.gen_range(0..8)) % TOPIC_WORDS.len()])
}

/// One answer of `style` to prompt `p`: sentences mixing topic words of
/// the prompt (chosen as the style's content mixture would) with the
/// style's words.
pub fn answer(rng: &mut ChaCha8Rng, style: &Style, p: usize, sentences: usize) -> String {
    let mut out = String::new();
    if rng.gen::<f64>() < 0.5 {
        out.push_str(style.opening);
        out.push(' ');
    }
    for _ in 0..sentences {
        let n = rng.gen_range(6..12);
        let mut words = Vec::new();
        for _ in 0..n {
            if rng.gen::<f64>() < 0.4 {
                let weights: Vec<f64> = style.content.iter().map(|c| c.1).collect();
                let content = style.content[pick(rng, &weights)].0;
                words.push(topic_words(content, p)[rng.gen_range(0..3)].to_string());
            } else {
                words.push(STYLE_WORDS[pick(rng, &style.weights)].to_string());
            }
        }
        let mut s = words.join(" ");
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        out.push_str(&s);
        out.push_str(". ");
    }
    out.trim_end().to_string()
}

/// Outputs of `style` named `source` for prompts `0..prompts`.
pub fn outputs(source: &str, style: &Style, prompts: usize, seed: u64) -> Vec<Sample> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..prompts)
        .map(|p| {
            let sentences = rng.gen_range(2..6);
            let id = format!("p{p:03}");
            Sample::new(source, Some(&id), answer(&mut rng, style, p, sentences))
        })
        .collect()
}

/// A world: three candidate teachers A, B, C, a base model, a student of
/// A on that base (`share` of A's style), and a control on the same base
/// with no teacher.
pub struct World {
    pub samples: Vec<Sample>,
}

/// The development data (`../shared/data/alpaca_eval_dev` beside the
/// repository), or `None` with a note on stderr when it is absent.
pub fn dev_data_dir() -> Option<std::path::PathBuf> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/alpaca_eval_dev");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} not found", dir.display());
        None
    }
}

/// The world's roles: the student against candidates A, B and C, with the
/// control when `control`.
pub fn request(samples: Vec<Sample>, control: bool) -> AnalysisRequest {
    AnalysisRequest {
        samples,
        suspect: "student".into(),
        candidates: vec!["A".into(), "B".into(), "C".into()],
        control: control.then(|| "control".into()),
        ..Default::default()
    }
}

pub fn world(seed: u64, prompts: usize, share: f64) -> World {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let a = random_style(&mut rng, "Sure thing!");
    let b = random_style(&mut rng, "Great question.");
    let c = random_style(&mut rng, "Here goes.");
    let base = random_style(&mut rng, "Hello there.");
    let student = mix(&a, &base, share);
    let control = Style {
        opening: "Hello there.",
        ..base.clone()
    };
    let student = Style {
        opening: if share > 0.0 {
            student.opening
        } else {
            "Hello there."
        },
        ..student
    };
    world_of(
        &[
            ("A", &a),
            ("B", &b),
            ("C", &c),
            ("student", &student),
            ("control", &control),
        ],
        prompts,
        seed,
    )
}

/// The outputs of each (name, style), the i-th drawn with its own seed
/// derived from `seed`.
fn world_of(sources: &[(&str, &Style)], prompts: usize, seed: u64) -> World {
    let mut samples = Vec::new();
    for (i, (name, style)) in sources.iter().enumerate() {
        samples.extend(outputs(
            name,
            style,
            prompts,
            seed.wrapping_mul(31).wrapping_add(i as u64),
        ));
    }
    World { samples }
}

/// A world as [`world`], plus a candidate "A2" that writes exactly like A
/// (the same style, its own random draws): a twin the analysis cannot
/// separate from the teacher.
pub fn world_with_twin(seed: u64, prompts: usize, share: f64) -> World {
    let mut w = world(seed, prompts, share);
    let a: Vec<Sample> = w
        .samples
        .iter()
        .filter(|s| s.source == "A")
        .cloned()
        .collect();
    // Re-draw A's style the way `world` did (same seed, same order).
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let style = random_style(&mut rng, "Sure thing!");
    debug_assert!(!a.is_empty());
    w.samples.extend(outputs(
        "A2",
        &style,
        prompts,
        seed.wrapping_mul(31).wrapping_add(97),
    ));
    w
}

/// The verdict of `r` is a resemblance (no control: nothing can be
/// attributed), with no candidate attributed.
pub fn assert_resemblance(r: &Report) {
    let v = &r.verdict;
    assert_eq!(v.kind, VerdictKind::Resemblance, "{}", v.reason);
    assert!(v.attributed.is_empty(), "{:?}", v.attributed);
}

/// A world whose teacher T is hidden: the student learned `share` of T's
/// style on its base, and the candidates L1, L2, L3 are T's look-alikes
/// of other vendors (each `likeness` of T on a style of its own), with
/// C unrelated. No candidate is the teacher: any attribution is false.
pub fn world_hidden_teacher(seed: u64, prompts: usize, share: f64, likeness: f64) -> World {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let t = random_style(&mut rng, "Sure thing!");
    let look_alikes: Vec<Style> = ["Great question.", "Here goes.", "Happy to help."]
        .into_iter()
        .map(|opening| mix(&t, &random_style(&mut rng, opening), likeness))
        .collect();
    let c = random_style(&mut rng, "Well then.");
    let base = random_style(&mut rng, "Hello there.");
    let student = mix(&t, &base, share);
    world_of(
        &[
            ("L1", &look_alikes[0]),
            ("L2", &look_alikes[1]),
            ("L3", &look_alikes[2]),
            ("C", &c),
            ("student", &student),
            ("control", &base),
        ],
        prompts,
        seed,
    )
}

/// A teacher T hidden from the candidates, with two models of T's vendor
/// among them: X (a close copy of T) and Z (a looser one), each also
/// writing some of its own style; B, C and D are other vendors' models. The
/// student (`share` of T) resembles X most, through T, yet X's sibling Z
/// resembles X more than the student does: the student's teacher is "a
/// model of T's vendor", not X.
pub fn world_hidden_sibling(seed: u64, prompts: usize, share: f64) -> World {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let t = random_style(&mut rng, "Sure thing!");
    // Their own openings: the vendor's models can be told apart.
    let x = mix(&random_style(&mut rng, "Great question."), &t, 0.1);
    let z = mix(&random_style(&mut rng, "Here goes."), &t, 0.4);
    let b = random_style(&mut rng, "Happy to help.");
    let c = random_style(&mut rng, "Well then.");
    let d = random_style(&mut rng, "Let us see.");
    let base = random_style(&mut rng, "Hello there.");
    let student = mix(&t, &base, share);
    world_of(
        &[
            ("X", &x),
            ("Z", &z),
            ("B", &b),
            ("C", &c),
            ("D", &d),
            ("student", &student),
            ("control", &base),
        ],
        prompts,
        seed,
    )
}

/// `samples` with the student's and the control's answers to each prompt
/// swapped when a fair coin says so: the two are then exchangeable on
/// every prompt, the exact null of the excess test.
pub fn coin_swapped(samples: &[Sample], seed: u64) -> Vec<Sample> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut swap = std::collections::BTreeMap::new();
    samples
        .iter()
        .map(|s| {
            let mut s = s.clone();
            if s.source == "student" || s.source == "control" {
                let id = s.prompt_id.clone().unwrap_or_default();
                let flip = *swap.entry(id).or_insert_with(|| rng.gen::<bool>());
                if flip {
                    s.source = if s.source == "student" {
                        "control"
                    } else {
                        "student"
                    }
                    .into();
                }
            }
            s
        })
        .collect()
}
