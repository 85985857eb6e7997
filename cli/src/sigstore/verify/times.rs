//! RFC 3161 timestamps, the signing time, and the certificate's validity at
//! that time.
//!
//! Authenticated times come from RFC 3161 timestamps (verified against the
//! trusted root's TSAs, each within its own validity window, as
//! `sigstore-tsa` does it) and from the integrated time of Rekor v1 entries
//! whose SET verified. A Sigstore bundle needs at least one; the
//! certificate must be valid at every one. Key and CA bundles signed
//! offline carry none, and are checked at the verification time.

use super::content::signature_bytes;
use super::tlog::TlogOutcome;
use super::{Ctx, Sheet, SignedTime, TrustMode};
use crate::sigstore::checks::CheckId;

/// Check timestamps, settle the signing times, check the certificate's
/// validity at them.
pub(crate) fn check(ctx: &mut Ctx<'_>, tlog: TlogOutcome, sheet: &mut Sheet) {
    let mut times: Vec<SignedTime> = Vec::new();
    ctx.validity.extend(tlog.validity);
    rfc3161(ctx, sheet, &mut times);
    for t in tlog.set_times {
        times.push(SignedTime {
            time: t,
            source: "log integrated time (SET)".into(),
        });
    }
    let id = CheckId::SigningTime;
    let future: Vec<String> = times
        .iter()
        .filter(|t| t.time > ctx.opts.now)
        .map(|t| format!("{} ({}) is in the future", t.time, t.source))
        .collect();
    if !future.is_empty() {
        sheet.fail(id, future.join("; "));
    } else if !times.is_empty() {
        sheet.pass(
            id,
            times
                .iter()
                .map(|t| format!("{} from {}", t.time, t.source))
                .collect::<Vec<_>>()
                .join("; "),
        );
    } else if matches!(ctx.opts.trust, TrustMode::Sigstore) || ctx.tlog_required {
        sheet.fail(
            id,
            "no authenticated signing time: the bundle needs a log entry with a SET or an RFC 3161 timestamp",
        );
    } else {
        sheet.na(
            id,
            format!(
                "the bundle carries no signed time; checked at the verification time {}",
                ctx.opts.now
            ),
        );
        times.push(SignedTime {
            time: ctx.opts.now,
            source: "verification time".into(),
        });
    }
    ctx.times = times;
    certificate_validity(ctx, sheet);
}

fn rfc3161(ctx: &mut Ctx<'_>, sheet: &mut Sheet, times: &mut Vec<SignedTime>) {
    let id = CheckId::Rfc3161Timestamp;
    let tokens = &ctx
        .bundle
        .verification_material
        .timestamp_verification_data
        .rfc3161_timestamps;
    if tokens.is_empty() {
        sheet.na(id, "the bundle has no RFC 3161 timestamp");
        return;
    }
    let Some(sig) = signature_bytes(&ctx.bundle.content) else {
        sheet.fail(id, "unsupported bundle content");
        return;
    };
    let authorities = ctx.opts.root.root.tsa_authorities();
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for (i, ts) in tokens.iter().enumerate() {
        let mut outside = None;
        let mut last = None;
        let mut verified = None;
        for a in &authorities {
            match sigstore_verify::tsa::verify_timestamp_for_authority(&ts.signed_timestamp, sig, a)
            {
                Ok(t) => {
                    verified = Some(t);
                    break;
                }
                Err(sigstore_verify::tsa::Error::TimestampOutsideValidity { time }) => {
                    outside = Some(time)
                }
                Err(e) => last = Some(e.to_string()),
            }
        }
        match (verified, outside) {
            (Some(t), _) => {
                ok.push(format!("timestamp {i} at {t}"));
                ctx.validity
                    .push(Ok(format!("timestamp authority valid at {t}")));
                times.push(SignedTime {
                    time: t,
                    source: "RFC 3161 timestamp".into(),
                });
            }
            (None, Some(t)) => {
                let p = format!(
                    "timestamp {i} at {t} is outside the validity window of the authority that signed it"
                );
                ctx.validity.push(Err(p.clone()));
                bad.push(p);
            }
            (None, None) => bad.push(format!(
                "timestamp {i} does not verify against any trusted TSA: {}",
                last.unwrap_or_else(|| "the trusted root has no timestamp authority".into())
            )),
        }
    }
    if bad.is_empty() {
        sheet.pass(id, ok.join("; "));
    } else {
        sheet.fail(id, bad.join("; "));
    }
}

fn certificate_validity(ctx: &Ctx<'_>, sheet: &mut Sheet) {
    let id = CheckId::CertificateValidity;
    let Some(cert) = &ctx.cert else {
        if let TrustMode::Key(_) = ctx.opts.trust {
            sheet.na(id, "no certificate: the bundle is signed with a key");
        }
        return;
    };
    let mut bad = Vec::new();
    for t in &ctx.times {
        if t.time < cert.not_before {
            bad.push(format!(
                "not yet valid at {} ({}): not before {}",
                t.time, t.source, cert.not_before
            ));
        } else if t.time > cert.not_after {
            bad.push(format!(
                "expired at {} ({}): not after {}",
                t.time, t.source, cert.not_after
            ));
        }
    }
    if bad.is_empty() && !ctx.times.is_empty() {
        sheet.pass(
            id,
            format!(
                "valid {} to {}, covering every signing time",
                cert.not_before, cert.not_after
            ),
        );
    } else if bad.is_empty() {
        sheet.set(
            id,
            crate::sigstore::checks::Status::NotChecked,
            "not checked: no authenticated signing time (see signing-time)",
        );
    } else {
        sheet.fail(id, format!("the certificate was {}", bad.join("; ")));
    }
}

/// `trust-root-validity`: every trust-root key and CA was valid when used.
pub(crate) fn trust_root_validity(ctx: &Ctx<'_>, sheet: &mut Sheet) {
    let id = CheckId::TrustRootValidity;
    let problems: Vec<&str> = ctx
        .validity
        .iter()
        .filter_map(|v| v.as_ref().err().map(String::as_str))
        .collect();
    let facts: Vec<&str> = ctx
        .validity
        .iter()
        .filter_map(|v| v.as_ref().ok().map(String::as_str))
        .collect();
    if !problems.is_empty() {
        sheet.fail(id, problems.join("; "));
    } else if !facts.is_empty() {
        sheet.pass(id, facts.join("; "));
    } else {
        sheet.na(
            id,
            match ctx.opts.trust {
                TrustMode::Key(_) => "no trust-root key was used: the key was given directly",
                TrustMode::Ca { .. } => {
                    "no trust-root key was used: the organisation CA's own validity is checked by certificate-chain"
                }
                TrustMode::Sigstore => "no trust-root key was used",
            },
        );
    }
}
