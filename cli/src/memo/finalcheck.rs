//! What `--final` demands of the answers: every element a DPO signs off
//! (roles, the lawful basis per purpose with the legitimate-interest test
//! and Art. 88, the data inventory, information and rights, processors,
//! the Art. 35(9) views, the DPO's advice and what became of it) and, for
//! every memo, residual acceptance or measures, sign-off and a version.
//! Each missing element is one diagnostic with the answers key as pointer.
//! Also the sign-off table each document carries: its own roles, filled
//! from the answers.

use serde::Serialize;

use crate::diag::{Code, Diagnostic};
use crate::model::{Answers, LawfulBasis, SignOff};

use crate::decision::measures::{MeasureItem, risk_pointer};
use crate::decision::risks::Risk;

use super::MemoKind;
use super::context::DeviceContext;

/// Who signs a DPIA (the ICO template's outcomes: measures, residual
/// risks, the DPO's advice).
pub const DPIA_SIGN_OFF: &[&str] = &[
    "Measures approved by",
    "Residual risks approved by",
    "DPO advice provided",
];

/// Who signs a procurement memo or the fleet memo.
pub const PROCUREMENT_SIGN_OFF: &[&str] = &[
    "Procurement lead",
    "CIO / CISO",
    "DPO (advice)",
    "Legal",
    "Business owner",
];

/// One row of a document's sign-off table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignOffRow {
    /// The role.
    pub role: String,
    /// Who, when the answers name them.
    pub name: Option<String>,
    /// When, when the answers date it.
    pub date: Option<String>,
    /// One of the document's own roles (a final document names each).
    pub required: bool,
}

fn roles(kind: MemoKind) -> (&'static [&'static str], &'static str) {
    match kind {
        MemoKind::Dpia => (DPIA_SIGN_OFF, "dpia"),
        MemoKind::Procurement | MemoKind::Fleet => (PROCUREMENT_SIGN_OFF, "procurement"),
    }
}

/// The sign-off table of a `kind` document: its own roles in order, each
/// filled from the answers row with the same role (case-insensitive), then
/// the answers' other rows that name this `document` (a row without one
/// only fills a matching role, so a DPIA's signatories do not appear on the
/// procurement memo).
pub fn sign_off(kind: MemoKind, answers: &Answers) -> Vec<SignOffRow> {
    let (own, doc) = roles(kind);
    let for_doc: Vec<&SignOff> = answers
        .sign_off
        .iter()
        .filter(|s| s.document.as_deref().is_none_or(|d| d == doc))
        .collect();
    let row = |role: &str, s: Option<&&SignOff>, required: bool| SignOffRow {
        role: role.to_string(),
        name: s.and_then(|s| s.name.clone()),
        date: s.and_then(|s| s.date.map(|d| d.to_string())),
        required,
    };
    let mut out: Vec<SignOffRow> = own
        .iter()
        .map(|r| {
            let found = for_doc.iter().find(|s| s.role.eq_ignore_ascii_case(r));
            row(r, found, true)
        })
        .collect();
    for s in for_doc.iter().filter(|s| s.document.is_some()) {
        if !own.iter().any(|r| s.role.eq_ignore_ascii_case(r)) {
            out.push(row(&s.role, Some(s), false));
        }
    }
    out
}

fn empty(o: &Option<String>) -> bool {
    o.as_deref().is_none_or(|s| s.trim().is_empty())
}

