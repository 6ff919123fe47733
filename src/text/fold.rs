//! Character-level helpers the profile needs: case folding and emoji.

/// Appends the case-folded form of `word` to `out`.
///
/// This is Unicode's simple lowercase mapping of every character
/// ([`char::to_lowercase`]), plus the one rule of Unicode case folding
/// that lowercasing misses in the languages we care about: final sigma
/// `ς` becomes `σ`, so `ΟΔΟΣ`, `Οδος` and `οδος` fold the same. It is not
/// full case folding (`ß` stays `ß`, not `ss`), which is acceptable for
/// counting words: both sides of every comparison fold the same way.
pub fn fold_case_into(word: &str, out: &mut String) {
    for c in word.chars() {
        fold_char(c, |l| out.push(l));
    }
}

/// The case fold of one character (see [`fold_case_into`]), given to
/// `push` one character at a time (a lowercase form may be longer).
#[inline]
fn fold_char(c: char, mut push: impl FnMut(char)) {
    if c.is_ascii() {
        push(c.to_ascii_lowercase());
    } else if c == 'ς' {
        push('σ');
    } else {
        c.to_lowercase().for_each(push);
    }
}

/// The case-folded form of `word` (see [`fold_case_into`]).
///
/// ```
/// use lineage::text::fold_case;
/// assert_eq!(fold_case("Привіт"), "привіт");
/// assert_eq!(fold_case("ΟΔΟΣ"), fold_case("οδος"));
/// ```
pub fn fold_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_case_into(word, &mut out);
    out
}

/// Latin look-alikes of lowercase Cyrillic, Greek and Armenian letters
/// (after case folding), sorted by the first character. The pairs come
/// from Unicode's confusables list (UTS #39), restricted to letters that a
/// reader cannot tell from a Latin letter in running text; a letter whose
/// capital and small forms resemble different Latin letters (Greek `ν`/`Ν`)
/// maps by its small form, which is what a swap inside a word uses.
const CONFUSABLES: &[(char, char)] = &[
    ('α', 'a'),
    ('β', 'b'),
    ('γ', 'y'),
    ('ε', 'e'),
    ('ζ', 'z'),
    ('η', 'n'),
    ('ι', 'i'),
    ('κ', 'k'),
    ('ν', 'v'),
    ('ο', 'o'),
    ('ρ', 'p'),
    // NFKC turns the lunate sigma `ϲ`, a perfect c, into `σ`.
    ('σ', 'c'),
    ('τ', 't'),
    ('υ', 'u'),
    ('χ', 'x'),
    ('ϲ', 'c'),
    ('ϳ', 'j'),
    ('а', 'a'),
    ('в', 'b'),
    ('г', 'r'),
    ('е', 'e'),
    ('к', 'k'),
    ('м', 'm'),
    ('н', 'h'),
    ('о', 'o'),
    ('п', 'n'),
    ('р', 'p'),
    ('с', 'c'),
    ('т', 't'),
    ('у', 'y'),
    ('х', 'x'),
    ('ѕ', 's'),
    ('і', 'i'),
    ('ј', 'j'),
    ('һ', 'h'),
    ('ӏ', 'l'),
    ('ԁ', 'd'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
    ('ո', 'n'),
    ('ս', 'u'),
    ('օ', 'o'),
];

/// Greek capitals whose small letters look like *another* Latin letter
/// (`Η` is an H, `η` an n): these map before case folding, by the capital.
const CAPITAL_CONFUSABLES: &[(char, char)] = &[('Η', 'h'), ('Μ', 'm'), ('Ν', 'n'), ('Υ', 'y')];

/// The Latin letter that `c` (a case-folded letter) looks like, if it is a
/// Cyrillic, Greek or Armenian homoglyph of one.
pub fn confusable_latin(c: char) -> Option<char> {
    CONFUSABLES
        .binary_search_by_key(&c, |&(from, _)| from)
        .ok()
        .map(|i| CONFUSABLES[i].1)
}

/// Appends the *matching key* of `word` to `out`: its case fold
/// ([`fold_case_into`]) with every homoglyph replaced by the Latin letter
/// it imitates ([`confusable_latin`]). Verbatim-overlap matching compares
/// words by this key, so `pаris` with a Cyrillic `а` matches `Paris`; the
/// fold is applied to both texts alike, so genuine Cyrillic or Greek text
/// still matches itself (a Russian word and a Latin lookalike may collide,
/// which a whole k-word passage makes harmless). Four Greek capitals map
/// by their own shape (`Η` to h, while `η` maps to n), so a Greek word
/// starting with one of them no longer matches its small-letter spelling. Zero-width characters and
/// compatibility forms are removed before, by normalisation (NFKC).
///
/// ```
/// use lineage::text::fold::fold_for_matching;
/// assert_eq!(fold_for_matching("Pаrіs"), "paris"); // Cyrillic а and і
/// assert_eq!(fold_for_matching("ΟΔΟΣ"), fold_for_matching("οδος"));
/// ```
pub fn fold_for_matching_into(word: &str, out: &mut String) {
    for c in word.chars() {
        if c.is_ascii() {
            // No Latin letter is a homoglyph: the fast path of the fold.
            out.push(c.to_ascii_lowercase());
        } else if let Some(&(_, latin)) = CAPITAL_CONFUSABLES.iter().find(|p| p.0 == c) {
            out.push(latin);
        } else {
            // Final sigma folds to σ, which maps to c like the lunate sigma.
            fold_char(c, |l| out.push(confusable_latin(l).unwrap_or(l)));
        }
    }
}

/// The matching key of `word` (see [`fold_for_matching_into`]).
pub fn fold_for_matching(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_for_matching_into(word, &mut out);
    out
}

/// True when `c` marks an emoji: a character of the pictographic blocks
/// (U+1F000..U+1FAFF, U+2600..U+27BF and the few emoji of other blocks
/// such as ⌚ ⭐ ⬆), the emoji presentation selector U+FE0F (which turns
/// `©`, `↔` or `❤` into emoji) or the keycap mark U+20E3.
///
/// This is a table of ranges rather than Unicode's Extended_Pictographic
/// property, so that no extra crate is compiled into the wasm module; it
/// errs on the side of counting dingbats such as ✔ as emoji, which chat
/// models use the same way.
pub fn is_emoji_char(c: char) -> bool {
    matches!(
        c as u32,
        0x1F000..=0x1FAFF
            | 0x2600..=0x27BF
            | 0x2B05..=0x2B07
            | 0x2B1B
            | 0x2B1C
            | 0x2B50
            | 0x2B55
            | 0x231A
            | 0x231B
            | 0x2328
            | 0x23CF
            | 0x23E9..=0x23F3
            | 0x23F8..=0x23FA
            | 0x3030
            | 0x303D
            | 0x3297
            | 0x3299
            | 0xFE0F
            | 0x20E3
    )
}

/// True when a grapheme or word-boundary piece is (or contains) an emoji.
pub fn is_emoji(piece: &str) -> bool {
    !piece.is_ascii() && piece.chars().any(is_emoji_char)
}
