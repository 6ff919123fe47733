//! `lineage eval`: the evaluation protocol (T1, T2) over a directory.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use lineage::analysis::AnalysisOptions;
use lineage::eval::{self, EvalResult, SuspectCase, T2Plan};
use lineage::{Error, ErrorKind};

use crate::input::Loaded;
use crate::output::{OutFormat, Progress};

/// Run the evaluation protocol (T1 attribution, T2 distillation) on a directory.
#[derive(Args)]
pub struct EvalArgs {
    /// Directories of .jsonl/.csv files, one or more sources each (read
    /// together, as one data set).
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// Comma-separated candidate source names.
    #[arg(long, value_delimiter = ',', required = true)]
    candidates: Vec<String>,
    /// Comma-separated suspect:teacher[+relative...][:control] cases; `-`
    /// = none. Relatives are candidates of the teacher's family (the same
    /// vendor's models): an attribution to any subset of the family is right.
    #[arg(long, value_delimiter = ',')]
    suspects: Vec<String>,
    /// Comma-separated per-prompt signals combined into the tested score
    /// [default: the analysis's default set].
    #[arg(long, value_name = "LIST", value_parser = crate::analyze::signal_list)]
    signals: Option<crate::analyze::SignalList>,
    /// Output format [default: summary on a terminal, json when piped]
    /// (md prints the summary; html is analyze's report only).
    #[arg(long, value_enum)]
    format: Option<OutFormat>,
    /// The same as --format json.
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Run only T2 (the signal ablation does not need T1 each time).
    #[arg(long)]
    skip_t1: bool,
    /// Seed of every random choice (the split of prompts, the tests).
    #[arg(long, default_value_t = AnalysisOptions::default().seed, value_parser = crate::analyze::ranged_int("seed"))]
    seed: u64,
    /// Run each teacher case again with every candidate of the teacher's
    /// family left out: a correct verdict then names no teacher (the
    /// false-claim rate with the teacher absent).
    #[arg(long)]
    drop_family: bool,
    /// Run every case (and, with --drop-family, its teacher-absent
    /// variant) on K random subsets of its prompts as well.
    #[arg(long, value_name = "K", default_value_t = 0)]
    resample: usize,
    /// Prompts in each resampled subset [default: half of the prompts the
    /// case's sources share].
    #[arg(long, value_name = "N", requires = "resample")]
    subset: Option<usize>,
    /// Assigns sources to a vendor family: FAMILY=SOURCE[,SOURCE...]
    /// (repeatable; sources not named get the built-in table's family of
    /// well-known model names, or their own name).
    #[arg(long = "family", value_name = "FAMILY=SOURCES", value_parser = family_arg)]
    families: Vec<Vec<(String, String)>>,
}

fn family_arg(s: &str) -> Result<Vec<(String, String)>, String> {
    lineage::family::parse_assignment(s)
}

