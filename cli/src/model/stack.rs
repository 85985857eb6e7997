//! The stack manifest: one device, its layers, suppliers and evidence.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::clock::Date;

/// A device stack manifest (`stacks/<device>.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Stack {
    /// File format version (1).
    pub version: u32,
    /// What the device is.
    pub device: DeviceInfo,
    /// Its layers, by name.
    pub layers: Layers,
}

/// Identity of a device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DeviceInfo {
    /// Device id, used in file names and references.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Device class.
    pub class: DeviceClass,
    /// Vendor id of the device maker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    /// Market or firmware variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Sourced facts about the device.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
    /// Certifications and conformity the vendor declares, each sourced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certifications: Vec<Certification>,
    /// The software support period the vendor declares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support: Option<Support>,
    /// Data portability: how the organisation gets its data out (export
    /// formats, Data Act access), each a sourced fact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub portability: Vec<Fact>,
}

/// A certification scheme or conformity a device may declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// Common Criteria (ISO/IEC 15408) certificate.
    CommonCriteria,
    /// EUCC, the EU scheme on Common Criteria.
    Eucc,
    /// EN 18031-1/-2/-3 under the RED delegated act.
    En18031,
    /// ETSI EN 303 645, consumer-IoT baseline.
    EtsiEn303645,
    /// Cyber Resilience Act conformity.
    Cra,
    /// ISO/SAE 21434 automotive cybersecurity engineering.
    IsoSae21434,
    /// UN Regulation No. 155 (cybersecurity management system).
    UnR155,
    /// UN Regulation No. 156 (software update management system).
    UnR156,
}

impl Scheme {
    /// The kebab-case id used in stack files.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::CommonCriteria => "common-criteria",
            Scheme::Eucc => "eucc",
            Scheme::En18031 => "en-18031",
            Scheme::EtsiEn303645 => "etsi-en-303-645",
            Scheme::Cra => "cra",
            Scheme::IsoSae21434 => "iso-sae-21434",
            Scheme::UnR155 => "un-r155",
            Scheme::UnR156 => "un-r156",
        }
    }
}

/// A certification the vendor declares, as a sourced claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Certification {
    /// The scheme.
    pub scheme: Scheme,
    /// What is declared (certificate id, assurance level, scope).
    pub claim: String,
    /// Where it comes from.
    pub source: String,
    /// Date of the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_date: Option<Date>,
    /// V, S, M or U.
    pub status: String,
    /// vendor, independent or user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// The software support period a vendor declares: security and OS updates
/// until a date, or for a number of years.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Support {
    /// Last day updates are promised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// Years of updates promised (from the launch, when no `until`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<u32>,
    /// What is promised, in the vendor's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    /// Where it comes from.
    pub source: String,
    /// Date of the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_date: Option<Date>,
    /// V, S, M or U.
    pub status: String,
    /// vendor, independent or user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// Device class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceClass {
    /// Smartphone.
    Phone,
    /// Tablet.
    Tablet,
    /// Laptop or desktop.
    Laptop,
    /// Car or other vehicle.
    Vehicle,
    /// Other connected device.
    Iot,
}

impl DeviceClass {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceClass::Phone => "phone",
            DeviceClass::Tablet => "tablet",
            DeviceClass::Laptop => "laptop",
            DeviceClass::Vehicle => "vehicle",
            DeviceClass::Iot => "iot",
        }
    }
}

/// The five layers a stack may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LayerName {
    /// SoC / chip and its firmware.
    Silicon,
    /// Operating system build.
    Os,
    /// AI model weights and embedded agent.
    Model,
    /// Vehicle software.
    Vehicle,
    /// Cloud services.
    Services,
}

impl LayerName {
    /// All layers in stack order, bottom to top.
    pub const ALL: [LayerName; 5] = [
        LayerName::Silicon,
        LayerName::Os,
        LayerName::Model,
        LayerName::Vehicle,
        LayerName::Services,
    ];

