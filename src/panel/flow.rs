//! Guided flows: an article's steps, each optionally highlighting a host element and declaring
//! a success check that Baton verifies live before moving on. At any step the user can say
//! "That didn't work"; the step reached is recorded for the handoff.
//!
//! The highlight is an outline drawn in Baton's own shadow root over the element's box
//! (`pointer-events: none`), so the host page is never modified and stays clickable.

use baton_core::answers::kb::{route_matches, Article, Check};
use baton_core::capture::context::{FlowOutcome, FlowRecord};
use crate::platform::log;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// How often the highlight follows its element and the step's check is evaluated.
const TICK: Duration = Duration::from_millis(200);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Status {
    Running,
    Completed,
    Failed,
}

#[derive(Clone, Copy, Debug, PartialEq, Default)]
struct Rect {
    top: f64,
    left: f64,
    width: f64,
    height: f64,
}

fn visible_match(selector: &str) -> Result<Option<Element>, ()> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or(())?;
    let list = doc.query_selector_all(selector).map_err(|_| ())?;
    Ok((0..list.length())
        .filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .find(|el| !crate::capture::dom::is_private(el) && el.get_client_rects().length() > 0))
}

/// A CSS length in px.
fn px(value: f64) -> String {
    baton_core::number::format(value) + "px"
}

/// Whether a step's check holds now. A KB selector that does not parse never holds (and is
/// reported once by the caller).
fn check_holds(check: &Check) -> Result<bool, ()> {
    Ok(match check {
        Check::Route { pattern } => {
            let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
            route_matches(pattern, &path)
        }
        Check::Appears { selector } => visible_match(selector)?.is_some(),
        Check::Disappears { selector } => visible_match(selector)?.is_none(),
        Check::Text { text } => {
            let body = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body());
            let content = body.and_then(|b| b.text_content()).unwrap_or_default();
            baton_core::case::lower(&content).contains(&baton_core::case::lower(text))
        }
    })
}

crate::platform::lazy::lazy_part!(flows, preload = preload_flows,
    /// The flow runner (in the `flows` part).
    pub fn runner_part(ui: crate::panel::Ui, article: Article, exit: Callback<()>) -> AnyView {
        baton_core::i18n::later::register();
        Ok(view! { <FlowRunner ui=ui article=article exit=exit/> }.into_any())
    }
);

