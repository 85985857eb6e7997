//! `strata memo` through the real binary: rendered memos for the example
//! devices, answers and `--final`, template overrides and errors, HTML
//! escaping.

use crate::common;

use common::{render, repo, repo_like, strata};

fn memo(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let out = strata(dir)
        .arg("memo")
        .args(args)
        .args(["--fleet", "fleet", "--now", "2026-11-26"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    out
}

fn ok_text(dir: &std::path::Path, args: &[&str]) -> String {
    let out = memo(dir, args);
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, dir));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn dpia_draft_for_the_xiaomi_phone() {
    let tmp = repo_like();
    insta::assert_snapshot!(ok_text(tmp.path(), &["dpia", "xiaomi-15s-pro-cn"]));
}

#[test]
fn final_dpia_with_answers() {
    let tmp = repo_like();
    let answers = repo().join("examples/answers/xiaomi-15s-pro-cn.yaml");
    let text = ok_text(
        tmp.path(),
        &[
            "dpia",
            "xiaomi-15s-pro-cn",
            "--final",
            "--answers",
            answers.to_str().unwrap(),
        ],
    );
    // Values are Markdown-escaped: `_` is written `\_`.
    assert!(text.contains("**NOT\\_REQUIRED**: no residual risk is high after the measures."));
    assert!(
        !text.contains("To be answered"),
        "a final DPIA has no open section"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn procurement_memos_for_the_example_devices() {
    let tmp = repo_like();
    for id in common::EXAMPLE_DEVICES {
        let text = ok_text(tmp.path(), &["procurement", id]);
        assert!(text.contains("## 1. Recommendation: "), "{id}");
        assert!(text.contains("[E-1]"), "{id}: the attestation is cited");
        insta::assert_snapshot!(format!("procurement_{id}"), text);
    }
}

#[test]
fn fleet_memo_summarises_every_device() {
    let tmp = repo_like();
    let text = ok_text(tmp.path(), &["procurement", "--all"]);
    for id in common::EXAMPLE_DEVICES {
        assert!(text.contains(&format!("(`{id}`)")), "{id}");
    }
    insta::assert_snapshot!(text);
}

/// Risk ids are fixed per risk type (answers point at them), so the
/// laptop's register skips: the memo says why instead of
/// leaving the jump from unexplained (issue #13 item 5); the
/// fact-status legend names S as secondary sources; units are counted
/// with their noun.
#[test]
fn skipped_risk_ids_are_explained() {
    let tmp = repo_like();
    let text = ok_text(tmp.path(), &["dpia", "laptop"]);
    let start = text.find("## 4. Risks").unwrap();
    let end = text.find("## 5. Measures").unwrap();
    insta::assert_snapshot!(&text[start..end]);
    assert!(
        text.contains("Fact status: V verified, S secondary sources,"),
        "{text}"
    );
    assert!(!text.contains("single source"), "{text}");
    assert!(text.contains("| Deployment | 80 units,"), "{text}");
    let html = ok_text(tmp.path(), &["dpia", "laptop", "--format", "html"]);
    assert!(
        html.contains("Not proposed for this device: R-4 Unwanted autonomous action by the agent (agent chatgpt takes no actions); R-5"),
        "{html}"
    );
    // Where every risk type applies, nothing is said.
    let all = ok_text(tmp.path(), &["dpia", "xiaomi-15s-pro-cn"]);
    assert!(!all.contains("Not proposed for this device"), "{all}");
}

#[test]
fn final_refuses_while_sections_are_empty() {
    let tmp = repo_like();
    let out = memo(tmp.path(), &["dpia", "pixel-9-pro", "--final"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing rendered");
    insta::assert_snapshot!(render(&out, tmp.path()));
}

#[test]
fn a_residual_high_risk_escalates_instead_of_approving() {
    let tmp = repo_like();
    let answers = tmp.path().join("answers.yaml");
    std::fs::write(
        &answers,
        "version: 1\nrisks:\n  R-7: {residual-severity: 4, residual-likelihood: 3}\n",
    )
    .unwrap();
    let text = ok_text(
        tmp.path(),
        &[
            "procurement",
            "xiaomi-15s-pro-cn",
            "--answers",
            "answers.yaml",
        ],
    );
    assert!(text.contains("## 1. Recommendation: ESCALATE"), "{text}");
    assert!(
        text.contains("Art. 36 prior consultation: REQUIRED"),
        "{text}"
    );
}

#[test]
fn html_is_autoescaped_and_self_contained() {
    let tmp = repo_like();
    let vendors = tmp.path().join("fleet/vendors.yaml");
    let text = std::fs::read_to_string(&vendors)
        .unwrap()
        .replace("name: Murena SAS", "name: \"<script>alert(1)</script>\"");
    std::fs::write(&vendors, text).unwrap();
    let html = ok_text(
        tmp.path(),
        &["procurement", "mixed-phone", "--format", "html"],
    );
    assert!(
        !html.contains("<script>alert(1)</script>"),
        "vendor names are escaped"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(html.contains("<svg"), "the stack chart is inline");
    for external in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!html.contains(external), "no external resource: {external}");
    }
    let md = ok_text(tmp.path(), &["procurement", "mixed-phone"]);
    assert!(
        !md.contains("<script>"),
        "Markdown table cells escape `<` too"
    );
}

#[test]
fn templates_are_overridable_and_errors_name_template_and_line() {
    let tmp = repo_like();
    let dir = tmp.path().join("tpl");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("dpia.md"),
        "DPIA for {{ device.id }}: {{ device.dpia.outcome }}\n",
    )
    .unwrap();
    let text = ok_text(tmp.path(), &["dpia", "laptop", "--template", "tpl"]);
    assert_eq!(text, "DPIA for laptop: RECOMMENDED\n");

    std::fs::write(dir.join("dpia.md"), "line one\n{{ device.no_such_key }}\n").unwrap();
    let out = memo(tmp.path(), &["dpia", "laptop", "--template", "tpl"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("template-error") && err.contains("tpl/dpia.md:2:"),
        "{err}"
    );

    std::fs::write(dir.join("dpia.md"), "{% for x in %}\n").unwrap();
    let out = memo(tmp.path(), &["dpia", "laptop", "--template", "tpl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tpl/dpia.md:1:"));
}

#[test]
fn dump_context_is_json_with_documented_keys() {
    let tmp = repo_like();
    let text = ok_text(tmp.path(), &["dpia", "laptop", "--dump-context"]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let doc = std::fs::read_to_string(repo().join("templates/CONTEXT.md")).unwrap();
    for key in v.as_object().unwrap().keys() {
        assert!(
            doc.contains(&format!("`{key}`")),
            "templates/CONTEXT.md documents `{key}`"
        );
    }
}

#[test]
fn bad_inputs_exit_2() {
    let tmp = repo_like();
    let out = memo(tmp.path(), &["dpia", "xiaomi-15s"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did you mean `xiaomi-su7`?")
            || String::from_utf8_lossy(&out.stderr).contains("unknown-device")
    );
    std::fs::write(tmp.path().join("a.yaml"), "version: 1\npurpose: typo\n").unwrap();
    let out = memo(tmp.path(), &["dpia", "laptop", "--answers", "a.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a.yaml:2:") && err.contains("purposes"),
        "{err}"
    );
    std::fs::write(
        tmp.path().join("b.yaml"),
        "version: 1\ndevice: pixel-9-pro\n",
    )
    .unwrap();
    let out = memo(tmp.path(), &["dpia", "laptop", "--answers", "b.yaml"]);
    assert_eq!(out.status.code(), Some(2));
}
