//! Android Key Attestation certificate chains.
//!
//! Input: the chain as PEM blocks or concatenated DER, leaf first, as
//! `KeyStore.getCertificateChain` returns it. What is verified, each step
//! reported as a named check:
//! 1. `chain-signatures`: each certificate is signed by the next one's key
//!    and names it as issuer;
//! 2. `chain-ca-constraints`: every issuing certificate is a CA, except
//!    the attestation key's certificate directly above the leaf, which
//!    factory-provisioned chains issue without the CA flag (a note, not a
//!    failure, as in Google's verifier);
//! 3. `chain-root`: the chain ends at a Google hardware attestation root,
//!    matched by public key (several root certificates share one key); the
//!    Android *software* attestation root and unknown roots fail;
//! 4. `chain-validity`: every certificate, the root included, is valid at
//!    the evaluation time (`--at`; roots do expire);
//! 5. `revocation`: no certificate's serial is REVOKED or SUSPENDED in the
//!    status list, when one is given (skipped otherwise, and said so);
//! 6. `hardware-backed`: the attestation and the key live in a TEE or
//!    StrongBox, not in software.
//!
//! The KeyDescription itself is decoded strictly (see [`keydesc`]); a
//! violation of DER makes the file malformed rather than a failed check.

pub mod keydesc;
pub mod status;

use std::sync::OnceLock;

use super::certs;
use super::der::DerError;
use super::report::{Report, Status};
use super::x509::Cert;
use super::{Malformed, fmt_time};
use crate::clock::Time;
use crate::diag::Code;
use crate::model::EvidenceKind;

pub use keydesc::{KeyDescription, OID_KEY_DESCRIPTION};
pub use status::StatusList;

/// The role of an embedded trust anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorRole {
    /// A Google hardware attestation root: chains ending here are trusted.
    Hardware,
    /// The Android Keystore software attestation root: recognised only to
    /// reject it with the right reason.
    Software,
}

/// An embedded root, identified by its SubjectPublicKeyInfo digest.
#[derive(Debug, Clone)]
pub struct Anchor {
    /// What chains ending here mean.
    pub role: AnchorRole,
    /// A name for messages.
    pub name: &'static str,
    /// SHA-256 of the SubjectPublicKeyInfo, hex.
    pub spki_sha256: String,
    /// The DER certificate (for chains that omit the root).
    pub der: Vec<u8>,
}

const ROOT_PEMS: &[(AnchorRole, &str, &str)] = &[
    (
        AnchorRole::Hardware,
        "Google hardware attestation root key (RSA-4096)",
        include_str!("roots/google_rsa4096_root_E8FA196314D2FA18_2016-2026.pem"),
    ),
    (
        AnchorRole::Hardware,
        "Google hardware attestation root key (RSA-4096)",
        include_str!("roots/google_rsa4096_root_D50FF25BA3F2D6B3_2019-2034.pem"),
    ),
    (
        AnchorRole::Hardware,
        "Google hardware attestation root key (RSA-4096)",
        include_str!("roots/google_rsa4096_root_F1C172A699EAF51D_2022-2042.pem"),
    ),
    (
        AnchorRole::Hardware,
        "Google Key Attestation CA1 key (ECDSA P-384)",
        include_str!("roots/google_p384_KeyAttestationCA1_84A9D029_2025-2035.pem"),
    ),
    (
        AnchorRole::Software,
        "Android Keystore Software Attestation Root key",
        include_str!("roots/software_root_ec_A2059ED10E435B57.pem"),
    ),
];

/// The embedded anchors (parsed once).
pub fn anchors() -> &'static [Anchor] {
    static ANCHORS: OnceLock<Vec<Anchor>> = OnceLock::new();
    ANCHORS.get_or_init(|| {
        ROOT_PEMS
            .iter()
            .filter_map(|(role, name, pem)| {
                let blob = certs::split(pem.as_bytes()).ok()?.into_iter().next()?;
                let spki = certs::parse_cert(&blob.der, 0).ok()?.spki_sha256();
                Some(Anchor {
                    role: *role,
                    name,
                    spki_sha256: spki,
                    der: blob.der,
                })
            })
            .collect()
    })
}

/// Options for [`inspect`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Evaluation time for validity; `None` skips the validity check.
    pub at: Option<Time>,
    /// Status list for the revocation check; `None` skips it.
    pub revocation: Option<&'a StatusList>,
}

