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

#[test]
fn every_key_the_widget_reads_is_one_the_types_offer() {
    // The readers' keys, from their own lists: the theme's painted and nested keys, and the
    // config's, which no other list holds (the readers are hand-written, key by key, to keep a
    // bad value from stopping the others).
    let schema = schema();
    let theme = keys(def(&schema, "BatonTheme"));
    for (key, _, _) in crate::theme::PAINTED {
        assert!(theme.iter().any(|k| k == key), "theme `{key}` is painted but not typed");
    }
    for key in crate::theme::NESTED {
        assert!(theme.iter().any(|k| k == key), "theme `{key}` is merged but not typed");
    }
    let mut config = keys(&schema);
    config.sort();
    let mut read: Vec<&str> = crate::config::INIT_KEYS.to_vec();
    read.sort();
    assert_eq!(config, read);
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
