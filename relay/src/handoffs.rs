//! A handoff as the relay receives it: the bundle read into the core's [`Bundle`] (fields this
//! relay does not know kept whole), checked (the version this relay takes, a reference), its
//! identity verified, and the columns the inbox lists, searches and groups by picked out. The
//! HTTP side is `http::widget`.

use crate::error::AppError;
use crate::store::{NewHandoff, Owner, WidgetSession};
use baton_core::handoff::bundle::{Bundle, BUNDLE_VERSION};
use serde_json::Value;

fn text(v: &str, max: usize) -> Option<String> {
    Some(v.chars().take(max).collect::<String>()).filter(|s| !s.trim().is_empty())
}

/// Longest reference code accepted.
pub const MAX_REFERENCE_CHARS: usize = 40;

/// Checks a bundle and picks out the columns the inbox needs.
pub fn parse(body: &[u8], key: String, body_hash: String, origin: Option<String>, keys: Keys) -> Result<NewHandoff, AppError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| AppError::BadBundle(format!("the body is not JSON: {e}")))?;
    if !value.is_object() {
        return Err(AppError::BadBundle("a bundle is a JSON object (see widget/handoff.schema.json)".into()));
    }
    match value.get("version").and_then(Value::as_u64) {
        Some(v) if v == u64::from(BUNDLE_VERSION) => {}
        Some(v) => return Err(AppError::BadBundle(format!("bundle version {v} is not supported; this relay takes version {BUNDLE_VERSION}"))),
        None if value.get("version").is_some() => return Err(AppError::BadBundle(format!("`version` must be the number {BUNDLE_VERSION}"))),
        None => return Err(AppError::BadBundle("`version` is missing: is this a Baton handoff bundle?".into())),
    }
    // A bundle without a completeness (not the widget's) has none, rather than 0.
    let completeness_given = value.get("contextCompleteness").is_some();
    let mut bundle: Bundle = serde_path_to_error::deserialize(value).map_err(|e| AppError::BadBundle(format!("`{}`: {} (see widget/handoff.schema.json)", e.path(), e.inner())))?;
    // A code people read out and type into `/r/…`: letters, digits, `-` and `_`, one case.
    let reference = Some(bundle.reference.as_str())
        .filter(|r| (1..=MAX_REFERENCE_CHARS).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .ok_or_else(|| AppError::BadBundle(format!("`reference` must be 1 to {MAX_REFERENCE_CHARS} letters, digits, - or _ (e.g. BTN-7K3-Q9M-4TP)")))?
        .to_ascii_uppercase();
    let (mut user_id, mut email, mut claimed_account, mut name) = (None, None, None, None);
    let mut account = None;
    let (mut level, mut verified_email, mut customer) = (0, None, None);
    if let Some(identity) = bundle.identity.as_mut() {
        let checked = crate::identity::check(keys.secret, identity, keys.max_age_secs);
        let id = |v: &Option<String>| v.as_deref().and_then(|v| text(v, 200));
        (user_id, email, claimed_account, name) = (id(&identity.id), id(&identity.email).map(|e| e.to_lowercase()), id(&identity.account), id(&identity.name));
        match &checked {
            Ok(Some(verified @ crate::identity::Verified::Token(c))) => {
                // Only the token's claims are verified; what else the page says stays in the bundle,
                // shown as claimed, and never joins a customer or an account.
                (user_id, verified_email, account) = (Some(c.sub.clone()), c.email.clone(), c.account.clone());
                email = c.email.clone().or(email);
                name = c.name.clone().or(name);
                level = crate::store::BY_TOKEN;
                customer = Some(verified.customer(false));
            }
            Ok(Some(verified @ crate::identity::Verified::Signature(_))) => {
                level = 1;
                customer = Some(verified.customer(user_id.is_none()));
            }
            Ok(None) | Err(_) => {}
        }
    }
    let search: String = [Some(reference.clone()), user_id.clone(), email.clone(), claimed_account, name.clone(), text(&bundle.description, 5000), text(&bundle.summary, 2000)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
    Ok(NewHandoff {
        idempotency_key: key,
        body_hash,
        customer,
        received_at: now_ms(),
        category: text(&bundle.routing.category, 40).unwrap_or_else(|| "uncategorised".into()),
        priority: text(&bundle.routing.priority, 20).unwrap_or_else(|| "normal".into()),
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
        completeness: Some(bundle.context_completeness).filter(|c| completeness_given && (0.0..=1.0).contains(c)),
        bundle: serde_json::to_string(&bundle).map_err(|e| AppError::BadBundle(format!("the bundle cannot be written back: {e}")))?,
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
        assert!(err(r#"{"version":1,"reference":"x","selfService":{"flows":[{"outcome":"maybe"}]}}"#).starts_with("`selfService.flows[0].outcome`: unknown variant `maybe`"));
    }

    #[test]
    fn fields_this_relay_does_not_know_are_kept_whole() {
        let body = br#"{"version":1,"reference":"BTN-NEW","description":"d","fromANewerWidget":{"nested":[1,{"x":"y"}]},"environment":{"browser":"Firefox"}}"#;
        let h = parse(body, "k".into(), String::new(), None, NO_KEYS).unwrap_or_else(|_| panic!());
        let stored: Value = serde_json::from_str(&h.bundle).unwrap();
        assert_eq!(stored["fromANewerWidget"], serde_json::json!({"nested": [1, {"x": "y"}]}));
        assert_eq!((stored["description"].as_str(), stored["environment"]["browser"].as_str()), (Some("d"), Some("Firefox")));
        assert_eq!(crate::store::read_bundle(&stored).unknown.len(), 1, "read back, the unknown field is kept again");
    }
}
