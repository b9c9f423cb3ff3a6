//! Browser tests, run in headless Chromium by `wasm-bindgen-test-runner`.
//!
//! Each test plays the loader's part (host element, open shadow root, launcher, queue,
//! teardown) and drives the widget through `boot` and `command`, as the loader does.
#![cfg(target_arch = "wasm32")]

use baton::host::api::{boot, command};
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Lets render effects (microtasks) and animation frames run.
async fn settle() {
    for _ in 0..2 {
        let p = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window().unwrap().request_animation_frame(&resolve).unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
    }
}

/// The body's child elements, by identity (the test runner writes its log into a body element,
/// so comparing markup would compare logs).
fn body_children() -> Vec<Element> {
    let children = document().body().unwrap().children();
    (0..children.length()).filter_map(|i| children.item(i)).collect()
}

fn call(args: &[JsValue]) {
    command(args.iter().cloned().collect::<Array>());
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

/// What the loader builds before it boots the widget.
struct FakeLoader {
    host: HtmlElement,
    root: ShadowRoot,
    launcher: HtmlElement,
    teardowns: std::rc::Rc<std::cell::Cell<u32>>,
    teardown: Closure<dyn FnMut()>,
    /// Every theme the widget asked the loader to paint, in order.
    paints: Array,
    paint: Function,
}

impl FakeLoader {
    fn new() -> FakeLoader {
        let doc = document();
        let host: HtmlElement = doc.create_element("baton-widget").unwrap().unchecked_into();
        let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).unwrap();
        let launcher: HtmlElement = doc.create_element("button").unwrap().unchecked_into();
        launcher.set_class_name("launcher");
        let label = doc.create_element("span").unwrap();
        label.set_class_name("label");
        launcher.append_child(&label).unwrap();
        root.append_child(&launcher).unwrap();
        doc.body().unwrap().append_child(&host).unwrap();
        let teardowns = std::rc::Rc::new(std::cell::Cell::new(0));
        let (count, el) = (teardowns.clone(), host.clone());
        let teardown = Closure::<dyn FnMut()>::new(move || {
            count.set(count.get() + 1);
            el.remove();
        });
        let (paint, paints) = recorder();
        FakeLoader { host, root, launcher, teardowns, teardown, paints, paint }
    }

    fn boot(&self, config: &JsValue, queue: &Array) {
        let handoff = Object::new();
        Reflect::set(&handoff, &s("root"), &self.root).unwrap();
        Reflect::set(&handoff, &s("launcher"), &self.launcher).unwrap();
        Reflect::set(&handoff, &s("config"), config).unwrap();
        Reflect::set(&handoff, &s("queue"), queue).unwrap();
        Reflect::set(&handoff, &s("teardown"), self.teardown.as_ref()).unwrap();
        Reflect::set(&handoff, &s("paint"), &self.paint).unwrap();
        boot(handoff.into()).unwrap();
    }

    fn panel(&self) -> Element {
        self.root.query_selector(".panel").unwrap().expect("panel mounted")
    }
}

/// A JS function that records its calls into an array, for event assertions.
fn recorder() -> (Function, Array) {
    let calls = Array::new();
    let f = Function::new_with_args("calls", "return function (x) { calls.push(x === undefined ? null : x); }");
    let f: Function = f.call1(&JsValue::NULL, &calls).unwrap().unchecked_into();
    (f, calls)
}

fn queued(args: &[JsValue]) -> JsValue {
    // The loader queues `arguments` objects; an array behaves the same for Array.from.
    args.iter().cloned().collect::<Array>().into()
}

