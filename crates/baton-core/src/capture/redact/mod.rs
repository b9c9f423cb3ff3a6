//! Redaction of every captured string, before it is stored.
//!
//! Secrets are replaced by typed placeholders (`[email]`, `[phone]`, `[card]`, `[token]`,
//! `[credentials]`, `[redacted]`) so that a sentence stays readable for a support agent:
//! "Payment failed for [email] with card [card]" still says what happened.
//!
//! Hand-written scanners rather than a regex engine: the same code runs in the wasm, where a
//! regex crate would cost more than the whole widget's budget for this feature. Target-independent
//! and natively tested.

/// Names whose values are secrets wherever they appear — object keys, `name: value` in text,
/// query parameters — matched case-insensitively as a part of the name once `_`, `-`, `.` and
/// spaces are removed ("api_key", "apiKey", "X-Api-Key", "sessionId", "client_secret"). Only
/// unambiguous names: `code`, `key` or `id` in an error object are diagnostics an agent needs.
const SECRET_NAME_PARTS: &[&str] = &[
    "password", "passwd", "passphrase", "secret", "token", "apikey", "accesskey", "privatekey",
    "authorization", "cookie", "session", "credential", "jwt",
];
/// Names that are secrets only as the whole name (too short or too common as a part).
const SECRET_NAMES_EXACT: &[&str] = &["pwd", "pin", "otp", "ssn", "cvc", "cvv", "auth", "xauth", "signature", "sig"];
/// Extra names that are secrets as URL query or fragment parameters only: OAuth's `code` and
/// `state`, `key` (e.g. Google's `?key=`), and signed-URL parameters.
const SECRET_PARAMS: &[&str] = &["code", "state", "key", "sig", "signature", "hash", "nonce", "ticket"];
/// Names that contain a secret part but are not secrets.
const NOT_SECRET_NAMES: &[&str] = &["tokenizer", "tokentype", "sessioncount", "cookieconsent"];

/// A name with case and separators folded: "X-Api-Key" → "xapikey".
fn folded_name(name: &str) -> String {
    let kept: String = name.trim().chars().filter(|c| !matches!(c, '_' | '-' | '.' | ' ')).collect();
    crate::case::lower(&kept)
}

/// True when a field or `name: value` called `name` holds a secret.
pub fn is_secret_name(name: &str) -> bool {
    let n = folded_name(name);
    let n = n.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if n.is_empty() || NOT_SECRET_NAMES.contains(&n) {
        return false;
    }
    SECRET_NAMES_EXACT.contains(&n) || SECRET_NAME_PARTS.iter().any(|p| n.contains(p))
}

/// True when a URL query or fragment parameter (or a `name=value` pair) called `name` holds a
/// secret: every secret name, plus the parameters that are secrets only in URLs.
pub fn is_secret_param(name: &str) -> bool {
    let n = folded_name(name);
    is_secret_name(&n) || SECRET_PARAMS.contains(&n.as_str()) || n.ends_with("key")
}

/// Prefixes of well-known API key formats.
const KEY_PREFIXES: &[&str] = &[
    "sk_live_", "sk_test_", "pk_live_", "pk_test_", "rk_live_", "rk_test_", "whsec_", "ghp_",
    "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxs-",
    "shpat_", "shpss_", "AKIA", "ASIA", "AIza", "SG.", "npm_", "pypi-",
];

/// Redacts every secret-looking part of free text (messages, labels, stack frames, URLs).
pub fn redact(text: &str) -> String {
    let tokens = redact_tokens(text);
    redact_digit_runs(&tokens)
}

/// Redacts a URL: credentials, secret-named query and fragment parameters, and secret-looking
/// path segments or values. Anything that is not a URL is treated as free text.
pub fn redact_url(url: &str) -> String {
    redact(url)
}

/// The word a redacted span of a search query becomes on its way to the relay's sentence
/// encoder: a plain word it reads as one, which pulls the query toward no topic ("[email]"
/// would pull it toward articles about email).
pub const NEUTRAL_WORD: &str = "something";

/// A search query as it may leave the page for the relay's encoder: redacted like every captured
/// text, each redacted span [`NEUTRAL_WORD`].
pub fn for_encoder(query: &str) -> String {
    let mut text = redact(query);
    for placeholder in PLACEHOLDERS {
        text = text.replace(placeholder, NEUTRAL_WORD);
    }
    text
}

// ---- pass 1: whitespace-separated tokens -------------------------------------------------

