//! Review entries in versions of `reviews.yaml`, read without parsing the
//! whole file when its layout allows.
//!
//! A history holds many versions of the reviews file, each differing from
//! the last by an entry or two. In the canonical layout `strata review` and
//! `strata fmt` write, every entry is a block of lines starting with
//! `- device: ID` and running until the next line at or left of its dash
//! (blank lines inside, as in a `|` note, belong to it; blank lines at its
//! end do not). Such a block reads the same alone as in the file, so:
//!
//! - [`DeviceScan`] finds one device's blocks with a substring search and
//!   parses each distinct block once across all versions (`strata log`);
//! - [`split`] cuts a whole file into blocks, so two versions are compared
//!   by block text and only the blocks that differ are parsed (`strata
//!   diff`).
//!
//! Whenever a file does not have that layout (flow style, other key order,
//! the device id outside its `device:` line, an entry that does not read
//! alone), the caller parses the whole file instead, with the same result.

use std::collections::HashMap;

use crate::model::Review;

use super::parse_reviews_lenient;

/// Whether `b` can be part of a device id, for whole-word matches.
fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._-".contains(&b)
}

/// The end of the line starting at `at` (after its newline).
fn line_end(text: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |j| at + j + 1)
}

/// Whether `line` (with its newline, if any) is blank.
fn blank(line: &[u8]) -> bool {
    line.iter().all(|b| matches!(b, b' ' | b'\n' | b'\r'))
}

/// The end of the entry whose first line (its dash at column `indent`)
/// ends at `from`: the start of the next non-blank line at or left of the
/// dash, with the blank lines before it left out.
fn block_end(text: &[u8], from: usize, indent: usize) -> usize {
    let mut end = from;
    let mut at = from;
    while at < text.len() {
        let next = line_end(text, at);
        let line = &text[at..next];
        if !blank(line) {
            let deeper = line.len() > indent + 1 && line[..=indent].iter().all(|b| *b == b' ');
            if !deeper {
                break;
            }
            end = next;
        }
        at = next;
    }
    end
}

/// Read one entry's block alone. `None` unless it is exactly one review of
/// `device`.
fn parse_block(block: &[u8], device: &str) -> Option<Review> {
    if keeps_trailing_lines(block) {
        return None;
    }
    let doc = format!("version: 1\nreviews:\n{}", std::str::from_utf8(block).ok()?);
    let mut parsed = parse_reviews_lenient(&doc);
    if parsed.len() != 1 || parsed[0].device != device {
        return None;
    }
    parsed.pop()
}

/// Whether `block` has a block scalar that keeps trailing blank lines
/// (`|+`, `>+`, with an optional indentation digit): those lines would be
/// part of its value, and a block ends before them.
fn keeps_trailing_lines(block: &[u8]) -> bool {
    memchr::memchr_iter(b'+', block).any(|i| {
        let head = &block[..i];
        let head = match head.last() {
            Some(d) if d.is_ascii_digit() => &head[..head.len() - 1],
            _ => head,
        };
        matches!(head.last(), Some(b'|' | b'>'))
    })
}

/// The entries of one device, found in any number of versions of the
/// reviews file.
pub(crate) struct DeviceScan {
    device: String,
    /// `- device: ID\n` with the id as the canonical writer spells it.
    needle: String,
    /// Parsed entries by their block text.
    blocks: HashMap<Vec<u8>, Review>,
}

impl DeviceScan {
    /// A scanner for `device`.
    pub(crate) fn new(device: &str) -> DeviceScan {
        DeviceScan {
            device: device.to_string(),
            needle: format!("- device: {}\n", crate::canon::scalar_text(device)),
            blocks: HashMap::new(),
        }
    }

    /// The device's entries in `text` (one version of the file), in file
    /// order.
    pub(crate) fn reviews(&mut self, text: &[u8]) -> Vec<Review> {
        match self.blocks(text) {
            Some(r) => r,
            None => parse_reviews_lenient(&String::from_utf8_lossy(text))
                .into_iter()
                .filter(|r| r.device == self.device)
                .collect(),
        }
    }

