//! One customer, one history: what an agent reading a handoff learns from the customer's other
//! handoffs — the pages and errors in common, and what they already tried.

use crate::handoffs::{field, list};
use crate::store::Handoff;
use serde_json::Value;

/// One of the customer's other handoffs.
pub struct Earlier {
    /// Its ticket.
    pub ticket: i64,
    /// Its reference code.
    pub reference: String,
    /// Its status.
    pub status: String,
    /// Its summary.
    pub summary: String,
}

/// A verified customer's history, seen from one of their handoffs.
pub struct History {
    /// Handoffs of the customer, this one included.
    pub count: usize,
    /// The others, newest first.
    pub others: Vec<Earlier>,
    /// Paths this handoff shares with the others.
    pub common_paths: Vec<String>,
    /// Error messages this handoff shares with the others.
    pub common_errors: Vec<String>,
    /// Articles read before, with the reference they were read under.
    pub tried: Vec<String>,
}

fn paths(b: &Value) -> Vec<String> {
    list(&b["routes"]).iter().chain(std::iter::once(&b["route"])).map(|r| field(r, "path").to_string()).filter(|p| !p.is_empty()).collect()
}

fn errors(b: &Value) -> Vec<String> {
    list(&b["errors"]).iter().map(|e| field(e, "message").to_string()).collect()
}

/// What `history` (every handoff of the customer, newest first) tells about `h`.
pub fn history(h: &Handoff, history: &[Handoff]) -> History {
    let others: Vec<&Handoff> = history.iter().filter(|o| o.ticket != h.ticket).collect();
    let (mine_paths, mine_errors) = (paths(&h.bundle), errors(&h.bundle));
    let mut common_paths: Vec<String> = others.iter().flat_map(|o| paths(&o.bundle)).filter(|p| mine_paths.contains(p)).collect();
    common_paths.sort();
    common_paths.dedup();
    let mut common_errors: Vec<String> = others.iter().flat_map(|o| errors(&o.bundle)).filter(|e| mine_errors.contains(e)).collect();
    common_errors.sort();
    common_errors.dedup();
    let tried = others
        .iter()
        .flat_map(|o| list(&o.bundle["selfService"]["articles"]).iter().map(|a| format!("Read \"{}\" ({})", field(a, "title"), o.reference)).collect::<Vec<_>>())
        .collect();
    History {
        count: history.len(),
        others: others.iter().map(|o| Earlier { ticket: o.ticket, reference: o.reference.clone(), status: o.status.clone(), summary: field(&o.bundle, "summary").to_string() }).collect(),
        common_paths,
        common_errors,
        tried,
    }
}
