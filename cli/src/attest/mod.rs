//! `attest`: a CycloneDX 1.6 declarations document (CDXA) per device,
//! beside its 1.5 BOM, saying in CycloneDX's own terms what strata's
//! `strata:*` properties and the gate's verdicts say.
//!
//! The document holds the policy as a standard ([`standard`]) and the
//! declarations ([`claims`]): targets bound to the device's BOM by
//! BOM-Link (`urn:cdx:<serial>/<version>#<bom-ref>`) with the BOM file's
//! SHA-256, claims about layers, evidence, concentration, restricted lists,
//! the DPIA screening, the signature and the reviews, the evidence behind
//! them, strata and the reviewers as assessors, attestations mapping every
//! requirement to its claims with the conformance the gate decided, and an
//! affirmation signed off by the reviewers of the current digest.
//!
//! The conformance is the gate's: [`attest`] runs [`crate::gate::gate`]
//! and maps each of its checks, so the two cannot disagree. The evaluation
//! time is passed in; the same inputs at the same time give byte-identical
//! documents (the serial number is derived from the content).

pub mod claims;
mod signoff;
pub mod standard;
mod targets;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cdxa::{self, Component, Document, ExternalReference, Hash, Metadata, Property, Tools};
use crate::clock::Time;
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::digest::Digest;
use crate::fleet::Fleet;
use crate::gate::{self, GateOptions, GateReport};
use crate::layout;
use crate::model::{self, ApprovedDevices, FileKind, Loaded, Review};
use crate::policy;

pub use crate::validate::declarations::FORMAT;

/// Namespace of the declarations' serial numbers (UUID v5 of the content).
const SERIAL_NAMESPACE: uuid::Uuid = uuid::Uuid::from_bytes([
    0x6b, 0x1e, 0x53, 0x2a, 0x0c, 0x4f, 0x4d, 0x8e, 0x9a, 0x61, 0x2f, 0x3d, 0x77, 0x10, 0xc5, 0x9e,
]);

/// Options for [`attest`].
#[derive(Debug, Clone)]
pub struct AttestOptions {
    /// The gate's options (policy, list, the day and instant judged at).
    pub gate: GateOptions,
    /// The evaluation time recorded in the documents.
    pub at: Time,
    /// Only these devices (all on the list when empty).
    pub only: Vec<String>,
}

/// One device's declarations.
#[derive(Debug, Clone)]
pub struct Declaration {
    /// Device id.
    pub device: String,
    /// The BOM the document declares about.
    pub bom: PathBuf,
    /// Where the document belongs: beside the BOM.
    pub path: PathBuf,
    /// The document.
    pub document: Document,
}

/// What the gate judged and the declarations written from it.
#[derive(Debug, Clone)]
pub struct Attested {
    /// The gate's report the conformance comes from.
    pub gate: GateReport,
    /// One document per device, in device order.
    pub declarations: Vec<Declaration>,
}

/// The device's BOM as the declarations refer to it.
#[derive(Debug, Clone)]
pub struct BomRef {
    /// The BOM file.
    pub path: PathBuf,
    /// SHA-256 of its bytes.
    pub digest: Digest,
    /// `serialNumber`.
    pub serial: String,
    /// `version`.
    pub version: u32,
    /// The parsed BOM.
    pub value: Value,
}

impl BomRef {
    /// Read and identify the BOM at `path`.
    pub fn read(path: &Path) -> Result<BomRef> {
        let bytes = crate::fsutil::read_bounded(path, crate::validate::MAX_BOM_BYTES)?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            Error::invalid(
                Diagnostic::error(Code::NotABom, format!("not JSON: {e}"))
                    .in_file(path)
                    .help("re-assemble it with `strata assemble`"),
            )
        })?;
        let serial = value
            .get("serialNumber")
            .and_then(Value::as_str)
            .filter(|s| cdxa::parse_bom_link(&cdxa::bom_link(s, 1, None)).is_some());
        let version = value
            .get("version")
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
            .filter(|v| *v >= 1);
        let (Some(serial), Some(version)) = (serial, version) else {
            return Err(Error::invalid(
                Diagnostic::error(
                    Code::NotABom,
                    "the attestation has no `urn:uuid:` serialNumber and version to link to",
                )
                .in_file(path)
                .help("re-assemble it with `strata assemble`, which writes both"),
            ));
        };
        Ok(BomRef {
            path: path.to_path_buf(),
            digest: Digest::of(&bytes),
            serial: serial.to_string(),
            version,
            value,
        })
    }

    /// A BOM-Link to an element (`None`: to the document).
    pub fn link(&self, bom_ref: Option<&str>) -> String {
        cdxa::bom_link(&self.serial, self.version, bom_ref)
    }

    /// An external reference of type `bom` to an element, with the BOM's
    /// digest.
    pub fn reference(&self, bom_ref: Option<&str>, comment: &str) -> ExternalReference {
        ExternalReference {
            kind: "bom".into(),
            url: self.link(bom_ref),
            comment: Some(comment.to_string()),
            hashes: vec![Hash::sha256(self.digest.hex())],
        }
    }
}

