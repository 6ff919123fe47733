//! `lineage analyze`: one suspect against candidates (and a control).

use std::path::PathBuf;

use clap::Args;

use lineage::analysis::{self, AnalysisOptions, AnalysisRequest, DeltaKind};
use lineage::corpus::SizeLimits;
use lineage::parameters as options;
use lineage::signals::paired::PairedSignal;
use lineage::Error;

use crate::families::{self, FamilyArgs};
use crate::input::Loaded;
use crate::output::{self, OutFormat, Progress};

/// The core's defaults: every flag's default comes from here.
fn d() -> AnalysisOptions {
    AnalysisOptions::default()
}

/// A flag's value parser that also checks the core's range for `name`
/// (camelCase), so `--alpha 7` is refused with the range in the message.
fn ranged<T>(name: &'static str) -> impl Fn(&str) -> Result<T, String> + Clone
where
    T: std::str::FromStr + Copy + Into<f64>,
    T::Err: std::fmt::Display,
{
    move |s: &str| {
        let v: T = s.parse().map_err(|e: T::Err| e.to_string())?;
        options::check(name, v.into()).map_err(|e| e.to_string())?;
        Ok(v)
    }
}

/// `usize`/`u64` flags, checked against the core's range.
pub fn ranged_int(name: &'static str) -> impl Fn(&str) -> Result<u64, String> + Clone {
    move |s: &str| {
        let v: u64 = s
            .parse()
            .map_err(|e: std::num::ParseIntError| e.to_string())?;
        options::check(name, v as f64).map_err(|e| e.to_string())?;
        Ok(v)
    }
}

/// Analyse one suspect against candidates (and optionally a control).
///
/// Each of --suspect, --candidate and --control is a JSONL/CSV file
/// (its records' source is the role's source) or a source name found
/// in the INPUTS (files or directories of .jsonl/.csv files) or in the
/// --panel. With a panel, candidates and control default to the roles
/// its header suggests. The parameters are described in docs/METHOD.md.
///
/// Candidates of one vendor (--family openai=gpt4_0314,gpt-3.5-turbo)
/// are one family: the verdict names the family when its members cannot
/// be told apart. Families come from --family, --families, the panel's
/// header, the records' "family" field, and the built-in table of
/// well-known model names, in that order.
#[derive(Args)]
pub struct AnalyzeArgs {
    /// Extra input files or directories holding sources named by the roles.
    inputs: Vec<PathBuf>,
    /// The model in question: a source name or a file holding one source.
    #[arg(long, value_name = "SOURCE|FILE")]
    suspect: String,
    /// A possible teacher (repeat for each; at least two): a source name
    /// or a file [default with --panel: the panel's candidates].
    #[arg(
        long = "candidate",
        value_name = "SOURCE|FILE",
        required_unless_present = "panel"
    )]
    candidates: Vec<String>,
    /// A reference panel (.lineage.jsonl.gz, from `lineage panel build`)
    /// whose answers are added to the inputs.
    #[arg(long, value_name = "PANEL")]
    panel: Option<PathBuf>,
    /// A model known to be unrelated to every candidate, ideally on the
    /// suspect's base model: a source name or a file.
    #[arg(long, value_name = "SOURCE|FILE")]
    control: Option<String>,
    #[command(flatten)]
    families: FamilyArgs,
    /// Output format [default: summary on a terminal, json when piped].
    #[arg(long, value_enum)]
    format: Option<OutFormat>,
    /// Seed of every random choice: the same inputs and seed give the same report.
    #[arg(long, default_value_t = d().seed, value_parser = ranged_int("seed"))]
    seed: u64,
    /// Significance level of every decision test, in (0, 0.5].
    #[arg(long, default_value_t = d().alpha, value_parser = ranged::<f64>("alpha"))]
    alpha: f64,
    /// Bootstrap resamples for the intervals.
    #[arg(long, default_value_t = d().bootstrap_reps as u64, value_parser = ranged_int("bootstrapReps"))]
    bootstrap_reps: u64,
    /// Permutations per test.
    #[arg(long, default_value_t = d().permutation_reps as u64, value_parser = ranged_int("permutationReps"))]
    permutation_reps: u64,
    /// Most frequent words compared by Delta.
    #[arg(long, default_value_t = d().mfw as u64, value_parser = ranged_int("mostFrequentWords"))]
    most_frequent_words: u64,
    /// Which Delta measure the function_words signal uses.
    #[arg(long, value_enum, default_value_t = DeltaArg(d().delta))]
    delta: DeltaArg,
    /// Character n-grams n = 1..=this.
    #[arg(long, default_value_t = d().max_char_ngram as u64, value_parser = ranged_int("maxCharNgram"))]
    max_char_ngram: u64,
    /// Pseudo-count of the log-odds Dirichlet prior.
    #[arg(long, default_value_t = d().log_odds_prior, value_parser = ranged::<f64>("logOddsPrior"))]
    log_odds_prior: f64,
    /// Cross-validation folds of the classifier.
    #[arg(long, default_value_t = d().classifier_folds as u64, value_parser = ranged_int("classifierFolds"))]
    classifier_folds: u64,
    /// Words per n-gram of verbatim overlap.
    #[arg(long, default_value_t = d().overlap_ngram as u64, value_parser = ranged_int("overlapNgram"))]
    overlap_ngram: u64,
    /// Comma-separated per-prompt signals combined into the tested score
    /// (the help lists the defaults and the others from the core's registry).
    #[arg(long, value_name = "LIST", value_parser = signal_list, help = signals_help())]
    signals: Option<SignalList>,
    /// Skip the robustness check (the analysis again with markdown
    /// stripped and whitespace and case normalised in the suspect's and
    /// control's texts).
    #[arg(long)]
    no_robustness: bool,
    /// Fewest prompts answered by every source for a paired design.
    #[arg(long, default_value_t = d().min_paired as u64, value_parser = ranged_int("minPaired"))]
    min_paired: u64,
    /// Run even when the sources share fewer than 30 prompts (the analysis
    /// then pairs the few it can, or compares without pairing: weaker,
    /// differences in topic are not ruled out). Without it such a run is
    /// refused.
    #[arg(long)]
    unpaired: bool,
    /// The per-source and total text limits, in MiB [default: 8 and 16
    /// MiB, the browser tab's, raised to what the machine's available
    /// memory holds when the texts need more: about 70 bytes per byte of
    /// text].
    #[arg(long, value_name = "MIB")]
    size_limit_mib: Option<usize>,
}

