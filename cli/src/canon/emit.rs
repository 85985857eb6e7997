//! The canonical layout: block mappings with two-space indentation, keys in
//! the order the JSON Schema declares them (then any others alphabetically,
//! such as vendor ids and rule codes), sets (`uniqueItems` lists of scalars)
//! sorted (in the schema's `enum` order when there is one), keyed lists sorted by the schema's `x-strata-sort-by`, short lists
//! of scalars on one line, one value per line otherwise.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::comments::Comments;
use super::scalar::{self, Context};
use crate::yaml::escape_token;

/// Widest line a one-line list may make.
pub(crate) const WIDTH: usize = 100;

/// Navigation in a JSON Schema by instance location.
#[derive(Clone, Copy)]
pub(crate) struct Nav<'a> {
    root: &'a Value,
}

impl<'a> Nav<'a> {
    pub(crate) fn new(root: &'a Value) -> Self {
        Nav { root }
    }

    pub(crate) fn root(&self) -> Option<&'a Value> {
        Some(self.deref(self.root))
    }

    fn deref(&self, mut node: &'a Value) -> &'a Value {
        for _ in 0..16 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(r) if r.starts_with("#/") => match self.root.pointer(&r[1..]) {
                    Some(n) => node = n,
                    None => break,
                },
                _ => break,
            }
        }
        node
    }

    /// The node and its `allOf`/`anyOf`/`oneOf` branches, dereferenced.
    fn branches(&self, node: &'a Value) -> Vec<&'a Value> {
        let node = self.deref(node);
        let mut out = vec![node];
        for kw in ["allOf", "anyOf", "oneOf"] {
            if let Some(a) = node.get(kw).and_then(Value::as_array) {
                for b in a {
                    out.extend(self.branches(b));
                }
            }
        }
        out
    }

    /// Declared property names, in declaration order.
    pub(crate) fn props(&self, node: Option<&'a Value>) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        for b in node.map(|n| self.branches(n)).unwrap_or_default() {
            if let Some(p) = b.get("properties").and_then(Value::as_object) {
                for k in p.keys() {
                    if !out.contains(&k.as_str()) {
                        out.push(k);
                    }
                }
            }
        }
        out
    }

    /// The schema of member `key` of an object described by `node`.
    pub(crate) fn child(&self, node: Option<&'a Value>, key: &str) -> Option<&'a Value> {
        let bs = self.branches(node?);
        for b in &bs {
            if let Some(c) = b.get("properties").and_then(|p| p.get(key)) {
                return Some(self.deref(c));
            }
        }
        bs.iter().find_map(|b| {
            b.get("additionalProperties")
                .filter(|a| a.is_object())
                .map(|a| self.deref(a))
        })
    }

    /// The schema of the items of an array described by `node`.
    pub(crate) fn items(&self, node: Option<&'a Value>) -> Option<&'a Value> {
        self.branches(node?)
            .into_iter()
            .find_map(|b| b.get("items").map(|i| self.deref(i)))
    }

    fn flag(&self, node: Option<&'a Value>, kw: &str) -> bool {
        node.is_some_and(|n| {
            self.branches(n)
                .iter()
                .any(|b| b.get(kw).and_then(Value::as_bool) == Some(true))
        })
    }

    /// Keys a list of mappings is sorted by (`x-strata-sort-by`).
    fn sort_by(&self, node: Option<&'a Value>) -> Option<Vec<&'a str>> {
        let n = node?;
        self.branches(n).into_iter().find_map(|b| {
            b.get("x-strata-sort-by")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
        })
    }
}

/// Order of a list's items: source indices in output order.
pub(crate) fn item_order(nav: &Nav<'_>, schema: Option<&Value>, items: &[Value]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    let is_set = nav.flag(schema, "uniqueItems") && items.iter().all(is_scalar);
    if is_set {
        // A set of enumerated values follows the schema's order of the
        // values (e.g. permissions from most to least sensitive); any other
        // set is sorted by value.
        let allowed: Vec<&Value> = nav
            .items(schema)
            .and_then(|i| i.get("enum"))
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let rank = |v: &Value| {
            allowed
                .iter()
                .position(|a| *a == v)
                .unwrap_or(allowed.len())
        };
        order.sort_by(|&a, &b| {
            rank(&items[a])
                .cmp(&rank(&items[b]))
                .then_with(|| cmp_scalar(&items[a], &items[b]))
        });
    } else if let Some(keys) = nav.sort_by(schema) {
        order.sort_by(|&a, &b| {
            for k in &keys {
                let o = cmp_opt(items[a].get(*k), items[b].get(*k));
                if o != Ordering::Equal {
                    return o;
                }
            }
            // Total order on the rest, so equal keys still sort the same way
            // on every machine.
            items[a].to_string().cmp(&items[b].to_string())
        });
    }
    order
}

/// Order of a mapping's keys: declared ones in schema order, then the rest
/// alphabetically.
pub(crate) fn key_order<'m>(
    nav: &Nav<'_>,
    schema: Option<&Value>,
    map: &'m Map<String, Value>,
) -> Vec<&'m String> {
    let declared = nav.props(schema);
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by(|a, b| {
        let pa = declared.iter().position(|d| d == a);
        let pb = declared.iter().position(|d| d == b);
        match (pa, pb) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => a.cmp(b),
        }
    });
    keys
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

