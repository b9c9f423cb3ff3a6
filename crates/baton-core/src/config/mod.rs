//! Widget configuration: defaults, and the one merge path that both the script tag's `data-*`
//! attributes and every `Baton('init', {...})` call go through.
//!
//! Target-independent: it works on `serde_json::Value`, so that native tests cover it fully.
//! A bad value never stops the widget: it is reported as a [`ConfigWarning`] and the key keeps
//! its previous value.

use crate::limits::{truncate_chars, MAX_CUSTOM_CSS_CHARS, MAX_ECHO_CHARS, MAX_LABEL_CHARS, MAX_TITLE_CHARS};
use serde_json::Value;
use crate::theme::Theme;
use crate::values::{choice, describe, text};
use std::fmt;

pub mod shape;

/// When the loader fetches the widget code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Preload {
    /// On intent: pointer over, focus on or click of the launcher, or an `open` call.
    #[default]
    Intent,
    /// When the browser is idle after the page loaded, so that the first open is instant.
    Idle,
}

/// Where the knowledge base comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum KbSource {
    /// A URL to fetch (relative URLs resolve against the page).
    Url(String),
    /// Articles given inline in config.
    Inline(Value),
}

/// Where a piece of config came from: it decides how strict Baton is about unknown keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The loader's `data-*` attributes. Other tools put their own `data-*` on script tags
    /// (e.g. `data-cfasync`), so unknown keys here are ignored silently.
    Attributes,
    /// A `Baton('init', {...})` call: an unknown key is most likely a typo, so it is reported.
    Init,
}

/// The widget's settings. Keys are camelCase in JS; README lists them all.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Heading of the panel; `None` uses the language's word for "Help".
    pub title: Option<String>,
    /// Look and placement (docs/theming.md, "Theme").
    pub theme: Theme,
    /// CSS appended inside the shadow root, after Baton's own (docs/theming.md, "Custom CSS").
    pub custom_css: Option<String>,
    /// The language asked for (`locale`), else the browser's; see [`crate::i18n`].
    pub locale: Option<String>,
    /// Overrides of single user-visible strings, by key (docs/theming.md, "Languages").
    pub strings: crate::i18n::Overrides,
    /// When the widget code is fetched.
    pub preload: Preload,
    /// The host app's version, reported with the environment.
    pub app_version: Option<String>,
    /// The knowledge base: a URL, or the articles inline.
    pub kb: Option<KbSource>,
    /// The KB's meaning table (`baton-kb index`), fetched after the KB; optional.
    pub meaning: Option<String>,
    /// The relay's `POST /v1/encode`, which embeds search queries; optional.
    pub encoder: Option<String>,
    /// Where handoffs are POSTed (`endpoint`, or `handoff: {endpoint}`).
    pub endpoint: Option<String>,
    /// Support address for the `mailto:` fallback (`handoff: {email}`).
    pub support_email: Option<String>,
    /// Body format POSTed to the endpoint: `"baton"` (the bundle) or `"zendesk"` (Requests API).
    pub handoff_format: HandoffFormat,
    /// The baton-relay the conversations live on (`relay`); by default the relay `endpoint`
    /// names (an endpoint ending in `/v1/handoffs`).
    pub relay: Option<String>,
    /// `consent: "required"` (or `data-consent="required"`): nothing is stored on the device and
    /// no relay session opens before `Baton('consent', true)` or the first click on the launcher.
    pub consent_required: bool,
    /// KPI events go to the relay's `POST /v1/events` for the scorecard (`analytics: false`
    /// turns them off).
    pub analytics: bool,
    /// `analytics: { queries: true }`: the events carry the search text (redacted), for the
    /// scorecard's content gaps.
    pub analytics_queries: bool,
}

impl Config {
    /// Where handoffs are POSTed: `handoff.endpoint`, else the relay's `/v1/handoffs`.
    pub fn handoff_endpoint(&self) -> Option<String> {
        self.endpoint.clone().or_else(|| self.relay.as_ref().map(|r| format!("{}/v1/handoffs", r.trim_end_matches('/'))))
    }

