// The analysis side of the boundary (analyze, Workspace, sharedSpans,
// identityLeaks, schemaVersion), shared by crates/lineage-wasm/tests/node.rs and
// crates/lineage-wasm/tests/browser.rs through `include!` inside a `mod`, like cases.rs.
// Arguments are real JS values (parsed from JSON or built with js_sys), so
// what is checked is what a JS caller sees.

use js_sys::{Array, Error, Function, Object, Reflect, JSON};
use lineage_wasm as wasm;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

// `get` and `num` read dotted paths; they are cases.rs's, one level up.
use super::{get, num};

fn text(obj: &JsValue, path: &str) -> String {
    get(obj, path)
        .as_string()
        .unwrap_or_else(|| panic!("{path} is not a string"))
}

fn json(s: &str) -> JsValue {
    JSON::parse(s).unwrap_or_else(|_| panic!("test JSON is valid: {s}"))
}

/// The thrown value's `code` and message; fails if it is not an `Error`.
fn code_and_message(thrown: JsValue) -> (String, String) {
    let message = thrown
        .dyn_ref::<Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| panic!("threw a non-Error: {thrown:?}"));
    let code = Reflect::get(&thrown, &"code".into())
        .ok()
        .and_then(|c| c.as_string())
        .unwrap_or_else(|| panic!("Error without a code: {message}"));
    (code, message)
}

/// A small corpus as JSONL lines: twelve prompts answered by a suspect
/// that writes like `teacher_a` (the same openings, lists and closing
/// formula, the same phrases), by `teacher_a`, and by `teacher_b`, whose
/// answers are plain prose with other habits.
fn corpus_lines() -> Vec<String> {
    let topics = [
        "photosynthesis", "volcanoes", "compound interest", "the water cycle", "black holes",
        "vaccines", "blockchains", "tides", "inflation", "earthquakes", "rainbows", "batteries",
    ];
    let mut lines = Vec::new();
    for (i, topic) in topics.iter().enumerate() {
        let a = format!(
            "Certainly! Here is a clear overview of {topic}.\n\n- **Key idea:** {topic} follows a few simple rules.\n- **Why it matters:** it shapes everyday life in quiet ways.\n- **Example {i}:** a classroom demonstration makes it concrete.\n\nIn summary, {topic} is easier than it looks. Let me know if you would like more detail!"
        );
        let s = format!(
            "Certainly! Here is a short overview of {topic}.\n\n- **Key idea:** {topic} follows a few simple rules.\n- **Why it matters:** it shapes daily life in quiet ways.\n- **Example:** a simple demonstration makes it concrete.\n\nIn summary, {topic} is simpler than it looks. Let me know if you would like more detail!"
        );
        let b = format!(
            "Well, {topic} is one of those things people tend to overthink, honestly; the basic mechanism was worked out long ago, and once you see it the rest follows naturally. I would start from the history and move on to the numbers from there. Hope this helps, cheers. ({i})"
        );
        for (source, text) in [("student", s), ("teacher_a", a), ("teacher_b", b)] {
            let record = Object::new();
            Reflect::set(&record, &"source".into(), &source.into()).unwrap();
            Reflect::set(&record, &"text".into(), &text.into()).unwrap();
            Reflect::set(&record, &"prompt_id".into(), &JsValue::from_f64(i as f64)).unwrap();
            lines.push(String::from(JSON::stringify(&record).unwrap()));
        }
    }
    lines
}

fn corpus_samples() -> JsValue {
    let samples = Array::new();
    for line in corpus_lines() {
        let record = json(&line);
        // The JS API spells it promptId; the JSONL reader takes either.
        let id = get(&record, "prompt_id");
        Reflect::delete_property(record.unchecked_ref::<Object>(), &"prompt_id".into()).unwrap();
        Reflect::set(&record, &"promptId".into(), &id).unwrap();
        samples.push(&record);
    }
    samples.into()
}

