//! Reaching a person: a short form, a plain-words preview of what will be shared (with toggles
//! to leave parts out), then delivery to the host's `handoff` listeners and a confirmation with
//! the reference code the customer can quote on any channel.

use crate::capture::with_context;
use crate::panel::events::{payload, Event};
use crate::knowledge::KbState;
use crate::panel::widget::{emit, listeners_of};
use baton_core::handoff::bundle::{self, Bundle, Request};
use crate::platform::log;
use crate::panel::{Screen, Ui};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Where a sent handoff's delivery stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Delivery {
    /// Waiting for the host's listener.
    Pending,
    /// Delivered; the ticket id or URL the host returned, if any.
    Delivered(Option<String>),
    /// Saved on this device; delivery will be retried.
    Queued,
    /// No delivery is set up, but the app gave a support address: a prepared `mailto:` URL.
    Mail(String),
    /// Not delivered, and why (for the user: a key of the string table).
    Failed(&'static str),
}

/// The last handoff sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Sent {
    /// Its reference code.
    pub reference: String,
    /// Its delivery.
    pub delivery: Delivery,
}

fn random48() -> u64 {
    let hi = (js_sys::Math::random() * (1u64 << 24) as f64) as u64;
    let lo = (js_sys::Math::random() * (1u64 << 24) as f64) as u64;
    (hi << 24) | lo
}

fn tags_read(ui: Ui) -> Vec<String> {
    let KbState::Ready(index) = ui.kb.get_untracked() else { return Vec::new() };
    let read: Vec<String> = with_context(|c| c.journey.articles.iter().map(|a| a.id.clone()).collect()).unwrap_or_default();
    let mut tags: Vec<String> = Vec::new();
    for id in read.iter().rev() {
        if let Some(article) = index.articles.iter().find(|a| &a.id == id) {
            for tag in &article.tags {
                if !tags.contains(tag) {
                    tags.push(tag.clone());
                }
            }
        }
    }
    tags
}

/// A `mailto:` with the reference, summary and steps, short enough for every mail client.
pub fn mailto(address: &str, bundle: &Bundle) -> String {
    let subject = format!("[{}] {}", bundle.reference, baton_core::limits::truncate_chars(&bundle.description, 60));
    let mut body = format!("{}\n\nReference: {}\n\nSteps:\n{}", bundle.summary, bundle.reference, bundle.steps.join("\n"));
    body = baton_core::limits::truncate_chars(&body, 1500);
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    format!("mailto:{}?subject={}&body={}", enc(address), enc(&subject), enc(&body))
}

crate::platform::lazy::lazy_part!(handoff, preload = preload_handoff,
    /// The form to reach a person (in the `handoff` part).
    pub fn form_part(ui: Ui) -> AnyView {
        baton_core::i18n::later::register();
        Ok(view! { <EscalateForm ui=ui/> }.into_any())
    }
);

crate::platform::lazy::lazy_part!(handoff,
    /// What the user sees after sending (in the `handoff` part).
    pub fn sent_part(ui: Ui) -> AnyView {
        baton_core::i18n::later::register();
        Ok(view! { <SentView ui=ui/> }.into_any())
    }
);

crate::platform::lazy::lazy_part!(handoff,
    /// The user's requests already sent from this device, on the home screen (in the `handoff` part).
    pub fn requests_part(ui: Ui) -> AnyView {
        baton_core::i18n::later::register();
        Ok(view! { <Requests ui=ui/> }.into_any())
    }
);

