//! "How easy was it to get this resolved?" — the Customer Effort Score (Dixon, Freeman and Toman)
//! asked once when a conversation is solved, on 1 (very difficult) to 7 (very easy), skippable.
//! The answer is a scorecard event (`crate::analytics`). In the `conversation` part.

use crate::panel::Ui;
use leptos::prelude::*;

/// The question for conversation `reference`, or nothing when it was asked before.
#[component]
pub(crate) fn EffortQuestion(ui: Ui, reference: String) -> impl IntoView {
    let asked = RwSignal::new(crate::analytics::effort_asked(&reference));
    let thanked = RwSignal::new(false);
    let answer = move |reference: String, score: Option<u8>| {
        crate::analytics::effort_answered(ui.config, &reference, score);
        asked.set(true);
        thanked.set(score.is_some());
    };
    move || {
        if thanked.get() {
            return Some(view! { <p class="effort-thanks" role="status">{ui.t("effort_thanks")}</p> }.into_any());
        }
        if asked.get() {
            return None;
        }
        let skip_reference = reference.clone();
        Some(
            view! {
                <section class="effort" aria-labelledby="baton-effort">
                    <p id="baton-effort" class="effort-question">{ui.t("effort_question")}</p>
                    <div class="effort-scale" role="group" aria-labelledby="baton-effort">
                        {(1u8..=7).map(|score| {
                            let reference = reference.clone();
                            view! { <button type="button" class="chip effort-score" on:click=move |_| answer(reference.clone(), Some(score))>{score.to_string()}</button> }
                        }).collect::<Vec<_>>()}
                    </div>
                    <p class="effort-legend">{ui.t("effort_scale")}</p>
                    <button type="button" class="chip effort-skip" on:click=move |_| answer(skip_reference.clone(), None)>{ui.t("effort_skip")}</button>
                </section>
            }
            .into_any(),
        )
    }
}
