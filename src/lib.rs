//! Baton: an in-app support widget that already knows where the customer is and what went wrong.
//!
//! A host page includes one classic script, `widget/loader.js`. The loader keeps the
//! `Baton(...)` command queue, draws the launcher inside an open shadow root and, on intent,
//! imports this crate's wasm-bindgen glue and calls [`embed::api::boot`]. From then on every
//! `Baton(...)` call goes straight to [`embed::api::command`].
//!
//! Modules:
//! - [`embed`]: the JS API surface, config parsing and the shadow-root mount.
//! - [`ui`]: Leptos components, rendered inside the shadow root.
//! - [`theme`]: theme config and WCAG contrast; [`i18n`]: every user-visible string.
//! - [`json`]: JSON text in and out, one parser and one writer.
//! - [`case`]: lowercase without core's case tables (the browser's own in the wasm).
//! - [`lazy`]: the parts the release build loads after the first screen.
//! - [`limits`]: every bound Baton keeps, in one place.
//! - [`number`]: numbers read from and written as text, and powers, without core's float tables.
//! - [`sort`]: the one sort, so that the wasm holds std's sort once.
//! - [`log`]: Baton's own console lines, always prefixed so that they can be told apart.
#![deny(missing_docs)]

pub mod answers;
pub mod capture;
pub mod case;
pub mod embed;
pub mod handoff;
pub mod i18n;
pub mod json;
pub mod lazy;
pub mod limits;
pub mod log;
pub mod number;
pub mod sort;
pub mod theme;
pub mod ui;

/// The widget's version, reported to the host and stamped on everything Baton sends.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