    /// The kebab-case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            LayerName::Silicon => "silicon",
            LayerName::Os => "os",
            LayerName::Model => "model",
            LayerName::Vehicle => "vehicle",
            LayerName::Services => "services",
        }
    }

    /// Parse a layer name.
    pub fn parse(s: &str) -> Option<LayerName> {
        LayerName::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for LayerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Stack {
    /// Visit every vendor name the stack writes (manufacturer, suppliers,
    /// parts, upstream vendors, operators) with its JSON pointer and what it
    /// names (`supplier`, `upstream vendor`, `operator`, `manufacturer`), in
    /// file order; `f` may rewrite the name.
    pub fn visit_vendor_names(&mut self, mut f: impl FnMut(String, &'static str, &mut String)) {
        if let Some(m) = &mut self.device.manufacturer {
            f("/device/manufacturer".into(), "manufacturer", m);
        }
        for name in LayerName::ALL {
            let layer = match name {
                LayerName::Silicon => self.layers.silicon.as_mut(),
                LayerName::Os => self.layers.os.as_mut(),
                LayerName::Model => self.layers.model.as_mut(),
                LayerName::Vehicle => self.layers.vehicle.as_mut(),
                LayerName::Services => self.layers.services.as_mut(),
            };
            let Some(layer) = layer else { continue };
            let lp = format!("/layers/{name}");
            if let Some(s) = &mut layer.supplier {
                f(format!("{lp}/supplier"), "supplier", s);
            }
            for (i, p) in layer.parts.iter_mut().enumerate() {
                f(
                    format!("{lp}/parts/{i}/supplier"),
                    "supplier",
                    &mut p.supplier,
                );
            }
            for (i, u) in layer.upstream.iter_mut().enumerate() {
                let ptr = match u {
                    Upstream::Vendor(_) => format!("{lp}/upstream/{i}"),
                    Upstream::WithRole(_) => format!("{lp}/upstream/{i}/vendor"),
                };
                f(ptr, "upstream vendor", u.vendor_mut());
            }
            if let Some(agent) = &mut layer.agent {
                for (i, r) in agent.data_routing.iter_mut().enumerate() {
                    if let Some(op) = &mut r.operator {
                        f(
                            format!("{lp}/agent/data-routing/{i}/operator"),
                            "operator",
                            op,
                        );
                    }
                }
            }
            for (i, ep) in layer.endpoints.iter_mut().enumerate() {
                if let Some(op) = &mut ep.operator {
                    f(format!("{lp}/endpoints/{i}/operator"), "operator", op);
                }
            }
        }
    }

    /// Every vendor name the stack writes: (JSON pointer, what it names,
    /// the name), in file order.
    pub fn vendor_names(&self) -> Vec<(String, &'static str, String)> {
        let mut out = Vec::new();
        self.clone()
            .visit_vendor_names(|ptr, what, name| out.push((ptr, what, name.clone())));
        out
    }
}

/// The layers of a device; absent layers do not apply.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Layers {
    /// Silicon layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silicon: Option<Layer>,
    /// OS layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<Layer>,
    /// Model layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<Layer>,
    /// Vehicle layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle: Option<Layer>,
    /// Services layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<Layer>,
}

impl Layers {
    /// The declared layers in stack order.
    pub fn iter(&self) -> impl Iterator<Item = (LayerName, &Layer)> {
        LayerName::ALL
            .into_iter()
            .filter_map(|n| self.get(n).map(|l| (n, l)))
    }

    /// One layer, if declared.
    pub fn get(&self, name: LayerName) -> Option<&Layer> {
        match name {
            LayerName::Silicon => self.silicon.as_ref(),
            LayerName::Os => self.os.as_ref(),
            LayerName::Model => self.model.as_ref(),
            LayerName::Vehicle => self.vehicle.as_ref(),
            LayerName::Services => self.services.as_ref(),
        }
    }
}

/// One layer of a stack. Which optional keys are meaningful depends on the
/// layer (`weights`, `agent`, `license` for `model`; `endpoints` for
/// `services`); the schema enforces that.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Layer {
    /// Controlling vendor id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    /// Product name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Product version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Split across vendors with fractions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// Vendors depended on without control (IP, fab, AOSP), each with its
    /// role when declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upstream: Vec<Upstream>,
    /// Evidence files and directories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// Sourced facts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Model layer: SPDX licence of the weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// Model layer: the weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Weights>,
    /// Model layer: published parameter count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<String>,
    /// Model layer: embedded agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Agent>,
    /// Services layer: endpoints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<Endpoint>,
}

impl Layer {
    /// The layer's parts for concentration: its `parts`, or one part of
    /// fraction 1 made of `supplier` and `product`.
    pub fn shares(&self) -> Vec<Part> {
        if !self.parts.is_empty() {
            return self.parts.clone();
        }
        vec![Part {
            supplier: self.supplier.clone().unwrap_or_default(),
            product: self.product.clone().unwrap_or_default(),
            version: self.version.clone(),
            fraction: 1.0,
            role: None,
        }]
    }

    /// A display name: the product, or the parts' products joined.
    pub fn display_product(&self) -> String {
        match &self.product {
            Some(p) => p.clone(),
            None => self
                .parts
                .iter()
                .map(|p| p.product.as_str())
                .collect::<Vec<_>>()
                .join(" + "),
        }
    }
}

