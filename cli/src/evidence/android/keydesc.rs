//! The Android KeyDescription (extension 1.3.6.1.4.1.11129.2.1.17), decoded
//! strictly.
//!
//! Schema: <https://source.android.com/docs/security/features/keystore/attestation#schema>.
//! The structure is a SEQUENCE of version and security-level fields followed
//! by two `AuthorizationList`s, each a SEQUENCE of optional `[tag] EXPLICIT`
//! fields. DER rules apply and are enforced (see [`crate::evidence::der`]):
//! BOOLEANs must be `0xFF`/`0x00`, SET OF elements sorted, and the
//! authorization tags in ascending order without repeats (a SEQUENCE's
//! optional components appear in declaration order, which is tag order).
//! Tags strata does not know are checked for well-formedness and listed.
//!
//! The JSON form (serde) is the one android/keyattestation's test data uses:
//! integers as decimal strings, byte strings as base64, enumerations by name.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Serialize, Serializer};

use crate::evidence::der::{Class, DerError, DerResult, Reader, Tlv, tag};

/// OID of the key attestation extension.
pub const OID_KEY_DESCRIPTION: &str = "1.3.6.1.4.1.11129.2.1.17";

/// Bytes that serialize as base64.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bytes(pub Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&B64.encode(&self.0))
    }
}

/// An integer that serializes as a decimal string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Int(pub i64);

impl Serialize for Int {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

/// Where the key (or the attestation) lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SecurityLevel {
    /// Android keystore in software: not hardware-backed.
    Software,
    /// A trusted execution environment (TEE).
    TrustedEnvironment,
    /// A discrete secure element (StrongBox).
    StrongBox,
}

impl SecurityLevel {
    fn from_der(v: i64, at: usize, what: &str) -> DerResult<Self> {
        match v {
            0 => Ok(SecurityLevel::Software),
            1 => Ok(SecurityLevel::TrustedEnvironment),
            2 => Ok(SecurityLevel::StrongBox),
            _ => Err(DerError::new(
                at,
                format!("{what}: unknown SecurityLevel {v}"),
            )),
        }
    }

    /// Display name.
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityLevel::Software => "Software",
            SecurityLevel::TrustedEnvironment => "TEE",
            SecurityLevel::StrongBox => "StrongBox",
        }
    }
}

/// Verified boot state reported in the RootOfTrust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VerifiedBootState {
    /// Booted with the OEM key: full chain of trust.
    Verified,
    /// Booted with a user-installed key.
    SelfSigned,
    /// Bootloader unlocked; no verification.
    Unverified,
    /// Verification failed.
    Failed,
}

impl VerifiedBootState {
    /// Display name.
    pub fn as_str(self) -> &'static str {
        match self {
            VerifiedBootState::Verified => "Verified",
            VerifiedBootState::SelfSigned => "SelfSigned",
            VerifiedBootState::Unverified => "Unverified",
            VerifiedBootState::Failed => "Failed",
        }
    }
}

/// The device's boot state, as the secure hardware saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RootOfTrust {
    /// Digest of the key that verified the boot image (vbmeta public key).
    pub verified_boot_key: Bytes,
    /// True when the bootloader is locked.
    pub device_locked: bool,
    /// Verified boot state.
    pub verified_boot_state: VerifiedBootState,
    /// Digest of the vbmeta structures (attestation version 3 and later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_boot_hash: Option<Bytes>,
}

/// One package of the attesting application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageInfo {
    /// Package name.
    pub name: String,
    /// Version code.
    pub version: Int,
}

/// Who asked for the attestation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationId {
    /// The packages sharing the caller's UID.
    pub packages: Vec<PackageInfo>,
    /// SHA-256 digests of their signing certificates.
    pub signatures: Vec<Bytes>,
}

/// Origin of the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Origin {
    /// Generated inside the secure hardware.
    Generated,
    /// Derived inside it.
    Derived,
    /// Imported in the clear.
    Imported,
    /// Reserved value 3.
    Reserved,
    /// Imported wrapped.
    SecurelyImported,
}

