//! The panel: a non-modal dialog with a header, a close button and a body where the
//! self-service and handoff screens live.

use crate::embed::config::Config;
use crate::embed::mount::set_open;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

/// The panel. It stays mounted while closed (only hidden), so that nothing typed into it is
/// lost between openings.
#[component]
pub fn Panel(
    /// Whether the panel shows.
    open: RwSignal<bool>,
    /// The live config (title and so on).
    config: RwSignal<Config>,
) -> impl IntoView {
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.stop_propagation();
            set_open(false);
        }
    };
    view! {
        <div
            class="panel"
            role="dialog"
            aria-modal="false"
            aria-labelledby="baton-title"
            tabindex="-1"
            hidden=move || !open.get()
            on:keydown=on_keydown
        >
            <header class="header">
                <h2 id="baton-title" class="title">{move || config.with(|c| c.title.clone())}</h2>
                <button type="button" class="close" aria-label="Close help" on:click=move |_| set_open(false)>
                    <svg viewBox="0 0 24 24" aria-hidden="true" width="18" height="18">
                        <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>
                    </svg>
                </button>
            </header>
            <div class="body">
                <p class="greeting">"Hi! How can we help?"</p>
            </div>
        </div>
    }
}
