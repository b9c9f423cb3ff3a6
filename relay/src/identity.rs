//! Identity verification, as Intercom does it: the host signs the user id (the email when there is
//! no id) with the shared secret — `signature` = lowercase hex of HMAC-SHA256(secret, id).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The string a host signs for `identity`: its `id`, else its `email`.
pub fn signed_subject(identity: &serde_json::Value) -> Option<&str> {
    identity.get("id").and_then(|v| v.as_str()).filter(|s| !s.is_empty()).or_else(|| identity.get("email").and_then(|v| v.as_str()).filter(|s| !s.is_empty()))
}

/// The signature a host computes for `subject` (for tests and README examples).
pub fn sign(secret: &str, subject: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(subject.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `identity.signature` is the secret's signature of its subject (constant-time).
pub fn verified(secret: Option<&str>, identity: &serde_json::Value) -> bool {
    let (Some(secret), Some(subject), Some(signature)) = (secret, signed_subject(identity), identity.get("signature").and_then(|v| v.as_str())) else {
        return false;
    };
    let Ok(given) = hex::decode(signature.trim().to_ascii_lowercase()) else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(subject.as_bytes());
    mac.verify_slice(&given).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn signatures_verify_and_forgeries_do_not() {
        // The value README's Node, Python and Ruby examples print for this secret and id.
        assert_eq!(sign("s3cret", "u_42"), "693830db905a0e43a00cb793fb2a5bd74cfa5f2d7250a7112bf20c441d288ad3");
        let good = json!({"id": "u_42", "email": "jane@acme.com", "signature": sign("s3cret", "u_42")});
        assert!(verified(Some("s3cret"), &good));
        assert!(!verified(Some("other"), &good), "wrong secret");
        assert!(!verified(None, &good), "no secret configured: nothing verifies");
        let forged = json!({"id": "u_43", "signature": sign("s3cret", "u_42")});
        assert!(!verified(Some("s3cret"), &forged));
        let by_email = json!({"email": "jane@acme.com", "signature": sign("s3cret", "jane@acme.com")});
        assert!(verified(Some("s3cret"), &by_email), "email when there is no id");
        assert!(!verified(Some("s3cret"), &json!({"id": "u_42", "signature": "zz"})));
        assert!(!verified(Some("s3cret"), &json!({"id": "u_42"})));
    }
}
