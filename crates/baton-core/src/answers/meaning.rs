//! Word meaning: a small table of word vectors made for one KB at publish time (`baton-kb
//! index`, from the sentence encoder all-MiniLM-L6-v2), so that "I want my money back" finds
//! the article that says "refund".
//!
//! The table holds the KB's own words (vectors reduced to a few dozen dimensions, int8) and, for
//! frequent English words the KB never uses, the KB words nearest in meaning. A text's vector
//! is the frequency-weighted sum of its words' vectors (rare words weigh more, stop words
//! little); articles are compared with the query by the centroid of their units and by their
//! nearest unit.

use crate::answers::fusion::{fusion_of, Fusion};
use crate::answers::text;
use crate::answers::unit::Unit;
use crate::answers::vector::{base64_decode, dot, normalise};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// Format name in the file, checked on load.
pub const FORMAT: &str = "baton-meaning";
/// Format version written and accepted.
pub const VERSION: u32 = 1;
/// How much a stop word counts against a content word.
const STOP_WORD_WEIGHT: f32 = 0.2;
/// Weights are stored as bytes of this unit.
pub const WEIGHT_UNIT: f32 = 20.0;

/// The file's JSON shape (written by `baton-kb index`; read through `serde_json::Value`, whose
/// parser the widget has anyway, rather than a derived one that would add its own code).
#[derive(Serialize)]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fusion: Option<Fusion>,
    /// The encoder's own vectors of the KB's units, for queries the encoder embeds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoder: Option<EncoderFile>,
}

/// The `encoder` section of a meaning file (written by `baton-kb index`).
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EncoderFile {
    /// The encoder whose embeddings these are (a query must be embedded by the same one).
    pub model: String,
    /// Dimensions of the encoder's embeddings.
    pub input_dims: usize,
    /// Dimensions kept.
    pub dims: usize,
    /// The embeddings' mean, subtracted before projecting (`input_dims` values).
    pub center: Vec<f32>,
    /// `dims × input_dims` int8 values, base64: each row is a direction, scaled by `scales`.
    pub projection: String,
    /// Per row of `projection`, what 127 stands for.
    pub scales: Vec<f32>,
    /// The index's units the vectors are for, in the index's order (a KB edited since the table
    /// was made has other units: the section is then not used).
    pub unit_count: usize,
    /// `unit_count × dims` int8 values, base64: each unit's reduced embedding.
    pub units: String,
    /// Signal weights and confidence learned with the encoder's query vectors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fusion: Option<Fusion>,
}

/// A loaded word-vector table.
pub struct Meaning {
    dims: usize,
    /// Every word the table knows (one map: each map type is its own code in the wasm).
    words: HashMap<String, Known>,
    /// Unit-length vectors, row-major.
    vectors: Vec<f32>,
    weights: Vec<f32>,
    /// The table's `encoder` section as it is in the file, if any (`Index::attach_encoder`).
    pub encoder: Option<Value>,
}

/// How the table knows a word.
enum Known {
    /// A KB word: its row.
    Row(u32),
    /// A frequent word the KB lacks: its weight and nearest KB words (row, similarity).
    Near(f32, Vec<(u32, f32)>),
}








impl Meaning {
    /// Reads a meaning file; a malformed one is refused with what is wrong.
    pub fn from_json(json: &str) -> Result<(Meaning, Option<Fusion>), String> {
        let mut v: Value = crate::platform::parse_json(json).map_err(|e| format!("not JSON: {e}"))?;
        let format = v["format"].as_str().unwrap_or_default();
        if format != FORMAT {
            return Err(format!("format is \"{format}\", expected \"{FORMAT}\""));
        }
        let version = v["version"].as_u64().unwrap_or(0);
        if version != VERSION as u64 {
            return Err(format!("version {version} is not supported (this widget reads {VERSION})"));
        }
        let dims = v["dims"].as_u64().unwrap_or(0) as usize;
        if dims == 0 || dims > 1024 {
            return Err(format!("dims {dims} is out of range"));
        }
        let strings = |key: &str| v[key].as_array().map(|a| a.iter().map(|w| w.as_str().unwrap_or_default().to_string()).collect::<Vec<_>>()).ok_or_else(|| format!("{key} must be an array"));
        let numbers = |x: &Value| x.as_array().map(|a| a.iter().map(|n| n.as_u64().unwrap_or(0)).collect::<Vec<u64>>()).unwrap_or_default();
        let words = strings("words")?;
        let weights: Vec<u8> = numbers(&v["weights"]).into_iter().map(|n| n.min(255) as u8).collect();
        let bytes = base64_decode(v["vectors"].as_str().ok_or("vectors must be a base64 string")?)?;
        if bytes.len() != words.len() * dims || weights.len() != words.len() {
            return Err(format!("{} words but {} vector values and {} weights", words.len(), bytes.len(), weights.len()));
        }
        let fusion = fusion_of(&v["fusion"]);
        // Read only where the encoder is used (`Index::attach_encoder`).
        let encoder = v.get_mut("encoder").map(Value::take).filter(|s| !s.is_null());
        let mut vectors: Vec<f32> = bytes.iter().map(|b| *b as i8 as f32).collect();
        for row in vectors.chunks_mut(dims) {
            normalise(row);
        }
        let file_expand: Vec<(String, Vec<u32>)> = v["expand"].as_object().map(|o| o.iter().map(|(k, x)| (k.clone(), numbers(x).into_iter().map(|n| n as u32).collect())).collect()).unwrap_or_default();
        let n = words.len() as u32;
        let mut known: HashMap<String, Known> = HashMap::new();
        for (word, v) in file_expand {
            let Some((w, pairs)) = v.split_first() else { continue };
            let pairs: Vec<(u32, f32)> = pairs.chunks_exact(2).filter(|p| p[0] < n).map(|p| (p[0], p[1] as f32 / 100.0)).collect();
            if !pairs.is_empty() {
                known.insert(word, Known::Near(*w as f32 / WEIGHT_UNIT, pairs));
            }
        }
        for (i, w) in words.into_iter().enumerate() {
            known.insert(w, Known::Row(i as u32));
        }
        let weights = weights.iter().map(|w| *w as f32 / WEIGHT_UNIT).collect();
        Ok((Meaning { dims, words: known, vectors, weights, encoder }, fusion))
    }