    /// The relay's base URL for conversations, if there is one.
    pub fn relay_base(&self) -> Option<String> {
        if let Some(relay) = &self.relay {
            return Some(relay.trim_end_matches('/').to_string());
        }
        let endpoint = self.endpoint.as_deref().filter(|_| self.handoff_format == HandoffFormat::Baton)?;
        endpoint.trim_end_matches('/').strip_suffix("/v1/handoffs").map(str::to_string)
    }
}

/// What Baton POSTs to `handoff.endpoint`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HandoffFormat {
    /// The bundle itself.
    #[default]
    Baton,
    /// A Zendesk Requests API body (`POST /api/v2/requests.json`).
    Zendesk,
    /// The Chatwoot Client API: contact, conversation, message (endpoint: the inbox's base URL).
    Chatwoot,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: None,
            theme: Theme::default(),
            custom_css: None,
            locale: None,
            strings: Default::default(),
            preload: Preload::default(),
            app_version: None,
            kb: None,
            meaning: None,
            encoder: None,
            endpoint: None,
            support_email: None,
            handoff_format: HandoffFormat::default(),
            relay: None,
            consent_required: false,
            analytics: true,
            analytics_queries: false,
        }
    }
}

/// Why one key of a config patch was not applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigWarning {
    /// The key as the host wrote it (truncated for display).
    pub key: String,
    /// What was wrong, in words a host developer can act on.
    pub problem: String,
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "config: {}", self.problem)
        } else {
            write!(f, "config `{}`: {}", self.key, self.problem)
        }
    }
}

/// Longest override of one user-visible string.
const MAX_STRING_CHARS: usize = 500;

impl Config {
    fn theme_shorthand(&mut self, key: &str, value: Value, warnings: &mut Vec<ConfigWarning>) {
        let patch = serde_json::json!({ key: value });
        for (path, problem) in self.theme.apply(&patch) {
            warnings.push(ConfigWarning { key: format!("data-{path}"), problem });
        }
    }

    /// `handoff: {endpoint, email, format}`: each part optional, each checked on its own.
    /// `analytics: false` or `{ queries: true }`.
    #[inline(never)]
    fn apply_analytics(&mut self, value: &Value) -> Result<(), String> {
        match value {
            Value::Bool(on) => Ok(self.analytics = *on),
            Value::Object(o) => Ok((self.analytics, self.analytics_queries) = (true, o.get("queries") == Some(&Value::Bool(true)))),
            _ => Err("must be false or { queries: true }".into()),
        }
    }

