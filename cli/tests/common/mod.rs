//! Helpers shared by the integration tests: run the real binary, render its
//! result (exit code, stdout, stderr) as one snapshot-friendly text.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The example fleet's device ids, sorted.
pub const EXAMPLE_DEVICES: [&str; 5] = [
    "laptop",
    "mixed-phone",
    "pixel-9-pro",
    "xiaomi-15s-pro-cn",
    "xiaomi-su7",
];

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A `strata` command running in `dir`.
pub fn strata(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("strata").unwrap();
    c.current_dir(dir).env("NO_COLOR", "1").env_remove("CI");
    c
}

/// Exit code, stdout and stderr in one block, with `dir` replaced by `[DIR]`.
pub fn render(out: &Output, dir: &Path) -> String {
    let d = dir.display().to_string();
    let clean = |b: &[u8]| String::from_utf8_lossy(b).replace(&d, "[DIR]");
    format!(
        "exit_code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        out.status.code().unwrap_or(-1),
        clean(&out.stdout),
        clean(&out.stderr)
    )
}

/// Copy the example fleet (inputs only) into a fresh temporary directory.
pub fn example_fleet() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples"), tmp.path());
    tmp
}

/// Recursive copy.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The example fleet in `fleet/` with the committed `attestations/` beside
/// it, as in the repository (`approved-devices.yaml` points at
/// `../attestations`).
pub fn repo_like() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let fleet = tmp.path().join("fleet");
    std::fs::create_dir_all(&fleet).unwrap();
    copy_dir(&repo().join("examples"), &fleet);
    copy_dir(
        &repo().join("attestations"),
        &tmp.path().join("attestations"),
    );
    tmp
}
