//! Links in Markdown bodies: finding their targets and rewriting them.
//!
//! In a KB, a link to another article is `[label](article:ID)` (the widget opens that article in
//! the panel). `baton-kb build` turns links between Markdown files into that form, `baton-kb
//! import` does the same for links between help-centre articles, and `baton-kb check` reports
//! the ones whose article does not exist.

/// The scheme of a link to another article of the same KB: the widget's own (its Markdown
/// renderer is what opens such links in the panel).
pub use baton_core::answers::markdown::ARTICLE_LINK as ARTICLE_SCHEME;

/// Byte ranges of every link target in `md` (inline `[label](target "title")` and reference
/// definitions `[label]: target`), outside code spans and fenced code blocks.
pub fn targets(md: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut fenced = false;
    let mut offset = 0;
    for line in md.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // A reference definition: `[label]: target`.
        if let Some(rest) = trimmed.strip_prefix('[') {
            if let Some(close) = rest.find("]:") {
                let after = &rest[close + 2..];
                let target = after.trim_start();
                let at = start + (line.len() - trimmed.len()) + 1 + close + 2 + (after.len() - target.len());
                let len = target.find(char::is_whitespace).unwrap_or(target.len());
                if len > 0 {
                    out.push(at..at + len);
                }
                continue;
            }
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'`' => {
                    let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
                    let fence = &line[i..i + run];
                    i = match line[i + run..].find(fence) {
                        Some(end) => i + run + end + run,
                        None => i + run,
                    };
                }
                b'\\' => i += 2,
                b']' if bytes.get(i + 1) == Some(&b'(') => {
                    let inner = &line[i + 2..];
                    let lead = inner.len() - inner.trim_start().len();
                    let target = &inner[lead..];
                    let (target, skip) = match target.strip_prefix('<') {
                        Some(t) => (t, 1),
                        None => (target, 0),
                    };
                    let len = if skip == 1 { target.find('>') } else { target.find(|c: char| c.is_whitespace() || c == ')') }.unwrap_or(target.len());
                    if len > 0 {
                        let at = start + i + 2 + lead + skip;
                        out.push(at..at + len);
                    }
                    i += 2 + lead + skip + len;
                }
                _ => i += 1,
            }
        }
    }
    out
}

/// `md` with each link target replaced by what `f` returns for it (`None` keeps it).
pub fn rewrite(md: &str, mut f: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(md.len());
    let mut last = 0;
    for range in targets(md) {
        if let Some(new) = f(&md[range.clone()]) {
            out.push_str(&md[last..range.start]);
            out.push_str(&new);
            last = range.end;
        }
    }
    out.push_str(&md[last..]);
    out
}

/// The article ids `md` links to (`article:ID`).
pub fn article_ids(md: &str) -> Vec<String> {
    targets(md).into_iter().filter_map(|r| md[r].strip_prefix(ARTICLE_SCHEME).map(|id| id.split('#').next().unwrap_or(id).to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_and_reference_targets_but_not_code() {
        let md = "See [the card](update-card.md \"Card\") and [x](<a b.md>).\n\n`[no](code.md)` and\n```\n[no](fenced.md)\n```\n[ref]: ./billing/plans.md#top\n";
        let found: Vec<&str> = targets(md).into_iter().map(|r| &md[r]).collect();
        assert_eq!(found, vec!["update-card.md", "a b.md", "./billing/plans.md#top"]);
        let out = rewrite(md, |t| t.ends_with(".md").then(|| format!("article:{}", t.trim_end_matches(".md"))));
        assert!(out.starts_with("See [the card](article:update-card \"Card\")"), "{out}");
        assert!(out.contains("`[no](code.md)`") && out.contains("[no](fenced.md)"));
        assert_eq!(article_ids("[a](article:x) [b](article:y#step-2) [c](https://z)"), vec!["x", "y"]);
    }
}
