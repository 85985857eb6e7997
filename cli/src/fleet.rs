//! The fleet: its root directory, its vendors and how they resolve to groups.
//!
//! A fleet root is the directory that holds `vendors.yaml`; stack manifests
//! live below it (usually in `stacks/`) and name evidence by paths relative
//! to it. [`Fleet::discover`] walks up from a stack file to find it, the way
//! cargo finds `Cargo.toml`.
//!
//! Vendors resolve through `parent` links to their ultimate **group**
//! (Google LLC → Alphabet Inc.). Concentration is always measured on groups.
//! A parent that does not exist or a cycle of parents is an error with the
//! file position; an unknown supplier is reported, never silently grouped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Error, Result};
use crate::model::{self, FileKind, Loaded, Vendor, Vendors};
use crate::yaml::escape_token;

/// File name of the vendors file that marks a fleet root.
pub const VENDORS_FILE: &str = "vendors.yaml";

/// A fleet root with its resolved vendors.
#[derive(Debug, Clone)]
pub struct Fleet {
    /// The directory holding `vendors.yaml`.
    pub root: PathBuf,
    /// The vendors file.
    pub vendors: Loaded<Vendors>,
    groups: BTreeMap<String, String>,
}

impl Fleet {
    /// Find the fleet root at or above `start` (a file or directory).
    pub fn discover(start: &Path) -> Result<Fleet> {
        let start = if start.is_dir() {
            start.to_path_buf()
        } else {
            start.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let start = if start.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            start
        };
        let abs = std::fs::canonicalize(&start).map_err(|e| Error::io(&start, e))?;
        let mut dir = Some(abs.as_path());
        while let Some(d) = dir {
            if d.join(VENDORS_FILE).is_file() {
                // Keep paths as the user spelled them where possible.
                let rel = relative_root(&start, &abs, d);
                return Fleet::open(&rel);
            }
            dir = d.parent();
        }
        Err(Error::invalid(
            Diagnostic::error(
                "no-fleet-root",
                format!(
                    "no {VENDORS_FILE} found in {} or any parent directory",
                    start.display()
                ),
            )
            .help("run `strata init` to create a starter fleet, or pass --root DIR"),
        ))
    }

    /// Open the fleet rooted at `root`.
    pub fn open(root: &Path) -> Result<Fleet> {
        let vendors: Loaded<Vendors> = model::load(&root.join(VENDORS_FILE), FileKind::Vendors)?;
        let groups = resolve_groups(&vendors)?;
        Ok(Fleet {
            root: root.to_path_buf(),
            vendors,
            groups,
        })
    }

    /// A vendor by id.
    pub fn vendor(&self, id: &str) -> Option<&Vendor> {
        self.vendors.value.vendors.get(id)
    }

    /// The ultimate group id of a vendor id.
    pub fn group_of(&self, id: &str) -> Option<&str> {
        self.groups.get(id).map(String::as_str)
    }

    /// Legal name of a vendor id's ultimate group.
    pub fn group_name(&self, id: &str) -> Option<&str> {
        self.group_of(id)
            .and_then(|g| self.vendor(g))
            .map(|v| v.name.as_str())
    }
}

fn relative_root(start: &Path, abs_start: &Path, found: &Path) -> PathBuf {
    let mut rel = start.to_path_buf();
    let mut cur = abs_start;
    while cur != found {
        rel = rel.join("..");
        match cur.parent() {
            Some(p) => cur = p,
            None => return found.to_path_buf(),
        }
    }
    rel
}

/// Resolve every vendor to its ultimate group, reporting unknown parents and
/// cycles (all of them) with positions.
fn resolve_groups(vendors: &Loaded<Vendors>) -> Result<BTreeMap<String, String>> {
    let map = &vendors.value.vendors;
    let mut diags = Vec::new();
    let mut groups = BTreeMap::new();
    for (id, v) in map {
        if let Some(p) = &v.parent
            && !map.contains_key(p)
        {
            let ptr = format!("/vendors/{}/parent", escape_token(id));
            diags.push(
                vendors.diag_at(
                    Diagnostic::error(
                        "unknown-vendor",
                        format!("vendor `{id}` has unknown parent `{p}`"),
                    )
                    .help("add the parent to vendors.yaml or remove `parent`"),
                    &ptr,
                ),
            );
            continue;
        }
        let mut seen = vec![id.as_str()];
        let mut cur = id.as_str();
        loop {
            match map.get(cur).and_then(|v| v.parent.as_deref()) {
                None => {
                    groups.insert(id.clone(), cur.to_string());
                    break;
                }
                Some(p) if seen.contains(&p) => {
                    seen.push(p);
                    let ptr = format!("/vendors/{}/parent", escape_token(id));
                    diags.push(
                        vendors.diag_at(
                            Diagnostic::error(
                                "vendor-parent-cycle",
                                format!("parent chain of `{id}` loops: {}", seen.join(" → ")),
                            )
                            .help("a vendor's parents must end at a group with no parent"),
                            &ptr,
                        ),
                    );
                    break;
                }
                Some(p) if !map.contains_key(p) => break,
                Some(p) => {
                    seen.push(p);
                    cur = p;
                }
            }
        }
    }
    if diags.is_empty() {
        Ok(groups)
    } else {
        Err(Error::Invalid(diags))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fleet(yaml: &str) -> Result<Fleet> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(VENDORS_FILE), yaml).unwrap();
        let f = Fleet::open(dir.path());
        drop(dir);
        f
    }

    #[test]
    fn parents_resolve_to_ultimate_group() {
        let f = fleet(
            "version: 1\nvendors:\n  google: {name: Google LLC, parent: alphabet, jurisdiction: US}\n  alphabet: {name: Alphabet Inc., jurisdiction: US}\n  deepmind: {name: DeepMind, parent: google, jurisdiction: GB}\n",
        )
        .unwrap();
        assert_eq!(f.group_of("deepmind"), Some("alphabet"));
        assert_eq!(f.group_name("google"), Some("Alphabet Inc."));
        assert_eq!(f.group_of("alphabet"), Some("alphabet"));
        assert_eq!(f.group_of("nobody"), None);
    }

    #[test]
    fn cycles_and_unknown_parents_are_reported_with_positions() {
        let e = fleet(
            "version: 1\nvendors:\n  a: {name: A, parent: b, jurisdiction: US}\n  b: {name: B, parent: a, jurisdiction: US}\n  c: {name: C, parent: zz, jurisdiction: US}\n",
        )
        .unwrap_err();
        let d = e.diagnostics();
        assert!(
            d.iter()
                .any(|d| d.code == "vendor-parent-cycle" && d.position.unwrap().line == 3)
        );
        assert!(
            d.iter()
                .any(|d| d.code == "unknown-vendor" && d.position.unwrap().line == 5)
        );
    }

    #[test]
    fn discovery_walks_up() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(VENDORS_FILE), "version: 1\nvendors: {}\n").unwrap();
        std::fs::create_dir_all(dir.path().join("stacks")).unwrap();
        let f = Fleet::discover(&dir.path().join("stacks")).unwrap();
        assert!(f.root.join(VENDORS_FILE).is_file());
        let lone = tempfile::tempdir().unwrap();
        assert_eq!(
            Fleet::discover(lone.path()).unwrap_err().diagnostics()[0].code,
            "no-fleet-root"
        );
    }
}
