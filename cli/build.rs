//! Build script: records the git commit and its date for `strata --version`
//! (no network; `git` is run only when the source is a git checkout of this
//! repository), and sets `cfg(strata_interop)` when the model-signing
//! interop tests must run (see `tests/model_interop.rs`).
//!
//! Outside a git checkout (a source tarball, `cargo package`), the commit
//! comes from `.cargo_vcs_info.json` when cargo wrote one, and the version
//! says it was not built from git otherwise.

#![allow(clippy::print_stdout)] // cargo reads the build script's stdout

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-check-cfg=cfg(strata_interop)");
    println!("cargo:rerun-if-env-changed=CI");
    println!("cargo:rerun-if-env-changed=STRATA_MODEL_SIGNING");
    if std::env::var("CI").as_deref() == Ok("true")
        || std::env::var_os("STRATA_MODEL_SIGNING").is_some_and(|v| !v.is_empty())
    {
        println!("cargo:rustc-cfg=strata_interop");
    }
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let info = from_git(&manifest)
        .or_else(|| from_vcs_info(&manifest))
        .unwrap_or_else(|| "not built from git".to_string());
    println!("cargo:rustc-env=STRATA_BUILD_INFO={info}");
}

/// `COMMIT DATE` of HEAD when `dir` lies in a git checkout whose top level
/// is this workspace (not some repository that happens to enclose a
/// tarball), with rerun triggers on HEAD and the branch it points to.
fn from_git(dir: &Path) -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .current_dir(dir)
            .args(args)
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let s = String::from_utf8(out.stdout).ok()?;
        Some(s.trim().to_string())
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    let workspace = dir.parent()?;
    if top.canonicalize().ok()? != workspace.canonicalize().ok()? {
        return None;
    }
    // Rebuild when HEAD moves: HEAD itself, the branch it names, packed refs.
    for p in ["HEAD", "packed-refs"] {
        if let Some(path) = git(&["rev-parse", "--git-path", p]) {
            rerun_if_exists(dir, &path);
        }
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"])
        && let Some(path) = git(&["rev-parse", "--git-path", &branch])
    {
        rerun_if_exists(dir, &path);
    }
    let line = git(&[
        "log",
        "-1",
        "--no-show-signature",
        "--format=%h %cd",
        "--date=format:%Y-%m-%d",
        "--abbrev=9",
    ])?;
    (!line.is_empty()).then_some(line)
}

/// A rerun trigger on `path` (relative to `dir`) when it exists: cargo
/// reruns the script on every build for a missing path.
fn rerun_if_exists(dir: &Path, path: &str) {
    let p = dir.join(path);
    if p.exists() {
        println!("cargo:rerun-if-changed={}", p.display());
    }
}

/// The commit cargo recorded when it packaged the crate.
fn from_vcs_info(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
    let key = "\"sha1\"";
    let rest = &text[text.find(key)? + key.len()..];
    let start = rest.find('"')? + 1;
    let sha: String = rest[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .take(9)
        .collect();
    (sha.len() == 9).then(|| format!("{sha}, from a source package"))
}
