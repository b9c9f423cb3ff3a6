//! Stack traces as browsers print them, parsed into frames.
//!
//! Chromium (and Node): `    at fn (url:line:col)`, `    at url:line:col`, `    at async fn (…)`.
//! Firefox and Safari: `fn@url:line:col`, `@url:line:col`, `global code@url:line:col`.
//! Lines in neither shape (the message line, `at async Promise.all (index 0)`) are skipped.

use crate::limits::{truncate_chars, MAX_FRAMES, MAX_FRAME_FIELD_CHARS};
use serde::Serialize;

/// One stack frame.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct Frame {
    /// Function name as the browser gave it, when it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    /// Script URL (or `<anonymous>`).
    pub file: String,
    /// 1-based line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

/// Parses up to [`MAX_FRAMES`] frames from a stack string of any browser.
pub fn parse(stack: &str) -> Vec<Frame> {
    stack.lines().filter_map(parse_line).take(MAX_FRAMES).collect()
}

fn parse_line(line: &str) -> Option<Frame> {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("at ") {
        return parse_chromium(rest.strip_prefix("async ").unwrap_or(rest));
    }
    // Firefox / Safari: the last '@' separates the function from the location, since
    // function names may themselves contain '@' (e.g. "fn/<@").
    let at = line.rfind('@')?;
    let (function, location) = (&line[..at], &line[at + 1..]);
    let mut frame = parse_location(location)?;
    if !function.is_empty() {
        frame.function = Some(truncate_chars(function, MAX_FRAME_FIELD_CHARS));
    }
    Some(frame)
}

fn parse_chromium(rest: &str) -> Option<Frame> {
    // "fn (location)" or "location". For eval frames, the location inside the outermost
    // parentheses is itself "eval at …"; keep the last "url:line:col" in it.
    if rest.ends_with(')') {
        if let Some(open) = rest.find(" (") {
            let function = &rest[..open];
            let inner = &rest[open + 2..rest.len() - 1];
            let location = inner.rsplit(", ").next().unwrap_or(inner);
            let mut frame = parse_location(location.trim_start_matches('(').trim_end_matches(')'))?;
            frame.function = Some(truncate_chars(function, MAX_FRAME_FIELD_CHARS));
            return Some(frame);
        }
    }
    parse_location(rest)
}

/// "url:line:col", "url:line" or a bare "url". A location without any digits after its last
/// colon and no scheme (e.g. "index 0") is not a location.
fn parse_location(location: &str) -> Option<Frame> {
    let location = location.trim();
    if location.is_empty() {
        return None;
    }
    let mut parts = location.rsplitn(3, ':');
    let last = parts.next()?;
    let middle = parts.next();
    let first = parts.next();
    let (file, line, column) = match (first, middle, last.parse::<u32>().ok()) {
        (Some(file), Some(line), Some(col)) if line.parse::<u32>().is_ok() => (file, line.parse().ok(), Some(col)),
        (_, Some(_), Some(line)) => (location.rsplit_once(':').map(|(f, _)| f).unwrap_or(location), Some(line), None),
        _ => (location, None, None),
    };
    let plausible = file.contains("://") || file.starts_with('/') || file.starts_with('<') || file.contains('.') || line.is_some();
    if !plausible || file.contains(' ') && !file.starts_with('<') {
        return None;
    }
    Some(Frame { function: None, file: truncate_chars(file, MAX_FRAME_FIELD_CHARS), line, column })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(function: Option<&str>, file: &str, line: u32, column: u32) -> Frame {
        Frame { function: function.map(Into::into), file: file.into(), line: Some(line), column: Some(column) }
    }

    #[test]
    fn chromium() {
        let stack = "TypeError: Cannot read properties of undefined (reading 'email')
    at HTMLButtonElement.<anonymous> (http://127.0.0.1:8080/:180:17)
    at send (https://app.example.com/static/app.js:10:5)
    at https://app.example.com/static/app.js:20:7
    at async Promise.all (index 0)
    at async load (https://app.example.com/a.js:3:9)
    at new Invoice (webpack-internal:///./src/invoice.ts:42:11)
    at eval (eval at run (https://app.example.com/b.js:1:100), <anonymous>:1:5)";
        assert_eq!(
            parse(stack),
            vec![
                f(Some("HTMLButtonElement.<anonymous>"), "http://127.0.0.1:8080/", 180, 17),
                f(Some("send"), "https://app.example.com/static/app.js", 10, 5),
                f(None, "https://app.example.com/static/app.js", 20, 7),
                f(Some("load"), "https://app.example.com/a.js", 3, 9),
                f(Some("new Invoice"), "webpack-internal:///./src/invoice.ts", 42, 11),
                f(Some("eval"), "<anonymous>", 1, 5),
            ]
        );
    }

    #[test]
    fn firefox_and_safari() {
        let stack = "send@https://app.example.com/static/app.js:10:5
@https://app.example.com/static/app.js:20:7
Invoice/<.render@http://localhost:8080/bundle.js:3:4
global code@http://localhost:8080/:12:3
";
        assert_eq!(
            parse(stack),
            vec![
                f(Some("send"), "https://app.example.com/static/app.js", 10, 5),
                f(None, "https://app.example.com/static/app.js", 20, 7),
                f(Some("Invoice/<.render"), "http://localhost:8080/bundle.js", 3, 4),
                f(Some("global code"), "http://localhost:8080/", 12, 3),
            ]
        );
    }

    #[test]
    fn junk_and_bounds() {
        assert!(parse("").is_empty());
        assert!(parse("Error: boom\nno frames here\n@\nat ").is_empty());
        let many = "at f (https://x.io/a.js:1:1)\n".repeat(1000);
        assert_eq!(parse(&many).len(), MAX_FRAMES);
        let long = format!("at {} (https://x.io/a.js:1:1)", "f".repeat(10_000));
        assert!(parse(&long)[0].function.as_ref().unwrap().chars().count() <= MAX_FRAME_FIELD_CHARS);
    }
}
