//! How many answers a verdict needs: accuracy and power of the analysis
//! against the number of prompts, on the development data.
//!
//! For each size N, N prompt ids are drawn at random (R times, seeded)
//! from the prompts every source answered, and the full analysis runs on
//! those prompts only, for three suspects of documented lineage:
//!
//! | suspect | documented teacher | control |
//! |---|---|---|
//! | alpaca-7b | text_davinci_003 | guanaco-33b |
//! | vicuna-13b | gpt-3.5-turbo-0301 | guanaco-33b |
//! | guanaco-33b | none (human-written answers) | vicuna-13b |
//!
//! against five candidates (text_davinci_003, gpt-3.5-turbo-0301,
//! gpt4_0314, claude-2, llama-2-70b-chat-hf). Per N it prints, over the
//! runs with a teacher: how often the teacher is ranked first, how often
//! the verdict is an attribution, power (an attribution to a set inside
//! the teacher's family, the three OpenAI models here), and attributions
//! to a set reaching outside it; over the runs without a teacher, how often
//! the analysis attributes; and accuracy over all runs (the `correct` of
//! `lineage eval`).
//!
//! ```text
//! cargo run --release --example probe_power -- [DIR] [--reps R] [--sizes 25,50,100,200,400]
//! ```
//!
//! DIR defaults to `../shared/data/alpaca_eval_dev` beside the repository;
//! the example says so and stops when it is absent. The figures quoted in
//! `probes/README.md` come from this command; they depend on the verdict
//! rule, so they are rerun whenever it changes.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use lineage::analysis::{self, AnalysisOptions, AnalysisRequest};
use lineage::corpus::{self, Format, Sample};
use lineage::stats;

const CANDIDATES: [&str; 5] = [
    "text_davinci_003",
    "gpt-3.5-turbo-0301",
    "gpt4_0314",
    "claude-2",
    "llama-2-70b-chat-hf",
];

/// (suspect, documented teacher, control)
const CASES: [(&str, Option<&str>, Option<&str>); 3] = [
    ("alpaca-7b", Some("text_davinci_003"), Some("guanaco-33b")),
    (
        "vicuna-13b",
        Some("gpt-3.5-turbo-0301"),
        Some("guanaco-33b"),
    ),
    ("guanaco-33b", None, Some("vicuna-13b")),
];

/// The teachers' family among the candidates: an attribution to any subset
/// of it is right.
const FAMILY: [&str; 3] = ["text_davinci_003", "gpt-3.5-turbo-0301", "gpt4_0314"];

