//! Decimal numbers read from and written as text without core's float parser and printer (and
//! the one power function, the browser's in the wasm).
//!
//! `str::parse::<f64>` is exact to the last bit, and for that it carries a 10 KB table of powers
//! of five and a big-number fallback (~16 KB of the wasm before wasm-opt, numbers that gzip
//! poorly). The numbers Baton reads from text — colour channels in CSS (`rgb(12 34 56)`,
//! `50%`) and a `Retry-After` header — need a few significant digits, not the last bit: this
//! reader is within a few ulps of std's (tests below) in a few dozen instructions.

/// `value` as text, the way JavaScript writes it (`3`, `1.5`, `-0.25`, `1e21`): in the wasm by
/// the browser's own `Number.prototype.toString`, so that the wasm carries no float printer
/// (core's `Display for f64`, ~12 KB before wasm-opt with its tables). Natively std's (the same
/// text for the integers and plain decimals Baton writes).
pub fn format(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        // Integers, the common case (pixels, counts, ids), without crossing into JS.
        return (value as i64).to_string();
    }
    crate::platform::format_number(value)
}

/// `base` to the power `exponent`: in the wasm the browser's `Math.pow` (compiler-builtins'
/// `pow`, 2 KB of the wasm, is then not linked), natively std's.
pub fn pow(base: f64, exponent: f64) -> f64 {
    crate::platform::pow(base, exponent)
}

/// A JSON number as text: integers exactly (an id such as `12345678901234567890` too), other
/// numbers by [`format`].
pub fn format_json(number: &serde_json::Number) -> String {
    match (number.as_u64(), number.as_i64()) {
        (Some(n), _) => n.to_string(),
        (_, Some(n)) => n.to_string(),
        _ => format(number.as_f64().unwrap_or(0.0)),
    }
}

/// Reads `text` as a decimal number: an optional sign, digits with an optional fraction (`12`,
/// `1.5`, `.5`, `5.`) and an optional exponent (`1e3`, `2.5E-2`). Anything else — empty text,
/// spaces, `inf`, `NaN`, `0x10`, a trailing unit — is `None`. The value is finite.
pub fn parse(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    // Up to 19 significant digits fit a u64; further digits only move the decimal point.
    let (mut mantissa, mut significant, mut scale, mut digits) = (0u64, 0u32, 0i32, 0u32);
    let mut seen_point = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if significant < 19 {
                    if mantissa > 0 || b != b'0' {
                        significant += 1;
                    }
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    if seen_point {
                        scale -= 1;
                    }
                } else if !seen_point {
                    scale += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        let exponent_negative = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut exponent = 0i32;
        while let Some(&b @ b'0'..=b'9') = bytes.get(i) {
            exponent = (exponent * 10 + i32::from(b - b'0')).min(10_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        scale += if exponent_negative { -exponent } else { exponent };
    }
    if i != bytes.len() {
        return None;
    }
    let value = scaled(mantissa as f64, scale);
    if !value.is_finite() {
        return None;
    }
    Some(if negative { -value } else { value })
}

/// `m × 10^scale`, dividing for negative powers (10^k is exact up to 10^22, so common values
/// such as `0.1` come out as the nearest double).
fn scaled(m: f64, scale: i32) -> f64 {
    if m == 0.0 {
        return 0.0;
    }
    if scale >= 0 {
        m * 10f64.powi(scale.min(400))
    } else if scale >= -300 {
        m / 10f64.powi(-scale)
    } else {
        // Below 1e-300 the power itself would underflow first.
        m / 10f64.powi(300) / 10f64.powi((-scale - 300).min(400))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_what_css_and_http_write_as_std_does() {
        for text in [
            "0", "12", "255", "-3", "+4", "1.5", ".5", "5.", "0.1", "0.3", "100", "33.333333", "1e3", "2.5E-2",
            "1e-7", "120", "0.000001", "123456789012345678901234", "3.14159265358979323846", "1E+2", "007",
        ] {
            let ours = parse(text).unwrap_or_else(|| panic!("{text} not read"));
            let std: f64 = text.parse().unwrap();
            let tolerance = std.abs() * 4.0 * f64::EPSILON;
            assert!((ours - std).abs() <= tolerance, "{text}: {ours} against std's {std}");
        }
        assert_eq!(parse("0.1"), Some(0.1));
        assert_eq!(parse("50"), Some(50.0));
    }

    #[test]
    fn writes_integers_and_decimals_as_javascript_does() {
        use super::format;
        assert_eq!(format(3.0), "3");
        assert_eq!(format(-0.0), "0");
        assert_eq!(format(1.5), "1.5");
        assert_eq!(format(-12.25), "-12.25");
        assert_eq!(format(9007199254740991.0), "9007199254740991");
        assert_eq!(format(f64::NAN), "NaN");
        assert_eq!(parse(&format(0.1 + 0.2)), Some(0.1 + 0.2));
        let json: serde_json::Value = serde_json::from_str("[12345678901234567890, -7, 2.5]").unwrap();
        let texts: Vec<String> = json.as_array().unwrap().iter().map(|n| super::format_json(n.as_number().unwrap())).collect();
        assert_eq!(texts, ["12345678901234567890", "-7", "2.5"]);
    }

    #[test]
    fn refuses_what_is_not_a_plain_decimal() {
        for text in ["", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", " 1", "1 ", "1px", "inf", "NaN", "0x10", "1_000", "--1", "1e999"] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
