//! The native CLI: `lineage analyze` prints a report, `lineage eval` runs
//! the evaluation protocol over a directory of JSONL files.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::main());
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use clap::{Parser, Subcommand, ValueEnum};
    use indicatif::{ProgressBar, ProgressStyle};

    use lineage::analysis::{self, AnalysisOptions, AnalysisRequest, DeltaKind};
    use lineage::corpus::{self, Format, Parsed, Sample, SizeLimits};
    use lineage::eval::{self, SuspectCase};
    use lineage::report::{InputFile, Warning};

    #[derive(Parser)]
    #[command(
        name = "lineage",
        version,
        about = "Which candidate model does a suspect model's writing resemble, how sure, and why"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum OutFormat {
        Json,
        Md,
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum DeltaArg {
        Cosine,
        Burrows,
        Eder,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Analyse one suspect against candidates (and optionally a control).
        ///
        /// Each of --suspect, --candidate and --control is a JSONL/CSV file
        /// (its records' source is the role's source) or a source name found
        /// in the INPUTS (files or directories of .jsonl/.csv files).
        Analyze {
            /// Extra input files or directories holding sources named by the roles.
            inputs: Vec<PathBuf>,
            #[arg(long)]
            suspect: String,
            #[arg(long = "candidate", required = true)]
            candidates: Vec<String>,
            #[arg(long)]
            control: Option<String>,
            #[arg(long, value_enum, default_value = "json")]
            format: OutFormat,
            #[arg(long, default_value_t = 42)]
            seed: u64,
            /// Significance level of the decision tests.
            #[arg(long, default_value_t = 0.01)]
            alpha: f64,
            #[arg(long, value_enum, default_value = "cosine")]
            delta: DeltaArg,
            /// Comma-separated per-prompt signals combined into the tested
            /// score (default: the documented default set; see README, "Accuracy").
            #[arg(long)]
            signals: Option<String>,
            /// Raise the per-source and total text limits (8 and 16 MiB,
            /// sized for a browser tab) to this many MiB, for a machine
            /// with the memory: about 70 bytes per byte of text.
            #[arg(long, value_name = "MIB")]
            size_limit_mib: Option<usize>,
        },
        /// Run the evaluation protocol (T1 attribution, T2 distillation) on a directory.
        Eval {
            dir: PathBuf,
            /// Comma-separated candidate source names.
            #[arg(long, value_delimiter = ',', required = true)]
            candidates: Vec<String>,
            /// Comma-separated suspect:teacher[+relative...][:control]
            /// cases; `-` = none. Relatives are candidates of the teacher's
            /// family: an attribution to any subset of the family is right.
            #[arg(long, value_delimiter = ',')]
            suspects: Vec<String>,
            /// Comma-separated per-prompt signals combined into the tested
            /// score (default: the documented default set).
            #[arg(long)]
            signals: Option<String>,
            /// Print one JSON object instead of tables.
            #[arg(long)]
            json: bool,
            #[arg(long, default_value_t = 42)]
            seed: u64,
        },
        /// Find verbatim passages shared by any two texts of the inputs.
        ///
        /// Streams JSONL files (or directories of them) once, sketching each
        /// text on all cores (local MinHash, see `lineage::passages`); pairs
        /// of texts in a common LSH bucket are then re-read and verified
        /// word by word. Prints one JSON object per verified passage, then a
        /// summary on stderr.
        Passages {
            /// JSONL files or directories of .jsonl files.
            #[arg(required = true)]
            inputs: Vec<PathBuf>,
            /// Shortest passage reported, in words (always found when shared).
            #[arg(long, default_value_t = 20)]
            min_words: usize,
            /// Buckets with more texts than this are stock phrases and dropped.
            #[arg(long, default_value_t = 64)]
            max_bucket: usize,
            /// Also report passages shared by two texts of the same source.
            #[arg(long)]
            same_source: bool,
        },
    }

    pub fn main() -> i32 {
        let cli = Cli::parse();
        let result = match cli.command {
            Command::Analyze {
                inputs,
                suspect,
                candidates,
                control,
                format,
                seed,
                alpha,
                delta,
                signals,
                size_limit_mib,
            } => match signals.as_deref().map(analysis::parse_signals).transpose() {
                Err(e) => Err(e),
                Ok(signals) => run_analyze(
                    &inputs,
                    &suspect,
                    &candidates,
                    control.as_deref(),
                    format,
                    size_limit_mib.map_or_else(SizeLimits::default, SizeLimits::raised_to_mib),
                    AnalysisOptions {
                        seed,
                        alpha,
                        delta: match delta {
                            DeltaArg::Cosine => DeltaKind::Cosine,
                            DeltaArg::Burrows => DeltaKind::Burrows,
                            DeltaArg::Eder => DeltaKind::Eder,
                        },
                        signals: signals.unwrap_or_else(|| AnalysisOptions::default().signals),
                        ..AnalysisOptions::default()
                    },
                ),
            },
            Command::Eval {
                dir,
                candidates,
                suspects,
                json,
                seed,
                signals,
            } => match signals.as_deref().map(analysis::parse_signals).transpose() {
                Err(e) => Err(e),
                Ok(signals) => run_eval(&dir, &candidates, &suspects, json, seed, signals),
            },
            Command::Passages {
                inputs,
                min_words,
                max_bucket,
                same_source,
            } => super::passages_cmd::run(
                &inputs,
                &lineage::passages::PassageOptions {
                    min_words: min_words.max(1),
                    max_bucket: max_bucket.max(2),
                    ..Default::default()
                },
                same_source,
            ),
        };
        match result {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        }
    }

    /// Largest input file read (the analysis limits are on text, see
    /// `corpus::MAX_TOTAL_BYTES`; JSON escapes and fields add to it).
    const MAX_FILE_BYTES: u64 = 256 << 20;

    /// Everything read from the inputs.
    #[derive(Default)]
    struct Loaded {
        samples: Vec<Sample>,
        files: Vec<InputFile>,
        warnings: Vec<Warning>,
    }

    impl Loaded {
        fn read_file(&mut self, path: &Path) -> Result<Vec<String>, String> {
            let name = path.display().to_string();
            // Refused before reading: a file this large could not be
            // analysed anyway (see corpus::MAX_TOTAL_BYTES).
            let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            if size > MAX_FILE_BYTES {
                return Err(format!(
                    "TOO_LARGE: {name} has {} MiB; input files over {} MiB are refused",
                    size >> 20,
                    MAX_FILE_BYTES >> 20
                ));
            }
            let bytes =
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            // A record without a source takes the file's stem as its source.
            let stem = path.file_stem().map(|s| s.to_string_lossy().to_string());
            let parsed: Parsed =
                corpus::read(&name, &bytes, Format::from_name(&name), stem.as_deref());
            for e in parsed.errors.iter().chain(&parsed.warnings) {
                eprintln!("warning: {e}");
            }
            for w in &parsed.warnings {
                self.warnings.push(Warning {
                    code: "invalid_utf8".into(),
                    message: w.to_string(),
                });
            }
            if !parsed.errors.is_empty() {
                let first: Vec<String> = parsed
                    .errors
                    .iter()
                    .take(5)
                    .map(|e| e.to_string())
                    .collect();
                self.warnings.push(Warning {
                    code: "malformed_input".into(),
                    message: format!(
                        "{} malformed record(s) skipped in {} (first: {})",
                        parsed.errors.len(),
                        name,
                        first.join("; ")
                    ),
                });
            }
            if parsed.samples.is_empty() {
                return Err(format!("no readable records in {name}"));
            }
            let mut sources: Vec<String> =
                parsed.samples.iter().map(|s| s.source.clone()).collect();
            sources.sort();
            sources.dedup();
            self.files.push(InputFile {
                name,
                sha256: parsed.sha256,
                samples: parsed.samples.len(),
                malformed_lines: parsed.errors.len(),
            });
            self.samples.extend(parsed.samples);
            Ok(sources)
        }

        fn read_path(&mut self, path: &Path) -> Result<(), String> {
            if path.is_dir() {
                let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                    .map_err(|e| format!("cannot read directory {}: {e}", path.display()))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        let n = p.to_string_lossy().to_ascii_lowercase();
                        n.ends_with(".jsonl") || n.ends_with(".csv")
                    })
                    .collect();
                entries.sort();
                if entries.is_empty() {
                    return Err(format!("no .jsonl or .csv files in {}", path.display()));
                }
                for p in entries {
                    self.read_file(&p)?;
                }
                Ok(())
            } else {
                self.read_file(path).map(|_| ())
            }
        }

        /// A role argument: an existing file gives its (single) source; a
        /// directory is read and must then be named otherwise; anything
        /// else is a source name.
        fn role(&mut self, arg: &str) -> Result<String, String> {
            let p = Path::new(arg);
            if p.is_file() {
                let sources = self.read_file(p)?;
                match sources.as_slice() {
                    [one] => Ok(one.clone()),
                    many => Err(format!(
                        "{arg} holds several sources ({}); pass the file as an input and name the source",
                        many.join(", ")
                    )),
                }
            } else if looks_like_path(arg) {
                Err(format!("cannot read {arg}: no such file"))
            } else {
                Ok(arg.to_string())
            }
        }
    }

    fn looks_like_path(arg: &str) -> bool {
        let lower = arg.to_ascii_lowercase();
        lower.ends_with(".jsonl") || lower.ends_with(".csv") || lower.ends_with(".json")
    }

    fn progress_bar() -> ProgressBar {
        let pb = ProgressBar::new(1000);
        pb.set_style(
            ProgressStyle::with_template("{spinner} {msg:24} [{bar:30}] {percent:>3}% {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb.enable_steady_tick(Duration::from_millis(200));
        pb
    }

    fn run_analyze(
        inputs: &[PathBuf],
        suspect: &str,
        candidates: &[String],
        control: Option<&str>,
        format: OutFormat,
        size_limits: SizeLimits,
        opts: AnalysisOptions,
    ) -> Result<(), String> {
        let mut loaded = Loaded::default();
        for p in inputs {
            loaded.read_path(p)?;
        }
        let suspect = loaded.role(suspect)?;
        let mut cands = Vec::new();
        for c in candidates {
            cands.push(loaded.role(c)?);
        }
        let control = control.map(|c| loaded.role(c)).transpose()?;
        // The same file given twice would be counted twice.
        loaded.files.dedup_by(|a, b| a.name == b.name);
        let req = AnalysisRequest {
            samples: dedup_samples(loaded.samples),
            suspect,
            candidates: cands,
            control,
            inputs: loaded.files,
            input_warnings: loaded.warnings,
            size_limits,
        };
        let pb = progress_bar();
        let report = analysis::analyze(&req, &opts, &mut |stage, f| {
            pb.set_message(stage.to_string());
            pb.set_position((f * 1000.0) as u64);
        })
        .map_err(|e| e.to_string());
        pb.finish_and_clear();
        let report = report?;
        match format {
            OutFormat::Json => println!("{}", report.to_json()),
            OutFormat::Md => print!("{}", report.to_markdown()),
        }
        Ok(())
    }

    /// Drops exact duplicate records (a file passed both as input and as a role).
    fn dedup_samples(samples: Vec<Sample>) -> Vec<Sample> {
        let mut seen = std::collections::BTreeSet::new();
        samples
            .into_iter()
            .filter(|s| seen.insert((s.source.clone(), s.prompt_id.clone(), s.text.clone())))
            .collect()
    }

    fn run_eval(
        dir: &Path,
        candidates: &[String],
        suspects: &[String],
        json: bool,
        seed: u64,
        signals: Option<Vec<lineage::signals::paired::PairedSignal>>,
    ) -> Result<(), String> {
        let start = Instant::now();
        let mut loaded = Loaded::default();
        if !dir.is_dir() {
            return Err(format!("{} is not a directory", dir.display()));
        }
        loaded.read_path(dir)?;
        let cases: Vec<SuspectCase> = suspects
            .iter()
            .map(|s| SuspectCase::parse(s))
            .collect::<Result<_, _>>()?;
        // The robustness check is left out of T2: it does not change what
        // is attributed, and it would double each case's time.
        let opts = AnalysisOptions {
            seed,
            signals: signals.unwrap_or_else(|| AnalysisOptions::default().signals),
            robustness: false,
            ..AnalysisOptions::default()
        };
        let pb = progress_bar();
        let result = eval::run(
            &loaded.samples,
            candidates,
            &cases,
            &opts,
            &mut |stage, f| {
                pb.set_message(stage.to_string());
                pb.set_position((f * 1000.0) as u64);
            },
        );
        pb.finish_and_clear();
        let mut result = result?;
        result.seconds = (start.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
        if json {
            println!(
                "{}",
                serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?
            );
            return Ok(());
        }
        let t1 = &result.t1;
        println!("T1 closed-set attribution ({})", t1.method);
        println!(
            "  single output: {:.3} over {}   batch of 10: {:.3} over {}",
            t1.single_accuracy, t1.n_single, t1.batch10_accuracy, t1.n_batches
        );
        for (c, a) in t1.candidates.iter().zip(&t1.per_candidate) {
            println!("    {c:<28} {a:.3}");
        }
        println!(
            "\nT2 distillation (every prompt the suspect, its control and the candidates share)"
        );
        println!(
            "  {:<16} {:<20} {:<16} {:>5} {:>4} {:>8} {:>7}  attributed",
            "suspect", "teacher", "control", "units", "rank", "p", "correct"
        );
        for t in &result.t2 {
            println!(
                "  {:<16} {:<20} {:<16} {:>5} {:>4} {:>8} {:>7}  {}",
                t.suspect,
                t.teacher.as_deref().unwrap_or("-"),
                t.control.as_deref().unwrap_or("-"),
                t.units,
                t.teacher_rank.map(|r| r.to_string()).unwrap_or("-".into()),
                t.p_value.map(|p| format!("{p:.4}")).unwrap_or("-".into()),
                t.correct,
                if t.attributed.is_empty() {
                    format!("none ({})", t.abstention.as_deref().unwrap_or("abstained"))
                } else {
                    format!("{{{}}}", t.attributed.join(", "))
                }
            );
            println!("      {}", t.reason);
        }
        println!("\n{:.1} s", result.seconds);
        Ok(())
    }
}

/// `lineage passages`: streaming sketch, LSH buckets, verified hits.
#[cfg(not(target_arch = "wasm32"))]
mod passages_cmd {
    use std::fs::File;
    use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
    use std::path::{Path, PathBuf};
    use std::time::Instant;

    use rayon::prelude::*;
    use serde::Serialize;

    use lineage::corpus::{self, Sample};
    use lineage::passages::{self, PassageOptions};

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
    }

    fn jsonl_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
        let mut files = Vec::new();
        for p in inputs {
            if p.is_dir() {
                let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                    .map_err(|e| format!("cannot read {}: {e}", p.display()))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|f| f.extension().is_some_and(|x| x == "jsonl"))
                    .collect();
                found.sort();
                files.extend(found);
            } else if p.is_file() {
                files.push(p.clone());
            } else {
                return Err(format!("{} is neither a file nor a directory", p.display()));
            }
        }
        if files.is_empty() {
            return Err("no .jsonl input found".into());
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
        // Offsets are increasing within a file; count newlines up to each.
        let mut out = vec![0u64; docs.len()];
        let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
        for (i, d) in docs.iter().enumerate() {
            by_file[d.file as usize].push(i);
        }
        for (fi, ids) in by_file.iter().enumerate() {
            if ids.is_empty() {
                continue;
            }
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

    pub fn run(inputs: &[PathBuf], opts: &PassageOptions, same_source: bool) -> Result<(), String> {
        let start = Instant::now();
        let files = jsonl_files(inputs)?;
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
                        last = Some((a, read_doc(&files, docs[a as usize])?));
                    }
                    let sa = &last.as_ref().expect("just set").1;
                    let sb = read_doc(&files, docs[b as usize])?;
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
        let lines = line_numbers(&files, &hit_docs)?;
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let mut n_passages = 0usize;
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
                };
                serde_json::to_writer(&mut out, &hit).map_err(|e| e.to_string())?;
                out.write_all(b"\n").map_err(|e| e.to_string())?;
                n_passages += 1;
            }
        }
        out.flush().map_err(|e| e.to_string())?;
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
        Ok(())
    }
}
