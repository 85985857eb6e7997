//! Checks JSON Schema cannot express: unique `bom-ref`s, references that
//! point to a `bom-ref` that exists, and a `$schema` that agrees with
//! `specVersion`.
//!
//! The specification's own valid examples break some of these rules, so the
//! findings are warnings unless the caller asks for errors (`--strict`).
//! Every check tolerates a document that failed schema validation: anything
//! of an unexpected shape is skipped, never unwrapped.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::diag::{Code, Diagnostic, Severity};

/// Prefix of a BOM-Link (`urn:cdx:serial/version#ref`), a reference into
/// another BOM that cannot be checked here.
pub(super) const BOM_LINK: &str = "urn:cdx:";

/// Where references live, as paths from the document root. `*` stands for
/// every item of an array; the last segment names the referencing value,
/// which may be a string or an array of strings.
const REFERENCE_PATHS: [(&str, &str); 19] = [
    ("dependencies/*/ref", "dependency"),
    ("dependencies/*/dependsOn", "dependency"),
    ("dependencies/*/provides", "dependency"),
    ("compositions/*/assemblies", "composition"),
    ("compositions/*/dependencies", "composition"),
    ("compositions/*/vulnerabilities", "composition"),
    ("vulnerabilities/*/affects/*/ref", "vulnerability"),
    ("annotations/*/subjects", "annotation"),
    ("declarations/attestations/*/assessor", "declaration"),
    (
        "declarations/attestations/*/map/*/requirement",
        "declaration",
    ),
    ("declarations/attestations/*/map/*/claims", "declaration"),
    (
        "declarations/attestations/*/map/*/counterClaims",
        "declaration",
    ),
    (
        "declarations/attestations/*/map/*/conformance/mitigationStrategies",
        "declaration",
    ),
    ("declarations/claims/*/target", "declaration"),
    ("declarations/claims/*/mitigationStrategies", "declaration"),
    ("declarations/claims/*/evidence", "declaration"),
    ("declarations/claims/*/counterEvidence", "declaration"),
    (
        "definitions/standards/*/requirements/*/parent",
        "definition",
    ),
    (
        "definitions/standards/*/levels/*/requirements",
        "definition",
    ),
];

/// Run every semantic check on `doc` (a JSON object). `spec_version` is the
/// document's `specVersion`; findings get `severity`.
pub fn check(doc: &Value, spec_version: &str, severity: Severity) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Pass 1: the set of bom-refs, and the duplicates with their pointers.
    let mut known: HashSet<&str> = HashSet::new();
    let mut duplicates: Vec<(&str, String)> = Vec::new();
    walk_refs(doc, &mut Vec::new(), &mut |value, segs| {
        if !known.insert(value) {
            duplicates.push((value, pointer(segs)));
        }
    });
    // Pass 2, only when needed: where each duplicated value was first used.
    if !duplicates.is_empty() {
        let mut first: HashMap<&str, String> = duplicates
            .iter()
            .map(|(v, _)| (*v, String::new()))
            .collect();
        walk_refs(doc, &mut Vec::new(), &mut |value, segs| {
            if let Some(p) = first.get_mut(value)
                && p.is_empty()
            {
                *p = pointer(segs);
            }
        });
        for (value, at) in &duplicates {
            let earlier = first.get(value).map_or("", String::as_str);
            out.push(finding(
                severity,
                Code::DuplicateBomRef,
                format!("bom-ref `{value}` is not unique: it is also used at {earlier}"),
                at,
                "every bom-ref must be unique within the BOM",
            ));
        }
    }
    for (path, what) in REFERENCE_PATHS {
        let segments: Vec<&str> = path.split('/').collect();
        let mut hits = Vec::new();
        follow(doc, &segments, &mut String::new(), &mut hits);
        for (target, pointer) in hits {
            if target.starts_with(BOM_LINK) || known.contains(target) {
                continue;
            }
            out.push(finding(
                severity,
                Code::DanglingRef,
                format!("{what} reference `{target}` matches no bom-ref in the BOM"),
                &pointer,
                "reference an existing bom-ref, add the element it names, or use a BOM-Link (urn:cdx:...) for another BOM",
            ));
        }
    }
    if let Some(d) = schema_mismatch(doc, spec_version, severity) {
        out.push(d);
    }
    out
}

