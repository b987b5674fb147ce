//! huiwu (会务): the secretariat's console for a people's congress session.

// Error types carry both languages and the location; they are built only on refusal.
#![allow(clippy::result_large_err)]

pub mod audit;
pub mod batch;
pub mod domain;
pub mod engine;
pub mod export;
pub mod followups;
pub mod i18n;
pub mod import;
pub mod opening;
pub mod paper;
pub mod projects;
pub mod sessionfile;
pub mod station;
pub mod store;
pub mod summary;
pub mod tui;
pub mod untrusted;
