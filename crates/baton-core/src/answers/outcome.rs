//! Did self-service resolve the visit? The rule behind the `self-service-resolved` event, the
//! KPI half of the handoff: a team counts visits that ended with an answer beside visits that
//! ended with a person.
//!
//! A visit is one page load with the widget. It counts as resolved when the user marked an
//! article helpful ("Did this answer your question?" → Yes) and then did not escalate before
//! the visit ended — the panel closed, or the page was hidden or left with the panel open.
//! The event fires once per page load, at that moment; an escalation after a helpful answer
//! cancels it, and marking the same article unhelpful afterwards takes the answer back.
//! Target-independent: the widget feeds it, native tests check it.

/// The payload of `self-service-resolved`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The article that helped.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Searches the user made before it helped.
    pub searches: u32,
}

/// The state of one visit.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pending: Option<Resolved>,
    escalated: bool,
    emitted: bool,
}

impl Outcome {
    /// The user answered "Did this answer your question?" for article `id`; `searches` is how
    /// many searches the journey holds at that moment.
    pub fn feedback(&mut self, id: &str, title: &str, helpful: bool, searches: u32) {
        if helpful {
            self.pending = Some(Resolved { id: id.to_string(), title: title.to_string(), searches });
        } else if self.pending.as_ref().is_some_and(|p| p.id == id) {
            self.pending = None;
        }
    }

    /// The user sent a handoff: this visit was not resolved by self-service.
    pub fn escalated(&mut self) {
        self.escalated = true;
        self.pending = None;
    }

    /// The visit ended (panel closed, page hidden). Returns the event to emit, at most once.
    pub fn visit_ended(&mut self) -> Option<Resolved> {
        if self.emitted || self.escalated {
            return None;
        }
        let resolved = self.pending.take()?;
        self.emitted = true;
        Some(resolved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpful_then_close_resolves_once() {
        let mut o = Outcome::default();
        assert_eq!(o.visit_ended(), None, "nothing helped yet");
        o.feedback("a", "Reset your password", true, 2);
        assert_eq!(o.visit_ended(), Some(Resolved { id: "a".into(), title: "Reset your password".into(), searches: 2 }));
        o.feedback("b", "Other", true, 3);
        assert_eq!(o.visit_ended(), None, "once per visit");
    }

    #[test]
    fn escalating_or_taking_it_back_cancels() {
        let mut o = Outcome::default();
        o.feedback("a", "A", true, 1);
        o.escalated();
        assert_eq!(o.visit_ended(), None);
        o.feedback("b", "B", true, 1);
        assert_eq!(o.visit_ended(), None, "an escalation in the visit stays");

        let mut o = Outcome::default();
        o.feedback("a", "A", true, 0);
        o.feedback("a", "A", false, 0);
        assert_eq!(o.visit_ended(), None, "the same article marked unhelpful afterwards");
        o.feedback("b", "B", true, 0);
        o.feedback("a", "A", false, 0);
        assert_eq!(o.visit_ended().map(|r| r.id), Some("b".into()), "another article's 'no' does not cancel");
    }
}
