#![cfg(not(target_arch = "wasm32"))]
//! The report of a fixed corpus and seed has a fixed SHA-256 natively;
//! tests/wasm_node.rs checks the same constant in wasm (see the fixture).

mod fixture {
    include!("determinism/fixture.rs");
}

#[test]
fn native_report_has_the_shared_hash() {
    let json = fixture::report_json();
    let hash = fixture::sha256_hex(&json);
    if std::env::var_os("LINEAGE_PRINT_REPORT_HASH").is_some() {
        println!("REPORT_SHA256 = {hash}");
    }
    // Same input, same seed, same bytes within one process too.
    assert_eq!(json, fixture::report_json());
    assert_eq!(hash, fixture::REPORT_SHA256, "report JSON:\n{json}");
}
