use super::*;
use crate::model::{Assessment, Effect, Measure};

fn measure(id: Option<&str>, treats: &[&str], status: Option<MeasureStatus>) -> MeasureEntry {
    MeasureEntry::Measure(Measure {
        id: id.map(str::to_string),
        text: "block endpoints".into(),
        treats: treats.iter().map(|t| t.to_string()).collect(),
        owner: Some("IT".into()),
        status,
        effect: Some(Effect::Likelihood),
        steps: None,
        evidence: None,
        verified_by: None,
    })
}

fn answers(measures: Vec<MeasureEntry>) -> Answers {
    let mut a = Answers {
        version: 1,
        measures,
        ..Answers::default()
    };
    a.risks.insert(
        "R-3".into(),
        Assessment {
            measures: vec!["server-side copies".into()],
            ..Assessment::default()
        },
    );
    a
}

#[test]
fn measures_are_numbered_in_file_order_and_plain_ones_treat_no_risk() {
    let a = answers(vec![
        MeasureEntry::Plain("MDM work profile".into()),
        measure(None, &["R-1"], Some(MeasureStatus::InPlace)),
        measure(Some("M-9"), &["R-2"], None),
    ]);
    let r = register(&a);
    let ids: Vec<&str> = r.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["M-1", "M-2", "M-9", "M-4"]);
    assert!(r[0].treats.is_empty() && r[0].plain && r[0].owner.is_none());
    assert_eq!(r[1].status, Some("in-place"));
    assert_eq!(r[1].steps, 1);
    assert_eq!(r[3].treats, ["R-3"]);
    assert_eq!(r[3].pointer, "/risks/R-3/measures/0");
}

#[test]
fn a_risk_type_not_proposed_here_is_marked_not_an_error() {
    let a = answers(vec![measure(None, &["R-1", "R-4"], None)]);
    let mut r = register(&a);
    not_in_register(&mut r, &["R-1", "R-3"]);
    assert_eq!(r[0].not_in_register, ["R-4"]);
    assert!(r[1].not_in_register.is_empty());
}

#[test]
fn an_unknown_risk_id_and_a_duplicate_id_are_errors() {
    let a = answers(vec![
        measure(Some("M-2"), &["R-1", "R-9"], None),
        measure(None, &["R-1"], None),
    ]);
    let d = check(
        &register(&a),
        &[Scored {
            id: "R-1",
            inherent: (2, 2),
            inherent_declared: (false, false),
            declared: (None, None),
        }],
        &["R-4"],
    );
    let got: Vec<(&str, Option<&str>)> = d
        .iter()
        .map(|d| (d.code.as_str(), d.pointer.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("unknown-risk", Some("/measures/0/treats/1")),
            ("duplicate-measure-id", Some("/measures/1/id")),
        ]
    );
    assert!(d[0].message.contains("`R-9`"), "{}", d[0].message);
}

#[test]
fn a_residual_above_the_inherent_score_is_an_error() {
    let d = check(
        &[],
        &[
            Scored {
                id: "R-1",
                inherent: (3, 2),
                inherent_declared: (true, true),
                declared: (Some(3), Some(3)),
            },
            Scored {
                id: "X-2",
                inherent: (2, 2),
                inherent_declared: (true, true),
                declared: (Some(4), None),
            },
            // Above strata's proposal: an open point, not an error.
            Scored {
                id: "R-2",
                inherent: (2, 1),
                inherent_declared: (false, false),
                declared: (Some(3), Some(2)),
            },
        ],
        &[],
    );
    let got: Vec<&str> = d.iter().filter_map(|d| d.pointer.as_deref()).collect();
    assert_eq!(
        got,
        [
            "/risks/R-1/residual-likelihood",
            "/extra-risks/1/residual-severity"
        ]
    );
    assert!(
        d.iter()
            .all(|d| d.code.as_str() == "residual-above-inherent")
    );
}

fn item(
    id: &str,
    effect: Option<&'static str>,
    steps: u8,
    status: Option<&'static str>,
) -> MeasureItem {
    MeasureItem {
        id: id.into(),
        text: String::new(),
        treats: vec!["R-1".into()],
        owner: None,
        status,
        effect,
        steps,
        evidence: None,
        verified_by: None,
        pointer: String::new(),
        plain: false,
        not_in_register: Vec::new(),
    }
}

fn proposed(severity: u8, likelihood: u8) -> Inherent {
    Inherent {
        severity,
        likelihood,
        declared: (false, false),
    }
}

#[test]
fn a_residual_is_computed_from_the_effects_never_below_one() {
    let a = item("M-1", Some("likelihood"), 2, Some("in-place"));
    let b = item("M-2", Some("both"), 1, Some("verified"));
    let r = residual("R-1", proposed(4, 2), (None, None), None, &[&a, &b]);
    assert_eq!(
        (r.severity, r.likelihood, r.by),
        (Some(3), Some(1), Some("computed"))
    );
    assert_eq!(
        r.reason.as_deref(),
        Some("computed from the measures' effects: severity M-2 −1; likelihood M-1 −2, M-2 −1")
    );
    assert_eq!((r.note, r.open), (None, None));
    let none = residual("R-1", proposed(4, 2), (None, None), None, &[]);
    assert_eq!((none.severity, none.by), (None, None));
}

#[test]
fn a_declared_residual_says_what_it_rests_on() {
    let planned = item("M-1", None, 0, Some("planned"));
    let r = residual(
        "R-1",
        proposed(3, 3),
        (Some(3), Some(2)),
        Some("why"),
        &[&planned],
    );
    assert_eq!(r.by, Some("answers"));
    assert_eq!(r.reason.as_deref(), Some("why"));
    assert_eq!(
        r.note.as_deref(),
        Some("relies only on planned measures (M-1)")
    );
    let unknown = item("M-2", None, 0, None);
    let r = residual("R-1", proposed(3, 3), (Some(3), Some(2)), None, &[&unknown]);
    assert_eq!(
        r.note.as_deref(),
        Some("relies on measures whose status is not stated (M-2)")
    );
    let r = residual("R-1", proposed(3, 3), (Some(2), Some(3)), None, &[]);
    assert_eq!(
        r.open.as_deref(),
        Some("the residual score is below the inherent one, but no measure treats R-1")
    );
    // Above strata's proposal: an open point.
    let r = residual(
        "R-1",
        proposed(2, 1),
        (Some(3), Some(1)),
        Some("why"),
        &[&planned],
    );
    assert_eq!(
        r.open.as_deref(),
        Some(
            "the residual severity 3 is above the inherent severity 2 strata proposes; confirm the inherent severity with its reason, or lower the residual one"
        )
    );
    // Unchanged scores need no measure.
    let r = residual("R-1", proposed(3, 3), (Some(3), Some(3)), None, &[]);
    assert_eq!((r.note, r.open), (None, None));
}
