//! One customer, one history: what an agent reading a handoff learns from the customer's other
//! handoffs — the pages and errors in common, and what they already tried.

use baton_core::handoff::bundle::Bundle;
use crate::store::Handoff;

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

fn paths(b: &Bundle) -> Vec<String> {
    b.routes.iter().chain(&b.route).map(|r| r.path.clone()).filter(|p| !p.is_empty()).collect()
}

fn errors(b: &Bundle) -> Vec<String> {
    b.errors.iter().map(|e| e.message.clone()).collect()
}

/// The items of `mine` that also appear in `theirs`, sorted, once each. Linear (a hash set): both
/// come from bundles a hostile page sized, up to 50 bundles of long arrays.
pub fn in_common<T: std::hash::Hash + Ord + Clone>(mine: &[T], theirs: impl IntoIterator<Item = T>) -> Vec<T> {
    let mine: std::collections::HashSet<&T> = mine.iter().collect();
    let found: std::collections::BTreeSet<T> = theirs.into_iter().filter(|t| mine.contains(t)).collect();
    found.into_iter().collect()
}

/// What `history` (every handoff of the customer, newest first) tells about `h`.
pub fn history(h: &Handoff, history: &[Handoff]) -> History {
    let others: Vec<&Handoff> = history.iter().filter(|o| o.ticket != h.ticket).collect();
    let common_paths = in_common(&paths(&h.bundle), others.iter().flat_map(|o| paths(&o.bundle)));
    let common_errors = in_common(&errors(&h.bundle), others.iter().flat_map(|o| errors(&o.bundle)));
    let tried = others
        .iter()
        .flat_map(|o| o.bundle.self_service.articles.iter().map(|a| format!("Read \"{}\" ({})", a.title, o.reference)).collect::<Vec<_>>())
        .collect();
    History {
        count: history.len(),
        others: others.iter().map(|o| Earlier { ticket: o.ticket, reference: o.reference.clone(), status: o.status.clone(), summary: o.bundle.summary.clone() }).collect(),
        common_paths,
        common_errors,
        tried,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        static COMPARISONS: Cell<u64> = const { Cell::new(0) };
    }

    /// A string that counts how often it is compared.
    #[derive(Clone, PartialOrd, Ord)]
    struct Counted(String);

    impl std::hash::Hash for Counted {
        fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
            self.0.hash(state);
        }
    }

    impl PartialEq for Counted {
        fn eq(&self, other: &Self) -> bool {
            COMPARISONS.with(|c| c.set(c.get() + 1));
            self.0 == other.0
        }
    }
    impl Eq for Counted {}

    #[test]
    fn what_two_histories_share_is_found_in_linear_work() {
        // 50 bundles' worth of errors against one bundle's 2,000: a pairwise search would compare
        // 2,000 × 100,000 times.
        let mine: Vec<Counted> = (0..2000).map(|i| Counted(format!("error {i}"))).collect();
        let theirs: Vec<Counted> = (0..100_000).map(|i| Counted(format!("error {}", i * 7))).collect();
        let common = in_common(&mine, theirs);
        assert_eq!(common.len(), (0..2000).filter(|i| i % 7 == 0).count());
        let compared = COMPARISONS.with(Cell::get);
        assert!(compared < 10 * 102_000, "{compared} comparisons for 102,000 items");
    }
}
