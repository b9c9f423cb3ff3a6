//! The capture part: capture's processing — rendering what a host logs or throws, redaction,
//! grouping, DOM hints, the snapshot — is a lazily loaded part (`split_capture.wasm`),
//! fetched as soon as the widget boots, beside the KB, so that the first open does not
//! wait for it. This file is its one way in, and the gate in front of it:
//!
//! - until the part is there, what arrives for capture — the loader's early events and every
//!   raw event after them, `identify` / `context` / `reset` / `snapshot` calls, the journey's
//!   searches, articles, feedback and flows — is held here in arrival order, bounded like the
//!   loader's own early buffer (each class of event has its room, repeats fold into one, what
//!   does not fit is counted in `dropped.early`), and handed over in that order once it loads;
//! - once it is there, each call goes straight through, synchronously: the part's entry point
//!   completes on its first poll when its module is loaded, so `snapshot` still returns its
//!   value and an event is recorded before the loader's hook returns.
//!
//! The widget's `ready` event waits for the part (`on_ready`): from `ready` on, every call is
//! answered at once, as README's JS API says. A part that cannot be fetched keeps what it holds
//! and is fetched again when the panel opens, when the browser comes back online, and before the
//! handoff form shows (a bundle is built from the whole Context).

use baton_core::answers::rank::PageContext;
use baton_core::capture::context::{EarlyDropped, FlowRecord, Offered, SearchOutcome};
use baton_core::capture::early;
use crate::capture::dom;
use crate::platform::lazy::NotLoaded;
use baton_core::limits::truncate_chars;
use js_sys::{Array, Reflect};
use std::cell::RefCell;
use std::future::Future;
use wasm_bindgen::prelude::*;

/// One thing for capture to do, in the order it arrived.
pub enum Op {
    /// Starts capture with the loader's early events and what its buffer had no room for.
    Start(Option<Array>, EarlyDropped),
    /// A raw loader event (`capture::ingest`).
    Event(JsValue),
    /// `identify`, `context` or `reset`: the call's arguments, name first.
    Command(Array),
    /// `snapshot`: its callback (or `undefined`) and the host's app version.
    Snapshot(JsValue, Option<String>),
    /// A search in the journey: when, the query, what it showed and the articles listed.
    Search(f64, String, SearchOutcome, Vec<Offered>),
    /// An article read: when, its id and title.
    Article(f64, String, String),
    /// Feedback on an article: its id, and whether it helped.
    Feedback(String, bool),
    /// A guided flow's outcome.
    Flow(FlowRecord),
    /// A batch of the alert watch's mutation records (`dom::alerts_in`).
    Mutations(Array),
    /// What ranking needs of the page (`capture::page_context`).
    PageContext,
    /// Stops capture and forgets everything (`destroy`).
    Stop,
}

/// What an [`Op`] gives back.
pub enum Reply {
    /// Nothing to give.
    Nothing,
    /// A snapshot.
    Value(JsValue),
    /// The page context.
    Page(PageContext),
}

crate::platform::lazy::lazy_part!(capture, preload = preload_capture,
    /// Runs one op (in the `capture` part).
    fn run_part(op: Op) -> Reply {
        Ok(crate::capture::run(op))
    }
);

/// Most `identify` / `context` / `reset` / `snapshot` calls and journey entries held: more is a
/// host calling in a loop before the part could load.
const MAX_HELD_CALLS: usize = 500;
/// Most batches of mutation records held: alerts still on screen are read again from the DOM
/// when the part is there (`refresh`); these are for toasts that came and went meanwhile.
const MAX_HELD_MUTATIONS: usize = 50;
#[derive(Default)]
struct Gate {
    /// Whether the part is loaded and what it held was handed over.
    open: bool,
    /// Whether capture was started (`begin`); nothing is held before.
    begun: bool,
    /// The loader's early events, the first thing handed over.
    early: Option<Array>,
    dropped: EarlyDropped,
    held: Vec<Op>,
    used: [usize; 4],
    calls: usize,
    /// Batches of mutation records held (at most `MAX_HELD_MUTATIONS`).
    mutations: usize,
    /// The alert watch, from `begin` to `stop`.
    alerts: Option<dom::AlertWatch>,
    /// Raw events held, by fold key: a repeat counts into the first one. (A list: a few
    /// hundred at most, and a map type of its own would add its code to the first module.)
    folds: Vec<(String, Array)>,
    /// Run once the part is there (`ready`).
    on_ready: Vec<Box<dyn FnOnce()>>,
    /// Whether the failure to load was said on the console (once until it loads).
    said: bool,
}

