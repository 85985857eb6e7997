//! The flags every command shares, through the real binary: the fleet given
//! positionally, with --fleet or by the working directory; `--format human`
//! wherever there is a form for people; cosign's names for the trust flags;
//! `evidence inspect`'s renamed flags; and every deprecated spelling still
//! working, with one note on stderr (`diff`/`log --attestations` are in
//! history.rs).

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common;

use common::{render, repo, repo_like, strata};

const NOW: &str = "2026-11-26";

fn run(dir: &Path, args: &[&str]) -> Output {
    let out = strata(dir).args(args).output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        render(&out, dir)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `old` does what `new` does, and says once on stderr that it is
/// deprecated: same exit status and stdout, and stderr is the note followed
/// by what `new` prints there.
fn same_with_note(dir: &Path, old: &[&str], new: &[&str], note: &str) {
    let (o, n) = (run(dir, old), run(dir, new));
    assert_eq!(o.status.code(), n.status.code(), "{}", render(&o, dir));
    assert_eq!(stdout(&o), stdout(&n), "{old:?} and {new:?}");
    let line = format!("warning: {note}\n");
    assert_eq!(
        stderr(&o),
        format!("{line}{}", stderr(&n)),
        "{old:?}: {}",
        render(&o, dir)
    );
    assert!(!stderr(&n).contains("deprecated"), "{}", render(&n, dir));
}

// ------------------------------------------------------------------ fleet

#[test]
fn the_fleet_is_positional_an_option_or_the_working_directory() {
    let tmp = repo_like();
    let d = tmp.path();
    for cmd in [
        &["analyze"][..],
        &["analyze", "--format", "json"],
        &["report", "--now", NOW],
        &["gate", "--now", NOW],
        &["gate", "--now", NOW, "--format", "json"],
    ] {
        let positional = run(d, &[cmd, &["fleet"]].concat());
        assert_eq!(positional.status.code(), Some(0), "{cmd:?}");
        let option = run(d, &[cmd, &["--fleet", "fleet"]].concat());
        assert_eq!(stdout(&option), stdout(&positional), "{cmd:?}");
        // Found from the working directory, or from below the fleet root;
        // the root is then spelled `.` or `./..`.
        for (cwd, spelt) in [("fleet", "."), ("fleet/stacks", "./..")] {
            let found = run(&d.join(cwd), cmd);
            assert_eq!(found.status.code(), Some(0), "{cmd:?} in {cwd}");
            let same = stdout(&positional)
                .replace("fleet root fleet\n", &format!("fleet root {spelt}\n"))
                .replace("\"root\": \"fleet\"", &format!("\"root\": \"{spelt}\""));
            assert!(
                stdout(&found) == same,
                "{cmd:?} in {cwd}: {}",
                render(&found, d)
            );
        }
        // Both at once is a usage error.
        let both = run(d, &[cmd, &["fleet", "--fleet", "fleet"]].concat());
        assert_eq!(both.status.code(), Some(2), "{cmd:?}");
    }
    // Commands whose positionals name something else take --fleet.
    let memo = |dir: &Path, extra: &[&str]| {
        run(
            dir,
            &[&["memo", "procurement", "laptop", "--now", NOW], extra].concat(),
        )
    };
    let by_option = memo(d, &["--fleet", "fleet"]);
    assert_eq!(
        by_option.status.code(),
        Some(0),
        "{}",
        render(&by_option, d)
    );
    assert_eq!(stdout(&memo(&d.join("fleet"), &[])), stdout(&by_option));
    // init creates the fleet it is given, either way.
    for args in [&["init", "one"][..], &["init", "--fleet", "two"]] {
        let out = run(d, args);
        assert_eq!(out.status.code(), Some(0), "{}", render(&out, d));
        let name = args[args.len() - 1];
        assert!(d.join(name).join("vendors.yaml").is_file(), "{args:?}");
    }
}

#[test]
fn without_a_fleet_the_error_names_the_flag_every_command_takes() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["analyze"][..],
        &["gate"],
        &["report"],
        &["memo", "procurement", "laptop"],
        &["review", "approve", "laptop", "-c", "security-reviewed"],
        &["log", "laptop", "--fleet", "."],
    ] {
        let out = run(tmp.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("error[no-fleet-root]"), "{args:?}: {err}");
        assert!(err.contains("pass --fleet DIR"), "{args:?}: {err}");
        assert!(!err.contains("--root"), "{args:?}: {err}");
    }
}

// ------------------------------------------------------------------ --format

