//! How a candidate article's signals become one score, and how sure Baton is that the top one is
//! the answer: the [`Fusion`] of the signals (learned per KB by `learn`), the [`Candidate`]s
//! ranking produces, and the one [`ANSWER_THRESHOLD`] that decides "sure" from "no answer".

use crate::answers::vector::floats;
use serde::Serialize;
use serde_json::Value;

/// Below this confidence Baton does not present an article as the answer and offers a human.
/// Confidence is calibrated to it on `shared/eval/clinc150-val` only (see `learn`), then held fixed.
pub const ANSWER_THRESHOLD: f32 = 0.38;

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

/// One candidate article and its signals, before they are weighed.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Index into `Index::articles`.
    pub article: u32,
    /// Lexical (relative to the best), character trigrams, meaning centroid, meaning nearest.
    pub signals: [f32; SIGNALS],
    /// 0..1: the share of the query's weight its words cover.
    pub coverage: f32,
    /// 0..1: the share of the query's words the meaning table knows (0 without one).
    pub known: f32,
}

/// Signal weights and confidence share as a meaning file stores them (`{"weights": [..],
/// "meaningShare": x}`), if present.
pub fn fusion_of(v: &Value) -> Option<Fusion> {
    let weights: [f32; SIGNALS] = floats(&v["weights"]).try_into().ok()?;
    Some(Fusion { weights, meaning_share: v["meaningShare"].as_f64().unwrap_or(0.0).clamp(0.0, 1.0) as f32 })
}