/// The elements of a final DPIA that the answers leave out, as
/// (JSON pointer into the answers, what it is).
fn dpia_missing(answers: &Answers, ctx: Option<&DeviceContext>) -> Vec<(String, String)> {
    let mut missing: Vec<(String, String)> = Vec::new();
    let mut need = |key: &str, what: &str| missing.push((format!("/{key}"), what.to_string()));
    if answers.roles.is_none() {
        need(
            "roles",
            "controller/processor roles and why (Art. 4(7), 26, 28)",
        );
    }
    if empty(&answers.purposes) {
        need("purposes", "Art. 35(7)(a): purposes of the processing");
    }
    if answers.lawful_bases.is_empty() {
        need("lawful-bases", "the lawful basis of each purpose (Art. 6)");
    }
    for (k, b) in answers.lawful_bases.iter().enumerate() {
        if b.basis == LawfulBasis::LEGITIMATE_INTEREST && b.legitimate_interest.is_none() {
            missing.push((
                format!("/lawful-bases/{k}/legitimate-interest"),
                format!(
                    "the legitimate-interest test for \"{}\" (Art. 6(1)(f): purpose, necessity, balancing)",
                    b.purpose
                ),
            ));
        }
        match b.employee_data {
            None => missing.push((
                format!("/lawful-bases/{k}/employee-data"),
                format!("whether \"{}\" processes employees' data", b.purpose),
            )),
            Some(true) if empty(&b.employment_law) => missing.push((
                format!("/lawful-bases/{k}/employment-law"),
                format!(
                    "Art. 88 and the national employment law or works agreement for \"{}\"",
                    b.purpose
                ),
            )),
            Some(_) => {}
        }
    }
    let mut need = |key: &str, what: &str| missing.push((format!("/{key}"), what.to_string()));
    if answers.data_inventory.is_empty() {
        need(
            "data-inventory",
            "the data inventory (category × recipient legal entity × location × retention)",
        );
    }
    if answers.transparency.is_none() {
        need(
            "transparency",
            "information to data subjects (Art. 13, 14) and rights handling",
        );
    }
    if answers.processors.is_none() {
        need(
            "processors",
            "processors and their Art. 28 agreements (`[]` when there are none)",
        );
    }
    if empty(&answers.necessity) {
        need("necessity", "Art. 35(7)(b): necessity and proportionality");
    }
    if answers.views_sought.is_empty() && empty(&answers.views_not_sought_reason) {
        need(
            "views-sought",
            "Art. 35(9): the views sought and what they were (or `views-not-sought-reason`)",
        );
    }
    if let Some(c) = ctx {
        missing.extend(register_missing(&c.measures, &c.risks));
    }
    let mut need = |key: &str, what: &str| missing.push((format!("/{key}"), what.to_string()));
    if empty(&answers.dpo_advice) {
        need("dpo-advice", "Art. 35(2): the DPO's advice");
    }
    match answers.dpo_advice_accepted {
        None => need(
            "dpo-advice-accepted",
            "whether the DPO's advice was accepted",
        ),
        Some(false) if empty(&answers.dpo_advice_overruled_reason) => need(
            "dpo-advice-overruled-reason",
            "the reasons for overruling the DPO's advice",
        ),
        Some(_) => {}
    }
    if let Some(c) = ctx {
        missing.extend(legal_missing(answers, c));
    }
    missing
}

/// What the transfer analysis and the employment context leave open: the
/// controller's establishment (Art. 3), each destination's Chapter V status
/// and tool, answers about destinations nobody declares, and the WP249
/// points.
fn legal_missing(answers: &Answers, c: &DeviceContext) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if answers
        .roles
        .as_ref()
        .is_some_and(|r| r.established_in.is_none())
    {
        out.push((
            "/roles/established-in".into(),
            "where the controller is established (Art. 3 territorial scope)".into(),
        ));
    }
    for d in &c.transfers.destinations {
        for what in d.open.iter().chain(&d.conflicts) {
            out.push((
                "/transfers".into(),
                format!("Chapter V for {}: {what}", d.destination),
            ));
        }
    }
    for u in &c.transfers.unmatched {
        out.push((
            "/transfers".into(),
            format!("the answers name a destination `{u}` that no source declares"),
        ));
    }
    // The WP249 points the lawful-basis checks above do not already ask.
    if let Some(e) = &c.employment {
        for p in e.open() {
            let (key, what) = match p.topic {
                "Consent" if answers.lawful_bases.is_empty() => continue,
                "Consent" => (
                    "/lawful-bases",
                    "WP249: consent is relied on for employees' data; choose another basis",
                ),
                "Monitoring" => (
                    "/employment/monitoring",
                    "WP249: what the employer will and will not monitor, and why that is necessary, proportionate and transparent",
                ),
                "Private and work data (BYOD)" => (
                    "/employment/separation",
                    "WP249: how private and work data are kept apart on employees' own devices",
                ),
                _ => continue,
            };
            out.push((key.into(), what.into()));
        }
    }
    out
}

