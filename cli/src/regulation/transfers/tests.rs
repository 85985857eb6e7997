//! The transfer analysis on the example fleet's devices, with the facts
//! changed one at a time.

use std::path::{Path, PathBuf};

use super::*;
use crate::analyze::{AnalyzeOptions, FleetAnalysis, analyze_fleet};
use crate::clock::Date;
use crate::model::{self, Calendar, FileKind, Tia};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

struct Case {
    analysis: FleetAnalysis,
    stack: Stack,
    answers: Answers,
    calendar: Calendar,
    id: String,
}

impl Case {
    fn new(id: &str) -> Case {
        let analysis = analyze_fleet(&examples(), &AnalyzeOptions::default()).unwrap();
        let d = analysis.device(id).unwrap();
        let stack = model::load::<Stack>(&examples().join(&d.stack), FileKind::Stack)
            .unwrap()
            .value;
        let calendar = model::load_calendar_of(&examples()).unwrap().unwrap().value;
        Case {
            analysis: analysis.clone(),
            stack,
            answers: Answers {
                version: 1,
                ..Answers::default()
            },
            calendar,
            id: id.into(),
        }
    }

    fn used_in(mut self, countries: &[&str]) -> Case {
        let id = self.id.clone();
        let d = self
            .analysis
            .devices
            .iter_mut()
            .find(|d| d.id == id)
            .unwrap();
        d.used_in = countries.iter().map(|c| c.to_string()).collect();
        self
    }

    fn answer(mut self, destination: &str, tool: &str) -> Case {
        self.answers.transfers.push(TransferAnswer {
            destination: destination.into(),
            recipient: None,
            tool: tool.into(),
            module: None,
            tia: None,
            local_law: None,
            reason: None,
        });
        self
    }

    fn run(&self) -> Transfers {
        analyse(&Input {
            stack: &self.stack,
            device: self.analysis.device(&self.id).unwrap(),
            answers: &self.answers,
            calendar: Some(&self.calendar),
            today: Date::parse("2026-12-01").unwrap(),
        })
    }
}

fn dest<'a>(t: &'a Transfers, name: &str) -> &'a Destination {
    t.destinations
        .iter()
        .find(|d| d.destination == name)
        .unwrap_or_else(|| panic!("no destination {name}"))
}

#[test]
fn a_china_build_used_in_china_never_leaves_the_eea() {
    let t = Case::new("xiaomi-15s-pro-cn").run();
    let d = dest(&t, "vendor-cloud");
    assert_eq!(d.country.as_deref(), Some("CN"));
    assert_eq!(d.chapter_v, ChapterV::ToDetermine);
    assert!(d.movement.contains("never in the EEA"), "{}", d.movement);
    assert!(!d.movement.contains("leaves the EEA"), "{}", d.movement);
    assert!(d.chapter_v_reason.contains("EDPB Guidelines 05/2021"));
    assert_eq!(d.recipient, "Xiaomi Corporation");
    // China's own law governs the collection there, dated from the calendar.
    assert!(
        t.local_law.iter().any(
            |l| l.starts_with("Personal Information Protection Law (PIPL)")
                && l.contains("applies since 2021-11-01")
        ),
        "{:?}",
        t.local_law
    );
    // The automobile-data provisions are for cars, not phones.
    assert!(
        !t.local_law.iter().any(|l| l.contains("Automobile")),
        "{:?}",
        t.local_law
    );
    let car = Case::new("xiaomi-su7").run();
    assert!(
        car.local_law.iter().any(|l| l.contains("Automobile")),
        "{:?}",
        car.local_law
    );
    assert!(
        d.access.contains("no EU adequacy decision for CN"),
        "{}",
        d.access
    );
    assert!(
        d.access.contains("Irish DPC decision on TikTok"),
        "{}",
        d.access
    );
    assert!(
        d.open
            .iter()
            .any(|o| o.contains("whether this is a transfer"))
    );
}

#[test]
fn the_same_device_used_in_germany_transfers_to_china() {
    let t = Case::new("xiaomi-15s-pro-cn").used_in(&["DE"]).run();
    let d = dest(&t, "vendor-cloud");
    assert_eq!(d.chapter_v, ChapterV::Transfer);
    assert!(d.movement.contains("leaves the EEA"), "{}", d.movement);
    assert!(t.local_law.is_empty());
    assert!(d.open.iter().any(|o| o.contains("no transfer tool")));
}

#[test]
fn work_data_sent_from_china_to_the_eea_is_an_export_under_pipl() {
    let mut c = Case::new("xiaomi-15s-pro-cn");
    c.answers.data_inventory.push(crate::model::InventoryRow {
        category: "Work mail".into(),
        recipient: "Mail GmbH".into(),
        location: "Germany".into(),
        country: Some("DE".into()),
        retention: "2 years".into(),
    });
    let t = c.run();
    let d = dest(&t, "Mail GmbH");
    assert_eq!(d.source, "answers");
    assert_eq!(d.chapter_v, ChapterV::NoTransfer);
    assert!(d.chapter_v_reason.contains("export under the law there"));
    assert!(
        d.open
            .iter()
            .any(|o| o.contains("leaves CN for DE") && o.contains("local-law")),
        "{:?}",
        d.open
    );
}

