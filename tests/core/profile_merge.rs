//! The laws of `Profile::merge`: counts add up to what profiling the
//! texts as one corpus gives, the empty profile is the identity, and the
//! order of merging does not matter.

use lineage::profile::{char_ngram_key, Profile, ProfileOptions};
use lineage::text::{graphemes, normalize, paragraphs, NormalizeOptions};
use proptest::prelude::*;

use crate::common;
use common::fragments::{joined, script_run};

/// Texts with Markdown, several scripts and emoji, but without code
/// fences (an unclosed fence in one text would swallow the next one when
/// they are concatenated, which is exactly why texts are profiled apart).
fn fragment() -> impl Strategy<Value = String> {
    const MARKS: &[&str] = &[
        "\n- ",
        "\n# ",
        "**",
        "https://x.org ",
        "😀",
        "ｶﾞ각\u{1100}\u{1161}",
        "\u{200d}",
    ];
    prop_oneof![
        7 => script_run(),
        1 => "[ \t\n]{1,3}",
        1 => "[.,!?;:()\\-—。！？*#|_\\[\\]>]{1,3}",
        1 => "[0-9]{1,3}[.)] ",
        3 => prop::sample::select(MARKS).prop_map(str::to_owned),
    ]
}

fn text() -> impl Strategy<Value = String> {
    joined(fragment(), 30)
}

fn profile(text: &str) -> Profile {
    Profile::of_text(text, &ProfileOptions::default())
}

/// The fields that must be equal between a merge of two profiles and the
/// profile of the texts joined by a blank line (which ends every line,
/// sentence and paragraph of the first text).
fn assert_counts_equal(merged: &Profile, joined: &Profile) -> Result<(), TestCaseError> {
    prop_assert_eq!(merged.words, joined.words);
    prop_assert_eq!(merged.sentences, joined.sentences);
    prop_assert_eq!(merged.paragraphs, joined.paragraphs);
    prop_assert_eq!(&merged.word_ngrams, &joined.word_ngrams);
    prop_assert_eq!(&merged.word_lengths, &joined.word_lengths);
    prop_assert_eq!(&merged.sentence_lengths, &joined.sentence_lengths);
    prop_assert_eq!(&merged.markdown, &joined.markdown);
    prop_assert_eq!(merged.emoji, joined.emoji);
    prop_assert_eq!(&merged.punctuation_counts, &joined.punctuation_counts);
    prop_assert_eq!(merged.punctuation_tokens, joined.punctuation_tokens);
    prop_assert_eq!(
        merged.richness.type_token_ratio,
        joined.richness.type_token_ratio
    );
    prop_assert_eq!(merged.richness.hapax_ratio, joined.richness.hapax_ratio);
    prop_assert_eq!(merged.richness.yules_k, joined.richness.yules_k);
    prop_assert_eq!(&merged.punctuation_per_1000, &joined.punctuation_per_1000);
    prop_assert_eq!(merged.emoji_per_1000_words, joined.emoji_per_1000_words);
    Ok(())
}

