//! `strata diff` and `strata log` on throwaway git repositories holding a
//! sequence of attestation changes, built with git2.

use crate::common;

use std::path::Path;

use common::{Repo, redact, render, repo, strata};
use serde_json::{Value, json};

/// A small attestation in the shape `strata assemble` writes.
struct Phone {
    os_version: &'static str,
    image: &'static str,
    permissions: &'static str,
    routes: &'static [&'static str],
    cloud: (&'static str, &'static str, &'static str),
    region: &'static str,
}

const V1: Phone = Phone {
    os_version: "15",
    image: "11",
    permissions: "calendar,contacts",
    routes: &["to=on-device;purpose=assistant"],
    cloud: ("acme", "acme", "Acme Corporation"),
    region: "DE",
};

const V2: Phone = Phone {
    os_version: "16",
    image: "22",
    permissions: "calendar,contacts,location",
    routes: &[
        "to=on-device;purpose=assistant",
        "to=vendor-cloud;operator=bigcloud;region=US;purpose=inference",
    ],
    cloud: ("bigcloud", "bigholding", "Big Holding Inc."),
    region: "US",
};

fn prop(name: &str, value: &str) -> Value {
    json!({"name": format!("strata:{name}"), "value": value})
}

fn layer(
    name: &str,
    ty: &str,
    product: &str,
    supplier: &str,
    group: (&str, &str),
    mut extra: Vec<Value>,
) -> Value {
    let mut props = vec![
        prop("group", group.0),
        prop("group-name", group.1),
        prop("layer", name),
        prop("supplier", supplier),
    ];
    props.append(&mut extra);
    json!({"type": ty, "bom-ref": format!("layer:{name}"), "name": product, "properties": props})
}

fn bom(device: &str, p: &Phone) -> String {
    let mut os = layer(
        "os",
        "operating-system",
        "AcmeOS",
        "acme",
        ("acme", "Acme Corporation"),
        vec![],
    );
    os["version"] = json!(p.os_version);
    os["components"] = json!([{
        "type": "file",
        "bom-ref": "evidence:os:0",
        "name": "evidence/os.img",
        "hashes": [{"alg": "SHA-256", "content": p.image.repeat(32)}],
        "properties": [prop("evidence:path", "evidence/os.img")]
    }]);
    let mut agent = vec![
        prop("agent:background", "true"),
        prop("agent:embedded", "true"),
        prop("agent:name", "helper"),
        prop("agent:permissions", p.permissions),
    ];
    agent.extend(p.routes.iter().map(|r| prop("agent:data-routing", r)));
    let model = layer(
        "model",
        "machine-learning-model",
        "Helper LM",
        "acme",
        ("acme", "Acme Corporation"),
        agent,
    );
    let services = layer(
        "services",
        "platform",
        "Acme Cloud",
        p.cloud.0,
        (p.cloud.1, p.cloud.2),
        vec![],
    );
    let doc = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": {"component": {
            "type": "device",
            "bom-ref": format!("device:{device}"),
            "name": device,
            "properties": [prop("device:class", "phone"), prop("device:id", device)]
        }},
        "components": [os, model, services],
        "services": [{
            "bom-ref": "service:0",
            "name": "api.cloud.invalid",
            "properties": [prop("operator", p.cloud.0), prop("region", p.region)]
        }]
    });
    serde_json::to_string_pretty(&doc).unwrap() + "\n"
}

