//! Generators of multi-script text for the property tests: runs of the
//! scripts that segment differently (Latin, Cyrillic, Han and kana,
//! Arabic, digits) and the clusters that trip segmenters (a ZWJ family,
//! a combining accent). Each suite adds the pieces its own law is about.

use proptest::prelude::*;

/// One run of letters of one script, a number, or one tricky cluster.
pub fn script_run() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z]{1,6}",
        "[а-яА-ЯіїєґІЇЄҐ']{1,6}",
        "[一-龥ぁ-んァ-ン]{1,4}",
        "[ ء-ي]{1,5}",
        "[0-9]{1,4}",
        Just("👨\u{200d}👩\u{200d}👧".to_owned()),
        Just("e\u{301}".to_owned()),
    ]
}

/// Up to `max` fragments of `fragment` joined.
pub fn joined(
    fragment: impl Strategy<Value = String>,
    max: usize,
) -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment, 0..max).prop_map(|v| v.concat())
}