    fn apply_handoff(&mut self, value: &Value) -> Result<(), String> {
        let Some(obj) = value.as_object().filter(|o| ["endpoint", "email", "format"].iter().any(|k| o.contains_key(*k))) else {
            return Err("must be an object like {\"endpoint\": \"https://…\"} or {\"email\": \"support@…\"}".into());
        };
        let mut problems = Vec::new();
        if let Some(v) = obj.get("endpoint") {
            match text(v, 2000) {
                Ok(v) => self.endpoint = Some(v),
                Err(p) => problems.push(format!("endpoint {p}")),
            }
        }
        if let Some(v) = obj.get("email") {
            match text(v, 200) {
                Ok(v) => self.support_email = Some(v),
                Err(p) => problems.push(format!("email {p}")),
            }
        }
        if let Some(v) = obj.get("format") {
            match choice(v, &[("baton", HandoffFormat::Baton), ("zendesk", HandoffFormat::Zendesk), ("chatwoot", HandoffFormat::Chatwoot)]) {
                Ok(f) => self.handoff_format = f,
                Err(p) => problems.push(format!("format {p}")),
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
    }

    /// Merges `patch` (a JSON object) into this config, key by key. Keys that are valid are
    /// applied even when others are not; each problem is returned, none is fatal.
    pub fn apply(&mut self, patch: &Value, source: Source) -> Vec<ConfigWarning> {
        let mut warnings = Vec::new();
        let Some(map) = patch.as_object() else {
            if !patch.is_null() {
                warnings.push(ConfigWarning {
                    key: String::new(),
                    problem: format!("expected an object, got {}; nothing applied", describe(patch)),
                });
            }
            return warnings;
        };
        for (key, value) in map {
            let result = match key.as_str() {
                "title" => text(value, MAX_TITLE_CHARS).map(|v| self.title = Some(v)),
                "theme" => {
                    for (path, problem) in self.theme.apply(value) {
                        let key = if path.is_empty() { "theme".to_string() } else { format!("theme.{path}") };
                        warnings.push(ConfigWarning { key, problem });
                    }
                    Ok(())
                }
                // The script tag's shorthands for the theme keys a launcher needs first.
                "accent" | "mode" | "position" if source == Source::Attributes => {
                    self.theme_shorthand(key, value.clone(), &mut warnings);
                    Ok(())
                }
                "launcherLabel" if source == Source::Attributes => {
                    self.theme_shorthand("launcher", serde_json::json!({ "label": value }), &mut warnings);
                    Ok(())
                }
                "position" | "launcherLabel" => Err(format!(
                    "moved into theme: use {{theme: {{{}}}}}",
                    if key == "position" { "position: …" } else { "launcher: {label: …}" }
                )),
                "customCss" => match value {
                    Value::String(css) if css.chars().count() <= MAX_CUSTOM_CSS_CHARS => Ok(self.custom_css = Some(css.clone())),
                    Value::String(_) => Err(format!("is longer than {MAX_CUSTOM_CSS_CHARS} characters")),
                    other => Err(format!("must be a string of CSS, got {}", describe(other))),
                },
                // The loader reads it (for the <style> fallback and the stylesheet link).
                "nonce" => text(value, 200).map(|_| ()),
                "locale" => text(value, 35).map(|v| self.locale = Some(v)),
                "strings" => match value.as_object() {
                    Some(map) => {
                        for (k, v) in map {
                            match text(v, MAX_STRING_CHARS) {
                                Ok(v) if crate::i18n::is_key(k) => {
                                    self.strings.set(k, v);
                                }
                                Ok(_) => warnings.push(ConfigWarning {
                                    key: format!("strings.{}", truncate_chars(k, MAX_ECHO_CHARS)),
                                    problem: "unknown string key, ignored (see README, Languages)".into(),
                                }),
                                Err(p) => warnings.push(ConfigWarning {
                                    key: format!("strings.{}", truncate_chars(k, MAX_ECHO_CHARS)),
                                    problem: p,
                                }),
                            }
                        }
                        Ok(())
                    }
                    None => Err(format!("must be an object of key: text, got {}", describe(value))),
                },
                "kb" => match value {
                    Value::String(url) if !url.trim().is_empty() => Ok(KbSource::Url(url.trim().to_string())),
                    Value::Array(_) | Value::Object(_) => Ok(KbSource::Inline(value.clone())),
                    other => Err(format!("must be a URL or an array of articles, got {}", describe(other))),
                }
                .map(|v| self.kb = Some(v)),
                "meaning" => text(value, 2000).map(|v| self.meaning = Some(v)),
                "encoder" => text(value, 2000).map(|v| self.encoder = Some(v)),
                "endpoint" => text(value, 2000).map(|v| self.endpoint = Some(v)),
                "handoff" => self.apply_handoff(value),
                "relay" => text(value, 2000).map(|v| self.relay = Some(v)),
                "consent" => choice(value, &[("required", true), ("implied", false)]).map(|v| self.consent_required = v),
                "analytics" => self.apply_analytics(value),
                "appVersion" => text(value, MAX_LABEL_CHARS).map(|v| self.app_version = Some(v)),
                "preload" => choice(value, &[("intent", Preload::Intent), ("idle", Preload::Idle)])
                    .map(|v| self.preload = v),
                _ if source == Source::Attributes => Ok(()),
                _ => Err("unknown key, ignored (see README, Config)".into()),
            };
            if let Err(problem) = result {
                warnings.push(ConfigWarning { key: truncate_chars(key, MAX_ECHO_CHARS), problem });
            }
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::Position;
    use serde_json::json;

    #[test]
    fn defaults_are_usable() {
        let c = Config::default();
        assert_eq!(c.title, None);
        assert_eq!(c.theme.position, Position::BottomRight);
        assert_eq!(c.preload, Preload::Intent);
    }

    #[test]
    fn valid_keys_apply_and_later_calls_merge() {
        let mut c = Config::default();
        assert!(c.apply(&json!({"title": "Acme help", "theme": {"position": "bottom-left"}}), Source::Init).is_empty());
        assert!(c.apply(&json!({"preload": "IDLE", "theme": {"accent": "#0f766e"}}), Source::Init).is_empty());
        assert_eq!(c.title.as_deref(), Some("Acme help"));
        assert_eq!(c.theme.position, Position::BottomLeft, "a later theme patch keeps earlier keys");
        assert_eq!(c.theme.accent.as_deref(), Some("#0f766e"));
        assert_eq!(c.preload, Preload::Idle);
    }

    #[test]
    fn bad_values_warn_and_keep_the_previous_value() {
        let mut c = Config::default();
        let w = c.apply(
            &json!({"title": 42, "theme": {"position": "top", "launcher": {"label": "  "}}, "preload": "idle", "position": "bottom-left"}),
            Source::Init,
        );
        assert_eq!(c.title, None);
        assert_eq!(c.theme.position, Position::BottomRight);
        assert_eq!(c.theme.launcher.label, None);
        assert_eq!(c.preload, Preload::Idle, "the valid key still applies");
        let text: Vec<String> = w.iter().map(|w| w.to_string()).collect();
        assert_eq!(text.len(), 4, "{text:?}");
        assert!(text.iter().any(|t| t.contains("`title`") && t.contains("a number")));
        assert!(text.iter().any(|t| t.contains("`theme.position`") && t.contains("\"bottom-left\"")));
        assert!(text.iter().any(|t| t.contains("`theme.launcher.label`") && t.contains("empty")));
        assert!(text.iter().any(|t| t.contains("`position`") && t.contains("moved into theme")));
    }

    #[test]
    fn kb_is_a_url_or_inline_articles() {
        let mut c = Config::default();
        assert!(c.apply(&json!({"kb": "/help/kb.json"}), Source::Attributes).is_empty());
        assert_eq!(c.kb, Some(KbSource::Url("/help/kb.json".into())));
        assert!(c.apply(&json!({"kb": [{"id": "a", "title": "A"}]}), Source::Init).is_empty());
        assert!(matches!(c.kb, Some(KbSource::Inline(_))));
        assert_eq!(c.apply(&json!({"kb": 3}), Source::Init).len(), 1);
    }

    #[test]
    fn analytics_are_on_without_queries_unless_asked() {
        let mut c = Config::default();
        assert!(c.analytics && !c.analytics_queries);
        assert!(c.apply(&json!({"analytics": {"queries": true}}), Source::Init).is_empty());
        assert!(c.analytics && c.analytics_queries);
        assert!(c.apply(&json!({"analytics": false}), Source::Init).is_empty());
        assert!(!c.analytics);
        let warnings = c.apply(&json!({"analytics": "yes"}), Source::Init);
        assert!(warnings[0].problem.contains("must be false or { queries: true }"), "{warnings:?}");
        assert!(c.apply(&json!({"analytics": {"queries": "yes"}}), Source::Init).is_empty() && c.analytics && !c.analytics_queries, "only true collects queries");
    }

    #[test]
    fn the_relay_is_named_or_follows_the_endpoint() {
        let mut c = Config::default();
        assert_eq!(c.relay_base(), None);
        c.apply(&json!({"endpoint": "https://relay.example/v1/handoffs"}), Source::Init);
        assert_eq!(c.relay_base().as_deref(), Some("https://relay.example"));
        c.apply(&json!({"handoff": {"format": "zendesk"}}), Source::Init);
        assert_eq!(c.relay_base(), None, "a help desk's endpoint is no relay");
        c.apply(&json!({"relay": "https://r.example/"}), Source::Init);
        assert_eq!(c.relay_base().as_deref(), Some("https://r.example"));
        let only_relay = Config { relay: Some("https://r.example/".into()), ..Config::default() };
        assert_eq!(only_relay.handoff_endpoint().as_deref(), Some("https://r.example/v1/handoffs"), "handoffs go to the relay");
        assert_eq!(c.handoff_endpoint(), c.endpoint, "an endpoint of its own keeps working");
        assert!(!c.consent_required);
        assert!(c.apply(&json!({"consent": "required"}), Source::Attributes).is_empty());
        assert!(c.consent_required);
        assert_eq!(c.apply(&json!({"consent": "maybe"}), Source::Init).len(), 1);
    }

    #[test]
    fn endpoint_flat_or_nested() {
        let mut c = Config::default();
        assert!(c.apply(&json!({"endpoint": "/support"}), Source::Attributes).is_empty());
        assert_eq!(c.endpoint.as_deref(), Some("/support"));
        assert!(c.apply(&json!({"handoff": {"endpoint": "https://desk.example/in"}}), Source::Init).is_empty());
        assert_eq!(c.endpoint.as_deref(), Some("https://desk.example/in"));
        assert_eq!(c.apply(&json!({"handoff": 3}), Source::Init).len(), 1);
        assert!(c.apply(&json!({"handoff": {"email": "help@acme.example"}}), Source::Init).is_empty());
        assert_eq!(c.support_email.as_deref(), Some("help@acme.example"));
        assert_eq!(c.endpoint.as_deref(), Some("https://desk.example/in"), "merging keeps the endpoint");
        assert!(c.apply(&json!({"handoff": {"format": "zendesk"}}), Source::Init).is_empty());
        assert_eq!(c.handoff_format, HandoffFormat::Zendesk);
        let w = c.apply(&json!({"handoff": {"format": "jira", "email": 5}}), Source::Init);
        assert!(w[0].to_string().contains("email must be a string") && w[0].to_string().contains("format must be"), "{w:?}");
    }

    #[test]
    fn script_tag_shorthands_feed_the_theme() {
        let mut c = Config::default();
        let w = c.apply(
            &json!({"accent": "#0f766e", "mode": "auto", "position": "bottom-left", "launcherLabel": "Support"}),
            Source::Attributes,
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(c.theme.accent.as_deref(), Some("#0f766e"));
        assert_eq!(c.theme.mode, crate::theme::Mode::Auto);
        assert_eq!(c.theme.position, Position::BottomLeft);
        assert_eq!(c.theme.launcher.label.as_deref(), Some("Support"));
        let w = c.apply(&json!({"mode": "neon"}), Source::Attributes);
        assert_eq!(w[0].key, "data-mode");
    }

    #[test]
    fn languages_and_css() {
        let mut c = Config::default();
        let w = c.apply(
            &json!({"locale": "fr-CA", "strings": {"person": "Parler à l'équipe", "nope": "x", "title": 3},
                    "customCss": ".launcher{border-radius:4px}", "nonce": "abc"}),
            Source::Init,
        );
        assert_eq!(c.locale.as_deref(), Some("fr-CA"));
        assert_eq!(c.strings.get("person"), Some("Parler à l'équipe"));
        assert_eq!(c.custom_css.as_deref(), Some(".launcher{border-radius:4px}"));
        let keys: Vec<&str> = w.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(keys, ["strings.nope", "strings.title"], "{w:?}");
        assert_eq!(c.apply(&json!({"customCss": "x".repeat(60_000)}), Source::Init).len(), 1);
    }

    #[test]
    fn unknown_keys_warn_for_init_but_not_for_attributes() {
        let mut c = Config::default();
        assert_eq!(c.apply(&json!({"titel": "x"}), Source::Init).len(), 1);
        assert!(c.apply(&json!({"cfasync": "false"}), Source::Attributes).is_empty());
    }

    #[test]
    fn non_objects_are_reported_not_applied() {
        let mut c = Config::default();
        let w = c.apply(&json!("title"), Source::Init);
        assert_eq!(w.len(), 1);
        assert!(w[0].to_string().contains("expected an object, got a string"));
        assert!(c.apply(&Value::Null, Source::Init).is_empty(), "init() with no argument is fine");
        assert_eq!(c, Config::default());
    }

    #[test]
    fn hostile_strings_are_bounded() {
        let mut c = Config::default();
        let long = "é".repeat(10_000);
        c.apply(&json!({"title": long.clone(), "launcherLabel": long.clone()}), Source::Attributes);
        assert_eq!(c.title.as_ref().map(|t| t.chars().count()), Some(MAX_TITLE_CHARS));
        assert_eq!(c.theme.launcher.label.as_ref().map(|l| l.chars().count()), Some(MAX_LABEL_CHARS));
        let w = c.apply(&json!({ long.clone(): 1 }), Source::Init);
        assert!(w[0].key.chars().count() <= MAX_ECHO_CHARS);
        let w = c.apply(&json!({"theme": {"mode": long}}), Source::Init);
        assert!(w[0].problem.chars().count() < 200);
    }
}