fn bundle(cert_file: &str) -> String {
    let cert =
        std::fs::read_to_string(repo().join("cli/tests/fixtures/signers").join(cert_file)).unwrap();
    serde_json::to_string_pretty(&json!({
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {"certificate": {"rawBytes": cert.trim()}},
        "dsseEnvelope": {"payload": "", "payloadType": "application/vnd.in-toto+json", "signatures": []}
    }))
    .unwrap()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const POLICY: &str = "version: 1\ncriteria:\n  security-reviewed:\n    description: Evidence and signatures checked.\n  dpo-approved:\n    description: Data protection reviewed.\nrules: {}\n";
const DEVICES: &str = "version: 1\ndevices:\n  - {id: car, stack: stacks/car.yaml, attestation: ../attestations/car/bom.cdx.json, units: 1}\n  - {id: phone, stack: stacks/phone.yaml, attestation: ../attestations/phone/bom.cdx.json, units: 1}\n";

/// The history every test reads, and the names to redact commit ids and
/// digests with.
struct Fixture {
    tmp: tempfile::TempDir,
    names: Vec<(String, String)>,
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut r = Repo::init(d);
    let mut names = Vec::new();
    let name = |r: &Repo, oid: git2::Oid, n: &str, names: &mut Vec<(String, String)>| {
        names.push((oid.to_string(), format!("[{n}]")));
        names.push((r.short(oid), format!("[{n}]")));
    };
    write(
        d,
        "fleet/vendors.yaml",
        "version: 1\nvendors:\n  acme: {name: Acme Corporation, jurisdiction: DE}\n",
    );
    write(d, "fleet/policy.yaml", POLICY);
    write(d, "fleet/approved-devices.yaml", DEVICES);
    write(d, "attestations/phone/bom.cdx.json", &bom("phone", &V1));
    write(d, "attestations/car/bom.cdx.json", &bom("car", &V1));
    let c1 = r.commit("add phone and car");
    name(&r, c1, "c1", &mut names);
    // The review (approving through the CLI, with its signature check, is
    // tested in reviews.rs).
    strata::review::commit(
        &d.join("attestations/reviews.yaml"),
        &strata::model::Review {
            device: "phone".into(),
            digest: strata::digest::Digest::of(bom("phone", &V1).as_bytes()),
            verdict: strata::model::Verdict::Approve,
            criteria: vec!["dpo-approved".into(), "security-reviewed".into()],
            reviewer: "Sam Sec <sam@example.org>".into(),
            date: "2026-11-02T09:00:00Z".parse().unwrap(),
            expires: None,
            note: Some("image digests match the vendor release".into()),
        },
    )
    .unwrap();
    let c2 = r.commit_as("Sam Sec", "sam@example.org", "review phone");
    name(&r, c2, "c2", &mut names);
    write(d, "attestations/phone/bom.cdx.json", &bom("phone", &V2));
    let c3 = r.commit("phone: OS 16, agent gets location, cloud moves to the US");
    name(&r, c3, "c3", &mut names);
    write(
        d,
        "attestations/phone/bom.sigstore.json",
        &bundle("alice.cert.b64"),
    );
    let c4 = r.commit("sign phone");
    name(&r, c4, "c4", &mut names);
    write(
        d,
        "attestations/phone/bom.sigstore.json",
        &bundle("bob.cert.b64"),
    );
    write(d, "attestations/tablet/bom.cdx.json", &bom("tablet", &V1));
    std::fs::remove_dir_all(d.join("attestations/car")).unwrap();
    let c5 = r.commit("re-sign phone; add tablet; retire car");
    name(&r, c5, "c5", &mut names);
    for (p, n) in [("phone", V1), ("phone", V2)]
        .iter()
        .zip(["D1", "D2"])
        .map(|((dev, v), n)| ((*dev, v), n))
    {
        let digest = strata::digest::Digest::of(bom(p.0, p.1).as_bytes());
        names.push((digest.to_string(), format!("[{n}]")));
        names.push((digest.short(), format!("sha256:[{n}]")));
    }
    Fixture { tmp, names }
}

fn run(f: &Fixture, args: &[&str]) -> (i32, String) {
    let out = strata(f.tmp.path()).args(args).output().unwrap();
    let text = render(&out, f.tmp.path());
    assert!(!text.contains("panicked"), "{text}");
    (out.status.code().unwrap_or(-1), redact(&text, &f.names))
}

#[test]
fn diff_between_two_revisions_shows_semantic_changes() {
    let f = fixture();
    let (code, text) = run(&f, &["diff", "HEAD~4", "HEAD"]);
    assert_eq!(code, 0, "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn diff_of_one_device_as_json() {
    let f = fixture();
    let (code, text) = run(
        &f,
        &["diff", "HEAD~3", "HEAD~2", "phone", "--format", "json"],
    );
    assert_eq!(code, 0, "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn log_lists_attestation_signature_and_review_changes() {
    let f = fixture();
    let (code, text) = run(&f, &["log", "phone"]);
    assert_eq!(code, 0, "{text}");
    insta::assert_snapshot!(text);
    let (_, limited) = run(&f, &["log", "phone", "-n", "2", "--format", "json"]);
    let v: Value = serde_json::from_str(
        limited
            .split("----- stdout -----\n")
            .nth(1)
            .unwrap()
            .split("----- stderr")
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(v["entries"].as_array().unwrap().len(), 2);
    assert_eq!(v["entries"][0]["kind"], "signature");
}

#[test]
fn a_digest_names_the_revision_it_was_approved_at() {
    let f = fixture();
    let approved = strata::digest::Digest::of(bom("phone", &V1).as_bytes()).hex();
    let short = &approved[..12];
    let (code, by_digest) = run(
        &f,
        &["diff", &format!("sha256:{short}"), "WORKTREE", "phone"],
    );
    assert_eq!(code, 0, "{by_digest}");
    let (_, by_rev) = run(&f, &["diff", "HEAD~3", "HEAD", "phone"]);
    let body = |t: &str| t.lines().skip(3).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&by_digest), body(&by_rev));
    assert!(by_digest.contains("version 15 → 16"), "{by_digest}");
}

#[test]
fn bad_revisions_and_devices_are_input_errors() {
    let f = fixture();
    let cases: &[&[&str]] = &[
        &["diff", "nope", "HEAD"],
        &["diff", "HEAD~99", "HEAD"],
        &["diff", "HEAD~1", "HEAD", "phnoe"],
        &["diff", "sha256:12345678", "HEAD"],
        &["diff", "sha256:xyz", "HEAD", "phone"],
        &["log", "phnoe"],
        &["log", "phone", "--from", "no-such-branch"],
    ];
    let mut all = String::new();
    for args in cases {
        let (code, text) = run(&f, args);
        assert_eq!(code, 2, "{args:?}: {text}");
        all.push_str(&format!("$ strata {}\n{text}\n", args.join(" ")));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn outside_a_repository_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("attestations")).unwrap();
    let out = strata(tmp.path()).args(["log", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not inside a git repository"));
}

#[test]
fn merges_report_only_what_their_branches_did_not() {
    let f = fixture();
    let d = f.tmp.path();
    let git = git2::Repository::open(d).unwrap();
    let head = git.head().unwrap().peel_to_commit().unwrap();
    let sig = |t: i64| {
        git2::Signature::new("Ana Lima", "ana@example.org", &git2::Time::new(t, 0)).unwrap()
    };
    // Two branches from HEAD, each changing one device; merge them.
    let branch = |device: &str, v: &Phone, t: i64| {
        let mut index = git.index().unwrap();
        index.read_tree(&head.tree().unwrap()).unwrap();
        let text = bom(device, v);
        let blob = git.blob(text.as_bytes()).unwrap();
        let entry = git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o100644,
            uid: 0,
            gid: 0,
            file_size: text.len() as u32,
            id: blob,
            flags: 0,
            flags_extended: 0,
            path: format!("attestations/{device}/bom.cdx.json").into_bytes(),
        };
        index.add(&entry).unwrap();
        let tree = git.find_tree(index.write_tree_to(&git).unwrap()).unwrap();
        git.commit(
            None,
            &sig(t),
            &sig(t),
            &format!("change {device}"),
            &tree,
            &[&head],
        )
        .unwrap()
    };
    let a = branch("phone", &V1, 1_793_600_000);
    let b = branch("tablet", &V2, 1_793_600_100);
    let (ca, cb) = (git.find_commit(a).unwrap(), git.find_commit(b).unwrap());
    let mut idx = git.merge_commits(&ca, &cb, None).unwrap();
    assert!(!idx.has_conflicts());
    let tree = git.find_tree(idx.write_tree_to(&git).unwrap()).unwrap();
    let m = git
        .commit(
            None,
            &sig(1_793_600_200),
            &sig(1_793_600_200),
            "merge",
            &tree,
            &[&ca, &cb],
        )
        .unwrap();
    let branch_ref = git.head().unwrap().name().unwrap().to_string();
    git.reference(&branch_ref, m, true, "merge").unwrap();
    let (_, phone) = run(&f, &["log", "phone", "--format", "json"]);
    let (_, tablet) = run(&f, &["log", "tablet", "--format", "json"]);
    let commits = |t: &str| -> Vec<String> {
        let body = t
            .split("----- stdout -----\n")
            .nth(1)
            .unwrap()
            .split("----- stderr")
            .next()
            .unwrap();
        let v: Value = serde_json::from_str(body).unwrap();
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["commit"].as_str().unwrap().to_string())
            .collect()
    };
    let m = m.to_string();
    assert!(
        !commits(&phone).contains(&m),
        "the merge repeats the phone branch"
    );
    assert!(
        !commits(&tablet).contains(&m),
        "the merge repeats the tablet branch"
    );
    assert!(commits(&phone).contains(&a.to_string()));
    assert!(commits(&tablet).contains(&b.to_string()));
}

#[test]
fn log_reads_reviews_files_in_any_layout() {
    let f = fixture();
    let d = f.tmp.path();
    // Rewrite reviews.yaml by hand in flow style, other key order, plus a
    // new entry whose note names the device: the fast canonical scan must
    // give way to a full parse, and only the new entry is reported.
    let path = d.join("attestations/reviews.yaml");
    let old = strata::history::parse_reviews_lenient(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(old.len(), 1);
    let r = &old[0];
    let text = format!(
        "version: 1\nreviews:\n- {{reviewer: \"{}\", device: phone, digest: \"{}\", verdict: approve, criteria: [dpo-approved, security-reviewed], date: \"{}\", note: \"{}\"}}\n- {{device: 'phone', digest: \"{}\", verdict: reject, criteria: [dpo-approved], reviewer: Dee, date: \"2026-11-03T00:00:00Z\", note: phone sends location}}\n",
        r.reviewer,
        r.digest,
        r.date,
        r.note.as_deref().unwrap(),
        r.digest
    );
    std::fs::write(&path, text).unwrap();
    let mut git = Repo {
        git: git2::Repository::open(d).unwrap(),
        dir: d.to_path_buf(),
        clock: 1_793_600_000,
    };
    git.commit("hand-edited reviews");
    let (_, out) = run(&f, &["log", "phone", "-n", "3", "--format", "json"]);
    let body = out
        .split("----- stdout -----\n")
        .nth(1)
        .unwrap()
        .split("----- stderr")
        .next()
        .unwrap();
    let v: Value = serde_json::from_str(body).unwrap();
    let first = &v["entries"][0];
    assert_eq!(first["kind"], "review");
    assert_eq!(first["review"]["reviewer"], "Dee");
    assert_ne!(v["entries"][1]["kind"], "review", "{body}");
}

#[test]
fn diff_reads_reviews_files_in_any_layout() {
    let f = fixture();
    let d = f.tmp.path();
    // The same review rewritten in flow style, plus a new one: the files
    // are compared as reviews, not as text.
    let path = d.join("attestations/reviews.yaml");
    let old = strata::history::parse_reviews_lenient(&std::fs::read_to_string(&path).unwrap());
    let r = &old[0];
    let text = format!(
        "version: 1\nreviews:\n- {{reviewer: \"{}\", device: phone, digest: \"{}\", verdict: approve, criteria: [dpo-approved, security-reviewed], date: \"{}\", note: \"{}\"}}\n- {{device: phone, digest: \"{}\", verdict: reject, criteria: [dpo-approved], reviewer: Dee, date: \"2026-11-03T00:00:00Z\"}}\n",
        r.reviewer,
        r.digest,
        r.date,
        r.note.as_deref().unwrap(),
        r.digest
    );
    std::fs::write(&path, text).unwrap();
    reopen(&f).commit("hand-edited reviews");
    let diff = json(&f, &["diff", "HEAD~1", "HEAD", "--format", "json"]);
    let devices = diff["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 1, "{diff}");
    assert_eq!(devices[0]["device"], "phone");
    assert_eq!(devices[0]["reviews_added"][0]["reviewer"], "Dee");
    assert_eq!(devices[0]["reviews_added"].as_array().unwrap().len(), 1);
    assert!(devices[0].get("reviews_removed").is_none(), "{diff}");
}

#[test]
fn diff_and_log_find_the_attestations_from_the_fleet() {
    let f = fixture();
    let d = f.tmp.path();
    let stdout_in = |dir: &Path, args: &[&str]| {
        let out = strata(dir).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", render(&out, d));
        String::from_utf8(out.stdout).unwrap()
    };
    std::fs::create_dir_all(d.join("fleet/stacks")).unwrap();
    for args in [
        &["log", "phone"][..],
        &["diff", "HEAD~4", "HEAD"],
        &["diff", "HEAD~3", "HEAD~2", "phone", "--format", "json"],
    ] {
        // Outside any fleet: ./attestations. With --fleet, or from inside
        // the fleet: where its approved-device list says (../attestations).
        let here = stdout_in(d, args);
        assert_eq!(stdout_in(d, &[args, &["--fleet", "fleet"]].concat()), here);
        assert_eq!(stdout_in(&d.join("fleet"), args), here, "{args:?}");
        assert_eq!(stdout_in(&d.join("fleet/stacks"), args), here, "{args:?}");
        // The old --attestations DIR still works, with a note.
        let (code, old) = run(&f, &[args, &["--attestations", "attestations"]].concat());
        let (_, new) = run(&f, args);
        assert_eq!(code, 0);
        assert_eq!(
            old,
            new.replace(
                "----- stderr -----\n",
                "----- stderr -----\nwarning: --attestations is deprecated; use --fleet\n"
            )
        );
    }
    // A fleet whose list names attestations in two directories: a DEVICE
    // picks one; without one it is an error naming both.
    write(
        d,
        "split/vendors.yaml",
        "version: 1\nvendors:\n  acme: {name: Acme Corporation, jurisdiction: DE}\n",
    );
    write(
        d,
        "split/approved-devices.yaml",
        "version: 1\ndevices:\n  - {id: phone, stack: s.yaml, attestation: ../attestations/phone/bom.cdx.json, units: 1}\n  - {id: car, stack: s.yaml, attestation: ../elsewhere/car/bom.cdx.json, units: 1}\n",
    );
    let phone = stdout_in(d, &["log", "phone", "--fleet", "split"]);
    assert_eq!(phone, stdout_in(d, &["log", "phone"]));
    let (code, text) = run(&f, &["diff", "HEAD~4", "HEAD", "--fleet", "split"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("error[attestations-ambiguous]"), "{text}");
    assert!(text.contains("attestations, elsewhere"), "{text}");
    // A fleet without a list keeps its attestations in FLEET/attestations.
    write(
        d,
        "bare/vendors.yaml",
        "version: 1\nvendors:\n  acme: {name: Acme Corporation, jurisdiction: DE}\n",
    );
    write(
        d,
        "bare/attestations/phone/bom.cdx.json",
        &bom("phone", &V2),
    );
    let (code, text) = run(&f, &["diff", "HEAD", "WORKTREE", "--fleet", "bare"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("phone"), "{text}");
    assert!(!text.contains("car"), "{text}");
}

/// The JSON output of `strata ARGS` in the fixture (exit 0 required).
fn json(f: &Fixture, args: &[&str]) -> Value {
    let out = strata(f.tmp.path()).args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `(kind, commit)` of each entry of a JSON log.
fn kinds(log: &Value) -> Vec<(String, String)> {
    log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["commit"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn reopen(f: &Fixture) -> Repo {
    Repo {
        git: git2::Repository::open(f.tmp.path()).unwrap(),
        dir: f.tmp.path().to_path_buf(),
        clock: 1_793_600_000,
    }
}

fn review(device: &str, bom_text: &str, note: &str) -> strata::model::Review {
    strata::model::Review {
        device: device.into(),
        digest: strata::digest::Digest::of(bom_text.as_bytes()),
        verdict: strata::model::Verdict::Approve,
        criteria: vec!["security-reviewed".into()],
        reviewer: "Sam Sec <sam@example.org>".into(),
        date: "2026-11-05T09:00:00Z".parse().unwrap(),
        expires: None,
        note: Some(note.into()),
    }
}

#[test]
fn reverted_renamed_and_returning_attestations() {
    let f = fixture();
    let d = f.tmp.path();
    let mut r = reopen(&f);
    // The phone's attestation goes back to the blob it had in the first
    // commit; the tablet's directory is renamed (same blobs, new path); the
    // car, removed before, comes back; then a commit outside the
    // attestations.
    write(d, "attestations/phone/bom.cdx.json", &bom("phone", &V1));
    let revert = r.commit("phone: back to OS 15").to_string();
    std::fs::rename(d.join("attestations/tablet"), d.join("attestations/tab")).unwrap();
    let rename = r.commit("rename tablet to tab").to_string();
    write(d, "attestations/car/bom.cdx.json", &bom("car", &V2));
    let back = r.commit("car returns").to_string();
    write(d, "fleet/notes.txt", "nothing to do with attestations\n");
    r.commit("notes");

    let phone = json(&f, &["log", "phone", "--format", "json"]);
    let first = &phone["entries"][0];
    assert_eq!(first["commit"], revert.as_str());
    assert_eq!(first["kind"], "attestation");
    assert_eq!(
        first["digest"].as_str(),
        Some(
            strata::digest::Digest::of(bom("phone", &V1).as_bytes())
                .to_string()
                .as_str()
        )
    );
    assert!(
        first["summary"].as_str().unwrap().contains("16 → 15"),
        "{first}"
    );
    assert_eq!(phone["commits"], 9);

    let tablet = kinds(&json(&f, &["log", "tablet", "--format", "json"]));
    assert_eq!(tablet[0], ("attestation".to_string(), rename.clone()));
    let tab = json(&f, &["log", "tab", "--format", "json"]);
    assert_eq!(kinds(&tab), [("attestation".to_string(), rename.clone())]);
    assert!(
        tab["entries"][0]["summary"]
            .as_str()
            .unwrap()
            .starts_with("attestation added")
    );

    let car = json(&f, &["log", "car", "--format", "json"]);
    let summaries: Vec<&str> = car["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(car["entries"][0]["commit"], back.as_str());
    assert!(
        summaries[0].starts_with("attestation added"),
        "{summaries:?}"
    );
    assert_eq!(summaries[1], "attestation removed");
    assert!(
        summaries[2].starts_with("attestation added"),
        "{summaries:?}"
    );
    assert_eq!(summaries.len(), 3);

    // From before the changes to HEAD: one device each way.
    let diff = json(&f, &["diff", "HEAD~4", "HEAD", "--format", "json"]);
    let status: Vec<(String, String)> = diff["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["device"].as_str().unwrap().to_string(),
                d["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = [
        ("car", "added"),
        ("phone", "changed"),
        ("tab", "added"),
        ("tablet", "removed"),
    ];
    assert_eq!(status, expect.map(|(a, b)| (a.to_string(), b.to_string())));
    // The phone's attestation at HEAD is the blob of the first commit: only
    // its signature and review differ.
    let same = json(&f, &["diff", "HEAD~8", "HEAD", "phone", "--format", "json"]);
    let dev = &same["devices"][0];
    let changes = dev["changes"].as_array().unwrap();
    assert_eq!(dev["from_digest"], dev["to_digest"]);
    assert_eq!(changes.len(), 1, "{dev}");
    assert_eq!(changes[0]["kind"], "signer");
    assert_eq!(dev["reviews_added"].as_array().unwrap().len(), 1);
}

#[test]
fn a_review_removed_and_restored() {
    let f = fixture();
    let d = f.tmp.path();
    let path = d.join("attestations/reviews.yaml");
    let one = std::fs::read_to_string(&path).unwrap();
    let mut r = reopen(&f);
    strata::review::commit(&path, &review("phone", &bom("phone", &V2), "second look")).unwrap();
    let two = std::fs::read_to_string(&path).unwrap();
    let added = r.commit("review phone again").to_string();
    // Back to the earlier version of the file (an earlier blob), then
    // forward again (a blob already read).
    std::fs::write(&path, &one).unwrap();
    let removed = r.commit("drop the second review").to_string();
    std::fs::write(&path, &two).unwrap();
    let restored = r.commit("restore it").to_string();
    let log = json(&f, &["log", "phone", "--format", "json"]);
    let k = kinds(&log);
    assert_eq!(
        k[..3],
        [
            ("review".to_string(), restored),
            ("review-removed".to_string(), removed),
            ("review".to_string(), added),
        ]
    );
    assert_eq!(log["entries"][1]["review"]["note"], "second look");
    // Between the two equal versions nothing changed; across the removal
    // the review is gone.
    let same = json(&f, &["diff", "HEAD~2", "HEAD", "--format", "json"]);
    assert_eq!(same["devices"].as_array().unwrap().len(), 0, "{same}");
    let gone = json(
        &f,
        &["diff", "HEAD~2", "HEAD~1", "phone", "--format", "json"],
    );
    let dev = &gone["devices"][0];
    assert_eq!(dev["reviews_removed"][0]["note"], "second look");
    assert!(dev.get("reviews_added").is_none(), "{dev}");
}

#[test]
fn notes_with_blank_lines_are_read_whole() {
    let f = fixture();
    let d = f.tmp.path();
    let path = d.join("attestations/reviews.yaml");
    let note = "Checked the image digests.\n\nThe agent's cloud route is new.";
    strata::review::commit(&path, &review("phone", &bom("phone", &V2), note)).unwrap();
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("\n\n      The agent"),
        "the note is written as a block with a blank line"
    );
    reopen(&f).commit("review with a long note");
    let log = json(&f, &["log", "phone", "-n", "1", "--format", "json"]);
    assert_eq!(log["entries"][0]["review"]["note"], note);
    let diff = json(&f, &["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(diff["devices"][0]["reviews_added"][0]["note"], note);
}

#[test]
fn long_review_histories_read_the_same_on_any_number_of_threads() {
    let f = fixture();
    let d = f.tmp.path();
    let path = d.join("attestations/reviews.yaml");
    let mut r = reopen(&f);
    // Enough versions of the reviews file in one batch to be read on
    // several threads.
    for i in 0..40 {
        let device = if i % 2 == 0 { "phone" } else { "tablet" };
        let text = bom(device, if i % 4 < 2 { &V1 } else { &V2 });
        strata::review::commit(&path, &review(device, &text, &format!("round {i}"))).unwrap();
        r.commit(&format!("review {i}"));
    }
    let run = |threads: &str| {
        let out = strata(d)
            .env("RAYON_NUM_THREADS", threads)
            .args(["log", "phone", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        out.stdout
    };
    let one = run("1");
    assert_eq!(run("2"), one);
    assert_eq!(run("3"), one);
    let log: Value = serde_json::from_slice(&one).unwrap();
    let notes: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "review")
        .map(|e| e["review"]["note"].as_str().unwrap())
        .collect();
    let expect: Vec<String> = (0..20)
        .rev()
        .map(|k| format!("round {}", 2 * k))
        .chain(["image digests match the vendor release".to_string()])
        .collect();
    assert_eq!(notes, expect);
}
