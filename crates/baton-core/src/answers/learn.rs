//! Learning from the KB itself how to weigh the signals: leave-one-out over its own sample
//! questions. Each sampled phrasing is searched for with that phrasing left out of the index
//! (its article should still come first); the weights that put the most articles first win.
//! With a meaning table, the share of meaning in confidence is the one that best tells those
//! right tops from the tops found when the phrasing's whole article is left out. Evaluation
//! queries are never seen. A KB with too few phrasings keeps the built-in settings.

use crate::answers::encoded::Encoded;
use crate::answers::fusion::{Candidate, Fusion, Mode};
use crate::answers::index::Index;
use crate::answers::kb::Article;
use crate::answers::meaning::{Meaning, Semantic};
use crate::answers::rank::Leave;
use crate::answers::unit::Field;
use serde_json::Value;

/// Phrasings sampled when the widget builds an index itself (bounded time).
pub const BUILD_SAMPLE: usize = 200;
/// Phrasings sampled at publish time (`baton-kb index`).
pub const PUBLISH_SAMPLE: usize = 3_000;
/// Fewer sampled phrasings than this: keep the built-in settings.
const MIN_SAMPLE: usize = 20;

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

/// Every way of making an index weighs its signals from the KB it holds: building it, and
/// attaching a meaning table or the encoder's view (each is a new signal to weigh).
impl Index {
    /// Builds the index, and learns from the KB's phrasings how to weigh its signals.
    pub fn build(articles: Vec<Article>) -> Index {
        let mut index = Index::build_lexical(articles);
        index.fusion = learn(&index, BUILD_SAMPLE);
        index
    }

    /// Adds word meaning from a table built for this KB (`baton-kb index`), then weighs the
    /// signals again with it — or takes `fusion` as it is when the table carries weights learned
    /// at publish time.
    /// (The table's `encoder` section is for [`Index::attach_encoder`]: take it out first.)
    pub fn attach_meaning(&mut self, meaning: Meaning, fusion: Option<Fusion>) {
        self.semantic = Some(Semantic::build(meaning, &self.unit_texts, &self.units, self.articles.len()));
        self.fusion = fusion.unwrap_or_else(|| learn(self, BUILD_SAMPLE));
    }

    /// Adds the encoder's view of the units from a meaning table's `encoder` section (after
    /// [`Index::attach_meaning`]), for [`Index::search_with`]. A section that is malformed, or
    /// made for another version of the KB, is refused with the reason; search is unchanged then.
    pub fn attach_encoder(&mut self, section: &Value) -> Result<(), String> {
        let (encoded, fusion) = Encoded::from_value(section, &self.units, self.articles.len())?;
        self.encoded = Some(encoded);
        let fusion = fusion.unwrap_or_else(|| learn_encoded(self, BUILD_SAMPLE));
        if let Some(e) = self.encoded.as_mut() {
            e.fusion = fusion;
        }
        Ok(())
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
