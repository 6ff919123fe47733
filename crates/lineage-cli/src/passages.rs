//! `lineage passages`: streaming sketch, LSH buckets, verified hits.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use rayon::prelude::*;
use serde::Serialize;

use lineage::corpus::{self, Sample};
use lineage::options::OptionArgs;
use lineage::passages::{self, PassageArgs, PassageOptions};
use lineage::{Error, ErrorKind};

/// Find verbatim passages shared by any two texts of the inputs.
///
/// Streams JSONL files (or directories of them) once, sketching each
/// text on all cores (local MinHash, see `lineage::passages`); pairs
/// of texts in a common LSH bucket are then re-read and verified
/// word by word. Prints one JSON object per verified passage, then a
/// summary on stderr.
#[derive(Args)]
pub struct PassagesArgs {
    /// JSONL files or directories of .jsonl files.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Shortest passage reported, in words (always found when shared),
    /// 1 to 10000.
    #[arg(long, default_value_t = PassageOptions::default().min_words)]
    min_words: usize,
    /// Buckets with more texts than this are stock phrases and dropped;
    /// at least 2.
    #[arg(long, default_value_t = PassageOptions::default().max_bucket)]
    max_bucket: usize,
    /// Also report passages shared by two texts of the same source.
    #[arg(long)]
    same_source: bool,
}

pub fn run(args: PassagesArgs) -> Result<(), Error> {
    let opts = PassageArgs {
        min_words: Some(args.min_words),
        k: None,
        max_bucket: Some(args.max_bucket),
    }
    .to_options()
    .map_err(|e| e.context("passages"))?;
    let files = jsonl_files(&args.inputs)?;
    // Past this point an error is a file that could not be (re-)read.
    find(&files, &opts, args.same_source).map_err(|m| Error::new(ErrorKind::ReadFailed, m))
}

/// Two texts (ids and records) and the passages they share.
type VerifiedPair = (
    u32,
    u32,
    Sample,
    Sample,
    Vec<lineage::signals::overlap::SharedSpan>,
);

/// Where a text is: its file and the byte range of its line.
#[derive(Clone, Copy)]
struct DocRef {
    file: u32,
    offset: u64,
    len: u32,
}

#[derive(Serialize)]
struct Side<'a> {
    file: &'a str,
    line: u64,
    source: &'a str,
    prompt_id: Option<&'a str>,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct Hit<'a> {
    a: Side<'a>,
    b: Side<'a>,
    words: usize,
    text: &'a str,
    /// The passage restates the prompt of either text (see
    /// `passages::echoes_prompt`): left out of the totals.
    prompt_echo: bool,
}

fn jsonl_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for p in inputs {
        if p.is_dir() {
            files.extend(corpus::files_in(p, &["jsonl"])?);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            return Err(crate::input::read_failed(
                p,
                "neither a file nor a directory",
            ));
        }
    }
    if files.is_empty() {
        return Err(Error::new(ErrorKind::EmptyInput, "no .jsonl input found"));
    }
    Ok(files)
}

fn stem(path: &Path) -> Option<String> {
    path.file_stem().map(|s| s.to_string_lossy().into_owned())
}

/// Re-reads one record (for verification): the line at `doc`.
fn read_doc(files: &[PathBuf], doc: DocRef) -> Result<Sample, String> {
    let path = &files[doc.file as usize];
    let mut f = File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    f.seek(SeekFrom::Start(doc.offset))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut buf = vec![0u8; doc.len as usize];
    f.read_exact(&mut buf)
        .map_err(|e| format!("{} changed while being read: {e}", path.display()))?;
    let line = String::from_utf8_lossy(&buf);
    corpus::parse_jsonl_line(line.trim(), stem(path).as_deref())
        .map_err(|e| format!("{} changed while being read: {e}", path.display()))
}

