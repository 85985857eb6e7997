//! The hardware evidence fixtures are the published samples, byte for byte:
//! every file listed in `index.json` is present with its SHA-256, and every
//! sample directory keeps its licence.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hw")
}

#[test]
fn fixtures_match_the_index() {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir().join("index.json")).unwrap()).unwrap();
    let files = index["files"].as_array().unwrap();
    assert!(files.len() > 50);
    for f in files {
        let rel = f["file"].as_str().unwrap();
        let data = std::fs::read(dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(
            hex::encode(Sha256::digest(&data)),
            f["sha256"].as_str().unwrap(),
            "{rel}"
        );
        assert!(
            f["source_repo"].as_str().is_some_and(|s| !s.is_empty()),
            "{rel}"
        );
    }
}

#[test]
fn every_sample_directory_has_a_licence() {
    for d in [
        "android/keyattestation",
        "android/android-key-attestation",
        "avb",
        "uptane/reference-impl",
        "tcg/hirs",
        "tcg/spdm-libspdm",
        "slsa",
    ] {
        let has = std::fs::read_dir(dir().join(d))
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with("LICENSE"));
        assert!(has, "{d} has no LICENSE");
    }
}
