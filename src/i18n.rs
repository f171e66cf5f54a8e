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
    pub other_languages: &'static str,
    pub people: &'static str,
    pub search: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub claims_intro: &'static str,
    pub all_of_verdict: &'static str,
    pub people_intro: &'static str,
    pub corrections_intro: &'static str,
    pub tags_intro: &'static str,
    pub in_article: &'static str,
    pub quotes_count: &'static str,
    pub articles_count: &'static str,
    pub feed: &'static str,
    pub not_in_registry: &'static str,
    pub also_written: &'static str,
    /// "as written in the text", beside a registered name the article spells otherwise.
    pub as_written_in_text: &'static str,
    pub more_about: &'static str,
    pub at_a_glance: &'static str,
    pub people_quoted: &'static str,
    pub no_claims_checked: &'static str,
    pub highlights: &'static str,
    pub key: &'static str,
    pub close: &'static str,
    pub more: &'static str,
    pub figures_in_text: &'static str,
    pub in_sentence: &'static str,
    pub kind: &'static str,
    pub approx: &'static str,
    pub year_inferred: &'static str,
    pub annotations_export: &'static str,
    pub search_intro: &'static str,
    pub search_needs_js: &'static str,
    pub claims_in_article: &'static str,
    pub go_to: &'static str,
    pub this_article: &'static str,
    pub no_corrections: &'static str,
    pub quote_open: &'static str,
    pub quote_close: &'static str,
    pub search_label: &'static str,
    pub fig_number: &'static str,
    pub fig_money: &'static str,
    pub fig_percent: &'static str,
    pub fig_percentage_points: &'static str,
    pub fig_year: &'static str,
    pub fig_date: &'static str,
    pub fig_duration: &'static str,
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
    other_languages: "In anderen Sprachen",
    people: "Personen",
    search: "Suche",
    not_found_title: "Seite nicht gefunden",
    not_found_text: "Diese Seite gibt es nicht (mehr). Vielleicht hilft die Startseite weiter.",
    claims_intro: "Jede geprüfte Behauptung dieser Seite, nach Bewertung geordnet.",
    all_of_verdict: "Alle {n} ansehen",
    people_intro: "Alle zitierten Personen mit ihren Zitaten.",
    corrections_intro: "Jede Korrektur dieser Seite, die neueste zuerst.",
    tags_intro: "Alle Schlagwörter.",
    in_article: "in",
    quotes_count: "Zitate",
    articles_count: "Artikel",
    feed: "Feed",
    not_in_registry: "nicht im Personenverzeichnis",
    also_written: "Auch geschrieben als",
    as_written_in_text: "im Text",
    more_about: "Mehr über",
    at_a_glance: "Auf einen Blick",
    people_quoted: "Zitierte Personen",
    no_claims_checked: "Keine Behauptungen geprüft.",
    highlights: "Markierungen",
    key: "Legende",
    close: "Schließen",
    more: "Mehr",
    figures_in_text: "Zahlen im Text",
    in_sentence: "Satz",
    kind: "Art",
    approx: "ungefähr",
    year_inferred: "Jahr aus dem Erscheinungsdatum ergänzt",
    annotations_export: "Anmerkungen als W3C Web Annotations (JSON-LD)",
    search_intro: "Durchsucht Artikel, Behauptungen und Personen.",
    search_needs_js: "Die Suche braucht JavaScript. Ohne JavaScript führen die Listen weiter:",
    claims_in_article: "Behauptungen in diesem Artikel",
    go_to: "Zur Stelle",
    this_article: "Dieser Artikel",
    no_corrections: "Bisher keine Korrekturen.",
    quote_open: "„",
    quote_close: "“",
    search_label: "Suchbegriff",
    fig_number: "Zahl",
    fig_money: "Geldbetrag",
    fig_percent: "Prozent",
    fig_percentage_points: "Prozentpunkte",
    fig_year: "Jahr",
    fig_date: "Datum",
    fig_duration: "Dauer",
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
    other_languages: "In other languages",
    people: "People",
    search: "Search",
    not_found_title: "Page not found",
    not_found_text: "This page does not exist (any more). The home page may help.",
    claims_intro: "Every claim checked on this site, by verdict.",
    all_of_verdict: "See all {n}",
    people_intro: "Everyone quoted on this site, with their quotes.",
    corrections_intro: "Every correction on this site, newest first.",
    tags_intro: "All tags.",
    in_article: "in",
    quotes_count: "quotes",
    articles_count: "articles",
    feed: "Feed",
    not_in_registry: "not in the registry",
    also_written: "Also written as",
    as_written_in_text: "as written in the text",
    more_about: "More about",
    at_a_glance: "At a glance",
    people_quoted: "People quoted",
    no_claims_checked: "No claims checked.",
    highlights: "Highlights",
    key: "Key",
    close: "Close",
    more: "More",
    figures_in_text: "Figures in the text",
    in_sentence: "Sentence",
    kind: "Kind",
    approx: "approximately",
    year_inferred: "year taken from the publication date",
    annotations_export: "Annotations as W3C Web Annotations (JSON-LD)",
    search_intro: "Searches articles, claims and people.",
    search_needs_js: "Search needs JavaScript. Without it, the lists lead on:",
    claims_in_article: "Claims in this article",
    go_to: "Go to",
    this_article: "This article",
    no_corrections: "No corrections so far.",
    quote_open: "“",
    quote_close: "”",
    search_label: "Search for",
    fig_number: "Number",
    fig_money: "Amount of money",
    fig_percent: "Percent",
    fig_percentage_points: "Percentage points",
    fig_year: "Year",
    fig_date: "Date",
    fig_duration: "Duration",
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
    let month = month_name(date.month() as u8, lang);
    match lang {
        Lang::De => format!("{}. {month} {}", date.day(), date.year()),
        Lang::En => format!("{month} {}, {}", date.day(), date.year()),
    }
}