/// Line number (1-based) of each document, for the output.
fn line_numbers(files: &[PathBuf], docs: &[DocRef]) -> Result<Vec<u64>, String> {
    // Count newlines up to each document's offset, in offset order.
    let mut out = vec![0u64; docs.len()];
    let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
    for (i, d) in docs.iter().enumerate() {
        by_file[d.file as usize].push(i);
    }
    for (fi, ids) in by_file.iter_mut().enumerate() {
        if ids.is_empty() {
            continue;
        }
        // Hits list their documents pair by pair, not in file order.
        ids.sort_unstable_by_key(|&i| docs[i].offset);
        let mut reader = BufReader::new(
            File::open(&files[fi])
                .map_err(|e| format!("cannot read {}: {e}", files[fi].display()))?,
        );
        let (mut line, mut pos, mut next) = (0u64, 0u64, 0usize);
        let mut buf = Vec::new();
        while next < ids.len() {
            buf.clear();
            let n = reader
                .read_until(b'\n', &mut buf)
                .map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            line += 1;
            while next < ids.len() && docs[ids[next]].offset == pos {
                out[ids[next]] = line;
                next += 1;
            }
            pos += n as u64;
        }
    }
    Ok(out)
}

fn find(files: &[PathBuf], opts: &PassageOptions, same_source: bool) -> Result<(), String> {
    let start = Instant::now();
    // Pass 1: stream every file in batches of lines, sketch on all
    // cores; keep only (bucket, doc) entries and where each doc is.
    let mut docs: Vec<DocRef> = Vec::new();
    let mut sources: Vec<u32> = Vec::new();
    let mut source_names: Vec<String> = Vec::new();
    let mut entries: Vec<(u64, u32)> = Vec::new();
    let mut malformed = 0usize;
    let mut bytes_in = 0u64;
    const BATCH: usize = 16 * 1024;
    for (fi, path) in files.iter().enumerate() {
        let default = stem(path);
        let mut reader = BufReader::with_capacity(
            1 << 20,
            File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        );
        let mut pos = 0u64;
        let mut line_no = 0u64;
        loop {
            let mut batch: Vec<(u64, u64, Vec<u8>)> = Vec::with_capacity(BATCH);
            while batch.len() < BATCH {
                let mut buf = Vec::new();
                let n = reader
                    .read_until(b'\n', &mut buf)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                if n == 0 {
                    break;
                }
                line_no += 1;
                if !buf.iter().all(u8::is_ascii_whitespace) {
                    batch.push((pos, line_no, buf));
                }
                pos += n as u64;
            }
            if batch.is_empty() {
                break;
            }
            let parsed: Vec<Result<(String, Vec<u64>), String>> = batch
                .par_iter()
                .map(|(_, _, line)| {
                    let line = String::from_utf8_lossy(line);
                    let s = corpus::parse_jsonl_line(line.trim(), default.as_deref())?;
                    Ok((s.source, passages::sketch(&s.text, opts)))
                })
                .collect();
            for ((offset, line, raw), r) in batch.iter().zip(parsed) {
                bytes_in += raw.len() as u64;
                match r {
                    Err(e) => {
                        malformed += 1;
                        if malformed <= 5 {
                            eprintln!("warning: {}:{line}: {e}", path.display());
                        }
                    }
                    Ok((source, sketch)) => {
                        let id = u32::try_from(docs.len())
                            .map_err(|_| "more than 4 billion texts".to_string())?;
                        docs.push(DocRef {
                            file: fi as u32,
                            offset: *offset,
                            len: raw.len() as u32,
                        });
                        let s = match source_names.iter().rposition(|n| *n == source) {
                            Some(s) => s,
                            None => {
                                source_names.push(source);
                                source_names.len() - 1
                            }
                        };
                        sources.push(s as u32);
                        entries.extend(sketch.into_iter().map(|h| (h, id)));
                    }
                }
            }
        }
    }
    if malformed > 5 {
        eprintln!("warning: {malformed} malformed lines in all (first 5 shown)");
    }
    let sketched = start.elapsed().as_secs_f64();
    let n_entries = entries.len();
    // Pass 2: buckets -> candidate pairs.
    let (mut pairs, dropped) = passages::candidate_pairs(entries, opts.max_bucket);
    if !same_source {
        pairs.retain(|&(a, b)| sources[a as usize] != sources[b as usize]);
    }
    let bucketed = start.elapsed().as_secs_f64();
    // Pass 3: re-read each candidate pair and verify it exactly.
    let verified: Vec<Result<Vec<VerifiedPair>, String>> = pairs
        .par_chunks(256)
        .map(|chunk| {
            let mut out = Vec::new();
            // Pairs are sorted by their first text: read it once.
            let mut last: Option<(u32, Sample)> = None;
            for &(a, b) in chunk {
                if last.as_ref().map_or(true, |l| l.0 != a) {
                    last = Some((a, read_doc(files, docs[a as usize])?));
                }
                let sa = &last.as_ref().expect("just set").1;
                let sb = read_doc(files, docs[b as usize])?;
                let spans = passages::verify(&sa.text, &sb.text, opts);
                if !spans.is_empty() {
                    out.push((a, b, sa.clone(), sb, spans));
                }
            }
            Ok(out)
        })
        .collect();
    let mut hits = Vec::new();
    for v in verified {
        hits.extend(v?);
    }
    let mut hit_docs: Vec<DocRef> = Vec::new();
    let mut doc_index = std::collections::BTreeMap::new();
    for (a, b, ..) in &hits {
        for d in [*a, *b] {
            doc_index.entry(d).or_insert_with(|| {
                hit_docs.push(docs[d as usize]);
                hit_docs.len() - 1
            });
        }
    }
    let lines = line_numbers(files, &hit_docs)?;
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut n_passages = 0usize;
    let mut shared = Vec::new();
    for (a, b, sa, sb, spans) in &hits {
        let (la, lb) = (lines[doc_index[a]], lines[doc_index[b]]);
        for span in spans {
            let (a0, a1) = (span.a.start, span.a.end);
            let (b0, b1) = (span.b.start, span.b.end);
            let hit = Hit {
                a: Side {
                    file: &names[docs[*a as usize].file as usize],
                    line: la,
                    source: &sa.source,
                    prompt_id: sa.prompt_id.as_deref(),
                    start: a0,
                    end: a1,
                },
                b: Side {
                    file: &names[docs[*b as usize].file as usize],
                    line: lb,
                    source: &sb.source,
                    prompt_id: sb.prompt_id.as_deref(),
                    start: b0,
                    end: b1,
                },
                words: span.words,
                text: &span.text,
                prompt_echo: [&sa.prompt, &sb.prompt]
                    .into_iter()
                    .flatten()
                    .any(|prompt| passages::echoes_prompt(&span.text, prompt)),
            };
            shared.push(passages::Shared {
                a: &sa.source,
                b: &sb.source,
                words: span.words,
                prompt_echo: hit.prompt_echo,
            });
            serde_json::to_writer(&mut out, &hit)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n"))
                .map_err(|e| crate::output::stdout_error(e).to_string())?;
            n_passages += 1;
        }
    }
    out.flush()
        .map_err(|e| crate::output::stdout_error(e).to_string())?;
    eprintln!(
        "passages: {} texts ({:.1} MB) in {} files, {} sketch entries, {} buckets dropped as stock phrases (> {} texts), {} candidate pairs, {} verified pairs, {} passages of >= {} words; sketch {:.2} s, buckets {:.2} s, verify {:.2} s",
        docs.len(),
        bytes_in as f64 / 1e6,
        files.len(),
        n_entries,
        dropped,
        opts.max_bucket,
        pairs.len(),
        hits.len(),
        n_passages,
        opts.min_words,
        sketched,
        bucketed - sketched,
        start.elapsed().as_secs_f64() - bucketed,
    );
    eprint!("{}", totals_table(&passages::pair_totals(shared)));
    Ok(())
}

/// The per-pair totals as a table for the terminal (stdout stays one JSON
/// object per passage).
fn totals_table(totals: &[passages::PairTotal]) -> String {
    if totals.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "shared passages by pair of sources (passages restating the prompt left out):\n  passages     words  echoes  pair\n",
    );
    for t in totals {
        out.push_str(&format!(
            "  {:>8}  {:>8}  {:>6}  {} × {}\n",
            t.passages, t.words, t.echoes, t.a, t.b
        ));
    }
    out
}
