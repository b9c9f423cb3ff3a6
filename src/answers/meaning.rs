//! Word meaning: a small table of word vectors made for one KB at publish time (`baton-kb
//! index`, from the sentence encoder all-MiniLM-L6-v2), so that "I want my money back" finds
//! the article that says "refund".
//!
//! The table holds the KB's own words (vectors reduced to a few dozen dimensions, int8) and, for
//! frequent English words the KB never uses, the KB words nearest in meaning. A text's vector
//! is the frequency-weighted sum of its words' vectors (rare words weigh more, stop words
//! little); articles are compared with the query by the centroid of their units and by their
//! nearest unit.

use crate::answers::index::Unit;
use crate::answers::learn::Fusion;
use crate::answers::text;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Format name in the file, checked on load.
pub const FORMAT: &str = "baton-meaning";
/// Format version written and accepted.
pub const VERSION: u32 = 1;
/// How much a stop word counts against a content word.
const STOP_WORD_WEIGHT: f32 = 0.2;
/// Weights are stored as bytes of this unit.
pub const WEIGHT_UNIT: f32 = 20.0;

/// The file's JSON shape.
#[derive(Serialize, Deserialize)]
pub struct MeaningFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`VERSION`].
    pub version: u32,
    /// Where the vectors come from, and their licence.
    pub source: String,
    /// Dimensions of each vector.
    pub dims: usize,
    /// The KB's words, one vector each.
    pub words: Vec<String>,
    /// Each word's weight (its IDF in the KB) × 20.
    pub weights: Vec<u8>,
    /// `words.len() × dims` int8 values, base64.
    pub vectors: String,
    /// Frequent words the KB lacks → `[weight×20, row, similarity×100, row, similarity×100, …]`.
    pub expand: HashMap<String, Vec<u32>>,
    /// Signal weights and confidence model learned at publish time, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fusion: Option<Fusion>,
}

/// A loaded word-vector table.
pub struct Meaning {
    dims: usize,
    rows: HashMap<String, u32>,
    /// Unit-length vectors, row-major.
    vectors: Vec<f32>,
    weights: Vec<f32>,
    expand: HashMap<String, (f32, Vec<(u32, f32)>)>,
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (with or without padding).
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = B64.iter().position(|b| *b == c).ok_or_else(|| format!("vectors: '{}' is not base64", c as char))? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// Scales `v` to unit length; false when it is (near) zero.
pub fn normalise(v: &mut [f32]) -> bool {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n <= 1e-9 {
        return false;
    }
    v.iter_mut().for_each(|x| *x /= n);
    true
}

/// Dot product.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl Meaning {
    /// Reads a meaning file; a malformed one is refused with what is wrong.
    pub fn from_json(json: &str) -> Result<(Meaning, Option<Fusion>), String> {
        let file: MeaningFile = serde_json::from_str(json).map_err(|e| format!("not a meaning file: {e}"))?;
        if file.format != FORMAT {
            return Err(format!("format is \"{}\", expected \"{FORMAT}\"", file.format));
        }
        if file.version != VERSION {
            return Err(format!("version {} is not supported (this widget reads {VERSION})", file.version));
        }
        let dims = file.dims;
        if dims == 0 || dims > 1024 {
            return Err(format!("dims {dims} is out of range"));
        }
        let bytes = base64_decode(&file.vectors)?;
        if bytes.len() != file.words.len() * dims || file.weights.len() != file.words.len() {
            return Err(format!("{} words but {} vector values and {} weights", file.words.len(), bytes.len(), file.weights.len()));
        }
        let mut vectors: Vec<f32> = bytes.iter().map(|b| *b as i8 as f32).collect();
        for row in vectors.chunks_mut(dims) {
            normalise(row);
        }
        let n = file.words.len() as u32;
        let expand = file
            .expand
            .into_iter()
            .filter_map(|(word, v)| {
                let (w, pairs) = v.split_first()?;
                let pairs: Vec<(u32, f32)> = pairs.chunks_exact(2).filter(|p| p[0] < n).map(|p| (p[0], p[1] as f32 / 100.0)).collect();
                (!pairs.is_empty()).then(|| (word, (*w as f32 / WEIGHT_UNIT, pairs)))
            })
            .collect();
        let rows = file.words.into_iter().enumerate().map(|(i, w)| (w, i as u32)).collect();
        let weights = file.weights.iter().map(|w| *w as f32 / WEIGHT_UNIT).collect();
        Ok((Meaning { dims, rows, vectors, weights, expand }, file.fusion))
    }

