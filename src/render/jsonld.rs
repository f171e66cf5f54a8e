//! schema.org structured data: an article page's `NewsArticle`, which names its claims'
//! reviews, and the one `ClaimReview` of each claim, published on the claim's page.
//!
//! The result goes into `<script type="application/ld+json">`; every `<`, `>` and `&` is
//! written as a `\u` escape, so no string in it can close the script element.
use std::borrow::Cow;

use serde::Serialize;
#[cfg(test)]
use serde_json::Value;

use crate::annotate::{Anchored, fold};
use crate::config::Site;
use crate::content::{Article, Detail};
use crate::markdown::plain_text;

/// The site's root address: `base_url` with a trailing slash, else relative from `url_path`.
pub fn site_url(site: &Site, url_path: &str) -> String {
    if site.base_url().is_empty() {
        let up = super::root_prefix(url_path);
        if up.is_empty() { "./".into() } else { up }
    } else {
        site.root_url()
    }
}

/// The address of the page at `url_path`: absolute under `base_url`, else `./`.
///
/// `./` resolves to the article page both from its `index.html` and from the
/// `annotations.jsonld` beside it.
pub fn page_url(site: &Site, url_path: &str) -> String {
    let base = site.base_url();
    if base.is_empty() {
        "./".into()
    } else {
        format!("{base}/{}", super::url_of_path(url_path))
    }
}

/// A version of an article: its language tag and address.
pub type LangUrl = (String, String);

/// The article's translations on the site as (language tag, address): the one in the
/// language it was translated from (`translation.from`), which is the work it translates,
/// and the others, which translate it. Addresses are absolute from `base_url`, else relative
/// to the article's page.
pub fn translation_urls(site: &Site, article: &Article) -> (Option<LangUrl>, Vec<LangUrl>) {
    let from = article
        .meta
        .translation
        .as_ref()
        .map(|t| crate::config::primary_subtag(&t.from));
    let base = site.base_url();
    let mut of = None;
    let mut translations = Vec::new();
    for t in &article.meta.translations {
        let Some(file) = crate::links::source_link(&article.path, &t.file).and_then(|l| l.file)
        else {
            continue;
        };
        let page = crate::content::url_path_for(&file);
        let page = super::url_of_path(&page);
        let url = if base.is_empty() {
            format!("{}{page}", super::root_prefix(&article.url_path))
        } else {
            format!("{base}/{page}")
        };
        if from.as_deref() == Some(crate::config::primary_subtag(&t.lang).as_str()) && of.is_none()
        {
            of = Some((t.lang.clone(), url));
        } else {
            translations.push((t.lang.clone(), url));
        }
    }
    (of, translations)
}

/// A schema.org `Person` or `Organization`. Field order is the JSON's key order, which
/// is sorted (the order `serde_json::Value` objects had, so that pages stay as they were).
#[derive(Debug, Serialize)]
pub struct Agent<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    /// The name.
    pub name: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// One agent or several (schema.org takes either).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Agents<'a> {
    /// One.
    One(Agent<'a>),
    /// Several.
    Many(Vec<Agent<'a>>),
}

impl Agents<'_> {
    /// Their names, separated by `, `.
    pub fn names(&self) -> String {
        match self {
            Agents::One(a) => a.name.to_string(),
            Agents::Many(all) => all
                .iter()
                .map(|a| a.name.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// A schema.org agent for `name`: the registry's entry with its own type (`Person` or
/// `Organization`) under its registered name, else a `Person` or `Organization` as
/// `unknown_is_person` says.
fn agent<'a>(site: &'a Site, name: &str, unknown_is_person: bool) -> Agent<'a> {
    match site.person(name) {
        Some((_, p)) => Agent {
            kind: p.kind.schema_type(),
            name: Cow::Borrowed(&p.name),
            url: p.url.as_deref().filter(|u| !u.trim().is_empty()),
        },
        None => Agent {
            kind: if unknown_is_person {
                "Person"
            } else {
                "Organization"
            },
            name: Cow::Owned(fold(name)),
            url: None,
        },
    }
}

/// A schema.org `CreativeWork`: where a claim appeared, a text's original or a translation.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Work<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    headline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    in_language: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<Cow<'a, str>>,
}

impl Default for Work<'_> {
    fn default() -> Self {
        Work {
            kind: "CreativeWork",
            date_published: None,
            headline: None,
            in_language: None,
            name: None,
            url: None,
        }
    }
}

