//! The employment points by deployment and answers.

use std::path::{Path, PathBuf};

use super::*;
use crate::analyze::{AnalyzeOptions, analyze_fleet};
use crate::clock::Date;
use crate::model::{self, Answers, FileKind, LawfulBasis, Stack};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn run(id: &str, deployment: Option<&str>, answers: &Answers) -> Option<Employment> {
    let analysis = analyze_fleet(&examples(), &AnalyzeOptions::default()).unwrap();
    let mut d = analysis.device(id).unwrap().clone();
    d.deployment = deployment.map(str::to_string);
    let stack = model::load::<Stack>(&examples().join(&d.stack), FileKind::Stack)
        .unwrap()
        .value;
    employment(&Input {
        stack: &stack,
        device: &d,
        answers,
        calendar: None,
        today: Date::parse("2026-12-01").unwrap(),
    })
}

fn basis(b: &str, employee: bool, law: Option<&str>) -> LawfulBasis {
    LawfulBasis {
        purpose: "work mail".into(),
        basis: b.into(),
        explanation: None,
        art9: None,
        legitimate_interest: None,
        employee_data: Some(employee),
        employment_law: law.map(str::to_string),
    }
}

fn point<'a>(e: &'a Employment, topic: &str) -> Option<&'a Point> {
    e.points.iter().find(|p| p.topic.starts_with(topic))
}

#[test]
fn byod_asks_for_separation_and_monitoring() {
    let e = run("xiaomi-15s-pro-cn", Some("byod"), &Answers::default()).unwrap();
    assert!(e.who.contains("their own devices"));
    assert!(point(&e, "Private and work data").unwrap().open);
    let m = point(&e, "Monitoring").unwrap();
    assert!(m.open);
    assert!(
        m.text.contains("agent `miclaw` runs in the background"),
        "{}",
        m.text
    );
    assert_eq!(e.open().count(), 4);
}

#[test]
fn consent_for_employees_data_is_flagged() {
    let answers = Answers {
        lawful_bases: vec![basis("6(1)(a)", true, Some("works agreement"))],
        ..Answers::default()
    };
    let e = run("laptop", Some("cope"), &answers).unwrap();
    let c = point(&e, "Consent").unwrap();
    assert!(c.open);
    assert!(c.text.contains("WP249"));
    // No BYOD point on a company device.
    assert!(point(&e, "Private and work data").is_none());
    assert!(!point(&e, "National employment law").unwrap().open);
}

#[test]
fn complete_answers_leave_nothing_open() {
    let answers = Answers {
        lawful_bases: vec![basis(
            "6(1)(b)",
            true,
            Some("BetrVG s.87(1) no. 6 works agreement"),
        )],
        employment: Some(crate::model::Employment {
            separation: Some("work profile".into()),
            monitoring: Some("none".into()),
        }),
        ..Answers::default()
    };
    let e = run("xiaomi-15s-pro-cn", Some("byod"), &answers).unwrap();
    assert_eq!(e.open().count(), 0, "{:?}", e.points);
}

#[test]
fn the_car_names_its_telemetry_and_a_kiosk_is_no_employment_case() {
    let e = run("xiaomi-su7", Some("fleet-vehicle"), &Answers::default()).unwrap();
    let m = point(&e, "Monitoring").unwrap();
    assert!(
        m.text.contains("cabin-audio, driving-behaviour, location"),
        "{}",
        m.text
    );
    assert!(run("xiaomi-su7", Some("kiosk"), &Answers::default()).is_none());
    assert!(run("xiaomi-su7", None, &Answers::default()).is_none());
}
