//! Following the customer's conversations: open (or resume) the relay session, read the list,
//! then follow every change — the relay's server-sent events, read with `fetch` (the session in
//! a header, never in a URL; `Last-Event-ID` on every reconnect), and a long poll when a proxy
//! will not pass a stream.
//! After a reconnect or a reload nothing is missed: each asks for what came after its last
//! sequence number.

use super::client::{self, Failed};
use super::session::{self, Stored};
use super::Conversations;
use crate::platform::log;
use baton_core::wire::{self, ConversationSummary, SessionRequest};
use crate::platform::fetch::{own_stream, OwnRequest};
use crate::platform::timer::sleep;
use baton_core::wire::sse::SseReader;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

/// The conversations and the messages that arrived live, for the screens (in this part, so
/// that the first module carries none of their code); cleared by reset and destroy.
#[derive(Clone)]
pub struct Data {
    /// The conversations, newest first; `None` before the first answer.
    pub list: ArcRwSignal<Option<Vec<ConversationSummary>>>,
    /// Updates that arrived live, oldest first (the open thread shows its own).
    pub arrived: ArcRwSignal<Vec<wire::Update>>,
}

thread_local! {
    static DATA: RefCell<Option<Data>> = const { RefCell::new(None) };
    /// The relay and identity token being followed, so that asking again changes nothing.
    static STARTED_FOR: RefCell<Option<(String, Option<String>)>> = const { RefCell::new(None) };
}

/// The screens' data, made on first use.
pub fn data() -> Data {
    DATA.with(|d| d.borrow_mut().get_or_insert_with(|| Data { list: ArcRwSignal::new(None), arrived: ArcRwSignal::new(Vec::new()) }).clone())
}

/// Forgets the screens' data and what is followed (reset, destroy).
pub fn clear() {
    let old = DATA.with(|d| d.borrow_mut().take());
    drop(old);
    STARTED_FOR.with(|s| *s.borrow_mut() = None);
}

/// Whether the screens' data or a followed relay is held.
pub fn holds_state() -> bool {
    DATA.with(|d| d.borrow().is_some()) || STARTED_FOR.with(|s| s.borrow().is_some())
}

/// Ends a stored session on the relay (`Baton('reset')`).
pub fn end(relay: String, stored: String) {
    let Some(token) = session::token_of(&stored) else { return };
    leptos::task::spawn_local(async move {
        let _ = client::end(&relay, &token).await;
    });
}

/// A live follow: dropping it stops the stream (at its next chunk or keep-alive) and the long poll.
pub struct Follower {
    stopped: Rc<Cell<bool>>,
}

