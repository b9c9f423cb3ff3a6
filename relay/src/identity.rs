//! Who the customer is, as far as the relay can prove it.
//!
//! The identity token (preferred): the host's server signs a short-lived JWT, HS256 with
//! `BATON_IDENTITY_SECRET`, claims `sub` (the user id) and optionally `email`, `name`, `account`;
//! `iat` and `exp` required, `exp − iat` at most `BATON_IDENTITY_MAX_AGE`, 60 s leeway. Only its
//! claims are verified: whatever else the page says is shown as claimed.
//!
//! The id signature (kept for hosts that have not moved): `signature` = lowercase hex of
//! HMAC-SHA256(secret, id) — the email when there is no id. It covers that one string, never
//! expires and can be copied, so it verifies the id alone.
//!
//! Neither a token nor a signature is stored or forwarded: [`strip`] removes them from a bundle.

use hmac::{Hmac, Mac};
use jwt::{SignWithKey, VerifyWithKey};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use baton_core::capture::context::{Identity, VerifiedIdentity};

/// Seconds of clock difference tolerated on `exp` and `iat`.
pub const LEEWAY_SECS: u64 = 60;
/// Longest claim kept, in characters.
const MAX_CLAIM_CHARS: usize = 200;

/// The claims of an identity token.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// The host's user id.
    pub sub: String,
    /// Email, verified by the host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Account, workspace or tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Issued at (seconds since the epoch).
    #[serde(default, skip_serializing)]
    pub iat: Option<u64>,
    /// Expires at (seconds since the epoch).
    #[serde(default, skip_serializing)]
    pub exp: Option<u64>,
}

/// What a verified identity proves.
#[derive(Clone, Debug, PartialEq)]
pub enum Verified {
    /// A valid identity token: every claim in it.
    Token(Claims),
    /// A valid id signature: the id (or email) alone.
    Signature(String),
}

impl Verified {
    /// The customer it names: `id:…`, or `email:…` for an email-only signature.
    pub fn customer(&self, signed_email: bool) -> String {
        match self {
            Verified::Token(c) => format!("id:{}", c.sub),
            Verified::Signature(s) if signed_email => format!("email:{}", s.to_lowercase()),
            Verified::Signature(s) => format!("id:{s}"),
        }
    }

    /// How it was verified, as the API and the inbox say it: `token` or `signature`.
    pub fn by(&self) -> &'static str {
        match self {
            Verified::Token(_) => "token",
            Verified::Signature(_) => "signature",
        }
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn key(secret: &str) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length")
}

/// The verified claims of `token`, or why it was refused, in words a host developer can act on.
pub fn check_token(secret: Option<&str>, token: &str, max_age_secs: u64) -> Result<Claims, String> {
    let secret = secret.ok_or("BATON_IDENTITY_SECRET is not set on the relay, so no identity token can verify")?;
    // The header must say HS256 (the key's algorithm): `alg: none` or another algorithm fails.
    let mut claims: Claims = token.trim().verify_with_key(&key(secret)).map_err(|e| match e {
        jwt::Error::InvalidSignature | jwt::Error::RustCryptoMac(_) => "the identity token's signature does not match BATON_IDENTITY_SECRET".to_string(),
        jwt::Error::AlgorithmMismatch(..) => "the identity token must be signed with HS256".to_string(),
        jwt::Error::Json(e) => format!("the identity token's claims are not what Baton reads ({e}): `sub` must be a string, `iat` and `exp` numbers"),
        e => format!("the identity token is not a valid JWT ({e})"),
    })?;
    let (Some(iat), Some(exp)) = (claims.iat, claims.exp) else {
        return Err(format!("the identity token has no `{}` claim", if claims.iat.is_none() { "iat" } else { "exp" }));
    };
    let now = now_secs();
    if exp + LEEWAY_SECS < now {
        return Err("the identity token has expired: sign a new one on your server".into());
    }
    if iat > now + LEEWAY_SECS {
        return Err("the identity token was issued in the future: check your server's clock".into());
    }
    if exp.saturating_sub(iat) > max_age_secs {
        return Err(format!("the identity token lives longer than BATON_IDENTITY_MAX_AGE ({max_age_secs} s): sign tokens with a shorter exp"));
    }
    let bound = |s: Option<String>| s.map(|s| s.trim().chars().take(MAX_CLAIM_CHARS).collect::<String>()).filter(|s| !s.is_empty());
    claims.sub = bound(Some(claims.sub)).ok_or("the identity token has no `sub` claim")?;
    claims.email = bound(claims.email).map(|e| e.to_lowercase());
    claims.name = bound(claims.name);
    claims.account = bound(claims.account);
    Ok(claims)
}