fn malformed(e: DerError) -> Malformed {
    Malformed::at(Code::AndroidAttestationMalformed, e)
}

/// Whether `data` is an Android key attestation chain (its first
/// certificate carries the KeyDescription extension).
pub fn detect(data: &[u8]) -> bool {
    let Ok(blobs) = certs::split(data) else {
        return false;
    };
    blobs.first().is_some_and(|b| {
        certs::parse_cert(&b.der, 0).is_ok_and(|c| c.extension(OID_KEY_DESCRIPTION).is_some())
    })
}

/// Decode and verify an attestation chain.
pub fn inspect(data: &[u8], opts: &Options<'_>) -> Result<Report, Malformed> {
    let blobs = certs::split(data).map_err(malformed)?;
    let mut chain = Vec::with_capacity(blobs.len());
    for (i, b) in blobs.iter().enumerate() {
        if b.label.as_deref().is_some_and(|l| l != "CERTIFICATE") {
            return Err(Malformed::new(
                Code::AndroidAttestationMalformed,
                format!(
                    "PEM block {} is `{}`, not CERTIFICATE",
                    i + 1,
                    b.label.as_deref().unwrap_or("")
                ),
            ));
        }
        chain.push(certs::parse_cert(&b.der, i).map_err(malformed)?);
    }
    // The KeyDescription: in the leaf, and only there.
    let mut kd_raw: Option<(&[u8], usize)> = None;
    for (i, c) in chain.iter().enumerate() {
        for ext in c.extensions() {
            if ext.oid == OID_KEY_DESCRIPTION {
                if i != 0 || kd_raw.is_some() {
                    return Err(Malformed::new(
                        Code::AndroidAttestationMalformed,
                        format!(
                            "certificate {i} carries a second key attestation extension; only the leaf may"
                        ),
                    ));
                }
                kd_raw = Some((ext.value, ext.offset));
            }
        }
    }
    let Some((kd_bytes, base)) = kd_raw else {
        return Err(Malformed::new(
            Code::AndroidAttestationMalformed,
            format!(
                "the leaf certificate has no key attestation extension ({OID_KEY_DESCRIPTION})"
            ),
        ));
    };
    let kd = keydesc::parse(kd_bytes, base).map_err(|e| {
        Malformed::new(
            Code::AndroidAttestationMalformed,
            format!(
                "KeyDescription in certificate 0: {} (at byte {} of the certificate's DER)",
                e.what, e.offset
            ),
        )
    })?;

    let mut rep = Report::new(
        EvidenceKind::AndroidKeyAttestation,
        format!(
            "Android key attestation chain, {} certificates, attestation version {}",
            chain.len(),
            kd.attestation_version.0
        ),
    );
    rep.evaluated_at = opts.at.map(fmt_time);
    let note = verify_chain(&chain, opts, &mut rep);
    let hw = kd.attestation_security_level != keydesc::SecurityLevel::Software
        && kd.key_mint_security_level != keydesc::SecurityLevel::Software;
    rep.check_bool(
        "hardware-backed",
        hw,
        format!(
            "attestation security level {}, KeyMint security level {}",
            kd.attestation_security_level.as_str(),
            kd.key_mint_security_level.as_str()
        ),
    );
    add_fields(&kd, &mut rep);
    rep.field_opt("note.attestation-key-not-ca", note);
    let chain_json: Vec<serde_json::Value> = chain
        .iter()
        .map(|c| {
            let (nb, na) = c.validity();
            serde_json::json!({
                "subject": c.subject(),
                "issuer": c.issuer(),
                "serial": c.serial_hex(),
                "notBefore": nb,
                "notAfter": na,
                "signatureAlgorithm": c.signature_algorithm(),
                "spkiSha256": c.spki_sha256(),
            })
        })
        .collect();
    rep.decoded = serde_json::json!({
        "chain": chain_json,
        "keyDescription": serde_json::to_value(&kd)
            .map_err(|e| Malformed::internal("cannot serialise the key description", e))?,
    });
    Ok(rep)
}

