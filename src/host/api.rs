//! The wasm-bindgen exports the loader calls. `boot` once, then `command` for every
//! `Baton(name, ...args)` call. Nothing here throws into host code: bad calls are reported on
//! the console and ignored.

use crate::capture::part;
use crate::platform::json::from_js as json_of;
use crate::panel::events::{call_all, Event};
use crate::panel::widget::{self, with_widget};
use crate::host::mount::{self, Handoff};
use baton_core::limits::{truncate_chars, MAX_ECHO_CHARS};
use crate::platform::log;
use leptos::prelude::GetUntracked;
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

fn field(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Starts the widget in the loader's shadow root and replays the queued calls in order.
///
/// `handoff` is `{root, launcher, config, queue, teardown}`: the open `ShadowRoot` to render
/// into, the launcher button the loader drew, the script tag's `data-*` attributes as an
/// object, the array of queued `arguments` objects, and the function that removes the
/// loader's own elements and listeners on `destroy`.
#[wasm_bindgen]
pub fn boot(handoff: JsValue) -> Result<(), JsValue> {
    // Development and test builds say why the widget stopped. The release build panics with
    // `immediate-abort`: a panic traps at once, no hook ever runs, so none is installed (one
    // would link std's default hook and the formatting it needs); the trap reaches the loader,
    // which reports "[Baton] call failed".
    #[cfg(not(panic = "immediate-abort"))]
    {
        static PANIC_HOOK: std::sync::Once = std::sync::Once::new();
        PANIC_HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                log::error(&format!("internal error, the widget stopped (the page is unaffected): {info}"));
                previous(info);
            }));
        });
    }
    // The core's lowercase, numbers and JSON are the browser's from here on.
    crate::platform::install();
    let Ok(root) = field(&handoff, "root").dyn_into::<ShadowRoot>() else {
        return Err(JsValue::from_str("[Baton] boot: `root` must be a ShadowRoot"));
    };
    let handoff_parts = Handoff {
        root,
        launcher: field(&handoff, "launcher").dyn_into::<HtmlElement>().ok(),
        attributes: json_of(&field(&handoff, "config"), "the script tag's data-* attributes"),
        teardown: field(&handoff, "teardown").dyn_into::<Function>().ok(),
        paint: field(&handoff, "paint").dyn_into::<Function>().ok(),
    };
    if !mount::mount(handoff_parts) {
        log::warn("boot called while a widget is mounted; the existing widget is kept");
        return Ok(());
    }
    // Capture starts before the queue replays, so that queued identify/context calls land.
    let early = field(&handoff, "events").dyn_into::<Array>().ok();
    let mut early_dropped = baton_core::capture::context::EarlyDropped::default();
    if let Ok(by_kind) = field(&handoff, "dropped").dyn_into::<js_sys::Object>() {
        for entry in js_sys::Object::entries(&by_kind).iter() {
            let pair = Array::from(&entry);
            let n = pair.get(1).as_f64().unwrap_or(0.0).max(0.0) as u64;
            early_dropped.add(&pair.get(0).as_string().unwrap_or_default(), n);
        }
    }
    crate::platform::fetch::register_own(field(&handoff, "own").dyn_into::<Function>().ok());
    // Held until the capture part is there (fetched now, beside the KB), then handed over.
    part::begin(early, early_dropped);
    if let Ok(queue) = field(&handoff, "queue").dyn_into::<Array>() {
        // Calls queued while this replay runs (a listener calling Baton) land at the end of
        // the same array and are replayed too, in order.
        let mut i = 0;
        while i < queue.length() {
            command(Array::from(&queue.get(i)));
            i += 1;
        }
        queue.set_length(0);
    }
    // One repaint for the whole queue (each queued init would otherwise repaint on its own).
    mount::repaint();
    // Handoffs saved by an earlier page (offline, closed tab) go out now, and whenever the
    // browser comes back online — when a lazily loaded part that failed offline is fetched too.
    if let Some(ui) = with_widget(|w| w.ui) {
        crate::panel::escalate::flush_soon(ui);
        widget::watch_online(move || {
            crate::panel::escalate::flush_soon(ui);
            crate::panel::preload_parts_again();
            part::load_soon();
        });
    }
    with_widget(|w| w.ready = true);
    // `ready` once the capture part is there too: from then on every call is answered at once.
    part::on_ready(|| {
        let announce = with_widget(|w| !std::mem::replace(&mut w.announced, true)).unwrap_or(false);
        if announce {
            widget::emit(Event::Ready, &ready_payload());
        }
        // An open panel's suggestions count what the page showed before the part was there.
        widget::refresh_page_context();
        // The customer's conversations: a stored session or an identity token connects now (and a
        // reply email's link opens its conversation).
        if let Some(ui) = with_widget(|w| w.ui) {
            crate::panel::conversations::connect(ui, false);
        }
    });
    Ok(())
}

