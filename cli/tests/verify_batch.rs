//! `strata verify --batch`: many bundles in one process, reported in input
//! order, with the exit status of the worst outcome. Each test signs its own
//! bundles with the demo key through the real binary.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{render, repo, strata};
use serde_json::Value;

const NOW: &str = "2026-01-01T00:00:00Z";

fn demo_key() -> PathBuf {
    repo().join("examples/keys/demo-signing-key.pem")
}

fn demo_pub() -> String {
    repo()
        .join("examples/keys/demo-signing-key.pub")
        .display()
        .to_string()
}

/// A scratch directory with `n` signed files `f0.txt` .. (each with its
/// bundle `fI.txt.sigstore.json` next to it).
fn signed(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for i in 0..n {
        let name = format!("f{i}.txt");
        std::fs::write(dir.path().join(&name), format!("artifact number {i}\n")).unwrap();
        names.push(name);
    }
    let mut args = vec!["sign".to_string()];
    args.extend(names);
    args.extend(["--key".into(), demo_key().display().to_string()]);
    let out = strata(dir.path()).args(&args).output().unwrap();
    assert!(out.status.success(), "{}", render(&out, dir.path()));
    dir
}

fn batch(dir: &Path, extra: &[&str]) -> Output {
    let key = demo_pub();
    let mut args = vec!["verify", "--key", key.as_str(), "--now", NOW];
    args.extend_from_slice(extra);
    strata(dir).args(&args).output().unwrap()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// The `bundles` of a batch's JSON document (after checking that its
/// `summary` counts them).
fn json(out: &Output) -> Vec<Value> {
    let doc = serde_json::from_slice::<Value>(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    let bundles = doc["bundles"].as_array().unwrap().clone();
    assert_eq!(doc["summary"]["bundles"], bundles.len());
    bundles
}

fn failed_checks(item: &Value) -> Vec<String> {
    item["report"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Replace the bundle's DSSE payload with a tampered one.
fn tamper_payload(bundle: &Path) {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut b: Value = serde_json::from_slice(&std::fs::read(bundle).unwrap()).unwrap();
    let payload = b64
        .decode(b["dsseEnvelope"]["payload"].as_str().unwrap())
        .unwrap();
    let forged = String::from_utf8(payload)
        .unwrap()
        .replace("\"subject\"", "\"forged\":1,\"subject\"");
    b["dsseEnvelope"]["payload"] = Value::String(b64.encode(forged));
    std::fs::write(bundle, serde_json::to_vec_pretty(&b).unwrap()).unwrap();
}

#[test]
fn every_list_form_verifies_in_input_order() {
    let dir = signed(4);
    let d = dir.path();
    // Paths with spaces, separated by a tab.
    std::fs::create_dir(d.join("with space")).unwrap();
    std::fs::copy(d.join("f3.txt"), d.join("with space/f3 copy.txt")).unwrap();
    std::fs::copy(
        d.join("f3.txt.sigstore.json"),
        d.join("with space/f3 copy.txt.sigstore.json"),
    )
    .unwrap();
    let f2 = format!(
        "sha256:{}",
        sha256_hex(&std::fs::read(d.join("f2.txt")).unwrap())
    );
    write(
        d,
        "list.txt",
        &format!(
            "# BUNDLE [ARTIFACT]\n\
             f1.txt.sigstore.json\n\
             \n\
             f0.txt.sigstore.json   f0.txt\r\n\
             \tf2.txt.sigstore.json\t{f2}\n\
             with space/f3 copy.txt.sigstore.json\twith space/f3 copy.txt\n"
        ),
    );
    let out = batch(d, &["--batch", "list.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, d));
    let text = render(&out, d).replace(&demo_pub(), "[DEMO_PUB]");
    insta::assert_snapshot!(text, @r"
    exit_code: 0
    ----- stdout -----
    trust  public key [DEMO_PUB]

    ok     f1.txt.sigstore.json  f1.txt
    ok     f0.txt.sigstore.json  f0.txt
    ok     f2.txt.sigstore.json  sha256:ac498e4df484ffc57ad98461d97365570ab8c7f8068ea0d8fc8df6c3216411b5
    ok     with space/f3 copy.txt.sigstore.json  with space/f3 copy.txt

    4 bundles: 4 verified, 0 not verified, 0 errors
    ----- stderr -----
    ");
    // The same list on stdin, and the directory itself (every
    // *.sigstore.json below it, sorted), in one run.
    let list = std::fs::read(d.join("list.txt")).unwrap();
    let key = demo_pub();
    let out = strata(d)
        .args([
            "verify", "--key", &key, "--now", NOW, "--batch", "-", "--batch", ".",
        ])
        .write_stdin(list)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, d));
    let lines: Vec<String> = stdout(&out)
        .lines()
        .filter_map(|l| l.strip_prefix("ok     "))
        .map(|l| l.split("  ").next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        lines,
        [
            "f1.txt.sigstore.json",
            "f0.txt.sigstore.json",
            "f2.txt.sigstore.json",
            "with space/f3 copy.txt.sigstore.json",
            "./f0.txt.sigstore.json",
            "./f1.txt.sigstore.json",
            "./f2.txt.sigstore.json",
            "./f3.txt.sigstore.json",
            "./with space/f3 copy.txt.sigstore.json",
        ],
        "{}",
        stdout(&out)
    );
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn one_tampered_bundle_fails_alone_on_the_signature() {
    let dir = signed(5);
    let d = dir.path();
    tamper_payload(&d.join("f3.txt.sigstore.json"));
    let list: String = (0..5)
        .map(|i| format!("f{i}.txt.sigstore.json\n"))
        .collect();
    write(d, "list.txt", &list);
    let out = batch(d, &["--batch", "list.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", render(&out, d));
    let text = stdout(&out);
    let fails: Vec<&str> = text.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert_eq!(fails.len(), 1, "{text}");
    assert!(
        fails[0].starts_with("FAIL   f3.txt.sigstore.json  f3.txt  signature: "),
        "{text}"
    );
    assert!(text.ends_with("5 bundles: 4 verified, 1 not verified, 0 errors\n"));

    let out = batch(d, &["--batch", "list.txt", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let items = json(&out);
    assert_eq!(items.len(), 5);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["source"], format!("list.txt:{}", i + 1));
        assert_eq!(item["bundle"], format!("f{i}.txt.sigstore.json"));
        assert_eq!(item["report"]["bundle"], item["bundle"]);
        if i == 3 {
            assert_eq!(item["outcome"], "not-verified");
            assert_eq!(item["report"]["verified"], false);
            assert_eq!(failed_checks(item), ["signature"]);
        } else {
            assert_eq!(item["outcome"], "verified");
            assert_eq!(item["report"]["verified"], true);
            assert!(failed_checks(item).is_empty());
        }
        // Every named check is in every report.
        assert_eq!(item["report"]["checks"].as_array().unwrap().len(), 16);
    }
}

#[test]
fn malformed_lines_are_input_errors_naming_file_and_line() {
    let dir = signed(1);
    let d = dir.path();
    write(
        d,
        "list.txt",
        "f0.txt.sigstore.json\n# fine\nf0.txt.sigstore.json f0.txt extra\nf0.txt.sigstore.json sha256:abc\n",
    );
    let out = batch(d, &["--batch", "list.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", render(&out, d));
    // Nothing was verified.
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(err.contains("error[batch-list-syntax]"), "{err}");
    assert!(err.contains("--> list.txt:3:29"), "{err}");
    assert!(err.contains("--> list.txt:4:22"), "{err}");
    assert!(err.contains("found 3 fields"), "{err}");
    // JSON mode reports the errors as JSON.
    let out = batch(d, &["--batch", "list.txt", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "batch-list-syntax");
    assert_eq!(v["diagnostics"][0]["position"]["line"], 3);
}

#[test]
fn missing_files_are_errors_in_place_and_the_rest_is_verified() {
    let dir = signed(2);
    let d = dir.path();
    write(
        d,
        "list.txt",
        "f0.txt.sigstore.json\nmissing.sigstore.json\nf1.txt.sigstore.json gone.txt\nf1.txt.sigstore.json\n",
    );
    let out = batch(d, &["--batch", "list.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", render(&out, d));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().skip(2).take(4).collect();
    assert!(
        lines[0].starts_with("ok     f0.txt.sigstore.json"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("ERROR  missing.sigstore.json  io-error: ")
            && lines[1].ends_with("(list.txt:2)"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("ERROR  f1.txt.sigstore.json  io-error: ")
            && lines[2].contains(" in gone.txt"),
        "{text}"
    );
    assert!(
        lines[3].starts_with("ok     f1.txt.sigstore.json"),
        "{text}"
    );
    assert!(text.ends_with("4 bundles: 2 verified, 0 not verified, 2 errors\n"));
    // A missing list is an input error before anything runs.
    let out = batch(d, &["--batch", "nope.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope.txt"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    // An error outranks a failed verification.
    tamper_payload(&d.join("f0.txt.sigstore.json"));
    let out = batch(d, &["--batch", "list.txt"]);
    assert_eq!(out.status.code(), Some(2));
    // Without the unreadable entries the failure decides.
    write(
        d,
        "list.txt",
        "f0.txt.sigstore.json\nf1.txt.sigstore.json\n",
    );
    assert_eq!(batch(d, &["--batch", "list.txt"]).status.code(), Some(1));
}

#[test]
fn empty_lists_and_directories_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "list.txt", "# no bundles yet\n\n");
    std::fs::create_dir(d.join("empty")).unwrap();
    for source in ["list.txt", "empty"] {
        let out = batch(d, &["--batch", source]);
        assert_eq!(out.status.code(), Some(2), "{}", render(&out, d));
        assert!(
            stderr(&out).contains("error[empty-batch]"),
            "{}",
            stderr(&out)
        );
    }
    let out = strata(d)
        .args(["verify", "--key", &demo_pub(), "--batch", "-"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no bundles to verify in -"));
}

#[test]
fn batch_and_a_single_bundle_are_exclusive() {
    let dir = signed(1);
    let out = batch(dir.path(), &["f0.txt.sigstore.json", "--batch", "list.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
    let out = strata(dir.path())
        .args(["verify", "--key", &demo_pub()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn json_output_is_deterministic_and_complete() {
    let dir = signed(3);
    let d = dir.path();
    tamper_payload(&d.join("f1.txt.sigstore.json"));
    write(
        d,
        "list.txt",
        "f0.txt.sigstore.json\nf1.txt.sigstore.json\nf2.txt.sigstore.json f0.txt\nmissing.sigstore.json\n",
    );
    let out = batch(d, &["--batch", "list.txt", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let again = batch(d, &["--batch", "list.txt", "--format", "json"]);
    assert_eq!(out.stdout, again.stdout);
    let text = render(&out, d).replace(&demo_pub(), "[DEMO_PUB]");
    insta::assert_snapshot!(text);
}

#[test]
fn a_large_batch_keeps_the_list_order() {
    let n = 120;
    let dir = signed(n);
    let d = dir.path();
    // Reverse order, so that sorting would show.
    let list: String = (0..n)
        .rev()
        .map(|i| format!("f{i}.txt.sigstore.json\n"))
        .collect();
    write(d, "list.txt", &list);
    let out = batch(d, &["--batch", "list.txt", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, d));
    let bundles: Vec<String> = json(&out)
        .iter()
        .map(|i| i["bundle"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = (0..n)
        .rev()
        .map(|i| format!("f{i}.txt.sigstore.json"))
        .collect();
    assert_eq!(bundles, expected);
    assert_eq!(
        out.stdout,
        batch(d, &["--batch", "list.txt", "--format", "json"]).stdout
    );
}

#[test]
fn keyless_bundles_verify_in_a_batch_with_the_identity_policy() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sigstore");
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.txt");
    std::fs::write(
        &list,
        "slsa/MODULE.bazel.intoto.jsonl slsa/MODULE.bazel\n\
         slsa/MODULE-wrong-signer.bazel.intoto.jsonl slsa/MODULE.bazel\n\
         slsa/MODULE.bazel.intoto.jsonl sha256:06ce330900a7d6403bc8d88e5dfad6aeeb8ae40179f66bb89e69c8bf6f6b1a0b\n",
    )
    .unwrap();
    let out = strata(&fixtures)
        .args([
            "verify",
            "--identity",
            "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@refs/tags/v0.0.1",
            "--issuer",
            "https://token.actions.githubusercontent.com",
            "--format",
            "json",
            "--batch",
        ])
        .arg(&list)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", render(&out, &fixtures));
    let items = json(&out);
    let outcomes: Vec<&str> = items
        .iter()
        .map(|i| i["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["verified", "not-verified", "verified"]);
    assert_eq!(failed_checks(&items[1]), ["identity"]);
    // The sigstore-verify cross-check ran for each.
    assert_eq!(
        items[0]["report"]["library"],
        "sigstore-verify agrees: verified"
    );
}
