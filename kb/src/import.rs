//! `baton-kb import zendesk|intercom EXPORT.json... [-o kb.json]`: the article JSON a help
//! centre's API returns becomes a KB (several files — pages, sections, collections — are one export).
//!
//! - Zendesk Guide: the body of `GET /api/v2/help_center/articles.json?include=sections,categories`
//!   (`{"articles": [...], "sections": [...], "categories": [...]}`), several such pages in a
//!   JSON array, or a bare array of articles. Drafts are left out; each article's section and
//!   category names and its `label_names` become tags.
//! - Intercom Articles: the body of `GET /articles` (`{"type": "list", "data": [...]}`), an array
//!   of such pages or of articles, or `{"articles": ..., "collections": ...}` with the body of
//!   `GET /help_center/collections` so that collection names become tags. Drafts are left out;
//!   the description leads the body.
//!
//! HTML becomes Markdown; links to another article of the same export become `article:ID`.

use crate::links::{self, ARTICLE_SCHEME};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Which help centre the export comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Zendesk,
    Intercom,
}

/// The objects of a list: an array of them, an Intercom page (`{"type": "list", "data": [...]}`)
/// or an array of such pages.
fn list_items<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| if i.get("data").is_some_and(Value::is_array) { list_items(&i["data"], out) } else if i.is_object() { out.push(i) }),
        Value::Object(o) if o.get("data").is_some_and(Value::is_array) => list_items(&o["data"], out),
        _ => {}
    }
}

/// Every object listed under one of `keys` in the export, or in each of its pages when it is an
/// array of pages; the export itself when it is a bare list of articles (`bare`).
fn collect<'a>(export: &'a Value, keys: &[&str], bare: bool, out: &mut Vec<&'a Value>) {
    match export {
        Value::Array(pages) if pages.iter().any(|p| keys.iter().any(|k| p.get(k).is_some())) => pages.iter().for_each(|p| collect(p, keys, bare, out)),
        Value::Object(o) => keys.iter().filter_map(|k| o.get(*k)).for_each(|v| list_items(v, out)),
        Value::Array(_) if bare => list_items(export, out),
        _ => {}
    }
}

fn id_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Names of sections/categories/collections by id.
fn names(groups: &[&Value]) -> BTreeMap<String, (String, Option<String>)> {
    groups
        .iter()
        .filter_map(|g| {
            let id = id_string(&g["id"])?;
            let name = g["name"].as_str()?.trim().to_string();
            let parent = id_string(&g["category_id"]).or_else(|| id_string(&g["parent_id"]));
            Some((id, (name, parent)))
        })
        .collect()
}

/// The article id a help-centre URL points at: `/articles/360001234-Some-title` → `360001234`.
fn linked_article(url: &str) -> Option<String> {
    let after = url.split("/articles/").nth(1)?;
    let id: String = after.chars().take_while(char::is_ascii_digit).collect();
    (!id.is_empty()).then_some(id)
}

/// HTML to Markdown, links to other articles of the export rewritten.
fn markdown(converter: &htmd::HtmlToMarkdown, html: &str, ids: &BTreeSet<String>) -> Result<String, String> {
    let md = converter.convert(html).map_err(|e| format!("HTML could not be read: {e}"))?;
    Ok(links::rewrite(md.trim(), |target| linked_article(target).filter(|id| ids.contains(id)).map(|id| format!("{ARTICLE_SCHEME}{id}"))))
}

