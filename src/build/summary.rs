//! What the site-wide pages need to know about each article, kept after its page is written.
use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::annotate::Anchored;
use crate::content::{Article, Detail, Kind};
use crate::lang::Lang;

/// The way from the corrections page (`corrections/`), where correction notes are shown, to
/// the site root.
const CORRECTIONS_ROOT: &str = "../";

/// One claim, as listed on the claims page, its own page, the claimant's page and in the
/// site's claim data (`claims.json`, `claims.csv`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClaimEntry {
    /// HTML id of the highlight in its article.
    pub id: String,
    /// The claim's words in the article.
    pub text: String,
    /// What is claimed, as the editor states it (`claim = "…"`).
    pub statement: Option<String>,
    /// Verdict key.
    pub verdict: String,
    /// Who claims it, as written: a name (`by` as written, or the name of the article's
    /// `source` for a claim of the article itself); `None` for the article itself without a
    /// source, or a claim that names nobody.
    pub by: Option<String>,
    /// The article itself makes the claim (`by = "@article"`).
    pub article_itself: bool,
    /// When the claim was made, if the editor says so.
    pub date: Option<Date>,
    /// One-sentence conclusion.
    pub conclusion: Option<String>,
    /// Sources of the check.
    pub sources: Vec<crate::content::Link>,
    /// Line and column of the claim in the article source (for warnings).
    pub location: (usize, usize),
}

impl ClaimEntry {
    /// The claim annotation `ann` of `article`, anchored at the words `text`; `None` for an
    /// annotation that is no claim.
    pub fn of(
        article: &Article,
        ann: &crate::content::Annotation,
        text: &str,
    ) -> Option<ClaimEntry> {
        let Detail::Claim {
            statement,
            by,
            date,
            verdict,
            conclusion,
        } = &ann.detail
        else {
            return None;
        };
        Some(ClaimEntry {
            id: ann.id.clone(),
            text: text.to_string(),
            statement: statement.clone(),
            verdict: verdict.clone(),
            by: crate::content::claimant(by.as_deref(), article.meta.source.as_ref())
                .map(str::to_string),
            article_itself: by.as_deref() == Some(crate::content::ARTICLE_ITSELF),
            date: *date,
            conclusion: conclusion.clone(),
            sources: ann.sources.clone(),
            location: crate::diagnostics::line_col(&article.source, ann.span.start),
        })
    }

    /// What is claimed: the editor's statement, else the anchored words.
    pub fn statement(&self) -> &str {
        self.statement.as_deref().unwrap_or(&self.text)
    }
}

/// One quote, as listed on a person's page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuoteEntry {
    /// HTML id of the highlight.
    pub id: String,
    /// The quoted words.
    pub text: String,
    /// The speaker as the editor wrote it.
    pub speaker: String,
    /// Their role, as the editor wrote it.
    pub role: Option<String>,
    /// Line and column of the quote in the article source (for warnings).
    #[serde(skip)]
    pub location: (usize, usize),
}

/// One correction, as listed on the corrections page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CorrectionEntry {
    /// HTML id of the highlight.
    pub id: String,
    /// What the text says.
    pub text: String,
    /// What is right.
    pub correct: String,
    /// The editor's explanation, as HTML.
    pub note_html: Option<String>,
    /// When the correction was made (else the article's update or publication date).
    pub date: Date,
}

/// One of an article's translations, as the site-wide checks and the sitemap see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TranslationEntry {
    /// The language the article names it under.
    pub lang: String,
    /// Its source file, relative to the site root (`content/en/x.md`); none when the link
    /// leads out of `content/` (an error of the link check).
    pub file: Option<String>,
    /// Its page below the site root (`en/x/`).
    pub page: String,
    /// Where it is named, its message still to be written.
    pub at: crate::diagnostics::Diagnostic,
}

