//! The handoff bundle: everything a support agent needs, in one versioned, redacted,
//! size-capped JSON document, built deterministically from the Context.
//!
//! Target-independent: the widget builds it in the wasm, tests build it natively.

use crate::capture::context::{
    AlertSeen, Breadcrumb, Context, CrumbKind, DomHints, Environment, ErrorGroup, ErrorKind, FailedRequest, FlowOutcome,
    Identity, Journey, Visit,
};
use crate::capture::redact::redact;
use crate::limits::truncate_chars;
use serde::Serialize;
use serde_json::Value;

/// Version of the bundle format; receivers check it.
pub const BUNDLE_VERSION: u32 = 1;
/// Largest serialised bundle, in bytes. The oldest detail goes first; the user's words never.
pub const MAX_BUNDLE_BYTES: usize = 64 * 1024;
/// Longest description kept, in characters (a user writing a novel still gets it all to here).
pub const MAX_DESCRIPTION_CHARS: usize = 5000;

/// What the user asked to send, and how.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Their own words.
    pub description: String,
    /// Their email, when the host did not identify them.
    pub email: Option<String>,
    /// Leave console errors and warnings out.
    pub omit_console: bool,
    /// Leave failed requests out.
    pub omit_network: bool,
    /// Leave clicks and the page's text (DOM hints) out.
    pub omit_activity: bool,
    /// Reference codes of the user's earlier, still open handoffs.
    pub related: Vec<String>,
}

/// Where the issue probably belongs, and why.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Routing {
    /// `billing`, `access`, `bug`, `how-to`, or a KB tag.
    pub category: String,
    /// `high` or `normal`.
    pub priority: String,
    /// Plain-language reasons for both, for the help desk's rules and for the agent.
    pub reasons: Vec<String>,
}

/// The bundle. Field order is the order an agent reads in.
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Bundle {
    /// Format version ([`BUNDLE_VERSION`]).
    pub version: u32,
    /// Short code the customer can quote on any channel, e.g. `BTN-7K3-Q9M-4TP`.
    pub reference: String,
    /// When it was created (ms since the epoch).
    pub created_at: f64,
    /// Baton's version.
    pub widget_version: String,
    /// Who, as the host identified them (with its signature), or the email they typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// The user's own words, redacted but never cut for size.
    pub description: String,
    /// One paragraph: who, where, what failed, what they tried.
    pub summary: String,
    /// Numbered steps to reproduce, from navigation and breadcrumbs.
    pub steps: Vec<String>,
    /// Category and priority hint, explained.
    pub routing: Routing,
    /// Earlier open handoffs of the same user (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// How far self-service got before they asked for a person.
    pub self_service_progress: crate::handoff::kpi::Progress,
    /// What they tried in the widget.
    pub self_service: Journey,
    /// The current route.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<Visit>,
    /// Route history, oldest first.
    pub routes: Vec<Visit>,
    /// What the page showed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dom: Option<DomHints>,
    /// Alert and toast texts seen.
    pub alerts: Vec<AlertSeen>,
    /// Grouped errors.
    pub errors: Vec<ErrorGroup>,
    /// Grouped failed requests.
    pub failed_requests: Vec<FailedRequest>,
    /// Timeline, oldest first.
    pub breadcrumbs: Vec<Breadcrumb>,
    /// Browser, device and locale.
    pub environment: Environment,
    /// Custom attributes from the host.
    pub custom: serde_json::Map<String, Value>,
    /// What was left out, so that the agent knows: user choices and size cuts.
    pub omitted: Vec<String>,
    /// The share (0 to 1, two decimals) of the context an agent expects that this bundle
    /// carries: identity, description, route, activity, errors (or none seen since the page
    /// loaded), selfService, page, environment — each one eighth. A team tracks it to see how
    /// much context survives the handoff.
    pub context_completeness: f64,
    /// The parts of `contextCompleteness` that are missing, by name.
    pub context_missing: Vec<String>,
    /// Fields this version does not know (a newer widget's), kept whole by a receiver that reads
    /// the bundle into this type and writes it out again.
    #[serde(flatten)]
    #[schemars(skip)]
    pub unknown: serde_json::Map<String, Value>,
}

const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A reference code from 48 random bits: `BTN-XXX-XXX-XXX`, nine characters of an alphabet of
/// 30 without look-alikes (no 0/O, 1/I/L, U), easy to read out over the phone. 30⁹ ≈ 2⁴⁴ codes:
/// nobody guesses a customer's code, and the relay refuses a code already taken (409).
pub fn reference_code(random: u64) -> String {
    let mut n = random;
    let mut chars = [0u8; 9];
    for c in chars.iter_mut() {
        *c = CODE_ALPHABET[(n % CODE_ALPHABET.len() as u64) as usize];
        n /= CODE_ALPHABET.len() as u64;
    }
    let s = std::str::from_utf8(&chars).expect("ascii");
    format!("BTN-{}-{}-{}", &s[..3], &s[3..6], &s[6..])
}

