//! Bundle format, verification material, identity and issuer.

use sigstore_types::bundle::VerificationMaterialContent;
use sigstore_types::{Bundle, SignatureContent};
use sigstore_verify::bundle::{
    self as sigstore_bundle, ValidationOptions, validate_bundle_with_options,
};
use sigstore_verify::crypto::{KeyAlgorithm, parse_certificate_info};

use super::{Ctx, IdentityRule, Material, Options, Sheet, SigningKey, TrustMode};
use crate::sigstore::checks::{CheckId, Status};
use crate::sigstore::input::{BundleFile, KNOWN_MEDIA_TYPES};
use crate::sigstore::sign::key_hint;

/// `bundle-format`: a known media type, a bundle of that version's shape.
/// Returns the bundle and its version when there is something to verify.
pub(crate) fn bundle_format<'a>(
    file: &'a BundleFile,
    sheet: &mut Sheet,
) -> Option<(&'a Bundle, &'static str)> {
    let known = KNOWN_MEDIA_TYPES
        .iter()
        .map(|(m, _)| *m)
        .collect::<Vec<_>>()
        .join(", ");
    let Some(version) = file.version() else {
        let what = match &file.media_type {
            Some(mt) => format!("unknown bundle media type `{mt}`"),
            None => "no `mediaType` string".to_string(),
        };
        sheet.fail(
            CheckId::BundleFormat,
            format!("{what}; strata verifies {known}"),
        );
        return None;
    };
    let bundle = match &file.bundle {
        Ok(b) => b,
        Err(e) => {
            sheet.fail(
                CheckId::BundleFormat,
                format!("not a {version} bundle: {e}"),
            );
            return None;
        }
    };
    if let Some(why) = members_problem(file) {
        sheet.fail(CheckId::BundleFormat, format!("{version} bundle: {why}"));
        return None;
    }
    if version != "v0.3"
        && matches!(
            bundle.verification_material.content,
            VerificationMaterialContent::Certificate(_)
        )
    {
        // The media type decides which rules apply: a single `certificate`
        // is v0.3 material, and a bundle claiming an older version does not
        // get to mix the two.
        sheet.fail(
            CheckId::BundleFormat,
            format!(
                "{version} bundle: `verificationMaterial.certificate` is v0.3 material; \
                 a {version} bundle carries `x509CertificateChain` or `publicKey`"
            ),
        );
        return None;
    }
    // Presence and consistency of log entries, proofs, checkpoints, SETs and
    // timestamps are left to the log and time checks, which name what is
    // wrong (or say it does not apply to an offline key or CA bundle); the
    // shape rules of the version stay here.
    let options = ValidationOptions::new()
        .with_require_inclusion_proof(false)
        .with_require_timestamp(false);
    if let Err(e) = validate_bundle_with_options(bundle, &options)
        && is_shape_error(&e)
    {
        sheet.fail(CheckId::BundleFormat, format!("{version} bundle: {e}"));
        return None;
    }
    let content = match &bundle.content {
        SignatureContent::DsseEnvelope(e) => format!("DSSE envelope ({})", e.payload_type),
        SignatureContent::MessageSignature(_) => "message signature".to_string(),
        _ => "unknown content".to_string(),
    };
    let vm = &bundle.verification_material;
    sheet.pass(
        CheckId::BundleFormat,
        format!(
            "{version}, {content}, {} log entr{}, {} RFC 3161 timestamp{}",
            vm.tlog_entries.len(),
            if vm.tlog_entries.len() == 1 {
                "y"
            } else {
                "ies"
            },
            vm.timestamp_verification_data.rfc3161_timestamps.len(),
            if vm.timestamp_verification_data.rfc3161_timestamps.len() == 1 {
                ""
            } else {
                "s"
            },
        ),
    );
    Some((bundle, version))
}

