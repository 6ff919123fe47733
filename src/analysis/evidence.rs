//! Stage 7: what a person can read. Each signal's evidence (the frequent
//! words the suspect and a candidate share, the structure features, the
//! longest shared passages), the two descriptive signals outside the
//! combined score (the learned classifier and distinctive habits), and
//! self-identification leaks.

use super::design::Units;
use super::roles::Cast;
use super::scores::{order_desc, per_unit_boilerplate, Scorer};
use super::{AnalysisOptions, Space};
use crate::report::{
    r6, CandidateScore, ClaimedName, Evidence, IdentityProbeSummary, LeakEvidence, SignalResult,
};
use crate::signals::features::STRUCTURE_NAMES;
use crate::signals::overlap::{self, Boilerplate, OverlapOptions};
use crate::signals::paired::{EvidenceKind, PairedSignal};
use crate::signals::{habits, identity};
use crate::stats;

/// Evidence of one signal, for the candidates in `order` (best first).
pub fn for_signal(
    scorer: &Scorer<'_>,
    cast: &Cast,
    signal: PairedSignal,
    order: &[usize],
    opts: &AnalysisOptions,
) -> Vec<Evidence> {
    let (space, units) = (scorer.space(), scorer.units());
    match signal.def().evidence {
        EvidenceKind::SharedFrequentWords => function_words(space, cast, order),
        EvidenceKind::StructureSideBySide => structure(space, cast, order),
        EvidenceKind::SharedPassages if units.paired => {
            shared_passages(space, cast, units, order, &scorer.boilerplate, opts)
        }
        EvidenceKind::SharedPassages | EvidenceKind::None => Vec::new(),
    }
}

