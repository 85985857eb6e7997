//! Inventory exports, pseudonym keys and the files beside a declarations
//! document are hostile too: a FIFO, a device or a link leaving an export
//! directory is refused through the guarded open (exit 2, never a hang and
//! never a page skipped in silence); a declarations document whose BOM
//! cannot be read is never valid.

use super::{mkfifo, run};
use crate::common::repo;

/// `strata inventory reconcile` on the example fleet with a real key file
/// and `source` (`--intune PATH` and the like).
fn reconcile(dir: &std::path::Path, source: &[&str]) -> super::Run {
    let key = dir.join("org.key");
    std::fs::write(&key, "example organisation key, 32 byte").unwrap();
    let fleet = repo().join("examples");
    let mut args = vec![
        "inventory",
        "reconcile",
        fleet.to_str().unwrap(),
        "--now",
        "2026-12-01",
        "--key-file",
        key.to_str().unwrap(),
    ];
    args.extend(source);
    run(dir, &args)
}

#[test]
fn export_pages_and_keys_that_are_not_regular_files_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    reconcile(d, &["--intune", "/dev/zero"]).refused("not-a-file");

    // A directory of pages holding a FIFO with the pages' extension.
    let pages = d.join("intune");
    std::fs::create_dir(&pages).unwrap();
    let page = repo().join("examples/inventory/intune/page-1.json");
    std::fs::copy(&page, pages.join("page-1.json")).unwrap();
    mkfifo(&pages.join("page-2.json"));
    let r = reconcile(d, &["--intune", pages.to_str().unwrap()]);
    r.refused("not-a-file");
    assert!(r.stderr.contains("page-2.json"), "{}", r.text());

    // A page that is a link leading out of the export directory.
    std::fs::remove_file(pages.join("page-2.json")).unwrap();
    let outside = d.join("outside.json");
    std::fs::copy(&page, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, pages.join("page-2.json")).unwrap();
    let r = reconcile(d, &["--intune", pages.to_str().unwrap()]);
    r.refused("symlink-refused");
    assert!(r.stderr.contains("page-2.json"), "{}", r.text());

    // A pseudonym key that is a FIFO.
    let fifo = d.join("key.fifo");
    mkfifo(&fifo);
    let fleet = repo().join("examples");
    let r = run(
        d,
        &[
            "inventory",
            "reconcile",
            fleet.to_str().unwrap(),
            "--now",
            "2026-12-01",
            "--key-file",
            fifo.to_str().unwrap(),
            "--intune",
            page.to_str().unwrap(),
        ],
    );
    r.refused("not-a-file");
}

#[test]
fn a_declarations_bom_or_bundle_that_is_not_a_regular_file_is_no_bom() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let src = repo().join("attestations/pixel-9-pro");
    std::fs::copy(
        src.join("declarations.cdx.json"),
        d.join("declarations.cdx.json"),
    )
    .unwrap();
    mkfifo(&d.join("bom.cdx.json"));
    let r = run(d, &["validate", "declarations.cdx.json"]);
    assert_eq!(r.code, Some(1), "{}", r.text());
    assert!(r.stdout.contains("bom-link-missing") || r.stderr.contains("bom-link-missing"));
    assert!(r.text().contains("FIFO"), "{}", r.text());

    // A BOM beside the declarations that is a link to the real one elsewhere.
    std::fs::remove_file(d.join("bom.cdx.json")).unwrap();
    std::os::unix::fs::symlink(src.join("bom.cdx.json"), d.join("bom.cdx.json")).unwrap();
    let r = run(d, &["validate", "declarations.cdx.json"]);
    assert_eq!(r.code, Some(1), "{}", r.text());
    assert!(r.text().contains("bom-link-missing"), "{}", r.text());
}

#[test]
fn attest_refuses_a_bundle_that_is_not_a_regular_file() {
    let tmp = crate::common::repo_like();
    let d = tmp.path();
    let bundle = d.join("attestations/pixel-9-pro/bom.sigstore.json");
    std::fs::remove_file(&bundle).unwrap();
    mkfifo(&bundle);
    let r = run(
        d,
        &[
            "attest",
            "pixel-9-pro",
            "--fleet",
            "fleet",
            "--now",
            "2026-12-01T00:00:00Z",
            "-o",
            "out.json",
        ],
    );
    r.refused("not-a-file");
    assert!(!d.join("out.json").exists(), "no half-written output");
}
