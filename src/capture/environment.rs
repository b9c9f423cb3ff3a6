//! Browser, device and locale, read from the page.

use baton_core::capture::context::Environment;
use baton_core::capture::user_agent;
use baton_core::limits::truncate_chars;

/// Reads the environment now (viewport and online state change, so read it again on demand).
pub fn read() -> Environment {
    let Some(window) = web_sys::window() else { return Environment::default() };
    let navigator = window.navigator();
    let ua = navigator.user_agent().unwrap_or_default();
    let (browser, os) = user_agent::parse(&ua);
    let px = |v: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0).max(0.0) as u32;
    let screen = window.screen().ok();
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
    let timezone = js_sys::Reflect::get(&options, &"timeZone".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    Environment {
        browser,
        os,
        user_agent: truncate_chars(&ua, 300),
        viewport: [px(window.inner_width()), px(window.inner_height())],
        screen: screen.map(|s| [s.width().unwrap_or(0).max(0) as u32, s.height().unwrap_or(0).max(0) as u32]).unwrap_or_default(),
        pixel_ratio: window.device_pixel_ratio(),
        language: navigator.language().unwrap_or_default(),
        timezone,
        online: navigator.on_line(),
        app_version: None,
    }
}
