//! Uptane metadata (JSON, TUF-style `{"signed": ..., "signatures": [...]}`).
//!
//! Read: director and image-repository `Root`, `Targets`, `Snapshot` and
//! `Timestamp` metadata; ECU version manifests; vehicle version manifests;
//! time-server attestations. For targets: path, hashes, length, hardware
//! id and ECU serial (from `custom`), and an RXSWIN-style record: the
//! regulation (UN R156), an identifier derived from the software set, and
//! each ECU's image hash.
//!
//! Verified, each a named check:
//! - `uptane-root-signatures`: the root metadata's own threshold of its
//!   root-role keys;
//! - `uptane-signatures`: the role's threshold of valid signatures by the
//!   role's keys in root metadata (ed25519 and RSASSA-PSS). ECU and vehicle
//!   manifests are signed by ECU keys that root metadata does not hold:
//!   those need the keys given explicitly and are skipped otherwise;
//! - `uptane-expiry`: `expires` is after the evaluation time.
//!
//! Root metadata comes from [`Options::root`]; without it, a `root.json`
//! beside the file is used (and the report says so).

mod asn1;
pub mod keys;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::json;
use super::report::{Report, Status};
use super::{Malformed, fmt_time};
use crate::clock::Time;
use crate::diag::Code;
use crate::model::EvidenceKind;

pub use keys::PublicKey;

/// Options for [`inspect`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Evaluation time for expiry; `None` skips the check.
    pub at: Option<Time>,
    /// Root metadata (JSON bytes) holding the signing keys, and where it
    /// came from (for messages).
    pub root: Option<(Vec<u8>, String)>,
    /// Extra trusted keys for ECU and vehicle manifests: a JSON object
    /// mapping key id to TUF key.
    pub keys: Option<Vec<u8>>,
}

fn bad(msg: impl Into<String>, pointer: &str) -> Malformed {
    Malformed {
        code: Code::UptaneMetadataMalformed,
        message: msg.into(),
        offset: None,
        pointer: Some(pointer.to_string()),
    }
}

/// What a metadata file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Root metadata.
    Root,
    /// Targets metadata.
    Targets,
    /// Snapshot metadata.
    Snapshot,
    /// Timestamp metadata.
    Timestamp,
    /// An ECU version manifest.
    EcuManifest,
    /// A vehicle version manifest.
    VehicleManifest,
    /// A time-server attestation.
    TimeAttestation,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Root => "root",
            Role::Targets => "targets",
            Role::Snapshot => "snapshot",
            Role::Timestamp => "timestamp",
            Role::EcuManifest => "ECU version manifest",
            Role::VehicleManifest => "vehicle version manifest",
            Role::TimeAttestation => "time-server attestation",
        }
    }
}

fn role_of(signed: &Value) -> Option<Role> {
    match signed
        .get("_type")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("root") => return Some(Role::Root),
        Some("targets") => return Some(Role::Targets),
        Some("snapshot") => return Some(Role::Snapshot),
        Some("timestamp") => return Some(Role::Timestamp),
        Some(_) => return None,
        None => {}
    }
    if signed.get("ecu_serial").is_some() && signed.get("installed_image").is_some() {
        Some(Role::EcuManifest)
    } else if signed.get("vin").is_some() && signed.get("ecu_version_manifests").is_some() {
        Some(Role::VehicleManifest)
    } else if signed.get("nonces").is_some() && signed.get("time").is_some() {
        Some(Role::TimeAttestation)
    } else {
        None
    }
}

/// The members of a metadata document detection looks at; everything else
/// is skipped without being built, so detecting a huge file costs no tree.
#[derive(serde::Deserialize)]
struct Probe {
    signatures: Option<Vec<serde::de::IgnoredAny>>,
    signed: Option<SignedProbe>,
}

#[derive(serde::Deserialize)]
struct SignedProbe {
    #[serde(rename = "_type")]
    kind: Option<String>,
    ecu_serial: Option<serde::de::IgnoredAny>,
    installed_image: Option<serde::de::IgnoredAny>,
    vin: Option<serde::de::IgnoredAny>,
    ecu_version_manifests: Option<serde::de::IgnoredAny>,
    nonces: Option<serde::de::IgnoredAny>,
    time: Option<serde::de::IgnoredAny>,
}

