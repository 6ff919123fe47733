#![cfg(target_arch = "wasm32")]
//! The wasm boundary in headless Chromium, through chromedriver
//! (`CHROMEDRIVER`, and the capabilities in `webdriver.json` at the crate
//! root, which name the system Chromium and its headless flags).

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

include!("shared/cases.rs");

/// The analysis side of the boundary (see the file for what it covers).
mod analysis {
    include!("shared/analysis.rs");
}
