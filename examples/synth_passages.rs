//! Synthetic corpus with known shared passages, for `lineage passages`
//! at scale (docs/PERFORMANCE.md; driven by bench/passages_scale.sh).
//!
//! ```text
//! cargo run --release --example synth_passages -- generate OUT_DIR N PAIRS [DEV_DIR]
//! cargo run --release --example synth_passages -- score OUT_DIR HITS.jsonl [MIN_WORDS]
//! ```
//!
//! `generate` writes N outputs to OUT_DIR/shard-XX.jsonl (100 000 per
//! shard) from the dev data's sentences: each output takes the sentence
//! count of a random dev answer and fills it with random sentences of the
//! whole pool, each with its words shuffled, so outputs share words and
//! sentence shapes but no long verbatim run by chance. Then PAIRS
//! passages are planted: a distinct unshuffled dev sentence of at least 25
//! words is inserted into two random outputs (each output in at most one
//! pair). OUT_DIR/truth.ndjson lists the planted pairs.
//!
//! `score` reads the hits `lineage passages` printed and reports recall
//! (planted pairs found with a passage of at least MIN_WORDS words,
//! default 20) and precision (hit pairs that were planted).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const PER_SHARD: usize = 100_000;

fn dev_answers(dir: &Path) -> Result<Vec<String>, String> {
    let files = lineage::corpus::files_in(dir, &["jsonl"]).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f).map_err(|e| e.to_string())?;
        let parsed = lineage::corpus::read_jsonl("dev", &bytes, Some("dev"));
        out.extend(parsed.samples.into_iter().map(|s| s.text));
    }
    if out.is_empty() {
        return Err(format!("no answers in {}", dir.display()));
    }
    Ok(out)
}

