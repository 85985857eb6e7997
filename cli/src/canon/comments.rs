//! Comments survive formatting: each one is found in the source text and
//! attached to the value it annotates, so it moves with that value when keys
//! and lists are sorted.
//!
//! - Comments before the first key form the file's **header**, kept at the
//!   top (with the blank line after it, if there was one).
//! - A comment on its own line belongs to the next key or list item: it is
//!   written on its own line(s) right above it, at its indentation.
//! - A comment after a value on the same line stays at the end of that
//!   key's (or item's) first line.
//! - Comments after the last value form the **footer**.
//!
//! Blank lines inside the document are not kept; a blank line is written
//! before each commented key instead, so commented sections stay apart.

use std::collections::HashMap;

use crate::yaml::Spans;

/// The comments of one document, attached to JSON pointers of the source.
#[derive(Debug, Default, Clone)]
pub struct Comments {
    /// Comment lines before the first key.
    pub header: Vec<String>,
    /// Whether a blank line separated the header from the first key.
    pub header_gap: bool,
    /// Full-line comments above a member or item, by its source pointer.
    pub leading: HashMap<String, Vec<String>>,
    /// End-of-line comments, by the source pointer of the value they follow.
    pub trailing: HashMap<String, Vec<String>>,
    /// Comment lines after the last value.
    pub footer: Vec<String>,
}

impl Comments {
    /// Number of comments in the document.
    pub fn count(&self) -> usize {
        self.header.len()
            + self.footer.len()
            + self.leading.values().map(Vec::len).sum::<usize>()
            + self.trailing.values().map(Vec::len).sum::<usize>()
    }

    /// True when the document has no comments.
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }
}

struct Found {
    line: usize,
    column: usize,
    text: String,
    full_line: bool,
}

/// Find the comments of `text` (already parsed into `spans`) and attach them.
pub fn collect(text: &str, spans: &Spans) -> Comments {
    let found = scan(text, spans.scalar_ranges());
    let mut comments = Comments::default();
    if found.is_empty() {
        return comments;
    }
    // Anchors: where each member (by its key) and each item (by its value)
    // starts. Map members are anchored at their key; the root has none.
    let mut anchors: Vec<(usize, usize, &str)> = Vec::new();
    let mut keyed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (ptr, _, is_key) in spans.entries() {
        if is_key {
            keyed.insert(ptr);
        }
    }
    for (ptr, pos, is_key) in spans.entries() {
        if ptr.is_empty() || (!is_key && keyed.contains(ptr)) {
            continue;
        }
        anchors.push((pos.line, pos.column, ptr));
    }
    // Outermost first on a line: smallest column, then shortest pointer.
    anchors.sort_by(|a, b| (a.0, a.1, a.2.len(), a.2).cmp(&(b.0, b.1, b.2.len(), b.2)));
    let first_line = anchors.first().map(|a| a.0).unwrap_or(usize::MAX);
    let lines: Vec<&str> = text.lines().collect();
    for c in found {
        if c.full_line && c.line < first_line {
            comments.header.push(c.text);
            continue;
        }
        if c.full_line {
            // The first anchor on a later line, outermost.
            let next = anchors.iter().find(|a| a.0 > c.line);
            match next {
                Some(a) => comments
                    .leading
                    .entry(a.2.to_string())
                    .or_default()
                    .push(c.text),
                None => comments.footer.push(c.text),
            }
        } else {
            // The innermost anchor before the comment on its line, else the
            // last anchor before it.
            let before = anchors
                .iter()
                .filter(|a| a.0 < c.line || (a.0 == c.line && a.1 < c.column))
                .max_by(|a, b| (a.0, a.1, a.2.len()).cmp(&(b.0, b.1, b.2.len())));
            match before {
                Some(a) => comments
                    .trailing
                    .entry(a.2.to_string())
                    .or_default()
                    .push(c.text),
                None => comments.header.push(c.text),
            }
        }
    }
    if let Some(last_header) = header_last_line(&lines, first_line) {
        comments.header_gap = lines
            .get(last_header..first_line.saturating_sub(1))
            .is_some_and(|between| between.iter().any(|l| l.trim().is_empty()));
    }
    comments
}

