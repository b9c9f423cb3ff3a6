//! Every bound Baton keeps lives here, so that "bounded everything" can be checked in one read.

/// Longest panel title accepted from config, in characters.
pub const MAX_TITLE_CHARS: usize = 80;
/// Longest launcher label accepted from config, in characters.
pub const MAX_LABEL_CHARS: usize = 40;
/// Longest `customCss` accepted (a whole stylesheet, but not an unbounded one).
pub const MAX_CUSTOM_CSS_CHARS: usize = 50_000;
/// Most listeners one event may hold; more is almost surely a host registering in a loop.
pub const MAX_LISTENERS_PER_EVENT: usize = 64;
/// Longest host-supplied string echoed back in one of Baton's console warnings.
pub const MAX_ECHO_CHARS: usize = 60;

/// Most stack frames kept per error.
pub const MAX_FRAMES: usize = 20;
/// Longest function name or file URL kept in a stack frame, in characters.
pub const MAX_FRAME_FIELD_CHARS: usize = 300;

/// Route visits kept (oldest dropped first).
pub const MAX_ROUTES: usize = 50;
/// Error groups kept (the least recently seen is evicted).
pub const MAX_ERROR_GROUPS: usize = 100;
/// Failed-request groups kept.
pub const MAX_FAILED_REQUESTS: usize = 50;
/// Breadcrumbs kept.
pub const MAX_BREADCRUMBS: usize = 100;
/// Distinct alert texts kept.
pub const MAX_ALERTS_SEEN: usize = 20;
/// Errors fully processed per second, console lines and other errors each; more are counted in
/// `dropped.rateLimited`.
pub const MAX_ERRORS_PER_SECOND: u32 = 100;
/// Raw error keys remembered for the cheap repeat path.
pub const MAX_RECENT_RAW_KEYS: usize = 32;
/// Characters of a raw message used as its repeat key.
pub const MAX_RAW_KEY_CHARS: usize = 200;
/// Longest error, console or alert message kept.
pub const MAX_MESSAGE_CHARS: usize = 1000;
/// Longest grouping signature.
pub const MAX_SIGNATURE_CHARS: usize = 200;
/// Longest URL kept.
pub const MAX_URL_CHARS: usize = 500;
/// Longest page title or heading kept.
pub const MAX_TITLE_TEXT_CHARS: usize = 200;
/// Longest clicked-element label kept.
pub const MAX_LABEL_TEXT_CHARS: usize = 80;
/// Longest element selector kept.
pub const MAX_SELECTOR_CHARS: usize = 120;
/// Longest identity field (id, email, name, account).
pub const MAX_IDENTITY_CHARS: usize = 200;
/// Longest identity signature.
pub const MAX_SIGNATURE_VALUE_CHARS: usize = 1000;
/// Custom attributes kept.
pub const MAX_CUSTOM_KEYS: usize = 50;
/// Longest custom attribute name.
pub const MAX_CUSTOM_KEY_CHARS: usize = 60;
/// Longest custom string value.
pub const MAX_CUSTOM_VALUE_CHARS: usize = 500;
/// Nesting kept in custom values.
pub const MAX_CUSTOM_DEPTH: usize = 3;
/// Items kept per custom array or object.
pub const MAX_CUSTOM_ITEMS: usize = 20;
/// Depth to which console arguments are rendered.
pub const MAX_FORMAT_DEPTH: usize = 3;
/// Keys or items rendered per object or array in console arguments.
pub const MAX_FORMAT_ITEMS: usize = 20;
/// Links of an Error's `cause` chain rendered.
pub const MAX_CAUSE_DEPTH: usize = 3;
/// Items of each DOM hint list (headings, alerts, fields, hints).
pub const MAX_DOM_ITEMS: usize = 10;

/// Searches and article views kept in the self-service journey.
pub const MAX_JOURNEY_ITEMS: usize = 20;

/// `s` cut to at most `max` characters (not bytes), never splitting a character.
pub fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => s[..at].to_string(),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_counts_characters_not_bytes() {
        assert_eq!(truncate_chars("héllo", 2), "hé");
        assert_eq!(truncate_chars("abc", 10), "abc");
        assert_eq!(truncate_chars("", 0), "");
        assert_eq!(truncate_chars("🙂🙂🙂", 1), "🙂");
    }
}
