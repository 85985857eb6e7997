//! SLSA provenance (bundles, DSSE envelopes, JSON lines) on arbitrary
//! bytes: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata::evidence::slsa;

fuzz_target!(|data: &[u8]| {
    let _ = slsa::inspect(
        data,
        &slsa::Options {
            artifact_sha256: Some("00".repeat(32)),
            ..slsa::Options::default()
        },
    );
});