    /// The fast path: every mention of the device id is an entry's
    /// `- device: ID` line. `None` when the id appears anywhere else or a
    /// block does not read alone.
    fn blocks(&mut self, text: &[u8]) -> Option<Vec<Review>> {
        let id = self.device.as_bytes();
        let mut out = Vec::new();
        let mut resume = 0;
        for i in memchr::memmem::find_iter(text, id) {
            let before = i.checked_sub(1).map(|j| text[j]);
            let after = text.get(i + id.len()).copied();
            if before.is_some_and(is_id_byte) || after.is_some_and(is_id_byte) {
                continue; // part of a longer id
            }
            if i < resume {
                return None; // inside an entry already read
            }
            let start = memchr::memrchr(b'\n', &text[..i]).map_or(0, |j| j + 1);
            let first_end = line_end(text, i);
            let line = &text[start..first_end];
            let indent = line.iter().take_while(|b| **b == b' ').count();
            if &line[indent..] != self.needle.as_bytes() {
                return None;
            }
            let end = block_end(text, first_end, indent);
            resume = end;
            let block = &text[start..end];
            let review = match self.blocks.get(block) {
                Some(r) => r.clone(),
                None => {
                    let r = parse_block(block, &self.device)?;
                    self.blocks.insert(block.to_vec(), r.clone());
                    r
                }
            };
            out.push(review);
        }
        Some(out)
    }
}

/// One entry of a reviews file in the canonical layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Block<'t> {
    /// The device id, as written (a plain scalar that reads as itself).
    pub(crate) device: &'t str,
    /// The entry's lines.
    pub(crate) text: &'t [u8],
}

impl Block<'_> {
    /// The entry, read alone; `None` when it does not read as one review
    /// of its device.
    pub(crate) fn parse(&self) -> Option<Review> {
        parse_block(self.text, self.device)
    }
}

