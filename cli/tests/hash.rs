//! `strata hash` through the real binary.

use crate::common;

use common::{render, strata};
use sha2::{Digest, Sha256};

#[test]
fn ten_thousand_small_files_hash_correctly() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("tree");
    let mut expected: Vec<(String, [u8; 32])> = Vec::new();
    for i in 0..10_000u32 {
        let name = format!("d{:02}/f{i:05}.bin", i % 37);
        let body = format!("file {i} {}", "x".repeat((i % 97) as usize));
        let path = root.join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &body).unwrap();
        expected.push((name, Sha256::digest(body.as_bytes()).into()));
    }
    // Component order equals plain string order here: names share one shape.
    expected.sort();
    let mut concat = Vec::new();
    for (_, d) in &expected {
        concat.extend_from_slice(d);
    }
    let want = hex::encode(Sha256::digest(&concat));

    let out = strata(tmp.path())
        .args(["hash", "--format", "json", "--list", "tree"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", render(&out, tmp.path()));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &v["results"][0];
    assert_eq!(r["sha256"], want);
    assert_eq!(r["files"], 10_000);
    assert_eq!(r["resources"][0]["name"], expected[0].0);
    assert_eq!(
        r["resources"][9_999]["sha256"],
        hex::encode(expected[9_999].1)
    );
    assert!(v["backend"].as_str().is_some());
}

#[test]
fn text_output_is_sha256sum_like() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("abc"), "abc").unwrap();
    let out = strata(tmp.path()).args(["hash", "abc"]).output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  abc\n"
    );
}

#[test]
fn missing_path_exits_2_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = strata(tmp.path())
        .args(["hash", "nope.bin"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.bin"));
}

#[cfg(unix)]
#[test]
fn symlinks_are_refused_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("d")).unwrap();
    std::fs::write(tmp.path().join("target"), "t").unwrap();
    std::os::unix::fs::symlink(tmp.path().join("target"), tmp.path().join("d/link")).unwrap();
    let out = strata(tmp.path()).args(["hash", "d"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("symlink-refused"));
    let out = strata(tmp.path())
        .args(["hash", "--allow-symlinks", "d"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}