/// The core's `DeltaKind` as a flag value.
#[derive(Clone, Copy)]
struct DeltaArg(DeltaKind);

impl clap::ValueEnum for DeltaArg {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            DeltaArg(DeltaKind::Cosine),
            DeltaArg(DeltaKind::Burrows),
            DeltaArg(DeltaKind::Eder),
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.as_str()))
    }
}

impl std::fmt::Display for DeltaArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl AnalyzeArgs {
    fn options(&self) -> AnalysisOptions {
        AnalysisOptions {
            seed: self.seed,
            alpha: self.alpha,
            bootstrap_reps: self.bootstrap_reps as usize,
            permutation_reps: self.permutation_reps as usize,
            mfw: self.most_frequent_words as usize,
            delta: self.delta.0,
            max_char_ngram: self.max_char_ngram as usize,
            log_odds_prior: self.log_odds_prior,
            classifier_folds: self.classifier_folds as usize,
            overlap_ngram: self.overlap_ngram as usize,
            min_paired: self.min_paired as usize,
            signals: self.signals.clone().map_or_else(|| d().signals, |l| l.0),
            robustness: !self.no_robustness,
        }
    }
}

/// A parsed `--signals` list.
#[derive(Clone)]
pub struct SignalList(pub Vec<PairedSignal>);

/// `--signals`' help, from the core's list of signals and its defaults.
fn signals_help() -> String {
    let names = |signals: &mut dyn Iterator<Item = &PairedSignal>| {
        signals.map(|s| s.name()).collect::<Vec<_>>().join(",")
    };
    let others = PairedSignal::ALL
        .iter()
        .filter(|s| !PairedSignal::DEFAULT.contains(s));
    format!(
        "Comma-separated per-prompt signals combined into the tested score [default: {}; the others: {}]; see docs/ACCURACY.md",
        names(&mut PairedSignal::DEFAULT.iter()),
        names(&mut others.into_iter()),
    )
}

/// The memory available to a new process (Linux: `MemAvailable` of
/// /proc/meminfo), or None where it cannot be read.
fn available_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Fewer prompts than this answered by every source: the run is refused
/// unless `--unpaired` says that a comparison without pairing is meant.
pub const MIN_SHARED_PROMPTS: usize = 30;

