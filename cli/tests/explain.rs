//! `strata explain`: every registered code explains itself, the list names
//! every code, and an unknown code is a usage error with a suggestion.

use strata::diag::Code;

use crate::common::{render, repo, strata};

#[test]
fn every_code_explains_itself() {
    for &code in Code::ALL {
        let out = strata(&repo())
            .args(["explain", code.as_str()])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{code}: {}",
            render(&out, &repo())
        );
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            code.explanation(),
            "{code}"
        );
        assert!(out.stderr.is_empty(), "{code}");
    }
}

#[test]
fn the_list_names_every_code_with_its_summary() {
    let out = strata(&repo())
        .args(["explain", "--list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), Code::ALL.len());
    for (line, code) in lines.iter().zip(Code::ALL) {
        let (name, summary) = line.split_once("  ").unwrap();
        assert_eq!(name.trim_end(), code.as_str());
        assert_eq!(summary.trim_start(), code.summary());
    }

    let out = strata(&repo())
        .args(["explain", "--list", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(names, want);
}

#[test]
fn one_code_as_json_and_pasted_from_an_error() {
    let out = strata(&repo())
        .args(["explain", "error[unknown-key]", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "unknown-key");
    assert_eq!(v["summary"], Code::UnknownKey.summary());
    assert_eq!(v["explanation"], Code::UnknownKey.explanation());
}

#[test]
fn an_unknown_code_exits_2_with_a_suggestion() {
    let out = strata(&repo())
        .args(["explain", "unkown-key"])
        .output()
        .unwrap();
    insta::assert_snapshot!(render(&out, &repo()), @r"
    exit_code: 2
    ----- stdout -----
    ----- stderr -----
    error: `unkown-key` is not a strata diagnostic code; did you mean `unknown-key`? `strata explain --list` lists them all
    ");
    // Neither a code nor --list is a usage error from clap.
    let out = strata(&repo()).arg("explain").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // In JSON mode the error is JSON too.
    let out = strata(&repo())
        .args(["explain", "nope", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "usage");
}
