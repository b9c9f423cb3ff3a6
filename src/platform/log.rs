//! Baton's own console lines. Every line starts with `[Baton]` so that a host developer can
//! filter them, and so that console capture can recognise and skip them (no feedback loop).

/// The prefix on every console line Baton writes.
pub const PREFIX: &str = "[Baton]";

/// Writes a warning: something the host passed was wrong, and Baton carried on without it.
pub fn warn(message: &str) {
    #[cfg(target_arch = "wasm32")]
    web_sys::console::warn_1(&format!("{PREFIX} {message}").into());
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("{PREFIX} warning: {message}");
}

/// Writes an error: something failed that the host developer should fix or know about.
pub fn error(message: &str) {
    #[cfg(target_arch = "wasm32")]
    web_sys::console::error_1(&format!("{PREFIX} {message}").into());
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("{PREFIX} error: {message}");
}
