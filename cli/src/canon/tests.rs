use std::path::Path;

use super::*;

fn fmt(text: &str, kind: FileKind) -> String {
    format(text, Path::new("t.yaml"), kind).unwrap()
}

#[test]
fn policy_is_sorted_and_commented() {
    let text = "\
# Policy header.
version: 1
rules:
  # deny the worst
  restricted-entity: {level: deny}
  max-layers-per-group:
    max: 3   # three is plenty
    level: warn
criteria:
  b: {description: Bee}
  a: {description: Ay}
exceptions:
  - {device: z, rule: full-vertical, reason: r, expires: \"2027-01-01\"}
  - {device: a, rule: full-vertical, reason: r, expires: \"2027-01-01\"}
";
    let out = fmt(text, FileKind::Policy);
    insta::assert_snapshot!(out, @r#"
    # Policy header.
    version: 1
    criteria:
      a:
        description: Ay
      b:
        description: Bee
    rules:
      max-layers-per-group:
        level: warn
        max: 3  # three is plenty

      # deny the worst
      restricted-entity:
        level: deny
    exceptions:
      - device: a
        rule: full-vertical
        reason: r
        expires: "2027-01-01"
      - device: z
        rule: full-vertical
        reason: r
        expires: "2027-01-01"
    "#);
    assert_eq!(fmt(&out, FileKind::Policy), out, "idempotent");
}

#[test]
fn sets_are_sorted_short_lists_inline_long_ones_not() {
    let perms = "[sensors, location, communications, calendar, contacts, iot-control, vehicle-telemetry, browser, notifications]";
    let text = format!(
        "version: 1\ndevice: {{id: p, name: P, class: phone}}\nlayers:\n  os: {{supplier: g, product: A, version: \"16\", upstream: [z, a]}}\n  model:\n    supplier: g\n    product: M\n    agent: {{name: x, embedded: true, background: false, permissions: {perms}}}\n"
    );
    let out = fmt(&text, FileKind::Stack);
    assert!(out.contains("upstream: [a, z]"), "{out}");
    assert!(out.contains("    version: \"16\"\n"), "{out}");
    assert!(
        out.contains("      permissions:\n        - sensors\n        - location\n"),
        "enum order: {out}"
    );
    assert_eq!(fmt(&out, FileKind::Stack), out);
}

#[test]
fn reviews_are_blocks_sorted_by_device_then_digest() {
    let d = |c: char| format!("sha256:{}", c.to_string().repeat(64));
    let text = format!(
        "version: 1\nreviews:\n- {{device: b, digest: \"{}\", verdict: approve, criteria: [sec], reviewer: R, date: \"2026-01-01T00:00:00Z\"}}\n- {{device: a, digest: \"{}\", verdict: reject, criteria: [sec, dpo], reviewer: R, date: \"2026-01-02T00:00:00Z\", note: why}}\n",
        d('b'),
        d('a')
    );
    let out = fmt(&text, FileKind::Reviews);
    let expected = format!(
        "version: 1\nreviews:\n  - device: a\n    digest: {}\n    verdict: reject\n    criteria: [dpo, sec]\n    reviewer: R\n    date: \"2026-01-02T00:00:00Z\"\n    note: why\n\n  - device: b\n    digest: {}\n    verdict: approve\n    criteria: [sec]\n    reviewer: R\n    date: \"2026-01-01T00:00:00Z\"\n",
        d('a'),
        d('b')
    );
    assert_eq!(out, expected);
}

#[test]
fn comments_travel_with_sorted_items() {
    let text = "version: 1\ndevices:\n  # zed is last\n  - id: zed\n    stack: s.yaml\n    units: 1\n  - id: abe  # first\n    stack: s.yaml\n    units: 2\n";
    let out = fmt(text, FileKind::ApprovedDevices);
    assert_eq!(
        out,
        "version: 1\ndevices:\n  - id: abe  # first\n    stack: s.yaml\n    units: 2\n\n  # zed is last\n  - id: zed\n    stack: s.yaml\n    units: 1\n"
    );
    assert_eq!(fmt(&out, FileKind::ApprovedDevices), out);
}

#[test]
fn the_example_and_starter_files_format_and_keep_their_comments() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["examples", "examples/stacks", "cli/src/init"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yaml") {
                files.push(p);
            }
        }
    }
    assert!(files.len() >= 10);
    for p in files {
        let text = std::fs::read_to_string(&p).unwrap();
        let kind = detect_kind(&p, &text).unwrap_or_else(|| panic!("{}", p.display()));
        let out = format(&text, &p, kind).unwrap();
        let before = text.lines().filter(|l| l.contains('#')).count();
        let after = out.lines().filter(|l| l.contains('#')).count();
        assert!(after >= before, "{}: comments lost", p.display());
        assert_eq!(format(&out, &p, kind).unwrap(), out, "{}", p.display());
    }
}

#[test]
fn invalid_files_are_not_formatted() {
    let e = format(
        "version: 1\nrules: [1]\n",
        Path::new("p.yaml"),
        FileKind::Policy,
    )
    .unwrap_err();
    assert_eq!(e.diagnostics()[0].code, "wrong-type");
}

#[test]
fn kinds_are_detected_by_name_then_content() {
    let k = |name: &str, text: &str| detect_kind(Path::new(name), text);
    assert_eq!(k("x/policy.yaml", ""), Some(FileKind::Policy));
    assert_eq!(k("reviews.yaml", ""), Some(FileKind::Reviews));
    assert_eq!(
        k("s/phone.yaml", "version: 1\ndevice: {id: a}\nlayers: {}\n"),
        Some(FileKind::Stack)
    );
    assert_eq!(k("ci.yaml", "on: push\njobs: {}\n"), None);
    assert_eq!(k("notes.txt", "version: 1\n"), None);
}

#[test]
fn a_comment_after_a_quoted_value_survives_and_fmt_is_idempotent() {
    // Found by the fmt_roundtrip fuzz target: a plain scalar holding a
    // control character is written quoted (`"C\x05hief"`), and the second
    // run dropped the comment after it.
    let text = "version: 1\nrules: {}\ncriteria:\n  a: {description: \"C\\x05hief\"}  # who\n  b:\n    description: 'it''s'  # why\n";
    let once = fmt(text, FileKind::Policy);
    assert!(once.contains("# who") && once.contains("# why"), "{once}");
    assert_eq!(fmt(&once, FileKind::Policy), once);
}
