//! Profiling one text: the pass over its lines, sentences and words, and
//! the pass over its characters.

use std::collections::{BTreeMap, HashMap};

use unicode_segmentation::UnicodeSegmentation;

use super::counter::{effective_cap, items_to_btree, SortCounter};
use super::keys::{char_finish, char_step, combine_keys, word_key_with, CHAR_SEED};
use super::{
    Markdown, Profile, ProfileOptions, Richness, CLOSING_SENTENCE_MAX_BYTES, MAX_CHAR_NGRAM,
    SENTENCE_LENGTH_BUCKETS, WORD_LENGTH_BUCKETS,
};
use crate::features::mattr;
use crate::features::structure::for_each_content_line;
use crate::text::{
    fold_case_into, for_each_sentence_bound, for_each_word_bound, is_emoji, normalize_cow,
    piece_kind, PieceKind,
};

/// True when a character is always a grapheme cluster of its own and
/// never joins its neighbours into one: then a text made only of such
/// characters has as many graphemes as characters, and the costly UAX #29
/// grapheme pass can be skipped. The ranges are Latin, Greek, Cyrillic,
/// general punctuation, symbols, CJK and kana without their combining
/// marks.
#[inline]
fn is_simple_char(c: char) -> bool {
    matches!(c as u32,
        0x0..=0x0C | 0x0E..=0x2FF
            | 0x370..=0x482 | 0x48A..=0x52F
            | 0x2010..=0x2027 | 0x2030..=0x205E
            | 0x20A0..=0x20CF | 0x2100..=0x27BF
            | 0x3000..=0x3029 | 0x3030..=0x303F
            | 0x3041..=0x3096 | 0x309B..=0x30FF
            | 0x4E00..=0x9FFF | 0xFF01..=0xFF9D)
}

