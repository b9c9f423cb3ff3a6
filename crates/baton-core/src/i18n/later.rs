//! The strings only the lazily loaded screens show — an article's (the `article` part), the form
//! to reach a person, what follows it
//! and the requests already sent (the `handoff` part), guided flows (the `flows` part), the
//! conversations and their unread count (the `conversation` part) — in every language, kept
//! out of the first module: they are here, reachable only from [`register`], which
//! each of those screens calls before it renders, so the build moves them into the parts'
//! shared code; [`find`] reads them once registered. Keys are in [`KEYS`] (in the first
//! module, for `strings` config checks). Generated, with the first screen's, from `strings.json`.

use std::cell::Cell;

// KEYS, EN, FR, AR and TABLES, generated from strings.json (its `"in": "later"` entries).
include!(concat!(env!("OUT_DIR"), "/i18n_later.rs"));

thread_local! {
    static REGISTERED: Cell<Option<&'static [(&'static str, &'static [(&'static str, &'static str)])]>> = const { Cell::new(None) };
}

/// Makes these strings available to [`find`] (called by each lazily loaded screen that shows
/// them; once is enough, more is harmless).
pub fn register() {
    REGISTERED.with(|r| r.set(Some(TABLES)));
}

/// The text for `key` in language `code`, else English; `None` before [`register`], or for a
/// key that is not here.
pub fn find(code: &str, key: &str) -> Option<&'static str> {
    let tables = REGISTERED.with(|r| r.get())?;
    let in_lang = |code: &str| {
        let table = tables.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)?;
        table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    };
    in_lang(code).or_else(|| in_lang("en"))
}
