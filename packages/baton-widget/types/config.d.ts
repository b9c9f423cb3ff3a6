// Generated from widget/config.schema.json by packages/baton-widget/scripts/build.mjs: do not edit.
// That schema is generated from the widget's config readers' keys (cargo test checks them).
import type { KbArticle } from './kb.js';

/**
 * A CSS length: a number of pixels, or any CSS length string.
 */
export type CssLength = (number | string)

/**
 * `Baton('init', config)` (docs/config-and-api.md, "Config"); later calls merge key by key.
 */
export interface BatonConfig {
/**
 * Heading of the panel (≤ 80 characters).
 */
title?: string
theme?: BatonTheme
/**
 * CSS appended inside the shadow root after Baton's own styles.
 */
customCss?: string
/**
 * CSP nonce for the stylesheet link.
 */
nonce?: string
/**
 * BCP 47 tag, e.g. `"fr-CA"`; default: the browser's languages.
 */
locale?: string
/**
 * Replace single texts by key (docs/theming.md, "Languages").
 */
strings?: {
[k: string]: string
}
/**
 * When the widget code is fetched: on intent (default) or when the browser is idle.
 */
preload?: ("intent" | "idle")
/**
 * The app's version, reported in the context's environment.
 */
appVersion?: string
/**
 * The knowledge base: a URL, or the articles themselves.
 */
kb?: string | KbArticle[]
/**
 * The KB's meaning table made by `baton-kb index`.
 */
meaning?: string
/**
 * The relay's `POST /v1/encode`: search queries are also embedded there (redacted) and re-ranked.
 */
encoder?: string
handoff?: BatonHandoffConfig
/**
 * Flat form of `handoff.endpoint`.
 */
endpoint?: string
/**
 * The baton-relay the conversations live on; default: the relay `handoff.endpoint` names.
 */
relay?: string
/**
 * `"required"`: nothing stored, no relay session and no query to the encoder before `consent(true)` or the first click on the launcher.
 */
consent?: ("required" | "implied")
/**
 * The scorecard's KPI events to the relay (`POST /v1/events`): on with a relay; `false` turns them off; `{ queries: true }` adds the (redacted) search text, for content gaps.
 */
analytics?: (false | {
/**
 * Send the redacted search text with each search event.
 */
queries?: boolean
})
}
/**
 * The `theme` config (docs/theming.md, "Theme").
 */
export interface BatonTheme {
/**
 * Any CSS colour; text on it is picked for contrast.
 */
accent?: string
/**
 * `"light"` (default), `"dark"`, or `"auto"` (follows the system).
 */
mode?: ("light" | "dark" | "auto")
/**
 * Default `"bottom-right"`.
 */
position?: ("bottom-right" | "bottom-left")
offset?: CssLength
/**
 * Stacking order (default 2147483000).
 */
zIndex?: number
/**
 * Font stack of every text in the widget.
 */
font?: string
radius?: CssLength
launcher?: BatonLauncher
/**
 * Clicking any element matching this CSS selector opens Baton.
 */
selector?: string
}
/**
 * The launcher button.
 */
export interface BatonLauncher {
/**
 * The icon; default `"chat"`.
 */
icon?: ("chat" | "help" | "none")
/**
 * Text beside the icon (≤ 40 characters).
 */
label?: string
/**
 * No launcher: open Baton from your own button (`open()` or `theme.selector`).
 */
hidden?: boolean
}
/**
 * Where handoffs go (docs/handoff.md, "Reaching a person").
 */
export interface BatonHandoffConfig {
/**
 * Baton POSTs each handoff here (e.g. baton-relay's `/v1/handoffs`).
 */
endpoint?: string
/**
 * Support address for the `mailto:` fallback.
 */
email?: string
/**
 * Body format POSTed to `endpoint`.
 */
format?: ("baton" | "zendesk" | "chatwoot")
}
