//! The Android KeyDescription decoder and the whole chain path (PEM/DER
//! splitting, x509-cert, strict DER) on arbitrary bytes: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata::evidence::android;

fuzz_target!(|data: &[u8]| {
    let _ = android::keydesc::parse(data, 0);
    let _ = android::inspect(data, &android::Options::default());
});
