//! Baton's target-independent core: what the widget, the relay and `baton-kb` all speak.
//!
//! No browser crate is in its dependency tree on any target; the few text jobs the browser does
//! better than std in a wasm (lowercase, numbers as text, JSON) are asked of the [`platform`],
//! which the widget fills at boot.
//!
//! - [`answers`]: the KB format, text analysis, the index and ranking with page context.
//! - [`capture`]: capture's pure model: the Context, its folding and bounds, redaction, stacks.
//! - [`handoff`]: the handoff bundle and its completeness, help-desk shapes, retry timing.
//! - [`config`], [`theme`], [`values`]: the widget's settings and how each is checked.
//! - [`i18n`]: every user-visible string, in every language.
//! - [`limits`]: every bound Baton keeps, in one place.
//! - [`wire`]: the request and response bodies of every relay endpoint.
//! - [`case`], [`number`], [`sort`]: the text and ordering helpers everything above uses.
#![deny(missing_docs)]

pub mod analytics;
pub mod answers;
pub mod capture;
pub mod case;
pub mod config;
pub mod handoff;
pub mod i18n;
pub mod limits;
pub mod number;
pub mod platform;
pub mod sort;
pub mod theme;
pub mod values;
pub mod wire;

/// Baton's version (the widget's, the relay's and the tools'), stamped on everything it sends.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
