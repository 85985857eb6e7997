//! `history`: attestations and reviews across git revisions, read straight
//! from git objects with libgit2 (no `git` executable, no checkout).
//!
//! The attestations directory (repository-relative, `attestations` by
//! default) holds one directory per device with `bom.cdx.json` and
//! optionally `bom.sigstore.json` and `declarations.cdx.json` (CycloneDX
//! 1.6 CDXA, from `strata attest`), and `reviews.yaml` beside them.
//!
//! - [`revdiff`]: `strata diff REV_A REV_B [DEVICE]`, the semantic
//!   difference between two revisions (devices added and removed, per layer
//!   suppliers, groups, versions, evidence digests, agent permissions, data
//!   routing, endpoints, signer identity; declarations: conformance per
//!   requirement, claims, signatories; reviews added and removed);
//! - [`log`]: `strata log DEVICE`, one line per change of the device's
//!   attestation, signature or reviews, newest first;
//! - [`bom`] reduces a BOM to what is compared, [`declarations`] a
//!   declarations document, [`diff`] compares two,
//!   [`signer`] reads the identity a bundle claims; `reviews` reads review
//!   entries out of many versions of the reviews file without parsing each
//!   whole.
//!
//! Both commands cost what changed, not how long the history is: files are
//! compared by git object id (a tree or blob id that did not change is not
//! descended into or read), and every distinct blob read is parsed once
//! ([`History`] keeps what it parsed by blob id).
//!
//! A revision is any git revspec (`HEAD~3`, a tag, `main@{yesterday}`), the
//! word `WORKTREE` for the files on disk, or `sha256:HEX` (a prefix of at
//! least 8 digits) for the newest commit in which the device's attestation
//! had that digest, which is what a stale-review finding names.

pub mod bom;
pub mod declarations;
pub mod diff;
pub mod log;
mod paths;
pub mod revdiff;
mod reviews;
pub mod signer;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use git2::{ObjectType, Oid, Repository, Sort, Tree};

use self::bom::{Summary, summarize};
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::digest::Digest;
use crate::layout::{BOM_FILE, BUNDLE_FILE, DECLARATIONS_FILE, REVIEWS_FILE};
/// The revision name for the files on disk.
pub const WORKTREE: &str = "WORKTREE";

/// A git repository and the attestations directory inside it.
pub struct History {
    repo: Repository,
    /// Repository-relative directory of the attestations, `/`-separated
    /// (empty for the repository root).
    pub dir: String,
    /// What was read from files, by blob id.
    parsed: RefCell<Parsed>,
}

/// Attestations and bundles already read, by blob id (equal ids, equal
/// bytes), so that each distinct version is read and parsed once.
#[derive(Default)]
struct Parsed {
    /// Attestation digests.
    digests: HashMap<Oid, Digest>,
    /// Attestations, parsed and reduced.
    boms: HashMap<Oid, Rc<BomRead>>,
    /// The signer identity a bundle claims.
    signers: HashMap<Oid, String>,
    /// Declarations documents, reduced, or why they did not read.
    declarations: HashMap<Oid, Rc<DeclarationsRead>>,
}

/// A declarations document read back, or why it could not be.
pub(crate) type DeclarationsRead = std::result::Result<declarations::Declared, String>;

/// A parsed attestation: its digest and summary, or why it did not parse.
#[derive(Debug)]
pub(crate) struct BomRead {
    /// `sha256:<hex>` of its bytes.
    pub(crate) digest: String,
    /// What it says, or why it could not be read as JSON.
    pub(crate) summary: std::result::Result<Summary, String>,
}

/// A resolved revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rev {
    /// A commit.
    Commit(Oid),
    /// The working tree.
    Worktree,
}

/// A file at a revision: its git blob id (computed for files on disk) and,
/// once read, its bytes.
#[derive(Debug, Clone)]
pub struct FileAt {
    /// Git blob id; equal ids mean equal bytes.
    pub oid: Oid,
    /// The bytes, when already read (files on disk).
    data: Option<Vec<u8>>,
}

/// A device's files at a revision.
#[derive(Debug, Clone, Default)]
pub struct DeviceFiles {
    /// `bom.cdx.json`.
    pub bom: Option<FileAt>,
    /// `bom.sigstore.json`.
    pub bundle: Option<FileAt>,
    /// `declarations.cdx.json`.
    pub declarations: Option<FileAt>,
    /// `reviews.yaml`, the device's reviews.
    pub reviews: Option<FileAt>,
}

impl DeviceFiles {
    /// Whether its attestation, bundle or declarations are there (not only
    /// reviews).
    pub fn attested(&self) -> bool {
        self.bom.is_some() || self.bundle.is_some() || self.declarations.is_some()
    }

