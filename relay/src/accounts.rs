//! Agents as people: who is acting ([`Actor`]), their passwords (argon2id, the OWASP-recommended
//! parameters of the `argon2` crate's defaults), their sign-in cookie, and the rules a password
//! and the shared automation token must meet. The HTTP side is `http::auth` (extractors),
//! `http::login` (invite, sign in and out) and `http::account` (sign-ins and API tokens).

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// The sign-in cookie: `__Host-` (only from this host, over HTTPS, for the whole site), Secure,
/// HttpOnly, SameSite=Strict. Browsers treat `http://localhost` and `127.0.0.1` as secure, so
/// the demo works without TLS; anywhere else the relay must be behind HTTPS.
pub const COOKIE: &str = "__Host-baton_session";
/// How long a sign-in lasts.
pub const SIGN_IN_SECONDS: i64 = 12 * 3600;
/// How long an invite link works.
pub const INVITE_SECONDS: i64 = 7 * 24 * 3600;
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted (argon2 takes any length; this bounds the work of one sign-in).
pub const MAX_PASSWORD_CHARS: usize = 256;
/// Wrong passwords allowed per minute, in bursts of as many, per address and per account; then
/// 429 with `Retry-After` (about 100 guesses an hour: nothing for a person, hopeless for a guesser).
pub const WRONG_PASSWORDS_PER_MINUTE: u32 = 5;
/// Shortest `BATON_AGENT_TOKEN` accepted: it unlocks every handoff, so it must not be guessable.
pub const MIN_AGENT_TOKEN_CHARS: usize = 32;

/// Who is acting on the agents' side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A person with an account.
    Agent {
        /// The account's id.
        id: i64,
        /// Their email.
        email: String,
    },
    /// The shared `BATON_AGENT_TOKEN` (scripts, integrations).
    Automation,
}

impl Actor {
    /// How the audit names them.
    pub fn label(&self) -> &str {
        match self {
            Actor::Agent { email, .. } => email,
            Actor::Automation => "automation",
        }
    }

    /// The account's id, for a person.
    pub fn account(&self) -> Option<i64> {
        match self {
            Actor::Agent { id, .. } => Some(*id),
            Actor::Automation => None,
        }
    }
}

/// Constant-time string equality.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What is wrong with `password`, if anything.
pub fn password_problem(password: &str) -> Option<String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        Some(format!("A password needs at least {MIN_PASSWORD_CHARS} characters."))
    } else if n > MAX_PASSWORD_CHARS {
        Some(format!("A password has at most {MAX_PASSWORD_CHARS} characters."))
    } else {
        None
    }
}

/// The argon2id PHC string of `password`, with a fresh salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| format!("hashing a password failed: {e}"))
}

/// Whether `password` matches `hash` (a PHC string). `None` (no such account, or no password
/// yet) still does the work of one check, so that timing does not tell which emails exist.
pub fn verify_password(hash: Option<&str>, password: &str) -> bool {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let decoy = DECOY.get_or_init(|| hash_password("decoy password, never matched").unwrap_or_default());
    let Ok(parsed) = PasswordHash::new(hash.unwrap_or(decoy)) else { return false };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && hash.is_some()
}

/// The `Set-Cookie` value of a new sign-in.
pub fn set_cookie(token: &str) -> String {
    format!("{COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={SIGN_IN_SECONDS}")
}

/// The `Set-Cookie` value that removes the sign-in cookie.
pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// The sign-in cookie's value in a `Cookie` header.
pub fn from_cookies(header: &str) -> Option<&str> {
    header.split(';').map(str::trim).find_map(|c| c.strip_prefix(COOKIE).and_then(|r| r.strip_prefix('='))).filter(|v| !v.is_empty())
}

/// An email as accounts are keyed: trimmed, lowercased; `None` when it is not an address.
pub fn email(given: &str) -> Option<String> {
    let e = given.trim().to_lowercase();
    let (user, host) = e.split_once('@')?;
    (!user.is_empty() && host.contains('.') && e.len() <= 254 && !e.chars().any(|c| c.is_whitespace() || c.is_control())).then_some(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password(Some(&h), "correct horse battery staple"));
        assert!(!verify_password(Some(&h), "Correct horse battery staple"));
        assert!(!verify_password(None, "decoy password, never matched"), "no account, no sign-in");
        assert_ne!(h, hash_password("correct horse battery staple").unwrap(), "salted");
        assert!(password_problem("short").is_some() && password_problem("twelve chars").is_none() && password_problem(&"x".repeat(300)).is_some());
    }

    #[test]
    fn cookies_and_emails() {
        let c = set_cookie("abc");
        assert!(c.starts_with("__Host-baton_session=abc; Path=/; Secure; HttpOnly; SameSite=Strict"), "{c}");
        assert_eq!(from_cookies("a=1; __Host-baton_session=abc; b=2"), Some("abc"));
        assert_eq!(from_cookies("__Host-baton_session="), None);
        assert_eq!(email(" Jane@Acme.Example "), Some("jane@acme.example".into()));
        assert_eq!(email("nope"), None);
        assert_eq!(Actor::Automation.label(), "automation");
    }
}
