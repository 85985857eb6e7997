//! A guarded YAML reader that keeps source positions.
//!
//! strata's files (stacks, vendors, designations, policy, approved devices,
//! reviews) are YAML written by people. This module turns YAML text into a
//! `serde_json::Value` plus a [`Spans`] table that maps every JSON pointer to
//! the line and column of its key and value, so later phases (JSON Schema
//! validation, semantic checks) can point at the exact place in the file.
//!
//! It reads the event stream of `saphyr-parser` (a maintained YAML 1.2 parser)
//! and builds the tree itself, which lets it defend against hostile input:
//! - the input size is bounded by the caller (see `fsutil::read_bounded`);
//! - aliases are expanded against a budget of bytes, [`alias_budget`]: the
//!   expanded document (every scalar's text, plus one byte a node) may be at
//!   most [`ALIAS_FACTOR`] times the input (at least [`ALIAS_FLOOR`], never
//!   more than [`MAX_EXPANDED_BYTES`]), so a "billion laughs" bomb or a
//!   megabyte scalar aliased a thousand times is refused with
//!   `yaml-alias-budget` before it is built; a document without aliases
//!   never reaches the budget;
//! - and against a budget of [`MAX_NODES`] nodes;
//! - nesting depth is bounded by [`MAX_DEPTH`];
//! - duplicate mapping keys, non-scalar keys, multiple documents and
//!   unknown tags are errors.
//!
//! Scalars are resolved with the YAML 1.2 core schema: `true`/`false`,
//! `null`/`~`/empty, integers and floats; everything else is a string (so
//! `2026-01-01` and `2.0.201` stay strings, unlike YAML 1.1 readers).

use std::collections::HashMap;
use std::path::Path;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde_json::{Map, Number, Value};

use crate::diag::{Code, Diagnostic, Error, Position, Result};

/// Most nodes a document may expand to, aliases included.
pub const MAX_NODES: usize = 400_000;
/// How many times its own size a document may expand to through aliases.
pub const ALIAS_FACTOR: usize = 4;
/// The expansion every document may reach, however small.
pub const ALIAS_FLOOR: usize = 1024 * 1024;
/// The expansion no document may exceed: the input cap, 64 MiB.
pub const MAX_EXPANDED_BYTES: usize = 64 * 1024 * 1024;

/// The expanded size in bytes a document of `input_len` bytes may reach.
pub fn alias_budget(input_len: usize) -> usize {
    input_len
        .saturating_mul(ALIAS_FACTOR)
        .clamp(ALIAS_FLOOR, MAX_EXPANDED_BYTES)
}
/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 128;

/// Where one member's key and value start.
#[derive(Debug, Default, Clone, Copy)]
struct Slot {
    key: Option<Position>,
    value: Option<Position>,
}

/// Source positions of every value in a parsed document, by JSON pointer.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    /// By pointer: where its key starts (members of mappings) and where its
    /// value starts. One entry a pointer keeps the table small.
    slots: HashMap<Box<str>, Slot>,
    /// Character ranges `[start, end)` covered by scalars (keys and values),
    /// so a `#` inside a quoted or block scalar is not taken for a comment.
    scalars: Vec<(usize, usize)>,
}

impl Spans {
    /// Where the value at `pointer` starts.
    pub fn value(&self, pointer: &str) -> Option<Position> {
        self.slots.get(pointer).and_then(|s| s.value)
    }

    /// Where the key of the member at `pointer` starts (its value's position
    /// for array items and the root).
    pub fn key(&self, pointer: &str) -> Option<Position> {
        let slot = self.slots.get(pointer)?;
        slot.key.or(slot.value)
    }

    /// Every recorded position: `(pointer, position, is_key)`. Keys are the
    /// positions of mapping keys; values those of values and sequence items.
    pub fn entries(&self) -> impl Iterator<Item = (&str, Position, bool)> {
        self.slots.iter().flat_map(|(p, s)| {
            let p: &str = p;
            s.key
                .map(|k| (p, k, true))
                .into_iter()
                .chain(s.value.map(|v| (p, v, false)))
        })
    }

