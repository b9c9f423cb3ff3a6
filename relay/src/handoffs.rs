//! A handoff as the relay receives it: the bundle checked (a JSON object of the version this
//! relay takes, with a reference), its identity verified, and the columns the inbox lists,
//! searches and groups by picked out. The HTTP side is `http::widget`.

use crate::error::AppError;
use crate::store::{NewHandoff, Owner, WidgetSession};
use baton_core::handoff::bundle::BUNDLE_VERSION;
use serde_json::Value;

/// A string in a stored bundle's JSON (`v[key]`); empty when absent or not a string. Bundles come
/// from pages anyone can script: whatever shape a field has, the inbox reads text.
pub fn field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// An array in a stored bundle's JSON; empty when absent or not an array.
pub fn list(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn text(v: &Value, max: usize) -> Option<String> {
    v.as_str().map(|s| s.chars().take(max).collect::<String>()).filter(|s| !s.trim().is_empty())
}

/// Longest reference code accepted.
pub const MAX_REFERENCE_CHARS: usize = 40;

/// Checks a bundle and picks out the columns the inbox needs.
pub fn parse(body: &[u8], key: String, body_hash: String, origin: Option<String>, keys: Keys) -> Result<NewHandoff, AppError> {
    let bundle: Value = serde_json::from_slice(body).map_err(|e| AppError::BadBundle(format!("the body is not JSON: {e}")))?;
    if !bundle.is_object() {
        return Err(AppError::BadBundle("a bundle is a JSON object (see widget/handoff.schema.json)".into()));
    }
    match bundle.get("version").and_then(Value::as_u64) {
        Some(v) if v == u64::from(BUNDLE_VERSION) => {}
        Some(v) => return Err(AppError::BadBundle(format!("bundle version {v} is not supported; this relay takes version {BUNDLE_VERSION}"))),
        None if bundle.get("version").is_some() => return Err(AppError::BadBundle(format!("`version` must be the number {BUNDLE_VERSION}"))),
        None => return Err(AppError::BadBundle("`version` is missing: is this a Baton handoff bundle?".into())),
    }
    // A code people read out and type into `/r/…`: letters, digits, `-` and `_`, one case.
    let reference = bundle["reference"]
        .as_str()
        .filter(|r| (1..=MAX_REFERENCE_CHARS).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .ok_or_else(|| AppError::BadBundle(format!("`reference` must be 1 to {MAX_REFERENCE_CHARS} letters, digits, - or _ (e.g. BTN-7K3-Q9M-4TP)")))?
        .to_ascii_uppercase();
    for field in ["description", "summary"] {
        if !bundle[field].is_string() && !bundle[field].is_null() {
            return Err(AppError::BadBundle(format!("`{field}` must be a string")));
        }
    }
    let mut identity = bundle.get("identity").cloned().unwrap_or(Value::Null);
    if !identity.is_null() && !identity.is_object() {
        return Err(AppError::BadBundle("`identity` must be an object".into()));
    }
    let checked = crate::identity::verify(keys.secret, &identity, keys.max_age_secs);
    crate::identity::strip(&mut identity);
    let id = |k: &str| text(&identity[k], 200);
    let (mut user_id, mut email, claimed_account, mut name) = (id("id"), id("email").map(|e| e.to_lowercase()), id("account"), id("name"));
    let mut account = None;
    let (mut level, mut verified_email, mut customer) = (0, None, None);
    match &checked {
        Ok(Some(v @ crate::identity::Verified::Token(c))) => {
            // Only the token's claims are verified; what else the page says stays in the bundle,
            // shown as claimed, and never joins a customer or an account.
            (user_id, verified_email, account) = (Some(c.sub.clone()), c.email.clone(), c.account.clone());
            email = c.email.clone().or(email);
            name = c.name.clone().or(name);
            level = crate::store::BY_TOKEN;
            customer = Some(v.customer(false));
            identity["verified"] = serde_json::to_value(c).unwrap_or(Value::Null);
            identity["verified"]["by"] = "token".into();
        }
        Ok(Some(v @ crate::identity::Verified::Signature(subject))) => {
            level = 1;
            customer = Some(v.customer(user_id.is_none()));
            identity["verified"] = serde_json::json!({ "by": "signature", "id": subject });
        }
        Ok(None) => {}
        Err(problem) => identity["unverified"] = problem.clone().into(),
    }
    let search: String = [Some(reference.clone()), user_id.clone(), email.clone(), claimed_account, name.clone(), text(&bundle["description"], 5000), text(&bundle["summary"], 2000)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
    let mut bundle = bundle;
    if !identity.is_null() {
        bundle["identity"] = identity;
    }
    Ok(NewHandoff {
        idempotency_key: key,
        body_hash,
        customer,
        received_at: now_ms(),
        category: text(&bundle["routing"]["category"], 40).unwrap_or_else(|| "uncategorised".into()),
        priority: text(&bundle["routing"]["priority"], 20).unwrap_or_else(|| "normal".into()),
        verified: level,
        verified_email,
        visitor: None,
        reference,
        user_id,
        email,
        account,
        name,
        origin,
        search,
        completeness: bundle["contextCompleteness"].as_f64().filter(|c| (0.0..=1.0).contains(c)),
        bundle: bundle.to_string(),
    })
}

impl NewHandoff {
    /// Files the handoff under a widget session: the session's visitor, and its verified customer
    /// when the bundle itself proved less.
    pub fn attach(&mut self, session: &WidgetSession) {
        self.visitor = session.visitor.clone();
        if let (Owner::Customer(customer), true) = (&session.owner, self.verified < crate::store::BY_TOKEN) {
            self.customer = Some(customer.clone());
            self.user_id = customer.strip_prefix("id:").map(str::to_string);
            self.verified = crate::store::BY_TOKEN;
            self.verified_email = session.email.clone();
            self.account = None;
        }
    }
}

/// How identities are checked: the relay's `BATON_IDENTITY_SECRET` and `BATON_IDENTITY_MAX_AGE`.
#[derive(Clone, Copy)]
pub struct Keys<'a> {
    /// The shared secret.
    pub secret: Option<&'a str>,
    /// Longest token lifetime accepted, in seconds.
    pub max_age_secs: u64,
}

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_KEYS: Keys = Keys { secret: None, max_age_secs: 86400 };

    #[test]
    fn bundles_are_checked_with_clear_messages() {
        let err = |body: &str| match parse(body.as_bytes(), "k".into(), String::new(), None, NO_KEYS) {
            Err(AppError::BadBundle(m)) => m,
            other => panic!("{body}: {:?}", other.map(|h| h.reference)),
        };
        assert!(err("nope").starts_with("the body is not JSON"));
        assert!(err("[1]").contains("JSON object"));
        assert!(err(r#"{"reference":"BTN-AAAA-AA"}"#).contains("`version` is missing"));
        assert!(err(r#"{"version":2,"reference":"BTN-AAAA-AA"}"#).contains("version 2 is not supported"));
        assert!(err(r#"{"version":"1","reference":"BTN-AAAA-AA"}"#).contains("must be the number 1"));
        assert!(err(r#"{"version":1}"#).contains("`reference`"));
        for bad in [r#"" BTN-A""#, r#""BTN/A""#, r#""BTN-ü""#, r#""""#, &format!("\"{}\"", "A".repeat(41))] {
            assert!(err(&format!(r#"{{"version":1,"reference":{bad}}}"#)).contains("`reference` must be 1 to 40 letters"), "{bad}");
        }
        assert!(err(r#"{"version":1,"reference":"x","description":5}"#).contains("`description`"));
        let h = parse(br#"{"version":1,"reference":"btn-aaaa-aa","identity":{"email":"Jane@Acme.com","account":"Acme"},"description":"Card declined","routing":{"category":"billing","priority":"high"}}"#, "k".into(), String::new(), None, NO_KEYS).unwrap_or_else(|_| panic!());
        assert_eq!((h.reference.as_str(), h.email.as_deref(), h.category.as_str(), h.priority.as_str(), h.verified), ("BTN-AAAA-AA", Some("jane@acme.com"), "billing", "high", 0));
        assert_eq!(h.account, None, "an account the page claims never joins one");
        assert!(h.search.contains("card declined") && h.search.contains("acme"));
    }
}
