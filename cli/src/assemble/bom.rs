//! Building the CycloneDX 1.5 document with `cyclonedx-bom`.
//!
//! Shape of an attestation:
//! - `metadata.component`: the device (`type: device`), with its maker as
//!   `metadata.manufacture` and `metadata.supplier`;
//! - one top-level component per layer, `bom-ref` `layer:<name>`, typed
//!   `device` (silicon), `operating-system`, `machine-learning-model` (with a
//!   `modelCard`), `firmware` (vehicle) or `platform` (services); supplier =
//!   the controlling vendor's legal name; `strata:*` properties for layer,
//!   group, jurisdiction, upstream vendors, agent permissions and data routing;
//! - nested `file` components for each evidence entry (and each file of a
//!   hashed directory), with SHA-256 hashes and an external reference;
//! - a `services` entry per cloud endpoint, with its outbound data flows;
//! - `dependencies`: the device depends on every layer; os → silicon;
//!   model → os (+ services); vehicle → os or silicon.
//!
//! Determinism: members are emitted in a fixed order, properties sorted, no
//! wall-clock time unless asked, and the serial number is a UUIDv5 of the
//! document's own bytes (rendered without a serial).
//!
//! Gaps in `cyclonedx-bom` 0.8.1, noted for users: it writes at most 1.5
//! (component-level `manufacturer` and other 1.6 fields are unavailable) and
//! its `modelCard.considerations` type is empty, so considerations are
//! recorded as `modelCard.properties` instead.

use cyclonedx_bom::external_models::uri::Uri;
use cyclonedx_bom::models::component::Classification;
use cyclonedx_bom::models::dependency::{Dependencies, Dependency};
use cyclonedx_bom::models::external_reference::{
    ExternalReference, ExternalReferenceType, ExternalReferences,
};
use cyclonedx_bom::models::hash::{Hash, HashAlgorithm, HashValue, Hashes};
use cyclonedx_bom::models::license::{LicenseChoice, Licenses};
use cyclonedx_bom::models::modelcard::{ModelCard, ModelParameters};
use cyclonedx_bom::models::organization::OrganizationalEntity;
use cyclonedx_bom::models::property::{Properties, Property};
use cyclonedx_bom::models::service::{Data, DataClassification, DataFlowType, Service, Services};
use cyclonedx_bom::models::tool::{Tool, Tools};
use cyclonedx_bom::prelude::*;
use sha2::{Digest, Sha256};

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fleet::Fleet;
use crate::model::{DeviceInfo, Fact, Layer, LayerName, Stack};

use super::record::EvidenceRecord;

/// Namespace for serial-number UUIDv5s (a fixed random UUID owned by strata).
const SERIAL_NAMESPACE: uuid::Uuid = uuid::Uuid::from_bytes([
    0x6b, 0x1f, 0x3c, 0x52, 0x9a, 0x0e, 0x4d, 0x8f, 0xa1, 0x37, 0x5c, 0x2e, 0x90, 0x4b, 0xd3, 0x11,
]);

/// Output encodings of a BOM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// CycloneDX JSON.
    Json,
    /// CycloneDX XML.
    Xml,
}

fn prop(name: &str, value: impl AsRef<str>) -> Property {
    Property::new(format!("strata:{name}"), value.as_ref())
}

fn sorted(mut props: Vec<Property>) -> Option<Properties> {
    if props.is_empty() {
        return None;
    }
    props.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then_with(|| a.value.to_string().cmp(&b.value.to_string()))
    });
    Some(Properties(props))
}

fn sha256(hex: &str) -> Hashes {
    Hashes(vec![Hash {
        alg: HashAlgorithm::SHA_256,
        content: HashValue(hex.to_string()),
    }])
}

fn org(name: &str) -> OrganizationalEntity {
    OrganizationalEntity::new(name)
}

fn fact_props(prefix: &str, facts: &[Fact]) -> Vec<Property> {
    facts
        .iter()
        .map(|f| {
            let mut v = format!("{} [{}] source: {}", f.claim, f.status, f.source);
            if let Some(d) = &f.source_date {
                v.push_str(&format!(" ({d})"));
            }
            if let Some(by) = &f.by {
                v.push_str(&format!("; claim by {by}"));
            }
            prop(&format!("{prefix}fact"), v)
        })
        .collect()
}

fn classification(name: LayerName) -> Classification {
    match name {
        LayerName::Silicon => Classification::Device,
        LayerName::Os => Classification::OperatingSystem,
        LayerName::Model => Classification::MachineLearningModel,
        LayerName::Vehicle => Classification::Firmware,
        LayerName::Services => Classification::Platform,
    }
}

