//! The report of a fixed corpus and seed has a fixed SHA-256 natively;
//! crates/lineage-wasm/tests/node.rs checks the same constant in wasm (see the fixture).

use crate::fixture;

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

#[test]
fn the_order_of_the_inputs_changes_no_byte() {
    // The same samples, candidates, input files and reading warnings given
    // in other orders: the report is the same to the byte (candidates and
    // inputs are put in canonical order before any random draw).
    use lineage::report::{InputFile, Warning};
    let file = |name: &str| InputFile {
        name: name.into(),
        sha256: format!("{:0>64}", name.len()),
        samples: 1,
        malformed_lines: 0,
    };
    let warning = |m: &str| Warning {
        code: "malformed_input".into(),
        message: m.into(),
    };
    let forward = {
        let mut req = fixture::request();
        req.inputs = vec![file("a.jsonl"), file("b.jsonl")];
        req.input_warnings = vec![warning("a.jsonl: line 3"), warning("b.jsonl: line 1")];
        req
    };
    let mut backward = fixture::request();
    backward.samples.reverse();
    backward.candidates.reverse();
    backward.inputs = forward.inputs.iter().rev().cloned().collect();
    backward.input_warnings = forward.input_warnings.iter().rev().cloned().collect();
    let json = |req| {
        lineage::analysis::analyze(&req, &fixture::options(), &mut |_, _| {})
            .unwrap()
            .to_json()
    };
    assert_eq!(json(forward), json(backward));
}
