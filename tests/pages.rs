//! Standalone pages (`kind = "page"`): outside listings, feeds and search, linked from the
//! navigation that site.toml's `[[nav]]` gives, with the verdict scale on request.
mod common;

use common::*;

const NAV: &str = "title = \"Testseite\"\nlanguage = \"de\"\nbase_url = \"https://example.org/t\"\n\
    [[nav]]\ntitle = \"Über uns\"\npage = \"ueber-uns.md\"\n\
    [[nav]]\ntitle = { de = \"Wie wir bewerten\", en = \"How we rate\" }\npage = \"@/hilfe/bewerten.md\"\n";

fn with_pages() -> tempfile::TempDir {
    site(&[
        ("site.toml", NAV),
        (
            "content/ueber-uns.md",
            "+++\ntitle = \"Über dieses Projekt\"\nkind = \"page\"\n+++\nWir prüfen [den Artikel](@/2019/a.md).\n",
        ),
        (
            "content/hilfe/bewerten.md",
            "+++\ntitle = \"Wie wir bewerten\"\nkind = \"page\"\nupdated = 2026-03-01\n+++\nSo.\n\n{{ verdict_scale() }}\n\nDanach.\n",
        ),
        (
            "content/2019/a.md",
            &article(
                "tags = [\"OpenAI\"]\n[[claim]]\ntext = \"Eins\"\nverdict = \"true\"\n",
                "Eins.\n",
            ),
        ),
        (
            "content/2019/en.md",
            "+++\ntitle = \"English\"\ndate = 2019-07-25\nlang = \"en\"\n+++\nText.\n",
        ),
    ])
}

fn nav_links(html: &str) -> Vec<(String, String, bool)> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("header nav a").unwrap();
    doc.select(&sel)
        .map(|a| {
            (
                a.text().collect(),
                a.value().attr("href").unwrap_or("").to_string(),
                a.value().attr("aria-current") == Some("page"),
            )
        })
        .collect()
}

