//! Baton: an in-app support widget that already knows where the customer is and what went wrong.
//!
//! A host page includes one classic script, `widget/loader.js`. The loader keeps the
//! `Baton(...)` command queue, draws the launcher inside an open shadow root and, on intent,
//! imports this crate's wasm-bindgen glue and calls [`embed::api::boot`]. From then on every
//! `Baton(...)` call goes straight to [`embed::api::command`].
//!
//! What the widget, the relay and `baton-kb` all speak — the KB format and the answers engine,
//! the Context and the bundle, config, theme and strings, every limit — is the target-independent
//! core crate, [`baton_core`]. This crate is the browser's half (ARCHITECTURE.md):
//! - [`embed`]: the JS API surface, the shadow-root mount, events, the KB and the lazy parts' entry points.
//! - [`ui`]: Leptos components, rendered inside the shadow root.
//! - [`capture`]: the page's events into the core's Context; [`handoff`]: preview, outbox, transport.
//! - [`platform`]: the browser's lowercase, numbers and JSON, handed to the core at boot.
//! - [`json`]: JSON text in and out through the browser, one parser and one writer.
//! - [`lazy`]: the parts the release build loads after the first screen.
//! - [`log`]: Baton's own console lines, always prefixed so that they can be told apart.
#![deny(missing_docs)]

pub mod capture;
pub mod embed;
pub mod handoff;
pub mod json;
pub mod lazy;
pub mod log;
pub mod platform;
pub mod ui;

/// The widget's version, reported to the host and stamped on everything Baton sends.
pub const VERSION: &str = baton_core::VERSION;
