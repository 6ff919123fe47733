//! Reading the CLI's inputs: files and directories of JSONL/CSV records,
//! and the role arguments (a file, or a source name found in the inputs).

use std::path::Path;

use lineage::corpus::{self, Format, Sample};
use lineage::report::{InputFile, Warning};
use lineage::{Error, ErrorKind};

/// Largest input file read (the analysis limits are on text, see
/// `corpus::MAX_TOTAL_BYTES`; JSON escapes and fields add to it).
const MAX_FILE_BYTES: u64 = 256 << 20;

/// Everything read from the inputs.
#[derive(Default)]
pub struct Loaded {
    pub samples: Vec<Sample>,
    pub files: Vec<InputFile>,
    pub warnings: Vec<Warning>,
}

impl Loaded {
    /// Reads one file; returns the sources its records name, sorted.
    pub fn read_file(&mut self, path: &Path) -> Result<Vec<String>, Error> {
        let name = path.display().to_string();
        // Refused before reading: a file this large could not be
        // analysed anyway (see corpus::MAX_TOTAL_BYTES).
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size > MAX_FILE_BYTES {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "{name} has {} MiB; input files over {} MiB are refused",
                    size >> 20,
                    MAX_FILE_BYTES >> 20
                ),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| read_failed(path, e))?;
        // A record without a source takes the file's stem as its source.
        let stem = path.file_stem().map(|s| s.to_string_lossy().to_string());
        let format = Format::from_name(&name);
        let parsed = corpus::read(&name, &bytes, format, stem.as_deref());
        for e in parsed.errors.iter().chain(&parsed.warnings) {
            eprintln!("warning: {e}");
        }
        if let Some(refusal) = parsed.refusal(format) {
            return Err(refusal);
        }
        self.warnings.extend(parsed.report_warnings());
        self.files.push(parsed.input_file());
        let mut sources: Vec<String> = parsed.samples.iter().map(|s| s.source.clone()).collect();
        lineage::sort::stable_sort_by(&mut sources, Ord::cmp);
        sources.dedup();
        self.samples.extend(parsed.samples);
        Ok(sources)
    }

    /// Reads a file, or every input file of a directory
    /// (`Format::folder_extensions`) in name order.
    pub fn read_path(&mut self, path: &Path) -> Result<(), Error> {
        if !path.is_dir() {
            return self.read_file(path).map(|_| ());
        }
        let extensions = Format::folder_extensions();
        let entries = corpus::files_in(path, &extensions)?;
        if entries.is_empty() {
            return Err(Error::new(
                ErrorKind::EmptyInput,
                format!(
                    "no input files (.{}) in {}",
                    extensions.join(", ."),
                    path.display()
                ),
            ));
        }
        for p in entries {
            self.read_file(&p)?;
        }
        Ok(())
    }

    /// A role argument: an existing file gives its (single) source; a
    /// directory is read and must then be named otherwise; anything
    /// else is a source name.
    pub fn role(&mut self, arg: &str) -> Result<String, Error> {
        let p = Path::new(arg);
        if p.is_file() {
            let sources = self.read_file(p)?;
            match sources.as_slice() {
                [one] => Ok(one.clone()),
                many => Err(Error::new(
                    ErrorKind::BadRoles,
                    format!(
                        "{arg} holds several sources ({}); pass the file as an input and name the source",
                        many.join(", ")
                    ),
                )),
            }
        } else if looks_like_path(arg) {
            Err(Error::new(
                ErrorKind::ReadFailed,
                format!("cannot read {arg}: no such file"),
            ))
        } else {
            Ok(arg.to_string())
        }
    }

    /// The samples with exact duplicates dropped (a file passed both as
    /// an input and as a role), and each file listed once.
    pub fn deduplicated(mut self) -> Self {
        self.files.dedup_by(|a, b| a.name == b.name);
        let mut seen = std::collections::BTreeSet::new();
        self.samples
            .retain(|s| seen.insert((s.source.clone(), s.prompt_id.clone(), s.text.clone())));
        self
    }
}

fn looks_like_path(arg: &str) -> bool {
    Format::of_name(arg).is_some()
}

/// `READ_FAILED` naming the path.
pub fn read_failed(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::read_failed(&path.display().to_string(), e)
}