/// The frequent words whose z-scored rates the suspect shares most with
/// each of the three best candidates (largest positive products).
fn function_words(space: &Space, cast: &Cast, order: &[usize]) -> Vec<Evidence> {
    let mfw = space.mfw();
    let zs = &space.profiles[Cast::SUSPECT].function_words;
    let mut out = Vec::new();
    for &c in order.iter().take(3) {
        let zc = &space.profiles[cast.candidate(c)].function_words;
        let mut contrib: Vec<(usize, f64)> = (0..mfw.len())
            .map(|j| (j, zs[j] * zc[j]))
            .filter(|(_, v)| *v > 0.0)
            .collect();
        crate::sort::stable_sort_by(&mut contrib, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (j, _) in contrib.into_iter().take(6) {
            out.push(Evidence::Word {
                candidate: cast.candidates[c].clone(),
                word: mfw[j].to_string(),
                z_suspect: r6(zs[j]),
                z_candidate: r6(zc[j]),
            });
        }
    }
    out
}

/// The structure features of the suspect next to the best candidate's.
fn structure(space: &Space, cast: &Cast, order: &[usize]) -> Vec<Evidence> {
    let raw_s = &space.struct_raw_source[Cast::SUSPECT];
    let Some(&c) = order.first() else {
        return Vec::new();
    };
    let raw_c = &space.struct_raw_source[cast.candidate(c)];
    STRUCTURE_NAMES
        .iter()
        .enumerate()
        .map(|(j, name)| Evidence::Feature {
            candidate: cast.candidates[c].clone(),
            feature: name.to_string(),
            suspect: r6(raw_s[j]),
            candidate_value: r6(raw_c[j]),
        })
        .collect()
}

/// The longest verbatim passages the suspect shares with each of the three
/// best candidates, over all paired prompts, stock phrases excluded.
fn shared_passages(
    space: &Space,
    cast: &Cast,
    units: &Units,
    order: &[usize],
    scored_boilerplate: &[Boilerplate],
    opts: &AnalysisOptions,
) -> Vec<Evidence> {
    let oopts = OverlapOptions {
        k: opts.overlap_ngram.max(1),
        ..OverlapOptions::default()
    };
    // Stock phrases (from the candidates), plus, per prompt, the prompt's
    // own words: a passage both answers quote from the prompt is no
    // evidence of copying. The scores' sets serve when the n-gram lengths
    // agree (the default); otherwise they are found again for this length.
    let own: Vec<Boilerplate>;
    let boilerplate = if scored_boilerplate.iter().all(|b| b.k() == oopts.k) {
        scored_boilerplate
    } else {
        let per_source: Vec<Vec<&str>> = cast
            .candidate_sources()
            .iter()
            .map(|&s| {
                space.members[s]
                    .iter()
                    .map(|&i| space.texts[i].text.as_str())
                    .collect()
            })
            .collect();
        let stock = Boilerplate::from_sources(&per_source, &oopts, 0.5);
        own = per_unit_boilerplate(&stock, units);
        &own
    };
    let mut out = Vec::new();
    for &c in order.iter().take(3) {
        let pairs: Vec<(usize, usize, usize)> = units
            .suspect
            .iter()
            .zip(&units.candidates)
            .enumerate()
            .map(|(u, (&t, row))| (u, t, row[c]))
            .collect();
        let found: Vec<Vec<(usize, overlap::SharedSpan)>> = stats::par_map(&pairs, |&(u, t, o)| {
            overlap::shared_spans(
                &space.texts[t].text,
                &space.texts[o].text,
                &oopts,
                &boilerplate[u],
            )
            .into_iter()
            .map(|sp| (t, sp))
            .collect()
        });
        let mut all: Vec<(usize, overlap::SharedSpan)> = found.into_iter().flatten().collect();
        crate::sort::stable_sort_by(&mut all, |a, b| {
            b.1.words.cmp(&a.1.words).then(a.0.cmp(&b.0))
        });
        for (t, sp) in all.into_iter().take(5) {
            out.push(Evidence::SharedSpan {
                candidate: cast.candidates[c].clone(),
                prompt_id: space.texts[t].prompt_id.clone().unwrap_or_default(),
                words: sp.words,
                text: sp.text,
                suspect_span: sp.a.into(),
                candidate_span: sp.b.into(),
            });
        }
    }
    out
}

/// Distinctive habits (Monroe, Colaresi & Quinn 2008): correlation of the
/// suspect's and each candidate's weighted log-odds z-scores of words and
/// word pairs, each source against all others pooled (minus the control's
/// correlation, with a control). Descriptive.
pub fn habits_signal(space: &Space, cast: &Cast, opts: &AnalysisOptions) -> SignalResult {
    let srcs = cast.all_sources();
    // Items used fewer than 10 times in all give z-scores dominated by the
    // prior; they are left out.
    let habits = habits::Habits::of(
        srcs.iter()
            .map(|&s| space.members[s].iter().map(|&i| space.words[i].as_slice())),
        opts.log_odds_prior,
        10.0,
    );
    let z = &habits.z;
    let z_crit = 2.575_829; // two-sided 99% normal quantile
    let control = cast.control_source();
    let mut scores = Vec::new();
    let mut evidence = Vec::new();
    for (c, name) in cast.candidates.iter().enumerate() {
        let cs = cast.candidate(c);
        let (r, n) = habits::z_correlation(&z[Cast::SUSPECT], &z[cs]);
        let (lo, hi) = habits::correlation_interval(r, n, z_crit);
        let base = control
            .map(|k| habits::z_correlation(&z[k], &z[cs]).0)
            .unwrap_or(0.0);
        scores.push(CandidateScore {
            candidate: name.clone(),
            score: r6(r - base),
            low: r6(lo - base),
            high: r6(hi - base),
        });
        for (item, zs, zc) in habits.shared_overuse(Cast::SUSPECT, cs, 1.96, 8) {
            evidence.push(Evidence::SharedHabit {
                candidate: name.clone(),
                count_suspect: habits.counts[Cast::SUSPECT][item] as u64,
                count_candidate: habits.counts[cs][item] as u64,
                item: habits.items[item].clone(),
                z_suspect: r6(zs),
                z_candidate: r6(zc),
            });
        }
    }
    let order = order_desc(&scores.iter().map(|s| s.score).collect::<Vec<_>>());
    // Evidence of the best-matching candidates first.
    crate::sort::stable_sort_by_key(&mut evidence, |e| match e {
        Evidence::SharedHabit { candidate, .. } => order
            .iter()
            .position(|&c| &cast.candidates[c] == candidate)
            .unwrap_or(usize::MAX),
        _ => usize::MAX,
    });
    SignalResult {
        name: "habits".into(),
        description: "Distinctive habits: correlation of weighted log-odds z-scores (informative Dirichlet prior) of words and word pairs, each source against the others".into(),
        ranking: order.iter().map(|&c| cast.candidates[c].clone()).collect(),
        scores,
        in_combined: false,
        evidence,
        note: Some("interval: Fisher z over items, optimistic because items are not independent; descriptive".into()),
    }
}

/// What each source says it is when asked: over its answers to the probe
/// set's identity probes, the models and vendors its self-identification
/// sentences claim, with counts. A student asked "Who are you?" that
/// answers "I am ChatGPT" names its teacher.
pub fn identity_probes(space: &Space, srcs: &[usize]) -> Vec<IdentityProbeSummary> {
    let mut out = Vec::new();
    for &s in srcs {
        let answers: Vec<usize> = space.members[s]
            .iter()
            .copied()
            .filter(|&i| {
                let t = &space.texts[i];
                identity::probes::is_identity_probe(t.prompt_id.as_deref(), t.prompt.as_deref())
            })
            .collect();
        if answers.is_empty() {
            continue;
        }
        let found = stats::par_map(&answers, |&i| identity::find_leaks(&space.texts[i].text));
        let mut names: Vec<ClaimedName> = Vec::new();
        let mut unnamed = 0;
        for (&i, leaks) in answers.iter().zip(&found) {
            let mut named_here: Vec<&str> = Vec::new();
            for l in leaks {
                for c in l
                    .claims
                    .iter()
                    .filter(|c| c.kind != identity::ClaimKind::Generic)
                {
                    if named_here.contains(&c.entity.as_str()) {
                        continue;
                    }
                    named_here.push(&c.entity);
                    match names.iter_mut().find(|n| n.entity == c.entity) {
                        Some(n) => n.answers += 1,
                        None => names.push(ClaimedName {
                            entity: c.entity.clone(),
                            vendor: c.vendor.clone(),
                            kind: c.kind.as_str().into(),
                            answers: 1,
                            example: l.sentence.clone(),
                            prompt_id: space.texts[i].prompt_id.clone(),
                        }),
                    }
                }
            }
            if named_here.is_empty() {
                unnamed += 1;
            }
        }
        crate::sort::stable_sort_by(&mut names, |a, b| b.answers.cmp(&a.answers));
        out.push(IdentityProbeSummary {
            source: space.sources[s].clone(),
            answers: answers.len(),
            names,
            unnamed,
        });
    }
    out
}

/// Self-identification sentences in the outputs of every source, in
/// source order: a student that says "I am ChatGPT" names its teacher.
pub fn leaks(space: &Space, srcs: &[usize]) -> Vec<LeakEvidence> {
    let mut out = Vec::new();
    for &s in srcs {
        let texts: Vec<usize> = space.members[s].clone();
        let found = stats::par_map(&texts, |&i| identity::find_leaks(&space.texts[i].text));
        for (i, leaks) in texts.iter().zip(found) {
            for l in leaks {
                // A generic self-description ("as an AI language model")
                // names nobody and is not evidence of lineage.
                let named: Vec<String> = l
                    .claims
                    .iter()
                    .filter(|c| c.kind != identity::ClaimKind::Generic)
                    .map(|c| c.entity.clone())
                    .collect();
                if named.is_empty() {
                    continue;
                }
                out.push(LeakEvidence {
                    source: space.sources[s].clone(),
                    prompt_id: space.texts[*i].prompt_id.clone(),
                    sentence: l.sentence,
                    claims: named,
                    language: l.language.code().into(),
                    span: l.span.into(),
                });
            }
        }
    }
    out
}
