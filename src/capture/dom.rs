//! What the page shows: DOM hints read on demand, click targets described as a short stable
//! selector plus a visible label, and alert/toast text observed as it appears.
//!
//! Never reads the value of an input, select or textarea; skips everything inside an element
//! marked `data-baton-mask`, and Baton's own element.

use baton_core::capture::context::{Captured, DomHints, InvalidField, Millis};
use baton_core::limits::{truncate_chars, MAX_DOM_ITEMS, MAX_LABEL_TEXT_CHARS, MAX_SELECTOR_CHARS, MAX_TITLE_TEXT_CHARS};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, MutationObserver, MutationObserverInit, MutationRecord};

const MASK: &str = "[data-baton-mask]";
const BATON_HOST: &str = "baton-widget";
const LIVE_REGIONS: &str = "[role=alert],[role=status],[aria-live=assertive],[aria-live=polite]";
/// Elements whose label is a user's click target, searched up from the clicked node.
const INTERACTIVE: &str = "a,button,input,select,textarea,label,summary,[role=button],[role=link],[role=tab],[role=menuitem],[role=option],[role=checkbox],[role=switch]";

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// True when the element is Baton's own, or inside an element the host masked.
pub fn is_private(element: &Element) -> bool {
    element.closest(MASK).ok().flatten().is_some() || element.closest(BATON_HOST).ok().flatten().is_some()
}

/// Collapses whitespace and bounds text.
fn clean_text(text: &str, max: usize) -> String {
    truncate_chars(&text.split_whitespace().collect::<Vec<_>>().join(" "), max)
}

fn is_visible(element: &Element) -> bool {
    element.get_client_rects().length() > 0
}

/// Whether an id looks written by a person ("save-button") rather than generated ("r:1a2b").
fn stable_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 40 && id.chars().filter(|c| c.is_ascii_digit()).count() <= 3 && !id.contains(':')
}

/// Whether a class name looks stable (not a CSS-in-JS hash such as "css-1x2y3z" or "sc-AbCd").
fn stable_class(class: &str) -> bool {
    class.len() <= 30 && class.chars().filter(|c| c.is_ascii_digit()).count() <= 2 && !class.starts_with("css-") && !class.starts_with("sc-")
}

/// `<tag#id.class>` for console rendering.
pub fn describe_element(element: &Element) -> String {
    let mut s = format!("<{}", element.tag_name().to_ascii_lowercase());
    let id = element.id();
    if !id.is_empty() {
        s.push('#');
        s.push_str(&truncate_chars(&id, 40));
    }
    // The attribute, not `className`: on SVG elements that is an SVGAnimatedString.
    for class in element.get_attribute("class").unwrap_or_default().split_whitespace().take(2) {
        s.push('.');
        s.push_str(&truncate_chars(class, 30));
    }
    s.push('>');
    s
}

/// One step of a selector: `tag#id`, `tag[data-testid=…]`, `tag[name=…]` or `tag.class.class`.
fn selector_step(element: &Element) -> (String, bool) {
    let tag = element.tag_name().to_ascii_lowercase();
    let id = element.id();
    if stable_id(&id) {
        return (format!("{tag}#{id}"), true);
    }
    for attr in ["data-testid", "data-test", "data-cy", "name"] {
        if let Some(v) = element.get_attribute(attr).filter(|v| !v.is_empty() && v.len() <= 40) {
            return (format!("{tag}[{attr}=\"{v}\"]"), true);
        }
    }
    if tag == "a" {
        if let Some(href) = element.get_attribute("href").filter(|h| h.starts_with('/') && h.len() <= 40 && !h.contains('?')) {
            return (format!("a[href=\"{href}\"]"), true);
        }
    }
    let class_attr = element.get_attribute("class").unwrap_or_default();
    let classes: Vec<&str> = class_attr.split_whitespace().filter(|c| stable_class(c)).take(2).collect();
    let mut step = tag;
    for c in classes {
        step.push('.');
        step.push_str(c);
    }
    (step, false)
}

