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

/// One claim, as listed on the claims page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClaimEntry {
    /// HTML id of the highlight in its article.
    pub id: String,
    /// The claim's words.
    pub text: String,
    /// Verdict key.
    pub verdict: String,
    /// Who claims it.
    pub by: Option<String>,
    /// One-sentence conclusion.
    pub conclusion: Option<String>,
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
    /// Language tag.
    pub lang: String,
    /// Language of the theme's words.
    #[serde(skip)]
    pub lang_words: Lang,
    /// Authors.
    pub authors: Vec<String>,
    /// Summary as HTML.
    pub summary_html: Option<String>,
    /// Summary as plain markdown, for feeds.
    pub summary: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
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
    /// The reader's text, for the search index.
    #[serde(skip)]
    pub text: String,
    /// Every link it writes (body, notes, summary), located: a build checks them all, those
    /// of articles it did not parse again too.
    pub links: Vec<crate::check::LinkRef>,
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
                Detail::Claim {
                    by,
                    verdict,
                    conclusion,
                } => claims.push(ClaimEntry {
                    id: ann.id.clone(),
                    text,
                    verdict: verdict.clone(),
                    by: by.clone(),
                    conclusion: conclusion.clone(),
                }),
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
            lang: article.meta.lang_tag.clone(),
            lang_words: article.meta.lang,
            authors: article.meta.authors.clone(),
            // Listings and feeds show it from the site root (or re-render it, see `listings`).
            summary_html: article
                .meta
                .summary
                .as_deref()
                .map(|s| crate::render::markdown_html_in(s, &article.path, "")),
            summary: article.meta.summary.clone(),
            tags: article.meta.tags.clone(),
            kinds,
            claims,
            quotes,
            corrections,
            figures: anchored.figures.len(),
            text: anchored.reader.text.clone(),
            // Only those a build checks: external addresses are `check --external`'s.
            links: crate::check::article_links(article, &anchored.events)
                .into_iter()
                .filter(|l| !l.dest.trim().is_empty() && !crate::check::is_external(l.dest.trim()))
                .collect(),
        }
    }
}
