#![cfg(target_arch = "wasm32")]
//! The wasm boundary in Node.js. A test binary that does not call
//! `wasm_bindgen_test_configure!` runs in Node (wasm-bindgen-test-runner
//! reads the environment per binary from a custom section; none = Node).

include!("wasm_shared/cases.rs");

/// The analysis side of the boundary (see the file for what it covers).
mod analysis {
    include!("wasm_shared/analysis.rs");
}
