//! Bare JSON Schema validation of one CycloneDX 1.6 file, for comparison
//! with `strata validate` in `benches/validate.sh`.
//!
//! It does only what any jsonschema-based validator must: read the file,
//! parse it with serde_json and run the compiled schema (strata's embedded
//! CycloneDX 1.6 validator, Draft 7, formats asserted). No semantic pass, no
//! positions, no report. Prints `valid` or the number of schema errors.
//!
//! Usage: cargo run --release --example bare_validate -- FILE

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use strata::validate::schema::{self, JsonSchema, SpecVersion};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bare_validate FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let doc: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let validator = match schema::validator(JsonSchema::Cyclonedx {
        version: SpecVersion::V1_6,
        strict: false,
    }) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if validator.is_valid(&doc) {
        println!("valid");
        ExitCode::SUCCESS
    } else {
        println!(
            "invalid: {} schema errors",
            validator.iter_errors(&doc).count()
        );
        ExitCode::from(1)
    }
}