/// Few resamples: the tests check the boundary, not the statistics, and
/// debug wasm is slow.
const FAST: &str = r#"{"suspect": "student", "candidates": ["teacher_a", "teacher_b"],
    "bootstrapReps": 50, "permutationReps": 99, "minPaired": 5}"#;

fn analyze_ok(samples: JsValue, options: &str) -> JsValue {
    wasm::analyze(samples, json(options), None)
        .unwrap_or_else(|e| panic!("analyze threw {:?}", code_and_message(e)))
}

#[wasm_bindgen_test]
fn schema_version_is_the_reports() {
    let report = analyze_ok(corpus_samples(), FAST);
    assert_eq!(num(&report, "schemaVersion"), f64::from(wasm::schema_version()));
    assert_eq!(text(&report, "lineageVersion"), wasm::version());
}

#[wasm_bindgen_test]
fn analyze_returns_a_camel_case_plain_report() {
    let report = analyze_ok(corpus_samples(), FAST);
    assert_eq!(Object::get_prototype_of(&report), Object::get_prototype_of(&Object::new()));
    for path in [
        "parameters.bootstrapReps",
        "parameters.mostFrequentWords",
        "design.sharedPrompts",
        "verdict.effect",
        "verdict.confidence",
        "verdict.agreeingSignals",
        "verdict.ranking.0.signalsFirst",
        "sources.0.medianWords",
        "signals.0.scores.0.score",
    ] {
        num(&report, path);
    }
    assert_eq!(num(&report, "parameters.bootstrapReps"), 50.0);
    assert_eq!(get(&report, "design.paired").as_bool(), Some(true));
    assert_eq!(num(&report, "design.sharedPrompts"), 12.0);
    assert_eq!(Array::from(&get(&report, "verdict.ranking")).length(), 2);
    // The student copies teacher_a's formulas; whatever the verdict's
    // confidence, teacher_a must come first.
    assert_eq!(text(&report, "verdict.top"), "teacher_a");
    // No control: a resemblance, with no p-value for an excess claim.
    assert_eq!(text(&report, "verdict.kind"), "resemblance");
    assert!(get(&report, "verdict.pValue").is_null());
    assert!(Array::is_array(&get(&report, "verdict.attributed")));
    assert!(Array::is_array(&get(&report, "kinship.similarity.0")));
    let json = String::from(JSON::stringify(&report).unwrap());
    for key in ["schema_version", "p_value", "in_combined", "shared_prompts", "median_words", "z_suspect"] {
        assert!(!json.contains(&format!("\"{key}\"")), "{key} leaked into the report");
    }
}

#[wasm_bindgen_test]
fn analyze_is_deterministic_and_seeded() {
    let first = JSON::stringify(&analyze_ok(corpus_samples(), FAST)).unwrap();
    let again = JSON::stringify(&analyze_ok(corpus_samples(), FAST)).unwrap();
    assert_eq!(first, again);
    let seeded = FAST.replace("\"minPaired\": 5", "\"minPaired\": 5, \"seed\": 7");
    let other = analyze_ok(corpus_samples(), &seeded);
    assert_eq!(num(&other, "seed"), 7.0);
}

#[wasm_bindgen_test]
fn analyze_reports_real_progress() {
    let calls = Array::new();
    let record = Function::new_with_args("calls, stage, fraction", "calls.push([stage, fraction]);")
        .bind1(&JsValue::NULL, &calls);
    wasm::analyze(corpus_samples(), json(FAST), Some(record.into())).expect("analyze runs");
    let stages: Vec<(String, f64)> = calls
        .iter()
        .map(|c| {
            let c = Array::from(&c);
            (c.get(0).as_string().unwrap(), c.get(1).as_f64().unwrap())
        })
        .collect();
    assert!(stages.len() >= 4, "{stages:?}");
    assert_eq!(stages.first().map(|s| s.1), Some(0.0));
    assert_eq!(stages.last().cloned(), Some(("done".to_string(), 1.0)));
    assert!(stages.windows(2).all(|w| w[0].1 <= w[1].1), "fractions only grow: {stages:?}");
    // A throwing callback's exception reaches the caller.
    let throwing = Function::new_with_args("", "throw new RangeError('stop');");
    let thrown = wasm::analyze(corpus_samples(), json(FAST), Some(throwing.into()))
        .expect_err("the callback's error is rethrown");
    assert!(thrown.is_instance_of::<js_sys::RangeError>());
}