/// A short selector: up to three steps, stopping at the first one that is unique enough
/// (an id, a test id, a name).
pub fn selector(element: &Element) -> String {
    let mut steps = Vec::new();
    let mut current = Some(element.clone());
    while let Some(el) = current {
        let (step, anchored) = selector_step(&el);
        steps.push(step);
        if anchored || steps.len() == 3 || el.tag_name().eq_ignore_ascii_case("body") {
            break;
        }
        current = el.parent_element();
    }
    steps.reverse();
    truncate_chars(&steps.join(" > "), MAX_SELECTOR_CHARS)
}

/// The visible label of an element: aria-label, its text, title, alt or placeholder — never
/// a form field's value.
pub fn label(element: &Element) -> String {
    if let Some(l) = element.get_attribute("aria-label").filter(|l| !l.trim().is_empty()) {
        return clean_text(&l, MAX_LABEL_TEXT_CHARS);
    }
    let tag = element.tag_name().to_ascii_lowercase();
    if matches!(tag.as_str(), "input" | "textarea" | "select") {
        return field_label(element);
    }
    let text = element.text_content().unwrap_or_default();
    let text = clean_text(&text, MAX_LABEL_TEXT_CHARS);
    if !text.is_empty() {
        return text;
    }
    for attr in ["title", "alt"] {
        if let Some(v) = element.get_attribute(attr).filter(|v| !v.trim().is_empty()) {
            return clean_text(&v, MAX_LABEL_TEXT_CHARS);
        }
    }
    String::new()
}

/// A form field's label: `<label for>`, a wrapping label, aria-labelledby, placeholder or name.
fn field_label(element: &Element) -> String {
    let doc = document();
    let id = element.id();
    if let (Some(doc), false) = (&doc, id.is_empty()) {
        let escaped = id.replace('\\', "\\\\").replace('"', "\\\"");
        if let Ok(Some(l)) = doc.query_selector(&format!("label[for=\"{escaped}\"]")) {
            return clean_text(&l.text_content().unwrap_or_default(), MAX_LABEL_TEXT_CHARS);
        }
    }
    if let Ok(Some(l)) = element.closest("label") {
        return clean_text(&l.text_content().unwrap_or_default(), MAX_LABEL_TEXT_CHARS);
    }
    if let (Some(doc), Some(ids)) = (&doc, element.get_attribute("aria-labelledby")) {
        let text: Vec<String> = ids.split_whitespace().filter_map(|i| doc.get_element_by_id(i)).filter_map(|e| e.text_content()).collect();
        if !text.is_empty() {
            return clean_text(&text.join(" "), MAX_LABEL_TEXT_CHARS);
        }
    }
    for attr in ["placeholder", "name"] {
        if let Some(v) = element.get_attribute(attr).filter(|v| !v.trim().is_empty()) {
            return clean_text(&v, MAX_LABEL_TEXT_CHARS);
        }
    }
    String::new()
}

/// A click on `target`, as a breadcrumb: the nearest interactive ancestor's selector and label.
/// `None` for Baton's own element and anything masked.
pub fn click(at: Millis, target: &JsValue) -> Option<Captured> {
    let element = target.dyn_ref::<Element>()?;
    if is_private(element) {
        return None;
    }
    let element = element.closest(INTERACTIVE).ok().flatten().unwrap_or_else(|| element.clone());
    Some(Captured::Click { at, selector: selector(&element), label: label(&element) })
}

fn texts(doc: &Document, selector: &str, max: usize, only_visible: bool) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(list) = doc.query_selector_all(selector) else { return out };
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        if is_private(&el) || (only_visible && !is_visible(&el)) {
            continue;
        }
        let text = clean_text(&el.text_content().unwrap_or_default(), MAX_TITLE_TEXT_CHARS);
        if !text.is_empty() && !out.contains(&text) {
            out.push(text);
        }
        if out.len() == max {
            break;
        }
    }
    out
}

