//! The rules of the meetings, in plain Rust: no terminal, no SQL.

pub mod action;
pub mod amend;
pub mod announce;
pub mod ballot;
pub mod ballots;
pub mod describe;
pub mod hygiene;
pub mod projects;
pub mod questions;
pub mod quorum;
pub mod resolution;
pub mod sample;
pub mod satisfaction;
pub mod session;
pub mod state;
mod state_questions;
pub mod stations;
pub mod time;
pub mod words;