    /// Whether any of the device's files is there.
    pub fn any(&self) -> bool {
        self.attested() || self.reviews.is_some()
    }
}

fn bad_rev(spec: &str, why: &str) -> Error {
    Error::invalid(
        Diagnostic::error(
            Code::BadRevision,
            format!("unknown revision `{spec}`: {why}"),
        )
        .help(
            "use a commit id, branch, tag or expression such as HEAD~2, `WORKTREE` for the \
             files on disk, or sha256:DIGEST with a device",
        ),
    )
}

fn git_err(what: &str, e: &git2::Error) -> Error {
    Error::invalid(Diagnostic::error(
        Code::GitError,
        format!("{what}: {}", e.message()),
    ))
}

impl History {
    /// Open the repository containing `attestations` (a directory, relative
    /// to the current directory or absolute; it need not exist on disk).
    pub fn open(attestations: &Path) -> Result<History> {
        let cwd = std::env::current_dir().map_err(|e| Error::io(Path::new("."), e))?;
        let abs = if attestations.is_absolute() {
            attestations.to_path_buf()
        } else {
            cwd.join(attestations)
        };
        let abs = crate::fsutil::normalize_lexically(&abs);
        // Discover from the nearest existing ancestor.
        let mut probe = abs.as_path();
        while !probe.exists() {
            probe = probe.parent().unwrap_or(Path::new("/"));
        }
        // Do not re-hash every object read (SHA-1 with collision detection
        // was half the time of `strata log` on long histories). The git
        // executable does not verify object ids on read either; packs carry
        // their own checksums, and nothing read here is written back.
        git2::opts::strict_hash_verification(false);
        // Nor keep every commit and tree read in libgit2's object cache: the
        // walks here read each once and keep what they need by id (cached,
        // the trees of 10,000 commits held 90 MB, all freed again at exit).
        git2::opts::enable_caching(false);
        let repo = Repository::discover(probe).map_err(|e| {
            Error::invalid(
                Diagnostic::error(
                    Code::NotARepository,
                    format!("{} is not inside a git repository", probe.display()),
                )
                .help(format!(
                    "strata diff and strata log read git history ({})",
                    e.message()
                )),
            )
        })?;
        let workdir = repo
            .workdir()
            .map(Path::to_path_buf)
            .ok_or_else(|| Error::Usage("the repository is bare; run from a checkout".into()))?;
        let workdir = std::fs::canonicalize(&workdir).unwrap_or(workdir);
        let existing = std::fs::canonicalize(probe).unwrap_or_else(|_| probe.to_path_buf());
        let rest = abs.strip_prefix(probe).unwrap_or(Path::new(""));
        let full = existing.join(rest);
        let rel = full.strip_prefix(&workdir).map_err(|_| {
            Error::Usage(format!(
                "{} is outside the repository at {}",
                attestations.display(),
                workdir.display()
            ))
        })?;
        let dir = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("/");
        Ok(History {
            repo,
            dir,
            parsed: RefCell::default(),
        })
    }

    /// The underlying repository.
    pub fn repo(&self) -> &Repository {
        &self.repo
    }

    /// Repository-relative path of `name` inside the attestations directory.
    pub fn path_of(&self, name: &str) -> String {
        if self.dir.is_empty() {
            name.to_string()
        } else {
            format!("{}/{name}", self.dir)
        }
    }