/// Converts an export; returns the KB and a note per article left out.
pub fn import(source: Source, export: &Value) -> Result<(Vec<Value>, Vec<String>), String> {
    let mut articles = Vec::new();
    let mut groups = Vec::new();
    match source {
        Source::Zendesk => {
            collect(export, &["articles"], true, &mut articles);
            collect(export, &["sections", "categories"], false, &mut groups);
        }
        Source::Intercom => {
            collect(export, &["articles", "data"], true, &mut articles);
            collect(export, &["collections", "sections"], false, &mut groups);
            articles.retain(|a| a.get("type").and_then(Value::as_str).is_none_or(|t| t == "article"));
        }
    }
    if articles.is_empty() {
        return Err(match source {
            Source::Zendesk => "no articles found: expected the JSON of GET /api/v2/help_center/articles.json (an object with \"articles\")".into(),
            Source::Intercom => "no articles found: expected the JSON of GET /articles (an object with \"data\")".into(),
        });
    }
    let groups = names(&groups);
    let ids: BTreeSet<String> = articles.iter().filter_map(|a| id_string(&a["id"])).collect();
    let converter = htmd::HtmlToMarkdown::builder().skip_tags(vec!["script", "style", "iframe", "head"]).build();
    let mut kb = Vec::new();
    let mut skipped = Vec::new();
    let mut seen = BTreeSet::new();
    for a in articles {
        let id = id_string(&a["id"]);
        let title = a["title"].as_str().map(str::trim).unwrap_or_default();
        let label = id.clone().unwrap_or_else(|| format!("\"{title}\""));
        let draft = match source {
            Source::Zendesk => a["draft"].as_bool() == Some(true),
            Source::Intercom => a["state"].as_str().is_some_and(|s| s != "published"),
        };
        if draft {
            skipped.push(format!("article {label}: a draft, left out"));
            continue;
        }
        let Some(id) = id else {
            skipped.push(format!("article {label}: no id, left out"));
            continue;
        };
        if title.is_empty() {
            skipped.push(format!("article {id}: no title, left out"));
            continue;
        }
        if !seen.insert(id.clone()) {
            skipped.push(format!("article {id}: appears twice, the first kept"));
            continue;
        }
        let mut body = markdown(&converter, a["body"].as_str().unwrap_or_default(), &ids).map_err(|e| format!("article {id}: {e}"))?;
        let mut tags: Vec<String> = Vec::new();
        let mut tag = |t: &str| {
            let t = t.trim().to_string();
            if !t.is_empty() && !tags.contains(&t) {
                tags.push(t);
            }
        };
        match source {
            Source::Zendesk => {
                if let Some((section, category)) = id_string(&a["section_id"]).and_then(|s| groups.get(&s)) {
                    if let Some((name, _)) = category.as_ref().and_then(|c| groups.get(c)) {
                        tag(name);
                    }
                    tag(section);
                }
                a["label_names"].as_array().into_iter().flatten().filter_map(Value::as_str).for_each(&mut tag);
            }
            Source::Intercom => {
                let parents: Vec<String> = a["parent_ids"].as_array().map(|p| p.iter().filter_map(id_string).collect()).unwrap_or_else(|| id_string(&a["parent_id"]).into_iter().collect());
                for p in parents {
                    if let Some((name, _)) = groups.get(&p) {
                        tag(name);
                    }
                }
                a["tags"]["tags"].as_array().into_iter().flatten().filter_map(|t| t["name"].as_str()).for_each(&mut tag);
                if let Some(d) = a["description"].as_str().map(str::trim).filter(|d| !d.is_empty()) {
                    body = if body.is_empty() { d.to_string() } else { format!("{d}\n\n{body}") };
                }
            }
        }
        let mut article = json!({ "id": id, "title": title, "body": body });
        if !tags.is_empty() {
            article["tags"] = json!(tags);
        }
        kb.push(article);
    }
    Ok((kb, skipped))
}