/// Whether `data` is Uptane metadata (JSON or DER).
pub fn detect(data: &[u8]) -> bool {
    if asn1::detect(data) {
        return true;
    }
    let Ok(Probe {
        signatures: Some(_),
        signed: Some(s),
    }) = serde_json::from_slice::<Probe>(data)
    else {
        return false;
    };
    match s.kind.map(|k| k.to_ascii_lowercase()).as_deref() {
        Some("root" | "targets" | "snapshot" | "timestamp") => true,
        Some(_) => false,
        None => {
            (s.ecu_serial.is_some() && s.installed_image.is_some())
                || (s.vin.is_some() && s.ecu_version_manifests.is_some())
                || (s.nonces.is_some() && s.time.is_some())
        }
    }
}

/// Keys and role thresholds of a root metadata document.
#[derive(Debug, Clone, Default)]
pub struct RootKeys {
    /// Keys by id.
    pub keys: BTreeMap<String, PublicKey>,
    /// Role → (key ids, threshold).
    pub roles: BTreeMap<String, (Vec<String>, u64)>,
}

fn root_keys(signed: &Value) -> Result<RootKeys, Malformed> {
    let mut out = RootKeys::default();
    let keys = signed
        .get("keys")
        .and_then(Value::as_object)
        .ok_or_else(|| bad("root metadata has no `keys` object", "/signed/keys"))?;
    for (id, k) in keys {
        let key = keys::parse_key(k)
            .map_err(|m| bad(format!("key {id}: {m}"), &format!("/signed/keys/{id}")))?;
        out.keys.insert(id.clone(), key);
    }
    let roles = signed
        .get("roles")
        .and_then(Value::as_object)
        .ok_or_else(|| bad("root metadata has no `roles` object", "/signed/roles"))?;
    for (name, r) in roles {
        let ptr = format!("/signed/roles/{name}");
        let ids: Vec<String> = r
            .get("keyids")
            .and_then(Value::as_array)
            .ok_or_else(|| bad(format!("role `{name}` has no `keyids`"), &ptr))?
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| bad("key id is not a string", &ptr))
            })
            .collect::<Result<_, _>>()?;
        let threshold = r
            .get("threshold")
            .and_then(Value::as_u64)
            .filter(|t| *t >= 1)
            .ok_or_else(|| bad(format!("role `{name}` has no positive `threshold`"), &ptr))?;
        out.roles
            .insert(name.to_ascii_lowercase(), (ids, threshold));
    }
    Ok(out)
}

/// Count distinct authorised key ids with a valid signature over the
/// canonical form of `signed`. Returns (valid ids, problems).
fn count_valid(
    doc: &Value,
    keys: &BTreeMap<String, PublicKey>,
    allowed: &[String],
) -> Result<(BTreeSet<String>, Vec<String>), Malformed> {
    let signed = doc
        .get("signed")
        .ok_or_else(|| bad("no `signed` object", ""))?;
    let msg = keys::canonical(signed).map_err(|m| bad(m, "/signed"))?;
    let sigs = doc
        .get("signatures")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no `signatures` array", "/signatures"))?;
    let mut valid = BTreeSet::new();
    let mut problems = Vec::new();
    for (i, s) in sigs.iter().enumerate() {
        let ptr = format!("/signatures/{i}");
        let id = s
            .get("keyid")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("signature has no `keyid`", &ptr))?;
        let sig_text = s
            .get("sig")
            .or_else(|| s.get("value"))
            .and_then(Value::as_str)
            .ok_or_else(|| bad("signature has no `sig`", &ptr))?;
        let sig = keys::decode_bytes(sig_text)
            .ok_or_else(|| bad("signature is neither hex nor base64", &ptr))?;
        let short: String = id.chars().take(12).collect();
        if !allowed.iter().any(|a| a == id) {
            problems.push(format!(
                "signature {i} is by key {short}…, which is not authorised for this role"
            ));
            continue;
        }
        let Some(key) = keys.get(id) else {
            problems.push(format!("signature {i}: key {short}… is not in the key set"));
            continue;
        };
        if keys::verify(key, &msg, &sig) {
            valid.insert(id.to_string());
        } else {
            problems.push(format!("signature {i} by key {short}… does not verify"));
        }
    }
    Ok((valid, problems))
}

fn threshold_check(
    rep: &mut Report,
    name: &str,
    valid: &BTreeSet<String>,
    threshold: u64,
    problems: &[String],
    source: &str,
) {
    let ok = valid.len() as u64 >= threshold;
    let mut detail = format!(
        "{} of threshold {threshold} valid signatures by keys from {source}",
        valid.len()
    );
    if !problems.is_empty() {
        detail.push_str("; ");
        detail.push_str(&problems.join("; "));
    }
    rep.check_bool(name, ok, detail);
}