#[derive(Default)]
struct Tally {
    teacher_runs: usize,
    teacher_first: usize,
    confident: usize,
    power: usize,
    wrong_confident: usize,
    null_runs: usize,
    null_attributed: usize,
    correct: usize,
    runs: usize,
    seconds: f64,
    /// Confident attributions of the suspect without a teacher, by candidate.
    null_to: std::collections::BTreeMap<String, usize>,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let mut reps = 8usize;
    let mut sizes = vec![25usize, 50, 100, 200, 400];
    while let Some(a) = args.next() {
        match a.as_str() {
            "--reps" => reps = args.next().and_then(|v| v.parse().ok()).unwrap_or(reps),
            "--sizes" => {
                sizes = args
                    .next()
                    .map(|v| v.split(',').filter_map(|x| x.trim().parse().ok()).collect())
                    .unwrap_or(sizes)
            }
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let dir = dir.unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/alpaca_eval_dev")
    });
    if !dir.is_dir() {
        println!(
            "skipped: {} is absent (the development data lives beside the repository)",
            dir.display()
        );
        return;
    }
    let mut samples: Vec<Sample> = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("readable data directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    entries.sort();
    for p in &entries {
        let name = p.display().to_string();
        let bytes = std::fs::read(p).expect("readable data file");
        samples.extend(corpus::read(&name, &bytes, Format::Jsonl, None).samples);
    }
    // The prompts every source of every case answered.
    let mut used: BTreeSet<&str> = CANDIDATES.into_iter().collect();
    for (s, _, c) in CASES {
        used.insert(s);
        used.extend(c);
    }
    let groups = corpus::group_by_source(&samples);
    let missing: Vec<&&str> = used.iter().filter(|s| !groups.contains_key(**s)).collect();
    if !missing.is_empty() {
        println!(
            "skipped: sources missing from {}: {missing:?}",
            dir.display()
        );
        return;
    }
    let slices: Vec<&[Sample]> = used.iter().map(|s| groups[*s].as_slice()).collect();
    let pool = corpus::shared_prompts(&slices);
    println!(
        "lineage {} (engine commit {}), {} prompts answered by all {} sources, {} runs per size",
        lineage::VERSION,
        commit(),
        pool.len(),
        used.len(),
        reps
    );
    println!(
        "\n{:>5} {:>5} {:>13} {:>10} {:>7} {:>14} {:>14} {:>9} {:>8}",
        "N",
        "runs",
        "teacher 1st",
        "attributed",
        "power",
        "wrong attrib.",
        "null attrib.",
        "accuracy",
        "s/run"
    );
    for &n in &sizes {
        let n = n.min(pool.len());
        // Every prompt is drawn at N = all: one run says everything.
        let runs = if n == pool.len() { 1 } else { reps };
        let mut t = Tally::default();
        for r in 0..runs {
            let mut ids = pool.clone();
            let mut rng = stats::rng(stats::sub_seed(n as u64 * 1000 + r as u64, "probe_power"));
            stats::shuffle(&mut rng, &mut ids);
            let chosen: BTreeSet<&str> = ids[..n].iter().map(String::as_str).collect();
            for (suspect, teacher, control) in CASES {
                let subset: Vec<Sample> = samples
                    .iter()
                    .filter(|s| {
                        used.contains(s.source.as_str())
                            && s.prompt_id.as_deref().is_some_and(|p| chosen.contains(p))
                    })
                    .cloned()
                    .collect();
                let req = AnalysisRequest {
                    samples: subset,
                    suspect: suspect.into(),
                    candidates: CANDIDATES.iter().map(|c| c.to_string()).collect(),
                    control: control.map(str::to_string),
                    ..Default::default()
                };
                let opts = AnalysisOptions {
                    seed: 42 + r as u64,
                    robustness: false,
                    ..AnalysisOptions::default()
                };
                let start = Instant::now();
                let report = analysis::analyze(&req, &opts, &mut |_, _| {});
                t.seconds += start.elapsed().as_secs_f64();
                t.runs += 1;
                let (top, attributed) = match &report {
                    Ok(rep) => (rep.verdict.top.clone(), rep.verdict.attributed.clone()),
                    Err(e) => {
                        eprintln!("N={n} run {r} {suspect}: analysis failed: {e}");
                        (None, Vec::new())
                    }
                };
                let confident = !attributed.is_empty();
                match teacher {
                    Some(teacher) => {
                        let first = top.as_deref() == Some(teacher);
                        let in_family =
                            confident && attributed.iter().all(|a| FAMILY.contains(&a.as_str()));
                        t.teacher_runs += 1;
                        t.teacher_first += usize::from(first);
                        t.confident += usize::from(confident);
                        t.power += usize::from(in_family);
                        t.wrong_confident += usize::from(confident && !in_family);
                        t.correct += usize::from(in_family);
                    }
                    None => {
                        t.null_runs += 1;
                        t.null_attributed += usize::from(confident);
                        if confident {
                            let to = format!("{{{}}}", attributed.join(", "));
                            *t.null_to.entry(to).or_default() += 1;
                        }
                        t.correct += usize::from(!confident);
                    }
                }
            }
        }
        let share = |k: usize, of: usize| format!("{k}/{of} {:.2}", k as f64 / of.max(1) as f64);
        println!(
            "{:>5} {:>5} {:>13} {:>10} {:>7} {:>14} {:>14} {:>9} {:>8.1}",
            n,
            runs,
            share(t.teacher_first, t.teacher_runs),
            share(t.confident, t.teacher_runs),
            format!("{:.2}", t.power as f64 / t.teacher_runs.max(1) as f64),
            share(t.wrong_confident, t.teacher_runs),
            share(t.null_attributed, t.null_runs),
            format!("{:.2}", t.correct as f64 / t.runs.max(1) as f64),
            t.seconds / t.runs.max(1) as f64
        );
        for (to, k) in &t.null_to {
            println!("      (the suspect without a teacher attributed to {to}: {k})");
        }
    }
}

/// The engine's git commit, when run from a checkout.
fn commit() -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(h) => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no", "src"])
                .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{h} with uncommitted changes to src/")
            } else {
                h
            }
        }
        None => "unknown".into(),
    }
}