fn cmp_scalar(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

fn cmp_opt(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) if is_scalar(x) && is_scalar(y) => cmp_scalar(x, y),
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
    }
}

/// Writes one document.
pub(crate) struct Emitter<'a> {
    nav: Nav<'a>,
    comments: &'a Comments,
    out: String,
    /// Comments written, to prove none was lost.
    pub(crate) written: usize,
}

impl<'a> Emitter<'a> {
    pub(crate) fn new(nav: Nav<'a>, comments: &'a Comments) -> Self {
        Emitter {
            nav,
            comments,
            out: String::new(),
            written: 0,
        }
    }

    /// Write the document `root` and return its text.
    pub(crate) fn document(mut self, root: &Value) -> (String, usize) {
        for h in &self.comments.header {
            self.out.push_str(h);
            self.out.push('\n');
            self.written += 1;
        }
        if !self.comments.header.is_empty() && self.comments.header_gap {
            self.out.push('\n');
        }
        let schema = self.nav.root();
        match root {
            Value::Object(m) if !m.is_empty() => self.map(m, schema, "", 0, None),
            Value::Array(a) if !a.is_empty() => self.seq(a, schema, "", 0),
            other => {
                let text = self.inline(other, schema, "", 0).unwrap_or_default();
                self.line(0, &text, &[""]);
            }
        }
        for f in &self.comments.footer {
            self.out.push_str(f);
            self.out.push('\n');
            self.written += 1;
        }
        (self.out, self.written)
    }

    /// Append a line with the trailing comments of `ptrs`.
    fn line(&mut self, indent: usize, text: &str, ptrs: &[&str]) {
        self.out.push_str(&" ".repeat(indent));
        self.out.push_str(text);
        for p in ptrs {
            if let Some(cs) = self.comments.trailing.get(*p) {
                for c in cs {
                    self.out.push_str("  ");
                    self.out.push_str(c);
                    self.written += 1;
                }
            }
        }
        self.out.push('\n');
    }

    /// The content lines of a block scalar at `indent` (empty lines stay
    /// empty).
    fn block_lines(&mut self, lines: &[String], indent: usize) {
        for l in lines {
            if !l.is_empty() {
                self.out.push_str(&" ".repeat(indent));
                self.out.push_str(l);
            }
            self.out.push('\n');
        }
    }

    /// Write the leading comments of `ptr`; a blank line first unless it is
    /// the first entry of its parent.
    fn leading(&mut self, ptr: &str, indent: usize, first: bool) {
        if let Some(cs) = self.comments.leading.get(ptr) {
            if !first && !self.out.is_empty() && !self.out.ends_with("\n\n") {
                self.out.push('\n');
            }
            for c in cs {
                self.out.push_str(&" ".repeat(indent));
                self.out.push_str(c);
                self.out.push('\n');
                self.written += 1;
            }
        }
    }

    fn has_comments(&self, ptr: &str) -> bool {
        self.comments.leading.contains_key(ptr) || self.comments.trailing.contains_key(ptr)
    }

    /// The one-line form of `v` if it has one: scalars, empty collections,
    /// and lists of scalars that fit in `room` columns and carry no comments.
    fn inline(&self, v: &Value, schema: Option<&Value>, ptr: &str, room: usize) -> Option<String> {
        match v {
            Value::Object(m) if m.is_empty() => Some("{}".to_string()),
            Value::Object(_) => None,
            Value::Array(a) if a.is_empty() => Some("[]".to_string()),
            Value::Array(a) => {
                if !a.iter().all(is_scalar) {
                    return None;
                }
                let order = item_order(&self.nav, schema, a);
                if order
                    .iter()
                    .any(|i| self.has_comments(&format!("{ptr}/{i}")))
                {
                    return None;
                }
                let items: Vec<String> = order
                    .iter()
                    .map(|&i| scalar::value(&a[i], Context::Flow))
                    .collect();
                let text = format!("[{}]", items.join(", "));
                (text.len() <= room).then_some(text)
            }
            scalar_value => Some(scalar::value(scalar_value, Context::Block)),
        }
    }

