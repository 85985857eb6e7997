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
//!
//! A stack may name a supplier by its vendor id or by one of the vendor's
//! declared names: its legal name or an alias, compared after legal-name
//! normalisation (see [`crate::names`]), so `xiaomi-communications` finds
//! the vendor whose alias is "Xiaomi Communications Co., Ltd.". A name that
//! fits two vendors is ambiguous and resolves to neither.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::layout::{self, VENDORS_FILE};
use crate::model::{self, ApprovedDevices, FileKind, Loaded, Stack, Vendor, Vendors};
use crate::names;
use crate::yaml::escape_token;

/// A fleet root with its resolved vendors.
#[derive(Debug, Clone)]
pub struct Fleet {
    /// The directory holding `vendors.yaml`.
    pub root: PathBuf,
    /// The vendors file.
    pub vendors: Loaded<Vendors>,
    groups: BTreeMap<String, String>,
    /// Normalised declared name → (vendor id, name as declared).
    names: BTreeMap<String, BTreeSet<(String, String)>>,
}

/// The directory `start` names: itself, or a file's directory.
fn start_dir(start: &Path) -> PathBuf {
    let dir = if start.is_dir() {
        start.to_path_buf()
    } else {
        start.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    }
}

/// The nearest directory at or above `start` (a file or directory) that
/// holds vendors.yaml, spelled relative to `start` where possible; `None`
/// when there is none.
pub fn find_root(start: &Path) -> Result<Option<PathBuf>> {
    let start = start_dir(start);
    let abs = std::fs::canonicalize(&start).map_err(|e| Error::io(&start, e))?;
    let mut dir = Some(abs.as_path());
    while let Some(d) = dir {
        if d.join(VENDORS_FILE).is_file() {
            // Keep paths as the user spelled them where possible.
            return Ok(Some(relative_root(&start, &abs, d)));
        }
        dir = d.parent();
    }
    Ok(None)
}

/// How a supplier name written in a stack resolved against vendors.yaml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// The name is a vendor id.
    Id(&'a str),
    /// The name matched a vendor's legal name or alias after normalisation.
    Alias {
        /// The vendor id.
        id: &'a str,
        /// The declared name it matched, as written in vendors.yaml.
        matched: &'a str,
    },
    /// The name matched declared names of several vendors (sorted ids).
    Ambiguous(Vec<&'a str>),
    /// Nothing matched.
    Unknown,
}

impl<'a> Resolution<'a> {
    /// The vendor id, when the name resolved to exactly one vendor.
    pub fn id(&self) -> Option<&'a str> {
        match self {
            Resolution::Id(id) | Resolution::Alias { id, .. } => Some(id),
            Resolution::Ambiguous(_) | Resolution::Unknown => None,
        }
    }
}

impl Fleet {
    /// Find the fleet root at or above `start` (a file or directory).
    pub fn discover(start: &Path) -> Result<Fleet> {
        match find_root(start)? {
            Some(root) => Fleet::open(&root),
            None => Err(Error::invalid(
                Diagnostic::error(
                    Code::NoFleetRoot,
                    format!(
                        "no {VENDORS_FILE} found in {} or any parent directory",
                        start_dir(start).display()
                    ),
                )
                .help("run `strata init` to create a starter fleet, or pass --fleet DIR"),
            )),
        }
    }

    /// Open the fleet rooted at `root`.
    pub fn open(root: &Path) -> Result<Fleet> {
        let vendors: Loaded<Vendors> = model::load(&root.join(VENDORS_FILE), FileKind::Vendors)?;
        let groups = resolve_groups(&vendors)?;
        let mut names: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
        for (id, v) in &vendors.value.vendors {
            for declared in std::iter::once(&v.name).chain(&v.aliases) {
                let key = names::normalize(declared);
                if !key.is_empty() {
                    names
                        .entry(key)
                        .or_default()
                        .insert((id.clone(), declared.clone()));
                }
            }
        }
        Ok(Fleet {
            root: root.to_path_buf(),
            vendors,
            groups,
            names,
        })
    }

