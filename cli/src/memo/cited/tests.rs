//! Bindings read, checked, and refused.

use super::*;

fn binding(dir: &Path, memo: &[u8], kind: &str) -> PathBuf {
    std::fs::write(dir.join("dpia.md"), memo).unwrap();
    let b = format!(
        r#"{{"version": 1, "kind": "{kind}", "device": "phone", "document-version": "1.0",
            "date": "2026-12-01", "tool": "strata", "rendered": {{"path": "dpia.md",
            "sha256": "{}"}}, "answers": []}}"#,
        Digest::of(b"the signed memo\n")
    );
    let p = dir.join("dpia.md.binding.json");
    std::fs::write(&p, b).unwrap();
    p
}

#[test]
fn a_memo_that_matches_its_binding_is_verified() {
    let tmp = tempfile::tempdir().unwrap();
    let p = binding(tmp.path(), b"the signed memo\n", "dpia");
    let c = &load(&[p]).unwrap()[0];
    assert_eq!(c.device.as_deref(), Some("phone"));
    assert_eq!(c.title, "Final DPIA dpia.md, version 1.0, 2026-12-01");
    assert!(c.detail.starts_with("sha256:"));
    assert_eq!(c.status, "binding verified: the memo matches its SHA-256");
}

#[test]
fn a_changed_or_missing_memo_is_cited_as_failed() {
    let tmp = tempfile::tempdir().unwrap();
    let p = binding(tmp.path(), b"the signed memo, edited\n", "dpia");
    let c = &load(std::slice::from_ref(&p)).unwrap()[0];
    assert!(
        c.status.starts_with("FAILED: dpia.md differs"),
        "{}",
        c.status
    );
    std::fs::remove_file(tmp.path().join("dpia.md")).unwrap();
    let c = &load(&[p]).unwrap()[0];
    assert!(
        c.status.starts_with("FAILED: the memo cannot be read"),
        "{}",
        c.status
    );
}

#[test]
fn a_file_that_is_no_binding_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("x.json");
    for text in [
        "not json",
        r#"{"version": 2, "kind": "dpia", "date": "d", "rendered": {"path": "a", "sha256": "sha256:00"}}"#,
        r#"{"version": 1, "kind": "dpia", "date": "d", "rendered": {"path": "a", "sha256": "md5:00"}}"#,
    ] {
        std::fs::write(&bad, text).unwrap();
        let e = load(std::slice::from_ref(&bad)).unwrap_err();
        assert!(e.to_string().contains("binding-invalid"), "{e}");
    }
    let p = binding(tmp.path(), b"the signed memo\n", "letter");
    assert!(
        load(&[p])
            .unwrap_err()
            .to_string()
            .contains("unknown memo kind")
    );
    // A recorded path that leaves the binding's directory is refused.
    std::fs::write(
        &bad,
        format!(
            r#"{{"version": 1, "kind": "dpia", "date": "d", "rendered": {{"path": "../etc/passwd", "sha256": "{}"}}}}"#,
            Digest::of(b"")
        ),
    )
    .unwrap();
    assert!(
        load(&[bad])
            .unwrap_err()
            .to_string()
            .contains("not a file name")
    );
}

#[cfg(unix)]
#[test]
fn a_memo_linked_out_of_its_directory_or_a_fifo_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("dpia.md"), b"the signed memo\n").unwrap();
    let p = binding(tmp.path(), b"", "dpia");
    std::fs::remove_file(tmp.path().join("dpia.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("dpia.md"), tmp.path().join("dpia.md")).unwrap();
    let c = &load(std::slice::from_ref(&p)).unwrap()[0];
    assert!(
        c.status.starts_with("FAILED: the memo cannot be read"),
        "{}",
        c.status
    );
    std::fs::remove_file(tmp.path().join("dpia.md")).unwrap();
    let ok = std::process::Command::new("mkfifo")
        .arg(tmp.path().join("dpia.md"))
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let c = &load(&[p]).unwrap()[0];
    assert!(
        c.status.starts_with("FAILED: the memo cannot be read"),
        "{}",
        c.status
    );
}
