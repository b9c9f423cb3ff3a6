//! Character trigrams of words, with word boundaries marked (`#card#` → `#ca car ard rd#`):
//! a second view of every unit that matches misspellings ("recieve"), morphology the stemmer
//! misses ("subscription" / "subscribed") and words still being typed, scored as the cosine of
//! TF-IDF trigram vectors.
//!
//! Plain vectors and one map where a map per step would do: every distinct map or sort type is
//! its own copy of code in the wasm.

use crate::answers::text;
use std::collections::HashMap;

/// One trigram, three characters packed into 63 bits.
type Gram = u64;

/// A text's trigrams, each with its count.
fn grams_of(text_in: &str) -> Vec<(Gram, f32)> {
    let mut grams: Vec<Gram> = Vec::new();
    for word in text::words(text_in).iter().filter(|w| !text::is_stop_word(w)) {
        let chars: Vec<u32> = std::iter::once('#').chain(word.chars()).chain(std::iter::once('#')).map(|c| c as u32).collect();
        for w in chars.windows(3) {
            grams.push(((w[0] as u64) << 42) | ((w[1] as u64) << 21) | w[2] as u64);
        }
    }
    crate::sort::ascending(&mut grams);
    let mut out: Vec<(Gram, f32)> = Vec::new();
    for g in grams {
        match out.last_mut() {
            Some((last, n)) if *last == g => *n += 1.0,
            _ => out.push((g, 1.0)),
        }
    }
    out
}

/// Trigram postings over units, each unit's vector L2-normalised.
#[derive(Default)]
pub struct CharIndex {
    /// trigram → (unit, normalised weight).
    postings: HashMap<Gram, Vec<(u32, f32)>>,
    units: u32,
}

fn idf(units: f32, df: f32) -> f32 {
    (1.0 + units / df.max(0.5)).ln()
}

impl CharIndex {
    /// Builds the index over unit texts (in unit order).
    pub fn build<'a>(texts: impl Iterator<Item = &'a str>) -> CharIndex {
        // Raw term frequencies first; document frequencies are then the postings' lengths.
        let mut postings: HashMap<Gram, Vec<(u32, f32)>> = HashMap::new();
        let mut units = 0u32;
        for (u, t) in texts.enumerate() {
            for (g, tf) in grams_of(t) {
                postings.entry(g).or_default().push((u as u32, 1.0 + tf.ln()));
            }
            units = u as u32 + 1;
        }
        let n = units as f32;
        let mut norms = vec![0f32; units as usize];
        for list in postings.values_mut() {
            let w = idf(n, list.len() as f32);
            for (u, x) in list.iter_mut() {
                *x *= w;
                norms[*u as usize] += *x * *x;
            }
        }
        for list in postings.values_mut() {
            for (u, x) in list.iter_mut() {
                *x /= norms[*u as usize].sqrt().max(1e-6);
            }
        }
        CharIndex { postings, units }
    }

    /// Cosine similarity of `query` with every unit it shares a trigram with: (unit, similarity).
    pub fn similarities(&self, query: &str) -> Vec<(u32, f32)> {
        let n = self.units.max(1) as f32;
        // Trigrams the KB lacks still count in the norm: a query of unknown words is far.
        let weights: Vec<(Gram, f32)> = grams_of(query).into_iter().map(|(g, tf)| (g, (1.0 + tf.ln()) * idf(n, self.postings.get(&g).map_or(0, Vec::len) as f32))).collect();
        let norm = weights.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(1e-6);
        let mut sims = vec![0f32; self.units as usize];
        let mut touched = Vec::new();
        for (g, w) in weights {
            for &(u, uw) in self.postings.get(&g).map_or(&[][..], Vec::as_slice) {
                if sims[u as usize] == 0.0 {
                    touched.push(u);
                }
                sims[u as usize] += w / norm * uw;
            }
        }
        touched.into_iter().map(|u| (u, sims[u as usize])).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspellings_and_morphology_stay_close() {
        let index = CharIndex::build(["I did not receive my card", "cancel my subscription", "weather in paris"].into_iter());
        let s: HashMap<u32, f32> = index.similarities("never recieved the card").into_iter().collect();
        assert!(s[&0] > 0.2 && s[&0] > 4.0 * s.get(&2).copied().unwrap_or(0.0), "{s:?}");
        let s: HashMap<u32, f32> = index.similarities("subscribed").into_iter().collect();
        assert!(s[&1] > s.get(&0).copied().unwrap_or(0.0));
        assert!(index.similarities("zzzz qqqq").is_empty());
    }
}
