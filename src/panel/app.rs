//! The panel: a non-modal dialog with a header (back, title, close) and the current screen.

use crate::panel::widget::set_open;
use crate::panel::answers::Home;
use crate::panel::{conversations, escalate};
use crate::panel::{Screen, Ui};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

/// Keeps Tab and Shift+Tab inside the open panel (the dialog is modal for the keyboard; Escape
/// leaves it): from the last focusable element Tab wraps to the first, and back.
fn trap_focus(ev: &KeyboardEvent) {
    let Some(panel) = ev.current_target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    let Ok(candidates) = panel.query_selector_all("button, [href], input, textarea, select, [tabindex]:not([tabindex='-1'])") else {
        return;
    };
    let focusable: Vec<HtmlElement> = (0..candidates.length())
        .filter_map(|i| candidates.item(i)?.dyn_into::<HtmlElement>().ok())
        .filter(|el| !el.has_attribute("disabled") && el.get_client_rects().length() > 0)
        .collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else { return };
    let Some(root) = panel.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok() else { return };
    let active = root.active_element();
    let at = |el: &HtmlElement| active.as_ref() == Some(el.unchecked_ref::<Element>());
    let on_panel = active.as_ref() == Some(&panel) || active.is_none();
    if ev.shift_key() && (at(first) || on_panel) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && at(last) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// The panel. It stays mounted while closed (only hidden), so that nothing typed into it is
/// lost between openings.
#[component]
pub fn Panel(
    /// The widget's UI state.
    ui: Ui,
) -> impl IntoView {
    let on_keydown = move |ev: KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.stop_propagation();
            set_open(false);
        }
        "Tab" => trap_focus(&ev),
        _ => {}
    };
    let in_article = move || !matches!(ui.screen.get(), Screen::Home);
    // The parts the first screen does not need are fetched once the panel has first shown.
    Effect::new(move |fetched: Option<bool>| {
        fetched == Some(true) || (ui.open.get() && { crate::panel::preload_parts(); true })
    });
    // Each opening connects the visitor's conversations — once capture is there, which holds the
    // identity token if the host gave one (connecting what is connected changes nothing).
    Effect::new(move |_| {
        if ui.conversations.openings.get() > 0 {
            crate::capture::part::on_ready(move || conversations::connect(ui, true));
        }
    });
    view! {
        <div
            class="panel"
            part="panel"
            role="dialog"
            aria-modal="true"
            lang=ui.strings.with_untracked(|s| s.lang.code)
            dir=if ui.strings.with_untracked(|s| s.lang.rtl) { "rtl" } else { "ltr" }
            aria-labelledby="baton-title"
            tabindex="-1"
            hidden=move || !ui.open.get()
            on:keydown=on_keydown
        >
            <header class="header" part="header">
                <button
                    type="button"
                    class="icon back"
                    aria-label=ui.t("back")
                    hidden=move || !in_article()
                    on:click=move |_| {
                        if matches!(ui.screen.get_untracked(), Screen::Thread) {
                            ui.screen.set(Screen::Conversations);
                        } else {
                            ui.screen.set(Screen::Home);
                            crate::panel::widget::focus_soon(".search-input");
                        }
                    }
                >
                    <svg viewBox="0 0 24 24" aria-hidden="true" width="18" height="18">
                        <path d="M15 5l-7 7 7 7" stroke="currentColor" stroke-width="2" fill="none" stroke-linecap="round"/>
                    </svg>
                </button>
                <h2 id="baton-title" class="title" part="title">{move || ui.title()}</h2>
                <button type="button" class="icon close" part="close" aria-label=ui.t("close") on:click=move |_| set_open(false)>
                    <svg viewBox="0 0 24 24" aria-hidden="true" width="18" height="18">
                        <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>
                    </svg>
                </button>
            </header>
            <div class="body" part="body">
                {move || match ui.screen.get() {
                    Screen::Home => view! { <Home ui=ui/> }.into_any(),
                    Screen::Article(index) => crate::panel::lazy_screen(ui, move || crate::panel::answers::article_part(ui, index)),
                    Screen::Escalate => crate::panel::lazy_screen(ui, move || async move {
                        // The bundle is built from the whole Context: capture must be there.
                        crate::capture::part::ready().await?;
                        escalate::form_part(ui).await
                    }),
                    Screen::Sent => crate::panel::lazy_screen(ui, move || escalate::sent_part(ui)),
                    Screen::Conversations => crate::panel::lazy_screen(ui, move || conversations::list_part(ui)),
                    Screen::Thread => crate::panel::lazy_screen(ui, move || conversations::thread_part(ui, ui.thread.get_untracked())),
                }}
            </div>
            <footer class="footer" part="footer" hidden=move || matches!(ui.screen.get(), Screen::Escalate | Screen::Sent | Screen::Thread)>
                <button type="button" class="chip person" on:click=move |_| ui.escalate(&ui.query.get_untracked())>
                    {ui.t("person")}
                </button>
                {move || ui.conversations.any.get().then(|| crate::panel::lazy_screen(ui, move || conversations::entry_part(ui)))}
            </footer>
        </div>
    }
}