/// Decode and verify one Uptane metadata file.
pub fn inspect(data: &[u8], opts: &Options) -> Result<Report, Malformed> {
    if data.first() == Some(&0x30) && asn1::detect(data) {
        return inspect_der(data, opts);
    }
    let doc: Value = json::value(data).map_err(|e| {
        e.or_syntax(|e| {
            Malformed::new(
                Code::UptaneMetadataMalformed,
                format!("not JSON: {e} (line {}, column {})", e.line(), e.column()),
            )
        })
    })?;
    let signed = doc
        .get("signed")
        .filter(|s| s.is_object())
        .ok_or_else(|| bad("no `signed` object", "/signed"))?;
    if !doc.get("signatures").is_some_and(Value::is_array) {
        return Err(bad("no `signatures` array", "/signatures"));
    }
    let role = role_of(signed).ok_or_else(|| {
        bad(
            "unknown metadata type (no recognised `_type`, not a manifest)",
            "/signed/_type",
        )
    })?;
    let mut rep = Report::new(
        EvidenceKind::UptaneMetadata,
        format!("Uptane {} metadata", role.name()),
    );
    rep.evaluated_at = opts.at.map(fmt_time);
    rep.field("type", role.name());
    if let Some(v) = signed.get("version").and_then(Value::as_u64) {
        rep.field("version", v.to_string());
    }
    // Keys: the document itself for root; else the given or sibling root.
    let root_doc: Option<(Value, String)> = if role == Role::Root {
        Some((doc.clone(), "this root metadata".to_string()))
    } else if let Some((bytes, src)) = &opts.root {
        let v: Value = json::value(bytes).map_err(|e| {
            e.or_syntax(|e| {
                Malformed::new(
                    Code::UptaneMetadataMalformed,
                    format!("root metadata {src}: {e}"),
                )
            })
        })?;
        Some((v, src.clone()))
    } else {
        None
    };
    let root = match &root_doc {
        Some((v, src)) => {
            let s = v.get("signed").ok_or_else(|| {
                Malformed::new(
                    Code::UptaneMetadataMalformed,
                    format!("root metadata {src} has no `signed` object"),
                )
            })?;
            if role_of(s) != Some(Role::Root) {
                return Err(Malformed::new(
                    Code::UptaneMetadataMalformed,
                    format!("{src} is not root metadata"),
                ));
            }
            let rk = root_keys(s)?;
            // The root's own signatures.
            if let Some((ids, thr)) = rk.roles.get("root") {
                let (valid, problems) = count_valid(v, &rk.keys, ids)?;
                threshold_check(
                    &mut rep,
                    "uptane-root-signatures",
                    &valid,
                    *thr,
                    &problems,
                    src,
                );
            }
            Some((rk, src.clone()))
        }
        None => None,
    };
    let role_key = match role {
        Role::Root => Some("root"),
        Role::Targets => Some("targets"),
        Role::Snapshot => Some("snapshot"),
        Role::Timestamp => Some("timestamp"),
        _ => None,
    };
    match (role_key, &root) {
        (Some("root"), _) => {}
        (Some(r), Some((rk, src))) => match rk.roles.get(r) {
            Some((ids, thr)) => {
                let (valid, problems) = count_valid(&doc, &rk.keys, ids)?;
                threshold_check(&mut rep, "uptane-signatures", &valid, *thr, &problems, src);
            }
            None => rep.check("uptane-signatures", Status::Fail, format!("{src} has no `{r}` role")),
        },
        (Some(_), None) => rep.check("uptane-signatures", Status::NotApplicable, "no root metadata given or found beside the file"),
        (None, _) => match &opts.keys {
            Some(bytes) => {
                let v: Value = json::value(bytes).map_err(|e| e.or_syntax(|e| Malformed::new(Code::UptaneMetadataMalformed, format!("trusted keys: {e}"))))?;
                let obj = v.as_object().ok_or_else(|| Malformed::new(Code::UptaneMetadataMalformed, "trusted keys: not a JSON object of key id to key"))?;
                let mut ks = BTreeMap::new();
                for (id, k) in obj {
                    ks.insert(id.clone(), keys::parse_key(k).map_err(|m| Malformed::new(Code::UptaneMetadataMalformed, format!("trusted key {id}: {m}")))?);
                }
                let ids: Vec<String> = ks.keys().cloned().collect();
                let (valid, problems) = count_valid(&doc, &ks, &ids)?;
                threshold_check(&mut rep, "uptane-signatures", &valid, 1, &problems, "the trusted key file");
            }
            None => rep.check(
                "uptane-signatures",
                Status::NotApplicable,
                format!("a {} is signed by an ECU key that root metadata does not hold; give the trusted ECU keys", role.name()),
            ),
        },
    }
    // Expiry.
    if let Some(exp) = signed.get("expires").and_then(Value::as_str) {
        rep.field("expires", exp);
        let t = Time::parse(exp).map_err(|_| {
            bad(
                format!("`expires` {exp:?} is not an RFC 3339 time"),
                "/signed/expires",
            )
        })?;
        match opts.at {
            Some(at) => rep.check_bool(
                "uptane-expiry",
                t > at,
                format!("expires {exp}, evaluated at {}", fmt_time(at)),
            ),
            None => rep.check(
                "uptane-expiry",
                Status::NotApplicable,
                "no evaluation time given",
            ),
        }
    }
    let decoded = match role {
        Role::Targets => targets(signed, &mut rep)?,
        Role::EcuManifest => {
            let m = ecu_manifest(signed, "/signed")?;
            add_rxswin(&mut rep, std::slice::from_ref(&m));
            serde_json::json!({"ecuManifests": [m.json()]})
        }
        Role::VehicleManifest => vehicle_manifest(signed, &mut rep)?,
        Role::Root => {
            let rk = root.as_ref().map(|(r, _)| r.clone()).unwrap_or_default();
            let roles: BTreeMap<&String, Value> = rk
                .roles
                .iter()
                .map(|(n, (ids, t))| (n, serde_json::json!({"keyids": ids, "threshold": t})))
                .collect();
            for (n, (ids, t)) in &rk.roles {
                rep.field(
                    &format!("role.{n}"),
                    format!("{t} of {}", crate::table::count(ids.len() as u64, "key")),
                );
            }
            serde_json::json!({"roles": roles})
        }
        _ => signed.clone(),
    };
    rep.decoded = decoded;
    Ok(rep)
}

