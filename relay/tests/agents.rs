//! Agent accounts against the real binary, on a SQLite file and on a throwaway PostgreSQL
//! cluster: invites, passwords, throttled sign-ins, sign-ins listed and revoked, sign-out, API
//! tokens, and the audit naming who did what.

use baton_relay::testing::{invite, RelayProcess};
use serde_json::{json, Value};
use std::process::Command;

const TOKEN: &str = "agent-token-for-tests-0123456789abcdef";
const PASSWORD: &str = "correct horse battery staple";
const BIN: &str = env!("CARGO_BIN_EXE_baton-relay");

fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The value of `name="csrf"` in a page.
fn csrf(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("a CSRF token").to_string()
}

async fn sign_in(base: &str, email: &str, password: &str, from: &str) -> reqwest::Response {
    browser().post(format!("{base}/login")).header("x-forwarded-for", from).header("user-agent", format!("Browser of {from}")).form(&[("email", email), ("password", password), ("next", "/inbox")]).send().await.unwrap()
}

fn cookie_of(res: &reqwest::Response) -> String {
    res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
}

async fn get(base: &str, path: &str, cookie: &str) -> reqwest::Response {
    browser().get(format!("{base}{path}")).header("cookie", cookie).send().await.unwrap()
}

async fn accounts(db: &str, tag: &str) {
    // Loopback is the trusted proxy, so that X-Forwarded-For stands for different addresses.
    let relay = RelayProcess::start(BIN, db, &[("BATON_AGENT_TOKEN", TOKEN), ("BATON_TRUSTED_PROXIES", "127.0.0.1,::1")]).await;
    let base = relay.base.as_str();
    let email = format!("jane.{tag}@support.example");

    // The invite: a one-time link; a short password or two that differ are refused.
    let token = invite(BIN, db, &email.to_uppercase());
    let form = browser().get(format!("{base}/invite/{token}")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains(&email), "{form}");
    let short = browser().post(format!("{base}/invite/{token}")).form(&[("password", "short"), ("confirm", "short")]).send().await.unwrap();
    assert_eq!(short.status().as_u16(), 422);
    let differ = browser().post(format!("{base}/invite/{token}")).form(&[("password", PASSWORD), ("confirm", "another long password")]).send().await.unwrap();
    assert_eq!(differ.status().as_u16(), 422);
    let set = browser().post(format!("{base}/invite/{token}")).form(&[("password", PASSWORD), ("confirm", PASSWORD)]).send().await.unwrap();
    assert_eq!((set.status().as_u16(), set.headers()["location"].to_str().unwrap()), (303, "/login?set=1"));
    let again = browser().post(format!("{base}/invite/{token}")).form(&[("password", "someone else's pw"), ("confirm", "someone else's pw")]).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 404, "an invite works once");

    // Two sign-ins (two browsers); the account page lists both, and each can end the other.
    let laptop = sign_in(base, &email, PASSWORD, "198.51.100.1").await;
    assert_eq!(laptop.status().as_u16(), 303);
    let laptop = cookie_of(&laptop);
    let phone = cookie_of(&sign_in(base, &email, PASSWORD, "198.51.100.2").await);
    let page = get(base, "/account", &laptop).await.text().await.unwrap();
    assert!(page.contains("Browser of 198.51.100.1") && page.contains("Browser of 198.51.100.2") && page.contains("this browser"), "{page}");
    let phone_id = page.split("/account/sign-ins/").nth(1).and_then(|r| r.split('/').next()).unwrap().to_string();
    let revoked = browser().post(format!("{base}/account/sign-ins/{phone_id}/revoke")).header("cookie", &laptop).form(&[("csrf", csrf(&page))]).send().await.unwrap();
    assert_eq!(revoked.status().as_u16(), 303);
    assert_eq!(get(base, "/inbox", &phone).await.status().as_u16(), 303, "the phone is signed out");
    assert_eq!(get(base, "/inbox", &laptop).await.status().as_u16(), 200);

    // An API token of her own: it acts as her, and stops when revoked.
    let made = browser().post(format!("{base}/account/tokens")).header("cookie", &laptop).form(&[("csrf", csrf(&page)), ("name", "Zapier".to_string())]).send().await.unwrap().text().await.unwrap();
    let api_token = made.split("class=\"new-token\">").nth(1).and_then(|r| r.split('<').next()).expect("the new token, shown once").to_string();
    assert!(api_token.starts_with("baton_"));
    assert!(!get(base, "/account", &laptop).await.text().await.unwrap().contains(&api_token), "shown once only");

    // A handoff, then a status change and a reply by her (browser and her token), a note by
    // automation (the shared token): the audit names each.
    let reference = format!("BTN-{tag}A-UD");
    let bundle = json!({"version": 1, "reference": reference, "description": "Card declined"});
    let filed: Value = reqwest::Client::new().post(format!("{base}/v1/handoffs")).header("idempotency-key", format!("{tag}-audit")).json(&bundle).send().await.unwrap().json().await.unwrap();
    let ticket = filed["ticket"].as_i64().unwrap();
    let desk = get(base, &format!("/inbox/{ticket}"), &laptop).await.text().await.unwrap();
    let moved = browser().post(format!("{base}/inbox/{ticket}/status")).header("cookie", &laptop).form(&[("status", "solved"), ("csrf", &csrf(&desk))]).send().await.unwrap();
    assert_eq!(moved.status().as_u16(), 303);
    let replied = reqwest::Client::new().post(format!("{base}/v1/handoffs/{ticket}/replies")).bearer_auth(&api_token).json(&json!({"body": "Sorted"})).send().await.unwrap();
    assert_eq!(replied.status().as_u16(), 201);
    let noted = browser().post(format!("{base}/inbox/{ticket}/notes")).bearer_auth(TOKEN).form(&[("body", "Checked by the bot")]).send().await.unwrap();
    assert_eq!(noted.status().as_u16(), 303);
    let desk = get(base, &format!("/inbox/{ticket}"), &laptop).await.text().await.unwrap();
    let audit = desk.split("<ol class=\"audit\">").nth(1).unwrap().split("</ol>").next().unwrap().to_string();
    assert!(audit.contains(&format!("{email} · status: open → solved")), "{audit}");
    assert!(audit.contains(&format!("{email} · reply: replied to the customer (message 1)")), "{audit}");
    assert!(audit.contains("automation · note: added an internal note"), "{audit}");
    let tokens_page = get(base, "/account", &laptop).await.text().await.unwrap();
    let token_id = tokens_page.split("/account/tokens/").nth(1).and_then(|r| r.split('/').next()).unwrap().to_string();
    browser().post(format!("{base}/account/tokens/{token_id}/revoke")).header("cookie", &laptop).form(&[("csrf", csrf(&tokens_page))]).send().await.unwrap();
    let refused = reqwest::Client::new().get(format!("{base}/v1/handoffs/{ticket}")).bearer_auth(&api_token).send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 401, "a revoked token opens nothing");

    // Signing out ends the sign-in on the relay: the old cookie is worth nothing.
    let out = browser().post(format!("{base}/logout")).header("cookie", &laptop).form(&[("csrf", csrf(&tokens_page))]).send().await.unwrap();
    assert_eq!(out.status().as_u16(), 303);
    assert!(out.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(get(base, "/inbox", &laptop).await.status().as_u16(), 303);

    // Wrong passwords: five per address, then 429 with Retry-After — even with the right one.
    for _ in 0..5 {
        assert_eq!(sign_in(base, &email, "wrong password!", "203.0.113.9").await.status().as_u16(), 401);
    }
    let throttled = sign_in(base, &email, PASSWORD, "203.0.113.9").await;
    assert_eq!(throttled.status().as_u16(), 429);
    let wait: u64 = throttled.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Per account: guesses spread over many addresses are counted against the account too.
    let other = format!("omar.{tag}@support.example");
    let token = invite(BIN, db, &other);
    browser().post(format!("{base}/invite/{token}")).form(&[("password", PASSWORD), ("confirm", PASSWORD)]).send().await.unwrap();
    for i in 0..5 {
        assert_eq!(sign_in(base, &other, "wrong password!", &format!("192.0.2.{i}")).await.status().as_u16(), 401);
    }
    assert_eq!(sign_in(base, &other, PASSWORD, "192.0.2.99").await.status().as_u16(), 429, "the account is throttled from a new address");
    let third = format!("lee.{tag}@support.example");
    let token = invite(BIN, db, &third);
    browser().post(format!("{base}/invite/{token}")).form(&[("password", PASSWORD), ("confirm", PASSWORD)]).send().await.unwrap();
    assert_eq!(sign_in(base, &third, PASSWORD, "192.0.2.99").await.status().as_u16(), 303, "another account from that address is not");
}

#[tokio::test]
async fn agent_accounts_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    accounts(&format!("sqlite://{}", dir.path().join("relay.db").display()), "sq").await;
}

#[tokio::test]
async fn agent_accounts_on_postgresql() {
    let Some(pg) = baton_relay::testing::Postgres::start() else {
        eprintln!("\n!!!!!!!! PostgreSQL is not installed: SKIPPING the PostgreSQL agent accounts test !!!!!!!!\n");
        return;
    };
    accounts(&pg.url, "pg").await;
}

#[test]
fn a_weak_agent_token_is_refused_at_start() {
    let out = Command::new(BIN).env("DATABASE_URL", "sqlite::memory:").env("BATON_AGENT_TOKEN", "demo-agent-token").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("BATON_AGENT_TOKEN must be at least 32 characters"), "{}", String::from_utf8_lossy(&out.stderr));
}
