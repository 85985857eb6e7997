//! Vendor SBOMs on arbitrary bytes: format detection, CycloneDX JSON and
//! XML (libxml2 with the embedded XSDs), SPDX JSON, strict and lax: no
//! panic, every outcome a report or an error.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use strata::validate::{Options, validate_bytes};

fuzz_target!(|data: &[u8]| {
    for strict in [false, true] {
        let opts = Options {
            strict,
            ..Options::default()
        };
        let _ = validate_bytes(Path::new("fuzz"), data, &opts);
    }
});
