//! The query's embedding from the relay's sentence encoder (`encoder` in config: the relay's
//! `POST /v1/encode`, docs/answers.md, "Answers"), for a KB whose meaning table has the encoder's view of
//! its units. Results are shown from words and the table at once; the encoder's ranking
//! replaces them when its vector arrives. A relay that cannot be reached, or that answers with
//! something else, is reported once on the console and left alone for a while — search goes on
//! without it.

use baton_core::answers::index::Index;
use baton_core::config::Config;
use crate::knowledge::KbState;
use leptos::prelude::{RwSignal, WithUntracked};
use baton_core::answers::rank::{Hit, PageContext};
use crate::platform::fetch::{own_fetch, OwnRequest};
use crate::platform::log;
use baton_core::wire::{EncodeRequest, EncodeResponse, ErrorBody};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

/// The encoder's ranking of a query, being fetched.
pub type Ranking = std::pin::Pin<Box<dyn std::future::Future<Output = Option<Vec<Hit>>>>>;

// In the `meaning` part (`knowledge::meaning`), with the rest of what the encoder needs.
crate::platform::lazy::lazy_part!(meaning,
    /// `query` ranked with the encoder's embedding of it (in the `meaning` part: the future's
    /// code is built there); `None` when the encoder gave none, when `config` names no encoder
    /// or consent is required and not given (search stays on the page), or when `kb` holds
    /// another index by the time the embedding arrives (a KB loaded again: these hits would
    /// name its articles by the old numbers).
    pub fn rank_part(config: RwSignal<Config>, kb: RwSignal<KbState>, index: Arc<Index>, query: String, page: PageContext, limit: usize) -> Ranking {
        Ok(Box::pin(async move {
            let url = config.try_with_untracked(|c| c.encoder.clone().filter(|_| crate::conversation::allowed(c.consent_required))).flatten()?;
            let encoded = index.encoded.as_ref()?;
            let (model, dims) = (encoded.model.clone(), encoded.input_dims());
            let vector = embed(&url, query.trim(), &model, dims).await?;
            let current = kb.try_with_untracked(|k| matches!(k, KbState::Ready(now) if Arc::ptr_eq(&now.index, &index))).unwrap_or(false);
            current.then(|| index.search_with(&query, Some(&vector), &page, true, limit))
        }))
    }
);

/// Embeddings kept, by query text (typing back and forth asks again for none of them).
const CACHE: usize = 64;
/// After a failure, the encoder is not asked again for this long.
const BACK_OFF_MS: f64 = 30_000.0;

thread_local! {
    static CACHED: RefCell<Vec<(String, Rc<Vec<f32>>)>> = const { RefCell::new(Vec::new()) };
    /// Until when the encoder is left alone (after a failure), and whether that was said.
    static OFF_UNTIL: Cell<f64> = const { Cell::new(0.0) };
    static REPORTED: Cell<bool> = const { Cell::new(false) };
}

fn fail<T>(url: &str, why: &str) -> Option<T> {
    OFF_UNTIL.with(|o| o.set(js_sys::Date::now() + BACK_OFF_MS));
    if !REPORTED.with(|r| r.replace(true)) {
        log::warn(&format!("encoder {url} could not be used ({why}); answers rank by the meaning table's words"));
    }
    None
}

/// The encoder's embedding of `text` (`dims` values), from the cache or the relay; `None`
/// when the relay is failing or answers with another model or size.
pub async fn embed(url: &str, text: &str, model: &str, dims: usize) -> Option<Rc<Vec<f32>>> {
    if let Some(hit) = CACHED.with(|c| c.borrow().iter().find(|(t, _)| t == text).map(|(_, v)| v.clone())) {
        return Some(hit);
    }
    if js_sys::Date::now() < OFF_UNTIL.with(Cell::get) {
        return None;
    }
    // Nothing typed leaves the page unredacted: emails, card and phone numbers, keys become a
    // neutral word before the relay sees the query.
    let body = crate::platform::json::write(&EncodeRequest { text: baton_core::capture::redact::for_encoder(text) });
    let request = OwnRequest { url, method: "POST", headers: &[("Content-Type", "application/json")], body: Some(&body) };
    let response = match own_fetch(request).await {
        Err(()) => return fail(url, "network error"),
        Ok(r) if r.status != 200 => {
            let message = crate::platform::json::parse::<ErrorBody>(&r.text).ok().map(|e| e.message);
            return fail(url, &format!("HTTP {}{}", r.status, message.map(|m| format!(": {m}")).unwrap_or_default()));
        }
        Ok(r) => r,
    };
    let Ok(answer) = crate::platform::json::parse::<EncodeResponse>(&response.text) else {
        return fail(url, &format!("its answer is not an embedding (model, dims, vector); the meaning table is for {model} ({dims})"));
    };
    let vector: Vec<f32> = answer.vector.iter().map(|x| *x as f32).collect();
    if answer.model != model || vector.len() != dims {
        return fail(url, &format!("it answers with model {:?} of {} dimensions; the meaning table is for {model} ({dims})", answer.model, vector.len()));
    }
    REPORTED.with(|r| r.set(false));
    let vector = Rc::new(vector);
    CACHED.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE {
            c.remove(0);
        }
        c.push((text.to_string(), vector.clone()));
    });
    Some(vector)
}
