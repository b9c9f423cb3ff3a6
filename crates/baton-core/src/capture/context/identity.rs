//! Who the user is: what the host said with `identify`, and what the relay proved of it.

use serde::Serialize;

/// Who the user is, as the host said with `identify`. Kept as given (not redacted): the host
/// chose to share it, and the agent needs it. Strings are bounded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
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
    /// The host's id signature (HMAC of the id), for the receiver to verify; superseded by `token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// The host's identity token (a JWT its server signed), for the relay to verify; the relay
    /// never stores or forwards it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// What the relay proved of this identity. Written by the relay into the bundle it stores;
    /// the widget never sets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<VerifiedIdentity>,
    /// Why the relay could not verify the token or signature it was given (written by the relay).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unverified: Option<String>,
}

/// What the relay proved of an identity: every claim of a valid identity token (`by: "token"`),
/// or the id alone for a valid id signature (`by: "signature"`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct VerifiedIdentity {
    /// `token` or `signature`.
    pub by: String,
    /// The token's subject: the host's user id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// The signed id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The token's email claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The token's name claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The token's account claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}
