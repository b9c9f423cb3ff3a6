//! The handoff's target-independent half: the [`bundle`] a person reads, its completeness
//! ([`kpi`]), the help desks' shapes of it ([`helpdesk`]) and [`retry`] timing. The widget's
//! `handoff` module previews, stores and sends it.

pub mod bundle;
pub mod helpdesk;
pub mod kpi;
pub mod retry;
