//! `strata memo` through the real binary: rendered memos for the example
//! devices, answers and `--final`, template overrides and errors, HTML
//! escaping.

use crate::common;

use common::{render, repo, repo_like, strata};

/// Run `strata memo ARGS --fleet fleet --now 2026-11-26` in `dir`.
pub(crate) fn memo(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let out = strata(dir)
        .arg("memo")
        .args(args)
        .args(["--fleet", "fleet", "--now", "2026-11-26"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    out
}

/// The memo's text; the run must succeed.
pub(crate) fn ok_text(dir: &std::path::Path, args: &[&str]) -> String {
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
    let a = answers.to_str().unwrap();
    // A final memo is a file bound to its inputs by a sidecar.
    let out = memo(
        tmp.path(),
        &["dpia", "xiaomi-15s-pro-cn", "--final", "--answers", a],
    );
    assert_eq!(out.status.code(), Some(2), "--final needs -o");
    let out = memo(
        tmp.path(),
        &[
            "dpia",
            "xiaomi-15s-pro-cn",
            "--final",
            "--answers",
            a,
            "-o",
            "dpia.md",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    assert!(out.stdout.is_empty());
    let bytes = std::fs::read(tmp.path().join("dpia.md")).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains("**NOT\\_REQUIRED**: no residual risk is high after the measures."));
    assert!(
        !text.contains("To be answered"),
        "a final DPIA has no open section"
    );
    assert!(!text.to_lowercase().contains("draft"), "no draft marking");
    assert!(text.contains("version 1.0"));
    let sidecar: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("dpia.md.binding.json")).unwrap())
            .unwrap();
    use sha2::Digest as _;
    let hex = |b: &[u8]| format!("sha256:{}", hex::encode(sha2::Sha256::digest(b)));
    assert_eq!(sidecar["rendered"]["path"], "dpia.md");
    assert_eq!(sidecar["rendered"]["sha256"], hex(&bytes));
    assert_eq!(
        sidecar["answers"][0]["sha256"],
        hex(&std::fs::read(&answers).unwrap())
    );
    assert_eq!(sidecar["document-version"], "1.0");
    assert_eq!(sidecar["kind"], "dpia");
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
fn final_refuses_an_incomplete_answers_file_naming_each_gap() {
    let tmp = repo_like();
    let example =
        std::fs::read_to_string(repo().join("examples/answers/xiaomi-15s-pro-cn.yaml")).unwrap();
    // The security purpose keeps its Art. 6(1)(f) basis but loses its
    // legitimate-interest test and its Art. 88 reference; the DPO's advice
    // is overruled without reasons; the processors are not stated.
    let lia = example
        .find("    legitimate-interest:\n      interest: Keep")
        .unwrap();
    let end = lia + example[lia..].find("    employee-data: true\n").unwrap();
    let mut broken = format!("{}{}", &example[..lia], &example[end..]);
    for (from, to) in [
        (
            "    employment-law: Art. 88 GDPR with the works agreement on mobile device management of 2026-10-02.\n",
            "",
        ),
        ("dpo-advice-accepted: true", "dpo-advice-accepted: false"),
    ] {
        assert!(broken.contains(from), "{from}");
        broken = broken.replacen(from, to, 1);
    }
    let p = broken.find("processors:\n").unwrap();
    let q = p + broken[p..].find("views-sought:").unwrap();
    broken.replace_range(p..q, "");
    std::fs::write(tmp.path().join("incomplete.yaml"), &broken).unwrap();
    let out = memo(
        tmp.path(),
        &[
            "dpia",
            "xiaomi-15s-pro-cn",
            "--final",
            "--answers",
            "incomplete.yaml",
            "-o",
            "dpia.md",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!tmp.path().join("dpia.md").exists(), "nothing written");
    assert!(!tmp.path().join("dpia.md.binding.json").exists());
    let err = String::from_utf8_lossy(&out.stderr);
    for ptr in [
        "/lawful-bases/1/legitimate-interest",
        "/lawful-bases/1/employment-law",
        "/processors",
        "/dpo-advice-overruled-reason",
    ] {
        assert!(
            err.contains(&format!("answer `{}`", &ptr[1..])),
            "{ptr}: {err}"
        );
    }
    assert_eq!(err.matches("error[memo-section-empty]").count(), 4, "{err}");
    insta::assert_snapshot!(render(&out, tmp.path()));
}

#[test]
fn a_residual_high_risk_escalates_instead_of_approving() {
    let tmp = repo_like();
    let answers = tmp.path().join("answers.yaml");
    std::fs::write(
        &answers,
        "version: 1\nrisks:\n  R-1: {severity: 4, likelihood: 3, residual-severity: 4, residual-likelihood: 3}\n",
    )
    .unwrap();
    let text = ok_text(
        tmp.path(),
        &["procurement", "laptop", "--answers", "answers.yaml"],
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

/// The text between the first `from` and the next `to`.
fn section<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text.find(from).unwrap_or_else(|| panic!("no {from:?}"));
    let end = text[start..].find(to).map_or(text.len(), |n| start + n);
    &text[start..end]
}

/// Answers giving every risk of `device` the residual score `s`/`l`; with
/// `inherent`, the assessors also rate each risk `s`/`l` before the
/// measures (a residual score cannot be above the inherent one).
fn residual_answers(dir: &std::path::Path, device: &str, s: u8, l: u8, inherent: bool) -> String {
    let mut y = format!("version: 1\ndevice: {device}\nrisks:\n");
    let before = if inherent {
        format!("severity: {s}, likelihood: {l}, ")
    } else {
        String::new()
    };
    for n in 1..=8 {
        y.push_str(&format!(
            "  R-{n}: {{{before}residual-severity: {s}, residual-likelihood: {l}}}\n"
        ));
    }
    let name = format!("answers-{device}-{s}{l}.yaml");
    std::fs::write(dir.join(&name), y).unwrap();
    name
}

#[test]
fn each_decision_path_in_each_format() {
    // `tmp`: the example fleet with the SU7's DPIA on record; `other`: the
    // example fleet with the mixed phone's attestation tampered with.
    let tmp = repo_like();
    let list = tmp.path().join("fleet/approved-devices.yaml");
    let text = std::fs::read_to_string(&list).unwrap();
    std::fs::write(
        &list,
        text.replace(
            "    criticality: 2\n",
            "    criticality: 2\n    dpia: DP-2026-118 (in progress)\n",
        )
        .replace(
            "    stack: stacks/mixed-phone.yaml\n",
            "    stack: stacks/mixed-phone.yaml\n    dpia: DPIA-2026-002 (not required, reasoning recorded)\n",
        ),
    )
    .unwrap();
    let other = repo_like();
    let tampered = other.path().join("attestations/mixed-phone/bom.cdx.json");
    let text = std::fs::read_to_string(&tampered).unwrap();
    std::fs::write(&tampered, text.replacen("\"version\"", "\"version\" ", 1)).unwrap();
    let (t, o) = (tmp.path(), other.path());
    let escalate = residual_answers(t, "laptop", 4, 3, true);
    let conditions = residual_answers(t, "laptop", 1, 1, false);
    let approve = residual_answers(t, "mixed-phone", 1, 1, false);
    let cases: [(&str, &std::path::Path, &str, Option<&str>, &str); 8] = [
        (
            "reject_recorded_rejection",
            t,
            "xiaomi-15s-pro-cn",
            None,
            "REJECT",
        ),
        ("reject_failed_evidence", t, "pixel-9-pro", None, "REJECT"),
        ("reject_signature", o, "mixed-phone", None, "REJECT"),
        (
            "escalate_residual_high",
            t,
            "laptop",
            Some(&escalate),
            "ESCALATE",
        ),
        ("defer_no_dpia", o, "xiaomi-su7", None, "DEFER"),
        ("defer_art36_undetermined", t, "xiaomi-su7", None, "DEFER"),
        (
            "approve_with_conditions",
            t,
            "laptop",
            Some(&conditions),
            "APPROVE WITH CONDITIONS",
        ),
        ("approve", t, "mixed-phone", Some(&approve), "APPROVE"),
    ];
    for (name, dir, id, answers, want) in cases {
        let mut args = vec!["procurement", id];
        if let Some(a) = answers {
            args.extend(["--answers", a]);
        }
        let md = ok_text(dir, &args);
        let rec = section(&md, "## 1. Recommendation", "## 2. Scope");
        assert!(
            rec.starts_with(&format!("## 1. Recommendation: {want}\n")),
            "{name}: {rec}"
        );
        insta::assert_snapshot!(format!("decision_{name}_md"), rec);
        args.extend(["--format", "html"]);
        let html = ok_text(dir, &args);
        let rec = section(&html, "<h2>1. Recommendation</h2>", "<h2>2. Scope</h2>");
        assert!(rec.contains(&format!(">{want}</div>")), "{name}: {rec}");
        insta::assert_snapshot!(format!("decision_{name}_html"), rec);
        // The DPIA's conclusion is the same decision.
        args[0] = "dpia";
        let html = ok_text(dir, &args);
        assert!(
            html.contains(&format!("<strong>Conclusion: {want}.</strong>")),
            "{name}"
        );
        args.truncate(args.len() - 2);
        let md = ok_text(dir, &args);
        let concl = section(&md, "**Conclusion:", "## 7.");
        assert!(
            concl.starts_with(&format!("**Conclusion: {want}.**")),
            "{name}"
        );
        insta::assert_snapshot!(format!("decision_{name}_dpia_md"), concl);
    }
}

#[test]
fn a_rejection_is_cited_and_failed_checks_are_not_smoothed() {
    let tmp = repo_like();
    // The DPO's review of the current digest repeats the note of the one it
    // re-recorded: the agent's cloud features are disabled by policy.
    let reviews = tmp
        .path()
        .join("attestations/xiaomi-15s-pro-cn/reviews.yaml");
    let text = std::fs::read_to_string(&reviews).unwrap();
    let at = text.find("- device: xiaomi-15s-pro-cn\n").unwrap();
    let (head, tail) = text.split_at(at);
    assert!(tail[..200].contains("criteria: [dpo-approved]"), "{tail}");
    let tail = tail.replacen(
        "note: >-\n      Re-recorded",
        "note: >-\n      Per DPIA-2026-007: BYOD in China only, miclaw cloud features disabled by\n      policy. Re-recorded",
        1,
    );
    std::fs::write(&reviews, format!("{head}{tail}")).unwrap();
    let md = ok_text(tmp.path(), &["procurement", "xiaomi-15s-pro-cn"]);
    let f1 = section(&md, "**F-1 Verification.**", "**F-2");
    assert!(
        f1.contains("**Rejected** for procurement-approved by Procurement Office"),
        "{f1}"
    );
    // The rejection carries its own citation into the evidence register.
    let rejected = &f1[f1.find("**Rejected**").unwrap()..];
    let cited = &rejected[..rejected.find(']').unwrap() + 1];
    let id = &cited[cited.rfind("[E-").unwrap() + 1..cited.len() - 1];
    let row = md
        .lines()
        .find(|l| l.starts_with(&format!("| {id} | review |")))
        .unwrap_or_else(|| panic!("{id} not in the register"));
    assert!(row.contains("| reject procurement-approved"), "{row}");
    // A device whose evidence FAILED verification is not called verified.
    let pixel = ok_text(tmp.path(), &["procurement", "pixel-9-pro"]);
    let f1 = section(&pixel, "**F-1 Verification.**", "**F-2");
    assert!(
        !f1.contains("signed (verified)")
            && f1.contains("signature verified, but 2 of 5 evidence items FAILED verification"),
        "{f1}"
    );
    // The DPO's note says the agent's cloud features are disabled; the stack
    // says the agent cannot be disabled.
    let rec = section(&md, "## 1. Recommendation", "## 2. Scope");
    assert!(
        // A name in backticks stays a Markdown code span.
        rec.contains("On whether agent `miclaw` can be disabled:")
            && rec.contains("disabled by policy")
            && rec.contains("`can-disable: false`"),
        "{rec}"
    );
}

#[test]
fn fleet_memo_applies_answers_to_their_device_only() {
    let tmp = repo_like();
    let xiaomi = repo().join("examples/answers/xiaomi-15s-pro-cn.yaml");
    let fleet_own = tmp.path().join("fleet-answers.yaml");
    std::fs::write(
        &fleet_own,
        "version: 1\ndocument: {reference: PROC-2026-200}\nresidual-acceptance: The CIO\n",
    )
    .unwrap();
    let text = ok_text(
        tmp.path(),
        &[
            "procurement",
            "--all",
            "--answers",
            xiaomi.to_str().unwrap(),
            "--answers",
            "fleet-answers.yaml",
        ],
    );
    let condition = "Re-screen the vendor against every list on each new snapshot";
    assert_eq!(text.matches(condition).count(), 1, "{text}");
    let own = section(&text, "(`xiaomi-15s-pro-cn`): ", "### ");
    assert!(own.contains(condition), "{own}");

    // A device's answers in a file that names no device are refused.
    let out = memo(
        tmp.path(),
        &["procurement", "--all", "--answers", "bad.yaml"],
    );
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(
        tmp.path().join("bad.yaml"),
        "version: 1\nconditions:\n  - text: Something\n",
    )
    .unwrap();
    let out = memo(
        tmp.path(),
        &["procurement", "--all", "--answers", "bad.yaml"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.yaml:") && err.contains("names no `device`"),
        "{err}"
    );
    // Two files for one device are refused.
    let x = xiaomi.to_str().unwrap();
    let out = memo(
        tmp.path(),
        &["procurement", "--all", "--answers", x, "--answers", x],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a second answers file"));
    // A device memo takes one answers file.
    let out = memo(
        tmp.path(),
        &["dpia", "laptop", "--answers", x, "--answers", x],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn report_and_memos_give_each_device_the_same_decision() {
    let tmp = repo_like();
    let out = strata(tmp.path())
        .args(["report", "fleet", "--now", "2026-11-26", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fleet = ok_text(tmp.path(), &["procurement", "--all"]);
    let mut seen = Vec::new();
    for d in report["devices"].as_array().unwrap() {
        let (id, decision) = (d["id"].as_str().unwrap(), d["decision"].as_str().unwrap());
        seen.push((id.to_string(), decision.to_string()));
        let md = ok_text(tmp.path(), &["procurement", id]);
        assert!(
            md.contains(&format!("## 1. Recommendation: {decision}\n")),
            "{id}: report says {decision}"
        );
        let dpia = ok_text(tmp.path(), &["dpia", id]);
        assert!(
            dpia.contains(&format!("**Conclusion: {decision}.**")),
            "{id}"
        );
        assert!(
            fleet.contains(&format!("(`{id}`): {decision}\n")),
            "{id} in the fleet memo"
        );
    }
    // The example fleet: the SU7 (no DPIA) defers; the Xiaomi phone, with
    // the procurement office's recorded rejection, does not approve.
    assert!(
        seen.contains(&("xiaomi-su7".into(), "DEFER".into())),
        "{seen:?}"
    );
    assert!(
        seen.contains(&("xiaomi-15s-pro-cn".into(), "REJECT".into())),
        "{seen:?}"
    );
}

#[test]
fn each_document_signs_with_its_own_roles() {
    let tmp = repo_like();
    let answers = repo().join("examples/answers/xiaomi-15s-pro-cn.yaml");
    let a = answers.to_str().unwrap();
    let args = |kind| {
        [
            kind,
            "xiaomi-15s-pro-cn",
            "--final",
            "--answers",
            a,
            "-o",
            "out.md",
        ]
    };
    let out = memo(tmp.path(), &args("procurement"));
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    let text = std::fs::read_to_string(tmp.path().join("out.md")).unwrap();
    let signoff = section(&text, "## 15. Sign-off", "## Annex");
    assert!(
        signoff.contains("| Legal | Head of Legal | 2026-10-16 |"),
        "{signoff}"
    );
    assert!(!signoff.contains("Measures approved by"), "{signoff}");
    let out = memo(tmp.path(), &args("dpia"));
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    let text = std::fs::read_to_string(tmp.path().join("out.md")).unwrap();
    let signoff = section(&text, "| Role | Name | Date |", "This DPIA is kept");
    assert!(signoff.contains("| Measures approved by | Head of IT workplace services |"));
    assert!(!signoff.contains("Procurement lead"), "{signoff}");
}

#[test]
fn the_workings_annex_recomputes_the_memo_figures() {
    let tmp = repo_like();
    let md = ok_text(tmp.path(), &["procurement", "xiaomi-su7"]);
    let annex = section(&md, "## Annex B. Workings", "\u{0}");
    // The weights and their renormalisation, H_min, VCI and N_eff with
    // numbers, criticality weights, every pooled share, weighted and
    // unweighted single-vendor shares.
    for needle in [
        "w\\_vehicle = 0.15 / 1 = 0.1500",
        "| H\\_min | H\\_min = Σ\\_(l,k) (w\\_l · f\\_{l,k})² |",
        "VCI = (0.7338 − 0.1988) / (1 − 0.1988) = 0.6677",
        "N\\_eff = 1 / 0.7338 = 1.3629",
        "xiaomi-su7 20×2 = 40; Σ = 330",
        "NVIDIA Corporation 0.9 %.",
        "of the fleet weighted by units × criticality;",
        "of units, unweighted.",
        // The annex ends each working in the figure as the memo states it.
        "= 0.6677 | VCI 0.67 |",
        "= 1.3629 | N\\_eff 1.36 |",
        "HHI = 7337.5 | HHI 7338 |",
        "(Xiaomi Corporation) | TOP 0.85 |",
        "= 10000.0 | HHI 10000 |",
        "= 2229.8; N\\_eff = 1 / 0.2230 = 4.4847 | HHI 2230; N\\_eff 4.48 |",
    ] {
        assert!(annex.contains(needle), "{needle} in {annex}");
    }
    // The memo states each figure in one format: TOP, VCI and N_eff with
    // two decimals, HHI as an integer, shares as percentages.
    let f2 = section(&md, "**F-2 Vertical concentration.**", "**F-3");
    assert!(
        f2.contains(
            "holds TOP 0.85; VCI 0.67, effective number of vendor groups 1.36, HHI 7338: band"
        ),
        "{f2}"
    );
    let stack = section(&md, "## 5. Stack profile", "## 6.");
    assert!(
        stack.contains("Qualcomm Incorporated 50.0 %, NVIDIA Corporation 50.0 %"),
        "{stack}"
    );
    let analysis = strata(tmp.path())
        .args(["analyze", "fleet", "--explain", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&analysis.stdout).unwrap();
    let pooled = v["fleet"]["pooled"].as_array().unwrap();
    assert_eq!(pooled.len(), 10);
    for g in pooled {
        let share = g["share"].as_f64().unwrap();
        let pct = format!("{:.1} %", (share * 1000.0).round() / 10.0);
        let line = format!("{} {pct}", g["name"].as_str().unwrap());
        assert!(annex.contains(&line), "{line}");
        let row = format!("= {share:.4} | {pct} |");
        assert!(annex.contains(&row), "{row}");
        assert!(annex.contains(&line), "{line}");
    }
}

/// C5 "large scale" (issue #14 item 9) says what the count stands for and
/// weighs the WP248 factors; the answers' own statement on data subjects
/// sits beside it.
#[test]
fn large_scale_says_what_the_count_stands_for() {
    let tmp = repo_like();
    let md = ok_text(tmp.path(), &["dpia", "xiaomi-su7"]);
    let c5 = md
        .lines()
        .find(|l| l.starts_with("| C5 "))
        .unwrap_or_else(|| panic!("{md}"));
    for part in [
        "| no | data subjects: 20 vehicles = at least 20 drivers (a pool vehicle usually has several); passengers and other drivers are data subjects too;",
        "duration: continuous: agent `xiaoai-car` runs in the background",
        "geography: build for the CN market; data goes to CN; used in CN.",
        "the count is a lower bound",
    ] {
        assert!(c5.contains(part), "{part} in {c5}");
    }
    let answers = repo().join("examples/answers/xiaomi-15s-pro-cn.yaml");
    let md = ok_text(
        tmp.path(),
        &[
            "dpia",
            "xiaomi-15s-pro-cn",
            "--answers",
            answers.to_str().unwrap(),
        ],
    );
    let c5 = md.lines().find(|l| l.starts_with("| C5 ")).unwrap();
    assert!(c5.contains(": met The answers on data subjects: "), "{c5}");
}

#[test]
fn a_later_memo_cites_the_final_dpia_by_its_binding() {
    let tmp = repo_like();
    let answers = repo().join("examples/answers/xiaomi-15s-pro-cn.yaml");
    let a = answers.to_str().unwrap();
    let out = memo(
        tmp.path(),
        &[
            "dpia",
            "xiaomi-15s-pro-cn",
            "--final",
            "--answers",
            a,
            "-o",
            "dpia.md",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    let cite = [
        "procurement",
        "xiaomi-15s-pro-cn",
        "--cite",
        "dpia.md.binding.json",
    ];
    let md = ok_text(tmp.path(), &cite);
    let row = md
        .lines()
        .find(|l| l.contains("| final-memo |"))
        .unwrap_or_else(|| panic!("no final-memo row:\n{md}"));
    assert!(row.contains("Final DPIA dpia.md, version 1.0"), "{row}");
    assert!(row.contains("binding verified"), "{row}");
    // The same memo edited after signing is cited as FAILED.
    let path = tmp.path().join("dpia.md");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\nEdited after signing.\n");
    std::fs::write(&path, text).unwrap();
    let md = ok_text(tmp.path(), &cite);
    let row = md.lines().find(|l| l.contains("| final-memo |")).unwrap();
    assert!(row.contains("FAILED: dpia.md differs"), "{row}");
    // A file that is no binding is an input error.
    let out = memo(
        tmp.path(),
        &["procurement", "xiaomi-15s-pro-cn", "--cite", "dpia.md"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(render(&out, tmp.path()).contains("binding-invalid"));
}
