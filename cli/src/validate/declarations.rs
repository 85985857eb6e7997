//! The checks a strata declarations document (CycloneDX 1.6 CDXA, written
//! by `strata attest`, `metadata.properties` `strata:format` =
//! `strata declarations v1`) gets beyond the schema: every reference
//! resolves (the semantic pass's dangling references are errors here, not
//! warnings), and every BOM-Link in an external reference of type `bom`
//! names the BOM beside the document (`bom.cdx.json` in its directory) by
//! serial number and version, carries that file's SHA-256, and, for an
//! element link, names a `bom-ref` the BOM has.
//!
//! Other documents are left alone: a vendor's BOM-Links may name BOMs
//! strata has never seen.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cdxa;
use crate::diag::{Code, Diagnostic, Severity};
use crate::digest::Digest;

/// `strata:format` of a declarations document.
pub const FORMAT: &str = "strata declarations v1";

/// True when `doc` says it is a strata declarations document.
pub fn is_declarations(doc: &Value) -> bool {
    doc.pointer("/metadata/properties")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|p| {
            p.get("name").and_then(Value::as_str) == Some("strata:format")
                && p.get("value").and_then(Value::as_str) == Some(FORMAT)
        })
}

/// The BOM a declarations document at `path` is bound to.
pub fn bound_bom(path: &Path) -> PathBuf {
    path.with_file_name(crate::layout::BOM_FILE)
}

/// Raise the semantic pass's reference findings to errors and check the
/// BOM-Links of the declarations document `doc` read from `path`.
pub fn check(path: &Path, doc: &Value, diagnostics: &mut Vec<Diagnostic>) {
    for d in diagnostics.iter_mut() {
        if matches!(d.code, Code::DanglingRef | Code::DuplicateBomRef) {
            d.severity = Severity::Error;
        }
    }
    let mut links = Vec::new();
    collect(doc, "", &mut links);
    if links.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                Code::BomLinkMismatch,
                "the declarations name no BOM: no external reference of type `bom` with a BOM-Link",
            )
            .pointer("/externalReferences")
            .help(
                "regenerate the document with `strata attest`, which links it to the device's BOM",
            ),
        );
        return;
    }
    let bom_path = bound_bom(path);
    // The BOM beside the declarations, through the guarded open and inside
    // their directory: a FIFO, a device or a link leading elsewhere is no BOM.
    let dir = bom_path.parent().unwrap_or(Path::new("."));
    let bom = crate::fsutil::read_limited(
        &bom_path,
        crate::fsutil::Scope::Within(dir),
        super::MAX_BOM_BYTES,
    )
    .map_err(|e| e.to_string())
    .and_then(|bytes| {
        let v: Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        Ok((Digest::of(&bytes), v))
    });
    let (digest, bom) = match bom {
        Ok(found) => found,
        Err(why) => {
            diagnostics.push(
            Diagnostic::error(
                Code::BomLinkMissing,
                format!(
                    "the declarations are bound to a BOM, and `{}` beside them cannot be read as JSON: {}",
                    crate::fsutil::shown(&bom_path),
                    crate::escape::terminal(&why)
                ),
            )
            .pointer(&links[0].0)
            .help("keep the declarations in the directory of the BOM they were written for (`strata attest` puts them there)"),
        );
            return;
        }
    };
    let serial = bom
        .get("serialNumber")
        .and_then(Value::as_str)
        .unwrap_or("");
    let version = bom.get("version").and_then(Value::as_u64);
    let mut refs = HashSet::new();
    collect_refs(&bom, &mut refs);
    for (pointer, url, hashes) in links {
        let mismatch = |msg: String| {
            Diagnostic::error(Code::BomLinkMismatch, msg)
                .pointer(&pointer)
                .help("the BOM changed since the declarations were written: run `strata attest` again (and review the new digest)")
        };
        let Some((link_serial, link_version, element)) = cdxa::parse_bom_link(&url) else {
            diagnostics.push(mismatch(format!(
                "`{url}` is not a BOM-Link (urn:cdx:UUID/VERSION[#REF])"
            )));
            continue;
        };
        if link_serial != serial || Some(u64::from(link_version)) != version {
            diagnostics.push(mismatch(format!(
                "`{url}` names BOM {link_serial} version {link_version}; `{}` is {} version {}",
                bom_path.display(),
                if serial.is_empty() {
                    "without serial number"
                } else {
                    serial
                },
                version.map_or_else(|| "?".to_string(), |v| v.to_string())
            )));
            continue;
        }
        if let Some(e) = &element
            && !refs.contains(e.as_str())
        {
            diagnostics.push(mismatch(format!(
                "`{url}` names bom-ref `{e}`, which `{}` does not have",
                bom_path.display()
            )));
        }
        match hashes {
            None => diagnostics.push(mismatch(format!(
                "the reference to `{url}` carries no SHA-256 of the BOM, so its bytes are not bound"
            ))),
            Some(h) if h != digest.hex() => diagnostics.push(mismatch(format!(
                "the reference to `{url}` carries {}, and `{}` has {}",
                crate::digest::short(&h),
                bom_path.display(),
                digest.short()
            ))),
            Some(_) => {}
        }
    }
}

/// Every external reference of type `bom`: its pointer to `url`, the URL,
/// and its SHA-256 when it has one.
fn collect(v: &Value, at: &str, out: &mut Vec<(String, String, Option<String>)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                if k == "externalReferences"
                    && let Value::Array(refs) = child
                {
                    for (i, r) in refs.iter().enumerate() {
                        let (Some("bom"), Some(url)) = (
                            r.get("type").and_then(Value::as_str),
                            r.get("url").and_then(Value::as_str),
                        ) else {
                            continue;
                        };
                        if !url.starts_with("urn:cdx:") {
                            continue;
                        }
                        let sha = r
                            .get("hashes")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .find(|h| h.get("alg").and_then(Value::as_str) == Some("SHA-256"))
                            .and_then(|h| h.get("content"))
                            .and_then(Value::as_str)
                            .map(str::to_string);
                        out.push((format!("{here}/{i}/url"), url.to_string(), sha));
                    }
                } else {
                    collect(child, &here, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect(child, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn collect_refs<'v>(v: &'v Value, out: &mut HashSet<&'v str>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match (k.as_str(), child) {
                    ("bom-ref", Value::String(s)) => {
                        out.insert(s);
                    }
                    _ => collect_refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|c| collect_refs(c, out)),
        _ => {}
    }
}