    /// Character ranges `[start, end)` of every scalar in the document.
    pub fn scalar_ranges(&self) -> &[(usize, usize)] {
        &self.scalars
    }

    /// The closest known position for `pointer`, walking up to its parents.
    pub fn nearest(&self, pointer: &str) -> Option<Position> {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.value(p) {
                return Some(pos);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }
}

/// Escape one JSON-pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn position(span: &Span) -> Position {
    Position {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        start: Size,
        pointer: String,
    },
    Map {
        map: Map<String, Value>,
        anchor: usize,
        start: Size,
        pointer: String,
        pending_key: Option<String>,
    },
}

/// How much of the document has been built: nodes, and bytes (each
/// scalar's text plus one per node).
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    nodes: usize,
    bytes: usize,
}

impl Size {
    fn since(self, start: Size) -> Size {
        Size {
            nodes: self.nodes - start.nodes,
            bytes: self.bytes - start.bytes,
        }
    }
}

struct Builder<'a> {
    file: &'a Path,
    stack: Vec<Frame>,
    /// Anchored values and their expanded size.
    anchors: HashMap<usize, (Value, Size)>,
    spans: Spans,
    built: Size,
    /// The most bytes the document may expand to ([`alias_budget`]).
    budget: usize,
    /// The input's size, for messages.
    input_len: usize,
    /// The most nodes the document may expand to ([`MAX_NODES`]).
    max_nodes: usize,
    root: Option<Value>,
    documents: usize,
    /// Quoted scalars: their index in `spans.scalars` and their quote.
    quoted: Vec<(usize, char)>,
}

impl<'a> Builder<'a> {
    fn err(&self, code: Code, msg: impl Into<String>, span: &Span) -> Error {
        Error::invalid(
            Diagnostic::error(code, msg)
                .in_file(self.file)
                .at(Some(position(span))),
        )
    }

    /// The pointer of the next value and, for mappings, whether it is a key.
    fn next_slot(&self) -> (String, bool) {
        match self.stack.last() {
            None => (String::new(), false),
            Some(Frame::Seq { items, pointer, .. }) => {
                (format!("{pointer}/{}", items.len()), false)
            }
            Some(Frame::Map {
                pointer,
                pending_key,
                ..
            }) => match pending_key {
                None => (pointer.clone(), true),
                Some(k) => (format!("{pointer}/{}", escape_token(k)), false),
            },
        }
    }

    fn count(&mut self, n: Size, span: &Span) -> Result<()> {
        self.built.nodes = self.built.nodes.saturating_add(n.nodes);
        self.built.bytes = self.built.bytes.saturating_add(n.bytes);
        if self.built.nodes > self.max_nodes {
            return Err(self
                .err(
                    Code::YamlTooManyNodes,
                    format!("document expands to more than {} nodes", self.max_nodes),
                    span,
                )
                .with_help("aliases that expand recursively (an \"alias bomb\") are refused"));
        }
        if self.built.bytes > self.budget {
            return Err(self
                .err(
                    Code::YamlAliasBudget,
                    format!(
                        "aliases expand this document ({}) beyond {}: a document may expand to {} times its size (at least {}, at most {})",
                        crate::fsutil::human_bytes(self.input_len as u64),
                        crate::fsutil::human_bytes(self.budget as u64),
                        ALIAS_FACTOR,
                        crate::fsutil::human_bytes(ALIAS_FLOOR as u64),
                        crate::fsutil::human_bytes(MAX_EXPANDED_BYTES as u64),
                    ),
                    span,
                )
                .with_help("write the repeated value out, or alias smaller values; an alias repeats its whole anchored value"));
        }
        Ok(())
    }