/// The site as the publishing organization.
#[derive(Debug, Serialize)]
struct Publisher<'a> {
    #[serde(rename = "@id", skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: Cow<'a, str>,
}

/// A schema.org `Rating`: the verdict's label, and its place on the scale when it has one.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rating<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    /// The verdict's label.
    pub alternate_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    best_rating: Option<u8>,
    /// Its rating, if it is on the scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating_value: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    worst_rating: Option<u8>,
}

/// The claim a review is of.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    appearance: Work<'a>,
    /// Who made it, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<Agents<'a>>,
    /// When it was made (ISO), where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_published: Option<String>,
}

/// One claim's schema.org `ClaimReview`, borrowed from the site and the claim and written
/// straight into a page or a file (see [`claim_review`]).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimReview<'a> {
    /// Only on a page of its own, where it is the whole JSON-LD.
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    pub context: Option<&'static str>,
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    author: Publisher<'a>,
    /// What was reviewed, white space folded.
    pub claim_reviewed: String,
    /// The review's date (ISO): the article's.
    pub date_published: String,
    in_language: &'a str,
    /// The claim.
    pub item_reviewed: ClaimItem<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    review_body: Option<String>,
    /// The verdict.
    pub review_rating: Rating<'a>,
    /// The claim's page.
    pub url: String,
}

/// The article a claim was reviewed in, as [`claim_review`] needs it: from the article
/// itself while it is built, or from its summary for the site's claim data.
pub struct ReviewedIn<'a> {
    /// Headline.
    pub title: &'a str,
    /// Page path below the site root (`2019/x/`).
    pub path: &'a str,
    /// Publication date (the review's date).
    pub date: jiff::civil::Date,
    /// Language tag.
    pub lang_tag: &'a str,
    /// Language of the verdict's words.
    pub lang: crate::lang::Lang,
    /// Where the text first appeared.
    pub source: Option<&'a crate::content::SourceInfo>,
    /// The article's authors.
    pub authors: &'a [String],
}

impl<'a> ReviewedIn<'a> {
    /// The article being built.
    pub fn article(a: &'a Article) -> Self {
        ReviewedIn {
            title: &a.meta.title,
            path: &a.url_path,
            date: a.meta.date,
            lang_tag: &a.meta.lang_tag,
            lang: a.meta.lang,
            source: a.meta.source.as_ref(),
            authors: &a.meta.authors,
        }
    }

    /// An article as the listings know it.
    pub fn summary(a: &'a crate::build::summary::ArticleSummary) -> Self {
        ReviewedIn {
            title: &a.title,
            path: &a.path,
            date: a.date,
            lang_tag: &a.lang,
            lang: a.lang_words,
            source: a.source.as_ref(),
            authors: &a.authors,
        }
    }
}

/// The address of the page of claim `id` of the article at `article_path`: its ClaimReview's
/// `@id` and `url`, and what the article's `hasPart` names, so the two always agree.
fn claim_page_url(base: &str, article_path: &str, id: &str) -> String {
    format!(
        "{base}{}",
        super::url_of_path(&super::claim_page_path(article_path, id))
    )
}

