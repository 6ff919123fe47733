//! Identity leaks: sentences in which a text presents itself as a model or
//! names its maker ("I am ChatGPT", "As an AI language model developed by
//! OpenAI", "я — ChatGPT, разработанный OpenAI", "我是由OpenAI开发的…").
//!
//! A student trained on a teacher's answers often repeats the teacher's
//! self-descriptions verbatim, which is the most direct evidence of
//! distillation a person can read. The lexicon (names, cues, bridges, in
//! seven languages) is data, in [`lexicon`]; this file is the matcher.
//!
//! # How a leak is recognised
//!
//! Each sentence is split into case-folded UAX #29 words (every CJK
//! ideograph is its own word, so one matcher serves all scripts), and one
//! Aho-Corasick automaton over every phrase of the lexicon finds, in a
//! single pass, the longest name, cue, bridge and generic phrase starting
//! at each word (the words are joined by spaces and every phrase is
//! matched between spaces, so only whole words match). A leak
//! needs a *self-reference cue* ("I am", "I'm", "my name is", "as an",
//! "я", "меня", "как", "мене", "як", "我是", "作为", ...) followed by a chain
//! of *bridge* words ("a", "large", "language", "model", "developed", "by",
//! "разработанный", "компанією", "由", "开发", ...) that reaches
//! a name from the lexicon, or an entity followed by a creation verb and
//! "me" ("OpenAI trained me", "меня создала OpenAI" is the cue form).
//! Any other word ends the chain, so a sentence that merely *mentions* a
//! model ("OpenAI released GPT-4 in 2023", "I think ChatGPT is useful") is
//! not a leak, and a denial ("I am not ChatGPT") is not a claim.
//!
//! A chain that reaches no name but passes a generic self-description
//! ("AI", "assistant", "language model", "ИИ", "ШІ", "人工智能", "语言模型")
//! that ends its noun phrase is reported as a [`ClaimKind::Generic`] claim:
//! "As an AI language model, I cannot..." is a habit of some model
//! families, worth showing even though it names nobody. After "as"-type
//! cues ("as an", "как", "як", "作为") a name counts only after such a
//! generic noun ("As an AI developed by OpenAI"), because "as" alone often
//! introduces a comparison ("Как и ChatGPT, ...").
//!
//! ```
//! use lineage::signals::identity::{find_leaks, ClaimKind};
//! let leaks = find_leaks("Hello! I'm Claude, an AI assistant made by Anthropic. How can I help?");
//! assert_eq!(leaks.len(), 1);
//! assert_eq!(leaks[0].claims[0].entity, "Claude");
//! assert_eq!(leaks[0].claims[1].vendor, "Anthropic");
//! assert_eq!(leaks[0].claims[1].kind, ClaimKind::Vendor);
//! assert!(find_leaks("OpenAI released GPT-4 in 2023.").is_empty());
//! ```

use aho_corasick::AhoCorasick;

use crate::text::{self, Span};

mod lexicon;
pub mod probes;

use lexicon::lexicon;

/// What a claim names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum ClaimKind {
    /// A model or product ("ChatGPT", "Claude", "Qwen").
    Model,
    /// A vendor or lab ("OpenAI", "Anthropic", "Alibaba").
    Vendor,
    /// A self-description naming nobody ("as an AI language model").
    Generic,
}

impl ClaimKind {
    /// Lowercase name, for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::Model => "model",
            ClaimKind::Vendor => "vendor",
            ClaimKind::Generic => "generic",
        }
    }
}

/// One thing a sentence claims to be or to come from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Claim {
    /// Canonical name ("ChatGPT", "OpenAI"); for a generic claim, the
    /// canonical English self-description ("AI language model").
    pub entity: String,
    /// The vendor behind the entity ("OpenAI"); empty for a generic claim.
    pub vendor: String,
    pub kind: ClaimKind,
}

/// Language of a leaking sentence, by its script and a few marker letters;
/// serialised as its ISO 639-1 code ([`Language::code`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum Language {
    #[serde(rename = "en")]
    English,
    #[serde(rename = "uk")]
    Ukrainian,
    #[serde(rename = "ru")]
    Russian,
    #[serde(rename = "zh")]
    Chinese,
    #[serde(rename = "fr")]
    French,
    #[serde(rename = "de")]
    German,
    #[serde(rename = "es")]
    Spanish,
    /// Anything else (the patterns are those of the languages above).
    #[serde(rename = "und")]
    Other,
}

