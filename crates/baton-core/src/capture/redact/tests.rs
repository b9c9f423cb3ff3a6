use super::*;

fn r(s: &str) -> String {
    redact(s)
}

#[test]
fn emails() {
    assert_eq!(r("Invoice sent to jane.doe+billing@acme-corp.co.uk today"), "Invoice sent to [email] today");
    assert_eq!(r("contact <ops@example.com>, thanks"), "contact <[email]>, thanks");
    assert_eq!(r("mailto:ops@example.com"), "mailto:[email]");
    assert_eq!(r("not an email: a@b, @handle, x@y.z1"), "not an email: a@b, @handle, x@y.z1");
}

#[test]
fn cards_are_luhn_checked() {
    assert_eq!(r("card 4242 4242 4242 4242 declined"), "card [card] declined");
    assert_eq!(r("card 4242-4242-4242-4242."), "card [card].");
    assert_eq!(r("5555555555554444"), "[card]");
    // Fails Luhn: an order number, kept.
    assert_eq!(r("order 4242424242424241"), "order 4242424242424241");
    // A millisecond timestamp is not a card (and not a phone).
    assert_eq!(r("at 1732400000000"), "at 1732400000000");
}

#[test]
fn phones() {
    assert_eq!(r("call +1 415-555-0132 now"), "call [phone] now");
    assert_eq!(r("call (415) 555-0132"), "call [phone]");
    assert_eq!(r("+44 20 7946 0958"), "[phone]");
    assert_eq!(r("tel 415.555.0132"), "tel [phone]");
}

#[test]
fn numbers_that_are_not_secrets_stay() {
    for s in [
        "Outstanding: $12,480.00 across 7 invoices",
        "due 2026-11-01 at 12:30",
        "INV-1041 for 2400.00",
        "line 42 column 17",
        "v1.2.3",
        "acct_8842",
        "HTTP 503 after 1500 ms",
        "id 550e8400-e29b-41d4-a716-446655440000",
        "at https://app.example.com/static/js/main.8f3a2b1c.chunk.js:2:31337",
    ] {
        assert_eq!(r(s), s);
    }
}

#[test]
fn jwts_and_bearer_tokens() {
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    assert_eq!(r(&format!("token {jwt} rejected")), "token [token] rejected");
    assert_eq!(r("Authorization: Bearer abc.def-123"), "Authorization: Bearer [token]");
    assert_eq!(r("basic dXNlcjpwYXNz"), "basic [token]");
}

#[test]
fn api_keys() {
    assert_eq!(r("using sk_live_51H8abcdEFGHijklMNOP"), "using [token]");
    assert_eq!(r("key AKIAIOSFODNN7EXAMPLE"), "key [token]");
    assert_eq!(r("ghp_abcdefghijklmnopqrstuvwxyz0123456789"), "[token]");
    assert_eq!(r("x 9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a"), "x [token]");
    // Long identifiers made of words are not keys.
    assert_eq!(r("Cannot_read_properties_of_undefined_reading_email"), "Cannot_read_properties_of_undefined_reading_email");
}

#[test]
fn key_value_secrets_in_text() {
    assert_eq!(r("login failed password=hunter2 user=bob"), "login failed password=[redacted] user=bob");
    assert_eq!(r("password: hunter2"), "password: [token]");
    assert_eq!(r("api_key:abc123"), "api_key:[redacted]");
    // A word that merely mentions a secret is kept.
    assert_eq!(r("Bank feed sync failed: token expired for account acct_8842"), "Bank feed sync failed: token expired for account acct_8842");
}

#[test]
fn urls() {
    assert_eq!(
        redact_url("https://admin:s3cret@api.example.com/v1/pay?amount=10&access_token=abc123&Session_Id=xyz#state=1&id_token=eyJx"),
        "https://[credentials]@api.example.com/v1/pay?amount=10&access_token=[redacted]&Session_Id=[redacted]#state=[redacted]&id_token=[redacted]"
    );
    assert_eq!(redact_url("/reset?code=123456&email=jane%40acme.com"), "/reset?code=[redacted]&email=[email]");
    assert_eq!(redact_url("https://app.example.com/invoices/new?client=42"), "https://app.example.com/invoices/new?client=42");
    assert_eq!(redact_url("https://x.io/users/jane@acme.com/edit"), "https://x.io/users/[email]/edit");
    assert_eq!(redact_url("/search?q=author&author=bob&keyword=tax"), "/search?q=author&author=bob&keyword=tax");
}

