//! The default theme's words, in each language gloss knows.
use jiff::civil::Date;
use serde::Serialize;

use crate::lang::Lang;

/// Every word the default theme shows, for one language (field names are the keys
/// templates use: `{{ t.claims }}`).
#[allow(missing_docs)]
#[derive(Debug, Clone, Serialize)]
pub struct Words {
    pub skip_to_content: &'static str,
    pub home: &'static str,
    pub articles: &'static str,
    pub newest_first: &'static str,
    pub published: &'static str,
    pub updated: &'static str,
    pub by: &'static str,
    pub source: &'static str,
    pub translated_from: &'static str,
    pub translated_by_machine: &'static str,
    pub annotations: &'static str,
    pub claim: &'static str,
    pub claims: &'static str,
    pub quote: &'static str,
    pub quotes: &'static str,
    pub figure: &'static str,
    pub figures: &'static str,
    pub note: &'static str,
    pub notes: &'static str,
    pub correction: &'static str,
    pub corrections: &'static str,
    pub verdict: &'static str,
    pub claimed_by: &'static str,
    pub said_by: &'static str,
    pub text_says: &'static str,
    pub correct_is: &'static str,
    pub sources: &'static str,
    pub back_to_text: &'static str,
    pub tags: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub page_of: &'static str,
    pub pagination: &'static str,
    pub no_articles: &'static str,
    pub value: &'static str,
    pub generated_by: &'static str,
    pub main_navigation: &'static str,
    pub people: &'static str,
    pub search: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub claims_intro: &'static str,
    pub people_intro: &'static str,
    pub corrections_intro: &'static str,
    pub tags_intro: &'static str,
    pub in_article: &'static str,
    pub quotes_count: &'static str,
    pub articles_count: &'static str,
    pub feed: &'static str,
    pub not_in_registry: &'static str,
    pub also_written: &'static str,
    pub more_about: &'static str,
}

const DE: Words = Words {
    skip_to_content: "Zum Inhalt springen",
    home: "Startseite",
    articles: "Artikel",
    newest_first: "Neueste zuerst",
    published: "Veröffentlicht",
    updated: "Aktualisiert",
    by: "von",
    source: "Quelle",
    translated_from: "Übersetzt aus dem",
    translated_by_machine: "maschinell übersetzt",
    annotations: "Anmerkungen",
    claim: "Behauptung",
    claims: "Behauptungen",
    quote: "Zitat",
    quotes: "Zitate",
    figure: "Zahl",
    figures: "Zahlen",
    note: "Hinweis",
    notes: "Hinweise",
    correction: "Korrektur",
    corrections: "Korrekturen",
    verdict: "Bewertung",
    claimed_by: "Behauptet von",
    said_by: "Gesagt von",
    text_says: "Im Text",
    correct_is: "Richtig",
    sources: "Quellen",
    back_to_text: "Zurück zur Stelle im Text",
    tags: "Schlagwörter",
    previous_page: "Vorherige Seite",
    next_page: "Nächste Seite",
    page_of: "Seite {n} von {total}",
    pagination: "Seitennavigation",
    no_articles: "Noch keine Artikel.",
    value: "Wert",
    generated_by: "Erstellt mit gloss",
    main_navigation: "Hauptnavigation",
    people: "Personen",
    search: "Suche",
    not_found_title: "Seite nicht gefunden",
    not_found_text: "Diese Seite gibt es nicht (mehr). Vielleicht hilft die Startseite weiter.",
    claims_intro: "Jede geprüfte Behauptung dieser Seite, nach Bewertung geordnet.",
    people_intro: "Alle zitierten Personen mit ihren Zitaten.",
    corrections_intro: "Jede Korrektur dieser Seite, die neueste zuerst.",
    tags_intro: "Alle Schlagwörter.",
    in_article: "in",
    quotes_count: "Zitate",
    articles_count: "Artikel",
    feed: "Feed",
    not_in_registry: "nicht im Personenverzeichnis",
    also_written: "Auch geschrieben als",
    more_about: "Mehr über",
};

const EN: Words = Words {
    skip_to_content: "Skip to content",
    home: "Home",
    articles: "Articles",
    newest_first: "Newest first",
    published: "Published",
    updated: "Updated",
    by: "by",
    source: "Source",
    translated_from: "Translated from",
    translated_by_machine: "machine-translated",
    annotations: "Annotations",
    claim: "Claim",
    claims: "Claims",
    quote: "Quote",
    quotes: "Quotes",
    figure: "Figure",
    figures: "Figures",
    note: "Note",
    notes: "Notes",
    correction: "Correction",
    corrections: "Corrections",
    verdict: "Verdict",
    claimed_by: "Claimed by",
    said_by: "Said by",
    text_says: "The text says",
    correct_is: "Correct",
    sources: "Sources",
    back_to_text: "Back to the place in the text",
    tags: "Tags",
    previous_page: "Previous page",
    next_page: "Next page",
    page_of: "Page {n} of {total}",
    pagination: "Pagination",
    no_articles: "No articles yet.",
    value: "Value",
    generated_by: "Made with gloss",
    main_navigation: "Main navigation",
    people: "People",
    search: "Search",
    not_found_title: "Page not found",
    not_found_text: "This page does not exist (any more). The home page may help.",
    claims_intro: "Every claim checked on this site, by verdict.",
    people_intro: "Everyone quoted on this site, with their quotes.",
    corrections_intro: "Every correction on this site, newest first.",
    tags_intro: "All tags.",
    in_article: "in",
    quotes_count: "quotes",
    articles_count: "articles",
    feed: "Feed",
    not_in_registry: "not in the registry",
    also_written: "Also written as",
    more_about: "More about",
};

/// The theme's words in `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}

/// A date as readers of `lang` write it: "24. Juli 2019", "July 24, 2019".
pub fn long_date(date: Date, lang: Lang) -> String {
    const DE_MONTHS: [&str; 12] = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];
    const EN_MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m = (date.month() - 1) as usize;
    match lang {
        Lang::De => format!("{}. {} {}", date.day(), DE_MONTHS[m], date.year()),
        Lang::En => format!("{} {}, {}", EN_MONTHS[m], date.day(), date.year()),
    }
}

/// The name of a language, by its tag, in `lang` (for "translated from Chinese").
pub fn language_name(tag: &str, lang: Lang) -> String {
    let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let (de, en) = match primary.as_str() {
        "de" => ("Deutschen", "German"),
        "en" => ("Englischen", "English"),
        "zh" => ("Chinesischen", "Chinese"),
        "fr" => ("Französischen", "French"),
        "es" => ("Spanischen", "Spanish"),
        "it" => ("Italienischen", "Italian"),
        "ru" => ("Russischen", "Russian"),
        "ja" => ("Japanischen", "Japanese"),
        "ar" => ("Arabischen", "Arabic"),
        "uk" => ("Ukrainischen", "Ukrainian"),
        "pl" => ("Polnischen", "Polish"),
        "tr" => ("Türkischen", "Turkish"),
        _ => return tag.to_string(),
    };
    match lang {
        Lang::De => de.to_string(),
        Lang::En => en.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally() {
        let d = Date::new(2019, 7, 24).unwrap();
        assert_eq!(long_date(d, Lang::De), "24. Juli 2019");
        assert_eq!(long_date(d, Lang::En), "July 24, 2019");
    }
}