fn vendor_name(fleet: &Fleet, id: &str) -> String {
    fleet
        .vendor(id)
        .map(|v| v.name.clone())
        .unwrap_or_else(|| id.to_string())
}

fn device_component(dev: &DeviceInfo, fleet: &Fleet) -> Component {
    let mut c = Component::new(
        Classification::Device,
        &dev.name,
        "",
        Some(format!("device:{}", dev.id)),
    );
    c.version = None;
    c.description = dev.description.as_deref().map(NormalizedString::new);
    if let Some(m) = &dev.manufacturer {
        c.supplier = Some(org(&vendor_name(fleet, m)));
    }
    let mut props = vec![
        prop("device:id", &dev.id),
        prop("device:class", dev.class.as_str()),
    ];
    if let Some(r) = &dev.region {
        props.push(prop("device:region", r));
    }
    props.extend(fact_props("device:", &dev.facts));
    c.properties = sorted(props);
    c
}

fn evidence_component(rec: &EvidenceRecord, index: usize) -> Component {
    let name = if rec.weights {
        format!("{} (weights)", rec.path)
    } else {
        rec.path.clone()
    };
    let bom_ref = format!("evidence:{}:{index}", rec.layer);
    let mut c = Component::new(Classification::File, &name, "", Some(bom_ref.clone()));
    c.version = None;
    c.description = rec.description.as_deref().map(NormalizedString::new);
    c.hashes = Some(sha256(&rec.sha256));
    let mut props = vec![
        prop("evidence:kind", rec.kind.as_str()),
        prop("evidence:path", &rec.path),
        prop("evidence:size", rec.size.to_string()),
    ];
    if !rec.files.is_empty() {
        props.push(prop("evidence:files", rec.files.len().to_string()));
        props.push(prop(
            "evidence:digest-method",
            "sha256 over concatenated file digests in path-component order (OpenSSF model-signing v1.0 subject)",
        ));
    }
    props.extend(
        rec.properties
            .iter()
            .map(|(k, v)| prop(k.trim_start_matches("strata:"), v)),
    );
    c.properties = sorted(props);
    let kind = if rec.kind.is_sbom() {
        ExternalReferenceType::Bom
    } else {
        ExternalReferenceType::Evidence
    };
    c.external_references = Some(ExternalReferences(vec![ExternalReference {
        external_reference_type: kind,
        url: cyclonedx_bom::models::external_reference::Uri::Url(Uri::new(&rec.path)),
        comment: Some(format!(
            "{} evidence, relative to the fleet root",
            rec.kind.as_str()
        )),
        hashes: Some(sha256(&rec.sha256)),
    }]));
    if !rec.files.is_empty() {
        let files = rec
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut fc = Component::new(
                    Classification::File,
                    &f.name,
                    "",
                    Some(format!("{bom_ref}:{i}")),
                );
                fc.version = None;
                fc.hashes = Some(sha256(&f.sha256));
                fc.properties = sorted(vec![prop("evidence:size", f.size.to_string())]);
                fc
            })
            .collect();
        c.components = Some(Components(files));
    }
    c
}

