//! The pages of agent accounts: sign in, the invite (set a password), and the agent's own page
//! (their sign-ins and API tokens, each revocable).

use super::{respond, STYLE};
use crate::store::{ApiToken, SignIn};
use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

/// `/login`.
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    title: &'static str,
    style: &'static str,
    next: String,
    email: String,
    problem: String,
    note: String,
}

/// The sign-in form, going to `next` once signed in; `problem` says what went wrong, `note` what
/// went right (a password just set).
pub fn login(next: &str, email: &str, problem: &str, note: &str) -> Response {
    respond(LoginPage { title: "Sign in", style: STYLE, next: next.into(), email: email.into(), problem: problem.into(), note: note.into() }.render())
}

/// The sign-in form again, with `status` (401 for a wrong password, 429 when throttled, with
/// `Retry-After`).
pub fn login_refused(status: StatusCode, retry_after: Option<u64>, next: &str, email: &str, problem: &str) -> Response {
    let mut r = login(next, email, problem, "");
    *r.status_mut() = status;
    if let Some(v) = retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// `/invite/{token}`.
#[derive(Template)]
#[template(path = "invite.html")]
pub struct InvitePage {
    title: &'static str,
    style: &'static str,
    email: String,
    problem: String,
    live: bool,
}

/// The invite's form for `email` (`None`: the link is used or expired).
pub fn invite(email: Option<&str>, problem: &str) -> Response {
    let mut r = respond(InvitePage { title: "Set your password", style: STYLE, email: email.unwrap_or("").into(), problem: problem.into(), live: email.is_some() }.render());
    if email.is_none() {
        *r.status_mut() = StatusCode::NOT_FOUND;
    } else if !problem.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

/// One sign-in on the account page.
pub struct SignInRow {
    id: i64,
    user_agent: String,
    since: String,
    current: bool,
}

/// One API token on the account page.
pub struct TokenRow {
    id: i64,
    name: String,
    since: String,
}

/// `/account`.
#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    title: &'static str,
    style: &'static str,
    email: String,
    csrf: String,
    sign_ins: Vec<SignInRow>,
    tokens: Vec<TokenRow>,
    new_token: String,
}

/// A time for people: `2026-12-07 17:40 UTC`.
pub fn when(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", rest / 3600, rest % 3600 / 60)
}

/// The agent's page; `new_token` is an API token just made, shown this once.
pub fn account(email: &str, csrf: &str, current: Option<i64>, sign_ins: &[SignIn], tokens: &[ApiToken], new_token: &str) -> Response {
    let sign_ins = sign_ins.iter().map(|s| SignInRow { id: s.id, user_agent: s.user_agent.clone(), since: when(s.created_at), current: Some(s.id) == current }).collect();
    let tokens = tokens.iter().map(|t| TokenRow { id: t.id, name: t.name.clone(), since: when(t.created_at) }).collect();
    respond(AccountPage { title: "Your account", style: STYLE, email: email.into(), csrf: csrf.into(), sign_ins, tokens, new_token: new_token.into() }.render())
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_read_as_dates() {
        assert_eq!(super::when(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::when(1_796_670_000_000), "2026-12-07 19:00 UTC");
        assert_eq!(super::when(951_782_400_000), "2000-02-29 00:00 UTC");
    }
}
