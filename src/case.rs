//! Lowercase without core's case tables.
//!
//! `str::to_lowercase` carries Unicode's whole lowercase mapping (a 12 KB table, numbers that
//! gzip poorly) into the wasm. The browser already has it: in the wasm, text that is not ASCII
//! is lowercased by JavaScript's `String.prototype.toLowerCase` (locale-independent, the same
//! Unicode default mapping), ASCII stays in Rust. Natively std's own does the job.

/// `text` in lowercase (Unicode's default, locale-independent mapping).
pub fn lower(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    imp::lower(text)
}

#[cfg(target_arch = "wasm32")]
mod imp {
    pub fn lower(text: &str) -> String {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub fn lower(text: &str) -> String {
        text.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::lower;

    #[test]
    fn lowercases_every_script_with_case() {
        assert_eq!(lower("Reset Your PASSWORD"), "reset your password");
        assert_eq!(lower("ÉCHEC DU PAIEMENT Ça"), "échec du paiement ça");
        assert_eq!(lower("ΚΩΔΙΚΌΣ Пароль Ǆ"), "κωδικός пароль ǆ");
        assert_eq!(lower("日本語 123 ’"), "日本語 123 ’");
    }
}