#[test]
fn format_human_is_accepted_wherever_there_is_a_form_for_people() {
    let tmp = repo_like();
    let d = tmp.path();
    let mut git = common::Repo::init(d);
    git.commit("the example fleet");
    let key = "fleet/keys/demo-signing-key.pub";
    let model = "fleet/evidence/pixel-9-pro/gemini-nano";
    let signed = run(
        d,
        &[
            "model",
            "sign",
            model,
            "--key",
            "fleet/keys/demo-signing-key.pem",
            "--signature",
            "model.sig",
        ],
    );
    assert_eq!(signed.status.code(), Some(0), "{}", render(&signed, d));
    let hw = repo().join("cli/tests/fixtures/hw/avb/test_vbmeta_chain_partition.img");
    let hw = hw.to_str().unwrap();
    for args in [
        &["analyze", "fleet"][..],
        &["gate", "fleet", "--now", NOW],
        &["report", "fleet", "--now", NOW],
        &["hash", "fleet/vendors.yaml"],
        &["validate", "attestations/laptop/bom.cdx.json"],
        // (--now: verify prints the time it verified at)
        &[
            "verify",
            "attestations/laptop/bom.sigstore.json",
            "--key",
            key,
            "--now",
            NOW,
        ],
        &["evidence", "inspect", hw],
        &["model", "hash", model],
        &[
            "model",
            "verify",
            model,
            "--signature",
            "model.sig",
            "--key",
            key,
        ],
        &["diff", "HEAD", "WORKTREE"],
        &["log", "laptop"],
        &["explain", "no-fleet-root"],
        &[
            "review",
            "approve",
            "laptop",
            "--fleet",
            "fleet",
            "-c",
            "security-reviewed",
            "--who",
            "Ana <ana@example.org>",
            "--now",
            NOW,
            "--yes",
        ],
    ] {
        let default = run(d, args);
        let human = run(d, &[args, &["--format", "human"]].concat());
        assert_ne!(human.status.code(), Some(2), "{}", render(&human, d));
        assert_eq!(human.status.code(), default.status.code(), "{args:?}");
        if args[0] != "review" {
            // (a second approval of the same digest is recorded again)
            assert_eq!(stdout(&human), stdout(&default), "{args:?}");
        }
    }
}