/// An article as the listing pages, feeds and search see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleSummary {
    /// Headline.
    pub title: String,
    /// Page path below the site root (`2019/x/`).
    pub path: String,
    /// The source file, relative to the site root.
    #[serde(skip)]
    pub source_path: std::path::PathBuf,
    /// Publication date.
    pub date: Date,
    /// Last change.
    pub updated: Option<Date>,
    /// After this day it leaves the listings, feeds and search (its page stays).
    #[serde(default)]
    pub expires: Option<Date>,
    /// Language tag.
    pub lang: String,
    /// Language of the theme's words.
    #[serde(skip)]
    pub lang_words: Lang,
    /// Authors.
    pub authors: Vec<String>,
    /// Where the text first appeared.
    pub source: Option<crate::content::SourceInfo>,
    /// Summary as HTML.
    pub summary_html: Option<String>,
    /// Summary as plain markdown, for feeds.
    pub summary: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Its terms of the site's taxonomies, by taxonomy name (see `Meta::taxonomies`).
    #[serde(default)]
    pub taxonomies: Vec<(String, Vec<String>)>,
    /// Its annotated body as HTML, for feeds with `[feeds] full_content` (links relative to
    /// its page); none otherwise.
    #[serde(default)]
    pub content_html: Option<String>,
    /// A standalone page (`kind = "page"`): not listed, not in feeds or search.
    #[serde(default)]
    pub page: bool,
    /// Annotations by kind.
    pub kinds: BTreeMap<Kind, usize>,
    /// Claims.
    pub claims: Vec<ClaimEntry>,
    /// Quotes.
    pub quotes: Vec<QuoteEntry>,
    /// Corrections.
    pub corrections: Vec<CorrectionEntry>,
    /// Figures found automatically.
    pub figures: usize,
    /// The words of the reader's text, counted for the search index (none where the site
    /// has no search, or the article is a standalone page).
    #[serde(skip)]
    pub words: crate::search::Terms,
    /// The first line of the reader's text, the search excerpt of an article without a
    /// summary (empty where it has one).
    #[serde(skip)]
    pub lead: String,
    /// The article in other languages.
    #[serde(default)]
    pub translations: Vec<TranslationEntry>,
    /// The language its text was translated from, if it is a translation.
    #[serde(default)]
    pub translated_from: Option<String>,
    /// Every link it writes (body, notes, summary), located: a build checks them all, those
    /// of articles it did not parse again too.
    pub links: Vec<crate::check::LinkRef>,
}

/// The first line of `text`, leading white space left out.
fn first_line(text: &str) -> &str {
    text.trim_start().split('\n').next().unwrap_or("")
}

impl ArticleSummary {
    /// Collects what site-wide pages need from an anchored article: the one place a summary
    /// is made, for `build`, `serve` and `check` alike.
    pub fn new(article: &Article, anchored: &Anchored<'_>) -> ArticleSummary {
        let mut claims = Vec::new();
        let mut quotes = Vec::new();
        let mut corrections = Vec::new();
        let mut kinds = BTreeMap::new();
        for (i, ann) in article.annotations.iter().enumerate() {
            *kinds.entry(ann.kind).or_insert(0) += 1;
            let Some(range) = anchored.placed[i].clone() else {
                continue;
            };
            let text = anchored.reader.text[range].to_string();
            match &ann.detail {
                Detail::Claim { .. } => claims.extend(ClaimEntry::of(article, ann, &text)),
                Detail::Quote { speaker, role } => quotes.push(QuoteEntry {
                    id: ann.id.clone(),
                    text,
                    speaker: speaker.clone(),
                    role: role.clone(),
                    location: crate::diagnostics::line_col(&article.source, ann.span.start),
                }),
                Detail::Correction { correct, date } => corrections.push(CorrectionEntry {
                    id: ann.id.clone(),
                    text,
                    correct: correct.clone(),
                    note_html: ann.note.as_deref().map(|n| {
                        crate::render::markdown_html_in(n, &article.path, CORRECTIONS_ROOT)
                    }),
                    date: date.or(article.meta.updated).unwrap_or(article.meta.date),
                }),
                Detail::Figure { .. } | Detail::Note => {}
            }
        }
        ArticleSummary {
            title: article.meta.title.clone(),
            path: article.url_path.clone(),
            source_path: article.path.clone(),
            date: article.meta.date,
            updated: article.meta.updated,
            expires: article.meta.expires,
            lang: article.meta.lang_tag.clone(),
            lang_words: article.meta.lang,
            authors: article.meta.authors.clone(),
            source: article.meta.source.clone(),
            // Listings and feeds show it from the site root (or re-render it, see `listings`).
            summary_html: article
                .meta
                .summary
                .as_deref()
                .map(|s| crate::render::markdown_html_in(s, &article.path, "")),
            summary: article.meta.summary.clone(),
            tags: article.meta.tags.clone(),
            taxonomies: article.meta.taxonomies.clone(),
            content_html: None,
            page: article.meta.page,
            kinds,
            claims,
            quotes,
            corrections,
            figures: anchored.figures.len(),
            words: crate::search::Terms::default(),
            lead: match article.meta.summary {
                Some(_) => String::new(),
                None => first_line(&anchored.reader.text).to_string(),
            },
            translations: crate::check::translation_links(article)
                .into_iter()
                .zip(&article.meta.translations)
                .map(|(link, t)| {
                    let file =
                        crate::links::source_link(&article.path, &t.file).and_then(|l| l.file);
                    TranslationEntry {
                        lang: t.lang.clone(),
                        page: file
                            .as_deref()
                            .map(crate::content::url_path_for)
                            .unwrap_or_default(),
                        file: file.map(|f| f.to_string_lossy().replace('\\', "/")),
                        at: link.at,
                    }
                })
                .collect(),
            translated_from: article.meta.translation.as_ref().map(|t| t.from.clone()),
            // Only those a build checks: external addresses are `check --external`'s.
            links: crate::check::article_links(article, &anchored.events)
                .into_iter()
                .filter(|l| !l.dest.trim().is_empty() && !crate::check::is_external(l.dest.trim()))
                .collect(),
        }
    }
}
