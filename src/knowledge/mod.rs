//! Loading the knowledge base named in config (`kb`: a URL or inline articles) into a search
//! index the UI reads. A bad KB is reported once on the console, naming each skipped article;
//! the widget keeps working with the rest (or with none). The KB's meaning table (`meaning`,
//! made by `baton-kb index`) is fetched once the KB is searchable — after the panel shows — and
//! swaps in an index that also matches by meaning; if it cannot be used, search stays on words.
//! The engine that reads and searches the KB is the lazily loaded part `search`
//! ([`search`]), fetched alongside the KB; [`meaning`] reads the meaning table, [`encoder`] asks
//! the relay to embed a query.

pub mod encoder;
pub mod meaning;
pub mod search;

use baton_core::answers::index::Index;
use baton_core::answers::kb;
use baton_core::config::KbSource;
use crate::knowledge::search::{Searchable, Source};
use crate::platform::log;
use leptos::prelude::*;

/// Where the knowledge base stands.
#[derive(Clone, Default)]
pub enum KbState {
    /// No `kb` in config.
    #[default]
    None,
    /// Being fetched.
    Loading,
    /// Ready to search.
    Ready(Searchable),
    /// Could not be loaded (the message says why).
    Failed(String),
}

fn report(source: &str, articles: usize, problems: &[kb::KbProblem]) {
    if problems.is_empty() {
        return;
    }
    let list: Vec<String> = problems.iter().take(50).map(|p| p.to_string()).collect();
    log::warn(&format!(
        "knowledge base {source}: {} article(s) skipped, {articles} loaded — {}",
        problems.len(),
        list.join("; ")
    ));
}

/// What a KB that could not be loaded means for the visitor, in its console line.
const UNAVAILABLE: &str = "search is unavailable until it can be (tried again when the panel opens, or with \"Try again\"), the rest of the widget works";

/// Reads and indexes a KB through the `search` part.
async fn index(name: &str, source: Source) -> KbState {
    match crate::knowledge::search::index_part(source).await {
        Ok((searchable, problems)) => {
            report(name, searchable.articles.len(), &problems);
            KbState::Ready(searchable)
        }
        Err(_) => {
            let why = "the widget's part that searches could not be loaded";
            log::error(&format!("knowledge base {name}: {why}; {UNAVAILABLE}"));
            KbState::Failed(why.into())
        }
    }
}

/// Changes the ready index (`Searchable::change`). Nothing after `destroy`.
fn change_ready_index(state: RwSignal<KbState>, change: impl FnOnce(&mut Index)) {
    let _ = state.try_update(|s| {
        if let KbState::Ready(searchable) = s {
            searchable.change(change);
        }
    });
}

/// Runs `then` once, in a task, when the KB is ready and the panel has shown (`shown`) — what
/// makes search smarter waits until the panel is interactive — unless a newer KB was set first.
fn once_ready_and_shown<F: std::future::Future<Output = ()> + 'static>(state: RwSignal<KbState>, shown: RwSignal<bool>, current: impl Fn() -> bool + 'static, then: impl FnOnce() -> F + 'static) {
    let then = std::cell::Cell::new(Some(then));
    Effect::new(move |_| {
        let ready = matches!(state.get(), KbState::Ready(_));
        if !current() || !ready || !shown.get() {
            return;
        }
        if let Some(then) = then.take() {
            leptos::task::spawn_local(then());
        }
    });
}

/// Learns the weights from the KB's phrasings (`answers::learn`, in the lazily loaded `meaning`
/// part) once the panel has shown — unless a meaning table (which brings its own) came first or
/// a newer KB was set. Until then the built-in weights rank.
fn learn_when_shown(state: RwSignal<KbState>, shown: RwSignal<bool>, current: impl Fn() -> bool + Copy + 'static) {
    once_ready_and_shown(state, shown, current, move || async move {
        // A part that cannot be fetched: the built-in weights stay (the table's part says so).
        let Ok(learn) = crate::knowledge::meaning::learner().await else { return };
        if !current() {
            return;
        }
        let learned = state.try_with_untracked(|s| match s {
            KbState::Ready(index) if index.semantic.is_none() => learn(index),
            _ => None,
        });
        if let Some(Some(fusion)) = learned {
            change_ready_index(state, |index| index.fusion = fusion);
        }
    });
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let request = crate::platform::fetch::OwnRequest { url, method: "GET", headers: &[], body: None };
    match crate::platform::fetch::own_fetch(request).await {
        Err(()) => Err("network error".into()),
        Ok(r) if !(200..300).contains(&r.status) => Err(format!("HTTP {}", r.status)),
        Ok(r) => Ok(r.text),
    }
}

