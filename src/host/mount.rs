//! The widget's life inside the shadow root the loader created: mount, open and close with
//! focus management, and a destroy that removes everything Baton added.
//!
//! Ownership is split on purpose: the loader owns the host element, the shadow root, the
//! launcher and its own listeners (they exist before the wasm does); this module owns the
//! panel, the reactive graph and the host's event listeners. `destroy` tears down this side,
//! then hands over to the loader's `teardown` for the other.

use baton_core::config::{Config, Source};
use crate::panel::events::Listeners;
use crate::panel::widget::{end_visit, with_widget, Widget, WIDGET};
use crate::platform::guard::{MediaListener, WindowListener};
use crate::platform::log;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, ShadowRoot};

/// What the loader hands over when it boots the widget.
pub(crate) struct Handoff {
    pub root: ShadowRoot,
    pub launcher: Option<HtmlElement>,
    pub attributes: serde_json::Value,
    pub teardown: Option<js_sys::Function>,
    pub paint: Option<js_sys::Function>,
}

/// Mounts the panel into `handoff.root`. False when a widget is already mounted.
pub(crate) fn mount(handoff: Handoff) -> bool {
    if with_widget(|_| ()).is_some() {
        return false;
    }
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let host: HtmlElement = handoff.root.host().unchecked_into();
    let container: HtmlElement = document.create_element("div").expect("div").unchecked_into();
    container.set_class_name("baton-app");
    handoff.root.append_child(&container).expect("append to shadow root");

    let mut config = Config::default();
    for warning in config.apply(&handoff.attributes, Source::Attributes) {
        log::warn(&warning.to_string());
    }
    let owner = Owner::new();
    let kb_source = config.kb.clone();
    let meaning = config.meaning.clone();
    let with_encoder = config.encoder.is_some();
    let languages: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages().iter().filter_map(|l| l.as_string()).collect())
        .unwrap_or_default();
    let (ui, view) = owner.with(|| {
        let ui = crate::panel::Ui::new(config, languages);
        let view = leptos::mount::mount_to(container.clone(), move || {
            // Rebuilt when the language changes (texts are plain strings, see `Ui::t`).
            move || {
                ui.strings.track();
                view! { <span class="probe" aria-hidden="true"></span><crate::panel::app::Panel ui=ui/> }
            }
        });
        // After mount_to, which sets up the executor that fetching the KB runs on.
        if let Some(source) = kb_source {
            crate::knowledge::load(source, meaning, with_encoder, ui.kb, ui.open);
        }
        (ui, view)
    });
    let widget = Widget {
        ui,
        root: handoff.root,
        host,
        launcher: handoff.launcher,
        container,
        listeners: Listeners::default(),
        ready: false,
        announced: false,
        teardown: handoff.teardown,
        paint: handoff.paint,
        reported: Vec::new(),
        return_focus: None,
        scroll_lock: None,
        view: Some(Box::new(view)),
        owner: Some(owner),
        online: None,
        pagehide: Some(WindowListener::new(window_event_listener(leptos::ev::pagehide, |_| end_visit()))),
        analytics: None,
        outcome: Default::default(),
        scheme: MediaListener::new("(prefers-color-scheme: dark)", repaint),
    };
    WIDGET.with(|w| *w.borrow_mut() = Some(widget));
    true
}

/// Merges a config patch from `init` and reflects it on the elements the loader drew.
pub(crate) fn apply_config(patch: &serde_json::Value) {
    let warnings = with_widget(|w| {
        let mut config = w.ui.config.get_untracked();
        // An encoder set later needs the table's encoder section: the KB is read again.
        let previous = (config.kb.clone(), config.meaning.clone(), config.encoder.clone());
        let warnings = config.apply(patch, Source::Init);
        if (config.kb.clone(), config.meaning.clone(), config.encoder.clone()) != previous {
            if let Some(source) = config.kb.clone() {
                let (meaning, with_encoder, kb, open) = (config.meaning.clone(), config.encoder.is_some(), w.ui.kb, w.ui.open);
                match &w.owner {
                    Some(owner) => owner.with(|| crate::knowledge::load(source, meaning, with_encoder, kb, open)),
                    None => crate::knowledge::load(source, meaning, with_encoder, kb, open),
                }
            }
        }
        w.ui.config.set(config);
        warnings
    });
    for warning in warnings.into_iter().flatten() {
        log::warn(&warning.to_string());
    }
    // Theme and language reach the loader's elements at once: `Baton('theme', …)` has taken
    // effect when it returns. While boot replays the queue, boot repaints once at the end.
    if with_widget(|w| w.ready) == Some(true) {
        repaint();
    }
}