/// The one ClaimReview of claim `c` of article `a`, the same on the article page, the claim's
/// page and in `claims.json`. `base` is the site root's address as seen from where the
/// review is published (see [`site_url`]).
///
/// It says only what gloss knows: the claim's author is the registry's entry with its type
/// (for a claim of the article itself, the article's `source`, else its authors); it
/// appeared in the article's `source` where there is one with an address, else in the
/// article; it was made on the claim's own `date`, else the source's date, else (for the
/// article's own claims) the article's date, and otherwise no date is given.
pub fn claim_review<'a>(
    site: &'a Site,
    a: &ReviewedIn<'a>,
    c: &'a crate::build::summary::ClaimEntry,
    base: &'a str,
) -> ClaimReview<'a> {
    let article_url = format!("{base}{}", super::url_of_path(a.path));
    let url = claim_page_url(base, a.path, &c.id);
    let v = site.scale.get(&c.verdict);
    let label = v.map_or(c.verdict.as_str(), |v| v.label.get(a.lang));
    let mut rating = Rating {
        kind: "Rating",
        alternate_name: label,
        best_rating: None,
        rating_value: None,
        worst_rating: None,
    };
    if let (Some(value), Some((best, worst))) =
        (v.and_then(|v| v.rating), site.scale.rating_bounds())
    {
        rating.rating_value = Some(value);
        rating.best_rating = Some(best);
        rating.worst_rating = Some(worst);
    }
    let appearance = match a.source.filter(|s| s.url.is_some()) {
        Some(s) => Work {
            url: s.url.as_deref().map(Cow::Borrowed),
            name: Some(&s.name),
            date_published: s.date.map(|d| d.to_string()),
            ..Work::default()
        },
        None => Work {
            url: Some(Cow::Owned(article_url)),
            headline: Some(a.title.trim()),
            date_published: Some(a.date.to_string()),
            ..Work::default()
        },
    };
    let made = c
        .date
        .or(a.source.and_then(|s| s.date))
        .or(c.article_itself.then_some(a.date));
    let author = match (&c.by, c.article_itself) {
        (Some(by), true) if site.person(by).is_none() => {
            // The article's source, as its front matter names it.
            Some(Agents::One(Agent {
                kind: "Organization",
                name: Cow::Owned(fold(by)),
                url: a.source.and_then(|s| s.url.as_deref()),
            }))
        }
        (Some(by), _) => Some(Agents::One(agent(site, by, true))),
        (None, true) => {
            let mut authors: Vec<Agent<'a>> = a
                .authors
                .iter()
                .filter(|n| !n.trim().is_empty())
                .map(|n| agent(site, n, true))
                .collect();
            match authors.len() {
                0 => None,
                1 => authors.pop().map(Agents::One),
                _ => Some(Agents::Many(authors)),
            }
        }
        (None, false) => None,
    };
    ClaimReview {
        context: None,
        id: url.clone(),
        kind: "ClaimReview",
        author: publisher_at(site, base),
        claim_reviewed: fold(c.statement()),
        date_published: a.date.to_string(),
        in_language: a.lang_tag,
        item_reviewed: ClaimItem {
            kind: "Claim",
            appearance,
            author,
            date_published: made.map(|d| d.to_string()),
        },
        review_body: c.conclusion.as_deref().map(fold).filter(|c| !c.is_empty()),
        review_rating: rating,
        url,
    }
}

/// The site as the publishing organization, its address `url`.
fn publisher_at<'a>(site: &'a Site, url: &'a str) -> Publisher<'a> {
    Publisher {
        id: Some(format!("{url}#publisher")),
        kind: "Organization",
        name: &site.config.title,
        url: Cow::Borrowed(url),
    }
}

/// The site as the publisher of a feed or file at its root (`base`), named without an `@id`.
pub fn feed_publisher<'a>(site: &'a Site, base: &'a str) -> impl Serialize + 'a {
    Publisher {
        id: None,
        kind: "Organization",
        name: &site.config.title,
        url: Cow::Borrowed(base),
    }
}

/// A schema.org `CorrectionComment` of an article.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Correction {
    #[serde(rename = "@type")]
    kind: &'static str,
    date_published: String,
    text: String,
    url: String,
}

/// The article's `NewsArticle`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct NewsArticle<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Agent<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    correction: Vec<Correction>,
    date_modified: String,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    /// The article's claim checks, each a `ClaimReview` on its claim's page (by its `@id`,
    /// the page's address): a claim page carries its review in full, the article names it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    has_part: Vec<Reference>,
    headline: &'a str,
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_based_on: Option<Work<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    keywords: &'a [String],
    main_entity_of_page: &'a str,
    publisher: Publisher<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translation_of_work: Option<Work<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translator: Option<Agent<'a>>,
    url: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    work_translation: Vec<Work<'a>>,
}

/// The JSON-LD of an article page: its `NewsArticle`, alone.
#[derive(Serialize)]
struct ArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(flatten)]
    news: NewsArticle<'a>,
}

/// A node named by its address only: described in full where that address leads.
#[derive(Debug, Serialize)]
struct Reference {
    #[serde(rename = "@id")]
    id: String,
}