thread_local! {
    /// Bumped by every load: a fetch that finishes after a newer `kb` was set is dropped.
    static GENERATION: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Fetches (or reads) `source` and indexes it through the `search` part into `state`, unless a
/// newer `kb` was set meanwhile (`current`).
fn fetch_into(source: KbSource, state: RwSignal<KbState>, current: impl Fn() -> bool + 'static) {
    state.try_set(KbState::Loading);
    leptos::task::spawn_local(async move {
        let next = match source {
            KbSource::Inline(value) => index("(inline)", Source::Value(value)).await,
            KbSource::Url(url) => {
                // The engine downloads while the KB does (a part that fails says so when used).
                leptos::task::spawn_local(async {
                    let _ = crate::knowledge::search::preload_search().await;
                });
                match fetch_text(&url).await {
                    Ok(text) => index(&url, Source::Text(text)).await,
                    Err(why) => {
                        log::error(&format!("knowledge base {url} could not be loaded ({why}); {UNAVAILABLE}"));
                        KbState::Failed(why)
                    }
                }
            }
        };
        // A newer `kb` may have been set, or the widget destroyed, meanwhile.
        if current() {
            state.try_set(next);
        }
    });
}

thread_local! {
    /// Loads the current `kb` again if it failed: what [`retry`] runs.
    static RETRY: std::cell::RefCell<Option<std::rc::Rc<dyn Fn()>>> = const { std::cell::RefCell::new(None) };
}

/// `destroy`: the current load ends — one still under way is dropped when it finishes, the
/// encoder's memory of it is over — and nothing is retried.
pub fn forget() {
    GENERATION.with(|g| g.set(g.get() + 1));
    let retry = RETRY.with(|r| r.borrow_mut().take());
    drop(retry);
}

/// The current KB load: every `load` and `destroy` starts a new one.
pub fn generation() -> u64 {
    GENERATION.with(|g| g.get())
}

/// Whether anything of a widget is still held here (a retry, the encoder's cache).
pub fn holds_state() -> bool {
    RETRY.with(|r| r.borrow().is_some()) || encoder::holds_state()
}

/// Loads the KB again if it could not be loaded (offline, a dead server, the `search` part
/// unreachable): the status's "Try again", and every opening of the panel after a failure.
pub fn retry() {
    if let Some(again) = RETRY.with(|r| r.borrow().clone()) {
        again();
    }
}

/// Loads `source` into `state`, then — once the KB is ready and the panel has shown (`shown`) —
/// its meaning table, if any; the latest call wins, however the fetches finish. A KB that could
/// not be loaded is tried again when the panel opens anew, or on [`retry`]. Call inside the
/// widget's reactive owner (the waits for the panel are effects).
/// With `with_encoder` (an `encoder` is configured), the table's encoder section is read too.
pub fn load(source: KbSource, meaning: Option<String>, with_encoder: bool, state: RwSignal<KbState>, shown: RwSignal<bool>) {
    let generation = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let current = move || GENERATION.with(|g| g.get()) == generation;
    learn_when_shown(state, shown, current);
    let first = source.clone();
    let again = std::rc::Rc::new(move || {
        if current() && matches!(state.try_get_untracked(), Some(KbState::Failed(_))) {
            fetch_into(source.clone(), state, current);
        }
    });
    RETRY.with(|r| *r.borrow_mut() = Some(again.clone()));
    fetch_into(first, state, current);
    Effect::new(move |was_open: Option<bool>| {
        let open = shown.get();
        if open && was_open == Some(false) {
            again();
        }
        open
    });
    let Some(url) = meaning else { return };
    // The table is not needed to search: fetch it once the KB is searchable and the panel shows.
    once_ready_and_shown(state, shown, current, move || async move {
        let unusable = |why: &str| log::warn(&format!("meaning table {url} could not be used ({why}); search matches words only"));
        let text = match fetch_text(&url).await {
            Ok(text) => text,
            Err(why) => return unusable(&why),
        };
        match crate::knowledge::meaning::table_part(text, with_encoder).await {
            Ok(Ok(attach)) if current() => change_ready_index(state, |index| {
                if let Some(why) = attach(index) {
                    log::warn(&format!("meaning table {url}: {why}"));
                }
            }),
            Ok(Ok(_)) => {}
            Ok(Err(why)) => unusable(&why),
            Err(_) => unusable("the widget's part that reads it could not be loaded"),
        }
    });
}
