//! Loading the knowledge base named in config (`kb`: a URL or inline articles) into a search
//! index the UI reads. A bad KB is reported once on the console, naming each skipped article;
//! the widget keeps working with the rest (or with none). The KB's meaning table (`meaning`,
//! made by `baton-kb index`) is fetched once the KB is searchable — after the panel shows — and
//! swaps in an index that also matches by meaning; if it cannot be used, search stays on words.

use crate::answers::index::Index;
use crate::answers::kb;
use crate::answers::meaning::Meaning;
use crate::embed::config::KbSource;
use crate::log;
use leptos::prelude::*;
use std::sync::Arc;

/// Where the knowledge base stands.
#[derive(Clone, Default)]
pub enum KbState {
    /// No `kb` in config.
    #[default]
    None,
    /// Being fetched.
    Loading,
    /// Ready to search.
    Ready(Arc<Index>),
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

fn build(source: &str, parsed: (Vec<kb::Article>, Vec<kb::KbProblem>)) -> KbState {
    let (articles, problems) = parsed;
    report(source, articles.len(), &problems);
    KbState::Ready(Arc::new(Index::build(articles)))
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let request = crate::embed::fetch::OwnRequest { url, method: "GET", headers: &[], body: None };
    match crate::embed::fetch::own_fetch(request).await {
        Err(()) => Err("network error".into()),
        Ok(r) if !(200..300).contains(&r.status) => Err(format!("HTTP {}", r.status)),
        Ok(r) => Ok(r.text),
    }
}

thread_local! {
    /// Bumped by every load: a fetch that finishes after a newer `kb` was set is dropped.
    static GENERATION: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Loads `source` (then `meaning`, if any) into `state`; the latest call wins, however the
/// fetches finish.
pub fn load(source: KbSource, meaning: Option<String>, state: RwSignal<KbState>) {
    let generation = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let current = move || GENERATION.with(|g| g.get()) == generation;
    let inline = match &source {
        KbSource::Inline(value) => Some(build("(inline)", kb::from_value(value))),
        KbSource::Url(_) => {
            state.set(KbState::Loading);
            None
        }
    };
    if let Some(next) = &inline {
        state.set(next.clone());
        if meaning.is_none() {
            return;
        }
    }
    leptos::task::spawn_local(async move {
        let next = match (inline, source) {
            (Some(next), _) => next,
            (None, KbSource::Url(url)) => match fetch_text(&url).await {
                Ok(text) => build(&url, kb::parse(&text)),
                Err(why) => {
                    log::error(&format!("knowledge base {url} could not be loaded ({why}); search is unavailable, the rest of the widget works"));
                    KbState::Failed(why)
                }
            },
            (None, KbSource::Inline(_)) => return,
        };
        // A newer `kb` may have been set, or the widget destroyed, meanwhile.
        if !current() || state.try_set(next.clone()).is_some() {
            return;
        }
        let (Some(url), KbState::Ready(index)) = (meaning, next) else { return };
        match fetch_text(&url).await.and_then(|text| Meaning::from_json(&text)) {
            Ok((table, fusion)) if current() => {
                let mut with_meaning = Index::build_lexical(index.articles.clone());
                with_meaning.attach_meaning(table, fusion);
                let _ = state.try_set(KbState::Ready(Arc::new(with_meaning)));
            }
            Ok(_) => {}
            Err(why) => log::warn(&format!("meaning table {url} could not be used ({why}); search matches words only")),
        }
    });
}
