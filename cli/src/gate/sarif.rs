//! SARIF 2.1.0 output of a gate run, for GitHub code scanning and other
//! SARIF consumers, following GitHub's ingestion rules (checked in CI with
//! Microsoft's SARIF multitool, `validate --rule-kind Gh;Sarif`).
//!
//! One run, the rule catalogue as `tool.driver.rules` (each with `help` in
//! text and Markdown: what the rule checks, how to fix a finding, the policy
//! knob; `security-severity` where the rule is about supply-chain
//! integrity), one result per finding located at the device's entry in the
//! approved-device list, relative to `%SRCROOT%` (the git work tree that
//! holds the list, else the working directory) so code scanning maps it to
//! the file. Each result has a stable `partialFingerprints` entry (device
//! and rule) so re-runs update alerts instead of adding new ones. Excepted
//! findings carry an external suppression with the exception's reason, so
//! scanners show them as dismissed rather than dropping them.
//!
//! A finding of an inventory rule is located at the inventory file or
//! directory judged, relative to the same `%SRCROOT%`.

use std::path::{Component, Path, PathBuf};

use serde_json::{Value, json};

use super::{GateReport, Verdict};
use crate::model::Level;
use crate::policy::RuleCode;

/// The SARIF schema URI written into `$schema`.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The `uriBaseId` of every location: the root the paths are relative to.
pub const SRCROOT: &str = "%SRCROOT%";

/// Where the approved-device list is, as SARIF locations name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListLocation {
    /// The list's path relative to `root`, `/`-separated, percent-encoded.
    pub uri: String,
    /// The directory `uri` is relative to (`%SRCROOT%`), absolute.
    pub root: PathBuf,
    /// The fleet root, absolute: inventory paths in the report are
    /// relative to it.
    pub fleet: PathBuf,
}

impl ListLocation {
    /// The location of `list`: relative to the git work tree that holds it
    /// (found by walking up from the list, as git does), else to `cwd`
    /// when the list is below it, else to the list's own directory.
    /// `list` and `cwd` should be absolute (canonical) paths.
    pub fn find(list: &Path, cwd: &Path) -> ListLocation {
        let root = git_work_tree(list)
            .or_else(|| list.starts_with(cwd).then(|| cwd.to_path_buf()))
            .or_else(|| list.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let rel = list.strip_prefix(&root).unwrap_or(list);
        ListLocation {
            uri: encode_path(rel),
            fleet: list.parent().map(Path::to_path_buf).unwrap_or_default(),
            root,
        }
    }

    /// The same location with the fleet root `fleet` (absolute) that
    /// inventory paths are relative to (by default the list's directory).
    pub fn with_fleet(mut self, fleet: PathBuf) -> ListLocation {
        self.fleet = fleet;
        self
    }

    /// The URI of `rel`, a path relative to the fleet root (an inventory),
    /// relative to `%SRCROOT%` like the list's.
    pub fn locate(&self, rel: &str) -> String {
        let full = self.fleet.join(rel);
        let full = full.canonicalize().unwrap_or(full);
        encode_path(full.strip_prefix(&self.root).unwrap_or(&full))
    }

    /// `file:///…/` for `originalUriBaseIds`: absolute, ending with `/`.
    pub fn root_uri(&self) -> String {
        let mut uri = format!("file://{}", encode_path(&self.root));
        if !uri.starts_with("file:///") {
            // A relative root (never produced by `find` from absolute
            // paths) still yields an absolute-looking URI.
            uri.insert(7, '/');
        }
        if !uri.ends_with('/') {
            uri.push('/');
        }
        uri
    }
}

/// The work tree of the git repository holding `path`: the nearest
/// ancestor with a `.git` directory or file (a worktree or submodule).
fn git_work_tree(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// A path as a URI path: components joined with `/`, every byte outside
/// RFC 3986's unreserved set (and `/` between components) percent-encoded.
fn encode_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.components() {
        match c {
            Component::RootDir => out.push('/'),
            Component::Normal(s) => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                for b in s.to_string_lossy().bytes() {
                    if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        out.push(char::from(b));
                    } else {
                        out.push_str(&format!("%{b:02X}"));
                    }
                }
            }
            Component::CurDir | Component::ParentDir | Component::Prefix(_) => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&c.as_os_str().to_string_lossy().replace(':', "%3A"));
            }
        }
    }
    out
}

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "none",
    }
}

/// The help of a rule: what it checks, how to fix a finding, the policy
/// knob, as plain text and as Markdown.
fn help(r: RuleCode, level: Level) -> Value {
    let params = r.params();
    let mut text = format!(
        "{}\n\nHow to fix: {}\n\nPolicy: `rules: {}:` in policy.yaml, `level: deny|warn|allow` (here: {})",
        r.description(),
        r.remedy(),
        r.code(),
        level_name(level)
    );
    let mut md = format!(
        "{}\n\n**How to fix.** {}\n\n**Policy.** In `policy.yaml`, `rules: {}:` with `level: deny`, `warn` or `allow` (this run: `{}`)",
        r.description(),
        r.remedy(),
        r.code(),
        level_name(level)
    );
    if params.is_empty() {
        text.push('.');
        md.push('.');
    } else {
        text.push_str(" and the parameters:");
        md.push_str(" and the parameters:\n");
        for p in params {
            text.push_str(&format!("\n- {}: {}", p.name, p.doc));
            md.push_str(&format!("\n- `{}`: {}", p.name, p.doc));
        }
    }
    let tail = "One device can be excused with an entry under `exceptions:` (device, rule, reason, expires). `strata gate --rules` lists every rule.";
    text.push_str(&format!("\n\n{tail}"));
    md.push_str(&format!("\n\n{tail}"));
    json!({"text": text, "markdown": md})
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Deny => "deny",
        Level::Warn => "warn",
        Level::Allow => "allow",
    }
}

