//! The embed: everything between the host page and the widget.
//!
//! - [`config`]: settings and their one merge path (target-independent).
//! - [`events`]: the events a host can listen to, and their registry.
//! - [`mount`]: the widget's life in the loader's shadow root: mount, open/close, destroy.
//! - [`api`]: the wasm-bindgen exports the loader calls: `boot` and `command`.
//! - [`knowledge`]: loading the KB into a search index; [`search`]: the engine, a lazy part.
//! - [`bench`]: entry points the benchmark times (not the JS API).

pub mod api;
pub mod bench;
pub mod encoder;
pub mod events;
pub mod fetch;
pub mod knowledge;
pub mod meaning;
pub mod mount;
pub mod paint;
pub mod search;
