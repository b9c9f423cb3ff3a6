//! Text analysis shared by indexing and querying: normalisation, tokens, stop words, stems.
//!
//! Normalisation lowercases and folds Latin accents ("Réservé" → "reserve") with a small table
//! rather than full Unicode decomposition tables, which would cost more wasm than the whole
//! search engine; scripts without case or accents pass through unchanged.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::OnceLock;

/// Words too common to tell articles apart (English).
const STOP_WORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could",
    "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "here", "him", "his",
    "how", "i", "if", "im", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our",
    "please", "she", "should", "so", "some", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "to", "us", "was", "we", "were", "what", "when",
    "where", "which", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
    "ive", "id", "ill", "youre", "just", "hi", "hello", "hey", "thanks", "thank",
];

/// Folds a lowercase Latin letter with an accent to the plain letter.
pub fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ś' | 'š' | 'ş' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' => 'l',
        'ř' => 'r',
        'ť' | 'ţ' => 't',
        other => other,
    }
}

/// Lowercased, accent-folded words: letters and digits, apostrophes dropped ("don't" → "dont").
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in crate::case::lower(text).chars() {
        if c == '\'' || c == '’' {
            continue;
        }
        if c.is_alphanumeric() {
            current.push(fold(c));
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// True for words that carry no meaning for search.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Stems already computed: a KB repeats its words (Zipf), and Snowball is most of the cost of
/// indexing. Bounded: cleared when full, so a hostile KB cannot grow it without limit.
const MAX_STEM_CACHE: usize = 20_000;

thread_local! {
    static STEMS: std::cell::RefCell<std::collections::HashMap<String, String>> = Default::default();
}

/// The Snowball English stem of a normalised word.
pub fn stem(word: &str) -> String {
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(stem) = cache.get(word) {
            return stem.clone();
        }
        let stem = stemmer().stem(word).into_owned();
        if cache.len() >= MAX_STEM_CACHE {
            cache.clear();
        }
        cache.insert(word.to_string(), stem.clone());
        stem
    })
}

/// Index terms of a text: words without stop words, stemmed. Falls back to keeping stop
/// words when a text is made of nothing else ("how do I?"), so that it still matches itself.
pub fn terms(text: &str) -> Vec<String> {
    let all = words(text);
    let kept: Vec<&String> = all.iter().filter(|w| !is_stop_word(w)).collect();
    if kept.is_empty() {
        all.iter().map(|w| stem(w)).collect()
    } else {
        kept.into_iter().map(|w| stem(w)).collect()
    }
}

/// Damerau–Levenshtein distance (optimal string alignment) bounded by `max`: returns
/// `max + 1` as soon as the distance must exceed it.
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()].min(max + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_and_split() {
        assert_eq!(words("Réservé, DON'T  pay—now!"), vec!["reserve", "dont", "pay", "now"]);
        assert_eq!(words("日本語 ok"), vec!["日本語", "ok"]);
        assert!(words("  ...  ").is_empty());
    }

    #[test]
    fn terms_drop_stop_words_and_stem() {
        assert_eq!(terms("How do I cancel my subscriptions?"), vec!["cancel", "subscript"]);
        assert_eq!(terms("how do i"), vec!["how", "do", "i"], "all stop words: keep them");
    }

    #[test]
    fn edit_distance_is_bounded_and_counts_transpositions() {
        assert_eq!(edit_distance("invoice", "invoice", 2), 0);
        assert_eq!(edit_distance("invoice", "invocie", 2), 1);
        assert_eq!(edit_distance("refund", "refnd", 2), 1);
        assert_eq!(edit_distance("card", "password", 2), 3);
        assert_eq!(edit_distance("a", "abcdef", 1), 2);
    }
}
