//! The TOML front matter of an article, as written, before it is checked.
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

/// Everything an article's front matter may say.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: Spanned<String>,
    pub date: Spanned<toml::Value>,
    #[serde(default)]
    pub updated: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub lang: Option<Spanned<String>>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub source: Option<RawSource>,
    #[serde(default)]
    pub translation: Option<RawTranslation>,
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

/// `source = { name, url, date }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub name: String,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub date: Option<Spanned<toml::Value>>,
}

/// `translation = { from, by }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTranslation {
    pub from: Spanned<String>,
    #[serde(default)]
    pub by: Option<String>,
}

/// A source of a check: a bare URL or a titled link.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawLink {
    Url(String),
    Titled {
        title: String,
        url: String,
        #[serde(default)]
        date: Option<String>,
    },
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
    pub sources: Vec<RawLink>,
    // claim
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
            &["correction"],
        );
        check("all", self.all.as_ref().map(Spanned::span), &["correction"]);
        found
    }
}
