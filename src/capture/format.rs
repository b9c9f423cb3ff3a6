//! Safe rendering of whatever a host passes to `console.error`, `Promise.reject` or `throw`.
//!
//! Any JS value: strings, numbers, BigInt, Symbol, functions, Errors, DOM nodes, cyclic,
//! huge or hostile objects (throwing getters, Proxies). Rendering never throws, never calls
//! host code that could be avoided (no `toString`, no `JSON.stringify`, no getters on DOM
//! nodes beyond tag, id and class), never reads an input's value, and is bounded in depth,
//! width and length. Secret-named keys render as `[redacted]`.

use baton_core::capture::redact::is_secret_name;
use baton_core::limits::{truncate_chars, MAX_CAUSE_DEPTH, MAX_FORMAT_DEPTH, MAX_FORMAT_ITEMS, MAX_MESSAGE_CHARS};
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// A rendered error-like value: its message and, when it carries one, its stack.
pub struct Rendered {
    /// One-line (or few-line) text.
    pub message: String,
    /// The `stack` of the first Error among the values, for grouping and frames.
    pub stack: Option<String>,
}

/// Renders console arguments as the console would print them on one line, applying the
/// `%s %d %i %f %o %O %c` substitutions of a leading format string.
pub fn console_args(args: &Array) -> Rendered {
    let mut out = String::new();
    let mut stack = None;
    let mut items: Vec<JsValue> = args.iter().collect();
    if let Some(format) = items.first().and_then(|f| f.as_string()) {
        if format.contains('%') && items.len() > 1 {
            let mut rest = items.split_off(1).into_iter();
            let mut chars = format.chars().peekable();
            let mut first = String::new();
            while let Some(c) = chars.next() {
                if c == '%' {
                    match chars.peek().copied() {
                        Some(spec @ ('s' | 'd' | 'i' | 'f' | 'o' | 'O' | 'c')) => {
                            chars.next();
                            if let Some(v) = rest.next() {
                                if spec != 'c' {
                                    first.push_str(&render_top(&v, &mut stack));
                                }
                            }
                            continue;
                        }
                        Some('%') => {
                            chars.next();
                            first.push('%');
                            continue;
                        }
                        _ => {}
                    }
                }
                first.push(c);
            }
            items = std::iter::once(JsValue::from(first)).chain(rest).collect();
        }
    }
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&render_top(v, &mut stack));
        if out.len() > MAX_MESSAGE_CHARS * 4 {
            break;
        }
    }
    Rendered { message: truncate_chars(&out, MAX_MESSAGE_CHARS), stack }
}

/// Renders one thrown or rejected value.
pub fn reason(value: &JsValue) -> Rendered {
    let mut stack = None;
    let message = render_top(value, &mut stack);
    Rendered { message: truncate_chars(&message, MAX_MESSAGE_CHARS), stack }
}

/// A top-level value: strings print bare (as the console does), Errors as "Name: message".
fn render_top(value: &JsValue, stack: &mut Option<String>) -> String {
    if let Some(s) = value.as_string() {
        return truncate_chars(&s, MAX_MESSAGE_CHARS);
    }
    if let Some(error) = error_parts(value) {
        if stack.is_none() {
            *stack = error.1;
        }
        return error.0;
    }
    let mut out = String::new();
    let mut seen = Vec::new();
    render(value, 0, &mut seen, &mut out);
    out
}

/// "Name: message" and the stack of an Error, or of an object that looks like one.
fn error_parts(value: &JsValue) -> Option<(String, Option<String>)> {
    if !value.is_object() {
        return None;
    }
    let is_error = value.is_instance_of::<js_sys::Error>();
    let get = |k: &str| Reflect::get(value, &JsValue::from_str(k)).ok().and_then(|v| v.as_string());
    let message = get("message");
    if !is_error && message.is_none() {
        return None;
    }
    let stack = get("stack");
    if !is_error && stack.is_none() {
        return None;
    }
    let mut text = headline(get("name"), message);
    causes(value, &mut text);
    Some((truncate_chars(&text, MAX_MESSAGE_CHARS), stack.map(|s| truncate_chars(&s, MAX_MESSAGE_CHARS * 4))))
}

/// An Error's "Name: message" (just the name when there is no message).
fn headline(name: Option<String>, message: Option<String>) -> String {
    let name = name.unwrap_or_else(|| "Error".into());
    match message.filter(|m| !m.is_empty()) {
        Some(message) => format!("{name}: {message}"),
        None => name,
    }
}

/// What joins an Error to its cause in a rendered message.
pub const CAUSED_BY: &str = "; caused by: ";

/// Appends an Error's `cause` chain ("Error: Payment failed; caused by: TypeError: Failed to
/// fetch"), at most [`MAX_CAUSE_DEPTH`] links, stopping at a cycle.
fn causes(error: &JsValue, text: &mut String) {
    let mut seen = vec![error.clone()];
    let mut current = error.clone();
    for _ in 0..MAX_CAUSE_DEPTH {
        let Ok(cause) = Reflect::get(&current, &JsValue::from_str("cause")) else { return };
        if cause.is_undefined() || seen.iter().any(|s| *s == cause) {
            return;
        }
        text.push_str(CAUSED_BY);
        if let Some(s) = cause.as_string() {
            text.push_str(&truncate_chars(&s, 200));
        } else if cause.is_instance_of::<js_sys::Error>() {
            let get = |k: &str| Reflect::get(&cause, &JsValue::from_str(k)).ok().and_then(|v| v.as_string());
            text.push_str(&truncate_chars(&headline(get("name"), get("message")), 300));
        } else {
            let mut out = String::new();
            render(&cause, 1, &mut seen, &mut out);
            text.push_str(&out);
        }
        if text.len() > MAX_MESSAGE_CHARS {
            return;
        }
        seen.push(cause.clone());
        current = cause;
    }
}

