// The synthetic corpora's vocabulary, shared by the test worlds
// (`tests/core/common`) and the determinism fixture: style words a model
// over- or under-uses, and topic words a prompt brings up. Included
// (`include!`) by both, so each has its own copy of the constants.

/// Words whose rates make a synthetic model's style.
pub const STYLE_WORDS: &[&str] = &[
    "certainly",
    "indeed",
    "basically",
    "notably",
    "overall",
    "however",
    "moreover",
    "thus",
    "simply",
    "really",
    "quite",
    "rather",
    "perhaps",
    "clearly",
    "generally",
    "typically",
    "actually",
    "essentially",
    "importantly",
    "additionally",
    "furthermore",
    "ultimately",
    "specifically",
    "particularly",
    "often",
    "usually",
    "always",
    "never",
    "very",
    "so",
    "just",
    "also",
    "well",
    "still",
    "even",
    "truly",
    "surely",
    "mostly",
];

/// Words a prompt is about (its content, not a style).
pub const TOPIC_WORDS: &[&str] = &[
    "river", "garden", "engine", "market", "planet", "recipe", "castle", "violin", "forest",
    "ocean", "bridge", "winter", "library", "rocket", "harbor", "desert", "museum", "island",
    "coffee", "mountain", "battery", "theater", "village", "glacier",
];
