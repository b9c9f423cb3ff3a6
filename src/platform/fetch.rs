//! Baton's own HTTP requests (the KB, handoff POSTs, help-desk calls): one way to make them,
//! through gloo-net. Each `Request` object is handed to the loader's registry (`own`, passed
//! at boot) before it is sent, so the loader's `fetch` hook can tell Baton's traffic from the
//! host's and never records it as one of the host's failed requests.

use gloo_net::http::{Request, RequestBuilder};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    /// The loader's `own(request)`: adds a Request to the set its fetch hook ignores.
    static REGISTER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Keeps the loader's registry function (from `boot`); `None` outside the loader (tests).
pub(crate) fn register_own(register: Option<js_sys::Function>) {
    REGISTER.with(|r| *r.borrow_mut() = register);
}

/// Whether a loader's registry function is kept (`destroy` lets it go).
pub(crate) fn holds_state() -> bool {
    REGISTER.with(|r| r.borrow().is_some())
}

/// A request Baton makes.
pub struct OwnRequest<'a> {
    /// URL.
    pub url: &'a str,
    /// `GET`, `POST` or `DELETE`.
    pub method: &'a str,
    /// Extra headers.
    pub headers: &'a [(&'a str, &'a str)],
    /// Body, for a POST.
    pub body: Option<&'a str>,
}

/// The response: status, `Retry-After`, and the body text.
pub struct OwnResponse {
    /// HTTP status.
    pub status: u16,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<String>,
    /// The body as text (empty when unreadable).
    pub text: String,
}

fn build(request: &OwnRequest<'_>) -> Option<web_sys::Request> {
    let mut builder = match request.method {
        "POST" => Request::post(request.url),
        "DELETE" => Request::delete(request.url),
        _ => Request::get(request.url),
    };
    for (k, v) in request.headers {
        builder = builder.header(k, v);
    }
    match request.body {
        Some(body) => with_keepalive(builder, body),
        None => builder.build().ok().map(Into::into),
    }
}

/// A POST that may finish even if the tab closes (within the browser's 64 KB keepalive limit).
/// gloo-net's builder has no keepalive, so the built request is copied with it set.
fn with_keepalive(builder: RequestBuilder, body: &str) -> Option<web_sys::Request> {
    let built: web_sys::Request = builder.body(body).ok()?.into();
    if body.len() >= 60_000 {
        return Some(built);
    }
    // web-sys has no setter for `keepalive`; the browser reads it off the init object.
    let init = web_sys::RequestInit::new();
    let _ = js_sys::Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::TRUE);
    Some(web_sys::Request::new_with_request_and_init(&built, &init).unwrap_or(built))
}

/// Builds `request` and hands it to the loader's registry, so that its hook ignores it.
fn own(request: &OwnRequest<'_>) -> Option<web_sys::Request> {
    let raw = build(request)?;
    REGISTER.with(|r| {
        if let Some(register) = r.borrow().as_ref() {
            let _ = register.call1(&JsValue::NULL, &raw);
        }
    });
    Some(raw)
}

/// A response body read as it arrives (a stream of server-sent events).
pub struct BodyStream {
    reader: JsValue,
    read: js_sys::Function,
}

impl BodyStream {
    /// The next chunk of bytes; `None` when the body ended or failed.
    pub async fn next(&mut self) -> Option<Vec<u8>> {
        let promise = self.read.call0(&self.reader).ok()?.dyn_into::<js_sys::Promise>().ok()?;
        let chunk = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
        if js_sys::Reflect::get(&chunk, &JsValue::from_str("done")).ok()?.is_truthy() {
            return None;
        }
        let value = js_sys::Reflect::get(&chunk, &JsValue::from_str("value")).ok()?;
        Some(js_sys::Uint8Array::new(&value).to_vec())
    }
}

impl Drop for BodyStream {
    fn drop(&mut self) {
        // Closes the connection (a stream left open would keep it until the server ends it).
        if let Ok(cancel) = js_sys::Reflect::get(&self.reader, &JsValue::from_str("cancel")).and_then(|f| f.dyn_into::<js_sys::Function>()) {
            let _ = cancel.call0(&self.reader);
        }
    }
}

/// Sends `request` and hands back its status and its body as a stream; `Err` for a network error.
pub async fn own_stream(request: OwnRequest<'_>) -> Result<(u16, Option<BodyStream>), ()> {
    let response = Request::from(own(&request).ok_or(())?).send().await.map_err(|_| ())?;
    let status = response.status();
    let body: Option<web_sys::ReadableStream> = response.body();
    let stream = body.and_then(|b| {
        let get_reader = js_sys::Reflect::get(&b, &JsValue::from_str("getReader")).ok()?.dyn_into::<js_sys::Function>().ok()?;
        let reader = get_reader.call0(&b).ok()?;
        let read = js_sys::Reflect::get(&reader, &JsValue::from_str("read")).ok()?.dyn_into::<js_sys::Function>().ok()?;
        Some(BodyStream { reader, read })
    });
    Ok((status, stream))
}

/// Sends `request`; `Err` for a network error (or a request the browser refused to build).
pub async fn own_fetch(request: OwnRequest<'_>) -> Result<OwnResponse, ()> {
    let response = Request::from(own(&request).ok_or(())?).send().await.map_err(|_| ())?;
    let retry_after = response.headers().get("Retry-After");
    let text = response.text().await.unwrap_or_default();
    Ok(OwnResponse { status: response.status(), retry_after, text })
}
