//! The customer's conversations with the team: an entry on the home screen, the list, and one
//! thread (what they asked, the agent's replies and their own messages, a reply box, the status).
//! Every message is shown as text. The launcher's badge and the host's `unread` event follow the
//! unread count. The data and the relay calls are `crate::conversation`; the list and thread
//! screens are its lazily loaded `conversation` part.

use crate::conversation::{self, client, session};
use crate::panel::events::{payload, Event};
use crate::panel::widget::{emit, with_widget};
use crate::panel::{Screen, Ui};
use baton_core::wire::{self, Thread};
use leptos::prelude::*;

/// Connects the customer's conversations when the widget has a relay and may store: resumes a
/// stored session or opens one for the identity token; with `visitor` (the visitor's first
/// interaction), an anonymous one too. The work is the `conversation` part's, fetched only
/// when there is something to connect.
pub fn connect(ui: Ui, visitor: bool) {
    let (relay, consent_required) = ui.config.with_untracked(|c| (c.relay_base(), c.consent_required));
    let Some(relay) = relay else { return };
    if !conversation::allowed(consent_required) {
        return;
    }
    let token = crate::capture::with_context(|c| c.identity.as_ref().and_then(|i| i.token.clone())).flatten();
    if token.is_none() && !visitor && !session::has_stored() {
        return;
    }
    leptos::task::spawn_local(async move {
        if connect_part(ui, relay, token).await.is_err() {
            crate::platform::log::warn("conversations wait: the conversation part could not be loaded");
        }
    });
}

/// Logout (`Baton('reset')`) or withdrawn consent: everything stored for the user goes at once
/// (`conversation::forget`), then the session ends on the relay.
pub fn reset(ui: Ui) {
    let stored = conversation::forget(ui.conversations);
    ui.screen.set(Screen::Home);
    if let (Some(relay), Some(stored)) = (ui.config.with_untracked(|c| c.relay_base()), stored) {
        leptos::task::spawn_local(async move {
            let _ = end_part(relay, stored).await;
        });
    }
}

/// `Baton('unread', callback)`: `{count}` now.
pub fn unread_now(ui: Ui) -> wasm_bindgen::JsValue {
    payload(&[("count", (ui.conversations.unread.get_untracked() as f64).into())])
}

thread_local! {
    /// Whether the launcher follows the unread count yet (once per widget).
    static WATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `destroy`: the conversation stops, and the next widget watches its own count.
pub fn stop() {
    WATCHING.with(|w| w.set(false));
    conversation::stop();
}

/// Whether the count is watched, or the conversation holds anything.
pub fn holds_state() -> bool {
    WATCHING.with(|w| w.get()) || conversation::holds_state()
}

crate::platform::lazy::lazy_part!(conversation,
    fn connect_part(ui: Ui, relay: String, token: Option<String>) -> () {
        baton_core::i18n::later::register();
        if !WATCHING.with(|w| w.replace(true)) {
            watch_unread(ui);
            open_from_link(ui);
        }
        conversation::live::start(relay, token, ui.conversations);
        with_widget(|w| {
            if w.analytics.is_none() {
                w.analytics = Some(Box::new(crate::analytics::listen(ui.config)));
            }
        });
        Ok(())
    }
);

crate::platform::lazy::lazy_part!(conversation,
    fn end_part(relay: String, stored: String) -> () {
        conversation::live::end(relay, stored);
        Ok(())
    }
);

crate::platform::lazy::lazy_part!(conversation,
    /// The home screen's entry to the conversations (in the `conversation` part).
    pub fn entry_part(ui: Ui) -> AnyView {
        baton_core::i18n::later::register();
        Ok(view! { <Entry ui=ui/> }.into_any())
    }
);

/// The launcher's badge and accessible name, and the host's `unread` event, follow the count
/// (an effect of the widget's owner, gone with it on destroy).
fn watch_unread(ui: Ui) {
    let watch = move || {
        Effect::new(move |previous: Option<usize>| {
            let count = ui.conversations.unread.get();
            if let Some(launcher) = with_widget(|w| w.launcher.clone()).flatten() {
                let data = launcher.dataset();
                let label = launcher.last_element_child().and_then(|l| l.text_content()).unwrap_or_default();
                if count > 0 {
                    let words = ui.fill("unread", &[("count", &count.to_string())]);
                    let _ = data.set("unread", &count.min(99).to_string());
                    let _ = data.set("unreadLabel", &words);
                    let _ = launcher.set_attribute("aria-label", &format!("{label}, {words}"));
                } else {
                    data.delete("unread");
                    data.delete("unreadLabel");
                    let _ = launcher.set_attribute("aria-label", &label);
                }
            }
            if previous.unwrap_or(0) != count {
                emit(Event::Unread, &payload(&[("count", (count as f64).into())]));
            }
            count
        });
    };
    match with_widget(|w| w.owner.clone()).flatten() {
        Some(owner) => owner.with(watch),
        None => watch(),
    }
}

/// A link from a reply email (`#baton-conversation=REF`) opens that conversation.
fn open_from_link(ui: Ui) {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let Some(reference) = hash.split(['#', '&']).find_map(|p| p.strip_prefix("baton-conversation=")) else { return };
    let reference: String = reference.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(40).collect();
    if !reference.is_empty() {
        crate::panel::widget::set_open(true);
        ui.thread.set(reference);
        ui.screen.set(Screen::Thread);
    }
}

/// The home screen's entry to the conversations.
#[component]
fn Entry(ui: Ui) -> impl IntoView {
    move || {
        let unread = ui.conversations.unread.get();
        view! {
            <button type="button" class="chip conversations-entry" on:click=move |_| ui.screen.set(Screen::Conversations)>
                {ui.t("conversations")}
                {(unread > 0).then(|| view! { " " <span class="count">{ui.fill("unread", &[("count", &unread.to_string())])}</span> })}
            </button>
        }
    }
}

crate::platform::lazy::lazy_part!(conversation,
    /// The list of conversations (in the `conversation` part).
    pub fn list_part(ui: Ui) -> AnyView {
        baton_core::i18n::later::register();
        Ok(view! { <ConversationList ui=ui/> }.into_any())
    }
);

crate::platform::lazy::lazy_part!(conversation,
    /// One conversation (in the `conversation` part).
    pub fn thread_part(ui: Ui, reference: String) -> AnyView {
        baton_core::i18n::later::register();
        Ok(view! { <ThreadView ui=ui reference=reference/> }.into_any())
    }
);

fn status_key(status: &str) -> &'static str {
    match status {
        "pending" => "conv_pending",
        "solved" => "conv_solved",
        _ => "conv_open",
    }
}

