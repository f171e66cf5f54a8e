//! Words and stems: what the index and `static/search.js` must agree on. The browser side
//! folds a query the same way; `tests/search_vectors.json` holds the cases both are tested on.
use rust_stemmers::{Algorithm, Stemmer};

/// Longer runs of letters are not words (hashes, URLs glued together).
const MAX_WORD_CHARS: usize = 40;
/// Stemming languages: none, German, English, French, Spanish.
pub(super) const LANGS: usize = 5;

/// Appends `c` (not ASCII), lowercased and folded, to `out`.
fn fold_into(c: char, out: &mut String) {
    for l in c.to_lowercase() {
        match l {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            'ς' => out.push('σ'),
            _ => out.push(l),
        }
    }
}

/// Calls `each` with every word of `text`: runs of letters and digits, lowercased and folded.
/// A word that is lowercase ASCII already is passed as a slice of `text`, without a copy.
#[inline]
pub fn tokenize(text: &str, mut each: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut word = String::with_capacity(32);
    // The current word: where it starts, its length in characters, and whether it is still
    // the slice `text[start..]` (lowercase ASCII) rather than built up in `word`.
    let mut start = 0;
    let mut chars = 0;
    let mut plain = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (c, len) = if b < 0x80 {
            (None, 1)
        } else {
            let c = text[i..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            (Some(c), c.len_utf8())
        };
        let alnum = match c {
            None => b.is_ascii_alphanumeric(),
            Some(c) => c.is_alphanumeric(),
        };
        if alnum {
            if chars == 0 {
                start = i;
                plain = true;
            }
            match c {
                None if plain && !b.is_ascii_uppercase() => {}
                _ => {
                    if plain {
                        word.clear();
                        word.push_str(&text[start..i]);
                        plain = false;
                    }
                    match c {
                        None => word.push(b.to_ascii_lowercase() as char),
                        Some(c) => fold_into(c, &mut word),
                    }
                }
            }
            chars += 1;
        } else if chars > 0 {
            if chars <= MAX_WORD_CHARS {
                each(if plain { &text[start..i] } else { &word });
            }
            chars = 0;
        }
        i += len;
    }
    if chars > 0 && chars <= MAX_WORD_CHARS {
        each(if plain { &text[start..] } else { &word });
    }
}

/// The words of `text`, as [`tokenize`] finds them.
#[cfg(test)]
pub(super) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    tokenize(text, |w| out.push(w.to_string()));
    out
}

/// Which stemmer a language tag gets: 0 none, 1 German, 2 English, 3 French, 4 Spanish.
pub(super) fn lang_class(lang: &str) -> usize {
    match crate::config::primary_subtag(lang).as_str() {
        "de" => 1,
        "en" => 2,
        "fr" => 3,
        "es" => 4,
        _ => 0,
    }
}

pub(super) fn stemmer(class: usize) -> Option<Stemmer> {
    match class {
        1 => Some(Stemmer::create(Algorithm::German)),
        2 => Some(Stemmer::create(Algorithm::English)),
        3 => Some(Stemmer::create(Algorithm::French)),
        4 => Some(Stemmer::create(Algorithm::Spanish)),
        _ => None,
    }
}

/// The stem of a (folded) word in a language tag's stemmer; the word itself where there is
/// none.
#[cfg(test)]
fn stem(word: &str, lang: &str) -> String {
    match stemmer(lang_class(lang)) {
        Some(s) => s.stem(word).into_owned(),
        None => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_lowercases_folds_and_keeps_digits() {
        assert_eq!(
            words("Microsoft investierte 1 Milliarde US-Dollar, 2019 (fließt) ÄÖÜ"),
            [
                "microsoft",
                "investierte",
                "1",
                "milliarde",
                "us",
                "dollar",
                "2019",
                "fliesst",
                "aou"
            ]
        );
        assert_eq!(words("l'été café—Straße"), ["l", "été", "café", "strasse"]);
        assert_eq!(words("  ,;  "), Vec::<String>::new());
        assert!(words(&"x".repeat(41)).is_empty(), "too long for a word");
        assert_eq!(words("ΟΔΟΣ"), ["οδοσ"], "final sigma folds");
    }

    #[test]
    fn stems_agree_across_inflections() {
        assert_eq!(stem("milliarden", "de"), stem("milliarde", "de"));
        assert_eq!(stem("investierte", "de"), stem("investiert", "de"));
        assert_eq!(stem("investments", "en"), stem("investment", "en"));
        assert_eq!(stem("running", "en-GB"), "run");
        assert_eq!(stem("milliarden", "it"), "milliarden", "no stemmer");
        assert!("milliarden".starts_with(&stem("milliarde", "de")));
    }

    /// The cases `static/search.js` is tested on too (tests/e2e/reader.mjs): a query must
    /// fold to the words the index has.
    #[test]
    fn french_and_spanish_have_their_own_stemmers() {
        // The pairs tests/e2e/languages.mjs searches for, in the browser.
        assert_eq!(stem("investissements", "fr"), stem("investissement", "fr"));
        assert_eq!(stem("pistes", "fr"), stem("piste", "fr"));
        assert_eq!(stem("investissements", "fr-CA"), "invest");
        assert_eq!(stem("inversiones", "es"), stem("inversión", "es"));
        assert_eq!(stem("proyectos", "es"), stem("proyecto", "es"));
        // Not the English stemmer: it leaves French plurals in -ements alone.
        assert_ne!(stem("investissements", "en"), "invest");
    }

    #[test]
    fn tokenizer_agrees_with_the_shared_vectors() {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/search_vectors.json")).unwrap();
        let cases = vectors["words"].as_array().unwrap();
        assert!(cases.len() >= 10, "a real set of cases");
        for case in cases {
            let text = case["text"].as_str().unwrap();
            let want: Vec<String> = serde_json::from_value(case["words"].clone()).unwrap();
            assert_eq!(words(text), want, "{text:?}");
        }
    }
}
