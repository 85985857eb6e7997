//! Paths given on the command line may be anywhere, but a FIFO, a device or
//! a directory where a file belongs is refused before it is opened: never a
//! hang (a FIFO nobody writes to), never unbounded memory (`/dev/zero`
//! reports a size of 0). One bad entry of a batch fails that entry only.

use super::{mkfifo, run};
use crate::common::repo;

#[test]
fn fifos_and_devices_on_the_command_line_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fifo = d.join("pipe");
    mkfifo(&fifo);
    let fifo = fifo.to_str().unwrap();
    let key = repo().join("examples/keys/demo-signing-key.pub");
    let key = key.to_str().unwrap();
    let bundle = repo().join("attestations/pixel-9-pro/bom.sigstore.json");
    let bundle = bundle.to_str().unwrap();
    let bom = repo().join("attestations/pixel-9-pro/bom.cdx.json");
    let bom = bom.to_str().unwrap();

    let r = run(d, &["validate", "/dev/zero"]);
    r.refused("not-a-file");
    assert!(r.stderr.contains("character device"), "{}", r.text());
    let r = run(d, &["evidence", "inspect", fifo]);
    r.refused("not-a-file");
    assert!(r.stderr.contains("FIFO"), "{}", r.text());
    run(d, &["evidence", "inspect", "/dev/zero"]).refused("not-a-file");
    run(d, &["verify", bundle, bom, "--key", fifo]).refused("not-a-file");
    run(d, &["verify", bundle, fifo, "--key", key]).refused("not-a-file");
    run(d, &["verify", fifo, bom, "--key", key]).refused("not-a-file");
    run(d, &["hash", fifo]).refused("not-a-file");
    let r = run(d, &["fmt", "--check", fifo]);
    r.refused("not-a-file");
    assert!(!r.stderr.contains("no such file"), "{}", r.text());
    run(d, &["fmt", "--check", "/dev/null"]).refused("not-a-file");

    let fleet = repo().join("examples");
    let r = run(
        d,
        &[
            "memo",
            "dpia",
            "xiaomi-15s-pro-cn",
            "--fleet",
            fleet.to_str().unwrap(),
            "--now",
            "2026-11-26",
            "--answers",
            fifo,
        ],
    );
    r.refused("not-a-file");
}

#[test]
fn one_fifo_in_a_batch_fails_that_entry_not_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fifo = d.join("pipe.sigstore.json");
    mkfifo(&fifo);
    let art_fifo = d.join("artifact-pipe");
    mkfifo(&art_fifo);
    let key = repo().join("examples/keys/demo-signing-key.pub");
    let good = repo().join("attestations/pixel-9-pro/bom.sigstore.json");
    let good_bom = repo().join("attestations/pixel-9-pro/bom.cdx.json");
    let list = format!(
        "{}\n{} {}\n{} {}\n",
        fifo.display(),
        good.display(),
        art_fifo.display(),
        good.display(),
        good_bom.display()
    );
    std::fs::write(d.join("list.txt"), list).unwrap();
    let r = run(
        d,
        &[
            "verify",
            "--key",
            key.to_str().unwrap(),
            "--batch",
            "list.txt",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, Some(2), "{}", r.text());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let outcomes: Vec<&str> = v["bundles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["error", "error", "verified"], "{}", r.text());
    assert!(r.stdout.contains("FIFO"), "{}", r.text());
}
