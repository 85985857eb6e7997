//! A reader that goes away (`strata ... | head`, `| true`) ends strata
//! quietly: no panic, no "Broken pipe" message, the status its work earned.
//! Output is closed before strata writes anything, for stdout (reports,
//! JSON errors) and for stderr (diagnostics).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::repo_like;

/// Run `strata ARGS` in `dir` with stdout (or stderr) a pipe whose reader
/// is already closed; the exit code and what the other stream said.
fn closed(dir: &Path, args: &[&str], close_stderr: bool) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_strata"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end at once: strata has not written yet.
    let kept: Box<dyn std::io::Read + Send> = if close_stderr {
        drop(child.stderr.take());
        Box::new(child.stdout.take().unwrap())
    } else {
        drop(child.stdout.take());
        Box::new(child.stderr.take().unwrap())
    };
    let reader = std::thread::spawn(move || {
        let mut kept = kept;
        let mut s = String::new();
        let _ = kept.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "strata hung");
        std::thread::sleep(Duration::from_millis(10));
    };
    let said = reader.join().unwrap();
    assert!(
        !said.contains("panicked") && !said.contains("Broken pipe"),
        "{said}"
    );
    (status.code(), said)
}

#[test]
fn a_closed_stdout_ends_strata_quietly() {
    let tmp = repo_like();
    let d = tmp.path();
    // A report, passing gate output, and an error in JSON (on stdout).
    let (code, said) = closed(
        d,
        &["gate", "fleet", "--now", "2026-11-26", "--format", "json"],
        false,
    );
    assert_eq!(code, Some(0), "{said}");
    let (code, said) = closed(d, &["report", "fleet", "--format", "md"], false);
    assert_eq!(code, Some(0), "{said}");
    let (code, said) = closed(d, &["gate", "no-such-fleet", "--format", "json"], false);
    assert_eq!(code, Some(2), "{said}");
    let (code, said) = closed(d, &["explain", "reviews-locked"], false);
    assert_eq!(code, Some(0), "{said}");
}

#[test]
fn a_closed_stderr_ends_strata_quietly() {
    let tmp = repo_like();
    let d = tmp.path();
    let (code, said) = closed(d, &["gate", "no-such-fleet"], true);
    assert_eq!(code, Some(2), "{said}");
    let (code, said) = closed(d, &["validate", "fleet/policy.yaml"], true);
    assert_eq!(code, Some(2), "{said}");
}
