//! Whether a KB is written in English, the only language the answers are built for today: the
//! encoder (all-MiniLM-L6-v2) was trained on English text and the words are stemmed as English.
//! Measured by the share of English function words ("the", "to", "your" …), which is about a
//! third of any English prose and close to none of another language's.

/// English function words: frequent in every English text whatever its topic.
const FUNCTION_WORDS: &[&str] = &[
    "the", "to", "and", "of", "a", "in", "is", "you", "your", "for", "it", "on", "with", "this", "that", "be", "can", "are", "or", "if", "from", "by", "at",
    "as", "an", "not", "have", "has", "will", "do", "does", "my", "how", "what", "when", "i", "we", "our", "they", "their", "there", "then", "into", "any",
];

/// Fewer words than this say too little to judge.
const MIN_WORDS: usize = 40;
/// Below this share of function words, a text is not English (English prose: 0.25–0.45).
const MIN_ENGLISH_SHARE: f64 = 0.12;

/// The share of English function words among the words of `texts`, and how many words there
/// were.
pub fn english_share<'a>(texts: impl IntoIterator<Item = &'a str>) -> (f64, usize) {
    let (mut words, mut english) = (0usize, 0usize);
    for text in texts {
        for word in text.split(|c: char| !c.is_alphabetic() && c != '\'').filter(|w| !w.is_empty()) {
            words += 1;
            english += usize::from(FUNCTION_WORDS.contains(&word.to_lowercase().as_str()));
        }
    }
    (if words == 0 { 0.0 } else { english as f64 / words as f64 }, words)
}

/// A warning when `texts` are mostly not English.
pub fn warning<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let (share, words) = english_share(texts);
    (words >= MIN_WORDS && share < MIN_ENGLISH_SHARE).then(|| {
        format!(
            "the articles are mostly not in English ({:.0}% English function words, English prose has 25–45%): answers are built for English today (the encoder and the word stems); search in another language finds articles by their exact words only",
            share * 100.0
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_passes_and_other_languages_are_told() {
        let english = "To reset your password, open the sign-in page and click on the link below the form. You will get an email with a link that works for one hour. If it does not arrive, check your spam folder and try again.";
        assert_eq!(warning([english, english]), None, "{:?}", english_share([english]));
        let french = "Pour réinitialiser votre mot de passe, ouvrez la page de connexion et cliquez sur le lien sous le formulaire. Vous recevrez un courriel avec un lien valable une heure. S'il n'arrive pas, vérifiez vos courriers indésirables et réessayez.";
        let german = "Um Ihr Passwort zurückzusetzen, öffnen Sie die Anmeldeseite und klicken Sie auf den Link unter dem Formular. Sie erhalten eine E-Mail mit einem Link, der eine Stunde gültig ist. Wenn sie nicht ankommt, prüfen Sie den Spam-Ordner.";
        let japanese = "パスワードを再設定するには サインイン ページを開き フォームの下のリンクを クリックしてください メールが 届かない 場合は 迷惑メール フォルダを 確認して もう一度 お試しください ".repeat(4);
        for other in [french, german, japanese.as_str()] {
            assert!(warning([other, other]).is_some_and(|w| w.contains("mostly not in English")), "{:?}", english_share([other]));
        }
        assert_eq!(warning(["Bonjour"]), None, "too few words to judge");
    }
}
