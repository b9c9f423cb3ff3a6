//! The Context: one plain, serialisable record of who the user is, where they are, what they
//! did and what went wrong. Ranking, the UI and the handoff bundle read it; only capture writes.
//!
//! Target-independent: the browser side turns raw events into [`Captured`] values and calls
//! [`Context::record`]; everything here — redaction, grouping, folding, bounds, rate limiting —
//! is plain Rust with native tests.

use crate::capture::redact::{redact, redact_url};
use crate::capture::stack::{self, Frame};
use crate::limits::*;
use serde::Serialize;
use serde_json::Value;

/// Milliseconds since the Unix epoch, as `Date.now()` gives them.
pub type Millis = f64;

/// How the user arrived on a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum NavKind {
    /// The page (re)loaded.
    Load,
    /// `history.pushState`.
    Push,
    /// `history.replaceState`.
    Replace,
    /// Back / forward (`popstate`).
    Pop,
    /// `hashchange`.
    Hash,
}

/// The kind of a captured error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// An uncaught exception (window `error`).
    Uncaught,
    /// An unhandled promise rejection.
    Rejection,
    /// `console.error`.
    ConsoleError,
    /// `console.warn`.
    ConsoleWarn,
    /// An image, script or stylesheet that failed to load.
    Resource,
}

impl ErrorKind {
    /// `console.error` or `console.warn`: what the page logged, as opposed to what it threw.
    pub fn is_console(self) -> bool {
        matches!(self, ErrorKind::ConsoleError | ErrorKind::ConsoleWarn)
    }
}

/// Which API made a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Api {
    /// `fetch`.
    Fetch,
    /// `XMLHttpRequest`.
    Xhr,
}

/// One raw observation from the page, before redaction and bounding.
#[derive(Clone, Debug, PartialEq)]
pub enum Captured {
    /// The URL changed (or the page loaded).
    Navigation {
        /// When.
        at: Millis,
        /// Full URL.
        url: String,
        /// `document.title` at that moment.
        title: String,
        /// How.
        via: NavKind,
    },
    /// An error of any kind.
    Error {
        /// When.
        at: Millis,
        /// Which kind.
        kind: ErrorKind,
        /// The message (formatted console arguments, the error's message, the failed URL).
        message: String,
        /// Where it was thrown, `url:line:col`, when known without a stack.
        source: Option<String>,
        /// The stack string, when there is one.
        stack: Option<String>,
    },
    /// A request that failed (status ≥ 400 or a network error, status 0).
    Request {
        /// When it started.
        at: Millis,
        /// fetch or XHR.
        api: Api,
        /// HTTP method.
        method: String,
        /// Full URL.
        url: String,
        /// HTTP status; 0 for a network error.
        status: u16,
        /// How long it took.
        duration_ms: f64,
    },
    /// The user clicked an element.
    Click {
        /// When.
        at: Millis,
        /// A short, stable CSS selector.
        selector: String,
        /// The element's visible label.
        label: String,
    },
    /// Alert or toast text appeared (`[role=alert]`, `[aria-live]`).
    Alert {
        /// When.
        at: Millis,
        /// Its text.
        text: String,
    },
}

/// One visit to a route.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Visit {
    /// Path, query and hash, redacted.
    pub url: String,
    /// Path only.
    pub path: String,
    /// Page title, redacted.
    pub title: String,
    /// How the user got here.
    pub via: NavKind,
    /// Arrival time.
    pub at: Millis,
    /// Time spent, once the user has left.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    /// Consecutive navigations to this same URL, folded.
    pub count: u32,
}

/// Identical errors, grouped.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorGroup {
    /// What kind.
    pub kind: ErrorKind,
    /// Redacted message.
    pub message: String,
    /// `url:line:col`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Parsed, redacted frames.
    pub frames: Vec<Frame>,
    /// Occurrences.
    pub count: u64,
    /// First occurrence.
    pub first_at: Millis,
    /// Last occurrence.
    pub last_at: Millis,
    /// Route the last occurrence happened on.
    pub route: String,
    /// Grouping key: normalised message + top frame.
    pub signature: String,
}

/// Identical failed requests, grouped.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FailedRequest {
    /// fetch or XHR.
    pub api: Api,
    /// HTTP method.
    pub method: String,
    /// URL with secret query values redacted.
    pub url: String,
    /// HTTP status; 0 for a network error.
    pub status: u16,
    /// Duration of the last occurrence.
    pub duration_ms: f64,
    /// Occurrences.
    pub count: u64,
    /// First occurrence.
    pub first_at: Millis,
    /// Last occurrence.
    pub last_at: Millis,
}

/// What kind of step a breadcrumb records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum CrumbKind {
    /// A route change.
    Navigation,
    /// A click.
    Click,
    /// An error.
    Error,
    /// A failed request.
    Request,
    /// Alert text that appeared.
    Alert,
}

/// One step in the timeline of what the user did and saw.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Breadcrumb {
    /// When (the last occurrence, when folded).
    pub at: Millis,
    /// What kind.
    pub kind: CrumbKind,
    /// Plain-language, redacted description.
    pub message: String,
    /// Occurrences folded into this step: consecutive identical steps, or every occurrence of
    /// one error group (or failed-request group) during one route visit.
    pub count: u32,
    /// The group an error or failed-request step belongs to (empty for user actions).
    #[serde(skip)]
    pub group: String,
}

impl CrumbKind {
    /// Navigation and clicks: what the user did, as opposed to what the page did.
    pub fn is_action(self) -> bool {
        matches!(self, CrumbKind::Navigation | CrumbKind::Click)
    }
}

/// Alert text seen on the page.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AlertSeen {
    /// Redacted text.
    pub text: String,
    /// Last time it appeared.
    pub at: Millis,
    /// Times it appeared.
    pub count: u32,
}

/// A form field the page marked invalid.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvalidField {
    /// Its label text.
    pub label: String,
    /// Its validation message, when the page shows one.
    pub message: String,
    /// A short selector.
    pub selector: String,
}

