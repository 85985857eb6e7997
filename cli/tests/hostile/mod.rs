//! Hostile input, one test file per class of attack (issue 12): every run
//! of the real binary is bounded, by a timeout on the child and, where the
//! platform has `prlimit`, a cap on its address space, so a regression
//! fails the test instead of hanging CI or exhausting the machine. Large
//! inputs are generated at run time, never committed.

mod aliases;
mod entries;
mod injection;
mod inventories;
mod links;
mod names;
mod not_regular;
mod numbers;
mod pipes;
mod review_lock;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The address space a run may use: far below what any of the attacks
/// reached (1.5 to 18 GB), well above what strata needs (virtual
/// reservations of thread stacks and allocator arenas included).
const ADDRESS_SPACE: u64 = 512 * 1024 * 1024;

/// The longest a run may take before it counts as a hang.
const TIMEOUT: Duration = Duration::from_secs(20);

/// What a bounded run printed and how it ended.
pub struct Run {
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Both streams, for assertions and failure messages.
    pub fn text(&self) -> String {
        format!(
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// Assert exit status 2 with an error of `code`, and no panic.
    pub fn refused(&self, code: &str) {
        assert_eq!(self.code, Some(2), "{}", self.text());
        assert!(
            self.stderr.contains(&format!("error[{code}]"))
                || self.stdout.contains(&format!("\"{code}\"")),
            "expected error[{code}]: {}",
            self.text()
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.text());
    }
}

/// Run `strata ARGS` in `dir`, bounded in time and (with `prlimit`) in
/// address space; standard input is empty.
pub fn run(dir: &Path, args: &[&str]) -> Run {
    let bin = Path::new(env!("CARGO_BIN_EXE_strata"));
    let capped = Path::new("/usr/bin/prlimit").is_file();
    let mut cmd = if capped {
        let mut c = Command::new("/usr/bin/prlimit");
        c.arg(format!("--as={ADDRESS_SPACE}")).arg("--").arg(bin);
        c
    } else {
        Command::new(bin)
    };
    let mut child = cmd
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain both pipes on threads so a chatty child cannot block.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`strata {}` did not finish in {TIMEOUT:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&t_out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&t_err.join().unwrap()).into_owned(),
    }
}

/// `strata assemble stacks/STACK.yaml --fleet . -o out.json` in `fleet`.
pub fn assemble(fleet: &Path, stack: &str) -> Run {
    let stack = format!("stacks/{stack}.yaml");
    run(
        fleet,
        &["assemble", &stack, "--fleet", ".", "-o", "out.json"],
    )
}

/// Insert `entries` (YAML list items at six spaces) at the start of the
/// first `evidence:` list of the stack.
pub fn add_evidence(fleet: &Path, stack: &str, entries: &str) {
    let p = fleet.join(format!("stacks/{stack}.yaml"));
    let text = std::fs::read_to_string(&p).unwrap();
    let with = text.replacen("    evidence:\n", &format!("    evidence:\n{entries}"), 1);
    std::fs::write(&p, with).unwrap();
}

/// Make a FIFO at `path` (the `mkfifo` tool: creating one needs no unsafe
/// code that way).
pub fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mkfifo {} failed", path.display());
}
