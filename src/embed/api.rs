//! The wasm-bindgen exports the loader calls. `boot` once, then `command` for every
//! `Baton(name, ...args)` call. Nothing here throws into host code: bad calls are reported on
//! the console and ignored.

use crate::capture::{self, context::Identity, with_context};
use crate::embed::events::{call_all, Event};
use crate::embed::mount::{self, with_widget, Handoff};
use crate::limits::{truncate_chars, MAX_ECHO_CHARS};
use crate::log;
use leptos::prelude::GetUntracked;
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

fn field(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads a host-supplied JS value as JSON. Values JSON cannot hold (functions, symbols,
/// BigInt) are reported and read as `null`, which every consumer treats as "nothing given".
fn json_of(value: &JsValue, what: &str) -> serde_json::Value {
    if value.is_undefined() {
        return serde_json::Value::Null;
    }
    serde_wasm_bindgen::from_value(value.clone()).unwrap_or_else(|e| {
        log::warn(&format!("{what} could not be read ({e}); ignored"));
        serde_json::Value::Null
    })
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
    let mut early_dropped = capture::context::EarlyDropped::default();
    if let Ok(by_kind) = field(&handoff, "dropped").dyn_into::<js_sys::Object>() {
        for entry in js_sys::Object::entries(&by_kind).iter() {
            let pair = Array::from(&entry);
            let n = pair.get(1).as_f64().unwrap_or(0.0).max(0.0) as u64;
            early_dropped.add(&pair.get(0).as_string().unwrap_or_default(), n);
        }
    }
    crate::embed::fetch::register_own(field(&handoff, "own").dyn_into::<Function>().ok());
    capture::start(early, early_dropped);
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
        crate::ui::escalate::flush_soon(ui);
        mount::watch_online(move || {
            crate::ui::escalate::flush_soon(ui);
            crate::ui::preload_parts_again();
        });
    }
    let became_ready = with_widget(|w| !std::mem::replace(&mut w.ready, true)).unwrap_or(false);
    if became_ready {
        mount::emit(Event::Ready, &ready_payload());
    }
    Ok(())
}

fn ready_payload() -> JsValue {
    crate::embed::events::payload(&[("version", crate::VERSION.into())])
}

/// Runs one `Baton(name, ...args)` call; `args` is the call's arguments as an array.
/// Returns `undefined`, except `snapshot`, which also returns the snapshot.
#[wasm_bindgen]
pub fn command(args: Array) -> JsValue {
    let name = args.get(0).as_string();
    match name.as_deref() {
        Some("identify") => identify(&args.get(1)),
        Some("context") => match json_of(&args.get(1), "context attributes") {
            serde_json::Value::Object(attrs) => {
                for problem in with_context(|c| c.merge_custom(&attrs)).unwrap_or_default() {
                    log::warn(&format!("context {problem}; ignored"));
                }
            }
            _ => log::warn("context({...}) needs an object of attributes"),
        },
        Some("reset") => {
            with_context(|c| c.reset());
        }
        Some("snapshot") => return snapshot(args.get(1)),
        Some("escalate") => {
            let description = match json_of(&args.get(1), "escalate options") {
                serde_json::Value::Object(o) => o.get("description").and_then(|d| d.as_str()).unwrap_or_default().to_string(),
                _ => String::new(),
            };
            mount::escalate(&description);
        }
        Some("init") => mount::apply_config(&json_of(&args.get(1), "init config")),
        Some("theme") => mount::apply_config(&serde_json::json!({ "theme": json_of(&args.get(1), "theme") })),
        Some("open") => mount::set_open(true),
        Some("close") => mount::set_open(false),
        Some("toggle") => mount::toggle(),
        Some("on") => on(&args.get(1), args.get(2)),
        Some("off") => off(&args.get(1), args.get(2)),
        Some("destroy") => {
            capture::stop();
            mount::destroy();
        }
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
    let added = with_widget(|w| (w.listeners.add(event, callback.clone()), w.ready));
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

fn identify(value: &JsValue) {
    let serde_json::Value::Object(fields) = json_of(value, "identify") else {
        log::warn("identify({id, email, name, account, signature}) needs an object");
        return;
    };
    let get = |key: &str| match fields.get(key) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(crate::number::format_json(n)),
        Some(serde_json::Value::Null) | None => None,
        Some(_) => {
            log::warn(&format!("identify: `{key}` must be a string or a number; ignored"));
            None
        }
    };
    let identity = Identity { id: get("id"), email: get("email"), name: get("name"), account: get("account"), signature: get("signature") };
    with_context(|c| c.identify(identity));
}

/// The current redacted Context as a plain JS object, handed to `callback` when one is given.
fn snapshot(callback: JsValue) -> JsValue {
    let app_version = with_widget(|w| w.ui.config.get_untracked().app_version).flatten();
    capture::refresh(app_version);
    let value = with_context(|c| crate::embed::to_js(&*c)).unwrap_or(JsValue::NULL);
    if let Some(callback) = callback.dyn_ref::<Function>() {
        if callback.call1(&JsValue::NULL, &value).is_err() {
            log::error("the snapshot callback threw");
        }
    } else if !callback.is_undefined() {
        log::warn("snapshot(callback): callback must be a function");
    }
    value
}