thread_local! {
    static GATE: RefCell<Gate> = RefCell::new(Gate::default());
}

/// Polls `future` once: the part's entry point is ready at once when its module is loaded.
fn poll_now<F: Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(out) => Some(out),
        std::task::Poll::Pending => None,
    }
}

fn is_open() -> bool {
    GATE.with(|g| g.borrow().open)
}

/// Runs `op` in the part, which must be there (`is_open`): its reply.
fn run_now(op: Op) -> Option<Reply> {
    poll_now(run_part(op)).and_then(Result::ok)
}

/// Runs `op` now when the part is there (its reply), else holds it (`None`).
fn run_or_hold(op: Op) -> Option<Reply> {
    if is_open() {
        return run_now(op);
    }
    GATE.with(|g| {
        let mut g = g.borrow_mut();
        if !g.begun {
            return;
        }
        if matches!(op, Op::Mutations(_)) {
            if g.mutations < MAX_HELD_MUTATIONS {
                g.mutations += 1;
                g.held.push(op);
            }
            return;
        }
        if g.calls >= MAX_HELD_CALLS {
            if g.calls == MAX_HELD_CALLS {
                crate::platform::log::warn(&format!("more than {MAX_HELD_CALLS} calls before the widget's capture part loaded; later ones are dropped"));
                g.calls += 1;
            }
            return;
        }
        g.calls += 1;
        g.held.push(op);
    });
    None
}

/// Starts capture: the loader's early events and what it had no room for go first, then what
/// arrives later, once the part is there. Fetches the part.
pub fn begin(early: Option<Array>, dropped: EarlyDropped) {
    GATE.with(|g| {
        let mut g = g.borrow_mut();
        // Started again after `destroy`, the part is loaded: `load_soon` hands over at once.
        let on_ready = std::mem::take(&mut g.on_ready);
        *g = Gate { begun: true, early, dropped, on_ready, ..Gate::default() };
    });
    // Made here, not in the part: wasm-bindgen reads a closure type's description from the
    // first module. Its records are the part's to read.
    let callback = Closure::<dyn FnMut(Array)>::new(|records: Array| {
        run_or_hold(Op::Mutations(records));
    });
    let watch = dom::AlertWatch::start(callback);
    GATE.with(|g| g.borrow_mut().alerts = watch);
    load_soon();
}

/// Fetches the part, if it is not there, and hands over what was held (no-op when open).
pub fn load_soon() {
    if is_open() || !GATE.with(|g| g.borrow().begun) {
        return;
    }
    leptos::task::spawn_local(async {
        let _ = ready().await;
    });
}

/// Waits for the part and for what was held to be handed over. `Err` when it could not be
/// fetched (said once on the console; what is held stays held).
pub async fn ready() -> Result<(), NotLoaded> {
    if is_open() {
        return Ok(());
    }
    if preload_capture().await.is_err() {
        let say = GATE.with(|g| !std::mem::replace(&mut g.borrow_mut().said, true));
        if say {
            crate::platform::log::warn("the widget's part that records page events could not be loaded; what it has seen is kept and recorded once it loads (when the panel opens or the browser is back online)");
        }
        return Err(NotLoaded);
    }
    hand_over();
    Ok(())
}

/// Marks the part open and hands it, in order, what was held; then runs the `on_ready` hooks.
fn hand_over() {
    let taken = GATE.with(|g| {
        let mut g = g.borrow_mut();
        if g.open || !g.begun {
            return None;
        }
        g.open = true;
        g.folds.clear();
        let start = Op::Start(g.early.take(), std::mem::take(&mut g.dropped));
        Some((start, std::mem::take(&mut g.held), std::mem::take(&mut g.on_ready)))
    });
    let Some((start, held, hooks)) = taken else { return };
    // No borrow is held while capture runs: a host getter may call Baton re-entrantly.
    for op in std::iter::once(start).chain(held) {
        run_now(op);
    }
    for hook in hooks {
        hook();
    }
}

/// Runs `hook` once the part is there and what it held was handed over (at once if it is).
pub fn on_ready(hook: impl FnOnce() + 'static) {
    if is_open() {
        hook();
    } else {
        GATE.with(|g| g.borrow_mut().on_ready.push(Box::new(hook)));
    }
}

/// The loader's sink once the widget is loaded: one raw event at a time. Never throws.
#[wasm_bindgen]
pub fn capture(raw: JsValue) {
    if is_open() {
        run_now(Op::Event(raw));
    } else {
        hold_event(raw);
    }
}

