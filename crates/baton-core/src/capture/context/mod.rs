//! The Context: one plain, serialisable record of who the user is, where they are, what they
//! did and what went wrong. Ranking, the UI and the handoff bundle read it; only capture writes.
//!
//! Target-independent: the browser side turns raw events into [`Captured`] values and calls
//! [`Context::record`]; everything here — redaction, grouping, folding, bounds, rate limiting —
//! is plain Rust with native tests.

use crate::capture::stack::Frame;
use serde::Serialize;
use serde_json::Value;

mod identity;
mod record;
#[cfg(test)]
mod tests;

pub use crate::answers::shown::SearchOutcome;
pub use identity::{Identity, VerifiedIdentity};
use record::StormGuard;

/// Milliseconds since the Unix epoch, as `Date.now()` gives them.
pub type Millis = f64;

/// How the user arrived on a route.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum NavKind {
    /// The page (re)loaded.
    #[default]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// An uncaught exception (window `error`).
    #[default]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Api {
    /// `fetch`.
    #[default]
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
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
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
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
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
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum CrumbKind {
    /// A route change.
    #[default]
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
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
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
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct AlertSeen {
    /// Redacted text.
    pub text: String,
    /// Last time it appeared.
    pub at: Millis,
    /// Times it appeared.
    pub count: u32,
}

/// A form field the page marked invalid.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct InvalidField {
    /// Its label text.
    pub label: String,
    /// Its validation message, when the page shows one.
    pub message: String,
    /// A short selector.
    pub selector: String,
}

/// What the page shows right now, read when a snapshot is taken.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
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
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
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
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct SearchRecord {
    /// What they typed, redacted.
    pub query: String,
    /// When.
    pub at: Millis,
    /// How many articles were listed.
    pub results: u32,
    /// Whether Baton was confident enough to offer the top article as the answer.
    pub answered: bool,
    /// What the answers screen showed: the sure answer, related articles, or only the way to a
    /// person.
    pub outcome: SearchOutcome,
    /// The articles shown, best first (the sure answer first).
    pub offered: Vec<Offered>,
}

/// An article a search showed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Offered {
    /// Its id in the KB.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// One article the user opened.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum FlowOutcome {
    /// Every step's check passed.
    #[default]
    Completed,
    /// The user said "That didn't work".
    Failed,
    /// The user left the flow (closed the article, went back).
    Abandoned,
}

/// A guided flow the user followed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
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
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
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
