//! `baton-kb eval`: answer quality on sets in the neutral format of `shared/eval` (its README):
//!
//!     baton-kb eval kb.json my-questions.jsonl
//!     baton-kb eval ../shared/eval/clinc150-val ../shared/eval/banking77
//!     baton-kb eval --tune ../shared/eval/clinc150-val
//!
//! A team's own questions are one JSON object a line, `{"query": "...", "relevant": ["id"]}`
//! (`"relevant": []` for a question the KB should decline); a folder holds `kb.json` and
//! `queries.jsonl`. `--failures` lists each query whose top article was wrong or not confident.
//!
//! With the model (the default folder, or `--model DIR`), each KB gets its meaning table as
//! `baton-kb index` would publish it (cached under `target/eval-meaning/`); `--no-meaning`
//! measures the widget with a plain kb.json.
//!
//! Prints, per set, P@1 and MRR@10 over in-scope queries, answered-correctly (top article right
//! and confident enough to be shown), out-of-scope recall (declined when nothing fits), index
//! build time and query latency p50/p95. `--tune` also sweeps the answer threshold on the given
//! set and prints the lowest one that declines at least 85% of out-of-scope queries — the
//! rule used to pick `ANSWER_THRESHOLD`, on clinc150-val only.

use baton_core::answers::index::Index;
use baton_core::answers::kb;
use baton_core::answers::fusion::ANSWER_THRESHOLD;
use baton_core::answers::rank::PageContext;
use std::time::Instant;

struct Outcome {
    /// Rank (0-based) of the first relevant article in the top 10, if any.
    rank: Option<usize>,
    /// Confidence of the top article (0 when nothing was found).
    confidence: f32,
    in_scope: bool,
    /// The query and the top article's id, for `--failures`.
    query: String,
    top: Option<String>,
}

