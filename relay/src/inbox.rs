//! The agent inbox: server-rendered pages (`/inbox`, `/inbox/{ticket}`, `/r/{reference}`) that an
//! agent reads top-down. Every string from a bundle is escaped text — bundles come from pages
//! anyone can script — and the pages carry a strict CSP (no script at all, styles from the relay).
//! They take the same `Authorization: Bearer` credential as the agent API.

use crate::error::{see_other, AppError};
use crate::handoffs::agent;
use crate::session;
use crate::store::{Handoff, STATUSES};
use crate::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;
use std::fmt::Write;

/// The pages' Content-Security-Policy: nothing runs, nothing loads but the page itself.
pub const CSP: &str = "default-src 'none'; style-src 'sha256-STYLE'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1f2937}\
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e5e7eb}\
h2{font-size:1rem;text-transform:uppercase;letter-spacing:.05em;color:#4b5563;margin-top:1.5rem}\
blockquote{background:#f3f4f6;margin:0;padding:.5rem 1rem;white-space:pre-wrap}.unverified{color:#b91c1c}.verified{color:#047857}";

/// Escapes text for HTML (element content and attribute values).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

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

fn page(title: &str, body: &str) -> Response {
    let html = format!("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{} · Baton inbox</title><style>{STYLE}</style></head><body>{body}</body></html>", esc(title));
    let mut response = Html(html).into_response();
    let csp = CSP.replace("STYLE", &style_hash());
    if let Ok(v) = HeaderValue::from_str(&csp) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// Who is reading: an agent with the bearer token (no CSRF token needed) or a signed-in browser
/// (its forms carry `csrf`).
pub struct Access {
    /// The CSRF token this session's forms carry; `None` for bearer requests.
    pub csrf: Option<String>,
}

/// The bearer token or a live session; otherwise the browser is sent to sign in and back to `path`.
pub fn signed_in(state: &AppState, headers: &HeaderMap, path: &str) -> Result<Access, AppError> {
    if agent(state, headers).is_ok() {
        return Ok(Access { csrf: None });
    }
    let token = state.config.agent_token.as_deref().ok_or(AppError::Unauthorized)?;
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
    match session::from_cookies(cookies) {
        Some(value) if session::valid(token, value) => Ok(Access { csrf: Some(session::csrf(token, value)) }),
        _ => Err(AppError::SignIn(path.to_string())),
    }
}

/// Checks a form's CSRF token against the session (bearer requests need none).
fn checked(access: &Access, given: &str) -> Result<(), AppError> {
    match &access.csrf {
        None => Ok(()),
        Some(expected) if session::same(expected, given) => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

fn csrf_field(access: &Access) -> String {
    access.csrf.as_ref().map(|t| format!("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", esc(t))).unwrap_or_default()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn who(b: &Value) -> String {
    let i = &b["identity"];
    [s(i, "name"), s(i, "email"), s(i, "id")].into_iter().find(|x| !x.is_empty()).unwrap_or("anonymous").to_string()
}

fn row(h: &Handoff) -> String {
    format!(
        "<tr><td><a href=\"/inbox/{t}\">#{t}</a></td><td>{r}</td><td>{st}</td><td>{c}</td><td>{p}</td><td>{w}</td><td>{v}</td></tr>",
        t = h.ticket,
        r = esc(&h.reference),
        st = esc(&h.status),
        c = esc(&h.category),
        p = esc(&h.priority),
        w = esc(&who(&h.bundle)),
        v = if h.verified { "verified" } else { "unverified" },
    )
}

/// Query of `/inbox`.
#[derive(serde::Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

/// `/inbox?q=`: newest handoffs, searchable by reference, email, account and text.
pub async fn list(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<Search>) -> Result<Response, AppError> {
    signed_in(&state, &headers, "/inbox")?;
    let found = state.store.search(&q.q, 100).await?;
    let mut body = format!("<h1>Inbox</h1><form method=\"get\"><input name=\"q\" value=\"{}\" aria-label=\"Search\"> <button>Search</button></form>", esc(&q.q));
    body.push_str("<table><thead><tr><th>Ticket</th><th>Reference</th><th>Status</th><th>Category</th><th>Priority</th><th>Who</th><th>Identity</th></tr></thead><tbody>");
    for h in &found {
        body.push_str(&row(h));
    }
    body.push_str("</tbody></table>");
    if found.is_empty() {
        body.push_str("<p>No handoff matches.</p>");
    }
    Ok(page("Inbox", &body))
}

fn list_of(items: impl Iterator<Item = String>, ordered: bool) -> String {
    let tag = if ordered { "ol" } else { "ul" };
    let items: Vec<String> = items.map(|i| format!("<li>{}</li>", esc(&i))).collect();
    if items.is_empty() { "<p>None.</p>".into() } else { format!("<{tag}>{}</{tag}>", items.join("")) }
}

fn arr(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// The handoff as an agent reads it, top-down.
fn story(h: &Handoff) -> String {
    let b = &h.bundle;
    let mut out = String::new();
    let _ = write!(
        out,
        "<h1>{r} · {w}</h1><p>Ticket #{t} · {st} · {c} · {p} priority · <span class=\"{v}\">{v} identity</span></p>",
        r = esc(&h.reference),
        w = esc(&who(b)),
        t = h.ticket,
        st = esc(&h.status),
        c = esc(&h.category),
        p = esc(&h.priority),
        v = if h.verified { "verified" } else { "unverified" },
    );
    let _ = write!(out, "<h2>Summary</h2><p class=\"summary\">{}</p>", esc(s(b, "summary")));
    let _ = write!(out, "<h2>In their words</h2><blockquote class=\"words\">{}</blockquote>", esc(s(b, "description")));
    let steps = arr(&b["steps"]).iter().filter_map(Value::as_str).map(|x| x.split_once(". ").map_or(x, |(_, rest)| rest).to_string());
    let _ = write!(out, "<h2>Steps to reproduce</h2>{}", list_of(steps, true));
    let errors = arr(&b["errors"]).iter().map(|e| format!("{}: {} (×{}, on {})", s(e, "kind"), s(e, "message"), e["count"], s(e, "route")));
    let _ = write!(out, "<h2>Errors</h2>{}", list_of(errors, false));
    let requests = arr(&b["failedRequests"]).iter().map(|r| format!("{} {} → {} (×{})", s(r, "method"), s(r, "url"), r["status"], r["count"]));
    let _ = write!(out, "<h2>Failed requests</h2>{}", list_of(requests, false));
    let j = &b["selfService"];
    let tried = arr(&j["searches"])
        .iter()
        .map(|x| format!("Searched \"{}\"", s(x, "query")))
        .chain(arr(&j["articles"]).iter().map(|a| format!("Read \"{}\"{}", s(a, "title"), match a["helpful"].as_bool() {
            Some(true) => " (helpful)",
            Some(false) => " (not helpful)",
            None => "",
        })))
        .chain(arr(&j["flows"]).iter().map(|f| format!("Guided flow \"{}\": {} at step {} of {}", s(f, "id"), s(f, "outcome"), f["step"], f["steps"])));
    let _ = write!(out, "<h2>What they tried</h2>{}", list_of(tried, false));
    let env = &b["environment"];
    let _ = write!(
        out,
        "<h2>Page and environment</h2><p>{} — {}<br>{} on {}, {}, {}</p>",
        esc(s(&b["route"], "url")),
        esc(s(&b["route"], "title")),
        esc(s(env, "browser")),
        esc(s(env, "os")),
        esc(s(env, "language")),
        esc(s(env, "timezone")),
    );
    let related: Vec<String> = arr(&b["related"]).iter().filter_map(Value::as_str).map(|r| format!("<a href=\"/r/{0}\">{0}</a>", esc(r))).collect();
    let _ = write!(out, "<h2>Related references</h2><p>{}</p>", if related.is_empty() { "None.".into() } else { related.join(", ") });
    out
}

/// The agent's side of a handoff: its status (a form), internal notes (and a form), and the
/// customer's other handoffs — the routes and errors they had in common and what they tried.
async fn desk(state: &AppState, access: &Access, h: &Handoff) -> Result<String, AppError> {
    let mut out = String::new();
    let options: String = STATUSES.iter().map(|st| format!("<option{}>{st}</option>", if *st == h.status { " selected" } else { "" })).collect();
    let _ = write!(
        out,
        "<h2>Status</h2><form method=\"post\" action=\"/inbox/{t}/status\" class=\"status\">{c}<select name=\"status\" aria-label=\"Status\">{options}</select> <button>Save</button></form>",
        t = h.ticket,
        c = csrf_field(access),
    );
    let notes = state.store.notes(h.ticket).await?;
    let _ = write!(out, "<h2>Internal notes</h2>{}", list_of(notes.iter().map(|n| n.body.clone()), false));
    let _ = write!(
        out,
        "<form method=\"post\" action=\"/inbox/{t}/notes\">{c}<textarea name=\"body\" rows=\"3\" cols=\"60\" aria-label=\"Note\" required></textarea><br><button>Add note</button></form>",
        t = h.ticket,
        c = csrf_field(access),
    );
    out.push_str(&customer(state, h).await?);
    // Then the account (workspace, tenant): other verified customers of it.
    let account = s(&h.bundle["identity"], "account");
    if h.verified && !account.is_empty() {
        let colleagues: Vec<Handoff> = state.store.of_account(account).await?.into_iter().filter(|o| o.customer != h.customer).collect();
        if !colleagues.is_empty() {
            let _ = write!(out, "<h2>Others at {}</h2><table class=\"account\"><tbody>", esc(account));
            for o in &colleagues {
                out.push_str(&row(o));
            }
            out.push_str("</tbody></table>");
        }
    }
    Ok(out)
}

/// This customer's other handoffs, with the pages and errors in common and what they tried.
async fn customer(state: &AppState, h: &Handoff) -> Result<String, AppError> {
    let mut out = String::new();
    let Some(customer) = &h.customer else {
        out.push_str("<h2>This customer</h2><p>The identity did not verify, so this handoff is not joined to a customer's history.</p>");
        return Ok(out);
    };
    let history = state.store.of_customer(customer).await?;
    let others: Vec<&Handoff> = history.iter().filter(|o| o.ticket != h.ticket).collect();
    let _ = write!(out, "<h2>This customer ({} handoffs)</h2>", history.len());
    if others.is_empty() {
        out.push_str("<p>First contact.</p>");
        return Ok(out);
    }
    out.push_str("<table class=\"history\"><tbody>");
    for o in &others {
        let _ = write!(out, "<tr><td><a href=\"/inbox/{t}\">#{t}</a></td><td>{r}</td><td>{st}</td><td>{sum}</td></tr>", t = o.ticket, r = esc(&o.reference), st = esc(&o.status), sum = esc(s(&o.bundle, "summary")));
    }
    out.push_str("</tbody></table>");
    let paths = |b: &Value| -> Vec<String> { arr(&b["routes"]).iter().chain(std::iter::once(&b["route"])).map(|r| s(r, "path").to_string()).filter(|p| !p.is_empty()).collect() };
    let errors = |b: &Value| -> Vec<String> { arr(&b["errors"]).iter().map(|e| s(e, "message").to_string()).collect() };
    let mine_paths = paths(&h.bundle);
    let mine_errors = errors(&h.bundle);
    let mut common_paths: Vec<String> = others.iter().flat_map(|o| paths(&o.bundle)).filter(|p| mine_paths.contains(p)).collect();
    common_paths.sort();
    common_paths.dedup();
    let mut common_errors: Vec<String> = others.iter().flat_map(|o| errors(&o.bundle)).filter(|e| mine_errors.contains(e)).collect();
    common_errors.sort();
    common_errors.dedup();
    let tried: Vec<String> = others
        .iter()
        .flat_map(|o| arr(&o.bundle["selfService"]["articles"]).iter().map(|a| format!("Read \"{}\" ({})", s(a, "title"), o.reference)).collect::<Vec<_>>())
        .collect();
    let _ = write!(out, "<h3>Pages in common</h3>{}<h3>Errors in common</h3>{}<h3>Already tried before</h3>{}", list_of(common_paths.into_iter(), false), list_of(common_errors.into_iter(), false), list_of(tried.into_iter(), false));
    Ok(out)
}

/// `/inbox/{ticket}`.
pub async fn ticket(State(state): State<AppState>, headers: HeaderMap, Path(ticket): Path<i64>) -> Result<Response, AppError> {
    let access = signed_in(&state, &headers, &format!("/inbox/{ticket}"))?;
    let h = state.store.get(ticket).await?.ok_or(AppError::NotFound)?;
    let body = story(&h) + &desk(&state, &access, &h).await?;
    Ok(page(&h.reference, &body))
}

/// Form of `POST /inbox/{ticket}/status`.
#[derive(serde::Deserialize)]
pub struct StatusForm {
    status: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /inbox/{ticket}/status`: open, pending or solved.
pub async fn set_status(State(state): State<AppState>, headers: HeaderMap, Path(ticket): Path<i64>, Form(form): Form<StatusForm>) -> Result<Response, AppError> {
    let access = signed_in(&state, &headers, &format!("/inbox/{ticket}"))?;
    checked(&access, &form.csrf)?;
    if !STATUSES.contains(&form.status.as_str()) {
        return Err(AppError::BadBundle(format!("status must be one of {}", STATUSES.join(", "))));
    }
    if !state.store.set_status(ticket, &form.status).await? {
        return Err(AppError::NotFound);
    }
    Ok(back_to(ticket))
}

/// Form of `POST /inbox/{ticket}/notes`.
#[derive(serde::Deserialize)]
pub struct NoteForm {
    body: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /inbox/{ticket}/notes`: an internal note (at most 5,000 characters).
pub async fn add_note(State(state): State<AppState>, headers: HeaderMap, Path(ticket): Path<i64>, Form(form): Form<NoteForm>) -> Result<Response, AppError> {
    let access = signed_in(&state, &headers, &format!("/inbox/{ticket}"))?;
    checked(&access, &form.csrf)?;
    let body: String = form.body.trim().chars().take(5000).collect();
    if body.is_empty() {
        return Err(AppError::BadBundle("a note needs some text".into()));
    }
    state.store.get(ticket).await?.ok_or(AppError::NotFound)?;
    state.store.add_note(ticket, crate::handoffs::now_ms(), &body).await?;
    Ok(back_to(ticket))
}

fn back_to(ticket: i64) -> Response {
    see_other(&format!("/inbox/{ticket}"))
}

/// Query of `/login`.
#[derive(serde::Deserialize)]
pub struct Next {
    #[serde(default)]
    next: String,
}

/// Only paths on this relay, never another site.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') { next.to_string() } else { "/inbox".into() }
}

/// `GET /login`: the agent signs in with the agent token.
pub async fn login_page(Query(next): Query<Next>) -> Response {
    login_form(&safe_next(&next.next), "")
}

fn login_form(next: &str, problem: &str) -> Response {
    let problem = if problem.is_empty() { String::new() } else { format!("<p class=\"unverified\" role=\"alert\">{}</p>", esc(problem)) };
    page(
        "Sign in",
        &format!("<h1>Baton inbox</h1>{problem}<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"next\" value=\"{}\"><label>Agent token <input type=\"password\" name=\"token\" required autocomplete=\"current-password\"></label> <button>Sign in</button></form>", esc(next)),
    )
}

/// Form of `POST /login`.
#[derive(serde::Deserialize)]
pub struct LoginForm {
    token: String,
    #[serde(default)]
    next: String,
}

/// `POST /login`: a session cookie (HttpOnly, SameSite=Strict) for the right token.
pub async fn login(State(state): State<AppState>, Form(form): Form<LoginForm>) -> Response {
    let next = safe_next(&form.next);
    match state.config.agent_token.as_deref() {
        Some(token) if session::same(token, form.token.trim()) => {
            let mut r = see_other(&next);
            let cookie = format!("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}", session::COOKIE, session::issue(token), session::SESSION_SECONDS);
            if let Ok(c) = HeaderValue::from_str(&cookie) {
                r.headers_mut().insert(header::SET_COOKIE, c);
            }
            r
        }
        _ => {
            let mut r = login_form(&next, "That is not the agent token.");
            *r.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
            r
        }
    }
}

/// `/r/{reference}`: for an agent on another channel who is given the code.
pub async fn lookup(State(state): State<AppState>, headers: HeaderMap, Path(reference): Path<String>) -> Result<Response, AppError> {
    let access = signed_in(&state, &headers, &format!("/r/{}", reference.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>()))?;
    let found = state.store.by_reference(&reference).await?;
    let first = found.first().ok_or(AppError::NotFound)?;
    let mut body = story(first) + &desk(&state, &access, first).await?;
    if found.len() > 1 {
        body.push_str("<h2>Other handoffs with this reference</h2><table><tbody>");
        for h in &found[1..] {
            body.push_str(&row(h));
        }
        body.push_str("</tbody></table>");
    }
    Ok(page(&first.reference, &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_the_style_hash_is_base64_sha256() {
        assert_eq!(esc("<img src=x onerror=\"a('b')\">&"), "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;");
        let h = style_hash();
        assert_eq!(h.len(), 44);
        assert!(h.ends_with('='));
    }
}
