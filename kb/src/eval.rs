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
//! It ranks exactly as the widget does while the customer types (prefix expansion on, no page
//! context: the sets have none; the top 10 for MRR@10, of which the screen lists `SHOWN_RESULTS`) and judges what the answers screen
//! would show (`baton_core::answers::shown`: *sure*, *maybe* or *a person*), with the threshold
//! that ships; no figure comes from a constant chosen per set.
//!
//! Prints, per set and mode, one Markdown row: P@1 and MRR@10 over in-scope queries;
//! answered-correctly (in scope, shown as *sure* and right); out-of-scope recall (out of scope and
//! not shown as *sure*); overall accuracy (HINT3's measure: those two over all queries); helped (in
//! scope, the right article is the sure answer or among the *maybe* list); misled (any query
//! shown a wrong article as *sure*); ECE (expected calibration error of the *sure* confidence, ten
//! bins); index build time and query latency p50/p95. `--tune` also sweeps the answer threshold
//! on the given set and prints the lowest one that declines at least 85% of out-of-scope queries —
//! the rule used to pick `ANSWER_THRESHOLD`, on clinc150-val only.

use baton_core::answers::index::Index;
use baton_core::answers::kb;
use baton_core::answers::fusion::ANSWER_THRESHOLD;
use baton_core::answers::rank::PageContext;
use baton_core::answers::shown::{SearchOutcome, SHOWN_RESULTS};
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

/// One row's figures (`NaN` where a set has no query of the kind).
struct Metrics {
    p1: f64,
    mrr: f64,
    answered: f64,
    oos_recall: f64,
    accuracy: f64,
    helped: f64,
    misled: f64,
    ece: f64,
}

/// The figures of `outcomes` when the top article is shown as *sure* from `threshold` on (the
/// widget's rule, `baton_core::answers::shown`, at the threshold that ships unless tuning).
fn metrics(outcomes: &[Outcome], threshold: f32) -> Metrics {
    let share = |n: usize, of: usize| if of == 0 { f64::NAN } else { n as f64 / of as f64 };
    let sure = |o: &Outcome| SearchOutcome::at(o.top.as_ref().map(|_| o.confidence), threshold) == SearchOutcome::Sure;
    let right = |o: &Outcome| o.rank == Some(0);
    let in_scope: Vec<&Outcome> = outcomes.iter().filter(|o| o.in_scope).collect();
    let oos: Vec<&Outcome> = outcomes.iter().filter(|o| !o.in_scope).collect();
    let answered = in_scope.iter().filter(|o| sure(o) && right(o)).count();
    let declined = oos.iter().filter(|o| !sure(o)).count();
    // Calibration of the sure answers: in ten bins of confidence, how far the share right is
    // from the mean confidence, weighted by the bin's size. (Confidences are f32: 0.9 reads as
    // 0.8999…, hence the nudge before the floor.)
    let sures: Vec<(f64, bool)> = outcomes.iter().filter(|o| sure(o)).map(|o| (o.confidence as f64, o.in_scope && right(o))).collect();
    let ece = if sures.is_empty() {
        f64::NAN
    } else {
        (0..10)
            .map(|b| {
                let bin: Vec<&(f64, bool)> = sures.iter().filter(|(c, _)| ((c * 10.0 + 1e-6).floor() as usize).min(9) == b).collect();
                if bin.is_empty() {
                    return 0.0;
                }
                let confidence = bin.iter().map(|(c, _)| c).sum::<f64>() / bin.len() as f64;
                let accuracy = bin.iter().filter(|(_, r)| *r).count() as f64 / bin.len() as f64;
                bin.len() as f64 / sures.len() as f64 * (accuracy - confidence).abs()
            })
            .sum()
    };
    Metrics {
        p1: share(in_scope.iter().filter(|o| right(o)).count(), in_scope.len()),
        mrr: if in_scope.is_empty() { f64::NAN } else { in_scope.iter().map(|o| o.rank.map_or(0.0, |r| 1.0 / (r as f64 + 1.0))).sum::<f64>() / in_scope.len() as f64 },
        answered: share(answered, in_scope.len()),
        oos_recall: share(declined, oos.len()),
        accuracy: share(answered + declined, outcomes.len()),
        // Sure and right, or not sure with the right article among the related ones listed.
        helped: share(in_scope.iter().filter(|o| if sure(o) { right(o) } else { o.rank.is_some_and(|r| r < SHOWN_RESULTS) }).count(), in_scope.len()),
        misled: share(outcomes.iter().filter(|o| sure(o) && !(o.in_scope && right(o))).count(), outcomes.len()),
        ece,
    }
}

