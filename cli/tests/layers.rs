//! The layer rule: no module of the library imports from a higher layer of
//! [`strata::LAYERS`], and no two modules import each other (directly or
//! through others). Read from the source, so a new upward import or circle
//! fails here before it becomes a design.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One import of another top-level module: where, and which module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Import {
    file: String,
    line: usize,
    from: String,
    to: String,
}

/// The module path of a library file: `gate/rules.rs` → `[gate, rules]`,
/// `gate/mod.rs` → `[gate]`, `lib.rs` → `[]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" && stem != "lib" {
            parts.push(stem.to_string());
        }
    }
    parts
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The code of a Rust file with comments and the contents of string and
/// character literals blanked out (newlines kept), so that neither a path
/// in a comment nor a brace in a string is read as code.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && matches!(next, Some('#') | Some('"')) && !prev_is_ident(&chars, i) {
            let mut j = i + 1;
            while chars.get(j) == Some(&'#') {
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let hashes = j - i - 1;
            out.extend(std::iter::repeat_n(' ', j + 1 - i));
            i = j + 1;
            while i < chars.len() {
                if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                    out.extend(std::iter::repeat_n(' ', hashes + 1));
                    i += hashes + 1;
                    break;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if let Some(&ch) = chars.get(i) {
                    out.push(blank(ch));
                }
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && !prev_is_ident(&chars, i) {
            // A character literal ('x', '\n', '\u{..}'), not a lifetime.
            let end = if next == Some('\\') {
                chars[i + 2..]
                    .iter()
                    .position(|&ch| ch == '\'')
                    .map(|p| i + 2 + p)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(e) => {
                    out.extend(std::iter::repeat_n(' ', e + 1 - i));
                    i = e + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_is_ident(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '_')
}

/// Every top-level module a file's code names (`crate::x`, `crate::{x, y}`,
/// `super::…` reaching out of its own module, inline `mod` blocks
/// included), with line numbers.
fn imports_of(rel: &Path, text: &str) -> Vec<Import> {
    let path = module_path(rel);
    let Some(from) = path.first().cloned() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut push = |line: usize, to: &str| {
        if !to.is_empty() && to != from && to != "self" {
            out.push(Import {
                file: rel.display().to_string(),
                line,
                from: from.clone(),
                to: to.to_string(),
            });
        }
    };
    let group = |after: &str| -> Vec<String> {
        match after.strip_prefix('{') {
            Some(g) => g
                .split('}')
                .next()
                .unwrap_or_default()
                .split(',')
                .map(|item| ident_at(item.trim()).to_string())
                .collect(),
            None => vec![ident_at(after).to_string()],
        }
    };
    // Brace depth, and the depth at which each open inline `mod x {` began.
    let mut depth: usize = 0;
    let mut inline: Vec<usize> = Vec::new();
    for (i, code) in code_only(text).lines().enumerate() {
        let line = i + 1;
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().last();
            let after = &rest[at + "crate::".len()..];
            rest = after;
            if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
                for to in group(after) {
                    push(line, &to);
                }
            }
        }
        let mut rest = code;
        while let Some(at) = rest.find("super::") {
            let before = rest[..at].chars().last();
            let mut after = &rest[at..];
            rest = &rest[at + "super::".len()..];
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut ups = 0;
            while let Some(r) = after.strip_prefix("super::") {
                ups += 1;
                after = r;
            }
            if ups >= path.len() + inline.len() {
                for to in group(after) {
                    push(line, &to);
                }
            }
        }
        let opens_mod = {
            let t = code.trim_start();
            let t = t.strip_prefix("pub ").unwrap_or(t);
            t.strip_prefix("mod ").is_some_and(|r| {
                r.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    .trim_start()
                    .starts_with('{')
            })
        };
        if opens_mod {
            inline.push(depth);
        }
        for c in code.chars() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if inline.last().is_some_and(|&d| d == depth) {
                        inline.pop();
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The upward imports and the circles among `imports`, described.
fn violations(layers: &[(&str, &[&str])], imports: &[Import]) -> Vec<String> {
    let rank: BTreeMap<&str, (usize, &str)> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, (name, mods))| mods.iter().map(move |m| (*m, (i, *name))))
        .collect();
    let mut found = Vec::new();
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for imp in imports {
        match (rank.get(imp.from.as_str()), rank.get(imp.to.as_str())) {
            (Some((a, la)), Some((b, lb))) if b > a => found.push(format!(
                "{}:{}: `{}` ({la}) imports `{}` ({lb}), a higher layer",
                imp.file, imp.line, imp.from, imp.to
            )),
            (None, _) => found.push(format!(
                "{}: module `{}` is in no layer of strata::LAYERS",
                imp.file, imp.from
            )),
            (_, None) => found.push(format!(
                "{}:{}: `{}` imports `{}`, which is in no layer of strata::LAYERS",
                imp.file, imp.line, imp.from, imp.to
            )),
            _ => {}
        }
        graph
            .entry(imp.from.as_str())
            .or_default()
            .insert(imp.to.as_str());
    }
    // Circles: a module that reaches itself.
    for start in graph.keys() {
        let mut stack: Vec<Vec<&str>> = vec![vec![start]];
        let mut seen = BTreeSet::new();
        while let Some(route) = stack.pop() {
            let Some(&last) = route.last() else { continue };
            for &next in graph.get(last).into_iter().flatten() {
                if next == *start {
                    let mut names = route.clone();
                    names.push(next);
                    // Report each circle once, from its smallest module.
                    if names.iter().min() == Some(start) {
                        found.push(format!("circle: {}", names.join(" -> ")));
                    }
                } else if seen.insert(next) {
                    let mut longer = route.clone();
                    longer.push(next);
                    stack.push(longer);
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

fn library_imports() -> Vec<Import> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut all = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap();
        if rel.starts_with("bin") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        all.extend(imports_of(rel, &text));
    }
    all
}

#[test]
fn no_module_imports_from_a_higher_layer_or_in_a_circle() {
    let imports = library_imports();
    assert!(imports.len() > 100, "{} imports read", imports.len());
    let found = violations(strata::LAYERS, &imports);
    assert!(found.is_empty(), "layer rule broken:\n{}", found.join("\n"));
}

#[test]
fn every_module_has_exactly_one_layer() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let declared: BTreeSet<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    let mut layered: Vec<&str> = strata::LAYERS
        .iter()
        .flat_map(|(_, m)| m.iter().copied())
        .collect();
    layered.sort_unstable();
    let unique: BTreeSet<&str> = layered.iter().copied().collect();
    assert_eq!(unique.len(), layered.len(), "a module is in two layers");
    assert_eq!(unique, declared, "LAYERS and lib.rs name different modules");
}

#[test]
fn the_checker_sees_upward_imports_and_circles() {
    let layers: &[(&str, &[&str])] = &[("low", &["diag", "review"]), ("high", &["gate"])];
    let review = imports_of(
        Path::new("review/status.rs"),
        "use crate::gate::Verdict; // crate::memo in a comment\nuse super::super::gate::x;\nuse crate::{diag, gate};\n",
    );
    assert_eq!(
        review
            .iter()
            .map(|i| (i.line, i.to.as_str()))
            .collect::<Vec<_>>(),
        [(1, "gate"), (2, "gate"), (3, "diag"), (3, "gate")]
    );
    let found = violations(layers, &review);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].contains("review/status.rs:1: `review` (low) imports `gate` (high)"));
    let circle = [
        Import {
            file: "a.rs".into(),
            line: 1,
            from: "diag".into(),
            to: "review".into(),
        },
        Import {
            file: "b.rs".into(),
            line: 1,
            from: "review".into(),
            to: "diag".into(),
        },
    ];
    assert_eq!(
        violations(layers, &circle),
        ["circle: diag -> review -> diag"]
    );
    // `super::` inside a module stays inside it, inline test modules
    // included; strings and comments are not code.
    assert!(imports_of(Path::new("gate/rules.rs"), "use super::signature;").is_empty());
    let table = "fn f() { let s = \"{\"; let c = '{'; }\nmod tests {\n    use super::Table;\n    /* crate::gate */ const X: &str = r#\"crate::gate\"#;\n}\nuse super::memo;\n";
    assert_eq!(
        imports_of(Path::new("table.rs"), table)
            .iter()
            .map(|i| (i.line, i.to.as_str()))
            .collect::<Vec<_>>(),
        [(6, "memo")]
    );
    assert_eq!(
        imports_of(Path::new("fleet.rs"), "use super::model;")[0].to,
        "model"
    );
}