fn layer_component(
    name: LayerName,
    layer: &Layer,
    fleet: &Fleet,
    evidence: &[&EvidenceRecord],
) -> Component {
    let product = layer.display_product();
    let mut c = Component::new(
        classification(name),
        &product,
        "",
        Some(format!("layer:{name}")),
    );
    c.version = layer.version.as_deref().map(NormalizedString::new);
    c.description = layer.description.as_deref().map(NormalizedString::new);
    let mut props = vec![prop("layer", name.as_str())];
    let shares = layer.shares();
    if let Some(sup) = &layer.supplier {
        c.supplier = Some(org(&vendor_name(fleet, sup)));
    } else if let Some(first) = shares.first() {
        c.supplier = Some(org(&vendor_name(fleet, &first.supplier)));
    }
    for p in &shares {
        let group = fleet.group_of(&p.supplier).unwrap_or(&p.supplier);
        props.push(prop("supplier", &p.supplier));
        props.push(prop("group", group));
        if let Some(gn) = fleet.group_name(&p.supplier) {
            props.push(prop("group-name", gn));
        }
        if let Some(v) = fleet.vendor(&p.supplier) {
            props.push(prop("jurisdiction", &v.jurisdiction));
        }
        if !layer.parts.is_empty() {
            let mut v = format!("{}={} fraction={}", p.supplier, p.product, p.fraction);
            if let Some(r) = &p.role {
                v.push_str(&format!(" role={r}"));
            }
            props.push(prop("part", v));
        }
    }
    for up in &layer.upstream {
        let id = up.vendor();
        let mut v = format!("{id} ({})", vendor_name(fleet, id));
        if let Some(r) = up.role() {
            v.push_str(&format!(" role={}", r.as_str()));
        }
        props.push(prop("upstream", v));
    }
    props.extend(fact_props("", &layer.facts));
    if let Some(lic) = &layer.license {
        c.licenses = Some(Licenses(vec![LicenseChoice::Expression(
            SpdxExpression::new(lic),
        )]));
    }
    if name == LayerName::Model {
        let mut card_props = Vec::new();
        if let Some(p) = &layer.parameters {
            card_props.push(prop("model:parameters", p));
        }
        if let Some(agent) = &layer.agent {
            let mut perms = agent.permissions.clone();
            perms.sort();
            props.push(prop("agent:name", &agent.name));
            props.push(prop("agent:embedded", agent.embedded.to_string()));
            props.push(prop("agent:background", agent.background.to_string()));
            if let Some(a) = agent.actions {
                props.push(prop("agent:actions", a.to_string()));
            }
            if let Some(d) = agent.can_disable {
                props.push(prop("agent:can-disable", d.to_string()));
            }
            props.push(prop("agent:permissions", perms.join(",")));
            for r in &agent.data_routing {
                let mut v = format!("to={}", r.to.as_str());
                if let Some(o) = &r.operator {
                    v.push_str(&format!(";operator={o}"));
                }
                if let Some(reg) = &r.region {
                    v.push_str(&format!(";region={reg}"));
                }
                if let Some(p) = &r.purpose {
                    v.push_str(&format!(";purpose={p}"));
                }
                props.push(prop("agent:data-routing", v));
            }
            props.extend(fact_props("agent:", &agent.facts));
            card_props.push(prop("model:agent", &agent.name));
        }
        c.model_card = Some(ModelCard {
            bom_ref: None,
            model_parameters: Some(ModelParameters {
                approach: None,
                task: Some(if layer.agent.is_some() {
                    "on-device assistant agent".into()
                } else {
                    "generative model".into()
                }),
                architecture_family: None,
                model_architecture: None,
                datasets: None,
                inputs: None,
                outputs: None,
            }),
            quantitative_analysis: None,
            considerations: None,
            properties: sorted(card_props),
        });
    }
    for ep in &layer.endpoints {
        let mut v = ep.host.clone();
        if let Some(r) = &ep.region {
            v.push_str(&format!(" region={r}"));
        }
        props.push(prop("service:endpoint", v));
    }
    c.properties = sorted(props);
    let nested: Vec<Component> = evidence
        .iter()
        .enumerate()
        .map(|(i, r)| evidence_component(r, i))
        .collect();
    if !nested.is_empty() {
        c.components = Some(Components(nested));
    }
    if let Some(w) = evidence.iter().find(|r| r.weights) {
        c.hashes = Some(sha256(&w.sha256));
    }
    c
}

fn services(layer: &Layer, fleet: &Fleet) -> Vec<Service> {
    layer
        .endpoints
        .iter()
        .enumerate()
        .map(|(i, ep)| {
            let mut s = Service::new(&ep.host, Some(format!("service:{i}")));
            let operator = ep.operator.as_deref().or(layer.supplier.as_deref());
            s.provider = operator.map(|o| org(&vendor_name(fleet, o)));
            s.endpoints = Some(vec![Uri::new(&format!("https://{}", ep.host))]);
            s.description = ep.purpose.as_deref().map(NormalizedString::new);
            s.x_trust_boundary = Some(true);
            if !ep.data.is_empty() {
                s.data = Some(Data::Classification(
                    ep.data
                        .iter()
                        .map(|d| DataClassification {
                            flow: DataFlowType::Outbound,
                            classification: NormalizedString::new(d),
                        })
                        .collect(),
                ));
            }
            let mut props = Vec::new();
            if let Some(r) = &ep.region {
                props.push(prop("region", r));
            }
            if let Some(o) = operator {
                props.push(prop("operator", o));
                if let Some(g) = fleet.group_of(o) {
                    props.push(prop("group", g));
                }
            }
            s.properties = sorted(props);
            s
        })
        .collect()
}

