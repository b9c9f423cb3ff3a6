//! What the answers screen shows for a ranked query — the rule `baton-kb eval` measures, so that
//! its figures are the widget's: the top article as *the* answer when Baton is sure of it
//! (its confidence reaches [`ANSWER_THRESHOLD`]); otherwise "no article clearly answers this",
//! the person button, and the closest articles as related reading; nothing found, the person
//! alone.

use crate::answers::fusion::ANSWER_THRESHOLD;
use crate::answers::rank::Hit;

/// Articles the answers screen lists for a query.
pub const SHOWN_RESULTS: usize = 6;

/// What one query shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    /// One article as the answer (an index into the KB's articles), with its confidence.
    Sure(usize, f32),
    /// No sure answer; these articles as related reading, best first.
    Maybe(Vec<usize>),
    /// Nothing found: the way to a person.
    Person,
}

/// What `hits` (ranked, best first) show.
pub fn shown(hits: &[Hit]) -> Shown {
    match hits.first() {
        Some(top) if top.confidence >= ANSWER_THRESHOLD => Shown::Sure(top.article, top.confidence),
        Some(_) => Shown::Maybe(hits.iter().take(SHOWN_RESULTS).map(|h| h.article).collect()),
        None => Shown::Person,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(article: usize, confidence: f32) -> Hit {
        Hit { article, score: confidence, confidence, reasons: Vec::new() }
    }

    #[test]
    fn sure_maybe_or_a_person() {
        assert_eq!(shown(&[hit(3, ANSWER_THRESHOLD), hit(1, 0.1)]), Shown::Sure(3, ANSWER_THRESHOLD));
        let many: Vec<Hit> = (0..9).map(|i| hit(i, 0.2)).collect();
        assert_eq!(shown(&many), Shown::Maybe((0..SHOWN_RESULTS).collect()));
        assert_eq!(shown(&[]), Shown::Person);
    }
}