/// An AuthorizationList: the key's properties, enforced by software or by
/// the secure hardware.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // field names are the schema's; see the module docs
pub struct AuthorizationList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purposes: Option<Vec<Int>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithms: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_size: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_modes: Option<Vec<Int>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digests: Option<Vec<Int>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paddings: Option<Vec<Int>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ec_curve: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rsa_public_exponent: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mgf_digests: Option<Vec<Int>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub rollback_resistance: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub early_boot_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_date_time: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origination_expire_date_time: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_expire_date_time: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_count_limit: Option<Int>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_auth_required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_auth_type: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_timeout: Option<Int>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub allow_while_on_body: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub trusted_user_presence_required: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub trusted_confirmation_required: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unlocked_device_required: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub all_applications: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_date_time: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub rollback_resistant: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_of_trust: Option<RootOfTrust>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_version: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_patch_level: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation_application_id: Option<ApplicationId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation_id_brand: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation_id_device: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation_id_product: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation_id_serial: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation_id_imei: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation_id_meid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation_id_manufacturer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation_id_model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_patch_level: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boot_patch_level: Option<Int>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub device_unique_attestation: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation_id_second_imei: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module_hash: Option<Bytes>,
    /// Tags this version of strata does not know (well-formed, in order).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_tags: Vec<u32>,
}

/// The decoded key attestation extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyDescription {
    /// Attestation (Keymaster/KeyMint schema) version: 1..4, 100, 200, 300, 400.
    pub attestation_version: Int,
    /// Where the attestation was produced.
    pub attestation_security_level: SecurityLevel,
    /// Keymaster or KeyMint version.
    pub key_mint_version: Int,
    /// Where the key lives.
    pub key_mint_security_level: SecurityLevel,
    /// The challenge the relying party sent.
    pub attestation_challenge: Bytes,
    /// Unique id (privacy-sensitive; usually empty).
    pub unique_id: Bytes,
    /// Properties enforced by Android itself.
    pub software_enforced: AuthorizationList,
    /// Properties enforced by the secure hardware.
    pub hardware_enforced: AuthorizationList,
}

impl KeyDescription {
    /// The root of trust, from the hardware list (or, for software
    /// attestations, the software list).
    pub fn root_of_trust(&self) -> Option<&RootOfTrust> {
        self.hardware_enforced
            .root_of_trust
            .as_ref()
            .or(self.software_enforced.root_of_trust.as_ref())
    }

    /// A field of either list, hardware first.
    pub fn either<T>(&self, f: impl Fn(&AuthorizationList) -> Option<T>) -> Option<T> {
        f(&self.hardware_enforced).or_else(|| f(&self.software_enforced))
    }
}

/// Decode the extension value (the contents of its OCTET STRING). `base`
/// is the absolute offset of `data` in the certificate, for messages.
pub fn parse(data: &[u8], base: usize) -> DerResult<KeyDescription> {
    let mut outer = Reader::new(data, base);
    let mut r = outer.sequence("KeyDescription")?;
    outer.finish("the key attestation extension")?;
    let attestation_version = Int(r
        .expect(tag::INTEGER, "attestationVersion")?
        .int("attestationVersion")?);
    let t = r.read()?;
    let attestation_security_level = SecurityLevel::from_der(
        t.enumerated("attestationSecurityLevel")?,
        t.offset,
        "attestationSecurityLevel",
    )?;
    let key_mint_version = Int(r
        .expect(tag::INTEGER, "keyMintVersion")?
        .int("keyMintVersion")?);
    let t = r.read()?;
    let key_mint_security_level = SecurityLevel::from_der(
        t.enumerated("keyMintSecurityLevel")?,
        t.offset,
        "keyMintSecurityLevel",
    )?;
    let attestation_challenge = Bytes(r.read()?.octets("attestationChallenge")?.to_vec());
    let unique_id = Bytes(r.read()?.octets("uniqueId")?.to_vec());
    let software_enforced = authorization_list(
        &r.expect(tag::SEQUENCE, "softwareEnforced")?,
        "softwareEnforced",
    )?;
    let hardware_enforced = authorization_list(
        &r.expect(tag::SEQUENCE, "hardwareEnforced")?,
        "hardwareEnforced",
    )?;
    r.finish("KeyDescription")?;
    Ok(KeyDescription {
        attestation_version,
        attestation_security_level,
        key_mint_version,
        key_mint_security_level,
        attestation_challenge,
        unique_id,
        software_enforced,
        hardware_enforced,
    })
}

fn int_set(inner: &Tlv<'_>, what: &str) -> DerResult<Vec<Int>> {
    inner
        .set_of(what)?
        .iter()
        .map(|e| e.int(what).map(Int))
        .collect()
}

fn text(inner: &Tlv<'_>, what: &str) -> DerResult<String> {
    let b = inner.octets(what)?;
    std::str::from_utf8(b)
        .map(str::to_string)
        .map_err(|_| DerError::new(inner.offset, format!("{what}: not UTF-8")))
}

