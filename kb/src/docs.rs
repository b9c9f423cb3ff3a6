//! `baton-kb build DOCS_DIR -o kb.json`: a folder of Markdown help articles becomes a KB.
//!
//! Each `.md` file (in any subfolder) is one article. Its YAML front matter holds what is not
//! prose: `id` (default: the file's path without `.md`, `/` as `-`), `title` (default: the
//! first `# Heading`, which then leaves the body), `tags`, `routes`, `errors`, `phrasings`,
//! `flow` (steps with `text`, `highlight`, `check`) and `draft: true` to leave a file out.
//! Links to other files of the folder (`[Plans](../billing/plans.md)`) become links between
//! articles (`article:plans`); one to a file that is not an article is an error.

use crate::links::{self, ARTICLE_SCHEME};
use baton_core::answers::kb;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use yaml_rust2::{Yaml, YamlLoader};

/// Front-matter keys an article may have.
const KEYS: &[&str] = &["id", "title", "tags", "routes", "errors", "phrasings", "flow", "draft"];

/// One Markdown file read: its path under the folder, front matter and body.
struct Page {
    path: String,
    meta: Map<String, Value>,
    body: String,
}

fn to_json(y: &Yaml) -> Value {
    match y {
        Yaml::Real(s) => s.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or(Value::String(s.clone()), Value::Number),
        Yaml::Integer(i) => Value::Number((*i).into()),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        Yaml::Hash(h) => Value::Object(h.iter().map(|(k, v)| (yaml_key(k), to_json(v))).collect()),
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::Null,
    }
}

fn yaml_key(k: &Yaml) -> String {
    match k {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        _ => String::new(),
    }
}

/// Splits `---\nYAML\n---\nbody` (front matter is optional).
fn front_matter(text: &str) -> Result<(Map<String, Value>, &str), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return Ok((Map::new(), text));
    };
    let end = rest.match_indices("\n---").map(|(i, _)| i).find(|i| rest[i + 4..].starts_with('\n') || rest[i + 4..].starts_with("\r\n") || rest.len() == i + 4);
    let Some(end) = end else {
        return Err("front matter starts with `---` but has no closing `---`".into());
    };
    let yaml = &rest[..end];
    let body = rest[end + 4..].trim_start_matches(['\r', '\n']);
    let docs = YamlLoader::load_from_str(yaml).map_err(|e| format!("front matter is not valid YAML: {e}"))?;
    match docs.first().map(to_json) {
        None | Some(Value::Null) => Ok((Map::new(), body)),
        Some(Value::Object(map)) => Ok((map, body)),
        Some(_) => Err("front matter must be `key: value` lines".into()),
    }
}

