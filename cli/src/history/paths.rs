//! The blob ids of one device's files at many commits.
//!
//! Walking a long history asks for the same five paths (the device's
//! attestation, bundle, declarations and reviews file, and the shared
//! reviews file of the earlier layout) at every commit. Most commits
//! change little, so the answer is kept by tree id at each level: a commit
//! whose attestations directory has a tree id seen before costs one lookup,
//! and a device directory seen before is not read again. Only trees never
//! seen are read from git.

use std::collections::HashMap;
use std::path::Path;

use git2::{Commit, ObjectType, Oid, Tree};

use super::{History, git_err};
use crate::diag::Result;
use crate::layout::{BOM_FILE, BUNDLE_FILE, DECLARATIONS_FILE, REVIEWS_FILE};

/// The blob ids of a device's files at one commit (absent: no such file).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Ids {
    /// `<dir>/<device>/bom.cdx.json`.
    pub(crate) bom: Option<Oid>,
    /// `<dir>/<device>/bom.sigstore.json`.
    pub(crate) bundle: Option<Oid>,
    /// `<dir>/<device>/declarations.cdx.json`.
    pub(crate) declarations: Option<Oid>,
    /// `<dir>/<device>/reviews.yaml`.
    pub(crate) reviews: Option<Oid>,
    /// `<dir>/reviews.yaml`, the shared file of the earlier layout.
    pub(crate) shared_reviews: Option<Oid>,
}

/// The blob ids of a device directory's attestation, bundle, declarations
/// and reviews.
type DeviceIds = (Option<Oid>, Option<Oid>, Option<Oid>, Option<Oid>);

/// Finds [`Ids`] for one device at any commit, remembering every tree.
pub(crate) struct DevicePaths<'h> {
    h: &'h History,
    device: String,
    by_commit: HashMap<Oid, Ids>,
    /// By root tree id.
    by_root: HashMap<Oid, Ids>,
    /// By attestations-directory tree id.
    by_dir: HashMap<Oid, Ids>,
    /// Attestation, bundle, declarations and reviews by device-directory
    /// tree id.
    by_device: HashMap<Oid, DeviceIds>,
}

/// The id of the entry at `path` under `tree` if it is of `kind`.
fn entry(tree: &Tree<'_>, path: &str, kind: ObjectType) -> Option<Oid> {
    tree.get_path(Path::new(path))
        .ok()
        .filter(|e| e.kind() == Some(kind))
        .map(|e| e.id())
}

impl<'h> DevicePaths<'h> {
    /// Lookups for `device` in `h`.
    pub(crate) fn new(h: &'h History, device: &str) -> DevicePaths<'h> {
        DevicePaths {
            h,
            device: device.to_string(),
            by_commit: HashMap::new(),
            by_root: HashMap::new(),
            by_dir: HashMap::new(),
            by_device: HashMap::new(),
        }
    }

    /// The ids at the commit `oid`.
    pub(crate) fn at(&mut self, oid: Oid) -> Result<Ids> {
        if let Some(i) = self.by_commit.get(&oid) {
            return Ok(*i);
        }
        let commit = self
            .h
            .repo()
            .find_commit(oid)
            .map_err(|e| git_err("reading a commit", &e))?;
        self.at_commit(&commit)
    }

    /// The ids at `commit`, already read.
    pub(crate) fn at_commit(&mut self, commit: &Commit<'_>) -> Result<Ids> {
        if let Some(i) = self.by_commit.get(&commit.id()) {
            return Ok(*i);
        }
        let ids = self.at_root(commit.tree_id())?;
        self.by_commit.insert(commit.id(), ids);
        Ok(ids)
    }

    /// The ids at the commit `oid` if they were looked up before.
    pub(crate) fn known(&self, oid: Oid) -> Option<Ids> {
        self.by_commit.get(&oid).copied()
    }

    fn at_root(&mut self, root: Oid) -> Result<Ids> {
        if let Some(i) = self.by_root.get(&root) {
            return Ok(*i);
        }
        let dir = if self.h.dir.is_empty() {
            Some(root)
        } else {
            let tree = self.tree(root)?;
            entry(&tree, &self.h.dir, ObjectType::Tree)
        };
        let ids = match dir {
            Some(dir) => self.at_dir(dir)?,
            None => Ids::default(),
        };
        self.by_root.insert(root, ids);
        Ok(ids)
    }

    fn at_dir(&mut self, dir: Oid) -> Result<Ids> {
        if let Some(i) = self.by_dir.get(&dir) {
            return Ok(*i);
        }
        let tree = self.tree(dir)?;
        let shared_reviews = entry(&tree, REVIEWS_FILE, ObjectType::Blob);
        let (bom, bundle, declarations, reviews) =
            match entry(&tree, &self.device, ObjectType::Tree) {
                Some(sub) => match self.by_device.get(&sub) {
                    Some(files) => *files,
                    None => {
                        let t = self.tree(sub)?;
                        let files = (
                            entry(&t, BOM_FILE, ObjectType::Blob),
                            entry(&t, BUNDLE_FILE, ObjectType::Blob),
                            entry(&t, DECLARATIONS_FILE, ObjectType::Blob),
                            entry(&t, REVIEWS_FILE, ObjectType::Blob),
                        );
                        self.by_device.insert(sub, files);
                        files
                    }
                },
                None => (None, None, None, None),
            };
        let ids = Ids {
            bom,
            bundle,
            declarations,
            reviews,
            shared_reviews,
        };
        self.by_dir.insert(dir, ids);
        Ok(ids)
    }

    fn tree(&self, oid: Oid) -> Result<Tree<'h>> {
        self.h
            .repo()
            .find_tree(oid)
            .map_err(|e| git_err("reading a tree", &e))
    }
}