fn finding(
    severity: Severity,
    code: Code,
    message: String,
    pointer: &str,
    help: &str,
) -> Diagnostic {
    let mut d = Diagnostic::error(code, message).pointer(pointer).help(help);
    d.severity = severity;
    d
}

/// Every `bom-ref` member anywhere in the document, with its pointer, in
/// document order. `bom-ref` is only ever an identifier (references use
/// other names), so a full walk finds components, services, vulnerabilities,
/// licenses, formulation, declarations, definitions... nested at any depth.
pub fn collect_bom_refs(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk_refs(doc, &mut Vec::new(), &mut |value, segs| {
        out.push((value.to_string(), pointer(segs)));
    });
    out
}

/// One step of a path from the root: a member name or an array index.
#[derive(Clone, Copy)]
enum Seg<'v> {
    Key(&'v str),
    Index(usize),
}

fn pointer(segs: &[Seg<'_>]) -> String {
    let mut out = String::new();
    for seg in segs {
        out.push('/');
        match seg {
            Seg::Key(k) => push_token(&mut out, k),
            Seg::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// Call `visit` with every string `bom-ref` and the path to it. Paths are
/// kept as segments so that no string is built unless a caller needs it.
fn walk_refs<'v>(
    v: &'v Value,
    segs: &mut Vec<Seg<'v>>,
    visit: &mut impl FnMut(&'v str, &[Seg<'v>]),
) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k == "bom-ref" {
                    if let Value::String(s) = child {
                        segs.push(Seg::Key(k));
                        visit(s, segs);
                        segs.pop();
                    }
                } else if child.is_object() || child.is_array() {
                    segs.push(Seg::Key(k));
                    walk_refs(child, segs, visit);
                    segs.pop();
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                if child.is_object() || child.is_array() {
                    segs.push(Seg::Index(i));
                    walk_refs(child, segs, visit);
                    segs.pop();
                }
            }
        }
        _ => {}
    }
}

fn push_token(path: &mut String, key: &str) {
    if key.contains(['~', '/']) {
        path.push_str(&key.replace('~', "~0").replace('/', "~1"));
    } else {
        path.push_str(key);
    }
}

/// Collect the strings at `segments` below `v` (the last segment's value may
/// be a string or an array of strings), with their pointers.
fn follow<'v>(
    v: &'v Value,
    segments: &[&str],
    path: &mut String,
    out: &mut Vec<(&'v str, String)>,
) {
    let Some((head, rest)) = segments.split_first() else {
        match v {
            Value::String(s) => out.push((s, path.clone())),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Value::String(s) = item {
                        out.push((s, format!("{path}/{i}")));
                    }
                }
            }
            _ => {}
        }
        return;
    };
    let len = path.len();
    if *head == "*" {
        if let Value::Array(items) = v {
            for (i, item) in items.iter().enumerate() {
                path.push('/');
                path.push_str(&i.to_string());
                follow(item, rest, path, out);
                path.truncate(len);
            }
        }
    } else if let Some(child) = v.get(*head) {
        path.push('/');
        push_token(path, head);
        follow(child, rest, path, out);
        path.truncate(len);
    }
}

/// `$schema` naming a CycloneDX schema of another version than `specVersion`.
fn schema_mismatch(doc: &Value, spec_version: &str, severity: Severity) -> Option<Diagnostic> {
    let declared = doc.get("$schema")?.as_str()?;
    let version = schema_url_version(declared)?;
    if version == spec_version {
        return None;
    }
    Some(finding(
        severity,
        Code::SpecVersionMismatch,
        format!(
            "`$schema` names the CycloneDX {version} schema but `specVersion` is {spec_version}"
        ),
        "/$schema",
        &format!(
            "set `$schema` to http://cyclonedx.org/schema/bom-{spec_version}.schema.json or fix `specVersion`"
        ),
    ))
}

/// The version in a CycloneDX bom schema URL
/// (`http(s)://cyclonedx.org/schema/bom-X.Y[-strict].schema.json`).
pub fn schema_url_version(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("http://cyclonedx.org/schema/bom-")
        .or_else(|| url.strip_prefix("https://cyclonedx.org/schema/bom-"))?;
    let version = rest.strip_suffix(".schema.json")?;
    let version = version.strip_suffix("-strict").unwrap_or(version);
    let valid = !version.is_empty()
        && version
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    valid.then_some(version)
}