/// Numbered steps to reproduce: arrivals on routes and the user's clicks, then what went wrong
/// there, in order; repeats folded. Deterministic for the same Context.
pub fn steps_to_reproduce(crumbs: &[Breadcrumb]) -> Vec<String> {
    let mut steps: Vec<String> = Vec::new();
    for crumb in crumbs {
        let text = match crumb.kind {
            CrumbKind::Navigation | CrumbKind::Click => crumb.message.clone(),
            CrumbKind::Error | CrumbKind::Request | CrumbKind::Alert => format!("→ {}", crumb.message),
        };
        let text = if crumb.count > 1 { format!("{text} (×{})", crumb.count) } else { text };
        if steps.last() != Some(&text) {
            steps.push(text);
        }
    }
    steps.into_iter().enumerate().map(|(i, s)| format!("{}. {s}", i + 1)).collect()
}

fn routing(context: &Context, tags: &[String]) -> Routing {
    let mut reasons = Vec::new();
    let paths: Vec<&str> = context.routes.iter().map(|r| r.path.as_str()).collect();
    let on = |word: &str| paths.iter().any(|p| p.contains(word));
    let text_has = |words: &[&str]| {
        context.errors.iter().map(|e| crate::case::lower(&e.message)).chain(context.dom.alerts.iter().map(|a| crate::case::lower(a))).any(|m| words.iter().any(|w| m.contains(w)))
    };
    let category = if let Some(tag) = tags.first() {
        reasons.push(format!("articles the user read are tagged \"{tag}\""));
        tag.clone()
    } else if on("billing") || on("payment") || text_has(&["payment", "card", "declined", "invoice"]) {
        reasons.push("billing pages or payment errors in the session".into());
        "billing".into()
    } else if text_has(&["401", "403", "unauthori", "forbidden", "session expired", "password", "sign in", "log in"]) {
        reasons.push("authentication errors in the session".into());
        "access".into()
    } else if context.errors.iter().any(|e| e.kind == ErrorKind::Uncaught || e.kind == ErrorKind::Rejection) || !context.failed_requests.is_empty() {
        reasons.push("uncaught errors or failed requests in the session".into());
        "bug".into()
    } else {
        reasons.push("no errors: probably a question".into());
        "how-to".into()
    };
    let server_errors = context.failed_requests.iter().filter(|r| r.status >= 500 || r.status == 0).count();
    let payment_trouble = (on("billing") || on("pay") || on("checkout")) && (text_has(&["declined", "payment", "failed"]) || server_errors > 0);
    let priority = if payment_trouble {
        reasons.push("errors on a payment route".into());
        "high"
    } else if server_errors > 0 && context.journey.flows.iter().any(|f| f.outcome == FlowOutcome::Failed) {
        reasons.push("server errors and a guided fix that did not work".into());
        "high"
    } else {
        "normal"
    };
    Routing { category, priority: priority.into(), reasons }
}

fn summary(context: &Context, description: &str) -> String {
    let who = context
        .identity
        .as_ref()
        .and_then(|i| i.name.clone().or_else(|| i.email.clone()).or_else(|| i.id.clone()))
        .unwrap_or_else(|| "An anonymous user".into());
    let account = context.identity.as_ref().and_then(|i| i.account.clone()).map(|a| format!(" ({a})")).unwrap_or_default();
    let where_ = context.current_route().map(|r| format!(" on {}", r.url)).unwrap_or_default();
    let mut s = format!("{who}{account} asked for help{where_}: \"{}\".", truncate_chars(description.trim(), 200));
    let uncaught = context.errors.iter().filter(|e| !e.kind.is_console()).map(|e| e.count).sum::<u64>();
    if let Some(top) = context.errors.iter().max_by_key(|e| (!e.kind.is_console(), e.count)) {
        s.push_str(&format!(" Most notable error: \"{}\" (×{}).", truncate_chars(&top.message, 160), top.count));
    }
    if uncaught > 0 || !context.failed_requests.is_empty() {
        s.push_str(&format!(" {} error(s), {} failed request group(s) in the session.", uncaught, context.failed_requests.len()));
    }
    let j = &context.journey;
    if !j.searches.is_empty() || !j.articles.is_empty() {
        let read: Vec<String> = j.articles.iter().map(|a| match a.helpful {
            Some(false) => format!("\"{}\" (not helpful)", a.title),
            Some(true) => format!("\"{}\" (helpful)", a.title),
            None => format!("\"{}\"", a.title),
        }).collect();
        s.push_str(&format!(" Tried {} search(es)", j.searches.len()));
        if !read.is_empty() {
            s.push_str(&format!(" and read {}", read.join(", ")));
        }
        s.push('.');
    }
    if let Some(f) = j.flows.iter().rev().find(|f| f.outcome == FlowOutcome::Failed) {
        s.push_str(&format!(" A guided fix (\"{}\") failed at step {} of {}.", f.id, f.step, f.steps));
    }
    s
}

