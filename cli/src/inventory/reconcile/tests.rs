use std::path::PathBuf;

use super::*;
use crate::fleet::Fleet;
use crate::inventory::Via;
use crate::model::{self, ApprovedDevices, FileKind, Loaded};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn run(
    sources: &[Source],
    pseudo: &Pseudonymizer,
    records: Option<RecordSink<'_>>,
) -> Result<InventoryReport> {
    let root = examples();
    let fleet = Fleet::open(&root).unwrap();
    let catalog = model::load(&root.join("catalog.yaml"), FileKind::Catalog).unwrap();
    let approved: Loaded<ApprovedDevices> = model::load(
        &root.join("approved-devices.yaml"),
        FileKind::ApprovedDevices,
    )
    .unwrap();
    let approved: BTreeSet<String> = approved.value.devices.into_iter().map(|d| d.id).collect();
    let designations: Loaded<Designations> =
        model::load(&root.join("designations.yaml"), FileKind::Designations).unwrap();
    let matcher = Matcher::new(&fleet, &catalog).unwrap();
    reconcile(
        &matcher,
        Path::new("catalog.yaml"),
        &approved,
        Some(&designations.value),
        pseudo,
        sources,
        Options {
            now: Time::parse("2026-12-01T00:00:00Z").unwrap(),
            stale_days: 30,
        },
        records,
    )
}

fn source(format: SourceFormat, rel: &str) -> Source {
    Source {
        format,
        path: examples().join("inventory").join(rel),
        mapping: None,
        within: None,
    }
}

fn key() -> Pseudonymizer {
    Pseudonymizer::keyed(b"example organisation key, 32 byte", "test").unwrap()
}

#[test]
fn the_example_intune_export() {
    let r = run(&[source(SourceFormat::Graph, "intune")], &key(), None).unwrap();
    let s = &r.sources[0];
    assert_eq!(
        (
            s.files,
            s.records,
            s.duplicates,
            s.stale,
            s.retired,
            s.active
        ),
        (2, 15, 1, 1, 0, 13)
    );
    assert_eq!(
        s.ownership,
        Counts {
            company: 4,
            personal: 7,
            unknown: 2
        }
    );
    let stacks: Vec<(&str, bool, u64)> = s
        .stacks
        .iter()
        .map(|row| {
            (
                row.stack.as_deref().unwrap(),
                row.approved,
                row.devices.total(),
            )
        })
        .collect();
    assert_eq!(
        stacks,
        vec![
            ("laptop", true, 1),
            ("mixed-phone", true, 1),
            ("pixel-9-pro", true, 1),
            ("xiaomi-15s-pro-cn", true, 2)
        ]
    );
    // Two rules matched the Xiaomi phone: its model code and its name.
    let x = s
        .stacks
        .iter()
        .find(|r| r.stack.as_deref() == Some("xiaomi-15s-pro-cn"))
        .unwrap();
    assert_eq!(x.matched_by.len(), 2);
    let unknown: Vec<(&str, Option<&str>, u64)> = s
        .unknown_models
        .iter()
        .map(|g| (g.vendor.as_str(), g.group.as_deref(), g.devices.total()))
        .collect();
    assert_eq!(
        unknown,
        vec![
            ("xiaomi", Some("xiaomi"), 2),
            ("google", Some("alphabet"), 1),
            ("samsung", Some("samsung"), 1)
        ]
    );
    let xiaomi = &s.unknown_models[0];
    assert_eq!(xiaomi.devices.personal, 2);
    assert_eq!(
        xiaomi.reported_as.keys().collect::<Vec<_>>(),
        vec!["POCO", "Xiaomi"]
    );
    let unresolved: Vec<&str> = s
        .unresolved
        .iter()
        .map(|u| u.manufacturer.as_str())
        .collect();
    assert_eq!(unresolved, vec!["(none)", "Apple", "HUAWEI", "LENOVO"]);
    assert_eq!(s.modes.get("easMdm"), Some(&1));
    assert_eq!(r.totals.approved.total(), 5);
    assert_eq!(r.totals.not_approved().total(), 8);
    // The raw HUAWEI string surfaces against the FCC Covered List entry.
    let huawei: Vec<&ScreeningHit> = r
        .screening
        .iter()
        .filter(|h| h.subject == "HUAWEI")
        .collect();
    assert_eq!(huawei.len(), 1);
    assert_eq!(huawei[0].via, Via::ReportedManufacturer);
    assert_eq!(
        huawei[0].confidence,
        crate::analyze::screening::Confidence::Possible
    );
    assert_eq!(huawei[0].status, crate::model::EntryStatus::Active);
    assert_eq!(huawei[0].devices, 1);
    // Xiaomi is screened as a vendor (the historical DoD entry), not again
    // by its reported string.
    assert!(
        r.screening
            .iter()
            .any(|h| h.subject == "xiaomi" && h.via == Via::Vendor)
    );
    assert!(
        !r.screening
            .iter()
            .any(|h| h.subject == "Xiaomi" && h.via == Via::ReportedManufacturer)
    );
}