/// A vendor a layer depends on without controlling it: a vendor name, or a
/// vendor with its role (`{vendor: tsmc, role: fab}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Upstream {
    /// Just the vendor; its role is not declared.
    Vendor(String),
    /// The vendor and what it does for the layer.
    WithRole(UpstreamEntry),
}

/// An upstream vendor with its role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UpstreamEntry {
    /// Vendor id, legal name or alias.
    pub vendor: String,
    /// What it does for the layer.
    pub role: UpstreamRole,
}

impl Upstream {
    /// The vendor as written.
    pub fn vendor(&self) -> &str {
        match self {
            Upstream::Vendor(v) | Upstream::WithRole(UpstreamEntry { vendor: v, .. }) => v,
        }
    }

    /// The vendor as written, to rewrite.
    pub fn vendor_mut(&mut self) -> &mut String {
        match self {
            Upstream::Vendor(v) | Upstream::WithRole(UpstreamEntry { vendor: v, .. }) => v,
        }
    }

    /// Its role, when declared.
    pub fn role(&self) -> Option<UpstreamRole> {
        match self {
            Upstream::Vendor(_) => None,
            Upstream::WithRole(e) => Some(e.role),
        }
    }
}

/// What an upstream vendor does for a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpstreamRole {
    /// Designs the chip or product for the layer's supplier.
    Design,
    /// Licenses intellectual property (CPU cores, GPU, modem designs).
    Ip,
    /// Manufactures the silicon (foundry).
    Fab,
    /// Assembles, packages or tests.
    Assembly,
    /// Supplies firmware running in the layer.
    Firmware,
    /// Supplies the base operating system (e.g. AOSP).
    BaseOs,
    /// Supplies the base model the layer's model is derived from.
    BaseModel,
    /// Hosts the layer's services (cloud or hosting provider).
    Cloud,
    /// Supplies a component not covered above.
    Component,
}

impl UpstreamRole {
    /// Every role, in declaration order.
    pub const ALL: [UpstreamRole; 9] = [
        UpstreamRole::Design,
        UpstreamRole::Ip,
        UpstreamRole::Fab,
        UpstreamRole::Assembly,
        UpstreamRole::Firmware,
        UpstreamRole::BaseOs,
        UpstreamRole::BaseModel,
        UpstreamRole::Cloud,
        UpstreamRole::Component,
    ];

    /// The kebab-case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            UpstreamRole::Design => "design",
            UpstreamRole::Ip => "ip",
            UpstreamRole::Fab => "fab",
            UpstreamRole::Assembly => "assembly",
            UpstreamRole::Firmware => "firmware",
            UpstreamRole::BaseOs => "base-os",
            UpstreamRole::BaseModel => "base-model",
            UpstreamRole::Cloud => "cloud",
            UpstreamRole::Component => "component",
        }
    }

    /// For people: "fab", "IP licensor", "base OS".
    pub fn label(self) -> &'static str {
        match self {
            UpstreamRole::Design => "designer",
            UpstreamRole::Ip => "IP licensor",
            UpstreamRole::Fab => "fab",
            UpstreamRole::Assembly => "assembly and test",
            UpstreamRole::Firmware => "firmware supplier",
            UpstreamRole::BaseOs => "base OS",
            UpstreamRole::BaseModel => "base model",
            UpstreamRole::Cloud => "cloud provider",
            UpstreamRole::Component => "component supplier",
        }
    }
}

/// A share of a layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Part {
    /// Controlling vendor id.
    pub supplier: String,
    /// Product name.
    pub product: String,
    /// Product version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Share of the layer, 0 < f ≤ 1.
    pub fraction: f64,
    /// What the part does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// Evidence kinds a stack can attach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// Any file, hashed.
    File,
    /// A directory, hashed as a sorted manifest.
    Directory,
    /// A vendor CycloneDX SBOM (JSON or XML, 1.2–1.7).
    Cyclonedx,
    /// A vendor SPDX SBOM (SPDX 2.3 JSON).
    Spdx,
    /// SLSA provenance (Sigstore bundle or `.intoto.jsonl`).
    SlsaProvenance,
    /// An OpenSSF model-signing bundle.
    ModelSigning,
    /// Android key attestation certificate chain.
    AndroidKeyAttestation,
    /// TCG platform certificate.
    TcgPlatformCertificate,
    /// TPM endorsement key certificate.
    TpmEkCertificate,
    /// SPDM / DICE certificate or chain.
    SpdmCertificate,
    /// Android verified boot vbmeta image.
    AvbVbmeta,
    /// Uptane metadata.
    UptaneMetadata,
}

