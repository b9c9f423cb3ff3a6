//! Self-service screens: search with instant results and page-aware suggestions, and the
//! article view with "Did this answer your question?".

use baton_core::answers::index::Index;
use baton_core::answers::markdown;
use baton_core::answers::shown::{shown, SearchOutcome};
use baton_core::answers::rank::{Hit, Reason};
use crate::capture::part::{self, Op};
use crate::capture::with_context;
use baton_core::capture::context::Offered;
use crate::panel::events::{payload, Event};
use crate::knowledge::KbState;
use crate::knowledge::search::Searchable;
use crate::panel::widget::{emit, focus_now, focus_soon};
use crate::panel::{Screen, Ui};
use leptos::prelude::*;
use std::time::Duration;
use web_sys::KeyboardEvent;

/// Results listed for a query.
const MAX_RESULTS: usize = baton_core::answers::shown::SHOWN_RESULTS;
/// Suggestions listed before the user types.
const MAX_SUGGESTIONS: usize = 3;
/// Quiet time after a keystroke before searching.
const DEBOUNCE: Duration = Duration::from_millis(80);

fn index_of(ui: Ui) -> Option<Searchable> {
    match ui.kb.get() {
        KbState::Ready(index) => Some(index),
        _ => None,
    }
}

fn open_article(ui: Ui, index: &Index, article: usize) {
    let a = &index.articles[article];
    let (id, title) = (a.id.clone(), a.title.clone());
    part::record(Op::Article(js_sys::Date::now(), id.clone(), title.clone()));
    // The article view focuses its title when it shows (it may be a part still being fetched).
    ui.screen.set(Screen::Article(article));
    emit(Event::ArticleViewed, &payload(&[("id", id.into()), ("title", title.into())]));
}

/// A click on a link to another article (`article:ID` in the KB) opens that article in the
/// panel; an id the KB does not have does nothing (`baton-kb check` reports those).
fn follow_article_link(ui: Ui, e: &web_sys::MouseEvent) {
    use wasm_bindgen::JsCast;
    let link = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|t| t.closest("a[data-article]").ok().flatten());
    let Some(link) = link else { return };
    e.prevent_default();
    let id = link.get_attribute("data-article").unwrap_or_default();
    if let Some(index) = index_of(ui) {
        if let Some(n) = index.articles.iter().position(|a| a.id == id) {
            open_article(ui, &index, n);
        }
    }
}

/// With an `encoder` configured and a meaning table that has the encoder's view of the KB:
/// ranks `query` again with the encoder's embedding of it, if it is still what is typed when
/// the embedding arrives.
fn refine_with_encoder(ui: Ui, index: Searchable, query: String, hits: RwSignal<Vec<Hit>>) {
    // The encoder's view of the KB is in the index only when config names an encoder.
    if index.encoded.is_none() || query.trim().is_empty() {
        return;
    }
    leptos::task::spawn_local(async move {
        let page = ui.page.get_untracked();
        let Ok(ranking) = crate::knowledge::encoder::rank_part(ui.config, ui.kb, index.index.clone(), query.clone(), page, MAX_RESULTS).await else { return };
        let Some(found) = ranking.await else { return };
        if ui.query.try_get_untracked().as_deref() != Some(query.as_str()) {
            return;
        }
        record_search(&query, &found, &index);
        hits.try_set(found);
    });
}

/// Keeps a search in the journey: its query, the articles listed, and whether the top one was
/// confident enough to be the answer (a redraw of the same query folds into one search).
fn record_search(query: &str, found: &[Hit], index: &Index) {
    let offered = found.iter().map(|h| &index.articles[h.article]).map(|a| Offered { id: a.id.clone(), title: a.title.clone() }).collect();
    part::record(Op::Search(js_sys::Date::now(), query.to_string(), shown(found), offered));
}

