use std::path::{Path, PathBuf};

use super::*;
use crate::model::{self, FileKind};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn example_matcher<T>(f: impl FnOnce(&Matcher<'_>) -> T) -> T {
    let fleet = Fleet::open(&examples()).unwrap();
    let catalog = model::load(&examples().join("catalog.yaml"), FileKind::Catalog).unwrap();
    let m = Matcher::new(&fleet, &catalog).unwrap();
    f(&m)
}

fn stack_of(m: &Matcher<'_>, r: &Resolved) -> Option<String> {
    match &r.class {
        Class::Model { entry, .. } => m.catalog().models[*entry].stack.clone(),
        _ => None,
    }
}

#[test]
fn the_example_catalog_matches_the_issue_identifiers() {
    example_matcher(|m| {
        for (make, model, os, stack) in [
            ("Xiaomi", "25042PN24C", Some("Android"), "xiaomi-15s-pro-cn"),
            ("XIAOMI", "xiaomi 15s pro", None, "xiaomi-15s-pro-cn"),
            ("Google", "Pixel 9 Pro", Some("Android"), "pixel-9-pro"),
            ("google", "PIXEL-9-PRO", None, "pixel-9-pro"),
            ("Fairphone", "FP5", Some("Android"), "mixed-phone"),
            ("Dell Inc.", "Latitude 7450", Some("Windows 11"), "laptop"),
            ("DELL", "Latitude  7450", Some("Windows"), "laptop"),
            ("Xiaomi", "SU7", None, "xiaomi-su7"),
        ] {
            let r = m.resolve(Some(make), None, Some(model), os, None);
            assert_eq!(stack_of(m, &r).as_deref(), Some(stack), "{make} {model}");
            assert!(r.class.explain(m.catalog()).contains("catalog models["));
        }
        // The SU7 is Xiaomi EV's, in the Xiaomi group.
        let r = m.resolve(Some("Xiaomi"), None, Some("SU7"), None, None);
        assert_eq!(r.vendor.as_deref(), Some("xiaomi-ev"));
        assert_eq!(r.group.as_deref(), Some("xiaomi"));
    });
}

#[test]
fn unknown_models_resolve_to_their_vendor_and_rules_are_named() {
    example_matcher(|m| {
        let r = m.resolve(
            Some("Xiaomi"),
            None,
            Some("2312DRA50G"),
            Some("Android"),
            None,
        );
        assert_eq!(
            r.class,
            Class::UnknownModel(ManufacturerRule::Catalog {
                vendor: "xiaomi".into(),
                name: "Xiaomi".into()
            })
        );
        assert_eq!(r.group.as_deref(), Some("xiaomi"));
        // Redmi and POCO are Xiaomi, by name or by Android brand.
        let r = m.resolve(Some("POCO"), None, Some("24069PC21G"), None, None);
        assert_eq!(r.vendor.as_deref(), Some("xiaomi"));
        let r = m.resolve(
            Some("Unbranded OEM"),
            Some("Redmi"),
            Some("23129RN51X"),
            None,
            None,
        );
        assert!(matches!(
            r.class,
            Class::UnknownModel(ManufacturerRule::Brand { .. })
        ));
        // vendors.yaml knows Samsung by its id, Google by its catalog name.
        let r = m.resolve(Some("samsung"), None, Some("SM-S928B"), None, None);
        assert!(
            matches!(&r.class, Class::UnknownModel(ManufacturerRule::Vendors { vendor, .. }) if vendor == "samsung")
        );
        let r = m.resolve(Some("Google"), None, Some("Pixel 8"), None, None);
        assert_eq!(r.group.as_deref(), Some("alphabet"));
        assert!(
            r.class
                .explain(m.catalog())
                .contains("model not in the catalog")
        );
        // Nobody knows Huawei, Apple, or an empty manufacturer.
        for make in [Some("HUAWEI"), Some("Apple"), None] {
            let r = m.resolve(make, None, Some("ELS-NX9"), None, None);
            assert_eq!(r.class, Class::Unresolved, "{make:?}");
        }
    });
}

#[test]
fn os_and_group_must_fit_and_a_bare_model_must_be_unambiguous() {
    example_matcher(|m| {
        // The Xiaomi phone's model code on iOS is not the phone.
        let r = m.resolve(Some("Xiaomi"), None, Some("25042PN24C"), Some("iOS"), None);
        assert!(matches!(r.class, Class::UnknownModel(_)));
        // Another maker's device reporting a catalogued name is not it.
        let r = m.resolve(Some("samsung"), None, Some("FP5"), None, None);
        assert!(matches!(r.class, Class::UnknownModel(_)));
        // An unresolved maker never matches by model.
        let r = m.resolve(Some("Fairfone"), None, Some("FP5"), None, None);
        assert_eq!(r.class, Class::Unresolved);
        // No maker reported: the model name alone, when unambiguous.
        let r = m.resolve(None, None, Some("FP5"), None, None);
        assert_eq!(stack_of(m, &r).as_deref(), Some("mixed-phone"));
        assert!(
            r.class
                .explain(m.catalog())
                .contains("no manufacturer reported")
        );
    });
}

#[test]
fn catalogs_naming_unknown_vendors_or_one_name_twice_are_refused() {
    let fleet = Fleet::open(&examples()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("catalog.yaml");
    std::fs::write(
        &p,
        "version: 1\nmanufacturers:\n  xiaomi:\n    names: [Xiaomi]\n  huawei:\n    names: [Huawei]\n  google:\n    names: [XIAOMI]\nmodels:\n  - vendor: nokia\n    names: [\"3310\"]\n",
    )
    .unwrap();
    let catalog = model::load(&p, FileKind::Catalog).unwrap();
    let d = match Matcher::new(&fleet, &catalog) {
        Err(e) => e.diagnostics(),
        Ok(_) => panic!("accepted"),
    };
    let codes: Vec<(Code, usize)> = d
        .iter()
        .map(|d| (d.code, d.position.unwrap().line))
        .collect();
    assert!(codes.contains(&(Code::UnknownVendor, 6)), "{codes:?}");
    assert!(codes.contains(&(Code::UnknownVendor, 10)), "{codes:?}");
    assert!(
        codes.iter().any(|(c, _)| *c == Code::CatalogAmbiguous),
        "{codes:?}"
    );
}

#[test]
fn wmis_resolve_vehicles_without_a_make() {
    let fleet = Fleet::open(&examples()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("catalog.yaml");
    std::fs::write(
        &p,
        "version: 1\nmanufacturers:\n  xiaomi-ev:\n    wmi: [LXM]\nmodels:\n  - vendor: xiaomi-ev\n    stack: xiaomi-su7\n    names: [SU7]\n",
    )
    .unwrap();
    let catalog = model::load(&p, FileKind::Catalog).unwrap();
    let m = Matcher::new(&fleet, &catalog).unwrap();
    let r = m.resolve(None, None, Some("SU7"), None, Some("LXM"));
    assert!(matches!(
        &r.class,
        Class::Model {
            maker: Some(ManufacturerRule::Wmi { .. }),
            ..
        }
    ));
    let r = m.resolve(None, None, Some("YU7"), None, Some("LXM"));
    assert!(r.class.explain(m.catalog()).contains("VIN WMI LXM"));
}

#[test]
fn normalisation() {
    assert_eq!(model_key("Pixel 9 Pro"), model_key("PIXEL-9-PRO"));
    assert_eq!(model_key("Mac16,1"), "mac161");
    assert_eq!(maker_key("Dell Inc."), "dell");
    assert_eq!(maker_key("LENOVO"), "lenovo");
    assert_eq!(
        maker_key("Xiaomi Communications Co., Ltd."),
        "xiaomicommunications"
    );
}

#[test]
fn versions_compare_numerically_with_missing_parts_as_zero() {
    use std::cmp::Ordering;
    assert_eq!(version("15.0"), Some(vec![15, 0]));
    assert_eq!(version("10.0.26100.2314"), Some(vec![10, 0, 26100, 2314]));
    assert_eq!(version(" 17.6.1 (21G93)"), Some(vec![17, 6, 1]));
    assert_eq!(version("Sonoma"), None);
    assert_eq!(version(""), None);
    let cmp = |a: &str, b: &str| compare_versions(&version(a).unwrap(), &version(b).unwrap());
    assert_eq!(cmp("15", "15.0"), Ordering::Equal);
    assert_eq!(cmp("14", "15"), Ordering::Less);
    assert_eq!(cmp("10.0.22631", "10.0.26100"), Ordering::Less);
    assert_eq!(cmp("9.9", "10"), Ordering::Less, "numbers, not text");
}

#[test]
fn below_minimum_judges_only_what_the_device_reports() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("vendors.yaml"),
        "version: 1\nvendors:\n  google:\n    name: Google LLC\n    jurisdiction: US\n",
    )
    .unwrap();
    let p = root.join("catalog.yaml");
    std::fs::write(
        &p,
        "version: 1\nmodels:\n  - vendor: google\n    stack: pixel\n    names: [Pixel 9]\n    min-os-version: \"15\"\n    min-patch-level: \"2026-10-01\"\n  - vendor: google\n    names: [Pixel 8]\n",
    )
    .unwrap();
    let fleet = crate::fleet::Fleet::open(root).unwrap();
    let catalog = model::load(&p, FileKind::Catalog).unwrap();
    let m = Matcher::new(&fleet, &catalog).unwrap();
    let date = |s: &str| crate::clock::Date::parse(s).ok();
    assert!(m.below_minimum(0, Some("14"), None));
    assert!(!m.below_minimum(0, Some("15.0"), None));
    assert!(m.below_minimum(0, Some("15"), date("2026-09-01")));
    assert!(!m.below_minimum(0, Some("16"), date("2026-10-01")));
    assert!(!m.below_minimum(0, None, None), "nothing reported");
    assert!(!m.below_minimum(0, Some("unknown"), None));
    assert!(
        !m.below_minimum(1, Some("1"), date("2020-01-01")),
        "no minimum"
    );
}