/// Signs `claims` (for tests, the benchmark and README's examples).
pub fn issue(secret: &str, claims: &serde_json::Value) -> String {
    claims.sign_with_key(&key(secret)).expect("JSON claims sign")
}

/// The string a host signs with the id signature: its `id`, else its `email`.
pub fn signed_subject(identity: &Identity) -> Option<&str> {
    identity.id.as_deref().filter(|s| !s.is_empty()).or_else(|| identity.email.as_deref().filter(|s| !s.is_empty()))
}

/// The id signature a host computes for `subject` (for tests and README examples).
pub fn sign(secret: &str, subject: &str) -> String {
    let mut mac = key(secret);
    mac.update(subject.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `identity.signature` is the secret's signature of its subject (constant-time).
pub fn signature_verifies(secret: Option<&str>, identity: &Identity) -> bool {
    let (Some(secret), Some(subject), Some(signature)) = (secret, signed_subject(identity), identity.signature.as_deref()) else {
        return false;
    };
    let Ok(given) = hex::decode(signature.trim().to_ascii_lowercase()) else { return false };
    let mut mac = key(secret);
    mac.update(subject.as_bytes());
    mac.verify_slice(&given).is_ok()
}

/// Verifies a bundle's `identity` object: its `token` first, else its id `signature`. `Err` says
/// why a token that was given did not verify.
pub fn verify(secret: Option<&str>, identity: &Identity, max_age_secs: u64) -> Result<Option<Verified>, String> {
    if let Some(token) = identity.token.as_deref().filter(|t| !t.trim().is_empty()) {
        return check_token(secret, token, max_age_secs).map(|c| Some(Verified::Token(c)));
    }
    Ok(signature_verifies(secret, identity).then(|| Verified::Signature(signed_subject(identity).unwrap_or_default().to_string())))
}

/// Checks `identity` and writes down what it proves: its `verified` (and the customer it
/// belongs to) or why it did not verify (`unverified`). Whatever the page wrote there is
/// replaced, and the credentials go: neither is stored or forwarded.
pub fn check(secret: Option<&str>, identity: &mut Identity, max_age_secs: u64) -> Result<Option<Verified>, String> {
    (identity.verified, identity.unverified) = (None, None);
    let checked = verify(secret, identity, max_age_secs);
    (identity.token, identity.signature) = (None, None);
    match &checked {
        Ok(Some(Verified::Token(c))) => {
            identity.verified = Some(VerifiedIdentity { by: "token".into(), sub: Some(c.sub.clone()), email: c.email.clone(), name: c.name.clone(), account: c.account.clone(), id: None });
        }
        Ok(Some(Verified::Signature(subject))) => identity.verified = Some(VerifiedIdentity { by: "signature".into(), id: Some(subject.clone()), ..VerifiedIdentity::default() }),
        Ok(None) => {}
        Err(problem) => identity.unverified = Some(problem.clone()),
    }
    checked
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ident(v: serde_json::Value) -> Identity {
        serde_json::from_value(v).unwrap()
    }

    use crate::config::DEFAULT_IDENTITY_MAX_AGE_SECS as DEFAULT_MAX_AGE_SECS;

    fn now() -> u64 {
        now_secs()
    }

    #[test]
    fn signatures_verify_the_id_and_forgeries_do_not() {
        // The value README's Node, Python and Ruby examples print for this secret and id.
        assert_eq!(sign("s3cret", "u_42"), "693830db905a0e43a00cb793fb2a5bd74cfa5f2d7250a7112bf20c441d288ad3");
        let good = ident(json!({"id": "u_42", "email": "jane@acme.com", "signature": sign("s3cret", "u_42")}));
        assert_eq!(verify(Some("s3cret"), &good, DEFAULT_MAX_AGE_SECS), Ok(Some(Verified::Signature("u_42".into()))));
        assert!(!signature_verifies(Some("other"), &good), "wrong secret");
        assert!(!signature_verifies(None, &good), "no secret configured: nothing verifies");
        assert!(!signature_verifies(Some("s3cret"), &ident(json!({"id": "u_43", "signature": sign("s3cret", "u_42")}))));
        assert!(signature_verifies(Some("s3cret"), &ident(json!({"email": "jane@acme.com", "signature": sign("s3cret", "jane@acme.com")}))));
        assert!(!signature_verifies(Some("s3cret"), &ident(json!({"id": "u_42", "signature": "zz"}))));
    }

    #[test]
    fn tokens_verify_their_claims_and_nothing_else() {
        let t = issue("s3cret", &json!({"sub": "u_42", "email": "Jane@Acme.com", "name": "Jane", "account": "Acme", "iat": now(), "exp": now() + 600}));
        let c = check_token(Some("s3cret"), &t, DEFAULT_MAX_AGE_SECS).unwrap();
        assert_eq!((c.sub.as_str(), c.email.as_deref(), c.account.as_deref()), ("u_42", Some("jane@acme.com"), Some("Acme")));
        let err = |t: &str| check_token(Some("s3cret"), t, DEFAULT_MAX_AGE_SECS).unwrap_err();
        let wrong = err(&issue("other", &json!({"sub": "u", "iat": now(), "exp": now() + 60})));
        assert!(wrong.contains("signature"), "{wrong}");
        assert!(err(&issue("s3cret", &json!({"sub": "u", "iat": now() - 900, "exp": now() - 300}))).contains("expired"));
        assert!(err(&issue("s3cret", &json!({"sub": "u", "exp": now() + 60}))).contains("`iat`"));
        assert!(err(&issue("s3cret", &json!({"sub": "u", "iat": now()}))).contains("`exp`"));
        assert!(err(&issue("s3cret", &json!({"iat": now(), "exp": now() + 60}))).contains("claims"));
        // `alg: none`, unsigned: refused.
        // The header `{"alg":"none"}`, base64url, before a valid token's claims.
        let none = format!("eyJhbGciOiJub25lIn0.{}.", t.split('.').nth(1).unwrap());
        assert!(err(&none).contains("HS256") || err(&none).contains("signature"), "{}", err(&none));
        assert!(err(&issue("s3cret", &json!({"sub": "u", "iat": now(), "exp": now() + 2 * 86400}))).contains("BATON_IDENTITY_MAX_AGE"));
        assert!(err(&issue("s3cret", &json!({"sub": "u", "iat": now() + 3600, "exp": now() + 3700}))).contains("future"));
        assert!(err("not.a.jwt").contains("not a valid JWT"));
        // Tampered: the payload changed, the signature kept.
        let parts: Vec<&str> = t.split('.').collect();
        let other = issue("x", &json!({"sub": "admin", "iat": now(), "exp": now() + 600}));
        let forged = format!("{}.{}.{}", parts[0], other.split('.').nth(1).unwrap(), parts[2]);
        assert!(err(&forged).contains("signature"));
        // Expired within the leeway still verifies.
        assert!(check_token(Some("s3cret"), &issue("s3cret", &json!({"sub": "u", "iat": now() - 100, "exp": now() - 30})), DEFAULT_MAX_AGE_SECS).is_ok());
        assert!(check_token(None, &t, DEFAULT_MAX_AGE_SECS).unwrap_err().contains("BATON_IDENTITY_SECRET"));
    }

    #[test]
    fn credentials_are_stripped_and_a_page_cannot_claim_a_verification() {
        let mut i = ident(json!({"id": "u", "token": "a.b.c", "signature": "ff", "verified": {"by": "token", "sub": "admin"}}));
        assert!(check(Some("s3cret"), &mut i, DEFAULT_MAX_AGE_SECS).is_err(), "a malformed token does not verify");
        assert_eq!(serde_json::to_value(&i).unwrap()["id"], "u");
        assert_eq!((i.token, i.signature, i.verified), (None, None, None), "no credential kept; the page's own `verified` is gone");
        assert!(i.unverified.is_some_and(|why| !why.is_empty()));
        let mut signed = ident(json!({"id": "u_42", "signature": sign("s3cret", "u_42")}));
        check(Some("s3cret"), &mut signed, DEFAULT_MAX_AGE_SECS).unwrap();
        assert_eq!(serde_json::to_value(&signed).unwrap(), json!({"id": "u_42", "verified": {"by": "signature", "id": "u_42"}}));
    }
}
