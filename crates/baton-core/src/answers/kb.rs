//! The knowledge-base format and its validation.
//!
//! A KB is a JSON array of articles (or `{"articles": [...]}`). A bad article is reported by
//! index and id with what is wrong, and skipped; the rest load. README documents the format and
//! `kb.schema.json` beside this file's crate is its JSON Schema.

use crate::limits::truncate_chars;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashSet;

/// One guided step of a flow.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Step {
    /// What to do, in words.
    pub text: String,
    /// CSS selector of the host element to highlight, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlight: Option<String>,
    /// What must become true before the next step (checked live), if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<Check>,
}

/// A success check of a step.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Check {
    /// The route matches a pattern.
    Route {
        /// Route pattern (`/billing/*`).
        pattern: String,
    },
    /// An element matching the selector exists and is visible.
    Appears {
        /// CSS selector.
        selector: String,
    },
    /// No visible element matches the selector.
    Disappears {
        /// CSS selector.
        selector: String,
    },
    /// The text is visible somewhere on the page.
    Text {
        /// Text to find (case-insensitive).
        text: String,
    },
}

/// A knowledge-base article.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Article {
    /// Unique id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// Tags (also used to infer a category for handoffs).
    pub tags: Vec<String>,
    /// Sample questions this article answers.
    pub phrasings: Vec<String>,
    /// Route patterns where it applies: `/billing`, `/billing/*`, `/invoices/:id`.
    pub routes: Vec<String>,
    /// Error-message patterns it fixes (case-insensitive substrings; `*` matches anything).
    pub errors: Vec<String>,
    /// Guided steps.
    pub flow: Vec<Step>,
}

/// Why one article of a KB was skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KbProblem {
    /// Position in the KB array.
    pub index: usize,
    /// Its id, when it had a usable one.
    pub id: Option<String>,
    /// What is wrong.
    pub problem: String,
}

impl std::fmt::Display for KbProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.id {
            Some(id) => write!(f, "article #{} (\"{}\"): {}", self.index, id, self.problem),
            None => write!(f, "article #{}: {}", self.index, self.problem),
        }
    }
}

/// Longest accepted article body, in characters.
pub const MAX_BODY_CHARS: usize = 50_000;
/// Most strings kept per list field (tags, phrasings, routes, errors) and steps per flow.
pub const MAX_LIST_ITEMS: usize = 100;

fn string_list(obj: &serde_json::Map<String, Value>, key: &str) -> Result<Vec<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .take(MAX_LIST_ITEMS)
            .map(|v| v.as_str().map(|s| truncate_chars(s.trim(), 500)).ok_or_else(|| format!("`{key}` must be a list of strings")))
            .collect(),
        Some(_) => Err(format!("`{key}` must be a list of strings")),
    }
}

fn step(value: &Value, n: usize) -> Result<Step, String> {
    let obj = value.as_object().ok_or_else(|| format!("flow step {n} must be an object"))?;
    let text = obj.get("text").and_then(Value::as_str).filter(|t| !t.trim().is_empty()).ok_or_else(|| format!("flow step {n} needs a `text`"))?;
    let highlight = match obj.get("highlight") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(_) => return Err(format!("flow step {n}: `highlight` must be a CSS selector string")),
    };
    let check = match obj.get("check") {
        None | Some(Value::Null) => None,
        Some(Value::Object(c)) => {
            let field = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_string).ok_or_else(|| format!("flow step {n}: check `{k}` must be a string"));
            Some(match c.get("kind").and_then(Value::as_str) {
                Some("route") => Check::Route { pattern: field("pattern")? },
                Some("appears") => Check::Appears { selector: field("selector")? },
                Some("disappears") => Check::Disappears { selector: field("selector")? },
                Some("text") => Check::Text { text: field("text")? },
                _ => return Err(format!("flow step {n}: check `kind` must be \"route\", \"appears\", \"disappears\" or \"text\"")),
            })
        }
        Some(_) => return Err(format!("flow step {n}: `check` must be an object")),
    };
    Ok(Step { text: truncate_chars(text.trim(), 1000), highlight, check })
}

fn article(value: &Value) -> Result<Article, (Option<String>, String)> {
    let obj = value.as_object().ok_or((None, "must be an object".to_string()))?;
    let id = match obj.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => truncate_chars(s.trim(), 200),
        Some(Value::Number(n)) => crate::number::format_json(n),
        _ => return Err((None, "`id` must be a non-empty string".into())),
    };
    let err = |m: String| (Some(id.clone()), m);
    let title = obj.get("title").and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty()).ok_or_else(|| err("`title` must be a non-empty string".into()))?;
    let body = match obj.get("body") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => truncate_chars(s, MAX_BODY_CHARS),
        Some(_) => return Err(err("`body` must be a Markdown string".into())),
    };
    let flow = match obj.get("flow") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(steps)) => steps.iter().take(MAX_LIST_ITEMS).enumerate().map(|(i, s)| step(s, i + 1)).collect::<Result<_, _>>().map_err(err)?,
        Some(_) => return Err(err("`flow` must be a list of steps".into())),
    };
    Ok(Article {
        title: truncate_chars(title, 300),
        body,
        tags: string_list(obj, "tags").map_err(err)?,
        phrasings: string_list(obj, "phrasings").map_err(err)?,
        routes: string_list(obj, "routes").map_err(err)?,
        errors: string_list(obj, "errors").map_err(err)?,
        flow,
        id,
    })
}

