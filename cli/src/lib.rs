//! strata: procurement supply-chain attestation for devices whose chip, OS,
//! AI model, vehicle software and cloud services may come from one vendor.
//!
//! This crate is the library core; the `strata` binary (in `src/bin/strata`)
//! is a thin clap layer over it. Nothing in the library knows about clap or
//! prints to the terminal: commands return values and [`diag::Diagnostic`]s,
//! and the binary renders them.
//!
//! The modules form layers ([`LAYERS`]): a module uses modules of its own
//! layer or of the layers below it, never one above it, and no two modules
//! use each other, even through others. A test (`tests/layers.rs`) reads
//! every import of the library and fails on an upward one or a circle.

pub mod analyze;
pub mod assemble;
pub mod attest;
pub mod canon;
pub mod cdxa;
pub mod check;
pub mod clock;
pub mod decision;
pub mod diag;
pub mod digest;
pub mod escape;
pub mod evidence;
pub mod fleet;
pub mod fmt;
pub mod fsutil;
pub mod gate;
pub mod hashing;
pub mod history;
pub mod init;
pub mod inventory;
pub mod layout;
pub mod memo;
pub mod model;
pub mod modelsign;
pub mod names;
pub mod outputs;
pub mod policy;
pub mod regulation;
pub mod report;
pub mod review;
pub mod sigstore;
pub mod table;
pub mod validate;
pub mod yaml;

/// The library's layers, from the foundation up: each layer's name and its
/// top-level modules. A module may use modules of its own layer (without a
/// circle) and of the layers before it, never of a layer after it.
pub const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundation",
        &[
            "escape", "diag", "names", "table", "clock", "check", "yaml", "fsutil", "digest",
            "layout",
        ],
    ),
    (
        "formats",
        &["model", "hashing", "cdxa", "validate", "sigstore"],
    ),
    (
        "readers",
        &[
            "canon",
            "fmt",
            "fleet",
            "policy",
            "evidence",
            "modelsign",
            "init",
        ],
    ),
    ("analysis", &["analyze", "assemble", "history", "inventory"]),
    ("reviews", &["review"]),
    ("gate", &["gate"]),
    ("declarations", &["attest"]),
    ("decision", &["regulation", "decision"]),
    ("documents", &["report", "memo", "outputs"]),
];