fn truncate_at_char(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl Profile {
    /// Profile of one text (see the module documentation for what is
    /// counted). Never fails: an empty text gives a profile of zeros with
    /// `texts == 1`.
    pub fn of_text(text: &str, options: &ProfileOptions) -> Profile {
        let text = normalize_cow(text, &options.normalize);
        let text: &str = &text;
        let cap = effective_cap(options.max_table_entries);
        let mut pruned = false;
        let mut md = Markdown::default();

        let expected_words = text.len() / 4;
        let mut word_tables: [SortCounter<(u64, u32)>; 3] =
            std::array::from_fn(|_| SortCounter::new(cap, expected_words));
        let mut word_keys: Vec<u64> = Vec::new();
        let mut word_texts: Vec<&str> = Vec::new();
        let mut word_lengths = vec![0u32; WORD_LENGTH_BUCKETS];
        let mut sentence_lengths = vec![0u32; SENTENCE_LENGTH_BUCKETS];
        let mut punct: HashMap<&str, u32> = HashMap::new();
        let mut punctuation_tokens = 0usize;
        let mut emoji = 0usize;
        let mut sentences = 0usize;
        let mut last_sentence: Option<&str> = None;
        let mut buf = String::new();

        let lines = for_each_content_line(text, &mut md, |content| {
            for_each_sentence_bound(content, |_, sentence| {
                let mut in_sentence = 0usize;
                for_each_word_bound(sentence, |_, piece| {
                    if is_emoji(piece) {
                        emoji += 1;
                        return;
                    }
                    match piece_kind(piece) {
                        PieceKind::Whitespace => {}
                        PieceKind::Punctuation => {
                            *punct.entry(piece).or_insert(0) += 1;
                            punctuation_tokens += 1;
                        }
                        PieceKind::Word => {
                            let pos = word_keys.len() as u32;
                            let key = word_key_with(piece, &mut buf);
                            word_keys.push(key);
                            word_texts.push(piece);
                            word_tables[0].push((key, pos));
                            if in_sentence >= 1 {
                                let k = combine_keys(&word_keys[word_keys.len() - 2..]);
                                word_tables[1].push((k, pos - 1));
                            }
                            if in_sentence >= 2 {
                                let k = combine_keys(&word_keys[word_keys.len() - 3..]);
                                word_tables[2].push((k, pos - 2));
                            }
                            in_sentence += 1;
                            let len = if piece.is_ascii() {
                                piece.len()
                            } else {
                                piece.chars().count()
                            };
                            word_lengths[len.clamp(1, WORD_LENGTH_BUCKETS) - 1] += 1;
                        }
                    }
                });
                if in_sentence > 0 {
                    sentences += 1;
                    sentence_lengths[in_sentence.min(SENTENCE_LENGTH_BUCKETS) - 1] += 1;
                    last_sentence = Some(sentence.trim());
                }
            });
        });

        // Character n-grams: one pass over the characters, keeping the
        // last `max_n` of them; at each position a backward walk hashes
        // the n-grams ending there for n = 1..=max_n.
        let max_n = options.max_char_ngram.min(MAX_CHAR_NGRAM);
        let mut char_tables: Vec<SortCounter<u64>> = (0..max_n)
            .map(|_| SortCounter::new(cap, text.len()))
            .collect();
        // A ring of the last 16 characters (MAX_CHAR_NGRAM, a power of
        // two): indexing by a mask, not by `% max_n`, keeps integer
        // division out of the innermost loop.
        const RING: usize = MAX_CHAR_NGRAM;
        let mut recent = ['\0'; RING];
        let mut chars = 0usize;
        let mut simple = true;
        for c in text.chars() {
            simple &= is_simple_char(c);
            recent[chars & (RING - 1)] = c;
            let mut state = CHAR_SEED;
            for (n, table) in char_tables.iter_mut().enumerate().take(chars + 1) {
                state = char_step(state, recent[chars.wrapping_sub(n) & (RING - 1)]);
                table.push(char_finish(state));
            }
            chars += 1;
        }
        let graphemes = if simple {
            chars
        } else {
            text.graphemes(true).count()
        };

        // Exact strings for the top items of each word n-gram order.
        let top_k = options.top_k;
        let mut top_word_ngrams: [Vec<(String, u32)>; 3] = Default::default();
        let word_items: Vec<Vec<(u64, u32, u32)>> = word_tables
            .into_iter()
            .map(|t| {
                let (items, p) = t.finish();
                pruned |= p;
                items
            })
            .collect();
        for (n, table) in word_items.iter().enumerate() {
            let mut items = table.clone();
            let by_count =
                |a: &(u64, u32, u32), b: &(u64, u32, u32)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
            if top_k < items.len() {
                items.select_nth_unstable_by(top_k, by_count);
                items.truncate(top_k);
            }
            items.sort_unstable_by(by_count);
            top_word_ngrams[n] = items
                .into_iter()
                .filter_map(|(_, count, pos)| {
                    let pos = pos as usize;
                    let ws = word_texts.get(pos..pos + n + 1)?;
                    let mut s = String::new();
                    for (i, w) in ws.iter().enumerate() {
                        if i > 0 {
                            s.push(' ');
                        }
                        fold_case_into(w, &mut s);
                    }
                    Some((s, count))
                })
                .collect();
        }

        let mut opening = String::new();
        for (i, w) in word_texts.iter().take(3).enumerate() {
            if i > 0 {
                opening.push(' ');
            }
            fold_case_into(w, &mut opening);
        }
        let opening_words = if opening.is_empty() {
            vec![]
        } else {
            vec![(opening, 1)]
        };
        let closing_sentences = last_sentence
            .map(|s| {
                vec![(
                    truncate_at_char(s, CLOSING_SENTENCE_MAX_BYTES).to_owned(),
                    1,
                )]
            })
            .unwrap_or_default();

        let mut punctuation_counts: BTreeMap<String, u32> = BTreeMap::new();
        for (mark, count) in punct {
            punctuation_counts.insert(mark.to_owned(), count);
        }

        let char_ngrams = char_tables
            .into_iter()
            .map(|t| {
                let (items, p) = t.finish();
                pruned |= p;
                items_to_btree(&items)
            })
            .collect();
        let mut profile = Profile {
            texts: 1,
            bytes: text.len(),
            chars,
            graphemes,
            words: word_keys.len(),
            sentences,
            paragraphs: lines.paragraphs,
            word_ngrams: [
                items_to_btree(&word_items[0]),
                items_to_btree(&word_items[1]),
                items_to_btree(&word_items[2]),
            ],
            top_word_ngrams,
            char_ngrams,
            word_lengths,
            sentence_lengths,
            richness: Richness {
                mattr: mattr(&word_keys, options.mattr_window),
                ..Richness::default()
            },
            punctuation_per_1000: BTreeMap::new(),
            markdown: md,
            emoji,
            emoji_per_1000_words: 0.0,
            opening_words,
            closing_sentences,
            punctuation_counts,
            punctuation_tokens,
            top_k,
            pruned,
            max_table_entries: options.max_table_entries,
        };
        profile.derive();
        profile
    }
}

/// Exact strings (case-folded words joined by one space) of the word
/// n-grams of order `n` (1..=3) of `text` whose keys are in `wanted`:
/// how a caller shows evidence for items it only knows by key. Profiling
/// options must be the ones the keys came from.
pub fn word_ngram_strings(
    text: &str,
    options: &ProfileOptions,
    n: usize,
    wanted: &std::collections::BTreeSet<u64>,
) -> BTreeMap<u64, String> {
    let mut found = BTreeMap::new();
    if !(1..=3).contains(&n) || wanted.is_empty() {
        return found;
    }
    let text = normalize_cow(text, &options.normalize);
    let mut md = Markdown::default();
    let mut buf = String::new();
    for_each_content_line(&text, &mut md, |content| {
        for_each_sentence_bound(content, |_, sentence| {
            let mut words: Vec<&str> = Vec::new();
            for_each_word_bound(sentence, |_, p| {
                if !is_emoji(p) && piece_kind(p) == PieceKind::Word {
                    words.push(p);
                }
            });
            let keys: Vec<u64> = words.iter().map(|w| word_key_with(w, &mut buf)).collect();
            for (i, window) in keys.windows(n).enumerate() {
                let key = combine_keys(window);
                if wanted.contains(&key) && !found.contains_key(&key) {
                    let mut s = String::new();
                    for (j, w) in words[i..i + n].iter().enumerate() {
                        if j > 0 {
                            s.push(' ');
                        }
                        fold_case_into(w, &mut s);
                    }
                    found.insert(key, s);
                }
            }
        });
    });
    found
}
