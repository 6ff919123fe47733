#![cfg(target_arch = "wasm32")]
//! The wasm boundary in Node.js. A test binary that does not call
//! `wasm_bindgen_test_configure!` runs in Node (wasm-bindgen-test-runner
//! reads the environment per binary from a custom section; none = Node).

include!("wasm_shared/cases.rs");

/// The analysis side of the boundary (see the file for what it covers).
mod analysis {
    include!("wasm_shared/analysis.rs");
}

/// The report of the shared fixture in wasm has the same SHA-256 as
/// natively (tests/determinism.rs checks the native side).
mod determinism {
    mod fixture {
        include!("determinism/fixture.rs");
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