/// `a/b/../c.md` → `a/c.md` (paths under the docs folder, `/`-separated).
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn markdown_files(dir: &Path, under: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            markdown_files(&path, under, out)?;
        } else if name.ends_with(".md") || name.ends_with(".markdown") {
            out.push(path.strip_prefix(under).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}

/// The id a file gets without an `id` key.
fn default_id(path: &str) -> String {
    path.trim_end_matches(".markdown").trim_end_matches(".md").replace('/', "-").to_lowercase().replace(' ', "-")
}

/// Builds the KB of the folder: the articles as JSON values, or every problem found (each
/// naming its file).
pub fn build(dir: &Path) -> Result<Vec<Value>, Vec<String>> {
    let mut files = Vec::new();
    markdown_files(dir, dir, &mut files).map_err(|e| vec![e])?;
    let mut problems = Vec::new();
    let mut pages = Vec::new();
    for file in &files {
        let path = file.to_string_lossy().replace('\\', "/");
        let text = match std::fs::read_to_string(dir.join(file)) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{path}: {e}"));
                continue;
            }
        };
        match front_matter(&text) {
            Ok((meta, body)) => {
                for key in meta.keys().filter(|k| !KEYS.contains(&k.as_str())) {
                    problems.push(format!("{path}: unknown front-matter key `{key}` (known: {})", KEYS.join(", ")));
                }
                if meta.get("draft").and_then(Value::as_bool) != Some(true) {
                    pages.push(Page { path, meta, body: body.to_string() });
                }
            }
            Err(e) => problems.push(format!("{path}: {e}")),
        }
    }
    // Ids first, so that links can be resolved to them.
    let mut id_of: BTreeMap<String, String> = BTreeMap::new();
    let mut file_of: BTreeMap<String, String> = BTreeMap::new();
    for page in &pages {
        let id = match page.meta.get("id") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(Value::Number(n)) => n.to_string(),
            Some(_) => {
                problems.push(format!("{}: `id` must be a non-empty string", page.path));
                continue;
            }
            None => default_id(&page.path),
        };
        if let Some(other) = file_of.insert(id.clone(), page.path.clone()) {
            problems.push(format!("{}: id \"{id}\" is already used by {other}", page.path));
        }
        id_of.insert(page.path.clone(), id);
    }
    let mut articles = Vec::new();
    for page in pages {
        let Some(id) = id_of.get(&page.path).cloned() else { continue };
        let mut body = page.body.trim().to_string();
        let mut obj = page.meta.clone();
        obj.remove("draft");
        // YAML reads `tags: [2fa, true]` or `title: 2024` as numbers and booleans; every KB field
        // is text, so such scalars are taken as written.
        for v in obj.values_mut() {
            as_text(v);
        }
        if !obj.contains_key("title") {
            // The first line `# Title` is the title.
            if let Some(rest) = body.strip_prefix("# ") {
                let (title, after) = rest.split_once('\n').unwrap_or((rest, ""));
                obj.insert("title".into(), Value::String(title.trim().to_string()));
                body = after.trim().to_string();
            } else {
                problems.push(format!("{}: no title (a `title:` in the front matter, or a first line `# Title`)", page.path));
                continue;
            }
        }
        let folder = page.path.rsplit_once('/').map_or("", |(d, _)| d);
        let mut broken = Vec::new();
        let body = links::rewrite(&body, |target| {
            let lower = target.to_ascii_lowercase();
            let scheme = lower.split_once(':').map(|(s, _)| s).filter(|s| !s.contains(['/', '?', '#']));
            if scheme.is_some() || target.starts_with('/') || target.starts_with('#') {
                return None;
            }
            let (file, fragment) = target.split_once('#').map_or((target, None), |(f, h)| (f, Some(h)));
            if !(file.ends_with(".md") || file.ends_with(".markdown")) {
                return None;
            }
            let resolved = normalise(&if folder.is_empty() { file.to_string() } else { format!("{folder}/{file}") });
            match resolved.as_ref().and_then(|p| id_of.get(p)) {
                Some(id) => Some(match fragment {
                    Some(h) => format!("{ARTICLE_SCHEME}{id}#{h}"),
                    None => format!("{ARTICLE_SCHEME}{id}"),
                }),
                None => {
                    broken.push(target.to_string());
                    None
                }
            }
        });
        for target in broken {
            problems.push(format!("{}: link to {target}, which is not an article of this folder (a draft, or missing)", page.path));
        }
        obj.insert("id".into(), Value::String(id));
        obj.insert("body".into(), Value::String(body));
        // The widget's own validation, so that what builds is what loads.
        let (_, kb_problems) = kb::from_value(&Value::Array(vec![Value::Object(obj.clone())]));
        for p in kb_problems {
            problems.push(format!("{}: {}", page.path, p.problem));
        }
        articles.push(Value::Object(obj));
    }
    if articles.is_empty() && problems.is_empty() {
        problems.push(format!("{}: no Markdown file (.md) found", dir.display()));
    }
    if problems.is_empty() { Ok(articles) } else { Err(problems) }
}

fn as_text(v: &mut Value) {
    match v {
        Value::Bool(b) => *v = Value::String(b.to_string()),
        Value::Number(n) => *v = Value::String(n.to_string()),
        Value::Array(items) => items.iter_mut().for_each(as_text),
        Value::Object(o) => o.values_mut().for_each(as_text),
        _ => {}
    }
}

