//! Bylines lead to author pages, site-declared taxonomies have their pages and feeds, and
//! every tag, author and term has an Atom feed of its own (full text as an option).
mod common;

use std::str::FromStr;

use common::*;

const SITE: &str = "title = \"Desk\"\nlanguage = \"en\"\nlanguages = [\"en\"]\n\
    base_url = \"https://example.org/desk\"\npaginate_by = 1\n\
    [[taxonomy]]\nname = \"categories\"\ntitle = { en = \"Categories\", de = \"Kategorien\" }\n\
    [[person]]\nname = \"Priya Raman\"\nrole = \"Analyst\"\nbio = \"Covers transit.\"\n\
    aliases = [\"Priya Ramen\"]\n";

fn levy() -> String {
    "+++\ntitle = \"Levy\"\ndate = 2026-01-02\nauthors = [\"Priya Ramen\", \"Jo Bloggs\"]\n\
     tags = [\"Transit\"]\nsummary = \"The levy.\"\n\
     taxonomies = { categories = [\"Politics\", \"City Hall\"] }\n\
     [[quote]]\ntext = \"We will see\"\nspeaker = \"Priya Raman\"\n+++\n\
     She says \"We will see\" about [the tram](tram.md).\n"
        .to_string()
}

fn tram() -> String {
    "+++\ntitle = \"Tram\"\ndate = 2026-01-03\nauthors = [\"Jo  Bloggs\"]\ntags = [\"transit\"]\n\
     [taxonomies]\ncategories = [\"politics\"]\n+++\nThe tram runs.\n"
        .to_string()
}

/// A German article on an English site that lists only English: filed with the English.
fn bahn() -> String {
    "+++\ntitle = \"Bahn\"\ndate = 2026-01-01\nlang = \"de\"\nauthors = [\"Jo Bloggs\"]\n\
     tags = [\"Transit\"]\nsummary = \"Die Bahn.\"\n+++\nDie Bahn fährt.\n"
        .to_string()
}

fn desk(site_toml: &str) -> tempfile::TempDir {
    let (levy, tram, bahn) = (levy(), tram(), bahn());
    site(&[
        ("site.toml", site_toml),
        ("content/2026/levy.md", &levy),
        ("content/2026/tram.md", &tram),
        ("content/2026/bahn.md", &bahn),
    ])
}

