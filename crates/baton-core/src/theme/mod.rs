//! Theming: the `theme` config (validated here, written to the page by the loader's `paint`),
//! and the colours Baton derives from it for contrast.
//!
//! The split: the loader's `paint(theme, css)` is the one place theme values become CSS custom
//! properties on the shadow host — it runs before the wasm exists, so the launcher is themed
//! from the first frame. This module checks a theme patch key by key (typos and wrong types are
//! reported, never fatal) and, once the widget runs, the widget's `host::paint` reads the colours the browser
//! actually resolved (config, host CSS or custom CSS, whichever won) and adds the derived ones.

pub mod contrast;

use crate::limits::{truncate_chars, MAX_ECHO_CHARS, MAX_LABEL_CHARS};
use serde_json::{Map, Value};

/// Light, dark, or the visitor's system setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Light preset (the default).
    #[default]
    Light,
    /// Dark preset.
    Dark,
    /// Follows `prefers-color-scheme`.
    Auto,
}

/// Where the launcher and the panel sit on the host page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Position {
    /// Bottom right corner (the default).
    #[default]
    BottomRight,
    /// Bottom left corner, for hosts whose own UI lives bottom right.
    BottomLeft,
}

/// The launcher's icon: one of the loader's built-in shapes, or none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Icon {
    /// A speech bubble (the default).
    #[default]
    Chat,
    /// A question mark in a circle.
    Help,
    /// Text only.
    None,
}

/// The launcher button.
#[derive(Clone, Debug, PartialEq)]
pub struct Launcher {
    /// Icon shape.
    pub icon: Icon,
    /// Visible text and accessible name; `None` uses the language's word for "Help".
    pub label: Option<String>,
    /// Hidden, for hosts that open Baton from their own button (`selector`) or from code.
    pub hidden: bool,
}

impl Default for Launcher {
    fn default() -> Self {
        Launcher { icon: Icon::Chat, label: None, hidden: false }
    }
}

/// The `theme` config. Written (camelCase) for the loader's `paint` by [`Theme::to_paint`]; README lists every key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Theme {
    /// Brand colour: launcher, header, primary buttons, links.
    pub accent: Option<String>,
    /// Colour preset.
    pub mode: Mode,
    /// Corner.
    pub position: Position,
    /// Distance from the viewport edges: a number of px or a CSS length.
    pub offset: Option<Value>,
    /// Stacking order of launcher and panel.
    pub z_index: Option<i64>,
    /// Font stack.
    pub font: Option<String>,
    /// Panel corner radius: a number of px or a CSS length.
    pub radius: Option<Value>,
    /// The launcher button.
    pub launcher: Launcher,
    /// CSS selector of host elements that open Baton when clicked.
    pub selector: Option<String>,
}

/// The theme keys that become CSS custom properties on the shadow host: key, the CSS property a
/// value must be valid for, and the custom property it is written to (`--baton-NAME`).
pub const PAINTED: [(&str, &str, &str); 5] = [
    ("accent", "color", "accent"),
    ("font", "font-family", "font"),
    ("radius", "border-radius", "radius"),
    ("offset", "bottom", "offset"),
    ("zIndex", "z-index", "z-index"),
];

/// Theme keys holding an object that a patch merges key by key (the others it replaces).
pub const NESTED: [&str; 1] = ["launcher"];

/// The theme's rules `widget/launcher.js` carries between `/*rule:NAME*/` markers, as
/// JavaScript literals: the painted keys and the keys merged one level deep, as [`Theme::apply`]
/// merges them.
pub fn launcher_rules() -> Vec<(&'static str, String)> {
    let painted: Vec<String> = PAINTED.iter().map(|(key, property, name)| format!("{key}: ['{property}', '{name}']")).collect();
    let nested: Vec<String> = NESTED.iter().map(|key| format!("'{key}'")).collect();
    vec![("painted", format!("{{ {} }}", painted.join(", "))), ("nested", format!("[{}]", nested.join(", ")))]
}

/// Longest CSS value Baton accepts from config (colours, fonts, lengths, selectors).
const MAX_CSS_VALUE_CHARS: usize = 200;

fn css_text(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) if s.trim().is_empty() => Err("must not be empty".into()),
        Value::String(s) if s.chars().count() > MAX_CSS_VALUE_CHARS => {
            Err(format!("is longer than {MAX_CSS_VALUE_CHARS} characters"))
        }
        Value::String(s) => Ok(s.trim().to_string()),
        other => Err(format!("must be a string, got {}", crate::values::describe(other))),
    }
}

fn length(value: &Value) -> Result<Value, String> {
    match value {
        Value::Number(n) if n.as_f64().is_some_and(|v| (0.0..=1000.0).contains(&v)) => Ok(value.clone()),
        Value::Number(_) => Err("must be between 0 and 1000 (px)".into()),
        Value::String(_) => css_text(value).map(Value::String),
        other => Err(format!("must be a number of px or a CSS length, got {}", crate::values::describe(other))),
    }
}

