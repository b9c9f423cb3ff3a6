//! Bundles mapped to the request bodies of real help desks' public APIs, so that a product team
//! can point Baton at its help desk without writing a receiver. Target-independent.
//!
//! - Zendesk Requests API: `POST /api/v2/requests.json` with `{"request": {subject, comment,
//!   requester}}` (the end-user endpoint; anonymous requests need "Anyone can submit tickets").
//! - Chatwoot Client (public) API: create a contact (`POST /public/api/v1/inboxes/{inbox}/contacts`),
//!   a conversation for it (`…/contacts/{contact}/conversations`), and its first message
//!   (`…/conversations/{id}/messages`).

use crate::handoff::bundle::Bundle;
use crate::limits::truncate_chars;
use serde_json::{json, Value};

/// Plain text for an agent: summary, the user's words, steps, errors, requests, environment,
/// and the reference to search for.
pub fn agent_text(bundle: &Bundle) -> String {
    let mut out = format!("{}\n\nIn their words:\n{}\n", bundle.summary, bundle.description);
    if !bundle.steps.is_empty() {
        out.push_str(&format!("\nSteps to reproduce:\n{}\n", bundle.steps.join("\n")));
    }
    if !bundle.errors.is_empty() {
        out.push_str("\nErrors:\n");
        for e in bundle.errors.iter().take(10) {
            out.push_str(&format!("- {} (×{})\n", truncate_chars(&e.message, 300), e.count));
        }
    }
    if !bundle.failed_requests.is_empty() {
        out.push_str("\nFailed requests:\n");
        for r in bundle.failed_requests.iter().take(10) {
            out.push_str(&format!("- {} {} → {} (×{})\n", r.method, r.url, if r.status == 0 { "network error".into() } else { r.status.to_string() }, r.count));
        }
    }
    let env = &bundle.environment;
    out.push_str(&format!("\nEnvironment: {} on {}, {}×{}, {}, {}\n", env.browser, env.os, env.viewport[0], env.viewport[1], env.language, env.timezone));
    out.push_str(&format!("Routing: {} / {} ({})\n", bundle.routing.category, bundle.routing.priority, bundle.routing.reasons.join("; ")));
    if !bundle.related.is_empty() {
        out.push_str(&format!("Earlier requests: {}\n", bundle.related.join(", ")));
    }
    out.push_str(&format!("Baton reference: {}\n", bundle.reference));
    out
}

fn subject(bundle: &Bundle) -> String {
    format!("[{}] {}", bundle.reference, truncate_chars(bundle.description.lines().next().unwrap_or_default(), 80))
}

/// Zendesk Requests API body.
pub fn zendesk_request(bundle: &Bundle) -> Value {
    let identity = bundle.identity.clone().unwrap_or_default();
    let mut request = json!({
        "subject": subject(bundle),
        "comment": { "body": agent_text(bundle) },
    });
    if let Some(email) = identity.email {
        request["requester"] = json!({ "name": identity.name.unwrap_or_else(|| email.clone()), "email": email });
    }
    json!({ "request": request })
}

/// Chatwoot Client API bodies: (contact, conversation, message).
pub fn chatwoot(bundle: &Bundle) -> (Value, Value, Value) {
    let identity = bundle.identity.clone().unwrap_or_default();
    let mut contact = json!({ "custom_attributes": { "baton_reference": bundle.reference } });
    if let Some(id) = &identity.id {
        contact["identifier"] = json!(id);
    }
    if let Some(signature) = &identity.signature {
        contact["identifier_hash"] = json!(signature);
    }
    if let Some(email) = &identity.email {
        contact["email"] = json!(email);
    }
    if let Some(name) = &identity.name {
        contact["name"] = json!(name);
    }
    let conversation = json!({
        "custom_attributes": {
            "baton_reference": bundle.reference,
            "category": bundle.routing.category,
            "priority": bundle.routing.priority,
            "route": bundle.route.as_ref().map(|r| r.url.clone()),
        }
    });
    let message = json!({ "content": agent_text(bundle) });
    (contact, conversation, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::context::{Captured, Context, ErrorKind, Identity, NavKind};
    use crate::handoff::bundle::{build, Request};

    fn bundle() -> Bundle {
        let mut c = Context::default();
        c.identify(Identity { id: Some("u_1".into()), email: Some("jane@acme.com".into()), name: Some("Jane".into()), signature: Some("hmac".into()), ..Default::default() });
        c.record(Captured::Navigation { at: 0.0, url: "https://x.io/billing".into(), title: "Billing".into(), via: NavKind::Load });
        c.record(Captured::Error { at: 1.0, kind: ErrorKind::Uncaught, message: "Payment declined".into(), source: None, stack: None });
        build(&c, &Request { description: "Can't pay\nsecond line".into(), ..Request::default() }, "BTN-ABCD-EF".into(), 2.0, &[])
    }

    #[test]
    fn zendesk_shape() {
        let body = zendesk_request(&bundle());
        assert_eq!(body["request"]["subject"], "[BTN-ABCD-EF] Can't pay");
        assert_eq!(body["request"]["requester"], json!({"name": "Jane", "email": "jane@acme.com"}));
        let text = body["request"]["comment"]["body"].as_str().unwrap();
        assert!(text.contains("In their words:\nCan't pay\nsecond line") && text.contains("- Payment declined (×1)"), "{text}");
        assert!(text.ends_with("Baton reference: BTN-ABCD-EF\n"));
    }

    #[test]
    fn chatwoot_shape() {
        let (contact, conversation, message) = chatwoot(&bundle());
        assert_eq!(contact["identifier"], "u_1");
        assert_eq!(contact["identifier_hash"], "hmac");
        assert_eq!(contact["email"], "jane@acme.com");
        assert_eq!(conversation["custom_attributes"]["category"], "billing");
        assert_eq!(conversation["custom_attributes"]["route"], "/billing");
        assert!(message["content"].as_str().unwrap().contains("Baton reference: BTN-ABCD-EF"));
    }
}
