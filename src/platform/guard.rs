//! What the widget adds to the page, each held as a guard that takes it back when dropped: the
//! widget holds them, and dropping the widget (`destroy`) leaves the page as it was.

use leptos::prelude::WindowListenerHandle;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, MediaQueryList};

/// A listener on `window`, removed when dropped.
pub struct WindowListener(Option<WindowListenerHandle>);

impl WindowListener {
    /// Holds `handle` (from Leptos's `window_event_listener`).
    pub fn new(handle: WindowListenerHandle) -> WindowListener {
        WindowListener(Some(handle))
    }
}

impl Drop for WindowListener {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            handle.remove();
        }
    }
}

/// A `change` listener on a media query, removed when dropped.
pub struct MediaListener {
    query: MediaQueryList,
    listener: Closure<dyn FnMut()>,
}

impl MediaListener {
    /// Calls `on_change` whenever `media` (e.g. `(prefers-color-scheme: dark)`) starts or stops
    /// matching; `None` where the browser cannot watch it.
    pub fn new(media: &str, on_change: impl FnMut() + 'static) -> Option<MediaListener> {
        let query = web_sys::window()?.match_media(media).ok().flatten()?;
        let listener = Closure::<dyn FnMut()>::new(on_change);
        query.add_event_listener_with_callback("change", listener.as_ref().unchecked_ref()).ok()?;
        Some(MediaListener { query, listener })
    }

    /// Whether the query matches now.
    pub fn matches(&self) -> bool {
        self.query.matches()
    }
}

impl Drop for MediaListener {
    fn drop(&mut self) {
        let _ = self.query.remove_event_listener_with_callback("change", self.listener.as_ref().unchecked_ref());
    }
}

/// The host page held still behind a panel that covers the whole screen (narrow viewports):
/// `overflow: hidden` on `<html>` (through the CSSOM, which a strict CSP allows), and the host's
/// own value back when dropped.
pub struct ScrollLock {
    html: HtmlElement,
    previous: String,
}

impl ScrollLock {
    /// Locks scrolling if the viewport is narrow (at most 480 px); `None` otherwise.
    pub fn narrow_only() -> Option<ScrollLock> {
        let window = web_sys::window()?;
        let narrow = window.match_media("(max-width: 480px)").ok().flatten().is_some_and(|m| m.matches());
        if !narrow {
            return None;
        }
        let html: HtmlElement = window.document()?.document_element()?.dyn_into().ok()?;
        let style = html.style();
        let previous = style.get_property_value("overflow").unwrap_or_default();
        let _ = style.set_property("overflow", "hidden");
        Some(ScrollLock { html, previous })
    }
}

impl Drop for ScrollLock {
    fn drop(&mut self) {
        let style = self.html.style();
        let _ = if self.previous.is_empty() { style.remove_property("overflow").map(|_| ()) } else { style.set_property("overflow", &self.previous) };
    }
}
