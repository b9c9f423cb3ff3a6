//! `widget/loader.js` carries the core's early-buffer rule (`baton_core::capture::early`) between
//! `/*rule:NAME*/` and `/*end*/` markers: generated from the Rust side, never copied by hand.
//! `BATON_WRITE_RULES=1 cargo test` writes them; this test fails when they drift.

use baton_core::capture::early::loader_rules;

/// `source` with every marked rule's value replaced by the generated one; the names of the
/// markers it found.
fn generate(source: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("/*rule:") {
        let name_end = start + rest[start..].find("*/").expect("a rule marker ends with */");
        let name = &rest[start + 7..name_end];
        let value_end = name_end + rest[name_end..].find("/*end*/").expect("a rule's value ends with /*end*/");
        let (_, value) = loader_rules().into_iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("widget/loader.js names rule {name:?}, which the core does not have"));
        out.push_str(&rest[..name_end + 2]);
        out.push_str(&value);
        found.push(name.to_string());
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    (out, found)
}

#[test]
fn the_loader_carries_the_cores_early_buffer_rule() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/widget/loader.js");
    let committed = std::fs::read_to_string(path).expect("widget/loader.js");
    let (generated, found) = generate(&committed);
    let mut expected: Vec<String> = loader_rules().into_iter().map(|(n, _)| n.to_string()).collect();
    let mut seen = found.clone();
    expected.sort();
    seen.sort();
    assert_eq!(seen, expected, "every rule is marked once in widget/loader.js");
    if std::env::var_os("BATON_WRITE_RULES").is_some() {
        std::fs::write(path, &generated).expect("write widget/loader.js");
    }
    assert!(committed == generated, "widget/loader.js's rules differ from baton_core::capture::early: run `BATON_WRITE_RULES=1 cargo test`");
}

#[test]
fn a_drifted_value_is_found() {
    let (generated, _) = generate("var ROOM = /*rule:rooms*/[1, 2]/*end*/;");
    assert_eq!(generated, "var ROOM = /*rule:rooms*/[100, 100, 50, 100]/*end*/;");
}