    fn row(&self, r: u32) -> &[f32] {
        &self.vectors[r as usize * self.dims..(r as usize + 1) * self.dims]
    }

    /// Number of dimensions.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// The unit-length vector of a text and the share of its content words the table knows,
    /// or `None` when it knows none (stop words alone say nothing: "my" is not a question).
    pub fn embed(&self, text_in: &str) -> Option<(Vec<f32>, f32)> {
        let mut v = vec![0f32; self.dims];
        let (mut content, mut known) = (0usize, 0usize);
        let words = text::words(text_in);
        let all_stop = words.iter().all(|w| text::is_stop_word(w));
        for word in &words {
            let stop = text::is_stop_word(word);
            if !stop || all_stop {
                content += 1;
            }
            let scale = if stop { STOP_WORD_WEIGHT } else { 1.0 };
            let mut add = |r: u32, w: f32| v.iter_mut().zip(self.row(r)).for_each(|(x, y)| *x += scale * w * y);
            match self.words.get(word) {
                Some(Known::Row(r)) => add(*r, self.weights[*r as usize]),
                Some(Known::Near(w, pairs)) => pairs.iter().for_each(|&(r, sim)| add(r, w * sim)),
                None => continue,
            }
            if !stop || all_stop {
                known += 1;
            }
        }
        (known > 0 && normalise(&mut v)).then(|| (v, known as f32 / content.max(1) as f32))
    }
}

/// Vectors of an index's units and of its articles (the sum of their units').
pub struct Space {
    dims: usize,
    /// Unit vectors, row-major (zeros where a unit has no known word).
    units: Vec<f32>,
    /// Per article, the sum of its unit vectors (normalise for the centroid).
    sums: Vec<f32>,
}

impl Space {
    /// The space of `unit_vecs` (`dims` values per unit of `units`).
    pub fn from_vectors(dims: usize, unit_vecs: Vec<f32>, units: &[Unit], articles: usize) -> Space {
        let mut sums = vec![0f32; articles * dims];
        for (v, u) in unit_vecs.chunks(dims).zip(units) {
            let a = u.article as usize;
            sums[a * dims..(a + 1) * dims].iter_mut().zip(v).for_each(|(s, x)| *s += x);
        }
        Space { dims, units: unit_vecs, sums }
    }

    /// A unit's vector.
    pub fn unit(&self, u: u32) -> &[f32] {
        &self.units[u as usize * self.dims..(u as usize + 1) * self.dims]
    }

    /// Cosine of `q` with article `a`'s centroid, leaving out unit `without` if given.
    pub fn centroid_similarity(&self, q: &[f32], a: usize, without: Option<u32>) -> f32 {
        let d = self.dims;
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

/// Meaning applied to one index: the table (for queries) and its view of every unit.
pub struct Semantic {
    /// The table (for queries).
    pub meaning: Meaning,
    /// Each unit's vector from its words, each article's sum.
    pub space: Space,
}

impl Semantic {
    /// Embeds every unit.
    pub fn build(meaning: Meaning, texts: &[String], units: &[Unit], articles: usize) -> Semantic {
        let d = meaning.dims;
        let mut unit_vecs = vec![0f32; texts.len() * d];
        for (i, t) in texts.iter().enumerate() {
            if let Some((v, _)) = meaning.embed(t) {
                unit_vecs[i * d..(i + 1) * d].copy_from_slice(&v);
            }
        }
        Semantic { space: Space::from_vectors(d, unit_vecs, units, articles), meaning }
    }
}
