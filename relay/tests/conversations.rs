//! The conversation, against the real `baton-relay` binary: identity tokens and widget sessions,
//! agent replies reaching every device of the customer (long poll and server-sent events, resumed
//! after a reconnect), unread counts cleared everywhere, access limited to the customer's own
//! conversations, reply emails through a real SMTP server process, and two relays on one
//! PostgreSQL behaving as one.

use baton_relay::testing::{Postgres, RelayProcess, SmtpSink};
use reqwest::Client;
use serde_json::{json, Value};
use std::time::Duration;

const TOKEN: &str = "agent-token-for-tests-0123456789abcdef";
const SECRET: &str = "identity-secret-for-tests";

async fn relay(database_url: &str, extra: &[(&str, &str)]) -> RelayProcess {
    let mut env = vec![("BATON_AGENT_TOKEN", TOKEN), ("BATON_IDENTITY_SECRET", SECRET), ("BATON_RATE_LIMIT", "100000"), ("BATON_SESSION_RATE_LIMIT", "100000")];
    env.extend_from_slice(extra);
    RelayProcess::start(env!("CARGO_BIN_EXE_baton-relay"), database_url, &env).await
}

fn identity_token(sub: &str, email: &str) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    baton_relay::identity::issue(SECRET, &json!({"sub": sub, "email": email, "name": "Jane", "iat": now, "exp": now + 600}))
}

fn bundle(reference: &str, url: &str) -> Value {
    json!({"version": 1, "reference": reference, "description": "My card is declined", "summary": "Card declined on /billing", "route": {"url": url, "path": "/billing"}})
}

async fn session(base: &str, body: Value) -> (u16, Value) {
    let res = Client::new().post(format!("{base}/v1/session")).json(&body).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

async fn open(base: &str, body: Value) -> String {
    let (status, s) = session(base, body).await;
    assert_eq!(status, 201, "{s}");
    s["session"].as_str().unwrap().to_string()
}

async fn get(base: &str, session: &str, path: &str) -> (u16, Value) {
    let res = Client::new().get(format!("{base}{path}")).bearer_auth(session).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

async fn file(base: &str, session: Option<&str>, reference: &str, key: &str) -> i64 {
    let mut req = Client::new().post(format!("{base}/v1/handoffs")).header("Idempotency-Key", key).json(&bundle(reference, "https://app.example/billing?tab=1"));
    if let Some(s) = session {
        req = req.bearer_auth(s);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status().as_u16(), 201);
    res.json::<Value>().await.unwrap()["ticket"].as_i64().unwrap()
}

async fn agent_reply(base: &str, ticket: i64, body: &str) -> Value {
    let res = Client::new().post(format!("{base}/v1/handoffs/{ticket}/replies")).bearer_auth(TOKEN).json(&json!({"body": body})).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 201);
    res.json().await.unwrap()
}

/// A server-sent-events reader: the events (`event`, `id`, `data`) as they arrive.
struct Events {
    res: reqwest::Response,
    buffer: String,
}

impl Events {
    async fn open(base: &str, session: &str, last_event_id: Option<i64>) -> Events {
        let mut req = Client::new().get(format!("{base}/v1/stream")).bearer_auth(session);
        if let Some(id) = last_event_id {
            req = req.header("Last-Event-ID", id.to_string());
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.headers()["content-type"], "text/event-stream");
        Events { res, buffer: String::new() }
    }

    /// The next event named `name` (others skipped), within 20 s.
    async fn next(&mut self, name: &str) -> (Option<i64>, Value) {
        let found = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                while let Some(end) = self.buffer.find("\n\n") {
                    let block: String = self.buffer.drain(..end + 2).collect();
                    let field = |k: &str| block.lines().find_map(|l| l.strip_prefix(k)).map(|v| v.trim().to_string());
                    if field("event:").as_deref() == Some(name) {
                        return (field("id:").and_then(|i| i.parse().ok()), serde_json::from_str(&field("data:").unwrap_or_default()).unwrap_or(Value::Null));
                    }
                }
                let chunk = self.res.chunk().await.unwrap().expect("the stream stays open");
                self.buffer.push_str(&String::from_utf8_lossy(&chunk));
            }
        })
        .await;
        found.unwrap_or_else(|_| panic!("no `{name}` event within 20 s"))
    }
}

