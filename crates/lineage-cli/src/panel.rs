//! `lineage panel build` and `lineage panel show`, and the reading of a
//! panel for `lineage analyze --panel`. The format is the library's
//! (`lineage::panel`, described in docs/PANEL.md).

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand};

use lineage::collect::rfc3339_utc;
use lineage::panel::{self, BuildOptions, Panel, SuggestedRole};
use lineage::record::Record;
use lineage::{Error, ErrorKind};

use crate::families::FamilyArgs;
use crate::input::{read_failed, Loaded};
use crate::output::{column_width, write_atomically};

/// Reference panels: known models' answers to one probe set in one file
/// (.lineage.jsonl.gz), to analyse a suspect against.
#[derive(Args)]
pub struct PanelArgs {
    #[command(subcommand)]
    command: PanelCommand,
}

#[derive(Subcommand)]
enum PanelCommand {
    /// Build a panel from JSONL answer files (from `lineage collect` or
    /// `lineage import`).
    ///
    /// Every source of the inputs becomes a panel source, suggested as a
    /// candidate unless --role says otherwise; how each was collected is
    /// taken from its records' `meta`. Any malformed line stops the build
    /// (nothing is written).
    Build {
        /// JSONL files, or directories of .jsonl files.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The panel file to write (by convention NAME.lineage.jsonl.gz).
        #[arg(short, long, value_name = "PANEL")]
        out: PathBuf,
        /// The panel's name [default: the file name without .lineage.jsonl.gz].
        #[arg(long)]
        name: Option<String>,
        /// A source's suggested role, SOURCE=candidate or SOURCE=control
        /// (repeat for each; unnamed sources are candidates).
        #[arg(long = "role", value_name = "SOURCE=ROLE")]
        roles: Vec<String>,
        /// The probe set's id [default: the prompt file named in the
        /// records' meta, when they share one].
        #[arg(long, value_name = "ID")]
        probe_set: Option<String>,
        /// Vendor families recorded in the header (an analysis with the
        /// panel takes them as said by the user). A source not named
        /// keeps the "family" field its records share, if any.
        #[command(flatten)]
        families: FamilyArgs,
    },
    /// Print a panel's header: name, date, probe set, and per source its
    /// model, role, answer count, family (when the header records one)
    /// and how it was collected. Reads the whole
    /// file, so a damaged panel is reported here.
    Show {
        panel: PathBuf,
        /// Print the header as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: PanelArgs) -> Result<(), Error> {
    match args.command {
        PanelCommand::Build {
            inputs,
            out,
            name,
            roles,
            probe_set,
            families,
        } => build(&inputs, &out, name, &roles, probe_set, families.map()?),
        PanelCommand::Show { panel, json } => show(&panel, json),
    }
}

fn build(
    inputs: &[PathBuf],
    out: &Path,
    name: Option<String>,
    roles: &[String],
    probe_set: Option<String>,
    families: std::collections::BTreeMap<String, String>,
) -> Result<(), Error> {
    let mut role_map = std::collections::BTreeMap::new();
    for r in roles {
        let parsed = r
            .split_once('=')
            .and_then(|(s, role)| Some((s.trim(), SuggestedRole::parse(role)?)))
            .filter(|(s, _)| !s.is_empty());
        let Some((source, role)) = parsed else {
            return Err(Error::new(
                ErrorKind::BadArgument,
                format!("--role {r:?}: expected SOURCE=candidate or SOURCE=control"),
            ));
        };
        role_map.insert(source.to_string(), role);
    }
    let mut files = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let found = lineage::corpus::files_in(p, &["jsonl"])?;
            if found.is_empty() {
                return Err(Error::new(
                    ErrorKind::EmptyInput,
                    format!("no .jsonl files in {}", p.display()),
                ));
            }
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    let records = read_records(&files)?;
    let file_name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !file_name.ends_with(panel::EXTENSION) {
        eprintln!(
            "warning: {} does not end in {}, the name a panel is known by",
            out.display(),
            panel::EXTENSION
        );
    }
    let name = name.unwrap_or_else(|| {
        file_name
            .strip_suffix(panel::EXTENSION)
            .unwrap_or(&file_name)
            .to_string()
    });
    let opts = BuildOptions {
        name,
        created: rfc3339_utc(build_time()),
        probe_set,
        roles: role_map,
        families,
    };
    let (built, notices) = panel::build(records, &opts)?;
    for n in &notices {
        eprintln!("note: {n}");
    }
    let mut bytes = Vec::new();
    panel::write_gz(&built, &mut bytes).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("cannot compress the panel: {e}"),
        )
    })?;
    write_atomically(out, &bytes).map_err(|m| Error::new(ErrorKind::ReadFailed, m))?;
    eprintln!(
        "{}: panel {:?}, {} answers from {} sources ({} bytes)",
        out.display(),
        built.header.name,
        built.header.records,
        built.header.sources.len(),
        bytes.len()
    );
    Ok(())
}

