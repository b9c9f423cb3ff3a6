//! JSON text in and out: the one way Baton reads and writes JSON.
//!
//! In the browser the text goes through the browser's own `JSON.parse` / `JSON.stringify`, with
//! serde-wasm-bindgen between JS values and Rust types, so that the wasm carries no JSON parser,
//! writer or float printer of its own (serde_json's are generic over the type: each typed
//! `from_str` / `to_string` was a copy). Natively (tests, tools) serde_json does the same job.
//! `serde_json::Value` stays the dynamic type either way (`parse::<Value>` reads any JSON).

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Parses JSON text into a `T`; the error says what is wrong, for a console line.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    imp::parse(text)
}

/// Writes `value` as compact JSON text. A value JSON cannot hold (a map with non-string keys
/// or an integer beyond 2^53, which Baton's types do not have) is written as `null`.
pub fn write<T: Serialize + ?Sized>(value: &T) -> String {
    imp::write(value)
}

/// `value` as plain JS objects and arrays (not `Map`s), the shape hosts and the loader read.
/// `null` if it cannot be represented.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> wasm_bindgen::JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(wasm_bindgen::JsValue::NULL)
}

/// Reads a host-supplied JS value as JSON. Values JSON cannot hold (functions, symbols,
/// BigInt) are reported (`what` names the value) and read as `null`, which every consumer
/// treats as "nothing given".
pub fn from_js(value: &wasm_bindgen::JsValue, what: &str) -> serde_json::Value {
    if value.is_undefined() {
        return serde_json::Value::Null;
    }
    serde_wasm_bindgen::from_value(value.clone()).unwrap_or_else(|e| {
        crate::platform::log::warn(&format!("{what} could not be read ({e}); ignored"));
        serde_json::Value::Null
    })
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use js_sys::JSON;
    use wasm_bindgen::JsValue;

    pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
        let value = JSON::parse(text).map_err(|e| error_text(&e))?;
        serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
    }

    pub fn write<T: Serialize + ?Sized>(value: &T) -> String {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        value
            .serialize(&serializer)
            .ok()
            .and_then(|v| JSON::stringify(&v).ok())
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| "null".into())
    }

    /// The browser's message for a syntax error ("Unexpected token } in JSON at position 7").
    fn error_text(e: &JsValue) -> String {
        js_sys::Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| "not JSON".into())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;

    pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    pub fn write<T: Serialize + ?Sized>(value: &T) -> String {
        serde_json::to_string(value).unwrap_or_else(|_| "null".into())
    }
}