fn flag(value: &Value) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" || s == "false" => Ok(s == "true"),
        other => Err(format!("must be true or false, got {}", crate::values::describe(other))),
    }
}

use crate::values::choice;

/// `null` means "back to the default" (`Ok(None)`); anything else goes through `parse`.
fn nullable<T>(value: &Value, parse: impl FnOnce(&Value) -> Result<T, String>) -> Result<Option<T>, String> {
    if value.is_null() { Ok(None) } else { parse(value).map(Some) }
}

impl Theme {
    /// Merges a `theme` patch key by key; `null` puts a key back to its default. Returns one
    /// problem per key that was not applied, as `(key path, problem)`.
    pub fn apply(&mut self, patch: &Value) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        let Some(map) = patch.as_object() else {
            problems.push((String::new(), format!("must be an object, got {}", crate::values::describe(patch))));
            return problems;
        };
        for (key, value) in map {
            let result = match key.as_str() {
                "accent" => nullable(value, css_text).map(|v| self.accent = v),
                "mode" => nullable(value, |v| choice(v, &[("light", Mode::Light), ("dark", Mode::Dark), ("auto", Mode::Auto)]))
                    .map(|v| self.mode = v.unwrap_or_default()),
                "position" => nullable(value, |v| choice(v, Position::NAMES))
                    .map(|v| self.position = v.unwrap_or_default()),
                "offset" => nullable(value, length).map(|v| self.offset = v),
                "radius" => nullable(value, length).map(|v| self.radius = v),
                "zIndex" => nullable(value, |v| match v.as_i64() {
                    Some(z) if (-1..=2_147_483_647).contains(&z) => Ok(z),
                    _ => Err("must be a whole number up to 2147483647".into()),
                })
                .map(|v| self.z_index = v),
                "font" => nullable(value, css_text).map(|v| self.font = v),
                "selector" => nullable(value, css_text).map(|v| self.selector = v),
                "launcher" if value.is_null() => Ok(self.launcher = Launcher::default()),
                "launcher" => {
                    self.apply_launcher(value, &mut problems);
                    Ok(())
                }
                _ => Err("unknown key, ignored (see README, Theme)".into()),
            };
            if let Err(problem) = result {
                problems.push((truncate_chars(key, MAX_ECHO_CHARS), problem));
            }
        }
        problems
    }

    fn apply_launcher(&mut self, value: &Value, problems: &mut Vec<(String, String)>) {
        let Some(map) = value.as_object() else {
            problems.push(("launcher".into(), "must be an object like {\"label\": \"Support\"}".into()));
            return;
        };
        for (key, value) in map {
            let result = match key.as_str() {
                "icon" => nullable(value, |v| choice(v, Icon::NAMES))
                    .map(|v| self.launcher.icon = v.unwrap_or_default()),
                "label" => nullable(value, |v| crate::values::text(v, MAX_LABEL_CHARS)).map(|v| self.launcher.label = v),
                "hidden" => nullable(value, flag).map(|v| self.launcher.hidden = v.unwrap_or(false)),
                _ => Err("unknown key, ignored (see README, Theme)".into()),
            };
            if let Err(problem) = result {
                problems.push((format!("launcher.{}", truncate_chars(key, MAX_ECHO_CHARS)), problem));
            }
        }
    }

    /// The theme as the loader's `paint` reads it, with the language (its code and direction),
    /// the launcher label and `auto` mode (from `system_dark`, the visitor's colour scheme)
    /// resolved: the page only ever sees `data-mode="light"` or `"dark"`.
    pub fn to_paint(&self, default_label: &str, lang: &str, rtl: bool, system_dark: bool) -> Value {
        // Built by hand rather than derived: serde_json's value serializer and the derived
        // impls would be the first open's code for one small object.
        let text = |s: &str| Value::String(s.to_string());
        let mut value = Map::new();
        let mut put = |key: &str, v: Option<Value>| {
            if let Some(v) = v {
                value.insert(key.to_string(), v);
            }
        };
        let mode = match (self.mode, system_dark) {
            (Mode::Light, _) | (Mode::Auto, false) => "light",
            (Mode::Dark, _) | (Mode::Auto, true) => "dark",
        };
        put("accent", self.accent.as_deref().map(text));
        put("mode", Some(text(mode)));
        put("position", Some(text(self.position.name())));
        put("offset", self.offset.clone());
        put("zIndex", self.z_index.map(Value::from));
        put("font", self.font.as_deref().map(text));
        put("radius", self.radius.clone());
        put("selector", self.selector.as_deref().map(text));
        let mut launcher = Map::new();
        launcher.insert("icon".into(), text(self.launcher.icon.name()));
        launcher.insert("label".into(), text(self.launcher.label.as_deref().unwrap_or(default_label)));
        launcher.insert("hidden".into(), Value::Bool(self.launcher.hidden));
        put("launcher", Some(Value::Object(launcher)));
        put("lang", Some(text(lang)));
        put("rtl", Some(Value::Bool(rtl)));
        Value::Object(value)
    }
}