/// The build time: SOURCE_DATE_EPOCH when set (reproducible builds, the
/// usual convention), else now.
fn build_time() -> u64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        })
}

/// Every record of the files, strictly: one malformed line and nothing is
/// built (a panel is a reference; it should hold what its inputs hold).
fn read_records(files: &[PathBuf]) -> Result<Vec<Record>, Error> {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for path in files {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| read_failed(path, e))?;
        let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
        let Ok(text) = std::str::from_utf8(body) else {
            errors.push(format!("{name}: not UTF-8 text"));
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match Record::parse_line(line.trim()) {
                Ok(r) => records.push(r),
                Err(m) => errors.push(format!("{name}:{}: {m}", i + 1)),
            }
        }
    }
    if errors.is_empty() {
        return Ok(records);
    }
    for e in errors.iter().take(20) {
        eprintln!("error: {e}");
    }
    Err(Error::new(
        ErrorKind::BadJsonl,
        format!(
            "{} malformed line(s) in the inputs; no panel was written",
            errors.len()
        ),
    ))
}

/// Reads a panel file.
pub fn load(path: &Path) -> Result<(Panel, String), Error> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| read_failed(path, e))?;
    let panel = panel::read_gz(&name, bytes.as_slice())?;
    Ok((panel, lineage::corpus::sha256_hex(&bytes)))
}

/// The roles a panel suggests for an analysis of `suspect`.
pub struct PanelRoles {
    pub candidates: Vec<String>,
    pub control: Option<String>,
}

/// The panel's suggested candidates and control, without the suspect.
/// Refuses a suspect file whose source is also a panel source (the two
/// sets of answers would be mixed), and warns when the suspect answered
/// none of the panel's prompts (nothing could be paired).
pub fn roles(
    panel: &Panel,
    path: &Path,
    suspect_arg: &str,
    suspect: &str,
    loaded: &Loaded,
) -> Result<PanelRoles, Error> {
    let name = path.display();
    let in_panel = panel.header.sources.iter().any(|s| s.source == suspect);
    if in_panel && Path::new(suspect_arg).is_file() {
        return Err(Error::new(
            ErrorKind::BadRoles,
            format!(
                "the suspect's source {suspect:?} ({suspect_arg}) is also a source of the panel {name}; collect or import the suspect under another --source"
            ),
        ));
    }
    let without = |role| -> Vec<String> {
        panel
            .sources_with(role)
            .into_iter()
            .filter(|s| s != suspect)
            .collect()
    };
    let candidates = without(SuggestedRole::Candidate);
    let controls = without(SuggestedRole::Control);
    if controls.len() > 1 {
        return Err(Error::new(
            ErrorKind::BadRoles,
            format!(
                "the panel {name} suggests several controls ({}); name one with --control",
                controls.join(", ")
            ),
        ));
    }
    let panel_ids: std::collections::BTreeSet<&str> = panel
        .records
        .iter()
        .filter_map(|r| r.prompt_id.as_deref())
        .collect();
    let paired = loaded
        .samples
        .iter()
        .filter(|s| s.source == suspect)
        .filter(|s| {
            s.prompt_id
                .as_deref()
                .is_some_and(|p| panel_ids.contains(p))
        })
        .count();
    if paired == 0 && !in_panel {
        eprintln!(
            "warning: the suspect's answers share no prompt id with the panel {name}{}: the analysis cannot pair them prompt by prompt",
            panel
                .header
                .probe_set
                .as_ref()
                .map(|p| format!(" (collect them with its probe set, {})", p.id))
                .unwrap_or_default()
        );
    }
    Ok(PanelRoles {
        candidates,
        control: controls.into_iter().next(),
    })
}