    fn workdir(&self) -> PathBuf {
        self.repo
            .workdir()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// Resolve a revision name (see the module docs). `device` is needed for
    /// `sha256:` revisions.
    pub fn resolve(&self, spec: &str, device: Option<&str>) -> Result<Rev> {
        if spec == WORKTREE {
            return Ok(Rev::Worktree);
        }
        if let Some(hex) = spec.strip_prefix("sha256:") {
            return self.resolve_digest(spec, hex, device);
        }
        let obj = self
            .repo
            .revparse_single(spec)
            .map_err(|e| bad_rev(spec, e.message()))?;
        let commit = obj
            .peel_to_commit()
            .map_err(|_| bad_rev(spec, "it does not name a commit"))?;
        Ok(Rev::Commit(commit.id()))
    }

    fn resolve_digest(&self, spec: &str, hex: &str, device: Option<&str>) -> Result<Rev> {
        let Some(device) = device else {
            return Err(bad_rev(spec, "a sha256: revision needs a DEVICE argument"));
        };
        if hex.len() < 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad_rev(spec, "give at least 8 hexadecimal digits"));
        }
        let hex = hex.to_ascii_lowercase();
        let path = self.path_of(&format!("{device}/{BOM_FILE}"));
        let mut paths = paths::DevicePaths::new(self, device);
        let mut seen: HashMap<Oid, bool> = HashMap::new();
        for oid in self.walk_from_head()? {
            let oid = oid.map_err(|e| git_err("walking history", &e))?;
            let Some(blob) = paths.at(oid)?.bom else {
                continue;
            };
            let hit = match seen.get(&blob) {
                Some(h) => *h,
                None => {
                    let d = self.digest(&FileAt {
                        oid: blob,
                        data: None,
                    })?;
                    let h = d.hex().starts_with(&hex);
                    seen.insert(blob, h);
                    h
                }
            };
            if hit {
                return Ok(Rev::Commit(oid));
            }
        }
        // The attestation on disk may be the only one with that digest.
        let disk = self.workdir().join(&path);
        if let Ok(bytes) = crate::fsutil::read_bounded(&disk, crate::validate::MAX_BOM_BYTES)
            && Digest::of(&bytes).hex().starts_with(&hex)
        {
            return Ok(Rev::Worktree);
        }
        Err(bad_rev(
            spec,
            &format!(
                "no commit reachable from HEAD has an attestation of `{device}` with that digest"
            ),
        ))
    }

    /// A revision walk from HEAD, newest first.
    fn walk_from_head(&self) -> Result<git2::Revwalk<'_>> {
        let head = self
            .repo
            .head()
            .ok()
            .and_then(|h| h.target())
            .ok_or_else(|| bad_rev("HEAD", "the repository has no commits"))?;
        self.walk_from(head)
    }

    /// A revision walk from `oid`, newest first (topological, then time).
    pub fn walk_from(&self, oid: Oid) -> Result<git2::Revwalk<'_>> {
        let mut walk = self
            .repo
            .revwalk()
            .map_err(|e| git_err("walking history", &e))?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
            .map_err(|e| git_err("walking history", &e))?;
        walk.push(oid).map_err(|e| git_err("walking history", &e))?;
        Ok(walk)
    }

    /// Short id of a commit (7 hex digits, more if ambiguous).
    pub fn short_id(&self, oid: Oid) -> String {
        self.repo
            .find_object(oid, None)
            .ok()
            .and_then(|o| o.short_id().ok())
            .and_then(|b| b.as_str().ok().map(str::to_string))
            .unwrap_or_else(|| oid.to_string()[..7].to_string())
    }

    /// Read a blob.
    pub fn blob_bytes(&self, oid: Oid) -> Result<Vec<u8>> {
        let blob = self
            .repo
            .find_blob(oid)
            .map_err(|e| git_err("reading a file from git", &e))?;
        Ok(blob.content().to_vec())
    }

    /// The bytes of a file at a revision.
    pub fn read(&self, file: &FileAt) -> Result<Vec<u8>> {
        match &file.data {
            Some(d) => Ok(d.clone()),
            None => self.blob_bytes(file.oid),
        }
    }

    /// The digest of an attestation (read once per blob).
    pub(crate) fn digest(&self, file: &FileAt) -> Result<Digest> {
        if let Some(d) = self.parsed.borrow().digests.get(&file.oid) {
            return Ok(*d);
        }
        let d = Digest::of(&self.read(file)?);
        self.parsed.borrow_mut().digests.insert(file.oid, d);
        Ok(d)
    }

    /// An attestation, parsed and reduced (once per blob).
    pub(crate) fn bom(&self, file: &FileAt) -> Result<Rc<BomRead>> {
        if let Some(r) = self.parsed.borrow().boms.get(&file.oid) {
            return Ok(Rc::clone(r));
        }
        let bytes = self.read(file)?;
        let digest = Digest::of(&bytes);
        let r = Rc::new(BomRead {
            digest: digest.to_string(),
            summary: serde_json::from_slice(&bytes)
                .map(|v| summarize(&v))
                .map_err(|e| e.to_string()),
        });
        let mut p = self.parsed.borrow_mut();
        p.digests.insert(file.oid, digest);
        p.boms.insert(file.oid, Rc::clone(&r));
        Ok(r)
    }

    /// The signer identity a bundle claims (read once per blob).
    pub(crate) fn signer(&self, file: &FileAt) -> Result<String> {
        if let Some(s) = self.parsed.borrow().signers.get(&file.oid) {
            return Ok(s.clone());
        }
        let s = signer::identity(&self.read(file)?);
        self.parsed.borrow_mut().signers.insert(file.oid, s.clone());
        Ok(s)
    }

    /// A declarations document, read back (once per blob).
    pub(crate) fn declarations(&self, file: &FileAt) -> Result<Rc<DeclarationsRead>> {
        if let Some(d) = self.parsed.borrow().declarations.get(&file.oid) {
            return Ok(Rc::clone(d));
        }
        let d = Rc::new(declarations::Declared::read(&self.read(file)?));
        self.parsed
            .borrow_mut()
            .declarations
            .insert(file.oid, Rc::clone(&d));
        Ok(d)
    }

    /// The tree of a commit.
    pub fn tree(&self, oid: Oid) -> Result<Tree<'_>> {
        self.repo
            .find_commit(oid)
            .and_then(|c| c.tree())
            .map_err(|e| git_err("reading a commit", &e))
    }

    /// The devices (directories holding `bom.cdx.json` or a bundle) at `rev`,
    /// or only `only` when given.
    pub fn devices(&self, rev: &Rev, only: Option<&str>) -> Result<BTreeMap<String, DeviceFiles>> {
        let mut out = BTreeMap::new();
        match rev {
            Rev::Commit(oid) => {
                let tree = self.tree(*oid)?;
                let dir_tree = if self.dir.is_empty() {
                    Some(tree)
                } else {
                    tree.get_path(Path::new(&self.dir))
                        .ok()
                        .filter(|e| e.kind() == Some(ObjectType::Tree))
                        .and_then(|e| self.repo.find_tree(e.id()).ok())
                };
                let Some(dir_tree) = dir_tree else {
                    return Ok(out);
                };
                for entry in dir_tree.iter() {
                    if entry.kind() != Some(ObjectType::Tree) {
                        continue;
                    }
                    let Ok(name) = entry.name() else { continue };
                    if only.is_some_and(|o| o != name) {
                        continue;
                    }
                    let Ok(sub) = self.repo.find_tree(entry.id()) else {
                        continue;
                    };
                    let file = |n: &str| {
                        sub.get_name(n)
                            .filter(|e| e.kind() == Some(ObjectType::Blob))
                            .map(|e| FileAt {
                                oid: e.id(),
                                data: None,
                            })
                    };
                    let files = DeviceFiles {
                        bom: file(BOM_FILE),
                        bundle: file(BUNDLE_FILE),
                        declarations: file(DECLARATIONS_FILE),
                        reviews: file(REVIEWS_FILE),
                    };
                    if files.any() {
                        out.insert(name.to_string(), files);
                    }
                }
            }
            Rev::Worktree => {
                let dir = self.workdir().join(&self.dir);
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    return Ok(out);
                };
                for entry in entries.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if !entry.path().is_dir() || only.is_some_and(|o| o != name) {
                        continue;
                    }
                    let files = DeviceFiles {
                        bom: disk_file(&entry.path().join(BOM_FILE))?,
                        bundle: disk_file(&entry.path().join(BUNDLE_FILE))?,
                        declarations: disk_file(&entry.path().join(DECLARATIONS_FILE))?,
                        reviews: disk_file(&entry.path().join(REVIEWS_FILE))?,
                    };
                    if files.any() {
                        out.insert(name, files);
                    }
                }
            }
        }
        Ok(out)
    }

    /// The shared `reviews.yaml` of the earlier layout at `rev`, if present.
    pub fn reviews_file(&self, rev: &Rev) -> Result<Option<FileAt>> {
        let path = self.path_of(REVIEWS_FILE);
        match rev {
            Rev::Commit(oid) => {
                Ok(blob_at(&self.tree(*oid)?, &path).map(|oid| FileAt { oid, data: None }))
            }
            Rev::Worktree => disk_file(&self.workdir().join(path)),
        }
    }
}

