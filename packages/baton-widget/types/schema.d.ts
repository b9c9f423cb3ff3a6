// Generated from widget/handoff.schema.json and widget/context.schema.json by packages/baton-widget/scripts/build.mjs: do not edit.
// Those schemas are generated from the widget's Rust types (cargo test checks them).

/**
 * How a guided flow ended.
 */
export type FlowOutcome = ("completed" | "failed" | "abandoned")
/**
 * What a search showed the customer (`baton_core::answers::shown`).
 */
export type SearchOutcome = ("sure" | "maybe" | "person")
/**
 * How the user arrived on a route.
 */
export type NavKind = ("load" | "push" | "replace" | "pop" | "hash")
/**
 * The kind of a captured error.
 */
export type ErrorKind = ("uncaught" | "rejection" | "consoleError" | "consoleWarn" | "resource")
/**
 * Which API made a request.
 */
export type Api = ("fetch" | "xhr")
/**
 * What kind of step a breadcrumb records.
 */
export type CrumbKind = ("navigation" | "click" | "error" | "request" | "alert")

export interface Schemas {
bundle?: Bundle
context?: Context
}
/**
 * The bundle. Field order is the order an agent reads in.
 */
export interface Bundle {
/**
 * Format version ([`BUNDLE_VERSION`]).
 */
version: number
/**
 * Short code the customer can quote on any channel, e.g. `BTN-7K3-Q9M-4TP`.
 */
reference: string
/**
 * When it was created (ms since the epoch).
 */
createdAt: number
/**
 * Baton's version.
 */
widgetVersion: string
/**
 * Who, as the host identified them (with its signature), or the email they typed.
 */
identity?: (Identity | null)
/**
 * The user's own words, redacted but never cut for size.
 */
description: string
/**
 * One paragraph: who, where, what failed, what they tried.
 */
summary: string
/**
 * Numbered steps to reproduce, from navigation and breadcrumbs.
 */
steps: string[]
routing: Routing
/**
 * Earlier open handoffs of the same user (absent when none).
 */
related?: string[]
selfServiceProgress: Progress
selfService: Journey
/**
 * The current route.
 */
route?: (Visit | null)
/**
 * Route history, oldest first.
 */
routes: Visit[]
/**
 * What the page showed.
 */
dom?: (DomHints | null)
/**
 * Alert and toast texts seen.
 */
alerts: AlertSeen[]
/**
 * Grouped errors.
 */
errors: ErrorGroup[]
/**
 * Grouped failed requests.
 */
failedRequests: FailedRequest[]
/**
 * Timeline, oldest first.
 */
breadcrumbs: Breadcrumb[]
environment: Environment
/**
 * Custom attributes from the host.
 */
custom: {
[k: string]: unknown
}
/**
 * What was left out, so that the agent knows: user choices and size cuts.
 */
omitted: string[]
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
}
/**
 * Who the user is, as the host said with `identify`. Kept as given (not redacted): the host
 * chose to share it, and the agent needs it. Strings are bounded.
 */
export interface Identity {
/**
 * The host's user id.
 */
id?: (string | null)
/**
 * Email.
 */
email?: (string | null)
/**
 * Display name.
 */
name?: (string | null)
/**
 * Account, workspace or tenant.
 */
account?: (string | null)
/**
 * The host's id signature (HMAC of the id), for the receiver to verify; superseded by `token`.
 */
signature?: (string | null)
/**
 * The host's identity token (a JWT its server signed), for the relay to verify; the relay
 * never stores or forwards it.
 */
token?: (string | null)
/**
 * What the relay proved of this identity. Written by the relay into the bundle it stores;
 * the widget never sets it.
 */
verified?: (VerifiedIdentity | null)
/**
 * Why the relay could not verify the token or signature it was given (written by the relay).
 */
unverified?: (string | null)
}
/**
 * What the relay proved of an identity: every claim of a valid identity token (`by: "token"`),
 * or the id alone for a valid id signature (`by: "signature"`).
 */
