//! The pages' words and conventions in each language gloss knows: one locale file per
//! language (`locales/<tag>.toml`, embedded at compile time, listed in [`crate::lang`]),
//! with a site's own words laid over them (`[words]` in site.toml, see [`Locales::new`]).
//!
//! Plural categories ("1 Jahr", "1,5 Jahre"; French "1,5 an") come from `icu_plurals`
//! (ICU4X): CLDR's rules for every language, released with each CLDR by the Unicode
//! Consortium. It was preferred to `intl_pluralrules` (Project Fluent), whose last release
//! is from 2022 and which brings its own `unic-langid`, where ICU4X shares
//! `icu_locale_core` with the tag checks of [`crate::lang`].
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use icu_plurals::{PluralCategory, PluralRules};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::lang::{FILES, Lang};

/// The pages' words in one language, by key (the keys templates use: `{{ t.claims }}`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Words(BTreeMap<String, String>);

impl Words {
    /// The word for `key`. Every locale has every key (checked when the locales load), so an
    /// unknown key is a typo in gloss and shows as itself.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map_or(key, String::as_str)
    }

    /// Every key.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Sets the word for `key`.
    pub(crate) fn set(&mut self, key: &str, word: String) {
        self.0.insert(key.to_string(), word);
    }
}

/// A word in each plural category a language uses (CLDR's names; `other` always).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Forms {
    /// For zero, where the language says so (Arabic, Latvian).
    pub zero: Option<String>,
    /// For one (and whatever else the language counts as one: French 0 and 1,5).
    pub one: Option<String>,
    /// For two.
    pub two: Option<String>,
    /// For a few.
    pub few: Option<String>,
    /// For many.
    pub many: Option<String>,
    /// For every other number.
    pub other: String,
}

/// How numbers and dates are written: `{n}` a number, `{d}` a day, `{month}` a month's
/// name, `{y}` a year.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Format {
    /// The decimal mark.
    pub decimal: String,
    /// The mark between groups of three digits.
    pub group: String,
    /// A percentage: "{n} %".
    pub percent: String,
    /// A full date: "{d}. {month} {y}".
    pub date: String,
    /// A month of a year: "{month} {y}".
    pub month_year: String,
    /// A day of a month, without a year: "{d}. {month}".
    pub day_month: String,
    /// The first day of a month, where dates write it otherwise than "1" (French "1er").
    pub day_one: String,
    /// A decade, by its first year: "{y}er".
    pub decade: String,
}

/// Words for 10^6, 10^9 and 10^12 after an amount.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scales {
    /// 10^6.
    pub million: Forms,
    /// 10^9.
    pub billion: Forms,
    /// 10^12.
    pub trillion: Forms,
}

/// One language's words and conventions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locale {
    /// The primary language subtag the locale serves.
    #[serde(skip)]
    pub code: &'static str,
    /// The language's name in itself.
    pub name: String,
    /// Month names, January first.
    pub months: Vec<String>,
    /// How numbers and dates are written.
    pub format: Format,
    /// Words for large amounts.
    pub scales: Scales,
    /// Units' names after a number, by the unit list's key.
    pub units: BTreeMap<String, Forms>,
    /// Other languages' names as they follow `translated_from`, by tag.
    pub languages: BTreeMap<String, String>,
    /// The pages' words.
    pub words: Words,
    #[serde(skip)]
    plurals: Option<Arc<PluralRules>>,
}

/// The built-in locales, checked, in [`Lang::all`]'s order.
fn builtins() -> &'static Result<Vec<Locale>, String> {
    static LOCALES: OnceLock<Result<Vec<Locale>, String>> = OnceLock::new();
    LOCALES.get_or_init(|| {
        let mut locales = Vec::new();
        for (code, text) in FILES {
            locales.push(Locale::parse(code, text)?);
        }
        let reference = &locales[0];
        for locale in &locales[1..] {
            check_same_keys(reference, locale)?;
        }
        Ok(locales)
    })
}