fn authorization_list(seq: &Tlv<'_>, list: &str) -> DerResult<AuthorizationList> {
    let mut r = Reader::inside(seq);
    let mut a = AuthorizationList::default();
    let mut last: Option<u32> = None;
    while !r.is_empty() {
        let field = r.read()?;
        if field.class != Class::Context || !field.constructed {
            return Err(DerError::new(
                field.offset,
                format!(
                    "{list}: expected an [n] EXPLICIT tagged field, found {}",
                    field.describe()
                ),
            ));
        }
        let n = field.tag;
        if let Some(prev) = last
            && n <= prev
        {
            return Err(DerError::new(
                field.offset,
                format!(
                    "{list}: tag [{n}] follows [{prev}]; DER requires the tags in ascending order without repeats"
                ),
            ));
        }
        last = Some(n);
        let mut inside = Reader::inside(&field);
        let v = inside
            .read()
            .map_err(|e| e.context(&format!("{list} [{n}]")))?;
        inside.finish(&format!("{list} [{n}]"))?;
        let what = format!("{list}.{}", tag_name(n));
        let w = what.as_str();
        match n {
            1 => a.purposes = Some(int_set(&v, w)?),
            2 => a.algorithms = Some(Int(v.int(w)?)),
            3 => a.key_size = Some(Int(v.int(w)?)),
            4 => a.block_modes = Some(int_set(&v, w)?),
            5 => a.digests = Some(int_set(&v, w)?),
            6 => a.paddings = Some(int_set(&v, w)?),
            10 => a.ec_curve = Some(Int(v.int(w)?)),
            200 => a.rsa_public_exponent = Some(Int(v.int(w)?)),
            203 => a.mgf_digests = Some(int_set(&v, w)?),
            303 => a.rollback_resistance = flag(&v, w)?,
            305 => a.early_boot_only = flag(&v, w)?,
            400 => a.active_date_time = Some(Int(v.int(w)?)),
            401 => a.origination_expire_date_time = Some(Int(v.int(w)?)),
            402 => a.usage_expire_date_time = Some(Int(v.int(w)?)),
            405 => a.usage_count_limit = Some(Int(v.int(w)?)),
            503 => a.no_auth_required = flag(&v, w)?,
            504 => a.user_auth_type = Some(Int(v.int(w)?)),
            505 => a.auth_timeout = Some(Int(v.int(w)?)),
            506 => a.allow_while_on_body = flag(&v, w)?,
            507 => a.trusted_user_presence_required = flag(&v, w)?,
            508 => a.trusted_confirmation_required = flag(&v, w)?,
            509 => a.unlocked_device_required = flag(&v, w)?,
            600 => a.all_applications = flag(&v, w)?,
            701 => a.creation_date_time = Some(Int(v.int(w)?)),
            702 => a.origin = Some(origin(&v, w)?),
            703 => a.rollback_resistant = flag(&v, w)?,
            704 => a.root_of_trust = Some(root_of_trust(&v, w)?),
            705 => a.os_version = Some(Int(v.int(w)?)),
            706 => a.os_patch_level = Some(Int(v.int(w)?)),
            709 => a.attestation_application_id = Some(application_id(&v, w)?),
            710 => a.attestation_id_brand = Some(text(&v, w)?),
            711 => a.attestation_id_device = Some(text(&v, w)?),
            712 => a.attestation_id_product = Some(text(&v, w)?),
            713 => a.attestation_id_serial = Some(text(&v, w)?),
            714 => a.attestation_id_imei = Some(text(&v, w)?),
            715 => a.attestation_id_meid = Some(text(&v, w)?),
            716 => a.attestation_id_manufacturer = Some(text(&v, w)?),
            717 => a.attestation_id_model = Some(text(&v, w)?),
            718 => a.vendor_patch_level = Some(Int(v.int(w)?)),
            719 => a.boot_patch_level = Some(Int(v.int(w)?)),
            720 => a.device_unique_attestation = flag(&v, w)?,
            723 => a.attestation_id_second_imei = Some(text(&v, w)?),
            724 => a.module_hash = Some(Bytes(v.octets(w)?.to_vec())),
            _ => {
                // Unknown tag: keep going, but only over well-formed DER.
                let mut again = Reader::inside(&field);
                again.skip_any()?;
                a.unknown_tags.push(n);
            }
        }
    }
    Ok(a)
}

fn flag(v: &Tlv<'_>, what: &str) -> DerResult<bool> {
    v.null(what)?;
    Ok(true)
}

fn origin(v: &Tlv<'_>, what: &str) -> DerResult<Origin> {
    Ok(match v.int(what)? {
        0 => Origin::Generated,
        1 => Origin::Derived,
        2 => Origin::Imported,
        3 => Origin::Reserved,
        4 => Origin::SecurelyImported,
        x => {
            return Err(DerError::new(
                v.offset,
                format!("{what}: unknown origin {x}"),
            ));
        }
    })
}