pub fn run(args: EvalArgs) -> Result<(), Error> {
    if args.format == Some(OutFormat::Html) {
        return Err(Error::new(
            ErrorKind::BadArgument,
            "--format html renders analyze's report; eval prints json or its tables",
        ));
    }
    let start = Instant::now();
    let mut loaded = Loaded::default();
    for dir in &args.dirs {
        if !dir.is_dir() {
            return Err(crate::input::read_failed(dir, "not a directory"));
        }
        loaded.read_path(dir)?;
    }
    let cases: Vec<SuspectCase> = args
        .suspects
        .iter()
        .map(|s| SuspectCase::parse(s))
        .collect::<Result<_, _>>()
        .map_err(bad_argument)?;
    // The robustness check is left out of T2: it does not change what is
    // attributed, and it would double each case's time.
    let opts = AnalysisOptions {
        seed: args.seed,
        signals: args
            .signals
            .map_or_else(|| AnalysisOptions::default().signals, |l| l.0),
        robustness: false,
        ..AnalysisOptions::default()
    };
    let plan = T2Plan {
        drop_family: args.drop_family,
        resample: args.resample,
        subset: args.subset,
        families: args.families.into_iter().flatten().collect(),
    };
    let progress = Progress::new();
    let result = eval::run(
        &loaded.samples,
        &args.candidates,
        &cases,
        &plan,
        &opts,
        !args.skip_t1,
        &mut |stage, f| progress.update(stage, f),
    );
    progress.finish();
    // The protocol's own errors name what is wrong with its arguments.
    let mut result = result.map_err(bad_argument)?;
    result.seconds = (start.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    let format = if args.json {
        OutFormat::Json
    } else {
        OutFormat::resolve(args.format)
    };
    if format == OutFormat::Json {
        let json = serde_json::to_string_pretty(&result)
            .map_err(|e| Error::new(ErrorKind::Internal, e.to_string()))?;
        crate::output::print(&format!("{json}\n"))?;
    } else {
        crate::output::print(&tables(&result))?;
    }
    Ok(())
}

fn bad_argument(message: String) -> Error {
    Error::new(ErrorKind::BadArgument, message)
}

/// The T1 and T2 tables for a terminal.
fn tables(result: &EvalResult) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    if let Some(t1) = &result.t1 {
        let _ = writeln!(s, "T1 closed-set attribution ({})", t1.method);
        let _ = writeln!(
            s,
            "  single output: {:.3} over {}   batch of 10: {:.3} over {}",
            t1.single_accuracy, t1.n_single, t1.batch10_accuracy, t1.n_batches
        );
        for (c, a) in t1.candidates.iter().zip(&t1.per_candidate) {
            let _ = writeln!(s, "    {c:<28} {a:.3}");
        }
    }
    let _ = writeln!(
        s,
        "\nT2 distillation (every prompt the suspect, its control and the candidates share)"
    );
    let _ = writeln!(
        s,
        "  {:<16} {:<20} {:<16} {:>5} {:>4} {:>8} {:<10}  attributed",
        "suspect", "teacher", "control", "units", "rank", "p", "outcome"
    );
    for t in &result.t2 {
        let attributed = if t.attributed.is_empty() {
            format!("none ({})", t.abstention.as_deref().unwrap_or("abstained"))
        } else {
            let family = t.family.as_deref().unwrap_or("?");
            format!("{family}: {{{}}}", t.attributed.join(", "))
        };
        let teacher = if t.teacher_present {
            t.case.teacher.as_deref().unwrap_or("-")
        } else {
            "(absent)"
        };
        let _ = writeln!(
            s,
            "  {:<16} {:<20} {:<16} {:>5} {:>4} {:>8} {:<10}  {attributed}",
            t.case.suspect,
            teacher,
            t.case.control.as_deref().unwrap_or("-"),
            t.units,
            t.teacher_rank.map_or("-".into(), |r| r.to_string()),
            t.p_value.map_or("-".into(), |p| format!("{p:.4}")),
            format!("{:?}", t.outcome).to_lowercase(),
        );
        let _ = writeln!(s, "      [{}] {}", t.mode, t.headline);
    }
    let _ = writeln!(
        s,
        "\n  {:<58} {:>5} {:>9} {:>5} {:>5} {:>9} {:>7} {:>11}",
        "mode", "runs", "in family", "mixed", "wrong", "abstained", "correct", "wrong model"
    );
    for m in &result.summary {
        let label = format!(
            "{} ({})",
            m.mode,
            if m.teacher_present {
                "teacher present"
            } else {
                "no teacher among the candidates"
            }
        );
        let _ = writeln!(
            s,
            "  {label:<58} {:>5} {:>9} {:>5} {:>5} {:>9} {:>7} {:>11}",
            m.runs, m.in_family, m.mixed, m.wrong, m.abstained, m.correct, m.wrong_model
        );
    }
    let _ = writeln!(s, "\n{:.1} s", result.seconds);
    s
}
