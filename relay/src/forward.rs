//! Signed outgoing webhooks, so a team can push tickets into Slack or its help desk. Each new
//! handoff gets one delivery per target, written in the same transaction as the handoff (what
//! the relay acknowledged is always forwarded); a background loop in every instance sends what is
//! due, under a lease so that one instance sends each delivery at a time, retrying network errors,
//! 5xx, 408 and 429 with exponential backoff. Every attempt of one delivery carries the same
//! `Idempotency-Key`, so a receiver that dedupes sees each handoff once.
//!
//! Generic targets (`BATON_WEBHOOK_URLS`) get `{"event": "handoff.created", "ticket", "url",
//! "reference", "verified", "bundle"}` signed in `Baton-Signature: t=SECONDS,v1=HEX`, where HEX is
//! HMAC-SHA256(`BATON_WEBHOOK_SECRET`, "SECONDS.BODY"). A Slack incoming webhook
//! (`BATON_SLACK_WEBHOOK_URL`) gets Slack's `{"text": …}` message.

use crate::store::{Due, Sending, Store};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

/// Attempts before a delivery is given up (kept, with its last error).
pub const MAX_ATTEMPTS: i64 = 10;
/// Longest one attempt may take.
pub const SEND_TIMEOUT_MS: i64 = 15_000;
/// Deliveries claimed at once: one, so that its lease covers its whole attempt.
pub const CLAIM_BATCH: i64 = 1;
/// How long a claimed delivery is this instance's: longer than every attempt of the claimed
/// batch, so that another instance never sends it meanwhile.
pub const LEASE_MS: i64 = 60_000;

/// A target as the log names it: its scheme and host, never its path or query (a Slack webhook
/// URL is itself the secret).
pub fn shown(target: &str) -> String {
    let url = target.trim_start_matches("slack:");
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    format!("{scheme}://{host}/…")
}
/// Longest wait between attempts.
pub const MAX_BACKOFF_MS: i64 = 3_600_000;

/// Where handoffs are forwarded: `slack:URL` or a plain URL, as stored in `deliveries.target`.
pub fn targets(webhooks: &[String], slack: Option<&str>) -> Vec<String> {
    webhooks.iter().cloned().chain(slack.map(|s| format!("slack:{s}"))).collect()
}

/// Escapes text for Slack's mrkdwn (`&`, `<`, `>`), so that bundle strings cannot make links or
/// mentions.
fn slack_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The body sent to `target` for one delivery.
pub fn body(target: &str, d: &Due, public_url: &str) -> String {
    let h = match &d.sending {
        Sending::Event(payload) => return payload.clone(),
        Sending::Handoff(h) => h,
    };
    let url = format!("{public_url}/inbox/{}", h.ticket);
    if target.starts_with("slack:") {
        let b = &h.bundle;
        let text = format!(
            "*{}* · {} · {} priority{}\n{}\n<{}|Open in Baton>",
            slack_text(&b.reference),
            slack_text(&b.routing.category),
            slack_text(&b.routing.priority),
            if h.verified { "" } else { " · unverified identity" },
            slack_text(&b.summary),
            url,
        );
        return serde_json::json!({ "text": text }).to_string();
    }
    serde_json::json!({ "event": "handoff.created", "ticket": h.ticket, "url": url, "reference": h.reference, "verified": h.verified, "bundle": h.bundle }).to_string()
}

