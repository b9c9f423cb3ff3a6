//! Browser and operating system from a user agent string, for the agent reading a handoff
//! ("Chrome 156 on Windows 10/11"). Target-independent; order matters (Edge and Opera
//! also say "Chrome", Chrome also says "Safari").

/// `(browser, os)`, e.g. `("Chrome 156", "macOS 10.15.7")`; "Unknown" when not recognised.
pub fn parse(ua: &str) -> (String, String) {
    (browser(ua), os(ua))
}

fn version_after(ua: &str, marker: &str) -> Option<String> {
    let start = ua.find(marker)? + marker.len();
    let v: String = ua[start..].chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '_').collect();
    (!v.is_empty()).then(|| v.replace('_', "."))
}

fn major(v: &str) -> &str {
    v.split('.').next().unwrap_or(v)
}

fn browser(ua: &str) -> String {
    const BROWSERS: &[(&str, &str)] = &[
        ("Edg/", "Edge"),
        ("EdgA/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
    ];
    for (marker, name) in BROWSERS {
        if let Some(v) = version_after(ua, marker) {
            return format!("{name} {}", major(&v));
        }
    }
    if ua.contains("Safari/") {
        if let Some(v) = version_after(ua, "Version/") {
            return format!("Safari {}", major(&v));
        }
    }
    "Unknown".into()
}

fn os(ua: &str) -> String {
    if let Some(v) = version_after(ua, "Windows NT ") {
        return match v.as_str() {
            "10.0" => "Windows 10/11".into(),
            "6.3" => "Windows 8.1".into(),
            "6.1" => "Windows 7".into(),
            other => format!("Windows NT {other}"),
        };
    }
    if let Some(v) = version_after(ua, "iPhone OS ").or_else(|| version_after(ua, "CPU OS ")) {
        return format!("iOS {v}");
    }
    if let Some(v) = version_after(ua, "Android ") {
        return format!("Android {v}");
    }
    if let Some(v) = version_after(ua, "Mac OS X ") {
        return format!("macOS {v}");
    }
    if ua.contains("CrOS") {
        return "ChromeOS".into();
    }
    if ua.contains("Linux") {
        return "Linux".into();
    }
    "Unknown".into()
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn real_user_agents() {
        let cases = [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36", "Chrome 156", "Windows 10/11"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86", "Edge 131", "Windows 10/11"),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari 18", "macOS 10.15.7"),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox 133", "Linux"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari 17", "iOS 17.5"),
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.39 Mobile Safari/537.36", "Chrome 131", "Android 14"),
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36", "Chrome 156", "Linux"),
            ("curl/8.0", "Unknown", "Unknown"),
        ];
        for (ua, browser, os) in cases {
            assert_eq!(parse(ua), (browser.to_string(), os.to_string()), "{ua}");
        }
    }
}
