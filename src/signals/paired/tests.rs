//! Laws of the paired signals, as tables of cases.

use super::*;
use crate::signals::overlap::Boilerplate;

fn grams_of(texts: &[&str]) -> Vec<NgramSets> {
    texts
        .iter()
        .map(|t| NgramSets::of(t, VERBATIM_NGRAM, &Boilerplate::none()))
        .collect()
}

fn embed_all(texts: &[&str]) -> Vec<TextRepr> {
    let opts = EmbedOptions {
        max_char_n: 4,
        n_frequent: 300,
        signals: PairedSignal::ALL,
    };
    let e = Embedder::fit(texts, &[], &opts);
    // Embedding a text again gives what fitting gave.
    for (t, r) in texts.iter().zip(&e.reprs) {
        assert_eq!(&e.embedder.embed(t), r);
    }
    e.reprs
}

#[test]
fn set_measures() {
    // (a, b, overlap coefficient, jaccard)
    let cases: &[(&[u64], &[u64], f64, f64)] = &[
        (&[1, 2, 3], &[2, 3, 4], 2.0 / 3.0, 0.5),
        (&[1], &[1], 1.0, 1.0),
        (&[], &[1], 0.0, 0.0),
        (&[], &[], 0.0, 0.0),
        (&[1, 2], &[3, 4], 0.0, 0.0),
    ];
    for (a, b, oc, j) in cases {
        assert!(
            (overlap_coefficient(a, b) - oc).abs() < 1e-12,
            "{a:?} {b:?}"
        );
        assert!((jaccard(a, b) - j).abs() < 1e-12, "{a:?} {b:?}");
    }
}

#[test]
fn capitalised_words() {
    let cases = [
        ("Paris", true),
        ("Київ", true),
        ("I", false),
        ("NASA", false),
        ("paris", false),
        ("3D", false),
        ("", false),
    ];
    for (w, want) in cases {
        assert_eq!(is_capitalised(w), want, "{w}");
    }
}

#[test]
fn every_signal_is_symmetric_bounded_and_maximal_on_identical_texts() {
    let texts = [
        "Sure! Here are three cities:\n\n1. **Paris**\n2. Rome\n3. Oslo\n\nI hope this helps!",
        "Paris, Rome and Oslo are all lovely in spring, though Oslo is cold.",
        "Certainly. The capital of France is Paris; it has been since the 10th century.",
        "",
    ];
    let r = embed_all(&texts);
    let g = grams_of(&texts);
    let answer = |i: usize| Answer {
        repr: &r[i],
        grams: &g[i],
    };
    for &sig in PairedSignal::ALL {
        for i in 0..texts.len() {
            for j in 0..texts.len() {
                let s = sig.similarity(answer(i), answer(j));
                assert!(s.is_finite(), "{sig:?} {i} {j}");
                if sig != PairedSignal::VerbatimOverlap {
                    // Containment is a share of the *first* text's n-grams.
                    let t = sig.similarity(answer(j), answer(i));
                    assert!((s - t).abs() < 1e-9, "{sig:?} not symmetric {i} {j}");
                }
                let own = sig.similarity(answer(i), answer(i));
                assert!(
                    own >= s - 1e-9,
                    "{sig:?}: {i} is closer to {j} than to itself"
                );
            }
        }
    }
}

#[test]
fn names_opening_and_length_see_what_they_should() {
    let texts = [
        "Sure! Here are some ideas: visit Paris and Rome.",
        "Sure! Here are some ideas: visit Paris and Rome, or stay home.",
        "Visiting Oslo or Bergen is my advice, or else staying at home and reading a long book about the north of Europe and its many fjords.",
    ];
    let r = embed_all(&texts);
    let g = grams_of(&texts);
    let sim = |sig: PairedSignal, i: usize, j: usize| {
        let answer = |k: usize| Answer {
            repr: &r[k],
            grams: &g[k],
        };
        sig.similarity(answer(i), answer(j))
    };
    for sig in [
        PairedSignal::Names,
        PairedSignal::Opening,
        PairedSignal::Length,
    ] {
        assert!(sim(sig, 0, 1) > sim(sig, 0, 2), "{sig:?}");
    }
}

#[test]
fn a_repeated_text_has_the_same_rate_vectors() {
    let t = "One answer, with words and a list:\n- a\n- b";
    let twice = format!("{t}\n{t}");
    let r = embed_all(&[t, &twice, "something else entirely, for the idf"]);
    for sig in [
        PairedSignal::CharNgrams,
        PairedSignal::Words,
        PairedSignal::MaskedChars,
    ] {
        let none = NgramSets::default();
        let answer = |k: usize| Answer {
            repr: &r[k],
            grams: &none,
        };
        let s = sig.similarity(answer(0), answer(1));
        assert!(s > 0.95, "{sig:?}: {s}");
    }
}

#[test]
fn names_are_stable() {
    for &s in PairedSignal::ALL {
        assert_eq!(PairedSignal::from_name(s.name()), Some(s));
    }
    assert_eq!(PairedSignal::from_name("nope"), None);
}

#[test]
fn the_registry_follows_the_enum_and_its_serde_names() {
    // `PairedSignal::def` indexes the registry by the variant's number, and
    // the report serialises a signal by its serde name: both must agree
    // with each definition.
    assert_eq!(signal::REGISTRY.len(), PairedSignal::ALL.len());
    for (i, def) in signal::REGISTRY.iter().enumerate() {
        assert_eq!(def.signal as usize, i, "{}", def.name);
        assert_eq!(def.signal.def().name, def.name);
        let json = serde_json::to_string(&def.signal).unwrap();
        assert_eq!(json, format!("\"{}\"", def.name));
    }
    let defaults: Vec<PairedSignal> = signal::REGISTRY
        .iter()
        .filter(|d| d.default)
        .map(|d| d.signal)
        .collect();
    assert_eq!(PairedSignal::DEFAULT, defaults.as_slice());
    // A signal without a profile form is paired-only.
    for &s in PairedSignal::ALL {
        assert_eq!(s.has_profile(), s.def().profile.is_some(), "{s:?}");
    }
}