/// The 1-based line of the last header comment before `first_line`.
fn header_last_line(lines: &[&str], first_line: usize) -> Option<usize> {
    let end = first_line.saturating_sub(1).min(lines.len());
    lines[..end]
        .iter()
        .rposition(|l| l.trim_start().starts_with('#'))
        .map(|i| i + 1)
}

/// Every comment in `text`: a `#` at the start of a line or after
/// whitespace, outside every scalar.
fn scan(text: &str, scalars: &[(usize, usize)]) -> Vec<Found> {
    let mut ranges = scalars.to_vec();
    ranges.sort_unstable();
    let inside = |idx: usize| {
        // Scalars do not overlap: only the last one starting at or before
        // idx can contain it.
        let i = ranges.partition_point(|r| r.0 <= idx);
        i > 0 && idx < ranges[i - 1].1
    };
    let mut found = Vec::new();
    let mut index = 0usize; // character index of the line start
    for (n, line) in text.split('\n').enumerate() {
        let mut prev_space = true;
        let mut seen_content = false;
        for (col, ch) in line.chars().enumerate() {
            if ch == '#' && prev_space && !inside(index + col) {
                let byte = line.char_indices().nth(col).map(|(b, _)| b).unwrap_or(0);
                found.push(Found {
                    line: n + 1,
                    column: col + 1,
                    text: line[byte..].trim_end().to_string(),
                    full_line: !seen_content,
                });
                break;
            }
            prev_space = ch == ' ' || ch == '\t';
            if !prev_space {
                seen_content = true;
            }
        }
        index += line.chars().count() + 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn comments(text: &str) -> Comments {
        let (_, spans) = crate::yaml::parse(text, Path::new("t.yaml")).unwrap();
        collect(text, &spans)
    }

    #[test]
    fn header_leading_trailing_and_footer() {
        let c = comments(
            "# header one\n# header two\n\nversion: 1  # the format\n# about rules\nrules:\n  a: {level: warn} # why a\n  # about b\n  b:\n    level: deny\n# the end\n",
        );
        assert_eq!(c.header, vec!["# header one", "# header two"]);
        assert!(c.header_gap);
        assert_eq!(c.trailing["/version"], vec!["# the format"]);
        assert_eq!(c.leading["/rules"], vec!["# about rules"]);
        assert_eq!(c.trailing["/rules/a/level"], vec!["# why a"]);
        assert_eq!(c.leading["/rules/b"], vec!["# about b"]);
        assert_eq!(c.footer, vec!["# the end"]);
        assert_eq!(c.count(), 7);
    }

    #[test]
    fn hashes_inside_scalars_are_not_comments() {
        let c = comments(
            "version: 1\na: \"x # y\"\nb: 'p # q'\nc: issue#4\nd: |\n  # not a comment\n  text\ne: [\"#1\", x] # real\n",
        );
        assert_eq!(c.count(), 1, "{c:?}");
        assert_eq!(c.trailing["/e/1"], vec!["# real"]);
    }

    #[test]
    fn comments_above_list_items_attach_to_the_item() {
        let c =
            comments("version: 1\ndevices:\n  # first\n  - id: a\n    units: 1\n  - id: b # bee\n");
        assert_eq!(c.leading["/devices/0"], vec!["# first"]);
        assert_eq!(c.trailing["/devices/1/id"], vec!["# bee"]);
    }

    #[test]
    fn comments_after_quoted_values_are_kept() {
        // The parser's span of a quoted scalar runs to the end of its line;
        // found by fuzzing `strata fmt`, which then dropped the comment.
        let c = comments(
            "version: 1\na: \"C\\x05x # y\"  # after a\nb: 'it''s # not'  # after b\nc: \"\\\"\" # after c\n",
        );
        assert_eq!(c.trailing["/a"], vec!["# after a"]);
        assert_eq!(c.trailing["/b"], vec!["# after b"]);
        assert_eq!(c.trailing["/c"], vec!["# after c"]);
        assert_eq!(c.count(), 3, "{c:?}");
    }
}
