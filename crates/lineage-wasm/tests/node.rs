#![cfg(target_arch = "wasm32")]
//! The wasm boundary in Node.js. A test binary that does not call
//! `wasm_bindgen_test_configure!` runs in Node (wasm-bindgen-test-runner
//! reads the environment per binary from a custom section; none = Node).

include!("shared/cases.rs");

/// The analysis side of the boundary (see the file for what it covers).
mod analysis {
    include!("shared/analysis.rs");
}

/// The report of the shared fixture in wasm has the same SHA-256 as
/// natively (tests/core/determinism.rs checks the native side).
mod determinism {
    mod fixture {
        include!("../../../tests/determinism/fixture.rs");
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn wasm_report_has_the_shared_hash() {
        let json = fixture::report_json();
        assert_eq!(
            fixture::sha256_hex(&json),
            fixture::REPORT_SHA256,
            "report JSON:\n{json}"
        );
    }
}

/// Lone surrogates from JS (a string cut in the middle of an emoji) reach
/// the module as U+FFFD, one UTF-16 unit like the surrogate, so every
/// offset it returns still indexes the caller's own string.
mod lone_surrogates {
    use js_sys::{JsString, Reflect};
    use lineage_wasm as wasm;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::wasm_bindgen_test;

    /// `"<lone> " + passage`, built from UTF-16 code units.
    fn with_lone(lone: u16, passage: &str, tail: u16) -> JsString {
        let mut units = vec![lone, u16::from(b' ')];
        units.extend(passage.encode_utf16());
        units.extend([u16::from(b' '), tail]);
        JsString::from_char_code(&units)
    }

    fn offset(span: &JsValue, field: &str) -> u32 {
        Reflect::get(span, &field.into()).unwrap().as_f64().unwrap() as u32
    }

    #[wasm_bindgen_test]
    fn shared_span_and_leak_offsets_index_the_js_string() {
        let passage = "As an AI language model developed by OpenAI, I cannot browse the web today";
        // (name, leading unit, trailing unit)
        let cases: &[(&str, u16, u16)] = &[
            ("lone high surrogate", 0xd83d, 0xd83d),
            ("lone low surrogate", 0xdc4d, 0xdc4d),
            ("reversed pair", 0xdc4d, 0xd83d),
        ];
        for &(name, lead, tail) in cases {
            let a = with_lone(lead, passage, tail);
            let b = with_lone(tail, passage, lead);
            let spans = wasm::shared_spans(a.clone().into(), b.clone().into(), None)
                .unwrap_or_else(|e| panic!("{name}: threw {e:?}"));
            let spans: js_sys::Array = spans.unchecked_into();
            assert_eq!(spans.length(), 1, "{name}");
            let s = spans.get(0);
            let side_a = Reflect::get(&s, &"a".into()).unwrap();
            let side_b = Reflect::get(&s, &"b".into()).unwrap();
            let sliced = a.slice(offset(&side_a, "startUtf16"), offset(&side_a, "endUtf16"));
            assert_eq!(String::from(sliced), passage, "{name}: a");
            let sliced = b.slice(offset(&side_b, "startUtf16"), offset(&side_b, "endUtf16"));
            assert_eq!(String::from(sliced), passage, "{name}: b");

            let leaks = wasm::identity_leaks(a.clone().into())
                .unwrap_or_else(|e| panic!("{name}: threw {e:?}"));
            let leaks: js_sys::Array = leaks.unchecked_into();
            assert!(leaks.length() >= 1, "{name}");
            let span = Reflect::get(&leaks.get(0), &"span".into()).unwrap();
            let sentence =
                String::from(a.slice(offset(&span, "startUtf16"), offset(&span, "endUtf16")));
            assert!(sentence.contains("OpenAI"), "{name}: {sentence:?}");
        }
    }
}