    /// Resolve a supplier name: a vendor id first, then a unique match on a
    /// vendor's normalised legal name or alias.
    pub fn resolve(&self, name: &str) -> Resolution<'_> {
        if let Some((id, _)) = self.vendors.value.vendors.get_key_value(name) {
            return Resolution::Id(id);
        }
        let Some(found) = self.names.get(&names::normalize(name)) else {
            return Resolution::Unknown;
        };
        let ids: BTreeSet<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
        match found.first() {
            Some((id, matched)) if ids.len() == 1 => Resolution::Alias { id, matched },
            _ => Resolution::Ambiguous(ids.into_iter().collect()),
        }
    }

    /// The vendor id closest to an unknown name, for "did you mean" hints:
    /// an id within a few edits, else the one vendor whose normalised legal
    /// name or alias shares its leading words with the name's ("Xiaomi
    /// Corp. Ltd" for a vendor named "Xiaomi Corporation").
    pub fn suggest(&self, name: &str) -> Option<&str> {
        let by_id = self
            .vendors
            .value
            .vendors
            .keys()
            .map(|id| (names::edit_distance(name, id), id.as_str()))
            .filter(|(d, id)| *d <= 2.max(id.len() / 4))
            .min()
            .map(|(_, id)| id);
        if by_id.is_some() {
            return by_id;
        }
        let key = names::normalize(name);
        if key.is_empty() {
            return None;
        }
        let near: BTreeSet<&str> = self
            .names
            .iter()
            .filter(|(k, _)| names::is_token_prefix(&key, k))
            .flat_map(|(_, found)| found.iter().map(|(id, _)| id.as_str()))
            .collect();
        match near.len() {
            1 => near.into_iter().next(),
            _ => None,
        }
    }

    /// The diagnostic for a vendor name (`what`: supplier, operator, …)
    /// that does not resolve: unknown, with the closest id as a hint, or
    /// ambiguous, with the candidates.
    pub fn unresolved(&self, name: &str, what: &str) -> Diagnostic {
        let file = if self.root == Path::new(".") {
            PathBuf::from(VENDORS_FILE)
        } else {
            self.root.join(VENDORS_FILE)
        };
        match self.resolve(name) {
            Resolution::Ambiguous(ids) => {
                let list = ids
                    .iter()
                    .map(|id| {
                        let n = self.vendor(id).map(|v| v.name.as_str()).unwrap_or("?");
                        format!("`{id}` ({n})")
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                Diagnostic::error(
                    Code::AmbiguousVendor,
                    format!("{what} `{name}` matches the names of several vendors: {list}"),
                )
                .help("name the vendor by its id")
            }
            _ => {
                let hint = match self.suggest(name) {
                    Some(s) => format!(
                        "did you mean `{s}`? otherwise add `{name}` to {}",
                        file.display()
                    ),
                    None => format!(
                        "add `{name}` to {} or name the vendor by its id, legal name or a declared alias (suppliers are never grouped by guesswork)",
                        file.display()
                    ),
                };
                Diagnostic::error(
                    Code::UnknownVendor,
                    format!("{what} `{name}` is not in vendors.yaml"),
                )
                .help(hint)
            }
        }
    }

    /// A note for every vendor name in `stack` written as a legal name or
    /// alias rather than an id, saying which vendor it resolved to.
    pub fn alias_notes(&self, stack: &Loaded<Stack>) -> Vec<Diagnostic> {
        stack
            .value
            .vendor_names()
            .into_iter()
            .filter_map(|(ptr, what, name)| match self.resolve(&name) {
                Resolution::Alias { id, matched } => Some(stack.diag_at(
                    Diagnostic::note(
                        Code::VendorNameResolved,
                        format!("{what} `{name}` is vendor `{id}` (by its declared name \"{matched}\")"),
                    )
                    .help(format!("write `{id}` to silence this note")),
                    &ptr,
                )),
                _ => None,
            })
            .collect()
    }

    /// A vendor by id or declared name (see [`Fleet::resolve`]).
    pub fn vendor(&self, id: &str) -> Option<&Vendor> {
        self.resolve(id)
            .id()
            .and_then(|id| self.vendors.value.vendors.get(id))
    }

    /// The ultimate group id of a vendor id or declared name.
    pub fn group_of(&self, id: &str) -> Option<&str> {
        self.resolve(id)
            .id()
            .and_then(|id| self.groups.get(id))
            .map(String::as_str)
    }

    /// The parent chain of a vendor, nearest parent first, ending at its
    /// group; empty for a group or an unknown vendor.
    pub fn ancestors(&self, id: &str) -> Vec<&str> {
        let map = &self.vendors.value.vendors;
        let mut out: Vec<&str> = Vec::new();
        let mut cur = self.resolve(id).id();
        while let Some(c) = cur {
            match map.get_key_value(c).and_then(|(_, v)| v.parent.as_deref()) {
                Some(p) if !out.contains(&p) && p != id => {
                    let Some((p, _)) = map.get_key_value(p) else {
                        break;
                    };
                    out.push(p.as_str());
                    cur = Some(p.as_str());
                }
                _ => break,
            }
        }
        out
    }

    /// Legal name of a vendor id's ultimate group.
    pub fn group_name(&self, id: &str) -> Option<&str> {
        self.group_of(id)
            .and_then(|g| self.vendor(g))
            .map(|v| v.name.as_str())
    }
}

/// The attestations directory of the fleet at `root`, by the layout's one
/// rule (see [`crate::layout`]), as `strata diff` and `strata log` read it:
/// where the approved-device list's attestation of `device` lies when it
/// names one, else the one directory all its attestations lie in (their
/// paths are relative to the list); `<root>/attestations` when there is no
/// list or it names none. Attestations of one list in several directories
/// are an error unless `device` picks one.
pub fn attestations_dir(root: &Path, device: Option<&str>) -> Result<PathBuf> {
    let list_path = layout::approved_devices(root);
    if !list_path.is_file() {
        return Ok(layout::default_attestations(root));
    }
    let list: Loaded<ApprovedDevices> = model::load(&list_path, FileKind::ApprovedDevices)?;
    let list_dir = list_path.parent().unwrap_or(Path::new("."));
    let own = device.and_then(|id| list.value.devices.iter().find(|d| d.id == id));
    let paths: Vec<PathBuf> = match own.and_then(|d| d.attestation.as_deref()) {
        Some(att) => vec![list_dir.join(att)],
        None => list
            .value
            .devices
            .iter()
            .filter_map(|d| d.attestation.as_ref())
            .map(|a| list_dir.join(a))
            .collect(),
    };
    layout::attestations_dir(root, paths).map_err(|dirs| {
        let shown: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        Error::invalid(
            Diagnostic::error(
                Code::AttestationsAmbiguous,
                format!(
                    "the approved-device list names attestations in {} directories: {}",
                    dirs.len(),
                    shown.join(", ")
                ),
            )
            .in_file(&list_path)
            .help("name a DEVICE to read the history of its attestations"),
        )
    })
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
                        Code::UnknownVendor,
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
                                Code::VendorParentCycle,
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
        assert_eq!(f.ancestors("deepmind"), vec!["google", "alphabet"]);
        assert!(f.ancestors("alphabet").is_empty());
    }

    #[test]
    fn suppliers_may_be_named_by_alias_or_legal_name() {
        let f = fleet(
            "version: 1\nvendors:\n  xiaomi: {name: Xiaomi Corporation, aliases: [\"Xiaomi Communications Co., Ltd.\", Xiaomi Inc.], jurisdiction: CN}\n  qualcomm: {name: Qualcomm Incorporated, aliases: [\"Qualcomm Technologies, Inc.\"], jurisdiction: US}\n",
        )
        .unwrap();
        assert_eq!(f.resolve("xiaomi"), Resolution::Id("xiaomi"));
        assert_eq!(
            f.resolve("xiaomi-communications"),
            Resolution::Alias {
                id: "xiaomi",
                matched: "Xiaomi Communications Co., Ltd."
            }
        );
        assert_eq!(f.resolve("Xiaomi Corp.").id(), Some("xiaomi"));
        assert_eq!(f.resolve("qualcomm-technologies").id(), Some("qualcomm"));
        assert_eq!(f.group_of("xiaomi-communications"), Some("xiaomi"));
        assert_eq!(f.resolve("xiaomi-ev"), Resolution::Unknown);
        assert_eq!(f.suggest("qualcom"), Some("qualcomm"));
        assert_eq!(f.suggest("nokia"), None);
        // As the name appears on a vendor's documents.
        assert_eq!(f.resolve("XIAOMI CORP.").id(), Some("xiaomi"));
        // A longer legal name than any declared one suggests its vendor.
        assert_eq!(f.suggest("XIAOMI HOLDINGS LIMITED"), Some("xiaomi"));
        let d = f.unresolved("XIAOMI HOLDINGS LIMITED", "supplier");
        assert_eq!(d.code, Code::UnknownVendor);
        assert!(d.help.unwrap().starts_with("did you mean `xiaomi`?"));
    }

    #[test]
    fn names_written_as_aliases_get_a_note_with_the_id() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(VENDORS_FILE),
            "version: 1\nvendors:\n  xiaomi: {name: Xiaomi Corporation, jurisdiction: CN}\n  tsmc: {name: Taiwan Semiconductor Manufacturing Company Limited, jurisdiction: TW}\n",
        )
        .unwrap();
        let f = Fleet::open(dir.path()).unwrap();
        let stack_path = dir.path().join("s.yaml");
        std::fs::write(
            &stack_path,
            "version: 1\ndevice: {id: d, name: D, class: phone, manufacturer: \"XIAOMI CORP.\"}\nlayers:\n  silicon: {supplier: xiaomi, product: X, upstream: [\"Taiwan Semiconductor Manufacturing Co., Ltd.\"]}\n",
        )
        .unwrap();
        let stack: Loaded<Stack> = model::load(&stack_path, FileKind::Stack).unwrap();
        let notes = f.alias_notes(&stack);
        let got: Vec<(&str, &str)> = notes
            .iter()
            .map(|n| (n.pointer.as_deref().unwrap(), n.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "/device/manufacturer",
                    "manufacturer `XIAOMI CORP.` is vendor `xiaomi` (by its declared name \"Xiaomi Corporation\")"
                ),
                (
                    "/layers/silicon/upstream/0",
                    "upstream vendor `Taiwan Semiconductor Manufacturing Co., Ltd.` is vendor `tsmc` (by its declared name \"Taiwan Semiconductor Manufacturing Company Limited\")"
                ),
            ]
        );
        assert!(
            notes
                .iter()
                .all(|n| n.severity == crate::diag::Severity::Note)
        );
    }

    #[test]
    fn a_name_declared_by_two_vendors_is_ambiguous() {
        let f = fleet(
            "version: 1\nvendors:\n  a: {name: Acme Inc., jurisdiction: US}\n  b: {name: Acme Ltd, jurisdiction: GB}\n",
        )
        .unwrap();
        assert_eq!(f.resolve("acme"), Resolution::Ambiguous(vec!["a", "b"]));
        assert_eq!(f.group_of("acme"), None);
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
    fn a_fleet_finds_its_attestations_by_its_list() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("fleet");
        std::fs::create_dir_all(&root).unwrap();
        assert_eq!(
            attestations_dir(&root, None).unwrap(),
            root.join("attestations")
        );
        let list = |atts: &[&str]| {
            let mut text = String::from("version: 1\ndevices:\n");
            for (i, a) in atts.iter().enumerate() {
                text.push_str(&format!(
                    "  - {{id: d{i}, stack: stacks/d{i}.yaml, units: 1, attestation: {a}}}\n"
                ));
            }
            std::fs::write(root.join("approved-devices.yaml"), text).unwrap();
        };
        list(&[
            "../attestations/d0/bom.cdx.json",
            "../attestations/d1/bom.cdx.json",
        ]);
        assert_eq!(
            attestations_dir(&root, None).unwrap(),
            crate::fsutil::normalize_lexically(&root.join("../attestations"))
        );
        list(&["../a/d0/bom.cdx.json", "../b/d1/bom.cdx.json"]);
        assert_eq!(
            attestations_dir(&root, None).unwrap_err().diagnostics()[0].code,
            Code::AttestationsAmbiguous
        );
        assert_eq!(
            attestations_dir(&root, Some("d1")).unwrap(),
            crate::fsutil::normalize_lexically(&root.join("../b"))
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
