//! Lowercase without core's case tables.
//!
//! `str::to_lowercase` carries Unicode's whole lowercase mapping (a table of numbers that gzip
//! poorly) into the wasm. The browser already has it: text that is not ASCII is lowercased by
//! the [`crate::platform`] (JavaScript's `String.prototype.toLowerCase` in the widget, the same
//! locale-independent Unicode default mapping; std's natively), ASCII stays in Rust.

/// `text` in lowercase (Unicode's default, locale-independent mapping).
pub fn lower(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    crate::platform::lower(text)
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
