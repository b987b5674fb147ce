//! Exports: the session rendered from the event log in formats offices open.

pub mod ballots;
pub mod json;
pub mod questions;
