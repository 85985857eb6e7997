//! Fuzz bundle parsing and verification: any bytes, read as a bundle and
//! verified against a fixed key and digest, must give an input error or a
//! report, never a panic, and never a verified report.
//!
//! Run (from this directory): `cargo +nightly fuzz run -s none bundle
//! corpus/bundle`. The corpus is seeded with the real bundles of
//! `cli/tests/fixtures/sigstore` and `attestations/` (see CAMPAIGNS.md).

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use strata::sigstore::artifact::ArtifactInput;
use strata::sigstore::input;
use strata::sigstore::trust::{self, PublicKey, RootChoice};
use strata::sigstore::verify::{self, Options, TrustMode};

const DEMO_PUB: &str = include_str!("../../examples/keys/demo-signing-key.pub");

fn options() -> &'static (Options, Options) {
    static OPTS: OnceLock<(Options, Options)> = OnceLock::new();
    OPTS.get_or_init(|| {
        let dir = std::env::temp_dir().join("strata-fuzz");
        std::fs::create_dir_all(&dir).unwrap();
        let key_path = dir.join("demo.pub");
        std::fs::write(&key_path, DEMO_PUB).unwrap();
        let key: PublicKey = trust::load_public_key(&key_path).unwrap();
        let root = trust::load_root(&RootChoice::PublicGood).unwrap();
        let now = jiff::Timestamp::now();
        let keyed = Options {
            trust: TrustMode::Key(key),
            root: root.clone(),
            identity: None,
            issuer: None,
            require_tlog: false,
            now,
        };
        let keyless = Options {
            trust: TrustMode::Sigstore,
            root,
            identity: Some(verify::IdentityRule::Exact("a@example.com".into())),
            issuer: Some("https://example.com".into()),
            require_tlog: true,
            now,
        };
        (keyed, keyless)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = input::parse_bundle(Path::new("fuzz.json"), text) else {
        return;
    };
    let artifact = ArtifactInput::Sha256([0x42; 32]);
    let (keyed, keyless) = options();
    for opts in [keyed, keyless] {
        if let Ok(report) = verify::verify(&file, &artifact, opts) {
            assert!(!report.verified, "a fuzzed bundle verified");
        }
    }
});
