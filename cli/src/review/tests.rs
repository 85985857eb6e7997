use std::path::Path;

use super::*;
use crate::model::Reviews;

fn fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let fleet = tmp.path().join("fleet");
    std::fs::create_dir_all(fleet.join("stacks")).unwrap();
    for f in [
        "policy.yaml",
        "approved-devices.yaml",
        "vendors.yaml",
        "keys/demo-signing-key.pub",
    ] {
        std::fs::create_dir_all(fleet.join(f).parent().unwrap()).unwrap();
        std::fs::copy(root.join("examples").join(f), fleet.join(f)).unwrap();
    }
    let att = tmp.path().join("attestations/pixel-9-pro");
    std::fs::create_dir_all(&att).unwrap();
    for f in ["bom.cdx.json", "bom.sigstore.json"] {
        std::fs::copy(root.join("attestations/pixel-9-pro").join(f), att.join(f)).unwrap();
    }
    tmp
}

fn request(criteria: &[&str]) -> Request {
    Request {
        device: "pixel-9-pro".into(),
        verdict: Verdict::Approve,
        criteria: criteria.iter().map(|s| s.to_string()).collect(),
        note: Some("ok".into()),
        reviewer: "R <r@example.org>".into(),
        now: Time::parse("2026-11-20T10:00:00Z").unwrap(),
        expires: None,
        attestation: None,
        reviews: None,
        policy: None,
        trust: signature::Trust {
            key: Some(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/keys/demo-signing-key.pub"),
            ),
            ..signature::Trust::default()
        },
    }
}

#[test]
fn prepare_binds_the_digest_and_describes_the_criteria() {
    let tmp = fixture();
    let p = prepare(&tmp.path().join("fleet"), &request(&["security-reviewed"])).unwrap();
    let bytes = std::fs::read(tmp.path().join("attestations/pixel-9-pro/bom.cdx.json")).unwrap();
    assert_eq!(p.entry.digest, Digest::of(&bytes));
    assert_eq!(p.entry.date.to_string(), "2026-11-20T10:00:00Z");
    assert_eq!(
        p.reviews_path,
        tmp.path().join("attestations/pixel-9-pro/reviews.yaml")
    );
    assert!(
        p.statement()
            .contains("security-reviewed: A security reviewer")
    );
    assert!(p.refusal().is_none(), "{:?}", p.checks);
}

#[test]
fn unknown_criteria_are_all_reported() {
    let tmp = fixture();
    let e = prepare(
        &tmp.path().join("fleet"),
        &request(&["nope", "dpo-aproved"]),
    )
    .unwrap_err();
    let d = e.diagnostics();
    assert_eq!(d.len(), 2);
    assert!(d.iter().all(|d| d.code == "unknown-criterion"));
    assert_eq!(d[1].help.as_deref(), Some("did you mean `dpo-approved`?"));
}

#[test]
fn committed_entries_are_canonical_and_nothing_is_lost() {
    let tmp = fixture();
    let fleet = tmp.path().join("fleet");
    for (i, c) in ["security-reviewed", "dpo-approved"].iter().enumerate() {
        let mut r = request(&[c]);
        r.now = Time::parse(&format!("2026-11-2{i}T10:00:00Z")).unwrap();
        let p = prepare(&fleet, &r).unwrap();
        commit(&p.reviews_path, &p.entry).unwrap();
    }
    let path = tmp.path().join("attestations/pixel-9-pro/reviews.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded: crate::model::Loaded<Reviews> =
        crate::model::load(&path, FileKind::Reviews).unwrap();
    assert_eq!(loaded.value.reviews.len(), 2);
    assert_eq!(
        crate::canon::format(&text, &path, FileKind::Reviews).unwrap(),
        text
    );
    assert!(text.starts_with("# Reviews of device attestations"));
}

#[test]
fn status_follows_the_newest_entry_and_expiry() {
    let d = Digest::of(b"aa");
    let e = |verdict, c: &str, date: &str, expires: Option<&str>| Review {
        device: "x".into(),
        digest: d,
        verdict,
        criteria: vec![c.into()],
        reviewer: "R".into(),
        date: Time::parse(date).unwrap(),
        expires: expires.map(|x| Date::parse(x).unwrap()),
        note: None,
    };
    let day = |s: &str| Date::parse(s).unwrap();
    let reviews = vec![
        e(
            Verdict::Approve,
            "sec",
            "2026-01-01T00:00:00Z",
            Some("2026-06-30"),
        ),
        e(Verdict::Approve, "dpo", "2026-01-01T00:00:00Z", None),
        e(Verdict::Reject, "dpo", "2026-02-01T00:00:00Z", None),
    ];
    let req = vec!["sec".to_string(), "dpo".to_string(), "proc".to_string()];
    let st = status(&reviews, "x", &d, &req, day("2026-06-30"), None);
    assert!(matches!(st.criteria[0].1, CriterionState::Approved { .. }));
    assert!(matches!(st.criteria[1].1, CriterionState::Rejected { .. }));
    assert_eq!(st.criteria[2].1, CriterionState::Missing);
    let later = status(&reviews, "x", &d, &req[..1], day("2026-07-01"), None);
    assert!(matches!(
        later.criteria[0].1,
        CriterionState::Expired { .. }
    ));
    let aged = status(&reviews, "x", &d, &req[..1], day("2026-02-01"), Some(30));
    assert!(
        matches!(aged.criteria[0].1, CriterionState::Expired { .. }),
        "{aged:?}"
    );
    let other = status(
        &reviews,
        "x",
        &Digest::of(b"bb"),
        &req[..1],
        day("2026-03-01"),
        None,
    );
    assert_eq!(other.criteria[0].1, CriterionState::Missing);
    assert_eq!(other.last_approved.as_ref().map(|l| l.0), Some(d));
}
