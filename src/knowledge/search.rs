//! The lazily loaded part `search` (`crate::platform::lazy`): reading a KB, building its index and the
//! engine that ranks it. The first screen cannot list an answer before the KB has
//! arrived anyway, so the part is fetched alongside the KB (`knowledge` calls
//! [`preload_search`] before awaiting the KB's fetch): first open does not wait for it longer
//! than it waited already, and the panel's frame, search box and status show without it.
//!
//! The engine reaches the first module as three function pointers ([`Searchable`]); the code
//! behind them (KB parsing, the index builder, ranking, stemming) lives in the part.

use baton_core::answers::index::Index;
use baton_core::answers::kb::{self, Article, KbProblem};
use baton_core::answers::rank::{Hit, PageContext};
use std::sync::Arc;

/// The engine's entry points, from the `search` part.
#[derive(Clone, Copy)]
struct Engine {
    build: fn(Vec<Article>) -> Index,
    search: fn(&Index, &str, &PageContext, bool, usize) -> Vec<Hit>,
    suggest: fn(&Index, &PageContext, usize) -> Vec<Hit>,
}

/// A KB's index together with the engine that searches it. Reads like the [`Index`] it holds.
#[derive(Clone)]
pub struct Searchable {
    /// The index (shared with what is still showing its results).
    pub index: Arc<Index>,
    engine: Engine,
}

impl std::ops::Deref for Searchable {
    type Target = Index;
    fn deref(&self) -> &Index {
        &self.index
    }
}

impl Searchable {
    /// Ranks the KB for `query` on this page ([`Index::search`]).
    pub fn search(&self, query: &str, context: &PageContext, typing: bool, limit: usize) -> Vec<Hit> {
        (self.engine.search)(&self.index, query, context, typing, limit)
    }

    /// Articles for this page before anything is typed ([`Index::suggest`]).
    pub fn suggest(&self, context: &PageContext, limit: usize) -> Vec<Hit> {
        (self.engine.suggest)(&self.index, context, limit)
    }

    /// Changes the index in place when this is its only holder — so nothing is built twice —
    /// or else a rebuilt copy, leaving the one others hold as it was.
    pub fn change(&mut self, change: impl FnOnce(&mut Index)) {
        if Arc::get_mut(&mut self.index).is_none() {
            self.index = Arc::new((self.engine.build)(self.index.articles.clone()));
        }
        if let Some(index) = Arc::get_mut(&mut self.index) {
            change(index);
        }
    }
}

/// A KB as config gives it: JSON text (fetched from `kb`'s URL) or inline articles.
pub enum Source {
    /// The text of a KB file.
    Text(String),
    /// Articles given inline in config.
    Value(serde_json::Value),
}

crate::platform::lazy::lazy_part!(search, preload = preload_search,
    /// Reads a KB and indexes its articles by words (in the `search` part); returns it with the
    /// articles that were skipped and why.
    pub fn index_part(source: Source) -> (Searchable, Vec<KbProblem>) {
        let (articles, problems) = match &source {
            Source::Text(text) => kb::parse(text),
            Source::Value(value) => kb::from_value(value),
        };
        let engine = Engine { build: Index::build_lexical, search: Index::search, suggest: Index::suggest };
        Ok((Searchable { index: Arc::new((engine.build)(articles)), engine }, problems))
    }
);
