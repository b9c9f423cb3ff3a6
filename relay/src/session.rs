//! Agent sign-in for the inbox pages, stateless so that any relay instance accepts it: the
//! session cookie is `expiry.hmac(expiry)` keyed by the agent token (changing the token signs
//! everyone out), and each form carries a CSRF token derived from the session. The same pages
//! also accept `Authorization: Bearer <token>` (scripts, tests), which needs no CSRF token.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The cookie's name.
pub const COOKIE: &str = "baton_session";
/// How long a sign-in lasts.
pub const SESSION_SECONDS: u64 = 12 * 3600;

fn mac(key: &str, what: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    m.update(what.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Constant-time string equality.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new session value for the agent token `key`.
pub fn issue(key: &str) -> String {
    let expiry = now() + SESSION_SECONDS;
    format!("{expiry}.{}", mac(key, &format!("session:{expiry}")))
}

/// Whether `value` is a live session issued under `key`.
pub fn valid(key: &str, value: &str) -> bool {
    let Some((expiry, signature)) = value.split_once('.') else { return false };
    let Ok(at) = expiry.parse::<u64>() else { return false };
    at > now() && same(signature, &mac(key, &format!("session:{at}")))
}

/// The CSRF token forms carry for `session`.
pub fn csrf(key: &str, session: &str) -> String {
    mac(key, &format!("csrf:{session}"))
}

/// The session cookie's value in a `Cookie` header.
pub fn from_cookies(header: &str) -> Option<&str> {
    header.split(';').map(str::trim).find_map(|c| c.strip_prefix(COOKIE).and_then(|r| r.strip_prefix('=')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_and_csrf_tokens() {
        let s = issue("token");
        assert!(valid("token", &s));
        assert!(!valid("other", &s), "a new agent token signs everyone out");
        assert!(!valid("token", "1.abc") && !valid("token", "garbage"));
        let expired = format!("1.{}", mac("token", "session:1"));
        assert!(!valid("token", &expired));
        assert_ne!(csrf("token", &s), csrf("token", &issue("token2")));
        assert_eq!(from_cookies(&format!("a=1; {COOKIE}={s}; b=2")), Some(s.as_str()));
    }
}