#[test]
fn a_claimed_adequacy_for_china_is_flagged_not_believed() {
    let t = Case::new("xiaomi-15s-pro-cn")
        .used_in(&["DE"])
        .answer("vendor-cloud", "adequacy")
        .run();
    let d = dest(&t, "vendor-cloud");
    assert!(
        d.conflicts.iter().any(|o| o.contains("has none for CN")),
        "{:?}",
        d.conflicts
    );
}

#[test]
fn the_dpf_fits_a_us_recipient_and_no_other() {
    let t = Case::new("pixel-9-pro").answer("vendor-cloud", "dpf").run();
    let d = dest(&t, "vendor-cloud");
    assert_eq!(d.country.as_deref(), Some("US"));
    assert_eq!(d.chapter_v, ChapterV::Transfer);
    assert!(
        d.access.contains("EU-US Data Privacy Framework"),
        "{}",
        d.access
    );
    assert!(d.access.contains("certified recipients only"));
    assert!(d.open.is_empty(), "{:?}", d.open);
    let cn = Case::new("xiaomi-15s-pro-cn")
        .used_in(&["DE"])
        .answer("vendor-cloud", "dpf")
        .run();
    assert!(
        dest(&cn, "vendor-cloud")
            .conflicts
            .iter()
            .any(|o| o.contains("US recipients only"))
    );
}

#[test]
fn sccs_need_an_impact_assessment() {
    let mut c = Case::new("xiaomi-15s-pro-cn")
        .used_in(&["DE"])
        .answer("vendor-cloud", "sccs");
    let without = c.run();
    assert!(
        dest(&without, "vendor-cloud")
            .open
            .iter()
            .any(|o| o.contains("Schrems II"))
    );
    c.answers.transfers[0].module = Some(1);
    c.answers.transfers[0].tia = Some(Tia {
        reference: "TIA-1".into(),
        date: None,
        outcome: "remote access blocked".into(),
    });
    let with = c.run();
    let d = dest(&with, "vendor-cloud");
    assert!(d.open.is_empty(), "{:?}", d.open);
    assert!(d.tool.contains("module 1"));
    assert_eq!(d.tia, "TIA-1: remote access blocked");
}

#[test]
fn not_a_transfer_settles_an_open_status_only_with_a_reason() {
    let mut c = Case::new("xiaomi-15s-pro-cn").answer("vendor-cloud", "not-a-transfer");
    let bare = c.run();
    assert!(
        dest(&bare, "vendor-cloud")
            .open
            .iter()
            .any(|o| o.contains("needs its reason"))
    );
    c.answers.transfers[0].reason = Some("the employee's own account with the vendor".into());
    let t = c.run();
    let d = dest(&t, "vendor-cloud");
    assert_eq!(d.chapter_v, ChapterV::NoTransfer);
    assert!(d.chapter_v_reason.contains("own account"));
    // Data that leaves the EEA is a transfer whatever the answers say.
    let de = Case::new("xiaomi-15s-pro-cn")
        .used_in(&["DE"])
        .answer("vendor-cloud", "not-a-transfer")
        .run();
    let d = dest(&de, "vendor-cloud");
    assert_eq!(d.chapter_v, ChapterV::Transfer);
    assert!(
        d.conflicts
            .iter()
            .any(|o| o.contains("say this is not a transfer"))
    );
}

#[test]
fn an_answer_for_a_destination_nobody_declares_is_reported() {
    let t = Case::new("laptop").answer("nowhere.invalid", "sccs").run();
    assert_eq!(t.unmatched, vec!["nowhere.invalid".to_string()]);
    assert!(t.has_open());
}

#[test]
fn scope_follows_the_establishment_not_the_device() {
    let mut c = Case::new("xiaomi-15s-pro-cn");
    assert!(c.run().scope.contains("not determined"));
    c.answers.roles = Some(crate::model::Roles {
        controller: "Example Holding GmbH".into(),
        established_in: Some("DE".into()),
        determination: "decides".into(),
        parties: vec![],
    });
    let s = c.run().scope;
    assert!(s.contains("establishment in DE (Art. 3(1))"), "{s}");
    assert!(s.contains("devices used in CN"), "{s}");
}

#[test]
fn an_undeclared_country_or_use_is_left_open() {
    let t = Case::new("xiaomi-15s-pro-cn").used_in(&[]).run();
    let d = dest(&t, "vendor-cloud");
    assert!(
        d.movement
            .contains("where the devices are used is not declared")
    );
    assert_eq!(d.chapter_v, ChapterV::Transfer);
}