/// What the measure and risk registers lack for a final DPIA: a measure
/// without owner or status or without the risks it treats; a high or
/// medium inherent risk no measure treats; a score without its reason;
/// a risk without a residual score; a residual score below the inherent
/// one while no measure treats the risk.
fn register_missing(measures: &[MeasureItem], risks: &[Risk]) -> Vec<(String, String)> {
    let mut missing: Vec<(String, String)> = Vec::new();
    for m in measures {
        for t in &m.not_in_register {
            missing.push((
                format!("{}/treats", m.pointer),
                format!(
                    "measure {} treats {t}, which is not in this device's risk register (section 4 says why): remove it or treat a risk of the register",
                    m.id
                ),
            ));
        }
        if m.plain {
            missing.push((
                m.pointer.clone(),
                format!(
                    "measure {} is a plain sentence: give it `text`, `treats`, `owner`, `status` and `effect`",
                    m.id
                ),
            ));
            continue;
        }
        for (key, absent) in [
            ("treats", m.treats.is_empty()),
            ("owner", m.owner.is_none()),
            ("status", m.status.is_none()),
        ] {
            if absent {
                missing.push((
                    format!("{}/{key}", m.pointer),
                    format!("measure {}: its `{key}`", m.id),
                ));
            }
        }
    }
    let untreated: Vec<String> = risks
        .iter()
        .filter(|r| r.level != "low" && r.measures.is_empty())
        .map(|r| format!("{} ({} inherent risk)", r.id, r.level))
        .collect();
    if !untreated.is_empty() {
        missing.push((
            "/measures".into(),
            format!("Art. 35(7)(d): a measure treating {}", untreated.join(", ")),
        ));
    }
    for r in risks {
        let at = risk_pointer(&r.id);
        if r.severity_reason.is_none() {
            missing.push((
                format!("{at}/severity-reason"),
                format!("the reason for {}'s severity {}", r.id, r.severity),
            ));
        }
        if r.likelihood_reason.is_none() {
            missing.push((
                format!("{at}/likelihood-reason"),
                format!("the reason for {}'s likelihood {}", r.id, r.likelihood),
            ));
        }
        if r.residual_level.is_none() {
            missing.push((
                at.clone(),
                format!("the residual severity and likelihood of {}", r.id),
            ));
        } else if r.residual_reason.is_none() {
            missing.push((
                format!("{at}/residual-reason"),
                format!("the reason for {}'s residual score", r.id),
            ));
        }
        if let Some(open) = &r.residual_open {
            missing.push((
                format!("{at}/residual-severity"),
                format!("{}: {open}", r.id),
            ));
        }
    }
    missing
}

