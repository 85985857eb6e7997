//! AVB vbmeta images on arbitrary bytes: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata::evidence::avb;

fuzz_target!(|data: &[u8]| {
    let _ = avb::inspect(data);
});
