//! The certificate chain, at every signing time.
//!
//! Built with `rustls-webpki` and the signature algorithms of
//! `sigstore-crypto`, as `sigstore-verify` does: the leaf must chain to a
//! trust anchor with the code-signing extended key usage, at each signing
//! time. For Sigstore bundles the anchors are the trusted root's Fulcio
//! certificates whose CA window covers that time (an expired CA cannot vouch
//! for a later signature; a chain that would only verify through one is a
//! `trust-root-validity` failure). For `--ca` the anchors are the
//! self-signed certificates of the file (or all of them, when none is
//! self-signed) and the others serve as intermediates, together with any
//! the bundle carries (v0.1/v0.2 chains); bundle certificates are never
//! anchors, and a bundle chain that includes a root (a trust anchor or any
//! self-signed certificate) fails the check.

use jiff::Timestamp;
use rustls_pki_types::{CertificateDer, TrustAnchor, UnixTime};
use sigstore_types::DerCertificate;
use webpki::{EndEntityCert, KeyUsage};

use super::{Ctx, Sheet, TrustMode};
use crate::sigstore::checks::{CheckId, Status};
use crate::sigstore::trust::{describe_certificate, is_self_issued};

/// DER of the OID id-kp-codeSigning (1.3.6.1.5.5.7.3.3), without tag.
const CODE_SIGNING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03];

/// One candidate anchor and its certificate.
struct Anchor<'a> {
    anchor: TrustAnchor<'a>,
    cert: &'a DerCertificate,
    window: Option<sigstore_types::TimeRange>,
}

/// `certificate-chain`.
pub(crate) fn check(ctx: &mut Ctx<'_>, sheet: &mut Sheet) {
    let id = CheckId::CertificateChain;
    let opts: &super::Options = ctx.opts;
    match opts.trust {
        TrustMode::Key(_) => {
            sheet.na(id, "no certificate: the bundle is signed with a key");
            sheet.na(
                CheckId::Sct,
                "no certificate: the bundle is signed with a key",
            );
            return;
        }
        TrustMode::Ca { .. } => sheet.na(
            CheckId::Sct,
            "organisation PKI: certificates are not logged to certificate transparency",
        ),
        TrustMode::Sigstore => {}
    }
    let Some(leaf) = ctx.leaf.clone() else {
        return;
    };
    if ctx.times.is_empty() {
        sheet.set(
            id,
            Status::NotChecked,
            "not checked: no authenticated signing time (see signing-time)",
        );
        return;
    }
    let (anchor_certs, mut intermediates, what): (
        Vec<(&DerCertificate, _)>,
        Vec<DerCertificate>,
        String,
    ) = match &opts.trust {
        TrustMode::Ca { certs, path } => {
            let (anchors, inter) = split_ca(certs);
            (
                anchors.into_iter().map(|c| (c, None)).collect(),
                inter,
                format!("the CA in {}", path.display()),
            )
        }
        _ => (
            opts.root
                .root
                .certificate_authorities
                .iter()
                .flat_map(|ca| {
                    ca.cert_chain
                        .certificates
                        .iter()
                        .map(move |c| (&c.raw_bytes, ca.valid_for))
                })
                .collect(),
            Vec::new(),
            "a Fulcio CA of the trusted root".to_string(),
        ),
    };
    intermediates.extend(ctx.bundle_intermediates.iter().cloned());
    let mut anchors = Vec::new();
    for (cert, window) in anchor_certs {
        let der = CertificateDer::from(cert.as_bytes());
        match webpki::anchor_from_trusted_cert(&der) {
            Ok(a) => anchors.push(Anchor {
                anchor: a.to_owned(),
                cert,
                window,
            }),
            Err(e) => {
                sheet.fail(
                    id,
                    format!(
                        "a trusted CA certificate is unusable ({}): {e}",
                        describe_certificate(cert)
                    ),
                );
                return;
            }
        }
    }
    if anchors.is_empty() {
        sheet.fail(id, format!("{what}: no CA certificate to chain to"));
        return;
    }
    let anchor_certs: Vec<&DerCertificate> = anchors.iter().map(|a| a.cert).collect();
    if let Some(why) = root_in_bundle(&ctx.bundle_intermediates, &anchor_certs) {
        sheet.fail(id, why);
        return;
    }
    let times: Vec<Timestamp> = ctx.times.iter().map(|t| t.time).collect();
    let strict = if matches!(opts.trust, TrustMode::Sigstore) {
        Usage::Fulcio
    } else {
        Usage::OrganisationCodeSigning
    };
    let mut used = Vec::new();
    for t in times {
        if let Some(c) = &ctx.cert
            && (t < c.not_before || t > c.not_after)
        {
            sheet.set(
                id,
                Status::NotChecked,
                format!("not checked at {t}: the certificate itself was not valid then (see certificate-validity)"),
            );
            return;
        }
        let in_window: Vec<TrustAnchor<'_>> = anchors
            .iter()
            .filter(|a| a.window.is_none_or(|w| w.contains(t)))
            .map(|a| a.anchor.clone())
            .collect();
        match verify_at(&leaf, &in_window, &intermediates, t, strict) {
            Ok(spki) => {
                let name = anchors
                    .iter()
                    .find(|a| a.anchor.subject_public_key_info.as_ref() == spki.as_slice())
                    .map(|a| describe_certificate(a.cert))
                    .unwrap_or_else(|| "a trusted CA".into());
                if matches!(opts.trust, TrustMode::Sigstore) {
                    ctx.validity.push(Ok(format!("Fulcio CA valid at {t}")));
                }
                used.push(format!("at {t} to {name}"));
            }
            Err(e) => {
                let all: Vec<TrustAnchor<'_>> = anchors.iter().map(|a| a.anchor.clone()).collect();
                if in_window.len() < all.len()
                    && verify_at(&leaf, &all, &intermediates, t, strict).is_ok()
                {
                    let p = format!(
                        "the issuing CA's validity window does not cover the signing time {t}"
                    );
                    ctx.validity.push(Err(p.clone()));
                    sheet.fail(id, format!("{what}: {p}"));
                } else {
                    sheet.fail(
                        id,
                        format!("does not chain to {what} with code-signing usage at {t}: {e}"),
                    );
                }
                return;
            }
        }
    }
    sheet.pass(
        id,
        format!("chains with code-signing usage {}", used.join("; ")),
    );
}

