//! Entry points for the benchmark (`make bench`, `tests/bench/bench.mjs`), which times them
//! from the page exactly like it times MiniSearch. Not part of the JS API: they are reached by
//! importing `baton.js`, which returns the instance the loader already started. Compiled only
//! into the benchmark's build (`--cfg baton_bench`): exports are roots no dead-code pass removes,
//! and these were 1.7 KB gzip of the shipped first open.

use baton_core::answers::rank::PageContext;
use crate::knowledge::search::{Searchable, Source};
use crate::capture::with_context;
use baton_core::handoff::bundle::{self, Request};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static INDEX: RefCell<Option<Searchable>> = const { RefCell::new(None) };
}

/// Parses and indexes a KB (JSON text, the KB format), with its meaning table if given, as the
/// widget does once both are fetched (the weights learned, or the table's; through the lazily
/// loaded `search` and `meaning` parts, as in the widget); returns how many articles it holds
/// (0 if a part could not be fetched).
#[wasm_bindgen(js_name = benchIndex)]
pub fn bench_index(json: String, meaning: Option<String>) -> js_sys::Promise {
    // The benchmark's page imports the module without the loader: nothing booted, so the core's
    // text jobs are the browser's from here (as `boot` makes them).
    crate::platform::install();
    promise(Box::pin(async move {
        match indexing(json, meaning).await {
            Ok(indexed) => indexed.await,
            Err(_) => 0,
        }
    }))
}

/// A count being worked out.
type Indexing = std::pin::Pin<Box<dyn std::future::Future<Output = usize>>>;

/// The promise of a count, for the page: one conversion for every entry point.
fn promise(count: Indexing) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move { Ok(JsValue::from_f64(count.await as f64)) })
}

// In the `search` part, beside what it times: the first module keeps only the entry point.
crate::platform::lazy::lazy_part!(search,
    fn indexing(json: String, meaning: Option<String>) -> Indexing {
        Ok(Box::pin(async move {
            let Ok((mut index, _)) = crate::knowledge::search::index_part(Source::Text(json)).await else { return 0 };
            match meaning {
                Some(table) => {
                    if let Ok(Ok(attach)) = crate::knowledge::meaning::table_part(table, false).await {
                        index.change(|index| {
                            attach(index);
                        });
                    }
                }
                None => {
                    if let Some(fusion) = crate::knowledge::meaning::learner().await.ok().and_then(|learn| learn(&index)) {
                        index.change(|index| index.fusion = fusion);
                    }
                }
            }
            let count = index.articles.len();
            INDEX.with(|i| *i.borrow_mut() = Some(index));
            count
        }))
    }
);

/// Runs one search as the widget does while the user types (top 10); returns the hit count.
#[wasm_bindgen(js_name = benchSearch)]
pub fn bench_search(query: &str) -> usize {
    INDEX.with(|i| i.borrow().as_ref().map_or(0, |index| index.search(query, &PageContext::default(), true, 10).len()))
}

/// Builds the handoff bundle from the live context, as sending does; returns its JSON size.
#[wasm_bindgen(js_name = benchHandoff)]
pub fn bench_handoff() -> js_sys::Promise {
    promise(Box::pin(async { bundle_bytes().await.unwrap_or(0) }))
}

crate::platform::lazy::lazy_part!(handoff,
    fn bundle_bytes() -> usize {
        let request = Request { description: "The amount field rejects my number.".into(), ..Request::default() };
        Ok(with_context(|c| bundle::build(c, &request, bundle::reference_code(1), js_sys::Date::now(), &[]))
            .map(|b| crate::platform::json::write(&b))
            .map_or(0, |json| json.len()))
    }
);

/// The wasm instance's linear memory, in bytes.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    #[cfg(target_arch = "wasm32")]
    return (core::arch::wasm32::memory_size(0) * 65536) as f64;
    #[cfg(not(target_arch = "wasm32"))]
    0.0
}
