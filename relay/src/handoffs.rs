//! A handoff as the relay receives it: the bundle checked (a JSON object of the version this
//! relay takes, with a reference), its identity verified, and the columns the inbox lists,
//! searches and groups by picked out. The HTTP side is `http::widget`.

use crate::error::AppError;
use crate::store::NewHandoff;
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

/// Checks a bundle and picks out the columns the inbox needs.
pub fn parse(body: &[u8], key: Option<String>, origin: Option<String>, secret: Option<&str>) -> Result<NewHandoff, AppError> {
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
    let reference = text(&bundle["reference"], 40).ok_or_else(|| AppError::BadBundle("`reference` must be a non-empty string".into()))?.to_ascii_uppercase();
    for field in ["description", "summary"] {
        if !bundle[field].is_string() && !bundle[field].is_null() {
            return Err(AppError::BadBundle(format!("`{field}` must be a string")));
        }
    }
    let identity = bundle.get("identity").cloned().unwrap_or(Value::Null);
    if !identity.is_null() && !identity.is_object() {
        return Err(AppError::BadBundle("`identity` must be an object".into()));
    }
    let id = |k: &str| text(&identity[k], 200);
    let (user_id, email, account, name) = (id("id"), id("email").map(|e| e.to_lowercase()), id("account"), id("name"));
    let search: String = [Some(reference.clone()), user_id.clone(), email.clone(), account.clone(), name.clone(), text(&bundle["description"], 5000), text(&bundle["summary"], 2000)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
    let verified = crate::identity::verified(secret, &identity);
    // One customer, one history: verified identities only, by id, else by email.
    let customer = verified.then(|| user_id.as_ref().map(|i| format!("id:{i}")).or_else(|| email.as_ref().map(|e| format!("email:{e}")))).flatten();
    Ok(NewHandoff {
        idempotency_key: key,
        customer,
        received_at: now_ms(),
        category: text(&bundle["routing"]["category"], 40).unwrap_or_else(|| "uncategorised".into()),
        priority: text(&bundle["routing"]["priority"], 20).unwrap_or_else(|| "normal".into()),
        verified,
        reference,
        user_id,
        email,
        account,
        name,
        origin,
        search,
        bundle: bundle.to_string(),
    })
}

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_are_checked_with_clear_messages() {
        let err = |body: &str| match parse(body.as_bytes(), None, None, None) {
            Err(AppError::BadBundle(m)) => m,
            other => panic!("{body}: {:?}", other.map(|h| h.reference)),
        };
        assert!(err("nope").starts_with("the body is not JSON"));
        assert!(err("[1]").contains("JSON object"));
        assert!(err(r#"{"reference":"BTN-AAAA-AA"}"#).contains("`version` is missing"));
        assert!(err(r#"{"version":2,"reference":"BTN-AAAA-AA"}"#).contains("version 2 is not supported"));
        assert!(err(r#"{"version":"1","reference":"BTN-AAAA-AA"}"#).contains("must be the number 1"));
        assert!(err(r#"{"version":1}"#).contains("`reference`"));
        assert!(err(r#"{"version":1,"reference":"x","description":5}"#).contains("`description`"));
        let h = parse(br#"{"version":1,"reference":"btn-aaaa-aa","identity":{"email":"Jane@Acme.com","account":"Acme"},"description":"Card declined","routing":{"category":"billing","priority":"high"}}"#, Some("k".into()), None, None).unwrap_or_else(|_| panic!());
        assert_eq!((h.reference.as_str(), h.email.as_deref(), h.category.as_str(), h.priority.as_str(), h.verified), ("BTN-AAAA-AA", Some("jane@acme.com"), "billing", "high", false));
        assert!(h.search.contains("card declined") && h.search.contains("acme"));
    }
}
