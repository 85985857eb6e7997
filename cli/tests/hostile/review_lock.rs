//! The reviews lock is an operating-system advisory lock: a writer killed
//! with `kill -9` (a cancelled CI job) releases it with its death, so the
//! next approval neither waits nor fails, and concurrent writers, some of
//! them killed mid-way, leave a valid reviews file holding every entry
//! whose writer finished.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::repo_like;

const DEMO_KEY: &str = "fleet/keys/demo-signing-key.pub";
const LOCK: &str = "attestations/mixed-phone/.reviews.yaml.lock";

/// Start `strata review approve mixed-phone` as reviewer `i`.
fn approve(dir: &Path, i: usize) -> Child {
    Command::new(env!("CARGO_BIN_EXE_strata"))
        .current_dir(dir)
        .args(["review", "approve", "mixed-phone", "--fleet", "fleet"])
        .args(["-c", "procurement-approved", "--key", DEMO_KEY])
        .args(["--who", &format!("Reviewer {i} <r{i}@example.org>")])
        .args(["--now", &format!("2026-11-25T10:00:{i:02}Z")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait at most `limit` for `child`; its exit code and stderr.
fn finish(mut child: Child, limit: Duration) -> (Option<i32>, String) {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("strata review did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code(), err)
}

fn reviewers(dir: &Path) -> Vec<String> {
    strata::review::load_reviews(&dir.join("attestations/mixed-phone/reviews.yaml"))
        .unwrap()
        .unwrap()
        .value
        .reviews
        .into_iter()
        .map(|r| r.reviewer)
        .collect()
}

#[test]
fn a_lock_file_left_by_a_killed_writer_does_not_block() {
    let tmp = repo_like();
    let d = tmp.path();
    // What `kill -9` during an approval leaves: the lock file, unlocked.
    std::fs::write(d.join(LOCK), b"").unwrap();
    let start = Instant::now();
    let (code, err) = finish(approve(d, 1), Duration::from_secs(15));
    assert_eq!(code, Some(0), "{err}");
    assert!(start.elapsed() < Duration::from_secs(10), "{err}");
    assert!(reviewers(d).contains(&"Reviewer 1 <r1@example.org>".to_string()));
    assert!(!d.join(LOCK).exists());
}

#[test]
fn a_live_holder_is_waited_for_and_its_death_releases_the_lock() {
    let tmp = repo_like();
    let d = tmp.path();
    // Another process holds the lock (flock(1), without forking: the
    // process killed below is the holder itself).
    let mut holder = Command::new("flock")
        .current_dir(d)
        .args(["--no-fork", LOCK, "sleep", "60"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !d.join(LOCK).exists() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(200));
    let mut writer = approve(d, 2);
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        writer.try_wait().unwrap().is_none(),
        "the approval did not wait for the lock holder"
    );
    holder.kill().unwrap(); // SIGKILL
    holder.wait().unwrap();
    let (code, err) = finish(writer, Duration::from_secs(15));
    assert_eq!(code, Some(0), "{err}");
    assert!(reviewers(d).contains(&"Reviewer 2 <r2@example.org>".to_string()));
}

#[test]
fn writers_killed_mid_way_lose_no_other_entry() {
    let tmp = repo_like();
    let d = tmp.path();
    let before = reviewers(d).len();
    let children: Vec<Child> = (0..8).map(|i| approve(d, i)).collect();
    let mut survivors = Vec::new();
    for (i, mut c) in children.into_iter().enumerate() {
        if i % 2 == 1 {
            // Kill every other writer at a different moment of its run.
            std::thread::sleep(Duration::from_millis(15 * i as u64));
            let _ = c.kill();
            let _ = c.wait();
        } else {
            survivors.push((i, c));
        }
    }
    for (i, c) in survivors {
        let (code, err) = finish(c, Duration::from_secs(60));
        assert_eq!(code, Some(0), "writer {i}: {err}");
    }
    // The file is valid (load_reviews parses it) and holds every finished
    // writer's entry; killed ones are there or not, never half.
    let after = reviewers(d);
    assert!(after.len() >= before + 4, "{after:?}");
    for i in (0..8).step_by(2) {
        assert!(after.contains(&format!("Reviewer {i} <r{i}@example.org>")));
    }
    // And the next approval goes through at once.
    let start = Instant::now();
    let (code, err) = finish(approve(d, 20), Duration::from_secs(15));
    assert_eq!(code, Some(0), "{err}");
    assert!(start.elapsed() < Duration::from_secs(10), "{err}");
}