#[test]
fn a_page_is_published_and_linked_from_every_page_but_listed_nowhere() {
    let dir = with_pages();
    let out = gloss(dir.path(), &["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("built 2 articles"), "{err}");

    let page = read(dir.path(), "public/ueber-uns/index.html");
    assert_eq!(text_of(&page, "main h1"), "Über dieses Projekt");
    assert!(page.contains("href=\"../2019/a/\""), "{page}");
    // Not dated, no annotations, no export, no article JSON-LD.
    assert!(!page.contains("<time"), "{page}");
    assert!(!page.contains("gl-notes") && !page.contains("application/ld+json\">"));
    assert!(
        !dir.path()
            .join("public/ueber-uns/annotations.jsonld")
            .exists()
    );

    // In the navigation of every page, in site.toml's order, in the page's language.
    let links = nav_links(&page);
    let tail: Vec<_> = links.iter().rev().take(2).rev().cloned().collect();
    assert_eq!(
        tail,
        vec![
            ("Über uns".to_string(), "../ueber-uns/".to_string(), true),
            (
                "Wie wir bewerten".to_string(),
                "../hilfe/bewerten/".to_string(),
                false
            ),
        ]
    );
    let article = nav_links(&read(dir.path(), "public/2019/a/index.html"));
    assert!(article.contains(&("Über uns".into(), "../../ueber-uns/".into(), false)));
    let english = nav_links(&read(dir.path(), "public/2019/en/index.html"));
    assert!(english.contains(&("How we rate".into(), "../../hilfe/bewerten/".into(), false)));
    for listing in [
        "public/index.html",
        "public/claims/index.html",
        "public/404.html",
    ] {
        let links = nav_links(&read(dir.path(), listing));
        assert!(
            links
                .iter()
                .any(|(t, h, _)| t == "Über uns" && h.ends_with("ueber-uns/")),
            "{listing}: {links:?}"
        );
    }

    // Outside the listings, the feed and the search index; in the sitemap, dated only when
    // it says when it changed.
    let index = read(dir.path(), "public/index.html");
    assert!(
        !text_of(&index, "main").contains("Über dieses Projekt"),
        "{index}"
    );
    assert!(!read(dir.path(), "public/feed.xml").contains("ueber-uns"));
    let tag = read(dir.path(), "public/tags/openai/index.html");
    assert!(!tag.contains("Über dieses Projekt"));
    for f in walkdir::WalkDir::new(dir.path().join("public/search/i"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let text = std::fs::read_to_string(f.path()).unwrap_or_default();
        assert!(
            !text.contains("ueber-uns") && !text.contains("Über dieses Projekt"),
            "{}",
            f.path().display()
        );
    }
    let sitemap = read(dir.path(), "public/sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://example.org/t/hilfe/bewerten/</loc><lastmod>2026-03-01</lastmod>"
        ),
        "{sitemap}"
    );
    let about = sitemap
        .find("<loc>https://example.org/t/ueber-uns/</loc>")
        .expect("in the sitemap");
    assert!(
        !sitemap[about..]
            .split("</url>")
            .next()
            .unwrap()
            .contains("lastmod"),
        "{sitemap}"
    );

    // A page says when it changed, as the site writes dates.
    let rate = read(dir.path(), "public/hilfe/bewerten/index.html");
    assert!(
        rate.contains("Stand: <time datetime=\"2026-03-01\">1. März 2026</time>"),
        "{rate}"
    );
}

#[test]
fn the_verdict_scale_shortcode_lists_the_sites_own_scale() {
    let desk =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/desk/site.toml");
    let mut config = std::fs::read_to_string(desk).unwrap();
    // The fixture's last verdict is `satire`, off the scale; give it a meaning.
    config.push_str("description = \"Not meant to be taken literally.\"\n");
    config.push_str("[[nav]]\ntitle = \"How we rate\"\npage = \"how-we-rate.md\"\n");
    let dir = site(&[
        ("site.toml", &config),
        (
            "content/how-we-rate.md",
            "+++\ntitle = \"How we rate claims\"\nkind = \"page\"\n+++\nOur scale:\n\n{{< verdict_scale >}}\n\nIn code it stays: `{{ verdict_scale() }}`\n",
        ),
    ]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/how-we-rate/index.html");
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse(".gl-body .gl-scale li").unwrap();
    let items: Vec<String> = doc
        .select(&sel)
        .map(|li| li.text().collect::<String>())
        .collect();
    assert_eq!(
        items,
        [
            "True Rating 6 of 6",
            "Mostly true Rating 5 of 6",
            "Half true Rating 4 of 6",
            "Mostly false Rating 3 of 6",
            "False Rating 2 of 6",
            "Pants on fire Rating 1 of 6",
            "Satire off the scaleNot meant to be taken literally.",
        ]
    );
    // Icons and colours follow the rating's place, as everywhere else.
    assert!(html.contains("gl-v-pants-on-fire gl-r-1"), "{html}");
    assert!(
        html.contains("<code>{{ verdict_scale() }}</code>"),
        "{html}"
    );
    let nav = nav_links(&html);
    assert_eq!(
        nav.last().unwrap(),
        &("How we rate".into(), "../how-we-rate/".into(), true)
    );
}

#[test]
fn what_only_articles_have_is_a_located_error_on_a_page() {
    let dir = site(&[(
        "content/p.md",
        "+++\ntitle = \"P\"\nkind = \"page\"\ntags = [\"X\"]\n[[claim]]\ntext = \"Eins\"\nverdict = \"true\"\n+++\nEins.\n",
    )]);
    let out = gloss(dir.path(), &["build"]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("content/p.md:4:1: error: a page has no `tags`"),
        "{err}"
    );
    assert!(
        err.contains("content/p.md:6:8: error: a page has no annotations, but this is a [[claim]]"),
        "{err}"
    );
    assert!(!dir.path().join("public").exists());

    std::fs::write(
        dir.path().join("content/p.md"),
        "+++\ntitle = \"P\"\nkind = \"pgae\"\n+++\nText.\n",
    )
    .unwrap();
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(
        err.contains("content/p.md:3:8: error: unknown kind `pgae`, did you mean `page`?"),
        "{err}"
    );
    // An article still needs its date; the help names the other way out.
    std::fs::write(
        dir.path().join("content/p.md"),
        "+++\ntitle = \"P\"\n+++\nText.\n",
    )
    .unwrap();
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(
        err.contains("content/p.md:2:1: error: missing required key `date`"),
        "{err}"
    );
    assert!(err.contains("kind = \"page\""), "{err}");
}

#[test]
fn a_nav_entry_that_leads_nowhere_is_an_error_in_site_toml() {
    let config = "title = \"T\"\nlanguage = \"de\"\n[[nav]]\ntitle = \"Über uns\"\npage = \"ueber.md\"\n\
        [[nav]]\ntitle = \"Entwurf\"\npage = \"entwurf.md\"\n";
    let dir = site(&[
        ("site.toml", config),
        (
            "content/entwurf.md",
            "+++\ntitle = \"E\"\nkind = \"page\"\ndraft = true\n+++\nText.\n",
        ),
    ]);
    let out = gloss(dir.path(), &["build"]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains(
            "site.toml:5:9: error: the navigation links `ueber.md`, which is not a page of the site"
        ),
        "{err}"
    );
    assert!(err.contains("content/ueber.md does not exist"), "{err}");
    assert!(
        err.contains("site.toml:8:9: error: the navigation links `entwurf.md`"),
        "{err}"
    );
    assert!(err.contains("it is a draft"), "{err}");
    assert!(!dir.path().join("public").exists());
    // `check` says the same.
    let out = gloss(dir.path(), &["check"]);
    let text = stdout(&out);
    assert!(
        text.contains("site.toml:5:9: error: the navigation links `ueber.md`"),
        "{text}"
    );
    // With drafts, the draft is a page of the site.
    let out = gloss(dir.path(), &["build", "--drafts"]);
    assert!(stderr(&out).contains("site.toml:5:9"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("site.toml:8:9"), "{}", stderr(&out));
}

#[test]
fn a_new_nav_entry_reaches_pages_kept_from_the_last_build_and_a_page_becomes_an_article() {
    let dir = with_pages();
    assert!(gloss(dir.path(), &["build"]).status.success());
    let again = gloss(dir.path(), &["build"]);
    assert!(
        stderr(&again).contains("all unchanged"),
        "{}",
        stderr(&again)
    );

    std::fs::write(
        dir.path().join("site.toml"),
        format!("{NAV}[[nav]]\ntitle = \"Artikel A\"\npage = \"2019/a.md\"\n"),
    )
    .unwrap();
    assert!(gloss(dir.path(), &["build"]).status.success());
    let links = nav_links(&read(dir.path(), "public/2019/en/index.html"));
    assert_eq!(links.last().unwrap().0, "Artikel A", "{links:?}");
    let links = nav_links(&read(dir.path(), "public/ueber-uns/index.html"));
    assert_eq!(links.last().unwrap().1, "../2019/a/", "{links:?}");

    // The page turned into an article: listed, and with its annotation export.
    std::fs::write(
        dir.path().join("content/ueber-uns.md"),
        "+++\ntitle = \"Über dieses Projekt\"\ndate = 2026-01-01\n+++\nText.\n",
    )
    .unwrap();
    let out = gloss(dir.path(), &["build"]);
    assert!(
        stderr(&out).contains("built 3 articles"),
        "{}",
        stderr(&out)
    );
    assert!(
        dir.path()
            .join("public/ueber-uns/annotations.jsonld")
            .exists()
    );
    assert!(
        text_of(&read(dir.path(), "public/index.html"), "main").contains("Über dieses Projekt")
    );
    // And back: the export goes.
    std::fs::write(
        dir.path().join("content/ueber-uns.md"),
        "+++\ntitle = \"Über dieses Projekt\"\nkind = \"page\"\n+++\nText.\n",
    )
    .unwrap();
    assert!(gloss(dir.path(), &["build"]).status.success());
    assert!(
        !dir.path()
            .join("public/ueber-uns/annotations.jsonld")
            .exists()
    );
    assert!(
        !text_of(&read(dir.path(), "public/index.html"), "main").contains("Über dieses Projekt")
    );
}

#[test]
fn check_renders_a_page_and_finds_its_broken_links() {
    let dir = site(&[(
        "content/p.md",
        "+++\ntitle = \"P\"\nkind = \"page\"\n+++\nSiehe [hier](@/fehlt.md) und [dort](#nirgends).\n",
    )]);
    let text = stdout(&gloss(dir.path(), &["check"]));
    assert!(text.contains("content/p.md:5:"), "{text}");
    assert!(text.contains("fehlt.md"), "{text}");
    assert!(text.contains("#nirgends"), "{text}");
}