/// One target image, as listed in targets metadata or installed on an ECU.
#[derive(Debug, Clone)]
struct Image {
    path: String,
    hashes: BTreeMap<String, String>,
    length: Option<u64>,
    hardware_id: Option<String>,
    ecu_serial: Option<String>,
}

impl Image {
    fn json(&self) -> Value {
        serde_json::json!({
            "path": self.path, "hashes": self.hashes, "length": self.length,
            "hardwareId": self.hardware_id, "ecuSerial": self.ecu_serial,
        })
    }
}

fn fileinfo(path: &str, info: &Value, ptr: &str) -> Result<Image, Malformed> {
    let hashes_v = info
        .get("hashes")
        .and_then(Value::as_object)
        .ok_or_else(|| bad(format!("target `{path}` has no `hashes`"), ptr))?;
    let mut hashes = BTreeMap::new();
    for (alg, h) in hashes_v {
        let h = h.as_str().ok_or_else(|| {
            bad(
                format!("target `{path}`: hash `{alg}` is not a string"),
                ptr,
            )
        })?;
        let bytes = keys::decode_bytes(h).ok_or_else(|| {
            bad(
                format!("target `{path}`: hash `{alg}` is neither hex nor base64"),
                ptr,
            )
        })?;
        hashes.insert(alg.clone(), hex::encode(bytes));
    }
    let length = match info.get("length") {
        None => None,
        Some(l) => Some(l.as_u64().ok_or_else(|| {
            bad(
                format!("target `{path}`: `length` is not a non-negative integer"),
                ptr,
            )
        })?),
    };
    let custom = info.get("custom");
    let s = |k: &str| {
        custom
            .and_then(|c| c.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    Ok(Image {
        path: path.to_string(),
        hashes,
        length,
        hardware_id: s("hardware_id").or_else(|| s("hardwareId")).or_else(|| {
            custom
                .and_then(|c| c.pointer("/hardwareIds/0"))
                .and_then(Value::as_str)
                .map(str::to_string)
        }),
        ecu_serial: s("ecu_serial").or_else(|| s("ecuIdentifier")),
    })
}

fn targets(signed: &Value, rep: &mut Report) -> Result<Value, Malformed> {
    let t = signed
        .get("targets")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            bad(
                "targets metadata has no `targets` object",
                "/signed/targets",
            )
        })?;
    let mut images = Vec::new();
    for (path, info) in t {
        images.push(fileinfo(
            path,
            info,
            &format!(
                "/signed/targets/{}",
                path.replace('~', "~0").replace('/', "~1")
            ),
        )?);
    }
    targets_fields(&images, rep);
    Ok(serde_json::json!({"targets": images.iter().map(Image::json).collect::<Vec<_>>()}))
}

