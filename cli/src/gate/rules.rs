//! How each rule of the policy is evaluated against one device's analysis
//! (the catalogue and the typed parameters are in [`crate::policy`]).

use std::path::Path;

use crate::analyze::{DeviceAnalysis, FlagCode, Outcome};
use crate::clock::Date;
use crate::digest::Digest;
use crate::layout;
use crate::model::{ApprovedDevice, LayerName};
use crate::policy::RuleConfig;
use crate::review::{self, CriterionState};

/// What rules see beyond the device's analysis.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Directory of the approved-device list (attestation paths are
    /// relative to it).
    pub list_dir: &'a Path,
    /// The day expiry is judged on.
    pub today: Date,
    /// Each device's reviews (see [`crate::review::Reviews`]), by device id.
    pub reviews: &'a DeviceReviews,
    /// Trust material of the `unsigned-attestation` rule, when it names
    /// usable material.
    pub trust: Option<&'a crate::sigstore::verify::Options>,
}

/// Each device's reviews, by device id (see [`review::by_device`]).
pub type DeviceReviews = review::ByDevice;

/// One rule's verdict on one device: `None` when it passes, else the message.
pub fn evaluate(
    rule: &RuleConfig,
    device: &DeviceAnalysis,
    entry: Option<&ApprovedDevice>,
    ctx: &Context<'_>,
) -> Option<String> {
    let list_dir = ctx.list_dir;
    match rule {
        // Judged on inventory sources (see `gate::inventory`), not devices.
        RuleConfig::Inventory(_) => None,
        RuleConfig::MaxLayersPerGroup { max } => {
            let max = *max;
            let worst = device
                .concentration
                .groups
                .iter()
                .max_by_key(|g| g.controls.len())?;
            (worst.controls.len() as u64 > max).then(|| {
                let layers: Vec<&str> = worst.controls.iter().map(|l| l.as_str()).collect();
                format!(
                    "{} controls {} layers ({}); the policy allows {max}",
                    worst.name,
                    worst.controls.len(),
                    layers.join(", ")
                )
            })
        }
        RuleConfig::RequiredLayers { layers } => {
            let missing: Vec<&str> = layers
                .iter()
                .filter(|l| device.layer(**l).is_none())
                .map(|l| LayerName::as_str(*l))
                .collect();
            (!missing.is_empty())
                .then(|| format!("the stack declares no {} layer", missing.join(", ")))
        }
        RuleConfig::FullVertical => device
            .flag(FlagCode::FullVertical)
            .map(|f| f.message.clone()),
        RuleConfig::DataPathSingleVendor => device
            .flag(FlagCode::DataPathSingleVendor)
            .map(|f| f.message.clone()),
        RuleConfig::PrivilegedAgent => device
            .flag(FlagCode::PrivilegedAgent)
            .map(|f| f.message.clone()),
        RuleConfig::RestrictedEntity => {
            let hits: Vec<String> = device
                .screening
                .active
                .iter()
                .map(|h| format!("{}, {}", h.hit.summary, h.located))
                .collect();
            (!hits.is_empty()).then(|| hits.join("; "))
        }
        RuleConfig::DpiaRequired => {
            let recorded = entry.and_then(|e| e.dpia.as_deref()).is_some();
            (device.dpia.outcome == Outcome::Required && !recorded).then(|| {
                let met: Vec<&str> = device.dpia.criteria.iter().filter(|c| c.met).map(|c| c.code).collect();
                format!(
                    "DPIA required ({} of 9 WP248 criteria met: {}) and none is recorded for the device",
                    met.len(),
                    met.join(" ")
                )
            })
        }
        RuleConfig::UnsignedAttestation(_) => {
            let Some(att) = entry.and_then(|e| e.attestation.as_deref()) else {
                return Some(
                    "the approved-device list names no attestation for the device".to_string(),
                );
            };
            let path = list_dir.join(att);
            if !path.is_file() {
                return Some(format!("attestation `{att}` does not exist"));
            }
            let bundle = layout::bundle_path(&path);
            if !bundle.is_file() {
                return Some(format!(
                    "attestation `{att}` has no Sigstore bundle (`{}`)",
                    bundle
                        .file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default()
                ));
            }
            let opts = ctx.trust?;
            super::signature::check(&path, &bundle, opts)
                .err()
                .map(|m| format!("attestation `{att}`: {m}"))
        }
        RuleConfig::StaleReview {
            criteria,
            max_age_days,
        } => stale_review(criteria, *max_age_days, device, entry, ctx),
    }
}

/// The fleet as written in a suggested `strata diff` or `strata log`, which
/// find the attestations from the fleet as the gate does: omitted when the
/// approved-device list is in the current directory, or when the
/// attestations are `./attestations` (where they look outside a fleet).
fn fleet_flag(list_dir: &Path, attestation: &Path) -> String {
    let dir = crate::fsutil::normalize_lexically(&layout::attestations_dir_of(attestation));
    let list = crate::fsutil::normalize_lexically(list_dir);
    if dir == Path::new(layout::ATTESTATIONS_DIR)
        || list.as_os_str().is_empty()
        || list == Path::new(".")
    {
        String::new()
    } else {
        format!(" --fleet {}", list.display())
    }
}

