//! WCAG 2.x contrast: colour parsing, relative luminance, contrast ratio, and the colours Baton
//! derives from a host's accent so that text stays readable (AA: 4.5:1 for normal text).
//!
//! Target-independent and unit-tested; `theme::paint` feeds it colours as the browser computed
//! them (`color(srgb r g b)` once normalised), config may give `#hex` or `rgb()`.

/// WCAG AA for normal text.
pub const AA: f64 = 4.5;

/// An sRGB colour, channels in 0..=1 (out-of-gamut values are clamped on parse).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rgb(pub f64, pub f64, pub f64);

/// White.
pub const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);
/// Black.
pub const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);

impl Rgb {
    /// Parses `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()` (commas or spaces, numbers
    /// or percentages) and `color(srgb r g b)`. Alpha is ignored: Baton composes opaque colours.
    pub fn parse(text: &str) -> Option<Rgb> {
        let t = text.trim().to_ascii_lowercase();
        if let Some(hex) = t.strip_prefix('#') {
            let digits: Vec<u32> = hex.chars().map(|c| c.to_digit(16)).collect::<Option<_>>()?;
            let (r, g, b) = match digits.len() {
                3 | 4 => (digits[0] * 17, digits[1] * 17, digits[2] * 17),
                6 | 8 => (digits[0] * 16 + digits[1], digits[2] * 16 + digits[3], digits[4] * 16 + digits[5]),
                _ => return None,
            };
            return Some(Rgb(r as f64 / 255.0, g as f64 / 255.0, b as f64 / 255.0));
        }
        let (scale, inner) = if let Some(rest) = t.strip_prefix("color(srgb") {
            (1.0, rest.strip_suffix(')')?)
        } else {
            let rest = t.strip_prefix("rgba(").or_else(|| t.strip_prefix("rgb("))?;
            (255.0, rest.strip_suffix(')')?)
        };
        let colour = inner.split('/').next()?;
        let parts: Vec<f64> = colour
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .take(3)
            .map(|p| match p.strip_suffix('%') {
                Some(pct) => crate::number::parse(pct).map(|v| v / 100.0),
                None => crate::number::parse(p).map(|v| v / scale),
            })
            .collect::<Option<_>>()?;
        if parts.len() != 3 || parts.iter().any(|v| !v.is_finite()) {
            return None;
        }
        Some(Rgb(parts[0].clamp(0.0, 1.0), parts[1].clamp(0.0, 1.0), parts[2].clamp(0.0, 1.0)))
    }