impl Language {
    /// ISO 639-1 code ("en", "uk", "ru", "zh", "fr", "de", "es"; "und"
    /// for other).
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Ukrainian => "uk",
            Language::Russian => "ru",
            Language::Chinese => "zh",
            Language::French => "fr",
            Language::German => "de",
            Language::Spanish => "es",
            Language::Other => "und",
        }
    }
}

/// A sentence that presents its text as a model or names its maker.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Leak {
    /// The sentence as written.
    pub sentence: String,
    /// Where it is in the text (bytes and UTF-16 code units).
    pub span: Span,
    /// What it claims, in order of appearance, each entity once.
    pub claims: Vec<Claim>,
    pub language: Language,
}

/// How a cue constrains what may follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CueKind {
    /// First-person identity or creation ("I am", "я", "我是"): a name may
    /// follow directly.
    Identity,
    /// "As"-type ("as an", "как", "作为"): a name counts only after a
    /// generic self-description.
    As,
}

/// What a phrase of the lexicon is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phrase {
    /// An alias of the lexicon's name `i`.
    Entity(usize),
    Cue(CueKind),
    Bridge,
    /// A generic self-description, with its canonical English phrase.
    Generic(&'static str),
}

/// Elided French articles and prepositions, dropped from the front of a
/// word ("d'OpenAI", "l'entreprise", "qu'IA").
const ELISIONS: &[&str] = &["l'", "l’", "d'", "d’", "qu'", "qu’"];

/// A case-folded word: a trailing possessive and a leading French elision
/// are dropped.
fn fold(word: &str) -> String {
    let mut w = word.to_lowercase();
    for suffix in ["'s", "’s"] {
        if let Some(stem) = w.strip_suffix(suffix) {
            if !stem.is_empty() {
                w = stem.to_string();
                break;
            }
        }
    }
    for prefix in ELISIONS {
        if let Some(rest) = w.strip_prefix(prefix) {
            if !rest.is_empty() {
                return rest.to_string();
            }
        }
    }
    w
}

fn phrase_words(phrase: &str) -> Vec<String> {
    text::words(phrase).iter().map(|w| fold(w.text)).collect()
}

/// Every phrase of the lexicon in one automaton. Pattern `p` is the words
/// of `phrases[p].0` (`phrases[p].1` of them) joined by spaces, with a
/// space before and after.
struct Matcher {
    automaton: AhoCorasick,
    phrases: Vec<(Phrase, usize)>,
}

/// The longest phrase of each sort starting at a word, in words.
#[derive(Clone, Copy, Debug, Default)]
struct At {
    entity: Option<(usize, usize)>,
    cue: Option<(CueKind, usize)>,
    bridge: Option<usize>,
    generic: Option<(&'static str, usize)>,
}

impl Matcher {
    fn new() -> Self {
        let mut patterns: Vec<String> = Vec::new();
        let mut phrases: Vec<(Phrase, usize)> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        let mut add = |text: &str, phrase: Phrase| {
            let words = phrase_words(text);
            let key = format!(" {} ", words.join(" "));
            // The first entry of a phrase wins (an alias listed twice
            // belongs to the first entity that lists it).
            let sort = std::mem::discriminant(&phrase);
            if words.is_empty() || !seen.insert((key.clone(), format!("{sort:?}"))) {
                return;
            }
            patterns.push(key);
            phrases.push((phrase, words.len()));
        };
        let lex = lexicon();
        for (i, (_, _, _, aliases)) in lex.names.iter().enumerate() {
            aliases.iter().for_each(|a| add(a, Phrase::Entity(i)));
        }
        lex.cues
            .iter()
            .for_each(|&(c, kind)| add(c, Phrase::Cue(kind)));
        lex.bridges.iter().for_each(|b| add(b, Phrase::Bridge));
        lex.generic
            .iter()
            .for_each(|&(g, c)| add(g, Phrase::Generic(c)));
        // The patterns are a fixed, valid list: building cannot fail.
        // A plain NFA: the lexicon is small and sentences are short, so the
        // faster-to-search DFA would only add build time and wasm code.
        let automaton = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
            .build(&patterns)
            .expect("the identity lexicon builds");
        Matcher { automaton, phrases }
    }

