//! Sections: a folder with an `_index.md` has its own listing page, feed and title; nested
//! sections list their subsections; site.toml's `[home] sections` chooses what the home page
//! lists; a folder without one behaves as before.
mod common;

use std::path::Path;

use common::*;

fn story(title: &str, date: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = {date}\n+++\nText of {title}.\n")
}

fn section_file(front: &str) -> String {
    format!("+++\n{front}+++\n")
}

/// `<h2>` link titles of a listing page, in order.
fn listed(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(".article-list h2 a").unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect()
}

fn hrefs(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect()
}

fn world() -> tempfile::TempDir {
    site(&[
        (
            "content/world/_index.md",
            &section_file("title = \"Welt\"\ndescription = \"Aus aller Welt.\"\n"),
        ),
        (
            "content/world/europe/_index.md",
            &section_file("title = \"Europa\"\npaginate = 1\n"),
        ),
        (
            "content/world/europe/berlin.md",
            &story("Berlin", "2026-11-20"),
        ),
        (
            "content/world/europe/paris.md",
            &story("Paris", "2026-11-10"),
        ),
        ("content/world/kairo.md", &story("Kairo", "2026-10-30")),
        (
            "content/lokal/_index.md",
            &section_file("title = \"Lokal\"\nsort = \"title\"\n"),
        ),
        ("content/lokal/zoo.md", &story("Zoo", "2026-11-25")),
        ("content/lokal/brücke.md", &story("Brücke", "2026-11-02")),
        ("content/lose/ding.md", &story("Ding", "2026-09-01")),
    ])
}

#[test]
fn a_folder_with_index_md_is_a_section_with_its_page_feed_and_subsections() {
    let dir = world();
    build_ok(dir.path());
    let public = dir.path().join("public");
    // `_index.md` is no article.
    assert!(!public.join("world/_index").exists());
    let page = read(&public, "world/index.html");
    assert_eq!(text_of(&page, "main h1"), "Welt");
    assert_eq!(text_of(&page, "main .lead"), "Aus aller Welt.");
    assert!(text_of(&page, "title").starts_with("Welt – "));
    // Everything below it, its subsection's articles too, newest first.
    assert_eq!(listed(&page), ["Berlin", "Paris", "Kairo"]);
    // Its subsection, with its count; the way down from the home page.
    assert_eq!(hrefs(&page, ".subsections a"), ["../world/europe/"]);
    assert!(text_of(&page, ".subsections").contains("Europa (2)"));
    assert_eq!(
        hrefs(&page, ".breadcrumbs a"),
        ["../index.html", "../world/"]
    );
    // In the site's language.
    assert!(page.contains("<html lang=\"de\""));
    assert_eq!(text_of(&page, ".subsections h2"), "Rubriken");
    assert_eq!(
        hrefs(&page, "link[type=\"application/atom+xml\"]"),
        ["../feed.xml", "../world/feed.xml"]
    );

    // Nested: breadcrumbs through its parent; paginated by its own `paginate`.
    let europe = read(&public, "world/europe/index.html");
    assert_eq!(listed(&europe), ["Berlin"]);
    assert_eq!(
        text_of(&europe, ".breadcrumbs").trim(),
        "StartseiteWeltEuropa",
        "{europe}"
    );
    let second = read(&public, "world/europe/page/2/index.html");
    assert_eq!(listed(&second), ["Paris"]);
    assert_eq!(
        hrefs(&second, ".breadcrumbs a"),
        [
            "../../../../index.html",
            "../../../../world/",
            "../../../../world/europe/"
        ]
    );

    // Sorted by title on request.
    assert_eq!(
        listed(&read(&public, "lokal/index.html")),
        ["Brücke", "Zoo"]
    );

    // Its own feed, of its articles, with its title; in the sitemap.
    let feed = read(&public, "world/europe/feed.xml");
    assert!(feed.contains("<title>Europa – Testseite</title>"), "{feed}");
    assert!(feed.contains("https://example.org/t/world/europe/berlin/"));
    assert!(!feed.contains("kairo"));
    assert!(feed.contains("href=\"https://example.org/t/world/europe/\" rel=\"alternate\""));
    let sitemap = read(&public, "sitemap.xml");
    for page in ["world/", "world/europe/", "world/europe/page/2/", "lokal/"] {
        assert!(
            sitemap.contains(&format!("https://example.org/t/{page}<")),
            "{page}"
        );
    }

    // A folder without `_index.md` is as before: its articles on the home page, no page.
    assert!(!public.join("lose/index.html").exists());
    assert_eq!(
        listed(&read(&public, "index.html")),
        ["Zoo", "Berlin", "Paris", "Brücke", "Kairo", "Ding"]
    );
}