fn ready_payload() -> JsValue {
    crate::panel::events::payload(&[("version", crate::VERSION.into())])
}

/// Runs one `Baton(name, ...args)` call; `args` is the call's arguments as an array.
/// Returns `undefined`, except `snapshot`, which also returns the snapshot.
#[wasm_bindgen]
pub fn command(args: Array) -> JsValue {
    let name = args.get(0).as_string();
    match name.as_deref() {
        Some("identify" | "context") => {
            let identify = name.as_deref() == Some("identify");
            part::command(args);
            if identify {
                // A new identity token opens its own session (once capture holds it).
                if let Some(ui) = with_widget(|w| w.ui) {
                    part::on_ready(move || crate::panel::conversations::connect(ui, false));
                }
            }
        }
        Some("reset") => {
            part::command(args);
            if let Some(ui) = with_widget(|w| w.ui) {
                crate::panel::conversations::reset(ui);
            }
        }
        Some("consent") => {
            let given = args.get(1).as_bool().unwrap_or(false);
            crate::conversation::set_consent(given);
            if let Some(ui) = with_widget(|w| w.ui) {
                if given {
                    crate::panel::conversations::connect(ui, false);
                } else {
                    crate::panel::conversations::reset(ui);
                }
            }
        }
        Some("unread") => {
            // Answered like a listener of the `unread` event: a callback that throws is reported.
            let Some(ui) = with_widget(|w| w.ui) else { return JsValue::UNDEFINED };
            let count = crate::panel::conversations::unread_now(ui);
            if let Ok(callback) = args.get(1).dyn_into::<Function>() {
                call_all(Event::Unread, &[callback], &count);
            }
            return count;
        }
        Some("snapshot") => {
            let app_version = with_widget(|w| w.ui.config.get_untracked().app_version).flatten();
            return part::snapshot(args.get(1), app_version);
        }
        Some("escalate") => {
            let description = match json_of(&args.get(1), "escalate options") {
                serde_json::Value::Object(o) => o.get("description").and_then(|d| d.as_str()).unwrap_or_default().to_string(),
                _ => String::new(),
            };
            widget::escalate(&description);
        }
        Some("init") => mount::apply_config(&json_of(&args.get(1), "init config")),
        Some("theme") => mount::apply_config(&serde_json::json!({ "theme": json_of(&args.get(1), "theme") })),
        Some("open") => widget::set_open(true),
        Some("close") => widget::set_open(false),
        Some("toggle") => widget::toggle(),
        Some("on") => on(&args.get(1), args.get(2)),
        Some("off") => off(&args.get(1), args.get(2)),
        Some("destroy") => mount::destroy(),
        Some(other) => log::warn(&format!(
            "unknown command \"{}\"; see README, JS API",
            truncate_chars(other, MAX_ECHO_CHARS)
        )),
        None => log::warn("Baton(...) needs a command name (a string) as its first argument"),
    }
    JsValue::UNDEFINED
}

fn event_of(name: &JsValue) -> Option<Event> {
    let parsed = name.as_string().ok_or_else(|| "event name must be a string".to_string());
    match parsed.and_then(|n| Event::parse(&n)) {
        Ok(event) => Some(event),
        Err(problem) => {
            log::warn(&problem);
            None
        }
    }
}

fn on(name: &JsValue, callback: JsValue) {
    let Some(event) = event_of(name) else { return };
    let Ok(callback) = callback.dyn_into::<Function>() else {
        log::warn(&format!("on(\"{}\", callback): callback must be a function", event.name()));
        return;
    };
    let added = with_widget(|w| (w.listeners.add(event, callback.clone()), w.announced));
    // `ready` has already happened for a listener added late: call it now, as a promise would.
    if let Some((true, true)) = added {
        if event == Event::Ready {
            call_all(event, &[callback], &ready_payload());
        }
    }
}

fn off(name: &JsValue, callback: JsValue) {
    let Some(event) = event_of(name) else { return };
    let callback = callback.dyn_into::<Function>().ok();
    with_widget(|w| w.listeners.remove(event, callback.as_ref()));
}