proptest! {
    #[test]
    fn merge_counts_equal_the_joined_corpus(a in text(), b in text()) {
        let mut merged = profile(&a);
        merged.merge(&profile(&b));
        let joined = profile(&format!("{a}\n\n{b}"));
        assert_counts_equal(&merged, &joined)?;
        prop_assert_eq!(merged.texts, 2);
        prop_assert_eq!(merged.bytes + 2, joined.bytes);
        prop_assert_eq!(merged.chars + 2, joined.chars);
        // Character unigrams add up too, plus the two joining line breaks
        // (longer character n-grams also span the join, so they differ).
        let newline = char_ngram_key("\n");
        for (key, &count) in &joined.char_ngrams[0] {
            let extra = if *key == newline { 2 } else { 0 };
            prop_assert_eq!(merged.char_ngrams[0].get(key).copied().unwrap_or(0) + extra, count);
        }
    }

    #[test]
    fn the_empty_profile_is_the_identity(a in text()) {
        let p = profile(&a);
        let mut left = Profile::default();
        left.merge(&p);
        prop_assert_eq!(&left, &p);
        let mut right = p.clone();
        right.merge(&Profile::default());
        prop_assert_eq!(&right, &p);
    }

    #[test]
    fn merge_is_commutative(a in text(), b in text()) {
        let (pa, pb) = (profile(&a), profile(&b));
        let mut ab = pa.clone();
        ab.merge(&pb);
        let mut ba = pb.clone();
        ba.merge(&pa);
        prop_assert_eq!(ab, ba);
    }

    #[test]
    fn merge_is_associative_for_counts(a in text(), b in text(), c in text()) {
        let (pa, pb, pc) = (profile(&a), profile(&b), profile(&c));
        let mut left = pa.clone();
        left.merge(&pb);
        left.merge(&pc);
        let mut bc = pb.clone();
        bc.merge(&pc);
        let mut right = pa.clone();
        right.merge(&bc);
        assert_counts_equal(&left, &right)?;
        prop_assert_eq!(&left.char_ngrams, &right.char_ngrams);
        prop_assert_eq!(&left.opening_words, &right.opening_words);
        prop_assert_eq!(&left.closing_sentences, &right.closing_sentences);
        prop_assert!((left.richness.mattr - right.richness.mattr).abs() < 1e-12);
    }

    #[test]
    fn merge_all_counts_equal_a_fold_of_merge(texts in proptest::collection::vec(text(), 0..6)) {
        let profiles: Vec<Profile> = texts.iter().map(|t| profile(t)).collect();
        let all = Profile::merge_all(&profiles);
        let mut fold = Profile::default();
        for p in &profiles {
            fold.merge(p);
        }
        assert_counts_equal(&all, &fold)?;
        prop_assert_eq!(all.texts, fold.texts);
        prop_assert_eq!(&all.char_ngrams, &fold.char_ngrams);
        prop_assert_eq!(&all.opening_words, &fold.opening_words);
        prop_assert_eq!(&all.closing_sentences, &fold.closing_sentences);
        prop_assert!((all.richness.mattr - fold.richness.mattr).abs() < 1e-12);
        if profiles.len() == 1 {
            prop_assert_eq!(&all, &profiles[0]);
        }
    }

    #[test]
    fn sizes_match_the_segmenters(raw in any::<String>(), mixed in text()) {
        for raw in [raw, mixed] {
            let text = normalize(&raw, &NormalizeOptions::default());
            let p = profile(&raw);
            prop_assert_eq!(p.bytes, text.len());
            prop_assert_eq!(p.chars, text.chars().count());
            prop_assert_eq!(p.graphemes, graphemes(&text).len());
            prop_assert_eq!(p.paragraphs, paragraphs(&text).len());
        }
    }

    #[test]
    fn arbitrary_strings_profile_without_panic(raw in any::<String>()) {
        let p = profile(&raw);
        prop_assert_eq!(p.sentence_lengths.iter().sum::<u32>() as usize, p.sentences);
        prop_assert!(p.richness.mattr.is_finite() && p.richness.yules_k.is_finite());
    }
}

/// MATTR cannot be recomputed from counts, so a merge takes the mean of
/// the texts' MATTR weighted by their word counts.
#[test]
fn merged_mattr_is_word_weighted() {
    let a = profile("one two three four");
    let b = profile("same same same same same same same same");
    let mut m = a.clone();
    m.merge(&b);
    let expected = (a.richness.mattr * 4.0 + b.richness.mattr * 8.0) / 12.0;
    assert!((m.richness.mattr - expected).abs() < 1e-12);
    assert_eq!((a.richness.mattr, b.richness.mattr), (1.0, 1.0 / 8.0));
}

#[test]
fn of_texts_is_the_merge_of_its_texts() {
    let texts = [
        "Hello there. I hope this helps!",
        "Привіт! I hope this helps!",
        "",
    ];
    let source = Profile::of_texts(texts, &ProfileOptions::default());
    let mut merged = Profile::default();
    for t in texts {
        merged.merge(&profile(t));
    }
    assert_eq!(source, merged);
    assert_eq!(source.texts, 3);
    assert_eq!(
        source.closing_sentences,
        [("I hope this helps!".to_owned(), 2)]
    );
    assert_eq!(
        source.opening_words,
        [
            ("hello there i".to_owned(), 1),
            ("привіт i hope".to_owned(), 1)
        ]
    );
    // Ties are broken by key, so only the set of the top two is fixed.
    let mut top: Vec<(&str, u32)> = source.top_word_ngrams[2]
        .iter()
        .take(2)
        .map(|(s, c)| (s.as_str(), *c))
        .collect();
    top.sort();
    assert_eq!(top, [("hope this helps", 2), ("i hope this", 2)]);
}
