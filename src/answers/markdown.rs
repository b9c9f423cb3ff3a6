//! Article bodies: Markdown to HTML that is safe to put in the widget.
//!
//! A KB is content, not code: raw HTML in it is shown as text, links get `target="_blank"`
//! and `rel="noopener noreferrer"`, and only `http:`, `https:`, `mailto:`, `tel:` and relative
//! URLs survive (`javascript:` and `data:` become `#`). Images load only over http(s).

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

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

/// Renders `markdown` to safe HTML.
pub fn to_html(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|event| match event {
        // Raw HTML is shown, never interpreted.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if !safe_url(&dest_url, false) => {
            Event::Start(Tag::Link { link_type, dest_url: CowStr::Borrowed("#"), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if !safe_url(&dest_url, true) => {
            Event::Start(Tag::Image { link_type, dest_url: CowStr::Borrowed(""), title, id })
        }
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    // pulldown-cmark writes every link as `<a href="…"`: open them beside the host app.
    out.replace("<a href=\"", "<a target=\"_blank\" rel=\"noopener noreferrer\" href=\"")
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn renders_markdown() {
        assert_eq!(to_html("Go to **Billing**."), "<p>Go to <strong>Billing</strong>.</p>\n");
        assert!(to_html("1. one\n2. two").contains("<ol>"));
    }

    #[test]
    fn raw_html_is_text() {
        let out = to_html("<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)>");
        assert!(!out.contains("<script") && !out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;"));
    }

    #[test]
    fn links_are_safe_and_open_in_a_new_tab() {
        let out = to_html("[docs](https://example.com/a?b=1) [x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [rel](/billing) [m](mailto:help@x.io)");
        assert!(out.contains(r#"<a target="_blank" rel="noopener noreferrer" href="https://example.com/a?b=1">docs</a>"#), "{out}");
        assert_eq!(out.matches("href=\"#\"").count(), 2, "{out}");
        assert!(out.contains(r#"href="/billing""#) && out.contains(r#"href="mailto:help@x.io""#));
        let img = to_html("![a](data:image/png;base64,AAAA) ![b](https://x.io/b.png)");
        assert!(img.contains(r#"src="""#) && img.contains(r#"src="https://x.io/b.png""#), "{img}");
    }
}
