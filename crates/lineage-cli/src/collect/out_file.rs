//! The output file of `lineage collect`: what a resumed run finds in it
//! (read only), and the file opened for appending with the first answer,
//! so that a run failing before any answer creates nothing.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use lineage::collect::{self, Existing, RunInfo};
use lineage::record::Record;
use lineage::{Error, ErrorKind};

use super::failed;
use crate::input::read_failed;

/// What the output already holds (None when there is no file yet): the
/// prompt ids this source answered. Reads only; the file is repaired and
/// opened when the first answer is written ([`Output::append`]).
pub(super) fn scan_output(
    path: &Path,
    source: &str,
    run: &RunInfo,
) -> Result<Option<Existing>, Error> {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(read_failed(path, e)),
    };
    let found = collect::scan_output(&name, &bytes, source)
        .map_err(|m| Error::new(ErrorKind::BadArgument, m))?;
    for w in &found.warnings {
        eprintln!("warning: {w}");
    }
    if !found.settings.is_empty()
        && !found
            .settings
            .contains(&collect::settings_key(&run.base_meta()))
    {
        eprintln!(
            "warning: {name} holds answers of {source} collected with other settings (endpoint, model, temperature, max tokens or system message); they are kept, and a different --source would keep the two apart"
        );
    }
    Ok(Some(found))
}

/// The output file, opened for appending with the first answer: a run
/// that fails before one leaves no file behind (and a file it found as
/// it was).
pub(super) struct Output<'a> {
    pub path: &'a Path,
    pub existing: Option<Existing>,
    pub file: Option<File>,
}

impl Output<'_> {
    /// Appends one record as a line and flushes it.
    pub fn append(&mut self, record: &Record) -> Result<(), Error> {
        let name = self.path.display().to_string();
        let cannot = |e: std::io::Error| failed(format!("cannot write to {name}: {e}"));
        if self.file.is_none() {
            self.file = Some(self.open()?);
        }
        let Some(file) = self.file.as_mut() else {
            return Err(failed(format!("cannot open {name}")));
        };
        let mut line = record.to_line();
        line.push('\n');
        file.write_all(line.as_bytes())
            .and_then(|()| file.flush())
            .map_err(cannot)
    }

    /// Opens the file for appending, a cut-off last line removed and a
    /// missing final newline added.
    fn open(&self) -> Result<File, Error> {
        let name = self.path.display().to_string();
        if let Some(found) = &self.existing {
            let len = std::fs::metadata(self.path).map_or(0, |m| m.len());
            if (found.keep_bytes as u64) < len {
                OpenOptions::new()
                    .write(true)
                    .open(self.path)
                    .and_then(|f| f.set_len(found.keep_bytes as u64))
                    .map_err(|e| failed(format!("cannot repair {name}: {e}")))?;
            }
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.path)
            .map_err(|e| failed(format!("cannot open {name} for appending: {e}")))?;
        if self.existing.as_ref().is_some_and(|f| f.needs_newline) {
            file.write_all(b"\n")
                .map_err(|e| failed(format!("cannot write to {name}: {e}")))?;
        }
        Ok(file)
    }
}
