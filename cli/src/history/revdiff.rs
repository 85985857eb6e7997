//! `strata diff REV_A REV_B [DEVICE]`: what changed in the attestations (and
//! their reviews) between two revisions.
//!
//! Devices are compared by git blob id first, so unchanged attestations are
//! never read; changed ones are parsed and compared semantically (see
//! [`super::diff::compare`]), and so are changed declarations documents
//! ([`super::declarations::compare`]). A changed file with no semantic difference is
//! reported as such rather than hidden.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::bom::Summary;
use super::diff::{Change, compare};
use super::{
    BomRead, DeviceFiles, FileAt, History, Rev, declarations, parse_reviews_lenient, reviews,
};
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::model::Review;

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The revision as given.
    pub rev: String,
    /// The commit it resolved to; absent for the working tree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// What happened to a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Only in the second revision.
    Added,
    /// Only in the first.
    Removed,
    /// Its attestation, bundle or declarations bytes differ.
    Changed,
    /// Same files; listed only when its reviews changed.
    Unchanged,
}

/// One device's difference.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceDiff {
    /// Device id.
    pub device: String,
    /// What happened.
    pub status: Status,
    /// Attestation digest at the first revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_digest: Option<String>,
    /// Attestation digest at the second revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_digest: Option<String>,
    /// Semantic changes (for an added device: everything it declares).
    pub changes: Vec<Change>,
    /// Review entries present only at the second revision.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reviews_added: Vec<Review>,
    /// Review entries present only at the first revision.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reviews_removed: Vec<Review>,
}

/// Totals.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Totals {
    /// Devices added.
    pub added: usize,
    /// Devices removed.
    pub removed: usize,
    /// Devices changed.
    pub changed: usize,
    /// Devices with identical files.
    pub unchanged: usize,
}

/// The difference between two revisions.
#[derive(Debug, Clone, Serialize)]
pub struct RevDiff {
    /// First revision.
    pub from: Side,
    /// Second revision.
    pub to: Side,
    /// The attestations directory compared.
    pub directory: String,
    /// Devices that differ, by id.
    pub devices: Vec<DeviceDiff>,
    /// Totals.
    pub totals: Totals,
}

fn side(spec: &str, rev: &Rev) -> Side {
    Side {
        rev: spec.to_string(),
        commit: match rev {
            Rev::Commit(oid) => Some(oid.to_string()),
            Rev::Worktree => None,
        },
    }
}

fn read_signer(h: &History, f: Option<&FileAt>) -> Result<Option<String>> {
    f.map(|f| h.signer(f)).transpose()
}

/// Compare two device states (either may be absent).
pub(crate) fn compare_files(
    h: &History,
    a: Option<&DeviceFiles>,
    b: Option<&DeviceFiles>,
) -> Result<(Option<String>, Option<String>, Vec<Change>)> {
    let ra = a
        .and_then(|f| f.bom.as_ref())
        .map(|f| h.bom(f))
        .transpose()?;
    let rb = b
        .and_then(|f| f.bom.as_ref())
        .map(|f| h.bom(f))
        .transpose()?;
    let mut changes = Vec::new();
    let empty = Summary::default();
    let sa = match ra.as_deref() {
        Some(BomRead { summary: Ok(s), .. }) => Some(s),
        Some(BomRead {
            summary: Err(e), ..
        }) => {
            changes.push(Change::Unreadable {
                side: "from".into(),
                error: e.clone(),
            });
            None
        }
        None => None,
    };
    let sb = match rb.as_deref() {
        Some(BomRead { summary: Ok(s), .. }) => Some(s),
        Some(BomRead {
            summary: Err(e), ..
        }) => {
            changes.push(Change::Unreadable {
                side: "to".into(),
                error: e.clone(),
            });
            None
        }
        None => None,
    };
    if sa.is_some() || sb.is_some() {
        changes.extend(compare(sa.unwrap_or(&empty), sb.unwrap_or(&empty)));
    }
    let ba = a.and_then(|f| f.bundle.as_ref());
    let bb = b.and_then(|f| f.bundle.as_ref());
    if ba.map(|f| f.oid) != bb.map(|f| f.oid) {
        let (from, to) = (read_signer(h, ba)?, read_signer(h, bb)?);
        if from != to {
            changes.push(Change::Signer { from, to });
        }
    }
    Ok((
        ra.map(|r| r.digest.clone()),
        rb.map(|r| r.digest.clone()),
        changes,
    ))
}

