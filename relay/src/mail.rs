//! Email continuity: agent replies the customer has not seen in any widget within
//! `BATON_REPLY_EMAIL_DELAY` go by email (SMTP at `BATON_SMTP_URL`) to the verified email — one
//! email per conversation per round, none when they were seen in time, never to an address the
//! identity token did not carry — with a link that opens the conversation.

use crate::config::Config;
use crate::handoffs::now_ms;
use crate::store::{DueEmail, Store};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How often the relay looks for replies due by email.
const ROUND: Duration = Duration::from_secs(2);

/// The SMTP connection and the sender.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// The mailer `BATON_SMTP_URL` names; `None` when it is unset.
    pub fn from_config(config: &Config) -> Result<Option<Mailer>, String> {
        let Some(url) = &config.smtp_url else { return Ok(None) };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| format!("BATON_SMTP_URL: {e}"))?.timeout(Some(Duration::from_secs(20))).build();
        let host = config.public_url.split("://").nth(1).unwrap_or("localhost").split([':', '/']).next().unwrap_or("localhost").to_string();
        let from = config.smtp_from.clone().unwrap_or_else(|| format!("Support <support@{host}>"));
        let from = from.parse().map_err(|e| format!("BATON_SMTP_FROM must be an address like \"Support <help@example.com>\": {e}"))?;
        Ok(Some(Mailer { transport, from }))
    }
}

/// Where the email's link goes: the page where the customer asked for help, which opens the
/// conversation in the widget (`#baton-conversation=REF`); the relay's reference page when the
/// bundle has no page address.
pub fn link(due: &DueEmail, public_url: &str) -> String {
    let bundle = crate::store::read_bundle(&serde_json::from_str(&due.bundle).unwrap_or_default());
    let page = bundle.route.as_ref().map_or("", |r| r.url.as_str());
    if page.starts_with("https://") || page.starts_with("http://") {
        format!("{}#baton-conversation={}", page.split('#').next().unwrap_or(page), due.reference)
    } else {
        format!("{public_url}/r/{}", due.reference)
    }
}

/// The email for `due`: every unseen reply, oldest first, as plain text.
pub fn compose(due: &DueEmail, from: &Mailbox, public_url: &str) -> Result<Message, String> {
    let to: Mailbox = due.email.parse().map_err(|e| format!("{e}"))?;
    let mut text = String::from("You have a reply from support:\n\n");
    for (_, body) in &due.replies {
        text.push_str(body);
        text.push_str("\n\n");
    }
    text.push_str(&format!("Continue the conversation: {}\n\nReference {}", link(due, public_url), due.reference));
    let subject = if due.replies.len() == 1 { format!("A reply about {}", due.reference) } else { format!("{} replies about {}", due.replies.len(), due.reference) };
    Message::builder().from(from.clone()).to(to).subject(subject).header(ContentType::TEXT_PLAIN).body(text).map_err(|e| e.to_string())
}

/// Sends what is due every [`ROUND`]; a failed send is given back and retried next round.
pub async fn run(store: Store, mailer: Mailer, delay_ms: i64, public_url: String) {
    loop {
        tokio::time::sleep(ROUND).await;
        let due = match store.due_emails(now_ms() - delay_ms).await {
            Ok(due) => due,
            Err(e) => {
                eprintln!("baton-relay: reply emails: {e}");
                continue;
            }
        };
        for d in due {
            let seqs: Vec<i64> = d.replies.iter().map(|(seq, _)| *seq).collect();
            if !matches!(store.claim_emailed(&seqs, now_ms()).await, Ok(true)) {
                continue;
            }
            let sent = match compose(&d, &mailer.from, &public_url) {
                Ok(message) => mailer.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            if let Err(e) = sent {
                eprintln!("baton-relay: the reply email for {} failed ({e}); retrying", d.reference);
                let _ = store.unclaim_emailed(&seqs).await;
            }
        }
    }
}