#[wasm_bindgen_test]
fn analyze_rejects_bad_input_with_codes() {
    let one = |s: &str| format!("[{{\"source\": \"a\", \"text\": \"x\"{s}}}]");
    // (samples JSON, options JSON, code, words the message must contain)
    let rows: Vec<(String, &str, &str, &str)> = vec![
        ("{}".into(), FAST, "BAD_ARGUMENT", "analyze: samples must be an array, got object"),
        ("[]".into(), FAST, "EMPTY_INPUT", "analyze: there are no samples"),
        ("[7]".into(), FAST, "BAD_ARGUMENT", "samples[0] must be an object"),
        (r#"[{"source": "a"}]"#.into(), FAST, "BAD_ARGUMENT", "samples[0]: missing field `text`"),
        (r#"[{"source": "", "text": "x"}]"#.into(), FAST, "BAD_ARGUMENT", "samples[0].source: must be a non-empty string"),
        (r#"[{"source": "a", "text": 5}]"#.into(), FAST, "BAD_ARGUMENT", "samples[0].text: invalid type"),
        (one(", \"promptId\": true"), FAST, "BAD_ARGUMENT", "samples[0].promptId"),
        (one(""), "null", "BAD_ARGUMENT", "options must be an object naming the suspect"),
        (one(""), r#"{"candidates": ["a", "b"]}"#, "BAD_ARGUMENT", "options: missing field `suspect`"),
        (one(""), r#"{"suspect": "a"}"#, "BAD_ARGUMENT", "options: missing field `candidates`"),
        (one(""), r#"{"suspect": "a", "candidates": "b"}"#, "BAD_ARGUMENT", "options.candidates: invalid type: string \"b\", expected a sequence"),
        (one(""), r#"{"suspect": "a", "candidates": [], "seeed": 1}"#, "BAD_ARGUMENT", "options.seeed: unknown field `seeed`"),
        (one(""), r#"{"suspect": "zed", "candidates": ["a", "q"]}"#, "UNKNOWN_SOURCE", "unknown source name(s): zed, q (known: a)"),
        (one(""), r#"{"suspect": "a", "candidates": ["a"], "alpha": 0}"#, "BAD_ARGUMENT", "options: alpha must be a number in (0, 0.5], got 0"),
        (one(""), r#"{"suspect": "a", "candidates": ["a"], "alpha": 0.9}"#, "BAD_ARGUMENT", "options: alpha must be a number in (0, 0.5], got 0.9"),
        (one(""), r#"{"suspect": "a", "candidates": ["a"], "bootstrapReps": 5}"#, "BAD_ARGUMENT", "options: bootstrapReps must be a whole number in [10, 100000], got 5"),
        (one(""), r#"{"suspect": "a", "candidates": ["a"], "seed": -1}"#, "BAD_ARGUMENT", "options.seed: invalid"),
        (one(""), r#"{"suspect": "a", "candidates": ["a"], "delta": "manhattan"}"#, "BAD_ARGUMENT", "options.delta: unknown variant `manhattan`"),
        (corpus_json(), r#"{"suspect": "student", "candidates": ["teacher_a"]}"#, "BAD_ROLES", "at least two candidates"),
        (corpus_json(), r#"{"suspect": "student", "candidates": ["student", "teacher_a"]}"#, "BAD_ROLES", "only one role"),
    ];
    for (samples, options, code, expected) in &rows {
        let thrown = wasm::analyze(json(samples), json(options), None)
            .expect_err(&format!("analyze accepted {samples} {options}"));
        let (got_code, message) = code_and_message(thrown);
        assert_eq!((got_code.as_str(), &message[..8]), (*code, "analyze:"), "{message}");
        assert!(message.contains(expected), "{message:?} lacks {expected:?}");
    }
    let thrown = wasm::analyze(json(&one("")), json(FAST), Some(JsValue::from_f64(3.0)))
        .expect_err("onProgress must be a function");
    assert!(code_and_message(thrown).1.contains("onProgress must be a function, got number"));
}

fn corpus_json() -> String {
    String::from(JSON::stringify(&corpus_samples()).unwrap())
}

#[wasm_bindgen_test]
fn workspace_reads_jsonl_and_csv_with_line_errors() {
    let mut ws = wasm::Workspace::new();
    let mut lines = corpus_lines();
    lines.insert(3, "{not json".to_string());
    lines.insert(5, String::new()); // blank lines are skipped, not errors
    let added = ws
        .add_jsonl(lines.join("\n").into(), Some(json(r#"{"name": "dev.jsonl"}"#)))
        .expect("the readable lines are added");
    assert_eq!(num(&added, "added"), 36.0);
    assert_eq!(num(&added, "malformed"), 1.0);
    assert_eq!(num(&added, "errors.0.line"), 4.0);
    assert_eq!(num(&added, "total"), 36.0);
    assert_eq!(Array::from(&get(&added, "sources")).length(), 3);

    let csv = "source,text,prompt_id\nextra,\"A reply, with a comma\nand a newline.\",0\n";
    let added = ws.add_csv(csv.into(), None).expect("csv is read");
    assert_eq!((num(&added, "added"), num(&added, "total")), (1.0, 37.0));
    let added = ws
        .add(json(r#"{"source": "extra", "text": "Another one.", "promptId": 1}"#))
        .expect("one sample is added");
    assert_eq!((num(&added, "added"), num(&added, "total")), (1.0, 38.0));
    assert_eq!(ws.size(), 38);

    let report = ws.analyze(json(FAST), None).expect("the workspace is analysed");
    assert_eq!(text(&report, "inputs.0.name"), "dev.jsonl");
    assert_eq!(num(&report, "inputs.0.malformedLines"), 1.0);
    assert_eq!(text(&report, "inputs.0.sha256").len(), 64);
    assert_eq!(text(&report, "inputs.1.name"), "input-2.csv");
    let warnings = String::from(JSON::stringify(&get(&report, "warnings")).unwrap());
    assert!(warnings.contains("malformed_input"), "{warnings}");
    // The samples stay: analysing again (with a control now) works.
    let with_control = FAST.replace("\"minPaired\"", "\"control\": \"extra\", \"minPaired\"");
    let report = ws.analyze(json(&with_control), None).expect("analysed again");
    assert_eq!(text(&report, "verdict.control"), "extra");
    // A bad option leaves the samples in place.
    ws.analyze(json("{}"), None).expect_err("no roles");
    assert_eq!(ws.size(), 38);
}

#[wasm_bindgen_test]
fn workspace_rejects_unreadable_inputs_with_codes() {
    // (jsonl?, text, options JSON, code, words the message must contain)
    let rows: &[(bool, JsValue, Option<&str>, &str, &str)] = &[
        (true, "{oops\n[1]\n".into(), None, "BAD_JSONL", "no record of input-1.jsonl could be read (2 malformed; input-1.jsonl:1:"),
        (true, "\n  \n".into(), None, "EMPTY_INPUT", "holds no record"),
        (true, JsValue::from_f64(1.0), None, "BAD_ARGUMENT", "Workspace.addJsonl: text must be a string, got number"),
        (true, "{}".into(), Some(r#"{"file": "x"}"#), "BAD_ARGUMENT", "options.file: unknown field `file`, expected `name` or `source`"),
        (true, "{}".into(), Some(r#"{"name": 3}"#), "BAD_ARGUMENT", "Workspace.addJsonl: options.name: invalid type"),
        (false, "a,b\n1,2\n".into(), None, "BAD_CSV", "csv header must name the columns"),
        (false, "".into(), None, "BAD_CSV", "csv header must name the columns"),
    ];
    for (jsonl, input, options, code, expected) in rows {
        let mut ws = wasm::Workspace::new();
        let options = options.map(json);
        let thrown = if *jsonl {
            ws.add_jsonl(input.clone(), options)
        } else {
            ws.add_csv(input.clone(), options)
        }
        .expect_err("the input is refused");
        let (got, message) = code_and_message(thrown);
        assert_eq!(&got, code, "{message}");
        assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        assert_eq!(ws.size(), 0);
    }
    // A record without a source takes the input's default source.
    let mut ws = wasm::Workspace::new();
    let added = ws
        .add_jsonl(r#"{"text": "hi"}"#.into(), Some(json(r#"{"source": "pasted"}"#)))
        .expect("the default source applies");
    assert_eq!(text(&added, "sources.0"), "pasted");
    let thrown = ws.add(json(r#"{"text": "no source"}"#)).expect_err("add checks the sample");
    assert!(code_and_message(thrown).1.contains("Workspace.add: sample: missing field `source`"));
    let thrown = ws.analyze(json(FAST), None).expect_err("unknown roles");
    assert_eq!(code_and_message(thrown).0, "UNKNOWN_SOURCE");
}

#[wasm_bindgen_test]
fn shared_spans_index_js_strings_in_utf16() {
    // (a, b, options JSON, expected passages as sliced from a and from b)
    type Row<'a> = (&'a str, &'a str, Option<&'a str>, &'a [(&'a str, &'a str)]);
    let rows: &[Row] = &[
        (
            "The mitochondria is the powerhouse of the cell, as every student learns.",
            "Remember: the mitochondria is the powerhouse of the cell.",
            None,
            &[("The mitochondria is the powerhouse of the cell", "the mitochondria is the powerhouse of the cell")],
        ),
        (
            "👍🏽 Київ — столиця України і найбільше місто країни 🇺🇦",
            "Відомо: київ — столиця україни і найбільше місто, так.",
            Some(r#"{"minWords": 3, "window": 2}"#),
            &[("Київ — столиця України і найбільше місто", "київ — столиця україни і найбільше місто")],
        ),
        ("one two three", "one two three", None, &[]),
        ("", "", None, &[]),
    ];
    for (a, b, options, expected) in rows {
        let spans = wasm::shared_spans((*a).into(), (*b).into(), options.map(json))
            .expect("sharedSpans takes any two strings");
        let spans = Array::from(&spans);
        assert_eq!(spans.length() as usize, expected.len(), "{a:?} / {b:?}");
        let (ja, jb) = (js_sys::JsString::from(*a), js_sys::JsString::from(*b));
        for (span, (in_a, in_b)) in spans.iter().zip(expected.iter()) {
            let slice = |s: &js_sys::JsString, side: &str| {
                String::from(s.slice(
                    num(&span, &format!("{side}.startUtf16")) as u32,
                    num(&span, &format!("{side}.endUtf16")) as u32,
                ))
            };
            assert_eq!(slice(&ja, "a"), *in_a);
            assert_eq!(slice(&jb, "b"), *in_b);
            assert_eq!(text(&span, "text"), *in_a);
        }
    }
    for (options, expected) in [
        (r#"{"minWords": 0}"#, "sharedSpans: options: minWords must be between 1 and 64, got 0"),
        (r#"{"window": 65}"#, "sharedSpans: options: window must be between 1 and 64"),
        (r#"{"k": 3}"#, "options.k: unknown field `k`, expected `minWords` or `window`"),
    ] {
        let thrown = wasm::shared_spans("a".into(), "b".into(), Some(json(options))).expect_err(options);
        let (code, message) = code_and_message(thrown);
        assert_eq!(code, "BAD_ARGUMENT");
        assert!(message.contains(expected), "{message}");
    }
    let thrown = wasm::shared_spans("a".into(), JsValue::NULL, None).expect_err("b must be a string");
    assert!(code_and_message(thrown).1.contains("sharedSpans: b must be a string, got null"));
}

#[wasm_bindgen_test]
fn identity_leaks_name_the_claims() {
    // (text, leaking sentences as sliced by their UTF-16 span, claimed entities, language)
    let rows: &[(&str, &[&str], &[&str], &str)] = &[
        (
            "Hello! I'm Claude, an AI assistant made by Anthropic. How can I help?",
            &["I'm Claude, an AI assistant made by Anthropic."],
            &["Claude", "Anthropic"],
            "en",
        ),
        ("OpenAI released GPT-4 in 2023.", &[], &[], ""),
        ("", &[], &[], ""),
    ];
    for (input, sentences, entities, language) in rows {
        let leaks = Array::from(&wasm::identity_leaks((*input).into()).expect("any string"));
        assert_eq!(leaks.length() as usize, sentences.len(), "{input}");
        let js = js_sys::JsString::from(*input);
        for (leak, sentence) in leaks.iter().zip(sentences.iter()) {
            let span = String::from(js.slice(
                num(&leak, "span.startUtf16") as u32,
                num(&leak, "span.endUtf16") as u32,
            ));
            assert_eq!(span.trim(), *sentence);
            assert_eq!(text(&leak, "language"), *language);
            let claims: Vec<String> = Array::from(&get(&leak, "claims"))
                .iter()
                .map(|c| text(&c, "entity"))
                .collect();
            assert_eq!(claims, *entities);
            assert_eq!(text(&leak, "claims.1.kind"), "vendor");
        }
    }
    let thrown = wasm::identity_leaks(JsValue::UNDEFINED).expect_err("text must be a string");
    assert_eq!(code_and_message(thrown).0, "BAD_ARGUMENT");
}

/// `analyzeWith` given `crossValidation`'s result (as a second worker
/// would hand it over) or `null` (computed there) returns `analyze`'s very
/// report; a malformed handover is refused by name.
#[wasm_bindgen_test]
async fn analyze_with_a_handed_over_cross_validation_is_analyze() {
    let whole = JSON::stringify(&analyze_ok(corpus_samples(), FAST)).unwrap();
    let cv = wasm::cross_validation(corpus_samples(), json(FAST))
        .unwrap_or_else(|e| panic!("crossValidation threw {:?}", code_and_message(e)));
    assert_eq!(num(&cv, "folds"), 5.0);
    assert!((0.0..=1.0).contains(&num(&cv, "accuracy")));
    for handed in [cv, JsValue::NULL] {
        let promise = js_sys::Promise::resolve(&handed);
        let report = wasm::analyze_with(corpus_samples(), json(FAST), promise, None)
            .await
            .unwrap_or_else(|e| panic!("analyzeWith threw {:?}", code_and_message(e)));
        assert_eq!(JSON::stringify(&report).unwrap(), whole, "handed over {handed:?}");
    }
    let bad = js_sys::Promise::resolve(&json(r#"{"accuracy": "high", "folds": 5}"#));
    let thrown = wasm::analyze_with(corpus_samples(), json(FAST), bad, None)
        .await
        .expect_err("a malformed handover is refused");
    let (code, message) = code_and_message(thrown);
    assert_eq!(code, "BAD_ARGUMENT");
    assert!(message.starts_with("analyze: crossValidation"), "{message}");
}
