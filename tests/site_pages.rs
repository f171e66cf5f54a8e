//! The site-wide pages: claims, people, corrections, tags, feeds, sitemap.
mod common;

use common::*;

fn two_articles() -> tempfile::TempDir {
    site(&[
        (
            "people.toml",
            "[[person]]\nname = \"Cade Metz\"\nrole = \"Reporter\"\naliases = [\"Cade Matz\"]\n",
        ),
        (
            "content/2019/a.md",
            &article(
                "tags = [\"Künstliche Intelligenz\", \"OpenAI\"]\n\
                 [[claim]]\ntext = \"investierte 1 Milliarde\"\nverdict = \"true\"\nby = \"Microsoft\"\nconclusion = \"Stimmt.\"\n\
                 [[claim]]\ntext = \"Statistiken zeigen\"\nverdict = \"unverified\"\n\
                 [[quote]]\ntext = \"Das Geld fließt zurück\"\nspeaker = \"Cade Matz\"\n\
                 [[correction]]\ntext = \"Cade Matz\"\ncorrect = \"Cade Metz\"\ndate = 2019-08-01\n",
                "Microsoft investierte 1 Milliarde. Statistiken zeigen das.\n\n> Das Geld fließt zurück. —Cade Matz\n",
            ),
        ),
        (
            "content/2020/b.md",
            "+++\ntitle = \"Zweiter <Artikel>\"\ndate = 2020-02-02\ntags = [\"openai\"]\n\
             [[quote]]\ntext = \"Ich weiß es nicht\"\nspeaker = \"Unbekannte Person\"\n\
             [[correction]]\ntext = \"Zahl\"\ncorrect = \"Ziffer\"\n+++\nIch weiß es nicht. Eine Zahl.\n",
        ),
    ])
}

#[test]
fn claims_page_groups_by_verdict_and_links_to_the_highlight() {
    let dir = two_articles();
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/claims/index.html");
    let stimmt = html.find("Stimmt</span>").expect("true group");
    let unbelegt = html.find("Nicht belegt</span>").expect("unverified group");
    assert!(stimmt < unbelegt, "scale order");
    assert!(
        html.contains("href=\"../2019/a/#claim-investierte-1-milliarde\""),
        "{html}"
    );
    assert!(html.contains("Behauptet von: Microsoft"));
    assert!(html.contains("Stimmt."));
    // Each verdict has its own listing, linked from its group.
    assert!(html.contains("href=\"../claims/true/\""), "{html}");
    let true_page = read(dir.path(), "public/claims/true/index.html");
    assert!(
        true_page.contains("href=\"../../2019/a/#claim-investierte-1-milliarde\""),
        "{true_page}"
    );
    assert!(
        !true_page.contains("Statistiken zeigen"),
        "only its verdict"
    );
}

#[test]
fn the_claims_ledger_is_paginated() {
    let mut files = vec![(
        "site.toml".to_string(),
        "title = \"T\"\nlanguage = \"de\"\nbase_url = \"https://example.org/\"\npaginate_by = 2\n"
            .to_string(),
    )];
    for i in 1..=5 {
        files.push((
            format!("content/a{i}.md"),
            format!(
                "+++\ntitle = \"A{i}\"\ndate = 2020-01-0{i}\n[[claim]]\ntext = \"Satz {i}\"\nverdict = \"false\"\n+++\nSatz {i}.\n"
            ),
        ));
    }
    let dir = site_of(&files);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let overview = read(dir.path(), "public/claims/index.html");
    // The newest two, and the way to all five.
    assert!(overview.contains("Satz 5") && overview.contains("Satz 4"));
    assert!(!overview.contains("Satz 3"), "{overview}");
    assert!(overview.contains("Alle 5 ansehen"), "{overview}");
    let pages: Vec<String> = ["", "page/2/", "page/3/"]
        .iter()
        .map(|p| read(dir.path(), &format!("public/claims/false/{p}index.html")))
        .collect();
    assert!(
        pages[0].contains("Satz 5")
            && pages[0].contains("rel=\"next\" href=\"../../claims/false/page/2/\"")
    );
    assert!(pages[1].contains("Satz 3") && pages[1].contains("Seite 2 von 3"));
    assert!(pages[2].contains("Satz 1") && !pages[2].contains("rel=\"next\""));
    assert!(!dir.path().join("public/claims/false/page/4").exists());
}

#[test]
fn quotes_are_filed_under_the_registry_name_and_strangers_warned_about() {
    let dir = two_articles();
    let out = gloss(dir.path(), &["build"]);
    let err = stderr(&out);
    assert!(
        err.contains("content/2020/b.md:6:8: warning: speaker `Unbekannte Person` is not in the person registry"),
        "{err}"
    );
    let metz = read(dir.path(), "public/people/cade-metz/index.html");
    assert!(metz.contains("Das Geld fließt zurück"), "{metz}");
    assert!(metz.contains("„Cade Matz“"), "misspelling shown: {metz}");
    assert!(metz.contains("href=\"../../2019/a/#quote-das-geld-fliesst-zurueck\""));
    let stranger = read(dir.path(), "public/people/unbekannte-person/index.html");
    assert!(stranger.contains("nicht im Personenverzeichnis"));
    let list = read(dir.path(), "public/people/index.html");
    assert!(list.contains("href=\"../people/cade-metz/\""), "{list}");
}

