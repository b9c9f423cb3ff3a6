//! The agent inbox's pages: what each shows (built from stored handoffs), rendered by askama's
//! templates in `relay/templates/`, which escape every value — bundles come from pages anyone can
//! script — and sent with a strict CSP (no script at all, the one style block by its hash).

pub mod account;
pub mod scorecard;

use crate::customers::History;
use baton_core::capture::context::{Identity, SearchOutcome, SearchRecord};
use baton_core::handoff::bundle::Bundle;
use crate::store::{AuditLine, Handoff, Note, STATUSES};
use askama::Template;
use baton_core::wire::Update;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// The pages' Content-Security-Policy: nothing runs, nothing loads but the page itself.
pub const CSP: &str = "default-src 'none'; style-src 'sha256-STYLE'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub(crate) const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1f2937}\
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e5e7eb}\
h2{font-size:1rem;text-transform:uppercase;letter-spacing:.05em;color:#4b5563;margin-top:1.5rem}\
blockquote{background:#f3f4f6;margin:0;padding:.5rem 1rem;white-space:pre-wrap}.unverified{color:#b91c1c}.verified{color:#047857}";

fn style_hash() -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(STYLE.as_bytes());
    // Base64 by hand: the only place the relay needs it.
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in digest.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A rendered page with the inbox's headers (CSP, no sniffing).
pub(crate) fn respond(rendered: Result<String, askama::Error>) -> Response {
    let Ok(html) = rendered else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be rendered").into_response();
    };
    let mut response = Html(html).into_response();
    let csp = CSP.replace("STYLE", &style_hash());
    if let Ok(v) = HeaderValue::from_str(&csp) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// An enum value of the bundle as the bundle writes it (`consoleError`, `abandoned`).
fn words<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A search in words, with what it showed: the sure answer, the first related articles, or none.
fn searched(x: &SearchRecord) -> String {
    let titles = |n: usize| x.offered.iter().take(n).map(|o| format!("\"{}\"", o.title)).collect::<Vec<_>>().join(", ");
    match (x.outcome, x.offered.is_empty()) {
        (SearchOutcome::Person, _) => format!("Searched \"{}\": no article found", x.query),
        // A bundle from before the widget recorded what it showed.
        (_, true) => format!("Searched \"{}\"", x.query),
        (SearchOutcome::Sure, false) => format!("Searched \"{}\": answered with {}", x.query, titles(1)),
        (SearchOutcome::Maybe, false) => format!("Searched \"{}\": no sure answer, offered {}", x.query, titles(3)),
    }
}

/// An identity field that holds something.
fn given(x: &Option<String>) -> Option<&str> {
    x.as_deref().filter(|x| !x.is_empty())
}

/// Who the customer is: the verified name, email or id; else what the page claims, marked so.
fn who(b: &Bundle) -> String {
    let Some(i) = &b.identity else { return "anonymous".into() };
    let verified = i.verified.as_ref().and_then(|v| given(&v.name).or(given(&v.email)).or(given(&v.sub)).or(given(&v.id)));
    let claimed = given(&i.name).or(given(&i.email)).or(given(&i.id));
    match (verified, claimed) {
        (Some(v), _) => v.to_string(),
        (None, Some(c)) => format!("{c} (claimed)"),
        (None, None) => "anonymous".into(),
    }
}

/// What the identity proves and what the page only claims, in words for the agent.
fn identity_note(b: &Bundle) -> (String, String) {
    let none = Identity::default();
    let i = b.identity.as_ref().unwrap_or(&none);
    let proven: Vec<String> = match &i.verified {
        Some(v) if v.by == "token" => [("id", &v.sub), ("email", &v.email), ("name", &v.name), ("account", &v.account)].into_iter().filter_map(|(label, x)| given(x).map(|x| format!("{label} {x}"))).collect(),
        Some(v) if v.by == "signature" => vec![format!("id {} (signature: the id alone)", given(&v.id).unwrap_or_default())],
        _ => Vec::new(),
    };
    let verified_as = |label: &str| -> Option<&str> {
        let v = i.verified.as_ref()?;
        given(match label {
            "id" => if v.sub.is_some() { &v.sub } else { &v.id },
            "email" => &v.email,
            "name" => &v.name,
            _ => &v.account,
        })
    };
    let claimed: Vec<String> = [("id", &i.id), ("email", &i.email), ("name", &i.name), ("account", &i.account)]
        .into_iter()
        .filter_map(|(label, x)| given(x).map(|x| (label, x)))
        .filter(|(label, x)| i.verified.as_ref().is_none_or(|v| v.by.is_empty()) || verified_as(label) != Some(*x))
        .map(|(label, x)| format!("{label} {x}"))
        .collect();
    let verified = if proven.is_empty() {
        match i.unverified.as_deref().unwrap_or("") {
            "" => "unverified identity".to_string(),
            why => format!("unverified identity: {why}"),
        }
    } else {
        format!("verified: {}", proven.join(", "))
    };
    (verified, if claimed.is_empty() { String::new() } else { format!("claimed by the page, not verified: {}", claimed.join(", ")) })
}