fn metrics(outcomes: &[Outcome], threshold: f32) -> (f64, f64, f64, f64) {
    let in_scope: Vec<&Outcome> = outcomes.iter().filter(|o| o.in_scope).collect();
    let oos: Vec<&Outcome> = outcomes.iter().filter(|o| !o.in_scope).collect();
    let n = in_scope.len().max(1) as f64;
    let p1 = in_scope.iter().filter(|o| o.rank == Some(0)).count() as f64 / n;
    let mrr = in_scope.iter().map(|o| o.rank.map_or(0.0, |r| 1.0 / (r as f64 + 1.0))).sum::<f64>() / n;
    let answered = in_scope.iter().filter(|o| o.rank == Some(0) && o.confidence >= threshold).count() as f64 / n;
    let oos_recall = if oos.is_empty() { f64::NAN } else { oos.iter().filter(|o| o.confidence < threshold).count() as f64 / oos.len() as f64 };
    (p1, mrr, answered, oos_recall)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

pub fn run(argv: &[String]) -> Result<(), String> {
    let mut tune = false;
    let mut dirs = Vec::new();
    let mut model_dir = Some(baton_encoder::default_model());
    let mut failures = false;
    let mut args = argv.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tune" => tune = true,
            "--model" => model_dir = Some(args.next().ok_or("--model needs a folder")?.clone()),
            "--no-meaning" => model_dir = None,
            "--failures" => failures = true,
            _ => dirs.push(arg.clone()),
        }
    }
    // `KB.json QUERIES.jsonl` pairs, or folders holding both.
    let mut sets: Vec<(String, String, String)> = Vec::new();
    let mut i = 0;
    while i < dirs.len() {
        let arg = &dirs[i];
        if arg.ends_with(".json") {
            let queries = dirs.get(i + 1).filter(|q| q.ends_with(".jsonl")).ok_or_else(|| format!("{arg} needs a queries file (.jsonl) after it"))?;
            let name = arg.rsplit('/').next().unwrap_or(arg).trim_end_matches(".json").to_string();
            sets.push((name, arg.clone(), queries.clone()));
            i += 2;
        } else {
            let name = arg.trim_end_matches('/').rsplit('/').next().unwrap_or(arg).to_string();
            sets.push((name, format!("{arg}/kb.json"), format!("{arg}/queries.jsonl")));
            i += 1;
        }
    }
    if sets.is_empty() {
        return Err("usage: baton-kb eval [--model DIR | --no-meaning] [--tune] [--failures] KB.json QUERIES.jsonl | DIR...   (a DIR holds kb.json and queries.jsonl)".into());
    }
    let model = match &model_dir {
        Some(dir) => Some(baton_encoder::minilm::MiniLm::load(dir).map_err(|e| format!("{e} (run .ci/setup, or pass --no-meaning)"))?),
        None => None,
    };
    println!("| set | P@1 | MRR@10 | answered correctly | out-of-scope recall | index build | query p50 | query p95 |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, kb_path, queries_path) in sets {
        let kb_text = std::fs::read_to_string(&kb_path).map_err(|e| format!("{kb_path}: {e}"))?;
        let (articles, problems) = kb::parse(&kb_text);
        for p in &problems {
            eprintln!("{kb_path}: {p}");
        }
        let t0 = Instant::now();
        let plain = Index::build(articles.clone());
        let build_ms = t0.elapsed().as_secs_f64() * 1000.0;
        eprintln!("{kb_path}: kb.json only: weights {:?}", plain.fusion.weights);
        let queries = std::fs::read_to_string(&queries_path).map_err(|e| format!("{queries_path}: {e}"))?;
        let mut runs = vec![(format!("{name} (Baton, kb.json only)"), std::rc::Rc::new(plain), build_ms, false)];
        if let Some(model) = &model {
            let t = Instant::now();
            let cache = format!("target/eval-meaning/{name}-{:016x}.json", fingerprint(&kb_text) ^ fingerprint(concat!(include_str!("table.rs"), include_str!("../../crates/baton-encoder/src/minilm.rs"), include_str!("../../crates/baton-core/src/answers/learn.rs"), include_str!("../../crates/baton-core/src/answers/meaning.rs"), include_str!("../../crates/baton-core/src/answers/encoded.rs"), include_str!("../../crates/baton-core/src/answers/rank.rs"), include_str!("../../crates/baton-core/src/answers/fusion.rs"), include_str!("../../crates/baton-core/src/answers/vector.rs"))));
            let json = match std::fs::read_to_string(&cache) {
                Ok(json) => json,
                Err(_) => {
                    let json = crate::publish::meaning_for(&mut Index::build_lexical(articles.clone()), model);
                    let _ = std::fs::create_dir_all("target/eval-meaning");
                    let _ = std::fs::write(&cache, &json);
                    json
                }
            };
            let made = t.elapsed().as_secs_f64();
            let t0 = Instant::now();
            let (mut meaning, fusion) = baton_core::answers::meaning::Meaning::from_json(&json)?;
            let section = meaning.encoder.take();
            let mut index = Index::build_lexical(articles.clone());
            index.attach_meaning(meaning, fusion);
            if let Some(section) = section {
                index.attach_encoder(&section).map_err(|why| format!("{cache}: {why}"))?;
            }
            let build_ms = t0.elapsed().as_secs_f64() * 1000.0;
            eprintln!("{kb_path}: with meaning: weights {:?}, meaning share {}, table {} KB (gzip {} KB), made in {made:.1} s", index.fusion.weights, index.fusion.meaning_share, json.len() / 1024, gzip_len(&json) / 1024);
            if let Some(e) = &index.encoded {
                eprintln!("{kb_path}: with the encoder: weights {:?}, meaning share {}", e.fusion.weights, e.fusion.meaning_share);
            }
            let encoded = index.encoded.is_some();
            // The same index serves both rows: the table's vectors, and the encoder's.
            let index = std::rc::Rc::new(index);
            runs.push((format!("{name} (Baton + meaning table)"), index.clone(), build_ms, false));
            if encoded {
                runs.push((format!("{name} (Baton + meaning table + encoder)"), index, build_ms, true));
            }
        }
        let lines: Vec<&str> = queries.lines().filter(|l| !l.trim().is_empty()).collect();
        // The encoder's embedding of each query, as the relay's /v1/encode returns it.
        let embeddings: Vec<Vec<f32>> = match (&model, runs.iter().any(|r| r.3)) {
            (Some(model), true) => {
                let texts: Vec<String> = lines.iter().map(|l| serde_json::from_str::<serde_json::Value>(l).map(|q| q["query"].as_str().unwrap_or_default().to_string()).unwrap_or_default()).collect();
                let mut one = Vec::new();
                for t in texts.iter().take(200) {
                    let t0 = Instant::now();
                    model.encode(std::slice::from_ref(t));
                    one.push(t0.elapsed().as_secs_f64() * 1000.0);
                }
                one.sort_by(|a, b| a.total_cmp(b));
                eprintln!("{queries_path}: the encoder embeds one query in {:.1} ms (p50), {:.1} ms (p95), natively", percentile(&one, 0.5), percentile(&one, 0.95));
                model.encode(&texts)
            }
            _ => Vec::new(),
        };
        for (label, index, build_ms, with_encoder) in runs {
            let context = PageContext::default();
            let mut outcomes = Vec::new();
            let mut latencies = Vec::new();
            for (n, line) in lines.iter().enumerate() {
                let q: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("{queries_path}: {e}"))?;
                let query = q["query"].as_str().unwrap_or_default();
                let relevant: Vec<&str> = q["relevant"].as_array().map(|r| r.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default();
                let t = Instant::now();
                let hits = index.search_with(query, embeddings.get(n).filter(|_| with_encoder).map(Vec::as_slice), &context, false, 10);
                latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                let rank = hits.iter().position(|h| relevant.contains(&index.articles[h.article].id.as_str()));
                outcomes.push(Outcome { rank, confidence: hits.first().map_or(0.0, |h| h.confidence), in_scope: !relevant.is_empty(), query: query.to_string(), top: hits.first().map(|h| index.articles[h.article].id.clone()) });
            }
            latencies.sort_by(|a, b| a.total_cmp(b));
            let (p1, mrr, answered, oos) = metrics(&outcomes, ANSWER_THRESHOLD);
            let oos = if oos.is_nan() { "—".to_string() } else { format!("{:.3}", oos) };
            println!(
                "| {label} | {p1:.3} | {mrr:.3} | {answered:.3} | {oos} | {build_ms:.1} ms | {:.3} ms | {:.3} ms |",
                percentile(&latencies, 0.5),
                percentile(&latencies, 0.95)
            );
            if failures {
                for o in outcomes.iter().filter(|o| if o.in_scope { o.rank != Some(0) || o.confidence < ANSWER_THRESHOLD } else { o.confidence >= ANSWER_THRESHOLD }) {
                    let what = if !o.in_scope { "answered, but out of scope" } else if o.rank == Some(0) { "right, not confident" } else { "wrong article" };
                    println!("  {label}: {:?} → {} ({:.2}): {what}", o.query, o.top.as_deref().unwrap_or("nothing"), o.confidence);
                }
            }
            if tune {
                // The rule for ANSWER_THRESHOLD, on clinc150-val only: the lowest threshold that
                // declines at least 85% of out-of-scope queries (answering as many as possible).
                let best = (0..=100).map(|t| t as f32 / 100.0).map(|t| (t, metrics(&outcomes, t))).find(|(_, m)| m.3.is_nan() || m.3 >= 0.85);
                match best {
                    Some((t, (_, _, a, o))) => println!("tune {label}: threshold {t:.2} gives answered {a:.3}, out-of-scope recall {o:.3}"),
                    None => println!("tune {label}: no threshold declines 85% of out-of-scope queries"),
                }
            }
        }
    }
    Ok(())
}

/// FNV-1a of a text (names the cached table of one KB version).
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

/// Gzip size, for the table's transfer size (gzip -9 through the system's gzip).
fn gzip_len(text: &str) -> usize {
    use std::io::Write;
    let Ok(mut child) = std::process::Command::new("gzip").arg("-9c").stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn() else { return 0 };
    let mut stdin = child.stdin.take();
    let input = text.as_bytes().to_vec();
    // Written from a thread: gzip's output must be read while its input is still coming.
    let writer = std::thread::spawn(move || stdin.as_mut().map(|s| s.write_all(&input)));
    let len = child.wait_with_output().map_or(0, |o| o.stdout.len());
    let _ = writer.join();
    len
}
