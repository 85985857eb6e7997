//! The fleet layout: every file name strata reads or writes in a fleet, and
//! the one rule that says where a device's attestation, its Sigstore bundle
//! and its reviews live. Every command finds them through this module.
//!
//! ```text
//! <fleet>/vendors.yaml            marks the fleet root
//! <fleet>/policy.yaml
//! <fleet>/approved-devices.yaml   names each device's stack and attestation
//! <fleet>/designations.yaml
//! <fleet>/calendar.yaml           regulatory dates the memos cite
//! <fleet>/stacks/<device>.yaml
//! <fleet>/attestations/<device>/bom.cdx.json
//! <fleet>/attestations/<device>/bom.sigstore.json
//! <fleet>/attestations/<device>/reviews.yaml
//! ```
//!
//! The rule: a device's attestation is the file the approved-device list
//! names for it (relative to the list). Its bundle and its reviews sit
//! beside it ([`bundle_path`], [`reviews_path_for`]), and the directory
//! above the device's directory is the *attestations directory* that
//! `strata diff` and `strata log` read ([`attestations_dir_of`]). A fleet
//! whose list names no attestation uses `<fleet>/attestations`.
//!
//! Reviews are kept per device so that a version of a device's reviews
//! file holds that device's entries only: a history of many reviews then
//! costs `strata log` the versions of one small file, not of one file that
//! grows with the whole fleet. Fleets written before this layout keep all
//! reviews in `<attestations dir>/reviews.yaml` ([`legacy_reviews_path_for`]);
//! strata still reads that file (its entries count with the device's own)
//! and `strata review migrate` moves them into the device files.

use std::path::{Path, PathBuf};

/// The vendors file; its presence marks a fleet root.
pub const VENDORS_FILE: &str = "vendors.yaml";
/// The gate policy.
pub const POLICY_FILE: &str = "policy.yaml";
/// The approved-device list.
pub const APPROVED_FILE: &str = "approved-devices.yaml";
/// The restricted and designation lists.
pub const DESIGNATIONS_FILE: &str = "designations.yaml";
/// The device catalog: what MDM and fleet systems report → stacks, vendors.
pub const CATALOG_FILE: &str = "catalog.yaml";
/// The regulatory calendar: dates and adequacy decisions the memos cite.
pub const CALENDAR_FILE: &str = "calendar.yaml";
/// The directory of stack manifests.
pub const STACKS_DIR: &str = "stacks";
/// The default attestations directory.
pub const ATTESTATIONS_DIR: &str = "attestations";
/// A device's reviews file, in its device directory (and the shared
/// reviews file of the earlier layout, in the attestations directory).
pub const REVIEWS_FILE: &str = "reviews.yaml";
/// An attestation in a device directory.
pub const BOM_FILE: &str = "bom.cdx.json";
/// Its Sigstore bundle.
pub const BUNDLE_FILE: &str = "bom.sigstore.json";
/// A device's CycloneDX 1.6 declarations (CDXA), beside its BOM.
pub const DECLARATIONS_FILE: &str = "declarations.cdx.json";
/// The Sigstore bundle of a device's declarations.
pub const DECLARATIONS_BUNDLE_FILE: &str = "declarations.sigstore.json";
/// The suffix of every Sigstore bundle strata writes or looks for.
pub const BUNDLE_SUFFIX: &str = ".sigstore.json";

/// `<root>/vendors.yaml`.
pub fn vendors(root: &Path) -> PathBuf {
    root.join(VENDORS_FILE)
}

/// `<root>/policy.yaml`.
pub fn policy(root: &Path) -> PathBuf {
    root.join(POLICY_FILE)
}

/// `<root>/approved-devices.yaml`.
pub fn approved_devices(root: &Path) -> PathBuf {
    root.join(APPROVED_FILE)
}

/// `<root>/designations.yaml`.
pub fn designations(root: &Path) -> PathBuf {
    root.join(DESIGNATIONS_FILE)
}

/// `<root>/catalog.yaml`.
pub fn catalog(root: &Path) -> PathBuf {
    root.join(CATALOG_FILE)
}

/// `<root>/calendar.yaml`.
pub fn calendar(root: &Path) -> PathBuf {
    root.join(CALENDAR_FILE)
}

/// `<root>/stacks`.
pub fn stacks(root: &Path) -> PathBuf {
    root.join(STACKS_DIR)
}

/// `<root>/attestations`, the attestations directory of a fleet whose list
/// names none.
pub fn default_attestations(root: &Path) -> PathBuf {
    root.join(ATTESTATIONS_DIR)
}