/// `import zendesk|intercom EXPORT.json [-o OUT]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let source = match args.first().map(String::as_str) {
        Some("zendesk") => Source::Zendesk,
        Some("intercom") => Source::Intercom,
        other => return Err(format!("import needs `zendesk` or `intercom` first, not {}", other.unwrap_or("nothing"))),
    };
    let mut out: Option<String> = None;
    let mut inputs: Vec<String> = Vec::new();
    let mut it = args[1..].iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "--out" => out = Some(it.next().ok_or("-o needs a file")?.clone()),
            other => inputs.push(other.to_string()),
        }
    }
    if inputs.is_empty() {
        return Err("import needs the export's JSON file(s)".into());
    }
    // Several files (pages of articles, the sections or collections) are read as one export.
    let mut pages = Vec::new();
    for input in &inputs {
        let text = std::fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))?;
        pages.push(serde_json::from_str::<Value>(&text).map_err(|e| format!("{input}: not valid JSON: {e}"))?);
    }
    let export = if pages.len() == 1 { pages.remove(0) } else { Value::Array(pages) };
    let input = inputs.join(", ");
    let (kb, skipped) = import(source, &export).map_err(|e| format!("{input}: {e}"))?;
    for s in &skipped {
        eprintln!("{input}: {s}");
    }
    let json = crate::to_pretty_json(&Value::Array(kb.clone()));
    match out {
        Some(path) => {
            std::fs::write(&path, &json).map_err(|e| format!("{path}: {e}"))?;
            eprintln!("{path}: {} articles ({} left out)", kb.len(), skipped.len());
        }
        None => print!("{json}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zendesk_articles_with_sections_become_a_kb() {
        let export = json!({
            "articles": [
                {"id": 360001, "title": "Update your card", "body": "<p>Open <strong>Billing</strong>, then see <a href=\"https://acme.zendesk.com/hc/en-us/articles/360002-Plans\">plans</a>.</p><ul><li>One</li><li>Two</li></ul><script>alert(1)</script>", "section_id": 10, "label_names": ["payments"], "draft": false},
                {"id": 360002, "title": "Plans", "body": "<h2>Prices</h2><p>See <a href=\"https://acme.zendesk.com/hc/en-us/articles/999-Gone\">old</a></p>", "section_id": 10},
                {"id": 360003, "title": "Draft", "body": "<p>x</p>", "draft": true}
            ],
            "sections": [{"id": 10, "name": "Billing", "category_id": 1}],
            "categories": [{"id": 1, "name": "Account"}]
        });
        let (kb, skipped) = import(Source::Zendesk, &export).unwrap();
        assert_eq!(kb.len(), 2);
        assert_eq!(skipped, vec!["article 360003: a draft, left out"]);
        assert_eq!(kb[0]["id"], "360001");
        assert_eq!(kb[0]["tags"], json!(["Account", "Billing", "payments"]));
        let body = kb[0]["body"].as_str().unwrap();
        assert!(body.starts_with("Open **Billing**, then see [plans](article:360002)."), "{body}");
        assert!(body.contains("One") && body.contains("Two") && !body.contains("alert"), "{body}");
        assert!(kb[1]["body"].as_str().unwrap().contains("## Prices") && kb[1]["body"].as_str().unwrap().contains("articles/999-Gone"), "a link outside the export stays a link");
        let (articles, problems) = baton_core::answers::kb::from_value(&Value::Array(kb));
        assert!(problems.is_empty() && articles.len() == 2);
    }

    #[test]
    fn intercom_pages_with_collections_become_a_kb() {
        let export = json!({
            "articles": [{"type": "list", "data": [
                {"type": "article", "id": "55", "title": "Reset your password", "description": "When you cannot sign in", "body": "<p>Use <em>Forgot password</em>. <a href=\"https://intercom.help/acme/en/articles/56-two-factor\">2FA</a></p>", "state": "published", "parent_id": 7, "parent_ids": [7]},
                {"type": "article", "id": "56", "title": "Two-factor", "body": "", "state": "published", "parent_id": 7},
                {"type": "article", "id": "57", "title": "Wip", "body": "<p>x</p>", "state": "draft"}
            ]}],
            "collections": {"type": "list", "data": [{"id": "7", "name": "Signing in"}]}
        });
        let (kb, skipped) = import(Source::Intercom, &export).unwrap();
        assert_eq!(skipped.len(), 1);
        assert_eq!(kb[0]["tags"], json!(["Signing in"]));
        assert_eq!(kb[0]["body"], "When you cannot sign in\n\nUse *Forgot password*. [2FA](article:56)");
        assert!(import(Source::Intercom, &json!({"nope": 1})).unwrap_err().contains("GET /articles"));
    }
}