/// JS's own number formatting ("1", "0.1", "NaN", "-Infinity"): exactly what the console
/// prints.
fn number(value: &JsValue) -> Option<String> {
    value.as_f64().map(baton_core::number::format)
}

fn render(value: &JsValue, depth: usize, seen: &mut Vec<JsValue>, out: &mut String) {
    if out.len() > MAX_MESSAGE_CHARS {
        return;
    }
    if let Some(s) = value.as_string() {
        out.push('"');
        out.push_str(&truncate_chars(&s, 200));
        out.push('"');
    } else if let Some(s) = number(value) {
        out.push_str(&s);
    } else if let Some(b) = value.as_bool() {
        out.push_str(if b { "true" } else { "false" });
    } else if value.is_null() {
        out.push_str("null");
    } else if value.is_undefined() {
        out.push_str("undefined");
    } else if value.is_bigint() {
        let text = value.clone().unchecked_into::<js_sys::BigInt>().to_string(10).ok().and_then(|s| s.as_string());
        out.push_str(&truncate_chars(&text.unwrap_or_default(), 60));
        out.push('n');
    } else if value.is_symbol() {
        let description = value.clone().unchecked_into::<js_sys::Symbol>().description().and_then(|d| d.as_string());
        out.push_str(&format!("Symbol({})", truncate_chars(&description.unwrap_or_default(), 60)));
    } else if value.is_function() {
        let name = Reflect::get(value, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
        out.push_str(&format!("[function {}]", truncate_chars(&name, 60)));
    } else if seen.iter().any(|s| s == value) {
        out.push_str("[circular]");
    } else if let Some(element) = value.dyn_ref::<web_sys::Element>() {
        out.push_str(&crate::capture::dom::describe_element(element));
    } else if value.is_instance_of::<web_sys::Node>() {
        let name = value.unchecked_ref::<web_sys::Node>().node_name();
        out.push_str(&format!("[{}]", truncate_chars(&name, 30)));
    } else if let Some((text, _)) = error_parts(value) {
        out.push_str(&text);
    } else if value.is_instance_of::<js_sys::Date>() {
        let date = value.unchecked_ref::<js_sys::Date>();
        if date.value_of().is_nan() {
            out.push_str("Invalid Date");
        } else {
            out.push_str(&String::from(date.to_iso_string()));
        }
    } else if depth >= MAX_FORMAT_DEPTH {
        out.push_str(if Array::is_array(value) { "[…]" } else { "{…}" });
    } else if Array::is_array(value) {
        let array = value.unchecked_ref::<Array>();
        seen.push(value.clone());
        out.push('[');
        let len = array.length();
        for i in 0..len.min(MAX_FORMAT_ITEMS as u32) {
            if i > 0 {
                out.push_str(", ");
            }
            render(&Reflect::get_u32(value, i).unwrap_or(JsValue::UNDEFINED), depth + 1, seen, out);
        }
        if len as usize > MAX_FORMAT_ITEMS {
            out.push_str(&format!(", …{} more", len as usize - MAX_FORMAT_ITEMS));
        }
        out.push(']');
        seen.pop();
    } else if value.is_object() {
        // Own enumerable-or-not string keys, through Reflect so that a Proxy trap that throws
        // is caught rather than unwinding through Baton.
        let keys = match Reflect::own_keys(value) {
            Ok(keys) => keys,
            Err(_) => {
                out.push_str("{[unreadable]}");
                return;
            }
        };
        seen.push(value.clone());
        let tag = js_sys::Object::get_prototype_of(value)
            .dyn_ref::<js_sys::Object>()
            .and_then(|proto| Reflect::get(proto, &"constructor".into()).ok())
            .and_then(|c| Reflect::get(&c, &"name".into()).ok())
            .and_then(|n| n.as_string())
            .filter(|n| n != "Object" && !n.is_empty());
        if let Some(tag) = &tag {
            out.push_str(&truncate_chars(tag, 40));
            out.push(' ');
        }
        out.push('{');
        let string_keys: Vec<String> = keys.iter().filter_map(|k| k.as_string()).collect();
        for (shown, key) in string_keys.iter().enumerate() {
            if shown == MAX_FORMAT_ITEMS {
                out.push_str(&format!(", …{} more", string_keys.len() - shown));
                break;
            }
            if shown > 0 {
                out.push_str(", ");
            }
            out.push_str(&truncate_chars(key, 60));
            out.push_str(": ");
            if is_secret_name(key) {
                out.push_str("[redacted]");
                continue;
            }
            match Reflect::get(value, &JsValue::from_str(key)) {
                Ok(v) => render(&v, depth + 1, seen, out),
                Err(_) => out.push_str("[throws]"),
            }
        }
        out.push('}');
        seen.pop();
    } else {
        out.push_str("[value]");
    }
}