/// The Sigstore bundle of a file, beside it: `X.cdx.json` →
/// `X.sigstore.json` (so `bom.cdx.json` → `bom.sigstore.json`); any other
/// name gets `.sigstore.json` appended (cosign's convention).
pub fn bundle_path(file: &Path) -> PathBuf {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let out = match name.strip_suffix(".cdx.json") {
        Some(stem) if !stem.is_empty() => format!("{stem}{BUNDLE_SUFFIX}"),
        _ => format!("{name}{BUNDLE_SUFFIX}"),
    };
    file.with_file_name(out)
}

/// The directory above an attestation's device directory, when the path
/// has one.
fn above_device(attestation: &Path) -> Option<&Path> {
    attestation
        .parent()
        .unwrap_or(Path::new("."))
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
}

/// The attestations directory of an attestation at
/// `<dir>/<device>/bom.cdx.json`: `<dir>` (`.` when the path has no such
/// parent).
pub fn attestations_dir_of(attestation: &Path) -> PathBuf {
    above_device(attestation).map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The reviews file of an attestation at `<dir>/<device>/bom.cdx.json`:
/// `<dir>/<device>/reviews.yaml`, beside it.
pub fn reviews_path_for(attestation: &Path) -> PathBuf {
    attestation.with_file_name(REVIEWS_FILE)
}

/// The shared reviews file of the earlier layout for an attestation at
/// `<dir>/<device>/bom.cdx.json`: `<dir>/reviews.yaml`, read beside the
/// device's own file until `strata review migrate` empties it.
pub fn legacy_reviews_path_for(attestation: &Path) -> PathBuf {
    above_device(attestation).map_or_else(|| PathBuf::from(REVIEWS_FILE), |p| p.join(REVIEWS_FILE))
}

/// The attestations directory of a fleet, from the attestation paths its
/// approved-device list names (already joined to the list's directory):
/// the one directory they share, `<root>/attestations` when there are none,
/// or `Err` with every distinct directory when they disagree.
pub fn attestations_dir<I>(root: &Path, attestations: I) -> Result<PathBuf, Vec<PathBuf>>
where
    I: IntoIterator<Item = PathBuf>,
{
    let mut dirs: Vec<PathBuf> = attestations
        .into_iter()
        .map(|a| crate::fsutil::normalize_lexically(&attestations_dir_of(&a)))
        .map(|d| {
            if d.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                d
            }
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    match dirs.len() {
        0 => Ok(default_attestations(root)),
        1 => Ok(dirs.remove(0)),
        _ => Err(dirs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_sit_beside_attestations() {
        assert_eq!(
            bundle_path(Path::new("attestations/x/bom.cdx.json")),
            Path::new("attestations/x/bom.sigstore.json")
        );
        assert_eq!(
            bundle_path(Path::new("a/notes.txt")),
            Path::new("a/notes.txt.sigstore.json")
        );
        assert_eq!(
            bundle_path(Path::new(".cdx.json")),
            Path::new(".cdx.json.sigstore.json")
        );
    }

    #[test]
    fn reviews_live_beside_the_attestation() {
        let att = Path::new("fleet/../attestations/pixel/bom.cdx.json");
        assert_eq!(
            reviews_path_for(att),
            Path::new("fleet/../attestations/pixel/reviews.yaml")
        );
        assert_eq!(
            legacy_reviews_path_for(att),
            Path::new("fleet/../attestations/reviews.yaml")
        );
        assert_eq!(attestations_dir_of(att), Path::new("fleet/../attestations"));
        assert_eq!(
            reviews_path_for(Path::new("pixel/bom.cdx.json")),
            Path::new("pixel/reviews.yaml")
        );
        assert_eq!(
            legacy_reviews_path_for(Path::new("pixel/bom.cdx.json")),
            Path::new("reviews.yaml")
        );
        assert_eq!(
            attestations_dir_of(Path::new("bom.cdx.json")),
            Path::new(".")
        );
    }

    #[test]
    fn a_fleet_has_one_attestations_directory() {
        let root = Path::new("fleet");
        assert_eq!(
            attestations_dir(root, Vec::new()).unwrap(),
            Path::new("fleet/attestations")
        );
        let list = vec![
            PathBuf::from("fleet/../attestations/a/bom.cdx.json"),
            PathBuf::from("attestations/b/bom.cdx.json"),
        ];
        assert_eq!(
            attestations_dir(root, list).unwrap(),
            Path::new("attestations")
        );
        let split = vec![
            PathBuf::from("x/a/bom.cdx.json"),
            PathBuf::from("y/b/bom.cdx.json"),
        ];
        assert_eq!(
            attestations_dir(root, split).unwrap_err(),
            vec![PathBuf::from("x"), PathBuf::from("y")]
        );
    }
}