#[wasm_bindgen_test]
async fn mounts_in_the_shadow_root_opens_closes_and_destroys_cleanly() {
    let body_before = body_children();
    let loader = FakeLoader::new();
    let (on_open, opens) = recorder();
    let (on_close, closes) = recorder();
    let (on_ready, readies) = recorder();
    let queue = Array::new();
    queue.push(&queued(&[s("on"), s("ready"), on_ready.clone().into()]));
    loader.boot(&Object::new().into(), &queue);
    settle().await;

    // Mounted inside the shadow root, nothing added to the light DOM but the host element.
    let panel = loader.panel();
    assert!(panel.has_attribute("hidden"), "panel starts closed");
    assert_eq!(panel.get_attribute("role").as_deref(), Some("dialog"));
    assert!(document().query_selector(".panel").unwrap().is_none(), "nothing leaks into the light DOM");
    assert_eq!(readies.length(), 1, "ready fired once");
    let version = Reflect::get(&readies.get(0), &s("version")).unwrap().as_string().unwrap();
    assert_eq!(version, baton::VERSION);
    assert_eq!(queue.length(), 0, "the replayed queue is emptied");

    call(&[s("on"), s("open"), on_open.clone().into()]);
    call(&[s("on"), s("close"), on_close.clone().into()]);
    call(&[s("open")]);
    settle().await;
    assert!(!panel.has_attribute("hidden"), "open shows the panel");
    assert_eq!(loader.launcher.get_attribute("aria-expanded").as_deref(), Some("true"));
    assert_eq!(opens.length(), 1);
    call(&[s("open")]);
    assert_eq!(opens.length(), 1, "opening an open panel emits nothing");
    // Focus moved into the panel (the shadow root's active element is the panel).
    assert_eq!(loader.root.active_element().as_ref(), Some(&panel));

    // Escape closes and returns focus to the launcher.
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    init.set_composed(true);
    let esc = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    panel.dispatch_event(&esc).unwrap();
    settle().await;
    assert!(panel.has_attribute("hidden"), "Escape closes");
    assert_eq!(closes.length(), 1);
    assert_eq!(loader.root.active_element().as_ref(), Some(loader.launcher.unchecked_ref::<Element>()));
    assert_eq!(loader.launcher.get_attribute("aria-expanded").as_deref(), Some("false"));

    // Toggle, then the close button.
    call(&[s("toggle")]);
    settle().await;
    assert!(!panel.has_attribute("hidden"));
    let close: HtmlElement = loader.root.query_selector(".close").unwrap().unwrap().unchecked_into();
    close.click();
    settle().await;
    assert!(panel.has_attribute("hidden"), "the close button closes");
    assert_eq!(closes.length(), 2);
    assert_eq!(opens.length(), 2, "toggle opened once more");

    // off() stops delivery.
    call(&[s("off"), s("open"), on_open.into()]);
    call(&[s("open")]);
    assert_eq!(opens.length(), 2, "a removed listener is not called");

    let held = baton::host::mount::state_held();
    assert!(["widget", "capture", "panel"].iter().all(|s| held.contains(s)), "a live widget holds state: {held:?}");
    call(&[s("destroy")]);
    settle().await;
    assert_eq!(baton::host::mount::state_held(), Vec::<&str>::new(), "destroy clears every thread-local state of the widget");
    assert_eq!(loader.teardowns.get(), 1, "the loader's teardown ran once");
    assert!(loader.host.parent_node().is_none());
    assert_eq!(loader.root.query_selector(".baton-app").unwrap(), None, "the panel is gone");
    assert_eq!(body_children(), body_before, "the DOM is as it was");
    assert!(document().query_selector("baton-widget").unwrap().is_none());
    // Calls after destroy are ignored, not thrown.
    call(&[s("open")]);
    call(&[s("destroy")]);
    assert_eq!(loader.teardowns.get(), 1);
}

#[wasm_bindgen_test]
fn boot_says_what_is_wrong_with_its_argument() {
    let not_a_root = Object::new();
    Reflect::set(&not_a_root, &s("root"), &document().create_element("div").unwrap()).unwrap();
    let err = boot(not_a_root.into()).unwrap_err().as_string().unwrap();
    assert_eq!(err, "[Baton] boot: `root` must be a ShadowRoot");
    assert!(baton::host::mount::state_held().is_empty(), "nothing started");
}

