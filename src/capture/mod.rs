//! Capture: Baton's eyes on the host page.
pub mod context;
pub mod redact;
pub mod stack;
