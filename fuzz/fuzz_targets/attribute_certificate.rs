//! TCG platform (attribute) certificates, EK certificates (with the NV
//! header) and SPDM/DICE chains on arbitrary bytes: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata::evidence::{ek, spdm, tcg};

fuzz_target!(|data: &[u8]| {
    let _ = tcg::inspect(data, &tcg::Options::default());
    let _ = ek::inspect(data, &ek::Options::default());
    let _ = spdm::inspect(data, &spdm::Options::default());
});
