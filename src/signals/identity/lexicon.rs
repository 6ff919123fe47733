//! The identity lexicon: names of models and vendors, and the phrases of a
//! self-description in seven languages. The data is the text file
//! `lexicon.txt` beside this module (its header says how to read and
//! extend it), compiled in with `include_str!` and read once; `super`
//! turns it into one matcher.

use super::{ClaimKind, CueKind};

/// The lexicon, read from `lexicon.txt`.
pub(super) struct Lexicon {
    /// (canonical name, vendor, kind, aliases).
    pub names: Vec<(&'static str, &'static str, ClaimKind, Vec<&'static str>)>,
    pub cues: Vec<(&'static str, CueKind)>,
    pub bridges: Vec<&'static str>,
    /// (phrase, canonical English self-description).
    pub generic: Vec<(&'static str, &'static str)>,
    /// Verbs of the entity-first frame "OpenAI trained me".
    pub creation: Vec<&'static str>,
}

const TEXT: &str = include_str!("lexicon.txt");

/// The lexicon (read on first use).
pub(super) fn lexicon() -> &'static Lexicon {
    static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
    LEXICON.get_or_init(|| parse(TEXT))
}

/// Reads the lexicon. The file is part of the source, so a malformed line
/// is a bug that the identity tests catch at once.
fn parse(text: &'static str) -> Lexicon {
    let mut lex = Lexicon {
        names: Vec::new(),
        cues: Vec::new(),
        bridges: Vec::new(),
        generic: Vec::new(),
        creation: Vec::new(),
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (what, rest) = line.split_once(' ').unwrap_or((line, ""));
        let fields: Vec<&'static str> = rest.split(';').map(str::trim).collect();
        let phrases = |i: usize| -> Vec<&'static str> {
            fields
                .get(i)
                .map_or(Vec::new(), |f| f.split('|').map(str::trim).collect())
        };
        match (what, fields.as_slice()) {
            ("name", [name, vendor, kind, _]) => {
                let kind = if *kind == "vendor" {
                    ClaimKind::Vendor
                } else {
                    ClaimKind::Model
                };
                lex.names.push((name, vendor, kind, phrases(3)));
            }
            ("cue", [kind, _]) => {
                let kind = if *kind == "as" {
                    CueKind::As
                } else {
                    CueKind::Identity
                };
                lex.cues.extend(phrases(1).into_iter().map(|c| (c, kind)));
            }
            ("bridge", _) => lex.bridges.extend(rest.split_whitespace()),
            ("generic", [canonical, _]) => {
                lex.generic
                    .extend(phrases(1).into_iter().map(|g| (g, *canonical)));
            }
            ("creation", _) => lex.creation.extend(rest.split_whitespace()),
            _ => debug_assert!(false, "malformed lexicon line: {line}"),
        }
    }
    lex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_read() {
        let lex = lexicon();
        let lines = |what: &str| TEXT.lines().filter(|l| l.starts_with(what)).count();
        // (what, entries read, lines of that kind): each line gives at
        // least one entry, a name line exactly one.
        let rows = [
            ("name ", lex.names.len(), lines("name ")),
            ("cue ", lex.cues.len(), lines("cue ")),
            ("bridge ", lex.bridges.len(), lines("bridge ")),
            ("generic ", lex.generic.len(), lines("generic ")),
            ("creation ", lex.creation.len(), lines("creation ")),
        ];
        for (what, read, lines) in rows {
            assert!(
                lines > 0 && read >= lines,
                "{what}: {read} from {lines} lines"
            );
        }
        assert_eq!(lex.names.len(), lines("name "));
        assert!(lex.names.iter().all(|n| !n.3.is_empty()));
    }
}