/// Cut a whole reviews file into its entries, in file order. `None` unless
/// it has the canonical layout: comments, blank lines and a `version:` line
/// at the left margin, then `reviews:` followed by entries that each start
/// with `- device: ID` (ID a plain scalar that reads as itself) at one
/// indentation, with only comments and blank lines between entries and
/// after the list.
pub(crate) fn split(text: &[u8]) -> Option<Vec<Block<'_>>> {
    let mut at = 0;
    // Before the list.
    loop {
        if at >= text.len() {
            return Some(Vec::new()); // no `reviews:`: no entries
        }
        let next = line_end(text, at);
        let line = trim_newline(&text[at..next]);
        at = next;
        if line == b"reviews:" {
            break;
        }
        if line == b"reviews: []" {
            return rest_is_comments(text, at).then(Vec::new);
        }
        let ok = line.is_empty()
            || line.starts_with(b"#")
            || (line.starts_with(b"version:") && !line.contains(&b'#'));
        if !ok {
            return None;
        }
    }
    let mut out = Vec::new();
    let mut indent = None;
    while at < text.len() {
        let next = line_end(text, at);
        let line = trim_newline(&text[at..next]);
        let spaces = line.iter().take_while(|b| **b == b' ').count();
        let body = &line[spaces..];
        if body.is_empty() || body.starts_with(b"#") {
            at = next;
            continue;
        }
        if spaces == 0 {
            // The list ended; only comments may follow.
            return rest_is_comments(text, at).then_some(out);
        }
        if *indent.get_or_insert(spaces) != spaces {
            return None;
        }
        let device = std::str::from_utf8(body.strip_prefix(b"- device: ")?).ok()?;
        if device.is_empty() || crate::canon::scalar_text(device) != device {
            return None;
        }
        let end = block_end(text, next, spaces);
        out.push(Block {
            device,
            text: &text[at..end],
        });
        at = end;
    }
    Some(out)
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Whether everything from `at` on is blank lines and comments at the left
/// margin.
fn rest_is_comments(text: &[u8], mut at: usize) -> bool {
    while at < text.len() {
        let next = line_end(text, at);
        let line = trim_newline(&text[at..next]);
        if !(line.is_empty() || line.starts_with(b"#")) {
            return false;
        }
        at = next;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# header
version: 1
reviews:
  - device: car
    digest: sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    verdict: approve
    criteria: [security-reviewed]
    reviewer: Sam <sam@example.org>
    date: \"2026-11-02T09:00:00Z\"
    note: |-
      first paragraph

      second paragraph, which names phone

  - device: phone
    digest: sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
    verdict: reject
    criteria: [dpo-approved]
    reviewer: Dee <dee@example.org>
    date: \"2026-11-03T09:00:00Z\"

  # a comment between entries
  - device: phone-2
    digest: sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
    verdict: approve
    criteria: [dpo-approved]
    reviewer: Dee <dee@example.org>
    date: \"2026-11-04T09:00:00Z\"
";

    fn full(text: &str, device: &str) -> Vec<Review> {
        parse_reviews_lenient(text)
            .into_iter()
            .filter(|r| r.device == device)
            .collect()
    }

    #[test]
    fn blocks_read_alone_as_in_the_file() {
        let blocks = split(FILE.as_bytes()).unwrap();
        let devices: Vec<&str> = blocks.iter().map(|b| b.device).collect();
        assert_eq!(devices, ["car", "phone", "phone-2"]);
        let all = parse_reviews_lenient(FILE);
        let alone: Vec<Review> = blocks.iter().map(|b| b.parse().unwrap()).collect();
        assert_eq!(alone, all);
        // A blank line inside a `|` note belongs to the entry.
        assert_eq!(
            alone[0].note.as_deref(),
            Some("first paragraph\n\nsecond paragraph, which names phone")
        );
        assert!(!blocks[0].text.ends_with(b"\n\n"));
    }

    #[test]
    fn device_scan_matches_a_full_parse() {
        for device in ["car", "phone", "phone-2", "absent"] {
            let mut scan = DeviceScan::new(device);
            assert_eq!(
                scan.reviews(FILE.as_bytes()),
                full(FILE, device),
                "{device}"
            );
            // Again, from the block cache.
            assert_eq!(
                scan.reviews(FILE.as_bytes()),
                full(FILE, device),
                "{device}"
            );
        }
    }

    /// One entry's fields after `device`, at an indentation of four.
    const REST: &str = "    digest: sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n    verdict: approve\n    criteria: [x]\n    reviewer: R\n    date: \"2026-11-03T09:00:00Z\"\n";

    #[test]
    fn other_layouts_fall_back_to_a_full_parse() {
        let head = "version: 1\nreviews:\n";
        let flow = format!(
            "{head}- {{device: phone, digest: \"sha256:{}\", verdict: approve, criteria: [x], reviewer: R, date: \"2026-11-03T09:00:00Z\"}}\n",
            "b".repeat(64)
        );
        let reordered = format!(
            "{head}  - digest: sha256:{}\n    device: phone\n    verdict: approve\n    criteria: [x]\n    reviewer: R\n    date: \"2026-11-03T09:00:00Z\"\n",
            "b".repeat(64)
        );
        let quoted = format!("{head}  - device: 'phone'\n{REST}");
        let trailing = format!("{head}  - device: phone\n{REST}other: 1\n");
        // A note that keeps its trailing blank lines: they belong to it.
        let keep = format!(
            "{head}  - device: phone\n{REST}    note: |+\n      kept\n\n  - device: car\n{REST}"
        );
        for text in [&flow, &reordered, &quoted, &trailing, &keep] {
            let expect = full(text, "phone");
            assert_eq!(expect.len(), 1, "{text}");
            assert_eq!(DeviceScan::new("phone").reviews(text.as_bytes()), expect);
        }
        assert_eq!(full(&keep, "phone")[0].note.as_deref(), Some("kept\n\n"));
        for text in [&flow, &reordered, &quoted, &trailing] {
            assert!(split(text.as_bytes()).is_none(), "{text}");
        }
        // An entry with an unknown key splits but does not read alone, and
        // the scan gives way to the full parse (which skips it).
        let unknown = format!("{head}  - device: phone\n{REST}    extra: 1\n");
        assert!(split(unknown.as_bytes()).unwrap()[0].parse().is_none());
        assert_eq!(DeviceScan::new("phone").reviews(unknown.as_bytes()), []);
    }

    #[test]
    fn empty_and_missing_lists() {
        assert_eq!(split(b"version: 1\nreviews: []\n"), Some(Vec::new()));
        assert_eq!(split(b"# nothing yet\n"), Some(Vec::new()));
        assert_eq!(split(b"version: 1\nreviews: []\nmore: 2\n"), None);
        assert_eq!(DeviceScan::new("x").reviews(b""), Vec::new());
    }
}
