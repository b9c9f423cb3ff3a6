//! What Baton remembers on this device between visits (localStorage): the message being
//! written to a person, so a reload loses nothing, and the reference codes already sent, so the
//! same user sees them when they come back and the next handoff links to them.

use serde::Serialize;

const DRAFT: &str = "baton.draft.v1";
const REFERENCES: &str = "baton.references.v1";
/// References remembered, newest kept.
const MAX_REFERENCES: usize = 10;
/// How long a reference counts as open.
const OPEN_FOR_MS: f64 = 30.0 * 24.0 * 3600.0 * 1000.0;

/// The unsent message, if any.
pub fn draft() -> String {
    crate::platform::storage().and_then(|s| s.get_item(DRAFT).ok().flatten()).unwrap_or_default()
}

/// Saves (or, when empty, forgets) the unsent message.
pub fn save_draft(text: &str) {
    if let Some(s) = crate::platform::storage() {
        let _ = if text.trim().is_empty() { s.remove_item(DRAFT) } else { s.set_item(DRAFT, text) };
    }
}

/// A handoff sent from this device.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SentReference {
    /// Its reference code.
    pub reference: String,
    /// When it was sent.
    pub at: f64,
    /// Who sent it (the host's user id or email), when known.
    pub who: Option<String>,
}

impl SentReference {
    /// One stored entry; `None` for one that is not a reference (a hand-edited store).
    /// Read from a JSON value by hand: the home screen reads these, and a derived
    /// `Deserialize` would bring serde's visitor machinery into the first module.
    fn read(value: &serde_json::Value) -> Option<SentReference> {
        Some(SentReference {
            reference: value.get("reference")?.as_str()?.to_string(),
            at: value.get("at")?.as_f64()?,
            who: value.get("who").and_then(|w| w.as_str()).map(str::to_string),
        })
    }
}

fn all() -> Vec<SentReference> {
    let text = crate::platform::storage().and_then(|s| s.get_item(REFERENCES).ok().flatten()).unwrap_or_default();
    let values: Vec<serde_json::Value> = crate::platform::json::parse(&text).unwrap_or_default();
    values.iter().filter_map(SentReference::read).collect()
}

/// Whether any reference is remembered, without reading them (the first screen only asks
/// whether to show the part that does).
pub fn has_references() -> bool {
    crate::platform::storage().and_then(|s| s.get_item(REFERENCES).ok().flatten()).is_some_and(|t| t.contains("reference"))
}

/// The open references of `who` (the anonymous user's when `None`), newest first.
pub fn open_references(who: Option<&str>, now: f64) -> Vec<SentReference> {
    let mut refs: Vec<SentReference> = all().into_iter().filter(|r| r.who.as_deref() == who && now - r.at < OPEN_FOR_MS).collect();
    refs.reverse();
    refs
}

/// Remembers a sent reference.
pub fn remember(reference: &str, at: f64, who: Option<String>) {
    let mut refs = all();
    refs.retain(|r| r.reference != reference);
    refs.push(SentReference { reference: reference.to_string(), at, who });
    while refs.len() > MAX_REFERENCES {
        refs.remove(0);
    }
    if let Some(s) = crate::platform::storage() {
        let _ = s.set_item(REFERENCES, &crate::platform::json::write(&refs));
    }
}

#[cfg(test)]
mod tests {
    use super::SentReference;
    use serde_json::json;

    #[test]
    fn stored_references_read_back_and_bad_entries_are_skipped() {
        let r = SentReference { reference: "BTN-P7G4-TR".into(), at: 1_764_000_000_000.0, who: Some("u_7".into()) };
        let written: serde_json::Value = serde_json::to_value(&r).unwrap();
        assert_eq!(SentReference::read(&written), Some(r));
        let anonymous = json!({"reference": "BTN-AAAA-AA", "at": 5, "who": null});
        assert_eq!(SentReference::read(&anonymous).map(|r| r.who), Some(None));
        for bad in [json!({"at": 5}), json!({"reference": 7, "at": 5}), json!({"reference": "X", "at": "soon"}), json!("BTN")] {
            assert_eq!(SentReference::read(&bad), None, "{bad}");
        }
    }
}
