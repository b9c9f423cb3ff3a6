//! The panel: Leptos components rendered inside the widget's shadow root, the state they share
//! ([`Ui`]), the live widget they act on ([`widget`]: open, close, focus, the host's listeners)
//! and the events a host can listen to ([`events`]). Screens are an enum in a signal (no router:
//! a router would take over the host's links). The screens: [`app`] (the shell), [`answers`]
//! (search, suggestions, articles), [`escalate`] (reaching a person), [`flow`] (guided flows).

pub mod answers;
pub mod app;
pub mod conversations;
pub mod effort;
pub mod escalate;
pub mod events;
pub mod flow;
pub mod widget;

use baton_core::answers::rank::PageContext;
use baton_core::config::Config;
use crate::knowledge::KbState;
use baton_core::i18n::Strings;
use crate::platform::lazy::NotLoaded;
use leptos::prelude::*;
use std::future::Future;

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
    /// The customer's conversations.
    Conversations,
    /// One conversation: the one [`Ui::thread`] names.
    Thread,
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
    /// The user-visible strings: language from config or the browser, plus overrides.
    pub strings: Memo<Strings>,
    /// The customer's conversations with the team (replies, unread count).
    pub conversations: crate::conversation::Conversations,
    /// The reference of the conversation [`Screen::Thread`] shows.
    pub thread: RwSignal<String>,
}

impl Ui {
    /// Fresh state for a newly mounted widget. `browser_languages`: `navigator.languages`.
    pub fn new(config: Config, browser_languages: Vec<String>) -> Ui {
        let config = RwSignal::new(config);
        let strings = Memo::new(move |_| {
            config.with(|c| {
                let wanted = c.locale.iter().chain(browser_languages.iter()).map(String::as_str);
                Strings::new(baton_core::i18n::choose(wanted), c.strings.clone())
            })
        });
        Ui {
            strings,
            open: RwSignal::new(false),
            config,
            kb: RwSignal::new(KbState::None),
            screen: RwSignal::new(Screen::Home),
            query: RwSignal::new(String::new()),
            page: RwSignal::new(PageContext::default()),
            draft: RwSignal::new(crate::handoff::memory::draft()),
            sent: RwSignal::new(None),
            conversations: crate::conversation::Conversations::new(),
            thread: RwSignal::new(String::new()),
        }
    }

    /// The text for a key of the string table. Not tracked: the panel is rebuilt when the
    /// language changes, which keeps each text a plain string in the view.
    pub fn t(self, key: &str) -> String {
        self.strings.with_untracked(|s| s.get(key))
    }

    /// [`Ui::t`] with `{name}` placeholders filled.
    pub fn fill(self, key: &str, args: &[(&str, &str)]) -> String {
        self.strings.with_untracked(|s| s.fill(key, args))
    }

    /// The panel's heading: the host's `title`, else the language's.
    pub fn title(self) -> String {
        self.config.with(|c| c.title.clone()).unwrap_or_else(|| self.t("title"))
    }

    /// Opens the form to reach a person, prefilled with `description` when the draft is empty.
    pub fn escalate(self, description: &str) {
        if self.draft.with_untracked(|d| d.trim().is_empty()) && !description.trim().is_empty() {
            self.draft.set(description.trim().to_string());
        }
        self.screen.set(Screen::Escalate);
        crate::panel::widget::focus_soon(".escalate textarea");
    }
}

/// Who the user is for remembering their references: the host's id, else email.
pub fn who() -> Option<String> {
    crate::capture::with_context(|c| c.identity.as_ref().and_then(|i| i.id.clone().or_else(|| i.email.clone()))).flatten()
}