/// What the page shows right now, read when a snapshot is taken.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DomHints {
    /// `document.title`.
    pub title: String,
    /// Main headings (h1, then h2).
    pub headings: Vec<String>,
    /// Visible alert and live-region text.
    pub alerts: Vec<String>,
    /// Fields marked `aria-invalid=true`.
    pub invalid_fields: Vec<InvalidField>,
    /// Text of elements the host marked `data-baton-hint`.
    pub hints: Vec<String>,
}

/// Browser, device and locale.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Environment {
    /// Browser name and major version.
    pub browser: String,
    /// Operating system and version.
    pub os: String,
    /// The user agent string.
    pub user_agent: String,
    /// Viewport `[width, height]` in CSS px.
    pub viewport: [u32; 2],
    /// Screen `[width, height]` in CSS px.
    pub screen: [u32; 2],
    /// Device pixel ratio.
    pub pixel_ratio: f64,
    /// `navigator.language`.
    pub language: String,
    /// IANA time zone.
    pub timezone: String,
    /// `navigator.onLine`.
    pub online: bool,
    /// The host app's version, when the host passed `appVersion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
}

/// Who the user is, as the host said with `identify`. Kept as given (not redacted): the host
/// chose to share it, and the agent needs it. Strings are bounded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    /// The host's user id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Account, workspace or tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The host's signature over the identity, for the receiver to verify.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// Events that were not kept, by reason, so that nothing is lost silently.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Dropped {
    /// Errors over the rate limit (counted, not stored).
    pub rate_limited: u64,
    /// Error groups evicted to stay within bounds.
    pub error_groups: u64,
    /// Failed-request groups evicted.
    pub requests: u64,
    /// Events the loader's early buffer had no room for before the widget loaded, by kind.
    pub early: EarlyDropped,
    /// Events raised while Baton was rendering another (e.g. a host getter that logs).
    pub reentered: u64,
}

/// Events dropped before the widget loaded, by kind. The loader's early buffer folds repeats
/// and gives console lines, errors, failed requests and user actions their own room, so only
/// distinct events beyond that room land here; for user actions the oldest made room.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EarlyDropped {
    /// `console.error` / `console.warn` lines.
    pub console: u64,
    /// Uncaught errors.
    pub uncaught: u64,
    /// Unhandled rejections.
    pub rejections: u64,
    /// Images, scripts and stylesheets that failed to load.
    pub resources: u64,
    /// Failed requests.
    pub requests: u64,
    /// Route changes (the oldest went first).
    pub navigation: u64,
    /// Clicks (the oldest went first).
    pub clicks: u64,
    /// Errors the inline snippet had no room for before the loader ran.
    pub before_loader: u64,
}

impl EarlyDropped {
    /// Adds `n` drops of the loader's raw event kind `kind` (`con`, `err`, `rej`, `res`, `req`,
    /// `nav`, `click`, or `snippet` for the inline snippet's own overflow).
    pub fn add(&mut self, kind: &str, n: u64) {
        let slot = match kind {
            "con" => &mut self.console,
            "err" => &mut self.uncaught,
            "rej" => &mut self.rejections,
            "res" => &mut self.resources,
            "req" => &mut self.requests,
            "nav" => &mut self.navigation,
            "click" => &mut self.clicks,
            "snippet" => &mut self.before_loader,
            _ => return,
        };
        *slot = slot.saturating_add(n);
    }
}

/// One search the user made in the widget.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchRecord {
    /// What they typed, redacted.
    pub query: String,
    /// When.
    pub at: Millis,
    /// How many articles were listed.
    pub results: u32,
    /// Whether Baton was confident enough to offer the top article as the answer.
    pub answered: bool,
}

/// One article the user opened.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArticleRecord {
    /// Article id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// When it was opened.
    pub at: Millis,
    /// Their answer to "Did this answer your question?", if they gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub helpful: Option<bool>,
}

/// How a guided flow ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum FlowOutcome {
    /// Every step's check passed.
    Completed,
    /// The user said "That didn't work".
    Failed,
    /// The user left the flow (closed the article, went back).
    Abandoned,
}

/// A guided flow the user followed.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlowRecord {
    /// Article id.
    pub id: String,
    /// The step reached (1-based).
    pub step: u32,
    /// Steps in the flow.
    pub steps: u32,
    /// How it ended.
    pub outcome: FlowOutcome,
    /// When.
    pub at: Millis,
}

/// What the user tried in the widget before asking for a person.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Journey {
    /// Guided flows followed, oldest first.
    pub flows: Vec<FlowRecord>,
    /// Searches, oldest first (refinements of one search folded into the last).
    pub searches: Vec<SearchRecord>,
    /// Articles opened, oldest first.
    pub articles: Vec<ArticleRecord>,
}

/// The whole record. Serialised as camelCase JSON for `snapshot` and the handoff bundle.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Context {
    /// Who.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// Custom attributes from `Baton('context', {...})`, redacted and bounded.
    pub custom: serde_json::Map<String, Value>,
    /// Route history, oldest first; the last one is the current route.
    pub routes: Vec<Visit>,
    /// Grouped errors, in order of first occurrence.
    pub errors: Vec<ErrorGroup>,
    /// Grouped failed requests, in order of first occurrence.
    pub failed_requests: Vec<FailedRequest>,
    /// Timeline of steps, oldest first.
    pub breadcrumbs: Vec<Breadcrumb>,
    /// Alert and toast text seen over time.
    pub alerts_seen: Vec<AlertSeen>,
    /// What the page shows now (filled when a snapshot is taken).
    pub dom: DomHints,
    /// Browser, device and locale.
    pub environment: Environment,
    /// What was not kept, by reason.
    pub dropped: Dropped,
    /// Self-service: searches, articles, feedback.
    pub journey: Journey,
    #[serde(skip)]
    storm: StormGuard,
}

/// Keeps a storm of errors cheap: a repeat of a recent raw error only bumps its group's count,
/// and full processing is rate limited per second.
#[derive(Clone, Debug, Default)]
struct StormGuard {
    /// Raw key (kind + raw message) → signature of its group, most recent last. A short list
    /// searched from the end: storms repeat the latest key, and a map would cost more wasm.
    recent: Vec<(ErrorKind, String, String)>,
    window_start: Millis,
    /// Errors fully processed in the current second: console lines, then everything else —
    /// two budgets, so that console noise never rate-limits an uncaught error away.
    processed_in_window: [u32; 2],
}

