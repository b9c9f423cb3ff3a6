//! Reading settings out of JSON values, with the messages a host reads when one is wrong: shared
//! by the widget's config and its theme, so that every key words its problems alike.

use crate::limits::{truncate_chars, MAX_ECHO_CHARS};
use serde_json::Value;

/// How a value that has the wrong type is named in a message ("got a number").
pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A non-empty string, trimmed and cut to `max` characters.
pub fn text(value: &Value, max: usize) -> Result<String, String> {
    match value {
        Value::String(s) if s.trim().is_empty() => Err("must not be empty".into()),
        Value::String(s) => Ok(truncate_chars(s.trim(), max)),
        other => Err(format!("must be a string, got {}", describe(other))),
    }
}

/// One of `options`, by name (ASCII case ignored); the message lists the names.
pub fn choice<T: Copy>(value: &Value, options: &[(&str, T)]) -> Result<T, String> {
    let names = || options.iter().map(|(n, _)| format!("\"{n}\"")).collect::<Vec<_>>().join(" or ");
    match value {
        Value::String(s) => options
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(s.trim()))
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                format!("must be {}, got \"{}\"", names(), truncate_chars(s, MAX_ECHO_CHARS))
            }),
        other => Err(format!("must be {}, got {}", names(), describe(other))),
    }
}
