//! strata: procurement supply-chain attestation for devices whose chip, OS,
//! AI model, vehicle software and cloud services may come from one vendor.
//!
//! This crate is the library core; the `strata` binary (in `src/bin/strata`)
//! is a thin clap layer over it. Nothing in the library knows about clap or
//! prints to the terminal: commands return values and [`diag::Diagnostic`]s,
//! and the binary renders them.

pub mod analyze;
pub mod assemble;
pub mod canon;
pub mod check;
pub mod clock;
pub mod diag;
pub mod digest;
pub mod evidence;
pub mod fleet;
pub mod fmt;
pub mod fsutil;
pub mod gate;
pub mod hashing;
pub mod history;
pub mod init;
pub mod layout;
pub mod memo;
pub mod model;
pub mod modelsign;
pub mod names;
pub mod policy;
pub mod report;
pub mod review;
pub mod sigstore;
pub mod table;
pub mod validate;
pub mod yaml;