    /// For each of `words`, the longest phrase of each sort starting there.
    fn scan(&self, words: &[String]) -> Vec<At> {
        let mut joined = String::from(" ");
        let mut starts = Vec::with_capacity(words.len());
        for w in words {
            starts.push(joined.len() - 1);
            joined.push_str(w);
            joined.push(' ');
        }
        let mut at = vec![At::default(); words.len()];
        for m in self.automaton.find_overlapping_iter(&joined) {
            let Ok(i) = starts.binary_search(&m.start()) else {
                continue;
            };
            let (phrase, len) = self.phrases[m.pattern().as_usize()];
            let slot = &mut at[i];
            let longer = |old: Option<usize>| old.map_or(true, |o| len > o);
            match phrase {
                Phrase::Entity(e) if longer(slot.entity.map(|x| x.1)) => {
                    slot.entity = Some((e, len))
                }
                Phrase::Cue(k) if longer(slot.cue.map(|x| x.1)) => slot.cue = Some((k, len)),
                Phrase::Bridge if longer(slot.bridge) => slot.bridge = Some(len),
                Phrase::Generic(c) if longer(slot.generic.map(|x| x.1)) => {
                    slot.generic = Some((c, len))
                }
                _ => {}
            }
        }
        at
    }
}

/// Finds the self-identifying sentences of a text. Never fails: a text with
/// none gives an empty list.
pub fn find_leaks(text: &str) -> Vec<Leak> {
    static MATCHER: std::sync::OnceLock<Matcher> = std::sync::OnceLock::new();
    let matcher = MATCHER.get_or_init(Matcher::new);
    text::sentences(text)
        .into_iter()
        .filter_map(|sentence| {
            let claims = sentence_claims(sentence.text, matcher);
            (!claims.is_empty()).then(|| Leak {
                sentence: sentence.text.to_string(),
                span: sentence.span,
                claims,
                language: detect_language(sentence.text),
            })
        })
        .collect()
}

fn sentence_claims(sentence: &str, matcher: &Matcher) -> Vec<Claim> {
    let tokens = text::words(sentence);
    let words: Vec<String> = tokens.iter().map(|t| fold(t.text)).collect();
    let at = matcher.scan(&words);
    // Whether only spaces separate word i from word i + 1: then a generic
    // noun at i does not end its noun phrase ("an AI enthusiast").
    let glued = |i: usize| -> bool {
        i + 1 < tokens.len()
            && sentence[tokens[i].span.end..tokens[i + 1].span.start]
                .chars()
                .all(char::is_whitespace)
    };
    let mut claims: Vec<Claim> = Vec::new();
    let mut push = |claim: Claim| {
        if !claims
            .iter()
            .any(|c| c.entity == claim.entity && c.kind == claim.kind)
        {
            claims.push(claim);
        }
    };
    // (length in words, entity) of the longest name starting at word `i`.
    let entity_at = |i: usize| at.get(i).and_then(|a| a.entity).map(|(e, len)| (len, e));
    let entity_claim = |i: usize| {
        let (name, vendor, kind, _) = lexicon().names[i];
        Claim {
            entity: name.to_string(),
            vendor: vendor.to_string(),
            kind,
        }
    };

    let mut i = 0;
    while i < words.len() {
        // Entity-first frame: "OpenAI trained me".
        if let Some((len, e)) = entity_at(i) {
            let verb = i + len;
            if verb + 1 < words.len()
                && lexicon().creation.contains(&words[verb].as_str())
                && words[verb + 1] == "me"
            {
                push(entity_claim(e));
            }
        }
        let Some((kind, cue)) = at[i].cue else {
            i += 1;
            continue;
        };
        let mut j = i + cue;
        let mut generic_seen = false;
        let mut pending_generic: Option<&'static str> = None;
        // A self-description is short: the chain is cut after 16 words.
        let limit = (j + 16).min(words.len());
        while j < limit {
            if let Some((len, e)) = entity_at(j) {
                if kind == CueKind::Identity || generic_seen {
                    push(entity_claim(e));
                }
                j += len;
                continue;
            }
            if let Some((canonical, g)) = at[j].generic {
                let end = j + g - 1;
                // A generic noun counts when its noun phrase ends there:
                // at punctuation, the end, or a following bridge or name.
                let next = end + 1;
                let ends_phrase = !glued(end)
                    || next >= words.len()
                    || entity_at(next).is_some()
                    || at.get(next).is_some_and(|a| a.bridge.is_some());
                if ends_phrase {
                    generic_seen = true;
                    pending_generic = pending_generic.or(Some(canonical));
                }
                j += g;
                continue;
            }
            if let Some(b) = at[j].bridge {
                j += b;
                continue;
            }
            break;
        }
        if let Some(canonical) = pending_generic {
            push(Claim {
                entity: canonical.to_string(),
                vendor: String::new(),
                kind: ClaimKind::Generic,
            });
        }
        i = j.max(i + 1);
    }
    // Named claims first (in order of appearance), generic ones after: a
    // name is the stronger evidence.
    crate::sort::stable_sort_by_key(&mut claims, |c| c.kind == ClaimKind::Generic);
    // A generic claim next to a name adds nothing.
    if claims.iter().any(|c| c.kind != ClaimKind::Generic) {
        claims.retain(|c| c.kind != ClaimKind::Generic);
    }
    claims
}

/// Chinese if the sentence has Han ideographs; Ukrainian or Russian by
/// letters (і ї є ґ vs ы э ъ ё) and common words only one of them uses
/// when it is Cyrillic; for Latin script, French, German or Spanish when
/// at least two of its own common words or letters outnumber English's,
/// else English. Also `collect`'s check that an answer is in its prompt's
/// language.
pub fn detect_language(sentence: &str) -> Language {
    let (mut han, mut cyrillic, mut latin, mut uk, mut ru) = (0, 0, 0, 0usize, 0usize);
    for c in sentence.chars() {
        match c {
            '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' => han += 1,
            'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ' => {
                uk += 1;
                cyrillic += 1
            }
            'ы' | 'э' | 'ъ' | 'ё' | 'Ы' | 'Э' | 'Ъ' | 'Ё' => {
                ru += 1;
                cyrillic += 1
            }
            '\u{400}'..='\u{4ff}' => cyrillic += 1,
            c if c.is_alphabetic() && (c.is_ascii() || ('\u{c0}'..='\u{24f}').contains(&c)) => {
                latin += 1
            }
            _ => {}
        }
    }
    if han > 0 {
        return Language::Chinese;
    }
    let words: Vec<String> = text::words(sentence)
        .iter()
        .map(|w| w.text.to_lowercase())
        .collect();
    let hits = |list: &[&str]| words.iter().filter(|w| list.contains(&w.as_str())).count();
    if cyrillic > 0 && cyrillic >= latin / 4 {
        // Common words only one of the two languages uses, for sentences
        // without a telltale letter ("Як мовна модель, я не маю ...").
        uk += hits(&["як", "що", "це", "мене", "мовна", "від", "та", "й", "маю"]);
        ru += hits(&["как", "что", "это", "меня", "языковая", "от", "имею"]);
        return if uk > ru {
            Language::Ukrainian
        } else {
            Language::Russian
        };
    }
    if latin == 0 {
        return Language::Other;
    }
    let letters = |set: &[char]| sentence.chars().filter(|c| set.contains(c)).count();
    let en = hits(&[
        "i", "am", "the", "an", "is", "by", "and", "my", "of", "as", "was",
    ]);
    let candidates = [
        (
            Language::French,
            hits(&[
                "je", "suis", "une", "est", "le", "les", "des", "et", "par", "tant", "mon",
            ]) + letters(&['é', 'è', 'ê', 'ç', 'à']),
        ),
        (
            Language::German,
            hits(&[
                "ich", "bin", "ein", "eine", "und", "der", "die", "das", "von", "ist", "mein",
            ]) + letters(&['ä', 'ö', 'ü', 'ß']),
        ),
        (
            Language::Spanish,
            hits(&[
                "soy", "una", "el", "los", "por", "y", "es", "como", "mi", "del", "lenguaje",
            ]) + letters(&['ñ', '¿', '¡', 'á', 'í', 'ó', 'ú']),
        ),
    ];
    let best = candidates
        .iter()
        .filter(|(_, score)| *score >= 2 && *score > en)
        .max_by_key(|(_, score)| *score);
    best.map_or(Language::English, |(language, _)| *language)
}