#[test]
fn the_home_page_lists_the_sections_site_toml_names() {
    let dir = world();
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"Testseite\"\nlanguage = \"de\"\nbase_url = \"https://example.org/t\"\n\
         [home]\nsections = [\"world/europe\", \"lokal\"]\n",
    )
    .unwrap();
    build_ok(dir.path());
    assert_eq!(
        listed(&read(dir.path(), "public/index.html")),
        ["Zoo", "Berlin", "Paris", "Brücke"]
    );
    // The site's feed still has every article.
    assert!(read(dir.path(), "public/feed.xml").contains("Kairo"));

    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"Testseite\"\nlanguage = \"de\"\n[home]\nsections = [\"wrold\"]\n",
    )
    .unwrap();
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("site.toml:4:13: error: `[home] sections` names `wrold`, which is no section"),
        "{err}"
    );
    assert!(err.contains("lokal, world, world/europe"), "{err}");
}

#[test]
fn a_sections_mistakes_are_located_errors() {
    for (file, text, expected) in [
        (
            "content/world/_index.md",
            section_file("title = \"Welt\"\nsort = \"datum\"\n"),
            "content/world/_index.md:3:8: error: unknown sort `datum`, did you mean `date`?",
        ),
        (
            "content/world/_index.md",
            section_file("title = \"Welt\"\npaginate = 0\n"),
            "content/world/_index.md:3:12: error: `paginate` must be 1 or more",
        ),
        (
            "content/world/_index.md",
            section_file("titel = \"Welt\"\n"),
            "content/world/_index.md:2:1: error: unknown key `titel`",
        ),
        (
            "content/_index.md",
            section_file("title = \"Start\"\n"),
            "content/_index.md: error: content/_index.md would make the home page a section",
        ),
        (
            "content/tags/_index.md",
            section_file("title = \"Tags\"\n"),
            "content/tags/_index.md: error: this section's page /tags/ is a page gloss makes itself",
        ),
        (
            "content/world/index.md",
            story("Bundle", "2026-01-01"),
            "this section's page /world/ is where content/world/index.md goes",
        ),
    ] {
        let dir = world();
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let out = gloss(dir.path(), &["build"]);
        assert!(!out.status.success(), "{file}");
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
        assert!(!dir.path().join("public").exists());
    }
}

#[test]
fn editing_a_section_rebuilds_what_a_build_from_nothing_has() {
    let dir = world();
    build_ok(dir.path());
    let same = |dir: &Path| {
        let now = snapshot(&dir.join("public"));
        let from_nothing = from_nothing(dir);
        assert_eq!(
            now.keys().collect::<Vec<_>>(),
            from_nothing.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in from_nothing {
            assert!(now[&path] == bytes, "{path} differs");
        }
    };
    // Renamed, re-sorted, a section more, a section less: only `_index.md` files change.
    std::fs::write(
        dir.path().join("content/world/_index.md"),
        section_file("title = \"Die Welt\"\nsort = \"title\"\n"),
    )
    .unwrap();
    build_ok(dir.path());
    assert_eq!(
        text_of(&read(dir.path(), "public/world/index.html"), "h1"),
        "Die Welt"
    );
    same(dir.path());
    std::fs::write(
        dir.path().join("content/lose/_index.md"),
        section_file("title = \"Lose\"\n"),
    )
    .unwrap();
    build_ok(dir.path());
    assert!(dir.path().join("public/lose/index.html").is_file());
    same(dir.path());
    std::fs::remove_file(dir.path().join("content/world/europe/_index.md")).unwrap();
    build_ok(dir.path());
    assert!(!dir.path().join("public/world/europe/index.html").exists());
    same(dir.path());
}
