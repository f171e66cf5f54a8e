//! The languages gloss has pages' words for, one embedded locale file each
//! (`locales/<tag>.toml`, see [`crate::i18n`]), and the checking of BCP 47 language tags.
//!
//! Tags are parsed by `icu_locale_core` (ICU4X, the Unicode Consortium's maintained
//! library, already in the dependency tree through `url`'s IDNA and shared with
//! `icu_plurals`): it knows BCP 47's grammar, which a hand-written check does not.

use icu_locale_core::LanguageIdentifier;

/// The locale files, by the primary language subtag they serve. Adding a language is adding
/// a file here (and, for figure detection, rules in `annotate::figures`).
pub(crate) const FILES: &[(&str, &str)] = &[
    ("de", include_str!("../locales/de.toml")),
    ("en", include_str!("../locales/en.toml")),
    ("fr", include_str!("../locales/fr.toml")),
    ("es", include_str!("../locales/es.toml")),
];

/// A language gloss has a locale for: a handle into [`FILES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Lang(u8);

impl Lang {
    /// German.
    pub const DE: Lang = Lang(0);
    /// English.
    pub const EN: Lang = Lang(1);

    /// The language for a BCP 47 tag such as `de`, `de-AT` or `en-GB`, if gloss has a locale
    /// for its primary subtag.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        FILES
            .iter()
            .position(|(code, _)| code.eq_ignore_ascii_case(primary))
            .map(|i| Lang(i as u8))
    }

    /// The language's primary BCP 47 subtag.
    pub fn code(self) -> &'static str {
        FILES[usize::from(self.0)].0
    }

    /// Every language gloss has a locale for.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..FILES.len()).map(|i| Lang(i as u8))
    }

    /// The index of the language among [`Lang::all`].
    pub(crate) fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// `tag`, a passage's language, where it is another than the page's (`page`), for the
/// passage's `lang` attribute (WCAG 3.1.2); `None` where they are one language.
pub fn other(tag: &str, page: Lang) -> Option<&str> {
    (Lang::from_tag(tag) != Some(page)).then_some(tag)
}

/// What is wrong with a language tag, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// The tags gloss has words for, for messages: "`de` (Deutsch), `en` (English), …".
pub fn known_list() -> String {
    Lang::all()
        .map(|l| format!("`{}` ({})", l.code(), crate::i18n::builtin(l).name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `tag` as a well-formed BCP 47 tag in canonical case (`EN-gb` → `en-GB`), else what is
/// wrong with it, with the tag meant where the text names a language (`german` → `de`).
pub fn well_formed(tag: &str) -> Result<String, TagError> {
    let trimmed = tag.trim();
    if let Some(code) = code_for_name(trimmed) {
        return Err(TagError {
            message: format!("`{tag}` is a language's name, not its BCP 47 tag"),
            help: format!("write \"{code}\""),
        });
    }
    // ICU4X reads `_` as `-` too (a Unix locale habit); BCP 47 has only `-`.
    let parsed = (!trimmed.contains('_'))
        .then(|| LanguageIdentifier::try_from_str(trimmed).ok())
        .flatten();
    match parsed {
        Some(id) => Ok(id.to_string()),
        None => {
            let fixed = trimmed.replace('_', "-");
            let help = match LanguageIdentifier::try_from_str(&fixed) {
                Ok(id) if !fixed.is_empty() => format!("write \"{id}\""),
                _ => "write a BCP 47 tag such as \"de\", \"en\" or \"fr-CA\"".to_string(),
            };
            Err(TagError {
                message: format!("`{tag}` is not a BCP 47 language tag"),
                help,
            })
        }
    }
}

/// `tag` checked as the language of pages: well-formed, and a language gloss has words
/// for. Gives the tag in canonical case and its language.
pub fn page_language(tag: &str) -> Result<(String, Lang), TagError> {
    let tag = well_formed(tag)?;
    match Lang::from_tag(&tag) {
        Some(lang) => Ok((tag, lang)),
        None => Err(TagError {
            message: format!("gloss has no words for the language `{tag}`"),
            help: format!(
                "use one of {} (or add a locale file, see README \"Languages\")",
                known_list()
            ),
        }),
    }
}

/// The tag of the language `name` names in any locale ("German", "allemand", "Deutsch"),
/// ignoring case.
fn code_for_name(name: &str) -> Option<&'static str> {
    if name.len() < 4 {
        return None;
    }
    let lower = name.to_lowercase();
    for lang in Lang::all() {
        let locale = crate::i18n::builtin(lang);
        if locale.name.to_lowercase() == lower {
            return Some(lang.code());
        }
    }
    for lang in Lang::all() {
        let locale = crate::i18n::builtin(lang);
        for (code, written) in &locale.languages {
            // The names follow "translated from": "du chinois", "aus dem Chinesischen".
            let bare = written.rsplit([' ', '’', '\'']).next().unwrap_or(written);
            let bare = bare.to_lowercase();
            if bare == lower || bare.strip_suffix("en") == Some(&lower) {
                return Some(code);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_with_regions_resolve() {
        assert_eq!(Lang::from_tag("de-AT"), Some(Lang::DE));
        assert_eq!(Lang::from_tag("EN_gb"), Some(Lang::EN));
        assert_eq!(Lang::from_tag("fr").map(Lang::code), Some("fr"));
        assert_eq!(Lang::from_tag("es-419").map(Lang::code), Some("es"));
        assert_eq!(Lang::from_tag("zh"), None);
    }

    #[test]
    fn names_suggest_their_tag() {
        let e = well_formed("german").unwrap_err();
        assert_eq!(e.help, "write \"de\"");
        assert_eq!(well_formed("English").unwrap_err().help, "write \"en\"");
        assert_eq!(well_formed("Deutsch").unwrap_err().help, "write \"de\"");
        assert_eq!(well_formed("français").unwrap_err().help, "write \"fr\"");
        assert_eq!(well_formed("Chinese").unwrap_err().help, "write \"zh\"");
    }

    #[test]
    fn tags_are_checked_and_put_in_canonical_case() {
        assert_eq!(well_formed("EN-gb").unwrap(), "en-GB");
        assert_eq!(well_formed("zh-Hant-TW").unwrap(), "zh-Hant-TW");
        assert_eq!(well_formed("de_DE").unwrap_err().help, "write \"de-DE\"");
        assert!(well_formed("e n").is_err());
        assert!(well_formed("").is_err());
        assert!(well_formed("x-").is_err());
    }

    #[test]
    fn a_language_without_words_names_those_with() {
        let e = page_language("it").unwrap_err();
        assert_eq!(e.message, "gloss has no words for the language `it`");
        for code in ["`de`", "`en`", "`fr`", "`es`"] {
            assert!(e.help.contains(code), "{}", e.help);
        }
        assert_eq!(
            page_language("fr-CA").unwrap(),
            ("fr-CA".into(), Lang::from_tag("fr").unwrap())
        );
    }
}
