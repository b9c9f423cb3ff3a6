//! Baton's own HTTP requests (the KB, handoff POSTs, help-desk calls): one way to make them,
//! through gloo-net. Each `Request` object is handed to the loader's registry (`own`, passed
//! at boot) before it is sent, so the loader's `fetch` hook can tell Baton's traffic from the
//! host's and never records it as one of the host's failed requests.

use gloo_net::http::{Request, RequestBuilder};
use std::cell::RefCell;
use wasm_bindgen::JsValue;

thread_local! {
    /// The loader's `own(request)`: adds a Request to the set its fetch hook ignores.
    static REGISTER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Keeps the loader's registry function (from `boot`); `None` outside the loader (tests).
pub(crate) fn register_own(register: Option<js_sys::Function>) {
    REGISTER.with(|r| *r.borrow_mut() = register);
}

/// A request Baton makes.
pub struct OwnRequest<'a> {
    /// URL.
    pub url: &'a str,
    /// `GET` or `POST`.
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
    let mut builder = if request.method == "POST" { Request::post(request.url) } else { Request::get(request.url) };
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

/// Sends `request`; `Err` for a network error (or a request the browser refused to build).
pub async fn own_fetch(request: OwnRequest<'_>) -> Result<OwnResponse, ()> {
    let raw = build(&request).ok_or(())?;
    REGISTER.with(|r| {
        if let Some(register) = r.borrow().as_ref() {
            let _ = register.call1(&JsValue::NULL, &raw);
        }
    });
    let response = Request::from(raw).send().await.map_err(|_| ())?;
    let retry_after = response.headers().get("Retry-After");
    let text = response.text().await.unwrap_or_default();
    Ok(OwnResponse { status: response.status(), retry_after, text })
}
