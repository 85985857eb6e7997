//! The fleet layout: every file name strata reads or writes in a fleet, and
//! the one rule that says where a device's attestation, its Sigstore bundle
//! and its reviews live. Every command finds them through this module.
//!
//! ```text
//! <fleet>/vendors.yaml            marks the fleet root
//! <fleet>/policy.yaml
//! <fleet>/approved-devices.yaml   names each device's stack and attestation
//! <fleet>/designations.yaml
//! <fleet>/stacks/<device>.yaml
//! <fleet>/attestations/<device>/bom.cdx.json
//! <fleet>/attestations/<device>/bom.sigstore.json
//! <fleet>/attestations/reviews.yaml
//! ```
//!
//! The rule: a device's attestation is the file the approved-device list
//! names for it (relative to the list). Its bundle sits beside it
//! ([`bundle_path`]), and the directory above the device's directory is the
//! *attestations directory* that holds `reviews.yaml` ([`reviews_path_for`])
//! and that `strata diff` and `strata log` read ([`attestations_dir_of`]).
//! A fleet whose list names no attestation uses `<fleet>/attestations`.

use std::path::{Path, PathBuf};

/// The vendors file; its presence marks a fleet root.
pub const VENDORS_FILE: &str = "vendors.yaml";
/// The gate policy.
pub const POLICY_FILE: &str = "policy.yaml";
/// The approved-device list.
pub const APPROVED_FILE: &str = "approved-devices.yaml";
/// The restricted and designation lists.
pub const DESIGNATIONS_FILE: &str = "designations.yaml";
/// The directory of stack manifests.
pub const STACKS_DIR: &str = "stacks";
/// The default attestations directory.
pub const ATTESTATIONS_DIR: &str = "attestations";
/// The reviews file in an attestations directory.
pub const REVIEWS_FILE: &str = "reviews.yaml";
/// An attestation in a device directory.
pub const BOM_FILE: &str = "bom.cdx.json";
/// Its Sigstore bundle.
pub const BUNDLE_FILE: &str = "bom.sigstore.json";
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

/// `<root>/stacks`.
pub fn stacks(root: &Path) -> PathBuf {
    root.join(STACKS_DIR)
}

/// `<root>/attestations`, the attestations directory of a fleet whose list
/// names none.
pub fn default_attestations(root: &Path) -> PathBuf {
    root.join(ATTESTATIONS_DIR)
}

/// The Sigstore bundle of an attestation: `bom.cdx.json` →
/// `bom.sigstore.json`; any other name gets `.sigstore.json` appended.
pub fn bundle_path(attestation: &Path) -> PathBuf {
    let name = file_name(attestation);
    let stem = name.strip_suffix(".cdx.json").unwrap_or(&name);
    attestation.with_file_name(format!("{stem}{BUNDLE_SUFFIX}"))
}

/// The attestations directory of an attestation at
/// `<dir>/<device>/bom.cdx.json`: `<dir>` (`.` when the path has no such
/// parent).
pub fn attestations_dir_of(attestation: &Path) -> PathBuf {
    let device_dir = attestation.parent().unwrap_or(Path::new("."));
    match device_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The reviews file of an attestation at `<dir>/<device>/bom.cdx.json`:
/// `<dir>/reviews.yaml`.
pub fn reviews_path_for(attestation: &Path) -> PathBuf {
    let device_dir = attestation.parent().unwrap_or(Path::new("."));
    match device_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join(REVIEWS_FILE),
        _ => PathBuf::from(REVIEWS_FILE),
    }
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

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
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
    }

    #[test]
    fn reviews_live_above_the_device_directory() {
        let att = Path::new("fleet/../attestations/pixel/bom.cdx.json");
        assert_eq!(
            reviews_path_for(att),
            Path::new("fleet/../attestations/reviews.yaml")
        );
        assert_eq!(attestations_dir_of(att), Path::new("fleet/../attestations"));
        assert_eq!(
            reviews_path_for(Path::new("pixel/bom.cdx.json")),
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