    /// Place a finished value in its parent (or as the root).
    fn place(&mut self, value: Value, span: &Span) -> Result<()> {
        let file = self.file;
        match self.stack.last_mut() {
            None => {
                self.root = Some(value);
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(value);
                Ok(())
            }
            Some(Frame::Map {
                map, pending_key, ..
            }) => match pending_key.take() {
                Some(k) => {
                    map.insert(k, value);
                    Ok(())
                }
                None => {
                    let key = match value {
                        Value::String(s) => s,
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Null => "null".to_string(),
                        _ => {
                            return Err(Error::invalid(
                                Diagnostic::error(
                                    Code::YamlComplexKey,
                                    "mapping keys must be scalars",
                                )
                                .in_file(file)
                                .at(Some(position(span))),
                            ));
                        }
                    };
                    if map.contains_key(&key) {
                        return Err(Error::invalid(
                            Diagnostic::error(
                                Code::YamlDuplicateKey,
                                format!("duplicate key `{key}`"),
                            )
                            .in_file(file)
                            .at(Some(position(span)))
                            .help("each key may appear once in a mapping"),
                        ));
                    }
                    *pending_key = Some(key);
                    Ok(())
                }
            },
        }
    }

    fn record_span(&mut self, span: &Span) {
        let (pointer, is_key) = self.next_slot();
        if is_key {
            return;
        }
        self.spans
            .slots
            .entry(pointer.into_boxed_str())
            .or_default()
            .value = Some(position(span));
    }

    fn record_key_span(&mut self, key: &str, span: &Span) {
        if let Some(Frame::Map { pointer, .. }) = self.stack.last() {
            let pointer = format!("{pointer}/{}", escape_token(key)).into_boxed_str();
            self.spans.slots.entry(pointer).or_default().key = Some(position(span));
        }
    }