/// The blob at `path` in `tree`, if it is one.
pub fn blob_at(tree: &Tree<'_>, path: &str) -> Option<Oid> {
    tree.get_path(Path::new(path))
        .ok()
        .filter(|e| e.kind() == Some(ObjectType::Blob))
        .map(|e| e.id())
}

fn disk_file(path: &Path) -> Result<Option<FileAt>> {
    if !path.is_file() {
        return Ok(None);
    }
    let data = crate::fsutil::read_bounded(path, crate::validate::MAX_BOM_BYTES)?;
    let oid =
        Oid::hash_object(ObjectType::Blob, &data).map_err(|e| git_err("hashing a file", &e))?;
    Ok(Some(FileAt {
        oid,
        data: Some(data),
    }))
}

/// Parse reviews from YAML text without schema validation (history may hold
/// files an older strata wrote); entries that do not read are skipped.
pub fn parse_reviews_lenient(text: &str) -> Vec<crate::model::Review> {
    let Ok((v, _)) = crate::yaml::parse(text, Path::new(REVIEWS_FILE)) else {
        return Vec::new();
    };
    v.get("reviews")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| serde_json::from_value(e.clone()).ok())
        .collect()
}

/// Format a git time as RFC 3339 UTC.
pub fn git_time(t: git2::Time) -> String {
    crate::clock::Time::from_unix(t.seconds())
        .map(|t| t.to_string())
        .unwrap_or_default()
}
