//! The config as JavaScript writes it: every key `Baton('init', …)` takes, its type and what it
//! does, as a JSON Schema (`widget/config.schema.json`) from which the npm package's TypeScript
//! types (`BatonConfig`, `BatonTheme`, `BatonHandoffConfig`, `CssLength`) are generated. The
//! readers ([`super::Config::apply`], [`crate::theme::Theme::apply`]) take exactly these keys: a
//! test holds them together.

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};


/// `Baton('init', config)` (docs/config-and-api.md, "Config"); later calls merge key by key.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "BatonConfig")]
pub struct ConfigShape {
    /// Heading of the panel (≤ 80 characters).
    pub title: Option<String>,
    /// Look and placement.
    pub theme: Option<ThemeShape>,
    /// CSS appended inside the shadow root after Baton's own styles.
    pub custom_css: Option<String>,
    /// CSP nonce for the stylesheet link.
    pub nonce: Option<String>,
    /// BCP 47 tag, e.g. `"fr-CA"`; default: the browser's languages.
    pub locale: Option<String>,
    /// Replace single texts by key (docs/theming.md, "Languages").
    pub strings: Option<std::collections::BTreeMap<String, String>>,
    /// When the widget code is fetched: on intent (default) or when the browser is idle.
    pub preload: Option<PreloadShape>,
    /// The app's version, reported in the context's environment.
    pub app_version: Option<String>,
    /// The knowledge base: a URL, or the articles themselves.
    #[schemars(schema_with = "kb")]
    #[serde(default)]
    pub kb: Option<serde_json::Value>,
    /// The KB's meaning table made by `baton-kb index`.
    pub meaning: Option<String>,
    /// The relay's `POST /v1/encode`: search queries are also embedded there (redacted) and re-ranked.
    pub encoder: Option<String>,
    /// Where handoffs go.
    pub handoff: Option<HandoffShape>,
    /// Flat form of `handoff.endpoint`.
    pub endpoint: Option<String>,
    /// The baton-relay the conversations live on; default: the relay `handoff.endpoint` names.
    pub relay: Option<String>,
    /// `"required"`: nothing stored, no relay session and no query to the encoder before `consent(true)` or the first click on the launcher.
    pub consent: Option<ConsentShape>,
    /// The scorecard's KPI events to the relay (`POST /v1/events`): on with a relay; `false` turns them off; `{ queries: true }` adds the (redacted) search text, for content gaps.
    #[schemars(schema_with = "analytics")]
    #[serde(default)]
    pub analytics: Option<bool>,
}

/// The `theme` config (docs/theming.md, "Theme").
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "BatonTheme")]
pub struct ThemeShape {
    /// Any CSS colour; text on it is picked for contrast.
    pub accent: Option<String>,
    /// `"light"` (default), `"dark"`, or `"auto"` (follows the system).
    pub mode: Option<ModeShape>,
    /// Default `"bottom-right"`.
    pub position: Option<PositionShape>,
    /// Distance from the viewport edges.
    pub offset: Option<CssLength>,
    /// Stacking order (default 2147483000).
    pub z_index: Option<i64>,
    /// Font stack of every text in the widget.
    pub font: Option<String>,
    /// Panel corners.
    pub radius: Option<CssLength>,
    /// The launcher button.
    pub launcher: Option<LauncherShape>,
    /// Clicking any element matching this CSS selector opens Baton.
    pub selector: Option<String>,
}

/// The launcher button.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BatonLauncher")]
pub struct LauncherShape {
    /// The icon; default `"chat"`.
    pub icon: Option<IconShape>,
    /// Text beside the icon (≤ 40 characters).
    pub label: Option<String>,
    /// No launcher: open Baton from your own button (`open()` or `theme.selector`).
    pub hidden: Option<bool>,
}

/// Where handoffs go (docs/handoff.md, "Reaching a person").
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BatonHandoffConfig")]
pub struct HandoffShape {
    /// Baton POSTs each handoff here (e.g. baton-relay's `/v1/handoffs`).
    pub endpoint: Option<String>,
    /// Support address for the `mailto:` fallback.
    pub email: Option<String>,
    /// Body format POSTed to `endpoint`.
    pub format: Option<FormatShape>,
}

/// A CSS length: a number of pixels, or any CSS length string.
#[allow(missing_docs)]
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum CssLength {
    Px(f64),
    Css(String),
}

/// `preload`.
#[allow(missing_docs)]
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
pub enum PreloadShape {
    Intent,
    Idle,
}

/// `consent`.
#[allow(missing_docs)]
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
pub enum ConsentShape {
    Required,
    Implied,
}

/// `theme.mode`.
#[allow(missing_docs)]
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
pub enum ModeShape {
    Light,
    Dark,
    Auto,
}

/// `theme.position`.
#[allow(missing_docs)]
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(inline)]
pub enum PositionShape {
    BottomRight,
    BottomLeft,
}

/// `theme.launcher.icon`.
#[allow(missing_docs)]
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
pub enum IconShape {
    Chat,
    Help,
    None,
}

/// `handoff.format`.
#[allow(missing_docs)]
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
pub enum FormatShape {
    Baton,
    Zendesk,
    Chatwoot,
}

/// A URL, or the articles (typed by the KB's own schema, `widget/kb.schema.json`).
fn kb(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [{ "type": "string" }, { "type": "array", "items": { "type": "object" } }],
        "tsType": "string | KbArticle[]"
    })
}

fn analytics(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [
            { "const": false },
            {
                "type": "object",
                "properties": { "queries": { "type": "boolean", "description": "Send the redacted search text with each search event." } },
                "additionalProperties": false
            }
        ]
    })
}

/// The config's JSON Schema. Every key is optional and none takes `null` in the types (a `null`
/// resets a theme key, but the types say what to write).
pub fn schema() -> serde_json::Value {
    fn without_null(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(o) => {
                if let Some(serde_json::Value::Array(types)) = o.get_mut("type") {
                    types.retain(|t| t != "null");
                    if types.len() == 1 {
                        let only = types.remove(0);
                        o.insert("type".into(), only);
                    }
                }
                if let Some(serde_json::Value::Array(values)) = o.get_mut("enum") {
                    values.retain(|v| !v.is_null());
                }
                if let Some(serde_json::Value::Array(any)) = o.get_mut("anyOf") {
                    any.retain(|s| s.get("type").and_then(|t| t.as_str()) != Some("null"));
                    if any.len() == 1 {
                        let only = any.remove(0);
                        o.remove("anyOf");
                        if let serde_json::Value::Object(inner) = only {
                            o.extend(inner);
                        }
                    }
                }
                o.remove("default");
                o.values_mut().for_each(without_null);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(without_null),
            _ => {}
        }
    }
    let mut schema = schemars::schema_for!(ConfigShape).to_value();
    without_null(&mut schema);
    schema
}

#[cfg(test)]
mod tests;