/// True when the certificate's extended key usage includes code signing.
fn leaf_has_code_signing(leaf: &DerCertificate) -> bool {
    use x509_cert::der::Decode;
    let Ok(cert) = x509_cert::Certificate::from_der(leaf.as_bytes()) else {
        return false;
    };
    let code_signing = x509_cert::der::oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3");
    matches!(
        cert.tbs_certificate.get::<x509_cert::ext::pkix::ExtendedKeyUsage>(),
        Ok(Some((_, eku))) if eku.0.contains(&code_signing)
    )
}

/// Why the bundle's own chain is refused: it carries a root, a trust anchor
/// or any self-signed certificate. The verifier supplies the anchors; a
/// bundle that brings one is asking to be trusted on its own say-so, and the
/// Sigstore bundle format forbids it.
fn root_in_bundle(chain: &[DerCertificate], anchors: &[&DerCertificate]) -> Option<String> {
    let bad = chain
        .iter()
        .find(|c| is_self_issued(c) || anchors.contains(c))?;
    let what = if anchors.contains(&bad) {
        "a trust anchor"
    } else {
        "a self-signed (root) certificate"
    };
    Some(format!(
        "the bundle's certificate chain includes {what} ({}); a bundle's chain must not contain the root",
        describe_certificate(bad)
    ))
}

/// Split an organisation's CA file into anchors (the self-signed
/// certificates, or all when none is) and intermediates.
fn split_ca(certs: &[DerCertificate]) -> (Vec<&DerCertificate>, Vec<DerCertificate>) {
    let roots: Vec<&DerCertificate> = certs.iter().filter(|c| is_self_issued(c)).collect();
    if roots.is_empty() {
        (certs.iter().collect(), Vec::new())
    } else {
        (
            roots,
            certs
                .iter()
                .filter(|c| !is_self_issued(c))
                .cloned()
                .collect(),
        )
    }
}

/// Whether `leaf` chains to the CA certificates `ca` (as `--ca` reads
/// them) with the code-signing usage at `t`.
pub fn chains_to_ca(
    leaf: &DerCertificate,
    ca: &[DerCertificate],
    t: Timestamp,
) -> std::result::Result<(), String> {
    let (anchor_certs, intermediates) = split_ca(ca);
    let anchors = owned_anchors(&anchor_certs)?;
    verify_at(
        leaf,
        &anchors,
        &intermediates,
        t,
        Usage::OrganisationCodeSigning,
    )
    .map(|_| ())
}

