use super::*;
use crate::model::{Calendar, FileKind, parse_str};
use std::path::Path;

fn calendar() -> Calendar {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/calendar.yaml"
    ))
    .unwrap();
    parse_str::<Calendar>(&text, Path::new("calendar.yaml"), FileKind::Calendar)
        .unwrap()
        .value
}

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn a_date_is_said_relative_to_the_memo_date() {
    let cal = calendar();
    let before = dated(Some(&cal), "ai-act-art50", day("2026-08-01"));
    assert_eq!(before.text, "applies from 2026-08-02 [M]");
    assert!(!before.in_force);
    let after = dated(Some(&cal), "ai-act-art50", day("2026-08-02"));
    assert_eq!(after.text, "applies since 2026-08-02 [M]");
    assert!(after.in_force);
}

#[test]
fn a_pending_change_is_stated_with_both_dates() {
    let cal = calendar();
    let d = dated(Some(&cal), "ai-act-annex-iii", day("2026-12-01"));
    assert_eq!(
        d.text,
        "applies since 2026-08-02 [V]; Digital Omnibus on AI (provisional political agreement of 7 May 2026, not yet formally adopted) would move it to 2027-12-02 [S]: check which date is law"
    );
    let early = dated(Some(&cal), "ai-act-annex-iii", day("2026-01-01"));
    assert!(
        early
            .text
            .starts_with("applies from 2026-08-02 [V]; Digital Omnibus")
    );
    assert!(!early.text.ends_with("is law"));
}

#[test]
fn a_missing_date_is_said_missing_never_made_up() {
    let cal = calendar();
    let d = dated(Some(&cal), "no-such-rule", day("2026-12-01"));
    assert!(d.missing);
    assert!(d.applies.is_none());
    assert!(d.text.contains("no entry `no-such-rule`"), "{}", d.text);
    let none = dated(None, "ai-act-art50", day("2026-12-01"));
    assert!(none.missing);
    assert!(none.text.contains("no regulatory calendar"));
}

#[test]
fn every_known_entry_is_in_the_example_calendar() {
    let cal = calendar();
    for (id, _) in KNOWN_ENTRIES {
        assert!(cal.entries.contains_key(*id), "{id}");
    }
}

#[cfg(unix)]
#[test]
fn a_calendar_that_is_a_fifo_or_links_out_of_the_fleet_is_an_error() {
    let fleet = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let cal = fleet.path().join("calendar.yaml");
    assert!(
        crate::model::load_calendar_of(fleet.path())
            .unwrap()
            .is_none()
    );
    std::fs::write(outside.path().join("c.yaml"), "version: 1\nentries: {}\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("c.yaml"), &cal).unwrap();
    assert!(crate::model::load_calendar_of(fleet.path()).is_err());
    std::fs::remove_file(&cal).unwrap();
    let ok = std::process::Command::new("mkfifo")
        .arg(&cal)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    assert!(crate::model::load_calendar_of(fleet.path()).is_err());
}
