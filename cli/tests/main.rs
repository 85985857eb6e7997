//! strata's integration tests, as one test binary: each module runs the real
//! `strata` binary on fixtures (one binary links aws-lc and libgit2 once,
//! where one crate per file linked them twenty-two times).

mod common;
mod keyless_mock;
mod sigstore_pki;

mod analyze;
mod assemble;
mod attest;
mod evidence_android;
mod evidence_assemble;
mod evidence_avb_uptane;
mod evidence_npm;
mod evidence_robustness;
mod evidence_samples;
mod evidence_slsa;
mod evidence_tcg_spdm;
mod evidence_tcg_v3;
mod evidence_uptane_keys;
mod explain;
mod flags;
mod gate;
mod gate_inventory;
mod hash;
mod history;
mod history_declarations;
mod hostile;
mod init;
mod invalid_dates;
mod inventory;
mod inventory_diff;
mod layers;
mod memo;
mod memo_layout;
mod memo_measures;
mod memo_procurement;
mod model;
mod model_interop;
mod observed_counts;
mod optional_fields;
mod outputs;
mod policy;
mod readme;
mod report;
mod review_migrate;
mod reviews;
mod seen_not_approved;
mod sign_keyless;
mod sigstore;
mod validate;
mod validate_formats;
mod verify_batch;
