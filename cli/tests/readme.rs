//! Every command the README shows in a ```sh block, run against a temporary
//! copy of the repository's examples, so README and reality cannot drift.
//!
//! `cargo run [--locked] [-q] --` and `strata` run the binary under test
//! (through `bash`, so pipes, globs, redirections and `~` work as a reader's
//! shell does them, with HOME inside the copy). Commands that are the build
//! or CI themselves, or need a tool this test does not have, are listed in
//! `NOT_RUN` with the reason; an entry that no longer matches a README
//! command fails the test, and so does any command that exits non-zero.

use std::path::Path;
use std::process::Command;

use crate::common::{copy_dir, repo};

/// Commands (by prefix, after the `cargo run` rewrite) that are not run
/// here, and why.
const NOT_RUN: &[(&str, &str)] = &[
    ("cargo test", "is the test run this test belongs to"),
    ("cargo fmt", ".ci/run checks formatting"),
    ("cargo clippy", ".ci/run runs clippy"),
    (
        "cargo install",
        "builds strata again; this test runs the built binary",
    ),
    (".ci/run", "is CI itself"),
    (
        "python3 examples/generate-evidence.py",
        ".ci/run checks that the example evidence is reproducible",
    ),
    (
        "model_signing verify",
        "needs model_signing; cli/tests/model_interop.rs runs it under CI",
    ),
    (
        "man strata-gate",
        "needs man(1); the pages are checked by `strata man`'s tests",
    ),
];

/// The ```sh blocks' commands, continuation lines joined.
fn readme_commands(readme: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in readme.lines() {
        let fence = line.trim_start();
        if fence.starts_with("```") {
            in_sh = !in_sh && fence.trim_start_matches('`') == "sh";
            continue;
        }
        if !in_sh || line.trim().is_empty() {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(head) => pending.push_str(head),
            None => {
                pending.push_str(line);
                commands.push(std::mem::take(&mut pending).trim().to_string());
            }
        }
    }
    commands
}

/// `cargo run [--locked] [-q] -- ARGS` → `strata ARGS`.
fn as_strata(command: &str) -> String {
    let re = regex::Regex::new(r"^cargo run( --locked)?( -q)? -- ").unwrap();
    re.replace(command, "strata ").into_owned()
}

/// A copy of the repository's examples and attestations in a fresh git
/// work tree, with HOME inside it.
fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    copy_dir(&repo().join("examples"), &d.join("examples"));
    copy_dir(&repo().join("attestations"), &d.join("attestations"));
    std::fs::create_dir_all(d.join("home")).unwrap();
    std::fs::create_dir_all(d.join("target")).unwrap();
    let git = git2::Repository::init(d).unwrap();
    let mut cfg = git.config().unwrap();
    cfg.set_str("user.name", "Ana Lima").unwrap();
    cfg.set_str("user.email", "ana@example.org").unwrap();
    tmp
}

fn run(dir: &Path, bin_dir: &Path, command: &str) -> std::process::Output {
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .args(["-euo", "pipefail", "-c", command])
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", dir.join("home"))
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .unwrap()
}

#[test]
fn every_readme_command_runs() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let commands: Vec<String> = readme_commands(&readme)
        .iter()
        .map(|c| as_strata(c))
        .collect();
    let bin = assert_cmd::cargo::cargo_bin("strata");
    let bin_dir = bin.parent().unwrap();
    let ws = workspace();
    let mut ran = 0;
    let mut skipped = vec![false; NOT_RUN.len()];
    for command in &commands {
        if let Some(i) = NOT_RUN.iter().position(|(p, _)| command.starts_with(p)) {
            skipped[i] = true;
            continue;
        }
        assert!(
            command.starts_with("strata ")
                || command.starts_with("find ")
                || command.starts_with("mkdir ")
                || command.starts_with("head ")
                || command.starts_with("cp ")
                || command.starts_with("printf ")
                || command.starts_with("git "),
            "README command neither run nor listed in NOT_RUN: {command}"
        );
        let out = run(ws.path(), bin_dir, command);
        assert!(
            out.status.success(),
            "README command failed ({}): {command}\n--- stdout\n{}\n--- stderr\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    for ((prefix, why), used) in NOT_RUN.iter().zip(&skipped) {
        assert!(
            used,
            "NOT_RUN entry `{prefix}` ({why}) matches no README command"
        );
    }
    assert!(ran >= 15, "only {ran} README commands ran");
    // What the commands wrote is there.
    let d = ws.path();
    for written in [
        "home/.local/share/bash-completion/completions/strata",
        "home/.local/share/man/man1/strata-gate.1",
        "target/attestations/pixel-9-pro/bom.cdx.json",
        "verified.json",
        "mimo.sig",
    ] {
        assert!(d.join(written).is_file(), "{written} missing");
    }
    let reviews = std::fs::read_to_string(d.join("attestations/xiaomi-su7/reviews.yaml")).unwrap();
    assert!(reviews.contains("ECU and TCU image digests match the OTA manifest"));
}

#[test]
fn commands_are_read_from_sh_blocks_only_with_continuations_joined() {
    let md = "```sh\na \\\n  b\nc # x\n```\n```yaml\nd: 1\n```\n```text\ne\n```\n";
    assert_eq!(readme_commands(md), ["a   b", "c # x"]);
    assert_eq!(as_strata("cargo run --locked -q -- fmt"), "strata fmt");
    assert_eq!(as_strata("cargo run -- x"), "strata x");
}
