//! Sites in several languages: translations linked as translations (hreflang in the head, a
//! language switcher, the sitemap, JSON-LD and the W3C export), and listings, feeds, people
//! and search per language, each in its own words.
mod common;

use common::{article, gloss, read, site, stderr, text_of};

/// A copy of `tests/fixtures/multilingual`, built.
fn fixture() -> tempfile::TempDir {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multilingual");
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let to = dir.path().join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Its translations agree (claimants the registry lacks are warned of, as on the seed).
    assert!(
        !stderr(&out).contains("translation"),
        "the fixture's translations agree: {}",
        stderr(&out)
    );
    dir
}

/// `attr` of every element matching `selector` in `html`.
fn attrs(html: &str, selector: &str, attr: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// The page's schema.org NewsArticle.
fn news_article(html: &str) -> serde_json::Value {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    let json = doc.select(&sel).next().unwrap().text().collect::<String>();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let graph = v["@graph"].as_array().cloned().unwrap_or_else(|| vec![v]);
    graph
        .into_iter()
        .find(|n| n["@type"] == "NewsArticle")
        .expect("a NewsArticle")
}

const DE: &str = "public/de/microsoft-openai/index.html";
const EN: &str = "public/en/microsoft-openai/index.html";
const DE_TITLE: &str = "Microsoft Investiert in OpenAI";
const EN_TITLE: &str = "Microsoft Invests in OpenAI";
const FR_TITLE: &str = "Valmont-sur-Lac veut doubler";

#[test]
fn translations_link_each_other_in_the_head_and_the_switcher() {
    let dir = fixture();
    let (de, en) = (read(dir.path(), DE), read(dir.path(), EN));
    for html in [&de, &en] {
        let mut head = attrs(html, r#"head link[rel="alternate"][hreflang]"#, "hreflang");
        head.sort();
        assert_eq!(head, ["de", "en"], "every version, itself too");
        let hrefs = attrs(html, r#"head link[rel="alternate"][hreflang]"#, "href");
        assert!(
            hrefs.contains(&"https://example.org/multi/de/microsoft-openai/".to_string())
                && hrefs.contains(&"https://example.org/multi/en/microsoft-openai/".to_string()),
            "{hrefs:?}"
        );
    }
    // The switcher: each other version, labelled in its own language.
    assert_eq!(
        attrs(&de, "nav.gl-languages a", "href"),
        ["../../en/microsoft-openai/"]
    );
    assert_eq!(attrs(&de, "nav.gl-languages a", "hreflang"), ["en"]);
    assert_eq!(attrs(&de, "nav.gl-languages a", "lang"), ["en"]);
    assert_eq!(text_of(&de, "nav.gl-languages a"), "English");
    assert_eq!(
        attrs(&de, "nav.gl-languages", "aria-label"),
        ["In anderen Sprachen"]
    );
    assert_eq!(text_of(&en, "nav.gl-languages a"), "Deutsch");
    assert_eq!(
        attrs(&en, "nav.gl-languages", "aria-label"),
        ["In other languages"]
    );
}

#[test]
fn translations_are_in_the_sitemap_json_ld_and_the_annotation_export() {
    let dir = fixture();
    let sitemap = read(dir.path(), "public/sitemap.xml");
    assert!(sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    let entry = |loc: &str| {
        sitemap
            .lines()
            .find(|l| l.contains(&format!("<loc>{loc}</loc>")))
            .unwrap_or_else(|| panic!("{loc} in {sitemap}"))
            .to_string()
    };
    for loc in [
        "https://example.org/multi/de/microsoft-openai/",
        "https://example.org/multi/en/microsoft-openai/",
    ] {
        let e = entry(loc);
        assert!(e.contains(r#"<xhtml:link rel="alternate" hreflang="de" href="https://example.org/multi/de/microsoft-openai/"/>"#), "{e}");
        assert!(e.contains(r#"<xhtml:link rel="alternate" hreflang="en" href="https://example.org/multi/en/microsoft-openai/"/>"#), "{e}");
    }
    let home = entry("https://example.org/multi/en/");
    assert!(
        home.contains(r#"hreflang="de" href="https://example.org/multi/"/>"#),
        "{home}"
    );

    // The English text is translated from the German: that is the work it translates.
    let en = news_article(&read(dir.path(), EN));
    assert_eq!(
        en["translationOfWork"]["url"],
        "https://example.org/multi/de/microsoft-openai/"
    );
    assert_eq!(en["translationOfWork"]["inLanguage"], "de");
    assert!(en.get("workTranslation").is_none(), "{en}");
    let de = news_article(&read(dir.path(), DE));
    assert_eq!(
        de["workTranslation"][0]["url"],
        "https://example.org/multi/en/microsoft-openai/"
    );
    assert_eq!(de["workTranslation"][0]["inLanguage"], "en");
    // The German is itself a translation, of a Chinese original the site does not have.
    assert_eq!(de["translationOfWork"]["inLanguage"], "zh");

    let export =
        |rel: &str| -> serde_json::Value { serde_json::from_str(&read(dir.path(), rel)).unwrap() };
    let de = export("public/de/microsoft-openai/annotations.jsonld");
    let source = &de["first"]["items"][0]["target"]["source"];
    assert_eq!(
        source["schema:workTranslation"][0]["id"],
        "https://example.org/multi/en/microsoft-openai/"
    );
    let en = export("public/en/microsoft-openai/annotations.jsonld");
    let source = &en["first"]["items"][0]["target"]["source"];
    assert_eq!(
        source["schema:translationOfWork"]["id"],
        "https://example.org/multi/de/microsoft-openai/"
    );
    assert_eq!(source["language"], "en");
}

#[test]
fn each_language_lists_its_own_articles_in_its_own_words() {
    let dir = fixture();
    let page = |rel: &str| read(dir.path(), &format!("public/{rel}"));
    // Home pages.
    let (de, en) = (page("index.html"), page("en/index.html"));
    assert!(de.contains(DE_TITLE) && !de.contains(EN_TITLE));
    assert!(en.contains(EN_TITLE) && !en.contains(DE_TITLE));
    assert_eq!(attrs(&de, "html", "lang"), ["de"]);
    assert_eq!(attrs(&en, "html", "lang"), ["en"]);
    assert!(text_of(&de, "header nav").contains("Behauptungen"));
    assert!(text_of(&en, "header nav").contains("Claims"));
    // The English home page's navigation leads to the English listings.
    let nav = attrs(&en, r#"header nav[aria-label="Main navigation"] a"#, "href");
    assert_eq!(
        nav,
        [
            "../en/index.html",
            "../en/claims/",
            "../en/people/",
            "../en/corrections/",
            "../en/tags/",
            "../en/search/"
        ]
    );
    assert_eq!(
        attrs(&en, "nav.gl-languages a", "href"),
        ["../index.html", "../fr/index.html"]
    );
    assert_eq!(text_of(&en, "nav.gl-languages a"), "DeutschFrançais");
    // French: its article alone, in French words.
    let fr = page("fr/index.html");
    assert!(fr.contains(FR_TITLE) && !fr.contains(EN_TITLE) && !fr.contains(DE_TITLE));
    assert!(!de.contains(FR_TITLE) && !en.contains(FR_TITLE));
    assert_eq!(attrs(&fr, "html", "lang"), ["fr"]);
    assert!(text_of(&fr, "header nav").contains("Affirmations"));
    assert_eq!(
        attrs(&fr, "nav.gl-languages", "aria-label"),
        ["Dans d’autres langues"]
    );
    let fr_claims = page("fr/claims/index.html");
    assert!(fr_claims.contains("42 kilomètres") && fr_claims.contains("Plutôt vrai"));
    assert!(!fr_claims.contains("Microsoft"));
    assert!(page("fr/tags/index.html").contains("Vélo"));
    assert!(!page("tags/index.html").contains("Vélo"));
    assert!(page("fr/people/claire-dubois/index.html").contains("chaque école"));
    assert!(!dir.path().join("public/people/claire-dubois").exists());
    assert!(page("fr/feed.xml").contains(FR_TITLE) && !page("feed.xml").contains(FR_TITLE));
    // Claims ledgers, verdicts in the page's words.
    let (de, en) = (page("claims/index.html"), page("en/claims/index.html"));
    assert!(de.contains("Microsoft investiert 1 Milliarde") && !de.contains("Microsoft invests"));
    assert!(en.contains("Microsoft invests 1 billion") && !en.contains("Microsoft investiert"));
    assert!(de.contains("Irreführend") && !de.contains("Misleading"));
    assert!(en.contains("Misleading") && !en.contains("Irreführend"));
    // Tags.
    assert!(page("tags/index.html").contains("Künstliche Intelligenz"));
    assert!(!page("tags/index.html").contains("Artificial intelligence"));
    assert!(page("en/tags/index.html").contains("Artificial intelligence"));
    assert!(!page("en/tags/index.html").contains("Künstliche Intelligenz"));
    assert!(page("en/tags/azure/index.html").contains(EN_TITLE));
    assert!(!page("en/tags/azure/index.html").contains(DE_TITLE));
    // People and corrections.
    let metz = page("en/people/cade-metz/index.html");
    assert!(
        metz.contains("Under the terms of the contract") && !metz.contains("Vertragsbedingungen")
    );
    let metz = page("people/cade-metz/index.html");
    assert!(metz.contains("Vertragsbedingungen") && !metz.contains("Under the terms"));
    assert!(page("en/corrections/index.html").contains(EN_TITLE));
    assert!(!page("corrections/index.html").contains(EN_TITLE));
    // The English article's people link to the English people pages.
    let en_article = read(dir.path(), EN);
    let people = attrs(&en_article, r#"a[href*="people/"]"#, "href");
    assert!(!people.is_empty());
    assert!(
        people.iter().all(|h| h.starts_with("../../en/people/")),
        "{people:?}"
    );
    // Feeds.
    let (de, en) = (page("feed.xml"), page("en/feed.xml"));
    assert!(de.contains(DE_TITLE) && !de.contains(EN_TITLE));
    assert!(en.contains(EN_TITLE) && !en.contains(DE_TITLE));
    assert!(en.contains(r#"xml:lang="en""#), "{en}");
    assert!(en.contains("https://example.org/multi/en/feed.xml"));
    assert!(page("en/corrections.xml").contains("ARK Invest"));
    assert!(
        attrs(
            &page("en/index.html"),
            r#"link[type="application/atom+xml"]"#,
            "href"
        )
        .contains(&"../en/feed.xml".to_string())
    );
}

#[test]
fn each_language_has_its_own_search_index() {
    let dir = fixture();
    let docs = |rel: &str| -> String {
        let d = dir.path().join("public").join(rel);
        walkdir::WalkDir::new(d)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect()
    };
    let de = docs("search/i/d");
    let en = docs("en/search/i/d");
    assert!(de.contains(DE_TITLE) && !de.contains(EN_TITLE));
    assert!(en.contains(EN_TITLE) && !en.contains(DE_TITLE));
    // Stemmed in its language: English "investment" and "invested" share the stem "invest".
    let shards = docs("en/search/i/t");
    assert!(shards.contains(r#""invest""#), "English stems");
    let search = read(dir.path(), "public/en/search/index.html");
    assert_eq!(attrs(&search, "form", "data-index"), ["../../en/search/i/"]);
    assert!(
        attrs(
            &read(dir.path(), "public/search/index.html"),
            "form",
            "data-index"
        )
        .is_empty()
    );
}

#[test]
fn an_english_site_lists_its_german_article_apart() {
    let dir = site(&[
        (
            "site.toml",
            "title = \"T\"\nlanguage = \"en\"\nbase_url = \"https://example.org/t\"\n",
        ),
        (
            "content/a.md",
            &article("lang = \"en\"\ntags = [\"News\"]\n", "An English text."),
        ),
        (
            "content/b.md",
            "+++\ntitle = \"Ein deutscher Artikel\"\ndate = 2019-07-25\nlang = \"de\"\ntags = [\"Nachrichten\"]\n\n[[claim]]\ntext = \"Der Himmel ist grün\"\nverdict = \"false\"\n+++\nDer Himmel ist grün.\n",
        ),
    ]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = |rel: &str| read(dir.path(), &format!("public/{rel}"));
    assert!(!page("index.html").contains("Ein deutscher Artikel"));
    assert!(!page("claims/index.html").contains("Der Himmel ist grün"));
    assert!(!page("tags/index.html").contains("Nachrichten"));
    assert!(!page("feed.xml").contains("Ein deutscher Artikel"));
    let de = page("de/index.html");
    assert!(de.contains("Ein deutscher Artikel") && !de.contains("Ein Artikel<"));
    assert_eq!(attrs(&de, "html", "lang"), ["de"]);
    assert!(page("de/claims/index.html").contains("Der Himmel ist grün"));
    assert!(page("de/claims/index.html").contains("Falsch"));
    assert!(page("de/tags/nachrichten/index.html").contains("Ein deutscher Artikel"));
    assert!(page("de/feed.xml").contains("Ein deutscher Artikel"));
    // Listings link their languages' versions.
    assert_eq!(
        attrs(&page("claims/index.html"), "nav.gl-languages a", "href"),
        ["../de/claims/"]
    );
}

#[test]
fn a_site_in_one_language_has_no_alternates() {
    let dir = site(&[(
        "content/a.md",
        &article("tags = [\"KI\"]\n", "Ein Text mit 5 Prozent."),
    )]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for rel in [
        "public/index.html",
        "public/a/index.html",
        "public/tags/ki/index.html",
        "public/search/index.html",
    ] {
        let html = read(dir.path(), rel);
        assert!(!html.contains("hreflang"), "{rel}");
        assert!(!html.contains("gl-languages"), "{rel}");
        assert!(!html.contains("data-index"), "{rel}");
    }
    assert!(!read(dir.path(), "public/sitemap.xml").contains("xhtml"));
    assert!(!dir.path().join("public/de").exists());
}

#[test]
fn a_translation_that_is_no_article_is_a_located_error() {
    let dir = site(&[(
        "content/de/a.md",
        &article("translations = { en = \"../en/b.md\" }\n", "Text."),
    )]);
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("content/de/a.md:4:"), "{err}");
    assert!(err.contains("../en/b.md"), "{err}");
    assert!(!dir.path().join("public").exists());
}

#[test]
fn a_translation_in_another_language_than_named_is_an_error() {
    let dir = site(&[
        (
            "site.toml",
            "title = \"T\"\nlanguage = \"de\"\nlanguages = [\"de\", \"en\", \"fr\"]\n",
        ),
        (
            "content/de/a.md",
            &article("translations = { en = \"../fr/a.md\" }\n", "Text."),
        ),
        (
            "content/fr/a.md",
            &article(
                "lang = \"fr\"\ntranslations = { de = \"../de/a.md\" }\n",
                "Texte.",
            ),
        ),
    ]);
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("content/de/a.md:4:"), "{err}");
    assert!(err.contains("is in `fr`, not `en`"), "{err}");
    assert!(err.contains(r#"fr = "../fr/a.md""#), "{err}");
}

#[test]
fn a_translation_that_does_not_name_back_is_a_warning_with_the_line_to_add() {
    let dir = site(&[
        (
            "content/de/a.md",
            &article("translations = { en = \"../en/a.md\" }\n", "Text."),
        ),
        ("content/en/a.md", &article("lang = \"en\"\n", "Text.")),
    ]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("warning"), "{err}");
    assert!(err.contains("content/de/a.md:4:"), "{err}");
    assert!(err.contains("does not name this article"), "{err}");
    assert!(err.contains(r#"de = "../de/a.md""#), "{err}");
    // Still linked from the article that names it.
    let html = read(dir.path(), "public/de/a/index.html");
    assert_eq!(attrs(&html, "nav.gl-languages a", "href"), ["../../en/a/"]);
    // `gloss check` says so too.
    let out = gloss(dir.path(), &["check"]);
    assert!(
        stderr(&out).contains("does not name this article")
            || common::stdout(&out).contains("does not name this article")
    );
}

#[test]
fn languages_are_checked_where_they_are_written() {
    let dir = site(&[
        (
            "site.toml",
            "title = \"T\"\nlanguage = \"de\"\nlanguages = [\"en\", \"fr\"]\n",
        ),
        ("content/a.md", &article("", "Text.")),
    ]);
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("site.toml:3:"), "{err}");
    assert!(err.contains("does not hold the site's `language`"), "{err}");

    // A language `languages` leaves out is listed with the site's own.
    let dir = site(&[
        (
            "site.toml",
            "title = \"T\"\nlanguage = \"de\"\nlanguages = [\"de\", \"en\"]\n",
        ),
        (
            "content/a.md",
            "+++\ntitle = \"Un article\"\ndate = 2019-07-24\nlang = \"fr\"\n+++\nTexte.\n",
        ),
        ("content/b.md", &article("lang = \"en\"\n", "Text.")),
    ]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let home = read(dir.path(), "public/index.html");
    assert_eq!(attrs(&home, "h2[lang=fr]", "lang"), ["fr"], "{home}");
    assert!(!dir.path().join("public/fr").exists());
    assert!(read(dir.path(), "public/en/index.html").contains("Ein Artikel"));
    // Its page links the listings it is in.
    let page = read(dir.path(), "public/a/index.html");
    assert!(attrs(&page, "header nav a", "href").contains(&"../claims/".to_string()));
}

#[test]
fn a_translation_in_the_article_s_own_language_is_an_error() {
    let dir = site(&[(
        "content/a.md",
        &article("translations = { de = \"b.md\" }\n", "Text."),
    )]);
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("content/a.md:4:"), "{err}");
    assert!(err.contains("the article's own language"), "{err}");
}

#[test]
fn each_language_has_its_authors_terms_and_their_feeds_in_its_own_words() {
    let dir = fixture();
    let out = dir.path().join("public");
    // The French article's byline leads to the French listings.
    let fr = read(&out, "fr/pistes-cyclables/index.html");
    assert_eq!(
        attrs(&fr, ".dateline a[rel=author]", "href"),
        ["../../fr/authors/la-redaction/"]
    );
    let author = read(&out, "fr/authors/la-redaction/index.html");
    assert!(text_of(&author, "h2").starts_with("Articles de La rédaction"));
    assert!(text_of(&author, ".gl-bio").contains("signe ses articles"));
    assert!(!out.join("authors/la-redaction").exists());
    // Each language's taxonomy index in its title, the switcher to the others'.
    assert!(text_of(&read(&out, "categories/index.html"), "h1").contains("Rubriken"));
    let en = read(&out, "en/categories/index.html");
    assert!(text_of(&en, "h1").contains("Categories"));
    assert!(attrs(&en, "nav.gl-languages a", "href").contains(&"../../fr/categories/".to_string()));
    let feed = read(&out, "fr/categories/ville/feed.xml");
    assert!(feed.contains("xml:lang=\"fr\""), "{feed}");
    assert!(feed.contains("<content xml:base=\"https://example.org/multi/fr/pistes-cyclables/\""));
}