impl Drop for Follower {
    fn drop(&mut self) {
        self.stopped.set(true);
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// The session for `token` on `relay`: the stored one when it is for the same identity, else a
/// new one (an identity token the relay refuses leaves the visitor anonymous, and says why).
async fn session_for(relay: &str, token: Option<String>) -> Option<String> {
    let sub = token.as_deref().and_then(|t| baton_core::capture::identity_token::read(t, now() / 1000.0).ok()).map(|c| c.sub);
    if let Some(s) = session::stored(relay, sub.as_deref(), now()) {
        return Some(s.token);
    }
    let request = SessionRequest { token: token.clone(), visitor: Some(session::visitor()) };
    match client::open(relay, &request).await {
        Ok(created) => {
            let sub = if created.verified { sub } else { None };
            session::store(&Stored { token: created.session.clone(), relay: relay.to_string(), sub, expires_at: created.expires_at as f64 });
            Some(created.session)
        }
        Err(Failed::Identity(why)) if token.is_some() => {
            log::warn(&format!("the relay refused the identity token ({why}); conversations go on as an anonymous visitor"));
            Box::pin(session_for(relay, None)).await
        }
        Err(e) => {
            log::warn(&format!("conversations are unavailable for now: {e:?}"));
            None
        }
    }
}

/// Opens (or resumes) the relay session for `token` (`None`: the anonymous visitor), reads the
/// list, then follows changes (see the module's doc) — unless the same relay and token are
/// followed already.
pub fn start(relay: String, token: Option<String>, conversations: Conversations) {
    let wanted = Some((relay.clone(), token.clone()));
    if STARTED_FOR.with(|s| s.replace(wanted.clone())) == wanted {
        return;
    }
    leptos::task::spawn_local(async move {
        let wanted = (relay.clone(), token.clone());
        if !follow_from_list(relay, token, conversations).await {
            // Not followed: the next ask tries again (unless another was asked for meanwhile).
            STARTED_FOR.with(|s| {
                if s.borrow().as_ref() == Some(&wanted) {
                    *s.borrow_mut() = None;
                }
            });
        }
    });
}

async fn follow_from_list(relay: String, token: Option<String>, conversations: Conversations) -> bool {
    let mut retried = false;
    let (session, listed) = loop {
        let Some(session) = session_for(&relay, token.clone()).await else { return false };
        match client::list(&relay, &session).await {
            Ok(listed) => break (session, listed),
            Err(Failed::Session) if !retried => {
                // Ended elsewhere (sign-out on another tab, expiry): a new one, once.
                session::take();
                retried = true;
            }
            Err(e) => {
                log::warn(&format!("conversations are unavailable for now: {e:?}"));
                return false;
            }
        }
    };
    // Asked for someone else meanwhile (identify, reset): that one wins.
    if STARTED_FOR.with(|s| s.borrow().as_ref() != Some(&(relay.clone(), token.clone()))) {
        return true;
    }
    conversations.unread.set(listed.unread.max(0) as usize);
    conversations.any.set(!listed.conversations.is_empty());
    data().list.set(Some(listed.conversations));
    super::keep(Some(follow(relay, session, listed.seq, conversations)));
    true
}

/// Applies one update to the signals.
fn apply(conversations: Conversations, update: wire::Update) {
    let data = data();
    conversations.any.set(true);
    data.list.update(|list| {
        let Some(c) = list.as_mut().and_then(|l| l.iter_mut().find(|c| c.reference == update.reference)) else { return };
        match update.kind.as_str() {
            "status" => c.status = update.body.clone(),
            "read" => c.unread = 0,
            "message" => {
                if update.author.as_deref() == Some("agent") {
                    c.unread += 1;
                }
                c.last = Some(update.clone());
            }
            _ => {}
        }
    });
    data.arrived.update(|a| {
        if !a.iter().any(|u| u.seq == update.seq) {
            a.push(update);
        }
    });
}

/// Follows the stream from `after`: each connection resumes after the last event it got
/// (`Last-Event-ID`); after three connections in a row that brought nothing, the long poll takes
/// over (a proxy that buffers the stream).
fn follow(relay: String, session: String, after: i64, conversations: Conversations) -> Follower {
    let stopped = Rc::new(Cell::new(false));
    let last = Rc::new(Cell::new(after));
    let follower = Follower { stopped: stopped.clone() };
    leptos::task::spawn_local(async move {
        let url = format!("{relay}/v1/stream");
        let auth = format!("Bearer {session}");
        let mut fruitless = 0;
        while !stopped.get() {
            let resume = last.get().to_string();
            let headers = [("Authorization", auth.as_str()), ("Last-Event-ID", resume.as_str())];
            let mut got_any = false;
            match own_stream(OwnRequest { url: &url, method: "GET", headers: &headers, body: None }).await {
                Ok((200, Some(mut body))) => {
                    let mut reader = SseReader::default();
                    while let Some(chunk) = body.next().await {
                        if stopped.get() {
                            return;
                        }
                        for event in reader.push(&chunk) {
                            got_any = true;
                            receive(conversations, &last, &event.event, &event.data);
                        }
                    }
                }
                Ok((401, _)) => return,
                _ => {}
            }
            fruitless = if got_any { 0 } else { fruitless + 1 };
            if fruitless >= 3 {
                poll(relay, session, last, stopped, conversations).await;
                return;
            }
            sleep(Duration::from_millis(1000 * (1 << fruitless))).await;
        }
    });
    follower
}

/// One event of the stream: an `update` (its id is its sequence number) or the `unread` count.
fn receive(conversations: Conversations, last: &Cell<i64>, event: &str, data: &str) {
    match event {
        "update" => {
            if let Ok(update) = crate::platform::json::parse::<wire::Update>(data) {
                last.set(last.get().max(update.seq));
                apply(conversations, update);
            }
        }
        "unread" => {
            if let Some(count) = crate::platform::json::parse::<serde_json::Value>(data).ok().and_then(|v| v["unread"].as_i64()) {
                conversations.unread.set(count.max(0) as usize);
            }
        }
        _ => {}
    }
}

/// The long poll: `GET /v1/updates?after=` until stopped, waiting longer after each failure.
async fn poll(relay: String, session: String, last: Rc<Cell<i64>>, stopped: Rc<Cell<bool>>, conversations: Conversations) {
    let mut failures = 0;
    while !stopped.get() {
        match client::updates(&relay, &session, last.get()).await {
            Ok(found) => {
                failures = 0;
                if stopped.get() {
                    return;
                }
                last.set(last.get().max(found.seq));
                for update in found.updates {
                    apply(conversations, update);
                }
                conversations.unread.set(found.unread.max(0) as usize);
            }
            Err(Failed::Session) => return,
            Err(_) => {
                failures += 1;
                sleep(Duration::from_millis(1000 * (1 << failures.min(5)))).await;
            }
        }
    }
}
