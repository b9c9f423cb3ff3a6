//! The host layer: everything between the host page and the widget — the wasm-bindgen exports
//! the loader calls ([`api`]: `boot` and `command`), the widget's life in the loader's shadow
//! root ([`mount`]: mount, config, repaint, destroy), the theme written through the loader's
//! `paint` ([`paint`]) and, in the benchmark's build only (`--cfg baton_bench`, `make bench`), the
//! entry points it times (`bench`). It imports every
//! layer below it; nothing imports it (ARCHITECTURE.md).

pub mod api;
#[cfg(baton_bench)]
pub mod bench;
pub mod mount;
pub mod paint;
#[cfg(test)]
mod js_rules;
