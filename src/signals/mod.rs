//! The signals: each compares sources and gives per-candidate scores,
//! an uncertainty and readable evidence.

pub mod classifier;
pub mod identity;
pub mod overlap;
