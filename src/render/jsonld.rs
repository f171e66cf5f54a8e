//! schema.org structured data for an article page: one `NewsArticle` and one `ClaimReview` per claim.
//!
//! The result goes into `<script type="application/ld+json">`; every `<`, `>` and `&` is
//! written as a `\u` escape, so no string in it can close the script element.
use serde_json::{Map, Value, json};

use crate::annotate::{Anchored, fold};
use crate::config::Site;
use crate::content::{Article, Detail};
use crate::markdown::plain_text;

use super::script_safe;

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

/// A schema.org agent for `name`: the registry's entry with its own type (`Person` or
/// `Organization`) under its registered name, else a `Person` or `Organization` as
/// `unknown_is_person` says.
fn agent(site: &Site, name: &str, unknown_is_person: bool) -> Value {
    match site.person(name) {
        Some((_, p)) => {
            let mut o = obj([
                ("@type", json!(p.kind.schema_type())),
                ("name", json!(p.name)),
            ]);
            if let Some(url) = p.url.as_deref().filter(|u| !u.trim().is_empty()) {
                o.insert("url".into(), json!(url));
            }
            Value::Object(o)
        }
        None => {
            let kind = if unknown_is_person {
                "Person"
            } else {
                "Organization"
            };
            json!({ "@type": kind, "name": fold(name) })
        }
    }
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

/// The one ClaimReview of claim `c` of article `a`, the same on the article page, the claim's
/// page and in `claims.json`. `base` is the site root's address as seen from where the
/// review is published (see [`site_url`]).
///
/// It says only what gloss knows: the claim's author is the registry's entry with its type
/// (for a claim of the article itself, the article's `source`, else its authors); it
/// appeared in the article's `source` where there is one with an address, else in the
/// article; it was made on the claim's own `date`, else the source's date, else (for the
/// article's own claims) the article's date, and otherwise no date is given.
pub fn claim_review(
    site: &Site,
    a: &ReviewedIn<'_>,
    c: &crate::build::summary::ClaimEntry,
    base: &str,
) -> Value {
    let article_url = format!("{base}{}", super::url_of_path(a.path));
    let url = format!(
        "{base}{}",
        super::url_of_path(&super::claim_page_path(a.path, &c.id))
    );
    let v = site.scale.get(&c.verdict);
    let label = v.map_or(c.verdict.as_str(), |v| v.label.get(a.lang));
    let mut rating = obj([("@type", json!("Rating")), ("alternateName", json!(label))]);
    if let (Some(value), Some((best, worst))) =
        (v.and_then(|v| v.rating), site.scale.rating_bounds())
    {
        rating.insert("ratingValue".into(), json!(value));
        rating.insert("bestRating".into(), json!(best));
        rating.insert("worstRating".into(), json!(worst));
    }
    let source = a.source.filter(|s| s.url.is_some());
    let appearance = match source {
        Some(s) => {
            let mut o = obj([
                ("@type", json!("CreativeWork")),
                ("url", json!(s.url)),
                ("name", json!(s.name)),
            ]);
            if let Some(d) = s.date {
                o.insert("datePublished".into(), json!(d.to_string()));
            }
            o
        }
        None => obj([
            ("@type", json!("CreativeWork")),
            ("url", json!(article_url)),
            ("headline", json!(a.title.trim())),
            ("datePublished", json!(a.date.to_string())),
        ]),
    };
    let mut claim = obj([
        ("@type", json!("Claim")),
        ("appearance", Value::Object(appearance)),
    ]);
    let made = c
        .date
        .or(a.source.and_then(|s| s.date))
        .or(c.article_itself.then_some(a.date));
    if let Some(made) = made {
        claim.insert("datePublished".into(), json!(made.to_string()));
    }
    let author = match (&c.by, c.article_itself) {
        (Some(by), true) if site.person(by).is_none() => {
            // The article's source, as its front matter names it.
            let mut o = obj([("@type", json!("Organization")), ("name", json!(fold(by)))]);
            if let Some(url) = a.source.and_then(|s| s.url.as_deref()) {
                o.insert("url".into(), json!(url));
            }
            Some(Value::Object(o))
        }
        (Some(by), _) => Some(agent(site, by, true)),
        (None, true) => {
            let authors: Vec<Value> = a
                .authors
                .iter()
                .filter(|n| !n.trim().is_empty())
                .map(|n| agent(site, n, true))
                .collect();
            match authors.len() {
                0 => None,
                1 => authors.into_iter().next(),
                _ => Some(Value::Array(authors)),
            }
        }
        (None, false) => None,
    };
    if let Some(author) = author {
        claim.insert("author".into(), author);
    }
    let mut review = obj([
        ("@type", json!("ClaimReview")),
        ("@id", json!(url)),
        ("url", json!(url)),
        ("claimReviewed", json!(fold(c.statement()))),
        ("reviewRating", Value::Object(rating)),
        ("itemReviewed", Value::Object(claim)),
        ("author", publisher_at(site, base)),
        ("datePublished", json!(a.date.to_string())),
        ("inLanguage", json!(a.lang_tag)),
    ]);
    if let Some(conclusion) = c.conclusion.as_deref().map(fold).filter(|c| !c.is_empty()) {
        review.insert("reviewBody".into(), json!(conclusion));
    }
    Value::Object(review)
}

/// The site as the publishing organization.
fn publisher(site: &Site, url_path: &str) -> Value {
    publisher_at(site, &site_url(site, url_path))
}

/// The site as the publishing organization, its address `url`.
fn publisher_at(site: &Site, url: &str) -> Value {
    json!({
        "@type": "Organization",
        "@id": format!("{url}#publisher"),
        "name": site.config.title,
        "url": url,
    })
}

fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The JSON-LD for an article page, ready to put between `<script type="application/ld+json">`
/// and `</script>`. `page_url` is the page's address (see [`page_url`]).
pub fn article_jsonld(
    site: &Site,
    article: &Article,
    anchored: &Anchored<'_>,
    page_url: &str,
) -> String {
    script_safe(&article_graph(site, article, anchored, page_url).to_string())
}

/// The JSON-LD of [`article_jsonld`] as a value, before escaping.
pub fn article_graph(
    site: &Site,
    article: &Article,
    anchored: &Anchored<'_>,
    page_url: &str,
) -> Value {
    let meta = &article.meta;
    let lang = meta.lang;
    let publisher = publisher(site, &article.url_path);
    let date = meta.date.to_string();
    let anchored_text = |i: usize| {
        anchored
            .placed
            .get(i)
            .and_then(Option::as_ref)
            .and_then(|r| anchored.reader.text.get(r.clone()))
            .map(fold)
    };

    let mut news = obj([
        ("@type", json!("NewsArticle")),
        ("@id", json!(format!("{page_url}#article"))),
        ("headline", json!(meta.title.trim())),
        ("url", json!(page_url)),
        ("mainEntityOfPage", json!(page_url)),
        ("datePublished", json!(date)),
        ("inLanguage", json!(meta.lang_tag)),
        ("publisher", publisher.clone()),
    ]);
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
    news.insert("dateModified".into(), json!(modified.to_string()));
    let authors: Vec<Value> = meta
        .authors
        .iter()
        .filter(|a| !a.trim().is_empty())
        .map(|a| agent(site, a, true))
        .collect();
    if !authors.is_empty() {
        news.insert("author".into(), Value::Array(authors));
    }
    if let Some(summary) = meta.summary.as_deref() {
        let text = plain_text(summary);
        if !text.is_empty() {
            news.insert("description".into(), json!(text));
        }
    }
    if !meta.tags.is_empty() {
        news.insert("keywords".into(), json!(meta.tags));
    }
    let original = meta.source.as_ref().map(|s| {
        let mut o = obj([("@type", json!("CreativeWork")), ("name", json!(s.name))]);
        if let Some(url) = &s.url {
            o.insert("url".into(), json!(url));
        }
        if let Some(d) = s.date {
            o.insert("datePublished".into(), json!(d.to_string()));
        }
        o
    });
    let (of, translations) = translation_urls(site, article);
    let on_site = |(lang, url): (String, String)| {
        // A work by its address: its own page describes it as the NewsArticle it is.
        obj([
            ("@type", json!("CreativeWork")),
            ("url", json!(url)),
            ("inLanguage", json!(lang)),
        ])
    };
    match (&meta.translation, original) {
        (Some(t), original) => {
            // The original, when the site has it, else what the source says of it.
            let work = match of {
                Some(of) => on_site(of),
                None => {
                    let mut work =
                        original.unwrap_or_else(|| obj([("@type", json!("CreativeWork"))]));
                    work.insert("inLanguage".into(), json!(t.from));
                    work
                }
            };
            news.insert("translationOfWork".into(), Value::Object(work));
            if let Some(by) = t.by.as_deref().filter(|b| *b != "machine" && !b.is_empty()) {
                news.insert("translator".into(), agent(site, by, true));
            }
        }
        (None, Some(original)) => {
            news.insert("isBasedOn".into(), Value::Object(original));
        }
        (None, None) => {}
    }
    if !translations.is_empty() {
        let works: Vec<Value> = translations
            .into_iter()
            .map(|t| Value::Object(on_site(t)))
            .collect();
        news.insert("workTranslation".into(), Value::Array(works));
    }

    let mut corrections = Vec::new();
    let mut reviews = Vec::new();
    let reviewed = ReviewedIn::article(article);
    let base = site_url(site, &article.url_path);
    for (i, ann) in article.annotations.iter().enumerate() {
        let Some(text) = anchored_text(i) else {
            continue;
        };
        let anchor_url = format!("{page_url}#{}", ann.id);
        match &ann.detail {
            Detail::Correction { correct, date } => {
                // Every correction is dated: its own date, else the article's update (or
                // publication) date, which the corrections page shows too.
                let when = date.or(meta.updated).unwrap_or(meta.date);
                let c = obj([
                    ("@type", json!("CorrectionComment")),
                    (
                        "text",
                        json!(format!(
                            "{} → {}",
                            site.locales.get(lang).quoted(&text),
                            site.locales.get(lang).quoted(&fold(correct))
                        )),
                    ),
                    ("url", json!(anchor_url)),
                    ("datePublished", json!(when.to_string())),
                ]);
                corrections.push(Value::Object(c));
            }
            Detail::Claim { .. } => {
                if let Some(entry) = crate::build::summary::ClaimEntry::of(article, ann, &text) {
                    reviews.push(claim_review(site, &reviewed, &entry, &base));
                }
            }
            _ => {}
        }
    }
    if !corrections.is_empty() {
        news.insert("correction".into(), Value::Array(corrections));
    }
    let mut graph = vec![Value::Object(news)];
    graph.extend(reviews);
    json!({ "@context": "https://schema.org", "@graph": graph })
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
        serde_json::from_str(&s).unwrap()
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
            v["@graph"][0]["headline"],
            "</script><script>alert(1)</script> <!-- &amp; \u{2028} end"
        );
        assert_eq!(v["@graph"][1]["claimReviewed"], "a </SCRIPT> b");
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