impl Position {
    /// Each position by the name config and the loader use: read by `apply`, written by `to_paint`.
    const NAMES: &'static [(&'static str, Position)] =
        &[("bottom-right", Position::BottomRight), ("bottom-left", Position::BottomLeft)];

    fn name(self) -> &'static str {
        name_in(Self::NAMES, self)
    }
}

impl Icon {
    /// Each icon by the name config and the loader use: read by `apply`, written by `to_paint`.
    const NAMES: &'static [(&'static str, Icon)] = &[("chat", Icon::Chat), ("help", Icon::Help), ("none", Icon::None)];

    fn name(self) -> &'static str {
        name_in(Self::NAMES, self)
    }
}

/// The name of `value` in its `NAMES` table (every variant has one).
fn name_in<T: PartialEq>(names: &[(&'static str, T)], value: T) -> &'static str {
    names.iter().find(|(_, v)| *v == value).map_or("", |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_documented_key_applies() {
        let mut t = Theme::default();
        let problems = t.apply(&json!({
            "accent": "#0f766e", "mode": "dark", "position": "bottom-left", "offset": 24,
            "zIndex": 1000, "font": "Inter, sans-serif", "radius": "6px",
            "launcher": {"icon": "help", "label": "Support", "hidden": true}, "selector": "#help-button"
        }));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(t.accent.as_deref(), Some("#0f766e"));
        assert_eq!((t.mode, t.position, t.z_index), (Mode::Dark, Position::BottomLeft, Some(1000)));
        assert_eq!(t.launcher, Launcher { icon: Icon::Help, label: Some("Support".into()), hidden: true });
        let painted = t.to_paint("Help", "en", false, false);
        assert_eq!(painted["zIndex"], 1000);
        assert_eq!(painted["position"], "bottom-left");
        assert_eq!(painted["launcher"]["icon"], "help");
        assert_eq!(painted["offset"], 24);
    }

    #[test]
    fn patches_merge_and_bad_values_keep_the_previous_one() {
        let mut t = Theme::default();
        t.apply(&json!({"accent": "#111111", "launcher": {"label": "Aide"}}));
        let problems = t.apply(&json!({
            "accent": 5, "mode": "sepia", "zIndex": 1e12, "offset": -3, "launcher": {"hidden": "yes", "colour": 1},
            "acent": "#fff"
        }));
        assert_eq!(t.accent.as_deref(), Some("#111111"));
        assert_eq!(t.launcher.label.as_deref(), Some("Aide"), "launcher keys merge");
        let keys: Vec<&str> = problems.iter().map(|(k, _)| k.as_str()).collect();
        for k in ["accent", "mode", "zIndex", "offset", "launcher.hidden", "launcher.colour", "acent"] {
            assert!(keys.contains(&k), "{k} missing from {keys:?}");
        }
        assert_eq!(t.apply(&json!("dark")).len(), 1);
    }

    #[test]
    fn null_puts_a_key_back_to_its_default() {
        let mut t = Theme::default();
        t.apply(&json!({"accent": "#000", "radius": 3, "mode": "dark", "launcher": {"label": "X", "hidden": true}}));
        assert!(t.apply(&json!({"accent": null, "radius": null, "mode": null, "launcher": {"label": null}})).is_empty());
        assert_eq!((t.accent.clone(), t.radius.clone(), t.mode), (None, None, Mode::Light));
        assert_eq!((t.launcher.label.clone(), t.launcher.hidden), (None, true), "only the label was reset");
        t.apply(&json!({"launcher": null}));
        assert_eq!(t.launcher, Launcher::default());
    }

    #[test]
    fn the_default_label_follows_the_language_until_the_host_sets_one() {
        let t = Theme::default();
        let painted = t.to_paint("مساعدة", "ar", true, false);
        assert_eq!(painted["launcher"]["label"], "مساعدة");
        assert_eq!(painted["launcher"]["hidden"], false);
        assert_eq!((painted["lang"].as_str(), painted["rtl"].as_bool()), (Some("ar"), Some(true)));
        assert!(painted.get("accent").is_none(), "unset keys are not sent");
        let auto = Theme { mode: Mode::Auto, ..Theme::default() };
        assert_eq!(auto.to_paint("Help", "en", false, true)["mode"], "dark");
        assert_eq!(auto.to_paint("Help", "en", false, false)["mode"], "light");
        assert_eq!(Theme { mode: Mode::Dark, ..Theme::default() }.to_paint("Help", "en", false, false)["mode"], "dark");
    }

    #[test]
    fn hostile_values_are_bounded() {
        let mut t = Theme::default();
        let problems = t.apply(&json!({"font": "x".repeat(5000), "selector": "", "launcher": {"label": "é".repeat(500)}}));
        assert_eq!(problems.len(), 2);
        assert_eq!(t.launcher.label.unwrap().chars().count(), MAX_LABEL_CHARS);
    }
}