fn targets_fields(images: &[Image], rep: &mut Report) {
    rep.field("targets", images.len().to_string());
    for i in images {
        let mut v = format!(
            "sha256:{}",
            i.hashes.get("sha256").map(String::as_str).unwrap_or("-")
        );
        if let Some(l) = i.length {
            v.push_str(&format!(" length {l}"));
        }
        if let Some(h) = &i.hardware_id {
            v.push_str(&format!(" hardware-id {h}"));
        }
        if let Some(e) = &i.ecu_serial {
            v.push_str(&format!(" ecu {e}"));
        }
        rep.field(&format!("target.{}", i.path), v);
    }
    // Director targets name ECUs: that is the software set to record.
    if images.iter().any(|i| i.ecu_serial.is_some()) {
        add_rxswin(rep, images);
    }
}

fn ecu_manifest(signed: &Value, ptr: &str) -> Result<Image, Malformed> {
    let serial = signed
        .get("ecu_serial")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("ECU manifest has no `ecu_serial`", ptr))?;
    let img = signed
        .get("installed_image")
        .ok_or_else(|| bad("ECU manifest has no `installed_image`", ptr))?;
    let path = img
        .get("filepath")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("installed image has no `filepath`", ptr))?;
    let info = img
        .get("fileinfo")
        .ok_or_else(|| bad("installed image has no `fileinfo`", ptr))?;
    let mut i = fileinfo(path, info, ptr)?;
    i.ecu_serial = Some(serial.to_string());
    Ok(i)
}

fn vehicle_manifest(signed: &Value, rep: &mut Report) -> Result<Value, Malformed> {
    if let Some(v) = signed.get("vin").and_then(Value::as_str) {
        rep.field("vin", v);
    }
    if let Some(p) = signed.get("primary_ecu_serial").and_then(Value::as_str) {
        rep.field("primary-ecu-serial", p);
    }
    let m = signed
        .get("ecu_version_manifests")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            bad(
                "no `ecu_version_manifests` object",
                "/signed/ecu_version_manifests",
            )
        })?;
    let mut images = Vec::new();
    for (ecu, list) in m {
        let arr = list.as_array().ok_or_else(|| {
            bad(
                format!("manifests of ECU `{ecu}` are not an array"),
                "/signed/ecu_version_manifests",
            )
        })?;
        for (i, em) in arr.iter().enumerate() {
            let ptr = format!("/signed/ecu_version_manifests/{ecu}/{i}/signed");
            let s = em
                .get("signed")
                .ok_or_else(|| bad("ECU manifest has no `signed` object", &ptr))?;
            images.push(ecu_manifest(s, &ptr)?);
        }
    }
    add_rxswin(rep, &images);
    Ok(serde_json::json!({"ecuManifests": images.iter().map(Image::json).collect::<Vec<_>>()}))
}

/// The RXSWIN-style record: regulation, a derived identifier, and each
/// ECU's software hash. A real RXSWIN is assigned by the manufacturer at
/// type approval; strata's identifier is a digest of the software set so
/// that two vehicles with the same set share it.
fn add_rxswin(rep: &mut Report, images: &[Image]) {
    let mut set: BTreeMap<String, String> = BTreeMap::new();
    for i in images {
        let ecu = i.ecu_serial.clone().unwrap_or_else(|| i.path.clone());
        let h = i
            .hashes
            .get("sha256")
            .or_else(|| i.hashes.values().next())
            .cloned()
            .unwrap_or_default();
        set.insert(ecu, h);
    }
    let mut canon = String::new();
    for (e, h) in &set {
        canon.push_str(&format!("{e}\n{h}\n"));
    }
    rep.field("rxswin.regulation", "UN R156");
    rep.field(
        "rxswin.identifier",
        format!(
            "strata-sha256:{}",
            hex::encode(Sha256::digest(canon.as_bytes()))
        ),
    );
    for (e, h) in &set {
        rep.field(&format!("rxswin.ecu.{e}"), format!("sha256:{h}"));
    }
}

