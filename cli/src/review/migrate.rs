//! `strata review migrate`: move the entries of the shared reviews file of
//! the earlier layout (`attestations/reviews.yaml`) into each device's own
//! file (`attestations/<device>/reviews.yaml`, see [`crate::layout`]).
//!
//! Every entry lands beside the attestation the approved-device list names
//! for its device; an entry of a device the list no longer names lands in
//! `<attestations dir>/<device>/reviews.yaml`, where history would find it.
//! The move is safe to interrupt and to repeat: the shared file is locked
//! throughout, each device file is appended to under its own lock with the
//! entries it does not hold yet, and the shared file is removed only after
//! every device file was written. An interrupted run leaves entries in both
//! places, which reads the same (a review counts once whatever file holds
//! it) and which the next run completes. Comments in the shared file are
//! not carried over.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{load_reviews, store};
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::layout;
use crate::model::{self, ApprovedDevices, FileKind, Review};

/// What a migration did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Migration {
    /// The shared files read (and removed).
    pub removed: Vec<PathBuf>,
    /// Each device file written, with the entries appended to it and the
    /// entries it already held.
    pub written: Vec<Moved>,
}

/// One device file a migration wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    /// The device.
    pub device: String,
    /// Its reviews file.
    pub path: PathBuf,
    /// Entries appended.
    pub appended: usize,
    /// Entries it held already (an earlier, interrupted run).
    pub present: usize,
}

/// Move every entry of the fleet's shared reviews files into the device
/// files. Nothing to move is not an error (the result is empty).
pub fn migrate(fleet_root: &Path) -> Result<Migration> {
    let list_path = layout::approved_devices(fleet_root);
    let list = model::load::<ApprovedDevices>(&list_path, FileKind::ApprovedDevices)?.value;
    let list_dir = list_path.parent().unwrap_or(Path::new("."));
    // Each device's attestation, and every shared file the list implies.
    let mut attestation: BTreeMap<&str, PathBuf> = BTreeMap::new();
    let mut shared: Vec<PathBuf> =
        vec![layout::default_attestations(fleet_root).join(layout::REVIEWS_FILE)];
    for d in &list.devices {
        if let Some(att) = &d.attestation {
            let path = crate::fsutil::normalize_lexically(&list_dir.join(att));
            shared.push(layout::legacy_reviews_path_for(&path));
            attestation.insert(d.id.as_str(), path);
        }
    }
    shared.sort();
    shared.dedup();
    let mut out = Migration::default();
    for file in shared {
        if !file.exists() {
            continue;
        }
        let _lock = store::Lock::acquire(&file, store::LOCK_TIMEOUT)?;
        let Some(loaded) = load_reviews(&file)? else {
            continue;
        };
        let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
        let mut by_device: BTreeMap<String, Vec<Review>> = BTreeMap::new();
        for r in loaded.value.reviews {
            by_device.entry(r.device.clone()).or_default().push(r);
        }
        // Every target first, so that a bad entry stops the run before
        // anything is written.
        let mut targets = Vec::with_capacity(by_device.len());
        for device in by_device.keys() {
            targets.push(match attestation.get(device.as_str()) {
                Some(att) if layout::legacy_reviews_path_for(att) == file => {
                    layout::reviews_path_for(att)
                }
                _ => dir
                    .join(safe_dir_name(device, &file)?)
                    .join(layout::REVIEWS_FILE),
            });
        }
        for ((device, entries), target) in by_device.iter().zip(targets) {
            let appended = store::commit_new(&target, entries)?;
            out.written.push(Moved {
                device: device.clone(),
                path: target,
                appended,
                present: entries.len() - appended,
            });
        }
        std::fs::remove_file(&file).map_err(|e| Error::io(&file, e))?;
        out.removed.push(file);
    }
    Ok(out)
}

/// `device` as one directory name, refused when it is not one (a path
/// separator, `.` or `..`, a control character): an entry's device id must
/// not steer where strata writes.
fn safe_dir_name<'d>(device: &'d str, file: &Path) -> Result<&'d str> {
    let bad = device.is_empty()
        || device == "."
        || device == ".."
        || device
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control());
    if bad {
        return Err(Error::invalid(
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "a review names the device `{}`, which cannot be a directory name",
                    crate::escape::terminal(device)
                ),
            )
            .in_file(file)
            .help("correct or remove the entry, then run `strata review migrate` again"),
        ));
    }
    Ok(device)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_ids_that_are_not_one_directory_name_are_refused() {
        let f = Path::new("reviews.yaml");
        for bad in ["", ".", "..", "a/b", "..\\x", "a\nb"] {
            assert!(safe_dir_name(bad, f).is_err(), "{bad:?}");
        }
        for good in ["pixel-9-pro", "a.b", "x_1"] {
            assert_eq!(safe_dir_name(good, f).ok(), Some(good));
        }
    }
}
