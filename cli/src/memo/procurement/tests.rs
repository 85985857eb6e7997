//! The procurement sections on the example fleet, with one input changed at
//! a time.

use std::path::{Path, PathBuf};

use super::*;
use crate::analyze::{AnalyzeOptions, FleetAnalysis, analyze_fleet};
use crate::model::{self, Buyer, FileKind, Support, TermOfUse};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn analysis() -> FleetAnalysis {
    analyze_fleet(&examples(), &AnalyzeOptions::default()).unwrap()
}

fn stack_of(a: &FleetAnalysis, id: &str) -> Stack {
    let d = a.device(id).unwrap();
    model::load::<Stack>(&examples().join(&d.stack), FileKind::Stack)
        .unwrap()
        .value
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn expected(id: &str) -> ExpectedList {
    ExpectedList {
        id: id.into(),
        name: format!("list {id}"),
        publisher: "a publisher".into(),
        jurisdiction: Some("US".into()),
        why: None,
    }
}

#[test]
fn every_snapshot_is_listed_with_the_devices_result_and_an_expected_list_without_one_is_not_screened()
 {
    let a = analysis();
    let d = a.device("xiaomi-15s-pro-cn").unwrap();
    let cite = BTreeMap::from([("list:fcc-covered-list".to_string(), "E-9".to_string())]);
    let exp = [
        expected("fcc-covered-list"),
        expected("dod-1260h"),
        expected("dod-1260h"),
    ];
    let (done, missing) = screened(&a.lists, &exp, d, &cite);
    let ids: Vec<(&str, &str)> = done
        .iter()
        .map(|l| (l.list.id.as_str(), l.result))
        .collect();
    assert_eq!(
        ids,
        [
            ("fcc-covered-list", "no match"),
            ("dod-ccmc-1237", "historical entry")
        ]
    );
    assert_eq!(done[0].cite.as_deref(), Some("E-9"));
    assert!(done[1].detail[0].contains("vacated 2021-05-25"));
    assert!(done[1].detail[0].ends_with("context, not a restriction"));
    // The screened expected list is not named again; the other one is,
    // once.
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].id, "dod-1260h");
}

#[test]
fn the_diversified_alternative_is_the_least_concentrated_approved_stack_of_the_same_class() {
    let a = analysis();
    let xiaomi = a.device("xiaomi-15s-pro-cn").unwrap();
    assert_eq!(
        diversified(xiaomi, &a.devices).map(|d| d.id.as_str()),
        Some("mixed-phone")
    );
    // The least concentrated phone has no better alternative; the only
    // vehicle has none; a laptop is never offered for a phone.
    let mixed = a.device("mixed-phone").unwrap();
    assert!(diversified(mixed, &a.devices).is_none());
    let car = a.device("xiaomi-su7").unwrap();
    assert!(diversified(car, &a.devices).is_none());
    // An unapproved stack is not an option, nor one as concentrated as
    // this (the Pixel: VCI 1.00 like the Xiaomi phone).
    let mut devices = a.devices.clone();
    for d in devices.iter_mut().filter(|d| d.id == "mixed-phone") {
        d.approved = false;
    }
    assert!(diversified(xiaomi, &devices).is_none());
}

#[test]
fn the_support_period_is_compared_with_the_term_of_use() {
    let a = analysis();
    let mut stack = stack_of(&a, "xiaomi-15s-pro-cn");
    let today = date("2026-12-01");
    let mut answers = Answers::default();
    stack.device.support = None;
    let s = support(&stack, &answers, today);
    assert!(s.declared.is_none() && s.verdict.starts_with("not declared: ask the vendor"));
    stack.device.support = Some(Support {
        until: Some(date("2028-06-30")),
        years: None,
        claim: None,
        source: "vendor page".into(),
        source_date: None,
        status: "S".into(),
        by: Some("vendor".into()),
    });
    assert!(
        support(&stack, &answers, today)
            .verdict
            .contains("not given")
    );
    answers.term_of_use = Some(TermOfUse {
        until: date("2028-10-31"),
        note: None,
    });
    let s = support(&stack, &answers, today);
    assert!(s.short && s.verdict.starts_with("ends before the intended term"));
    answers.term_of_use = Some(TermOfUse {
        until: date("2028-01-31"),
        note: None,
    });
    let s = support(&stack, &answers, today);
    assert!(!s.short && s.verdict.starts_with("covers the intended term"));
    // Support that has already ended is said so, whatever the term.
    let s = support(&stack, &answers, date("2029-01-01"));
    assert!(s.short && s.verdict.starts_with("support ended on 2028-06-30"));
}