thread_local! {
    /// Whether the panel has shown, so that the parts are wanted (`preload_parts`).
    static PARTS_WANTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Fetches the lazily loaded parts (`crate::platform::lazy`) half a second after the panel shows, so that
/// their fetch and compile do not compete with the open itself (warm open, median of 9 on the
/// benchmark's page: 41.7 ms when they started at once, 31.5–34.8 ms so), and so that reaching
/// a person or starting a guided flow does not wait on the network, and still works if the
/// connection drops later. A part that fails is fetched again on first use, or by
/// [`preload_parts_again`] when the browser is back online.
pub fn preload_parts() {
    PARTS_WANTED.with(|w| w.set(true));
    set_timeout(
        || {
            leptos::task::spawn_local(async {
                let _ = answers::preload_article().await;
                let _ = escalate::preload_handoff().await;
                let _ = flow::preload_flows().await;
            })
        },
        std::time::Duration::from_millis(500),
    );
}

/// `destroy`: the conversations stop, and the next widget's parts wait for its own panel.
pub fn forget() {
    PARTS_WANTED.with(|w| w.set(false));
    conversations::stop();
}

/// Whether the panel's thread-local state holds anything of a widget (tests check it is all
/// gone after `destroy`).
pub fn holds_state() -> bool {
    PARTS_WANTED.with(|w| w.get()) || conversations::holds_state()
}

/// [`preload_parts`] again if the panel has shown (a part loaded before costs nothing: the
/// loader remembers it); before that, nothing is fetched.
pub fn preload_parts_again() {
    if PARTS_WANTED.with(|w| w.get()) {
        preload_parts();
    }
}

/// A lazily loaded screen, being fetched.
type Loading = std::pin::Pin<Box<dyn Future<Output = Result<AnyView, NotLoaded>> + Send>>;

/// A screen from a lazily loaded part: nothing while it loads (normally it was fetched when the
/// panel first showed); if it cannot be loaded, a line saying so and a button to try again.
pub fn lazy_screen<F, Fut>(ui: Ui, load: F) -> AnyView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, NotLoaded>> + Send + 'static,
{
    // One copy of the view code for every screen: only this boxing is per caller.
    lazy_screen_boxed(ui, Box::new(move || Box::pin(load()) as Loading))
}

fn lazy_screen_boxed(ui: Ui, load: Box<dyn Fn() -> Loading + Send + Sync>) -> AnyView {
    let attempt = RwSignal::new(0usize); // usize: the one counter type of the views (each signal type is its own code)
    (move || {
        attempt.track();
        let loading = load();
        Suspend::new(async move {
            match loading.await {
                Ok(view) => view,
                Err(NotLoaded) => view! {
                    <div class="part-failed" role="alert">
                        <p class="status">{ui.t("part_failed")}</p>
                        <button type="button" class="chip" on:click=move |_| attempt.update(|n| *n += 1)>{ui.t("retry")}</button>
                    </div>
                }
                .into_any(),
            }
        })
    })
    .into_any()
}

#[cfg(test)]
mod strings {
    #[test]
    fn every_key_the_ui_asks_for_exists() {
        // The UI looks strings up by key (`ui.t`, `ui.fill`): a typo there would show the key.
        let sources = [
            include_str!("app.rs"),
            include_str!("answers.rs"),
            include_str!("escalate.rs"),
            include_str!("flow.rs"),
            include_str!("conversations.rs"),
            include_str!("effort.rs"),
            include_str!("mod.rs"),
            include_str!("widget.rs"),
            include_str!("../host/mount.rs"),
        ];
        let mut asked = 0;
        for source in sources {
            for pattern in [".t(\"", ".fill(\"", "Failed(\""] {
                for rest in source.split(pattern).skip(1) {
                    let key = rest.split('"').next().unwrap();
                    assert!(baton_core::i18n::is_key(key), "the UI asks for unknown string {key:?}");
                    asked += 1;
                }
            }
        }
        assert!(asked > 50, "only {asked} lookups found: did the UI stop using the table?");
        let all = sources.concat();
        for (key, _) in baton_core::i18n::EN.iter().chain(baton_core::i18n::later::EN) {
            assert!(all.contains(&format!("\"{key}\"")), "{key} is in the table but nothing shows it");
        }
    }
}