#[component]
fn ConversationList(ui: Ui) -> impl IntoView {
    connect(ui, true);
    let list = crate::conversation::live::data().list;
    view! {
        <section class="conversations" aria-labelledby="baton-conversations">
            <h3 id="baton-conversations">{ui.t("conv_title")}</h3>
            {move || match list.get() {
                None => view! { <p class="status" role="status">{ui.t("one_moment")}</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="status">{ui.t("conv_none")}</p> }.into_any(),
                Some(list) => view! {
                    <ul class="conversation-list">
                        {list.into_iter().map(|c| {
                            let reference = c.reference.clone();
                            let last = c.last.as_ref().map(|u| u.body.clone()).unwrap_or_else(|| c.summary.clone());
                            view! {
                                <li>
                                    <button type="button" class="conversation" on:click=move |_| {
                                        ui.thread.set(reference.clone());
                                        ui.screen.set(Screen::Thread);
                                    }>
                                        <span class="reference">{c.reference.clone()}</span>
                                        <span class="conversation-status">{ui.t(status_key(&c.status))}</span>
                                        {(c.unread > 0).then(|| view! { <span class="count">{ui.fill("unread", &[("count", &c.unread.to_string())])}</span> })}
                                        <span class="last">{baton_core::limits::truncate_chars(&last, 140)}</span>
                                    </button>
                                </li>
                            }
                            .into_any()
                        }).collect::<Vec<AnyView>>()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// The relay and this device's session for it.
fn relay_session(ui: Ui) -> Option<(String, String)> {
    let relay = ui.config.with_untracked(|c| c.relay_base())?;
    let token = session::token_for(&relay)?;
    Some((relay, token))
}

fn mark_read(ui: Ui, reference: String) {
    let Some((relay, token)) = relay_session(ui) else { return };
    leptos::task::spawn_local(async move {
        let _ = client::read(&relay, &token, &reference).await;
    });
}

#[component]
fn ThreadView(ui: Ui, reference: String) -> impl IntoView {
    let data = crate::conversation::live::data();
    let arrived = data.arrived.clone();
    let thread: RwSignal<Option<Thread>> = RwSignal::new(None);
    let failed = RwSignal::new(false);
    let reply = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    // The id of the message being written: kept across failed sends (a retry is the same
    // message), new once one went through.
    let message_id = RwSignal::new(crate::conversation::session::random_id());
    {
        // Read once the session is live (a link from an email may open the thread before the
        // session is): the list arriving says it is.
        let reference = reference.clone();
        let connected = data.list.clone();
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) || !connected.with(Option::is_some) {
                return done.unwrap_or(false);
            }
            let Some((relay, token)) = relay_session(ui) else { return false };
            let reference = reference.clone();
            leptos::task::spawn_local(async move {
                match client::thread(&relay, &token, &reference).await {
                    Ok(t) => {
                        thread.set(Some(t));
                        mark_read(ui, reference);
                    }
                    Err(_) => failed.set(true),
                }
            });
            true
        });
    }
    // Messages: the thread as read, then what arrived live since.
    let messages = {
        let reference = reference.clone();
        move || {
            let mut all: Vec<wire::Update> = thread.with(|t| t.as_ref().map(|t| t.messages.clone()).unwrap_or_default());
            let known = all.last().map_or(0, |m| m.seq);
            arrived.with(|a| all.extend(a.iter().filter(|u| u.reference == reference && u.kind == "message" && u.seq > known).cloned()));
            all
        }
    };
    // An agent reply arriving while the thread shows (and the panel is open) is read.
    {
        let reference = reference.clone();
        let messages = messages.clone();
        Effect::new(move |seen: Option<usize>| {
            let agent = messages().iter().filter(|m| m.author.as_deref() == Some("agent")).count();
            if seen.is_some_and(|s| agent > s) && ui.open.get_untracked() {
                mark_read(ui, reference.clone());
                crate::analytics::conversation_event(ui.config, wire::EventKind::ReplySeen, &reference, None);
            }
            agent
        });
    }
    let status = {
        let reference = reference.clone();
        move || {
            let live = data.list.with(|l| l.as_ref().and_then(|l| l.iter().find(|c| c.reference == reference).map(|c| c.status.clone())));
            live.or_else(|| thread.with(|t| t.as_ref().map(|t| t.conversation.status.clone()))).unwrap_or_default()
        }
    };
    let send = {
        let reference = reference.clone();
        let arrived_after_send = data.arrived.clone();
        move || {
            let body = reply.get_untracked();
            if body.trim().is_empty() || sending.get_untracked() {
                return;
            }
            let Some((relay, token)) = relay_session(ui) else { return };
            let reference = reference.clone();
            let arrived_after_send = arrived_after_send.clone();
            sending.set(true);
            failed.set(false);
            leptos::task::spawn_local(async move {
                match client::write(&relay, &token, &reference, &body, &message_id.get_untracked()).await {
                    Ok(update) => {
                        reply.set(String::new());
                        message_id.set(crate::conversation::session::random_id());
                        arrived_after_send.update(|a| {
                            if !a.iter().any(|u| u.seq == update.seq) {
                                a.push(update);
                            }
                        });
                    }
                    Err(_) => failed.set(true),
                }
                sending.set(false);
            });
        }
    };
    let send_click = send.clone();
    let solved = {
        let status = status.clone();
        move || status() == "solved"
    };
    view! {
        <section class="thread" aria-labelledby="baton-thread">
            <h3 id="baton-thread"><span class="reference">{reference.clone()}</span>" · "<span class="conversation-status">{move || ui.t(status_key(&status()))}</span></h3>
            {move || thread.with(|t| t.as_ref().filter(|t| !t.description.is_empty()).map(|t| view! {
                <p class="asked"><b>{ui.t("conv_asked")}": "</b>{t.description.clone()}</p>
            }))}
            <ol class="messages" aria-live="polite">
                {move || messages().into_iter().map(|m| {
                    let agent = m.author.as_deref() == Some("agent");
                    view! {
                        <li class=if agent { "message from-agent" } else { "message from-customer" }>
                            <b class="author">{ui.t(if agent { "conv_support" } else { "conv_you" })}</b>
                            <span class="body">{m.body}</span>
                        </li>
                    }
                    .into_any()
                }).collect::<Vec<AnyView>>()}
            </ol>
            {
                let reference = reference.clone();
                move || solved().then(|| view! { <crate::panel::effort::EffortQuestion ui=ui reference=reference.clone()/> })
            }
            {move || failed.get().then(|| view! { <p class="status" role="alert">{ui.t("conv_failed")}</p> })}
            <form class="reply" on:submit=move |e| { e.prevent_default(); send(); }>
                <textarea
                    aria-label=ui.t("conv_write")
                    placeholder=ui.t("conv_write")
                    maxlength="5000"
                    rows="3"
                    prop:value=move || reply.get()
                    on:input=move |e| reply.set(event_target_value(&e))
                ></textarea>
                <button type="button" class="chip primary send-reply" disabled=move || sending.get() on:click=move |_| send_click()>{ui.t("conv_send")}</button>
            </form>
        </section>
    }
}