/// Render `report` as SARIF, its results located in the approved-device
/// list at `list`, or, for an inventory rule, at the inventory judged.
pub fn render(report: &GateReport, list: &ListLocation) -> Value {
    let enabled: Vec<(RuleCode, Level)> = RuleCode::ALL
        .into_iter()
        .map(|r| {
            let level = report
                .checks
                .iter()
                .find(|c| c.rule == r)
                .map(|c| c.level)
                .unwrap_or(Level::Allow);
            (r, level)
        })
        .collect();
    let rules: Vec<Value> = enabled
        .iter()
        .map(|(r, level)| {
            let params: Vec<String> = r.params().iter().map(ToString::to_string).collect();
            let mut properties = json!({"tags": ["supply-chain", "procurement"]});
            if let Some(severity) = r.security_severity() {
                properties = json!({
                    "tags": ["security", "supply-chain"],
                    "security-severity": severity
                });
            }
            json!({
                "id": r.code(),
                "name": rule_name(*r),
                "shortDescription": {"text": r.description()},
                "fullDescription": {"text": if params.is_empty() {
                    r.description().to_string()
                } else {
                    format!("{} Parameters: {}", r.description(), params.join("; "))
                }},
                "help": help(*r, *level),
                "defaultConfiguration": {"level": sarif_level(*level)},
                "properties": properties
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings()
        .map(|c| {
            let index = RuleCode::ALL.iter().position(|r| *r == c.rule).unwrap_or(0);
            let (uri, kind) = match &c.inventory {
                Some(path) => (list.locate(path), "inventory"),
                None => (list.uri.clone(), "device"),
            };
            let mut location = json!({"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}});
            // GitHub needs a region; a finding without a line points at the
            // file's first line.
            let line = c.listed_at.as_ref().map_or(1, |at| at.line);
            location["region"] = json!({"startLine": line});
            let mut result = json!({
                "ruleId": c.rule,
                "ruleIndex": index,
                "level": sarif_level(c.level),
                "message": {"text": format!("{}: {}", c.device, c.message)},
                "locations": [{
                    "physicalLocation": location,
                    "logicalLocations": [{"name": c.device, "kind": kind}]
                }],
                "partialFingerprints": {"strataDeviceRule/v1": format!("{}/{}", c.device, c.rule)},
                "properties": {"device": c.device, "stack": c.stack}
            });
            if c.verdict == Verdict::Excepted
                && let Some(ex) = &c.exception
            {
                result["suppressions"] = json!([{
                    "kind": "external",
                    "justification": format!("{} (policy exception until {})", ex.reason, ex.expires)
                }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "strata",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "originalUriBaseIds": {SRCROOT: {"uri": list.root_uri()}},
            "invocations": [{
                "executionSuccessful": true,
                "properties": {"policy": report.policy, "devices": report.devices, "date": report.now}
            }],
            "results": results
        }]
    })
}

/// The rule's name in PascalCase (SARIF's `name`, shown by some viewers).
fn rule_name(r: RuleCode) -> String {
    r.code()
        .split('-')
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|f| f.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_relative_to_the_git_work_tree_whatever_the_cwd() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("fleet/sub")).unwrap();
        let list = root.join("fleet/approved devices.yaml");
        for cwd in [root.join("fleet/sub"), root.clone(), PathBuf::from("/")] {
            let loc = ListLocation::find(&list, &cwd);
            assert_eq!(loc.uri, "fleet/approved%20devices.yaml");
            assert_eq!(loc.root, root);
            assert!(loc.root_uri().starts_with("file:///"));
            assert!(loc.root_uri().ends_with('/'));
        }
    }

    #[test]
    fn outside_git_the_list_is_relative_to_the_cwd_or_its_directory() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let list = root.join("fleet/approved-devices.yaml");
        if git_work_tree(&list).is_some() {
            return; // the temporary directory is inside a git work tree
        }
        let loc = ListLocation::find(&list, &root);
        assert_eq!(loc.uri, "fleet/approved-devices.yaml");
        let loc = ListLocation::find(&list, Path::new("/nonexistent-cwd"));
        assert_eq!(loc.uri, "approved-devices.yaml");
        assert_eq!(loc.root, root.join("fleet"));
    }

    #[test]
    fn encoding_keeps_unreserved_bytes_and_escapes_the_rest() {
        assert_eq!(
            encode_path(Path::new("a b/ü#?.yaml")),
            "a%20b/%C3%BC%23%3F.yaml"
        );
        assert_eq!(encode_path(Path::new("/x/y")), "/x/y");
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(
            rule_name(RuleCode::DataPathSingleVendor),
            "DataPathSingleVendor"
        );
    }

    #[test]
    fn every_rule_has_help_naming_its_policy_key() {
        for r in RuleCode::ALL {
            let h = help(r, Level::Deny);
            let md = h["markdown"].as_str().unwrap();
            assert!(md.contains(&format!("`rules: {}:`", r.code())), "{md}");
            assert!(h["text"].as_str().unwrap().contains("How to fix: "));
            for p in r.params() {
                assert!(md.contains(&format!("`{}`", p.name)), "{md}");
            }
        }
    }
}
