//! The JavaScript that runs before the wasm carries the core's rules between `/*rule:NAME*/` and
//! `/*end*/` markers, generated from the Rust side and never copied by hand: `widget/loader.js`
//! the early buffer's classes, rooms and fold key (`baton_core::capture::early`),
//! `widget/launcher.js` the theme's painted and merged keys (`baton_core::theme`) and the
//! launcher's languages (`baton_core::i18n`). `BATON_WRITE_RULES=1 cargo test` writes them; these
//! tests fail when they drift.

use baton_core::capture::early::loader_rules;

type Rules = Vec<(&'static str, String)>;

fn launcher_rules() -> Rules {
    let mut rules = baton_core::theme::launcher_rules();
    rules.push(("langs", baton_core::i18n::launcher_langs()));
    rules
}

/// `source` with every marked rule's value replaced by the generated one; the names of the
/// markers it found.
fn generate(source: &str, rules: &Rules) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("/*rule:") {
        let name_end = start + rest[start..].find("*/").expect("a rule marker ends with */");
        let name = &rest[start + 7..name_end];
        let value_end = name_end + rest[name_end..].find("/*end*/").expect("a rule's value ends with /*end*/");
        let (_, value) = rules.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("the script names rule {name:?}, which the core does not have"));
        out.push_str(&rest[..name_end + 2]);
        out.push_str(value);
        found.push(name.to_string());
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    (out, found)
}

fn check(file: &str, rules: Rules) {
    let path = format!("{}/widget/{file}", env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (generated, mut found) = generate(&committed, &rules);
    let mut expected: Vec<String> = rules.iter().map(|(n, _)| n.to_string()).collect();
    expected.sort();
    found.sort();
    assert_eq!(found, expected, "every rule is marked once in widget/{file}");
    if std::env::var_os("BATON_WRITE_RULES").is_some() {
        std::fs::write(&path, &generated).expect("write the script");
    }
    assert!(committed == generated, "widget/{file}'s rules differ from the core's: run `BATON_WRITE_RULES=1 cargo test`");
}

#[test]
fn the_loader_carries_the_cores_early_buffer_rule() {
    check("loader.js", loader_rules());
}

#[test]
fn the_launcher_carries_the_cores_theme_and_language_rules() {
    check("launcher.js", launcher_rules());
}

#[test]
fn a_drifted_value_is_found() {
    let (generated, _) = generate("var ROOM = /*rule:rooms*/[1, 2]/*end*/;", &loader_rules());
    assert_eq!(generated, "var ROOM = /*rule:rooms*/[100, 100, 50, 100]/*end*/;");
    let (generated, _) = generate("var L = /*rule:langs*/{ en: ['Hilfe'] }/*end*/;", &launcher_rules());
    assert!(generated.contains("en: [\"Help\"]") && generated.contains(", 1]"), "{generated}");
}