/// Why the bundle does not hold exactly one content (`dsseEnvelope` or
/// `messageSignature`) and exactly one kind of verification material, as
/// written: the parsed bundle silently keeps one of two, so a signature
/// over one content could be shown next to another.
fn members_problem(file: &BundleFile) -> Option<String> {
    let one = |found: &[&str], names: &str, place: &str| match found {
        [_] => None,
        [] => Some(format!(
            "{place}has none of {names}; it must have exactly one"
        )),
        _ => Some(format!(
            "{place}has {}; it must have exactly one of {names}",
            found
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    };
    one(
        &file.members.content,
        "`dsseEnvelope` and `messageSignature`",
        "the bundle ",
    )
    .or_else(|| {
        one(
            &file.members.material,
            "`certificate`, `x509CertificateChain` and `publicKey`",
            "`verificationMaterial` ",
        )
    })
}

/// Structural errors about the bundle's shape, as opposed to missing or
/// inconsistent log and time evidence (which the named log checks report).
pub(crate) fn is_shape_error(e: &sigstore_bundle::Error) -> bool {
    matches!(
        e,
        sigstore_bundle::Error::UnsupportedMediaType(_)
            | sigstore_bundle::Error::UnsupportedVerificationMaterial
            | sigstore_bundle::Error::CertificateChainNotAllowed(_)
    )
}

/// `verification-material`: the bundle was signed the way the verifier was
/// told to trust (certificate for Sigstore and CA modes, key for `--key`).
pub(crate) fn verification_material(
    bundle: &Bundle,
    opts: &Options,
    sheet: &mut Sheet,
) -> Material {
    let id = CheckId::VerificationMaterial;
    let mut out = Material::default();
    let vm = &bundle.verification_material.content;
    match (vm, &opts.trust) {
        (VerificationMaterialContent::PublicKey(pk), TrustMode::Key(key)) => {
            let ours = key_hint(&key.der);
            let hint = if pk.hint.is_empty() {
                "the bundle gives no key hint".to_string()
            } else if pk.hint == ours || pk.hint == key.sha256_hex() {
                format!("the bundle's hint `{}` names this key", pk.hint)
            } else {
                format!(
                    "the bundle's hint `{}` is not this key's fingerprint (hints are unauthenticated; the signature decides)",
                    pk.hint
                )
            };
            sheet.pass(
                id,
                format!("signed with a key; verifying with {} ({hint})", key.path.display()),
            );
            out.key = Some(SigningKey {
                der: key.der.clone(),
                algorithm: key.algorithm,
            });
        }
        (VerificationMaterialContent::PublicKey(pk), _) => sheet.fail(
            id,
            format!(
                "the bundle is signed with a bare key (hint `{}`), not a certificate; verify it with --key",
                pk.hint
            ),
        ),
        (_, TrustMode::Key(_)) => sheet.fail(
            id,
            "the bundle carries a certificate; verify it with --identity/--issuer (Sigstore) or --ca, not --key",
        ),
        (material, _) => {
            let (leaf, rest) = match material {
                VerificationMaterialContent::Certificate(c) => (Some(&c.raw_bytes), &[][..]),
                VerificationMaterialContent::X509CertificateChain { certificates } => {
                    match certificates.split_first() {
                        Some((l, rest)) => (Some(&l.raw_bytes), rest),
                        None => (None, &[][..]),
                    }
                }
                _ => (None, &[][..]),
            };
            let Some(leaf) = leaf else {
                sheet.fail(id, "the bundle's certificate chain is empty");
                return out;
            };
            match parse_certificate_info(leaf) {
                Ok(info) => {
                    sheet.pass(
                        id,
                        format!(
                            "signing certificate ({}){}",
                            crate::sigstore::trust::describe_certificate(leaf),
                            if rest.is_empty() {
                                String::new()
                            } else {
                                format!(" with {} more in the bundle's chain", rest.len())
                            }
                        ),
                    );
                    out.key = Some(SigningKey {
                        der: info.public_key.clone(),
                        algorithm: info.key_algorithm,
                    });
                    out.cert = Some(info);
                    out.leaf = Some(leaf.clone());
                    out.intermediates = rest.iter().map(|c| c.raw_bytes.clone()).collect();
                }
                Err(e) => sheet.fail(id, format!("the signing certificate does not parse: {e}")),
            }
        }
    }
    out
}

/// `identity` and `issuer`: exact SAN (or anchored regexp) and exact OIDC
/// issuer. Never a prefix or substring.
pub(crate) fn identity(ctx: &Ctx<'_>, sheet: &mut Sheet) {
    if let TrustMode::Key(_) = ctx.opts.trust {
        let why = "a key bundle has no identity: the key is the identity";
        sheet.na(CheckId::Identity, why);
        sheet.na(CheckId::Issuer, why);
        return;
    }
    let Some(cert) = &ctx.cert else {
        return; // verification-material failed; both stay not checked
    };
    let san = cert.identity.as_ref().map(|s| s.as_str().to_string());
    match (&ctx.opts.identity, &san) {
        (None, _) => sheet.fail(
            CheckId::Identity,
            "no identity was required; refusing to accept any signer",
        ),
        (Some(_), None) => sheet.fail(
            CheckId::Identity,
            "the certificate has no email or URI SAN to match",
        ),
        (Some(rule), Some(san)) if rule.matches(san) => sheet.pass(
            CheckId::Identity,
            format!("SAN `{san}` matches {}", rule.describe()),
        ),
        (Some(rule), Some(san)) => {
            let mut detail = format!("SAN `{san}` does not match {}", rule.describe());
            if let IdentityRule::Exact(want) = rule
                && (san.starts_with(want.as_str()) || want.starts_with(san.as_str()))
            {
                detail.push_str(" (one is a prefix of the other; only exact matches count)");
            }
            sheet.fail(CheckId::Identity, detail);
        }
    }
    match (&ctx.opts.issuer, &cert.issuer) {
        (None, _) if matches!(ctx.opts.trust, TrustMode::Ca { .. }) => sheet.na(
            CheckId::Issuer,
            "organisation PKI: no OIDC issuer was required",
        ),
        (None, _) => sheet.fail(
            CheckId::Issuer,
            "no OIDC issuer was required; refusing to accept any issuer",
        ),
        (Some(_), None) => sheet.fail(
            CheckId::Issuer,
            "the certificate has no OIDC issuer extension",
        ),
        (Some(want), Some(got)) if want == got => {
            sheet.pass(CheckId::Issuer, format!("OIDC issuer `{got}`"))
        }
        (Some(want), Some(got)) => sheet.fail(
            CheckId::Issuer,
            format!("OIDC issuer `{got}` is not `{want}`"),
        ),
    }
    if sheet.status(CheckId::Identity) == Status::NotChecked {
        sheet.fail(CheckId::Identity, "identity could not be read");
    }
}

/// The signing scheme for the bundle's content and key, as the library
/// chooses it.
pub(crate) fn scheme(
    algorithm: KeyAlgorithm,
    content: &SignatureContent,
) -> Option<sigstore_verify::crypto::SigningScheme> {
    match content {
        SignatureContent::MessageSignature(m) => match &m.message_digest {
            Some(d) => algorithm.resolve_signing_scheme(d.algorithm).ok(),
            None => Some(algorithm.default_signing_scheme()),
        },
        SignatureContent::DsseEnvelope(_) => Some(algorithm.default_signing_scheme()),
        _ => None,
    }
}