fn dependencies(stack: &Stack) -> Dependencies {
    let has = |n: LayerName| stack.layers.get(n).is_some();
    let r = |n: LayerName| format!("layer:{n}");
    let mut deps = vec![Dependency {
        dependency_ref: format!("device:{}", stack.device.id),
        dependencies: stack.layers.iter().map(|(n, _)| r(n)).collect(),
    }];
    for (n, _) in stack.layers.iter() {
        let on: Vec<String> = match n {
            LayerName::Silicon | LayerName::Services => vec![],
            LayerName::Os => [LayerName::Silicon]
                .into_iter()
                .filter(|x| has(*x))
                .map(r)
                .collect(),
            LayerName::Model => [LayerName::Os, LayerName::Services]
                .into_iter()
                .filter(|x| has(*x))
                .map(r)
                .collect(),
            LayerName::Vehicle => {
                let base = if has(LayerName::Os) {
                    LayerName::Os
                } else {
                    LayerName::Silicon
                };
                [base].into_iter().filter(|x| has(*x)).map(r).collect()
            }
        };
        deps.push(Dependency {
            dependency_ref: r(n),
            dependencies: on,
        });
    }
    Dependencies(deps)
}

/// Build the BOM for `stack` from its evidence records.
pub fn build(
    stack: &Stack,
    fleet: &Fleet,
    evidence: &[EvidenceRecord],
    timestamp: Option<&str>,
) -> Result<Bom> {
    let mut bom = Bom {
        version: 1,
        serial_number: None,
        ..Bom::default()
    };
    let timestamp = match timestamp {
        None => None,
        Some(t) => Some(
            DateTime::try_from(t.to_string())
                .map_err(|e| Error::Usage(format!("invalid timestamp `{t}`: {e}")))?,
        ),
    };
    let mut meta = Metadata {
        timestamp,
        ..Metadata::default()
    };
    meta.tools = Some(Tools::List(vec![Tool {
        vendor: Some(NormalizedString::new("strata")),
        name: Some(NormalizedString::new("strata")),
        version: Some(NormalizedString::new(env!("CARGO_PKG_VERSION"))),
        hashes: None,
        external_references: None,
    }]));
    meta.component = Some(device_component(&stack.device, fleet));
    if let Some(m) = &stack.device.manufacturer {
        meta.manufacture = Some(org(&vendor_name(fleet, m)));
        meta.supplier = Some(org(&vendor_name(fleet, m)));
    }
    meta.properties = sorted(vec![prop("format", "strata attestation v1")]);
    bom.metadata = Some(meta);
    let mut comps = Vec::new();
    let mut svcs = Vec::new();
    for (name, layer) in stack.layers.iter() {
        let ev: Vec<&EvidenceRecord> = evidence.iter().filter(|r| r.layer == name).collect();
        comps.push(layer_component(name, layer, fleet, &ev));
        svcs.extend(services(layer, fleet));
    }
    bom.components = Some(Components(comps));
    if !svcs.is_empty() {
        bom.services = Some(Services(svcs));
    }
    bom.dependencies = Some(dependencies(stack));
    // Serial number: UUIDv5 over the document rendered without one.
    let bytes = render(&bom, OutputFormat::Json)?;
    let digest = Sha256::digest(&bytes);
    let uuid = uuid::Uuid::new_v5(&SERIAL_NAMESPACE, &digest);
    bom.serial_number = Some(UrnUuid::from(uuid));
    Ok(bom)
}

/// Render a BOM as CycloneDX 1.5 JSON (two-space indent, trailing newline)
/// or XML.
pub fn render(bom: &Bom, format: OutputFormat) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let fail = |e: String| Error::invalid(Diagnostic::error(Code::CyclonedxWrite, e));
    match format {
        OutputFormat::Json => {
            bom.clone()
                .output_as_json(&mut out, SpecVersion::V1_5)
                .map_err(|e| fail(e.to_string()))?;
            let v: serde_json::Value =
                serde_json::from_slice(&out).map_err(|e| fail(e.to_string()))?;
            out = serde_json::to_vec_pretty(&v).map_err(|e| fail(e.to_string()))?;
            out.push(b'\n');
        }
        OutputFormat::Xml => {
            bom.clone()
                .output_as_xml(&mut out, SpecVersion::V1_5)
                .map_err(|e| fail(e.to_string()))?;
            if !out.ends_with(b"\n") {
                out.push(b'\n');
            }
        }
    }
    Ok(out)
}