    fn on_event(&mut self, ev: Event<'_>, span: Span) -> Result<()> {
        match ev {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => Ok(()),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(self
                        .err(
                            Code::YamlMultipleDocuments,
                            "expected one YAML document, found several",
                            &span,
                        )
                        .with_help("remove the extra `---` document"));
                }
                Ok(())
            }
            Event::Alias(id) => {
                // Counted before the value is cloned: a refused alias costs
                // nothing.
                let Some(size) = self.anchors.get(&id).map(|(_, size)| *size) else {
                    return Err(self.err(Code::YamlSyntax, "alias to an unknown anchor", &span));
                };
                self.count(size, &span)?;
                let Some((value, _)) = self.anchors.get(&id) else {
                    return Err(self.err(Code::YamlSyntax, "alias to an unknown anchor", &span));
                };
                let value = value.clone();
                self.record_span(&span);
                self.place(value, &span)
            }
            Event::Scalar(text, style, anchor, tag) => {
                let (_, is_key) = self.next_slot();
                let value = self.resolve_scalar(&text, style, tag.as_deref(), &span)?;
                let size = Size {
                    nodes: 1,
                    bytes: text.len() + 1,
                };
                self.count(size, &span)?;
                match style {
                    ScalarStyle::DoubleQuoted => self.quoted.push((self.spans.scalars.len(), '"')),
                    ScalarStyle::SingleQuoted => self.quoted.push((self.spans.scalars.len(), '\'')),
                    _ => {}
                }
                self.spans
                    .scalars
                    .push((span.start.index(), span.end.index()));
                if is_key {
                    if let Value::String(k) = &value {
                        let k = k.clone();
                        self.record_key_span(&k, &span);
                    }
                } else {
                    self.record_span(&span);
                }
                if anchor > 0 {
                    self.anchors.insert(anchor, (value.clone(), size));
                }
                self.place(value, &span)
            }
            Event::SequenceStart(anchor, tag) => self.open(true, anchor, tag.as_deref(), span),
            Event::MappingStart(anchor, tag) => self.open(false, anchor, tag.as_deref(), span),
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Err(self.err(Code::YamlSyntax, "unbalanced collection end", &span));
                };
                let (value, anchor, start) = match frame {
                    Frame::Seq {
                        items,
                        anchor,
                        start,
                        ..
                    } => (Value::Array(items), anchor, start),
                    Frame::Map {
                        map, anchor, start, ..
                    } => (Value::Object(map), anchor, start),
                };
                if anchor > 0 {
                    // The collection's own node (counted before `start`)
                    // and everything in it.
                    let inner = self.built.since(start);
                    let size = Size {
                        nodes: inner.nodes + 1,
                        bytes: inner.bytes + 1,
                    };
                    self.anchors.insert(anchor, (value.clone(), size));
                }
                self.place(value, &span)
            }
        }
    }

    fn open(
        &mut self,
        is_seq: bool,
        anchor: usize,
        tag: Option<&saphyr_parser::Tag>,
        span: Span,
    ) -> Result<()> {
        if let Some(t) = tag {
            let ok = t.handle == "tag:yaml.org,2002:"
                && (t.suffix == if is_seq { "seq" } else { "map" });
            if !ok {
                return Err(self.err(
                    Code::YamlUnsupportedTag,
                    format!("unsupported tag `{}{}`", t.handle, t.suffix),
                    &span,
                ));
            }
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.err(
                Code::YamlTooDeep,
                format!("nesting deeper than {MAX_DEPTH} levels"),
                &span,
            ));
        }
        let (pointer, is_key) = self.next_slot();
        if is_key {
            return Err(self.err(Code::YamlComplexKey, "mapping keys must be scalars", &span));
        }
        self.record_span(&span);
        self.count(Size { nodes: 1, bytes: 1 }, &span)?;
        let start = self.built;
        self.stack.push(if is_seq {
            Frame::Seq {
                items: Vec::new(),
                anchor,
                start,
                pointer,
            }
        } else {
            Frame::Map {
                map: Map::new(),
                anchor,
                start,
                pointer,
                pending_key: None,
            }
        });
        Ok(())
    }

    fn resolve_scalar(
        &self,
        text: &str,
        style: ScalarStyle,
        tag: Option<&saphyr_parser::Tag>,
        span: &Span,
    ) -> Result<Value> {
        if let Some(t) = tag {
            let known = t.handle == "tag:yaml.org,2002:" || t.handle == "!!";
            return match (known, t.suffix.as_str()) {
                (true, "str") => Ok(Value::String(text.to_string())),
                (true, "null") => Ok(Value::Null),
                (true, "bool" | "int" | "float") => {
                    let v = resolve_plain(text);
                    let fits = matches!(
                        (t.suffix.as_str(), &v),
                        ("bool", Value::Bool(_))
                            | ("int", Value::Number(_))
                            | ("float", Value::Number(_))
                    );
                    if fits {
                        Ok(v)
                    } else {
                        Err(self.err(
                            Code::YamlSyntax,
                            format!("`{text}` is not a valid !!{}", t.suffix),
                            span,
                        ))
                    }
                }
                _ => Err(self.err(
                    Code::YamlUnsupportedTag,
                    format!("unsupported tag `{}{}`", t.handle, t.suffix),
                    span,
                )),
            };
        }
        Ok(match style {
            ScalarStyle::Plain => resolve_plain(text),
            _ => Value::String(text.to_string()),
        })
    }
}

/// Resolve a plain scalar with the YAML 1.2 core schema.
pub(crate) fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return Value::String(text.to_string()),
        _ => {}
    }
    let bytes = text.as_bytes();
    let int_like = {
        let body = text.strip_prefix(['-', '+']).unwrap_or(text);
        !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit())
    };
    if int_like {
        if let Ok(i) = text.parse::<i64>() {
            return Value::Number(i.into());
        }
        if let Ok(u) = text.parse::<u64>() {
            return Value::Number(u.into());
        }
    }
    if let Some(hex) = text.strip_prefix("0x")
        && !hex.is_empty()
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
        && let Ok(u) = u64::from_str_radix(hex, 16)
    {
        return Value::Number(u.into());
    }
    if let Some(oct) = text.strip_prefix("0o")
        && !oct.is_empty()
        && oct.bytes().all(|b| (b'0'..=b'7').contains(&b))
        && let Ok(u) = u64::from_str_radix(oct, 8)
    {
        return Value::Number(u.into());
    }
    // Core-schema float: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    if is_core_float(bytes)
        && let Ok(f) = text.parse::<f64>()
        && let Some(n) = Number::from_f64(f)
    {
        return Value::Number(n);
    }
    Value::String(text.to_string())
}