/// Reads what the page shows now. Strings are redacted later, by the Context.
pub fn hints() -> DomHints {
    let Some(doc) = document() else { return DomHints::default() };
    let mut headings = texts(&doc, "h1", 3, true);
    headings.extend(texts(&doc, "h2", MAX_DOM_ITEMS - headings.len(), true));
    let mut invalid_fields = Vec::new();
    if let Ok(list) = doc.query_selector_all("[aria-invalid=true]") {
        for i in 0..list.length().min(MAX_DOM_ITEMS as u32) {
            let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
            if is_private(&el) {
                continue;
            }
            invalid_fields.push(InvalidField { label: field_label(&el), message: validation_message(&doc, &el), selector: selector(&el) });
        }
    }
    let mut hints = Vec::new();
    if let Ok(list) = doc.query_selector_all("[data-baton-hint]") {
        for i in 0..list.length() {
            let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
            if is_private(&el) {
                continue;
            }
            let value = el.get_attribute("data-baton-hint").unwrap_or_default();
            let text = if value.trim().is_empty() { el.text_content().unwrap_or_default() } else { value };
            let text = clean_text(&text, MAX_TITLE_TEXT_CHARS);
            if !text.is_empty() {
                hints.push(text);
            }
            if hints.len() == MAX_DOM_ITEMS {
                break;
            }
        }
    }
    DomHints {
        title: clean_text(&doc.title(), MAX_TITLE_TEXT_CHARS),
        headings,
        alerts: texts(&doc, LIVE_REGIONS, MAX_DOM_ITEMS, true),
        invalid_fields,
        hints,
    }
}

/// The message the page shows for an invalid field: aria-errormessage, aria-describedby, or
/// the browser's own validation message (text the browser wrote, not the user).
fn validation_message(doc: &Document, el: &Element) -> String {
    for attr in ["aria-errormessage", "aria-describedby"] {
        if let Some(ids) = el.get_attribute(attr) {
            let text: Vec<String> = ids.split_whitespace().filter_map(|i| doc.get_element_by_id(i)).filter_map(|e| e.text_content()).collect();
            let text = clean_text(&text.join(" "), MAX_TITLE_TEXT_CHARS);
            if !text.is_empty() {
                return text;
            }
        }
    }
    el.dyn_ref::<web_sys::HtmlInputElement>().map(|i| clean_text(&i.validation_message().unwrap_or_default(), MAX_TITLE_TEXT_CHARS)).unwrap_or_default()
}

/// Watches the page for alert and toast text as it appears, so that a toast that vanished
/// before the user opened Baton is still known. Disconnects on drop.
///
/// The observer's callback is made by the caller (`capture::part`, outside the capture part:
/// wasm-bindgen reads a closure type's description from the first module) and hands each batch
/// of records to [`alerts_in`].
pub struct AlertWatch {
    observer: MutationObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl AlertWatch {
    /// Starts watching `document.body` with `callback`, which receives each batch of records.
    pub fn start(callback: Closure<dyn FnMut(js_sys::Array)>) -> Option<AlertWatch> {
        let body = document()?.body()?;
        let observer = MutationObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        let options = MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        options.set_character_data(true);
        // Alerts are often rendered hidden and revealed by dropping `hidden`.
        options.set_attributes(true);
        options.set_attribute_filter(&js_sys::Array::of1(&"hidden".into()));
        observer.observe_with_options(&body, &options).ok()?;
        Some(AlertWatch { observer, _callback: callback })
    }
}

/// The alert and toast texts a batch of mutation records shows, each to `record`.
pub fn alerts_in(records: &js_sys::Array, mut record: impl FnMut(Captured)) {
    let at = js_sys::Date::now();
    // Bounded work per batch, whatever the host does to its DOM.
    for record_value in records.iter().take(50) {
        let Ok(mutation) = record_value.dyn_into::<MutationRecord>() else { continue };
        let Some(node) = mutation.target() else { continue };
        let element = match node.dyn_into::<Element>() {
            Ok(e) => Some(e),
            Err(node) => node.parent_element(),
        };
        let Some(element) = element else { continue };
        let mut regions = Vec::new();
        if let Ok(Some(region)) = element.closest(LIVE_REGIONS) {
            regions.push(region);
        }
        let added = mutation.added_nodes();
        for i in 0..added.length().min(20) {
            if let Some(el) = added.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                if el.matches(LIVE_REGIONS).unwrap_or(false) {
                    regions.push(el);
                } else if let Ok(Some(inner)) = el.query_selector(LIVE_REGIONS) {
                    regions.push(inner);
                }
            }
        }
        for region in regions {
            if is_private(&region) || !is_visible(&region) {
                continue;
            }
            let text = clean_text(&region.text_content().unwrap_or_default(), MAX_TITLE_TEXT_CHARS);
            if !text.is_empty() {
                record(Captured::Alert { at, text });
            }
        }
    }
}

impl Drop for AlertWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