#[test]
fn corrections_newest_first_with_feed() {
    let dir = two_articles();
    assert!(gloss(dir.path(), &["build"]).status.success());
    let html = read(dir.path(), "public/corrections/index.html");
    let ziffer = html.find("Ziffer").unwrap();
    let metz = html.find("Cade Metz").unwrap();
    assert!(ziffer < metz, "2020 correction before 2019-08-01 one");
    assert!(html.contains("<del>Cade Matz</del>"));
    let feed: atom_syndication::Feed = read(dir.path(), "public/corrections.xml").parse().unwrap();
    assert_eq!(feed.entries().len(), 2);
    assert!(feed.entries()[0].title().as_str().contains("Zahl → Ziffer"));
    assert_eq!(
        feed.entries()[0].id(),
        "https://example.org/t/2020/b/#correction-zahl"
    );
}

#[test]
fn tags_merge_by_slug_and_spell_umlauts() {
    let dir = two_articles();
    assert!(gloss(dir.path(), &["build"]).status.success());
    let openai = read(dir.path(), "public/tags/openai/index.html");
    assert!(
        openai.contains("Ein Artikel") && openai.contains("Zweiter &lt;Artikel&gt;"),
        "{openai}"
    );
    assert!(
        dir.path()
            .join("public/tags/kuenstliche-intelligenz/index.html")
            .exists()
    );
    let tags = read(dir.path(), "public/tags/index.html");
    assert!(tags.contains("(2)"), "{tags}");
}

#[test]
fn tags_whose_slugs_would_collide_stay_apart() {
    let tagged = |title: &str, tags: &str| {
        format!("+++\ntitle = \"{title}\"\ndate = 2019-07-24\ntags = [{tags}]\n+++\nText.\n")
    };
    let dir = site(&[
        ("content/c.md", &tagged("Über C", "\"C\"")),
        ("content/cpp.md", &tagged("Über Cpp", "\"C++\"")),
        ("content/cs.md", &tagged("Über Cs", "\"c#\", \"C#\"")),
        ("content/cs2.md", &tagged("Noch Cs", "\"C#\"")),
    ]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Each tag page lists exactly its tag's articles.
    for (page, want) in [
        ("c", vec!["Über C"]),
        ("c-plus-plus", vec!["Über Cpp"]),
        ("c-sharp", vec!["Über Cs", "Noch Cs"]),
    ] {
        let html = read(dir.path(), &format!("public/tags/{page}/index.html"));
        let doc = scraper::Html::parse_document(&html);
        let h2 = scraper::Selector::parse("main h2").unwrap();
        let mut listed: Vec<String> = doc.select(&h2).map(|e| e.text().collect()).collect();
        listed.sort();
        let mut want: Vec<String> = want.into_iter().map(String::from).collect();
        want.sort();
        assert_eq!(listed, want, "tags/{page}/");
    }
    let home = read(dir.path(), "public/index.html");
    assert!(home.contains("tags/c-plus-plus/"), "{home}");

    // Two tags that no spelling out can tell apart: an error naming both, not one page.
    let dir = site(&[
        ("content/a.md", &tagged("A", "\"A.B\"")),
        ("content/b.md", &tagged("B", "\"A B\"")),
    ]);
    let out = gloss(dir.path(), &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("would share the page tags/a-b/"), "{err}");
    assert!(err.contains("`A.B`") && err.contains("`A B`"), "{err}");
    assert!(
        err.contains("content/a.md") && err.contains("content/b.md"),
        "{err}"
    );
}

#[test]
fn atom_feed_sitemap_robots_and_404() {
    let dir = two_articles();
    assert!(gloss(dir.path(), &["build"]).status.success());
    let feed: atom_syndication::Feed = read(dir.path(), "public/feed.xml").parse().unwrap();
    assert_eq!(feed.entries().len(), 2);
    assert_eq!(
        feed.entries()[0].title().as_str(),
        "Zweiter <Artikel>",
        "newest first"
    );
    assert_eq!(feed.entries()[0].id(), "https://example.org/t/2020/b/");
    assert_eq!(feed.lang(), Some("de"));
    let sitemap = read(dir.path(), "public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/t/2019/a/</loc><lastmod>2019-07-24</lastmod>")
    );
    assert!(sitemap.contains("<loc>https://example.org/t/claims/</loc>"));
    let robots = read(dir.path(), "public/robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/t/sitemap.xml"));
    let page = read(dir.path(), "public/404.html");
    assert!(
        page.contains("href=\"https://example.org/t/gloss.css\""),
        "{page}"
    );
    // Served at any address, so its icon is linked from the site root too.
    assert!(
        page.contains("<link rel=\"icon\" href=\"https://example.org/t/favicon.svg\">"),
        "{page}"
    );
}