#[test]
fn a_command_accepts_only_the_formats_it_can_write() {
    let tmp = repo_like();
    let d = tmp.path();
    for (args, listed) in [
        (
            &["gate", "fleet", "--format", "md"][..],
            "human, json, sarif, junit",
        ),
        (&["analyze", "fleet", "--format", "sarif"], "human, json"),
        (
            &["report", "fleet", "--format", "sarif"],
            "human, md, html, json",
        ),
        (&["memo", "dpia", "laptop", "--format", "human"], "md, html"),
        (
            &["assemble", "fleet/stacks/laptop.yaml", "--format", "human"],
            "json, xml",
        ),
    ] {
        let out = run(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("invalid value"), "{args:?}: {err}");
        assert!(
            err.contains(&format!("[possible values: {listed}]")),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn old_format_names_still_work_with_a_note() {
    let tmp = repo_like();
    let d = tmp.path();
    same_with_note(
        d,
        &["analyze", "fleet", "--format", "table"],
        &["analyze", "fleet", "--format", "human"],
        "--format table is deprecated; use --format human",
    );
    same_with_note(
        d,
        &["report", "fleet", "--now", NOW, "--format", "text"],
        &["report", "fleet", "--now", NOW],
        "--format text is deprecated; use --format human",
    );
    same_with_note(
        d,
        &["hash", "fleet/vendors.yaml", "--format", "text"],
        &["hash", "fleet/vendors.yaml"],
        "--format text is deprecated; use --format human",
    );
}

// ------------------------------------------------------------------ trust

fn sigstore_fixtures() -> PathBuf {
    repo().join("cli/tests/fixtures/sigstore")
}

const BCR_SIGNER: &str = "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@refs/tags/v0.0.1";
const GITHUB: &str = "https://token.actions.githubusercontent.com";

#[test]
fn cosign_names_are_aliases_of_the_trust_flags() {
    let d = sigstore_fixtures();
    let bundle = [
        "verify",
        "slsa/MODULE.bazel.intoto.jsonl",
        "slsa/MODULE.bazel",
    ];
    let json = ["--format", "json"];
    let check = |ours: &[&str], cosign: &[&str], code: i32| {
        let a = run(&d, &[&bundle[..], ours, &json].concat());
        let b = run(&d, &[&bundle[..], cosign, &json].concat());
        assert_eq!(a.status.code(), Some(code), "{}", render(&a, &d));
        assert_eq!(b.status.code(), Some(code), "{}", render(&b, &d));
        assert_eq!(stdout(&a), stdout(&b), "{cosign:?}");
        assert!(stderr(&b).is_empty(), "{}", render(&b, &d));
    };
    check(
        &["--identity", BCR_SIGNER, "--issuer", GITHUB],
        &[
            "--certificate-identity",
            BCR_SIGNER,
            "--certificate-oidc-issuer",
            GITHUB,
        ],
        0,
    );
    check(
        &[
            "--identity-regexp",
            "https://github.com/bazel-contrib/.*",
            "--issuer",
            GITHUB,
        ],
        &[
            "--certificate-identity-regexp",
            "https://github.com/bazel-contrib/.*",
            "--certificate-oidc-issuer",
            GITHUB,
        ],
        0,
    );
    check(
        &["--identity", "someone@example.com", "--issuer", GITHUB],
        &[
            "--certificate-identity",
            "someone@example.com",
            "--certificate-oidc-issuer",
            GITHUB,
        ],
        1,
    );
    // --ca-roots is --ca (here a CA file that does not exist).
    let a = run(
        &d,
        &[&bundle[..], &["--ca", "missing.pem", "--identity", "a@b"]].concat(),
    );
    let b = run(
        &d,
        &[
            &bundle[..],
            &["--ca-roots", "missing.pem", "--identity", "a@b"],
        ]
        .concat(),
    );
    assert_eq!(a.status.code(), Some(2));
    assert_eq!(render(&a, &d), render(&b, &d));
    // The same names on model verify and review approve.
    for args in [
        &["model", "verify", "m", "--certificate-identity", "a@b"][..],
        &[
            "review",
            "approve",
            "d",
            "-c",
            "x",
            "--certificate-identity",
            "a@b",
        ],
    ] {
        let out = run(&d, &[args, &["--certificate-oidc-issuer", GITHUB]].concat());
        assert!(
            !stderr(&out).contains("unexpected argument"),
            "{}",
            render(&out, &d)
        );
    }
}

// ------------------------------------------------------------------ evidence

fn hw() -> PathBuf {
    repo().join("cli/tests/fixtures/hw")
}

#[test]
fn evidence_inspect_names_the_issuing_ca_with_ca_and_the_oidc_issuer_with_issuer() {
    let d = hw();
    let ek = [
        "evidence",
        "inspect",
        "tcg/hirs/ek_cert_untouched.cer",
        "--at",
        "2019-01-01",
    ];
    let with_ca = run(
        &d,
        &[
            &ek[..],
            &[
                "--ca",
                "tcg/hirs/stmtpmekint02.crt",
                "--ca",
                "tcg/hirs/stmtpmekroot.crt",
            ],
        ]
        .concat(),
    );
    assert_eq!(with_ca.status.code(), Some(0), "{}", render(&with_ca, &d));
    // The old spelling of --ca: a file given to --issuer is refused with
    // the new name, once or repeated.
    for old in [
        &["--issuer", "tcg/hirs/stmtpmekint02.crt"][..],
        &[
            "--issuer",
            "tcg/hirs/stmtpmekint02.crt",
            "--issuer",
            "tcg/hirs/stmtpmekroot.crt",
        ],
    ] {
        let out = run(&d, &[&ek[..], old].concat());
        assert_eq!(out.status.code(), Some(2), "{}", render(&out, &d));
        let err = stderr(&out);
        assert!(err.contains("is a file"), "{err}");
        assert!(err.contains("with --ca tcg/hirs/"), "{err}");
    }
    // --issuer is the OIDC issuer pinning SLSA provenance, with --identity;
    // --oidc-issuer is its old spelling.
    let slsa = [
        "evidence",
        "inspect",
        "slsa/bcr/MODULE.bazel.intoto.jsonl",
        "--artifact",
        "slsa/bcr/MODULE.bazel",
        "--identity",
        BCR_SIGNER,
        "--format",
        "json",
    ];
    let pinned = run(&d, &[&slsa[..], &["--issuer", GITHUB]].concat());
    assert_eq!(pinned.status.code(), Some(0), "{}", render(&pinned, &d));
    assert!(stdout(&pinned).contains("\"verification\": \"passed\""));
    same_with_note(
        &d,
        &[&slsa[..], &["--oidc-issuer", GITHUB]].concat(),
        &[&slsa[..], &["--issuer", GITHUB]].concat(),
        "--oidc-issuer is deprecated; use --issuer",
    );
    let cosign = run(
        &d,
        &[&slsa[..], &["--certificate-oidc-issuer", GITHUB]].concat(),
    );
    assert_eq!(stdout(&cosign), stdout(&pinned));
    let alone = run(&d, &slsa);
    assert_eq!(alone.status.code(), Some(2), "{}", render(&alone, &d));
    // (in JSON mode the error is JSON on stdout)
    assert!(
        stdout(&alone).contains("give both"),
        "{}",
        render(&alone, &d)
    );
}

#[test]
fn evidence_inspect_takes_the_uptane_root_as_uptane_root() {
    let d = hw();
    let targets = [
        "evidence",
        "inspect",
        "uptane/reference-impl/director/targets.json",
        "--at",
        "2026-01-01",
    ];
    // root.json beside the file by default; another root with
    // --uptane-root (the image repository's keys did not sign it).
    assert_eq!(run(&d, &targets).status.code(), Some(0));
    let other = [
        &targets[..],
        &["--uptane-root", "uptane/reference-impl/imagerepo/root.json"],
    ]
    .concat();
    let out = run(&d, &other);
    assert_eq!(out.status.code(), Some(1), "{}", render(&out, &d));
    same_with_note(
        &d,
        &[
            &targets[..],
            &["--root", "uptane/reference-impl/imagerepo/root.json"],
        ]
        .concat(),
        &other,
        "--root is deprecated; use --uptane-root",
    );
}

// ------------------------------------------------------------------ old spellings

#[test]
fn old_fleet_spellings_still_work_with_a_note() {
    let tmp = repo_like();
    let d = tmp.path();
    let memo = ["memo", "procurement", "laptop", "--now", NOW];
    for old in [&["-C", "fleet"][..], &["--root", "fleet"]] {
        let note = format!(
            "{} is deprecated; use --fleet",
            old[0].replace("-C", "--root")
        );
        same_with_note(
            d,
            &[&memo[..], old].concat(),
            &[&memo[..], &["--fleet", "fleet"]].concat(),
            &note,
        );
    }
    // memo's old boolean --fleet is --all, with or without -C after it.
    let all = [
        "memo",
        "procurement",
        "--all",
        "--now",
        NOW,
        "--fleet",
        "fleet",
    ];
    same_with_note(
        &d.join("fleet"),
        &["memo", "procurement", "--now", NOW, "--fleet"],
        &["memo", "procurement", "--now", NOW, "--all"],
        "`strata memo --fleet` without DIR is deprecated; use --all",
    );
    let (o, n) = (
        run(
            d,
            &[
                "memo",
                "procurement",
                "--fleet",
                "-C",
                "fleet",
                "--now",
                NOW,
            ],
        ),
        run(d, &all),
    );
    assert_eq!(o.status.code(), Some(0), "{}", render(&o, d));
    assert_eq!(stdout(&o), stdout(&n));
    assert_eq!(
        stderr(&o),
        "warning: `strata memo --fleet` without DIR is deprecated; use --all\n\
         warning: --root is deprecated; use --fleet\n"
    );
    // assemble's --root.
    same_with_note(
        d,
        &["assemble", "fleet/stacks/laptop.yaml", "--root", "fleet"],
        &["assemble", "fleet/stacks/laptop.yaml", "--fleet", "fleet"],
        "--root is deprecated; use --fleet",
    );
}

#[test]
fn old_ignore_spellings_still_work_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let m = tmp.path().join("m");
    for (f, text) in [
        ("weights.bin", "w"),
        ("optimizer/state.bin", "o"),
        (".gitignore", "g"),
    ] {
        std::fs::create_dir_all(m.join(f).parent().unwrap()).unwrap();
        std::fs::write(m.join(f), text).unwrap();
    }
    let d = tmp.path();
    let plain = stdout(&run(d, &["hash", "m", "--list"]));
    for cmd in [
        &["hash", "m", "--list"][..],
        &["model", "hash", "m", "--list"],
    ] {
        same_with_note(
            d,
            &[cmd, &["--ignore", "optimizer"]].concat(),
            &[cmd, &["--ignore-paths", "optimizer"]].concat(),
            "--ignore is deprecated; use --ignore-paths",
        );
        same_with_note(
            d,
            &[cmd, &["--no-ignore-git"]].concat(),
            &[cmd, &["--no-ignore-git-paths"]].concat(),
            "--no-ignore-git is deprecated; use --no-ignore-git-paths",
        );
    }
    // The flags do something.
    let ignored = stdout(&run(
        d,
        &["hash", "m", "--list", "--ignore-paths", "optimizer"],
    ));
    let with_git = stdout(&run(d, &["hash", "m", "--list", "--no-ignore-git-paths"]));
    assert!(plain.contains("optimizer/state.bin") && !plain.contains(".gitignore"));
    assert!(!ignored.contains("optimizer/state.bin"), "{ignored}");
    assert!(with_git.contains(".gitignore"), "{with_git}");
}