#[test]
fn public_hooks_appear_only_for_a_public_buyer() {
    let mut answers = Answers::default();
    assert!(public_hooks(&answers).is_empty());
    answers.buyer = Some(Buyer {
        public: false,
        jurisdiction: Some("DE".into()),
    });
    assert!(public_hooks(&answers).is_empty());
    answers.buyer = Some(Buyer {
        public: true,
        jurisdiction: Some("DE".into()),
    });
    let rules: Vec<&str> = public_hooks(&answers).iter().map(|h| h.rule).collect();
    assert!(rules.iter().any(|r| r.contains("Art. 42(4)")));
    assert!(rules.iter().any(|r| r.contains("C-652/22")));
    assert!(rules.iter().any(|r| r.contains("2022/2560")));
}

#[test]
fn due_diligence_follows_the_parent_chain_and_names_what_is_not_declared() {
    let a = analysis();
    let fleet = crate::fleet::Fleet::open(&examples()).unwrap();
    let mut vendors = fleet.vendors.value.clone();
    for v in vendors.vendors.values_mut() {
        v.ownership = None;
        v.listed = None;
        v.control_indicators.clear();
    }
    let pixel = a.device("pixel-9-pro").unwrap();
    let rows = suppliers(pixel, Some(&vendors));
    let google = rows.iter().find(|r| r.id == "google").unwrap();
    assert_eq!(google.chain, "Google LLC (US) → Alphabet Inc. (US)");
    assert_eq!(
        google.not_declared,
        [
            "ownership and control",
            "listing venue",
            "foreign-control indicators"
        ]
    );
    assert!(google.facts.is_empty());
    // A listing declared on the parent is the group's.
    if let Some(alphabet) = vendors.vendors.get_mut("alphabet") {
        alphabet.listed = Some(Fact {
            claim: "Listed on Nasdaq".into(),
            source: "annual report".into(),
            source_date: None,
            retrieved: None,
            status: "M".into(),
            by: None,
        });
    }
    let rows = suppliers(pixel, Some(&vendors));
    let google = rows.iter().find(|r| r.id == "google").unwrap();
    assert_eq!(google.facts[0].entity, "Alphabet Inc.");
    assert_eq!(google.facts[0].text, "Listed on Nasdaq (annual report) [M]");
    assert!(!google.not_declared.contains(&"listing venue"));
    // Xiaomi's vacated designation is history, never a restriction.
    let xiaomi = a.device("xiaomi-15s-pro-cn").unwrap();
    let rows = suppliers(xiaomi, Some(&vendors));
    assert!(
        rows[0]
            .lists
            .starts_with("no active match on the lists screened")
    );
    assert!(
        rows[0]
            .lists
            .contains("historical entry, context and never a restriction")
    );
}

#[test]
fn residency_names_each_route_and_endpoint_with_its_region() {
    let a = analysis();
    let stack = stack_of(&a, "xiaomi-15s-pro-cn");
    let rows = residency(&stack, None);
    let wheres: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.destination.as_str(), r.zone))
        .collect();
    assert_eq!(
        wheres,
        [
            ("on-device", "on the device"),
            ("vendor-cloud", "outside the EEA"),
            ("api.example-vendor-cloud.invalid", "outside the EEA")
        ]
    );
}

#[test]
fn exit_says_what_a_full_vertical_stack_costs_to_leave() {
    let a = analysis();
    let d = a.device("xiaomi-15s-pro-cn").unwrap();
    let e = exit(d, &stack_of(&a, "xiaomi-15s-pro-cn"));
    assert!(e.switching[0].contains("leaving it replaces the whole device"));
    assert!(e.switching.iter().any(|s| s.contains("data path")));
}
