//! Unit tests of the rule catalogue and its parameter parsing.

use super::*;

fn parse_yaml(
    code: RuleCode,
    level: Level,
    yaml: &str,
) -> std::result::Result<RuleConfig, Vec<String>> {
    let v: Value = serde_json::from_str(yaml).unwrap();
    let mut criteria = BTreeMap::new();
    criteria.insert(
        "sec".to_string(),
        Criterion {
            description: "security".into(),
        },
    );
    let at = |d: Diagnostic, p: &str| d.pointer(p);
    let ctx = Ctx {
        criteria: &criteria,
        policy_dir: Path::new("."),
        at: &at,
        at_key: &at,
    };
    parse(code, level, v.as_object().unwrap(), "/rules/x", &ctx).map_err(|ds| {
        ds.into_iter()
            .map(|d| format!("{}@{}", d.code, d.pointer.unwrap_or_default()))
            .collect()
    })
}

#[test]
fn codes_are_unique_kebab_case_and_round_trip() {
    let mut codes: Vec<&str> = RuleCode::ALL.iter().map(|r| r.code()).collect();
    for r in RuleCode::ALL {
        assert_eq!(RuleCode::from_code(r.code()), Some(r));
        assert_eq!(serde_json::to_value(r).unwrap().as_str(), Some(r.code()));
        assert!(r.code().chars().all(|c| c.is_ascii_lowercase() || c == '-'));
    }
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), RuleCode::ALL.len());
    assert_eq!(RuleCode::from_code("nope"), None);
}

#[test]
fn typed_parameters_are_read_once() {
    match parse_yaml(RuleCode::MaxLayersPerGroup, Level::Warn, r#"{"max": 3}"#) {
        Ok(RuleConfig::MaxLayersPerGroup { max: 3 }) => {}
        other => panic!("{other:?}"),
    }
    match parse_yaml(
        RuleCode::RequiredLayers,
        Level::Deny,
        r#"{"layers": ["os", "silicon"]}"#,
    ) {
        Ok(RuleConfig::RequiredLayers { layers }) => {
            assert_eq!(layers, vec![LayerName::Os, LayerName::Silicon])
        }
        other => panic!("{other:?}"),
    }
    match parse_yaml(
        RuleCode::StaleReview,
        Level::Deny,
        r#"{"criteria": ["sec"], "max-age-days": 90}"#,
    ) {
        Ok(RuleConfig::StaleReview {
            criteria,
            max_age_days: Some(90),
        }) => {
            assert_eq!(criteria, vec!["sec"])
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        parse_yaml(RuleCode::UnsignedAttestation, Level::Allow, "{}"),
        Ok(RuleConfig::UnsignedAttestation(_))
    ));
}

