//! Applies the theme on the page through the loader's `paint`, then derives the colours that
//! depend on what the browser resolved (config, host CSS or custom CSS — whichever won):
//! text on the accent, the accent as link text, and a warning when text would be unreadable.

use baton_core::theme::contrast::{self, Rgb};
use js_sys::{Array, Function};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, ShadowRoot};

/// What one repaint found.
pub struct Painted {
    /// Theme keys whose values the browser rejected (not written).
    pub rejected: Vec<String>,
    /// Contrast problems in the host's own colours, in words.
    pub problems: Vec<String>,
}

fn call(paint: &Function, theme: &JsValue, css: &str) -> Vec<String> {
    match paint.call2(&JsValue::NULL, theme, &JsValue::from_str(css)) {
        Ok(bad) => bad.dyn_into::<Array>().map(|a| a.iter().filter_map(|v| v.as_string()).collect()).unwrap_or_default(),
        Err(_) => vec!["(the loader's paint failed)".into()],
    }
}

/// The probe: an invisible element whose computed colours are the resolved tokens, normalised
/// to `color(srgb …)` by `color-mix` whatever syntax the host used.
fn probe(root: &ShadowRoot) -> Option<(Rgb, Rgb, Rgb)> {
    let probe: HtmlElement = root.query_selector(".probe").ok().flatten()?.unchecked_into();
    let style = web_sys::window()?.get_computed_style(&probe).ok().flatten()?;
    let read = |p: &str| Rgb::parse(&style.get_property_value(p).ok()?);
    Some((read("color")?, read("background-color")?, read("border-top-color")?))
}

/// Repaints: the theme and custom CSS first, then the derived colours on top.
pub fn repaint(paint: &Function, root: &ShadowRoot, theme: &serde_json::Value, custom_css: &str) -> Painted {
    let theme = crate::platform::json::to_js(theme);
    let mut rejected = call(paint, &theme, custom_css);
    let mut problems = Vec::new();
    let Some((accent, bg, fg)) = probe(root) else {
        return Painted { rejected, problems };
    };
    let on_accent = contrast::on_accent(accent);
    let link = contrast::readable_on(accent, bg);
    let text = contrast::ratio(fg, bg);
    if text < contrast::AA {
        problems.push(format!(
            "text {} on background {} has contrast {}:1, below WCAG AA (4.5:1); check --baton-fg and --baton-bg",
            fg.hex(),
            bg.hex(),
            contrast::one_decimal(text)
        ));
    }
    let derived = format!(":host{{--baton-on-accent:{};--baton-accent-text:{}}}", on_accent.hex(), link.hex());
    // Derived first, so that the host's custom CSS can still override them.
    rejected.extend(call(paint, &theme, &format!("{derived}{custom_css}")));
    baton_core::sort::ascending(&mut rejected);
    rejected.dedup();
    Painted { rejected, problems }
}
