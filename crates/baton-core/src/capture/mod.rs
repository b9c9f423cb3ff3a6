//! Capture's pure model: the [`context::Context`] that only capture writes (folding, bounds,
//! rate limits), the loader's [`early`] buffer rule, [`redact`]ion of secrets, [`stack`] traces and the [`user_agent`]. The widget's
//! `capture` module feeds it from the page.

pub mod context;
pub mod early;
pub mod identity_token;
pub mod redact;
pub mod stack;
pub mod user_agent;
