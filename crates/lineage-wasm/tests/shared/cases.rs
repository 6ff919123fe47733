// The boundary's test cases, shared by crates/lineage-wasm/tests/node.rs and
// crates/lineage-wasm/tests/browser.rs through `include!` so Node and Chromium run exactly
// the same table. (A directory under tests/ is not a test target itself.)
//
// The cases call the exported functions from Rust, but every argument and
// result is a real JS value (built with js_sys, read back with
// Reflect::get), so what is checked is what a JS caller sees: camelCase
// field names, plain objects rather than Maps, Errors with a code.

use js_sys::{Array, Error, JsString, Object, Reflect, JSON};
use lineage_wasm as wasm;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// `obj[key]` for a dotted path, panicking with the path if a step is missing.
fn get(obj: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(obj.clone(), |value, key| {
        let next = Reflect::get(&value, &key.into()).unwrap_or(JsValue::UNDEFINED);
        assert!(!next.is_undefined(), "missing field {path} (at {key})");
        next
    })
}

fn num(obj: &JsValue, path: &str) -> f64 {
    get(obj, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number"))
}

fn options(json: &str) -> Option<JsValue> {
    let value = JSON::parse(json).expect("test options are valid JSON");
    Some(value)
}

fn profile_ok(text: &str, opts: Option<JsValue>) -> JsValue {
    match wasm::profile(text.into(), opts) {
        Ok(p) => p,
        Err(e) => panic!("profile({text:?}) threw {e:?}"),
    }
}

/// Calls `profile` with raw JS arguments and returns the thrown Error's
/// code and message.
fn profile_err(text: JsValue, opts: Option<JsValue>) -> (String, String) {
    let shown = format!("text {text:?}, options {opts:?}");
    let err = match wasm::profile(text, opts) {
        Ok(_) => panic!("profile accepted bad arguments: {shown}"),
        Err(e) => e,
    };
    let error: &Error = err
        .dyn_ref::<Error>()
        .expect("a bad argument throws a JS Error, not a bare value");
    let code = get(&err, "code").as_string().expect("code is a string");
    (code, String::from(error.message()))
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn profile_counts_a_short_english_text() {
    let p = profile_ok("The cat sat. The dog ran.", None);
    // (field, value)
    let counts = [("texts", 1.0), ("words", 6.0), ("sentences", 2.0), ("paragraphs", 1.0)];
    for (field, want) in counts.into_iter().chain([("bytes", 25.0), ("chars", 25.0)]) {
        assert_eq!(num(&p, field), want, "{field}");
    }
    // "the" is the most frequent unigram, case-folded.
    let first = get(&p, "topWordNgrams.unigrams.0");
    assert_eq!(get(&first, "text").as_string().as_deref(), Some("the"));
    assert_eq!(num(&first, "count"), 2.0);
}

#[wasm_bindgen_test]
fn profile_fields_are_camel_case_plain_objects() {
    let p = profile_ok("# Title\n\n- one, two\n- **three**\n\nDone!", None);
    for path in [
        "distinctWordNgrams",
        "distinctCharNgrams",
        "topWordNgrams.unigrams",
        "topWordNgrams.bigrams",
        "topWordNgrams.trigrams",
        "wordLengths",
        "sentenceLengths",
        "openingWords",
        "closingSentences",
    ] {
        assert!(Array::is_array(&get(&p, path)), "{path} is an array");
    }
    for path in [
        "richness.typeTokenRatio",
        "richness.mattr",
        "richness.hapaxRatio",
        "richness.yulesK",
        "markdown.headings",
        "markdown.bulletItems",
        "markdown.numberedItems",
        "markdown.bold",
        "markdown.italic",
        "markdown.codeFences",
        "markdown.tableRows",
        "markdown.links",
        "markdown.tables",
        "markdown.inlineCode",
        "markdown.quotedLines",
        "markdown.rules",
        "punctuationTokens",
        "emoji",
        "emojiPer1000Words",
        "graphemes",
    ] {
        num(&p, path);
    }
    assert_eq!(get(&p, "pruned").as_bool(), Some(false));
    assert_eq!(num(&p, "markdown.headings"), 1.0);
    assert_eq!(num(&p, "markdown.bulletItems"), 2.0);
    assert_eq!(num(&p, "markdown.bold"), 1.0);
    // Maps cross as plain objects (a JS Map has no own enumerable keys and
    // would make `p.punctuationPer1000[","]` undefined).
    let punct = get(&p, "punctuationPer1000");
    assert_eq!(Object::get_prototype_of(&punct), Object::get_prototype_of(&Object::new()));
    assert!(num(&punct, ",") > 0.0);
    // No snake_case key leaks through.
    let json = String::from(JSON::stringify(&p).expect("a profile is JSON-serialisable"));
    for key in ["type_token_ratio", "punctuation_per_1000", "word_ngrams", "char_ngrams"] {
        assert!(!json.contains(key), "{key} in {json}");
    }
}

#[wasm_bindgen_test]
fn profile_of_empty_text_is_zero_not_an_error() {
    let p = profile_ok("", None);
    for field in ["words", "sentences", "bytes"] {
        assert_eq!(num(&p, field), 0.0, "{field}");
    }
}

#[wasm_bindgen_test]
fn profile_handles_many_scripts_and_lone_surrogates() {
    for text in [
        "Київ — столиця України. Тут живе майже три мільйони людей.",
        "Москва — столица России.",
        "我们今天去公园。天气很好！",
        "今日は良い天気です。",
        "مرحبا بالعالم. كيف حالك؟",
        "Mixed 混合 текст 👍🏽 🇺🇦!",
    ] {
        let p = profile_ok(text, None);
        assert!(num(&p, "words") > 0.0, "{text}");
    }
    // A JS string may hold a lone surrogate; it must not trap the module.
    let lone = JsString::from_char_code1(0xD800).concat(&"abc".into());
    let p: JsValue = wasm::profile(lone.into(), None).expect("a lone surrogate is valid input");
    assert!(num(&p, "chars") >= 3.0);
}

#[wasm_bindgen_test]
fn profile_options_change_the_result() {
    let p = profile_ok("a b c d e f", options(r#"{"maxCharNgram": 2, "topK": 3}"#));
    assert_eq!(Array::from(&get(&p, "distinctCharNgrams")).length(), 2);
    assert_eq!(Array::from(&get(&p, "topWordNgrams.unigrams")).length(), 3);
    // NFKC folds the full-width letters into ASCII ones: one word type.
    let p = profile_ok("ＡＢＣ ABC", options(r#"{"normalization": "nfkc"}"#));
    assert_eq!(num(&p, "distinctWordNgrams.0"), 1.0);
    // null and undefined mean "all defaults".
    profile_ok("x", Some(JsValue::NULL));
    profile_ok("x", Some(JsValue::UNDEFINED));
    profile_ok("x", options("{}"));
}

#[wasm_bindgen_test]
fn profile_rejects_bad_arguments_with_an_error() {
    // (text, options JSON or None, words the message must contain)
    let rows: &[(JsValue, Option<&str>, &str)] = &[
        (JsValue::from_f64(42.0), None, "text must be a string, got number"),
        (JsValue::UNDEFINED, None, "text must be a string, got undefined"),
        (JsValue::NULL, None, "text must be a string, got null"),
        (Array::new().into(), None, "text must be a string, got array"),
        ("x".into(), Some(r#"{"topk": 3}"#), "options.topk: unknown field `topk`, expected one of `normalization`, `stripZeroWidth`"),
        ("x".into(), Some(r#"{"topK": "3"}"#), "options.topK: invalid type: string"),
        ("x".into(), Some(r#"{"stripZeroWidth": 1}"#), "options.stripZeroWidth: invalid type"),
        ("x".into(), Some(r#"{"topK": 2.5}"#), "options.topK: invalid type"),
        ("x".into(), Some(r#"{"normalization": "nfd"}"#), "options.normalization: unknown variant `nfd`"),
        ("x".into(), Some(r#"{"maxCharNgram": 17}"#), "maxCharNgram must be between 0 and 16, got 17"),
        ("x".into(), Some(r#"{"maxTableEntries": 0}"#), "maxTableEntries must be between 1 and"),
        ("x".into(), Some(r#"{"mattrWindow": 0}"#), "mattrWindow must be between"),
        ("x".into(), Some("[1, 2]"), "options must be an object, got array"),
        ("x".into(), Some("7"), "options must be an object, got number"),
        ("x".into(), Some(r#""nfc""#), "options must be an object, got string"),
    ];
    for (text, opts, expected) in rows {
        let opts = opts.map(|json| JSON::parse(json).expect("valid JSON"));
        let (code, message) = profile_err(text.clone(), opts);
        assert_eq!(code, "BAD_ARGUMENT", "{message}");
        assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        assert!(message.starts_with("profile: "), "{message}");
    }
}