#[test]
fn listings_paginate() {
    let mut files = vec![(
        "site.toml".to_string(),
        "title = \"T\"\npaginate_by = 2\n".to_string(),
    )];
    for i in 0..5 {
        files.push((
            format!("content/a{i}.md"),
            format!(
                "+++\ntitle = \"A{i}\"\ndate = 2019-01-0{}\ntags = [\"x\"]\n+++\nText\n",
                i + 1
            ),
        ));
    }
    let dir = site_of(&files);
    assert!(gloss(dir.path(), &["build"]).status.success());
    let first = read(dir.path(), "public/index.html");
    assert!(first.contains("A4") && first.contains("A3") && !first.contains("A2"));
    assert!(first.contains("href=\"page/2/\""), "{first}");
    let third = read(dir.path(), "public/page/3/index.html");
    assert!(third.contains("A0"));
    assert!(third.contains("href=\"../../page/2/\""), "{third}");
    assert!(dir.path().join("public/tags/x/page/3/index.html").exists());
}

#[test]
fn a_site_scale_replaces_the_default_and_unknown_keys_are_listed() {
    let dir = site(&[
        (
            "site.toml",
            "title = \"T\"\n[[verdict]]\nkey = \"richtig\"\nlabel = { de = \"Richtig\", en = \"Right\" }\nrating = 2\n\
             [[verdict]]\nkey = \"falsch\"\nlabel = \"Falsch\"\nrating = 1\n",
        ),
        (
            "content/a.md",
            &article("[[claim]]\ntext = \"x\"\nverdict = \"true\"\n", "x\n"),
        ),
    ]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(
        err.contains("content/a.md:6:11: error: unknown verdict `true`"),
        "{err}"
    );
    assert!(err.contains("`richtig`, `falsch`"), "{err}");
}

/// The JSON inside one of the index's `gloss_search_…(…, JSON);` scripts.
fn search_json(dir: &std::path::Path, rel: &str) -> serde_json::Value {
    let script = read(dir, &format!("public/search/i/{rel}"));
    let start = if rel == "meta.js" {
        script.find('(').unwrap()
    } else {
        script.find(',').unwrap()
    };
    serde_json::from_str(&script[start + 1..script.rfind(')').unwrap()]).unwrap()
}

#[test]
fn search_index_and_page_are_written() {
    let dir = two_articles();
    assert!(gloss(dir.path(), &["build"]).status.success());
    // 2 articles, each followed by its claims (2), then 3 people (Microsoft only claims).
    let meta = search_json(dir.path(), "meta.js");
    assert_eq!(meta["docs"], 7, "{meta}");
    let docs = search_json(dir.path(), "d/0.js");
    let urls: Vec<&str> = docs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            "/2020/b/",
            "/2019/a/",
            // An article's claims on its page (search.js prefixes the row before's page).
            "#claim-investierte-1-milliarde",
            "#claim-statistiken-zeigen",
            "/people/cade-metz/",
            "/people/microsoft/",
            "/people/unbekannte-person/"
        ]
    );
    // Packed rows: [url, title, excerpt, kind where it changes, lang where it changes].
    assert_eq!(docs[2][1], "Stimmt: „investierte 1 Milliarde“");
    assert_eq!(docs[2][2], "Stimmt.", "the conclusion is the excerpt");
    assert_eq!(docs[2][3], "claim");
    assert_eq!(
        docs[3].as_array().unwrap().len(),
        3,
        "a claim after a claim"
    );
    // "Milliarde" is stemmed, found in the article, its claim and the claimant's page,
    // weighted.
    let mi = search_json(dir.path(), "t/mi.js");
    let group = mi["w"]["milliarde"].as_u64().expect("word → stem group") as usize;
    assert_eq!(mi["s"][group], "milliard");
    let postings = mi["p"][group].as_array().unwrap();
    assert_eq!(postings.len(), 6, "three records: {mi}");
    assert!(
        dir.path().join("public/search/i/t/fl.js").exists(),
        "fließt"
    );
    let html = read(dir.path(), "public/search/index.html");
    assert!(html.contains("src=\"../search.js\""), "{html}");
    assert!(
        html.contains("<label class=\"gl-search-label\" for=\"gl-q\">"),
        "{html}"
    );
    assert!(html.contains("role=\"status\""), "{html}");
    assert!(dir.path().join("public/search.js").exists());
    assert!(!dir.path().join("public/pagefind").exists());
}

#[test]
fn search_can_be_turned_off() {
    let dir = site(&[
        ("site.toml", "title = \"T\"\n[search]\nenabled = false\n"),
        ("content/a.md", &article("", "x\n")),
    ]);
    assert!(gloss(dir.path(), &["build"]).status.success());
    assert!(!dir.path().join("public/search").exists());
}