export interface VerifiedIdentity {
/**
 * `token` or `signature`.
 */
by: string
/**
 * The token's subject: the host's user id.
 */
sub?: (string | null)
/**
 * The signed id.
 */
id?: (string | null)
/**
 * The token's email claim.
 */
email?: (string | null)
/**
 * The token's name claim.
 */
name?: (string | null)
/**
 * The token's account claim.
 */
account?: (string | null)
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
 * How far self-service got before the handoff.
 */
export interface Progress {
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
/**
 * Articles opened.
 */
articles: number
/**
 * Articles marked helpful.
 */
helpful: number
/**
 * Articles marked not helpful.
 */
notHelpful: number
/**
 * The last guided flow followed: the step reached, of how many, and how it ended.
 */
flow?: (FlowRecord | null)
}
/**
 * A guided flow the user followed.
 */
export interface FlowRecord {
/**
 * Article id.
 */
id: string
/**
 * The step reached (1-based).
 */
step: number
/**
 * Steps in the flow.
 */
steps: number
outcome: FlowOutcome
/**
 * When.
 */
at: number
}
/**
 * What the user tried in the widget before asking for a person.
 */
export interface Journey {
/**
 * Guided flows followed, oldest first.
 */
flows: FlowRecord[]
/**
 * Searches, oldest first (refinements of one search folded into the last).
 */
searches: SearchRecord[]
/**
 * Articles opened, oldest first.
 */
articles: ArticleRecord[]
}
/**
 * One search the user made in the widget.
 */
export interface SearchRecord {
/**
 * What they typed, redacted.
 */
query: string
/**
 * When.
 */
at: number
/**
 * How many articles were listed.
 */
results: number
/**
 * Whether Baton was confident enough to offer the top article as the answer.
 */
answered: boolean
outcome: SearchOutcome
/**
 * The articles shown, best first (the sure answer first).
 */
offered: Offered[]
}
/**
 * An article a search showed.
 */
export interface Offered {
/**
 * Its id in the KB.
 */
id: string
/**
 * Its title.
 */
title: string
}
/**
 * One article the user opened.
 */
export interface ArticleRecord {
/**
 * Article id.
 */
id: string
/**
 * Its title.
 */
title: string
/**
 * When it was opened.
 */
at: number
/**
 * Their answer to "Did this answer your question?", if they gave one.
 */
helpful?: (boolean | null)
}
/**
 * One visit to a route.
 */
export interface Visit {
/**
 * Path, query and hash, redacted.
 */
url: string
/**
 * Path only.
 */
path: string
/**
 * Page title, redacted.
 */
title: string
via: NavKind
/**
 * Arrival time.
 */
at: number
/**
 * Time spent, once the user has left.
 */
durationMs?: (number | null)
/**
 * Consecutive navigations to this same URL, folded.
 */
count: number
}
/**
 * What the page shows right now, read when a snapshot is taken.
 */
export interface DomHints {
/**
 * `document.title`.
 */
title: string
/**
 * Main headings (h1, then h2).
 */
headings: string[]
/**
 * Visible alert and live-region text.
 */
alerts: string[]
/**
 * Fields marked `aria-invalid=true`.
 */
invalidFields: InvalidField[]
/**
 * Text of elements the host marked `data-baton-hint`.
 */
hints: string[]
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
 * Alert text seen on the page.
 */
export interface AlertSeen {
/**
 * Redacted text.
 */
text: string
/**
 * Last time it appeared.
 */
at: number
/**
 * Times it appeared.
 */
count: number
}
/**
 * Identical errors, grouped.
 */
export interface ErrorGroup {
kind: ErrorKind
/**
 * Redacted message.
 */
message: string
/**
 * `url:line:col`, when known.
 */
source?: (string | null)
/**
 * Parsed, redacted frames.
 */
frames: Frame[]
/**
 * Occurrences.
 */
count: number
/**
 * First occurrence.
 */
firstAt: number
/**
 * Last occurrence.
 */
lastAt: number
/**
 * Route the last occurrence happened on.
 */
route: string
/**
 * Grouping key: normalised message + top frame.
 */
signature: string
}
/**
 * One stack frame.
 */
export interface Frame {
/**
 * Function name as the browser gave it, when it gave one.
 */
function?: (string | null)
/**
 * Script URL (or `<anonymous>`).
 */
file: string
/**
 * 1-based line.
 */
line?: (number | null)
/**
 * 1-based column.
 */
column?: (number | null)
}
/**
 * Identical failed requests, grouped.
 */
export interface FailedRequest {
api: Api
/**
 * HTTP method.
 */
method: string
/**
 * URL with secret query values redacted.
 */
url: string
/**
 * HTTP status; 0 for a network error.
 */
status: number
/**
 * Duration of the last occurrence.
 */
durationMs: number
/**
 * Occurrences.
 */
count: number
/**
 * First occurrence.
 */
firstAt: number
/**
 * Last occurrence.
 */
lastAt: number
}
/**
 * One step in the timeline of what the user did and saw.
 */
export interface Breadcrumb {
/**
 * When (the last occurrence, when folded).
 */
at: number
kind: CrumbKind
/**
 * Plain-language, redacted description.
 */
message: string
/**
 * Occurrences folded into this step: consecutive identical steps, or every occurrence of
 * one error group (or failed-request group) during one route visit.
 */
count: number
}
/**
 * Browser, device and locale.
 */
export interface Environment {
/**
 * Browser name and major version.
 */
browser: string
/**
 * Operating system and version.
 */
os: string
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
/**
 * Screen `[width, height]` in CSS px.
 * 
 * @minItems 2
 * @maxItems 2
 */
screen: [number, number]
/**
 * Device pixel ratio.
 */
pixelRatio: number
/**
 * `navigator.language`.
 */
language: string
/**
 * IANA time zone.
 */
timezone: string
/**
 * `navigator.onLine`.
 */
online: boolean
/**
 * The host app's version, when the host passed `appVersion`.
 */
appVersion?: (string | null)
}
/**
 * The whole record. Serialised as camelCase JSON for `snapshot` and the handoff bundle.
 */
export interface Context {
/**
 * Who.
 */
identity?: (Identity | null)
/**
 * Custom attributes from `Baton('context', {...})`, redacted and bounded.
 */
custom: {
[k: string]: unknown
}
/**
 * Route history, oldest first; the last one is the current route.
 */
routes: Visit[]
/**
 * Grouped errors, in order of first occurrence.
 */
errors: ErrorGroup[]
/**
 * Grouped failed requests, in order of first occurrence.
 */
failedRequests: FailedRequest[]
/**
 * Timeline of steps, oldest first.
 */
breadcrumbs: Breadcrumb[]
/**
 * Alert and toast text seen over time.
 */
alertsSeen: AlertSeen[]
dom: DomHints
environment: Environment
dropped: Dropped
journey: Journey
}
/**
 * Events that were not kept, by reason, so that nothing is lost silently.
 */
export interface Dropped {
/**
 * Errors over the rate limit (counted, not stored).
 */
rateLimited: number
/**
 * Error groups evicted to stay within bounds.
 */
errorGroups: number
/**
 * Failed-request groups evicted.
 */
requests: number
early: EarlyDropped
/**
 * Events raised while Baton was rendering another (e.g. a host getter that logs).
 */
reentered: number
}
/**
 * Events dropped before the widget loaded, by kind. The loader's early buffer folds repeats
 * and gives console lines, errors, failed requests and user actions their own room, so only
 * distinct events beyond that room land here; for user actions the oldest made room.
 */
export interface EarlyDropped {
/**
 * `console.error` / `console.warn` lines.
 */
console: number
/**
 * Uncaught errors.
 */
uncaught: number
/**
 * Unhandled rejections.
 */
rejections: number
/**
 * Images, scripts and stylesheets that failed to load.
 */
resources: number
/**
 * Failed requests.
 */
requests: number
/**
 * Route changes (the oldest went first).
 */
navigation: number
/**
 * Clicks (the oldest went first).
 */
clicks: number
/**
 * Errors the inline snippet had no room for before the loader ran.
 */
beforeLoader: number
}