/// Run the chain checks; returns the note on an attestation key
/// certificate that is not a CA, if any.
fn verify_chain(chain: &[Cert<'_>], opts: &Options<'_>, rep: &mut Report) -> Option<String> {
    // 1. Signatures and issuer names along the chain.
    let mut problems = Vec::new();
    for i in 0..chain.len().saturating_sub(1) {
        let (c, issuer) = (&chain[i], &chain[i + 1]);
        if c.issuer_raw() != issuer.subject_raw() {
            problems.push(format!(
                "certificate {i} names issuer `{}` but certificate {} is `{}`",
                c.issuer(),
                i + 1,
                issuer.subject()
            ));
        }
        if let Err(e) = c.signed_by(issuer) {
            problems.push(format!(
                "certificate {i} is not signed by certificate {}: {e}",
                i + 1
            ));
        }
    }
    rep.check_bool(
        "chain-signatures",
        problems.is_empty(),
        if problems.is_empty() {
            format!(
                "{} verified",
                crate::table::count_as(
                    chain.len().saturating_sub(1) as u64,
                    "signature",
                    "signatures"
                )
            )
        } else {
            problems.join("; ")
        },
    );
    // 2. Issuers are CAs, except the attestation key's certificate.
    let note = ca_constraints(chain, rep);
    // 3. The root, by public key.
    let last = &chain[chain.len() - 1];
    let last_spki = last.spki_sha256();
    let self_signed = last.self_issued() && last.signed_by(last).is_ok();
    let mut anchor: Option<&Anchor> = None;
    let mut root_owned = None;
    if self_signed {
        anchor = anchors().iter().find(|a| a.spki_sha256 == last_spki);
    } else {
        // The chain omits its root: find an anchor whose key signed the last certificate.
        // Several root certificates share a key: prefer one valid at the
        // evaluation time.
        let mut fits: Vec<&Anchor> = anchors()
            .iter()
            .filter(|a| {
                certs::parse_cert(&a.der, chain.len()).is_ok_and(|root| {
                    last.issuer_raw() == root.subject_raw() && last.signed_by(&root).is_ok()
                })
            })
            .collect();
        if let Some(at) = opts.at {
            fits.sort_by_key(|a| {
                !certs::parse_cert(&a.der, chain.len()).is_ok_and(|r| r.valid_at(at))
            });
        }
        if let Some(a) = fits.first() {
            anchor = Some(a);
            root_owned = Some(a.der.clone());
        }
    }
    match anchor {
        Some(a) if a.role == AnchorRole::Hardware => rep.check(
            "chain-root",
            Status::Pass,
            if root_owned.is_some() {
                format!(
                    "certificate {} is signed by the {} (sha256:{}); root not in the file",
                    chain.len() - 1,
                    a.name,
                    a.spki_sha256
                )
            } else {
                format!(
                    "ends at `{}` serial {}, whose public key is the {} (sha256:{})",
                    last.subject(),
                    last.serial_hex(),
                    a.name,
                    a.spki_sha256
                )
            },
        ),
        Some(a) => rep.check(
            "chain-root",
            Status::Fail,
            format!(
                "ends at the {}: the key is attested by Android software, not by secure hardware",
                a.name
            ),
        ),
        None => rep.check(
            "chain-root",
            Status::Fail,
            format!(
                "ends at `{}` (public key sha256:{last_spki}), which is not a Google hardware attestation root{}",
                last.subject(),
                if self_signed { "" } else { " and is not self-signed" }
            ),
        ),
    }
    // 4. Validity at the evaluation time.
    match opts.at {
        None => rep.check(
            "chain-validity",
            Status::NotApplicable,
            "no evaluation time given",
        ),
        Some(at) => {
            let mut bad: Vec<String> = chain
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.valid_at(at))
                .map(|(i, c)| {
                    let (nb, na) = c.validity();
                    format!("certificate {i} (`{}`) is valid {nb} to {na}", c.subject())
                })
                .collect();
            if let Some(der) = &root_owned
                && let Ok(root) = certs::parse_cert(der, chain.len())
                && !root.valid_at(at)
            {
                let (nb, na) = root.validity();
                bad.push(format!("the root is valid {nb} to {na}"));
            }
            rep.check_bool(
                "chain-validity",
                bad.is_empty(),
                if bad.is_empty() {
                    format!("every certificate is valid at {}", fmt_time(at))
                } else {
                    format!("at {}: {}", fmt_time(at), bad.join("; "))
                },
            );
        }
    }
    // 5. Revocation.
    match opts.revocation {
        None => rep.check(
            "revocation",
            Status::NotApplicable,
            "no status list given (--revocation FILE)",
        ),
        Some(list) => {
            let hits: Vec<String> = chain
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let s = c.serial_hex();
                    list.lookup(&s).map(|e| {
                        format!(
                            "certificate {i} serial {s} is {}{}",
                            e.status,
                            e.reason
                                .as_deref()
                                .map(|r| format!(" ({r})"))
                                .unwrap_or_default()
                        )
                    })
                })
                .collect();
            rep.check_bool(
                "revocation",
                hits.is_empty(),
                if hits.is_empty() {
                    format!(
                        "no serial of the chain is among the {} of the status list",
                        crate::table::count_as(list.entries.len() as u64, "entry", "entries")
                    )
                } else {
                    hits.join("; ")
                },
            );
        }
    }
    note
}