    fn row(&self, r: u32) -> &[f32] {
        &self.vectors[r as usize * self.dims..(r as usize + 1) * self.dims]
    }

    /// Number of dimensions.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// The unit-length vector of a text, or `None` when none of its words is known.
    pub fn embed(&self, text_in: &str) -> Option<Vec<f32>> {
        let mut v = vec![0f32; self.dims];
        for word in text::words(text_in) {
            let stop = if text::is_stop_word(&word) { STOP_WORD_WEIGHT } else { 1.0 };
            if let Some(&r) = self.rows.get(&word) {
                let w = stop * self.weights[r as usize];
                v.iter_mut().zip(self.row(r)).for_each(|(x, y)| *x += w * y);
            } else if let Some((w, pairs)) = self.expand.get(&word) {
                for &(r, sim) in pairs {
                    let w = stop * w * sim;
                    v.iter_mut().zip(self.row(r)).for_each(|(x, y)| *x += w * y);
                }
            }
        }
        normalise(&mut v).then_some(v)
    }
}

/// Meaning applied to one index: each unit's vector and each article's centroid.
pub struct Semantic {
    /// The table (for queries).
    pub meaning: Meaning,
    /// Unit vectors, row-major (zeros where a unit has no known word).
    pub units: Vec<f32>,
    /// Per article, the sum of its unit vectors (normalise for the centroid).
    pub sums: Vec<f32>,
}

impl Semantic {
    /// Embeds every unit.
    pub fn build(meaning: Meaning, texts: &[String], units: &[Unit], articles: usize) -> Semantic {
        let d = meaning.dims;
        let mut unit_vecs = vec![0f32; texts.len() * d];
        let mut sums = vec![0f32; articles * d];
        for (i, (t, u)) in texts.iter().zip(units).enumerate() {
            if let Some(v) = meaning.embed(t) {
                unit_vecs[i * d..(i + 1) * d].copy_from_slice(&v);
                let a = u.article as usize;
                sums[a * d..(a + 1) * d].iter_mut().zip(&v).for_each(|(s, x)| *s += x);
            }
        }
        Semantic { meaning, units: unit_vecs, sums }
    }

    /// A unit's vector.
    pub fn unit(&self, u: u32) -> &[f32] {
        let d = self.meaning.dims;
        &self.units[u as usize * d..(u as usize + 1) * d]
    }

    /// Cosine of `q` with article `a`'s centroid, leaving out unit `without` if given.
    pub fn centroid_similarity(&self, q: &[f32], a: usize, without: Option<u32>) -> f32 {
        let d = self.meaning.dims;
        let sum = &self.sums[a * d..(a + 1) * d];
        match without {
            None => {
                let n = dot(sum, sum).sqrt();
                if n <= 1e-9 { 0.0 } else { dot(q, sum) / n }
            }
            Some(u) => {
                let uv = self.unit(u);
                let v: Vec<f32> = sum.iter().zip(uv).map(|(s, x)| s - x).collect();
                let n = dot(&v, &v).sqrt();
                if n <= 1e-6 { 0.0 } else { dot(q, &v) / n }
            }
        }
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for bytes in [&b""[..], b"a", b"ab", b"abc", b"\xff\x00\x80\x7f"] {
            assert_eq!(base64_decode(&base64_encode(bytes)).unwrap(), bytes);
        }
        assert_eq!(base64_encode(b"Man"), "TWFu");
        assert!(base64_decode("a*b").is_err());
    }
}
