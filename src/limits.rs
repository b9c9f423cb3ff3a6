//! Every bound Baton keeps lives here, so that "bounded everything" can be checked in one read.

/// Longest panel title accepted from config, in characters.
pub const MAX_TITLE_CHARS: usize = 80;
/// Longest launcher label accepted from config, in characters.
pub const MAX_LABEL_CHARS: usize = 40;
/// Most listeners one event may hold; more is almost surely a host registering in a loop.
pub const MAX_LISTENERS_PER_EVENT: usize = 64;
/// Longest host-supplied string echoed back in one of Baton's console warnings.
pub const MAX_ECHO_CHARS: usize = 60;

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
