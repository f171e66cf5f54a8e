//! Structured data and the Web Annotation export, made from real articles.
//!
//! With `GLOSS_EXPORT_DIR` set, the test also writes each article as `<path>/index.html`
//! (its NewsArticle in its head), each claim's page `<path>/claims/<id>/index.html` (its
//! ClaimReview) and `<path>/annotations.jsonld`, for the validators in ../shared/tools
//! (`structured-data.py DIR`, `wadm/validate.sh DIR`).
use std::path::{Path, PathBuf};

use gloss::annotate::anchor;
use gloss::config::Site;
use gloss::content::{self, Article, Kind};
use gloss::render::{self, jsonld, wadm};
use serde_json::Value;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The JSON a browser would hand to JSON.parse: everything up to the first `</script`.
fn script_json(html: &str) -> Value {
    let script = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script").next())
        .unwrap();
    serde_json::from_str(script).expect("JSON-LD parses")
}

/// A page of `lang` titled `title` with `ld` in its head, written to `dir/index.html`.
fn write_page(dir: &Path, lang: &str, title: &str, ld: &str, body: &str) -> String {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<script type=\"application/ld+json\">{ld}</script>\n</head>\n\
         <body>\n<main>\n<h1>{title}</h1>\n{body}</main>\n</body>\n</html>\n",
        lang = escape(lang),
        title = escape(title),
    );
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("index.html"), &html).unwrap();
    html
}

/// Writes one article's page, its claims' pages and its export below `out`; returns the
/// article page's JSON-LD, each claim page's, and the collection.
fn export(site: &Site, article: &Article, out: &Path) -> (Value, Vec<Value>, Value) {
    let anchored = anchor(article, false).expect("anchors");
    let url = jsonld::page_url(site, &article.url_path);
    let ld = jsonld::article_jsonld(site, article, &anchored, &url);
    let anno = wadm::annotation_collection(site, article, &anchored, &url);
    let body = render::body_html(article, &anchored, &render::reading_order(&anchored), true);
    let dir = out.join(&article.url_path);
    let lang = &article.meta.lang_tag;
    let html = write_page(&dir, lang, &article.meta.title, &ld, &body);
    std::fs::write(
        dir.join(wadm::FILE_NAME),
        serde_json::to_string_pretty(&anno).unwrap(),
    )
    .unwrap();
    let reviews = render::claim_page::claim_pages(site, article, &anchored)
        .iter()
        .map(|page| {
            let v = &page.view;
            let html = write_page(
                &out.join(&page.path),
                lang,
                v.statement,
                &v.jsonld,
                &format!("<p>{}</p>\n", v.passage_html),
            );
            script_json(&html)
        })
        .collect();
    (script_json(&html), reviews, anno)
}

fn out_dir(tmp: &tempfile::TempDir) -> PathBuf {
    std::env::var_os("GLOSS_EXPORT_DIR").map_or_else(|| tmp.path().to_path_buf(), PathBuf::from)
}

fn check(article: &Article, news: &Value, reviews: &[Value], anno: &Value) {
    assert_eq!(news["@type"], "NewsArticle");
    for key in [
        "headline",
        "datePublished",
        "inLanguage",
        "publisher",
        "url",
    ] {
        assert!(news.get(key).is_some(), "NewsArticle without {key}");
    }
    let claims = article
        .annotations
        .iter()
        .filter(|a| a.kind == Kind::Claim)
        .count();
    // The article page names each claim's review by its address; the claim's page has it.
    let parts = news
        .get("hasPart")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    assert_eq!(parts.len(), claims);
    assert_eq!(reviews.len(), claims);
    for (part, r) in parts.iter().zip(reviews) {
        assert_eq!(part.as_object().unwrap().len(), 1, "a reference: {part}");
        assert_eq!(part["@id"], r["@id"]);
        assert_eq!(r["@context"], "https://schema.org");
        assert_eq!(r["@type"], "ClaimReview");
        assert!(r["claimReviewed"].as_str().is_some_and(|s| !s.is_empty()));
        // Each review is published on its claim's own page.
        assert!(
            r["url"].as_str().unwrap().contains("/claims/claim-"),
            "{}",
            r["url"]
        );
        assert_eq!(r["url"], r["@id"]);
        assert!(r["reviewRating"]["alternateName"].is_string());
        assert_eq!(r["itemReviewed"]["@type"], "Claim");
    }
    if article.meta.translation.is_some() {
        assert!(news["translationOfWork"]["inLanguage"].is_string());
    }
    let corrections = article
        .annotations
        .iter()
        .filter(|a| a.kind == Kind::Correction)
        .count();
    assert_eq!(
        news.get("correction")
            .and_then(Value::as_array)
            .map_or(0, Vec::len),
        corrections
    );

    assert_eq!(anno["type"], "AnnotationCollection");
    let items = anno["first"]["items"].as_array().unwrap();
    assert_eq!(anno["total"], items.len());
    for a in items {
        assert_eq!(a["type"], "Annotation");
        assert!(a["motivation"].is_string());
        let sel = a["target"]["selector"].as_array().unwrap();
        assert_eq!(sel[0]["type"], "TextQuoteSelector");
        assert_eq!(sel[1]["type"], "TextPositionSelector");
        assert!(sel[1]["start"].as_u64() < sel[1]["end"].as_u64());
    }
}

#[test]
fn the_seed_site_exports() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::load(root).expect("site.toml loads");
    let loaded = content::load(&site, false).expect("content loads");
    assert!(!loaded.articles.is_empty());
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(&tmp);
    for article in &loaded.articles {
        let (ld, reviews, anno) = export(&site, article, &out);
        check(article, &ld, &reviews, &anno);
    }
}

#[test]
fn hostile_text_stays_inside_the_script() {
    let mut site = Site::standalone();
    site.config.title = "A </script><script>alert(1)</script> & Co".into();
    site.config.base_url = "https://example.org/".into();
    let text = "+++\ntitle = \"</script><!-- Übergang & <b>\"\ndate = 2019-07-24\nlang = \"en\"\n\
                summary = \"x </script> y\"\n\
                [[claim]]\ntext = \"a </script> b\"\nby = \"</script>\"\nverdict = \"misleading\"\n\
                [[correction]]\ntext = \"b.\"\ncorrect = \"</script>\"\n+++\n\
                Übergang: a &lt;/script&gt; b.\n";
    let article = content::parse_article(
        &site,
        PathBuf::from("content/hostile.md"),
        text.into(),
        "hostile/".into(),
    )
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (ld, reviews, anno) = export(&site, &article, &out_dir(&tmp));
    check(&article, &ld, &reviews, &anno);
    assert_eq!(ld["headline"], "</script><!-- Übergang & <b>");
    assert_eq!(reviews[0]["claimReviewed"], "a </script> b");
    let sel = &anno["first"]["items"][0]["target"]["selector"];
    assert_eq!(sel[0]["exact"], "a </script> b");
    assert_eq!(sel[1]["start"], "Übergang: ".chars().count());
}