/// Every certificate that issues another must be a CA, with one exception
/// the Android ecosystem makes: the certificate directly above the leaf
/// certifies the attestation key, and factory-provisioned chains (before
/// remote key provisioning) issue it with `cA=FALSE` or without
/// basicConstraints although it signs the leaf. Google's verifier
/// (android/keyattestation) accepts such chains; so does this check, with a
/// note in its detail. Every certificate above that one must be a CA, and
/// so must the one above the leaf when it is the self-signed root itself.
fn ca_constraints(chain: &[Cert<'_>], rep: &mut Report) -> Option<String> {
    let mut not_ca = Vec::new();
    let mut note = None;
    for (i, c) in chain.iter().enumerate().skip(1) {
        if c.is_ca() {
            continue;
        }
        let what = format!("certificate {i} (`{}`)", c.subject());
        let is_root = i + 1 == chain.len() && c.self_issued();
        if i == 1 && !is_root {
            note = Some(what);
        } else {
            not_ca.push(what);
        }
    }
    let detail = if !not_ca.is_empty() {
        format!(
            "{} issue certificates without being a CA; only the certificate that signs the leaf \
             (the attestation key) may",
            not_ca.join(", ")
        )
    } else if let Some(what) = &note {
        format!(
            "every certificate above the attestation key has basicConstraints cA=TRUE; \
             note: {what}, which signs the leaf, is not a CA, as in factory-provisioned chains \
             (accepted, as Android's verifier does)"
        )
    } else {
        "every issuing certificate has basicConstraints cA=TRUE".to_string()
    };
    rep.check_bool("chain-ca-constraints", not_ca.is_empty(), detail);
    note
}

fn add_fields(kd: &KeyDescription, rep: &mut Report) {
    rep.field("attestation-version", kd.attestation_version.0.to_string());
    rep.field(
        "attestation-security-level",
        kd.attestation_security_level.as_str(),
    );
    rep.field("keymint-version", kd.key_mint_version.0.to_string());
    rep.field(
        "keymint-security-level",
        kd.key_mint_security_level.as_str(),
    );
    rep.field(
        "attestation-challenge",
        hex::encode(&kd.attestation_challenge.0),
    );
    if let Some(rot) = kd.root_of_trust() {
        rep.field(
            "root-of-trust.verified-boot-key",
            hex::encode(&rot.verified_boot_key.0),
        );
        rep.field("root-of-trust.device-locked", rot.device_locked.to_string());
        rep.field(
            "root-of-trust.verified-boot-state",
            rot.verified_boot_state.as_str(),
        );
        rep.field_opt(
            "root-of-trust.verified-boot-hash",
            rot.verified_boot_hash.as_ref().map(|h| hex::encode(&h.0)),
        );
    }
    let int = |f: fn(&keydesc::AuthorizationList) -> Option<keydesc::Int>| {
        kd.either(f).map(|i| i.0.to_string())
    };
    rep.field_opt("os-version", int(|a| a.os_version));
    rep.field_opt("os-patch-level", int(|a| a.os_patch_level));
    rep.field_opt("vendor-patch-level", int(|a| a.vendor_patch_level));
    rep.field_opt("boot-patch-level", int(|a| a.boot_patch_level));
    let s = |f: fn(&keydesc::AuthorizationList) -> Option<String>| kd.either(f);
    rep.field_opt("id.brand", s(|a| a.attestation_id_brand.clone()));
    rep.field_opt("id.device", s(|a| a.attestation_id_device.clone()));
    rep.field_opt("id.product", s(|a| a.attestation_id_product.clone()));
    rep.field_opt(
        "id.manufacturer",
        s(|a| a.attestation_id_manufacturer.clone()),
    );
    rep.field_opt("id.model", s(|a| a.attestation_id_model.clone()));
}