fn stale_review(
    required: &[String],
    max_age: Option<u64>,
    device: &DeviceAnalysis,
    entry: Option<&ApprovedDevice>,
    ctx: &Context<'_>,
) -> Option<String> {
    let Some(att) = entry.and_then(|e| e.attestation.as_deref()) else {
        return Some("the approved-device list names no attestation to review".to_string());
    };
    let path = ctx.list_dir.join(att);
    if !path.is_file() {
        return Some(format!(
            "attestation `{att}` does not exist; nothing was reviewed"
        ));
    }
    let digest = match Digest::of_file(&path, crate::validate::MAX_BOM_BYTES) {
        Ok(d) => d,
        Err(e) => return Some(format!("attestation `{att}` cannot be read: {e}")),
    };
    let reviews = ctx
        .reviews
        .get(&device.id)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let st = review::status(reviews, &device.id, &digest, required, ctx.today, max_age);
    if st.ok() {
        return None;
    }
    let mut missing = Vec::new();
    let mut other = Vec::new();
    for (c, s) in st.not_approved() {
        match s {
            CriterionState::Missing => missing.push(c.as_str()),
            CriterionState::Rejected { by, date, note } => other.push(format!(
                "rejected for {c} by {by} on {}{}",
                date.date(),
                note.as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            )),
            CriterionState::Expired { by, on } => {
                other.push(format!("the approval for {c} by {by} expired after {on}"))
            }
            CriterionState::Approved { .. } => {}
        }
    }
    let mut msg = format!("attestation {}", digest.short());
    if !missing.is_empty() {
        msg.push_str(&format!(
            " lacks an approving review for {}",
            missing.join(", ")
        ));
        if !other.is_empty() {
            msg.push(';');
        }
    }
    if !other.is_empty() {
        msg.push_str(&format!(" {}", other.join("; ")));
    }
    let flag = fleet_flag(ctx.list_dir, &path);
    match &st.last_approved {
        Some((d, date)) => msg.push_str(&format!(
            "; last approved {} on {}: see `strata diff {} WORKTREE {}{flag}`",
            d.short(),
            date.date(),
            d.short(),
            device.id
        )),
        None => msg.push_str(&format!(
            "; no earlier attestation of the device was approved: see `strata log {}{flag}`",
            device.id
        )),
    }
    Some(msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Review, Verdict as ReviewVerdict};

    fn digest(n: u8) -> Digest {
        Digest::from_bytes([n; 32])
    }

    fn review(device: &str, digest: Digest, verdict: ReviewVerdict, c: &str, date: &str) -> Review {
        Review {
            device: device.into(),
            digest,
            verdict,
            criteria: vec![c.into()],
            reviewer: format!("{device} {digest} {date}"),
            date: date.parse().unwrap(),
            expires: None,
            note: None,
        }
    }

    #[test]
    fn status_on_a_devices_group_is_status_on_the_whole_file() {
        use ReviewVerdict::{Approve, Reject};
        // Interleaved devices, several digests, and same-date ties whose
        // winner depends on file order.
        let all = vec![
            review("a", digest(1), Approve, "sec", "2026-01-01T00:00:00Z"),
            review("b", digest(1), Approve, "sec", "2026-01-01T00:00:00Z"),
            review("a", digest(1), Reject, "sec", "2026-01-01T00:00:00Z"),
            review("a", digest(2), Approve, "dpo", "2026-02-01T00:00:00Z"),
            review("b", digest(1), Approve, "dpo", "2026-03-01T00:00:00Z"),
            review("a", digest(1), Approve, "dpo", "2026-01-05T00:00:00Z"),
            review("c", digest(9), Approve, "sec", "2026-01-01T00:00:00Z"),
            review("b", digest(2), Approve, "sec", "2026-03-01T00:00:00Z"),
            review("b", digest(2), Approve, "sec", "2026-03-01T00:00:00Z"),
        ];
        let grouped = review::by_device(all.clone());
        assert_eq!(grouped.values().map(Vec::len).sum::<usize>(), all.len());
        let required = vec!["sec".to_string(), "dpo".to_string()];
        let today: Date = "2026-06-01".parse().unwrap();
        for device in ["a", "b", "c", "d"] {
            let mine = grouped.get(device).map(Vec::as_slice).unwrap_or_default();
            assert!(mine.iter().all(|r| r.device == device));
            for digest in [digest(1), digest(2), digest(9)] {
                let st = |reviews: &[Review]| {
                    let s = review::status(reviews, device, &digest, &required, today, Some(90));
                    (s.digest, s.criteria, s.last_approved)
                };
                assert_eq!(st(mine), st(&all), "{device} {digest}");
            }
        }
        // The tie on a × sha256:1 × sec goes to the later entry (reject).
        let st = review::status(&grouped["a"], "a", &digest(1), &required, today, None);
        assert!(matches!(st.criteria[0].1, CriterionState::Rejected { .. }));
    }
}
