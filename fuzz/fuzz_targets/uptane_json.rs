//! Uptane metadata on arbitrary bytes, verified against the director root
//! of the reference implementation (so signature paths run): no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata::evidence::uptane;

const ROOT: &[u8] =
    include_bytes!("../../cli/tests/fixtures/hw/uptane/reference-impl/director/root.json");

fuzz_target!(|data: &[u8]| {
    let _ = uptane::inspect(data, &uptane::Options::default());
    let _ = uptane::inspect(
        data,
        &uptane::Options {
            root: Some((ROOT.to_vec(), "root".into())),
            keys: Some(data.to_vec()),
            ..Default::default()
        },
    );
});
