//! The panel: a non-modal dialog with a header (back, title, close) and the current screen.

use crate::embed::mount::set_open;
use crate::ui::answers::{ArticleView, Home};
use crate::ui::escalate::{EscalateForm, SentView};
use crate::ui::{Screen, Ui};
use leptos::prelude::*;
use web_sys::KeyboardEvent;

/// The panel. It stays mounted while closed (only hidden), so that nothing typed into it is
/// lost between openings.
#[component]
pub fn Panel(
    /// The widget's UI state.
    ui: Ui,
) -> impl IntoView {
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.stop_propagation();
            set_open(false);
        }
    };
    let in_article = move || !matches!(ui.screen.get(), Screen::Home);
    view! {
        <div
            class="panel"
            role="dialog"
            aria-modal="false"
            aria-labelledby="baton-title"
            tabindex="-1"
            hidden=move || !ui.open.get()
            on:keydown=on_keydown
        >
            <header class="header">
                <button
                    type="button"
                    class="icon back"
                    aria-label="Back"
                    hidden=move || !in_article()
                    on:click=move |_| {
                        ui.screen.set(Screen::Home);
                        crate::embed::mount::focus_soon(".search-input");
                    }
                >
                    <svg viewBox="0 0 24 24" aria-hidden="true" width="18" height="18">
                        <path d="M15 5l-7 7 7 7" stroke="currentColor" stroke-width="2" fill="none" stroke-linecap="round"/>
                    </svg>
                </button>
                <h2 id="baton-title" class="title">{move || ui.config.with(|c| c.title.clone())}</h2>
                <button type="button" class="icon close" aria-label="Close help" on:click=move |_| set_open(false)>
                    <svg viewBox="0 0 24 24" aria-hidden="true" width="18" height="18">
                        <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>
                    </svg>
                </button>
            </header>
            <div class="body">
                {move || match ui.screen.get() {
                    Screen::Home => view! { <Home ui=ui/> }.into_any(),
                    Screen::Article(index) => view! { <ArticleView ui=ui index=index/> }.into_any(),
                    Screen::Escalate => view! { <EscalateForm ui=ui/> }.into_any(),
                    Screen::Sent => view! { <SentView ui=ui/> }.into_any(),
                }}
            </div>
            <footer class="footer" hidden=move || matches!(ui.screen.get(), Screen::Escalate | Screen::Sent)>
                <button type="button" class="chip person" on:click=move |_| ui.escalate(&ui.query.get_untracked())>
                    "Talk to a person"
                </button>
            </footer>
        </div>
    }
}
