//! Leptos components, rendered inside the widget's shadow root. Screens will be an enum in a
//! signal (no router: a router would take over the host's links).

pub mod app;