/// `BAD_ARGUMENT` when the sources in roles share fewer than
/// [`MIN_SHARED_PROMPTS`] prompts, saying how to collect paired answers.
fn refuse_unpaired(request: &AnalysisRequest) -> Result<(), Error> {
    let grouped = lineage::corpus::group_by_source(&request.samples);
    let sources = [&request.suspect]
        .into_iter()
        .chain(&request.candidates)
        .chain(&request.control);
    // Every source in a role has samples (check_request_roles).
    let in_roles: Vec<&[lineage::corpus::Sample]> =
        sources.map(|s| grouped[s.as_str()].as_slice()).collect();
    let shared = lineage::corpus::shared_prompts(&in_roles).len();
    if shared >= MIN_SHARED_PROMPTS {
        return Ok(());
    }
    Err(Error::new(
        lineage::ErrorKind::BadArgument,
        format!(
            "the suspect and the other sources answer only {shared} prompt(s) in common \
             ({MIN_SHARED_PROMPTS} or more are needed to compare answers prompt by prompt); \
             collect the suspect's answers on the references' own prompts \
             (lineage collect --prompts REFERENCES.jsonl, see docs/CLI.md), \
             or give --unpaired to compare without pairing"
        ),
    ))
}

/// Parses `--signals` with the core's names (the error lists them).
pub fn signal_list(s: &str) -> Result<SignalList, String> {
    analysis::parse_signals(s).map(SignalList)
}

pub fn run(args: AnalyzeArgs) -> Result<(), Error> {
    let opts = args.options();
    opts.validate()?;
    // Read before the inputs: a bad families file is refused at once.
    let said = args.families.map()?;
    let mut loaded = Loaded::default();
    for p in &args.inputs {
        loaded.read_path(p)?;
    }
    let panel = args
        .panel
        .as_deref()
        .map(|p| crate::panel::add_to(&mut loaded, p))
        .transpose()?;
    let suspect = loaded.role(&args.suspect)?;
    let mut candidates = Vec::new();
    for c in &args.candidates {
        candidates.push(loaded.role(c)?);
    }
    let mut control = args
        .control
        .as_deref()
        .map(|c| loaded.role(c))
        .transpose()?;
    if let (Some(panel), Some(path)) = (&panel, &args.panel) {
        let roles = crate::panel::roles(panel, path, &args.suspect, &suspect, &loaded)?;
        if candidates.is_empty() {
            candidates = roles.candidates;
        }
        if control.is_none() {
            control = roles.control;
        }
    }
    // The panel header's families, under the user's word on the command line.
    let mut families = panel.as_ref().map(|p| p.families()).unwrap_or_default();
    let analysed = [&suspect].into_iter().chain(&candidates).chain(&control);
    families::warn_unknown(&said, analysed.map(String::as_str));
    families.extend(said);
    let loaded = loaded.deduplicated();
    let mut request = AnalysisRequest {
        samples: loaded.samples,
        suspect,
        candidates,
        control,
        families,
        inputs: loaded.files,
        input_warnings: loaded.warnings,
        size_limits: SizeLimits::default(),
    };
    // The user's limit, else the machine's memory (the tab's limits while
    // the texts fit them).
    request.size_limits = match (args.size_limit_mib, available_memory()) {
        (Some(mib), _) => SizeLimits::raised_to_mib(mib),
        (None, Some(memory)) => SizeLimits::for_machine(memory, &request.samples),
        (None, None) => SizeLimits::default(),
    };
    if !args.unpaired {
        // The roles first: a typo in a name is said as such, not as pairing.
        analysis::check_request_roles(&request)?;
        refuse_unpaired(&request)?;
    }
    let progress = Progress::new();
    let report = analysis::analyze(&request, &opts, &mut |stage, f| progress.update(stage, f));
    progress.finish();
    let report = report?;
    match OutFormat::resolve(args.format) {
        OutFormat::Json => output::print(&format!("{}\n", report.to_json()))?,
        OutFormat::Md => output::print(&report.to_markdown())?,
        OutFormat::Html => output::print(&report.to_html())?,
        OutFormat::Summary => output::print(&output::summary(&report))?,
    }
    Ok(())
}
