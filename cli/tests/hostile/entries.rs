//! Memory amplification: strata caps the entries it judges in one file
//! (10,000) and counts them before it builds anything, so a huge Uptane
//! targets file or a stack with an evidence entry per file is refused
//! quickly, in bounded memory, with the cap in the message.

use std::fmt::Write as _;

use super::{add_evidence, assemble, run};
use crate::common::example_fleet;

#[test]
fn uptane_targets_beyond_the_cap_are_refused_before_they_are_built() {
    let dir = tempfile::tempdir().unwrap();
    // 200,000 targets (8 MB); the issue's 1,000,000 took 2.8 GB.
    let mut doc = String::from(
        r#"{"signatures":[],"signed":{"_type":"Targets","expires":"2030-01-01T00:00:00Z","version":1,"targets":{"#,
    );
    for i in 0..200_000 {
        if i > 0 {
            doc.push(',');
        }
        write!(doc, r#""t{i}":{{"hashes":{{}},"length":{i}}}"#).unwrap();
    }
    doc.push_str("}}}");
    std::fs::write(dir.path().join("targets.json"), doc).unwrap();
    for args in [
        &["evidence", "inspect", "targets.json"][..],
        &[
            "evidence",
            "inspect",
            "--kind",
            "uptane-metadata",
            "targets.json",
        ][..],
    ] {
        let r = run(dir.path(), args);
        r.refused("too-many-entries");
        assert!(r.stderr.contains("10000"), "{}", r.text());
        assert!(r.stderr.contains("/signed/targets"), "{}", r.text());
    }
}

#[test]
fn a_stack_with_too_many_evidence_entries_is_refused_at_load() {
    let fleet = example_fleet();
    let f = fleet.path();
    let many = "      - {kind: file, path: evidence/pixel-9-pro/tensor-g4-tpu-firmware.bin}\n";
    add_evidence(f, "pixel-9-pro", &many.repeat(10_001));
    let r = assemble(f, "pixel-9-pro");
    r.refused("too-many-entries");
    assert!(r.stderr.contains("pixel-9-pro.yaml:"), "{}", r.text());
    assert!(r.stderr.contains("at most 10000"), "{}", r.text());
}
