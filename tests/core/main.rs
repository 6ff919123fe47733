//! The core's integration tests, one binary: a module per concern, each
//! opening with what it checks. One binary links the core once instead of
//! eighteen times (disk and link time: a CI machine once ran out of disk).
//!
//! `dev_verdicts` reads `../shared/data` and is ignored by default; the
//! test command runs it in an optimised build:
//! `cargo test --profile dev-data --test core -- --ignored dev_verdicts::`.
#![cfg(not(target_arch = "wasm32"))]

mod common;
/// The determinism fixture, shared with the wasm tests
/// (crates/lineage-wasm/tests/node.rs includes the same file).
#[allow(dead_code)]
#[path = "../determinism/fixture.rs"]
mod fixture;

mod corpus_readers;
mod determinism;
mod dev_verdicts;
mod docs_figures;
mod engine_report;
mod evasion;
mod pathological;
mod probes;
mod profile_golden;
mod profile_merge;
mod reliability_props;
mod signals_classifier;
mod signals_identity;
mod signals_overlap;
mod stats_props;
mod stats_synthetic;
mod text_fast_paths;
mod text_segmentation;
mod tidy;
