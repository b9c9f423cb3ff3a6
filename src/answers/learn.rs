//! Learning from the KB itself how to weigh the signals and how sure to be: leave-one-out over
//! its own sample questions. Each sampled phrasing is searched for with that phrasing left out
//! of the index (its article should still come first), and again with its whole article left
//! out (now nothing is right: the top article stands for an out-of-scope question close to the
//! KB's subject). The weights that put the most articles first win; a logistic model over the
//! top article's signals, fitted on both kinds, says how sure to be. Evaluation queries are never
//! seen. A KB with too few phrasings keeps the built-in settings.

use crate::answers::index::{Field, Index};
use crate::answers::rank::{Candidate, Leave};
use serde::{Deserialize, Serialize};

/// Phrasings sampled when the widget builds an index itself (bounded time).
pub const BUILD_SAMPLE: usize = 200;
/// Phrasings sampled at publish time (`baton-kb index`).
pub const PUBLISH_SAMPLE: usize = 3_000;
/// Fewer sampled phrasings than this: keep the built-in settings.
const MIN_SAMPLE: usize = 20;

/// Signals per candidate article, in this order: lexical (BM25, relative to the best), character
/// trigrams (nearest unit), meaning centroid, meaning nearest unit.
pub const SIGNALS: usize = 4;
/// Inputs of the confidence model: lexical coverage, the four signals of the top article, the
/// margin over the second, and a constant.
pub const CONFIDENCE_INPUTS: usize = 7;

/// How signals are combined and how confidence is computed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fusion {
    /// Weight of each signal.
    pub weights: [f32; SIGNALS],
    /// Logistic model over [`CONFIDENCE_INPUTS`]; `None`: the built-in rule (coverage × margin).
    pub confidence: Option<[f32; CONFIDENCE_INPUTS]>,
}

impl Default for Fusion {
    fn default() -> Self {
        Fusion { weights: [1.0, 0.25, 0.0, 0.0], confidence: None }
    }
}

/// The confidence model's inputs for the top of a ranked list.
pub fn confidence_inputs(top: &Candidate, margin: f32) -> [f32; CONFIDENCE_INPUTS] {
    [top.coverage, top.signals[0], top.signals[1], top.signals[2], top.signals[3], margin, 1.0]
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl Fusion {
    /// Combined score of one candidate.
    pub fn score(&self, c: &Candidate) -> f32 {
        self.weights.iter().zip(&c.signals).map(|(w, s)| w * s).sum()
    }

    /// 0..1 confidence that the top candidate is the answer.
    pub fn confidence(&self, top: &Candidate, margin: f32) -> f32 {
        match &self.confidence {
            Some(model) => sigmoid(model.iter().zip(confidence_inputs(top, margin)).map(|(w, x)| w * x).sum()),
            None => (top.coverage * (0.85 + 0.3 * margin.min(0.5))).clamp(0.0, 1.0),
        }
    }
}

/// Ranks candidates with `fusion`: (position of the best, its margin over the second).
fn top_of(fusion: &Fusion, candidates: &[Candidate]) -> Option<(usize, f32)> {
    let mut best: Option<(usize, f32)> = None;
    let mut second = 0f32;
    for (i, c) in candidates.iter().enumerate() {
        let s = fusion.score(c);
        match best {
            Some((_, b)) if s <= b => second = second.max(s),
            _ => {
                if let Some((_, b)) = best {
                    second = second.max(b);
                }
                best = Some((i, s));
            }
        }
    }
    best.map(|(i, b)| (i, if b > 1e-6 { ((b - second) / b).max(0.0) } else { 0.0 }))
}

/// Learns the fusion for `index` from up to `sample` of its phrasings.
pub fn learn(index: &Index, sample: usize) -> Fusion {
    let phrasings: Vec<u32> = (0..index.units.len() as u32).filter(|u| index.units[*u as usize].field == Field::Phrasing).collect();
    if phrasings.len() < MIN_SAMPLE || index.articles.len() < 2 {
        return Fusion::default();
    }
    let step = (phrasings.len() as f32 / sample as f32).max(1.0);
    let chosen: Vec<u32> = (0..sample.min(phrasings.len())).map(|i| phrasings[((i as f32 * step) as usize).min(phrasings.len() - 1)]).collect();
    let semantic = index.semantic.is_some();
    // (article expected, candidates with the phrasing left out, candidates with its article left out)
    let cases: Vec<(u32, Vec<Candidate>, Vec<Candidate>)> = chosen
        .iter()
        .map(|&u| {
            let text = &index.unit_texts[u as usize];
            let a = index.units[u as usize].article;
            (a, index.candidates(text, false, Leave::Unit(u)), index.candidates(text, false, Leave::Article(a)))
        })
        .collect();

    // Weights: a small grid, lexical fixed at 1; the first best (smallest weights) wins ties.
    let chars_grid = [0.0, 0.25, 0.5, 1.0, 1.5];
    let meaning_grid: &[f32] = if semantic { &[0.0, 0.5, 1.0, 1.5, 2.0, 3.0] } else { &[0.0] };
    let mut best: (Fusion, Option<usize>) = (Fusion::default(), None);
    for &c in &chars_grid {
        for &m in meaning_grid {
            for &n in meaning_grid {
                let fusion = Fusion { weights: [1.0, c, m, n], confidence: None };
                let right = cases.iter().filter(|(a, cands, _)| top_of(&fusion, cands).is_some_and(|(i, _)| cands[i].article == *a)).count();
                if best.1.is_none_or(|b| right > b) {
                    best = (fusion, Some(right));
                }
            }
        }
    }
    let mut fusion = best.0;

    // Confidence: logistic regression, top right (1) or not (0).
    let mut xs: Vec<([f32; CONFIDENCE_INPUTS], f32)> = Vec::new();
    for (a, left_unit, left_article) in &cases {
        if let Some((i, margin)) = top_of(&fusion, left_unit) {
            xs.push((confidence_inputs(&left_unit[i], margin), f32::from(left_unit[i].article == *a)));
        }
        if let Some((i, margin)) = top_of(&fusion, left_article) {
            xs.push((confidence_inputs(&left_article[i], margin), 0.0));
        }
    }
    let positives = xs.iter().filter(|(_, y)| *y > 0.5).count();
    if positives < 5 || positives + 5 > xs.len() {
        return fusion;
    }
    let mut w = [0f32; CONFIDENCE_INPUTS];
    let n = xs.len() as f32;
    for _ in 0..800 {
        let mut grad = [0f32; CONFIDENCE_INPUTS];
        for (x, y) in &xs {
            let p = sigmoid(w.iter().zip(x).map(|(w, x)| w * x).sum());
            grad.iter_mut().zip(x).for_each(|(g, x)| *g += (p - y) * x);
        }
        for (k, (wk, g)) in w.iter_mut().zip(grad).enumerate() {
            let l2 = if k + 1 == CONFIDENCE_INPUTS { 0.0 } else { 1e-3 * *wk };
            *wk -= 2.0 * (g / n + l2);
        }
    }
    fusion.confidence = Some(w);
    fusion
}
