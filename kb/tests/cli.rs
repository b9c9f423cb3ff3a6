//! The `baton-kb` binary as a team runs it: build a docs folder, check the result, evaluate it
//! with the team's own questions, and a check that fails CI.

use std::path::PathBuf;
use std::process::Command;

fn baton_kb(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_baton-kb")).args(args).output().expect("baton-kb runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("baton-kb-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn build_check_and_eval_a_docs_folder() {
    let dir = temp("ok");
    let docs = dir.join("docs");
    std::fs::create_dir_all(docs.join("billing")).unwrap();
    std::fs::write(docs.join("billing/card.md"), "---\nid: card\nphrasings: [my card was declined, update my credit card]\n---\n# Update your card\n\nOpen Billing. See [refunds](refund.md).\n").unwrap();
    std::fs::write(docs.join("billing/refund.md"), "---\nid: refund\nphrasings: [I want my money back, refund an order]\n---\n# Get a refund\n\nRefunds take five days.\n").unwrap();
    std::fs::write(docs.join("password.md"), "---\nphrasings: [forgot my password, cannot sign in]\n---\n# Reset your password\n\nUse Forgot password.\n").unwrap();
    let kb = dir.join("kb.json");
    let (code, _, err) = baton_kb(&["build", docs.to_str().unwrap(), "-o", kb.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("3 articles"), "{err}");
    let text = std::fs::read_to_string(&kb).unwrap();
    assert!(text.contains("[refunds](article:refund)"), "{text}");
    let (code, _, err) = baton_kb(&["check", kb.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let queries = dir.join("questions.jsonl");
    std::fs::write(&queries, [
        r#"{"query": "my card got declined", "relevant": ["card"]}"#,
        r#"{"query": "how do I get a refund", "relevant": ["refund"]}"#,
        r#"{"query": "password forgotten", "relevant": ["password"]}"#,
        r#"{"query": "what is the weather on mars", "relevant": []}"#,
    ].join("\n")).unwrap();
    let (code, out, err) = baton_kb(&["eval", "--no-meaning", "--failures", kb.to_str().unwrap(), queries.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let row = out.lines().find(|l| l.starts_with("| kb (Baton, kb.json only)")).unwrap_or_else(|| panic!("{out}"));
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    assert_eq!(cells[2], "1.000", "P@1 of three easy questions: {row}");
    assert_eq!(cells[5], "1.000", "the weather on Mars is declined: {row}");
}

#[test]
fn check_fails_ci_on_a_broken_kb_and_build_writes_nothing_on_problems() {
    let dir = temp("bad");
    let kb = dir.join("kb.json");
    std::fs::write(&kb, r#"[{"id": "a", "title": "A", "body": "[b](article:gone)", "routes": ["billing"]}, {"id": "a", "title": "Again"}]"#).unwrap();
    let (code, out, _) = baton_kb(&["check", kb.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.contains("duplicate id") && out.contains("article \"gone\"") && out.contains("route \"billing\" can never match"), "{out}");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("a.md"), "no title and [a link](missing.md)").unwrap();
    let out_file = dir.join("out.json");
    let (code, _, err) = baton_kb(&["build", docs.to_str().unwrap(), "-o", out_file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("a.md: no title") && err.contains("nothing written"), "{err}");
    assert!(!out_file.exists());
    // Zendesk's articles and sections as two files (two API calls) are one export.
    let articles = dir.join("articles.json");
    let sections = dir.join("sections.json");
    std::fs::write(&articles, r#"{"articles": [{"id": 1, "title": "Plans", "body": "<p>Our <b>plans</b></p>", "section_id": 9}], "next_page": null}"#).unwrap();
    std::fs::write(&sections, r#"{"sections": [{"id": 9, "name": "Billing"}]}"#).unwrap();
    let (code, out, err) = baton_kb(&["import", "zendesk", articles.to_str().unwrap(), sections.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let kb: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(kb[0]["tags"][0], "Billing");
    assert_eq!(kb[0]["body"], "Our **plans**");
    let (code, _, err) = baton_kb(&["import", "freshdesk", "x.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("`zendesk` or `intercom`"), "{err}");
}