/// DER metadata: the same checks as JSON, signatures over SHA-256 of the
/// `signed` DER with keys from (JSON) root metadata.
fn inspect_der(data: &[u8], opts: &Options) -> Result<Report, Malformed> {
    match asn1::decode(data)? {
        asn1::DerDoc::VehicleManifest {
            vin,
            primary,
            images,
        } => {
            let mut rep = Report::new(
                EvidenceKind::UptaneMetadata,
                "Uptane vehicle version manifest (DER)",
            );
            rep.field("type", "vehicle version manifest");
            rep.field("encoding", "der");
            rep.field("vin", vin);
            rep.field("primary-ecu-serial", primary);
            add_rxswin(&mut rep, &images);
            rep.check(
                "uptane-signatures",
                Status::NotApplicable,
                "a vehicle version manifest is signed by ECU keys that root metadata does not hold",
            );
            rep.decoded = serde_json::json!({"ecuManifests": images.iter().map(Image::json).collect::<Vec<_>>()});
            Ok(rep)
        }
        asn1::DerDoc::Metadata {
            role,
            expires,
            version,
            targets,
            signed_digest,
            signatures,
        } => {
            let mut rep = Report::new(
                EvidenceKind::UptaneMetadata,
                format!("Uptane {role} metadata (DER)"),
            );
            rep.evaluated_at = opts.at.map(fmt_time);
            rep.field("type", role);
            rep.field("encoding", "der");
            rep.field("version", version.to_string());
            let exp = Time::from_unix(expires).ok_or_else(|| {
                Malformed::new(
                    Code::UptaneMetadataMalformed,
                    format!("expires {expires} is out of range"),
                )
            })?;
            rep.field("expires", fmt_time(exp));
            match &opts.root {
                None => rep.check(
                    "uptane-signatures",
                    Status::NotApplicable,
                    "no root metadata given or found beside the file",
                ),
                Some((bytes, src)) => {
                    let v: Value = json::value(bytes).map_err(|e| {
                        e.or_syntax(|e| {
                            Malformed::new(
                                Code::UptaneMetadataMalformed,
                                format!("root metadata {src}: {e}"),
                            )
                        })
                    })?;
                    let rk = root_keys(v.get("signed").unwrap_or(&Value::Null))?;
                    if let Some((ids, thr)) = rk.roles.get("root") {
                        let (valid, problems) = count_valid(&v, &rk.keys, ids)?;
                        threshold_check(
                            &mut rep,
                            "uptane-root-signatures",
                            &valid,
                            *thr,
                            &problems,
                            src,
                        );
                    }
                    match rk.roles.get(role) {
                        None => rep.check(
                            "uptane-signatures",
                            Status::Fail,
                            format!("{src} has no `{role}` role"),
                        ),
                        Some((ids, thr)) => {
                            let mut valid = BTreeSet::new();
                            let mut problems = Vec::new();
                            for (i, sg) in signatures.iter().enumerate() {
                                let short: String = sg.keyid.chars().take(12).collect();
                                match rk.keys.get(&sg.keyid) {
                                    Some(k) if ids.contains(&sg.keyid) => {
                                        if keys::verify(k, &signed_digest, &sg.value) {
                                            valid.insert(sg.keyid.clone());
                                        } else {
                                            problems.push(format!("signature {i} by key {short}… does not verify"));
                                        }
                                    }
                                    _ => problems.push(format!("signature {i} is by key {short}…, which is not authorised for this role")),
                                }
                            }
                            threshold_check(
                                &mut rep,
                                "uptane-signatures",
                                &valid,
                                *thr,
                                &problems,
                                src,
                            );
                        }
                    }
                }
            }
            match opts.at {
                Some(at) => rep.check_bool(
                    "uptane-expiry",
                    exp > at,
                    format!("expires {}, evaluated at {}", fmt_time(exp), fmt_time(at)),
                ),
                None => rep.check(
                    "uptane-expiry",
                    Status::NotApplicable,
                    "no evaluation time given",
                ),
            }
            let decoded = if role == "targets" {
                targets_fields(&targets, &mut rep);
                serde_json::json!({"targets": targets.iter().map(Image::json).collect::<Vec<_>>(), "signatures": asn1::signatures_json(&signatures)})
            } else {
                serde_json::json!({"signatures": asn1::signatures_json(&signatures)})
            };
            rep.decoded = decoded;
            Ok(rep)
        }
    }
}
