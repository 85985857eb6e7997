//! Map JSON pointers back to line and column in the JSON text.
//!
//! `serde_json::Value` keeps no source positions, so once diagnostics are
//! known their pointers are located by one scan of the (already parsed, hence
//! well-formed) text. Subtrees that contain no wanted pointer are skipped
//! without decoding, so the cost is one pass over the bytes at most, and
//! nothing at all for a valid document.

use std::collections::{HashMap, HashSet};

use crate::diag::Position;

/// Where each of `pointers` starts in `text`: the value's first byte, or for
/// an object member its key. Pointers not found are absent from the map.
pub fn locate(text: &[u8], pointers: &[&str]) -> HashMap<String, Position> {
    let wanted: HashSet<&str> = pointers.iter().copied().collect();
    let mut prefixes: HashSet<&str> = HashSet::new();
    for p in &wanted {
        prefixes.insert("");
        for (i, c) in p.char_indices() {
            if c == '/' {
                prefixes.insert(&p[..i]);
            }
        }
        prefixes.insert(p);
    }
    let mut scan = Scan {
        text,
        i: 0,
        path: String::new(),
        wanted: &wanted,
        prefixes: &prefixes,
        found: Vec::new(),
    };
    scan.skip_ws();
    scan.value(None);
    offsets_to_positions(text, scan.found)
}

struct Scan<'a> {
    text: &'a [u8],
    i: usize,
    path: String,
    wanted: &'a HashSet<&'a str>,
    prefixes: &'a HashSet<&'a str>,
    found: Vec<(String, usize)>,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Scan the value at `self.i`; `key_at` is where its member key started.
    fn value(&mut self, key_at: Option<usize>) {
        if self.wanted.contains(self.path.as_str()) {
            self.found
                .push((self.path.clone(), key_at.unwrap_or(self.i)));
        }
        if !self.prefixes.contains(self.path.as_str()) {
            self.skip_value();
            return;
        }
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            _ => self.skip_value(),
        }
    }

    fn object(&mut self) {
        self.i += 1;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => {
                    self.i += 1;
                    return;
                }
                Some(b',') => {
                    self.i += 1;
                    continue;
                }
                _ => return,
            }
            let key_at = self.i;
            let key = self.string();
            self.skip_ws();
            if self.peek() == Some(b':') {
                self.i += 1;
            }
            self.skip_ws();
            let len = self.path.len();
            self.path.push('/');
            self.path
                .push_str(&key.replace('~', "~0").replace('/', "~1"));
            self.value(Some(key_at));
            self.path.truncate(len);
        }
    }

    fn array(&mut self) {
        self.i += 1;
        let mut index = 0usize;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b']') => {
                    self.i += 1;
                    return;
                }
                Some(b',') => {
                    self.i += 1;
                    continue;
                }
                None => return,
                _ => {}
            }
            let len = self.path.len();
            self.path.push('/');
            self.path.push_str(&index.to_string());
            self.value(None);
            self.path.truncate(len);
            index += 1;
        }
    }

    /// Decode the string at `self.i` (which is a `"`).
    fn string(&mut self) -> String {
        let start = self.i;
        self.skip_string();
        let raw = &self.text[start..self.i];
        if raw.contains(&b'\\') {
            serde_json::from_slice::<String>(raw).unwrap_or_default()
        } else {
            String::from_utf8_lossy(raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default())
                .into_owned()
        }
    }

    fn skip_string(&mut self) {
        self.i += 1;
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                b'\\' => self.i += 1,
                b'"' => return,
                _ => {}
            }
        }
    }

    /// Skip one value of any kind, nested ones included.
    fn skip_value(&mut self) {
        let mut depth = 0usize;
        loop {
            match self.peek() {
                None => return,
                Some(b'"') => self.skip_string(),
                Some(b'{' | b'[') => {
                    depth += 1;
                    self.i += 1;
                }
                Some(b'}' | b']') => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    self.i += 1;
                }
                Some(b',') if depth == 0 => return,
                Some(_) => self.i += 1,
            }
            if depth == 0 {
                // A scalar ends at the next structural byte; a container just closed.
                while let Some(c) = self.peek() {
                    if matches!(
                        c,
                        b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'{' | b'['
                    ) {
                        break;
                    }
                    self.i += 1;
                }
                return;
            }
        }
    }
}

/// Convert byte offsets to 1-based line and character column in one sweep.
fn offsets_to_positions(text: &[u8], mut found: Vec<(String, usize)>) -> HashMap<String, Position> {
    found.sort_by_key(|(_, off)| *off);
    let mut out = HashMap::new();
    let (mut line, mut line_start, mut at) = (1usize, 0usize, 0usize);
    for (pointer, off) in found {
        let off = off.min(text.len());
        while at < off {
            if text[at] == b'\n' {
                line += 1;
                line_start = at + 1;
            }
            at += 1;
        }
        let column = text[line_start..off]
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count()
            + 1;
        out.insert(pointer, Position { line, column });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: usize, column: usize) -> Option<Position> {
        Some(Position { line, column })
    }

    #[test]
    fn finds_keys_items_and_the_root() {
        let text = r#"{
  "a": {"b": [1, {"c": "x"}, [true]]},
  "d/e": 2,
  "f~": "caf\u00e9",
  "g": "é", "h": null
}"#
        .as_bytes();
        let ptrs = [
            "", "/a", "/a/b/1/c", "/a/b/2/0", "/d~1e", "/f~0", "/h", "/missing",
        ];
        let m = locate(text, &ptrs);
        assert_eq!(m.get("").copied(), pos(1, 1));
        assert_eq!(m.get("/a").copied(), pos(2, 3));
        assert_eq!(m.get("/a/b/1/c").copied(), pos(2, 19));
        assert_eq!(m.get("/a/b/2/0").copied(), pos(2, 31));
        assert_eq!(m.get("/d~1e").copied(), pos(3, 3));
        assert_eq!(m.get("/f~0").copied(), pos(4, 3));
        // Columns count characters, not bytes.
        assert_eq!(m.get("/h").copied(), pos(5, 13));
        assert!(!m.contains_key("/missing"));
    }

    #[test]
    fn escaped_keys_are_decoded() {
        let text = br#"{"a\"b": {"\u0078": 1}}"#;
        let m = locate(text, &["/a\"b/x"]);
        assert_eq!(m.get("/a\"b/x").copied(), pos(1, 11));
    }

    #[test]
    fn truncated_text_does_not_panic() {
        for text in [&b"{\"a\": [1, 2"[..], b"{\"a\": \"x", b"[", b"", b"{\"a"] {
            let _ = locate(text, &["/a/1", "/a"]);
        }
    }
}
