//! Plain-text and Markdown tables for terminal reports: columns aligned by
//! character count, numbers right-aligned, no colour. Cells are plain text,
//! escaped for the medium: [`escape::terminal`] in [`Table::to_text`] and
//! [`grid`], [`escape::markdown`] in [`Table::to_markdown`]. And [`count`], a
//! number with its noun in the right number ("1 device", "2 devices").

use crate::escape;

/// `n` and a noun, plural unless `n` is 1: `1 unit`, `120 units`.
pub fn count(n: u64, noun: &str) -> String {
    count_as(n, noun, &format!("{noun}s"))
}

/// `n` and the noun for it: `one` when `n` is 1, else `many` (`1 entry`,
/// `2 entries`).
pub fn count_as(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A table: a header row and body rows of cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column titles.
    pub headers: Vec<String>,
    /// Body rows.
    pub rows: Vec<Vec<String>>,
    /// Indices of right-aligned (numeric) columns.
    pub right: Vec<usize>,
}

impl Table {
    /// A table with these column titles.
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            ..Table::default()
        }
    }

    /// Right-align these columns.
    pub fn right_align(mut self, cols: &[usize]) -> Table {
        self.right = cols.to_vec();
        self
    }

    /// Add a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Aligned plain text, each line starting with `indent`.
    pub fn to_text(&self, indent: &str) -> String {
        let all: Vec<Vec<String>> = std::iter::once(&self.headers)
            .chain(&self.rows)
            .cloned()
            .collect();
        grid(&all, &self.right, indent)
    }

    /// A GitHub-flavoured Markdown table; cells are escaped as Markdown
    /// text (`|`, line breaks, tags, links and the rest).
    pub fn to_markdown(&self) -> String {
        let cell = |s: &str| escape::markdown(s);
        let mut out = format!(
            "| {} |\n",
            self.headers
                .iter()
                .map(|h| cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let seps: Vec<&str> = (0..self.headers.len())
            .map(|c| {
                if self.right.contains(&c) {
                    "---:"
                } else {
                    "---"
                }
            })
            .collect();
        out.push_str(&format!("| {} |\n", seps.join(" | ")));
        for r in &self.rows {
            out.push_str(&format!(
                "| {} |\n",
                r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
            ));
        }
        out
    }
}

/// Rows of cells as aligned plain text, each line starting with `indent`;
/// `right` lists right-aligned (numeric) columns. Trailing spaces are
/// trimmed. Cells are escaped for a terminal (a line break, an escape
/// sequence or a bidi control in a cell is shown, not obeyed).
pub fn grid(rows: &[Vec<String>], right: &[usize], indent: &str) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| escape::terminal(c).into_owned()).collect())
        .collect();
    let rows = rows.as_slice();
    let cols = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::from(indent);
        for (c, cell) in r.iter().enumerate() {
            let pad = width[c].saturating_sub(cell.chars().count());
            if c > 0 {
                line.push_str("  ");
            }
            if right.contains(&c) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Table, count};

    #[test]
    fn counts_name_one_and_many() {
        assert_eq!(count(1, "device"), "1 device");
        assert_eq!(count(0, "device"), "0 devices");
        assert_eq!(count(12, "unit"), "12 units");
    }

    #[test]
    fn aligns_text_and_escapes_markdown() {
        let mut t = Table::new(&["name", "n"]).right_align(&[1]);
        t.row(vec!["a|b".into(), "5".into()]);
        t.row(vec!["long name".into(), "10".into()]);
        assert_eq!(
            t.to_text(""),
            "name        n\na|b         5\nlong name  10\n"
        );
        assert!(t.to_markdown().contains("| a\\|b | 5 |"));
        assert!(t.to_markdown().contains("| --- | ---: |"));
    }

    #[test]
    fn hostile_cells_are_escaped_for_each_medium() {
        let mut t = Table::new(&["name"]);
        t.row(vec!["Pixel\u{1b}[31m\u{202e}\n# <img src=x>".into()]);
        let text = t.to_text("");
        assert!(
            text.contains("Pixel\\u{1b}[31m\\u{202e}\\u{a}# <img src=x>"),
            "{text}"
        );
        let md = t.to_markdown();
        assert!(
            md.contains("| Pixel\\u{1b}\\[31m\\u{202e} \\# &lt;img src=x&gt; |"),
            "{md}"
        );
    }
}
