//! Learning from the KB itself how to weigh the signals: leave-one-out over its own sample
//! questions. Each sampled phrasing is searched for with that phrasing left out of the index
//! (its article should still come first).
//! The weights that put the most articles first win. Evaluation queries are never seen. A
//! KB with too few phrasings keeps the built-in weights.

use crate::answers::index::{Field, Index};
use crate::answers::rank::{Candidate, Leave, ANSWER_THRESHOLD};
use serde::Serialize;

/// Phrasings sampled when the widget builds an index itself (bounded time).
pub const BUILD_SAMPLE: usize = 200;
/// Phrasings sampled at publish time (`baton-kb index`).
pub const PUBLISH_SAMPLE: usize = 3_000;
/// Fewer sampled phrasings than this: keep the built-in settings.
const MIN_SAMPLE: usize = 20;

/// The confidence rule's own threshold, words only and with a meaning table, each chosen on
/// `shared/eval/clinc150-val` only (`baton-kb eval --tune`: the lowest that declines at least 85%
/// of its out-of-scope queries). Meaning ranks more of the right articles first, so a lower bar
/// keeps the same out-of-scope recall. Confidence is scaled so both meet [`ANSWER_THRESHOLD`].
const RAW_THRESHOLD_WORDS: f32 = 0.38;
const RAW_THRESHOLD_WITH_MEANING: f32 = 0.34;

/// Signals per candidate article, in this order: lexical (BM25, relative to the best), character
/// trigrams (nearest unit), meaning centroid, meaning nearest unit.
pub const SIGNALS: usize = 4;

/// How signals are combined and how confidence is computed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fusion {
    /// Weight of each signal.
    pub weights: [f32; SIGNALS],
}

impl Default for Fusion {
    fn default() -> Self {
        Fusion { weights: [1.0, 0.25, 0.0, 0.0] }
    }
}

impl Fusion {
    /// Built-in weights with a meaning table (between those learned on the two shared sets).
    pub const WITH_MEANING: Fusion = Fusion { weights: [1.0, 0.5, 3.0, 1.0] };

    /// Combined score of one candidate.
    pub fn score(&self, c: &Candidate) -> f32 {
        self.weights.iter().zip(&c.signals).map(|(w, s)| w * s).sum()
    }

    /// 0..1 confidence that the top candidate is the answer: how much of the query's weight its
    /// words cover, and how clearly it beats the second. (Learned alternatives — a logistic model
    /// over all signals, a share of meaning similarity — separated worse; README, "Answers".)
    pub fn confidence(&self, top: &Candidate, margin: f32, with_meaning: bool) -> f32 {
        let raw_threshold = if with_meaning { RAW_THRESHOLD_WITH_MEANING } else { RAW_THRESHOLD_WORDS };
        (top.coverage * (0.85 + 0.3 * margin.min(0.5)) * ANSWER_THRESHOLD / raw_threshold).clamp(0.0, 1.0)
    }
}

/// The position of the best candidate with `fusion`.
fn top_of(fusion: &Fusion, candidates: &[Candidate]) -> Option<usize> {
    (0..candidates.len()).max_by(|&x, &y| fusion.score(&candidates[x]).total_cmp(&fusion.score(&candidates[y])).then(candidates[y].article.cmp(&candidates[x].article)))
}

/// Learns the fusion for `index` from up to `sample` of its phrasings.
pub fn learn(index: &Index, sample: usize) -> Fusion {
    let phrasings: Vec<u32> = (0..index.units.len() as u32).filter(|u| index.units[*u as usize].field == Field::Phrasing).collect();
    let semantic = index.semantic.is_some();
    if phrasings.len() < MIN_SAMPLE || index.articles.len() < 2 {
        return if semantic { Fusion::WITH_MEANING } else { Fusion::default() };
    }
    let step = (phrasings.len() as f32 / sample as f32).max(1.0);
    let chosen: Vec<u32> = (0..sample.min(phrasings.len())).map(|i| phrasings[((i as f32 * step) as usize).min(phrasings.len() - 1)]).collect();
    // (article expected, candidates with the phrasing left out)
    let cases: Vec<(u32, Vec<Candidate>)> = chosen.iter().map(|&u| (index.units[u as usize].article, index.candidates(&index.unit_texts[u as usize], false, Leave::Unit(u)))).collect();

    // Weights: a small grid, lexical fixed at 1; the first best (smallest weights) wins ties.
    let chars_grid = [0.0, 0.25, 0.5, 1.0, 1.5];
    let meaning_grid: &[f32] = if semantic { &[0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 9.0] } else { &[0.0] };
    let mut best: (Fusion, Option<usize>) = (Fusion::default(), None); // replaced by the first grid point
    for &c in &chars_grid {
        for &m in meaning_grid {
            for &n in meaning_grid {
                let fusion = Fusion { weights: [1.0, c, m, n] };
                let right = cases.iter().filter(|(a, cands)| top_of(&fusion, cands).is_some_and(|i| cands[i].article == *a)).count();
                if best.1.is_none_or(|b| right > b) {
                    best = (fusion, Some(right));
                }
            }
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::kb::Article;

    fn article(id: usize, phrasings: Vec<String>) -> Article {
        Article { id: format!("a{id}"), title: format!("topic {id}"), phrasings, ..Default::default() }
    }

    #[test]
    fn a_kb_without_phrasings_keeps_the_built_in_weights() {
        let index = Index::build((0..30).map(|i| article(i, Vec::new())).collect());
        assert_eq!(index.fusion, Fusion::default());
    }

    #[test]
    fn learned_weights_rank_left_out_phrasings_at_least_as_well_as_the_built_in_ones() {
        // Phrasings that share misspelt or inflected words: trigrams carry them, stems do not.
        let words = ["subscription", "invoice", "password", "delivery", "warranty", "discount"];
        let articles = words
            .iter()
            .enumerate()
            .map(|(i, w)| article(i, vec![format!("{w} problem"), format!("my {w}s are wrong"), format!("{}x issue", &w[..w.len() - 1]), format!("help with {w}ing")]))
            .collect();
        let index = Index::build(articles);
        let phrasings: Vec<u32> = (0..index.units.len() as u32).filter(|u| index.units[*u as usize].field == Field::Phrasing).collect();
        let right = |f: &Fusion| {
            phrasings
                .iter()
                .filter(|&&u| {
                    let c = index.candidates(&index.unit_texts[u as usize], false, Leave::Unit(u));
                    top_of(f, &c).is_some_and(|i| c[i].article == index.units[u as usize].article)
                })
                .count()
        };
        assert!(right(&index.fusion) >= right(&Fusion::default()), "{:?}", index.fusion);
        assert!(index.fusion.weights[2] == 0.0 && index.fusion.weights[3] == 0.0, "no meaning table, no meaning weight");
    }
}
