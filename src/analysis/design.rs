//! Stage 3: the units of the tests. When at least `min_paired` prompt ids
//! are answered by the suspect, every candidate and the control, the unit
//! is the prompt, matched on id (never on position): the suspect's and the
//! control's answers to one prompt are compared with the candidates'
//! answers to that prompt. Otherwise the design is unpaired: the units are
//! the suspect's outputs, compared with the candidates' profiles.

use std::collections::BTreeMap;

use super::roles::Cast;
use super::{AnalysisOptions, Space};
use crate::report::Warning;

pub struct Units {
    pub paired: bool,
    /// Prompts answered by every source (also counted when unpaired).
    pub shared_prompts: usize,
    /// Text indices of the suspect's units (its answers to the shared
    /// prompts, or all its outputs).
    pub suspect: Vec<usize>,
    /// The control's answers to the same prompts (paired) or all its
    /// outputs (unpaired); empty without a control.
    pub control: Vec<usize>,
    /// `candidates[unit][c]`: candidate c's answer to the unit's prompt
    /// (paired only).
    pub candidates: Vec<Vec<usize>>,
    /// The prompt of each unit, when a sample carries its text (paired
    /// only): passages quoted from it are no evidence of copying.
    pub prompts: Vec<Option<String>>,
    /// The unpaired-design warning, when it applies.
    pub warning: Option<Warning>,
}

impl Units {
    pub fn of(space: &Space, cast: &Cast, opts: &AnalysisOptions) -> Units {
        let all = cast.all_sources();
        // The first answer of each source to each prompt id (texts are in
        // canonical order, so "first" is deterministic).
        let indexes: Vec<BTreeMap<&str, usize>> = all
            .iter()
            .map(|&s| {
                let mut m = BTreeMap::new();
                for &i in &space.members[s] {
                    if let Some(id) = space.texts[i].prompt_id.as_deref() {
                        m.entry(id).or_insert(i);
                    }
                }
                m
            })
            .collect();
        let shared: Vec<&str> = indexes[Cast::SUSPECT]
            .keys()
            .copied()
            .filter(|k| indexes.iter().all(|ix| ix.contains_key(k)))
            .collect();
        let control = cast.control_source();
        if shared.len() >= opts.min_paired {
            // Any source's copy of the prompt text will do: they answer
            // the same prompt id.
            let prompts = shared
                .iter()
                .map(|p| {
                    indexes
                        .iter()
                        .find_map(|ix| space.texts[ix[p]].prompt.clone())
                        .filter(|t| !t.trim().is_empty())
                })
                .collect();
            return Units {
                prompts,
                paired: true,
                shared_prompts: shared.len(),
                suspect: shared.iter().map(|p| indexes[Cast::SUSPECT][p]).collect(),
                control: control
                    .map(|c| shared.iter().map(|p| indexes[c][p]).collect())
                    .unwrap_or_default(),
                candidates: shared
                    .iter()
                    .map(|p| {
                        (0..cast.n_candidates())
                            .map(|c| indexes[cast.candidate(c)][p])
                            .collect()
                    })
                    .collect(),
                warning: None,
            };
        }
        Units {
            paired: false,
            shared_prompts: shared.len(),
            suspect: space.members[Cast::SUSPECT].clone(),
            control: control
                .map(|c| space.members[c].clone())
                .unwrap_or_default(),
            candidates: Vec::new(),
            prompts: Vec::new(),
            warning: Some(Warning {
                code: "unpaired_design".into(),
                message: format!(
                    "only {} prompts are answered by every source (at least {} are needed to pair); the analysis is unpaired and compares outputs with source profiles",
                    shared.len(),
                    opts.min_paired
                ),
            }),
        }
    }
}
