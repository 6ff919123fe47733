//! `lineage import`: answers people already have (AlpacaEval's model
//! outputs, any JSON/JSONL/CSV with other field names) written as JSONL
//! records. Every file is read and checked before anything is written, so
//! a bad element leaves no half-imported output behind.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use lineage::import::{self, FieldMap, ImportOptions, Layout};
use lineage::record::Record;
use lineage::{Error, ErrorKind};

use crate::input::read_failed;
use crate::output::write_atomically;

/// Turn existing model outputs into Lineage's JSONL records.
#[derive(Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    kind: ImportKind,
}

#[derive(Subcommand)]
enum ImportKind {
    /// AlpacaEval's results/<model>/model_outputs.json (a JSON array of
    /// {instruction, output, generator, dataset}).
    ///
    /// The prompt id is the first 12 hex digits of the SHA-256 of the
    /// instruction, so two models' files pair up, and with the
    /// development data. The source is the generator unless --source is
    /// given. Empty outputs are left out.
    AlpacaEval {
        /// model_outputs.json files (JSON Lines with the same fields works too).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Any JSON array of objects, JSONL or CSV file, naming the fields
    /// that hold the text, the prompt, the source and the prompt id.
    ///
    /// Without --id-field the id is derived from the prompt (as for
    /// AlpacaEval); without either, answers cannot be paired by prompt.
    Generic {
        /// .json (an array), .jsonl or .csv files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Field holding the answer text.
        #[arg(long, value_name = "NAME")]
        text_field: String,
        /// Field holding the prompt.
        #[arg(long, value_name = "NAME")]
        prompt_field: Option<String>,
        /// Field holding the model (source) name; or give --source.
        #[arg(long, value_name = "NAME")]
        source_field: Option<String>,
        /// Field holding the prompt id.
        #[arg(long, value_name = "NAME")]
        id_field: Option<String>,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Args)]
struct Common {
    /// Write here instead of standard output (refused if it exists).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Source name of every record (overrides the source field).
    #[arg(long, value_name = "NAME")]
    source: Option<String>,
}

pub fn run(args: ImportArgs) -> Result<(), Error> {
    let (files, common, opts) = match args.kind {
        ImportKind::AlpacaEval { files, common } => {
            let opts = ImportOptions::alpaca_eval(common.source.clone());
            (files, common, opts)
        }
        ImportKind::Generic {
            files,
            text_field,
            prompt_field,
            source_field,
            id_field,
            common,
        } => {
            let opts = ImportOptions {
                fields: FieldMap {
                    text: text_field,
                    prompt: prompt_field,
                    source: source_field,
                    id: id_field,
                },
                source: common.source.clone(),
                importer: "generic".into(),
                meta_fields: Vec::new(),
            };
            (files, common, opts)
        }
    };
    if let Some(out) = &common.out {
        if out.exists() {
            return Err(Error::new(
                ErrorKind::BadArgument,
                format!(
                    "{} exists; remove it or choose another --out (nothing was written)",
                    out.display()
                ),
            ));
        }
    }
    let mut records: Vec<Record> = Vec::new();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    let mut failed = 0usize;
    let mut kind = None;
    for path in &files {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| read_failed(path, e))?;
        let layout = Layout::detect(&name, &bytes);
        match import::import(&name, &bytes, layout, &opts) {
            Err(errors) => {
                for e in &errors {
                    eprintln!("error: {e}");
                }
                failed += 1;
                kind.get_or_insert(if layout == Layout::Csv {
                    ErrorKind::BadCsv
                } else {
                    ErrorKind::BadJsonl
                });
            }
            Ok(got) => {
                let mut across = 0usize;
                let before = records.len();
                for r in got.records {
                    let key = r.prompt_id.clone().map(|id| (r.source.clone(), id));
                    if key.is_some_and(|k| !seen.insert(k)) {
                        across += 1;
                    } else {
                        records.push(r);
                    }
                }
                let sources: BTreeSet<&str> = records[before..]
                    .iter()
                    .map(|r| r.source.as_str())
                    .collect();
                eprintln!(
                    "{name}: {} answer(s) of {}{}{}{}",
                    records.len() - before,
                    sources.into_iter().collect::<Vec<_>>().join(", "),
                    note(got.skipped_empty, "empty text(s) left out"),
                    note(
                        got.duplicates + across,
                        "repeated (source, prompt) left out, the first kept"
                    ),
                    note(got.without_id, "without a prompt id (cannot be paired)"),
                );
            }
        }
    }
    if failed > 0 {
        return Err(Error::new(
            kind.unwrap_or(ErrorKind::BadJsonl),
            format!(
                "{failed} of {} file(s) could not be imported; nothing was written",
                files.len()
            ),
        ));
    }
    let mut text = String::new();
    for r in &records {
        text.push_str(&r.to_line());
        text.push('\n');
    }
    match &common.out {
        Some(out) => {
            write_atomically(out, text.as_bytes()).map_err(|m| Error::new(ErrorKind::ReadFailed, m))
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            lock.write_all(text.as_bytes())
                .and_then(|()| lock.flush())
                .map_err(|e| {
                    Error::new(
                        ErrorKind::ReadFailed,
                        format!("cannot write to standard output: {e}"),
                    )
                })
        }
    }
}

fn note(n: usize, what: &str) -> String {
    if n == 0 {
        String::new()
    } else {
        format!("; {n} {what}")
    }
}
