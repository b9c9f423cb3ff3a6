//! Article bodies: Markdown to HTML that is safe to put in the widget.
//!
//! A KB is content, not code: raw HTML in it is shown as text, links get `target="_blank"`
//! and `rel="noopener noreferrer"`, and only `http:`, `https:`, `mailto:`, `tel:` and relative
//! URLs survive (`javascript:` and `data:` become `#`). Images load only over http(s).
//!
//! Baton's own renderer for the Markdown help articles use — paragraphs, headings, ordered,
//! unordered and nested lists, block quotes, fenced code, rules, pipe tables, emphasis, strong,
//! strike-through, code spans, links, images, autolinks, escapes and hard breaks — rather than a
//! full CommonMark implementation: pulldown-cmark with its entity and case-folding tables was
//! about 70 KB of gzipped wasm, a fifth of the widget (docs/benchmark.md, "Benchmark").

fn safe_url(url: &str, images: bool) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let scheme = lower.split_once(':').map(|(s, _)| s).filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        None => !images || !lower.starts_with("//"),
        Some("http" | "https") => true,
        Some("mailto" | "tel") => !images,
        Some(_) => false,
    }
}

fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// Index of the `close` that matches the `open` at `text[0]`, counting nesting and skipping
/// backslash escapes.
fn matching(text: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// `(url "title")` → (url, title).
fn destination(inside: &str) -> (&str, Option<&str>) {
    let inside = inside.trim();
    match inside.split_once(char::is_whitespace) {
        Some((url, rest)) => {
            let rest = rest.trim();
            let title = rest.strip_prefix('"').and_then(|r| r.strip_suffix('"'));
            (url.trim_start_matches('<').trim_end_matches('>'), title)
        }
        None => (inside.trim_start_matches('<').trim_end_matches('>'), None),
    }
}

/// The scheme of a link to another article of the KB (`[Plans](article:plans)`): rendered as
/// an in-panel link the article view opens, not a navigation.
pub const ARTICLE_LINK: &str = "article:";

fn link(out: &mut String, label: &str, url: &str, title: Option<&str>) {
    if let Some(id) = url.strip_prefix(ARTICLE_LINK) {
        out.push_str("<a href=\"#\" data-article=\"");
        escape(out, id.split('#').next().unwrap_or(id));
        out.push('"');
    } else {
        out.push_str("<a target=\"_blank\" rel=\"noopener noreferrer\" href=\"");
        escape(out, if safe_url(url, false) { url } else { "#" });
        out.push('"');
    }
    if let Some(title) = title {
        out.push_str(" title=\"");
        escape(out, title);
        out.push('"');
    }
    out.push('>');
    inline(out, label);
    out.push_str("</a>");
}

/// Renders inline Markdown.
fn inline(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        match c {
            '\\' if after.starts_with(|n: char| n.is_ascii_punctuation()) => {
                let n = after.chars().next().unwrap_or(' ');
                escape(out, &n.to_string());
                rest = &after[1..];
                continue;
            }
            '\\' if after.starts_with('\n') => {
                out.push_str("<br>\n");
                rest = &after[1..];
                continue;
            }
            ' ' if rest.starts_with("  \n") => {
                out.push_str("<br>\n");
                rest = rest.trim_start_matches(' ').strip_prefix('\n').unwrap_or("");
                continue;
            }
            '`' => {
                let run = rest.len() - rest.trim_start_matches('`').len();
                let fence = &rest[..run];
                if let Some(end) = rest[run..].find(fence) {
                    let code = &rest[run..run + end];
                    out.push_str("<code>");
                    escape(out, code.strip_prefix(' ').and_then(|c| c.strip_suffix(' ')).unwrap_or(code));
                    out.push_str("</code>");
                    rest = &rest[run + end + run..];
                } else {
                    out.push_str(fence);
                    rest = &rest[run..];
                }
                continue;
            }
            '!' | '[' => {
                let image = c == '!';
                let bracketed = if image { after } else { rest };
                if bracketed.starts_with('[') {
                    if let Some(close) = matching(bracketed, '[', ']') {
                        let label = &bracketed[1..close];
                        let tail = &bracketed[close + 1..];
                        if tail.starts_with('(') {
                            if let Some(end) = matching(tail, '(', ')') {
                                let (url, title) = destination(&tail[1..end]);
                                if image {
                                    out.push_str("<img src=\"");
                                    escape(out, if safe_url(url, true) { url } else { "" });
                                    out.push_str("\" alt=\"");
                                    escape(out, label);
                                    out.push_str("\">");
                                } else {
                                    link(out, label, url, title);
                                }
                                rest = &tail[end + 1..];
                                continue;
                            }
                        }
                    }
                }
            }
            '<' => {
                if let Some(end) = after.find('>') {
                    let target = &after[..end];
                    let lower = target.to_ascii_lowercase();
                    if !target.contains(char::is_whitespace)
                        && (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:"))
                    {
                        link(out, target, target, None);
                        rest = &after[end + 1..];
                        continue;
                    }
                }
            }
            '*' | '_' | '~' => {
                let double = after.starts_with(c);
                if c == '~' && !double {
                    out.push('~');
                    rest = after;
                    continue;
                }
                // `_` inside a word (snake_case) is a letter, not emphasis.
                let intraword = c == '_' && out.chars().last().is_some_and(char::is_alphanumeric);
                let marker = if double { &rest[..2] } else { &rest[..1] };
                let body = &rest[marker.len()..];
                let opens = !intraword && body.starts_with(|n: char| !n.is_whitespace());
                let close = opens.then(|| closing(body, marker)).flatten();
                if let Some(end) = close {
                    let tag = match (c, double) {
                        ('~', _) => "del",
                        (_, true) => "strong",
                        _ => "em",
                    };
                    out.push_str(&format!("<{tag}>"));
                    inline(out, &body[..end]);
                    out.push_str(&format!("</{tag}>"));
                    rest = &body[end + marker.len()..];
                } else {
                    out.push_str(marker);
                    rest = body;
                }
                continue;
            }
            _ => {}
        }
        escape(out, &rest[..c.len_utf8()]);
        rest = after;
    }
}

/// Where the closing `marker` of an emphasis run starts in `body` (not after whitespace).
fn closing(body: &str, marker: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = body[from..].find(marker) {
        let mut at = from + i;
        // In a longer run (`***` closing `**` around `*…*`), the closing marker is its end.
        let ch = marker.chars().next().unwrap_or('*');
        let run = body[at..].len() - body[at..].trim_start_matches(ch).len();
        if marker.len() == 2 && run > 2 {
            at += run - 2;
        }
        let before = body[..at].chars().last();
        let after = body[at + marker.len()..].chars().next();
        let single_inside_double = marker.len() == 1 && after == marker.chars().next();
        if at > 0 && !before.is_some_and(char::is_whitespace) && !single_inside_double {
            return Some(at);
        }
        from = at + marker.len().max(if single_inside_double { 2 } else { 1 });
    }
    None
}

#[derive(Clone, Copy, PartialEq)]
enum ListKind {
    Ordered,
    Unordered,
}

/// A list item's marker: (indent, kind, start number, text after the marker).
fn list_item(line: &str) -> Option<(usize, ListKind, u32, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    if let Some(text) = rest.strip_prefix(['-', '*', '+']) {
        return text.starts_with(' ').then(|| (indent, ListKind::Unordered, 1, text.trim_start()));
    }
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if (1..=9).contains(&digits) {
        let text = rest[digits..].strip_prefix(['.', ')'])?;
        let start = rest[..digits].parse().ok()?;
        return text.starts_with(' ').then(|| (indent, ListKind::Ordered, start, text.trim_start()));
    }
    None
}

fn is_rule(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    t.len() >= 3 && (t.chars().all(|c| c == '-') || t.chars().all(|c| c == '*') || t.chars().all(|c| c == '_'))
}

fn cells(line: &str) -> Vec<&str> {
    let t = line.trim().trim_start_matches('|');
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(str::trim).collect()
}

fn is_table_separator(line: &str) -> bool {
    line.contains('-') && cells(line).iter().all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
}

/// Block-level rendering state.
#[derive(Default)]
struct Blocks {
    out: String,
    paragraph: Vec<String>,
    /// Open lists: (indent, kind); an item is open in each.
    lists: Vec<(usize, ListKind)>,
}

impl Blocks {
    fn flush_paragraph(&mut self) {
        if self.paragraph.is_empty() {
            return;
        }
        let text = self.paragraph.join("\n");
        self.paragraph.clear();
        if self.lists.is_empty() {
            self.out.push_str("<p>");
            inline(&mut self.out, text.trim_end());
            self.out.push_str("</p>\n");
        } else {
            inline(&mut self.out, text.trim_end());
        }
    }

    fn close_lists_to(&mut self, depth: usize) {
        while self.lists.len() > depth {
            let (_, kind) = self.lists.pop().expect("checked");
            self.out.push_str(if kind == ListKind::Ordered { "</li>\n</ol>\n" } else { "</li>\n</ul>\n" });
        }
    }

    fn close_all(&mut self) {
        self.flush_paragraph();
        self.close_lists_to(0);
    }

    fn item(&mut self, indent: usize, kind: ListKind, start: u32, text: &str) {
        self.flush_paragraph();
        while self.lists.last().is_some_and(|&(i, k)| i > indent || (i == indent && k != kind)) {
            self.close_lists_to(self.lists.len() - 1);
        }
        match self.lists.last() {
            Some(&(i, _)) if i == indent => self.out.push_str("</li>\n<li>"),
            _ => {
                if !self.lists.is_empty() {
                    self.out.push('\n');
                }
                match kind {
                    ListKind::Ordered if start != 1 => self.out.push_str(&format!("<ol start=\"{start}\">\n<li>")),
                    ListKind::Ordered => self.out.push_str("<ol>\n<li>"),
                    ListKind::Unordered => self.out.push_str("<ul>\n<li>"),
                }
                self.lists.push((indent, kind));
            }
        }
        self.paragraph.push(text.to_string());
    }
}

/// Renders `markdown` to safe HTML.
pub fn to_html(markdown: &str) -> String {
    render(markdown, 0)
}

/// Block quotes nest at most this deep (deeper `>` stay text): recursion stays bounded.
const MAX_QUOTE_DEPTH: usize = 8;

fn render(markdown: &str, depth: usize) -> String {
    let mut b = Blocks { out: String::with_capacity(markdown.len() * 3 / 2), ..Blocks::default() };
    let lines: Vec<&str> = markdown.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].replace('\t', "    ");
        let trimmed = line.trim();
        i += 1;
        if trimmed.is_empty() {
            b.flush_paragraph();
            // A list continues across blank lines only when an item or indented text follows.
            let next = lines[i..].iter().find(|l| !l.trim().is_empty());
            if !next.is_some_and(|n| list_item(n).is_some() || n.starts_with("  ")) {
                b.close_lists_to(0);
            }
            continue;
        }
        if let Some(fence) = trimmed.strip_prefix("```").map(|_| "```").or_else(|| trimmed.strip_prefix("~~~").map(|_| "~~~")) {
            b.close_all();
            b.out.push_str("<pre><code>");
            while i < lines.len() && !lines[i].trim_start().starts_with(fence) {
                escape(&mut b.out, lines[i]);
                b.out.push('\n');
                i += 1;
            }
            i += 1; // the closing fence (or the end)
            b.out.push_str("</code></pre>\n");
            continue;
        }
        let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
        if (1..=6).contains(&hashes) && (trimmed.len() == hashes || trimmed[hashes..].starts_with(' ')) {
            b.close_all();
            b.out.push_str(&format!("<h{hashes}>"));
            inline(&mut b.out, trimmed[hashes..].trim().trim_end_matches('#').trim_end());
            b.out.push_str(&format!("</h{hashes}>\n"));
            continue;
        }
        if is_rule(trimmed) && b.paragraph.is_empty() {
            b.close_all();
            b.out.push_str("<hr>\n");
            continue;
        }
        if let Some(first) = trimmed.strip_prefix('>').filter(|_| depth < MAX_QUOTE_DEPTH) {
            b.close_all();
            let mut quoted = vec![first.strip_prefix(' ').unwrap_or(first).to_string()];
            while i < lines.len() {
                let Some(q) = lines[i].trim_start().strip_prefix('>') else { break };
                quoted.push(q.strip_prefix(' ').unwrap_or(q).to_string());
                i += 1;
            }
            b.out.push_str("<blockquote>\n");
            b.out.push_str(&render(&quoted.join("\n"), depth + 1));
            b.out.push_str("</blockquote>\n");
            continue;
        }
        if trimmed.starts_with('|') && lines.get(i).is_some_and(|n| is_table_separator(n)) {
            b.close_all();
            b.out.push_str("<table>\n<thead>\n<tr>");
            for cell in cells(trimmed) {
                b.out.push_str("<th>");
                inline(&mut b.out, cell);
                b.out.push_str("</th>");
            }
            b.out.push_str("</tr>\n</thead>\n<tbody>\n");
            i += 1;
            while i < lines.len() && lines[i].trim().starts_with('|') {
                b.out.push_str("<tr>");
                for cell in cells(lines[i]) {
                    b.out.push_str("<td>");
                    inline(&mut b.out, cell);
                    b.out.push_str("</td>");
                }
                b.out.push_str("</tr>\n");
                i += 1;
            }
            b.out.push_str("</tbody>\n</table>\n");
            continue;
        }
        if let Some((indent, kind, start, text)) = list_item(&line) {
            b.item(indent, kind, start, text);
            continue;
        }
        // Text: continues the open paragraph or list item, or starts a paragraph.
        if !b.lists.is_empty() && b.paragraph.is_empty() && !line.starts_with(' ') {
            b.close_lists_to(0);
        }
        b.paragraph.push(if b.lists.is_empty() { line.trim_start().to_string() } else { trimmed.to_string() });
    }
    b.close_all();
    b.out
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn renders_markdown() {
        assert_eq!(to_html("Go to **Billing**."), "<p>Go to <strong>Billing</strong>.</p>\n");
        assert_eq!(to_html("1. one\n2. two"), "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n");
        assert_eq!(to_html("# Title #\n\ntext\nmore"), "<h1>Title</h1>\n<p>text\nmore</p>\n");
        assert_eq!(to_html("*a* _b_ __c__ ~~d~~ `x<y`"), "<p><em>a</em> <em>b</em> <strong>c</strong> <del>d</del> <code>x&lt;y</code></p>\n");
        assert_eq!(to_html("snake_case_name and 2 * 3 * 4"), "<p>snake_case_name and 2 * 3 * 4</p>\n");
        assert_eq!(to_html("***both*** and **bold *em* inside**"), "<p><strong><em>both</em></strong> and <strong>bold <em>em</em> inside</strong></p>\n");
        assert_eq!(to_html("\\*not em\\* a\\\nb  \nc"), "<p>*not em* a<br>\nb<br>\nc</p>\n");
        assert_eq!(to_html("---"), "<hr>\n");
        assert_eq!(to_html("> quoted **x**\n> more"), "<blockquote>\n<p>quoted <strong>x</strong>\nmore</p>\n</blockquote>\n");
        assert_eq!(to_html("```\nlet a = <b>;\n```\nafter"), "<pre><code>let a = &lt;b&gt;;\n</code></pre>\n<p>after</p>\n");
        assert_eq!(to_html("| a | b |\n|---|:-:|\n| 1 | **2** |"), "<table>\n<thead>\n<tr><th>a</th><th>b</th></tr>\n</thead>\n<tbody>\n<tr><td>1</td><td><strong>2</strong></td></tr>\n</tbody>\n</table>\n");
    }

    #[test]
    fn lists_nest_continue_and_end() {
        assert_eq!(
            to_html("- a\n  - b\n  - c\n- d\n\nafter"),
            "<ul>\n<li>a\n<ul>\n<li>b</li>\n<li>c</li>\n</ul>\n</li>\n<li>d</li>\n</ul>\n<p>after</p>\n"
        );
        assert_eq!(to_html("3. three\n4. four"), "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n");
        assert_eq!(to_html("1. one\n\n2. two"), "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n", "a blank line between items");
        assert_eq!(to_html("- a\n- b\n1. c"), "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<ol>\n<li>c</li>\n</ol>\n");
        assert_eq!(to_html("- item\n  continued"), "<ul>\n<li>item\ncontinued</li>\n</ul>\n");
    }

    #[test]
    fn the_demo_kb_renders() {
        let out = to_html("If declined, fix it.\n\n1. Open **Billing** in the left menu.\n2. Select **Update card**.\n\nStill declined? Call the bank.");
        assert_eq!(out, "<p>If declined, fix it.</p>\n<ol>\n<li>Open <strong>Billing</strong> in the left menu.</li>\n<li>Select <strong>Update card</strong>.</li>\n</ol>\n<p>Still declined? Call the bank.</p>\n");
    }

    #[test]
    fn raw_html_is_text() {
        let out = to_html("<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)>");
        assert!(!out.contains("<script") && !out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;"));
        let out = to_html("[x\"><script>](https://a.io/\"onmouseover=\"alert(1)) ![\"><b>](https://a.io/x.png)");
        assert!(!out.contains("<script") && !out.contains("<b>") && !out.contains("\"onmouseover"), "{out}");
    }

    #[test]
    fn links_are_safe_and_open_in_a_new_tab() {
        let out = to_html("[docs](https://example.com/a?b=1) [x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [rel](/billing) [m](mailto:help@x.io)");
        assert!(out.contains(r#"<a target="_blank" rel="noopener noreferrer" href="https://example.com/a?b=1">docs</a>"#), "{out}");
        assert_eq!(out.matches("href=\"#\"").count(), 2, "{out}");
        assert!(out.contains(r#"href="/billing""#) && out.contains(r#"href="mailto:help@x.io""#));
        let img = to_html("![a](data:image/png;base64,AAAA) ![b](https://x.io/b.png)");
        assert!(img.contains(r#"src="""#) && img.contains(r#"src="https://x.io/b.png""#), "{img}");
        let out = to_html("see <https://status.example.com> and [t](https://x.io \"Title\") [a [nested] label](/x_(y))");
        assert!(out.contains(r#"href="https://status.example.com">https://status.example.com</a>"#), "{out}");
        assert!(out.contains(r#"title="Title""#) && out.contains(r#"href="/x_(y)">a [nested] label</a>"#), "{out}");
        let out = to_html("See [plans](article:change-plan#prices) or [x](article:\"><b>)");
        assert!(out.contains(r##"<a href="#" data-article="change-plan">plans</a>"##), "{out}");
        assert!(!out.contains("<b>") && !out.contains("target"), "{out}");
    }

    #[test]
    fn hostile_input_terminates_and_stays_bounded() {
        for input in ["[[[[[[[[[[", "*_*_*_*_**__**", "`````", "> > > >", "|\n|-|", "1.\n2)", "![", "\\", "<", "~~~", "-\n-\n-"] {
            let out = to_html(input);
            assert!(out.len() < input.len() * 8 + 64, "{input:?} → {out:?}");
        }
        let deep = "- a\n".repeat(1) + &(1..200).map(|i| format!("{}- x\n", " ".repeat(i * 2))).collect::<String>();
        assert!(to_html(&deep).matches("<ul>").count() == 200);
        let quotes = to_html(&">".repeat(100_000));
        assert_eq!(quotes.matches("<blockquote>").count(), 8, "nesting is bounded");
    }
}