/// The conversation on one relay.
async fn conversation(base: &str, tag: &str) {
    // Identity: a valid token opens a verified session; an expired or forged one is refused
    // with its reason.
    let jane = identity_token(&format!("jane-{tag}"), &format!("jane.{tag}@example.com"));
    let desk = open(base, json!({"token": jane})).await;
    let (status, why) = session(base, json!({"token": baton_relay::identity::issue("wrong-key", &json!({"sub": "x", "iat": 1, "exp": 4_000_000_000u64}))})).await;
    assert_eq!((status, why["error"].as_str()), (401, Some("identity")), "{why}");
    assert!(why["message"].as_str().unwrap().contains("does not match"));

    // A handoff filed with the session is Jane's conversation; the bundle carried no identity.
    let reference = format!("BTN-{tag}AAA-AAAA");
    let ticket = file(base, Some(&desk), &reference, &format!("{tag}-1")).await;
    let (_, list) = get(base, &desk, "/v1/conversations").await;
    assert_eq!(list["conversations"][0]["reference"], reference.as_str(), "{list}");
    assert_eq!((list["conversations"][0]["status"].as_str(), list["unread"].as_i64()), (Some("open"), Some(0)));
    let seq0 = list["seq"].as_i64().unwrap();

    // A second device of the same customer (fresh storage: a new session from a new token).
    let phone = open(base, json!({"token": identity_token(&format!("jane-{tag}"), &format!("jane.{tag}@example.com"))})).await;
    let mut live = Events::open(base, &phone, None).await;
    assert_eq!(live.next("unread").await.1["unread"], 0);

    // The agent replies: the desk's long poll and the phone's stream both get it.
    let poll = {
        let (base, desk) = (base.to_string(), desk.clone());
        tokio::spawn(async move { get(&base, &desk, &format!("/v1/updates?after={seq0}&wait=20")).await })
    };
    let reply = agent_reply(base, ticket, "Hi Jane, <b>your card</b> is fixed.").await;
    let (status, polled) = poll.await.unwrap();
    assert_eq!(status, 200);
    assert_eq!((polled["updates"][0]["body"].as_str(), polled["updates"][0]["author"].as_str(), polled["unread"].as_i64()), (Some("Hi Jane, <b>your card</b> is fixed."), Some("agent"), Some(1)), "{polled}");
    let (id, update) = live.next("update").await;
    assert_eq!((id, update["body"].as_str()), (reply["seq"].as_i64(), Some("Hi Jane, <b>your card</b> is fixed.")));
    assert_eq!(live.next("unread").await.1["unread"], 1);

    // Reading on the desk clears the count on the phone.
    let read = Client::new().post(format!("{base}/v1/conversations/{reference}/read")).bearer_auth(&desk).send().await.unwrap();
    assert_eq!(read.status().as_u16(), 204);
    assert_eq!(live.next("update").await.1["kind"], "read");
    assert_eq!(live.next("unread").await.1["unread"], 0);
    assert_eq!(get(base, &phone, "/v1/conversations").await.1["unread"], 0);

    // The customer answers (idempotent by the client's id): the inbox shows it, as text.
    let answer = Client::new().post(format!("{base}/v1/conversations/{reference}/messages")).bearer_auth(&phone).json(&json!({"body": "Thanks! <script>x()</script>", "id": "m-1"})).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 201);
    let first: Value = answer.json().await.unwrap();
    assert_eq!(first["number"], 2, "numbered within the conversation, after the agent's reply");
    let again = Client::new().post(format!("{base}/v1/conversations/{ticket}/messages")).bearer_auth(&phone).json(&json!({"body": "Thanks! <script>x()</script>", "id": "m-1"})).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 200, "the same id again (by ticket this time) is the same message");
    assert_eq!(again.json::<Value>().await.unwrap()["seq"], first["seq"]);
    // The agent API takes a reference too.
    let by_reference = Client::new().post(format!("{base}/v1/handoffs/{reference}/replies")).bearer_auth(TOKEN).json(&json!({"body": "By reference", "id": "a-1"})).send().await.unwrap();
    assert_eq!(by_reference.status().as_u16(), 201);
    let repeat = Client::new().post(format!("{base}/v1/handoffs/{reference}/replies")).bearer_auth(TOKEN).json(&json!({"body": "By reference", "id": "a-1"})).send().await.unwrap();
    assert_eq!(repeat.status().as_u16(), 200);
    Client::new().post(format!("{base}/v1/conversations/{reference}/read")).bearer_auth(&phone).send().await.unwrap();
    let page = Client::new().get(format!("{base}/inbox/{ticket}")).bearer_auth(TOKEN).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Thanks! &#60;script&#62;x()&#60;/script&#62;") || page.contains("Thanks! &lt;script&gt;"), "{page}");
    assert!(!page.contains("<script>x()"));
    let too_long = Client::new().post(format!("{base}/v1/conversations/{reference}/messages")).bearer_auth(&phone).json(&json!({"body": "a".repeat(5001)})).send().await.unwrap();
    assert_eq!(too_long.status().as_u16(), 413);

    // The inbox's reply form (the bearer needs no CSRF token): sent twice with its id, one reply.
    for _ in 0..2 {
        let form = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap().post(format!("{base}/inbox/{ticket}/reply")).bearer_auth(TOKEN).form(&[("body", "From the <i>form</i>"), ("id", "form-1")]).send().await.unwrap();
        assert_eq!(form.status().as_u16(), 303);
    }
    let page = Client::new().get(format!("{base}/inbox/{ticket}")).bearer_auth(TOKEN).send().await.unwrap().text().await.unwrap();
    assert_eq!(page.matches("From the &#60;i&#62;form&#60;/i&#62;").count() + page.matches("From the &lt;i&gt;form&lt;/i&gt;").count(), 1, "{page}");
    Client::new().post(format!("{base}/v1/conversations/{reference}/read")).bearer_auth(&phone).send().await.unwrap();

    // After a reconnect nothing is missed: resume after the reply's id.
    drop(live);
    agent_reply(base, ticket, "One more thing").await;
    let mut resumed = Events::open(base, &phone, reply["seq"].as_i64()).await;
    let mut bodies = Vec::new();
    while bodies.len() < 3 {
        bodies.push(resumed.next("update").await.1["body"].as_str().unwrap_or("").to_string());
    }
    assert_eq!(bodies, ["", "Thanks! <script>x()</script>", "By reference"], "the read, the customer's answer, the reply by reference");
    let (_, thread) = get(base, &phone, &format!("/v1/conversations/{reference}")).await;
    let numbers: Vec<i64> = thread["messages"].as_array().unwrap().iter().map(|m| m["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5], "{thread}");
    assert_eq!(thread["description"], "My card is declined");

    // Access: another customer, by reference → 404; an anonymous visitor sees only their own, and
    // identifying later joins them to the customer.
    let eve = open(base, json!({"token": identity_token(&format!("eve-{tag}"), "eve@example.com")})).await;
    assert_eq!(get(base, &eve, &format!("/v1/conversations/{reference}")).await.0, 404);
    assert_eq!(get(base, &eve, &format!("/v1/conversations/{ticket}")).await.0, 404, "by id too");
    assert_eq!(get(base, &eve, "/v1/conversations").await.1["conversations"], json!([]));
    let visitor = format!("{tag}0123456789abcdef0123456789ab");
    let anon = open(base, json!({"visitor": visitor})).await;
    assert_eq!(get(base, &anon, "/v1/conversations").await.1["conversations"], json!([]), "nothing of Jane's");
    let visitor_ref = format!("BTN-{tag}VVV-VVVV");
    file(base, Some(&anon), &visitor_ref, &format!("{tag}-anon")).await;
    assert_eq!(get(base, &anon, "/v1/conversations").await.1["conversations"][0]["reference"], visitor_ref.as_str());
    assert_eq!(get(base, &anon, &format!("/v1/conversations/{reference}")).await.0, 404);
    let joined = open(base, json!({"token": identity_token(&format!("eve-{tag}"), "eve@example.com"), "visitor": visitor})).await;
    assert_eq!(get(base, &joined, "/v1/conversations").await.1["conversations"][0]["reference"], visitor_ref.as_str(), "the visitor's conversation joined Eve");

    // Sign-out: the session ends.
    let end = Client::new().delete(format!("{base}/v1/session")).bearer_auth(&desk).send().await.unwrap();
    assert_eq!(end.status().as_u16(), 204);
    assert_eq!(get(base, &desk, "/v1/conversations").await.0, 401);
    assert_eq!(get(base, "not-a-session", "/v1/conversations").await.0, 401);
}

#[tokio::test]
async fn conversation_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let relay = relay(&format!("sqlite://{}", dir.path().join("relay.db").display()), &[]).await;
    conversation(&relay.base, "SQ").await;
}