/// When an observation happened and how often: once, or repeats the loader folded.
#[derive(Clone, Copy)]
struct Seen {
    first: Millis,
    last: Millis,
    times: u64,
}

impl Seen {
    /// `times` occurrences (at least one), from `first` to `last` (never before `first`).
    fn new(first: Millis, last: Millis, times: u64) -> Seen {
        Seen { first, last: last.max(first), times: times.max(1) }
    }
}

/// The path part of a URL: "https://x.io/a/b?c#d" → "/a/b"; "/a?b" → "/a".
pub fn path_of(url: &str) -> String {
    let after_origin = match url.find("://") {
        Some(i) => url[i + 3..].find('/').map_or("/", |j| &url[i + 3 + j..]),
        None => url,
    };
    let end = after_origin.find(['?', '#']).unwrap_or(after_origin.len());
    let path = &after_origin[..end];
    if path.is_empty() { "/".into() } else { path.into() }
}

/// Path, query and hash of a URL (no origin): what a support agent needs of "where".
fn local_part(url: &str) -> &str {
    match url.find("://") {
        Some(i) => url[i + 3..].find('/').map_or("/", |j| &url[i + 3 + j..]),
        None => url,
    }
}

fn bounded(text: &str, max: usize) -> String {
    truncate_chars(&redact(text), max)
}

/// Normalised message for grouping: numbers and hex ids become `#`, whitespace collapses.
pub fn normalise_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MAX_SIGNATURE_CHARS));
    let mut last_hash = false;
    let mut last_space = false;
    for word in message.split_whitespace() {
        if !out.is_empty() && !last_space {
            out.push(' ');
        }
        last_space = true;
        let hexish = word.len() >= 8 && word.chars().all(|c| c.is_ascii_hexdigit() || c == '-') && word.chars().any(|c| c.is_ascii_digit());
        if hexish {
            out.push('#');
            last_space = false;
            continue;
        }
        for c in word.chars() {
            if c.is_ascii_digit() {
                if !last_hash {
                    out.push('#');
                }
                last_hash = true;
            } else {
                out.push(c.to_ascii_lowercase());
                last_hash = false;
            }
            last_space = false;
        }
        last_hash = false;
        if out.len() >= MAX_SIGNATURE_CHARS {
            break;
        }
    }
    truncate_chars(&out, MAX_SIGNATURE_CHARS)
}

impl Context {
    /// The current route: the last visit.
    pub fn current_route(&self) -> Option<&Visit> {
        self.routes.last()
    }

    /// Records one observation: redacts it, groups or folds it, and keeps every buffer within
    /// its bound.
    pub fn record(&mut self, event: Captured) {
        match event {
            Captured::Navigation { at, url, title, via } => self.navigate(at, &url, &title, via),
            Captured::Error { .. } | Captured::Request { .. } => self.record_repeated(event, 1, 0.0),
            Captured::Click { at, selector, label } => {
                let label = bounded(&label, MAX_LABEL_TEXT_CHARS);
                let selector = truncate_chars(&selector, MAX_SELECTOR_CHARS);
                let message = if label.is_empty() { format!("Clicked {selector}") } else { format!("Clicked \"{label}\" ({selector})") };
                self.crumb(at, CrumbKind::Click, message);
            }
            Captured::Alert { at, text } => {
                let text = bounded(text.trim(), MAX_MESSAGE_CHARS);
                if text.is_empty() {
                    return;
                }
                match self.alerts_seen.iter_mut().find(|a| a.text == text) {
                    // The same text re-rendered within a second is the same appearance.
                    Some(seen) if at - seen.at < 1000.0 => {
                        seen.at = at;
                        return;
                    }
                    Some(seen) => {
                        seen.count += 1;
                        seen.at = at;
                    }
                    None => push_bounded(&mut self.alerts_seen, AlertSeen { text: text.clone(), at, count: 1 }, MAX_ALERTS_SEEN),
                }
                self.crumb(at, CrumbKind::Alert, format!("Saw \"{text}\""));
            }
        }
    }

    /// Records an observation that happened `count` times, the last at `last_at` (the loader's
    /// early buffer folds repeats): one error or request group, and its step, with the whole count.
    pub fn record_repeated(&mut self, event: Captured, count: u64, last_at: Millis) {
        match event {
            Captured::Error { at, kind, message, source, stack } => {
                self.error(Seen::new(at, last_at, count), kind, &message, source.as_deref(), stack.as_deref())
            }
            Captured::Request { at, api, method, url, status, duration_ms } => {
                self.request(Seen::new(at, last_at, count), api, &method, &url, status, duration_ms)
            }
            // Navigation, clicks and alerts are not folded by the loader.
            other => self.record(other),
        }
    }

    /// Cheap path for storms: when an identical raw error was recorded recently, bumps its
    /// group and returns true — the caller can skip formatting the error altogether.
    /// `count` is how many occurrences the caller saw (more than one when the loader folded them).
    pub fn bump_repeat(&mut self, at: Millis, kind: ErrorKind, raw_message: &str, count: u64) -> bool {
        let key = truncate_chars(raw_message, MAX_RAW_KEY_CHARS);
        let Some(index) = self.storm.recent.iter().rposition(|(k, raw, _)| *k == kind && *raw == key) else {
            return false;
        };
        // Least recently used goes first: a key that keeps repeating stays, however many
        // distinct errors arrive around it.
        let entry = self.storm.recent.remove(index);
        let signature = &entry.2;
        let Some(group) = self.errors.iter_mut().rev().find(|g| &g.signature == signature && g.kind == kind) else {
            return false;
        };
        self.storm.recent.push(entry.clone());
        group.count = group.count.saturating_add(count);
        group.last_at = at;
        let crumb = format!("{}: {}", kind_label(kind), group.message);
        self.grouped_crumb(Seen::new(at, at, count), CrumbKind::Error, entry.2, crumb);
        true
    }

