//! Handoff: packaging the session for a human. [`bundle`] is target-independent (built and
//! tested natively); the escalation UI, transport and outbox build on it.

pub mod bundle;
pub mod helpdesk;
pub mod kpi;
pub mod memory;
pub mod outbox;
pub mod retry;
