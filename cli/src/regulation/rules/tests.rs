//! Which rules fit which deployment, on the example fleet's devices.

use std::path::{Path, PathBuf};

use super::*;
use crate::analyze::{AnalyzeOptions, FleetAnalysis, analyze_fleet};
use crate::clock::Date;
use crate::model::{self, Answers, Calendar, FileKind, Stack};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn fleet() -> (FleetAnalysis, Calendar) {
    (
        analyze_fleet(&examples(), &AnalyzeOptions::default()).unwrap(),
        model::load_calendar_of(&examples()).unwrap().unwrap().value,
    )
}

fn notes(
    analysis: &FleetAnalysis,
    calendar: Option<&Calendar>,
    id: &str,
    deployment: Option<&str>,
) -> Vec<RuleNote> {
    let mut d = analysis.device(id).unwrap().clone();
    if let Some(dep) = deployment {
        d.deployment = Some(dep.into());
    }
    let stack = model::load::<Stack>(&examples().join(&d.stack), FileKind::Stack)
        .unwrap()
        .value;
    let answers = Answers::default();
    rules(&Input {
        stack: &stack,
        device: &d,
        answers: &answers,
        calendar,
        today: Date::parse("2026-12-01").unwrap(),
    })
}

fn find<'a>(n: &'a [RuleNote], prefix: &str) -> Option<&'a RuleNote> {
    n.iter().find(|r| r.rule.starts_with(prefix))
}

#[test]
fn the_car_gets_the_data_act_and_emotion_recognition_not_messages() {
    let (a, cal) = fleet();
    let n = notes(&a, Some(&cal), "xiaomi-su7", None);
    let data_act = find(&n, "Data Act Arts 4–5").unwrap();
    assert!(data_act.duty.contains("Art. 4") && data_act.duty.contains("Art. 5"));
    assert!(!data_act.duty.contains("return"));
    assert_eq!(
        data_act.date.as_ref().unwrap().text,
        "applies since 2025-09-12 [M]"
    );
    let emotions = find(&n, "AI Act Art. 5(1)(f)").unwrap();
    assert!(emotions.fits.contains("cabin"), "{}", emotions.fits);
    let art50 = find(&n, "AI Act Art. 50").unwrap();
    assert!(art50.fits.contains("paired phone"), "{}", art50.fits);
    assert!(!art50.fits.contains("messages, calls"));
    let eprivacy = find(&n, "ePrivacy").unwrap();
    assert!(
        eprivacy
            .fits
            .starts_with("the connected car is terminal equipment")
    );
    assert!(eprivacy.date.is_none());
}

#[test]
fn annex_iii_carries_both_dates_never_a_bare_deferral() {
    let (a, cal) = fleet();
    let n = notes(&a, Some(&cal), "xiaomi-15s-pro-cn", None);
    let annex = find(&n, "AI Act Art. 26").unwrap();
    let text = &annex.date.as_ref().unwrap().text;
    assert!(
        text.contains("2026-08-02") && text.contains("2027-12-02"),
        "{text}"
    );
    assert!(!text.contains("proposes a deferral"));
    // Without a calendar the date is said missing, not made up.
    let none = notes(&a, None, "xiaomi-15s-pro-cn", None);
    let annex = find(&none, "AI Act Art. 26").unwrap();
    assert!(annex.date.as_ref().unwrap().missing);
}

#[test]
fn byod_does_not_make_the_employer_the_agents_deployer() {
    let (a, cal) = fleet();
    let byod = notes(&a, Some(&cal), "xiaomi-15s-pro-cn", Some("byod"));
    let art4 = find(&byod, "AI Act Art. 4").unwrap();
    assert!(art4.fits.contains("not its deployer"), "{}", art4.fits);
    let cope = notes(&a, Some(&cal), "xiaomi-15s-pro-cn", Some("cope"));
    let art4 = find(&cope, "AI Act Art. 4").unwrap();
    assert!(
        art4.fits.contains("so it deploys the agent"),
        "{}",
        art4.fits
    );
    // The phone's agent sends messages for the user: Art. 50 fits.
    assert!(find(&cope, "AI Act Art. 50").is_some());
    assert!(find(&cope, "Data Act").is_none());
}

#[test]
fn a_device_without_an_agent_gets_no_ai_act_deployer_rules() {
    let (a, cal) = fleet();
    let n = notes(&a, Some(&cal), "mixed-phone", None);
    for r in &n {
        assert!(!r.rule.starts_with("Data Act"), "{}", r.rule);
    }
    assert!(find(&n, "ePrivacy").is_some());
}