/// Whether the built-in locales loaded; an error is a fault in gloss's own locale files,
/// which the unit tests rule out.
pub fn check_builtins() -> Result<(), String> {
    builtins().as_ref().map(|_| ()).map_err(Clone::clone)
}

/// The built-in locale of `lang`, without a site's words.
pub fn builtin(lang: Lang) -> &'static Locale {
    match builtins() {
        Ok(all) => &all[lang.index()],
        Err(e) => panic!("gloss's own locale files are broken (see the i18n tests): {e}"),
    }
}

/// That `other` has exactly `reference`'s keys: every word, unit and month.
fn check_same_keys(reference: &Locale, other: &Locale) -> Result<(), String> {
    let differ = |what: &str, a: Vec<&str>, b: Vec<&str>| -> Result<(), String> {
        let missing: Vec<&str> = a.iter().filter(|k| !b.contains(k)).copied().collect();
        let extra: Vec<&str> = b.iter().filter(|k| !a.contains(k)).copied().collect();
        if missing.is_empty() && extra.is_empty() {
            return Ok(());
        }
        let mut msg = format!("locales/{}.toml", other.code);
        if !missing.is_empty() {
            msg.push_str(&format!(
                " lacks the {what} {} that locales/{}.toml has",
                quote_all(&missing),
                reference.code
            ));
        }
        if !extra.is_empty() {
            msg.push_str(&format!(
                "{} has the {what} {} that locales/{}.toml lacks",
                if missing.is_empty() { "" } else { " and" },
                quote_all(&extra),
                reference.code
            ));
        }
        Err(msg)
    };
    differ(
        "words",
        reference.words.keys().collect(),
        other.words.keys().collect(),
    )?;
    differ(
        "units",
        reference.units.keys().map(String::as_str).collect(),
        other.units.keys().map(String::as_str).collect(),
    )
}

