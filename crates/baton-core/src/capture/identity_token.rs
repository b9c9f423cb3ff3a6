//! The identity token as the widget reads it: a JWT the host's server signed (HS256 with
//! `BATON_IDENTITY_SECRET`). The widget cannot check the signature — only the relay holds the
//! secret — so it reads the claims for display and as the identity it sends, drops a token that
//! is malformed or already expired (the visitor stays anonymous, the console says why), and sends
//! the token itself to the relay, which verifies it and never stores it.

use crate::platform;
use serde_json::Value;

/// What a token claims, unverified.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Claimed {
    /// `sub`: the user id.
    pub sub: String,
    /// `email`.
    pub email: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `account`.
    pub account: Option<String>,
}

/// Seconds of clock difference tolerated on `exp` (as the relay does).
const LEEWAY_SECS: f64 = 60.0;

fn base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            b'=' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// The claims of `token` at `now_secs`, or why the widget will not use it.
pub fn read(token: &str, now_secs: f64) -> Result<Claimed, String> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    let payload = match parts.as_slice() {
        [_, payload, _] => base64url(payload).and_then(|b| String::from_utf8(b).ok()),
        _ => None,
    };
    let claims: Value = payload.and_then(|p| platform::parse_json(&p).ok()).ok_or("the identity token is not a JWT (three base64url parts)")?;
    let text = |k: &str| claims.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let sub = text("sub").ok_or("the identity token has no `sub` claim")?;
    match claims.get("exp").and_then(Value::as_f64) {
        None => return Err("the identity token has no `exp` claim".into()),
        Some(exp) if exp + LEEWAY_SECS < now_secs => return Err("the identity token has expired: sign a new one on your server".into()),
        Some(_) => {}
    }
    Ok(Claimed { sub, email: text("email"), name: text("name"), account: text("account") })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let (mut out, mut acc, mut bits) = (String::new(), 0u32, 0);
        for b in s.bytes() {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 6 {
                bits -= 6;
                out.push(A[((acc >> bits) & 63) as usize] as char);
            }
        }
        if bits > 0 {
            out.push(A[((acc << (6 - bits)) & 63) as usize] as char);
        }
        out
    }

    #[test]
    fn claims_are_read_and_bad_tokens_refused_with_reasons() {
        let token = |claims: &str| format!("{}.{}.sig", b64(r#"{"alg":"HS256"}"#), b64(claims));
        let c = read(&token(r#"{"sub":"u_42","email":"jane@acme.com","name":"Jané","exp":2000}"#), 1000.0).unwrap();
        assert_eq!((c.sub.as_str(), c.email.as_deref(), c.name.as_deref(), c.account), ("u_42", Some("jane@acme.com"), Some("Jané"), None));
        assert!(read(&token(r#"{"sub":"u","exp":900}"#), 1000.0).unwrap_err().contains("expired"));
        assert!(read(&token(r#"{"sub":"u","exp":950}"#), 1000.0).is_ok(), "within the leeway");
        assert!(read(&token(r#"{"sub":"u"}"#), 1000.0).unwrap_err().contains("`exp`"));
        assert!(read(&token(r#"{"exp":2000}"#), 1000.0).unwrap_err().contains("`sub`"));
        assert!(read("not-a-token", 1000.0).unwrap_err().contains("not a JWT"));
        assert!(read("a.b!.c", 1000.0).unwrap_err().contains("not a JWT"));
    }
}
