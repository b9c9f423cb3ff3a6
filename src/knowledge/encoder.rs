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
use std::cell::RefCell;
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

/// What the encoder remembers for one KB load of one widget: embeddings by query text (typing
/// back and forth asks again for none of them), and, after a failure, until when it is left alone
/// and whether that was said.
#[derive(Default)]
struct Memory {
    /// The KB load it belongs to (`knowledge::generation`): a later load, or `destroy`, ends it.
    generation: u64,
    cached: Vec<(String, Rc<Vec<f32>>)>,
    off_until: f64,
    reported: bool,
}

thread_local! {
    static MEMORY: RefCell<Memory> = RefCell::new(Memory::default());
}

/// Runs `f` on the current load's memory; a memory of an ended load (another KB, a destroyed
/// widget) is dropped first. It is reset here, in the `meaning` part, rather than by `destroy`
/// itself, which would link its code into the first module: nothing reads it once its load has
/// ended, and [`holds_state`] says so.
fn with_memory<R>(f: impl FnOnce(&mut Memory) -> R) -> R {
    let generation = crate::knowledge::generation();
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        if m.generation != generation {
            *m = Memory { generation, ..Memory::default() };
        }
        f(&mut m)
    })
}

/// Whether the encoder remembers anything for the current KB load (nothing once `destroy` has
/// ended it).
pub fn holds_state() -> bool {
    MEMORY.with(|m| {
        let m = m.borrow();
        m.generation == crate::knowledge::generation() && (!m.cached.is_empty() || m.off_until != 0.0 || m.reported)
    })
}

fn fail<T>(url: &str, why: &str) -> Option<T> {
    let said = with_memory(|m| {
        m.off_until = js_sys::Date::now() + BACK_OFF_MS;
        std::mem::replace(&mut m.reported, true)
    });
    if !said {
        log::warn(&format!("encoder {url} could not be used ({why}); answers rank by the meaning table's words"));
    }
    None
}

/// The encoder's embedding of `text` (`dims` values), from the cache or the relay; `None`
/// when the relay is failing or answers with another model or size.
pub async fn embed(url: &str, text: &str, model: &str, dims: usize) -> Option<Rc<Vec<f32>>> {
    if let Some(hit) = with_memory(|m| m.cached.iter().find(|(t, _)| t == text).map(|(_, v)| v.clone())) {
        return Some(hit);
    }
    if with_memory(|m| js_sys::Date::now() < m.off_until) {
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
    let vector = Rc::new(vector);
    with_memory(|m| {
        m.reported = false;
        if m.cached.len() >= CACHE {
            m.cached.remove(0);
        }
        m.cached.push((text.to_string(), vector.clone()));
    });
    Some(vector)
}
