//! `lineage analyze`: one suspect against candidates (and a control).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use lineage::analysis::{self, AnalysisOptions, AnalysisRequest, DeltaKind};
use lineage::corpus::SizeLimits;

use crate::input::Loaded;
use crate::output::{self, OutFormat, Progress};

#[derive(Clone, Copy, ValueEnum)]
enum DeltaArg {
    Cosine,
    Burrows,
    Eder,
}

/// Analyse one suspect against candidates (and optionally a control).
///
/// Each of --suspect, --candidate and --control is a JSONL/CSV file
/// (its records' source is the role's source) or a source name found
/// in the INPUTS (files or directories of .jsonl/.csv files).
#[derive(Args)]
pub struct AnalyzeArgs {
    /// Extra input files or directories holding sources named by the roles.
    inputs: Vec<PathBuf>,
    /// The model in question: a source name or a file holding one source.
    #[arg(long, value_name = "SOURCE|FILE")]
    suspect: String,
    /// A possible teacher (repeat for each; at least two): a source name or a file.
    #[arg(long = "candidate", value_name = "SOURCE|FILE", required = true)]
    candidates: Vec<String>,
    /// A model known to be unrelated to every candidate, ideally on the
    /// suspect's base model: a source name or a file.
    #[arg(long, value_name = "SOURCE|FILE")]
    control: Option<String>,
    /// Output format [default: summary on a terminal, json when piped].
    #[arg(long, value_enum)]
    format: Option<OutFormat>,
    /// Seed of every random choice: the same inputs and seed give the same report.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Significance level of the decision tests.
    #[arg(long, default_value_t = 0.01)]
    alpha: f64,
    /// Which Delta measure the cosine_delta signal uses.
    #[arg(long, value_enum, default_value = "cosine")]
    delta: DeltaArg,
    /// Raise the per-source and total text limits (8 and 16 MiB,
    /// sized for a browser tab) to this many MiB, for a machine
    /// with the memory: about 70 bytes per byte of text.
    #[arg(long, value_name = "MIB")]
    size_limit_mib: Option<usize>,
}

pub fn run(args: AnalyzeArgs) -> Result<(), String> {
    let opts = AnalysisOptions {
        seed: args.seed,
        alpha: args.alpha,
        delta: match args.delta {
            DeltaArg::Cosine => DeltaKind::Cosine,
            DeltaArg::Burrows => DeltaKind::Burrows,
            DeltaArg::Eder => DeltaKind::Eder,
        },
        ..AnalysisOptions::default()
    };
    let mut loaded = Loaded::default();
    for p in &args.inputs {
        loaded.read_path(p)?;
    }
    let suspect = loaded.role(&args.suspect)?;
    let mut candidates = Vec::new();
    for c in &args.candidates {
        candidates.push(loaded.role(c)?);
    }
    let control = args
        .control
        .as_deref()
        .map(|c| loaded.role(c))
        .transpose()?;
    let loaded = loaded.deduplicated();
    let request = AnalysisRequest {
        samples: loaded.samples,
        suspect,
        candidates,
        control,
        inputs: loaded.files,
        input_warnings: loaded.warnings,
        size_limits: args
            .size_limit_mib
            .map_or_else(SizeLimits::default, SizeLimits::raised_to_mib),
    };
    let progress = Progress::new();
    let report = analysis::analyze(&request, &opts, &mut |stage, f| progress.update(stage, f));
    progress.finish();
    let report = report.map_err(|e| e.to_string())?;
    match OutFormat::resolve(args.format) {
        OutFormat::Json => println!("{}", report.to_json()),
        OutFormat::Md => print!("{}", report.to_markdown()),
        OutFormat::Summary => print!("{}", output::summary(&report)),
    }
    Ok(())
}
