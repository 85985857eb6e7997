use super::*;

fn report(stacks: &str, unknown: &str, unresolved: &str) -> String {
    format!(
        r#"{{"schema_version": 1, "as_of": "2026-12-01T00:00:00Z", "pseudonyms": "hmac-sha256",
  "totals": {{"active": 9, "unapproved": {{"company": 0, "personal": 1, "unknown": 0}},
    "unknown_model": {{"company": 0, "personal": 0, "unknown": 0}},
    "unresolved": {{"company": 1, "personal": 0, "unknown": 0}}, "extra": true}},
  "sources": [{{"stacks": [{stacks}], "unknown_models": [{unknown}], "unresolved": [{unresolved}]}}]}}"#
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn appeared_and_grown_stacks_and_groups_are_listed_most_added_first() {
    let dir = tempfile::tempdir().unwrap();
    let pixel = r#"{"stack": "pixel-9-pro", "approved": true, "vendor": "google", "group": "alphabet", "devices": {"company": 5, "personal": 0, "unknown": 0}}"#;
    let old = write(dir.path(), "old.json", &report(pixel, "", ""));
    let xiaomi = r#"{"vendor": "xiaomi", "group": "xiaomi", "devices": {"company": 0, "personal": 37, "unknown": 0}}"#;
    let huawei =
        r#"{"manufacturer": "HUAWEI", "devices": {"company": 1, "personal": 0, "unknown": 0}}"#;
    let pixel_more = pixel.replace("\"company\": 5", "\"company\": 6");
    let new = write(dir.path(), "new.json", &report(&pixel_more, xiaomi, huawei));
    let d = diff(&old, &new).unwrap();
    let kinds: Vec<(Option<ChangeKind>, String)> = d
        .changes
        .iter()
        .map(|c| (c.change, c.subject.label()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                Some(ChangeKind::Appeared),
                "unknown xiaomi models".to_string()
            ),
            (
                Some(ChangeKind::Grew),
                "pixel-9-pro (google, approved)".to_string()
            ),
            (
                Some(ChangeKind::Appeared),
                "unresolved manufacturer HUAWEI".to_string()
            ),
        ]
    );
    let text = render_text(&d);
    assert!(
        text.contains("appeared  xiaomi models: 0 → 37 devices (0 → 37 personal)"),
        "{text}"
    );
    assert!(text.contains("grew      alphabet models: 5 → 6 devices (5 → 6 company)"));
    let same = diff(&old, &old).unwrap();
    assert!(same.changes.is_empty() && same.groups.is_empty());
    assert!(render_text(&same).contains("No stack, vendor or manufacturer changed."));
}

#[test]
fn gone_and_shrunk_are_told_apart_from_a_changed_ownership_mix() {
    let dir = tempfile::tempdir().unwrap();
    let row = |c: u64, p: u64| {
        format!(
            r#"{{"stack": "laptop", "approved": true, "vendor": "dell", "group": "dell", "devices": {{"company": {c}, "personal": {p}, "unknown": 0}}}}"#
        )
    };
    let a = write(dir.path(), "a.json", &report(&row(4, 0), "", ""));
    let b = write(dir.path(), "b.json", &report(&row(3, 1), "", ""));
    let c = write(dir.path(), "c.json", &report("", "", ""));
    let mix = diff(&a, &b).unwrap();
    assert_eq!(mix.changes[0].change, None);
    assert!(render_text(&mix).contains(
        "mix       laptop (dell, approved): 4 → 4 devices (4 → 3 company, 0 → 1 personal)"
    ));
    let gone = diff(&a, &c).unwrap();
    assert_eq!(gone.changes[0].change, Some(ChangeKind::Gone));
}

#[test]
fn a_file_that_is_no_snapshot_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.json", &report("", "", ""));
    let bad = write(
        dir.path(),
        "bad.json",
        "{\"schema_version\": 1,\n \"sources\": 3}",
    );
    let e = diff(&good, &bad).unwrap_err().diagnostics();
    assert_eq!(e[0].code, Code::InventorySnapshot);
    assert!(e[0].file.as_deref().unwrap().ends_with("bad.json"));
    assert_eq!(e[0].pointer.as_deref(), Some("/sources"), "{e:?}");
    let not_json = write(dir.path(), "x.json", "{\n  \"schema_version\": 1,,\n}");
    let e = diff(&not_json, &good).unwrap_err().diagnostics();
    assert_eq!(e[0].code, Code::InventorySnapshot);
    assert_eq!(e[0].position.map(|p| p.line), Some(2));
    let huge = write(
        dir.path(),
        "huge.json",
        &report("", "", "").replace(
            "\"active\": 9, \"unapproved\": {\"company\": 0",
            "\"active\": 9, \"unapproved\": {\"company\": 18446744073709551615",
        ),
    );
    let e = diff(&good, &huge).unwrap_err().diagnostics();
    assert_eq!(e[0].pointer.as_deref(), Some("/totals/unapproved"), "{e:?}");
    let no_version = write(dir.path(), "nv.json", "[]");
    let e = diff(&no_version, &good).unwrap_err().diagnostics();
    assert_eq!(e[0].pointer.as_deref(), Some("/schema_version"));
    let newer = write(
        dir.path(),
        "v2.json",
        &report("", "", "").replace("\"schema_version\": 1", "\"schema_version\": 2"),
    );
    let e = diff(&newer, &good).unwrap_err().diagnostics();
    assert_eq!(e[0].pointer.as_deref(), Some("/schema_version"));
}