/// The name of month `m` (1 to 12) in `lang`.
pub fn month_name(m: u8, lang: Lang) -> &'static str {
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
    let i = usize::from(m.clamp(1, 12) - 1);
    match lang {
        Lang::De => DE_MONTHS[i],
        Lang::En => EN_MONTHS[i],
    }
}

/// What a figure unit (a key of the unit list) is called after a number in `lang`,
/// for one (`one`) or more; `None` for units shown without a word (counts, currencies).
pub fn unit_name(key: &str, lang: Lang, one: bool) -> Option<&'static str> {
    let (de1, de, en1, en) = match key {
        "percentage-points" => (
            "Prozentpunkt",
            "Prozentpunkte",
            "percentage point",
            "percentage points",
        ),
        "people" => ("Mensch", "Menschen", "person", "people"),
        "km" => ("km", "km", "km", "km"),
        "m" => ("m", "m", "m", "m"),
        "km2" => ("km²", "km²", "km²", "km²"),
        "hectares" => ("ha", "ha", "ha", "ha"),
        "kg" => ("kg", "kg", "kg", "kg"),
        "tonnes" => ("Tonne", "Tonnen", "tonne", "tonnes"),
        "litres" => ("Liter", "Liter", "litre", "litres"),
        "celsius" => ("°C", "°C", "°C", "°C"),
        "kwh" => ("kWh", "kWh", "kWh", "kWh"),
        "years" => ("Jahr", "Jahre", "year", "years"),
        "months" => ("Monat", "Monate", "month", "months"),
        "weeks" => ("Woche", "Wochen", "week", "weeks"),
        "days" => ("Tag", "Tage", "day", "days"),
        "hours" => ("Stunde", "Stunden", "hour", "hours"),
        "minutes" => ("Minute", "Minuten", "minute", "minutes"),
        "seconds" => ("Sekunde", "Sekunden", "second", "seconds"),
        _ => return None,
    };
    Some(match (lang, one) {
        (Lang::De, true) => de1,
        (Lang::De, false) => de,
        (Lang::En, true) => en1,
        (Lang::En, false) => en,
    })
}

/// The word for 10^`power` (6, 9, 12) after an amount: "Mio.", "billion".
pub fn scale_name(power: usize, lang: Lang) -> Option<&'static str> {
    Some(match (power, lang) {
        (6, Lang::De) => "Mio.",
        (9, Lang::De) => "Mrd.",
        (12, Lang::De) => "Bio.",
        (6, Lang::En) => "million",
        (9, Lang::En) => "billion",
        (12, Lang::En) => "trillion",
        _ => return None,
    })
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

/// The language of `tag` as its speakers call it, for a link to a page in it ("Deutsch",
/// "Français"); the tag itself where gloss does not know it.
pub fn endonym(tag: &str) -> String {
    let name = match crate::config::primary_subtag(tag).as_str() {
        "de" => "Deutsch",
        "en" => "English",
        "fr" => "Français",
        "es" => "Español",
        "it" => "Italiano",
        "nl" => "Nederlands",
        "pt" => "Português",
        "pl" => "Polski",
        "ru" => "Русский",
        "uk" => "Українська",
        "tr" => "Türkçe",
        "zh" => "中文",
        "ja" => "日本語",
        "ar" => "العربية",
        _ => return tag.to_string(),
    };
    name.to_string()
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
