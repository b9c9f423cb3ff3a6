//! Integration tests: the real `baton-relay` binary, started as a process on a random port, on a
//! SQLite file and on a throwaway PostgreSQL cluster this test starts itself (Debian's packages;
//! `initdb` run as the `postgres` user when the test runs as root). Where PostgreSQL is not
//! installed the PostgreSQL test says so loudly and returns.

use serde_json::{json, Value};
use baton_relay::testing::RelayProcess;
use std::process::Command;

mod common;
use common::*;

/// What a page on another site cannot do, and what a retry or a second post cannot change.
async fn intake(base: &str, tag: &str, filed: &Value, ticket: i64) {
    let raw = |origin: Option<&str>, content_type: &str, key: Option<&str>, body: String| {
        let mut req = reqwest::Client::new().post(format!("{base}/v1/handoffs")).header("content-type", content_type).body(body);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        async move {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let fresh = |letter: &str| bundle(&format!("BTN-{tag}{letter}-IN"), "intake", Value::Null).to_string();
    // A page on another site: refused whatever it sends; the allowed origin and a server (no
    // Origin) are accepted.
    let (status, err) = raw(Some("https://evil.example"), "application/json", Some(&format!("{tag}-evil")), fresh("O")).await;
    assert_eq!((status, err["error"].as_str()), (403, Some("origin")), "{err}");
    assert_eq!(raw(Some("https://evil.example"), "text/plain", Some(&format!("{tag}-evil2")), fresh("O")).await.0, 403, "a form-like cross-site post");
    assert_eq!(raw(Some(ORIGIN), "application/json", Some(&format!("{tag}-ok")), fresh("O")).await.0, 201);
    // A body that is not declared JSON (what a page can send without asking): 415.
    let (status, err) = raw(None, "text/plain", Some(&format!("{tag}-plain")), fresh("P")).await;
    assert_eq!((status, err["error"].as_str()), (415, Some("not_json")), "{err}");
    // No Idempotency-Key: 400, nothing filed.
    let (status, err) = raw(None, "application/json", None, fresh("K")).await;
    assert_eq!((status, err["error"].as_str()), (400, Some("bad_header")), "{err}");
    assert!(err["message"].as_str().unwrap().contains("Idempotency-Key"));
    assert_eq!(agent_get(&format!("{base}/v1/handoffs/BTN-{tag}K-IN")).await.status().as_u16(), 404);
    // The first handoff's key with another body: 409, and the stored one is unchanged.
    let mut changed = filed.clone();
    changed["description"] = "Something else entirely".into();
    let (status, err) = raw(None, "application/json", Some(&format!("{tag}-key-1")), changed.to_string()).await;
    assert_eq!((status, err["error"].as_str()), (409, Some("idempotency_key_reused")), "{err}");
    // Another handoff with the first one's reference: 409; the code still shows the first.
    let mut hijack = bundle(filed["reference"].as_str().unwrap(), "Attacker's story", Value::Null);
    hijack["summary"] = "not the customer".into();
    let (status, err) = raw(None, "application/json", Some(&format!("{tag}-hijack")), hijack.to_string()).await;
    assert_eq!((status, err["error"].as_str()), (409, Some("reference_taken")), "{err}");
    let got: Value = agent_get(&format!("{base}/v1/handoffs/{}", filed["reference"].as_str().unwrap())).await.json().await.unwrap();
    assert_eq!((got["ticket"].as_i64(), got["bundle"]["description"].as_str()), (Some(ticket), Some("My card is declined")));
    // The same key and body is still the same ticket.
    let (status, again) = raw(None, "application/json", Some(&format!("{tag}-key-1")), filed.to_string()).await;
    assert_eq!((status, again["ticket"].as_i64()), (200, Some(ticket)));
}

/// Everything a relay must do, against whichever database `relay` runs on. `tag` keeps the
/// keys and references of one run apart from another's on a shared database.
async fn suite(relay: &RelayProcess, db: &str, tag: &str) {
    let base = relay.base.as_str();
    let health: Value = reqwest::get(format!("{base}/healthz")).await.unwrap().json().await.unwrap();
    assert_eq!(health["ok"], true);

    // Receive: 201 with a ticket; the same key again: 200, same ticket.
    let reference = format!("BTN-{tag}A-22");
    let b = bundle(&reference, "My card is declined", json!({"token": token(json!({"sub": format!("u_{tag}"), "email": format!("jane.{tag}@acme.example"), "account": "Acme"}))}));
    let (status, first) = post(base, &b, Some(&format!("{tag}-key-1"))).await;
    assert_eq!(status, 201, "{first}");
    let ticket = first["ticket"].as_i64().expect("ticket");
    assert_eq!(first["url"].as_str().unwrap(), format!("{base}/inbox/{ticket}"));
    let (status, again) = post(base, &b, Some(&format!("{tag}-key-1"))).await;
    assert_eq!((status, again["ticket"].as_i64()), (200, Some(ticket)));

    // Racing duplicates: one ticket.
    let key = format!("{tag}-race");
    let raced = bundle(&format!("BTN-{tag}R-22"), "raced", Value::Null);
    let mut racers = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let (base, b, key) = (base.to_string(), raced.clone(), key.clone());
        racers.spawn(async move { post(&base, &b, Some(&key)).await });
    }
    let results: Vec<(u16, Value)> = racers.join_all().await;
    assert_eq!(results.iter().filter(|(s, _)| *s == 201).count(), 1, "{results:?}");
    assert!(results.iter().all(|(s, _)| *s == 201 || *s == 200));
    let tickets: std::collections::BTreeSet<i64> = results.iter().map(|(_, v)| v["ticket"].as_i64().unwrap()).collect();
    assert_eq!(tickets.len(), 1);

    // Clear 4xx errors in JSON.
    let (status, err) = post(base, &json!({"version": 2, "reference": "BTN-X"}), None).await;
    assert_eq!((status, err["error"].as_str()), (422, Some("bad_bundle")));
    assert!(err["message"].as_str().unwrap().contains("version 2"));
    let res = reqwest::Client::new().post(format!("{base}/v1/handoffs")).header("content-type", "application/json").header("idempotency-key", format!("{tag}-nj")).body("not json").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 422);
    intake(base, tag, &b, ticket).await;
    let huge = bundle(&format!("BTN-{tag}H-22"), &"x".repeat(200_000), Value::Null);
    let (status, err) = post(base, &huge, None).await;
    assert_eq!((status, err["error"].as_str()), (413, Some("too_large")));

    // Verified and forged identities.
    let forged = bundle(&format!("BTN-{tag}F-22"), "Forged", json!({"id": format!("u_{tag}"), "signature": sign("someone-else")}));
    let (_, f) = post(base, &forged, Some(&format!("{tag}-forged"))).await;
    let unauthorised = reqwest::get(format!("{base}/v1/handoffs/{reference}")).await.unwrap();
    assert_eq!(unauthorised.status().as_u16(), 401);
    let got: Value = agent_get(&format!("{base}/v1/handoffs/{reference}")).await.json().await.unwrap();
    assert_eq!((got["ticket"].as_i64(), got["verified"].as_bool()), (Some(ticket), Some(true)));
    assert_eq!(got["bundle"]["description"], "My card is declined");
    let got: Value = agent_get(&format!("{base}/v1/handoffs/{}", f["ticket"])).await.json().await.unwrap();
    assert_eq!(got["verified"], false, "a forged signature is stored, unverified");

    // Search by reference, email, account and text.
    for q in [reference.to_lowercase(), format!("jane.{tag}@acme.example"), "acme".to_string(), "card is declined".to_string()] {
        let found: Value = agent_get(&format!("{base}/v1/handoffs?q={}", q.replace('@', "%40").replace(' ', "+"))).await.json().await.unwrap();
        assert!(found["handoffs"].as_array().unwrap().iter().any(|h| h["ticket"].as_i64() == Some(ticket)), "{q}: {found}");
    }

    // Hostile strings are text in the inbox; the pages carry a strict CSP.
    let hostile = bundle(&format!("BTN-{tag}X-22"), "<script>alert(1)</script><img src=x onerror=alert(2)>", json!({"name": "<b onmouseover=alert(3)>Eve</b>"}));
    let (_, h) = post(base, &hostile, None).await;
    let page = agent_get(&format!("{base}/inbox/{}", h["ticket"])).await;
    let csp = page.headers().get("content-security-policy").unwrap().to_str().unwrap().to_string();
    assert_eq!(page.headers()["cache-control"], "no-store", "personal data is never cached");
    assert_eq!(agent_get(&format!("{base}/v1/handoffs/{reference}")).await.headers()["cache-control"], "no-store");
    assert!(csp.starts_with("default-src 'none'") && !csp.contains("script-src"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(!html.contains("<script>") && !html.contains("<img") && !html.contains("<b "), "{html}");
    assert!(shown(&html).contains("<script>alert(1)</script>"), "the bundle's text is shown as text");
    let lookup = shown(&agent_get(&format!("{base}/r/{reference}")).await.text().await.unwrap());
    for part in ["My card is declined", "Steps to reproduce", "Clicked \"Pay\" (button#pay)", "Error: Payment declined (×3, on /billing)", "POST /api/pay → 502 (×2)", "Read \"Update your card\" (not helpful)", &format!("verified: id u_{tag}, email jane.{}@acme.example, account Acme", tag.to_lowercase())] {
        assert!(lookup.contains(part), "{part} in\n{lookup}");
    }
    let inbox = agent_get(&format!("{base}/inbox?q={tag}")).await.text().await.unwrap();
    assert!(inbox.contains(&reference));

    // A browser without a sign-in is sent to sign in; an invited agent signs in with a password.
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let bounce = browser.get(format!("{base}/inbox/{ticket}")).send().await.unwrap();
    assert_eq!(bounce.status().as_u16(), 303);
    assert_eq!(bounce.headers()["location"], format!("/login?next=/inbox/{ticket}").as_str());
    let email = format!("agent.{}@support.example", tag.to_lowercase());
    let invite = baton_relay::testing::invite(env!("CARGO_BIN_EXE_baton-relay"), db, &email);
    let set = browser.post(format!("{base}/invite/{invite}")).form(&[("password", PASSWORD), ("confirm", PASSWORD)]).send().await.unwrap();
    assert_eq!(set.status().as_u16(), 303);
    let wrong = browser.post(format!("{base}/login")).form(&[("email", email.as_str()), ("password", "guess"), ("next", "/inbox")]).send().await.unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    let signed = browser.post(format!("{base}/login")).form(&[("email", email.as_str()), ("password", PASSWORD), ("next", "https://evil.example/")]).send().await.unwrap();
    assert_eq!(signed.status().as_u16(), 303);
    assert_eq!(signed.headers()["location"], "/inbox", "never redirected to another site");
    let tabbed = browser.post(format!("{base}/login")).form(&[("email", email.as_str()), ("password", PASSWORD), ("next", "/\t/evil.example")]).send().await.unwrap();
    assert_eq!(tabbed.headers()["location"], "/inbox", "a tab would make //evil.example in a browser");
    let cookie = signed.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    assert!(signed.headers()["set-cookie"].to_str().unwrap().contains("Secure; HttpOnly; SameSite=Strict") && cookie.starts_with("__Host-"));
    let desk = browser.get(format!("{base}/inbox/{ticket}")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    let csrf = desk.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("a CSRF token in the forms").to_string();

    // Status changes and notes: CSRF-checked for the browser, the bearer needs none.
    let forged_form = browser.post(format!("{base}/inbox/{ticket}/status")).header("cookie", &cookie).form(&[("status", "solved")]).send().await.unwrap();
    assert_eq!(forged_form.status().as_u16(), 403, "no CSRF token");
    let moved = browser.post(format!("{base}/inbox/{ticket}/status")).header("cookie", &cookie).form(&[("status", "pending"), ("csrf", &csrf)]).send().await.unwrap();
    assert_eq!(moved.status().as_u16(), 303);
    let bad = browser.post(format!("{base}/inbox/{ticket}/status")).bearer_auth(TOKEN).form(&[("status", "lost")]).send().await.unwrap();
    assert_eq!(bad.status().as_u16(), 422);
    let noted = browser.post(format!("{base}/inbox/{ticket}/notes")).bearer_auth(TOKEN).form(&[("body", "Called back <b>Jane</b>; card replaced")]).send().await.unwrap();
    assert_eq!(noted.status().as_u16(), 303);
    let got: Value = agent_get(&format!("{base}/v1/handoffs/{ticket}")).await.json().await.unwrap();
    assert_eq!(got["status"], "pending");
    let desk = agent_get(&format!("{base}/inbox/{ticket}")).await.text().await.unwrap();
    assert!(!desk.contains("<b>Jane") && shown(&desk).contains("Called back <b>Jane</b>; card replaced (automation, "), "{desk}");
    // The audit names who did each thing: the signed-in agent, and automation for the shared token.
    let audit = shown(desk.split("<ol class=\"audit\">").nth(1).expect("an audit list").split("</ol>").next().unwrap());
    assert!(audit.contains(&format!("{email} · status: open → pending")) && audit.contains("automation · note: added an internal note"), "{audit}");

    // One customer, one history: a second verified contact continues the first; the forged one
    // (same id, bad signature) is not joined.
    let second = bundle(&format!("BTN-{tag}B-22"), "Still declined", json!({"id": format!("u_{tag}"), "signature": sign(&format!("u_{tag}"))}));
    let (_, s2) = post(base, &second, Some(&format!("{tag}-second"))).await;
    let page2 = shown(&agent_get(&format!("{base}/inbox/{}", s2["ticket"])).await.text().await.unwrap());
    for part in ["This customer (2 handoffs)", &reference, "Pages in common", "/billing", "Errors in common", "Error: Payment declined", "Already tried before", "Read \"Update your card\""] {
        assert!(page2.contains(part), "{part} in\n{page2}");
    }
    assert!(page2.contains(&format!("verified: id u_{tag} (signature: the id alone)")), "{page2}");
    let signed: Value = agent_get(&format!("{base}/v1/handoffs/{}", s2["ticket"])).await.json().await.unwrap();
    assert!(signed["bundle"]["identity"].get("signature").is_none(), "no signature is stored: {signed}");
    assert_eq!(signed["verifiedBy"], "signature");
    // Then the account: another customer whose token names Acme shows under "Others at Acme";
    // one who signs her own id and claims a name and the account does not, and is shown as claimed.
    let colleague = bundle(&format!("BTN-{tag}C-22"), "Colleague", json!({"token": token(json!({"sub": format!("v_{tag}"), "account": "Acme"}))}));
    let (_, c) = post(base, &colleague, Some(&format!("{tag}-colleague"))).await;
    let claimer = bundle(&format!("BTN-{tag}J-22"), "Claimer", json!({"id": format!("w_{tag}"), "name": "Jane CEO", "account": "Acme", "signature": sign(&format!("w_{tag}"))}));
    let (_, j) = post(base, &claimer, Some(&format!("{tag}-claimer"))).await;
    let page1 = agent_get(&format!("{base}/inbox/{ticket}")).await.text().await.unwrap();
    assert!(page1.contains("Others at Acme") && page1.contains(&format!("href=\"/inbox/{}\"", c["ticket"])), "{page1}");
    assert!(!page1.contains(&format!("href=\"/inbox/{}\"", j["ticket"])), "a claimed account joins nothing: {page1}");
    let claimed = shown(&agent_get(&format!("{base}/inbox/{}", j["ticket"])).await.text().await.unwrap());
    assert!(claimed.contains("claimed by the page, not verified: name Jane CEO, account Acme") && claimed.contains(&format!("BTN-{tag}J-22 · w_{tag}")), "the header names the verified id, not the claimed name: {claimed}");
    // A forged token (another key) or an expired one: unverified, with the reason, nothing joined.
    let forged_token = baton_relay::identity::issue("not-the-secret", &json!({"sub": format!("u_{tag}"), "iat": 1, "exp": 4_000_000_000u64}));
    let (_, ft) = post(base, &bundle(&format!("BTN-{tag}F-23"), "forged", json!({"token": forged_token})), None).await;
    let expired = token(json!({"sub": format!("u_{tag}"), "iat": 1_000_000_000, "exp": 1_000_000_100}));
    let (_, ex) = post(base, &bundle(&format!("BTN-{tag}F-24"), "expired", json!({"token": expired})), None).await;
    for (t, why) in [(&ft, "does not match"), (&ex, "expired")] {
        let page = shown(&agent_get(&format!("{base}/inbox/{}", t["ticket"])).await.text().await.unwrap());
        assert!(page.contains("unverified identity: the identity token") && page.contains(why) && page.contains("did not verify"), "{page}");
        let api: Value = agent_get(&format!("{base}/v1/handoffs/{}", t["ticket"])).await.json().await.unwrap();
        assert_eq!(api["verified"], false);
        assert!(api["bundle"]["identity"].get("token").is_none(), "no token is stored: {api}");
    }
    let api: Value = agent_get(&format!("{base}/v1/handoffs/{ticket}")).await.json().await.unwrap();
    assert_eq!((api["verifiedBy"].as_str(), api["bundle"]["identity"].get("token")), (Some("token"), None), "{api}");

    // Hostile strings in every string field of a bundle: all of it is text on every page.
    fn poison(v: &mut Value, n: &mut u32) {
        match v {
            Value::String(s) => {
                *n += 1;
                *s = format!("{s}<script>window.x{n}=1</script><img src=x onerror=alert({n})>\"'&");
            }
            Value::Array(a) => a.iter_mut().for_each(|x| poison(x, n)),
            // Names from a fixed list (an error's kind, how a route was reached) are refused with
            // any other value; every free string is poisoned.
            Value::Object(o) => o.iter_mut().filter(|(k, _)| !matches!(k.as_str(), "version" | "reference" | "kind" | "outcome" | "via" | "api")).for_each(|(_, x)| poison(x, n)),
            _ => {}
        }
    }
    let mut evil = bundle(&format!("BTN-{tag}E-22"), "evil", json!({"id": "e", "email": "e@x.io", "name": "E", "account": "Evil Corp"}));
    evil["related"] = json!(["BTN-AAAA-AA"]);
    let mut n = 0;
    poison(&mut evil, &mut n);
    evil["related"].as_array_mut().unwrap().push("../../login?next=//evil.example".into());
    let (status, e) = post(base, &evil, None).await;
    assert_eq!(status, 201, "{e}");
    let page = agent_get(&format!("{base}/inbox/{}", e["ticket"])).await.text().await.unwrap();
    assert!(page.contains("href=\"/r/..%2F..%2Flogin%3Fnext%3D%2F%2Fevil.example\""), "a related code is one path segment: {page}");
    for path in [format!("/inbox/{}", e["ticket"]), format!("/inbox?q={tag}"), format!("/r/BTN-{tag}E-22")] {
        let html = agent_get(&format!("{base}{path}")).await.text().await.unwrap().to_lowercase();
        assert!(!html.contains("<script") && !html.contains("<img"), "{path}: {html}");
    }

    let forged_page = agent_get(&format!("{base}/inbox/{}", f["ticket"])).await.text().await.unwrap();
    assert!(forged_page.contains("did not verify") && !forged_page.contains("This customer ("), "{forged_page}");

    // CORS: the allowed origin may post; another may not.
    let preflight = |origin: &'static str| {
        reqwest::Client::new()
            .request(reqwest::Method::OPTIONS, format!("{base}/v1/handoffs"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type, idempotency-key")
            .send()
    };
    let ok = preflight(ORIGIN).await.unwrap();
    assert_eq!(ok.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap()), Some(ORIGIN));
    let other = preflight("http://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

/// Posts `n` distinct handoffs at once while the relay is killed with SIGKILL after the first
/// acknowledgements; after a restart every acknowledged ticket is there.
async fn kill_mid_burst(database_url: &str, tag: &str) {
    let mut relay = Relay::start(database_url, &[]).await;
    let base = relay.base.clone();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    for i in 0..200 {
        let (base, tx, tag) = (base.clone(), tx.clone(), tag.to_string());
        tokio::spawn(async move {
            let reference = format!("BTN-{tag}K{i:03}");
            // A reply cut by the kill is not an acknowledgement.
            if let Some((201 | 200, v)) = try_post(&base, &bundle(&reference, "burst", Value::Null), Some(&format!("{tag}-burst-{i}"))).await {
                let _ = tx.send((reference, v["ticket"].as_i64().unwrap()));
            }
        });
    }
    drop(tx);
    let mut acknowledged = Vec::new();
    while let Some(ack) = rx.recv().await {
        acknowledged.push(ack);
        if acknowledged.len() == 40 {
            relay.kill();
        }
    }
    assert!((40..200).contains(&acknowledged.len()), "killed mid-burst: {} of 200 acknowledged", acknowledged.len());
    let relay = Relay::start(database_url, &[]).await;
    for (reference, ticket) in &acknowledged {
        let got: Value = agent_get(&format!("{}/v1/handoffs/{ticket}", relay.base)).await.json().await.unwrap();
        assert_eq!(got["reference"].as_str(), Some(reference.as_str()), "ticket {ticket} was acknowledged, so it must be stored");
    }
    eprintln!("kill -9 mid-burst ({tag}): {} acknowledged before the kill, all of them stored after the restart", acknowledged.len());
}

/// Two relay processes on one database: racing duplicates still make one ticket.
async fn two_instances(database_url: &str, tag: &str) {
    let a = Relay::start(database_url, &[]).await;
    let b = Relay::start(database_url, &[]).await;
    let body = bundle(&format!("BTN-{tag}T-22"), "twice", Value::Null);
    let mut racers = tokio::task::JoinSet::new();
    for i in 0..20 {
        let (base, body) = (if i % 2 == 0 { a.base.clone() } else { b.base.clone() }, body.clone());
        let key = format!("{tag}-two-instances");
        racers.spawn(async move { post(&base, &body, Some(&key)).await });
    }
    let results = racers.join_all().await;
    assert_eq!(results.iter().filter(|(s, _)| *s == 201).count(), 1, "{results:?}");
    let tickets: std::collections::BTreeSet<i64> = results.iter().map(|(_, v)| v["ticket"].as_i64().unwrap()).collect();
    assert_eq!(tickets.len(), 1, "{results:?}");
}

#[tokio::test]
async fn sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("relay.db").display());
    let relay = Relay::start(&url, &[]).await;
    suite(&relay, &url, "SQ").await;
    drop(relay);
    two_instances(&url, "SQ").await;
    kill_mid_burst(&url, "SQ").await;
}

/// The statuses of `requests`, one after another.
async fn futures_statuses(requests: impl Iterator<Item = impl std::future::Future<Output = reqwest::Response>>) -> Vec<u16> {
    let mut out = Vec::new();
    for r in requests {
        out.push(r.await.status().as_u16());
    }
    out
}

#[tokio::test]
async fn rate_limit_and_bad_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("relay.db").display());
    let relay = Relay::start(&url, &[("BATON_RATE_LIMIT", "3")]).await;
    // `from` sends X-Forwarded-For: only a trusted proxy's is believed.
    let post_from = |base: String, from: Option<&'static str>| async move {
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut req = reqwest::Client::new().post(format!("{base}/v1/handoffs")).json(&bundle(&format!("BTN-RATE-{n}"), "x", Value::Null)).header("idempotency-key", format!("rate-{n}"));
        if let Some(ip) = from {
            req = req.header("x-forwarded-for", ip);
        }
        req.send().await.unwrap()
    };
    for _ in 0..3 {
        assert_eq!(post_from(relay.base.clone(), None).await.status().as_u16(), 201);
    }
    let res = post_from(relay.base.clone(), None).await;
    assert_eq!(res.status().as_u16(), 429);
    let wait: u64 = res.headers().get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    // Not a trusted proxy: a made-up X-Forwarded-For buys nothing.
    assert_eq!(post_from(relay.base.clone(), Some("198.51.100.1")).await.status().as_u16(), 429);
    drop(relay);

    // Behind a trusted proxy (here: loopback), each client has its own bucket; an IPv6 client
    // has one per /64, whichever of its 2^64 addresses it uses.
    let relay = Relay::start(&url, &[("BATON_RATE_LIMIT", "3"), ("BATON_TRUSTED_PROXIES", "127.0.0.1/32, ::1")]).await;
    for client in ["198.51.100.1", "198.51.100.2"] {
        let codes: Vec<u16> = futures_statuses((0..4).map(|_| post_from(relay.base.clone(), Some(client)))).await;
        assert_eq!(codes, [201, 201, 201, 429], "{client}");
    }
    let mut codes = Vec::new();
    for i in 0..4 {
        let ip: &'static str = ["2001:db8:0:7::1", "2001:db8:0:7::2", "2001:db8:0:7:ffff::3", "2001:db8:0:7::4"][i];
        codes.push(post_from(relay.base.clone(), Some(ip)).await.status().as_u16());
    }
    assert_eq!(codes, [201, 201, 201, 429], "one /64, one bucket");
    assert_eq!(post_from(relay.base.clone(), Some("2001:db8:0:8::1")).await.status().as_u16(), 201, "the next /64 is another customer");
    drop(relay);
    let out = Command::new(env!("CARGO_BIN_EXE_baton-relay")).env("DATABASE_URL", &url).env("BATON_TRUSTED_PROXIES", "10.0.0.0/40").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("BATON_TRUSTED_PROXIES"), "{}", String::from_utf8_lossy(&out.stderr));

    let out = Command::new(env!("CARGO_BIN_EXE_baton-relay")).env("DATABASE_URL", "mysql://x").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("DATABASE_URL must start with sqlite: or postgres://"));
}

#[tokio::test]
async fn postgresql_cluster() {
    let Some(pg) = baton_relay::testing::Postgres::start() else {
        eprintln!("\n!!!!!!!! PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): SKIPPING the PostgreSQL tests !!!!!!!!\n");
        return;
    };
    let relay = Relay::start(&pg.url, &[]).await;
    suite(&relay, &pg.url, "PG").await;
    drop(relay);
    two_instances(&pg.url, "PG").await;
    kill_mid_burst(&pg.url, "PG").await;
}