/// One handoff in a table.
pub struct Row {
    ticket: i64,
    reference: String,
    status: String,
    category: String,
    priority: String,
    who: String,
    verified: bool,
}

impl Row {
    /// The row of `h`.
    pub fn of(h: &Handoff) -> Row {
        Row { ticket: h.ticket, reference: h.reference.clone(), status: h.status.clone(), category: h.category.clone(), priority: h.priority.clone(), who: who(&h.bundle), verified: h.verified }
    }
}

/// `/inbox`: the newest handoffs, searchable.
#[derive(Template)]
#[template(path = "inbox.html")]
pub struct InboxPage {
    title: &'static str,
    style: &'static str,
    q: String,
    rows: Vec<Row>,
    activity: Vec<String>,
}

/// The inbox list for the search `q`.
pub fn inbox(q: &str, found: &[Handoff], activity: &[AuditLine]) -> Response {
    let activity = activity.iter().map(|a| format!("{} · {} · {}", account::when(a.at), a.actor, a.detail)).collect();
    respond(InboxPage { title: "Inbox", style: STYLE, q: q.to_string(), rows: found.iter().map(Row::of).collect(), activity }.render())
}

/// `/inbox/customers/{customer}`.
#[derive(Template)]
#[template(path = "customer.html")]
pub struct CustomerPage {
    title: String,
    style: &'static str,
    customer: String,
    csrf: Option<String>,
    rows: Vec<Row>,
}

/// A verified customer's handoffs, with the erase form.
pub fn customer(customer: &str, csrf: Option<&str>, handoffs: &[Handoff]) -> Response {
    respond(CustomerPage { title: customer.to_string(), style: STYLE, customer: customer.into(), csrf: csrf.map(str::to_string), rows: handoffs.iter().map(Row::of).collect() }.render())
}

/// The handoff as an agent reads it, top-down.
pub struct Story {
    reference: String,
    who: String,
    ticket: i64,
    status: String,
    category: String,
    priority: String,
    verified: bool,
    identity: String,
    claimed: String,
    summary: String,
    description: String,
    steps: Vec<String>,
    errors: Vec<String>,
    requests: Vec<String>,
    tried: Vec<String>,
    url: String,
    page_title: String,
    browser: String,
    os: String,
    language: String,
    timezone: String,
    related: Vec<String>,
}

impl Story {
    fn of(h: &Handoff) -> Story {
        let b = &h.bundle;
        let j = &b.self_service;
        let tried = j
            .searches
            .iter()
            .map(searched)
            .chain(j.articles.iter().map(|a| {
                let helpful = match a.helpful {
                    Some(true) => " (helpful)",
                    Some(false) => " (not helpful)",
                    None => "",
                };
                format!("Read \"{}\"{helpful}", a.title)
            }))
            .chain(j.flows.iter().map(|f| format!("Guided flow \"{}\": {} at step {} of {}", f.id, words(&f.outcome), f.step, f.steps)))
            .collect();
        let env = &b.environment;
        let (identity, claimed) = identity_note(b);
        let route = b.route.clone().unwrap_or_default();
        Story {
            identity,
            claimed,
            reference: h.reference.clone(),
            who: who(b),
            ticket: h.ticket,
            status: h.status.clone(),
            category: h.category.clone(),
            priority: h.priority.clone(),
            verified: h.verified,
            summary: b.summary.clone(),
            description: b.description.clone(),
            steps: b.steps.iter().map(|x| x.split_once(". ").map_or(x.as_str(), |(_, rest)| rest).to_string()).collect(),
            errors: b.errors.iter().map(|e| format!("{}: {} (×{}, on {})", words(&e.kind), e.message, e.count, e.route)).collect(),
            requests: b.failed_requests.iter().map(|r| format!("{} {} → {} (×{})", r.method, r.url, r.status, r.count)).collect(),
            tried,
            url: route.url,
            page_title: route.title,
            browser: env.browser.clone(),
            os: env.os.clone(),
            language: env.language.clone(),
            timezone: env.timezone.clone(),
            related: b.related.clone(),
        }
    }
}