/// Search box, suggestions for the page, and results.
#[component]
pub fn Home(
    /// The widget's UI state.
    ui: Ui,
) -> impl IntoView {
    let hits: RwSignal<Vec<Hit>> = RwSignal::new(Vec::new());
    // The query `hits` answer: until the debounced search has run, no verdict is shown.
    let searched: RwSignal<String> = RwSignal::new(String::new());
    let active: RwSignal<usize> = RwSignal::new(0);
    let version = StoredValue::new(0u64);

    // Every run is recorded: the journey folds a redraw of the same query into one search.
    let run = move |query: String| {
        let Some(index) = index_of(ui) else { return };
        let found = if query.trim().is_empty() { Vec::new() } else { index.search(&query, &ui.page.get_untracked(), true, MAX_RESULTS) };
        record_search(&query, &found, &index);
        // The same query again (the index improved while the list showed: learned weights, a
        // meaning table) keeps the article the user's arrows are on; a new query starts at the top.
        let chosen = (searched.get_untracked() == query).then(|| hits.with_untracked(|h| h.get(active.get_untracked()).map(|h| h.article))).flatten();
        active.set(chosen.and_then(|a| found.iter().position(|h| h.article == a)).unwrap_or(0));
        hits.set(found);
        searched.set(query.clone());
        refine_with_encoder(ui, index, query, hits);
    };
    // Results for a query kept from before (the panel was closed, or the user went back), and
    // again once the KB arrives, for whatever was typed while it loaded.
    Effect::new(move |_| {
        if index_of(ui).is_some() {
            run(ui.query.get_untracked());
        }
    });

    let on_input = move |ev| {
        let value = event_target_value(&ev);
        ui.query.set(value.clone());
        let mine = version.get_value() + 1;
        version.set_value(mine);
        set_timeout(
            move || {
                if version.try_get_value() == Some(mine) {
                    run(value);
                }
            },
            DEBOUNCE,
        );
    };
    let on_keydown = move |ev: KeyboardEvent| {
        let n = hits.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1) % n);
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + n - 1) % n);
            }
            "Enter" if n > 0 => {
                ev.prevent_default();
                if let (Some(index), Some(hit)) = (index_of(ui), hits.with_untracked(|h| h.get(active.get_untracked()).cloned())) {
                    open_article(ui, &index, hit.article);
                }
            }
            _ => {}
        }
    };

    let status = move || match ui.kb.get() {
        KbState::None => Some(ui.t("kb_none")),
        KbState::Loading => Some(ui.t("kb_loading")),
        KbState::Failed(_) => Some(ui.t("kb_failed")),
        KbState::Ready(_) => None,
    };

    // The results list exists only for a non-empty query with hits.
    let listed = move || !hits.with(Vec::is_empty) && !ui.query.with(|q| q.trim().is_empty());
    view! {
        <div class="search">
            <input
                class="search-input"
                type="search"
                part="search"
                placeholder=ui.t("search")
                aria-label=ui.t("search")
                role="combobox"
                aria-autocomplete="list"
                aria-expanded=move || listed().to_string()
                aria-controls=move || listed().then_some("baton-results")
                aria-activedescendant=move || listed().then(|| format!("baton-result-{}", active.get()))
                autocomplete="off"
                prop:value=move || ui.query.get()
                on:input=on_input
                on:keydown=on_keydown
            />
        </div>
        {move || status().map(|s| {
            // A KB that could not be loaded can be tried again (it is, too, when the panel opens).
            let failed = matches!(ui.kb.get(), KbState::Failed(_));
            view! {
                <p class="status" role="status">
                    {s}
                    {failed.then(|| view! { " "<button type="button" class="link retry" on:click=move |_| crate::knowledge::retry()>{ui.t("retry")}</button> })}
                </p>
            }
        })}
        {move || {
            // Continuity: the user's requests already sent from this device (read and shown by
            // the `handoff` part, only when there are any). Re-read on open (the host may have
            // identified the user since) and after a send.
            ui.open.track();
            ui.sent.track();
            (crate::handoff::memory::has_references() && ui.query.with(|q| q.trim().is_empty()))
                .then(|| crate::panel::lazy_screen(ui, move || crate::panel::escalate::requests_part(ui)))
        }}
        {move || {
            let index = index_of(ui)?;
            if !ui.query.with(|q| q.trim().is_empty()) {
                return None;
            }
            let suggestions = index.suggest(&ui.page.get(), MAX_SUGGESTIONS);
            if suggestions.is_empty() {
                return None;
            }
            Some(view! {
                <section class="suggestions" aria-label=ui.t("suggested")>
                    {suggestions.into_iter().map(|hit| {
                        let article = &index.articles[hit.article];
                        let why = hit.reasons.iter().find_map(|r| match r {
                            Reason::Error(message) => Some(ui.fill("suggest_error", &[("error", &baton_core::limits::truncate_chars(message, 80))])),
                            _ => None,
                        }).unwrap_or_else(|| ui.t("suggest_page"));
                        let index = index.clone();
                        let n = hit.article;
                        view! {
                            <button type="button" class="suggestion" on:click=move |_| open_article(ui, &index, n)>
                                <span class="why">{why}</span>
                                <span class="result-title">{article.title.clone()}</span>
                            </button>
                        }
                    }).collect_view()}
                </section>
            })
        }}
        {move || {
            let index = index_of(ui)?;
            let query = ui.query.get();
            if query.trim().is_empty() {
                return None;
            }
            let list = hits.get();
            let confident = shown(&list) == SearchOutcome::Sure || searched.get() != query;
            Some(view! {
                <p class="no-answer" role="status" hidden=confident>
                    {if list.is_empty() { ui.t("no_match") } else { ui.t("unclear") }}" "
                    <button type="button" class="link" on:click=move |_| ui.escalate(&ui.query.get_untracked())>{ui.t("ask")}</button>
                    {(!list.is_empty()).then(|| view! { <br/>{ui.t("related")} })}
                </p>
                <ul id="baton-results" class="results" role="listbox" aria-label=ui.t("results")>
                    {list.into_iter().enumerate().map(|(i, hit)| {
                        let article = &index.articles[hit.article];
                        let index = index.clone();
                        let n = hit.article;
                        view! {
                            <li
                                id=format!("baton-result-{i}")
                                role="option"
                                class="result"
                                aria-selected=move || (active.get() == i).to_string()
                                on:click=move |_| open_article(ui, &index, n)
                            >
                                <span class="result-title">{article.title.clone()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })
        }}
    }
}

crate::platform::lazy::lazy_part!(article, preload = preload_article,
    /// The article screen (in the `article` part, with the Markdown renderer): the first screen
    /// lists articles, this one reads one.
    pub fn article_part(ui: Ui, index: usize) -> AnyView {
        baton_core::i18n::later::register();
        Ok(view! { <ArticleView ui=ui index=index/> }.into_any())
    }
);

/// One article, rendered safely, with feedback.
#[component]
pub fn ArticleView(
    /// The widget's UI state.
    ui: Ui,
    /// Index of the article in the KB.
    index: usize,
) -> impl IntoView {
    // Read untracked: the view is built inside a `Suspend`, which would otherwise render it anew
    // (losing focus and the feedback given) whenever the index improves — the meaning table or
    // the learned weights arriving while the user reads.
    let article = ui.kb.with_untracked(|kb| match kb {
        KbState::Ready(searchable) => searchable.articles.get(index).cloned(),
        _ => None,
    });
    let answered: RwSignal<Option<bool>> = RwSignal::new(None);
    let following = RwSignal::new(false);
    let Some(article) = article else {
        return view! { <p class="status">{ui.t("gone")}</p> }.into_any();
    };
    let html = markdown::to_html(&article.body);
    focus_soon(".article-title");
    let id = article.id.clone();
    let title = article.title.clone();
    let feedback = move |helpful: bool| {
        // The group holds focus while the pressed button is replaced by the answer.
        focus_now(".feedback");
        answered.set(Some(helpful));
        part::record(Op::Feedback(id.clone(), helpful));
        let searches = with_context(|c| c.journey.searches.len() as u32);
        crate::panel::widget::with_widget(|w| w.outcome.feedback(&id, &title, helpful, searches.unwrap_or(0)));
        // The button just pressed is replaced by the answer: focus follows it rather than
        // falling to the page (where Escape and Tab would no longer reach the panel).
        focus_soon(".feedback [role=status]");
        emit(Event::AnswerFeedback, &payload(&[("id", id.clone().into()), ("helpful", helpful.into())]));
    };
    let yes = feedback.clone();
    let steps = article.flow.len();
    let flow_article = article.clone();
    view! {
        <article class="article">
            <h3 class="article-title" tabindex="-1">{article.title.clone()}</h3>
            <div class="article-body" inner_html=html on:click=move |e| follow_article_link(ui, &e)></div>
        </article>
        {move || (steps > 0).then(|| if following.get() {
            let exit = Callback::new(move |_| following.set(false));
            let article = flow_article.clone();
            crate::panel::lazy_screen(ui, move || crate::panel::flow::runner_part(ui, article.clone(), exit))
        } else {
            view! {
                <button type="button" class="chip primary show-me" on:click=move |_| following.set(true)>
                    {ui.fill("show_me", &[("n", &steps.to_string())])}
                </button>
            }.into_any()
        })}
        <div class="feedback" role="group" tabindex="-1" aria-label=ui.t("helpful")>
            {move || match answered.get() {
                None => {
                    let (yes, no) = (yes.clone(), feedback.clone());
                    view! {
                        <span>{ui.t("helpful")}</span>
                        <button type="button" class="chip" on:click=move |_| yes(true)>{ui.t("yes")}</button>
                        <button type="button" class="chip" on:click=move |_| no(false)>{ui.t("no")}</button>
                    }.into_any()
                }
                Some(true) => view! { <span role="status" tabindex="-1">{ui.t("glad")}</span> }.into_any(),
                Some(false) => view! {
                    <span role="status" tabindex="-1">{ui.t("sorry")}" "</span>
                    <button type="button" class="link" on:click=move |_| ui.escalate(&ui.query.get_untracked())>{ui.t("ask")}</button>
                }.into_any(),
            }}
        </div>
    }
    .into_any()
}
