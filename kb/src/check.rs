//! `baton-kb check kb.json`: what would make a KB load badly or answer badly, each problem with
//! the article's id; the exit status is non-zero when there is any (for CI).
//!
//! Checked: the format (what the widget would skip, keys it would ignore, and the schema's
//! limits it would cut at: 50,000 characters of body, 100 items a list), duplicate ids,
//! CSS selectors in flows that are not valid, route patterns that can never match a path,
//! articles with neither a body nor phrasings (nothing to find them by but the title), and
//! links to articles that do not exist.

use crate::links;
use baton_core::answers::kb;
use serde_json::Value;
use std::collections::BTreeSet;

/// Keys an article may have.
const KEYS: &[&str] = &["id", "title", "body", "tags", "phrasings", "routes", "errors", "flow"];

/// Why a route pattern can never match, if it cannot. Routes are paths (`/a/b`, no query or
/// fragment); `*` matches the rest only as a whole segment, `:name` one segment.
pub fn route_problem(pattern: &str) -> Option<String> {
    if !pattern.starts_with('/') {
        return Some(if pattern.contains("://") { "is a URL; routes are paths such as /billing/*".into() } else { "does not start with /".into() });
    }
    if pattern.contains(['?', '#']) {
        return Some("has a query or fragment; routes are matched on the path only".into());
    }
    if pattern.contains(char::is_whitespace) {
        return Some("contains a space".into());
    }
    let segments: Vec<&str> = pattern.trim_end_matches('/').split('/').skip(1).collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Some("has an empty segment (//)".into());
    }
    if let Some(s) = segments.iter().find(|s| s.contains('*') && **s != "*" && **s != "**") {
        return Some(format!("segment \"{s}\" mixes * with text; * matches only a whole segment (/billing/*)"));
    }
    None
}

/// What `check` found: the articles the widget would load, every problem, one line each, and
/// what is worth knowing but does not stop the KB (its language).
pub struct Report {
    pub articles: usize,
    pub problems: Vec<String>,
    pub warnings: Vec<String>,
}

/// Checks a KB document.
pub fn check(json: &str) -> Report {
    let value: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => return Report { articles: 0, problems: vec![format!("not valid JSON: {e}")], warnings: Vec::new() },
    };
    let (articles, parse_problems) = kb::from_value(&value);
    let mut problems: Vec<String> = parse_problems.iter().map(ToString::to_string).collect();
    let items: &[Value] = match &value {
        Value::Array(a) => a,
        Value::Object(o) => o.get("articles").and_then(Value::as_array).map_or(&[], Vec::as_slice),
        _ => &[],
    };
    for (i, item) in items.iter().enumerate() {
        if let Some(obj) = item.as_object() {
            let who = obj.get("id").and_then(Value::as_str).map_or(format!("article #{i}"), |id| format!("article \"{id}\""));
            for key in obj.keys().filter(|k| !KEYS.contains(&k.as_str())) {
                problems.push(format!("{who}: unknown key `{key}` is ignored (known: {})", KEYS.join(", ")));
            }
            // The schema's limits, which the widget applies by cutting (widget/kb.schema.json).
            if let Some(body) = obj.get("body").and_then(Value::as_str) {
                if body.chars().count() > kb::MAX_BODY_CHARS {
                    problems.push(format!("{who}: body is {} characters; the widget keeps the first {}", body.chars().count(), kb::MAX_BODY_CHARS));
                }
            }
            for key in ["tags", "phrasings", "routes", "errors", "flow"] {
                if let Some(n) = obj.get(key).and_then(Value::as_array).map(Vec::len).filter(|n| *n > kb::MAX_LIST_ITEMS) {
                    problems.push(format!("{who}: {n} {key}; the widget keeps the first {}", kb::MAX_LIST_ITEMS));
                }
            }
        }
    }
    let ids: BTreeSet<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    for a in &articles {
        let who = format!("article \"{}\"", a.id);
        if a.body.trim().is_empty() && a.phrasings.is_empty() {
            problems.push(format!("{who}: has neither a body nor phrasings; only its title can find it"));
        }
        for pattern in &a.routes {
            if let Some(why) = route_problem(pattern) {
                problems.push(format!("{who}: route \"{pattern}\" can never match: {why}"));
            }
        }
        for (n, step) in a.flow.iter().enumerate() {
            let mut selectors: Vec<&str> = step.highlight.iter().map(String::as_str).collect();
            match &step.check {
                Some(kb::Check::Appears { selector } | kb::Check::Disappears { selector }) => selectors.push(selector),
                Some(kb::Check::Route { pattern }) => {
                    if let Some(why) = route_problem(pattern) {
                        problems.push(format!("{who}: flow step {}: route \"{pattern}\" can never match: {why}", n + 1));
                    }
                }
                _ => {}
            }
            for s in selectors {
                if scraper::Selector::parse(s).is_err() {
                    problems.push(format!("{who}: flow step {}: \"{s}\" is not a valid CSS selector", n + 1));
                }
            }
        }
        for target in links::article_ids(&a.body) {
            if !ids.contains(target.as_str()) {
                problems.push(format!("{who}: links to article \"{target}\", which is not in this KB"));
            }
        }
        for range in links::targets(&a.body) {
            let t = &a.body[range];
            let file = t.split('#').next().unwrap_or(t);
            if !t.contains(':') && (file.ends_with(".md") || file.ends_with(".markdown")) {
                problems.push(format!("{who}: links to the file {t}; build the KB with `baton-kb build` so that it becomes a link to the article"));
            }
        }
    }
    if articles.is_empty() && problems.is_empty() {
        problems.push("the KB has no article".into());
    }
    let texts = articles.iter().flat_map(|a| [a.title.as_str(), a.body.as_str()].into_iter().chain(a.phrasings.iter().map(String::as_str)));
    let warnings = crate::language::warning(texts).into_iter().collect();
    Report { articles: articles.len(), problems, warnings }
}

