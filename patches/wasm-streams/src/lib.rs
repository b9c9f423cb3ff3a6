//! Baton's stand-in for `wasm-streams` 0.5, linked through `[patch.crates-io]`.
//!
//! Leptos always depends on `server_fn` with its browser client, which converts request and
//! response bodies with `wasm-streams`. Baton has no server functions (its relay is a plain
//! HTTP service), so none of that code is ever called and LTO drops it — but `wasm-streams`
//! exports three JS classes (`IntoUnderlyingSource`, `IntoUnderlyingByteSource`,
//! `IntoUnderlyingSink`), and exports are roots: their code and glue stayed in the widget's
//! first-open download. This crate has the same two entry points `server_fn` uses and exports
//! nothing. Should a streaming server function ever be called, it fails with a clear error
//! instead of streaming.

use futures_util::Stream;
use std::pin::Pin;
use std::task::{Context, Poll};
use wasm_bindgen::JsValue;

/// What a streaming body reports here.
const UNSUPPORTED: &str = "streaming server function bodies are not supported in Baton (patches/wasm-streams)";

/// A readable stream of the page (`web_sys::ReadableStream`).
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    /// Wraps a stream of the page.
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        ReadableStream { raw }
    }

    /// A stream for a request body: not supported here (see the crate's documentation).
    pub fn from_stream<St>(stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        drop(stream);
        panic!("{UNSUPPORTED}")
    }

    /// The stream of the page.
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// A response body as a Rust stream: one error, then the end.
    pub fn into_stream(self) -> IntoStream<'static> {
        IntoStream { done: false, _reader: std::marker::PhantomData }
    }
}

/// See [`ReadableStream::into_stream`].
pub struct IntoStream<'reader> {
    done: bool,
    _reader: std::marker::PhantomData<&'reader ()>,
}

impl Stream for IntoStream<'_> {
    type Item = Result<JsValue, JsValue>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        self.done = true;
        Poll::Ready(Some(Err(JsValue::from_str(UNSUPPORTED))))
    }
}
