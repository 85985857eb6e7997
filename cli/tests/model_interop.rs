//! Interoperability with the reference implementation, OpenSSF
//! model-signing 1.1.1 (`model_signing` on PyPI), in both directions: its
//! key and certificate bundles (files and shards) verify with strata, and
//! strata's verify with it. Negatives on its bundles fail for the right
//! reason in strata.
//!
//! The tool is found through `STRATA_MODEL_SIGNING` (the path of the
//! `model_signing` executable in a virtual environment; `.ci/run` installs
//! it), else at `target/model-signing-venv/bin/model_signing`. The build
//! script sets `cfg(strata_interop)` when `STRATA_MODEL_SIGNING` is set or
//! `CI=true`; without it these tests are `#[ignore]`d with the reason, so
//! `cargo test` lists them as ignored (run them anyway with
//! `cargo test -- --ignored model_interop`). With it they run, and a
//! missing tool fails them: under `CI=true` they never skip.

#![allow(clippy::print_stderr)] // the reference tool's output on failure

use crate::common;
use crate::sigstore_pki;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::strata;
use rcgen::{KeyPair, PKCS_ECDSA_P256_SHA256, PKCS_ECDSA_P384_SHA384};
use serde_json::Value;
use sigstore_pki::{Ca, LeafSpec};

/// The `model_signing` executable; a test that needs it fails without it.
fn tool() -> PathBuf {
    let candidates = [
        std::env::var_os("STRATA_MODEL_SIGNING")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
        Some(common::repo().join("target/model-signing-venv/bin/model_signing")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "model_signing 1.1.1 not found: set STRATA_MODEL_SIGNING to its executable \
                 (`.ci/run` installs it into target/model-signing-venv)"
            )
        })
}

fn python(tool: &Path) -> PathBuf {
    tool.with_file_name("python")
}

fn model(dir: &Path) -> PathBuf {
    let m = dir.join("model");
    fs::create_dir_all(m.join("tokenizer")).unwrap();
    fs::write(m.join("tokenizer/vocab.txt"), "a\nb\n").unwrap();
    fs::write(m.join("tokenizer.json"), "{}\n").unwrap();
    fs::write(m.join("empty.txt"), "").unwrap();
    let weights: Vec<u8> = (0..10_000u32).map(|i| (i * 31 % 253) as u8).collect();
    fs::write(m.join("weights.safetensors"), weights).unwrap();
    m
}

fn key(dir: &Path, name: &str, p384: bool) -> (String, String) {
    let k = KeyPair::generate_for(if p384 {
        &PKCS_ECDSA_P384_SHA384
    } else {
        &PKCS_ECDSA_P256_SHA256
    })
    .unwrap();
    let (a, b) = (
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}.pub")),
    );
    fs::write(&a, k.serialize_pem()).unwrap();
    fs::write(&b, k.public_key_pem()).unwrap();
    (a.display().to_string(), b.display().to_string())
}