fn root_of_trust(v: &Tlv<'_>, what: &str) -> DerResult<RootOfTrust> {
    v.expect_universal(tag::SEQUENCE, what)?;
    let mut r = Reader::inside(v);
    let verified_boot_key = Bytes(
        r.read()?
            .octets(&format!("{what}.verifiedBootKey"))?
            .to_vec(),
    );
    let device_locked = r.read()?.boolean(&format!("{what}.deviceLocked"))?;
    let t = r.read()?;
    let verified_boot_state = match t.enumerated(&format!("{what}.verifiedBootState"))? {
        0 => VerifiedBootState::Verified,
        1 => VerifiedBootState::SelfSigned,
        2 => VerifiedBootState::Unverified,
        3 => VerifiedBootState::Failed,
        x => {
            return Err(DerError::new(
                t.offset,
                format!("{what}.verifiedBootState: unknown value {x}"),
            ));
        }
    };
    let verified_boot_hash = if r.is_empty() {
        None
    } else {
        Some(Bytes(
            r.read()?
                .octets(&format!("{what}.verifiedBootHash"))?
                .to_vec(),
        ))
    };
    r.finish(what)?;
    Ok(RootOfTrust {
        verified_boot_key,
        device_locked,
        verified_boot_state,
        verified_boot_hash,
    })
}

fn application_id(v: &Tlv<'_>, what: &str) -> DerResult<ApplicationId> {
    // An OCTET STRING wrapping the DER of AttestationApplicationId.
    let inner = v.octets(what)?;
    let mut outer = Reader::new(inner, v.content_offset);
    let seq = outer.expect(tag::SEQUENCE, what)?;
    outer.finish(what)?;
    let mut r = Reader::inside(&seq);
    let mut packages = Vec::new();
    for p in r.read()?.set_of(&format!("{what}.packageInfos"))? {
        p.expect_universal(tag::SEQUENCE, &format!("{what}.packageInfo"))?;
        let mut pr = Reader::inside(&p);
        let name_t = pr.read()?;
        let name = std::str::from_utf8(name_t.octets(&format!("{what}.packageName"))?)
            .map_err(|_| DerError::new(name_t.offset, format!("{what}.packageName: not UTF-8")))?
            .to_string();
        let version = Int(pr.read()?.int(&format!("{what}.version"))?);
        pr.finish(&format!("{what}.packageInfo"))?;
        packages.push(PackageInfo { name, version });
    }
    let mut signatures = Vec::new();
    for s in r.read()?.set_of(&format!("{what}.signatureDigests"))? {
        signatures.push(Bytes(
            s.octets(&format!("{what}.signatureDigest"))?.to_vec(),
        ));
    }
    r.finish(what)?;
    Ok(ApplicationId {
        packages,
        signatures,
    })
}

/// The schema name of an authorization tag.
pub fn tag_name(n: u32) -> String {
    let s = match n {
        1 => "purpose",
        2 => "algorithm",
        3 => "keySize",
        4 => "blockMode",
        5 => "digest",
        6 => "padding",
        10 => "ecCurve",
        200 => "rsaPublicExponent",
        203 => "mgfDigest",
        303 => "rollbackResistance",
        305 => "earlyBootOnly",
        400 => "activeDateTime",
        401 => "originationExpireDateTime",
        402 => "usageExpireDateTime",
        405 => "usageCountLimit",
        503 => "noAuthRequired",
        504 => "userAuthType",
        505 => "authTimeout",
        506 => "allowWhileOnBody",
        507 => "trustedUserPresenceRequired",
        508 => "trustedConfirmationRequired",
        509 => "unlockedDeviceRequired",
        600 => "allApplications",
        701 => "creationDateTime",
        702 => "origin",
        703 => "rollbackResistant",
        704 => "rootOfTrust",
        705 => "osVersion",
        706 => "osPatchLevel",
        709 => "attestationApplicationId",
        710 => "attestationIdBrand",
        711 => "attestationIdDevice",
        712 => "attestationIdProduct",
        713 => "attestationIdSerial",
        714 => "attestationIdImei",
        715 => "attestationIdMeid",
        716 => "attestationIdManufacturer",
        717 => "attestationIdModel",
        718 => "vendorPatchLevel",
        719 => "bootPatchLevel",
        720 => "deviceUniqueAttestation",
        723 => "attestationIdSecondImei",
        724 => "moduleHash",
        _ => return format!("[{n}]"),
    };
    s.to_string()
}
