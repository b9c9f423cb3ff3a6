//! The conversation that follows the customer: their handoffs as conversations on the relay,
//! the agent's replies shown live (and counted unread on the launcher), their own answers, on
//! every device where they are the same verified customer.
//!
//! - [`session`]: what is stored on the device (the relay session, the anonymous visitor id) and
//!   the consent that gates it;
//! - [`client`]: the relay's conversation calls;
//! - [`live`]: following changes (server-sent events, a long poll when those fail).
//!
//! The screens are `panel::conversations`. The first module only holds [`Conversations`] (the
//! signals the screens and the launcher read) and the entry points; the rest is the
//! `conversation` part, fetched when a session is wanted.

pub mod client;
pub mod live;
pub mod session;

use leptos::prelude::*;
use std::cell::{Cell, RefCell};

/// What the first screen and the launcher read; written by [`live`], which keeps the list and
/// the messages themselves ([`live::Data`]) in the `conversation` part.
#[derive(Clone, Copy)]
pub struct Conversations {
    /// Agent messages not yet read, over every conversation.
    pub unread: RwSignal<usize>,
    /// Whether the customer has any conversation (the home screen's entry shows).
    pub any: RwSignal<bool>,
    /// How often the panel was opened: each opening is the visitor's interaction, which connects
    /// their conversations (counted, so that an opening closed at once is not missed).
    pub openings: RwSignal<usize>,
}

impl Conversations {
    /// Empty.
    pub fn new() -> Conversations {
        Conversations { unread: RwSignal::new(0), any: RwSignal::new(false), openings: RwSignal::new(0) }
    }
}

impl Default for Conversations {
    fn default() -> Self {
        Self::new()
    }
}

thread_local! {
    /// `Baton('consent', true)` was called, or the launcher was used.
    static CONSENTED: Cell<bool> = const { Cell::new(false) };
    /// The live follower (its drop stops following); `None` when disconnected.
    static FOLLOWING: RefCell<Option<live::Follower>> = const { RefCell::new(None) };
}

/// Whether the device may store and a session may open: consent is not required, or given.
pub fn allowed(consent_required: bool) -> bool {
    !consent_required || CONSENTED.with(Cell::get)
}

/// Consent given (`Baton('consent', true)`, a click on the launcher) or withdrawn.
pub fn set_consent(given: bool) {
    CONSENTED.with(|c| c.set(given));
}

/// Whether consent, a follower or the screens' data is still held.
pub fn holds_state() -> bool {
    CONSENTED.with(Cell::get) || FOLLOWING.with(|f| f.borrow().is_some()) || live::holds_state()
}

/// Keeps the follower (dropping the previous one stops it).
pub(crate) fn keep(follower: Option<live::Follower>) {
    let old = FOLLOWING.with(|f| std::mem::replace(&mut *f.borrow_mut(), follower));
    drop(old);
}

/// Stops following and forgets the screens' data (the device keeps its session).
fn stop_following() {
    keep(None);
    live::clear();
}

/// Logout (`Baton('reset')`) and withdrawn consent: stops following and removes everything the
/// widget stored for this user at once, so that the next user of a shared computer sees nothing
/// of theirs. Returns the stored session, for the caller to end it on the relay
/// ([`live::end`]).
pub fn forget(conversations: Conversations) -> Option<String> {
    stop_following();
    let stored = session::take();
    session::forget_all();
    conversations.unread.set(0);
    conversations.any.set(false);
    stored
}

/// `destroy`: following stops and this module's state is cleared (the device keeps its session).
pub fn stop() {
    stop_following();
    CONSENTED.with(|c| c.set(false));
}
