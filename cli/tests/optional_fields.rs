//! Every optional field is optional: for every property a schema does not
//! require, a copy of the example fleet that omits it (everywhere it occurs)
//! must still assemble, analyse, gate, report and render every memo in every
//! format. The fixtures are generated here from the schemas in `schemas/`
//! and the example files, not listed by hand, so a field added to a schema
//! is covered as soon as an example uses it.
//!
//! A property that no object requires but whose omission makes the file
//! invalid against its schema (a layer's `supplier` when it has no `parts`:
//! the schema's `anyOf`) is required there, not optional; it is counted and
//! skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{self, render, repo, strata};

/// One strata file of the fixture: where it lies (relative to the fixture
/// directory), which schema describes it and its content.
struct FixtureFile {
    rel: PathBuf,
    schema: &'static str,
    value: Value,
}

/// The example fleet's files, as the repository lays them out: `fleet/` and
/// `attestations/<device>/reviews.yaml` beside it.
fn fixture_files() -> Vec<FixtureFile> {
    let root = repo();
    let mut files: Vec<(PathBuf, &'static str)> = vec![
        ("fleet/vendors.yaml".into(), "vendors"),
        ("fleet/designations.yaml".into(), "designations"),
        ("fleet/policy.yaml".into(), "policy"),
        ("fleet/approved-devices.yaml".into(), "approved-devices"),
    ];
    let mut reviews: Vec<PathBuf> = std::fs::read_dir(root.join("attestations"))
        .unwrap()
        .map(|e| e.unwrap().path().join("reviews.yaml"))
        .filter(|p| p.is_file())
        .collect();
    reviews.sort();
    for p in reviews {
        let device = p.parent().unwrap().file_name().unwrap();
        files.push((
            Path::new("attestations").join(device).join("reviews.yaml"),
            "reviews",
        ));
    }
    for (dir, schema) in [("stacks", "stack"), ("answers", "answers")] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(root.join("examples").join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        names.sort();
        for p in names {
            files.push((
                Path::new("fleet").join(dir).join(p.file_name().unwrap()),
                schema,
            ));
        }
    }
    files
        .into_iter()
        .map(|(rel, schema)| {
            let src = match rel.strip_prefix("fleet") {
                Ok(r) => root.join("examples").join(r),
                Err(_) => root.join(&rel),
            };
            let text = std::fs::read_to_string(&src).unwrap();
            let (value, _) = strata::yaml::parse(&text, &src).unwrap();
            FixtureFile { rel, schema, value }
        })
        .collect()
}

fn load_schema(name: &str) -> Value {
    let path = repo().join("schemas").join(format!("{name}.schema.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Follow a local `$ref` (`#/...`) to the node it names, with its pointer.
fn deref<'a>(schema: &'a Value, node: &'a Value, at: String) -> (&'a Value, String) {
    let mut node = node;
    let mut at = at;
    while let Some(r) = node.get("$ref").and_then(Value::as_str) {
        let ptr = r.strip_prefix('#').expect("local $ref");
        node = schema.pointer(ptr).expect("$ref resolves");
        at = ptr.to_string();
    }
    (node, at)
}

/// The object schemas that apply at a node: itself and the branches of its
/// `allOf` / `anyOf` / `oneOf`, references followed.
fn branches<'a>(schema: &'a Value, node: &'a Value, at: String) -> Vec<(&'a Value, String)> {
    let (node, at) = deref(schema, node, at);
    let mut out = vec![(node, at.clone())];
    for kw in ["allOf", "anyOf", "oneOf"] {
        for (i, b) in node
            .get(kw)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            out.extend(branches(schema, b, format!("{at}/{kw}/{i}")));
        }
    }
    out
}

