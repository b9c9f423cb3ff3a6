//! Baton: an in-app support widget that already knows where the customer is and what went wrong.
//!
//! A host page includes one classic script, `widget/loader.js`. The loader keeps the
//! `Baton(...)` command queue, draws the launcher inside an open shadow root and, on intent,
//! imports this crate's wasm-bindgen glue and calls [`host::api::boot`]. From then on every
//! `Baton(...)` call goes straight to [`host::api::command`].
//!
//! What the widget, the relay and `baton-kb` all speak — the KB format and the answers engine,
//! the Context and the bundle, config, theme and strings, every limit — is the target-independent
//! core crate, [`baton_core`]. This crate is the browser's half, in layers that import one way
//! (ARCHITECTURE.md):
//! - [`host`]: the JS API surface (`boot`, `command`), mount, config, repaint, destroy;
//! - [`panel`]: the Leptos screens, their shared state, the live widget (open, close, focus,
//!   events);
//! - [`knowledge`]: the KB, its search part, meaning table and encoder; [`handoff`]: the outbox
//!   and what the browser remembers of handoffs; [`capture`]: the page's events into the
//!   core's Context;
//! - [`platform`]: fetch, JSON, console lines, lazily loaded parts, the browser's text jobs.
#![deny(missing_docs)]

pub mod analytics;
pub mod capture;
pub mod conversation;
pub mod handoff;
pub mod host;
pub mod knowledge;
pub mod panel;
pub mod platform;

/// The widget's version, reported to the host and stamped on everything Baton sends.
pub const VERSION: &str = baton_core::VERSION;