/// Builds the bundle from the Context and the user's request, within [`MAX_BUNDLE_BYTES`].
/// `tags` are the tags of the articles the user read (for routing).
pub fn build(context: &Context, request: &Request, reference: String, created_at: f64, tags: &[String]) -> Bundle {
    let description = truncate_chars(&redact(request.description.trim()), MAX_DESCRIPTION_CHARS);
    let identity = context.identity.clone().or_else(|| {
        request.email.as_ref().filter(|e| !e.trim().is_empty()).map(|e| Identity { email: Some(truncate_chars(e.trim(), 200)), ..Identity::default() })
    });
    let mut omitted = Vec::new();
    let mut errors = context.errors.clone();
    if request.omit_console {
        errors.retain(|e| !e.kind.is_console());
        omitted.push("console errors and warnings (the user chose to leave them out)".to_string());
    }
    let failed_requests = if request.omit_network {
        omitted.push("failed requests (the user chose to leave them out)".to_string());
        Vec::new()
    } else {
        context.failed_requests.clone()
    };
    let mut breadcrumbs: Vec<Breadcrumb> = context.breadcrumbs.iter().cloned().collect();
    if request.omit_console {
        breadcrumbs.retain(|b| !(b.kind == CrumbKind::Error && b.message.starts_with("Console")));
    }
    if request.omit_network {
        breadcrumbs.retain(|b| b.kind != CrumbKind::Request);
    }
    let dom = if request.omit_activity {
        breadcrumbs.retain(|b| b.kind != CrumbKind::Click && b.kind != CrumbKind::Alert);
        omitted.push("clicks and the page's text (the user chose to leave them out)".to_string());
        None
    } else {
        Some(context.dom.clone())
    };
    let mut bundle = Bundle {
        version: BUNDLE_VERSION,
        reference,
        created_at,
        widget_version: crate::VERSION.to_string(),
        identity,
        summary: summary(context, &description),
        steps: steps_to_reproduce(&breadcrumbs),
        description,
        routing: routing(context, tags),
        related: request.related.iter().take(10).cloned().collect(),
        self_service_progress: crate::handoff::kpi::progress(&context.journey),
        self_service: context.journey.clone(),
        route: context.current_route().cloned(),
        routes: context.routes.iter().cloned().collect(),
        dom,
        alerts: context.alerts_seen.iter().cloned().collect(),
        errors,
        failed_requests,
        breadcrumbs,
        environment: context.environment.clone(),
        custom: context.custom.clone(),
        omitted,
        context_completeness: 0.0,
        context_missing: Vec::new(),
        unknown: serde_json::Map::new(),
    };
    cap(&mut bundle);
    let crumbs: Vec<CrumbKind> = bundle.breadcrumbs.iter().map(|b| b.kind).collect();
    let (score, missing) = crate::handoff::kpi::completeness(&crate::handoff::kpi::Present {
        identity: bundle.identity.as_ref().is_some_and(|i| i.id.is_some() || i.email.is_some()),
        description: &bundle.description,
        route: bundle.route.as_ref().map(|r| r.url.as_str()),
        first_via: context.routes.first().map(|r| r.via),
        crumbs: &crumbs,
        routes: context.routes.len(),
        errors: bundle.errors.len() + bundle.failed_requests.len(),
        errors_omitted: request.omit_console || request.omit_network,
        journey: &context.journey,
        page: bundle.dom.as_ref().is_some_and(|d| !d.title.is_empty() || !d.headings.is_empty()),
        environment: !bundle.environment.browser.is_empty() && !bundle.environment.os.is_empty(),
    });
    bundle.context_completeness = score;
    bundle.context_missing = missing;
    bundle
}

fn size(bundle: &Bundle) -> usize {
    crate::platform::write_json(&serde_json::to_value(bundle).unwrap_or_default()).len()
}

