//! What pages say of themselves where they are shared or found: description, Open Graph,
//! Twitter card and the canonical address (issue 18, item 6).
mod common;

use common::*;

/// `content` of the `<meta>` with `attr="name"` (`property="og:title"`), or `None`.
fn meta(html: &str, attr: &str, name: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!("meta[{attr}=\"{name}\"]")).unwrap();
    let found: Vec<_> = doc.select(&sel).collect();
    assert!(found.len() <= 1, "{name} twice");
    found
        .first()
        .map(|e| e.value().attr("content").unwrap().to_string())
}

fn canonical(html: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("link[rel=canonical]").unwrap();
    doc.select(&sel)
        .next()
        .map(|e| e.value().attr("href").unwrap().to_string())
}

const SITE: &str = "title = \"Testseite\"\nlanguage = \"de\"\nbase_url = \"https://example.org/t/\"\n\
    description = \"Die Seite.\"\n[share]\nimage = \"teilen.png\"\n";

#[test]
fn articles_share_their_summary_first_image_and_address() {
    let dir = site(&[
        ("site.toml", SITE),
        ("static/teilen.png", "png"),
        (
            "content/2026/bruecke/index.md",
            &article(
                "summary = \"Die *neue* [Brücke](https://x.example) kostet mehr.\"\n",
                "Text.\n\n![Die Brücke](foto.png)\n",
            ),
        ),
        ("content/2026/bruecke/foto.png", "png"),
        (
            "content/2026/ohne.md",
            &article("", "Ein Text ohne Zusammenfassung und ohne Bild.\n"),
        ),
    ]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/2026/bruecke/index.html");
    assert_eq!(
        meta(&html, "name", "description").as_deref(),
        Some("Die neue Brücke kostet mehr.")
    );
    assert_eq!(
        meta(&html, "property", "og:description").as_deref(),
        Some("Die neue Brücke kostet mehr.")
    );
    assert_eq!(
        meta(&html, "property", "og:title").as_deref(),
        Some("Ein Artikel")
    );
    assert_eq!(
        meta(&html, "property", "og:type").as_deref(),
        Some("article")
    );
    let url = "https://example.org/t/2026/bruecke/";
    assert_eq!(meta(&html, "property", "og:url").as_deref(), Some(url));
    assert_eq!(canonical(&html).as_deref(), Some(url));
    assert_eq!(
        meta(&html, "property", "og:image").as_deref(),
        Some("https://example.org/t/2026/bruecke/foto.png")
    );
    assert_eq!(
        meta(&html, "name", "twitter:card").as_deref(),
        Some("summary_large_image")
    );

    // Without summary or image: the opening words, and the site's image.
    let html = read(dir.path(), "public/2026/ohne/index.html");
    assert_eq!(
        meta(&html, "name", "description").as_deref(),
        Some("Ein Text ohne Zusammenfassung und ohne Bild.")
    );
    assert_eq!(
        meta(&html, "property", "og:image").as_deref(),
        Some("https://example.org/t/teilen.png")
    );

    // Listings: their own title and words, their own address.
    let html = read(dir.path(), "public/index.html");
    assert_eq!(
        meta(&html, "name", "description").as_deref(),
        Some("Die Seite.")
    );
    assert_eq!(canonical(&html).as_deref(), Some("https://example.org/t/"));
    let html = read(dir.path(), "public/claims/index.html");
    assert_eq!(
        meta(&html, "property", "og:title").as_deref(),
        Some("Behauptungen")
    );
    assert_eq!(
        canonical(&html).as_deref(),
        Some("https://example.org/t/claims/")
    );
    assert!(meta(&html, "name", "description").is_some());
    let html = read(dir.path(), "public/tags/index.html");
    assert_eq!(
        canonical(&html).as_deref(),
        Some("https://example.org/t/tags/")
    );
    // The 404 page is served at every missing address: it claims none.
    let html = read(dir.path(), "public/404.html");
    assert_eq!(canonical(&html), None);
}

#[test]
fn a_share_image_that_is_not_there_is_an_error_at_its_line() {
    let dir = site(&[
        ("site.toml", SITE),
        ("content/a.md", &article("", "Text.\n")),
    ]);
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("site.toml:6:"), "{err}");
    assert!(err.contains("neither in static/ nor in content/"), "{err}");
    assert!(!dir.path().join("public").exists());
}
