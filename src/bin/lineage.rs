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
    use lineage::corpus::{self, Format, Parsed, Sample};
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
        },
        /// Run the evaluation protocol (T1 attribution, T2 distillation) on a directory.
        Eval {
            dir: PathBuf,
            /// Comma-separated candidate source names.
            #[arg(long, value_delimiter = ',', required = true)]
            candidates: Vec<String>,
            /// Comma-separated suspect:teacher[:control] cases; `-` = none.
            #[arg(long, value_delimiter = ',')]
            suspects: Vec<String>,
            /// Print one JSON object instead of tables.
            #[arg(long)]
            json: bool,
            #[arg(long, default_value_t = 42)]
            seed: u64,
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
            } => run_analyze(
                &inputs,
                &suspect,
                &candidates,
                control.as_deref(),
                format,
                AnalysisOptions {
                    seed,
                    alpha,
                    delta: match delta {
                        DeltaArg::Cosine => DeltaKind::Cosine,
                        DeltaArg::Burrows => DeltaKind::Burrows,
                        DeltaArg::Eder => DeltaKind::Eder,
                    },
                    ..AnalysisOptions::default()
                },
            ),
            Command::Eval {
                dir,
                candidates,
                suspects,
                json,
                seed,
            } => run_eval(&dir, &candidates, &suspects, json, seed),
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
        let opts = AnalysisOptions {
            seed,
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
        println!("\nT2 distillation");
        println!(
            "  {:<16} {:<20} {:<16} {:>4} {:>8} {:>9} {:>7}  first",
            "suspect", "teacher", "control", "rank", "p", "abstained", "correct"
        );
        for t in &result.t2 {
            println!(
                "  {:<16} {:<20} {:<16} {:>4} {:>8.4} {:>9} {:>7}  {}",
                t.suspect,
                t.teacher.as_deref().unwrap_or("-"),
                t.control.as_deref().unwrap_or("-"),
                t.teacher_rank.map(|r| r.to_string()).unwrap_or("-".into()),
                t.p_value,
                t.abstained,
                t.correct,
                t.ranking.first().map(String::as_str).unwrap_or("-")
            );
            println!("      {}", t.reason);
        }
        println!("\n{:.1} s", result.seconds);
        Ok(())
    }
}