/// Runs `article`'s flow. `exit` is called when the user leaves it.
#[component]
pub fn FlowRunner(
    /// The widget's UI state.
    ui: crate::panel::Ui,
    /// The article whose steps to run.
    article: Article,
    /// Leave the flow.
    exit: Callback<()>,
) -> impl IntoView {
    let steps = article.flow.clone();
    let total = steps.len();
    let step = RwSignal::new(0usize);
    let status = RwSignal::new(Status::Running);
    let rect: RwSignal<Option<Rect>> = RwSignal::new(None);
    let scrolled_for = StoredValue::new(usize::MAX);
    let reported = StoredValue::new(false);
    let id = article.id.clone();
    let title = article.title.clone();

    let record = {
        let id = id.clone();
        move |outcome: FlowOutcome| {
            let reached = step.get_untracked() as u32 + 1;
            let r = FlowRecord { id: id.clone(), step: reached.min(total as u32), steps: total as u32, outcome, at: js_sys::Date::now() };
            crate::capture::part::record(crate::capture::part::Op::Flow(r));
        }
    };

    let tick = {
        let steps = steps.clone();
        let record = record.clone();
        move || {
            if status.get_untracked() != Status::Running {
                return;
            }
            let n = step.get_untracked();
            let Some(current) = steps.get(n) else { return };
            let target = current.highlight.as_deref().map(visible_match);
            let bad_selector = matches!(target, Some(Err(())));
            let element = target.and_then(Result::ok).flatten();
            if let Some(el) = &element {
                if scrolled_for.get_value() != n {
                    scrolled_for.set_value(n);
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    el.scroll_into_view_with_scroll_into_view_options(&options);
                }
                let r = el.get_bounding_client_rect();
                rect.set(Some(Rect { top: r.top(), left: r.left(), width: r.width(), height: r.height() }));
            } else {
                rect.set(None);
            }
            let holds = current.check.as_ref().map(check_holds);
            if bad_selector || matches!(holds, Some(Err(()))) {
                if !reported.get_value() {
                    reported.set_value(true);
                    log::warn(&format!("flow of article \"{id}\", step {}: a selector in it is not valid CSS", n + 1));
                }
                return;
            }
            if holds == Some(Ok(true)) {
                if n + 1 >= total {
                    status.set(Status::Completed);
                    rect.set(None);
                    record(FlowOutcome::Completed);
                } else {
                    step.set(n + 1);
                }
            }
        }
    };
    tick();
    let handle = set_interval_with_handle(tick, TICK).ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    // Leaving mid-flow is recorded too: the agent learns how far the user got.
    let abandon = record.clone();
    on_cleanup(move || {
        if status.try_get_untracked() == Some(Status::Running) {
            abandon(FlowOutcome::Abandoned);
        }
    });

    let fail = record.clone();
    let step_text = {
        let steps = steps.clone();
        move || steps.get(step.get()).map(|s| s.text.clone()).unwrap_or_default()
    };
    let has_check = {
        let steps = steps.clone();
        move || steps.get(step.get()).is_some_and(|s| s.check.is_some())
    };
    view! {
        <div class="flow" role="region" aria-label=ui.t("flow")>
            {move || match status.get() {
                Status::Running => {
                    let (step_text, hint_shown, next_hidden, fail) = (step_text.clone(), has_check.clone(), has_check.clone(), fail.clone());
                    view! {
                    <p class="flow-progress">{move || ui.fill("flow_progress", &[("n", &(step.get() + 1).to_string()), ("total", &total.to_string())])}</p>
                    <p class="flow-step" aria-live="polite">{step_text}</p>
                    <p class="flow-hint" hidden=move || !hint_shown()>{ui.t("flow_hint")}</p>
                    <div class="flow-actions">
                        <button type="button" class="chip primary" hidden=next_hidden
                            on:click=move |_| {
                                if step.get_untracked() + 1 >= total {
                                    status.set(Status::Completed);
                                    rect.set(None);
                                } else {
                                    step.update(|s| *s += 1);
                                }
                            }>{ui.t("next")}</button>
                        <button type="button" class="chip" on:click=move |_| {
                            status.set(Status::Failed);
                            rect.set(None);
                            fail(FlowOutcome::Failed);
                        }>{ui.t("didnt_work")}</button>
                        <button type="button" class="chip" on:click=move |_| exit.run(())>{ui.t("stop")}</button>
                    </div>
                }.into_any()
                }
                Status::Completed => view! {
                    <p class="flow-done" role="status">{ui.t("flow_done")}</p>
                    <button type="button" class="chip" on:click=move |_| exit.run(())>{ui.t("back_to_article")}</button>
                }.into_any(),
                Status::Failed => {
                    let title = title.clone();
                    view! {
                    <p class="flow-failed" role="status">
                        {move || ui.fill("flow_failed", &[("n", &(step.get() + 1).to_string())])}
                    </p>
                    <button type="button" class="chip primary" on:click=move |_| {
                        ui.escalate(&ui.fill("flow_escalate", &[("title", &title), ("n", &(step.get_untracked() + 1).to_string())]));
                    }>{ui.t("ask")}</button>
                    <button type="button" class="chip" on:click=move |_| exit.run(())>{ui.t("back_to_article")}</button>
                }.into_any()
                }
            }}
        </div>
        {move || rect.get().map(|r| view! {
            <div
                class="highlight"
                aria-hidden="true"
                style:top=px(r.top - 6.0)
                style:left=px(r.left - 6.0)
                style:width=px(r.width + 12.0)
                style:height=px(r.height + 12.0)
            ></div>
        })}
    }
}
