//! Learning from the KB itself how to weigh the signals: leave-one-out over its own sample
//! questions. Each sampled phrasing is searched for with that phrasing left out of the index
//! (its article should still come first); the weights that put the most articles first win.
//! With a meaning table, the share of meaning in confidence is the one that best tells those
//! right tops from the tops found when the phrasing's whole article is left out. Evaluation
//! queries are never seen. A KB with too few phrasings keeps the built-in settings.

use crate::answers::index::{Field, Index};
use crate::answers::rank::{Candidate, Leave, ANSWER_THRESHOLD};
use serde::Serialize;

/// Phrasings sampled when the widget builds an index itself (bounded time).
pub const BUILD_SAMPLE: usize = 200;
/// Phrasings sampled at publish time (`baton-kb index`).
pub const PUBLISH_SAMPLE: usize = 3_000;
/// Fewer sampled phrasings than this: keep the built-in settings.
const MIN_SAMPLE: usize = 20;

/// The confidence rule's own threshold — words only, with a meaning table, with the encoder's
/// query vectors — each chosen on `shared/eval/clinc150-val` only (`baton-kb eval --tune`: the
/// lowest that declines at least 85% of its out-of-scope queries). Confidence is scaled so that
/// each meets [`ANSWER_THRESHOLD`].
const RAW_THRESHOLD_WORDS: f32 = 0.38;
const RAW_THRESHOLD_WITH_MEANING: f32 = 0.42;
const RAW_THRESHOLD_WITH_ENCODER: f32 = 0.44;

/// Where the query's meaning vector comes from, for ranking and confidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// No meaning: words and trigrams only.
    Words,
    /// The meaning table's approximation from the query's words.
    Table,
    /// The sentence encoder's own embedding of the query (the relay's `/v1/encode`).
    Encoder,
}

/// Signals per candidate article, in this order: lexical (BM25, relative to the best), character
/// trigrams (nearest unit), meaning centroid, meaning nearest unit.
pub const SIGNALS: usize = 4;

/// How signals are combined and how confidence is computed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fusion {
    /// Weight of each signal.
    pub weights: [f32; SIGNALS],
    /// 0..1: how much the query's likeness in meaning to the top article counts in confidence,
    /// against the share of the query's words it covers (0 without a meaning table).
    pub meaning_share: f32,
}

impl Default for Fusion {
    fn default() -> Self {
        Fusion { weights: [1.0, 0.25, 0.0, 0.0], meaning_share: 0.0 }
    }
}

impl Fusion {
    /// Built-in weights with a meaning table (between those learned on the two shared sets).
    pub const WITH_MEANING: Fusion = Fusion { weights: [1.0, 0.5, 3.0, 1.0], meaning_share: 0.5 };
    /// Built-in weights with the encoder's query vectors (for a table without learned ones).
    pub const WITH_ENCODER: Fusion = Fusion { weights: [1.0, 0.25, 3.0, 1.0], meaning_share: 0.5 };

    /// Combined score of one candidate.
    pub fn score(&self, c: &Candidate) -> f32 {
        self.weights.iter().zip(&c.signals).map(|(w, s)| w * s).sum()
    }

    /// 0..1 confidence that the top candidate is the answer: how much of the query it covers —
    /// its words' weight and, with a meaning table, its likeness in meaning (`meaning_share`) —
    /// and how clearly it beats the second. (A logistic model over all signals separated worse;
    /// docs/answers.md, "Answers".)
    pub fn confidence(&self, top: &Candidate, margin: f32, mode: Mode) -> f32 {
        let raw_threshold = match mode {
            Mode::Words => RAW_THRESHOLD_WORDS,
            Mode::Table => RAW_THRESHOLD_WITH_MEANING,
            Mode::Encoder => RAW_THRESHOLD_WITH_ENCODER,
        };
        // Meaning stands in for words only as far as the table knows the query's words.
        let share = if mode == Mode::Words { 0.0 } else { self.meaning_share * top.known };
        let covered = (1.0 - share) * top.coverage + self.meaning_share * top.signals[2].clamp(0.0, 1.0);
        (covered * (0.85 + 0.3 * margin.min(0.5)) * ANSWER_THRESHOLD / raw_threshold).clamp(0.0, 1.0)
    }
}

/// The position of the best candidate with `fusion`.
fn top_of(fusion: &Fusion, candidates: &[Candidate]) -> Option<usize> {
    (0..candidates.len()).max_by(|&x, &y| fusion.score(&candidates[x]).total_cmp(&fusion.score(&candidates[y])).then(candidates[y].article.cmp(&candidates[x].article)))
}

/// Learns the fusion for `index` from up to `sample` of its phrasings.
pub fn learn(index: &Index, sample: usize) -> Fusion {
    learn_in(index, sample, if index.semantic.is_some() { Mode::Table } else { Mode::Words })
}

/// Learns the fusion for the encoder's query vectors: each sampled phrasing is a query whose
/// vector is the encoder's own embedding of it (the index has it), its unit left out.
pub fn learn_encoded(index: &Index, sample: usize) -> Fusion {
    learn_in(index, sample, Mode::Encoder)
}

