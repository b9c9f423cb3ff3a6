//! What the host tells capture, and asks of it: `identify`, `context`, `reset` and `snapshot`
//! (README, JS API). Run in the capture part (`part`), in the order the calls were made.

use baton_core::capture::context::Identity;
use baton_core::capture::identity_token;
use crate::capture::with_context;
use crate::platform::json::{from_js, to_js};
use crate::platform::log;
use js_sys::{Array, Function};
use wasm_bindgen::{JsCast, JsValue};

/// Runs `identify`, `context` or `reset` (`args`: the call's arguments, name first).
pub fn command(args: &Array) {
    match args.get(0).as_string().as_deref() {
        Some("identify") => identify(&args.get(1)),
        Some("context") => match from_js(&args.get(1), "context attributes") {
            serde_json::Value::Object(attrs) => {
                for problem in with_context(|c| c.merge_custom(&attrs)).unwrap_or_default() {
                    log::warn(&format!("context {problem}; ignored"));
                }
            }
            _ => log::warn("context({...}) needs an object of attributes"),
        },
        Some("reset") => {
            with_context(|c| c.reset());
        }
        _ => {}
    }
}

fn identify(value: &JsValue) {
    let serde_json::Value::Object(fields) = from_js(value, "identify") else {
        log::warn("identify({token}) needs an object (or {id, email, name, account, signature})");
        return;
    };
    let get = |key: &str| match fields.get(key) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(baton_core::number::format_json(n)),
        Some(serde_json::Value::Null) | None => None,
        Some(_) => {
            log::warn(&format!("identify: `{key}` must be a string or a number; ignored"));
            None
        }
    };
    let mut identity = Identity { id: get("id"), email: get("email"), name: get("name"), account: get("account"), signature: get("signature"), ..Identity::default() };
    if let Some(token) = get("token") {
        // Only the relay can verify the token; a malformed or expired one is dropped here, so the
        // visitor goes on anonymously rather than with an identity that will not verify.
        match identity_token::read(&token, js_sys::Date::now() / 1000.0) {
            Ok(claims) => {
                identity.id = Some(claims.sub);
                identity.email = claims.email.or(identity.email);
                identity.name = claims.name.or(identity.name);
                identity.account = claims.account.or(identity.account);
                identity.token = Some(token);
            }
            Err(problem) => {
                log::warn(&format!("identify: {problem}; Baton works as anonymous until identify is called with a valid token"));
                with_context(|c| c.identity = None);
                return;
            }
        }
    }
    with_context(|c| c.identify(identity));
}

/// The current redacted Context as a plain JS object, handed to `callback` when one is given.
pub fn snapshot(callback: JsValue, app_version: Option<String>) -> JsValue {
    crate::capture::refresh(app_version);
    let value = with_context(|c| to_js(&*c)).unwrap_or(JsValue::NULL);
    if let Some(callback) = callback.dyn_ref::<Function>() {
        if callback.call1(&JsValue::NULL, &value).is_err() {
            log::error("the snapshot callback threw");
        }
    } else if !callback.is_undefined() {
        log::warn("snapshot(callback): callback must be a function");
    }
    value
}