#[wasm_bindgen_test]
async fn queued_calls_replay_in_order_and_config_merges() {
    let loader = FakeLoader::new();
    let (on_open, opens) = recorder();
    let attrs = Object::new();
    Reflect::set(&attrs, &s("position"), &s("bottom-left")).unwrap();
    Reflect::set(&attrs, &s("cfasync"), &s("false")).unwrap();
    let init1 = Object::new();
    Reflect::set(&init1, &s("title"), &s("Acme help")).unwrap();
    let init2: JsValue = js_sys::JSON::parse(r#"{"theme": {"launcher": {"label": "Support"}, "position": "nowhere"}}"#).unwrap();
    let queue = Array::new();
    queue.push(&queued(&[s("init"), init1.into()]));
    queue.push(&queued(&[s("on"), s("open"), on_open.into()]));
    queue.push(&queued(&[s("init"), init2.into()]));
    queue.push(&queued(&[s("open")]));
    queue.push(&queued(&[s("no-such-command")]));
    queue.push(&queued(&[JsValue::from(42)]));
    loader.boot(&attrs.into(), &queue);
    settle().await;

    let panel = loader.panel();
    assert!(!panel.has_attribute("hidden"), "the queued open took effect");
    assert_eq!(opens.length(), 1, "the listener queued before open saw it");
    let title = loader.root.query_selector(".title").unwrap().unwrap();
    assert_eq!(title.text_content().as_deref(), Some("Acme help"));
    // Theme reaches the page only through the loader's paint, as plain objects.
    let painted = loader.paints.get(loader.paints.length() - 1);
    let theme = js_sys::JSON::stringify(&painted).unwrap().as_string().unwrap();
    assert!(theme.contains(r#""position":"bottom-left""#), "{theme}");
    assert!(theme.contains(r#""label":"Support""#), "{theme}");
    assert!(theme.contains(r#""lang":"en""#), "{theme}");

    // init after load merges too.
    let init3 = Object::new();
    Reflect::set(&init3, &s("title"), &s("Billing help")).unwrap();
    call(&[s("init"), init3.into()]);
    settle().await;
    assert_eq!(title.text_content().as_deref(), Some("Billing help"));

    // A second boot does not make a second widget.
    loader.boot(&Object::new().into(), &Array::new());
    assert_eq!(loader.root.query_selector_all(".panel").unwrap().length(), 1);
    call(&[s("destroy")]);
}

#[wasm_bindgen_test]
async fn a_throwing_listener_does_not_stop_the_others_or_the_widget() {
    let loader = FakeLoader::new();
    let thrower = Function::new_no_args("throw new Error('host bug')");
    let reenter = Function::new_no_args("window.__batonReentered = true");
    let (on_open, opens) = recorder();
    let queue = Array::new();
    queue.push(&queued(&[s("on"), s("open"), thrower.into()]));
    queue.push(&queued(&[s("on"), s("open"), reenter.into()]));
    queue.push(&queued(&[s("on"), s("open"), on_open.into()]));
    queue.push(&queued(&[s("on"), s("nope"), JsValue::NULL]));
    queue.push(&queued(&[s("on"), s("open"), JsValue::from(3)]));
    loader.boot(&JsValue::UNDEFINED, &queue);
    call(&[s("open")]);
    settle().await;
    assert_eq!(opens.length(), 1, "listeners after a throwing one still run");
    assert!(!loader.panel().has_attribute("hidden"));
    call(&[s("close")]);
    settle().await;

    // A listener that calls back into Baton from inside an emit (close from inside open).
    let reentrant = Closure::<dyn FnMut(JsValue)>::new(move |_| call(&[s("close")]));
    let (on_close, closes) = recorder();
    call(&[s("on"), s("open"), reentrant.as_ref().clone()]);
    call(&[s("on"), s("close"), on_close.into()]);
    call(&[s("open")]);
    settle().await;
    assert!(loader.panel().has_attribute("hidden"), "the listener's close took effect");
    assert_eq!(closes.length(), 1);
    assert_eq!(JsValue::from(true), Reflect::get(&web_sys::window().unwrap(), &s("__batonReentered")).unwrap());
    call(&[s("destroy")]);
}

fn raw(items: &[JsValue]) -> JsValue {
    items.iter().cloned().collect::<Array>().into()
}

fn snapshot_json() -> serde_json::Value {
    let value = command([s("snapshot")].into_iter().collect::<Array>());
    serde_wasm_bindgen::from_value(value).unwrap()
}

#[wasm_bindgen_test]
async fn capture_hands_over_early_events_and_records_live_ones() {
    let doc = document();
    let loader = FakeLoader::new();
    // Host markup: a masked area, a hinted element, an invalid field with its message.
    let area: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    area.set_inner_html(
        r#"<div data-baton-mask><button id="m">Card 4242</button></div>
           <span data-baton-hint="Plan: trial"></span>
           <label for="email-field">Work email</label>
           <input id="email-field" aria-invalid="true" aria-describedby="email-err" value="typed@secret.io">
           <p id="email-err">Enter a valid email</p>
           <button id="pay" class="btn primary">Pay now</button>"#,
    );
    doc.body().unwrap().append_child(&area).unwrap();
    let masked = doc.get_element_by_id("m").unwrap();
    let pay = doc.get_element_by_id("pay").unwrap();
    let now = js_sys::Date::now();
    let n = |x: f64| JsValue::from(x);
    let early = Array::new();
    early.push(&raw(&[s("nav"), n(now - 5000.0), s("load"), s("https://app.test/billing?token=abc"), s("Billing")]));
    early.push(&raw(&[s("click"), n(now - 4000.0), pay.clone().into()]));
    early.push(&raw(&[s("click"), n(now - 3900.0), masked.into()]));
    let error = js_sys::Error::new("Card declined for jane@acme.com");
    early.push(&raw(&[s("err"), n(now - 3000.0), s("Uncaught Error: Card declined for jane@acme.com"), s("https://app.test/app.js"), n(10.0), n(5.0), error.into()]));
    let args = Array::of2(&s("payment failed"), &Object::new());
    early.push(&raw(&[s("con"), n(now - 2000.0), s("warn"), args.into()]));
    early.push(&raw(&[s("req"), n(now - 1000.0), s("fetch"), s("POST"), s("https://api.test/pay?key=sk"), n(402.0), n(120.0)]));
    early.push(&raw(&[s("rej"), n(now - 500.0), JsValue::from(js_sys::BigInt::from(7u32))]));

    let handoff = Object::new();
    Reflect::set(&handoff, &s("root"), &loader.root).unwrap();
    Reflect::set(&handoff, &s("launcher"), &loader.launcher).unwrap();
    Reflect::set(&handoff, &s("queue"), &Array::new()).unwrap();
    Reflect::set(&handoff, &s("events"), &early).unwrap();
    let dropped = Object::new();
    Reflect::set(&dropped, &s("con"), &n(3.0)).unwrap();
    Reflect::set(&dropped, &s("req"), &n(2.0)).unwrap();
    Reflect::set(&handoff, &s("dropped"), &dropped).unwrap();
    boot(handoff.into()).unwrap();

    // A live event after boot, through the loader's sink.
    baton::capture::part::capture(raw(&[s("nav"), n(now), s("push"), s("https://app.test/billing/card"), s("Card")]));
    // An alert appearing now is seen by the alert watch.
    let alert = doc.create_element("div").unwrap();
    alert.set_attribute("role", "alert").unwrap();
    alert.set_text_content(Some("Payment failed: call +1 415-555-0132"));
    area.append_child(&alert).unwrap();
    settle().await;

    let snap = snapshot_json();
    let routes: Vec<&str> = snap["routes"].as_array().unwrap().iter().map(|r| r["url"].as_str().unwrap()).collect();
    assert_eq!(routes[..2], ["/billing?token=[redacted]", "/billing/card"]);
    let crumbs: Vec<&str> = snap["breadcrumbs"].as_array().unwrap().iter().map(|b| b["message"].as_str().unwrap()).collect();
    assert!(crumbs.contains(&"Clicked \"Pay now\" (button#pay)"), "{crumbs:?}");
    assert!(!crumbs.iter().any(|c| c.contains("4242")), "masked click not captured: {crumbs:?}");
    let errors = snap["errors"].as_array().unwrap();
    assert_eq!(errors[0]["message"], "Error: Card declined for [email]");
    assert_eq!(errors[0]["source"], "https://app.test/app.js:10:5");
    assert!(!errors[0]["frames"].as_array().unwrap().is_empty(), "stack parsed");
    assert_eq!(errors[1]["kind"], "consoleWarn");
    assert_eq!(errors[1]["message"], "payment failed {}");
    assert_eq!(errors[2]["message"], "7n");
    assert_eq!(snap["failedRequests"][0]["url"], "https://api.test/pay?key=[redacted]");
    assert_eq!(snap["failedRequests"][0]["status"], 402);
    assert_eq!((snap["dropped"]["early"]["console"].as_u64(), snap["dropped"]["early"]["requests"].as_u64()), (Some(3), Some(2)));
    assert_eq!(snap["alertsSeen"][0]["text"], "Payment failed: call [phone]");
    assert_eq!(snap["dom"]["hints"][0], "Plan: trial");
    let field = &snap["dom"]["invalidFields"][0];
    assert_eq!((field["label"].as_str(), field["message"].as_str()), (Some("Work email"), Some("Enter a valid email")));
    assert!(!snap.to_string().contains("typed@secret.io"), "input values are never read");

    call(&[s("destroy")]);
    area.remove();
    assert_eq!(command([s("snapshot")].into_iter().collect::<Array>()), JsValue::NULL, "nothing kept after destroy");
}

/// serde-wasm-bindgen's errors (patches/serde-wasm-bindgen) word what they did not expect as
/// serde does, a number printed by the browser rather than core's float printer.
#[wasm_bindgen_test]
fn deserialization_errors_name_the_unexpected_value_as_serde_does() {
    let message = |value: JsValue| serde_wasm_bindgen::from_value::<String>(value).unwrap_err().to_string();
    assert_eq!(message(JsValue::from(1.5)), "Error: invalid type: floating point `1.5`, expected a string");
    assert_eq!(message(JsValue::from(3.0)), "Error: invalid type: floating point `3.0`, expected a string");
    assert_eq!(message(JsValue::from(-2e-7)), "Error: invalid type: floating point `-2e-7`, expected a string");
    assert_eq!(message(JsValue::TRUE), "Error: invalid type: boolean `true`, expected a string");
    assert_eq!(serde_wasm_bindgen::from_value::<u8>(JsValue::from(300.0)).unwrap_err().to_string(), "Error: invalid value: integer `300`, expected u8");
}

/// `baton::json` in the browser goes through `JSON.parse` / `JSON.stringify`: what it writes
/// reads back as the same value, objects stay objects (not ES `Map`s), and bad text is refused
/// with the browser's reason.
#[wasm_bindgen_test]
fn json_round_trips_through_the_browser() {
    use serde_json::{json, Value};
    let value = json!({"id": "a", "n": 3, "x": 1.5, "big": 9007199254740991u64, "list": [true, null, "é\u{1F600}"], "nested": {"k": "v"}});
    let text = baton::platform::json::write(&value);
    assert_eq!(baton::platform::json::parse::<Value>(&text).unwrap(), value, "{text}");
    // Read by a parser that is not the browser's, the text is the same value.
    let independent: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(independent, value);
    let typed: Vec<(String, u32)> = baton::platform::json::parse(r#"[["a", 1], ["b", 2]]"#).unwrap();
    assert_eq!(typed, [("a".to_string(), 1), ("b".to_string(), 2)]);
    assert_eq!(baton::platform::json::write(&typed), r#"[["a",1],["b",2]]"#);
    let problem = baton::platform::json::parse::<Value>("{\"a\": ").unwrap_err();
    assert!(!problem.is_empty() && problem != "not JSON", "{problem}");
    assert!(baton::platform::json::parse::<Vec<u32>>("[\"x\"]").is_err());
}


/// In the wasm, the core's `case` and `number` use the browser's own lowercase and number
/// printing once the widget installed its platform (std's tables are not in the widget): the same
/// text as std's natively.
#[wasm_bindgen_test]
fn lowercase_and_numbers_come_from_the_browser() {
    baton::platform::install();
    assert_eq!(baton_core::case::lower("ÉCHEC DU PAIEMENT Ça"), "échec du paiement ça");
    assert_eq!(baton_core::case::lower("ΚΩΔΙΚΌΣ Пароль Ǆ 日本"), "κωδικός пароль ǆ 日本");
    assert_eq!(baton_core::case::lower("Reset PASSWORD"), "reset password");
    for (value, text) in [(3.0, "3"), (1.5, "1.5"), (-12.25, "-12.25"), (0.1 + 0.2, "0.30000000000000004"), (1e21, "1e+21"), (f64::NAN, "NaN"), (f64::NEG_INFINITY, "-Infinity")] {
        assert_eq!(baton_core::number::format(value), text);
    }
    assert_eq!(baton_core::number::parse("2.5E-2"), Some(0.025));
}

/// What the conversation stores (docs/config-and-api.md, "What is stored"): a session read back
/// only for its relay and identity, a visitor id made once, and `forget` (logout, withdrawn
/// consent) removing everything of the user's but the outbox of handoffs already on their way.
#[wasm_bindgen_test]
fn the_conversation_stores_what_it_says_and_forgets_the_user() {
    use baton::conversation::{self, session};
    baton::platform::install();
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let stored = session::Stored { token: "t0ken".into(), relay: "https://relay.example".into(), sub: Some("u_1".into()), expires_at: 2e12 };
    session::store(&stored);
    assert_eq!(session::stored("https://relay.example", Some("u_1"), 1e12), Some(stored.clone()));
    assert_eq!(session::stored("https://relay.example", Some("u_2"), 1e12), None, "another user's session is not theirs");
    assert_eq!(session::stored("https://relay.example", Some("u_1"), 3e12), None, "expired");
    assert_eq!(session::stored("https://other.example", Some("u_1"), 1e12), None);
    assert_eq!(session::token_for("https://relay.example").as_deref(), Some("t0ken"));
    let visitor = session::visitor();
    assert_eq!(visitor.len(), 32);
    assert_eq!(session::visitor(), visitor, "made once");
    assert_ne!(session::random_id(), session::random_id());
    storage.set_item("baton.draft.v1", "half a sentence").unwrap();
    storage.set_item("baton.references.v1", "[]").unwrap();
    storage.set_item("baton.outbox.v1", "[{\"reference\":\"BTN-A\"}]").unwrap();
    let counts = conversation::Conversations::new();
    let taken = conversation::forget(counts);
    assert!(taken.is_some_and(|t| t.contains("t0ken")), "the session is handed back, to end it on the relay");
    let left: Vec<String> = (0..storage.length().unwrap()).filter_map(|i| storage.key(i).unwrap()).collect();
    assert_eq!(left, ["baton.outbox.v1"], "only handoffs on their way stay");
    assert!(!session::has_stored());
}