fn quote_all(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Locale {
    /// Reads locale file `text` for language `code`.
    fn parse(code: &'static str, text: &str) -> Result<Locale, String> {
        let mut locale: Locale =
            toml::from_str(text).map_err(|e| format!("locales/{code}.toml: {e}"))?;
        locale.code = code;
        if locale.months.len() != 12 {
            return Err(format!(
                "locales/{code}.toml: `months` has {} names, not 12",
                locale.months.len()
            ));
        }
        let id: icu_locale_core::LanguageIdentifier = code
            .parse()
            .map_err(|e| format!("locales/{code}.toml: `{code}` is not a tag: {e}"))?;
        let rules = PluralRules::try_new_cardinal((&id).into())
            .map_err(|e| format!("no plural rules for `{code}`: {e}"))?;
        locale.plurals = Some(Arc::new(rules));
        Ok(locale)
    }

    /// The word of `forms` for the number written `n` ("1", "1.5", "12"), by the language's
    /// plural rules.
    pub fn plural<'a>(&self, forms: &'a Forms, n: &str) -> &'a str {
        let category = match (&self.plurals, fixed_decimal::Decimal::try_from_str(n)) {
            (Some(rules), Ok(d)) => rules.category_for(&d),
            _ => PluralCategory::Other,
        };
        let form = match category {
            PluralCategory::Zero => &forms.zero,
            PluralCategory::One => &forms.one,
            PluralCategory::Two => &forms.two,
            PluralCategory::Few => &forms.few,
            PluralCategory::Many => &forms.many,
            PluralCategory::Other => &None,
        };
        form.as_deref().unwrap_or(&forms.other)
    }

    /// `one` or `other` after the count `n`, by the language's plural rules: French counts
    /// 0 as one ("0 citation"), English and German do not ("0 quotes").
    pub fn count_word<'a>(&self, n: u64, one: &'a str, other: &'a str) -> &'a str {
        let category = self
            .plurals
            .as_ref()
            .map_or(PluralCategory::Other, |rules| rules.category_for(n));
        if category == PluralCategory::One {
            one
        } else {
            other
        }
    }

    /// What a figure unit (a key of the unit list) is called after the number written `n`;
    /// `None` for units shown without a word (counts, currencies).
    pub fn unit_name(&self, key: &str, n: &str) -> Option<&str> {
        self.units.get(key).map(|forms| self.plural(forms, n))
    }

    /// The word for 10^`power` (6, 9, 12) after the amount written `n`: "Mio.", "milliards".
    pub fn scale_name(&self, power: usize, n: &str) -> Option<&str> {
        let forms = match power {
            6 => &self.scales.million,
            9 => &self.scales.billion,
            12 => &self.scales.trillion,
            _ => return None,
        };
        Some(self.plural(forms, n))
    }

    /// The name of month `m` (1 to 12).
    pub fn month_name(&self, m: u8) -> &str {
        &self.months[usize::from(m.clamp(1, 12) - 1)]
    }

    /// A date as the language writes it: "24. Juli 2019", "July 24, 2019".
    pub fn long_date(&self, date: Date) -> String {
        self.date_parts(
            Some(date.year()),
            date.month() as u8,
            Some(date.day() as u8),
        )
    }

    /// A date, a month of a year or a day of a month, in words.
    pub fn date_parts(&self, y: Option<i16>, m: u8, d: Option<u8>) -> String {
        let pattern = match (y, d) {
            (Some(_), Some(_)) => &self.format.date,
            (Some(_), None) => &self.format.month_year,
            (None, _) => &self.format.day_month,
        };
        pattern
            .replace("{month}", self.month_name(m))
            .replace(
                "{d}",
                &match d {
                    Some(1) => self.format.day_one.clone(),
                    Some(d) => d.to_string(),
                    None => String::new(),
                },
            )
            .replace("{y}", &y.map_or(String::new(), |y| y.to_string()))
    }

    /// The name of a language, by its tag, as it follows `translated_from`; the tag itself
    /// for a language the locale has no name for.
    pub fn language_name<'a>(&'a self, tag: &'a str) -> &'a str {
        let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
        self.languages.get(&primary).map_or(tag, String::as_str)
    }

    /// `text` between the language's quotation marks.
    pub fn quoted(&self, text: &str) -> String {
        format!(
            "{}{text}{}",
            self.words.get("quote_open"),
            self.words.get("quote_close")
        )
    }
}

/// The language of `tag` as its speakers call it, as a link to a page in it is labelled
/// ("Deutsch", "Français": the locale's `name`, starting a label); the tag itself where gloss
/// has no locale for it.
pub fn endonym(tag: &str) -> String {
    let Some(lang) = Lang::from_tag(tag) else {
        return tag.to_string();
    };
    let name = &builtin(lang).name;
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => tag.to_string(),
    }
}

/// Every language's locale as a site shows it: the built-in words with the site's own.
#[derive(Debug, Clone)]
pub struct Locales(Vec<Locale>);

impl Default for Locales {
    fn default() -> Self {
        Locales(Lang::all().map(|l| builtin(l).clone()).collect())
    }
}

impl Locales {
    /// The built-in locales with `words` (language, key, word) laid over them.
    pub fn new(words: impl IntoIterator<Item = (Lang, String, String)>) -> Locales {
        let mut locales = Locales::default();
        for (lang, key, word) in words {
            locales.0[lang.index()].words.set(&key, word);
        }
        locales
    }

