// Generated from widget/handoff.schema.json and widget/context.schema.json by packages/baton-widget/scripts/build.mjs: do not edit.
// Those schemas are generated from the widget's Rust types (cargo test checks them).

/**
 * What kind of step a breadcrumb records.
 */
export type CrumbKind = ("navigation" | "click" | "error" | "request" | "alert")
/**
 * The kind of a captured error.
 */
export type ErrorKind = ("uncaught" | "rejection" | "consoleError" | "consoleWarn" | "resource")
/**
 * Which API made a request.
 */
export type Api = ("fetch" | "xhr")
/**
 * How the user arrived on a route.
 */
export type NavKind = ("load" | "push" | "replace" | "pop" | "hash")
/**
 * How a guided flow ended.
 */
export type FlowOutcome = ("completed" | "failed" | "abandoned")

export interface Schemas {
bundle?: Bundle
context?: Context
}
/**
 * The bundle. Field order is the order an agent reads in.
 */
export interface Bundle {
/**
 * Alert and toast texts seen.
 */
alerts: AlertSeen[]
/**
 * Timeline, oldest first.
 */
breadcrumbs: Breadcrumb[]
/**
 * The share (0 to 1, two decimals) of the context an agent expects that this bundle
 * carries: identity, description, route, activity, errors (or none seen since the page
 * loaded), selfService, page, environment — each one eighth. A team tracks it to see how
 * much context survives the handoff.
 */
contextCompleteness: number
/**
 * The parts of `contextCompleteness` that are missing, by name.
 */
contextMissing: string[]
/**
 * When it was created (ms since the epoch).
 */
createdAt: number
/**
 * Custom attributes from the host.
 */
custom: {
[k: string]: unknown
}
/**
 * The user's own words, redacted but never cut for size.
 */
description: string
/**
 * What the page showed.
 */
dom?: (DomHints | null)
environment: Environment
/**
 * Grouped errors.
 */
errors: ErrorGroup[]
/**
 * Grouped failed requests.
 */
failedRequests: FailedRequest[]
/**
 * Who, as the host identified them (with its signature), or the email they typed.
 */
identity?: (Identity | null)
/**
 * What was left out, so that the agent knows: user choices and size cuts.
 */
omitted: string[]
/**
 * Short code the customer can quote on any channel, e.g. `BTN-7K3Q-9M`.
 */
reference: string
/**
 * Earlier open handoffs of the same user (absent when none).
 */
related?: string[]
/**
 * The current route.
 */
route?: (Visit | null)
/**
 * Route history, oldest first.
 */
routes: Visit[]
routing: Routing
selfService: Journey
selfServiceProgress: Progress
/**
 * Numbered steps to reproduce, from navigation and breadcrumbs.
 */
steps: string[]
/**
 * One paragraph: who, where, what failed, what they tried.
 */
summary: string
/**
 * Format version ([`BUNDLE_VERSION`]).
 */
version: number
/**
 * Baton's version.
 */
widgetVersion: string
}
/**
 * Alert text seen on the page.
 */
export interface AlertSeen {
/**
 * Last time it appeared.
 */
at: number
/**
 * Times it appeared.
 */
count: number
/**
 * Redacted text.
 */
text: string
}
/**
 * One step in the timeline of what the user did and saw.
 */
export interface Breadcrumb {
/**
 * When (the last occurrence, when folded).
 */
at: number
/**
 * Occurrences folded into this step: consecutive identical steps, or every occurrence of
 * one error group (or failed-request group) during one route visit.
 */
count: number
kind: CrumbKind
/**
 * Plain-language, redacted description.
 */
message: string
}
/**
 * What the page shows right now, read when a snapshot is taken.
 */
export interface DomHints {
/**
 * Visible alert and live-region text.
 */
alerts: string[]
/**
 * Main headings (h1, then h2).
 */
headings: string[]
/**
 * Text of elements the host marked `data-baton-hint`.
 */
hints: string[]
/**
 * Fields marked `aria-invalid=true`.
 */
invalidFields: InvalidField[]
/**
 * `document.title`.
 */
title: string
}
/**
 * A form field the page marked invalid.
 */
