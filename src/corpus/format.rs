//! The input formats and the file names that stand for them: one list,
//! read by the CLI (which files of a folder are inputs), the wasm module
//! (`inputExtensions()`, which the page's file pickers accept) and every
//! reader's choice of parser.

/// Input formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
    /// A JSON array of records, or an object whose `samples` is one; a
    /// `.json` file that is neither is read as JSON Lines. A record's
    /// "line" is its 1-based index in the array.
    Json,
}

impl Format {
    /// Every file extension an input may have (lower case, without the
    /// dot), with its format; a `.gz` after any of them is decompressed
    /// first where the front end can (the page, panels).
    pub const EXTENSIONS: &'static [(&'static str, Format)] = &[
        ("jsonl", Format::Jsonl),
        ("ndjson", Format::Jsonl),
        ("json", Format::Json),
        ("csv", Format::Csv),
    ];

    /// The format a file name's extension stands for, or None for a name
    /// that is not an input's (case-insensitive).
    pub fn of_name(name: &str) -> Option<Format> {
        let (_, ext) = name.rsplit_once('.')?;
        Self::EXTENSIONS
            .iter()
            .find(|(e, _)| ext.eq_ignore_ascii_case(e))
            .map(|&(_, f)| f)
    }

    /// The format of a file name, JSON Lines when its extension names
    /// none (a pasted text, a file named otherwise).
    pub fn from_name(name: &str) -> Format {
        Self::of_name(name).unwrap_or(Format::Jsonl)
    }

    /// The extensions alone.
    pub fn extensions() -> Vec<&'static str> {
        Self::EXTENSIONS.iter().map(|&(e, _)| e).collect()
    }

    /// The extensions of the files a folder given as input contributes:
    /// not `.json`, which in a folder of data is as often a settings file
    /// (a families map, a config) as a sample array; a JSON array is read
    /// when named as a file.
    pub fn folder_extensions() -> Vec<&'static str> {
        Self::EXTENSIONS
            .iter()
            .filter(|&&(_, f)| f != Format::Json)
            .map(|&(e, _)| e)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Format;

    #[test]
    fn names_map_to_formats() {
        let cases = [
            ("a.jsonl", Some(Format::Jsonl)),
            ("A.JSONL", Some(Format::Jsonl)),
            ("log.ndjson", Some(Format::Jsonl)),
            ("outputs.json", Some(Format::Json)),
            ("table.csv", Some(Format::Csv)),
            ("notes.txt", None),
            ("panel.lineage.jsonl.gz", None),
            ("jsonl", None),
        ];
        for (name, want) in cases {
            assert_eq!(Format::of_name(name), want, "{name}");
            assert_eq!(
                Format::from_name(name),
                want.unwrap_or(Format::Jsonl),
                "{name}"
            );
        }
    }
}