/// The loader's fold key of a raw event: its kind and data, an `Error` by its stack; none for
/// user actions or data holding other objects, which cannot be compared unformatted.
fn fold_key(kind: &str, event: &Array) -> Option<String> {
    let data = if kind == "con" {
        let parts = Array::of1(&event.get(2));
        if let Ok(args) = event.get(3).dyn_into::<Array>() {
            parts.concat(&args)
        } else {
            parts
        }
    } else {
        event.slice(2, 7)
    };
    let mut key = String::from(kind);
    for value in data.iter() {
        let value = match value.dyn_ref::<js_sys::Error>() {
            Some(error) => Reflect::get(error, &"stack".into()).ok().filter(|s| s.is_string()).unwrap_or_else(|| error.message().into()),
            None => value,
        };
        if value.is_object() || value.is_function() || value.is_symbol() {
            return None;
        }
        key.push('\n');
        // `String(value)` for the primitives left (join would read undefined as "").
        key.push_str(&String::from(Array::of1(&value).join("")));
    }
    Some(truncate_chars(&key, early::MAX_FOLD_KEY_CHARS))
}

/// Holds one raw event while the part is not there: a repeat folds into the first one
/// (`[7]` = count, `[8]` = last time, as the loader's early buffer does), each class has its
/// room, and when user actions fill theirs the oldest click makes room.
fn hold_event(raw: JsValue) {
    let Ok(event) = raw.dyn_into::<Array>() else { return };
    let kind = event.get(0).as_string().unwrap_or_default();
    let Some(class) = early::class_of(&kind) else { return };
    let key = if class < 3 { fold_key(&kind, &event) } else { None };
    GATE.with(|g| {
        let mut g = g.borrow_mut();
        if !g.begun {
            return;
        }
        if let Some((_, first)) = key.as_ref().and_then(|k| g.folds.iter().find(|(held, _)| held == k)) {
            let count = first.get(7).as_f64().unwrap_or(1.0) + 1.0;
            first.set(7, count.into());
            first.set(8, event.get(1));
            return;
        }
        if g.used[class] >= early::ROOMS[class] {
            let oldest_click = g.held.iter().position(|op| matches!(op, Op::Event(e) if Array::from(e).get(0).as_string().as_deref() == Some("click")));
            match oldest_click {
                Some(i) if class == 3 => {
                    g.held.remove(i);
                    g.used[class] -= 1;
                    g.dropped.add("click", 1);
                }
                _ => {
                    g.dropped.add(&kind, 1);
                    return;
                }
            }
        }
        g.used[class] += 1;
        if let Some(key) = key {
            g.folds.push((key, event.clone()));
        }
        g.held.push(Op::Event(event.into()));
    });
}

/// Runs `identify`, `context` or `reset` (`args`: the call's arguments, name first).
pub fn command(args: Array) {
    run_or_hold(Op::Command(args));
}

/// Runs `snapshot`: the snapshot is handed to `callback` (when it is a function) and returned
/// when the part is there; else it is taken, and the callback called, once the part loads, and
/// `null` is returned.
pub fn snapshot(callback: JsValue, app_version: Option<String>) -> JsValue {
    match run_or_hold(Op::Snapshot(callback, app_version)) {
        Some(Reply::Value(value)) => value,
        _ => JsValue::NULL,
    }
}

/// Keeps an entry of the journey (a search, an article read, feedback, a flow).
pub fn record(op: Op) {
    run_or_hold(op);
}

/// What ranking needs of the page; nothing (no route, no errors) until the part is there.
pub fn page_context() -> PageContext {
    match poll_if_open(Op::PageContext) {
        Some(Reply::Page(page)) => page,
        _ => PageContext::default(),
    }
}

fn poll_if_open(op: Op) -> Option<Reply> {
    if is_open() {
        run_now(op)
    } else {
        None
    }
}

/// Whether anything is held for capture (a started gate, events, calls, the alert watch). Whether
/// the part is loaded is the page's, not the widget's: it stays.
pub fn holds_state() -> bool {
    GATE.with(|g| {
        let g = g.borrow();
        g.begun || g.early.is_some() || !g.held.is_empty() || g.alerts.is_some() || !g.folds.is_empty() || !g.on_ready.is_empty() || g.calls > 0
    }) || crate::capture::holds_state()
}

/// Stops capture and forgets everything, held or recorded (`destroy`).
pub fn stop() {
    poll_if_open(Op::Stop);
    // Taken out first: the alert watch disconnects as it drops, outside the borrow.
    let gate = GATE.with(|g| {
        let mut g = g.borrow_mut();
        let open = g.open;
        std::mem::replace(&mut *g, Gate { open, ..Gate::default() })
    });
    drop(gate);
}