/// Parses a KB document. Returns the valid articles and a problem for each skipped one; a
/// document that is not a KB at all is one problem with index 0.
pub fn parse(json: &str) -> (Vec<Article>, Vec<KbProblem>) {
    let value: Value = match crate::platform::parse_json(json) {
        Ok(v) => v,
        Err(e) => return (Vec::new(), vec![KbProblem { index: 0, id: None, problem: format!("not valid JSON: {e}") }]),
    };
    from_value(&value)
}

/// Like [`parse`], from an already parsed value (inline config).
pub fn from_value(value: &Value) -> (Vec<Article>, Vec<KbProblem>) {
    let items = match value {
        Value::Array(items) => items,
        Value::Object(o) if o.get("articles").is_some_and(Value::is_array) => o["articles"].as_array().expect("checked"),
        _ => return (Vec::new(), vec![KbProblem { index: 0, id: None, problem: "a KB must be a JSON array of articles (or {\"articles\": [...]})".into() }]),
    };
    let mut seen = HashSet::new();
    let mut articles = Vec::new();
    let mut problems = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match article(item) {
            Ok(a) if !seen.insert(a.id.clone()) => problems.push(KbProblem { index, id: Some(a.id), problem: "duplicate id; the first one is kept".into() }),
            Ok(a) => articles.push(a),
            Err((id, problem)) => problems.push(KbProblem { index, id, problem }),
        }
    }
    (articles, problems)
}

/// Whether `route` (a path) matches `pattern`: exact, `*` for any rest, `:param` for one
/// segment. Trailing slashes are ignored.
pub fn route_matches(pattern: &str, route: &str) -> bool {
    let p: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let r: Vec<&str> = route.trim_end_matches('/').split('/').collect();
    for (i, seg) in p.iter().enumerate() {
        if *seg == "*" || *seg == "**" {
            return true;
        }
        match r.get(i) {
            Some(part) if seg.starts_with(':') && !part.is_empty() => {}
            Some(part) if part == seg => {}
            _ => return false,
        }
    }
    p.len() == r.len()
}

/// Whether an error message matches a pattern: case-insensitive, `*` matches any run.
pub fn error_matches(pattern: &str, message: &str) -> bool {
    let message = crate::case::lower(message);
    let parts: Vec<String> = crate::case::lower(pattern).split('*').map(str::to_string).collect();
    let mut at = 0;
    for part in parts.iter().filter(|p| !p.is_empty()) {
        match message[at..].find(part.as_str()) {
            Some(i) => at += i + part.len(),
            None => return false,
        }
    }
    !parts.iter().all(|p| p.is_empty()) || pattern.contains('*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_and_invalid_articles() {
        let (articles, problems) = parse(
            r#"[
            {"id": "a", "title": "Update your card", "body": "Go to **Billing**.", "tags": ["billing"], "routes": ["/billing/*"],
             "errors": ["payment * declined"], "flow": [{"text": "Open Billing", "highlight": "nav a[href='/billing']", "check": {"kind": "route", "pattern": "/billing"}}]},
            {"id": "b", "title": ""},
            {"title": "no id"},
            {"id": "a", "title": "dup"},
            {"id": "c", "title": "C", "tags": "billing"},
            {"id": "d", "title": "D", "flow": [{"text": "x", "check": {"kind": "teleport"}}]},
            42
        ]"#,
        );
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].flow[0].check, Some(Check::Route { pattern: "/billing".into() }));
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(text, vec![
            "article #1 (\"b\"): `title` must be a non-empty string",
            "article #2: `id` must be a non-empty string",
            "article #3 (\"a\"): duplicate id; the first one is kept",
            "article #4 (\"c\"): `tags` must be a list of strings",
            "article #5 (\"d\"): flow step 1: check `kind` must be \"route\", \"appears\", \"disappears\" or \"text\"",
            "article #6: must be an object",
        ]);
    }

    #[test]
    fn not_a_kb() {
        assert!(parse("{").1[0].problem.starts_with("not valid JSON"));
        assert!(parse("{\"x\": 1}").1[0].problem.contains("JSON array"));
        assert_eq!(parse("{\"articles\": [{\"id\": \"x\", \"title\": \"X\"}]}").0.len(), 1);
    }

    #[test]
    fn routes_and_errors() {
        assert!(route_matches("/billing", "/billing/"));
        assert!(route_matches("/billing/*", "/billing/card/new"));
        assert!(route_matches("/invoices/:id", "/invoices/1041"));
        assert!(!route_matches("/invoices/:id", "/invoices"));
        assert!(!route_matches("/billing", "/billing/card"));
        assert!(error_matches("payment * declined", "Your PAYMENT was declined"));
        assert!(error_matches("token expired", "Bank feed sync failed: token expired for account"));
        assert!(!error_matches("token expired", "token valid"));
        assert!(!error_matches("", "anything"));
    }
}

#[cfg(test)]
mod demo_kb {
    #[test]
    fn the_demo_kb_loads_whole() {
        let (articles, problems) = super::parse(include_str!("../../../../demo-kb.json"));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(articles.len() >= 25);
        assert!(articles.iter().filter(|a| !a.flow.is_empty()).count() >= 2);
        assert!(articles.iter().all(|a| !a.routes.is_empty() || !a.errors.is_empty() || !a.phrasings.is_empty()));
    }
}
