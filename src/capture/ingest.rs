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
//! Slots 7 and 8, when present, are the loader's fold of repeats in its early buffer: how many
//! times the event happened and when it last did.
//!
//! Formatting (which may run host getters) happens outside any borrow of the Context, and a
//! repeat of a recent error is counted before anything is formatted, so that storms are cheap.

use baton_core::capture::context::{Api, Captured, ErrorKind, NavKind};
use crate::capture::{dom, format, note_reentered, with_context};
use js_sys::{Array, Reflect};
use std::cell::Cell;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

/// Records one raw event the loader's sink handed over (through `part`). Never throws.
pub fn capture(raw: JsValue) {
    // A host getter or toString that logs while Baton renders a value would re-enter here:
    // drop that event instead of recursing.
    if BUSY.with(|b| b.replace(true)) {
        note_reentered();
        return;
    }
    ingest(&raw);
    BUSY.with(|b| b.set(false));
}

fn text(v: &JsValue) -> String {
    v.as_string().unwrap_or_default()
}

/// Whether a repeat of a recent error (`key`) was only counted; then nothing else is needed.
fn repeat(at: f64, kind: ErrorKind, key: &str, count: u64) -> bool {
    with_context(|c| c.bump_repeat(at, kind, key, count)).unwrap_or(true)
}

/// A thrown or rejected value that is an object but not an `Error` (`throw {code: 'E_QUOTA'}`):
/// the browser's message for it is "[object Object]", so the value itself is rendered.
fn is_plain_object(value: &JsValue) -> bool {
    value.is_object() && !value.is_instance_of::<js_sys::Error>()
}

/// Records one raw event.
pub fn ingest(raw: &JsValue) {
    let Some(event) = raw.dyn_ref::<Array>() else { return };
    let kind = text(&event.get(0));
    let at = event.get(1).as_f64().unwrap_or_else(js_sys::Date::now);
    let count = event.get(7).as_f64().filter(|n| *n >= 1.0).map_or(1, |n| n as u64);
    let last_at = event.get(8).as_f64().unwrap_or(at);
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
            let error = event.get(6);
            let thrown_object = is_plain_object(&error);
            let message = text(&event.get(2));
            if !thrown_object && repeat(last_at, ErrorKind::Uncaught, &message, count) {
                return;
            }
            let rendered = format::reason(&error);
            if thrown_object && repeat(last_at, ErrorKind::Uncaught, &rendered.message, count) {
                return;
            }
            let file = text(&event.get(3));
            let source = (!file.is_empty()).then(|| {
                let n = |i: u32| event.get(i).as_f64().unwrap_or(0.0) as u32;
                format!("{file}:{}:{}", n(4), n(5))
            });
            // Chromium prefixes "Uncaught "; other browsers do not. Group them alike. An Error
            // with a cause chain is rendered whole; a thrown object by its own fields.
            let message = if message.is_empty() || thrown_object {
                rendered.message
            } else {
                let own = message.strip_prefix("Uncaught ").unwrap_or(&message);
                let causes = rendered.message.find(format::CAUSED_BY).map_or("", |i| &rendered.message[i..]);
                format!("{own}{causes}")
            };
            Some(Captured::Error { at, kind: ErrorKind::Uncaught, message, source, stack: rendered.stack })
        }
        "rej" => {
            let reason = event.get(2);
            let key = reason.as_string().or_else(|| Reflect::get(&reason, &"message".into()).ok().and_then(|m| m.as_string()));
            if let Some(key) = &key {
                if repeat(last_at, ErrorKind::Rejection, key, count) {
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
                    if repeat(last_at, kind, &key, count) {
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
        with_context(|c| c.record_repeated(captured, count, last_at));
    }
}
