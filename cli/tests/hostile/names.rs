//! Hostile names in diagnostics: a NUL or an escape sequence in a path
//! named by a file is shown escaped, never raw; a limit is printed in the
//! unit that states it ("1 MiB", not "0 MiB").

use super::{add_evidence, assemble, run};
use crate::common::{example_fleet, repo};

#[test]
fn control_characters_in_paths_are_escaped() {
    let fleet = example_fleet();
    let f = fleet.path();
    let entry = "      - {kind: file, path: \"evidence/a\\0b\\e[31mred.bin\"}\n";
    add_evidence(f, "pixel-9-pro", entry);
    let r = assemble(f, "pixel-9-pro");
    assert_eq!(r.code, Some(2), "{}", r.text());
    assert!(
        !r.stderr.contains('\0') && !r.stderr.contains('\x1b'),
        "{:?}",
        r.stderr
    );
    assert!(
        r.stderr.contains("a\\u{0}b\\u{1b}[31mred.bin"),
        "{}",
        r.text()
    );
}

#[test]
fn a_one_mebibyte_limit_is_printed_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // PEM certificate files are read up to 1 MiB.
    std::fs::write(d.join("ca.pem"), vec![b'A'; (1 << 20) + 1]).unwrap();
    let bundle = repo().join("attestations/pixel-9-pro/bom.sigstore.json");
    let bom = repo().join("attestations/pixel-9-pro/bom.cdx.json");
    let r = run(
        d,
        &[
            "verify",
            bundle.to_str().unwrap(),
            bom.to_str().unwrap(),
            "--ca",
            "ca.pem",
            "--identity",
            "a@b.example",
        ],
    );
    r.refused("input-too-large");
    assert!(r.stderr.contains("the 1 MiB limit"), "{}", r.text());
}
