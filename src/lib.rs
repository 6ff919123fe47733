//! Lineage: which candidate model does a suspect model's writing resemble,
//! how sure is that, and why.
//!
//! The crate is a pure-Rust core that knows nothing of the browser, the
//! terminal or the network. The front ends are crates of their own that
//! only translate: `crates/lineage-cli` (the `lineage` command),
//! `crates/lineage-wasm` (the only importer of wasm-bindgen) and `python/`.
//! See `ARCHITECTURE.md` for the code map and `docs/METHOD.md` for the
//! statistics.

pub mod profile;
pub mod text;

pub mod analysis;
pub mod checks;
pub mod collect;
pub mod corpus;
pub(crate) mod detmath;
pub mod error;
pub mod eval;
pub mod family;
pub mod features;
pub mod import;
pub mod options;
pub mod panel;
pub mod parameters;
pub mod passages;
pub mod record;
pub mod report;
pub mod signals;
pub mod sort;
pub mod stats;
pub mod workspace;

pub use error::{Error, ErrorKind};

/// Version of the crate, reported in every report and exported to JS.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