/// Drops the oldest detail until the bundle fits: breadcrumbs, route history, alerts, error
/// frames, then whole error groups and failed requests — never the description or summary.
fn cap(bundle: &mut Bundle) {
    let mut cut = 0usize;
    while size(bundle) > MAX_BUNDLE_BYTES {
        cut += 1;
        if bundle.breadcrumbs.len() > 10 {
            bundle.breadcrumbs.drain(..bundle.breadcrumbs.len() / 4);
        } else if bundle.routes.len() > 5 {
            bundle.routes.drain(..bundle.routes.len() / 4);
        } else if !bundle.alerts.is_empty() {
            bundle.alerts.remove(0);
        } else if let Some(e) = bundle.errors.iter_mut().find(|e| e.frames.len() > 3) {
            e.frames.truncate(3);
        } else if bundle.errors.len() > 1 {
            bundle.errors.remove(0);
        } else if bundle.failed_requests.len() > 1 {
            bundle.failed_requests.remove(0);
        } else if !bundle.custom.is_empty() {
            let first = bundle.custom.keys().next().cloned().expect("non-empty");
            bundle.custom.shift_remove(&first);
        } else if bundle.steps.len() > 10 {
            bundle.steps.drain(..bundle.steps.len() - 10);
        } else {
            break;
        }
    }
    if cut > 0 {
        bundle.omitted.push(format!("older detail, to stay within {} KB", MAX_BUNDLE_BYTES / 1024));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::context::{Api, Captured, NavKind, Offered, SearchOutcome};

    fn busy_session() -> Context {
        let mut c = Context::default();
        c.identify(Identity { id: Some("u_42".into()), email: Some("jane@acme.com".into()), name: Some("Jane".into()), account: Some("Acme".into()), signature: Some("hmac".into()), ..Default::default() });
        c.record(Captured::Navigation { at: 0.0, url: "https://app.x.io/".into(), title: "Dashboard".into(), via: NavKind::Load });
        c.record(Captured::Click { at: 1.0, selector: "a[href=\"/billing\"]".into(), label: "Billing".into() });
        c.record(Captured::Navigation { at: 2.0, url: "https://app.x.io/billing".into(), title: "Billing".into(), via: NavKind::Push });
        c.record(Captured::Click { at: 3.0, selector: "button#pay".into(), label: "Pay now".into() });
        c.record(Captured::Request { at: 4.0, api: Api::Fetch, method: "POST".into(), url: "https://api.x.io/pay?token=abc".into(), status: 502, duration_ms: 80.0 });
        c.record(Captured::Error { at: 5.0, kind: ErrorKind::Uncaught, message: "Payment declined for card 4242 4242 4242 4242".into(), source: None, stack: Some("at pay (https://app.x.io/app.js:1:2)".into()) });
        c.record(Captured::Error { at: 6.0, kind: ErrorKind::ConsoleError, message: "retrying".into(), source: None, stack: None });
        c.record_search(7.0, "card declined", SearchOutcome::Sure, vec![Offered { id: "update-card".into(), title: "Update your card".into() }]);
        c.record_article(8.0, "update-card", "Update your card");
        c.record_feedback("update-card", false);
        c
    }

    fn request(description: &str) -> Request {
        Request { description: description.into(), ..Request::default() }
    }

    #[test]
    fn reference_codes_are_short_and_unambiguous() {
        let code = reference_code(0x1234_5678_9abc);
        assert!(code.starts_with("BTN-") && code.len() == 15, "{code}");
        // At least 40 bits: 30 symbols in 9 places, each place fed by the 48 random bits.
        assert!((CODE_ALPHABET.len() as f64).powi(9).log2() >= 40.0);
        assert_ne!(reference_code(0x1234_5678_9abc), reference_code(0x1234_5678_9abc + (30u64.pow(8))), "the last place is used");
        assert!(!code[4..].contains(['0', 'O', '1', 'I', 'L', 'U']));
        assert_ne!(reference_code(1), reference_code(2));
    }

    #[test]
    fn the_bundle_tells_the_story() {
        let c = busy_session();
        let b = build(&c, &request("I can't pay, my email is jane@acme.com"), "BTN-AAAA-AA".into(), 9.0, &[]);
        assert_eq!(b.description, "I can't pay, my email is [email]");
        assert_eq!(b.identity.as_ref().unwrap().signature.as_deref(), Some("hmac"));
        assert_eq!(
            b.summary,
            "Jane (Acme) asked for help on /billing: \"I can't pay, my email is [email]\". Most notable error: \"Payment declined for card [card]\" (×1). 1 error(s), 1 failed request group(s) in the session. Tried 1 search(es) and read \"Update your card\" (not helpful)."
        );
        assert_eq!(b.steps, vec![
            "1. Opened /",
            "2. Clicked \"Billing\" (a[href=\"/billing\"])",
            "3. Went to /billing",
            "4. Clicked \"Pay now\" (button#pay)",
            "5. → POST /pay?token=[redacted] failed (HTTP 502)",
            "6. → Error: Payment declined for card [card]",
            "7. → Console error: retrying",
        ]);
        assert_eq!(b.routing.category, "billing");
        assert_eq!(b.routing.priority, "high");
        assert!(b.routing.reasons.contains(&"errors on a payment route".to_string()));
        let json = serde_json::to_string(&b).unwrap();
        assert!(!json.contains("4242") && !json.contains("token=abc"));
    }

    #[test]
    fn the_user_can_leave_parts_out() {
        let c = busy_session();
        let b = build(&c, &Request { description: "x".into(), omit_console: true, omit_network: true, omit_activity: true, ..Request::default() }, "BTN-AAAA-AA".into(), 0.0, &["billing".into()]);
        assert!(b.errors.iter().all(|e| !e.kind.is_console()));
        assert!(b.failed_requests.is_empty() && b.dom.is_none());
        assert!(b.steps.iter().all(|s| !s.contains("Clicked") && !s.contains("Console") && !s.contains("failed (HTTP")));
        assert_eq!(b.omitted.len(), 3);
        assert_eq!(b.routing.category, "billing");
    }

    #[test]
    fn size_is_capped_without_touching_the_users_words() {
        let mut c = busy_session();
        for i in 0..3000 {
            c.record(Captured::Navigation { at: 10.0 + i as f64, url: format!("https://app.x.io/page/{}?q={}", i, "x".repeat(200)), title: "T".repeat(150), via: NavKind::Push });
            c.record(Captured::Error { at: 10.0 + i as f64, kind: ErrorKind::Uncaught, message: format!("{} {}", "E".repeat(900), word(i)), source: None, stack: Some("at f (https://x.io/a.js:1:1)\n".repeat(20)) });
        }
        let words = "w".repeat(MAX_DESCRIPTION_CHARS);
        let b = build(&c, &request(&words), "BTN-AAAA-AA".into(), 0.0, &[]);
        assert!(serde_json::to_vec(&b).unwrap().len() <= MAX_BUNDLE_BYTES);
        assert_eq!(b.description, words, "the user's words are never cut for size");
        assert!(b.omitted.iter().any(|o| o.starts_with("older detail")));
        assert_eq!(b.route.as_ref().unwrap().url, c.current_route().unwrap().url, "the current route stays");
    }

    fn word(i: usize) -> String {
        (0..4).map(|k| (b'a' + ((i / 26usize.pow(k)) % 26) as u8) as char).collect()
    }

    #[test]
    fn deterministic() {
        let c = busy_session();
        let a = serde_json::to_string(&build(&c, &request("x"), "BTN-AAAA-AA".into(), 1.0, &[])).unwrap();
        let b = serde_json::to_string(&build(&c, &request("x"), "BTN-AAAA-AA".into(), 1.0, &[])).unwrap();
        assert_eq!(a, b);
    }
}

#[cfg(test)]
mod schema {
    /// The committed JSON Schemas (`widget/handoff.schema.json` for the bundle,
    /// `widget/context.schema.json` for `snapshot`) are generated from the Rust types; this test
    /// fails when they drift (and the npm package's TypeScript types are generated from them,
    /// with their own drift test). `BATON_WRITE_SCHEMA=1 cargo test` rewrites them.
    #[test]
    fn committed_schemas_match_the_types() {
        // What the widget writes (a receiver reading it back fills what is missing with defaults,
        // which the schema of what is sent does not promise).
        let generator = || {
            let no_defaults = schemars::transform::RecursiveTransform(|schema: &mut schemars::Schema| {
                schema.remove("default");
            });
            schemars::generate::SchemaSettings::draft2020_12().for_serialize().with_transform(no_defaults).into_generator()
        };
        let schemas = [("handoff", generator().into_root_schema_for::<super::Bundle>()), ("context", generator().into_root_schema_for::<crate::capture::context::Context>())];
        for (name, schema) in schemas {
            let generated = serde_json::to_string_pretty(&schema).unwrap() + "\n";
            let path = format!("{}/../../widget/{name}.schema.json", env!("CARGO_MANIFEST_DIR"));
            if std::env::var_os("BATON_WRITE_SCHEMA").is_some() {
                std::fs::write(&path, &generated).unwrap();
            }
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(committed == generated, "widget/{name}.schema.json is out of date: run `BATON_WRITE_SCHEMA=1 cargo test`");
        }
    }
}