fn learn_in(index: &Index, sample: usize, mode: Mode) -> Fusion {
    let phrasings: Vec<u32> = (0..index.units.len() as u32).filter(|u| index.units[*u as usize].field == Field::Phrasing).collect();
    let semantic = mode != Mode::Words;
    let fallback = match mode {
        Mode::Words => Fusion::default(),
        Mode::Table => Fusion::WITH_MEANING,
        Mode::Encoder => Fusion::WITH_ENCODER,
    };
    let encoded = index.encoded.as_ref().filter(|_| mode == Mode::Encoder);
    if phrasings.len() < MIN_SAMPLE || index.articles.len() < 2 || (mode == Mode::Encoder && encoded.is_none()) {
        return fallback;
    }
    let vector = |u: u32| encoded.map(|e| e.space.unit(u));
    let step = (phrasings.len() as f32 / sample as f32).max(1.0);
    let chosen: Vec<u32> = (0..sample.min(phrasings.len())).map(|i| phrasings[((i as f32 * step) as usize).min(phrasings.len() - 1)]).collect();
    // (article expected, candidates with the phrasing left out)
    let cases: Vec<(u32, Vec<Candidate>)> = chosen.iter().map(|&u| (index.units[u as usize].article, index.candidates(&index.unit_texts[u as usize], false, Leave::Unit(u), vector(u)))).collect();

    // Weights: a small grid, lexical fixed at 1; the first best (smallest weights) wins ties.
    let chars_grid = [0.0, 0.25, 0.5, 1.0, 1.5];
    let meaning_grid: &[f32] = if semantic { &[0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 9.0] } else { &[0.0] };
    let mut best: (Fusion, Option<usize>) = (Fusion::default(), None); // replaced by the first grid point
    for &c in &chars_grid {
        for &m in meaning_grid {
            for &n in meaning_grid {
                let fusion = Fusion { weights: [1.0, c, m, n], meaning_share: 0.0 };
                let right = cases.iter().filter(|(a, cands)| top_of(&fusion, cands).is_some_and(|i| cands[i].article == *a)).count();
                if best.1.is_none_or(|b| right > b) {
                    best = (fusion, Some(right));
                }
            }
        }
    }
    let mut fusion = best.0;
    if semantic {
        fusion.meaning_share = learn_meaning_share(index, &fusion, &chosen, &cases, mode);
    }
    fusion
}

/// The meaning share that best separates right top articles (their phrasing left out) from
/// tops that cannot be right (the whole article left out: an out-of-scope question close to the
/// KB's subject), by the area under the ROC curve.
fn learn_meaning_share(index: &Index, fusion: &Fusion, chosen: &[u32], cases: &[(u32, Vec<Candidate>)], mode: Mode) -> f32 {
    let encoded = index.encoded.as_ref().filter(|_| mode == Mode::Encoder);
    let mut samples: Vec<(Candidate, bool)> = Vec::new();
    for (&u, (a, cands)) in chosen.iter().zip(cases) {
        if let Some(i) = top_of(fusion, cands) {
            samples.push((cands[i].clone(), cands[i].article == *a));
        }
        let without = index.candidates(&index.unit_texts[u as usize], false, Leave::Article(*a), encoded.map(|e| e.space.unit(u)));
        if let Some(i) = top_of(fusion, &without) {
            samples.push((without[i].clone(), false));
        }
    }
    let mut best = (0.0, f32::MIN);
    for share in [0.0, 0.25, 0.5, 0.75] {
        let f = Fusion { meaning_share: share, ..fusion.clone() };
        let auc = auc(samples.iter().map(|(c, right)| (f.confidence(c, 0.0, mode), *right)));
        if auc > best.1 + 1e-3 {
            best = (share, auc);
        }
    }
    best.0
}

/// Area under the ROC curve of (score, positive) pairs.
fn auc(pairs: impl Iterator<Item = (f32, bool)>) -> f32 {
    let mut v: Vec<(f32, bool)> = pairs.collect();
    crate::sort::by(&mut v, |a, b| a.0.total_cmp(&b.0));
    let (mut below, mut sum, mut pos, mut neg) = (0f64, 0f64, 0f64, 0f64);
    for (_, positive) in &v {
        if *positive {
            sum += below;
            pos += 1.0;
        } else {
            below += 1.0;
            neg += 1.0;
        }
    }
    if pos == 0.0 || neg == 0.0 {
        0.5
    } else {
        (sum / (pos * neg)) as f32
    }
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
                    let c = index.candidates(&index.unit_texts[u as usize], false, Leave::Unit(u), None);
                    top_of(f, &c).is_some_and(|i| c[i].article == index.units[u as usize].article)
                })
                .count()
        };
        assert!(right(&index.fusion) >= right(&Fusion::default()), "{:?}", index.fusion);
        assert!(index.fusion.weights[2] == 0.0 && index.fusion.weights[3] == 0.0, "no meaning table, no meaning weight");
    }
}
