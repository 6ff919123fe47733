//! How a [`Profile`](super::Profile) looks in JSON and to JS callers, and
//! the flat options object JS callers pass to `profile()`.
//!
//! The hashed n-gram tables stay inside the module; their sizes come out
//! instead (`distinctWordNgrams`, `distinctCharNgrams`), and `(text,
//! count)` pairs become `{text, count}` objects.

use std::collections::BTreeMap;

use serde::ser::SerializeSeq;
use serde::{Deserialize, Serialize, Serializer};

use super::{ProfileOptions, MAX_CHAR_NGRAM};
use crate::error::Error;
use crate::options::{set_count, OptionArgs};
use crate::text::NormalForm;

/// A string with the number of times it occurred.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Counted<'a> {
    pub text: &'a str,
    pub count: u32,
}

/// The most frequent word n-grams by length.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct TopWordNgrams<'a> {
    pub unigrams: Vec<Counted<'a>>,
    pub bigrams: Vec<Counted<'a>>,
    pub trigrams: Vec<Counted<'a>>,
}

fn each(items: &[(String, u32)]) -> Vec<Counted<'_>> {
    items
        .iter()
        .map(|(text, count)| Counted {
            text,
            count: *count,
        })
        .collect()
}

/// Hashed tables as their numbers of distinct items.
pub fn sizes<S: Serializer>(tables: &[BTreeMap<u64, u32>], s: S) -> Result<S::Ok, S::Error> {
    let mut seq = s.serialize_seq(Some(tables.len()))?;
    for t in tables {
        seq.serialize_element(&t.len())?;
    }
    seq.end()
}

pub fn counted<S: Serializer>(items: &[(String, u32)], s: S) -> Result<S::Ok, S::Error> {
    each(items).serialize(s)
}

pub fn top_ngrams<S: Serializer>(top: &[Vec<(String, u32)>; 3], s: S) -> Result<S::Ok, S::Error> {
    TopWordNgrams {
        unigrams: each(&top[0]),
        bigrams: each(&top[1]),
        trigrams: each(&top[2]),
    }
    .serialize(s)
}

/// Options of `profile()` (`ProfileOptions` in TypeScript); every field
/// may be left out.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify::Tsify),
    tsify(rename = "ProfileOptions")
)]
pub struct ProfileArgs {
    /// Unicode normal form applied before segmenting (default `"nfc"`).
    pub normalization: Option<NormalForm>,
    /// Remove zero-width characters before segmenting (default `false`).
    pub strip_zero_width: Option<bool>,
    /// Largest character n-gram counted, 0..=16 (default 5; 0 counts none).
    pub max_char_ngram: Option<usize>,
    /// Window of the moving-average type-token ratio in words, 1..=100000 (default 100).
    pub mattr_window: Option<usize>,
    /// How many of the most frequent word n-grams to return, 0..=10000 (default 20).
    pub top_k: Option<usize>,
    /// Most items any one n-gram table may hold before its rarest items
    /// are dropped (`pruned` in the result), 1..=16777216 (default 524288).
    /// JS callers get no "0 = no cap": a tab's memory is small and shared.
    pub max_table_entries: Option<usize>,
}

impl OptionArgs for ProfileArgs {
    type Options = ProfileOptions;

    /// The profile options, each given value checked against its range.
    fn to_options(&self) -> Result<ProfileOptions, Error> {
        let mut out = ProfileOptions::default();
        let o = &mut out;
        set_count(
            &mut o.max_char_ngram,
            "maxCharNgram",
            self.max_char_ngram,
            (0, MAX_CHAR_NGRAM),
        )?;
        set_count(
            &mut o.mattr_window,
            "mattrWindow",
            self.mattr_window,
            (1, 100_000),
        )?;
        set_count(&mut o.top_k, "topK", self.top_k, (0, 10_000))?;
        let max_table = self.max_table_entries;
        set_count(
            &mut o.max_table_entries,
            "maxTableEntries",
            max_table,
            (1, 1 << 24),
        )?;
        if let Some(form) = self.normalization {
            o.normalize.form = form;
        }
        if let Some(strip) = self.strip_zero_width {
            o.normalize.strip_zero_width = strip;
        }
        Ok(out)
    }
}