/// `build DOCS_DIR [-o OUT]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut out: Option<String> = None;
    let mut input: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "--out" => out = Some(it.next().ok_or("-o needs a file")?.clone()),
            other if input.is_none() => input = Some(other.to_string()),
            other => return Err(format!("unexpected argument {other}")),
        }
    }
    let input = input.ok_or("build needs a folder of Markdown files")?;
    let t = std::time::Instant::now();
    let articles = build(Path::new(&input)).map_err(|problems| format!("{} problem(s), nothing written:\n  {}", problems.len(), problems.join("\n  ")))?;
    let json = crate::to_pretty_json(&Value::Array(articles.clone()));
    match out {
        Some(path) => {
            std::fs::write(&path, &json).map_err(|e| format!("{path}: {e}"))?;
            eprintln!("{path}: {} articles from {input} in {:.0} ms", articles.len(), t.elapsed().as_secs_f64() * 1000.0);
        }
        None => print!("{json}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("baton-docs-{}-{}", std::process::id(), files.len() * 31 + files[0].1.len()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn front_matter_titles_ids_and_links() {
        let dir = folder(&[
            ("billing/update-card.md", "---\ntags: [billing]\nroutes:\n  - /billing/*\nphrasings:\n  - my card was declined\nflow:\n  - text: Open Billing\n    highlight: nav a[href='/billing']\n    check: { kind: route, pattern: /billing }\n---\n# Update your card\n\nSee [plans](plans.md#prices) and [the start](../start.md).\n"),
            ("billing/plans.md", "---\nid: plans\ntitle: Plans and prices\n---\nBack to [the card](./update-card.md). [Site](https://x.io/a.md)\n"),
            ("start.md", "---\ntags: [2fa, true, 2024]\n---\n# Getting started\nWelcome.\n"),
            ("old.md", "---\ndraft: true\n---\n# Old\n"),
        ]);
        let kb = build(&dir).unwrap();
        let ids: Vec<&str> = kb.iter().map(|a| a["id"].as_str().unwrap()).collect();
        assert_eq!(ids, vec!["plans", "billing-update-card", "start"]);
        let card = &kb[1];
        assert_eq!(card["title"], "Update your card");
        assert_eq!(card["body"], "See [plans](article:plans#prices) and [the start](article:start).");
        assert_eq!(card["flow"][0]["check"]["pattern"], "/billing");
        assert_eq!(kb[0]["body"], "Back to [the card](article:billing-update-card). [Site](https://x.io/a.md)");
        assert_eq!(kb[2]["tags"], serde_json::json!(["2fa", "true", "2024"]), "YAML's booleans and numbers are the text written");
        let (articles, problems) = kb::from_value(&Value::Array(kb));
        assert!(problems.is_empty() && articles.len() == 3 && articles[1].phrasings == vec!["my card was declined"]);
    }

    #[test]
    fn the_demo_kb_is_what_demo_kb_builds() {
        let built = build(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo/kb")).expect("demo/kb/ builds");
        let committed: Value = serde_json::from_str(include_str!("../../demo-kb.json")).unwrap();
        assert!(Value::Array(built) == committed, "demo-kb.json is out of date: run `make demo-kb.json`");
    }

    #[test]
    fn problems_name_the_file() {
        let dir = folder(&[
            ("a.md", "---\ntitle: A\nphrasing: [typo]\n---\nSee [b](b.md) and [old](old.md)."),
            ("b.md", "no title here"),
            ("c.md", "---\ntitle: C\nid: a\n---\n"),
            ("d.md", "---\ntitle: [unclosed\n---\n"),
            ("e.md", "---\ntitle: E\ntags: billing\n---\n"),
            ("old.md", "---\ndraft: true\n---\n# Old\n"),
        ]);
        let problems = build(&dir).unwrap_err().join("\n");
        for expected in [
            "a.md: unknown front-matter key `phrasing`",
            "b.md: no title",
            "c.md: id \"a\" is already used by a.md",
            "d.md: front matter is not valid YAML",
            "e.md: `tags` must be a list of strings",
            "a.md: link to old.md, which is not an article",
        ] {
            assert!(problems.contains(expected), "{expected} in:\n{problems}");
        }
    }
}
