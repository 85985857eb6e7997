//! Reading the evidence a stack names: hashing files and directories, and
//! parsing the kinds strata understands into properties for the BOM.

use super::record::{EvidenceRecord, FileRecord};
use crate::clock::{Time, Timestamp};
use crate::diag::{Code, Diagnostic, Result};
use crate::fleet::Fleet;
use crate::fsutil;
use crate::hashing::{self, HashOptions, Progress};
use crate::model::{EvidenceKind, Loaded, Stack};

/// One entry to hash and parse: an evidence entry or the model weights.
struct Entry {
    kind: EvidenceKind,
    path: String,
    description: Option<String>,
    allow_symlinks: bool,
    allow_outside: bool,
    weights: bool,
    artifact: Option<String>,
    trust: Option<crate::model::EvidenceTrust>,
}

/// Hash and parse every evidence entry of the stack, in manifest order.
pub fn collect(
    stack: &Loaded<Stack>,
    fleet: &Fleet,
    progress: Option<&dyn Progress>,
    at: Option<Time>,
    now: Timestamp,
) -> Result<Vec<EvidenceRecord>> {
    let mut out = Vec::new();
    for (layer_name, layer) in stack.value.layers.iter() {
        let mut entries: Vec<Entry> = layer
            .evidence
            .iter()
            .map(|e| Entry {
                kind: e.kind,
                path: e.path.clone(),
                description: e.description.clone(),
                allow_symlinks: e.allow_symlinks,
                allow_outside: e.allow_outside_root,
                weights: false,
                // A model signature covers the layer's weights unless it
                // names another directory.
                artifact: e.artifact.clone().or_else(|| {
                    (e.kind == EvidenceKind::ModelSigning)
                        .then(|| layer.weights.as_ref().map(|w| w.path.clone()))
                        .flatten()
                }),
                trust: e.trust.clone(),
            })
            .collect();
        if let Some(w) = &layer.weights {
            entries.push(Entry {
                kind: EvidenceKind::Directory,
                path: w.path.clone(),
                description: None,
                allow_symlinks: w.allow_symlinks,
                allow_outside: false,
                weights: true,
                artifact: None,
                trust: None,
            });
        }
        for Entry {
            kind,
            path,
            description,
            allow_symlinks,
            allow_outside,
            weights,
            artifact,
            trust,
        } in entries
        {
            // `check_stack` already refused escapes; confine again so this
            // function is safe on its own.
            let full = fsutil::confine(&fleet.root, &path, allow_outside).map_err(|m| {
                crate::diag::Error::invalid(
                    Diagnostic::error(Code::PathOutsideRoot, m).in_file(&stack.path),
                )
            })?;
            let opts = HashOptions {
                allow_symlinks,
                root: if allow_outside {
                    None
                } else {
                    Some(fleet.root.clone())
                },
                ..HashOptions::default()
            };
            let manifest = hashing::hash_tree_with_progress(&full, &opts, progress)?;
            let is_dir = manifest.kind == hashing::Kind::Directory;
            if kind == EvidenceKind::File && is_dir {
                return Err(crate::diag::Error::invalid(
                    Diagnostic::error(
                        Code::WrongEvidenceKind,
                        format!("`{path}` is a directory, declared as `file`"),
                    )
                    .in_file(&stack.path)
                    .help("use `kind: directory`"),
                ));
            }
            let files: Vec<FileRecord> = if is_dir {
                manifest
                    .entries
                    .iter()
                    .map(|e| FileRecord {
                        name: e.name.clone(),
                        size: e.size,
                        sha256: hex::encode(e.digest),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let size = manifest.entries.iter().map(|e| e.size).sum();
            let mut rec = EvidenceRecord {
                layer: layer_name,
                kind,
                path: path.clone(),
                description,
                weights,
                sha256: hex::encode(manifest.digest),
                size,
                files,
                properties: Vec::new(),
                warnings: Vec::new(),
                report: None,
            };
            let artifact_full = match &artifact {
                Some(a) => Some(fsutil::confine(&fleet.root, a, allow_outside).map_err(|m| {
                    crate::diag::Error::invalid(
                        Diagnostic::error(Code::PathOutsideRoot, m).in_file(&stack.path),
                    )
                })?),
                None => None,
            };
            let input = super::parse::KindInput {
                full: &full,
                manifest: &stack.path,
                at,
                now,
                artifact: artifact_full.as_deref(),
                trust: trust.as_ref(),
                root: &fleet.root,
                allow_outside,
            };
            super::parse::parse_kind(&mut rec, &input)?;
            out.push(rec);
        }
    }
    relate_boot(&mut out, &stack.path);
    Ok(out)
}

/// When a stack carries both a key attestation and a vbmeta image, record
/// on the attestation whether its root of trust names that image
/// (`avb-boot-key-match`, `avb-boot-hash-match`), and warn on a mismatch.
fn relate_boot(records: &mut [EvidenceRecord], manifest: &std::path::Path) {
    let vbmeta: Vec<(String, crate::evidence::Report)> = records
        .iter()
        .filter(|r| r.kind == EvidenceKind::AvbVbmeta)
        .filter_map(|r| r.report.clone().map(|rep| (r.path.clone(), rep)))
        .collect();
    // Only an unambiguous pair is compared.
    let [(vb_path, vb)] = vbmeta.as_slice() else {
        return;
    };
    for rec in records
        .iter_mut()
        .filter(|r| r.kind == EvidenceKind::AndroidKeyAttestation)
    {
        let Some(mut att) = rec.report.clone() else {
            continue;
        };
        let before = att.checks.len();
        crate::evidence::avb::relate(vb, &att.clone(), &mut att);
        let failed: Vec<String> = att.checks[before..]
            .iter()
            .filter(|c| c.status == crate::evidence::Status::Fail)
            .map(|c| c.name.clone())
            .collect();
        if !failed.is_empty() {
            rec.warnings.push(
                Diagnostic::warning(
                    Code::EvidenceVerificationFailed,
                    format!(
                        "attestation `{}` does not name vbmeta `{vb_path}` as its boot image: {}",
                        rec.path,
                        failed.join(", ")
                    ),
                )
                .in_file(manifest),
            );
        }
        rec.properties = att.properties(super::parse::prefix(rec.kind));
        rec.report = Some(att);
    }
}