#[test]
fn secret_names() {
    for n in ["token", "API_KEY", "apiKey", "X-Api-Key", "password", "client_secret", "sessionid", "Authorization", "cookie", "sig", "X-Auth", "refresh_token", "private-key"] {
        assert!(is_secret_name(n), "{n}");
    }
    // Diagnostics an agent needs: an error's `code`, a keyboard `key`, ids, authors.
    for n in ["amount", "client", "q", "author", "page", "codec", "signal", "code", "key", "id", "errorCode", "primaryKey", "keyword", "tokenizer"] {
        assert!(!is_secret_name(n), "{n}");
    }
    // In URLs, OAuth's `code` and `state` and `key=` are secrets too.
    for n in ["code", "state", "key", "api_key", "subscription-key", "sig", "token"] {
        assert!(is_secret_param(n), "{n}");
    }
    for n in ["q", "page", "client", "author", "keyword", "codec"] {
        assert!(!is_secret_param(n), "{n}");
    }
}

#[test]
fn diagnostic_codes_are_not_secrets() {
    // What format.rs renders for thrown and rejected objects, then redacts.
    for s in [
        "{code: \"E_CARD_DECLINED\"}",
        "{code: \"E_QUOTA\", detail: \"Monthly invoice limit reached\"}",
        "Error: Request failed; caused by: {code: \"ECONNRESET\", errno: -104}",
        "code: E_QUOTA",
        "code:E_QUOTA",
        "KeyboardEvent {key: \"Enter\", code: \"Enter\"}",
        "{id: \"inv_1041\", key: \"invoice-1041\", status: 402}",
        "{author: \"Jane\", primaryKey: 42}",
        "sessionStorage quota exceeded",
        "Bank feed sync failed: token expired for account acct_8842",
    ] {
        assert_eq!(r(s), s);
    }
    // Secrets still go, by name or by what they look like, wherever the key is `code`.
    let mixed = r("{password: \"hunter2\", code: \"E_AUTH\"}");
    assert!(!mixed.contains("hunter2") && mixed.contains("code: \"E_AUTH\""), "{mixed}");
    assert_eq!(r("{code: \"sk_live_51H8abcdEFGHijklMNOP\"}"), "{code: \"[token]\"}");
    assert_eq!(r("{code: \"jane@acme.com\"}"), "{code: \"[email]\"}");
    assert_eq!(redact_url("https://app.example.com/oauth/callback?code=4/0AY0e-g7abc&state=xyz"), "https://app.example.com/oauth/callback?code=[redacted]&state=[redacted]");
    assert_eq!(redact_url("/maps?key=AIzaSyA-abc&zoom=3"), "/maps?key=[redacted]&zoom=3");
}

#[test]
fn redaction_is_idempotent_and_total() {
    let once = r("jane@acme.com paid with 4242 4242 4242 4242, token=abc, Bearer xyz");
    assert_eq!(r(&once), once);
    assert_eq!(once, "[email] paid with [card], token=[redacted], Bearer [token]");
    assert_eq!(r("{password: [redacted]}, {token: [redacted]}"), "{password: [redacted]}, {token: [redacted]}");
    // Hostile input never panics.
    for s in ["", " ", "@", "://", "a://", "=", "&&==", "+", "(", "+(", "é@é.é", "🙂 4242 4242 4242 4242 🙂", "x=%40", "[email]@x.co"] {
        let _ = r(s);
        let _ = redact_url(s);
    }
    assert_eq!(r("🙂 4242 4242 4242 4242 🙂"), "🙂 [card] 🙂");
}

#[test]
fn a_query_for_the_encoder_holds_no_secret_and_no_placeholder() {
    let query = "refund for jane.doe@client.example card 4242 4242 4242 4242 key sk_live_51Hx9QeAbCdEfGhIjKlMnOp call +1 415 555 0132";
    let sent = for_encoder(query);
    for secret in ["jane.doe", "client.example", "4242", "sk_live", "51Hx9Qe", "555"] {
        assert!(!sent.contains(secret), "{secret} in {sent}");
    }
    assert!(!sent.contains('['), "{sent}");
    assert!(sent.starts_with("refund for something card something key something"), "{sent}");
    assert_eq!(for_encoder("how do I reset my password"), "how do I reset my password");
}