    /// Notices a URL change that bypassed `history` (a router that replaced rather than
    /// chained `pushState`), and keeps the current route's title fresh.
    pub fn observe_url(&mut self, at: Millis, href: &str, title: &str) {
        let local = truncate_chars(&redact_url(local_part(href)), MAX_URL_CHARS);
        match self.routes.last_mut() {
            Some(current) if current.url == local => {
                let title = bounded(title, MAX_TITLE_TEXT_CHARS);
                if !title.is_empty() {
                    current.title = title;
                }
            }
            _ if href.is_empty() => {}
            _ => self.navigate(at, href, title, NavKind::Push),
        }
    }

    /// Stores what the page shows now, redacted.
    pub fn set_dom(&mut self, hints: DomHints) {
        let all = |v: Vec<String>| v.iter().map(|s| bounded(s, MAX_TITLE_TEXT_CHARS)).collect();
        self.dom = DomHints {
            title: bounded(&hints.title, MAX_TITLE_TEXT_CHARS),
            headings: all(hints.headings),
            alerts: all(hints.alerts),
            invalid_fields: hints
                .invalid_fields
                .into_iter()
                .map(|f| InvalidField { label: bounded(&f.label, MAX_LABEL_TEXT_CHARS), message: bounded(&f.message, MAX_TITLE_TEXT_CHARS), selector: f.selector })
                .collect(),
            hints: all(hints.hints),
        };
    }

    fn navigate(&mut self, at: Millis, url: &str, title: &str, via: NavKind) {
        let local = truncate_chars(&redact_url(local_part(url)), MAX_URL_CHARS);
        let title = bounded(title, MAX_TITLE_TEXT_CHARS);
        if let Some(current) = self.routes.last_mut() {
            if current.url == local {
                current.count = current.count.saturating_add(1);
                if !title.is_empty() {
                    current.title = title;
                }
                return;
            }
            current.duration_ms = Some((at - current.at).max(0.0));
        }
        let path = path_of(&local);
        let message = match via {
            NavKind::Load => format!("Opened {local}"),
            _ => format!("Went to {local}"),
        };
        push_bounded(&mut self.routes, Visit { url: local, path, title, via, at, duration_ms: None, count: 1 }, MAX_ROUTES);
        self.crumb(at, CrumbKind::Navigation, message);
    }

    /// Records an error in its group (all of `seen`'s occurrences), unless rate limited.
    fn error(&mut self, seen: Seen, kind: ErrorKind, raw: &str, source: Option<&str>, stack: Option<&str>) {
        let at = seen.first;
        // Rate limit full processing; repeats were already folded by `bump_repeat`.
        if at - self.storm.window_start >= 1000.0 || at < self.storm.window_start {
            self.storm.window_start = at;
            self.storm.processed_in_window = [0, 0];
        }
        let budget = &mut self.storm.processed_in_window[usize::from(!kind.is_console())];
        if *budget >= MAX_ERRORS_PER_SECOND {
            self.dropped.rate_limited = self.dropped.rate_limited.saturating_add(seen.times);
            return;
        }
        *budget += 1;

        let message = bounded(raw.trim(), MAX_MESSAGE_CHARS);
        let frames: Vec<Frame> = stack
            .map(stack::parse)
            .unwrap_or_default()
            .into_iter()
            .map(|mut f| {
                f.file = redact_url(&f.file);
                f
            })
            .collect();
        let source = source.map(|s| truncate_chars(&redact_url(s), MAX_URL_CHARS));
        let top = frames
            .first()
            .map(|f| format!("{}:{}", f.file, f.function.as_deref().unwrap_or("")))
            .or_else(|| source.clone())
            .unwrap_or_default();
        let signature = format!("{}|{}", normalise_message(&message), top);
        let route = self.current_route().map(|r| r.path.clone()).unwrap_or_default();

        push_bounded(&mut self.storm.recent, (kind, truncate_chars(raw, MAX_RAW_KEY_CHARS), signature.clone()), MAX_RECENT_RAW_KEYS);

        let crumb = format!("{}: {}", kind_label(kind), message);
        match self.errors.iter_mut().find(|g| g.signature == signature && g.kind == kind) {
            Some(group) => {
                group.count = group.count.saturating_add(seen.times);
                group.last_at = seen.last;
                group.route = route;
            }
            None => {
                if self.errors.len() >= MAX_ERROR_GROUPS {
                    // Evict the group seen least recently.
                    if let Some(oldest) = self.errors.iter().enumerate().min_by(|a, b| a.1.last_at.total_cmp(&b.1.last_at)).map(|(i, _)| i) {
                        self.errors.remove(oldest);
                        self.dropped.error_groups += 1;
                    }
                }
                let (count, last_at) = (seen.times, seen.last);
                self.errors.push(ErrorGroup { kind, message, source, frames, count, first_at: at, last_at, route, signature: signature.clone() });
            }
        }
        self.grouped_crumb(seen, CrumbKind::Error, signature, crumb);
    }

    /// Records a failed request in its group (all of `seen`'s occurrences).
    fn request(&mut self, seen: Seen, api: Api, method: &str, url: &str, status: u16, duration_ms: f64) {
        let method = truncate_chars(&method.to_ascii_uppercase(), 10);
        let url = truncate_chars(&redact_url(url), MAX_URL_CHARS);
        let what = if status == 0 { "network error".to_string() } else { format!("HTTP {status}") };
        let crumb = format!("{method} {} failed ({what})", local_part(&url));
        let key = format!("{method} {url} {status}");
        match self.failed_requests.iter_mut().find(|r| r.method == method && r.url == url && r.status == status) {
            Some(group) => {
                group.count = group.count.saturating_add(seen.times);
                group.last_at = seen.last;
                group.duration_ms = duration_ms;
            }
            None => {
                if self.failed_requests.len() >= MAX_FAILED_REQUESTS {
                    self.failed_requests.remove(0);
                    self.dropped.requests += 1;
                }
                let (count, first_at, last_at) = (seen.times, seen.first, seen.last);
                self.failed_requests.push(FailedRequest { api, method, url, status, duration_ms, count, first_at, last_at });
            }
        }
        self.grouped_crumb(seen, CrumbKind::Request, key, crumb);
    }

