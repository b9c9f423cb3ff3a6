//! The live widget and what every screen may ask of it: open and close with focus management,
//! the host's event listeners, the visit's outcome. The host module creates the widget (mount)
//! and removes it (destroy); the panel's screens reach it through these functions, never by
//! holding it.

use crate::panel::events::{call_all, Event, Listeners};
use crate::platform::guard::{MediaListener, ScrollLock, WindowListener};
use crate::platform::log;
use leptos::prelude::*;
use std::any::Any;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, ShadowRoot};

/// The live widget: one per page.
pub(crate) struct Widget {
    pub(crate) ui: crate::panel::Ui,
    pub(crate) root: ShadowRoot,
    pub(crate) host: HtmlElement,
    pub(crate) launcher: Option<HtmlElement>,
    pub(crate) container: HtmlElement,
    pub(crate) listeners: Listeners,
    /// Whether boot has replayed the queue (config changes repaint at once from then on).
    pub(crate) ready: bool,
    /// Whether `ready` was emitted (once the capture part is there too, `api::boot`).
    pub(crate) announced: bool,
    pub(crate) teardown: Option<js_sys::Function>,
    /// The loader's `paint(theme, css)`: the one writer of theme CSS (see `theme`).
    pub(crate) paint: Option<js_sys::Function>,
    /// Theme problems already reported, so that a later `init` does not repeat them.
    pub(crate) reported: Vec<String>,
    /// Where focus was before the panel opened; it goes back there on close.
    pub(crate) return_focus: Option<HtmlElement>,
    /// The host's `overflow` on <html> while the full-screen panel locks scrolling.
    pub(crate) scroll_lock: Option<ScrollLock>,
    pub(crate) online: Option<WindowListener>,
    /// Ends the visit when the page is hidden or left with the panel open.
    pub(crate) pagehide: Option<WindowListener>,
    /// The scorecard's page-hide listener (`crate::analytics::Listening`), once the conversations
    /// connect. Boxed: what its drop runs is the `conversation` part's code, reached through the box.
    pub(crate) analytics: Option<Box<dyn Any>>,
    /// Whether self-service resolved this visit (`self-service-resolved`).
    pub(crate) outcome: baton_core::answers::outcome::Outcome,
    /// The system colour scheme: `mode: "auto"` follows it, and colours are re-derived when it flips.
    pub(crate) scheme: Option<MediaListener>,
    // Dropped in `destroy`: the view first, then the reactive owner of the widget's signals.
    pub(crate) view: Option<Box<dyn Any>>,
    pub(crate) owner: Option<Owner>,
}

thread_local! {
    pub(crate) static WIDGET: RefCell<Option<Widget>> = const { RefCell::new(None) };
}

/// Runs `f` on the live widget; `None` when there is none (not booted, or destroyed).
/// Never call host code inside `f`: the host may call back into Baton.
pub(crate) fn with_widget<R>(f: impl FnOnce(&mut Widget) -> R) -> Option<R> {
    WIDGET.with(|w| w.borrow_mut().as_mut().map(f))
}

/// The visit ended (panel closed, page hidden): `self-service-resolved` when an answer helped
/// and the user did not escalate.
pub(crate) fn end_visit() {
    if let Some(Some(r)) = with_widget(|w| w.outcome.visit_ended()) {
        let searches = JsValue::from_f64(f64::from(r.searches));
        emit(Event::SelfServiceResolved, &crate::panel::events::payload(&[("id", r.id.into()), ("title", r.title.into()), ("searches", searches)]));
    }
}

/// Emits `event` to the host's listeners, with no Baton state borrowed while they run.
pub(crate) fn emit(event: Event, payload: &JsValue) {
    let callbacks = with_widget(|w| w.listeners.for_event(event)).unwrap_or_default();
    call_all(event, &callbacks, payload);
}

fn set_page_context() {
    let context = crate::capture::part::page_context();
    if let Some(page) = with_widget(|w| w.ui.page) {
        page.set(context);
    }
}

/// Brings the suggestions of an open panel up to date with the page (once capture is there).
pub(crate) fn refresh_page_context() {
    if with_widget(|w| w.ui.open.get_untracked()) == Some(true) {
        set_page_context();
    }
}