/// Number of components in the `components` tree (top level and nested
/// `components` of components); the metadata component, tools and pedigree
/// ancestors are not counted.
pub fn count_components(doc: &Value) -> usize {
    fn count(list: Option<&Value>) -> usize {
        match list {
            Some(Value::Array(items)) => items.iter().map(|c| 1 + count(c.get("components"))).sum(),
            _ => 0,
        }
    }
    count(doc.get("components"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(d: &[Diagnostic]) -> Vec<(&str, &str)> {
        d.iter()
            .map(|d| (d.code.as_str(), d.pointer.as_deref().unwrap_or("")))
            .collect()
    }

    #[test]
    fn duplicate_bom_refs_anywhere_are_found() {
        let doc = json!({
            "metadata": {"component": {"bom-ref": "a"}},
            "components": [{"bom-ref": "b", "components": [{"bom-ref": "a"}]}],
            "services": [{"bom-ref": "s", "services": [{"bom-ref": "b"}]}],
            "vulnerabilities": [{"bom-ref": "s"}]
        });
        let d = check(&doc, "1.6", Severity::Warning);
        assert_eq!(
            codes(&d),
            [
                ("duplicate-bom-ref", "/components/0/components/0/bom-ref"),
                ("duplicate-bom-ref", "/services/0/services/0/bom-ref"),
                ("duplicate-bom-ref", "/vulnerabilities/0/bom-ref"),
            ]
        );
        assert!(d[0].message.contains("/metadata/component/bom-ref"));
        assert!(d.iter().all(|d| d.severity == Severity::Warning));
    }

    #[test]
    fn dangling_references_are_found_and_bom_links_skipped() {
        let doc = json!({
            "components": [{"bom-ref": "a"}, {"bom-ref": "b"}],
            "dependencies": [
                {"ref": "a", "dependsOn": ["b", "ghost"]},
                {"ref": "nobody"},
                {"ref": "b", "dependsOn": ["urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#x"]}
            ],
            "compositions": [{"aggregate": "complete", "assemblies": ["a", "missing"], "dependencies": ["b"]}],
            "declarations": {"claims": [{"bom-ref": "c", "target": "void", "evidence": ["c"]}]}
        });
        let d = check(&doc, "1.6", Severity::Error);
        assert_eq!(
            codes(&d),
            [
                ("dangling-ref", "/dependencies/1/ref"),
                ("dangling-ref", "/dependencies/0/dependsOn/1"),
                ("dangling-ref", "/compositions/0/assemblies/1"),
                ("dangling-ref", "/declarations/claims/0/target"),
            ]
        );
        assert!(d.iter().all(|d| d.severity == Severity::Error));
    }

    #[test]
    fn schema_url_must_match_spec_version() {
        let doc = json!({"$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json"});
        assert!(check(&doc, "1.5", Severity::Warning).is_empty());
        let d = check(&doc, "1.6", Severity::Warning);
        assert_eq!(codes(&d), [("spec-version-mismatch", "/$schema")]);
        let other = json!({"$schema": "https://example.com/my.schema.json"});
        assert!(check(&other, "1.6", Severity::Warning).is_empty());
        assert_eq!(
            schema_url_version("https://cyclonedx.org/schema/bom-1.3-strict.schema.json"),
            Some("1.3")
        );
        assert_eq!(
            schema_url_version("http://cyclonedx.org/schema/bom-x.schema.json"),
            None
        );
    }

    #[test]
    fn odd_shapes_are_tolerated() {
        for doc in [
            json!({"dependencies": "x", "compositions": [1, null], "components": {"bom-ref": 3}}),
            json!({"dependencies": [{"ref": 1, "dependsOn": [1, {}]}], "declarations": []}),
            json!({"components": [{"bom-ref": ["a"]}], "a/b~": {"bom-ref": "z"}}),
        ] {
            let _ = check(&doc, "1.6", Severity::Warning);
        }
        let refs = collect_bom_refs(&json!({"a/b~": {"bom-ref": "z"}}));
        assert_eq!(refs, [("z".to_string(), "/a~1b~0/bom-ref".to_string())]);
    }

    #[test]
    fn components_are_counted_recursively() {
        let doc = json!({
            "metadata": {"component": {"name": "root"}},
            "components": [{"components": [{}, {"components": [{}]}]}, {}]
        });
        assert_eq!(count_components(&doc), 5);
        assert_eq!(count_components(&json!({})), 0);
    }
}