export interface InvalidField {
/**
 * Its label text.
 */
label: string
/**
 * Its validation message, when the page shows one.
 */
message: string
/**
 * A short selector.
 */
selector: string
}
/**
 * Browser, device and locale.
 */
export interface Environment {
/**
 * The host app's version, when the host passed `appVersion`.
 */
appVersion?: (string | null)
/**
 * Browser name and major version.
 */
browser: string
/**
 * `navigator.language`.
 */
language: string
/**
 * `navigator.onLine`.
 */
online: boolean
/**
 * Operating system and version.
 */
os: string
/**
 * Device pixel ratio.
 */
pixelRatio: number
/**
 * Screen `[width, height]` in CSS px.
 * 
 * @minItems 2
 * @maxItems 2
 */
screen: [number, number]
/**
 * IANA time zone.
 */
timezone: string
/**
 * The user agent string.
 */
userAgent: string
/**
 * Viewport `[width, height]` in CSS px.
 * 
 * @minItems 2
 * @maxItems 2
 */
viewport: [number, number]
}
/**
 * Identical errors, grouped.
 */
export interface ErrorGroup {
/**
 * Occurrences.
 */
count: number
/**
 * First occurrence.
 */
firstAt: number
/**
 * Parsed, redacted frames.
 */
frames: Frame[]
kind: ErrorKind
/**
 * Last occurrence.
 */
lastAt: number
/**
 * Redacted message.
 */
message: string
/**
 * Route the last occurrence happened on.
 */
route: string
/**
 * Grouping key: normalised message + top frame.
 */
signature: string
/**
 * `url:line:col`, when known.
 */
source?: (string | null)
}
/**
 * One stack frame.
 */
export interface Frame {
/**
 * 1-based column.
 */
column?: (number | null)
/**
 * Script URL (or `<anonymous>`).
 */
file: string
/**
 * Function name as the browser gave it, when it gave one.
 */
function?: (string | null)
/**
 * 1-based line.
 */
line?: (number | null)
}
/**
 * Identical failed requests, grouped.
 */
export interface FailedRequest {
api: Api
/**
 * Occurrences.
 */
count: number
/**
 * Duration of the last occurrence.
 */
durationMs: number
/**
 * First occurrence.
 */
firstAt: number
/**
 * Last occurrence.
 */
lastAt: number
/**
 * HTTP method.
 */
method: string
/**
 * HTTP status; 0 for a network error.
 */
status: number
/**
 * URL with secret query values redacted.
 */
url: string
}
/**
 * Who the user is, as the host said with `identify`. Kept as given (not redacted): the host
 * chose to share it, and the agent needs it. Strings are bounded.
 */
export interface Identity {
/**
 * Account, workspace or tenant.
 */
account?: (string | null)
/**
 * Email.
 */
email?: (string | null)
/**
 * The host's user id.
 */
id?: (string | null)
/**
 * Display name.
 */
name?: (string | null)
/**
 * The host's signature over the identity, for the receiver to verify.
 */
signature?: (string | null)
}
/**
 * One visit to a route.
 */
export interface Visit {
/**
 * Arrival time.
 */
at: number
/**
 * Consecutive navigations to this same URL, folded.
 */
count: number
/**
 * Time spent, once the user has left.
 */
durationMs?: (number | null)
/**
 * Path only.
 */
path: string
/**
 * Page title, redacted.
 */
title: string
/**
 * Path, query and hash, redacted.
 */
url: string
via: NavKind
}
/**
 * Where the issue probably belongs, and why.
 */
export interface Routing {
/**
 * `billing`, `access`, `bug`, `how-to`, or a KB tag.
 */
category: string
/**
 * `high` or `normal`.
 */
priority: string
/**
 * Plain-language reasons for both, for the help desk's rules and for the agent.
 */
reasons: string[]
}
/**
 * What the user tried in the widget before asking for a person.
 */