    /// The locale of `lang`.
    pub fn get(&self, lang: Lang) -> &Locale {
        &self.0[lang.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr() -> Lang {
        Lang::from_tag("fr").unwrap()
    }

    #[test]
    fn counts_take_the_languages_plural() {
        let word =
            |code: &str, n| builtin(Lang::from_tag(code).unwrap()).count_word(n, "one", "other");
        assert_eq!(word("fr", 0), "one");
        assert_eq!(word("fr", 1), "one");
        assert_eq!(word("fr", 2), "other");
        assert_eq!(word("en", 0), "other");
        assert_eq!(word("en", 1), "one");
        assert_eq!(word("de", 0), "other");
        assert_eq!(word("es", 0), "other");
        assert_eq!(word("es", 1), "one");
    }

    #[test]
    fn every_locale_has_every_key() {
        check_builtins().unwrap();
        let reference: Vec<&str> = builtin(Lang::DE).words.keys().collect();
        // The words templates and code use are all there (a sample of each kind).
        for key in [
            "claims",
            "quote_open",
            "search_many",
            "fig_duration",
            "page_of",
        ] {
            assert!(reference.contains(&key), "{key}");
        }
        for lang in Lang::all() {
            let l = builtin(lang);
            assert_eq!(l.words.keys().collect::<Vec<_>>(), reference, "{}", l.code);
            assert!(l.words.0.values().all(|w| !w.is_empty()), "{}", l.code);
            assert_eq!(l.months.len(), 12);
        }
    }

    #[test]
    fn a_missing_key_is_named() {
        let de = Locale::parse("de", FILES[0].1).unwrap();
        let text = FILES[1].1.replace("\nclaims = ", "\nclaimz = ");
        let en = Locale::parse("en", &text).unwrap();
        assert_eq!(
            check_same_keys(&de, &en).unwrap_err(),
            "locales/en.toml lacks the words `claims` that locales/de.toml has and has the \
             words `claimz` that locales/de.toml lacks"
        );
        let text = FILES[1].1.replace("\n[scales]", "\n[scalez]");
        assert!(
            Locale::parse("en", &text)
                .unwrap_err()
                .contains("unknown field `scalez`")
        );
    }

    #[test]
    fn dates_read_naturally() {
        let d = Date::new(2019, 7, 24).unwrap();
        assert_eq!(builtin(Lang::DE).long_date(d), "24. Juli 2019");
        assert_eq!(builtin(Lang::EN).long_date(d), "July 24, 2019");
        assert_eq!(builtin(fr()).long_date(d), "24 juillet 2019");
        let first = Date::new(2026, 3, 1).unwrap();
        assert_eq!(builtin(fr()).long_date(first), "1er mars 2026");
        assert_eq!(builtin(Lang::DE).long_date(first), "1. März 2026");
        let es = builtin(Lang::from_tag("es").unwrap());
        assert_eq!(es.long_date(d), "24 de julio de 2019");
    }

    #[test]
    fn plurals_follow_each_languages_rules() {
        let (de, en, fr) = (builtin(Lang::DE), builtin(Lang::EN), builtin(fr()));
        assert_eq!(de.unit_name("years", "1"), Some("Jahr"));
        assert_eq!(de.unit_name("years", "1.5"), Some("Jahre"));
        assert_eq!(en.unit_name("years", "0"), Some("years"));
        // French counts 0 and 1.5 as one: "1,5 an", "0 an".
        assert_eq!(fr.unit_name("years", "1.5"), Some("an"));
        assert_eq!(fr.unit_name("years", "0"), Some("an"));
        assert_eq!(fr.unit_name("years", "2"), Some("ans"));
        assert_eq!(fr.scale_name(9, "1.2"), Some("milliard"));
        assert_eq!(fr.scale_name(9, "3"), Some("milliards"));
        assert_eq!(de.unit_name("count", "3"), None);
    }

    #[test]
    fn site_words_override_one_language() {
        let locales = Locales::new([(fr(), "claims".to_string(), "Vérifications".to_string())]);
        assert_eq!(locales.get(fr()).words.get("claims"), "Vérifications");
        assert_eq!(locales.get(Lang::EN).words.get("claims"), "Claims");
    }

    #[test]
    fn quotation_marks_are_the_languages() {
        assert_eq!(builtin(Lang::DE).quoted("a"), "„a“");
        assert_eq!(builtin(Lang::EN).quoted("a"), "“a”");
        assert_eq!(builtin(fr()).quoted("a"), "«\u{a0}a\u{a0}»");
    }
}
