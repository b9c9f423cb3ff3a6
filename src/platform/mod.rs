//! The platform layer: what the widget asks of the browser, below every feature — [`fetch`]
//! (Baton's own requests, told apart from the host's), [`json`] (the browser's JSON), [`log`]
//! (Baton's console lines), [`lazy`] (the parts loaded after the first screen), [`guard`] (what
//! the widget adds to the page, taken back when dropped), [`storage`] (localStorage) — and the
//! browser's text jobs handed to the core ([`baton_core::platform`]): lowercase by
//! `String.prototype.toLowerCase`, numbers by `Number.prototype.toString`, powers by `Math.pow`
//! and JSON by `JSON.parse` / `JSON.stringify`, so that the wasm carries none of std's tables for
//! them. Natively the core's own std implementations stay.

pub mod fetch;
pub mod guard;
pub mod json;
pub mod lazy;
pub mod log;
pub mod timer;

/// The page's localStorage, if the browser gives one (callers check consent first).
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Hands the browser's implementations to the core; the widget's `boot` calls it first,
/// and so must any entry point that reaches the core before boot (tests).
#[inline(never)] // called by boot and by the benchmark's entry point: one copy of the table
pub fn install() {
    #[cfg(target_arch = "wasm32")]
    baton_core::platform::install(baton_core::platform::Platform {
        lower: |text| String::from(js_sys::JsString::from(text).to_lower_case()),
        format_number: |value| js_sys::Number::from(value).to_string_with_radix(10).map(String::from).unwrap_or_default(),
        pow: js_sys::Math::pow,
        parse_json: crate::platform::json::parse::<serde_json::Value>,
        write_json: |value| crate::platform::json::write(value),
    });
}
