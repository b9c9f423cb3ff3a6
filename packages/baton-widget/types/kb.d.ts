// Generated from widget/kb.schema.json by packages/baton-widget/scripts/build.mjs: do not edit.
// The schema is the KB format README documents (the test suite checks the demo KB against it).

/**
 * Topics; also used to route handoffs.
 * 
 * @maxItems 100
 */
export type Strings = string[]
/**
 * Sample questions this article answers.
 * 
 * @maxItems 100
 */
export type Strings1 = string[]
/**
 * Route patterns where it applies: /billing, /billing/*, /invoices/:id.
 * 
 * @maxItems 100
 */
export type Strings2 = string[]
/**
 * Error-message patterns it fixes: case-insensitive substrings, * matches any run.
 * 
 * @maxItems 100
 */
export type Strings3 = string[]

export interface KbArticle {
/**
 * Unique id.
 */
id: (string | number)
title: string
/**
 * Markdown. Raw HTML is shown as text; only http(s), mailto, tel and relative links are kept, and `article:ID` links to another article (opened in the panel).
 */
body?: string
tags?: Strings
phrasings?: Strings1
routes?: Strings2
errors?: Strings3
/**
 * @maxItems 100
 */
flow?: Step[]
}
export interface Step {
text: string
/**
 * CSS selector of the host element to highlight.
 */
highlight?: string
/**
 * What must become true before the next step; Baton verifies it live.
 */
check?: ({
kind: "route"
pattern: string
} | {
kind: ("appears" | "disappears")
selector: string
} | {
kind: "text"
text: string
})
}
