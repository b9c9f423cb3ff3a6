//! What the core asks of the machine it runs on, for the few text jobs whose standard-library
//! versions carry large tables: lowercase (Unicode's case mapping), numbers written as text (the
//! float printer), powers, and JSON text in and out.
//!
//! Natively the core uses std and serde_json. In a browser the page already has all of these
//! (`String.prototype.toLowerCase`, `Number.prototype.toString`, `Math.pow`, `JSON.parse`), so
//! the widget installs the browser's at boot with [`install`] and the wasm carries none of the
//! tables. The core itself stays free of any browser crate.
//!
//! Until something is installed in a wasm build, text that is not ASCII is left as it is by
//! [`lower`], numbers that are not integers are written by a short fixed-point writer, and JSON
//! cannot be read: the widget installs before it runs anything else.

use serde_json::Value;
use std::sync::OnceLock;

/// The machine's implementations of the text jobs (see the module's introduction).
#[derive(Clone, Copy)]
pub struct Platform {
    /// Unicode's default, locale-independent lowercase of text that is not only ASCII.
    pub lower: fn(&str) -> String,
    /// A finite number that is not an integer, written as JavaScript writes it.
    pub format_number: fn(f64) -> String,
    /// `base` to the power `exponent`.
    pub pow: fn(f64, f64) -> f64,
    /// JSON text read as a value; the error says what is wrong, for a console line.
    pub parse_json: fn(&str) -> Result<Value, String>,
    /// A value written as compact JSON text.
    pub write_json: fn(&Value) -> String,
}

static INSTALLED: OnceLock<Platform> = OnceLock::new();

/// Installs the machine's implementations; the first call wins (later ones are ignored).
pub fn install(platform: Platform) {
    let _ = INSTALLED.set(platform);
}

fn platform() -> &'static Platform {
    INSTALLED.get().unwrap_or(&DEFAULT)
}

#[cfg(not(target_arch = "wasm32"))]
const DEFAULT: Platform = Platform {
    lower: str::to_lowercase,
    format_number: |v| v.to_string(),
    pow: f64::powf,
    parse_json: |text| serde_json::from_str(text).map_err(|e| e.to_string()),
    write_json: |value| serde_json::to_string(value).unwrap_or_else(|_| "null".into()),
};

// In a wasm build nothing here may link std's case tables, float printer or serde_json's parser:
// the widget installs the browser's own before it runs anything else.
#[cfg(target_arch = "wasm32")]
const DEFAULT: Platform = Platform {
    lower: |text| text.to_owned(),
    format_number: |v| format!("{}.{:06}", v.trunc() as i64, ((v.fract().abs()) * 1e6) as u64),
    pow: |base, exponent| if exponent == 0.0 { 1.0 } else { base },
    parse_json: |_| Err("no JSON reader installed".into()),
    write_json: |_| "null".into(),
};

pub(crate) fn lower(text: &str) -> String {
    (platform().lower)(text)
}

pub(crate) fn format_number(value: f64) -> String {
    (platform().format_number)(value)
}

pub(crate) fn pow(base: f64, exponent: f64) -> f64 {
    (platform().pow)(base, exponent)
}

/// Reads JSON text as a value, by the installed reader.
pub fn parse_json(text: &str) -> Result<Value, String> {
    (platform().parse_json)(text)
}

/// Writes a value as compact JSON text, by the installed writer.
pub fn write_json(value: &Value) -> String {
    (platform().write_json)(value)
}