/// The JSON-LD for an article page, ready to put between `<script type="application/ld+json">`
/// and `</script>`. `page_url` is the page's address (see [`page_url`]).
pub fn article_jsonld(
    site: &Site,
    article: &Article,
    anchored: &Anchored<'_>,
    page_url: &str,
) -> String {
    let meta = &article.meta;
    let lang = meta.lang;
    let base = site_url(site, &article.url_path);
    let anchored_text = |i: usize| {
        anchored
            .placed
            .get(i)
            .and_then(Option::as_ref)
            .and_then(|r| anchored.reader.text.get(r.clone()))
            .map(fold)
    };
    // Last modified: when it says it was updated, or corrected, whichever is later; an article
    // never changed was last modified when it was published.
    let corrected = article.annotations.iter().filter_map(|a| match &a.detail {
        Detail::Correction { date, .. } => *date,
        _ => None,
    });
    let modified = meta
        .updated
        .into_iter()
        .chain(corrected)
        .fold(meta.date, std::cmp::max);
    let original = meta.source.as_ref().map(|s| Work {
        name: Some(&s.name),
        url: s.url.as_deref().map(Cow::Borrowed),
        date_published: s.date.map(|d| d.to_string()),
        ..Work::default()
    });
    let (of, translations) = translation_urls(site, article);
    // A work by its address: its own page describes it as the NewsArticle it is.
    let on_site = |(lang, url): (String, String)| Work {
        url: Some(Cow::Owned(url)),
        in_language: Some(Cow::Owned(lang)),
        ..Work::default()
    };
    let mut translation_of_work = None;
    let mut translator = None;
    let mut is_based_on = None;
    match (&meta.translation, original) {
        (Some(t), original) => {
            // The original, when the site has it, else what the source says of it.
            translation_of_work = Some(match of {
                Some(of) => on_site(of),
                None => {
                    let mut work = original.unwrap_or_default();
                    work.in_language = Some(Cow::Borrowed(&t.from));
                    work
                }
            });
            if let Some(by) = t.by.as_deref().filter(|b| *b != "machine" && !b.is_empty()) {
                translator = Some(agent(site, by, true));
            }
        }
        (None, Some(original)) => is_based_on = Some(original),
        (None, None) => {}
    }
    let mut news = NewsArticle {
        id: format!("{page_url}#article"),
        kind: "NewsArticle",
        author: meta
            .authors
            .iter()
            .filter(|a| !a.trim().is_empty())
            .map(|a| agent(site, a, true))
            .collect(),
        correction: Vec::new(),
        date_modified: modified.to_string(),
        date_published: meta.date.to_string(),
        description: meta
            .summary
            .as_deref()
            .map(plain_text)
            .filter(|t| !t.is_empty()),
        has_part: Vec::new(),
        headline: meta.title.trim(),
        in_language: &meta.lang_tag,
        is_based_on,
        keywords: &meta.tags,
        main_entity_of_page: page_url,
        publisher: publisher_at(site, &base),
        translation_of_work,
        translator,
        url: page_url,
        work_translation: translations.into_iter().map(on_site).collect(),
    };
    // The claims a ClaimReview is published for: those `claim_pages` writes a page for.
    news.has_part = article
        .annotations
        .iter()
        .enumerate()
        .filter_map(|(i, ann)| {
            let text = anchored_text(i)?;
            let entry = crate::build::summary::ClaimEntry::of(article, ann, &text)?;
            Some(Reference {
                id: claim_page_url(&base, &article.url_path, &entry.id),
            })
        })
        .collect();
    for (i, ann) in article.annotations.iter().enumerate() {
        if let Detail::Correction { correct, date } = &ann.detail {
            let Some(text) = anchored_text(i) else {
                continue;
            };
            // Every correction is dated: its own date, else the article's update (or
            // publication) date, which the corrections page shows too.
            let when = date.or(meta.updated).unwrap_or(meta.date);
            news.correction.push(Correction {
                kind: "CorrectionComment",
                text: format!(
                    "{} → {}",
                    site.locales.get(lang).quoted(&text),
                    site.locales.get(lang).quoted(&fold(correct))
                ),
                url: format!("{page_url}#{}", ann.id),
                date_published: when.to_string(),
            });
        }
    }
    super::script_json(&ArticleLd {
        context: "https://schema.org",
        news,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Person;
    use crate::content::parse_article;
    use std::path::PathBuf;

    const ARTICLE: &str = r#"+++
title = "Microsoft investiert in OpenAI"
date = 2019-07-24
updated = 2019-08-01
lang = "de"
authors = ["Cade Matz", "Redaktion"]
summary = "Ein *Bericht* über die Investition."
translation = { from = "zh", by = "machine" }
source = { name = "Beispielzeitung", url = "https://example.com/original", date = 2019-07-23 }

[[claim]]
text = "Microsoft investierte 1 Milliarde US-Dollar"
by = "Microsoft"
verdict = "true"
conclusion = "Stimmt: angekündigt am 22. Juli 2019."

[[claim]]
text = "enorme Summe"
by = "Cade Metz"
verdict = "misleading"

[[correction]]
text = "Cade Matz"
correct = "Cade Metz"
+++
Microsoft investierte 1 Milliarde US-Dollar in OpenAI, schreibt Cade Matz.
Eine *enorme Summe*.
"#;

    fn site() -> Site {
        let mut site = Site::standalone();
        site.config.base_url = "https://example.org/gloss/".into();
        site.config.title = "Gloss & </script> Co".into();
        site.people.push(Person {
            name: "Cade Metz".into(),
            role: None,
            aliases: vec!["Cade Matz".into()],
            url: Some("https://example.org/metz".into()),
            bio: None,
            kind: Default::default(),
        });
        site
    }

    fn graph(site: &Site, text: &str) -> Value {
        let article = parse_article(
            site,
            PathBuf::from("content/2019/x.md"),
            text.into(),
            "2019/x/".into(),
        )
        .unwrap();
        let anchored = crate::annotate::anchor(&article, false).unwrap();
        let url = page_url(site, &article.url_path);
        let s = article_jsonld(site, &article, &anchored, &url);
        let news: Value = serde_json::from_str(&s).unwrap();
        // The article page's NewsArticle, then the ClaimReview of each claim's page.
        let mut nodes = vec![news.clone()];
        for page in crate::render::claim_page::claim_pages(site, &article, &anchored) {
            nodes.push(serde_json::from_str(&page.view.jsonld).unwrap());
        }
        serde_json::json!({ "@context": news["@context"], "@graph": nodes })
    }

    #[test]
    fn news_article_has_its_fields() {
        let site = site();
        let g = graph(&site, ARTICLE);
        assert_eq!(g["@context"], "https://schema.org");
        let a = &g["@graph"][0];
        assert_eq!(a["@type"], "NewsArticle");
        assert_eq!(a["headline"], "Microsoft investiert in OpenAI");
        assert_eq!(a["url"], "https://example.org/gloss/2019/x/");
        assert_eq!(a["datePublished"], "2019-07-24");
        assert_eq!(a["dateModified"], "2019-08-01");
        assert_eq!(a["inLanguage"], "de");
        assert_eq!(a["description"], "Ein Bericht über die Investition.");
        assert_eq!(a["author"][0]["@type"], "Person");
        assert_eq!(a["author"][0]["name"], "Cade Metz");
        assert_eq!(a["author"][1]["name"], "Redaktion");
        assert_eq!(a["publisher"]["@type"], "Organization");
        assert_eq!(a["publisher"]["name"], "Gloss & </script> Co");
        assert_eq!(a["publisher"]["url"], "https://example.org/gloss/");
        assert_eq!(a["translationOfWork"]["inLanguage"], "zh");
        assert_eq!(
            a["translationOfWork"]["url"],
            "https://example.com/original"
        );
        assert!(a.get("translator").is_none());
        let c = &a["correction"][0];
        assert_eq!(c["@type"], "CorrectionComment");
        assert_eq!(c["text"], "„Cade Matz“ → „Cade Metz“");
        assert_eq!(
            c["url"],
            "https://example.org/gloss/2019/x/#correction-cade-matz"
        );
    }

    #[test]
    fn one_claim_review_per_claim() {
        let site = site();
        let g = graph(&site, ARTICLE);
        let reviews = g["@graph"].as_array().unwrap();
        assert_eq!(reviews.len(), 3);
        let r = &reviews[1];
        assert_eq!(r["@type"], "ClaimReview");
        assert_eq!(
            r["claimReviewed"],
            "Microsoft investierte 1 Milliarde US-Dollar"
        );
        assert_eq!(
            r["url"],
            "https://example.org/gloss/2019/x/claims/claim-microsoft-investierte-1-milliarde-us/"
        );
        assert_eq!(r["reviewRating"]["alternateName"], "Stimmt");
        assert_eq!(r["reviewRating"]["ratingValue"], 5);
        assert_eq!(r["reviewRating"]["bestRating"], 5);
        assert_eq!(r["reviewRating"]["worstRating"], 1);
        assert_eq!(r["reviewBody"], "Stimmt: angekündigt am 22. Juli 2019.");
        assert_eq!(r["itemReviewed"]["@type"], "Claim");
        // Not in the registry: the registry's default kind, a person.
        assert_eq!(r["itemReviewed"]["author"]["@type"], "Person");
        assert_eq!(r["itemReviewed"]["author"]["name"], "Microsoft");
        // Made when the source appeared, and there.
        assert_eq!(r["itemReviewed"]["datePublished"], "2019-07-23");
        assert_eq!(
            r["itemReviewed"]["appearance"]["url"],
            "https://example.com/original"
        );
        assert_eq!(
            r["itemReviewed"]["appearance"]["datePublished"],
            "2019-07-23"
        );
        assert_eq!(r["author"]["name"], "Gloss & </script> Co");
        assert_eq!(r["datePublished"], "2019-07-24");
        // Off the scale: a label, no numbers.
        let off = &reviews[2]["reviewRating"];
        assert_eq!(off["alternateName"], "Irreführend");
        assert!(off.get("ratingValue").is_none());
        assert!(off.get("bestRating").is_none());
        assert_eq!(reviews[2]["itemReviewed"]["author"]["@type"], "Person");
        assert_eq!(reviews[2]["itemReviewed"]["author"]["name"], "Cade Metz");
    }

    #[test]
    fn claim_review_says_who_claimed_what_where_and_when() {
        let mut site = site();
        site.people.push(Person {
            name: "Microsoft".into(),
            role: None,
            aliases: vec![],
            url: None,
            kind: crate::config::PersonKind::Organization,
            bio: None,
        });
        let text = "+++\ntitle = \"T\"\ndate = 2019-07-24\nauthors = [\"Cade Matz\"]\n\
             [[claim]]\ntext = \"investierte\"\nclaim = \"Microsoft investiert\"\nby = \"Microsoft\"\ndate = 2019-07-22\nverdict = \"true\"\n\
             [[claim]]\ntext = \"Summe\"\nby = \"@article\"\nverdict = \"mixed\"\n\
             [[claim]]\ntext = \"OpenAI\"\nverdict = \"false\"\n\
             [[correction]]\ntext = \"Matz\"\ncorrect = \"Metz\"\n+++\n\
             Microsoft investierte eine Summe in OpenAI, schreibt Cade Matz.\n";
        let g = graph(&site, text);
        let r = &g["@graph"];
        // The statement is what was reviewed; the registry's kind is the author's type;
        // the claim's own date is when it was made.
        assert_eq!(r[1]["claimReviewed"], "Microsoft investiert");
        assert_eq!(r[1]["itemReviewed"]["author"]["@type"], "Organization");
        assert_eq!(r[1]["itemReviewed"]["datePublished"], "2019-07-22");
        // Without a source, it appeared in the article, on the article's date.
        assert_eq!(
            r[1]["itemReviewed"]["appearance"]["url"],
            "https://example.org/gloss/2019/x/"
        );
        assert_eq!(
            r[1]["itemReviewed"]["appearance"]["datePublished"],
            "2019-07-24"
        );
        // The article's own claim: its authors made it, when it appeared.
        assert_eq!(r[2]["claimReviewed"], "Summe");
        assert_eq!(r[2]["itemReviewed"]["author"]["name"], "Cade Metz");
        assert_eq!(r[2]["itemReviewed"]["datePublished"], "2019-07-24");
        // Nobody named, no date known: neither is made up.
        assert!(r[3]["itemReviewed"].get("author").is_none());
        assert!(r[3]["itemReviewed"].get("datePublished").is_none());
        // A correction without a date of its own carries the article's.
        assert_eq!(r[0]["correction"][0]["datePublished"], "2019-07-24");
    }

    #[test]
    fn the_article_itself_is_its_source() {
        let site = site();
        let text = "+++\ntitle = \"T\"\ndate = 2019-07-24\n\
             source = { name = \"Beispielzeitung\", url = \"https://example.com/o\", date = 2019-07-20 }\n\
             [[claim]]\ntext = \"Summe\"\nby = \"@article\"\nverdict = \"mixed\"\n+++\nEine Summe.\n";
        let g = graph(&site, text);
        let claim = &g["@graph"][1]["itemReviewed"];
        assert_eq!(claim["author"]["@type"], "Organization");
        assert_eq!(claim["author"]["name"], "Beispielzeitung");
        assert_eq!(claim["author"]["url"], "https://example.com/o");
        assert_eq!(claim["appearance"]["url"], "https://example.com/o");
        assert_eq!(claim["datePublished"], "2019-07-20");
    }

    #[test]
    fn english_labels_in_english_articles() {
        let site = site();
        let g = graph(
            &site,
            "+++\ntitle = \"T\"\ndate = 2019-07-24\nlang = \"en\"\n[[claim]]\ntext = \"x\"\nverdict = \"mostly-false\"\n+++\nx\n",
        );
        assert_eq!(
            g["@graph"][1]["reviewRating"]["alternateName"],
            "Mostly false"
        );
        assert!(g["@graph"][1]["itemReviewed"].get("author").is_none());
        // Never changed: last modified when published.
        assert_eq!(g["@graph"][0]["dateModified"], "2019-07-24");
        assert!(g["@graph"][0].get("translationOfWork").is_none());
    }

    #[test]
    fn a_later_correction_is_the_last_modification() {
        let site = site();
        let g = graph(
            &site,
            "+++\ntitle = \"T\"\ndate = 2019-07-24\nupdated = 2019-07-30\n\
             [[correction]]\ntext = \"x\"\ncorrect = \"y\"\ndate = 2019-08-05\n+++\nx\n",
        );
        assert_eq!(g["@graph"][0]["dateModified"], "2019-08-05");
    }

    #[test]
    fn script_end_tags_cannot_break_out() {
        let site = site();
        let article = parse_article(
            &site,
            PathBuf::from("content/x.md"),
            "+++\ntitle = \"</script><script>alert(1)</script> <!-- &amp; \\u2028 end\"\ndate = 2019-07-24\n[[claim]]\ntext = \"a </SCRIPT> b\"\nverdict = \"true\"\n+++\nx a &lt;/SCRIPT&gt; b\n".into(),
            "x/".into(),
        )
        .unwrap();
        let anchored = crate::annotate::anchor(&article, false).unwrap();
        let s = article_jsonld(&site, &article, &anchored, "https://example.org/x/");
        for bad in ['<', '>', '&', '\u{2028}'] {
            assert!(!s.contains(bad), "{bad:?} in {s}");
        }
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(
            v["headline"],
            "</script><script>alert(1)</script> <!-- &amp; \u{2028} end"
        );
        let pages = crate::render::claim_page::claim_pages(&site, &article, &anchored);
        let review = &pages[0].view.jsonld;
        for bad in ['<', '>', '&', '\u{2028}'] {
            assert!(!review.contains(bad), "{bad:?} in {review}");
        }
        let v: Value = serde_json::from_str(review).unwrap();
        assert_eq!(v["claimReviewed"], "a </SCRIPT> b");
    }

    #[test]
    fn the_article_names_its_claims_reviews_which_their_pages_carry() {
        let site = site();
        let article = parse_article(
            &site,
            PathBuf::from("content/2019/x.md"),
            ARTICLE.into(),
            "2019/x/".into(),
        )
        .unwrap();
        let anchored = crate::annotate::anchor(&article, false).unwrap();
        let url = page_url(&site, &article.url_path);
        let news: Value =
            serde_json::from_str(&article_jsonld(&site, &article, &anchored, &url)).unwrap();
        assert_eq!(news["@type"], "NewsArticle");
        assert!(news.get("@graph").is_none());
        assert!(!news.to_string().contains("ClaimReview"), "{news}");
        let parts: Vec<&str> = news["hasPart"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["@id"].as_str().unwrap())
            .collect();
        let pages = crate::render::claim_page::claim_pages(&site, &article, &anchored);
        let reviews: Vec<Value> = pages
            .iter()
            .map(|p| serde_json::from_str(&p.view.jsonld).unwrap())
            .collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            parts,
            reviews
                .iter()
                .map(|r| r["@id"].as_str().unwrap())
                .collect::<Vec<_>>()
        );
        for r in &reviews {
            assert_eq!(r["@type"], "ClaimReview");
            assert_eq!(r["url"], r["@id"]);
        }
    }

    #[test]
    fn relative_addresses_without_base_url() {
        let site = Site::standalone();
        assert_eq!(page_url(&site, "2019/x/"), "./");
        assert_eq!(site_url(&site, "2019/x/"), "../../");
        assert_eq!(site_url(&site, ""), "./");
        let mut site = site;
        site.config.base_url = "https://example.org".into();
        assert_eq!(page_url(&site, "2019/x/"), "https://example.org/2019/x/");
        assert_eq!(site_url(&site, "2019/x/"), "https://example.org/");
    }
}