/// Whether `leaf` chains to the CA certificates `ca` at `t` by OpenSSF
/// model-signing's rule ([`Usage::ModelSigning`]), through `intermediates`
/// from the bundle and any intermediates in `ca`. As for Sigstore bundles,
/// a bundle chain that includes a root (one of the anchors, or any
/// self-signed certificate) fails.
pub fn chains_for_model_signing(
    leaf: &DerCertificate,
    intermediates: &[DerCertificate],
    ca: &[DerCertificate],
    t: Timestamp,
) -> std::result::Result<(), String> {
    let (anchor_certs, mut inter) = split_ca(ca);
    if let Some(why) = root_in_bundle(intermediates, &anchor_certs) {
        return Err(why);
    }
    inter.extend(intermediates.iter().cloned());
    let anchors = owned_anchors(&anchor_certs)?;
    if anchors.is_empty() {
        return Err("no trusted CA certificate was given".into());
    }
    verify_at(leaf, &anchors, &inter, t, Usage::ModelSigning).map(|_| ())
}

/// Trust anchors from CA certificates.
fn owned_anchors(
    certs: &[&DerCertificate],
) -> std::result::Result<Vec<TrustAnchor<'static>>, String> {
    certs
        .iter()
        .map(|c| {
            let der = CertificateDer::from(c.as_bytes());
            webpki::anchor_from_trusted_cert(&der)
                .map(|a| a.to_owned())
                .map_err(|e| format!("{e:?}"))
        })
        .collect()
}

/// True when the certificate's key usage allows digital signatures or its
/// extended key usage includes code signing.
fn leaf_can_sign(leaf: &DerCertificate) -> bool {
    use x509_cert::der::Decode;
    let Ok(cert) = x509_cert::Certificate::from_der(leaf.as_bytes()) else {
        return false;
    };
    let ku = matches!(
        cert.tbs_certificate.get::<x509_cert::ext::pkix::KeyUsage>(),
        Ok(Some((_, ku))) if ku.digital_signature()
    );
    ku || leaf_has_code_signing(leaf)
}

/// What a path must allow the leaf to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Usage {
    /// Sigstore: every certificate of the path carries code signing, as
    /// `sigstore-verify` requires of Fulcio chains.
    Fulcio,
    /// An organisation PKI: the leaf carries code signing; a CA may omit
    /// the extension but, if it has one, it must include code signing.
    OrganisationCodeSigning,
    /// OpenSSF model-signing: the leaf allows digitalSignature (key usage)
    /// or codeSigning (extended key usage); an extended key usage on the
    /// path that leaves out code signing is refused.
    ModelSigning,
}

/// Verify the leaf at `t` for `usage`; return the anchor's
/// SubjectPublicKeyInfo contents (as webpki holds them).
fn verify_at(
    leaf: &DerCertificate,
    anchors: &[TrustAnchor<'_>],
    intermediates: &[DerCertificate],
    t: Timestamp,
    usage: Usage,
) -> std::result::Result<Vec<u8>, String> {
    if anchors.is_empty() {
        return Err(format!("no trusted CA is valid at {t}"));
    }
    match usage {
        Usage::OrganisationCodeSigning if !leaf_has_code_signing(leaf) => {
            return Err("the certificate lacks the code-signing extended key usage".into());
        }
        Usage::ModelSigning if !leaf_can_sign(leaf) => {
            return Err("the signing certificate allows neither digitalSignature (key usage) nor codeSigning (extended key usage)".into());
        }
        _ => {}
    }
    let leaf_der = CertificateDer::from(leaf.as_bytes());
    let ee = EndEntityCert::try_from(&leaf_der).map_err(|e| format!("leaf does not parse: {e}"))?;
    let inter: Vec<CertificateDer<'_>> = intermediates
        .iter()
        .map(|c| CertificateDer::from(c.as_bytes()))
        .collect();
    let secs = u64::try_from(t.as_second()).map_err(|_| format!("time {t} is before 1970"))?;
    let time = UnixTime::since_unix_epoch(std::time::Duration::from_secs(secs));
    let usage = if usage == Usage::Fulcio {
        KeyUsage::required(CODE_SIGNING)
    } else {
        KeyUsage::required_if_present(CODE_SIGNING)
    };
    let path = ee
        .verify_for_usage(
            sigstore_verify::crypto::WEBPKI_VERIFICATION_ALGS,
            anchors,
            &inter,
            time,
            usage,
            None,
            None,
        )
        .map_err(|e| format!("{e:?}"))?;
    Ok(path.anchor().subject_public_key_info.as_ref().to_vec())
}
