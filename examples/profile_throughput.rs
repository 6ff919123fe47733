//! Profile throughput on the dev data: how many megabytes of model output
//! per second `Profile::of_text` turns into profiles, on one thread.
//!
//! Run (release, or the figure means nothing):
//!
//! ```text
//! cargo run --release --example profile_throughput [DIR] [ROUNDS]
//! ```
//!
//! DIR defaults to `../shared/data/alpaca_eval_dev` (relative to the crate
//! root, i.e. the dev data, which is not part of the repository). The
//! figure is input bytes (the `text` fields, UTF-8) divided by wall
//! seconds, best of ROUNDS (default 3). As a benchmark that checks its
//! answer, it also merges each source's texts and checks the totals: every
//! text profiled once, every source with words and sentences.

use std::path::{Path, PathBuf};
use std::time::Instant;

use lineage::profile::{Profile, ProfileOptions};

fn load(dir: &Path) -> Result<Vec<(String, Vec<String>)>, String> {
    let files = lineage::corpus::files_in(dir, &["jsonl"]).map_err(|e| e.to_string())?;
    let mut sources = Vec::new();
    for file in files {
        let body = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let mut texts = Vec::new();
        for (i, line) in body
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let record: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| format!("{}:{}: {e}", file.display(), i + 1))?;
            if let Some(text) = record.get("text").and_then(|t| t.as_str()) {
                texts.push(text.to_owned());
            }
        }
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        sources.push((name, texts));
    }
    Ok(sources)
}

/// CPU time of this thread in seconds, where Linux tells it: on a shared
/// machine wall time measures the neighbours as much as the code.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/alpaca_eval_dev")
    });
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let sources = match load(&dir) {
        Ok(s) if !s.is_empty() => s,
        Ok(_) => {
            eprintln!("no .jsonl files in {}", dir.display());
            std::process::exit(2);
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let texts: usize = sources.iter().map(|(_, t)| t.len()).sum();
    let bytes: usize = sources.iter().flat_map(|(_, t)| t).map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    let options = ProfileOptions::default();

    let mut best_profile = f64::INFINITY;
    let mut best_total = f64::INFINITY;
    let mut best_cpu_profile = f64::INFINITY;
    let mut best_cpu_total = f64::INFINITY;
    let mut merged = Vec::new();
    for _ in 0..rounds {
        let start = Instant::now();
        let cpu_start = thread_cpu_seconds();
        let profiles: Vec<Vec<Profile>> = sources
            .iter()
            .map(|(_, t)| {
                t.iter()
                    .map(|text| Profile::of_text(text, &options))
                    .collect()
            })
            .collect();
        let profiled = start.elapsed().as_secs_f64();
        let cpu_profiled = thread_cpu_seconds();
        merged = profiles.iter().map(Profile::merge_all).collect();
        let total = start.elapsed().as_secs_f64();
        if let (Some(a), Some(b), Some(c)) = (cpu_start, cpu_profiled, thread_cpu_seconds()) {
            best_cpu_profile = best_cpu_profile.min(b - a);
            best_cpu_total = best_cpu_total.min(c - a);
        }
        best_profile = best_profile.min(profiled);
        best_total = best_total.min(total);
    }

    // Check the answer before printing the speed.
    assert_eq!(merged.iter().map(|p| p.texts).sum::<usize>(), texts);
    for ((name, _), p) in sources.iter().zip(&merged) {
        assert!(p.words > 0 && p.sentences > 0, "{name}: empty profile");
        println!(
            "{name:<24} texts {:>4}  words {:>7}  sentences {:>6}  word types {:>6}  char 5-grams {:>7}  mattr {:.3}",
            p.texts,
            p.words,
            p.sentences,
            p.word_ngrams[0].len(),
            p.char_ngrams.get(4).map_or(0, |t| t.len()),
            p.richness.mattr
        );
    }
    if best_cpu_total.is_finite() {
        println!(
            "per CPU-second of this thread: of_text {:.1} MB/s, with per-source merge {:.1} MB/s",
            mb / best_cpu_profile,
            mb / best_cpu_total
        );
    }
    println!(
        "{texts} texts, {mb:.2} MB: of_text {:.1} MB/s ({:.3} s); with per-source merge {:.1} MB/s ({:.3} s); best of {rounds}, one thread{}",
        mb / best_profile,
        best_profile,
        mb / best_total,
        best_total,
        if cfg!(debug_assertions) { " (DEBUG BUILD: use --release)" } else { "" }
    );
}
