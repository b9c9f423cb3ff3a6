//! The schema against the readers, and the committed file against the schema.

use super::schema;
use crate::config::{Config, Source};
use crate::theme::Theme;
use serde_json::{json, Value};

fn keys(object: &Value) -> Vec<String> {
    object["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default()
}

fn def<'a>(schema: &'a Value, name: &str) -> &'a Value {
    &schema["$defs"][name]
}

/// Warnings that say a key is not known.
fn unknown(warnings: impl IntoIterator<Item = (String, String)>) -> Vec<String> {
    warnings.into_iter().filter(|(_, problem)| problem.starts_with("unknown key")).map(|(key, _)| key).collect()
}

#[test]
fn every_key_the_types_offer_is_one_the_widget_reads() {
    let schema = schema();
    let config = keys(&schema);
    assert_eq!(config.len(), 16, "{config:?}");
    for key in &config {
        let warnings = Config::default().apply(&json!({ key: null }), Source::Init).into_iter().map(|w| (w.key, w.problem));
        assert_eq!(unknown(warnings), Vec::<String>::new(), "config `{key}`");
    }
    for key in keys(def(&schema, "BatonTheme")) {
        assert_eq!(unknown(Theme::default().apply(&json!({ &key: null }))), Vec::<String>::new(), "theme `{key}`");
    }
    for key in keys(def(&schema, "BatonLauncher")) {
        assert_eq!(unknown(Theme::default().apply(&json!({ "launcher": { &key: null } }))), Vec::<String>::new(), "theme.launcher `{key}`");
    }
    // And the other way: a key the types do not offer is one the readers call unknown.
    assert_eq!(Config::default().apply(&json!({ "titel": "Help" }), Source::Init)[0].problem, "unknown key, ignored (see README, Config)");
    assert_eq!(unknown(Theme::default().apply(&json!({ "colour": "red" }))), ["colour"]);
}

/// The keys a reader's `match key { … }` takes: the string literals that open its arms, leaving
/// out arms guarded by `if` (the script tag's shorthands) and arms that only refuse (`=> Err(`).
/// Read from the source, because the readers are hand-written key by key (a bad value must not
/// stop the others) and a second list of their keys would be one more thing to keep in step.
fn reader_keys(source: &str, function: &str) -> Vec<String> {
    let body = &source[source.find(function).expect("the reader")..];
    let body = &body[..body.find("\n    }\n").expect("its end")];
    let mut keys = Vec::new();
    for line in body.lines().map(str::trim).filter(|l| l.starts_with('"')) {
        let Some((pattern, arm)) = line.split_once("=>") else { continue };
        if pattern.contains(" if ") || arm.trim_start().starts_with("Err(") {
            continue;
        }
        keys.extend(pattern.split('|').map(|k| k.trim().trim_matches('"').to_string()));
    }
    keys.sort();
    keys.dedup();
    keys
}

#[test]
fn every_key_the_widget_reads_is_one_the_types_offer() {
    let schema = schema();
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(reader_keys(include_str!("../mod.rs"), "pub fn apply(&mut self, patch: &Value, source: Source)"), sorted(keys(&schema)));
    let theme = include_str!("../../theme/mod.rs");
    assert_eq!(reader_keys(theme, "pub fn apply(&mut self, patch: &Value)"), sorted(keys(def(&schema, "BatonTheme"))), "theme");
    assert_eq!(reader_keys(theme, "fn apply_launcher("), sorted(keys(def(&schema, "BatonLauncher"))), "theme.launcher");
}

/// `widget/config.schema.json`, from which the npm package's `types/config.d.ts` is generated
/// (with its own drift test); `BATON_WRITE_SCHEMA=1 cargo test` rewrites it.
#[test]
fn committed_schema_matches_the_types() {
    let generated = serde_json::to_string_pretty(&schema()).unwrap() + "\n";
    let path = format!("{}/../../widget/config.schema.json", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("BATON_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == generated, "widget/config.schema.json is out of date: run `BATON_WRITE_SCHEMA=1 cargo test`");
}