fn is_core_float(b: &[u8]) -> bool {
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let start_digits = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - start_digits;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - s;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    i == b.len()
}

trait WithHelp {
    fn with_help(self, help: &str) -> Self;
}

impl WithHelp for Error {
    fn with_help(self, help: &str) -> Self {
        match self {
            Error::Invalid(mut d) => {
                if let Some(first) = d.first_mut() {
                    first.help = Some(help.to_string());
                }
                Error::Invalid(d)
            }
            other => other,
        }
    }
}

/// Parse YAML `text` (read from `file`, used in diagnostics) into a JSON value
/// and the positions of its members. An empty document is `null`.
pub fn parse(text: &str, file: &Path) -> Result<(Value, Spans)> {
    parse_limited(text, file, MAX_NODES)
}

fn parse_limited(text: &str, file: &Path, max_nodes: usize) -> Result<(Value, Spans)> {
    let mut b = Builder {
        max_nodes,
        file,
        stack: Vec::new(),
        anchors: HashMap::new(),
        spans: Spans::default(),
        built: Size::default(),
        budget: alias_budget(text.len()),
        input_len: text.len(),
        root: None,
        documents: 0,
        quoted: Vec::new(),
    };
    for item in Parser::new_from_str(text) {
        let (ev, span) = match item {
            Ok(x) => x,
            Err(e) => {
                let m = e.marker();
                return Err(Error::invalid(
                    Diagnostic::error(Code::YamlSyntax, e.info().to_string())
                        .in_file(file)
                        .at(Some(Position {
                            line: m.line(),
                            column: m.col() + 1,
                        })),
                ));
            }
        };
        b.on_event(ev, span)?;
    }
    end_quoted_at_their_quote(text, &mut b.spans.scalars, &b.quoted);
    Ok((b.root.unwrap_or(Value::Null), b.spans))
}