    /// A step of the user's own or of the page; consecutive identical steps fold.
    fn crumb(&mut self, at: Millis, kind: CrumbKind, message: String) {
        if let Some(last) = self.breadcrumbs.last_mut() {
            if last.kind == kind && last.message == message {
                last.count = last.count.saturating_add(1);
                last.at = at;
                return;
            }
        }
        self.push_crumb(Breadcrumb { at, kind, message, count: 1, group: String::new() });
    }

    /// A step that belongs to a group (an error or a failed request): one step per group per
    /// route visit, counting its occurrences, so that a storm cannot fill the timeline.
    fn grouped_crumb(&mut self, seen: Seen, kind: CrumbKind, group: String, message: String) {
        let times = seen.times.min(u64::from(u32::MAX)) as u32;
        let this_visit = self.breadcrumbs.iter_mut().rev().take_while(|b| b.kind != CrumbKind::Navigation);
        for crumb in this_visit {
            if crumb.kind == kind && crumb.group == group {
                crumb.count = crumb.count.saturating_add(times);
                crumb.at = seen.last;
                return;
            }
        }
        self.push_crumb(Breadcrumb { at: seen.last, kind, message, count: times, group });
    }

    /// Appends a step within [`MAX_BREADCRUMBS`]. The user's actions (navigation, clicks) and
    /// what the page did (errors, requests, alerts) each keep at least half of the room: when
    /// full, the oldest step of whichever side holds more than half goes first.
    fn push_crumb(&mut self, crumb: Breadcrumb) {
        if self.breadcrumbs.len() >= MAX_BREADCRUMBS {
            let actions = self.breadcrumbs.iter().filter(|b| b.kind.is_action()).count();
            let half = MAX_BREADCRUMBS / 2;
            let evict_actions = match actions.cmp(&half) {
                std::cmp::Ordering::Greater => true,
                std::cmp::Ordering::Less => false,
                std::cmp::Ordering::Equal => crumb.kind.is_action(),
            };
            match self.breadcrumbs.iter().position(|b| b.kind.is_action() == evict_actions) {
                Some(i) => {
                    self.breadcrumbs.remove(i);
                }
                None => {
                    self.breadcrumbs.remove(0);
                }
            }
        }
        self.breadcrumbs.push(crumb);
    }

    /// Sets who the user is (`identify`). Every field is optional; strings are bounded.
    pub fn identify(&mut self, identity: Identity) {
        let b = |s: Option<String>| s.map(|s| truncate_chars(s.trim(), MAX_IDENTITY_CHARS)).filter(|s| !s.is_empty());
        self.identity = Some(Identity {
            id: b(identity.id),
            email: b(identity.email),
            name: b(identity.name),
            account: b(identity.account),
            signature: identity.signature.map(|s| truncate_chars(&s, MAX_SIGNATURE_VALUE_CHARS)),
        });
    }

    /// Merges custom attributes (`context`): values redacted (secret-named keys hidden) and
    /// bounded in count, depth and length. Returns the keys that were refused, with why.
    pub fn merge_custom(&mut self, attrs: &serde_json::Map<String, Value>) -> Vec<String> {
        let mut refused = Vec::new();
        for (key, value) in attrs {
            let key = truncate_chars(key, MAX_CUSTOM_KEY_CHARS);
            if !self.custom.contains_key(&key) && self.custom.len() >= MAX_CUSTOM_KEYS {
                refused.push(format!("`{key}`: more than {MAX_CUSTOM_KEYS} custom attributes"));
                continue;
            }
            if value.is_null() {
                self.custom.shift_remove(&key);
                continue;
            }
            let clean = if crate::capture::redact::is_secret_name(&key) { Value::String("[redacted]".into()) } else { clean_value(value, 0) };
            self.custom.insert(key, clean);
        }
        refused
    }

    /// Records a search; a refinement typed within 10 s of the previous search replaces it.
    pub fn record_search(&mut self, at: Millis, query: &str, results: u32, answered: bool) {
        let query = bounded(query.trim(), MAX_TITLE_TEXT_CHARS);
        if query.is_empty() {
            return;
        }
        if let Some(last) = self.journey.searches.last_mut() {
            // The same query again (the results redrawn) or a refinement typed soon after.
            let refined = at - last.at < 10_000.0 && (query.starts_with(&last.query) || last.query.starts_with(&query));
            if refined || query == last.query {
                *last = SearchRecord { query, at, results, answered };
                return;
            }
        }
        push_bounded(&mut self.journey.searches, SearchRecord { query, at, results, answered }, MAX_JOURNEY_ITEMS);
    }

    /// Records an article the user opened.
    pub fn record_article(&mut self, at: Millis, id: &str, title: &str) {
        let record = ArticleRecord { id: truncate_chars(id, 200), title: bounded(title, MAX_TITLE_TEXT_CHARS), at, helpful: None };
        push_bounded(&mut self.journey.articles, record, MAX_JOURNEY_ITEMS);
    }

    /// Records how a guided flow ended.
    pub fn record_flow(&mut self, record: FlowRecord) {
        push_bounded(&mut self.journey.flows, record, MAX_JOURNEY_ITEMS);
    }

    /// Records the answer to "Did this answer your question?" on the last opening of `id`.
    pub fn record_feedback(&mut self, id: &str, helpful: bool) {
        if let Some(article) = self.journey.articles.iter_mut().rev().find(|a| a.id == id) {
            article.helpful = Some(helpful);
        }
    }

    /// Forgets the user and everything they did (`reset`, on logout). The environment and the
    /// current route stay: they describe the page, not the person.
    pub fn reset(&mut self) {
        let current = self.routes.last().cloned();
        let environment = std::mem::take(&mut self.environment);
        *self = Context { environment, ..Context::default() };
        if let Some(mut route) = current {
            route.count = 1;
            route.duration_ms = None;
            self.routes.push(route);
        }
    }
}

