//! How events become the Context: folding repeats, grouping errors and failed requests, rate
//! limits for storms, bounded buffers, redaction of everything kept.

use super::*;
use crate::capture::redact::{redact, redact_url};
use crate::capture::stack;
use crate::limits::*;
use serde_json::Value;

/// Keeps a storm of errors cheap: a repeat of a recent raw error only bumps its group's count,
/// and full processing is rate limited per second.
#[derive(Clone, Debug, Default)]
pub(super) struct StormGuard {
    /// Raw key (kind + raw message) → signature of its group, most recent last. A short list
    /// searched from the end: storms repeat the latest key, and a map would cost more wasm.
    pub(super) recent: Vec<(ErrorKind, String, String)>,
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
            token: identity.token.map(|s| truncate_chars(&s, MAX_SIGNATURE_VALUE_CHARS)),
            ..Identity::default()
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

    /// Records a search and what it showed (`crate::answers::shown`): its `outcome` and
    /// `offered`, the articles listed, best first. A refinement typed within 10 s of the previous
    /// search replaces it.
    pub fn record_search(&mut self, at: Millis, query: &str, outcome: SearchOutcome, offered: Vec<Offered>) {
        let query = bounded(query.trim(), MAX_TITLE_TEXT_CHARS);
        if query.is_empty() {
            return;
        }
        let offered: Vec<Offered> = offered
            .into_iter()
            .take(crate::answers::shown::SHOWN_RESULTS)
            .map(|o| Offered { id: truncate_chars(&o.id, 200), title: bounded(&o.title, MAX_TITLE_TEXT_CHARS) })
            .collect();
        let record = SearchRecord { query, at, results: offered.len() as u32, answered: outcome == SearchOutcome::Sure, outcome, offered };
        if let Some(last) = self.journey.searches.last_mut() {
            // The same query again (the results redrawn) or a refinement typed soon after.
            let refined = at - last.at < 10_000.0 && (record.query.starts_with(&last.query) || last.query.starts_with(&record.query));
            if refined || record.query == last.query {
                *last = record;
                return;
            }
        }
        push_bounded(&mut self.journey.searches, record, MAX_JOURNEY_ITEMS);
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