/// The agent's side of a handoff: its status, internal notes, the customer's history and the
/// other verified customers of its account.
pub struct Desk {
    /// The CSRF token the forms carry (`None` for a bearer request).
    pub csrf: Option<String>,
    /// Who reads it.
    me: String,
    audit: Vec<String>,
    statuses: Vec<(&'static str, bool)>,
    notes: Vec<String>,
    messages: Vec<(String, String)>,
    /// The reply form's own message id, new on each render: the form sent twice is one reply.
    reply_id: String,
    customer: Option<History>,
    /// The verified customer's key (their page's address).
    customer_key: String,
    account: String,
    colleagues: Vec<Row>,
}

impl Desk {
    /// The desk of `h` for the agent `me` (whose forms carry `csrf`), from what the store holds
    /// around it.
    pub fn new(h: &Handoff, (csrf, me): (Option<String>, &str), notes: &[Note], messages: &[Update], audit: &[AuditLine], customer: Option<History>, colleagues: &[Handoff]) -> Desk {
        Desk {
            csrf,
            me: me.to_string(),
            audit: audit.iter().map(|a| format!("{} · {} · {}: {}", account::when(a.at), a.actor, a.action, a.detail)).collect(),
            statuses: STATUSES.iter().map(|st| (*st, *st == h.status)).collect(),
            notes: notes.iter().map(|n| match &n.author {
                Some(author) => format!("{} ({author}, {})", n.body, account::when(n.at)),
                None => n.body.clone(),
            }).collect(),
            reply_id: crate::conversations::new_token()[..24].to_string(),
            messages: messages.iter().map(|m| (if m.author.as_deref() == Some("agent") { "Support" } else { "Customer" }.to_string(), m.body.clone())).collect(),
            customer,
            customer_key: h.customer.clone().unwrap_or_default(),
            account: h.verified_account().to_string(),
            colleagues: colleagues.iter().map(Row::of).collect(),
        }
    }
}

/// `/inbox/{ticket}` and `/r/{reference}`.
#[derive(Template)]
#[template(path = "ticket.html")]
pub struct TicketPage {
    title: String,
    style: &'static str,
    story: Story,
    desk: Desk,
}

/// The page of handoff `h`.
pub fn ticket(h: &Handoff, desk: Desk) -> Response {
    respond(TicketPage { title: h.reference.clone(), style: STYLE, story: Story::of(h), desk }.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_style_hash_is_base64_sha256() {
        let h = style_hash();
        assert_eq!(h.len(), 44);
        assert!(h.ends_with('='));
    }

    #[test]
    fn a_search_says_what_it_showed() {
        use baton_core::capture::context::Offered;
        let offered = |titles: &[&str]| titles.iter().map(|t| Offered { id: t.to_lowercase(), title: t.to_string() }).collect::<Vec<_>>();
        let search = |outcome, titles: &[&str]| SearchRecord { query: "refund".into(), outcome, offered: offered(titles), ..SearchRecord::default() };
        assert_eq!(searched(&search(SearchOutcome::Sure, &["Refunds", "Billing"])), "Searched \"refund\": answered with \"Refunds\"");
        assert_eq!(searched(&search(SearchOutcome::Maybe, &["A", "B", "C", "D"])), "Searched \"refund\": no sure answer, offered \"A\", \"B\", \"C\"");
        assert_eq!(searched(&search(SearchOutcome::Person, &[])), "Searched \"refund\": no article found");
        assert_eq!(searched(&search(SearchOutcome::Maybe, &[])), "Searched \"refund\"", "a bundle from before outcomes were recorded");
    }
}