    /// Write the members of `map` at `indent`. `dash` replaces the first
    /// line's indentation (`- ` of the list item the map is).
    fn map(
        &mut self,
        map: &Map<String, Value>,
        schema: Option<&Value>,
        ptr: &str,
        indent: usize,
        dash: Option<&str>,
    ) {
        let keys = key_order(&self.nav, schema, map);
        for (i, k) in keys.into_iter().enumerate() {
            let v = &map[k];
            let cptr = format!("{ptr}/{}", escape_token(k));
            let cschema = self.nav.child(schema, k);
            let (lead_indent, extra): (usize, Vec<&str>) = match (i, dash) {
                (0, Some(item)) => (indent, vec![item]),
                _ => (indent, Vec::new()),
            };
            if !(i == 0 && dash.is_some()) {
                self.leading(&cptr, lead_indent, i == 0);
            }
            let key = scalar::key(k);
            let prefix_len = indent + key.len() + 2;
            let mut ptrs: Vec<&str> = extra;
            ptrs.push(&cptr);
            let first_indent = if i == 0 && dash.is_some() {
                indent.saturating_sub(2)
            } else {
                indent
            };
            let dash_text = if i == 0 && dash.is_some() { "- " } else { "" };
            let inline = self.inline(v, cschema, &cptr, WIDTH.saturating_sub(prefix_len));
            let block = match (v, &inline) {
                (Value::String(s), Some(text))
                    if s.contains('\n') || prefix_len + text.len() > WIDTH =>
                {
                    scalar::block(s, indent + 2)
                }
                _ => None,
            };
            if let Some((indicator, lines)) = block {
                self.line(
                    first_indent,
                    &format!("{dash_text}{key}: {indicator}"),
                    &ptrs,
                );
                self.block_lines(&lines, indent + 2);
                continue;
            }
            match inline {
                Some(text) => {
                    self.line(first_indent, &format!("{dash_text}{key}: {text}"), &ptrs);
                }
                None => {
                    self.line(first_indent, &format!("{dash_text}{key}:"), &ptrs);
                    match v {
                        Value::Object(m) => self.map(m, cschema, &cptr, indent + 2, None),
                        Value::Array(a) => self.seq(a, cschema, &cptr, indent + 2),
                        _ => {}
                    }
                }
            }
        }
    }

    /// Write the items of `items` at `indent` (the column of `-`).
    fn seq(&mut self, items: &[Value], schema: Option<&Value>, ptr: &str, indent: usize) {
        let item_schema = self.nav.items(schema);
        let separate = self.nav.flag(schema, "x-strata-separate-items");
        let order = item_order(&self.nav, schema, items);
        for (n, i) in order.into_iter().enumerate() {
            let v = &items[i];
            let cptr = format!("{ptr}/{i}");
            if separate && n > 0 {
                self.out.push('\n');
            }
            self.leading(&cptr, indent, n == 0);
            match v {
                Value::Object(m) if !m.is_empty() => {
                    // The first member's own leading comments go above the
                    // dash line.
                    if let Some(first) = key_order(&self.nav, item_schema, m).first() {
                        let fptr = format!("{cptr}/{}", escape_token(first));
                        self.leading(&fptr, indent, true);
                    }
                    self.map(m, item_schema, &cptr, indent + 2, Some(&cptr));
                }
                Value::Array(a) if !a.is_empty() => {
                    match self.inline(v, item_schema, &cptr, WIDTH.saturating_sub(indent + 2)) {
                        Some(text) => self.line(indent, &format!("- {text}"), &[&cptr]),
                        None => {
                            self.line(indent, "-", &[&cptr]);
                            self.seq(a, item_schema, &cptr, indent + 2);
                        }
                    }
                }
                other => {
                    let text = self
                        .inline(other, item_schema, &cptr, usize::MAX)
                        .unwrap_or_default();
                    let block = match other {
                        Value::String(s) if s.contains('\n') || indent + 2 + text.len() > WIDTH => {
                            scalar::block(s, indent + 2)
                        }
                        _ => None,
                    };
                    match block {
                        Some((indicator, lines)) => {
                            self.line(indent, &format!("- {indicator}"), &[&cptr]);
                            self.block_lines(&lines, indent + 2);
                        }
                        None => self.line(indent, &format!("- {text}"), &[&cptr]),
                    }
                }
            }
        }
    }
}
