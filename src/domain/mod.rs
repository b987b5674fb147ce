//! The rules of the meetings, in plain Rust: no terminal, no SQL.

pub mod action;
pub mod quorum;
pub mod sample;
pub mod session;
pub mod state;
