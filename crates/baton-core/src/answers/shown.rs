//! What the answers screen shows for a ranked query — the rule `baton-kb eval` measures, so that
//! its figures are the widget's: the top article as *the* answer when Baton is sure of it
//! (its confidence reaches [`ANSWER_THRESHOLD`]); otherwise "no article clearly answers this",
//! the person button, and the closest articles as related reading; nothing found, the person
//! alone. The journey records it with each search.

use crate::answers::fusion::ANSWER_THRESHOLD;
use crate::answers::rank::Hit;

/// Articles the answers screen lists for a query.
pub const SHOWN_RESULTS: usize = 6;

/// What a search showed the customer (`baton_core::answers::shown`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum SearchOutcome {
    /// One article as the answer.
    Sure,
    /// No sure answer: "no article clearly answers this", related articles and the person button.
    #[default]
    Maybe,
    /// Nothing found: the way to a person alone.
    Person,
}

impl SearchOutcome {
    /// What a ranking whose top article has `top_confidence` (`None`: nothing found) shows when
    /// *sure* starts at `threshold` (the widget's: [`ANSWER_THRESHOLD`]; `baton-kb eval --tune`
    /// tries others).
    pub fn at(top_confidence: Option<f32>, threshold: f32) -> SearchOutcome {
        match top_confidence {
            Some(c) if c >= threshold => SearchOutcome::Sure,
            Some(_) => SearchOutcome::Maybe,
            None => SearchOutcome::Person,
        }
    }
}

/// What `hits` (ranked, best first) show in the widget.
pub fn shown(hits: &[Hit]) -> SearchOutcome {
    SearchOutcome::at(hits.first().map(|h| h.confidence), ANSWER_THRESHOLD)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(article: usize, confidence: f32) -> Hit {
        Hit { article, score: confidence, confidence, reasons: Vec::new() }
    }

    #[test]
    fn sure_maybe_or_a_person() {
        assert_eq!(shown(&[hit(3, ANSWER_THRESHOLD), hit(1, 0.1)]), SearchOutcome::Sure);
        assert_eq!(shown(&[hit(0, ANSWER_THRESHOLD - 0.01), hit(1, 0.2)]), SearchOutcome::Maybe);
        assert_eq!(shown(&[]), SearchOutcome::Person);
        assert_eq!(SearchOutcome::at(Some(0.5), 0.6), SearchOutcome::Maybe, "another threshold, another verdict");
    }
}