#[test]
fn every_example_source_together_is_deterministic() {
    let mut generic = source(SourceFormat::Csv, "asset-register.csv");
    generic.mapping = Some(
        Mapping::parse(&[
            "id=Asset Tag",
            "manufacturer=Vendor",
            "model=Model",
            "os=Platform",
            "ownership=Owner type",
            "last-seen=Last inventory",
        ])
        .unwrap(),
    );
    let sources = vec![
        source(SourceFormat::Graph, "intune"),
        source(SourceFormat::Android, "android-enterprise.json"),
        source(SourceFormat::Jamf, "jamf"),
        source(SourceFormat::VinCsv, "vehicles.csv"),
        generic,
    ];
    let a = run(&sources, &key(), None).unwrap();
    let b = run(&sources, &key(), None).unwrap();
    assert_eq!(a, b);
    let android = &a.sources[1];
    assert_eq!(
        (android.records, android.retired, android.active),
        (7, 1, 6)
    );
    assert_eq!(android.modes.get("work-profile"), Some(&4));
    let jamf = &a.sources[2];
    assert_eq!(jamf.unresolved[0].manufacturer, "Apple");
    assert_eq!(
        jamf.ownership,
        Counts {
            company: 1,
            personal: 0,
            unknown: 1
        }
    );
    let vehicles = &a.sources[3];
    assert_eq!(vehicles.active, 6);
    assert_eq!(vehicles.stacks[0].stack.as_deref(), Some("xiaomi-su7"));
    assert_eq!(vehicles.stacks[0].devices.total(), 2);
    assert_eq!(vehicles.unknown_models[0].models.len(), 2);
    assert_eq!(a.warnings.len(), 1);
    assert_eq!(a.warnings[0].code, crate::diag::Code::VinCheckDigit);
    let assets = &a.sources[4];
    assert_eq!(assets.stacks.len(), 2);
    assert_eq!(assets.unknown_models[0].vendor, "dell");
}

#[test]
fn records_carry_pseudonyms_only_and_none_without_a_key() {
    let mut rows = Vec::new();
    let mut sink = |r: &RecordRow<'_>| {
        rows.push((r.device.clone(), r.user.clone(), r.status, r.state));
        Ok(())
    };
    run(
        &[source(SourceFormat::Graph, "intune")],
        &key(),
        Some(&mut sink),
    )
    .unwrap();
    assert_eq!(rows.len(), 15);
    assert!(rows.iter().all(
        |(d, u, _, _)| d.as_deref().is_some_and(|d| d.starts_with("d-"))
            && u.as_deref().is_some_and(|u| u.starts_with("u-"))
    ));
    assert_eq!(rows[0].0, rows[14].0);
    assert_eq!(rows[14].3, "duplicate");
    assert_eq!(rows.iter().filter(|r| r.3 == "stale").count(), 1);
    let mut rows = Vec::new();
    let mut sink = |r: &RecordRow<'_>| {
        rows.push((r.device.clone(), r.user.clone()));
        Ok(())
    };
    let r = run(
        &[source(SourceFormat::Graph, "intune")],
        &Pseudonymizer::without_key(),
        Some(&mut sink),
    )
    .unwrap();
    assert_eq!(r.pseudonyms, "none");
    // Still counted once each.
    assert_eq!(r.sources[0].duplicates, 1);
    assert!(rows.iter().all(|(d, u)| d.is_none() && u.is_none()));
}

#[test]
fn record_errors_from_every_file_are_reported_together() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.json"),
        r#"{"value":[{"managedDeviceOwnerType":"x"}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.json"),
        r#"{"value":[{"lastSyncDateTime":"soon"}]}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a page").unwrap();
    let s = Source {
        format: SourceFormat::Graph,
        path: dir.path().to_path_buf(),
        mapping: None,
        within: None,
    };
    let d = run(&[s], &key(), None).unwrap_err().diagnostics();
    assert_eq!(d.len(), 2);
    assert!(d[0].file.as_ref().unwrap().ends_with("a.json"));
    assert!(d[1].file.as_ref().unwrap().ends_with("b.json"));
}

/// A source the policy names stays inside the policy's directory: a page
/// or a whole export reached through a symbolic link out of it is refused,
/// as an evidence file would be; the same link given on the command line
/// is read.
#[cfg(unix)]
#[test]
fn policy_sources_do_not_follow_links_out_of_the_fleet() {
    let outside = tempfile::tempdir().unwrap();
    let export = examples().join("inventory/intune/page-1.json");
    std::fs::copy(&export, outside.path().join("page-1.json")).unwrap();
    let fleet = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), fleet.path().join("intune")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("page-1.json"),
        fleet.path().join("page.json"),
    )
    .unwrap();
    for rel in ["intune", "page.json"] {
        let named = |within: Option<&std::path::Path>| Source {
            format: SourceFormat::Graph,
            path: fleet.path().join(rel),
            mapping: None,
            within: within.map(std::path::Path::to_path_buf),
        };
        let err = run(&[named(Some(fleet.path()))], &key(), None).unwrap_err();
        let d = err.diagnostics();
        assert!(d[0].message.contains("symbolic link"), "{rel}: {:?}", d[0]);
        assert!(run(&[named(None)], &key(), None).is_ok(), "{rel}");
    }
}
