//! Stage 1: who plays which role. The request's names are checked against
//! the samples, each source's samples are put in canonical order, and the
//! sources are numbered the way every later stage indexes them: the
//! suspect is 0, candidate `c` is `1 + c`, the control (if any) comes last.

use std::collections::{BTreeMap, BTreeSet};

use super::{AnalysisError, AnalysisRequest};
use crate::corpus::{self, Role, Sample};
use crate::error::ErrorKind;
use crate::family::{self, FamilySource};
use crate::report::Warning;

/// The sources of one analysis, in role order, with their samples.
pub struct Cast {
    pub candidates: Vec<String>,
    /// Each candidate's vendor family and where it came from
    /// (`crate::family::resolve`), in candidate order.
    pub families: Vec<(String, FamilySource)>,
    pub control: Option<String>,
    /// (name, samples) in role order: suspect, candidates..., control.
    pub groups: Vec<(String, Vec<Sample>)>,
    /// Warnings about the roles' samples (prompts answered twice).
    pub warnings: Vec<Warning>,
}

impl Cast {
    /// Checks the request and orders each source's samples by prompt id,
    /// then text, so the report does not depend on the order of the lines.
    pub fn of(req: &AnalysisRequest) -> Result<Cast, AnalysisError> {
        let groups = corpus::group_by_source(&req.samples);
        // Candidates in canonical (name) order: every later stage indexes
        // them so, and the random streams follow the indices, so the order
        // in which a user gives them must not change a number.
        let mut candidates = req.candidates.clone();
        crate::sort::stable_sort_by(&mut candidates, Ord::cmp);
        let mut wanted: Vec<(&str, Role)> = vec![(req.suspect.as_str(), Role::Suspect)];
        wanted.extend(candidates.iter().map(|c| (c.as_str(), Role::Candidate)));
        if let Some(c) = &req.control {
            wanted.push((c.as_str(), Role::Control));
        }
        check_roles(&wanted, &groups.keys().map(String::as_str).collect())?;
        corpus::check_limits(
            wanted.iter().map(|(n, _)| groups[*n].as_slice()),
            &req.size_limits,
        )?;
        let warnings = duplicate_prompt_warnings(&wanted, &groups);
        let ordered = wanted
            .iter()
            .map(|(n, _)| {
                let mut v = groups[*n].clone();
                crate::sort::stable_sort_by(&mut v, |a, b| {
                    a.prompt_id.cmp(&b.prompt_id).then(a.text.cmp(&b.text))
                });
                (n.to_string(), v)
            })
            .collect();
        let families = candidates
            .iter()
            .map(|c| {
                let said = groups[c.as_str()].iter().find_map(|s| s.family.as_deref());
                family::resolve(c, &req.families, said)
            })
            .collect();
        Ok(Cast {
            families,
            candidates,
            control: req.control.clone(),
            groups: ordered,
            warnings,
        })
    }

    pub const SUSPECT: usize = 0;

    /// Each candidate's family as an index into [`Cast::family_names`].
    pub fn family_of(&self) -> Vec<usize> {
        let names = self.family_names();
        self.families
            .iter()
            .map(|(f, _)| names.iter().position(|n| n == f).unwrap_or(0))
            .collect()
    }

    /// The distinct families of the candidates, in candidate order.
    pub fn family_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (f, _) in &self.families {
            if !names.contains(f) {
                names.push(f.clone());
            }
        }
        names
    }

    pub fn n_candidates(&self) -> usize {
        self.candidates.len()
    }

    /// Source index of candidate `c`.
    pub fn candidate(&self, c: usize) -> usize {
        1 + c
    }

    pub fn candidate_sources(&self) -> Vec<usize> {
        (1..=self.candidates.len()).collect()
    }

    pub fn control_source(&self) -> Option<usize> {
        self.control.as_ref().map(|_| self.candidates.len() + 1)
    }

    /// Every source index, in role order.
    pub fn all_sources(&self) -> Vec<usize> {
        (0..self.groups.len()).collect()
    }

    pub fn role_of(&self, source: usize) -> Role {
        if source == Self::SUSPECT {
            Role::Suspect
        } else if Some(source) == self.control_source() {
            Role::Control
        } else {
            Role::Candidate
        }
    }
}

/// A warning for each source that answers some prompt more than once:
/// pairing uses one answer per prompt (the first in prompt id, then text
/// order), so the others are left out of the paired tests.
fn duplicate_prompt_warnings(
    wanted: &[(&str, Role)],
    groups: &BTreeMap<String, Vec<Sample>>,
) -> Vec<Warning> {
    let mut out = Vec::new();
    for (name, _) in wanted {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut repeated: BTreeSet<&str> = BTreeSet::new();
        for id in groups[*name].iter().filter_map(|s| s.prompt_id.as_deref()) {
            if !seen.insert(id) {
                repeated.insert(id);
            }
        }
        if let Some(first) = repeated.first() {
            out.push(Warning {
                code: "duplicate_prompt".into(),
                message: format!(
                    "{name} answers {} prompt(s) more than once (first: {first}); one answer per prompt is paired",
                    repeated.len()
                ),
            });
        }
    }
    out
}

/// The roles of a request are sound: every named source has samples, no
/// source plays two roles, at least two candidates. `wanted` is the
/// suspect, the candidates and the control with their roles.
fn check_roles(wanted: &[(&str, Role)], sources: &BTreeSet<&str>) -> Result<(), AnalysisError> {
    let req_candidates = wanted.iter().filter(|w| w.1 == Role::Candidate).count();
    let missing: Vec<&str> = wanted
        .iter()
        .map(|w| w.0)
        .filter(|n| !sources.contains(*n))
        .collect();
    if !missing.is_empty() {
        let known: Vec<&str> = sources.iter().copied().collect();
        return Err(AnalysisError::new(
            ErrorKind::UnknownSource,
            format!(
                "unknown source name(s): {} (known: {})",
                missing.join(", "),
                known.join(", ")
            ),
        ));
    }
    let distinct: BTreeSet<&str> = wanted.iter().map(|w| w.0).collect();
    if distinct.len() != wanted.len() {
        return Err(AnalysisError::new(
            ErrorKind::BadRoles,
            "a source may play only one role (suspect, candidate or control)",
        ));
    }
    if req_candidates < 2 {
        return Err(AnalysisError::new(
            ErrorKind::BadRoles,
            "at least two candidates are needed",
        ));
    }
    Ok(())
}

/// [`check_roles`] for a request, before anything is computed: a front
/// end that refuses some inputs of its own (the CLI's unpaired runs) says
/// first what the analysis would say of the roles.
pub fn check_request_roles(req: &AnalysisRequest) -> Result<(), AnalysisError> {
    // The names alone: no sample is copied.
    let sources: BTreeSet<&str> = req.samples.iter().map(|s| s.source.as_str()).collect();
    let mut wanted: Vec<(&str, Role)> = vec![(req.suspect.as_str(), Role::Suspect)];
    wanted.extend(req.candidates.iter().map(|c| (c.as_str(), Role::Candidate)));
    if let Some(c) = &req.control {
        wanted.push((c.as_str(), Role::Control));
    }
    check_roles(&wanted, &sources)
}
