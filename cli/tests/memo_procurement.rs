//! The procurement memo's own sections through the real binary: the lists
//! screened and not screened, supplier due diligence, certifications, the
//! support period against the term of use, exit, residency, options, and the
//! public-procurement hooks only for a public buyer; bad values of the new
//! answers, stack, vendors and designations keys exit 2 naming file and line.

use crate::common::repo_like;
use crate::memo::{memo, ok_text};

/// The text from the first `from` to the next `to`.
fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text.find(from).unwrap_or_else(|| panic!("no {from:?}"));
    let end = text[start..].find(to).map_or(text.len(), |n| start + n);
    &text[start..end]
}

const PUBLIC: &str = "version: 1
device: pixel-9-pro
buyer:
  public: true
  jurisdiction: DE
term-of-use:
  until: \"2032-06-30\"
  note: six-year depreciation
options:
  - Lease instead of buying
  - option: Tender for a diversified stack
    risk: no single group on the data path
    concentration: the fleet's phone layers under the 50 % cap
";

#[test]
fn procurement_sections_for_a_public_buyer_in_markdown_and_html() {
    let tmp = repo_like();
    std::fs::write(tmp.path().join("public.yaml"), PUBLIC).unwrap();
    let args = ["procurement", "pixel-9-pro", "--answers", "public.yaml"];
    let md = ok_text(tmp.path(), &args);
    let sections = between(&md, "## 3. Method and sources", "## 11. Conditions");
    // The support the vendor declares ends before the intended term.
    assert!(
        sections.contains(
            "**Result: ends before the intended term: updates to 2031-08-01, use to 2032-06-30"
        ),
        "{sections}"
    );
    let options = between(&md, "## 12. Options considered", "## 13.");
    assert!(
        options.contains("| Lease instead of buying | answers | not assessed in the answers |")
    );
    assert!(options.contains(
        "| Tender for a diversified stack | answers | no single group on the data path | the fleet's phone layers under the 50 % cap |"
    ));
    assert!(options.contains("Diversified alternative: Fairphone 5"));
    assert!(options.contains("### Public procurement"));
    insta::assert_snapshot!("public_buyer_md", format!("{sections}{options}"));
    let html = ok_text(
        tmp.path(),
        &[
            "procurement",
            "pixel-9-pro",
            "--answers",
            "public.yaml",
            "--format",
            "html",
        ],
    );
    let sections = between(
        &html,
        "<h2>3. Method and sources</h2>",
        "<h2>11. Conditions</h2>",
    );
    let options = between(&html, "<h2>12. Options considered</h2>", "<h2>13.");
    assert!(options.contains("<h3>Public procurement</h3>"));
    insta::assert_snapshot!("public_buyer_html", format!("{sections}{options}"));
}

#[test]
fn a_private_buyer_gets_no_public_procurement_hooks() {
    let tmp = repo_like();
    std::fs::write(
        tmp.path().join("private.yaml"),
        PUBLIC.replace("public: true", "public: false"),
    )
    .unwrap();
    for format in ["md", "html"] {
        let text = ok_text(
            tmp.path(),
            &[
                "procurement",
                "pixel-9-pro",
                "--answers",
                "private.yaml",
                "--format",
                format,
            ],
        );
        assert!(!text.contains("Public procurement"), "{format}");
        assert!(!text.contains("Art. 42(4)"), "{format}");
    }
}

#[test]
fn without_expected_lists_the_memo_says_it_cannot_name_the_unscreened_ones() {
    let tmp = repo_like();
    let path = tmp.path().join("fleet/designations.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text.find("\nexpected:").unwrap();
    std::fs::write(&path, &text[..cut + 1]).unwrap();
    let md = ok_text(tmp.path(), &["procurement", "xiaomi-su7"]);
    assert!(md.contains("designations.yaml names no expected lists"));
    assert!(!md.contains("**Not screened**"));
    assert!(!md.contains("1260H"));
}

/// Write `text` over `file` (relative to the copied fleet) and expect exit 2
/// with `file:line` in the message.
fn refused(file: &str, edit: impl Fn(String) -> String, want: &str) {
    let tmp = repo_like();
    let path = tmp.path().join("fleet").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    let out = memo(tmp.path(), &["procurement", "pixel-9-pro"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{file}: {err}");
    assert!(err.contains(want), "{file}: want {want:?} in {err}");
}

#[test]
fn bad_values_of_the_new_stack_vendor_and_list_keys_exit_2_with_file_and_line() {
    // A scheme strata does not know.
    refused(
        "stacks/pixel-9-pro.yaml",
        |t| {
            t.replacen(
                "  support:\n",
                "  certifications:\n    - scheme: iso-9001\n      claim: x\n      source: y\n      status: S\n  support:\n",
                1,
            )
        },
        "pixel-9-pro.yaml:10:",
    );
    // A support period without its source.
    refused(
        "stacks/pixel-9-pro.yaml",
        |t| {
            t.replacen(
                "    source: Google Pixel Help",
                "    origin: Google Pixel Help",
                1,
            )
        },
        "pixel-9-pro.yaml:",
    );
    // Not a date.
    refused(
        "stacks/pixel-9-pro.yaml",
        |t| t.replacen("until: \"2031-08-01\"", "until: \"2031-13-01\"", 1),
        "pixel-9-pro.yaml:10:",
    );
    // A listing fact without its evidence tag.
    refused(
        "vendors.yaml",
        |t| t.replacen("      status: M\n", "", 1),
        "vendors.yaml:",
    );
    // An expected list without a name.
    refused(
        "designations.yaml",
        |t| {
            t.replacen(
                "    name: Section 1260H list of Chinese military companies\n",
                "",
                1,
            )
        },
        "designations.yaml:",
    );
}

#[test]
fn bad_values_of_the_new_answers_keys_exit_2_with_file_and_line() {
    for (body, want) in [
        ("buyer:\n  public: maybe\n", ["a.yaml:4:", "wrong-type"]),
        ("buyer:\n  jurisdiction: DE\n", ["a.yaml:4:", "missing-key"]),
        (
            "term-of-use:\n  until: soon\n",
            ["a.yaml:4:", "invalid-date"],
        ),
        (
            "term-of-use:\n  until: \"2030-01-01\"\n  ends: x\n",
            ["a.yaml:5:", "unknown-key"],
        ),
        (
            "options:\n  - option: x\n    cost: high\n",
            ["a.yaml:4:", "invalid-value"],
        ),
    ] {
        let tmp = repo_like();
        std::fs::write(
            tmp.path().join("a.yaml"),
            format!("version: 1\ndevice: pixel-9-pro\n{body}"),
        )
        .unwrap();
        let out = memo(
            tmp.path(),
            &["procurement", "pixel-9-pro", "--answers", "a.yaml"],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{body}: {err}");
        for w in want {
            assert!(err.contains(w), "{body}: want {w:?} in {err}");
        }
    }
}
