//! Handoff: packaging the session for a human. [`bundle`] is target-independent (built and
//! tested natively); the escalation UI, transport and outbox build on it.

pub mod memory;
pub mod outbox;
