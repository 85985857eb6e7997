//! A git merge driver for `reviews.yaml`: a three-way merge of entries, not
//! of lines.
//!
//! Entries added on either side are kept, entries removed on either side
//! are removed, and the result is written in canonical order with our
//! side's comments. Plain line merges already succeed when two branches add
//! entries at different places in the file; the driver also resolves the
//! case where both add entries at the same place (two reviewers approving
//! the same new digest), which a line merge reports as a conflict.
//!
//! Enable it with
//!
//! ```text
//! # .gitattributes (committed)
//! attestations/reviews.yaml merge=strata-reviews
//! # each clone
//! git config merge.strata-reviews.name "strata reviews"
//! git config merge.strata-reviews.driver "strata review merge %O %A %B"
//! ```
//!
//! Without the configuration git falls back to its line merge.

use std::path::Path;

use serde_json::Value;

use crate::canon;
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::model::{self, FileKind, Review, Reviews};

fn parse(text: &str, path: &Path) -> Result<Vec<Review>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    Ok(model::parse_str::<Reviews>(text, path, FileKind::Reviews)?
        .value
        .reviews)
}

/// Merge three versions of a reviews file (`base` may be empty: the file
/// was added on both sides). Returns the canonical merged text.
pub fn merge3(base: &str, ours: &str, theirs: &str, path: &Path) -> Result<String> {
    let b = parse(base, path)?;
    let t = parse(theirs, path)?;
    let ours_text = if ours.trim().is_empty() {
        "version: 1\nreviews: []\n"
    } else {
        ours
    };
    let loaded = model::parse_str::<Reviews>(ours_text, path, FileKind::Reviews)?;
    let comments = canon::comments::collect(ours_text, &loaded.spans);
    // Our entries, less those removed on their side; `moved[i]` is the new
    // index of our entry `i`.
    let mut merged: Vec<Review> = Vec::new();
    let mut moved: Vec<Option<usize>> = Vec::new();
    for r in loaded.value.reviews {
        if b.contains(&r) && !t.contains(&r) {
            moved.push(None);
        } else {
            moved.push(Some(merged.len()));
            merged.push(r);
        }
    }
    for r in t {
        // Added on their side.
        if !b.contains(&r) && !merged.contains(&r) {
            merged.push(r);
        }
    }
    let mut raw = loaded.raw;
    let entries = merged
        .iter()
        .map(serde_json::to_value)
        .collect::<std::result::Result<Vec<Value>, _>>()
        .map_err(|e| {
            Error::invalid(Diagnostic::error(Code::InvalidValue, e.to_string()).in_file(path))
        })?;
    if let Some(obj) = raw.as_object_mut() {
        obj.insert("reviews".into(), Value::Array(entries));
    }
    canon::render(&raw, FileKind::Reviews, &remap(comments, &moved), path)
}

/// Move comments attached to `/reviews/<i>...` to their entry's new index;
/// comments of removed entries go with them.
fn remap(mut c: canon::Comments, moved: &[Option<usize>]) -> canon::Comments {
    let fix = |m: std::collections::HashMap<String, Vec<String>>| {
        m.into_iter()
            .filter_map(|(ptr, v)| {
                let Some(rest) = ptr.strip_prefix("/reviews/") else {
                    return Some((ptr, v));
                };
                let (idx, tail) = rest.split_once('/').map_or((rest, ""), |(i, t)| (i, t));
                let new = idx
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| moved.get(i).copied().flatten())?;
                let sep = if tail.is_empty() { "" } else { "/" };
                Some((format!("/reviews/{new}{sep}{tail}"), v))
            })
            .collect()
    };
    c.leading = fix(std::mem::take(&mut c.leading));
    c.trailing = fix(std::mem::take(&mut c.trailing));
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(device: &str, who: &str) -> String {
        format!(
            "  - device: {device}\n    digest: sha256:{}\n    verdict: approve\n    criteria: [sec]\n    reviewer: {who}\n    date: \"2026-11-20T10:00:00Z\"\n",
            "a".repeat(64)
        )
    }

    fn file(entries: &[String]) -> String {
        format!("# header\nversion: 1\nreviews:\n{}", entries.join("\n"))
    }

    #[test]
    fn both_sides_adding_at_the_same_place_keeps_both() {
        let base = file(&[entry("a", "Xia")]);
        let ours = file(&[entry("a", "Xia"), entry("a", "Yan")]);
        let theirs = file(&[entry("a", "Xia"), entry("a", "Zoe")]);
        let out = merge3(&base, &ours, &theirs, Path::new("r.yaml")).unwrap();
        assert_eq!(
            out,
            file(&[entry("a", "Xia"), entry("a", "Yan"), entry("a", "Zoe")])
        );
    }

    #[test]
    fn removals_on_either_side_stay_removed() {
        let base = file(&[entry("a", "Xia"), entry("b", "Xia")]);
        let ours = file(&[entry("a", "Xia")]);
        let theirs = file(&[entry("a", "Xia"), entry("b", "Xia"), entry("c", "Xia")]);
        let out = merge3(&base, &ours, &theirs, Path::new("r.yaml")).unwrap();
        assert_eq!(out, file(&[entry("a", "Xia"), entry("c", "Xia")]));
    }

    #[test]
    fn added_on_both_sides_from_nothing() {
        let out = merge3(
            "",
            &file(&[entry("a", "Xia")]),
            &file(&[entry("b", "Xia")]),
            Path::new("r.yaml"),
        )
        .unwrap();
        assert_eq!(out, file(&[entry("a", "Xia"), entry("b", "Xia")]));
    }

    #[test]
    fn comments_follow_their_entries() {
        let base = file(&[entry("a", "Xia"), entry("b", "Xia")]);
        let ours = format!(
            "# header\nversion: 1\nreviews:\n{}\n  # about c\n{}",
            entry("b", "Xia"),
            entry("c", "Xia")
        );
        let theirs = file(&[entry("b", "Xia")]);
        let out = merge3(&base, &ours, &theirs, Path::new("r.yaml")).unwrap();
        assert!(out.contains("\n  # about c\n  - device: c\n"), "{out}");
    }

    #[test]
    fn an_unreadable_side_is_an_error() {
        assert!(merge3("", "version: 1\nreviews: [", "", Path::new("r.yaml")).is_err());
    }
}