/// Opens or closes the panel. Emits `open` / `close` only on a real change. Closing returns
/// focus to the launcher when focus was inside the panel; opening moves focus into the panel
/// unless the user is busy in a host element (Baton never steals a host input's focus).
pub fn set_open(open: bool) {
    let Some((signal, root, host, launcher)) =
        with_widget(|w| (w.ui.open, w.root.clone(), w.host.clone(), w.launcher.clone()))
    else {
        log::warn("the widget is not mounted; call ignored");
        return;
    };
    if signal.get_untracked() == open {
        return;
    }
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    if open {
        // Opening is the visitor's interaction: consent to store (when the host requires it),
        // and their conversations connect (`panel::app`).
        crate::conversation::set_consent(true);
        if let Some(ui) = with_widget(|w| w.ui) {
            ui.conversations.openings.update(|n| *n += 1);
        }
        // What the page shows now decides the suggestions (and a capture part that could not be
        // fetched before is tried again).
        crate::capture::part::load_soon();
        set_page_context();
        // Someone typing in a host field keeps their focus (an `open` call from code must not
        // steal it); a host button that opened Baton hands focus over like the launcher does.
        let body: Option<web_sys::Element> = document.body().map(Into::into);
        let host_busy = document.active_element().is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.dyn_ref::<HtmlElement>().is_some_and(|h| h.is_content_editable())
        });
        // Focus goes back where it was on close: the launcher, or the host's own button.
        let active = document.active_element();
        let before = if active.as_ref() == Some(host.unchecked_ref()) { root.active_element() } else { active };
        let before = before
            .filter(|el| Some(el) != body.as_ref())
            .and_then(|el| el.dyn_into::<HtmlElement>().ok());
        with_widget(|w| {
            w.return_focus = before;
            if w.scroll_lock.is_none() {
                w.scroll_lock = ScrollLock::narrow_only();
            }
        });
        if !host_busy {
            // The panel is shown by a render effect that runs after this call returns; the
            // widget may have closed or been destroyed by then (nothing to focus, done).
            after_render(move || signal.try_get_untracked() != Some(true) || focus_in(&root, ".panel"));
        }
    } else {
        let back = with_widget(|w| {
            w.scroll_lock = None;
            w.return_focus.take()
        })
        .flatten().filter(|el| el.is_connected());
        let back = back.or_else(|| launcher.clone().filter(|l| l.get_client_rects().length() > 0));
        let focus_in_panel = root
            .active_element()
            .is_some_and(|el| launcher.as_ref().is_none_or(|l| &el != l.unchecked_ref::<web_sys::Element>()));
        if let (true, Some(back)) = (focus_in_panel, back) {
            let _ = back.focus();
        }
    }
    signal.set(open);
    if let Some(launcher) = &launcher {
        let _ = launcher.set_attribute("aria-expanded", if open { "true" } else { "false" });
    }
    emit(if open { Event::Open } else { Event::Close }, &JsValue::UNDEFINED);
    if !open {
        end_visit();
    }
}

/// Flips the panel.
pub fn toggle() {
    if let Some(open) = with_widget(|w| w.ui.open.get_untracked()) {
        set_open(!open);
    }
}

/// Focuses the first element matching `selector` in `root`; whether it now has focus (an
/// element still hidden, or not rendered yet, does not take it).
fn focus_in(root: &web_sys::ShadowRoot, selector: &str) -> bool {
    let Ok(Some(el)) = root.query_selector(selector) else { return false };
    let _ = el.unchecked_ref::<HtmlElement>().focus();
    root.active_element().is_some_and(|active| active == el)
}

/// Runs `focus` once the render effects a handler set off have run — in the same task, so that
/// focus lands before the next frame and the first keystroke reaches it — and, if it did not
/// take (a screen that renders later, such as a lazily loaded part), again at the next frame.
fn after_render(focus: impl Fn() -> bool + 'static) {
    leptos::task::spawn_local(async move {
        // Render effects scheduled before this task run first.
        leptos::task::tick().await;
        if !focus() {
            request_animation_frame(move || {
                focus();
            });
        }
    });
}

/// Moves focus to the first element matching `selector` in the panel once the current render
/// has landed (screens are swapped by render effects, after the handler that swapped them).
pub fn focus_soon(selector: &'static str) {
    let Some(root) = with_widget(|w| w.root.clone()) else { return };
    after_render(move || focus_in(&root, selector));
}

/// Moves focus at once to the first element matching `selector` in the panel: one that stays
/// while the element that had focus is replaced, so that focus never falls to the host page
/// (where Escape and Tab would no longer reach the panel) before [`focus_soon`] lands.
pub fn focus_now(selector: &str) {
    if let Some(root) = with_widget(|w| w.root.clone()) {
        focus_in(&root, selector);
    }
}

/// The host's listeners for `event`, copied out (they may call back into Baton).
pub(crate) fn listeners_of(event: Event) -> Vec<js_sys::Function> {
    with_widget(|w| w.listeners.for_event(event)).unwrap_or_default()
}

/// Opens the panel on the form to reach a person (`Baton('escalate', {description})`).
pub(crate) fn escalate(description: &str) {
    let Some(ui) = with_widget(|w| w.ui) else { return };
    set_open(true);
    ui.escalate(description);
}

/// Calls `flush` whenever the browser comes back online, until `destroy`.
pub(crate) fn watch_online(flush: impl Fn() + 'static) {
    let listener = WindowListener::new(window_event_listener(leptos::ev::online, move |_| flush()));
    // The one it replaces is removed as it drops.
    drop(with_widget(|w| w.online.replace(listener)));
}
