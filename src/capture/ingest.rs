//! Raw loader events → [`Captured`] values in the Context.
//!
//! A raw event is the array `[kind, Date.now(), ...data]` the loader's hooks build:
//!
//! | kind | data |
//! |---|---|
//! | `nav` | via (`load` `push` `replace` `pop` `hash`), href, title |
//! | `err` | message, filename, line, column, error value |
//! | `rej` | rejection reason |
//! | `con` | level (`error` `warn`), arguments array |
//! | `res` | tag name, URL |
//! | `req` | api (`fetch` `xhr`), method, URL, status (0 = network error), duration ms |
//! | `click` | event target |
//!
//! Formatting (which may run host getters) happens outside any borrow of the Context, and a
//! repeat of a recent error is counted before anything is formatted, so that storms are cheap.

use crate::capture::context::{Api, Captured, ErrorKind, NavKind};
use crate::capture::{dom, format, with_context};
use js_sys::{Array, Reflect};
use std::cell::Cell;
use wasm_bindgen::prelude::*;

thread_local! {
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

/// The loader's sink once the widget is loaded: one raw event at a time. Never throws.
#[wasm_bindgen]
pub fn capture(raw: JsValue) {
    // A host getter or toString that logs while Baton renders a value would re-enter here:
    // drop that event instead of recursing.
    if BUSY.with(|b| b.replace(true)) {
        with_context(|c| c.dropped.reentered += 1);
        return;
    }
    ingest(&raw);
    BUSY.with(|b| b.set(false));
}

fn text(v: &JsValue) -> String {
    v.as_string().unwrap_or_default()
}

/// Records one raw event.
pub fn ingest(raw: &JsValue) {
    let Some(event) = raw.dyn_ref::<Array>() else { return };
    let kind = text(&event.get(0));
    let at = event.get(1).as_f64().unwrap_or_else(js_sys::Date::now);
    let captured = match kind.as_str() {
        "nav" => {
            let via = match text(&event.get(2)).as_str() {
                "push" => NavKind::Push,
                "replace" => NavKind::Replace,
                "pop" => NavKind::Pop,
                "hash" => NavKind::Hash,
                _ => NavKind::Load,
            };
            Some(Captured::Navigation { at, via, url: text(&event.get(3)), title: text(&event.get(4)) })
        }
        "err" => {
            let message = text(&event.get(2));
            if with_context(|c| c.bump_repeat(at, ErrorKind::Uncaught, &message)).unwrap_or(true) {
                return;
            }
            let error = event.get(6);
            let rendered = format::reason(&error);
            let file = text(&event.get(3));
            let source = (!file.is_empty()).then(|| {
                let n = |i: u32| event.get(i).as_f64().unwrap_or(0.0) as u32;
                format!("{file}:{}:{}", n(4), n(5))
            });
            // Chromium prefixes "Uncaught "; other browsers do not. Group them alike.
            let message = if message.is_empty() { rendered.message } else { message.strip_prefix("Uncaught ").unwrap_or(&message).to_string() };
            Some(Captured::Error { at, kind: ErrorKind::Uncaught, message, source, stack: rendered.stack })
        }
        "rej" => {
            let reason = event.get(2);
            let key = reason.as_string().or_else(|| Reflect::get(&reason, &"message".into()).ok().and_then(|m| m.as_string()));
            if let Some(key) = &key {
                if with_context(|c| c.bump_repeat(at, ErrorKind::Rejection, key)).unwrap_or(true) {
                    return;
                }
            }
            let rendered = format::reason(&reason);
            Some(Captured::Error { at, kind: ErrorKind::Rejection, message: rendered.message, source: None, stack: rendered.stack })
        }
        "con" => {
            let kind = if text(&event.get(2)) == "warn" { ErrorKind::ConsoleWarn } else { ErrorKind::ConsoleError };
            let args: Array = event.get(3).dyn_into().unwrap_or_default();
            // Only a plain string message is a safe repeat key without rendering.
            if args.length() == 1 {
                if let Some(key) = args.get(0).as_string() {
                    if with_context(|c| c.bump_repeat(at, kind, &key)).unwrap_or(true) {
                        return;
                    }
                }
            }
            let rendered = format::console_args(&args);
            Some(Captured::Error { at, kind, message: rendered.message, source: None, stack: rendered.stack })
        }
        "res" => {
            let url = text(&event.get(3));
            let tag = text(&event.get(2)).to_ascii_lowercase();
            Some(Captured::Error { at, kind: ErrorKind::Resource, message: format!("<{tag}> {url}"), source: Some(url), stack: None })
        }
        "req" => {
            let duration_ms = event.get(6).as_f64().unwrap_or(0.0).max(0.0);
            Some(Captured::Request {
                at: at - duration_ms,
                api: if text(&event.get(2)) == "xhr" { Api::Xhr } else { Api::Fetch },
                method: text(&event.get(3)),
                url: text(&event.get(4)),
                status: event.get(5).as_f64().unwrap_or(0.0).clamp(0.0, 999.0) as u16,
                duration_ms,
            })
        }
        "click" => dom::click(at, &event.get(2)),
        _ => None,
    };
    if let Some(captured) = captured {
        with_context(|c| c.record(captured));
    }
}