#[tokio::test]
async fn conversation_on_postgresql_across_two_relays() {
    let Some(pg) = Postgres::start() else {
        eprintln!("\n!!!!!!!! PostgreSQL is not installed: SKIPPING the PostgreSQL conversation test !!!!!!!!\n");
        return;
    };
    let a = relay(&pg.url, &[]).await;
    conversation(&a.base, "PG").await;
    // A widget streaming from relay A gets a reply posted on relay B.
    let b = relay(&pg.url, &[]).await;
    let s = open(&a.base, json!({"token": identity_token("two-relays", "two@example.com")})).await;
    let ticket = file(&a.base, Some(&s), "BTN-TWO-RELAYS", "two-relays").await;
    let mut live = Events::open(&a.base, &s, None).await;
    live.next("unread").await;
    agent_reply(&b.base, ticket, "from the other relay").await;
    assert_eq!(live.next("update").await.1["body"], "from the other relay");
}

#[tokio::test]
async fn replies_unseen_go_by_email_and_seen_ones_do_not() {
    let Some(smtp) = SmtpSink::start().await else {
        eprintln!("\n!!!!!!!! aiosmtpd is not installed (python3-aiosmtpd): SKIPPING the reply email test !!!!!!!!\n");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let relay = relay(&format!("sqlite://{}", dir.path().join("relay.db").display()), &[("BATON_SMTP_URL", &smtp.url), ("BATON_REPLY_EMAIL_DELAY", "4"), ("BATON_SMTP_FROM", "Acme Support <help@acme.example>")]).await;
    let base = relay.base.as_str();
    // Read in time: never emailed.
    let seen = open(base, json!({"token": identity_token("seen", "seen@example.com")})).await;
    let seen_ticket = file(base, Some(&seen), "BTN-SEEN-SEEN", "seen").await;
    agent_reply(base, seen_ticket, "You will read this in the widget").await;
    Client::new().post(format!("{base}/v1/conversations/BTN-SEEN-SEEN/read")).bearer_auth(&seen).send().await.unwrap();
    // Unseen: one email for both replies, to the verified address.
    let away = open(base, json!({"token": identity_token("away", "away@example.com")})).await;
    let away_ticket = file(base, Some(&away), "BTN-AWAY-AWAY", "away").await;
    agent_reply(base, away_ticket, "First reply").await;
    agent_reply(base, away_ticket, "Second reply").await;
    // Anonymous (no verified address): never emailed.
    let anon = open(base, json!({"visitor": "anon0123456789abcdef0123456789"})).await;
    let anon_ticket = file(base, Some(&anon), "BTN-ANON-ANON", "anon").await;
    agent_reply(base, anon_ticket, "Nobody to email").await;
    let mut mails = Vec::new();
    for _ in 0..300 {
        mails = smtp.messages();
        if !mails.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(mails.len(), 1, "{mails:?}");
    // The body is quoted-printable: soft line breaks and `=3D` decoded.
    let mail = &mails[0].replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
    for part in ["To: away@example.com", "From: \"Acme Support\" <help@acme.example>", "First reply", "Second reply", "https://app.example/billing?tab=1#baton-conversation=BTN-AWAY-AWAY"] {
        assert!(mail.contains(part), "{part} in {mail}");
    }
    // A later round sends nothing more (everything due went once; the rest was seen or has no address).
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(smtp.messages().len(), 1);
}

#[tokio::test]
async fn sessions_are_rate_limited() {
    let dir = tempfile::tempdir().unwrap();
    let relay = relay(&format!("sqlite://{}", dir.path().join("relay.db").display()), &[("BATON_SESSION_RATE_LIMIT", "3")]).await;
    let s = open(&relay.base, json!({"visitor": "ratelimit0123456789abcdef01234"})).await;
    for _ in 0..3 {
        assert_eq!(get(&relay.base, &s, "/v1/conversations").await.0, 200);
    }
    let res = Client::new().get(format!("{}/v1/conversations", relay.base)).bearer_auth(&s).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let other = open(&relay.base, json!({"visitor": "ratelimit1123456789abcdef01234"})).await;
    assert_eq!(get(&relay.base, &other, "/v1/conversations").await.0, 200, "per session");
}