#[test]
fn every_bad_parameter_is_reported_at_its_pointer() {
    let e = |code, yaml| parse_yaml(code, Level::Deny, yaml).unwrap_err();
    assert_eq!(
        e(RuleCode::MaxLayersPerGroup, r#"{"max": 0, "min": 1}"#),
        vec![
            "invalid-rule-parameter@/rules/x/min",
            "invalid-rule-parameter@/rules/x/max"
        ]
    );
    assert_eq!(
        e(RuleCode::MaxLayersPerGroup, r#"{"max": "3"}"#),
        vec!["invalid-rule-parameter@/rules/x/max"]
    );
    assert_eq!(
        e(
            RuleCode::MaxLayersPerGroup,
            r#"{"max": 18446744073709551616}"#
        ),
        vec!["invalid-rule-parameter@/rules/x/max"]
    );
    assert_eq!(
        e(
            RuleCode::RequiredLayers,
            r#"{"layers": ["os", "kernel", 3]}"#
        ),
        vec![
            "invalid-rule-parameter@/rules/x/layers/1",
            "invalid-rule-parameter@/rules/x/layers/2"
        ]
    );
    assert_eq!(
        e(RuleCode::RequiredLayers, r#"{"layers": []}"#),
        vec!["invalid-rule-parameter@/rules/x/layers"]
    );
    assert_eq!(
        e(
            RuleCode::StaleReview,
            r#"{"criteria": ["sec", "dpo", 3], "max-age-days": -1}"#
        ),
        vec![
            "unknown-criterion@/rules/x/criteria/1",
            "invalid-rule-parameter@/rules/x/criteria/2",
            "invalid-rule-parameter@/rules/x/max-age-days"
        ]
    );
    assert_eq!(
        e(RuleCode::FullVertical, r#"{"max": 1}"#),
        vec!["invalid-rule-parameter@/rules/x/max"]
    );
    assert_eq!(
        e(RuleCode::UnsignedAttestation, r#"{"key": 3}"#),
        vec!["invalid-rule-parameter@/rules/x/key"]
    );
    assert_eq!(
        e(RuleCode::UnsignedAttestation, "{}"),
        vec!["invalid-rule-parameter@/rules/x"]
    );
}

#[test]
fn the_schema_documents_every_rule_and_parameter() {
    let schema = crate::model::schema_value(crate::model::FileKind::Policy);
    let rules = &schema["properties"]["rules"]["properties"];
    let documented: Vec<&String> = rules.as_object().unwrap().keys().collect();
    assert_eq!(documented.len(), RuleCode::ALL.len());
    for r in RuleCode::ALL {
        let reference = rules[r.code()]["$ref"].as_str().unwrap();
        let def = schema.pointer(&reference[1..]).unwrap();
        assert!(def["description"].is_string(), "{r}");
        assert_eq!(def["additionalProperties"], false, "{r}");
        let mut keys: Vec<&str> = def["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.retain(|k| *k != "level");
        let mut params: Vec<&str> = r.params().iter().map(|p| p.name).collect();
        params.sort_unstable();
        assert_eq!(
            keys, params,
            "{r}: the schema declares parameters in sorted order"
        );
        for p in r.params() {
            assert!(
                def["properties"][p.name]["description"].is_string(),
                "{r} {}",
                p.name
            );
        }
    }
}

#[test]
fn the_catalogue_lists_every_rule_and_parameter() {
    let text = render_catalogue();
    for r in RuleCode::ALL {
        assert!(text.contains(&format!("{}\n    {}\n", r.code(), r.description())));
        for p in r.params() {
            assert!(text.contains(&format!("    parameter {}: {}\n", p.name, p.doc)));
        }
    }
}

#[test]
fn inventory_rules_take_thresholds_and_ownership() {
    match parse_yaml(
        RuleCode::UnapprovedInUse,
        Level::Deny,
        r#"{"max-share": 0.05, "ownership": ["personal", "unknown"]}"#,
    ) {
        Ok(RuleConfig::Inventory(t)) => {
            assert_eq!(t.max_devices, None, "only the share limits");
            assert_eq!(t.max_share, Some(0.05));
            assert_eq!(t.ownership.names(), ["personal", "unknown"]);
            assert!(!t.ownership.all());
        }
        other => panic!("{other:?}"),
    }
    match parse_yaml(RuleCode::UnknownModel, Level::Warn, "{}") {
        Ok(RuleConfig::Inventory(t)) => {
            assert_eq!(t.max_devices, Some(0), "any device is a finding by default");
            assert!(t.ownership.all());
        }
        other => panic!("{other:?}"),
    }
    assert!(RuleCode::BelowMinimumOs.is_inventory());
    assert!(!RuleCode::StaleReview.is_inventory());
}

#[test]
fn bad_inventory_thresholds_are_reported_at_their_pointers() {
    let e = |code, yaml| parse_yaml(code, Level::Deny, yaml).unwrap_err();
    assert_eq!(
        e(
            RuleCode::UnapprovedInUse,
            r#"{"max-devices": -1, "max-share": 1.5, "ownership": ["personal", "staff", 3]}"#
        ),
        vec![
            "invalid-rule-parameter@/rules/x/max-devices",
            "invalid-rule-parameter@/rules/x/max-share",
            "invalid-rule-parameter@/rules/x/ownership/1",
            "invalid-rule-parameter@/rules/x/ownership/2"
        ]
    );
    assert_eq!(
        e(RuleCode::UnresolvedManufacturer, r#"{"ownership": []}"#),
        vec!["invalid-rule-parameter@/rules/x/ownership"]
    );
    assert_eq!(
        e(RuleCode::UnknownModel, r#"{"max-share": 0.5}"#),
        vec!["invalid-rule-parameter@/rules/x/max-share"],
        "only unapproved-in-use takes a share"
    );
}