/// `t=SECONDS,v1=HEX` for `body` sent at `seconds`.
pub fn signature(secret: &str, seconds: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{seconds}.{body}").as_bytes());
    format!("t={seconds},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// The wait before attempt `attempts + 1`: `base` doubling, at most [`MAX_BACKOFF_MS`].
pub fn backoff(base_ms: i64, attempts: i64) -> i64 {
    base_ms.saturating_mul(1i64 << attempts.clamp(0, 30)).min(MAX_BACKOFF_MS)
}

/// Whether a failed attempt with `status` (None: network error) is worth retrying.
fn retryable(status: Option<u16>) -> bool {
    status.is_none_or(|s| s >= 500 || s == 408 || s == 429)
}

/// Sends what is due, forever (spawned by [`crate::run`] when there are targets).
pub async fn run(store: Store, secret: Option<String>, public_url: String, base_ms: i64) {
    // ureq (blocking, on tokio's blocking threads): an HTTPS client with no browser half in its
    // dependency tree; 4xx and 5xx are answers here, not errors.
    // No redirects: a target that answers 3xx is misconfigured (or compromised), and following
    // it would send the bundle to a host nobody configured.
    let client: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_millis(SEND_TIMEOUT_MS as u64))).http_status_as_error(false).max_redirects(0).build().into();
    loop {
        match store.claim_due(crate::handoffs::now_ms(), LEASE_MS, CLAIM_BATCH).await {
            Ok(due) if !due.is_empty() => {
                for d in due {
                    let target = d.target.trim_start_matches("slack:").to_string();
                    let payload = body(&d.target, &d, &public_url);
                    let mut request = client.post(&target).header("content-type", "application/json").header("idempotency-key", format!("baton-delivery-{}", d.delivery));
                    if let (Some(secret), false) = (&secret, d.target.starts_with("slack:")) {
                        request = request.header("baton-signature", signature(secret, crate::handoffs::now_ms() / 1000, &payload));
                    }
                    let sent = tokio::task::spawn_blocking(move || request.send(payload.as_str()).map(|r| r.status().as_u16()).ok()).await;
                    let status = sent.ok().flatten();
                    let now = crate::handoffs::now_ms();
                    let outcome = match status {
                        Some(s) if (200..300).contains(&s) => store.delivered(d.delivery, now).await,
                        _ => {
                            let error = status.map_or("network error".to_string(), |s| format!("HTTP {s}"));
                            let give_up = !retryable(status) || d.attempts + 1 >= MAX_ATTEMPTS;
                            if give_up {
                                eprintln!("baton-relay: webhook delivery {} to {} given up: {error}", d.delivery, shown(&target));
                            }
                            store.failed(d.delivery, &error, if give_up { i64::MAX } else { now + backoff(base_ms, d.attempts) }).await
                        }
                    };
                    if let Err(e) = outcome {
                        eprintln!("baton-relay: recording a webhook delivery failed: {e}");
                    }
                }
            }
            Ok(_) => tokio::time::sleep(Duration::from_millis(base_ms.clamp(50, 1000) as u64)).await,
            Err(e) => {
                eprintln!("baton-relay: webhook queue unavailable: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Checked when the relay compiles: otherwise another instance would send a claimed delivery
    // again while this one is still sending it.
    const _: () = assert!(CLAIM_BATCH * SEND_TIMEOUT_MS < LEASE_MS);

    #[test]
    fn logs_keep_urls_secret() {
        assert_eq!(shown("slack:https://hooks.slack.com/services/T0/B0/secret"), "https://hooks.slack.com/…");
        assert_eq!(shown("https://user:pw@desk.example:8443/hook?token=secret"), "https://desk.example:8443/…");
    }

    #[test]
    fn signatures_backoff_and_slack_text() {
        assert_eq!(signature("k", 10, "{}"), format!("t=10,v1={}", crate::identity::sign("k", "10.{}")));
        assert_eq!((backoff(5000, 0), backoff(5000, 3), backoff(5000, 40)), (5000, 40_000, MAX_BACKOFF_MS));
        assert!(retryable(None) && retryable(Some(503)) && retryable(Some(429)) && !retryable(Some(400)));
        let bundle = serde_json::json!({"reference": "BTN-A", "summary": "<!channel> & <http://evil|click>", "routing": {"category": "billing", "priority": "high"}});
        let view = baton_core::wire::HandoffView { ticket: 7, reference: "BTN-A".into(), received_at: 0, status: "open".into(), category: "billing".into(), priority: "high".into(), verified: false, verified_by: None, bundle };
        let handoff = crate::store::Handoff { bundle: crate::store::read_bundle(&view.bundle), view, customer: None, visitor: None };
        let d = Due { delivery: 1, target: "slack:x".into(), attempts: 0, sending: Sending::Handoff(Box::new(handoff)) };
        let text = serde_json::from_str::<serde_json::Value>(&body("slack:x", &d, "http://r"))
            .unwrap()["text"].as_str().unwrap().to_string();
        assert!(text.contains("&lt;!channel&gt; &amp; &lt;http://evil|click&gt;") && text.ends_with("<http://r/inbox/7|Open in Baton>"), "{text}");
        assert_eq!(targets(&["http://a".into()], Some("https://hooks.slack.com/x")), vec!["http://a".to_string(), "slack:https://hooks.slack.com/x".into()]);
    }
}
