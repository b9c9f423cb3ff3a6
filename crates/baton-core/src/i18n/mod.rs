//! Every user-visible string, in one table per language, and the choice of language: `locale`
//! from config, else the browser's languages, else English. `strings` config overrides single
//! entries. Placeholders are `{name}`, filled by [`Strings::fill`]; a translation may move them
//! but must keep every one (a native test checks).
//!
//! One source holds every string: `strings.json` beside this file, each key once with its text
//! in every language and where it is shown. The build (`build.rs`) generates two tables from
//! it: the first screen's (here, in the first module) and the lazily loaded screens' ([`later`],
//! which only those parts reach), and stops on a missing text or a changed placeholder.
//!
//! Adding a language: its entry in `languages` and its text in every entry of `strings`.

use serde::Serialize;

pub mod later;

/// A language Baton ships.
#[derive(Debug, PartialEq)]
pub struct Lang {
    /// BCP 47 primary subtag.
    pub code: &'static str,
    /// Right-to-left script: the panel's layout is mirrored.
    pub rtl: bool,
    /// Key → text.
    pub table: &'static [(&'static str, &'static str)],
}

// EN, FR, AR (English is the reference: every other language falls back to it) and LANGS,
// generated from strings.json.
include!(concat!(env!("OUT_DIR"), "/i18n_first.rs"));

/// True when `key` names a string (in the English table, or of the lazily loaded screens).
pub fn is_key(key: &str) -> bool {
    EN.iter().any(|(k, _)| *k == key) || later::KEYS.contains(&key)
}

/// The launcher's language table, as the JavaScript literal `widget/launcher.js` carries between
/// its `/*rule:langs*/` marker: code → [word for "Help", 1 when right-to-left], so that the
/// launcher speaks the visitor's language (chosen as [`choose`] does) before any wasm loads.
pub fn launcher_langs() -> String {
    let entries: Vec<String> = LANGS
        .iter()
        .map(|lang| {
            let label = lang.table.iter().find(|(k, _)| *k == "launcher").map_or("Help", |(_, v)| v);
            let label = serde_json::to_string(label).expect("a string serializes");
            format!("{}: [{label}{}]", lang.code, if lang.rtl { ", 1" } else { "" })
        })
        .collect();
    format!("{{ {} }}", entries.join(", "))
}

/// The first of `wanted` (BCP 47 tags, most preferred first) that Baton ships, by primary
/// subtag; English when none is.
pub fn choose<'a>(wanted: impl IntoIterator<Item = &'a str>) -> &'static Lang {
    for tag in wanted {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        if let Some(lang) = LANGS.iter().find(|l| l.code == primary) {
            return lang;
        }
    }
    &LANGS[0]
}

/// The host's `strings` config: key → text, each key once (a later value replaces an earlier).
/// A short list, not a map: a few dozen keys at most, and no B-tree code in the wasm for it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides(Vec<(String, String)>);

/// Written as the object it was given as.
impl Serialize for Overrides {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl Overrides {
    /// Sets `key` to `text`.
    pub fn set(&mut self, key: &str, text: String) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = text,
            None => self.0.push((key.to_string(), text)),
        }
    }

    /// The text set for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// The strings in use: a language plus the host's overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct Strings {
    /// The language.
    pub lang: &'static Lang,
    overrides: Overrides,
}

impl Default for Strings {
    fn default() -> Self {
        Strings { lang: &LANGS[0], overrides: Overrides::default() }
    }
}

impl Strings {
    /// `lang` with the host's `strings` overrides.
    pub fn new(lang: &'static Lang, overrides: Overrides) -> Strings {
        Strings { lang, overrides }
    }

    /// The text for `key`: the host's override, else the language's, else English, else the
    /// key itself (never empty, never a panic).
    pub fn get(&self, key: &str) -> String {
        if let Some(text) = self.overrides.get(key) {
            return text.to_string();
        }
        let find = |table: &[(&str, &'static str)]| table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        find(self.lang.table).or_else(|| find(EN)).or_else(|| later::find(self.lang.code, key)).unwrap_or(key).to_string()
    }

    /// [`Strings::get`] with `{name}` placeholders filled.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.get(key);
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(n, _)| n)).collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders() {
        for lang in LANGS {
            for (key, english) in EN {
                let text = lang.table.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
                let text = text.unwrap_or_else(|| panic!("{} lacks {key}", lang.code));
                assert!(!text.trim().is_empty() || english.trim().is_empty(), "{}:{key} is empty", lang.code);
                assert_eq!(placeholders(text), placeholders(english), "{}:{key}", lang.code);
            }
            for (key, _) in lang.table {
                assert!(is_key(key), "{}:{key} is not an English key", lang.code);
            }
            assert_eq!(lang.table.len(), EN.len(), "{} has duplicates", lang.code);
        }
    }

    #[test]
    fn the_later_strings_are_in_every_language_and_listed_once() {
        let keys: Vec<&str> = later::EN.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, later::KEYS, "later::KEYS lists later::EN's keys, in order");
        for (code, table) in [("fr", later::FR), ("ar", later::AR)] {
            assert_eq!(table.len(), later::EN.len(), "{code}");
            for (key, english) in later::EN {
                let text = table.iter().find(|(k, _)| k == key).map(|(_, v)| *v).unwrap_or_else(|| panic!("{code} lacks {key}"));
                assert!(!text.trim().is_empty(), "{code}:{key} is empty");
                assert_eq!(placeholders(text), placeholders(english), "{code}:{key}");
            }
        }
        for key in later::KEYS {
            assert!(!EN.iter().any(|(k, _)| k == key), "{key} is in both tables");
        }
    }

    #[test]
    fn later_strings_show_once_registered() {
        let s = Strings::new(choose(["fr"]), Overrides::default());
        assert_eq!(s.get("send"), "send", "before a lazily loaded screen registered them: the key");
        later::register();
        assert_eq!(s.get("send"), "Envoyer");
        assert_eq!(Strings::new(choose(["ar"]), Overrides::default()).get("stop"), "إيقاف");
        assert_eq!(Strings::default().get("sending"), "Sending…");
        assert_eq!(s.get("person"), "Parler à quelqu'un", "the first screen's strings are where they were");
    }

    #[test]
    fn language_choice() {
        assert_eq!(choose(["fr-CA"]).code, "fr");
        assert_eq!(choose(["de-DE", "ar-EG", "fr"]).code, "ar", "first shipped one wins");
        assert_eq!(choose(["de", "pt-BR"]).code, "en");
        assert_eq!(choose(["AR"]).code, "ar");
        assert_eq!(choose(Vec::<&str>::new()).code, "en");
        assert!(choose(["ar"]).rtl);
    }

    #[test]
    fn overrides_and_fallbacks() {
        let mut o = Overrides::default();
        o.set("person", "Chat with Sam".to_string());
        o.set("send", "Go".to_string());
        o.set("send", "Envoyer".to_string());
        let s = Strings::new(choose(["fr"]), o);
        later::register();
        assert_eq!(s.get("person"), "Chat with Sam");
        assert_eq!(s.get("send"), "Envoyer");
        assert_eq!(s.get("no-such-key"), "no-such-key");
        assert_eq!(s.fill("flow_progress", &[("n", "2"), ("total", "5")]), "Étape 2 sur 5");
    }
}