fn words_with_alnum(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

fn generate(out: &Path, n: usize, pairs: usize, dev: &Path) -> Result<(), String> {
    let answers = dev_answers(dev)?;
    let mut pool: Vec<String> = Vec::new();
    let mut shape: Vec<usize> = Vec::new();
    for a in &answers {
        let sents: Vec<String> = lineage::text::sentences(a)
            .iter()
            .map(|t| t.text.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        shape.push(sents.len().max(1));
        // A sentence with a long unspaced token (a URL, code, Chinese)
        // would survive the word shuffle as a long verbatim run and make
        // unplanted overlaps: left out of the pool.
        pool.extend(
            sents
                .into_iter()
                .filter(|s| s.split_whitespace().all(|w| w.len() <= 30)),
        );
    }
    let mut long: Vec<&String> = pool.iter().filter(|s| words_with_alnum(s) >= 25).collect();
    long.sort();
    long.dedup();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    long.shuffle(&mut rng);
    let pairs = pairs.min(long.len()).min(n / 2);
    // Planted pairs: outputs 2p' and 2p'+1 of a random permutation.
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut rng);
    let mut planted: BTreeMap<usize, usize> = BTreeMap::new();
    for p in 0..pairs {
        planted.insert(order[2 * p], p);
        planted.insert(order[2 * p + 1], p);
    }
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let mut truth =
        BufWriter::new(std::fs::File::create(out.join("truth.ndjson")).map_err(|e| e.to_string())?);
    for p in 0..pairs {
        let rec = serde_json::json!({
            "a": format!("s{:07}", order[2 * p]),
            "b": format!("s{:07}", order[2 * p + 1]),
            "passage": long[p],
        });
        writeln!(truth, "{rec}").map_err(|e| e.to_string())?;
    }
    truth.flush().map_err(|e| e.to_string())?;
    let mut bytes = 0usize;
    let mut words: Vec<&str> = Vec::new();
    for shard in 0..n.div_ceil(PER_SHARD) {
        let path = out.join(format!("shard-{shard:03}.jsonl"));
        let mut w = BufWriter::new(std::fs::File::create(&path).map_err(|e| e.to_string())?);
        for i in shard * PER_SHARD..((shard + 1) * PER_SHARD).min(n) {
            let m = shape[rng.gen_range(0..shape.len())];
            let insert_at = rng.gen_range(0..=m);
            let mut text = String::new();
            for j in 0..=m {
                if j == insert_at {
                    if let Some(&p) = planted.get(&i) {
                        text.push_str(long[p]);
                        text.push(' ');
                    }
                }
                if j == m {
                    break;
                }
                let s = &pool[rng.gen_range(0..pool.len())];
                words.clear();
                words.extend(s.split_whitespace());
                words.shuffle(&mut rng);
                text.push_str(&words.join(" "));
                text.push(' ');
            }
            let rec = serde_json::json!({
                "source": format!("synth-{}", i % 10),
                "prompt_id": format!("s{i:07}"),
                "text": text.trim_end(),
            });
            let line = rec.to_string();
            bytes += line.len() + 1;
            writeln!(w, "{line}").map_err(|e| e.to_string())?;
        }
        w.flush().map_err(|e| e.to_string())?;
    }
    println!(
        "generated {n} outputs ({:.1} MB) in {} shards, {pairs} planted pairs, into {}",
        bytes as f64 / 1e6,
        n.div_ceil(PER_SHARD),
        out.display()
    );
    Ok(())
}

/// Lowercase words joined by single spaces (the verifier compares words,
/// not the punctuation between them).
fn words_only(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn score(out: &Path, hits: &Path, min_words: usize) -> Result<(), String> {
    let read = |p: &Path| -> Result<Vec<serde_json::Value>, String> {
        let f = std::fs::File::open(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        std::io::BufReader::new(f)
            .lines()
            .filter(|l| l.as_ref().map_or(true, |l| !l.trim().is_empty()))
            .map(|l| {
                serde_json::from_str(&l.map_err(|e| e.to_string())?).map_err(|e| e.to_string())
            })
            .collect()
    };
    let key = |a: &str, b: &str| {
        if a < b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        }
    };
    let planted = read(&out.join("truth.ndjson"))?;
    let truth: BTreeSet<(String, String)> = planted
        .iter()
        .map(|r| key(r["a"].as_str().unwrap_or(""), r["b"].as_str().unwrap_or("")))
        .collect();
    // The planted passage of each output, as lowercase words.
    let passage_of: BTreeMap<&str, String> = planted
        .iter()
        .flat_map(|r| {
            let p = words_only(r["passage"].as_str().unwrap_or(""));
            [r["a"].as_str().unwrap_or(""), r["b"].as_str().unwrap_or("")].map(|id| (id, p.clone()))
        })
        .collect();
    let hits = read(hits)?;
    let mut found: BTreeSet<(String, String)> = BTreeSet::new();
    // Hit pairs that were not planted but whose passage lies in both
    // outputs' planted passages: two dev answers wrote the same words,
    // a true verbatim overlap the generator made, not a false hit.
    let mut explained: BTreeSet<(String, String)> = BTreeSet::new();
    for h in hits
        .iter()
        .filter(|h| h["words"].as_u64().unwrap_or(0) >= min_words as u64)
    {
        let (a, b) = (
            h["a"]["prompt_id"].as_str().unwrap_or(""),
            h["b"]["prompt_id"].as_str().unwrap_or(""),
        );
        let k = key(a, b);
        let text = words_only(h["text"].as_str().unwrap_or(""));
        let in_planted = |id: &str| passage_of.get(id).is_some_and(|p| p.contains(&text));
        if !truth.contains(&k) && in_planted(a) && in_planted(b) {
            explained.insert(k.clone());
        }
        found.insert(k);
    }
    let tp = found.intersection(&truth).count();
    let recall = tp as f64 / truth.len().max(1) as f64;
    let precision = if found.is_empty() {
        1.0
    } else {
        tp as f64 / found.len() as f64
    };
    let unexplained = found.len() - tp - explained.len();
    println!(
        "planted pairs {}, hit pairs {}, true hits {tp}: recall {recall:.4}, precision {precision:.4} against the planted pairs; \
         of the other {} hit pairs, {} are overlaps between two planted passages (dev answers sharing words), {unexplained} unexplained",
        truth.len(),
        found.len(),
        found.len() - tp,
        explained.len()
    );
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dev_default = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/alpaca_eval_dev"
    );
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate", out, n, pairs, rest @ ..] => match (n.parse(), pairs.parse()) {
            (Ok(n), Ok(p)) => generate(
                Path::new(out),
                n,
                p,
                Path::new(rest.first().copied().unwrap_or(dev_default)),
            ),
            _ => Err("N and PAIRS must be whole numbers".into()),
        },
        ["score", out, hits, rest @ ..] => {
            match rest.first().map_or(Ok(20), |m| m.parse::<usize>()) {
                Ok(m) => score(Path::new(out), Path::new(hits), m),
                Err(_) => Err("MIN_WORDS must be a whole number".into()),
            }
        }
        _ => Err(
            "usage: synth_passages generate OUT N PAIRS [DEV_DIR] | score OUT HITS [MIN_WORDS]"
                .into(),
        ),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}
