//! Lineage: which candidate model does a suspect model's writing resemble,
//! how sure is that, and why.
//!
//! The crate is a pure-Rust core that knows nothing of the browser; the
//! only module that speaks JavaScript is [`wasm`] (compiled for `wasm32`
//! alone). The native CLI in `src/bin/lineage.rs` reuses the same core.
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
pub mod passages;
pub mod record;
pub mod report;
pub mod signals;
pub mod sort;
pub mod stats;
pub mod workspace;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, ErrorKind};

/// Version of the crate, reported in every report and exported to JS.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
