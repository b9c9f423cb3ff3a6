//! Leptos components, rendered inside the widget's shadow root. Screens are an enum in a
//! signal (no router: a router would take over the host's links).

pub mod answers;
pub mod app;
pub mod escalate;
pub mod flow;

use crate::answers::rank::PageContext;
use crate::embed::config::Config;
use crate::embed::knowledge::KbState;
use leptos::prelude::*;

/// What the panel shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    /// Search box, suggestions and results.
    Home,
    /// One article, by index in the KB.
    Article(usize),
    /// The form to reach a person, with its preview.
    Escalate,
    /// After sending: the reference code and what happens next.
    Sent,
}

/// The widget's UI state: signals shared by the components (all `Copy`).
#[derive(Clone, Copy)]
pub struct Ui {
    /// Whether the panel shows.
    pub open: RwSignal<bool>,
    /// The live config.
    pub config: RwSignal<Config>,
    /// The knowledge base.
    pub kb: RwSignal<KbState>,
    /// The current screen.
    pub screen: RwSignal<Screen>,
    /// What the user typed in the search box (kept across screens and closing).
    pub query: RwSignal<String>,
    /// Page context for ranking and suggestions, refreshed when the panel opens.
    pub page: RwSignal<PageContext>,
    /// What the user is writing to a person (kept across screens and closing).
    pub draft: RwSignal<String>,
    /// The last handoff sent and where its delivery stands.
    pub sent: RwSignal<Option<escalate::Sent>>,
}

impl Ui {
    /// Fresh state for a newly mounted widget.
    pub fn new(config: Config) -> Ui {
        Ui {
            open: RwSignal::new(false),
            config: RwSignal::new(config),
            kb: RwSignal::new(KbState::None),
            screen: RwSignal::new(Screen::Home),
            query: RwSignal::new(String::new()),
            page: RwSignal::new(PageContext::default()),
            draft: RwSignal::new(crate::handoff::memory::draft()),
            sent: RwSignal::new(None),
        }
    }

    /// Opens the form to reach a person, prefilled with `description` when the draft is empty.
    pub fn escalate(self, description: &str) {
        if self.draft.with_untracked(|d| d.trim().is_empty()) && !description.trim().is_empty() {
            self.draft.set(description.trim().to_string());
        }
        self.screen.set(Screen::Escalate);
        crate::embed::mount::focus_soon(".escalate textarea");
    }
}

/// Who the user is for remembering their references: the host's id, else email.
pub fn who() -> Option<String> {
    crate::capture::with_context(|c| c.identity.as_ref().and_then(|i| i.id.clone().or_else(|| i.email.clone()))).flatten()
}