/// The parser ends a quoted scalar's span after the whitespace and comment
/// that follow it on its line; end each at its closing quote instead, so a
/// comment after a quoted value is seen as one (and kept by `strata fmt`).
/// One pass over the text; `quoted` is in document order, as the scalars
/// are.
fn end_quoted_at_their_quote(text: &str, scalars: &mut [(usize, usize)], quoted: &[(usize, char)]) {
    let mut chars = text.chars().enumerate().peekable();
    for &(i, quote) in quoted {
        let Some(&(start, _)) = scalars.get(i) else {
            continue;
        };
        while chars.peek().is_some_and(|&(at, _)| at < start) {
            chars.next();
        }
        if chars.next().is_none_or(|(_, c)| c != quote) {
            continue;
        }
        while let Some((at, c)) = chars.next() {
            if quote == '"' && c == '\\' {
                chars.next();
            } else if c == quote {
                if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                    chars.next();
                    continue;
                }
                if let Some(s) = scalars.get_mut(i) {
                    s.1 = at + 1;
                }
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<(Value, Spans)> {
        parse(text, Path::new("t.yaml"))
    }

    #[test]
    fn core_schema_scalars() {
        let (v, _) =
            p("a: 1\nb: 1.5\nc: true\nd: ~\ne: 2026-01-01\nf: 2.0.201\ng: '1'\nh: 0x1f\ni: -3\n")
                .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"a":1,"b":1.5,"c":true,"d":null,"e":"2026-01-01","f":"2.0.201","g":"1","h":31,"i":-3})
        );
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let (_, s) = p("version: 1\ndevice:\n  id: x\n  units: [1, 2]\n").unwrap();
        assert_eq!(s.value("/device/id"), Some(Position { line: 3, column: 7 }));
        assert_eq!(s.key("/device/id"), Some(Position { line: 3, column: 3 }));
        assert_eq!(
            s.value("/device/units/1"),
            Some(Position {
                line: 4,
                column: 14
            })
        );
        assert_eq!(
            s.nearest("/device/id/nope"),
            Some(Position { line: 3, column: 7 })
        );
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = p("a: 1\na: 2\n").unwrap_err();
        let d = e.diagnostics();
        assert_eq!(d[0].code, "yaml-duplicate-key");
        assert_eq!(d[0].position, Some(Position { line: 2, column: 1 }));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut y = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            y.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
                p = i - 1
            ));
        }
        // Ten-fold aliases of tiny scalars: the node cap stops it first.
        let e = p(&y).unwrap_err();
        assert_eq!(e.diagnostics()[0].code, "yaml-too-many-nodes");
        // Without aliases, nodes are still bounded.
        let y = format!("[{}]", vec!["a"; 1001].join(","));
        let e = parse_limited(&y, Path::new("t.yaml"), 1000).unwrap_err();
        assert_eq!(e.diagnostics()[0].code, "yaml-too-many-nodes");
    }

    #[test]
    fn aliases_are_bounded_by_the_bytes_they_expand_to() {
        // One 256 KiB scalar aliased 100 times: 25 MiB from a 257 KiB file.
        let big = "x".repeat(256 * 1024);
        let mut y = format!("big: &b {big}\nlist:\n");
        for _ in 0..100 {
            y.push_str("  - *b\n");
        }
        let e = p(&y).unwrap_err();
        let d = &e.diagnostics()[0];
        assert_eq!(d.code, "yaml-alias-budget");
        // Refused at the alias that crossed the budget (1 MiB: the floor),
        // with its line.
        assert_eq!(d.position.map(|p| p.line), Some(6));
        // Three uses of it fit in the floor.
        let ok = format!("big: &b {big}\nlist: [*b, *b, *b]\n");
        assert_eq!(
            p(&ok).unwrap().0["list"][2].as_str().unwrap().len(),
            256 * 1024
        );
        assert_eq!(alias_budget(10), ALIAS_FLOOR);
        assert_eq!(alias_budget(1 << 20), 4 << 20);
        assert_eq!(alias_budget(60 << 20), MAX_EXPANDED_BYTES);
    }

    #[test]
    fn documents_without_aliases_never_reach_the_budget() {
        // Many tiny nodes: the densest a document gets without aliases.
        let y = format!("[{}]", vec!["a"; 50_000].join(","));
        assert_eq!(p(&y).unwrap().0.as_array().unwrap().len(), 50_000);
        let y = format!("[{}]", vec!["\"\""; 50_000].join(","));
        assert!(p(&y).is_ok());
    }

    #[test]
    fn small_aliases_work() {
        let (v, _) = p("base: &b {x: 1}\nother: *b\n").unwrap();
        assert_eq!(v["other"]["x"], 1);
    }

    #[test]
    fn syntax_errors_carry_position() {
        let e = p("a: [1, 2\nb: 3\n").unwrap_err();
        let d = &e.diagnostics()[0];
        assert_eq!(d.code, "yaml-syntax");
        assert!(d.position.is_some());
        assert_eq!(d.file.as_deref(), Some(Path::new("t.yaml")));
    }

    #[test]
    fn multiple_documents_and_tags_are_refused() {
        assert_eq!(
            p("a: 1\n---\nb: 2\n").unwrap_err().diagnostics()[0].code,
            "yaml-multiple-documents"
        );
        assert_eq!(
            p("a: !custom 1\n").unwrap_err().diagnostics()[0].code,
            "yaml-unsupported-tag"
        );
        assert_eq!(p("a: !!str 1\n").unwrap().0["a"], "1");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let y = "[".repeat(MAX_DEPTH + 5) + &"]".repeat(MAX_DEPTH + 5);
        assert_eq!(p(&y).unwrap_err().diagnostics()[0].code, "yaml-too-deep");
    }
}
