//! Capture: Baton's eyes on the host page.
//!
//! The loader (`widget/loader.js`) owns the hooks — console, history, fetch, XHR, error,
//! rejection, navigation and click listeners — because they must be in place from its first
//! line, before the wasm exists, and because only a JS wrapper can pass the host's `this`,
//! arguments, return value and exceptions through untouched. It hands raw events over
//! (buffered until the widget loads, then one by one); this module gives them meaning:
//!
//! - [`ingest`]: raw loader events → [`baton_core::capture::context::Captured`] values;
//! - [`format`]: safe rendering of any JS value a host logs or throws;
//! - [`dom`]: DOM hints, click targets, and the alert watch (a `MutationObserver` guard);
//! - [`environment`]: browser, device and locale;
//! - [`host`]: what the host tells capture (`identify`, `context`, `reset`) and `snapshot`;
//! - the Context itself, redaction, stacks and the user agent are the core's
//!   ([`baton_core::capture`]): target-independent, natively tested.
//!
//! All of it but the Context's data is the lazily loaded `capture` part: [`part`] is the one
//! way in from the rest of the widget, and holds what arrives before the part does.
//!
//! The [`Context`] lives here, in one place; only capture writes it.

pub mod dom;
pub mod environment;
pub mod format;
pub mod host;
pub mod ingest;
pub mod part;

use baton_core::capture::context::{self, Context};
use std::cell::{Cell, RefCell};

struct Capture {
    context: Context,
}

thread_local! {
    static CAPTURE: RefCell<Option<Capture>> = const { RefCell::new(None) };
    /// Events that arrived while Baton was busy with another one (a host getter or toString
    /// that logs while Baton renders a value): dropped rather than recursing. Kept outside the
    /// Context because the Context may be the very thing that is busy; `refresh` copies it into
    /// `dropped.reentered`, the one place it is reported.
    static REENTERED: Cell<u64> = const { Cell::new(0) };
}

/// Counts one event dropped because it arrived while Baton was handling another.
pub(crate) fn note_reentered() {
    REENTERED.with(|n| n.set(n.get().saturating_add(1)));
}

/// Runs `f` on the Context. `None` before `start`, after `stop`, or when called re-entrantly.
pub fn with_context<R>(f: impl FnOnce(&mut Context) -> R) -> Option<R> {
    CAPTURE.with(|c| match c.try_borrow_mut() {
        Ok(mut guard) => guard.as_mut().map(|cap| f(&mut cap.context)),
        Err(_) => {
            note_reentered();
            None
        }
    })
}

/// Starts capture: a fresh Context, then the loader's early events (the alert watch is
/// `part`'s). `early_dropped` is what the early buffer had no room for, by kind.
fn start(early: Option<js_sys::Array>, early_dropped: context::EarlyDropped) {
    // The environment is read when a snapshot or a bundle needs it (`refresh`), not here: its
    // time zone comes from `Intl`, whose first use costs ~25 ms, on the path to the first open.
    let mut context = Context::default();
    context.dropped.early = early_dropped;
    REENTERED.with(|n| n.set(0));
    CAPTURE.with(|c| *c.borrow_mut() = Some(Capture { context }));
    if let Some(events) = early {
        for event in events.iter() {
            ingest::ingest(&event);
        }
    }
}

/// Runs one [`part::Op`] (in the `capture` part: everything it calls is the part's code).
pub(crate) fn run(op: part::Op) -> part::Reply {
    use part::{Op, Reply};
    match op {
        Op::Start(early, dropped) => start(early, dropped),
        Op::Event(raw) => ingest::capture(raw),
        Op::Command(args) => host::command(&args),
        Op::Snapshot(callback, app_version) => return Reply::Value(host::snapshot(callback, app_version)),
        Op::Search(at, query, outcome, offered) => {
            with_context(|c| c.record_search(at, &query, outcome, offered));
        }
        Op::Article(at, id, title) => {
            with_context(|c| c.record_article(at, &id, &title));
        }
        Op::Feedback(id, helpful) => {
            with_context(|c| c.record_feedback(&id, helpful));
        }
        Op::Flow(record) => {
            with_context(|c| c.record_flow(record));
        }
        Op::Mutations(records) => dom::alerts_in(&records, |alert| {
            with_context(|c| c.record(alert));
        }),
        Op::PageContext => return Reply::Page(page_context()),
        Op::Stop => stop(),
    }
    Reply::Nothing
}

/// Stops capture and forgets everything (on `destroy`).
fn stop() {
    // Take it out first: dropping the alert watch must not happen inside the borrow.
    let taken = CAPTURE.with(|c| c.borrow_mut().take());
    drop(taken);
    REENTERED.with(|n| n.set(0));
}

/// Whether a Context (or a count of re-entered events) is still held.
pub fn holds_state() -> bool {
    CAPTURE.with(|c| c.try_borrow().map_or(true, |c| c.is_some())) || REENTERED.with(Cell::get) != 0
}

/// Brings what is read on demand up to date: DOM hints, the current URL and title (a router
/// that bypassed `history` is still noticed here), and the environment.
pub fn refresh(app_version: Option<String>) {
    refresh_page();
    let mut env = environment::read();
    env.app_version = app_version.or_else(|| with_context(|c| c.environment.app_version.clone()).flatten());
    with_context(move |c| c.environment = env);
}

/// The page part of [`refresh`]: DOM hints and the current URL, which opening the panel needs.
fn refresh_page() {
    let hints = dom::hints();
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let now = js_sys::Date::now();
    with_context(move |c| {
        c.observe_url(now, &href, &hints.title);
        c.set_dom(hints);
        c.dropped.reentered = REENTERED.with(|n| n.get());
    });
}

/// What ranking needs of the page: the current path, and the error and alert texts seen,
/// newest first. Refreshes the DOM hints first, so that an alert on screen counts.
fn page_context() -> baton_core::answers::rank::PageContext {
    refresh_page();
    with_context(|c| {
        let mut errors: Vec<(f64, String)> = c.errors.iter().map(|g| (g.last_at, g.message.clone())).collect();
        errors.extend(c.alerts_seen.iter().map(|a| (a.at, a.text.clone())));
        baton_core::sort::by(&mut errors, |a, b| b.0.total_cmp(&a.0));
        let mut texts: Vec<String> = c.dom.alerts.clone();
        texts.extend(errors.into_iter().map(|(_, m)| m));
        baton_core::answers::rank::PageContext { route: c.current_route().map(|r| r.path.clone()), errors: texts }
    })
    .unwrap_or_default()
}