impl EvidenceKind {
    /// Every kind, in declaration order.
    pub const ALL: [EvidenceKind; 12] = [
        EvidenceKind::File,
        EvidenceKind::Directory,
        EvidenceKind::Cyclonedx,
        EvidenceKind::Spdx,
        EvidenceKind::SlsaProvenance,
        EvidenceKind::ModelSigning,
        EvidenceKind::AndroidKeyAttestation,
        EvidenceKind::TcgPlatformCertificate,
        EvidenceKind::TpmEkCertificate,
        EvidenceKind::SpdmCertificate,
        EvidenceKind::AvbVbmeta,
        EvidenceKind::UptaneMetadata,
    ];

    /// True for vendor SBOMs (`cyclonedx`, `spdx`).
    pub fn is_sbom(self) -> bool {
        matches!(self, EvidenceKind::Cyclonedx | EvidenceKind::Spdx)
    }

    /// Parse a kebab-case kind name.
    pub fn parse(s: &str) -> Option<EvidenceKind> {
        EvidenceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kebab-case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::File => "file",
            EvidenceKind::Directory => "directory",
            EvidenceKind::Cyclonedx => "cyclonedx",
            EvidenceKind::Spdx => "spdx",
            EvidenceKind::SlsaProvenance => "slsa-provenance",
            EvidenceKind::ModelSigning => "model-signing",
            EvidenceKind::AndroidKeyAttestation => "android-key-attestation",
            EvidenceKind::TcgPlatformCertificate => "tcg-platform-certificate",
            EvidenceKind::TpmEkCertificate => "tpm-ek-certificate",
            EvidenceKind::SpdmCertificate => "spdm-certificate",
            EvidenceKind::AvbVbmeta => "avb-vbmeta",
            EvidenceKind::UptaneMetadata => "uptane-metadata",
        }
    }
}

/// One evidence entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Evidence {
    /// What it is.
    pub kind: EvidenceKind,
    /// Path relative to the fleet root.
    pub path: String,
    /// What it shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// For provenance: the artifact it describes; for a model-signing
    /// bundle: the model directory (default: the layer's weights).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<String>,
    /// For a model-signing bundle: what it is verified against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust: Option<EvidenceTrust>,
    /// Follow symlinks in a directory.
    #[serde(default)]
    pub allow_symlinks: bool,
    /// Allow a path outside the fleet root.
    #[serde(default)]
    pub allow_outside_root: bool,
}

/// Trust material for verifying signed evidence: a key, an organisation
/// CA, or a Sigstore identity. Paths are relative to the fleet root.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EvidenceTrust {
    /// Public key (PEM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// CA certificates (PEM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<String>,
    /// Sigstore certificate identity, exact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    /// Sigstore certificate identity, anchored regular expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_regexp: Option<String>,
    /// Sigstore OIDC issuer, exact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Sigstore trusted_root.json (default: the public-good root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trusted_root: Option<String>,
}

/// Model weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Weights {
    /// Directory or file relative to the fleet root.
    pub path: String,
    /// Follow symlinks.
    #[serde(default)]
    pub allow_symlinks: bool,
}

/// An embedded AI agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Agent {
    /// Agent name.
    pub name: String,
    /// Built into the OS with system privileges.
    pub embedded: bool,
    /// Runs in the background.
    pub background: bool,
    /// Executes actions for the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<bool>,
    /// Can be disabled on a managed device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_disable: Option<bool>,
    /// Permissions, kebab-case names.
    pub permissions: Vec<String>,
    /// Where its data goes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_routing: Vec<Route>,
    /// Sourced facts (often vendor claims).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
}

/// A data route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Route {
    /// Destination kind.
    pub to: RouteTo,
    /// Operator vendor id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Region code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
}

/// Where data goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RouteTo {
    /// Stays on the device.
    OnDevice,
    /// The vendor's cloud.
    VendorCloud,
    /// A third party.
    ThirdParty,
}

impl RouteTo {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RouteTo::OnDevice => "on-device",
            RouteTo::VendorCloud => "vendor-cloud",
            RouteTo::ThirdParty => "third-party",
        }
    }
}

/// A cloud endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Endpoint {
    /// Host name.
    pub host: String,
    /// Region code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Operator vendor id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Data categories sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<String>,
}

/// A sourced fact with its evidence tag.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Fact {
    /// The statement.
    pub claim: String,
    /// Where it comes from.
    pub source: String,
    /// Date of the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_date: Option<Date>,
    /// When it was retrieved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<Date>,
    /// V, S, M or U.
    pub status: String,
    /// vendor, independent or user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}