/// Required answers for a final memo that are missing, one diagnostic each.
pub(super) fn missing_sections(
    kind: MemoKind,
    answers: &Answers,
    ctx: Option<&DeviceContext>,
) -> Vec<Diagnostic> {
    let mut missing = if kind == MemoKind::Dpia {
        dpia_missing(answers, ctx)
    } else if empty(&answers.residual_acceptance) {
        vec![(
            "/residual-acceptance".into(),
            "who accepts the residual risk".into(),
        )]
    } else {
        Vec::new()
    };
    for r in sign_off(kind, answers)
        .iter()
        .filter(|r| r.required && r.name.is_none())
    {
        missing.push((
            "/sign-off".into(),
            format!("sign-off: no name for the role \"{}\"", r.role),
        ));
    }
    if empty(&answers.document.version) {
        missing.push((
            "/document/version".into(),
            "the document's version (a final document carries one)".into(),
        ));
    }
    // Every condition is a clause with a due date: the library's from
    // `condition-owners`, the answers' own from their `due`.
    for c in ctx
        .map(|c| c.recommendation.conditions.as_slice())
        .unwrap_or_default()
    {
        if c.due.is_some() {
            continue;
        }
        missing.push(match c.key {
            Some(key) => (
                format!("/condition-owners/{key}"),
                format!(
                    "owner and due date of condition {} (`{key}`): {}",
                    c.id, c.text
                ),
            ),
            None => (
                "/conditions".into(),
                format!("the due date of condition {}: {}", c.id, c.text),
            ),
        });
    }
    missing
        .into_iter()
        .map(|(pointer, what)| {
            let key = pointer.trim_start_matches('/').to_string();
            Diagnostic::error(
                Code::MemoSectionEmpty,
                format!("required section is empty: {what}"),
            )
            .pointer(pointer)
            .help(format!(
                "answer `{key}` in the answers file (`strata schema answers`)"
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LegitimateInterest, Processor, Roles, Transparency, View};

    fn pointers(a: &Answers) -> Vec<String> {
        missing_sections(MemoKind::Dpia, a, None)
            .iter()
            .filter_map(|d| d.pointer.clone())
            .collect()
    }

    fn basis(b: &str, employee: Option<bool>) -> LawfulBasis {
        LawfulBasis {
            purpose: "mail".into(),
            basis: b.into(),
            explanation: None,
            art9: None,
            legitimate_interest: None,
            employee_data: employee,
            employment_law: None,
        }
    }

    fn complete() -> Answers {
        Answers {
            version: 1,
            roles: Some(Roles {
                controller: "Org".into(),
                established_in: Some("DE".into()),
                determination: "decides".into(),
                parties: vec![],
            }),
            purposes: Some("mail".into()),
            lawful_bases: vec![basis("6(1)(b)", Some(false))],
            data_inventory: vec![crate::model::InventoryRow {
                category: "mail".into(),
                recipient: "Org".into(),
                location: "DE".into(),
                country: Some("DE".into()),
                retention: "2 years".into(),
            }],
            transparency: Some(Transparency {
                information: "notice".into(),
                rights: "portal".into(),
            }),
            processors: Some(vec![]),
            necessity: Some("needed".into()),
            views_sought: vec![View {
                from: "works council".into(),
                date: "2026-10-02".parse().unwrap(),
                view: "agreed".into(),
                response: None,
            }],
            dpo_advice: Some("proceed".into()),
            dpo_advice_accepted: Some(true),
            sign_off: DPIA_SIGN_OFF
                .iter()
                .map(|r| SignOff {
                    role: r.to_lowercase(),
                    name: Some("A. Person".into()),
                    date: None,
                    document: None,
                })
                .collect(),
            document: crate::model::Document {
                version: Some("1.0".into()),
                ..Default::default()
            },
            ..Answers::default()
        }
    }

    #[test]
    fn a_complete_answers_file_misses_nothing() {
        assert_eq!(pointers(&complete()), Vec::<String>::new());
    }

    #[test]
    fn an_empty_answers_file_misses_every_element() {
        let p = pointers(&Answers::default());
        for key in [
            "/roles",
            "/purposes",
            "/lawful-bases",
            "/data-inventory",
            "/transparency",
            "/processors",
            "/necessity",
            "/views-sought",
            "/dpo-advice",
            "/dpo-advice-accepted",
            "/sign-off",
            "/document/version",
        ] {
            assert!(p.contains(&key.to_string()), "{key} in {p:?}");
        }
    }

    #[test]
    fn legitimate_interest_needs_its_test() {
        let mut a = complete();
        a.lawful_bases = vec![basis("6(1)(f)", Some(false))];
        assert_eq!(pointers(&a), ["/lawful-bases/0/legitimate-interest"]);
        a.lawful_bases[0].legitimate_interest = Some(LegitimateInterest {
            interest: "security".into(),
            necessity: "no other way".into(),
            balancing: "limited".into(),
        });
        assert_eq!(pointers(&a), Vec::<String>::new());
    }

    #[test]
    fn employee_data_needs_art_88_and_must_be_stated() {
        let mut a = complete();
        a.lawful_bases = vec![basis("6(1)(b)", None), basis("6(1)(b)", Some(true))];
        assert_eq!(
            pointers(&a),
            [
                "/lawful-bases/0/employee-data",
                "/lawful-bases/1/employment-law"
            ]
        );
        a.lawful_bases[0].employee_data = Some(false);
        a.lawful_bases[1].employment_law = Some("Art. 88; BetrVG s.87(1) no. 6".into());
        assert_eq!(pointers(&a), Vec::<String>::new());
    }

    #[test]
    fn overruled_advice_needs_reasons() {
        let mut a = complete();
        a.dpo_advice_accepted = Some(false);
        assert_eq!(pointers(&a), ["/dpo-advice-overruled-reason"]);
        a.dpo_advice_overruled_reason = Some("business need".into());
        assert_eq!(pointers(&a), Vec::<String>::new());
    }

    #[test]
    fn views_or_a_reason_for_none() {
        let mut a = complete();
        a.views_sought.clear();
        assert_eq!(pointers(&a), ["/views-sought"]);
        a.views_not_sought_reason = Some("disproportionate".into());
        assert_eq!(pointers(&a), Vec::<String>::new());
    }

    #[test]
    fn processors_absent_is_missing_but_an_empty_list_says_none() {
        let mut a = complete();
        a.processors = None;
        assert_eq!(pointers(&a), ["/processors"]);
        a.processors = Some(vec![Processor {
            entity: "Mail Host GmbH".into(),
            service: "mail".into(),
            agreement: "DPA 2026-01".into(),
            location: None,
        }]);
        assert_eq!(pointers(&a), Vec::<String>::new());
    }

    #[test]
    fn procurement_memo_needs_residual_acceptance_sign_off_and_version() {
        let p: Vec<String> = missing_sections(MemoKind::Procurement, &Answers::default(), None)
            .iter()
            .filter_map(|d| d.pointer.clone())
            .collect();
        assert_eq!(p[0], "/residual-acceptance");
        assert_eq!(p.iter().filter(|p| *p == "/sign-off").count(), 5);
        assert_eq!(p.last().map(String::as_str), Some("/document/version"));
    }

    #[test]
    fn each_document_signs_with_its_own_roles() {
        let mut a = complete();
        a.sign_off.push(SignOff {
            role: "Procurement lead".into(),
            name: Some("B. Buyer".into()),
            date: Some("2026-11-30".parse().unwrap()),
            document: Some("procurement".into()),
        });
        a.sign_off.push(SignOff {
            role: "Works council chair".into(),
            name: Some("C. Chair".into()),
            date: None,
            document: Some("dpia".into()),
        });
        let dpia = sign_off(MemoKind::Dpia, &a);
        let roles: Vec<&str> = dpia.iter().map(|r| r.role.as_str()).collect();
        assert_eq!(
            roles,
            [
                "Measures approved by",
                "Residual risks approved by",
                "DPO advice provided",
                "Works council chair"
            ]
        );
        assert!(dpia[..3].iter().all(|r| r.required && r.name.is_some()));
        assert!(!dpia[3].required);
        let proc = sign_off(MemoKind::Procurement, &a);
        let roles: Vec<&str> = proc.iter().map(|r| r.role.as_str()).collect();
        assert_eq!(roles, PROCUREMENT_SIGN_OFF);
        assert_eq!(proc[0].name.as_deref(), Some("B. Buyer"));
        assert_eq!(proc[0].date.as_deref(), Some("2026-11-30"));
        // The DPIA's rows (no `document`) fill no procurement role and are
        // not listed there: four of its roles are unnamed.
        let missing: Vec<String> = missing_sections(MemoKind::Procurement, &a, None)
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert!(
            missing.contains(
                &"required section is empty: sign-off: no name for the role \"Legal\"".into()
            ),
            "{missing:?}"
        );
        assert_eq!(missing.iter().filter(|m| m.contains("sign-off")).count(), 4);
        assert_eq!(sign_off(MemoKind::Fleet, &a), proc);
    }

    fn scored(id: &str, s: u8, l: u8, residual: Option<(u8, u8)>) -> Risk {
        crate::decision::risks::sample(id, s, l, residual)
    }

    fn measures_of(a: &Answers) -> Vec<MeasureItem> {
        crate::decision::measures::register(a)
    }

    #[test]
    fn a_complete_register_misses_nothing() {
        let a = Answers {
            measures: vec![crate::model::MeasureEntry::Measure(crate::model::Measure {
                id: None,
                text: "block endpoints".into(),
                treats: vec!["R-1".into()],
                owner: Some("IT".into()),
                status: Some(crate::model::MeasureStatus::Planned),
                effect: None,
                steps: None,
                evidence: None,
                verified_by: None,
            })],
            ..Answers::default()
        };
        let m = measures_of(&a);
        let mut r = scored("R-1", 4, 3, Some((3, 2)));
        r.measures = m.clone();
        let low = scored("R-3", 2, 2, Some((2, 2)));
        assert_eq!(register_missing(&m, &[r, low]), Vec::new());
    }

    #[test]
    fn measures_without_owner_status_or_risk_are_refused() {
        let a = Answers {
            measures: vec![
                crate::model::MeasureEntry::Plain("MDM work profile".into()),
                crate::model::MeasureEntry::Measure(crate::model::Measure {
                    id: None,
                    text: "block endpoints".into(),
                    treats: vec![],
                    owner: None,
                    status: None,
                    effect: None,
                    steps: None,
                    evidence: None,
                    verified_by: None,
                }),
            ],
            ..Answers::default()
        };
        let got: Vec<String> = register_missing(&measures_of(&a), &[])
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(
            got,
            [
                "/measures/0",
                "/measures/1/treats",
                "/measures/1/owner",
                "/measures/1/status"
            ]
        );
    }

    #[test]
    fn an_untreated_risk_a_missing_reason_or_an_open_residual_is_refused() {
        let mut high = scored("R-1", 4, 3, Some((3, 2)));
        high.severity_reason = None;
        high.residual_open = Some("no measure treats R-1".into());
        let mut medium = scored("X-2", 2, 3, Some((2, 3)));
        medium.residual_reason = None;
        let mut low = scored("R-3", 2, 2, None);
        low.likelihood_reason = None;
        let got = register_missing(&[], &[high, medium, low]);
        let pointers: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/measures",
                "/risks/R-1/severity-reason",
                "/risks/R-1/residual-severity",
                "/extra-risks/1/residual-reason",
                "/risks/R-3/likelihood-reason",
                "/risks/R-3",
            ]
        );
        assert_eq!(
            got[0].1,
            "Art. 35(7)(d): a measure treating R-1 (high inherent risk), X-2 (medium inherent risk)"
        );
    }
}
