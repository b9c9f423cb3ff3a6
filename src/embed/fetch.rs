//! Baton's own HTTP requests (the KB, handoff POSTs): one way to make them, marked with a
//! `baton: true` member in the `RequestInit` — ignored by the browser, read by the loader's
//! `fetch` hook so that Baton's traffic is never recorded as the host's failed requests.

use wasm_bindgen::{JsCast, JsValue};

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

/// Sends `request`; `Err` for a network error (or no window).
pub async fn own_fetch(request: OwnRequest<'_>) -> Result<OwnResponse, ()> {
    let window = web_sys::window().ok_or(())?;
    let set = |o: &js_sys::Object, k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(o, &JsValue::from_str(k), v);
    };
    let init = js_sys::Object::new();
    let headers = js_sys::Object::new();
    for (k, v) in request.headers {
        set(&headers, k, &JsValue::from_str(v));
    }
    set(&init, "method", &request.method.into());
    set(&init, "headers", &headers);
    if let Some(body) = request.body {
        set(&init, "body", &body.into());
        // Lets a handoff POST finish even if the tab closes (within the browser's 64 KB limit).
        set(&init, "keepalive", &JsValue::from_bool(body.len() < 60_000));
    }
    set(&init, "baton", &JsValue::TRUE);
    let promise = window.fetch_with_str_and_init(request.url, init.unchecked_ref());
    let response: web_sys::Response = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| ())?.unchecked_into();
    let retry_after = response.headers().get("Retry-After").ok().flatten();
    let text = match response.text() {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    Ok(OwnResponse { status: response.status(), retry_after, text })
}