fn redact_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Whether the previous token asked for the next one to be hidden ("Bearer x", "password: x").
    let mut hide_next = false;
    let mut rest = text;
    while !rest.is_empty() {
        let ws_end = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
        out.push_str(&rest[..ws_end]);
        rest = &rest[ws_end..];
        if rest.is_empty() {
            break;
        }
        let tok_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let token = &rest[..tok_end];
        rest = &rest[tok_end..];

        if starts_with_placeholder(token) {
            out.push_str(token);
            hide_next = false;
            continue;
        }
        let (lead, core, trail) = split_punctuation(token);
        let lower = core.to_ascii_lowercase();
        let auth_scheme = lower == "bearer" || lower == "basic";
        out.push_str(lead);
        if hide_next && !core.is_empty() && !auth_scheme {
            out.push_str("[token]");
        } else {
            out.push_str(&redact_word(core));
        }
        out.push_str(trail);
        // "Bearer abc", "Basic abc" and "password: abc" hide the next word.
        hide_next = auth_scheme
            || (trail.starts_with(':') && is_secret_name(core) && !core.contains([':', '=']));
    }
    out
}

fn split_punctuation(token: &str) -> (&str, &str, &str) {
    const LEAD: &[char] = &['"', '\'', '(', '[', '{', '<', '`'];
    const TRAIL: &[char] = &['"', '\'', ')', ']', '}', '>', ',', '.', ';', ':', '!', '?', '`'];
    let start = token.len() - token.trim_start_matches(LEAD).len();
    let core_and_trail = &token[start..];
    let mut core = core_and_trail.trim_end_matches(TRAIL);
    // "token=[redacted]," keeps its placeholder's closing bracket.
    if core.contains('[') && core_and_trail[core.len()..].starts_with(']') {
        core = &core_and_trail[..core.len() + 1];
    }
    (&token[..start], core, &core_and_trail[core.len()..])
}

const PLACEHOLDERS: [&str; 6] = ["[email]", "[phone]", "[card]", "[token]", "[credentials]", "[redacted]"];

/// "[redacted]}," and the like: a placeholder followed only by closing punctuation.
fn starts_with_placeholder(token: &str) -> bool {
    PLACEHOLDERS.iter().any(|p| {
        token.strip_prefix(p).is_some_and(|rest| rest.chars().all(|c| ",.;:!?)]}>\"'`".contains(c)))
    })
}

fn is_placeholder(s: &str) -> bool {
    matches!(
        s.trim_end_matches([',', '.', ';', ':', ')']),
        "[email]" | "[phone]" | "[card]" | "[token]" | "[credentials]" | "[redacted]"
    )
}

/// One word with no whitespace: a URL, a `key=value` list, or a single value.
fn redact_word(word: &str) -> String {
    if word.is_empty() || is_placeholder(word) {
        return word.to_string();
    }
    if let Some(scheme_end) = word.find("://") {
        if word[..scheme_end].chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) && scheme_end > 0 {
            return redact_url_word(word, scheme_end);
        }
    }
    if word.contains('=') || word.contains('&') {
        return redact_params(word, &['&', ';', '?', '#']);
    }
    if let Some((key, value)) = word.split_once(':') {
        // "token:abc", "mailto:a@b.co" — but not "12:30" or "C:\\path".
        if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphabetic() || c == '_' || c == '-') && !value.is_empty() {
            let value = if is_secret_name(key) && !is_placeholder(value) { "[redacted]".to_string() } else { redact_value(value) };
            return format!("{key}:{value}");
        }
    }
    redact_value(word)
}

