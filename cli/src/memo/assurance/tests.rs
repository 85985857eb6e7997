use super::*;

fn cert(scheme: Scheme) -> Certification {
    Certification {
        scheme,
        claim: "declared".into(),
        source: "declaration of conformity".into(),
        source_date: None,
        status: "S".into(),
        by: Some("vendor".into()),
    }
}

fn schemes(class: DeviceClass) -> Vec<&'static str> {
    expected_for(class)
        .iter()
        .map(|e| e.scheme.as_str())
        .collect()
}

#[test]
fn a_vehicle_calls_for_the_un_regulations_and_iso_21434_not_en_18031() {
    assert_eq!(
        schemes(DeviceClass::Vehicle),
        ["un-r155", "un-r156", "iso-sae-21434"]
    );
}

#[test]
fn a_phone_calls_for_en_18031_and_the_cra_and_only_iot_for_etsi_303_645() {
    let phone = schemes(DeviceClass::Phone);
    assert!(phone.contains(&"en-18031") && phone.contains(&"cra"));
    assert!(!phone.contains(&"etsi-en-303-645") && !phone.contains(&"un-r155"));
    assert!(schemes(DeviceClass::Iot).contains(&"etsi-en-303-645"));
    assert_eq!(schemes(DeviceClass::Laptop), phone);
}

#[test]
fn an_undeclared_scheme_asks_the_vendor_and_a_declared_one_is_cited() {
    let today = Date::parse("2026-12-01").unwrap();
    let r = rows(DeviceClass::Phone, &[cert(Scheme::En18031)], None, today);
    let en = r.iter().find(|r| r.scheme == "en-18031").unwrap();
    assert!(!en.ask);
    assert_eq!(
        en.declared,
        ["declared (declaration of conformity) [S], claim by vendor"]
    );
    let cra = r.iter().find(|r| r.scheme == "cra").unwrap();
    assert!(cra.ask && cra.declared.is_empty());
    // Without a calendar the date is not stated, and says why.
    assert!(
        cra.dates[0].starts_with("Cyber Resilience Act reporting obligations: date not stated")
    );
}

#[test]
fn a_declared_scheme_the_class_does_not_call_for_is_kept_and_said_so() {
    let today = Date::parse("2026-12-01").unwrap();
    let r = rows(DeviceClass::Phone, &[cert(Scheme::UnR155)], None, today);
    let last = r.last().unwrap();
    assert_eq!(last.scheme, "un-r155");
    assert!(
        last.applies
            .contains("not among the schemes strata lists for a phone")
    );
}