/// Adds a panel's answers to the analysis inputs; returns the panel.
pub fn add_to(loaded: &mut Loaded, path: &Path) -> Result<Panel, Error> {
    let (panel, sha256) = load(path)?;
    loaded.samples.extend(panel.samples());
    loaded
        .files
        .push(panel.input_file(path.display().to_string(), sha256));
    Ok(panel)
}

fn show(path: &Path, json: bool) -> Result<(), Error> {
    let (panel, _) = load(path)?;
    let h = &panel.header;
    if json {
        let text = serde_json::to_string_pretty(h)
            .map_err(|e| Error::new(ErrorKind::Internal, e.to_string()))?;
        return crate::output::print(&format!("{text}\n"));
    }
    // Written whole at the end, so that a closed pipe (`| head`) ends
    // the command quietly (crate::output::print).
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "panel {:?} (schema {}), built {}",
        h.name, h.lineage_panel, h.created
    );
    let _ = match &h.probe_set {
        Some(p) => writeln!(
            out,
            "probe set {}{}",
            p.id,
            p.sha256
                .as_deref()
                .map(|s| format!(" (sha256 {})", &s[..s.len().min(12)]))
                .unwrap_or_default()
        ),
        None => writeln!(out, "probe set: not recorded"),
    };
    let _ = writeln!(
        out,
        "{} answers from {} sources:",
        h.records,
        h.sources.len()
    );
    let width = column_width(h.sources.iter().map(|s| s.source.as_str()));
    for s in &h.sources {
        let _ = writeln!(
            out,
            "  {:<width$}  {:<9}  {:>5} answers  model {}{}",
            s.source,
            s.role.as_str(),
            s.answers,
            s.model.as_deref().unwrap_or("unknown"),
            s.family
                .as_deref()
                .map(|f| format!("  family {f}"))
                .unwrap_or_default(),
        );
        let _ = writeln!(out, "  {:<width$}  {}", "", how_collected(&s.collection));
    }
    crate::output::print(&out)
}

/// One line on how a source's answers were obtained.
fn how_collected(c: &serde_json::Map<String, serde_json::Value>) -> String {
    if c.is_empty() {
        return "collection not recorded".into();
    }
    let get = |k: &str| match c.get(k) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Null) | None => None,
        Some(v) => Some(v.to_string()),
    };
    let mut parts = Vec::new();
    if let Some(importer) = get("importer") {
        parts.push(format!("imported ({importer})"));
        parts.extend(get("file").map(|f| format!("from {f}")));
    }
    if let Some(collector) = get("collector") {
        parts.push(collector);
        parts.extend(get("endpoint"));
        parts.push(format!(
            "temperature {}",
            get("temperature").unwrap_or_else(|| "server default".into())
        ));
        parts.extend(get("max_tokens").map(|m| format!("max tokens {m}")));
        parts.extend(get("system").map(|_| "with a system message".to_string()));
    }
    if let (Some(a), Some(b)) = (get("first_collected"), get("last_collected")) {
        parts.push(if a == b { a } else { format!("{a} to {b}") });
    }
    if let Some(serde_json::Value::Array(v)) = c.get("varies") {
        let names: Vec<String> = v
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect();
        parts.push(format!("varies: {}", names.join(", ")));
    }
    if parts.is_empty() {
        "collection: see --json".into()
    } else {
        parts.join(", ")
    }
}