/// Judge the fleet at `root` with the gate and write a declarations
/// document for each device the list names (or `opts.only`).
pub fn attest(root: &Path, opts: &AttestOptions) -> Result<Attested> {
    let report = gate::gate(root, &opts.gate)?;
    let fleet = Fleet::open(root)?;
    let policy_path = opts
        .gate
        .policy
        .clone()
        .unwrap_or_else(|| layout::policy(&fleet.root));
    let devices_path = opts
        .gate
        .devices
        .clone()
        .unwrap_or_else(|| layout::approved_devices(&fleet.root));
    let policy = policy::load(&policy_path)?;
    let policy_digest = Digest::of(crate::fsutil::read_text(&policy_path)?.as_bytes());
    let list: Loaded<ApprovedDevices> = model::load(&devices_path, FileKind::ApprovedDevices)?;
    let list_dir = devices_path
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    for id in &opts.only {
        if !report.analysis.devices.iter().any(|d| &d.id == id) {
            return Err(Error::invalid(
                Diagnostic::error(
                    Code::UnknownDevice,
                    format!("the approved-device list names no device `{id}`"),
                )
                .in_file(&devices_path)
                .help("name a device of the list (`strata report` lists them)"),
            ));
        }
    }
    // The standard's owner: whoever the approved-device list names as the
    // devices' owners (the policy names none), so that the same files give
    // the same document wherever the fleet is checked out.
    let owners: std::collections::BTreeSet<&str> = list
        .value
        .devices
        .iter()
        .filter_map(|d| d.owner.as_deref())
        .collect();
    let owner = if owners.is_empty() {
        "the fleet's owners (approved-devices.yaml names none)".to_string()
    } else {
        owners.into_iter().collect::<Vec<_>>().join(", ")
    };
    let mut declarations = Vec::new();
    let mut reviews_reader = crate::review::Reviews::new();
    for device in &report.analysis.devices {
        if !opts.only.is_empty() && !opts.only.contains(&device.id) {
            continue;
        }
        let entry = list.value.devices.iter().find(|d| d.id == device.id);
        let Some(att) = entry.and_then(|e| e.attestation.as_deref()) else {
            return Err(Error::invalid(
                Diagnostic::error(
                    Code::AttestationMissing,
                    format!(
                        "the approved-device list names no attestation for `{}`; declarations are bound to one",
                        device.id
                    ),
                )
                .in_file(&devices_path)
                .help("assemble the device's BOM and name it under `attestation:`"),
            ));
        };
        let bom_path = list_dir.join(att);
        if !bom_path.is_file() {
            return Err(Error::invalid(
                Diagnostic::error(
                    Code::AttestationMissing,
                    format!("attestation `{att}` of `{}` does not exist", device.id),
                )
                .in_file(&devices_path)
                .help("run `strata assemble` first"),
            ));
        }
        let bom = BomRef::read(&bom_path)?;
        let reviews: Vec<Review> = reviews_reader.of(&bom_path, &device.id)?;
        // No bundle is "unsigned"; a bundle that is there but cannot be read
        // (a FIFO, a device, too large) is an error, never "unsigned".
        let bundle_path = layout::bundle_path(&bom_path);
        let bundle = match std::fs::symlink_metadata(&bundle_path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            _ => Some(crate::fsutil::read_bounded(
                &bundle_path,
                crate::fsutil::MAX_INPUT_BYTES,
            )?),
        };
        let ctx = claims::Context {
            device,
            checks: report
                .checks
                .iter()
                .filter(|c| c.device == device.id)
                .collect(),
            bom: &bom,
            reviews: &reviews,
            bundle: bundle.as_deref(),
            policy: &policy,
            lists: &report.analysis.lists,
            dpia_recorded: entry.and_then(|e| e.dpia.clone()),
            at: opts.at,
            today: opts.gate.today,
        };
        let std = standard::standard(
            &policy,
            &policy_digest,
            &owner,
            &report.analysis.lists,
            &device.dpia,
        );
        let declarations_part = claims::declarations(&ctx);
        let document = finish(Document {
            schema: Some(cdxa::SCHEMA_URL.into()),
            bom_format: "CycloneDX".into(),
            spec_version: cdxa::SPEC_VERSION.into(),
            serial_number: String::new(),
            version: 1,
            metadata: Metadata {
                timestamp: Some(opts.at.to_string()),
                tools: Some(Tools {
                    components: vec![Component {
                        kind: "application".into(),
                        bom_ref: None,
                        name: "strata".into(),
                        version: Some(env!("CARGO_PKG_VERSION").into()),
                        external_references: vec![],
                        properties: vec![],
                    }],
                }),
                component: Some(Component {
                    kind: "device".into(),
                    bom_ref: Some(format!("device:{}", device.id)),
                    name: device.name.clone(),
                    version: None,
                    external_references: vec![],
                    properties: vec![Property::new("strata:device:id", &device.id)],
                }),
                properties: vec![Property::new("strata:format", FORMAT)],
            },
            external_references: vec![bom.reference(
                None,
                "the device's attestation (CycloneDX 1.5 BOM) these declarations are about",
            )],
            definitions: Some(cdxa::Definitions {
                standards: vec![std],
            }),
            declarations: Some(declarations_part),
        })?;
        declarations.push(Declaration {
            device: device.id.clone(),
            path: bom_path.with_file_name(layout::DECLARATIONS_FILE),
            bom: bom_path,
            document,
        });
    }
    Ok(Attested {
        gate: report,
        declarations,
    })
}

/// Give the document its serial number: a UUID v5 of its content.
fn finish(mut doc: Document) -> Result<Document> {
    let bytes = render(&doc)?;
    let digest = Digest::of(&bytes);
    doc.serial_number = format!(
        "urn:uuid:{}",
        uuid::Uuid::new_v5(&SERIAL_NAMESPACE, &digest.bytes())
    );
    Ok(doc)
}

/// The document as written: pretty JSON and a final newline.
pub fn render(doc: &Document) -> Result<Vec<u8>> {
    let mut text = crate::diag::to_json_pretty(doc)?;
    text.push('\n');
    Ok(text.into_bytes())
}

#[cfg(test)]
mod tests;
