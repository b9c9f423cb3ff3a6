//! `baton-kb index`: a KB's meaning table, with the signal weights and confidence model learned
//! from the whole KB (leave-one-out over all its phrasings, as the widget cannot afford to).

use baton_encoder::minilm::MiniLm;
use crate::table::{self, BuildOptions};
use baton_core::answers::index::Index;
use baton_core::answers::{kb, learn, meaning::Meaning};
use std::time::Instant;

/// Builds the table for a parsed KB: the file's JSON, and the index with it attached.
pub fn meaning_for(index: &mut Index, model: &MiniLm) -> String {
    let mut file = table::build(index, model, &BuildOptions::default());
    let json = serde_json::to_string(&file).expect("a meaning file serialises");
    let (mut meaning, _) = Meaning::from_json(&json).expect("a table just built reads back");
    let section = meaning.encoder.take();
    index.attach_meaning(meaning, None);
    if let Some(section) = section {
        index.attach_encoder(&section).expect("a table just built fits its KB");
    }
    index.fusion = learn::learn(index, learn::PUBLISH_SAMPLE);
    file.fusion = Some(index.fusion.clone());
    if let (Some(section), Some(_)) = (file.encoder.as_mut(), index.encoded.as_ref()) {
        let fusion = learn::learn_encoded(index, learn::PUBLISH_SAMPLE);
        section.fusion = Some(fusion.clone());
        if let Some(e) = index.encoded.as_mut() {
            e.fusion = fusion;
        }
    }
    serde_json::to_string(&file).expect("a meaning file serialises")
}

/// `index KB.json [--model DIR] [-o OUT]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut model_dir = baton_encoder::default_model();
    let mut out: Option<String> = None;
    let mut input: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--model" => model_dir = it.next().ok_or("--model needs a folder")?.clone(),
            "-o" | "--out" => out = Some(it.next().ok_or("-o needs a file")?.clone()),
            other if input.is_none() => input = Some(other.to_string()),
            other => return Err(format!("unexpected argument {other}")),
        }
    }
    let input = input.ok_or("index needs a KB file")?;
    let out = out.unwrap_or_else(|| format!("{}.meaning.json", input.trim_end_matches(".json")));
    let text = std::fs::read_to_string(&input).map_err(|e| format!("{input}: {e}"))?;
    let (articles, problems) = kb::parse(&text);
    for p in &problems {
        eprintln!("{input}: {p}");
    }
    if articles.is_empty() {
        return Err(format!("{input}: no article to index"));
    }
    let t = Instant::now();
    let model = MiniLm::load(&model_dir)?;
    let mut index = Index::build(articles);
    let json = meaning_for(&mut index, &model);
    std::fs::write(&out, &json).map_err(|e| format!("{out}: {e}"))?;
    eprintln!("{out}: {} articles, {} KB, in {:.1} s; weights {:?}", index.articles.len(), json.len() / 1024, t.elapsed().as_secs_f64(), index.fusion.weights);
    Ok(())
}