export interface Journey {
/**
 * Articles opened, oldest first.
 */
articles: ArticleRecord[]
/**
 * Guided flows followed, oldest first.
 */
flows: FlowRecord[]
/**
 * Searches, oldest first (refinements of one search folded into the last).
 */
searches: SearchRecord[]
}
/**
 * One article the user opened.
 */
export interface ArticleRecord {
/**
 * When it was opened.
 */
at: number
/**
 * Their answer to "Did this answer your question?", if they gave one.
 */
helpful?: (boolean | null)
/**
 * Article id.
 */
id: string
/**
 * Its title.
 */
title: string
}
/**
 * A guided flow the user followed.
 */
export interface FlowRecord {
/**
 * When.
 */
at: number
/**
 * Article id.
 */
id: string
outcome: FlowOutcome
/**
 * The step reached (1-based).
 */
step: number
/**
 * Steps in the flow.
 */
steps: number
}
/**
 * One search the user made in the widget.
 */
export interface SearchRecord {
/**
 * Whether Baton was confident enough to offer the top article as the answer.
 */
answered: boolean
/**
 * When.
 */
at: number
/**
 * What they typed, redacted.
 */
query: string
/**
 * How many articles were listed.
 */
results: number
}
/**
 * How far self-service got before the handoff.
 */
export interface Progress {
/**
 * Articles opened.
 */
articles: number
/**
 * The last guided flow followed: the step reached, of how many, and how it ended.
 */
flow?: (FlowRecord | null)
/**
 * Articles marked helpful.
 */
helpful: number
/**
 * Articles marked not helpful.
 */
notHelpful: number
/**
 * The furthest stage reached: `none` (no search, no article), `searched`, `read` (opened
 * an article), `answered` (answered "Did this answer your question?"), `flow` (followed a
 * guided flow).
 */
reached: string
/**
 * Searches made.
 */
searches: number
/**
 * Searches for which Baton had no confident answer.
 */
unansweredSearches: number
}
/**
 * The whole record. Serialised as camelCase JSON for `snapshot` and the handoff bundle.
 */
export interface Context {
/**
 * Alert and toast text seen over time.
 */
alertsSeen: AlertSeen[]
/**
 * Timeline of steps, oldest first.
 */
breadcrumbs: Breadcrumb[]
/**
 * Custom attributes from `Baton('context', {...})`, redacted and bounded.
 */
custom: {
[k: string]: unknown
}
dom: DomHints
dropped: Dropped
environment: Environment
/**
 * Grouped errors, in order of first occurrence.
 */
errors: ErrorGroup[]
/**
 * Grouped failed requests, in order of first occurrence.
 */
failedRequests: FailedRequest[]
/**
 * Who.
 */
identity?: (Identity | null)
journey: Journey
/**
 * Route history, oldest first; the last one is the current route.
 */
routes: Visit[]
}
/**
 * Events that were not kept, by reason, so that nothing is lost silently.
 */
export interface Dropped {
early: EarlyDropped
/**
 * Error groups evicted to stay within bounds.
 */
errorGroups: number
/**
 * Errors over the rate limit (counted, not stored).
 */
rateLimited: number
/**
 * Events raised while Baton was rendering another (e.g. a host getter that logs).
 */
reentered: number
/**
 * Failed-request groups evicted.
 */
requests: number
}
/**
 * Events dropped before the widget loaded, by kind. The loader's early buffer folds repeats
 * and gives console lines, errors, failed requests and user actions their own room, so only
 * distinct events beyond that room land here; for user actions the oldest made room.
 */
export interface EarlyDropped {
/**
 * Errors the inline snippet had no room for before the loader ran.
 */
beforeLoader: number
/**
 * Clicks (the oldest went first).
 */
clicks: number
/**
 * `console.error` / `console.warn` lines.
 */
console: number
/**
 * Route changes (the oldest went first).
 */
navigation: number
/**
 * Unhandled rejections.
 */
rejections: number
/**
 * Failed requests.
 */
requests: number
/**
 * Images, scripts and stylesheets that failed to load.
 */
resources: number
/**
 * Uncaught errors.
 */
uncaught: number
}