fn kind_label(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Uncaught => "Error",
        ErrorKind::Rejection => "Unhandled rejection",
        ErrorKind::ConsoleError => "Console error",
        ErrorKind::ConsoleWarn => "Console warning",
        ErrorKind::Resource => "Failed to load",
    }
}

/// Appends `item`, dropping the oldest first when `buffer` holds `max`. The buffers are short
/// (at most 100), so a `Vec` shifting its items beats a `VecDeque`'s extra code in the wasm.
fn push_bounded<T>(buffer: &mut Vec<T>, item: T, max: usize) {
    let excess = (buffer.len() + 1).saturating_sub(max.max(1));
    buffer.drain(..excess.min(buffer.len()));
    buffer.push(item);
}

fn clean_value(value: &Value, depth: usize) -> Value {
    match value {
        Value::String(s) => Value::String(bounded(s, MAX_CUSTOM_VALUE_CHARS)),
        Value::Array(items) if depth < MAX_CUSTOM_DEPTH => {
            Value::Array(items.iter().take(MAX_CUSTOM_ITEMS).map(|v| clean_value(v, depth + 1)).collect())
        }
        Value::Object(map) if depth < MAX_CUSTOM_DEPTH => Value::Object(
            map.iter()
                .take(MAX_CUSTOM_ITEMS)
                .map(|(k, v)| {
                    let v = if crate::capture::redact::is_secret_name(k) { Value::String("[redacted]".into()) } else { clean_value(v, depth + 1) };
                    (truncate_chars(k, MAX_CUSTOM_KEY_CHARS), v)
                })
                .collect(),
        ),
        Value::Array(_) | Value::Object(_) => Value::String("[too deep]".into()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nav(ctx: &mut Context, at: f64, url: &str, via: NavKind) {
        ctx.record(Captured::Navigation { at, url: url.into(), title: "T".into(), via });
    }

    fn err(ctx: &mut Context, at: f64, message: &str) {
        ctx.record(Captured::Error { at, kind: ErrorKind::Uncaught, message: message.into(), source: None, stack: Some("at f (https://x.io/app.js:1:2)".into()) });
    }

    #[test]
    fn navigation_times_folds_and_redacts() {
        let mut c = Context::default();
        nav(&mut c, 1000.0, "https://app.x.io/login?token=abc&next=%2F", NavKind::Load);
        nav(&mut c, 4000.0, "https://app.x.io/billing", NavKind::Push);
        nav(&mut c, 4500.0, "https://app.x.io/billing", NavKind::Replace);
        nav(&mut c, 9000.0, "https://app.x.io/billing#card", NavKind::Hash);
        assert_eq!(c.routes.len(), 3);
        assert_eq!(c.routes[0].url, "/login?token=[redacted]&next=%2F");
        assert_eq!(c.routes[0].path, "/login");
        assert_eq!(c.routes[0].duration_ms, Some(3000.0));
        assert_eq!(c.routes[1].count, 2, "duplicate folded");
        assert_eq!(c.routes[1].duration_ms, Some(5000.0));
        assert_eq!(c.current_route().unwrap().url, "/billing#card");
        assert_eq!(c.current_route().unwrap().via, NavKind::Hash);
        assert_eq!(c.breadcrumbs.len(), 3);
        assert_eq!(c.breadcrumbs[1].message, "Went to /billing");
    }

    #[test]
    fn errors_group_by_normalised_message_and_top_frame() {
        let mut c = Context::default();
        nav(&mut c, 0.0, "https://x.io/invoices", NavKind::Load);
        err(&mut c, 1.0, "Invoice 1041 not found");
        err(&mut c, 2.0, "Invoice 1042 not found");
        err(&mut c, 3.0, "Payment for jane@acme.com failed");
        assert_eq!(c.errors.len(), 2);
        assert_eq!(c.errors[0].count, 2);
        assert_eq!(c.errors[0].message, "Invoice 1041 not found", "first message kept");
        assert_eq!(c.errors[0].last_at, 2.0);
        assert_eq!(c.errors[0].route, "/invoices");
        assert_eq!(c.errors[0].frames[0].line, Some(1));
        assert_eq!(c.errors[1].message, "Payment for [email] failed");
    }

    #[test]
    fn storms_stay_bounded_and_counted() {
        let mut c = Context::default();
        // 10,000 identical errors in one second: repeats take the cheap path.
        let mut cheap = 0;
        for i in 0..10_000 {
            let at = i as f64 / 10.0;
            if c.bump_repeat(at, ErrorKind::Uncaught, "boom", 1) {
                cheap += 1;
            } else {
                err(&mut c, at, "boom");
            }
        }
        assert_eq!(cheap, 9_999);
        assert_eq!(c.errors.len(), 1);
        assert_eq!(c.errors[0].count, 10_000);
        assert_eq!(c.breadcrumbs.len(), 1, "the timeline folds the storm into one step");
        assert_eq!(c.breadcrumbs[0].count, 10_000);

        // Repeats interleaved with a flood of distinct errors are still all counted.
        let mut c = Context::default();
        for i in 0..10_000usize {
            if !c.bump_repeat(0.0, ErrorKind::Uncaught, "same", 1) {
                err(&mut c, 0.0, "same");
            }
            let word: String = (0..4).map(|k| (b'a' + ((i / 26usize.pow(k)) % 26) as u8) as char).collect();
            if !c.bump_repeat(0.0, ErrorKind::Uncaught, &word, 1) {
                err(&mut c, 0.0, &word);
            }
        }
        assert_eq!(c.errors.iter().find(|g| g.message == "same").unwrap().count, 10_000);

        // 10,000 distinct errors: groups and breadcrumbs stay within bounds, the rest is counted.
        let mut c = Context::default();
        for i in 0..10_000usize {
            let word: String = (0..4).map(|k| (b'a' + ((i / 26usize.pow(k)) % 26) as u8) as char).collect();
            // 10 ms apart (100 a second, the limit) for the first half, then 10,000 a second.
            let at = if i < 5_000 { i as f64 * 10.0 } else { 50_000.0 + i as f64 / 10.0 };
            err(&mut c, at, &format!("failure in {word}"));
        }
        assert!(c.errors.len() <= MAX_ERROR_GROUPS);
        assert!(c.breadcrumbs.len() <= MAX_BREADCRUMBS);
        assert!(c.dropped.rate_limited > 0);
        let kept: u64 = c.errors.iter().map(|g| g.count).sum();
        assert_eq!(kept + c.dropped.rate_limited, 10_000 - evicted_counts(&c));
        assert!(c.storm.recent.len() <= MAX_RECENT_RAW_KEYS);
    }

    #[test]
    fn errors_keep_one_step_per_group_per_visit_and_the_users_actions_stay() {
        let mut c = Context::default();
        nav(&mut c, 0.0, "https://x.io/", NavKind::Load);
        c.record(Captured::Click { at: 1.0, selector: "button#pay".into(), label: "Pay".into() });
        // A storm of a few distinct console errors, interleaved, then more clicks and a route.
        // As ingest does it: the cheap repeat path first, then the full record.
        let log = |c: &mut Context, at: f64, message: &str| {
            if !c.bump_repeat(at, ErrorKind::ConsoleError, message, 1) {
                c.record(Captured::Error { at, kind: ErrorKind::ConsoleError, message: message.into(), source: None, stack: None });
            }
        };
        for i in 0..3000 {
            log(&mut c, 2.0 + i as f64, ["socket closed", "retry failed", "quota low"][i % 3]);
        }
        c.record(Captured::Click { at: 4000.0, selector: "button#retry".into(), label: "Retry".into() });
        log(&mut c, 4001.0, "socket closed");
        nav(&mut c, 4002.0, "https://x.io/billing", NavKind::Push);
        log(&mut c, 4003.0, "socket closed");
        let steps: Vec<(CrumbKind, &str, u32)> = c.breadcrumbs.iter().map(|b| (b.kind, b.message.as_str(), b.count)).collect();
        assert_eq!(steps, vec![
            (CrumbKind::Navigation, "Opened /", 1),
            (CrumbKind::Click, "Clicked \"Pay\" (button#pay)", 1),
            (CrumbKind::Error, "Console error: socket closed", 1001),
            (CrumbKind::Error, "Console error: retry failed", 1000),
            (CrumbKind::Error, "Console error: quota low", 1000),
            (CrumbKind::Click, "Clicked \"Retry\" (button#retry)", 1),
            (CrumbKind::Navigation, "Went to /billing", 1),
            (CrumbKind::Error, "Console error: socket closed", 1),
        ]);

        // Distinct errors by the hundred cannot push out the user's own steps: each side keeps
        // at least half of the timeline.
        let mut c = Context::default();
        nav(&mut c, 0.0, "https://x.io/", NavKind::Load);
        for i in 0..30 {
            c.record(Captured::Click { at: 1.0 + i as f64, selector: format!("button#b{i}"), label: String::new() });
        }
        for i in 0..500u32 {
            let at = 100.0 + f64::from(i) * 20.0;
            c.record(Captured::Error { at, kind: ErrorKind::Uncaught, message: format!("failure {}", word(i as usize)), source: None, stack: None });
        }
        assert_eq!(c.breadcrumbs.len(), MAX_BREADCRUMBS);
        assert_eq!(c.breadcrumbs.iter().filter(|b| b.kind.is_action()).count(), 31, "every click and the page load stay");
        for i in 0..200 {
            c.record(Captured::Click { at: 20_000.0 + i as f64, selector: format!("a#l{i}"), label: String::new() });
        }
        let actions = c.breadcrumbs.iter().filter(|b| b.kind.is_action()).count();
        assert_eq!((actions, c.breadcrumbs.len() - actions), (MAX_BREADCRUMBS / 2, MAX_BREADCRUMBS / 2), "errors keep their half too");
    }

    fn word(i: usize) -> String {
        (0..4).map(|k| (b'a' + ((i / 26usize.pow(k)) % 26) as u8) as char).collect()
    }

    #[test]
    fn folded_repeats_from_the_early_buffer_keep_their_count() {
        let mut c = Context::default();
        nav(&mut c, 0.0, "https://x.io/", NavKind::Load);
        let error = Captured::Error { at: 1.0, kind: ErrorKind::ConsoleError, message: "noise".into(), source: None, stack: None };
        c.record_repeated(error, 500, 90.0);
        c.record_repeated(Captured::Request { at: 2.0, api: Api::Fetch, method: "GET".into(), url: "/api/x".into(), status: 500, duration_ms: 3.0 }, 7, 80.0);
        assert_eq!((c.errors[0].count, c.errors[0].first_at, c.errors[0].last_at), (500, 1.0, 90.0));
        assert_eq!((c.failed_requests[0].count, c.failed_requests[0].last_at), (7, 80.0));
        let counts: Vec<u32> = c.breadcrumbs.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![1, 500, 7]);
        // A fold that arrives over the rate limit is counted as rate limited, not lost.
        let mut c = Context::default();
        for i in 0..MAX_ERRORS_PER_SECOND {
            c.record(Captured::Error { at: 0.0, kind: ErrorKind::Uncaught, message: format!("e{}", word(i as usize)), source: None, stack: None });
        }
        c.record_repeated(Captured::Error { at: 0.0, kind: ErrorKind::Uncaught, message: "late".into(), source: None, stack: None }, 40, 0.0);
        assert_eq!(c.dropped.rate_limited, 40);

        let mut early = EarlyDropped::default();
        for (kind, n) in [("con", 3), ("err", 1), ("rej", 2), ("res", 4), ("req", 5), ("nav", 6), ("click", 7), ("snippet", 8), ("bogus", 9)] {
            early.add(kind, n);
        }
        assert_eq!(early, EarlyDropped { console: 3, uncaught: 1, rejections: 2, resources: 4, requests: 5, navigation: 6, clicks: 7, before_loader: 8 });
    }

    #[test]
    fn console_noise_never_rate_limits_an_uncaught_error_away() {
        let mut c = Context::default();
        for i in 0..300 {
            c.record(Captured::Error { at: 1.0, kind: ErrorKind::ConsoleError, message: format!("log {}", word(i)), source: None, stack: None });
        }
        c.record(Captured::Error { at: 2.0, kind: ErrorKind::Uncaught, message: "TypeError: x is undefined".into(), source: None, stack: None });
        assert_eq!(c.dropped.rate_limited, 200);
        assert!(c.errors.iter().any(|e| e.kind == ErrorKind::Uncaught));
    }

    fn evicted_counts(c: &Context) -> u64 {
        // Evicted groups each held at least one occurrence; with distinct messages, exactly one.
        c.dropped.error_groups
    }

    #[test]
    fn failed_requests_group_and_hide_secrets() {
        let mut c = Context::default();
        for at in [1.0, 2.0] {
            c.record(Captured::Request { at, api: Api::Fetch, method: "get".into(), url: "https://api.x.io/payments?since=2026&api_key=sk".into(), status: 500, duration_ms: 12.0 });
        }
        c.record(Captured::Request { at: 3.0, api: Api::Xhr, method: "POST".into(), url: "https://api.x.io/pay".into(), status: 0, duration_ms: 30.0 });
        assert_eq!(c.failed_requests.len(), 2);
        assert_eq!(c.failed_requests[0].count, 2);
        assert_eq!(c.failed_requests[0].url, "https://api.x.io/payments?since=2026&api_key=[redacted]");
        assert_eq!(c.failed_requests[0].method, "GET");
        assert_eq!(c.breadcrumbs.last().unwrap().message, "POST /pay failed (network error)");
    }

    #[test]
    fn clicks_alerts_identity_custom_and_reset() {
        let mut c = Context::default();
        nav(&mut c, 0.0, "https://x.io/billing", NavKind::Load);
        c.record(Captured::Click { at: 1.0, selector: "button#pay".into(), label: "Pay now".into() });
        c.record(Captured::Alert { at: 2.0, text: " Card 4242 4242 4242 4242 declined ".into() });
        c.record(Captured::Alert { at: 500.0, text: "Card 4242 4242 4242 4242 declined".into() });
        c.record(Captured::Alert { at: 3000.0, text: "Card 4242 4242 4242 4242 declined".into() });
        assert_eq!(c.breadcrumbs[1].message, "Clicked \"Pay now\" (button#pay)");
        assert_eq!(c.alerts_seen[0].text, "Card [card] declined");
        assert_eq!(c.alerts_seen[0].count, 2);

        c.identify(Identity { id: Some("u_1".into()), email: Some("jane@acme.com".into()), ..Default::default() });
        assert_eq!(c.identity.as_ref().unwrap().email.as_deref(), Some("jane@acme.com"), "identity is kept as given");
        let refused = c.merge_custom(json!({"plan": "growth", "apiToken": "sk_live_123456789", "owner": "bob@x.io", "nested": {"a": {"b": {"c": {"d": 1}}}}}).as_object().unwrap());
        assert!(refused.is_empty());
        assert_eq!(c.custom["plan"], "growth");
        assert_eq!(c.custom["apiToken"], "[redacted]");
        assert_eq!(c.custom["owner"], "[email]");
        assert_eq!(c.custom["nested"]["a"]["b"]["c"], "[too deep]");
        c.merge_custom(json!({"plan": null}).as_object().unwrap());
        assert!(!c.custom.contains_key("plan"), "null removes a key");

        c.environment.language = "en".into();
        c.reset();
        assert!(c.identity.is_none() && c.custom.is_empty() && c.breadcrumbs.is_empty() && c.alerts_seen.is_empty());
        assert_eq!(c.routes.len(), 1, "the current route stays");
        assert_eq!(c.environment.language, "en");
    }

    #[test]
    fn custom_attributes_are_bounded() {
        let mut c = Context::default();
        let many: serde_json::Map<String, Value> = (0..200).map(|i| (format!("k{i}"), json!(i))).collect();
        let refused = c.merge_custom(&many);
        assert_eq!(c.custom.len(), MAX_CUSTOM_KEYS);
        assert_eq!(refused.len(), 200 - MAX_CUSTOM_KEYS);
    }

    #[test]
    fn url_drift_and_dom_hints() {
        let mut c = Context::default();
        nav(&mut c, 0.0, "https://x.io/a", NavKind::Load);
        c.observe_url(10.0, "https://x.io/a", "Page A");
        assert_eq!(c.routes.len(), 1);
        assert_eq!(c.routes[0].title, "Page A");
        assert_eq!(c.routes[0].count, 1, "a drift check is not a navigation");
        c.observe_url(20.0, "https://x.io/b?session=1", "Page B");
        assert_eq!(c.routes.len(), 2);
        assert_eq!(c.routes[1].url, "/b?session=[redacted]");
        c.set_dom(DomHints { title: "Hi jane@x.io".into(), alerts: vec!["Card 4242 4242 4242 4242 declined".into()], ..Default::default() });
        assert_eq!(c.dom.title, "Hi [email]");
        assert_eq!(c.dom.alerts, vec!["Card [card] declined".to_string()]);
    }

    #[test]
    fn journey_folds_refinements_and_keeps_feedback() {
        let mut c = Context::default();
        c.record_search(0.0, "ref", 3, false);
        c.record_search(500.0, "refund for jane@acme.com", 2, true);
        c.record_search(20_000.0, "export", 1, true);
        assert_eq!(c.journey.searches.len(), 2);
        assert_eq!(c.journey.searches[0].query, "refund for [email]");
        c.record_article(1.0, "refunds", "Refunds");
        c.record_feedback("refunds", false);
        assert_eq!(c.journey.articles[0].helpful, Some(false));
        c.reset();
        assert!(c.journey.searches.is_empty());
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalise_message("Invoice  1041 NOT found"), "invoice # not found");
        assert_eq!(normalise_message("id 9f8a7b6c5d4e failed"), "id # failed");
        assert_eq!(path_of("https://x.io"), "/");
        assert_eq!(path_of("https://x.io/a/b?c=1#d"), "/a/b");
    }
}