/// The open requests of the user (the host's user, else the anonymous one of this device), with
/// their reference codes to quote on any channel; re-read when the page context changes (capture's
/// part arriving brings the identity).
#[component]
fn Requests(ui: Ui) -> impl IntoView {
    move || {
        ui.page.track();
        let refs = crate::handoff::memory::open_references(crate::panel::who().as_deref(), js_sys::Date::now());
        (!refs.is_empty()).then(|| view! {
            <section class="requests" aria-label=ui.t("requests")>
                <p class="why">{ui.t("requests_why")}</p>
                <ul>
                    {refs.into_iter().take(3).map(|r| {
                        let date = String::from(js_sys::Date::new(&r.at.into()).to_locale_date_string(ui.strings.with_untracked(|s| s.lang.code), &JsValue::UNDEFINED));
                        view! { <li><strong class="reference">{r.reference}</strong>{ui.fill("request_sent", &[("date", &date)])}</li> }
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}

crate::platform::lazy::lazy_part!(handoff,
    fn flush_part(ui: Ui) -> () {
        flush_outbox(ui);
        Ok(())
    }
);

/// Delivers what the outbox holds (saved by an earlier page or waiting for the network). The
/// outbox code is in the `handoff` part: if that cannot be fetched now, the handoffs stay saved
/// and go out on the next try (the browser coming back online, the next page).
pub fn flush_soon(ui: Ui) {
    // An empty outbox needs no part (the browser's `online` events come often).
    if !crate::handoff::outbox::has_items() {
        return;
    }
    leptos::task::spawn_local(async move {
        if flush_part(ui).await.is_err() {
            log::warn("saved handoffs wait: the handoff part could not be loaded; they go out when it can");
        }
    });
}

/// Tells the user and the host how the outbox's deliveries went.
fn flush_outbox(ui: Ui) {
    crate::handoff::outbox::flush(move |report| {
        use crate::handoff::outbox::Report;
        let (reference, delivery) = match report {
            Report::Delivered(r) => {
                emit(Event::HandoffDelivered, &payload(&[("reference", r.clone().into()), ("ticket", JsValue::NULL)]));
                (r, Delivery::Delivered(None))
            }
            Report::Refused(r, why) => {
                emit(Event::HandoffFailed, &payload(&[("reference", r.clone().into()), ("reason", why.into())]));
                (r, Delivery::Failed("refused"))
            }
            Report::Waiting(r, _) => (r, Delivery::Queued),
        };
        if ui.sent.with_untracked(|s| s.as_ref().is_some_and(|s| s.reference == reference)) {
            let _ = ui.sent.try_set(Some(Sent { reference, delivery }));
        }
    });
}

/// Hands the bundle to the host's `handoff` listeners. The first listener's result decides:
/// a promise is awaited, and what it resolves to (a ticket id or URL) is shown to the user.
fn deliver(ui: Ui, bundle: Bundle) {
    let reference = bundle.reference.clone();
    let js = crate::platform::json::to_js(&bundle);
    crate::panel::widget::with_widget(|w| w.outcome.escalated());
    let sent = baton_core::analytics::SentHandoff {
        reference: reference.clone(),
        category: bundle.routing.category.clone(),
        completeness: bundle.context_completeness,
        progress: bundle.self_service_progress.reached.clone(),
        at: js_sys::Date::now(),
    };
    crate::analytics::handed_off(ui.config, sent);
    emit(Event::Escalated, &js);
    let listeners = listeners_of(Event::Handoff);
    // With an endpoint, the outbox delivers (and listeners are only told); it is saved first.
    if let Some(endpoint) = ui.config.with_untracked(|c| c.handoff_endpoint()) {
        for listener in &listeners {
            let _ = listener.call1(&JsValue::NULL, &js);
        }
        use baton_core::config::HandoffFormat;
        let format = ui.config.with_untracked(|c| c.handoff_format);
        let body = match format {
            HandoffFormat::Baton => crate::platform::json::write(&bundle),
            HandoffFormat::Zendesk => crate::platform::json::write(&baton_core::handoff::helpdesk::zendesk_request(&bundle)),
            HandoffFormat::Chatwoot => {
                let (contact, conversation, message) = baton_core::handoff::helpdesk::chatwoot(&bundle);
                crate::platform::json::write(&[contact, conversation, message])
            }
        };
        let key = format!("{}-{:012x}", bundle.reference, random48());
        let format = if format == HandoffFormat::Chatwoot { "chatwoot" } else { "" }.to_string();
        crate::handoff::outbox::add(crate::handoff::outbox::Item { reference: reference.clone(), key, endpoint, body, attempts: 0, format, contact: None, conversation: None });
        flush_outbox(ui);
        return;
    }
    let fail = move |reason: String, user: &'static str| {
        log::error(&format!("handoff {reference} not delivered: {reason}"));
        emit(Event::HandoffFailed, &payload(&[("reference", reference.clone().into()), ("reason", reason.clone().into())]));
        ui.sent.set(Some(Sent { reference: reference.clone(), delivery: Delivery::Failed(user) }));
    };
    if listeners.is_empty() {
        if let Some(address) = ui.config.with_untracked(|c| c.support_email.clone()) {
            ui.sent.set(Some(Sent { reference: bundle.reference.clone(), delivery: Delivery::Mail(mailto(&address, &bundle)) }));
            return;
        }
        fail("no `handoff` listener is registered (see README, Handoff)".into(), "no_delivery");
        return;
    }
    let mut first: Option<JsValue> = None;
    for listener in &listeners {
        match listener.call1(&JsValue::NULL, &js) {
            Ok(result) if first.is_none() => first = Some(result),
            Ok(_) => {}
            Err(e) => log::error(&format!("a \"handoff\" listener threw: {}", e.as_string().unwrap_or_default())),
        }
    }
    let reference = bundle.reference.clone();
    let delivered = move |ticket: Option<String>| {
        emit(Event::HandoffDelivered, &payload(&[("reference", reference.clone().into()), ("ticket", ticket.clone().map(JsValue::from).unwrap_or(JsValue::NULL))]));
        ui.sent.set(Some(Sent { reference: reference.clone(), delivery: Delivery::Delivered(ticket) }));
    };
    match first {
        None => fail("every `handoff` listener threw".into(), "not_handed"),
        Some(result) if result.is_instance_of::<js_sys::Promise>() => {
            leptos::task::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(result.unchecked_into::<js_sys::Promise>()).await {
                    // A number ticket is written the way JS writes it (no float printer in the wasm).
                    Ok(ticket) => delivered(ticket.as_string().or_else(|| ticket.as_f64().map(baton_core::number::format))),
                    Err(e) => fail(format!("the `handoff` listener's promise rejected: {}", e.as_string().unwrap_or_default()), "not_handed"),
                }
            });
        }
        Some(result) => delivered(result.as_string()),
    }
}

/// The form and its preview.
#[component]
pub fn EscalateForm(
    /// The widget's UI state.
    ui: Ui,
) -> impl IntoView {
    let identified = with_context(|c| c.identity.as_ref().is_some_and(|i| i.email.is_some() || i.id.is_some())).unwrap_or(false);
    let email = RwSignal::new(String::new());
    let omit_console = RwSignal::new(false);
    let omit_network = RwSignal::new(false);
    let omit_activity = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);

    // What will be shared, in plain words, from the Context as it is now.
    let counts = with_context(|c| {
        let console = c.errors.iter().filter(|e| e.kind.is_console()).count();
        (c.routes.len(), c.errors.len() - console, console, c.failed_requests.len(), c.breadcrumbs.len(), c.journey.searches.len() + c.journey.articles.len())
    })
    .unwrap_or_default();
    let (pages, errors, console, requests, steps, tried) = counts;

    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let description = ui.draft.get_untracked();
        if description.trim().len() < 3 {
            problem.set(Some(ui.t("need_words")));
            crate::panel::widget::focus_soon(".escalate textarea");
            return;
        }
        let email_value = email.get_untracked();
        let email_ok = email_value.contains('@') && email_value.contains('.');
        if !identified && !email_ok {
            problem.set(Some(ui.t("need_email")));
            crate::panel::widget::focus_soon(".escalate input[type=email]");
            return;
        }
        problem.set(None);
        let request = Request {
            description,
            email: (!identified).then_some(email_value),
            omit_console: omit_console.get_untracked(),
            omit_network: omit_network.get_untracked(),
            omit_activity: omit_activity.get_untracked(),
            related: crate::handoff::memory::open_references(crate::panel::who().as_deref(), js_sys::Date::now()).into_iter().map(|r| r.reference).collect(),
        };
        let Some(bundle) = ({
            crate::capture::refresh(ui.config.with_untracked(|c| c.app_version.clone()));
            let tags = tags_read(ui);
            with_context(|c| bundle::build(c, &request, bundle::reference_code(random48()), js_sys::Date::now(), &tags))
        }) else {
            return;
        };
        ui.sent.set(Some(Sent { reference: bundle.reference.clone(), delivery: Delivery::Pending }));
        crate::handoff::memory::remember(&bundle.reference, bundle.created_at, crate::panel::who());
        crate::handoff::memory::save_draft("");
        ui.draft.set(String::new());
        ui.screen.set(Screen::Sent);
        crate::panel::widget::focus_soon(".sent h3");
        deliver(ui, bundle);
    };

    let toggle = |label: String, detail: String, signal: RwSignal<bool>| {
        view! {
            <label class="share">
                <input type="checkbox" prop:checked=move || !signal.get() on:change=move |ev| signal.set(!event_target_checked(&ev))/>
                <span>{label}<span class="detail">{detail}</span></span>
            </label>
        }
    };

    view! {
        <form class="escalate" on:submit=submit novalidate>
            <h3 class="escalate-title">{ui.t("person")}</h3>
            <label class="field">
                <span>{ui.t("what_wrong")}</span>
                <textarea
                    rows="4"
                    prop:value=move || ui.draft.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        crate::handoff::memory::save_draft(&text);
                        ui.draft.set(text);
                    }
                ></textarea>
            </label>
            {(!identified).then(|| view! {
                <label class="field">
                    <span>{ui.t("email")}</span>
                    <input type="email" autocomplete="email" prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                </label>
            })}
            <fieldset class="preview">
                <legend>{ui.t("share")}</legend>
                <p class="always">
                    {ui.fill("share_always", &[("pages", &pages.max(1).to_string())])}
                    {(tried > 0).then(|| format!(" {}", ui.fill("share_tried", &[("n", &tried.to_string())])))}
                </p>
                {toggle(ui.t("share_errors"), ui.fill("share_errors_detail", &[("errors", &errors.to_string()), ("console", &console.to_string())]), omit_console)}
                {toggle(ui.t("share_requests"), ui.fill("share_requests_detail", &[("n", &requests.to_string())]), omit_network)}
                {toggle(ui.t("share_activity"), ui.fill("share_activity_detail", &[("n", &steps.to_string())]), omit_activity)}
            </fieldset>
            {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
            <button type="submit" class="chip primary send">{ui.t("send")}</button>
        </form>
    }
}

/// After sending.
#[component]
pub fn SentView(
    /// The widget's UI state.
    ui: Ui,
) -> impl IntoView {
    view! {
        <div class="sent" role="status">
            {move || ui.sent.get().map(|sent| {
                let (headline, next) = match &sent.delivery {
                    Delivery::Pending => (ui.t("sending"), ui.t("one_moment")),
                    Delivery::Delivered(Some(ticket)) => (ui.t("sent"), format!("{} {}", ui.fill("sent_ticket", &[("ticket", ticket)]), ui.t("sent_body"))),
                    Delivery::Delivered(None) => (ui.t("sent"), ui.t("sent_body")),
                    Delivery::Mail(_) => (ui.t("mail"), ui.t("mail_body")),
                    Delivery::Queued => (ui.t("queued"), ui.t("queued_body")),
                    Delivery::Failed(why) => (ui.t("not_sent"), format!("{} {}", ui.t(why), ui.t("not_sent_body"))),
                };
                let mail = match &sent.delivery {
                    Delivery::Mail(url) => Some(view! { <a class="chip primary mail" href=url.clone() target="_blank" rel="noopener noreferrer">{ui.t("send_mail")}</a> }),
                    _ => None,
                };
                view! {
                    <h3 tabindex="-1">{headline}</h3>
                    <p>{ui.t("reference")}" "<strong class="reference">{sent.reference.clone()}</strong></p>
                    <p>{next}</p>
                    {mail}
                }
            })}
        </div>
    }
}
