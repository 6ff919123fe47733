//! The `lineage` command's tests, one binary: each module runs the built
//! binary (`run`) on temporary files, some against a local chat server
//! (`chat_server`), and reads its exit code, output and files back.
#![cfg(not(target_arch = "wasm32"))]

mod chat_server;
#[path = "run.rs"]
mod cli;
/// The synthetic corpora of the core's tests.
#[path = "../../../../tests/core/common/mod.rs"]
mod common;

mod auditor_walk_through;
mod bring_suspect_e2e;
mod cli_errors;
mod collect_cli;
mod collect_safety;
mod families_cli;
mod import_panel_cli;
mod passages_cli;
