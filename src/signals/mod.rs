//! The signals: each compares sources and gives per-candidate scores,
//! an uncertainty and readable evidence.
//!
//! `features` extracts what every stylometric signal needs from one text;
//! `habits` is the weighted log-odds comparison; `classifier`, `identity`
//! and `overlap` are the learned classifier, the self-identification
//! lexicon and the verbatim-overlap machinery. The analysis module
//! (`crate::analysis`) turns them into per-candidate scores.

pub mod classifier;
pub mod features;
pub mod habits;
pub mod identity;
pub mod overlap;
pub mod paired;