/// Writes theme, language and custom CSS to the loader's elements through its `paint`, and
/// reports new problems (a CSS value the browser rejects, unreadable colours) once each.
/// Runs once boot has replayed the queue, after every later config change, and when the system
/// colour scheme flips.
pub(crate) fn repaint() {
    let Some((Some(paint), root, ui, dark)) =
        with_widget(|w| (w.paint.clone(), w.root.clone(), w.ui, w.scheme.as_ref().is_some_and(MediaListener::matches)))
    else {
        return;
    };
    let (lang, rtl) = ui.strings.with_untracked(|s| (s.lang.code, s.lang.rtl));
    let (theme, css) = ui.config.with_untracked(|c| (c.theme.to_paint(&ui.t("launcher"), lang, rtl, dark), c.custom_css.clone().unwrap_or_default()));
    let painted = crate::host::paint::repaint(&paint, &root, &theme, &css);
    let mut lines: Vec<String> = painted
        .rejected
        .iter()
        .map(|key| format!("config `theme.{key}`: the browser does not accept this value as CSS; ignored"))
        .collect();
    lines.extend(painted.problems.into_iter().map(|p| format!("theme: {p}")));
    let fresh: Vec<String> = with_widget(|w| {
        let fresh: Vec<String> = lines.iter().filter(|l| !w.reported.contains(l)).cloned().collect();
        w.reported = lines;
        fresh
    })
    .unwrap_or_default();
    for line in fresh {
        log::warn(&line);
    }
}

/// Removes everything Baton added: the panel, the reactive graph, the host's listeners, capture
/// and every thread-local state of the widget, and, through the loader's `teardown`, the host
/// element, the launcher, the loader's listeners and the globals it patched.
pub(crate) fn destroy() {
    let mut widget = WIDGET.with(|w| w.borrow_mut().take());
    // The scorecard's hold goes first: it sends the visit's events, built from the journey
    // capture still keeps and under the consent the conversation still knows.
    drop(widget.as_mut().and_then(|w| w.analytics.take()));
    crate::capture::part::stop();
    let Some(mut widget) = widget else { return };
    crate::panel::forget();
    crate::knowledge::forget();
    crate::platform::fetch::register_own(None);
    // What the widget added to the page goes with its guards: window listeners, the colour
    // scheme's listener, a scroll lock.
    drop((widget.online.take(), widget.pagehide.take(), widget.scheme.take(), widget.scroll_lock.take()));
    drop(widget.view.take());
    drop(widget.owner.take());
    widget.container.remove();
    widget.listeners.clear();
    if let Some(teardown) = widget.teardown.take() {
        if teardown.call0(&JsValue::NULL).is_err() {
            log::error("the loader's teardown failed; the launcher may remain");
        }
    }
}

/// The thread-local states that still hold something of a widget, by name: empty after
/// `destroy`. (The analytics visit is the page's and stays, see `crate::analytics`.)
#[doc(hidden)]
pub fn state_held() -> Vec<&'static str> {
    [
        ("widget", WIDGET.with(|w| w.borrow().is_some())),
        ("capture", crate::capture::part::holds_state()),
        ("panel", crate::panel::holds_state()),
        ("knowledge", crate::knowledge::holds_state()),
        ("fetch", crate::platform::fetch::holds_state()),
    ]
    .into_iter()
    .filter_map(|(name, held)| held.then_some(name))
    .collect()
}