fn build(dir: &std::path::Path) {
    let out = gloss(dir, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn hrefs(html: &str, selector: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| {
            (
                e.text().collect::<String>(),
                e.value().attr("href").unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn bylines_lead_to_one_page_per_author_filed_by_the_registry() {
    let dir = desk(SITE);
    build(dir.path());
    let out = dir.path().join("public");
    let levy = read(&out, "2026/levy/index.html");
    assert_eq!(
        hrefs(&levy, ".dateline a[rel=author]"),
        [
            ("Priya Raman".into(), "../../authors/priya-raman/".into()),
            ("Jo Bloggs".into(), "../../authors/jo-bloggs/".into())
        ]
    );
    // "Jo Bloggs" and "Jo  Bloggs" are one author by the registry's rule; three articles,
    // one a page, newest first.
    let jo = read(&out, "authors/jo-bloggs/index.html");
    assert!(text_of(&jo, "h2").contains("(3)"), "{jo}");
    assert_eq!(
        hrefs(&jo, ".article-list h2 a"),
        [("Tram".into(), "../../2026/tram/".into())]
    );
    assert!(read(&out, "authors/jo-bloggs/page/3/index.html").contains("Bahn"));
    assert!(!out.join("authors/jo-bloggs/page/4").exists());
    // The registry's person: its name, role and bio, and their quotes page linked both ways.
    let priya = read(&out, "authors/priya-raman/index.html");
    assert!(text_of(&priya, ".gl-bio").contains("Covers transit."));
    assert!(text_of(&priya, ".lead").contains("Analyst"));
    assert!(
        priya.contains("href=\"../../people/priya-raman/\""),
        "{priya}"
    );
    let person = read(&out, "people/priya-raman/index.html");
    assert!(
        person.contains("href=\"../../authors/priya-raman/\""),
        "{person}"
    );
    let index = read(&out, "authors/index.html");
    assert_eq!(
        hrefs(&index, ".person-name"),
        [
            ("Jo Bloggs".into(), "../authors/jo-bloggs/".into()),
            ("Priya Raman".into(), "../authors/priya-raman/".into())
        ]
    );
    assert!(text_of(&index, ".count").contains("3 articles"), "{index}");
    assert!(text_of(&index, ".count").contains("1 article"), "{index}");
}

#[test]
fn a_taxonomy_has_its_index_a_page_per_term_and_a_feed_per_term() {
    let dir = desk(SITE);
    build(dir.path());
    let out = dir.path().join("public");
    let index = read(&out, "categories/index.html");
    assert!(text_of(&index, "h1").contains("Categories"));
    assert_eq!(
        hrefs(&index, ".tag-cloud a"),
        [
            ("City Hall (1)".into(), "../categories/city-hall/".into()),
            ("politics (2)".into(), "../categories/politics/".into())
        ]
    );
    // "Politics" and "politics" are one term (shown as the newest article writes it),
    // paginated.
    let politics = read(&out, "categories/politics/index.html");
    assert!(text_of(&politics, "h1").contains("politics"));
    assert!(politics.contains("href=\"../../categories/politics/feed.xml\""));
    assert!(read(&out, "categories/politics/page/2/index.html").contains("Levy"));
    let levy = read(&out, "2026/levy/index.html");
    assert!(
        levy.contains("<a href=\"../../categories/city-hall/\">City Hall</a>"),
        "{levy}"
    );
    let feed = atom_syndication::Feed::from_str(&read(&out, "categories/politics/feed.xml"))
        .expect("valid Atom");
    let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
    assert_eq!(titles, ["Tram", "Levy"]);
    assert_eq!(feed.lang(), Some("en"));
    assert_eq!(feed.title().as_str(), "Desk – Categories: politics");
}

#[test]
fn each_tag_and_author_has_a_feed_in_its_language_summaries_unless_full_content() {
    let dir = desk(SITE);
    build(dir.path());
    let out = dir.path().join("public");
    let text = read(&out, "tags/transit/feed.xml");
    let feed = atom_syndication::Feed::from_str(&text).expect("valid Atom");
    assert_eq!(feed.lang(), Some("en"));
    let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
    assert_eq!(titles, ["Tram", "Levy", "Bahn"]);
    // The German article's words are marked as German in the English feed.
    let bahn = &feed.entries()[2];
    assert_eq!(bahn.title().lang.as_deref(), Some("de"));
    assert_eq!(bahn.summary().and_then(|s| s.lang.as_deref()), Some("de"));
    assert_eq!(feed.entries()[0].title().lang, None);
    assert!(
        feed.entries().iter().all(|e| e.content().is_none()),
        "{text}"
    );
    let jo = atom_syndication::Feed::from_str(&read(&out, "authors/jo-bloggs/feed.xml")).unwrap();
    assert_eq!(jo.entries().len(), 3);
    let tag_page = read(&out, "tags/transit/index.html");
    assert!(
        tag_page.contains("href=\"../../tags/transit/feed.xml\""),
        "{tag_page}"
    );

    let dir = desk(&format!("{SITE}[feeds]\nfull_content = true\n"));
    build(dir.path());
    let out = dir.path().join("public");
    for file in ["feed.xml", "tags/transit/feed.xml"] {
        let feed = atom_syndication::Feed::from_str(&read(&out, file)).unwrap();
        let levy = feed
            .entries()
            .iter()
            .find(|e| e.title().as_str() == "Levy")
            .unwrap();
        let content = levy.content().expect("full content");
        assert_eq!(content.base(), Some("https://example.org/desk/2026/levy/"));
        let html = content.value().unwrap();
        assert!(html.contains("We will see</mark>"), "{html}");
        // Relative to the article's page, which xml:base names.
        assert!(html.contains("href=\"../../2026/tram/\""), "{html}");
        let bahn = feed
            .entries()
            .iter()
            .find(|e| e.title().as_str() == "Bahn")
            .unwrap();
        assert_eq!(bahn.content().unwrap().lang(), Some("de"));
    }
}

#[test]
fn an_unknown_taxonomy_is_a_located_error_with_the_closest_name() {
    let bad = "+++\ntitle = \"T\"\ndate = 2026-01-02\n\
               taxonomies = { categorys = [\"Politics\"] }\n+++\nText.\n";
    let dir = site(&[("site.toml", SITE), ("content/t.md", bad)]);
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("unknown taxonomy `categorys`, did you mean `categories`?"),
        "{err}"
    );
    assert!(err.contains("t.md:4:"), "{err}");
    assert!(!dir.path().join("public").exists());

    // Written at the top, as tags are: said where it goes.
    let top = "+++\ntitle = \"T\"\ndate = 2026-01-02\ncategories = [\"Politics\"]\n+++\nText.\n";
    let dir = site(&[("site.toml", SITE), ("content/t.md", top)]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(err.contains("`categories` is a taxonomy"), "{err}");
    assert!(err.contains("t.md:4:1"), "{err}");
    assert!(err.contains("taxonomies = { categories = […] }"), "{err}");

    // A taxonomy may not take one of gloss's own folders.
    let site_toml = "title = \"D\"\n[[taxonomy]]\nname = \"tags\"\ntitle = \"Tags\"\n";
    let dir = site(&[
        ("site.toml", site_toml),
        ("content/t.md", &article("", "Text.\n")),
    ]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(err.contains("the taxonomy name `tags` is taken"), "{err}");
    assert!(err.contains("site.toml:3:8"), "{err}");
}

#[test]
fn two_authors_whose_pages_would_agree_are_an_error_naming_both() {
    let a = article("authors = [\"A.B\"]\n", "Eins.\n");
    let b = article("authors = [\"A B\"]\n", "Zwei.\n");
    let dir = site(&[("content/a.md", &a), ("content/b.md", &b)]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(err.contains("would share the page authors/a-b/"), "{err}");
}