/// The changes between two versions of a device's declarations document
/// (either side, or its document, may be absent; the same blob: none).
pub(crate) fn compare_declarations(
    h: &History,
    a: Option<&DeviceFiles>,
    b: Option<&DeviceFiles>,
) -> Result<Vec<Change>> {
    let fa = a.and_then(|f| f.declarations.as_ref());
    let fb = b.and_then(|f| f.declarations.as_ref());
    if fa.map(|f| f.oid) == fb.map(|f| f.oid) {
        return Ok(Vec::new());
    }
    let ra = fa.map(|f| h.declarations(f)).transpose()?;
    let rb = fb.map(|f| h.declarations(f)).transpose()?;
    Ok(declarations::compare(ra.as_deref(), rb.as_deref()))
}

/// Compare the attestations at `spec_a` and `spec_b`, for every device or
/// only `device`.
pub fn rev_diff(h: &History, spec_a: &str, spec_b: &str, device: Option<&str>) -> Result<RevDiff> {
    let ra = h.resolve(spec_a, device)?;
    let rb = h.resolve(spec_b, device)?;
    let da = h.devices(&ra, device)?;
    let db = h.devices(&rb, device)?;
    if let Some(d) = device
        && !da.contains_key(d)
        && !db.contains_key(d)
    {
        let mut known: BTreeSet<String> = h.devices(&ra, None)?.into_keys().collect();
        known.extend(h.devices(&rb, None)?.into_keys());
        let known: Vec<String> = known.into_iter().collect();
        let mut diag = Diagnostic::error(
            Code::UnknownDevice,
            format!(
                "device `{d}` has no attestation under `{}` at {spec_a} or {spec_b}",
                h.dir
            ),
        );
        diag = match crate::model::suggest(d, &known) {
            Some(s) => diag.help(format!("did you mean `{s}`?")),
            None => diag.help(format!(
                "devices: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )),
        };
        return Err(Error::invalid(diag));
    }
    let review_delta = ReviewDelta::between(h, &ra, &rb)?;
    let ids: BTreeSet<&String> = da.keys().chain(db.keys()).collect();
    let mut totals = Totals::default();
    let mut devices = Vec::new();
    for id in ids {
        let (a, b) = (da.get(id), db.get(id));
        let same = |x: &DeviceFiles, y: &DeviceFiles| {
            let oid = |f: &Option<FileAt>| f.as_ref().map(|f| f.oid);
            oid(&x.bom) == oid(&y.bom)
                && oid(&x.bundle) == oid(&y.bundle)
                && oid(&x.declarations) == oid(&y.declarations)
        };
        // A directory holding only reviews (of a device whose attestation
        // is gone) is no device: only its reviews can show.
        let (a, b) = (a.filter(|f| f.attested()), b.filter(|f| f.attested()));
        let status = match (a, b) {
            (None, Some(_)) => Status::Added,
            (Some(_), None) => Status::Removed,
            (Some(x), Some(y)) if same(x, y) => Status::Unchanged,
            (None, None) => Status::Unchanged,
            _ => Status::Changed,
        };
        let (added, removed) =
            device_review_delta(h, review_delta.of(id), id, da.get(id), db.get(id))?;
        match (status, a.or(b).is_some()) {
            (_, false) => {}
            (Status::Added, _) => totals.added += 1,
            (Status::Removed, _) => totals.removed += 1,
            (Status::Changed, _) => totals.changed += 1,
            (Status::Unchanged, _) => totals.unchanged += 1,
        }
        if status == Status::Unchanged && added.is_empty() && removed.is_empty() {
            continue;
        }
        let (from_digest, to_digest, changes) = match status {
            Status::Unchanged => {
                let d = a
                    .and_then(|f| f.bom.as_ref())
                    .map(|f| h.digest(f).map(|d| d.to_string()))
                    .transpose()?;
                (d.clone(), d, Vec::new())
            }
            Status::Removed => {
                let (d, _, _) = compare_files(h, a, None)?;
                (d, None, Vec::new())
            }
            Status::Added => {
                // What the new device declares; its identity is the heading.
                let (_, d, mut changes) = compare_files(h, None, b)?;
                changes.retain(|c| !matches!(c, Change::Device { .. }));
                changes.extend(compare_declarations(h, None, b)?);
                (None, d, changes)
            }
            Status::Changed => {
                let (from, to, mut changes) = compare_files(h, a, b)?;
                changes.extend(compare_declarations(h, a, b)?);
                (from, to, changes)
            }
        };
        devices.push(DeviceDiff {
            device: id.clone(),
            status,
            from_digest,
            to_digest,
            changes,
            reviews_added: added,
            reviews_removed: removed,
        });
    }
    Ok(RevDiff {
        from: side(spec_a, &ra),
        to: side(spec_b, &rb),
        directory: h.dir.clone(),
        devices,
        totals,
    })
}

/// The device's review entries added and removed: `shared`, those of the
/// shared reviews file, with the differences of its own reviews file; an
/// entry that moved from one file to the other (`strata review migrate`)
/// is neither.
fn device_review_delta(
    h: &History,
    shared: (Vec<Review>, Vec<Review>),
    device: &str,
    a: Option<&DeviceFiles>,
    b: Option<&DeviceFiles>,
) -> Result<(Vec<Review>, Vec<Review>)> {
    let (fa, fb) = (
        a.and_then(|f| f.reviews.as_ref()),
        b.and_then(|f| f.reviews.as_ref()),
    );
    let (mut added, mut removed) = shared;
    if fa.map(|f| f.oid) != fb.map(|f| f.oid) {
        let entries = |f: Option<&FileAt>| -> Result<Vec<Review>> {
            Ok(match f {
                Some(f) => parse_reviews_lenient(&String::from_utf8_lossy(&h.read(f)?)),
                None => Vec::new(),
            })
        };
        let (own_added, own_removed) = review_changes(&entries(fa)?, &entries(fb)?, device);
        added.extend(own_added);
        removed.extend(own_removed);
    }
    let moved: Vec<Review> = added
        .iter()
        .filter(|r| removed.contains(r))
        .cloned()
        .collect();
    added.retain(|r| !moved.contains(r));
    removed.retain(|r| !moved.contains(r));
    Ok((added, removed))
}

/// Review entries added and removed, by device.
type ByDevice = HashMap<String, (Vec<Review>, Vec<Review>)>;

/// The review entries added and removed between two revisions.
enum ReviewDelta {
    /// Every entry at each side (the files were parsed whole).
    Whole(Vec<Review>, Vec<Review>),
    /// Added and removed entries by device (only the entries that differ
    /// were parsed); devices absent had none.
    ByDevice(ByDevice),
}

impl ReviewDelta {
    fn between(h: &History, a: &Rev, b: &Rev) -> Result<ReviewDelta> {
        let (fa, fb) = (h.reviews_file(a)?, h.reviews_file(b)?);
        if fa.as_ref().map(|f| f.oid) == fb.as_ref().map(|f| f.oid) {
            return Ok(ReviewDelta::ByDevice(HashMap::new()));
        }
        let read = |f: Option<FileAt>| -> Result<Vec<u8>> {
            Ok(f.map(|f| h.read(&f)).transpose()?.unwrap_or_default())
        };
        let (a, b) = (read(fa)?, read(fb)?);
        if let Some(d) = by_device(&a, &b) {
            return Ok(ReviewDelta::ByDevice(d));
        }
        let parse = |t: &[u8]| parse_reviews_lenient(&String::from_utf8_lossy(t));
        Ok(ReviewDelta::Whole(parse(&a), parse(&b)))
    }

    /// Entries of `device` added and removed.
    fn of(&self, device: &str) -> (Vec<Review>, Vec<Review>) {
        match self {
            ReviewDelta::Whole(a, b) => review_changes(a, b, device),
            ReviewDelta::ByDevice(d) => d.get(device).cloned().unwrap_or_default(),
        }
    }
}

/// Added and removed entries by device between two reviews files in the
/// canonical layout, parsing only the entries of devices whose entries
/// differ as text (equal text reads equal). `None` when a file does not
/// have that layout or such an entry does not read alone.
fn by_device(a: &[u8], b: &[u8]) -> Option<ByDevice> {
    fn group(blocks: Vec<reviews::Block<'_>>) -> BTreeMap<&str, Vec<reviews::Block<'_>>> {
        let mut g: BTreeMap<&str, Vec<reviews::Block<'_>>> = BTreeMap::new();
        for block in blocks {
            g.entry(block.device).or_default().push(block);
        }
        g
    }
    fn texts<'t>(x: &[reviews::Block<'t>]) -> HashSet<&'t [u8]> {
        x.iter().map(|b| b.text).collect()
    }
    let (ga, gb) = (group(reviews::split(a)?), group(reviews::split(b)?));
    let none = Vec::new();
    let mut out = HashMap::new();
    for device in ga.keys().chain(gb.keys()).collect::<BTreeSet<_>>() {
        let (xa, xb) = (
            ga.get(device).unwrap_or(&none),
            gb.get(device).unwrap_or(&none),
        );
        if texts(xa) == texts(xb) {
            continue;
        }
        let parse =
            |x: &[reviews::Block<'_>]| x.iter().map(|b| b.parse()).collect::<Option<Vec<_>>>();
        let (pa, pb) = (parse(xa)?, parse(xb)?);
        let added: Vec<Review> = pb.iter().filter(|r| !pa.contains(r)).cloned().collect();
        let removed: Vec<Review> = pa.iter().filter(|r| !pb.contains(r)).cloned().collect();
        if !added.is_empty() || !removed.is_empty() {
            out.insert((*device).to_string(), (added, removed));
        }
    }
    Some(out)
}

fn review_changes(a: &[Review], b: &[Review], device: &str) -> (Vec<Review>, Vec<Review>) {
    let added = b
        .iter()
        .filter(|r| r.device == device && !a.contains(r))
        .cloned()
        .collect();
    let removed = a
        .iter()
        .filter(|r| r.device == device && !b.contains(r))
        .cloned()
        .collect();
    (added, removed)
}

/// One line describing a review entry, its note cut to `max_note`
/// characters (with `…`).
pub fn review_line(r: &Review, max_note: usize) -> String {
    let mut s = format!(
        "{} {} ({}) by {} on {}",
        r.verdict.as_str(),
        r.criteria.join(", "),
        r.digest.short(),
        r.reviewer,
        r.date.date()
    );
    if let Some(e) = &r.expires {
        s.push_str(&format!(", until {e}"));
    }
    if let Some(n) = &r.note {
        let cut: String = n.chars().take(max_note).collect();
        let more = if cut.len() < n.len() { "…" } else { "" };
        s.push_str(&format!(": {cut}{more}"));
    }
    s
}

/// The human rendering.
pub fn render_human(d: &RevDiff, h: &History) -> String {
    let name = |s: &Side| match &s.commit {
        Some(c) => {
            let short = git2::Oid::from_str(c)
                .map(|o| h.short_id(o))
                .unwrap_or_else(|_| c.clone());
            if short == s.rev || c.starts_with(&s.rev) {
                short
            } else {
                format!("{} ({short})", s.rev)
            }
        }
        None => "the working tree".to_string(),
    };
    let mut out = format!(
        "strata diff {} → {}  [{}/]\n",
        name(&d.from),
        name(&d.to),
        if d.directory.is_empty() {
            "."
        } else {
            &d.directory
        }
    );
    let short = |x: &Option<String>| x.as_deref().map(crate::digest::short).unwrap_or_default();
    for dev in &d.devices {
        out.push('\n');
        match dev.status {
            Status::Added => out.push_str(&format!(
                "{}  added  {}\n",
                dev.device,
                short(&dev.to_digest)
            )),
            Status::Removed => out.push_str(&format!(
                "{}  removed  (was {})\n",
                dev.device,
                short(&dev.from_digest)
            )),
            // Only the bundle or the declarations changed.
            Status::Changed if dev.from_digest == dev.to_digest => out.push_str(&format!(
                "{}  {} (attestation unchanged)\n",
                dev.device,
                short(&dev.to_digest)
            )),
            Status::Changed => out.push_str(&format!(
                "{}  {} → {}\n",
                dev.device,
                short(&dev.from_digest),
                short(&dev.to_digest)
            )),
            Status::Unchanged => out.push_str(&format!(
                "{}  unchanged  {}\n",
                dev.device,
                short(&dev.to_digest)
            )),
        }
        if dev.status == Status::Changed && dev.changes.is_empty() {
            out.push_str("  (the bytes differ but nothing strata compares changed)\n");
        }
        for c in &dev.changes {
            out.push_str(&format!("  {:<9} {}\n", c.label(), c.describe()));
        }
        for r in &dev.reviews_added {
            out.push_str(&format!(
                "  {:<9} + {}\n",
                "review",
                review_line(r, usize::MAX)
            ));
        }
        for r in &dev.reviews_removed {
            out.push_str(&format!(
                "  {:<9} - {}\n",
                "review",
                review_line(r, usize::MAX)
            ));
        }
    }
    let t = &d.totals;
    out.push_str(&format!(
        "\n{} changed, {} added, {} removed, {} unchanged\n",
        t.changed, t.added, t.removed, t.unchanged
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(device: &str, digest: char, criteria: &str) -> String {
        format!(
            "  - device: {device}\n    digest: sha256:{}\n    verdict: approve\n    criteria: {criteria}\n    reviewer: R <r@example.org>\n    date: \"2026-11-03T09:00:00Z\"\n",
            digest.to_string().repeat(64)
        )
    }

    fn file(entries: &[String]) -> Vec<u8> {
        format!("version: 1\nreviews:\n{}", entries.join("\n")).into_bytes()
    }

    #[test]
    fn only_devices_whose_entries_differ_are_compared() {
        let car = entry("car", 'a', "[x]");
        let phone = entry("phone", 'b', "[x]");
        let a = file(&[car.clone(), phone.clone()]);
        let b = file(&[car.clone(), phone.clone(), entry("phone", 'c', "[y]")]);
        let d = by_device(&a, &b).unwrap();
        assert_eq!(d.keys().collect::<Vec<_>>(), ["phone"]);
        let (added, removed) = &d["phone"];
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].criteria, ["y"]);
        assert!(removed.is_empty());
        // The other way round: removed.
        let (added, removed) = &by_device(&b, &a).unwrap()["phone"];
        assert!(added.is_empty());
        assert_eq!(removed.len(), 1);
        // Written differently, read the same: no change.
        let block_list = entry("car", 'a', "\n      - x");
        assert_ne!(block_list, car);
        let c = file(&[block_list, phone]);
        assert!(by_device(&a, &c).unwrap().is_empty());
        // The same result as parsing both files whole, for every device.
        let (wa, wb) = (
            parse_reviews_lenient(&String::from_utf8_lossy(&a)),
            parse_reviews_lenient(&String::from_utf8_lossy(&b)),
        );
        for device in ["car", "phone"] {
            let whole = review_changes(&wa, &wb, device);
            let split = by_device(&a, &b)
                .unwrap()
                .get(device)
                .cloned()
                .unwrap_or_default();
            assert_eq!(whole, split, "{device}");
        }
    }

    #[test]
    fn other_layouts_are_parsed_whole() {
        let flow = b"version: 1\nreviews:\n- {device: car}\n";
        let canonical = file(&[entry("car", 'a', "[x]")]);
        assert!(by_device(flow, &canonical).is_none());
        assert!(by_device(&canonical, flow).is_none());
        // An entry that does not read alone (unknown key) in a device that
        // changed.
        let odd = file(&[entry("car", 'a', "[x]") + "    extra: 1\n"]);
        assert!(by_device(&canonical, &odd).is_none());
    }
}