/// A figure to three decimals, or a dash where the set has no query of its kind.
fn figure(x: f64) -> String {
    if x.is_nan() {
        "—".to_string()
    } else {
        format!("{x:.3}")
    }
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
    let model_key = model_dir.as_deref().map_or(0, model_fingerprint);
    println!("| set | P@1 | MRR@10 | answered correctly | out-of-scope recall | overall accuracy | helped | misled | ECE | index build | query p50 | query p95 |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
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
            // Keyed by all the table depends on: the KB, the model's files and the code that
            // builds it (the queries and the options only change what is measured with it).
            let cache = format!("target/eval-meaning/{name}-{:016x}.json", fingerprint(&kb_text) ^ model_key.rotate_left(1) ^ fingerprint(concat!(include_str!("table.rs"), include_str!("../../crates/baton-encoder/src/minilm.rs"), include_str!("../../crates/baton-core/src/answers/learn.rs"), include_str!("../../crates/baton-core/src/answers/meaning.rs"), include_str!("../../crates/baton-core/src/answers/encoded.rs"), include_str!("../../crates/baton-core/src/answers/rank.rs"), include_str!("../../crates/baton-core/src/answers/fusion.rs"), include_str!("../../crates/baton-core/src/answers/vector.rs"))));
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
                // As the widget ranks while the customer types: prefix expansion on.
                let hits = index.search_with(query, embeddings.get(n).filter(|_| with_encoder).map(Vec::as_slice), &context, true, 10);
                latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                let rank = hits.iter().position(|h| relevant.contains(&index.articles[h.article].id.as_str()));
                outcomes.push(Outcome { rank, confidence: hits.first().map_or(0.0, |h| h.confidence), in_scope: !relevant.is_empty(), query: query.to_string(), top: hits.first().map(|h| index.articles[h.article].id.clone()) });
            }
            latencies.sort_by(|a, b| a.total_cmp(b));
            let m = metrics(&outcomes, ANSWER_THRESHOLD);
            println!(
                "| {label} | {} | {} | {} | {} | {} | {} | {} | {} | {build_ms:.1} ms | {:.3} ms | {:.3} ms |",
                figure(m.p1),
                figure(m.mrr),
                figure(m.answered),
                figure(m.oos_recall),
                figure(m.accuracy),
                figure(m.helped),
                figure(m.misled),
                figure(m.ece),
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
                let best = (0..=100).map(|t| t as f32 / 100.0).map(|t| (t, metrics(&outcomes, t))).find(|(_, m)| m.oos_recall.is_nan() || m.oos_recall >= 0.85);
                match best {
                    Some((t, m)) => println!("tune {label}: threshold {t:.2} gives answered {:.3}, out-of-scope recall {:.3}", m.answered, m.oos_recall),
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

/// FNV-1a of every file of the model's folder, names and bytes, in name order (a model swapped
/// in the same folder is another cache key).
fn model_fingerprint(dir: &str) -> u64 {
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    let mut todo = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files.iter().fold(0xcbf29ce484222325u64, |h, path| {
        let name = path.to_string_lossy();
        let bytes = std::fs::read(path).unwrap_or_default();
        name.bytes().chain(bytes).fold(h, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn o(rank: Option<usize>, confidence: f32, in_scope: bool) -> Outcome {
        Outcome { rank, confidence, in_scope, query: String::new(), top: Some("a".into()) }
    }

    #[test]
    fn every_figure_follows_what_the_screen_shows() {
        let t = 0.5;
        let outcomes = [
            o(Some(0), 0.9, true),  // sure and right: answered, helped
            o(Some(2), 0.8, true),  // sure and wrong: misled, not helped
            o(Some(3), 0.2, true),  // maybe, the right one listed: helped
            o(Some(8), 0.2, true),  // maybe, the right one beyond the list: not helped
            o(None, 0.7, false),    // out of scope shown as sure: misled
            o(None, 0.1, false),    // out of scope declined
        ];
        let m = metrics(&outcomes, t);
        assert_eq!((m.p1, m.answered, m.helped), (0.25, 0.25, 0.5));
        assert_eq!((m.oos_recall, m.accuracy, m.misled), (0.5, 2.0 / 6.0, 2.0 / 6.0));
        assert!((m.mrr - (1.0 + 1.0 / 3.0 + 1.0 / 4.0 + 1.0 / 9.0) / 4.0).abs() < 1e-9);
        // Sure answers: 0.9 right (bin 9), 0.8 wrong (bin 8), 0.7 wrong (bin 7): each a third.
        assert!((m.ece - (0.1 + 0.8 + 0.7) / 3.0).abs() < 1e-6, "{}", m.ece);
        let none = metrics(&[o(Some(0), 0.9, true)], t);
        assert!(none.oos_recall.is_nan() && figure(none.oos_recall) == "—");
    }
}