    /// WCAG relative luminance.
    pub fn luminance(self) -> f64 {
        fn linear(c: f64) -> f64 {
            if c <= 0.04045 { c / 12.92 } else { crate::number::pow((c + 0.055) / 1.055, 2.4) }
        }
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    /// `self` moved towards `other` by `t` (0..=1) in sRGB.
    pub fn mix(self, other: Rgb, t: f64) -> Rgb {
        let m = |a: f64, b: f64| a + (b - a) * t;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        let c = |v: f64| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        format!("#{:02x}{:02x}{:02x}", c(self.0), c(self.1), c(self.2))
    }
}

/// `x` with one decimal ("3.9"), for a contrast ratio in a console line. Written by hand so
/// that the wasm carries no float printer.
pub fn one_decimal(x: f64) -> String {
    let tenths = (x * 10.0).round() as i64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// WCAG contrast ratio between two colours, 1..=21.
pub fn ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Text colour for the accent: white when white reaches AA on it, else black (which then
/// always does: every colour reaches 4.5:1 against white or black). The same rule as the CSS
/// fallback in `style/baton.css`, so nothing changes colour when the widget loads.
pub fn on_accent(accent: Rgb) -> Rgb {
    if ratio(WHITE, accent) >= AA { WHITE } else { BLACK }
}

/// The accent as text on `bg` (links): the accent itself when it reaches AA there, else the
/// accent moved towards black (light backgrounds) or white (dark ones) just far enough.
pub fn readable_on(accent: Rgb, bg: Rgb) -> Rgb {
    if ratio(accent, bg) >= AA {
        return accent;
    }
    let target = if ratio(BLACK, bg) >= ratio(WHITE, bg) { BLACK } else { WHITE };
    // Contrast grows monotonically along the mix: bisect for the smallest step that passes.
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..20 {
        let mid = (lo + hi) / 2.0;
        if ratio(accent.mix(target, mid), bg) >= AA + 0.01 { hi = mid } else { lo = mid }
    }
    accent.mix(target, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Rgb {
        Rgb::parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn one_decimal_rounds_like_the_format_it_replaced() {
        for x in [1.0, 3.94, 3.95, 4.449, 12.06, 21.0] {
            assert_eq!(one_decimal(x), format!("{x:.1}"), "{x}");
        }
    }

    #[test]
    fn parses_what_config_and_the_browser_give() {
        assert_eq!(c("#fff"), WHITE);
        assert_eq!(c("#000000"), BLACK);
        assert_eq!(c("#4F46E5").hex(), "#4f46e5");
        assert_eq!(c("#4f46e580").hex(), "#4f46e5");
        assert_eq!(c("rgb(79, 70, 229)").hex(), "#4f46e5");
        assert_eq!(c("rgba(79,70,229,0.5)").hex(), "#4f46e5");
        assert_eq!(c("rgb(79 70 229 / 50%)").hex(), "#4f46e5");
        assert_eq!(c("rgb(100% 0% 0%)").hex(), "#ff0000");
        assert_eq!(c("color(srgb 0.309804 0.27451 0.898039)").hex(), "#4f46e5");
        assert_eq!(c("color(srgb 1.09 -0.22 -0.15 / 0.5)").hex(), "#ff0000", "out of gamut clamps");
        for bad in ["", "#12", "#ggg", "red", "rgb(1,2)", "rgb(a,b,c)", "color(display-p3 1 0 0)", "rgb(NaN,1,1)"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn ratios_match_wcag_reference_values() {
        assert!((ratio(WHITE, BLACK) - 21.0).abs() < 1e-9);
        assert!((ratio(c("#777777"), WHITE) - 4.48).abs() < 0.01);
        assert!((ratio(c("#767676"), WHITE) - 4.54).abs() < 0.01);
        assert_eq!(ratio(c("#123456"), c("#123456")), 1.0);
        assert_eq!(ratio(c("#4f46e5"), WHITE), ratio(WHITE, c("#4f46e5")), "symmetric");
    }

    #[test]
    fn on_accent_always_reaches_aa() {
        assert_eq!(on_accent(c("#4f46e5")), WHITE, "indigo");
        assert_eq!(on_accent(c("#ffff00")), BLACK, "yellow");
        assert_eq!(on_accent(c("#777777")), BLACK, "white is 4.48:1 here, just short");
        assert_eq!(on_accent(c("#767676")), WHITE, "white is 4.54:1 here");
        assert_eq!(on_accent(c("#0f766e")), WHITE, "teal");
        assert_eq!(on_accent(c("#f59e0b")), BLACK, "amber");
        // Every grey and a sweep of hues: the chosen text reaches AA.
        for i in 0..=255u32 {
            for accent in [Rgb(i as f64 / 255.0, i as f64 / 255.0, i as f64 / 255.0), Rgb(i as f64 / 255.0, 0.5, 1.0 - i as f64 / 255.0)] {
                assert!(ratio(on_accent(accent), accent) >= AA, "{}", accent.hex());
            }
        }
    }

    #[test]
    fn accent_as_text_is_adjusted_only_as_far_as_needed() {
        let indigo = c("#4f46e5");
        assert_eq!(readable_on(indigo, WHITE), indigo, "already 6.3:1 on white");
        let amber = c("#f59e0b");
        let fixed = readable_on(amber, WHITE);
        assert!(ratio(fixed, WHITE) >= AA && ratio(fixed, WHITE) < AA + 0.2, "{}", fixed.hex());
        let on_dark = readable_on(indigo, c("#111827"));
        assert!(ratio(on_dark, c("#111827")) >= AA, "lightened on dark: {}", on_dark.hex());
        assert!(on_dark.luminance() > indigo.luminance());
        for bg in [WHITE, BLACK, c("#111827"), c("#777777"), c("#f3f4f6")] {
            for accent in [c("#ffff00"), c("#4f46e5"), c("#777777"), c("#ff00ff"), BLACK, WHITE] {
                assert!(ratio(readable_on(accent, bg), bg) >= AA, "{} on {}", accent.hex(), bg.hex());
            }
        }
    }
}
