//! Character trigrams of words, with word boundaries marked (`#card#` → `#ca car ard rd#`):
//! a second view of every unit that matches misspellings ("recieve"), morphology the stemmer
//! misses ("subscription" / "subscribed") and words still being typed, scored as the cosine of
//! TF-IDF trigram vectors.

use crate::answers::text;
use std::collections::HashMap;

/// One trigram, three characters packed into 63 bits.
type Gram = u64;

fn grams_of(text_in: &str, out: &mut Vec<Gram>) {
    for word in text::words(text_in).iter().filter(|w| !text::is_stop_word(w)) {
        let chars: Vec<u32> = std::iter::once('#').chain(word.chars()).chain(std::iter::once('#')).map(|c| c as u32).collect();
        for w in chars.windows(3) {
            out.push(((w[0] as u64) << 42) | ((w[1] as u64) << 21) | w[2] as u64);
        }
    }
}

/// Trigram postings over units, each unit's vector L2-normalised.
#[derive(Default)]
pub struct CharIndex {
    /// trigram → (unit, normalised weight).
    postings: HashMap<Gram, Vec<(u32, f32)>>,
    units: u32,
}

fn counts(grams: &[Gram]) -> HashMap<Gram, f32> {
    let mut c: HashMap<Gram, f32> = HashMap::new();
    for g in grams {
        *c.entry(*g).or_default() += 1.0;
    }
    c
}

impl CharIndex {
    /// Builds the index over unit texts (in unit order).
    pub fn build<'a>(texts: impl Iterator<Item = &'a str>) -> CharIndex {
        let mut per_unit: Vec<HashMap<Gram, f32>> = Vec::new();
        let mut df: HashMap<Gram, u32> = HashMap::new();
        let mut grams = Vec::new();
        for t in texts {
            grams.clear();
            grams_of(t, &mut grams);
            let c = counts(&grams);
            for g in c.keys() {
                *df.entry(*g).or_default() += 1;
            }
            per_unit.push(c);
        }
        let n = per_unit.len() as f32;
        let idf = |df: u32| (1.0 + n / df as f32).ln();
        let mut postings: HashMap<Gram, Vec<(u32, f32)>> = HashMap::new();
        for (u, c) in per_unit.iter().enumerate() {
            let weights: Vec<(Gram, f32)> = c.iter().map(|(g, tf)| (*g, (1.0 + tf.ln()) * idf(df[g]))).collect();
            let norm = weights.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(1e-6);
            for (g, w) in weights {
                postings.entry(g).or_default().push((u as u32, w / norm));
            }
        }
        CharIndex { postings, units: per_unit.len() as u32 }
    }

    /// Cosine similarity of `query` with every unit it shares a trigram with.
    pub fn similarities(&self, query: &str) -> HashMap<u32, f32> {
        let mut grams = Vec::new();
        grams_of(query, &mut grams);
        let n = self.units.max(1) as f32;
        let weights: Vec<(Gram, f32)> = counts(&grams)
            .into_iter()
            .map(|(g, tf)| {
                let df = self.postings.get(&g).map_or(0, |p| p.len()) as f32;
                // Trigrams the KB lacks still count in the norm: a query of unknown words is far.
                (g, (1.0 + tf.ln()) * (1.0 + n / df.max(0.5)).ln())
            })
            .collect();
        let norm = weights.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(1e-6);
        let mut sims: HashMap<u32, f32> = HashMap::new();
        for (g, w) in weights {
            if let Some(list) = self.postings.get(&g) {
                for &(u, uw) in list {
                    *sims.entry(u).or_default() += w / norm * uw;
                }
            }
        }
        sims
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspellings_and_morphology_stay_close() {
        let index = CharIndex::build(["I did not receive my card", "cancel my subscription", "weather in paris"].into_iter());
        let s = index.similarities("never recieved the card");
        assert!(s[&0] > 0.2 && s[&0] > 4.0 * s.get(&2).copied().unwrap_or(0.0), "{s:?}");
        let s = index.similarities("subscribed");
        assert!(s[&1] > s.get(&0).copied().unwrap_or(0.0));
        assert!(index.similarities("zzzz qqqq").is_empty());
    }
}
