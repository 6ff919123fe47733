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
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c == 'ς' {
            out.push('σ');
        } else {
            out.extend(c.to_lowercase());
        }
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