/// Walk an instance beside its schema and record, for every optional
/// property present, the schema pointer of its definition and the JSON
/// pointer of the instance member.
fn optional_sites(
    schema: &Value,
    node: &Value,
    at: String,
    instance: &Value,
    ptr: String,
    out: &mut Vec<(String, String)>,
) {
    let nodes = branches(schema, node, at);
    match instance {
        Value::Object(map) => {
            for (key, child) in map {
                let child_ptr = format!("{ptr}/{}", key.replace('~', "~0").replace('/', "~1"));
                let mut found = false;
                for (n, n_at) in &nodes {
                    if let Some(prop) = n.get("properties").and_then(|p| p.get(key)) {
                        found = true;
                        let required = nodes.iter().any(|(m, _)| {
                            m.get("required")
                                .and_then(Value::as_array)
                                .is_some_and(|r| r.iter().any(|k| k == key))
                        });
                        let prop_at = format!("{n_at}/properties/{key}");
                        if !required {
                            out.push((prop_at.clone(), child_ptr.clone()));
                        }
                        optional_sites(schema, prop, prop_at, child, child_ptr.clone(), out);
                        break;
                    }
                }
                if !found {
                    for (n, n_at) in &nodes {
                        if let Some(extra) = n.get("additionalProperties").filter(|v| v.is_object())
                        {
                            optional_sites(
                                schema,
                                extra,
                                format!("{n_at}/additionalProperties"),
                                child,
                                child_ptr.clone(),
                                out,
                            );
                            break;
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            for (n, n_at) in &nodes {
                if let Some(item) = n.get("items") {
                    for (i, child) in items.iter().enumerate() {
                        optional_sites(
                            schema,
                            item,
                            format!("{n_at}/items"),
                            child,
                            format!("{ptr}/{i}"),
                            out,
                        );
                    }
                    break;
                }
            }
        }
        _ => {}
    }
}

/// Remove the member at a JSON pointer.
fn remove(value: &mut Value, ptr: &str) {
    let (parent, key) = ptr.rsplit_once('/').unwrap();
    let key = key.replace("~1", "/").replace("~0", "~");
    match value.pointer_mut(parent).unwrap() {
        Value::Object(m) => {
            m.shift_remove(&key);
        }
        other => panic!("{ptr}: parent is {other}"),
    }
}

/// One generated fixture: a schema field and the files without it.
struct Omission {
    field: String,
    files: Vec<usize>,
}

/// Every optional field of every schema that the example files use, as
/// `schema#pointer`, with the files (by index) that contain it; and the
/// fields skipped because the schema requires them where they occur.
fn omissions(files: &[FixtureFile]) -> (Vec<(Omission, Vec<FixtureFile>)>, Vec<String>) {
    let mut schemas: BTreeMap<&str, Value> = BTreeMap::new();
    // field → file index → instance pointers
    let mut sites: BTreeMap<String, BTreeMap<usize, Vec<String>>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        let schema: &Value = schemas
            .entry(f.schema)
            .or_insert_with(|| load_schema(f.schema));
        let mut found = Vec::new();
        optional_sites(
            schema,
            schema,
            String::new(),
            &f.value,
            String::new(),
            &mut found,
        );
        for (field, ptr) in found {
            sites
                .entry(format!("{}#{field}", f.schema))
                .or_default()
                .entry(i)
                .or_default()
                .push(ptr);
        }
    }
    let validators: BTreeMap<&str, jsonschema::Validator> = schemas
        .iter()
        .map(|(k, v)| (*k, jsonschema::validator_for(v).unwrap()))
        .collect();
    let mut out = Vec::new();
    let mut required_in_context = Vec::new();
    for (field, by_file) in sites {
        let mut changed: Vec<FixtureFile> = Vec::new();
        let mut valid = true;
        for (&i, ptrs) in &by_file {
            let mut value = files[i].value.clone();
            // Deepest first, so removing one member never moves another.
            let mut ptrs = ptrs.clone();
            ptrs.sort_by_key(|p| std::cmp::Reverse(p.clone()));
            for p in &ptrs {
                remove(&mut value, p);
            }
            valid &= validators[files[i].schema].is_valid(&value);
            changed.push(FixtureFile {
                rel: files[i].rel.clone(),
                schema: files[i].schema,
                value,
            });
        }
        if valid {
            out.push((
                Omission {
                    field,
                    files: by_file.keys().copied().collect(),
                },
                changed,
            ));
        } else {
            required_in_context.push(field);
        }
    }
    (out, required_in_context)
}

/// Write the example fleet with `changed` files replacing the originals
/// (written as JSON, which is YAML) into a fresh directory.
fn write_fixture(changed: &[FixtureFile]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&repo().join("examples"), &tmp.path().join("fleet"));
    common::copy_dir(
        &repo().join("attestations"),
        &tmp.path().join("attestations"),
    );
    for f in changed {
        std::fs::write(
            tmp.path().join(&f.rel),
            serde_json::to_string_pretty(&f.value).unwrap(),
        )
        .unwrap();
    }
    tmp
}

/// Run the whole pipeline on a fixture; the failures, one line each.
fn pipeline(
    dir: &Path,
    devices: &BTreeSet<String>,
    answers: &BTreeMap<String, String>,
) -> Vec<String> {
    let fleet = dir.join("fleet");
    let mut failures = Vec::new();
    let mut run = |args: &[&str], ok: &[i32]| {
        let out = strata(&fleet).args(args).output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !ok.contains(&code) || stderr.contains("error[") || stderr.contains("panicked") {
            failures.push(format!("strata {}: {}", args.join(" "), render(&out, dir)));
        }
    };
    run(
        &[
            "assemble",
            "stacks",
            "--out-dir",
            "../attestations",
            "--sign",
            "keys/demo-signing-key.pem",
        ],
        &[0],
    );
    for format in ["human", "json"] {
        run(&["analyze", "--explain", "--format", format], &[0]);
    }
    for format in ["human", "json", "sarif", "junit"] {
        run(
            &["gate", "--now", "2026-11-26", "--format", format],
            &[0, 1],
        );
    }
    for format in ["human", "md", "json"] {
        run(&["report", "--now", "2026-11-26", "--format", format], &[0]);
    }
    for format in ["md", "html"] {
        let now = ["--now", "2026-11-26", "--format", format];
        run(
            &[&["memo", "procurement", "--all"][..], &now].concat(),
            &[0],
        );
        for device in devices {
            for kind in ["dpia", "procurement"] {
                run(&[&["memo", kind, device.as_str()][..], &now].concat(), &[0]);
                if let Some(a) = answers.get(device) {
                    let with = [
                        &["memo", kind, device.as_str(), "--answers", a.as_str()][..],
                        &now,
                    ];
                    run(&with.concat(), &[0]);
                }
            }
        }
    }
    failures
}

#[test]
fn every_optional_field_may_be_omitted() {
    let files = fixture_files();
    // A stack file's device is its `device.id`; an answers file's is its
    // `device`.
    let device_of = |f: &FixtureFile| -> Option<String> {
        match f.schema {
            "stack" => f.value.pointer("/device/id"),
            "answers" => f.value.pointer("/device"),
            _ => None,
        }
        .and_then(Value::as_str)
        .map(str::to_string)
    };
    let all: BTreeSet<String> = files
        .iter()
        .filter(|f| f.schema == "stack")
        .filter_map(device_of)
        .collect();
    assert_eq!(all.len(), common::EXAMPLE_DEVICES.len());
    let answers: BTreeMap<String, String> = files
        .iter()
        .filter(|f| f.schema == "answers")
        .map(|f| {
            let rel = f.rel.strip_prefix("fleet").unwrap();
            (device_of(f).unwrap(), rel.display().to_string())
        })
        .collect();
    let (mut cases, required_in_context) = omissions(&files);
    // Policy fields that other policy entries refer to: without them the
    // policy is refused at load with a spanned error (exit 2), which is the
    // behaviour wanted, not a missing fact. `criteria` defines the criteria
    // `stale-review` names; `key` is the only trust material the example's
    // `unsigned-attestation` gives (the schema lets `ca` or `identity` stand in).
    let referenced = [
        "policy#/properties/criteria",
        "policy#/$defs/rule-unsigned-attestation/properties/key",
    ];
    cases.retain(|(o, _)| !referenced.contains(&o.field.as_str()));
    // The generator found the fields the examples use, in every schema.
    for schema in [
        "stack",
        "vendors",
        "designations",
        "policy",
        "approved-devices",
        "reviews",
        "answers",
    ] {
        assert!(
            cases
                .iter()
                .any(|(o, _)| o.field.starts_with(&format!("{schema}#"))),
            "no optional field of {schema} found in the examples"
        );
    }
    assert!(
        cases.len() >= 60,
        "only {} optional fields found",
        cases.len()
    );
    assert!(
        required_in_context.iter().all(|f| f.starts_with("stack#")),
        "{required_in_context:?}"
    );

    let baseline = write_fixture(&[]);
    let failures = pipeline(baseline.path(), &all, &answers);
    assert!(
        failures.is_empty(),
        "the example fleet itself: {failures:#?}"
    );

    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    let queue = std::sync::Mutex::new(cases.into_iter());
    let failures = std::sync::Mutex::new(Vec::<String>::new());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let Some((omission, changed)) = queue.lock().unwrap().next() else {
                        break;
                    };
                    // Only the devices the changed files belong to, unless a
                    // fleet-wide file changed.
                    let own: Option<BTreeSet<String>> = omission
                        .files
                        .iter()
                        .map(|&i| device_of(&files[i]))
                        .collect();
                    let devices = own.unwrap_or_else(|| all.clone());
                    let dir = write_fixture(&changed);
                    for f in pipeline(dir.path(), &devices, &answers) {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("without {}: {f}", omission.field));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