/// `check KB.json`.
pub fn run(args: &[String]) -> Result<(), String> {
    let [input] = args else {
        return Err("usage: baton-kb check KB.json".into());
    };
    let text = std::fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))?;
    let Report { articles, problems, warnings } = check(&text);
    for w in &warnings {
        eprintln!("{input}: warning: {w}");
    }
    for p in &problems {
        println!("{input}: {p}");
    }
    if problems.is_empty() {
        eprintln!("{input}: {articles} articles, no problem found");
        Ok(())
    } else {
        Err(format!("{input}: {} problem(s)", problems.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_problem_is_reported_with_its_article() {
        let kb = r##"[
            {"id": "ok", "title": "Fine", "body": "See [b](article:bare).", "routes": ["/billing/*", "/invoices/:id"],
             "flow": [{"text": "x", "highlight": "nav a[href='/billing']", "check": {"kind": "appears", "selector": "#view .done"}}]},
            {"id": "bare", "title": "Only a title"},
            {"id": "ok", "title": "Again", "body": "x"},
            {"id": "routes", "title": "R", "body": "x", "routes": ["billing", "https://x.io/a", "/a?b=1", "/bill*", "/a//b"]},
            {"id": "css", "title": "C", "body": "x", "flow": [{"text": "go", "highlight": "button[", "check": {"kind": "disappears", "selector": ">>"}}, {"text": "then", "check": {"kind": "route", "pattern": "settings"}}]},
            {"id": "links", "title": "L", "body": "[gone](article:nope) and [file](other.md)", "phrasing": ["typo"]},
            {"title": "no id"},
            {"id": "long", "title": "Long", "body": "BODY", "phrasings": PHRASINGS}
        ]"##
        .replace("BODY", &"x".repeat(50_001))
        .replace("PHRASINGS", &serde_json::to_string(&vec!["p"; 101]).unwrap());
        let problems = check(&kb).problems.join("\n");
        for expected in [
            "article #2 (\"ok\"): duplicate id",
            "article #6: `id` must be a non-empty string",
            "article \"bare\": has neither a body nor phrasings",
            "article \"routes\": route \"billing\" can never match: does not start with /",
            "route \"https://x.io/a\" can never match: is a URL",
            "route \"/a?b=1\" can never match: has a query",
            "route \"/bill*\" can never match: segment \"bill*\"",
            "route \"/a//b\" can never match: has an empty segment",
            "article \"css\": flow step 1: \"button[\" is not a valid CSS selector",
            "article \"css\": flow step 1: \">>\" is not a valid CSS selector",
            "article \"css\": flow step 2: route \"settings\" can never match",
            "article \"links\": links to article \"nope\", which is not in this KB",
            "article \"links\": links to the file other.md",
            "article \"links\": unknown key `phrasing` is ignored",
            "article \"long\": body is 50001 characters; the widget keeps the first 50000",
            "article \"long\": 101 phrasings; the widget keeps the first 100",
        ] {
            assert!(problems.contains(expected), "{expected} in:\n{problems}");
        }
        assert!(!problems.contains("article \"ok\": route"), "{problems}");
        assert!(!problems.contains("#view .done"), "{problems}");
        assert!(check("{").problems.join("").contains("not valid JSON"));
    }

    #[test]
    fn the_demo_kb_has_no_problem() {
        let report = check(include_str!("../../demo-kb.json"));
        assert_eq!((report.problems, report.warnings), (Vec::<String>::new(), Vec::<String>::new()));
    }
}