/// A single value with no separators left: an email, a JWT, an API key — or kept.
fn redact_value(value: &str) -> String {
    if is_placeholder(value) {
        value.to_string()
    } else if is_email(value) {
        "[email]".into()
    } else if is_jwt(value) || is_api_key(value) {
        "[token]".into()
    } else if let Some(at) = value.find('@').filter(|_| value.contains('.')) {
        // "name<a@b.co>"-like glue: redact the email part only.
        let start = value[..at]
            .char_indices()
            .rev()
            .find(|(_, c)| !is_email_local_char(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = value[at + 1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .map_or(value.len(), |i| at + 1 + i);
        if is_email(&value[start..end]) {
            format!("{}[email]{}", &value[..start], &value[end..])
        } else {
            value.to_string()
        }
    } else {
        value.to_string()
    }
}

/// `a=1&token=x` (also after `?` or `#`): secret-named values hidden, the others checked.
fn redact_params(s: &str, separators: &[char]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let end = rest.find(separators).unwrap_or(rest.len());
        let piece = &rest[..end];
        match piece.split_once('=') {
            Some((k, v)) if is_secret_param(k) && !v.is_empty() && !is_placeholder(v) => {
                out.push_str(k);
                out.push_str("=[redacted]");
            }
            Some((k, v)) => {
                out.push_str(k);
                out.push('=');
                out.push_str(&redact_value(&percent_decoded_view(v)));
            }
            None => out.push_str(&redact_value(piece)),
        }
        if end == rest.len() {
            break;
        }
        out.push_str(&rest[end..end + 1]);
        rest = &rest[end + 1..];
    }
    out
}

/// `%40` → `@` so that `email=a%40b.co` is recognised; other escapes are left as they are.
fn percent_decoded_view(v: &str) -> String {
    if v.contains("%40") || v.contains("%2540") {
        v.replace("%2540", "@").replace("%40", "@")
    } else {
        v.to_string()
    }
}

fn redact_url_word(word: &str, scheme_end: usize) -> String {
    let after_scheme = scheme_end + 3;
    let rest = &word[after_scheme..];
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..auth_end];
    let mut out = String::with_capacity(word.len());
    out.push_str(&word[..after_scheme]);
    match authority.rfind('@') {
        Some(at) => {
            out.push_str("[credentials]@");
            out.push_str(&authority[at + 1..]);
        }
        None => out.push_str(authority),
    }
    let tail = &rest[auth_end..];
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    for (i, segment) in tail[..path_end].split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&redact_value(segment));
    }
    let query_and_fragment = &tail[path_end..];
    if !query_and_fragment.is_empty() {
        out.push_str(&query_and_fragment[..1]);
        out.push_str(&redact_params(&query_and_fragment[1..], &['&', ';', '#']));
    }
    out
}

fn is_email_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-".contains(c)
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    if local.is_empty() || !local.chars().all(is_email_local_char) || domain.contains('@') {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

fn is_b64url(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '=')
}

fn is_jwt(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3 && parts[0].starts_with("eyJ") && parts[0].len() >= 10 && parts[1].len() >= 4 && parts[..2].iter().all(|p| is_b64url(p)) && (parts[2].is_empty() || is_b64url(parts[2]))
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]) && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Known key formats, and long random-looking strings (letters mixed with digits, 32+ chars).
fn is_api_key(s: &str) -> bool {
    if KEY_PREFIXES.iter().any(|p| s.starts_with(p) && s.len() >= p.len() + 8 && s[p.len()..].chars().all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))) {
        return true;
    }
    s.len() >= 32
        && !is_uuid(s)
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().any(|c| c.is_ascii_alphabetic())
        // Identifier-like names (snake or kebab case words) are not keys.
        && s.split(['_', '-']).any(|part| part.len() >= 16)
}

// ---- pass 2: runs of digits: cards and phone numbers ---------------------------------------

fn luhn_ok(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(*d);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

fn redact_digit_runs(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let starts = c.is_ascii_digit() || ((c == b'+' || c == b'(') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
        let boundary = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b'-' || bytes[i - 1] == b'.' || bytes[i - 1] == b'/' || bytes[i - 1] == b'[');
        if !(starts && boundary) {
            i += 1;
            continue;
        }
        // Extend over digits and the separators cards and phones use.
        let mut j = i;
        let mut digits = Vec::new();
        let mut separators = 0;
        while j < bytes.len() {
            let b = bytes[j];
            if b.is_ascii_digit() {
                digits.push(b - b'0');
            } else if matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | b'+') && j + 1 < bytes.len() && (bytes[j + 1].is_ascii_digit() || (b == b')' && bytes[j + 1] == b' ') || (b == b' ' && bytes[j + 1] == b'(')) && !(b == b'+' && j != i) {
                separators += 1;
            } else {
                break;
            }
            j += 1;
        }
        // Trim a trailing separator back out of the run.
        while j > i && !bytes[j - 1].is_ascii_digit() && bytes[j - 1] != b')' {
            j -= 1;
        }
        let followed_by_word = j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_');
        let run = &text[i..j];
        let n = digits.len();
        let card_separators_only = run.bytes().all(|b| b.is_ascii_digit() || b == b' ' || b == b'-');
        let kind = if followed_by_word {
            None
        } else if (13..=19).contains(&n) && card_separators_only && (3..=6).contains(&digits[0]) && luhn_ok(&digits) {
            Some("[card]")
        } else if (9..=15).contains(&n)
            && (run.starts_with('+') || run.contains('(') || separators >= 2)
            && !run.contains("..")
            && !(run.matches('.').count() == 1 && separators == 1)
        {
            Some("[phone]")
        } else {
            None
        };
        match kind {
            Some(placeholder) => {
                out.push_str(&text[copied..i]);
                out.push_str(placeholder);
                copied = j;
                i = j;
            }
            None => i = j.max(i + 1),
        }
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests;
