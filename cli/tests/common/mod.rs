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

/// Midnight UTC of a `YYYY-MM-DD` date.
pub fn midnight(date: &str) -> strata::clock::Time {
    strata::clock::Date::parse(date).unwrap().midnight_utc()
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

/// A throwaway git repository driven through git2, with fixed identities and
/// times so commit ids are reproducible.
pub struct Repo {
    /// The repository.
    pub git: git2::Repository,
    /// Its working directory.
    pub dir: PathBuf,
    /// Author time of the last commit (seconds since the epoch).
    pub clock: i64,
}

impl Repo {
    /// `git init` in `dir`.
    pub fn init(dir: &Path) -> Repo {
        let git = git2::Repository::init(dir).unwrap();
        {
            let mut cfg = git.config().unwrap();
            cfg.set_str("user.name", "Ana Lima").unwrap();
            cfg.set_str("user.email", "ana@example.org").unwrap();
        }
        Repo {
            git,
            dir: dir.to_path_buf(),
            // 2026-11-01T10:00:00Z
            clock: 1_793_527_200,
        }
    }

    /// Stage everything (additions, changes, deletions) and commit as
    /// `author`, one hour after the previous commit. Returns the commit id.
    pub fn commit_as(&mut self, author: &str, email: &str, msg: &str) -> git2::Oid {
        self.clock += 3600;
        let mut index = self.git.index().unwrap();
        index
            .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.update_all(["*"].iter(), None).unwrap();
        index.write().unwrap();
        let tree = self.git.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::new(author, email, &git2::Time::new(self.clock, 0)).unwrap();
        let parents: Vec<git2::Commit> = self
            .git
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        self.git
            .commit(Some("HEAD"), &sig, &sig, msg, &tree, &refs)
            .unwrap()
    }

    /// Commit as Ana Lima.
    pub fn commit(&mut self, msg: &str) -> git2::Oid {
        self.commit_as("Ana Lima", "ana@example.org", msg)
    }

    /// The 7-digit short id git prints for `oid`.
    pub fn short(&self, oid: git2::Oid) -> String {
        self.git
            .find_object(oid, None)
            .unwrap()
            .short_id()
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// Replace each `(needle, name)` in `text` (longest needles first).
pub fn redact(text: &str, pairs: &[(String, String)]) -> String {
    let mut pairs = pairs.to_vec();
    pairs.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    let mut out = text.to_string();
    for (n, name) in pairs {
        out = out.replace(&n, &name);
    }
    out
}

/// A DER element with the identifier octet `tag` and `content` (definite
/// length, up to 64 KiB), for tests that build certificates.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let n = content.len();
    let mut v = vec![tag];
    if n < 0x80 {
        v.push(n as u8);
    } else if n < 0x100 {
        v.extend([0x81, n as u8]);
    } else {
        v.extend([0x82, (n >> 8) as u8, n as u8]);
    }
    v.extend(content);
    v
}
