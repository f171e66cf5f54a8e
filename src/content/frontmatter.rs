//! The TOML front matter of an article, as written, before it is checked.
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

/// Everything an article's front matter may say.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: Spanned<String>,
    /// `"article"` (the default) or `"page"`: a standalone page (About, a policy).
    #[serde(default)]
    pub kind: Option<Spanned<String>>,
    /// Required of articles; a page may have one.
    #[serde(default)]
    pub date: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub updated: Option<Spanned<toml::Value>>,
    /// The day after which the article leaves the listings, feeds and search.
    #[serde(default)]
    pub expires: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub lang: Option<Spanned<String>>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The site's taxonomies beyond tags (`[taxonomies]`, `categories = ["Politik"]`), by the
    /// name site.toml declares.
    #[serde(default)]
    pub taxonomies: std::collections::BTreeMap<String, Spanned<Vec<String>>>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub source: Option<RawSource>,
    #[serde(default)]
    pub translation: Option<RawTranslation>,
    /// This article in other languages: language tag → the file, as a link is written.
    #[serde(default)]
    pub translations: std::collections::BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub figures: Option<crate::config::FiguresConfig>,
    #[serde(default)]
    pub claim: Vec<RawAnnotation>,
    #[serde(default)]
    pub quote: Vec<RawAnnotation>,
    #[serde(default)]
    pub figure: Vec<RawAnnotation>,
    #[serde(default)]
    pub note: Vec<RawAnnotation>,
    #[serde(default)]
    pub correction: Vec<RawAnnotation>,
}

/// `source = { name, url, date, archive, accessed }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub name: String,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub date: Option<Spanned<toml::Value>>,
    /// An archived copy of the original.
    #[serde(default)]
    pub archive: Option<Spanned<String>>,
    /// When the editor last saw the original.
    #[serde(default)]
    pub accessed: Option<Spanned<toml::Value>>,
}

/// `translation = { from, by }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTranslation {
    pub from: Spanned<String>,
    #[serde(default)]
    pub by: Option<String>,
}

/// A source of a check: a bare URL or a table `{ title, url, date, archive, accessed }`.
#[derive(Debug, Clone)]
pub enum RawLink {
    Url(String),
    Titled(RawTitledLink),
}

/// A source written as a table. Its keys are checked like every other key of front matter
/// (an unknown one is an error at that key, with the closest known one), which serde's
/// `untagged` enums cannot do: they only say that nothing matched.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTitledLink {
    #[serde(default)]
    pub title: Option<String>,
    pub url: Spanned<String>,
    /// When the source was published, as written.
    #[serde(default)]
    pub date: Option<Spanned<toml::Value>>,
    /// An archived copy's address.
    #[serde(default)]
    pub archive: Option<Spanned<String>>,
    /// When the editor last saw the source.
    #[serde(default)]
    pub accessed: Option<Spanned<toml::Value>>,
}

impl<'de> Deserialize<'de> for RawLink {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawLink;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(
                    "a source: an address in quotes, or a table such as { title = \"…\", url = \"https://…\" }",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawLink, E> {
                Ok(RawLink::Url(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawLink, A::Error> {
                RawTitledLink::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawLink::Titled)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// One `[[claim]]`, `[[quote]]`, `[[figure]]`, `[[note]]` or `[[correction]]`. One struct for
/// all kinds, so a misspelt key is caught with a suggestion; keys that belong to another kind
/// are refused when the annotation is checked.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnnotation {
    pub text: Spanned<String>,
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub suffix: Option<String>,
    #[serde(default)]
    pub occurrence: Option<Spanned<i64>>,
    #[serde(default)]
    pub id: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub sources: Vec<Spanned<RawLink>>,
    // claim
    /// What is claimed, as a statement ("Whitfield: the extension ran 40 % over budget").
    #[serde(default)]
    pub claim: Option<Spanned<String>>,
    #[serde(default)]
    pub by: Option<Spanned<String>>,
    #[serde(default)]
    pub verdict: Option<Spanned<String>>,
    #[serde(default)]
    pub conclusion: Option<Spanned<String>>,
    // quote
    #[serde(default)]
    pub speaker: Option<Spanned<String>>,
    #[serde(default)]
    pub role: Option<Spanned<String>>,
    // figure
    #[serde(default)]
    pub value: Option<Spanned<String>>,
    #[serde(default)]
    pub unit: Option<Spanned<String>>,
    #[serde(default)]
    pub ignore: Option<Spanned<bool>>,
    // correction
    #[serde(default)]
    pub correct: Option<Spanned<String>>,
    #[serde(default)]
    pub date: Option<Spanned<toml::Value>>,
    /// Every occurrence of `text`, not one.
    #[serde(default)]
    pub all: Option<Spanned<bool>>,
}

impl RawAnnotation {
    /// Keys that are set but do not belong to `kind`, with where they are.
    pub fn foreign_keys(&self, kind: &str) -> Vec<(&'static str, Range<usize>)> {
        let mut found = Vec::new();
        let mut check = |key: &'static str, span: Option<Range<usize>>, allowed: &[&str]| {
            if let Some(span) = span
                && !allowed.contains(&kind)
            {
                found.push((key, span));
            }
        };
        check("by", self.by.as_ref().map(Spanned::span), &["claim"]);
        check("claim", self.claim.as_ref().map(Spanned::span), &["claim"]);
        check(
            "verdict",
            self.verdict.as_ref().map(Spanned::span),
            &["claim"],
        );
        check(
            "conclusion",
            self.conclusion.as_ref().map(Spanned::span),
            &["claim"],
        );
        check(
            "speaker",
            self.speaker.as_ref().map(Spanned::span),
            &["quote"],
        );
        check("role", self.role.as_ref().map(Spanned::span), &["quote"]);
        check("value", self.value.as_ref().map(Spanned::span), &["figure"]);
        check("unit", self.unit.as_ref().map(Spanned::span), &["figure"]);
        check(
            "ignore",
            self.ignore.as_ref().map(Spanned::span),
            &["figure"],
        );
        check(
            "correct",
            self.correct.as_ref().map(Spanned::span),
            &["correction"],
        );
        check(
            "date",
            self.date.as_ref().map(Spanned::span),
            &["claim", "correction"],
        );
        check("all", self.all.as_ref().map(Spanned::span), &["correction"]);
        found
    }
}