/// Run model_signing; true on success.
fn ms(tool: &Path, dir: &Path, args: &[&str]) -> bool {
    let out = Command::new(tool)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    if !out.status.success() {
        eprintln!(
            "model_signing {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out.status.success()
}

/// Run a Python snippet with the tool's interpreter; true on success.
fn py(tool: &Path, dir: &Path, code: &str) -> bool {
    let out = Command::new(python(tool))
        .current_dir(dir)
        .args(["-c", code])
        .output()
        .unwrap();
    if !out.status.success() {
        eprintln!("python: {}", String::from_utf8_lossy(&out.stderr));
    }
    out.status.success()
}

/// `strata model verify --format json`: exit code and report.
fn verify(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = strata(dir)
        .args(["model", "verify"])
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let v = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{e}: {text}{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v)
}

fn failed(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

fn sign_strata(dir: &Path, args: &[&str]) {
    let out = strata(dir)
        .args(["model", "sign"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[cfg_attr(
    not(strata_interop),
    ignore = "needs model_signing 1.1.1: STRATA_MODEL_SIGNING=PATH cargo test (README: Model signing)"
)]
fn key_bundles_travel_both_ways_and_negatives_fail_for_the_right_reason() {
    let tool = tool();
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let m = model(d);
    for p384 in [false, true] {
        let (k, p) = key(d, "k", p384);
        // model_signing -> strata
        assert!(ms(
            &tool,
            d,
            &[
                "sign",
                "key",
                "model",
                "--private_key",
                &k,
                "--signature",
                "up.sig"
            ]
        ));
        let (code, r) = verify(d, &["model", "--signature", "up.sig", "--key", &p]);
        assert_eq!(code, 0, "P-384={p384}: {r}");
        // strata -> model_signing
        sign_strata(d, &["model", "--key", &k, "--signature", "st.sig"]);
        assert!(ms(
            &tool,
            d,
            &[
                "verify",
                "key",
                "model",
                "--signature",
                "st.sig",
                "--public_key",
                &p
            ]
        ));
    }
    // A single-file model (its one resource is named `.`), both ways.
    let (k1, p1) = key(d, "k1", false);
    assert!(ms(
        &tool,
        d,
        &[
            "sign",
            "key",
            "model/weights.safetensors",
            "--private_key",
            &k1,
            "--signature",
            "one.sig"
        ]
    ));
    assert_eq!(
        verify(
            d,
            &[
                "model/weights.safetensors",
                "--signature",
                "one.sig",
                "--key",
                &p1
            ]
        )
        .0,
        0
    );
    sign_strata(
        d,
        &[
            "model/weights.safetensors",
            "--key",
            &k1,
            "--signature",
            "one.sig",
        ],
    );
    assert!(ms(
        &tool,
        d,
        &[
            "verify",
            "key",
            "model/weights.safetensors",
            "--signature",
            "one.sig",
            "--public_key",
            &p1
        ]
    ));
    // A signature inside the model directory, both ways.
    let (k, p) = key(d, "k", false);
    assert!(ms(
        &tool,
        d,
        &[
            "sign",
            "key",
            "model",
            "--private_key",
            &k,
            "--signature",
            "model/model.sig"
        ]
    ));
    assert_eq!(
        verify(d, &["model", "--signature", "model/model.sig", "--key", &p]).0,
        0
    );
    sign_strata(d, &["model", "--key", &k, "--signature", "model/model.sig"]);
    assert!(ms(
        &tool,
        d,
        &[
            "verify",
            "key",
            "model",
            "--signature",
            "model/model.sig",
            "--public_key",
            &p
        ]
    ));
    fs::remove_file(m.join("model.sig")).unwrap();

    assert!(ms(
        &tool,
        d,
        &[
            "sign",
            "key",
            "model",
            "--private_key",
            &k,
            "--signature",
            "up.sig"
        ]
    ));
    sign_strata(d, &["model", "--key", &k, "--signature", "st.sig"]);
    let w = m.join("weights.safetensors");
    let orig = fs::read(&w).unwrap();
    let mut bad = orig.clone();
    bad[1] ^= 0x80;
    fs::write(&w, &bad).unwrap();
    let (code, r) = verify(d, &["model", "--signature", "up.sig", "--key", &p]);
    assert_eq!((code, failed(&r)), (1, vec!["model-files".to_string()]));
    assert_eq!(r["difference"]["changed"][0]["name"], "weights.safetensors");
    assert!(!ms(
        &tool,
        d,
        &[
            "verify",
            "key",
            "model",
            "--signature",
            "st.sig",
            "--public_key",
            &p
        ]
    ));
    fs::write(&w, &orig).unwrap();

    fs::write(m.join("extra.bin"), "x").unwrap();
    let (code, r) = verify(d, &["model", "--signature", "up.sig", "--key", &p]);
    assert_eq!(code, 1);
    assert_eq!(r["difference"]["extra"], serde_json::json!(["extra.bin"]));
    assert!(!ms(
        &tool,
        d,
        &[
            "verify",
            "key",
            "model",
            "--signature",
            "st.sig",
            "--public_key",
            &p
        ]
    ));
    fs::remove_file(m.join("extra.bin")).unwrap();

    fs::remove_file(m.join("tokenizer.json")).unwrap();
    let (code, r) = verify(d, &["model", "--signature", "up.sig", "--key", &p]);
    assert_eq!(code, 1);
    assert_eq!(
        r["difference"]["missing"],
        serde_json::json!(["tokenizer.json"])
    );
    assert!(!ms(
        &tool,
        d,
        &[
            "verify",
            "key",
            "model",
            "--signature",
            "st.sig",
            "--public_key",
            &p
        ]
    ));
    fs::write(m.join("tokenizer.json"), "{}\n").unwrap();

    let (_, other) = key(d, "other", false);
    let (code, r) = verify(d, &["model", "--signature", "up.sig", "--key", &other]);
    assert_eq!((code, failed(&r)), (1, vec!["signer".to_string()]));
    assert!(!ms(
        &tool,
        d,
        &[
            "verify",
            "key",
            "model",
            "--signature",
            "st.sig",
            "--public_key",
            &other
        ]
    ));
    assert_eq!(
        verify(d, &["model", "--signature", "up.sig", "--key", &p]).0,
        0
    );
}

#[test]
#[cfg_attr(
    not(strata_interop),
    ignore = "needs model_signing 1.1.1: STRATA_MODEL_SIGNING=PATH cargo test (README: Model signing)"
)]
fn certificate_bundles_travel_both_ways_and_a_rogue_ca_fails() {
    let tool = tool();
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    model(d);
    let root = Ca::root("Org Root");
    let inter = Ca::intermediate("Org Intermediate", &root);
    let now = jiff::Timestamp::now();
    let leaf = inter.issue(
        &LeafSpec {
            san: rcgen::SanType::Rfc822Name("release@example.com".try_into().unwrap()),
            issuer: None,
            not_before: now - jiff::SignedDuration::from_hours(1),
            not_after: now + jiff::SignedDuration::from_hours(24),
            code_signing: true,
            sct: false,
        },
        None,
    );
    for (name, text) in [
        ("root.crt", root.pem()),
        ("inter.crt", inter.pem()),
        ("leaf.crt", leaf.pem()),
        ("leaf.pem", leaf.key_pem()),
        ("rogue.crt", Ca::root("Org Root").pem()),
    ] {
        fs::write(d.join(name), text).unwrap();
    }
    assert!(ms(
        &tool,
        d,
        &[
            "sign",
            "certificate",
            "model",
            "--private_key",
            "leaf.pem",
            "--signing_certificate",
            "leaf.crt",
            "--certificate_chain",
            "inter.crt",
            "--signature",
            "up.sig",
        ]
    ));
    let (code, r) = verify(d, &["model", "--signature", "up.sig", "--ca", "root.crt"]);
    assert_eq!(code, 0, "{r}");
    let (code, r) = verify(d, &["model", "--signature", "up.sig", "--ca", "rogue.crt"]);
    assert_eq!((code, failed(&r)), (1, vec!["signer".to_string()]));

    sign_strata(
        d,
        &[
            "model",
            "--key",
            "leaf.pem",
            "--cert",
            "leaf.crt",
            "--chain",
            "inter.crt",
            "--signature",
            "st.sig",
        ],
    );
    assert!(ms(
        &tool,
        d,
        &[
            "verify",
            "certificate",
            "model",
            "--signature",
            "st.sig",
            "--certificate_chain",
            "root.crt"
        ]
    ));
    assert!(!ms(
        &tool,
        d,
        &[
            "verify",
            "certificate",
            "model",
            "--signature",
            "st.sig",
            "--certificate_chain",
            "rogue.crt"
        ]
    ));
}

#[test]
#[cfg_attr(
    not(strata_interop),
    ignore = "needs model_signing 1.1.1: STRATA_MODEL_SIGNING=PATH cargo test (README: Model signing)"
)]
fn shard_bundles_travel_both_ways() {
    let tool = tool();
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let m = model(d);
    let (k, p) = key(d, "k", false);
    // model_signing's command line has no shard option: use its API.
    let sign = format!(
        "from model_signing import hashing, signing\n\
         signing.Config().use_elliptic_key_signer(private_key={k:?}).set_hashing_config(\n\
         hashing.Config().use_shard_serialization(shard_size=4096).set_ignored_paths(paths=['up.sig'])\n\
         ).sign('model', 'up.sig')"
    );
    assert!(py(&tool, d, &sign));
    let (code, r) = verify(d, &["model", "--signature", "up.sig", "--key", &p]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(
        r["signed_resources"], 5,
        "10,000 bytes in 4096-byte shards and two small files: {r}"
    );

    sign_strata(
        d,
        &[
            "model",
            "--key",
            &k,
            "--signature",
            "st.sig",
            "--shard-size",
            "4096",
        ],
    );
    // model_signing 1.1.1 cannot rebuild a shard configuration from a
    // signature whose shard_size it wrote as a float; strata writes an
    // integer, so both the guessed and an explicit configuration work.
    let check = |explicit: bool| {
        let cfg = if explicit {
            ".set_hashing_config(hashing.Config().use_shard_serialization(shard_size=4096))"
        } else {
            ""
        };
        format!(
            "from model_signing import hashing, verifying\n\
             verifying.Config().use_elliptic_key_verifier(public_key={p:?}){cfg}.verify('model', 'st.sig')"
        )
    };
    assert!(py(&tool, d, &check(false)));
    assert!(py(&tool, d, &check(true)));
    let mut w = fs::read(m.join("weights.safetensors")).unwrap();
    w[9_999] ^= 1;
    fs::write(m.join("weights.safetensors"), w).unwrap();
    assert!(!py(&tool, d, &check(true)));
    let (code, r) = verify(d, &["model", "--signature", "up.sig", "--key", &p]);
    assert_eq!(code, 1);
    assert_eq!(
        r["difference"]["changed"][0]["name"],
        "weights.safetensors:8192:10000"
    );
}
