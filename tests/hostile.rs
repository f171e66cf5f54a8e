//! Hostile input is rendered inert in every output.
mod common;

use common::*;

fn build_ok(dir: &tempfile::TempDir) {
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Every file of the built site, as text.
fn all_output(dir: &tempfile::TempDir) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir.path().join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().display().to_string(),
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned(),
            )
        })
        .collect()
}

#[test]
fn script_in_raw_html_is_removed() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "",
            "Text.\n\n<script>alert('body')</script>\n\n<div onclick=\"alert(2)\">Block</div>\n",
        ),
    )]);
    build_ok(&dir);
    let html = read(dir.path(), "public/a/index.html");
    assert!(!html.contains("alert('body')"), "{html}");
    assert!(!html.contains("onclick"), "{html}");
    assert!(html.contains("Block"), "safe markup and text stay");
}

#[test]
fn event_handlers_in_inline_html_are_removed() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "",
            "Ein <img src=\"x.png\" onerror=\"alert(1)\"> Bild und <b onmouseover=\"x()\">fett</b>.\n",
        ),
    )]);
    build_ok(&dir);
    let html = read(dir.path(), "public/a/index.html");
    assert!(
        !html.contains("onerror") && !html.contains("onmouseover"),
        "{html}"
    );
    assert!(html.contains("<b>fett</b>"), "{html}");
}

#[test]
fn javascript_and_data_links_are_defused() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "",
            "[eins](javascript:alert(1)) [zwei](JaVaScRiPt:alert(2)) [drei](data:text/html,<script>x</script>) \
             <a href=\"javascript:alert(4)\">vier</a> [gut](https://example.org)\n",
        ),
    )]);
    build_ok(&dir);
    let page = read(dir.path(), "public/a/index.html");
    // The theme may use data: URLs of its own (an icon); the article body may not.
    let html = page[page.find("class=\"gl-body").unwrap()..].to_lowercase();
    assert!(!html.contains("javascript:"), "{html}");
    assert!(!html.contains("href=\"data:"), "{html}");
    assert!(html.contains("eins") && html.contains("vier"), "text stays");
    assert!(html.contains("href=\"https://example.org\""));
}

#[test]
fn markup_in_notes_is_sanitized() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[note]]\ntext = \"Text\"\nnote = \"Siehe <script>alert('note')</script> [hier](javascript:alert(1)) <img src=x onerror=alert(1)>\"\n",
            "Text.\n",
        ),
    )]);
    build_ok(&dir);
    let html = read(dir.path(), "public/a/index.html");
    assert!(
        !html.contains("alert('note')")
            && !html.contains("javascript:")
            && !html.contains("onerror"),
        "{html}"
    );
}

#[test]
fn markup_in_titles_speakers_and_tags_is_escaped_everywhere() {
    let evil = "<script>alert(\\\"x\\\")</script>";
    let dir = site(&[(
        "content/a.md",
        &format!(
            "+++\ntitle = \"{evil}\"\ndate = 2019-07-24\ntags = [\"{evil}\"]\nsummary = \"{evil}\"\n\
             [[quote]]\ntext = \"Text\"\nspeaker = \"{evil}\"\nrole = \"{evil}\"\n\
             [[claim]]\ntext = \"Satz\"\nverdict = \"false\"\nby = \"{evil}\"\nconclusion = \"{evil}\"\n+++\nText. Satz.\n"
        ),
    )]);
    build_ok(&dir);
    for (path, text) in all_output(&dir) {
        if path.ends_with(".html") {
            assert!(!text.contains("<script>alert"), "{path}: {text}");
        }
        if path.ends_with(".xml") {
            assert!(!text.contains("<script>"), "{path}: {text}");
        }
    }
}

#[test]
fn closing_script_tag_cannot_break_out_of_json_ld() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[claim]]\ntext = \"Satz\"\nverdict = \"false\"\nconclusion = \"</script><script>alert(1)</script>\"\n",
            "Satz.\n",
        ),
    )]);
    build_ok(&dir);
    let html = read(dir.path(), "public/a/index.html");
    assert!(!html.contains("</script><script>alert(1)"), "{html}");
    let export = read(dir.path(), "public/a/annotations.jsonld");
    let parsed: serde_json::Value = serde_json::from_str(&export).unwrap();
    assert!(
        parsed
            .to_string()
            .contains("</script><script>alert(1)</script>"),
        "the data itself is kept"
    );
}

#[test]
fn script_urls_in_sources_are_refused_with_a_location() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[claim]]\ntext = \"Satz\"\nverdict = \"false\"\nsources = [\"javascript:alert(1)\"]\n",
            "Satz.\n",
        ),
    )]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(
        err.contains("content/a.md:7:13: error: source `javascript:alert(1)` is not a web address"),
        "{err}"
    );
}

#[test]
fn unsafe_html_is_an_explicit_opt_out() {
    let dir = site(&[
        (
            "site.toml",
            "title = \"T\"\n[markdown]\nunsafe_html = true\n",
        ),
        (
            "content/a.md",
            &article("", "<video controls src=\"v.mp4\"></video>\n"),
        ),
    ]);
    build_ok(&dir);
    assert!(
        read(dir.path(), "public/a/index.html").contains("<video controls src=\"v.mp4\"></video>")
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_content_are_refused() {
    for (link, target) in [
        ("content/x.md", "../.env"),
        ("content/sub/config.txt", "../../.git/config"),
        ("content/site.jpg", "../site.toml"),
    ] {
        let dir = site(&[("content/a.md", &article("", "x\n"))]);
        std::fs::write(dir.path().join(".env"), "SECRET=1\n").unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/config"), "[core] SECRET\n").unwrap();
        let link_path = dir.path().join(link);
        std::fs::create_dir_all(link_path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, &link_path).unwrap();
        let out = gloss(dir.path(), &["build"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{link}: {err}");
        assert!(
            err.contains(&format!(
                "{link}: error: symbolic link points outside content/"
            )),
            "{err}"
        );
        assert!(!dir.path().join("public").exists(), "{link}");
    }
    // A link that stays inside content/ is fine.
    let dir = site(&[("content/a.md", &article("", "Original.\n"))]);
    std::fs::create_dir_all(dir.path().join("content/b")).unwrap();
    std::os::unix::fs::symlink("../a.md", dir.path().join("content/b/c.md")).unwrap();
    build_ok(&dir);
    assert!(read(dir.path(), "public/b/c/index.html").contains("Original."));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), article("", "geheim\n")).unwrap();
    let dir = site(&[("content/a.md", &article("", "x\n"))]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        dir.path().join("content/b.md"),
    )
    .unwrap();
    let out = gloss(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/b.md: error: symbolic link points outside the site"),
        "{}",
        stderr(&out)
    );
}

/// Builds `dir`, expecting failure; returns stderr, and checks that nothing was written.
fn build_fails(dir: &tempfile::TempDir) -> String {
    let out = gloss(dir.path(), &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        !dir.path().join("public").exists(),
        "nothing written: {err}"
    );
    err
}

/// Every attribute name of every element of every HTML page, and the feeds' text, hold no
/// event handler and no autofocus.
fn assert_no_handlers(dir: &tempfile::TempDir) {
    for (path, text) in all_output(dir) {
        if path.ends_with(".html") {
            let doc = scraper::Html::parse_document(&text);
            for el in doc
                .root_element()
                .descendants()
                .filter_map(scraper::ElementRef::wrap)
            {
                for (name, value) in el.value().attrs() {
                    assert!(
                        !name.starts_with("on") && name != "autofocus",
                        "{path}: <{} {name}={value:?}>",
                        el.value().name()
                    );
                }
            }
        } else if path.ends_with(".xml") {
            // Feeds carry HTML, escaped. (The search index and the annotation export carry
            // text and markdown source, which no browser runs.)
            let lower = text.to_lowercase();
            assert!(
                !lower.contains("onfocus=")
                    && !lower.contains("onfocus&#x3d;")
                    && !lower.contains("onfocus&quot;")
                    && !lower.contains("autofocus"),
                "{path}: {text}"
            );
        }
    }
}

#[test]
fn heading_attributes_cannot_carry_event_handlers() {
    let h = "# Hi {autofocus tabindex=0 onfocus=alert(document.domain) #top .wide}";
    let dir = site(&[(
        "content/a.md",
        &format!(
            "+++\ntitle = \"A\"\ndate = 2019-07-24\nsummary = \"\"\"\n{h}\n\"\"\"\n\
             [[note]]\ntext = \"Satz\"\nnote = \"\"\"\n{h}\n\"\"\"\n\
             [[correction]]\ntext = \"Satz\"\ncorrect = \"Satz!\"\nnote = \"\"\"\n{h}\n\"\"\"\n\
             +++\n{h}\n\nEin Satz.\n"
        ),
    )]);
    build_ok(&dir);
    assert_no_handlers(&dir);
    let page = read(dir.path(), "public/a/index.html");
    assert!(
        page.contains("<h1 id=\"top\" class=\"wide\">Hi</h1>"),
        "{page}"
    );
    // The summary and notes went through the same rules, into the feeds too.
    assert!(read(dir.path(), "public/feed.xml").contains("class=&quot;wide&quot;"));
    assert!(read(dir.path(), "public/corrections.xml").contains("class=&quot;wide&quot;"));
}

#[test]
fn script_and_data_images_are_defused() {
    let dir = site(&[
        (
            "content/a/index.md",
            &article(
                "summary = \"![s](javascript:alert(1))\"\n[[note]]\ntext = \"Satz\"\nnote = \"![n](JAVASCRIPT:alert(2))\"\n",
                "![Bild *eins*](javascript:alert(3)) ![zwei](data:image/svg+xml,<svg/onload=alert(4)>) \
                 ![gut](foto.png) Satz.\n",
            ),
        ),
        // The safe image exists: a missing one would stop the build.
        ("content/a/foto.png", "\u{89}PNG"),
    ]);
    build_ok(&dir);
    let page = read(dir.path(), "public/a/index.html");
    let doc = scraper::Html::parse_document(&page);
    let srcs: Vec<&str> = doc
        .select(&scraper::Selector::parse("img").unwrap())
        .filter_map(|e| e.value().attr("src"))
        .collect();
    assert_eq!(srcs, ["foto.png"], "{page}");
    assert!(
        text_of(&page, ".gl-defused-image").contains("Bild eins"),
        "alt text stays"
    );
    let home = read(dir.path(), "public/index.html");
    assert!(!home.to_lowercase().contains("javascript:"), "{home}");
}

#[test]
fn bundle_files_that_could_run_script_are_refused() {
    let dir = site(&[
        ("content/a.md", &article("", "Text.\n")),
        ("content/a/sub.md", &article("", "Text.\n")),
        ("content/gloss.js", "alert(1)"),
        ("content/index.html", "<script>alert(1)</script>"),
        ("content/x/evil.html", "<script>alert(1)</script>"),
        (
            "content/x/evil.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
        ),
        ("content/x/Evil.SVG", "<svg/>"),
        ("content/a/sub/index.html", "<p>replaced</p>"),
        ("content/x/notes.docx", "x"),
        ("content/x/README", "x"),
    ]);
    let err = build_fails(&dir);
    for (file, why) in [
        (
            "content/gloss.js",
            "a .js file from content/ is not published",
        ),
        (
            "content/index.html",
            "a .html file can run script on the site's address",
        ),
        ("content/x/evil.html", "a .html file can run script"),
        (
            "content/x/evil.svg",
            "an SVG image can run script on the site's address",
        ),
        ("content/x/Evil.SVG", "an SVG image can run script"),
        ("content/a/sub/index.html", "a .html file can run script"),
        (
            "content/x/notes.docx",
            "a .docx file is not one of the types published",
        ),
        (
            "content/x/README",
            "a file without an extension is not published",
        ),
    ] {
        assert!(
            err.contains(&format!("{file}: error: {why}")),
            "{file}: {err}"
        );
    }
    assert!(err.contains("help: convert it to PNG or WebP"), "{err}");
    // `gloss check` refuses them as the build does: both find content the same way.
    let check = gloss(dir.path(), &["check"]);
    let check = format!("{}{}", stdout(&check), stderr(&check));
    assert!(
        check.contains("content/x/evil.svg: error: an SVG image"),
        "{check}"
    );
}

#[test]
fn media_and_data_files_are_published_and_editor_backups_are_not() {
    let dir = site(&[
        ("content/a/index.md", &article("", "![B](b.png)\n")),
        ("content/a/b.png", "PNG"),
        ("content/a/c.JPG", "JPG"),
        ("content/a/d.pdf", "PDF"),
        ("content/a/e.csv", "x,y"),
        ("content/a/f.json", "{}"),
        ("content/a/g.webm", "WEBM"),
        ("content/a/index.md~", "backup"),
        ("content/a/#index.md#", "autosave"),
    ]);
    build_ok(&dir);
    for f in ["b.png", "c.JPG", "d.pdf", "e.csv", "f.json", "g.webm"] {
        assert!(dir.path().join("public/a").join(f).is_file(), "{f}");
    }
    assert!(!dir.path().join("public/a/index.md~").exists());
    assert!(!dir.path().join("public/a/#index.md#").exists());
}

#[test]
fn a_content_file_never_replaces_a_theme_file_or_a_page() {
    let dir = site(&[
        ("content/a.md", &article("", "Text.\n")),
        ("static/logo.png", "THEME"),
        ("content/logo.png", "CONTENT"),
        ("content/x.png.md", &article("", "Text.\n")),
        ("content/x.png", "PNG"),
        ("content/feed.xml/y.png", "PNG"),
    ]);
    let err = build_fails(&dir);
    assert!(
        err.contains(
            "content/logo.png: error: this file would be published as logo.png, a file of the theme"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "content/x.png: error: this file would be published as x.png, which cannot be beside \
             x.png/index.html (where content/x.png.md goes)"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "content/feed.xml/y.png: error: this file would be published as feed.xml/y.png, which \
             cannot be beside feed.xml (a file gloss generates)"
        ),
        "{err}"
    );
}

#[test]
fn an_article_never_takes_the_place_of_a_generated_page() {
    let tagged = article(
        "tags = [\"x\"]\n[[claim]]\ntext = \"Satz\"\nverdict = \"true\"\n",
        "Satz.\n",
    );
    for (file, place, what) in [
        ("content/index.md", "index.html", "a page gloss generates"),
        (
            "content/claims.md",
            "claims/index.html",
            "a page gloss generates",
        ),
        (
            "content/tags.md",
            "tags/index.html",
            "a page gloss generates",
        ),
        (
            "content/people.md",
            "people/index.html",
            "a page gloss generates",
        ),
        (
            "content/corrections.md",
            "corrections/index.html",
            "a page gloss generates",
        ),
        (
            "content/search.md",
            "search/index.html",
            "a page gloss generates",
        ),
        (
            "content/claims/true.md",
            "claims/true/index.html",
            "a page gloss generates",
        ),
        (
            "content/tags/x.md",
            "tags/x/index.html",
            "a page gloss generates",
        ),
        (
            "content/gloss.css.md",
            "gloss.css/index.html",
            "which cannot be beside gloss.css (a file of the theme)",
        ),
        (
            "content/feed.xml.md",
            "feed.xml/index.html",
            "which cannot be beside feed.xml (a file gloss generates)",
        ),
    ] {
        let dir = site(&[("content/a.md", &tagged), (file, &article("", "Text.\n"))]);
        let err = build_fails(&dir);
        assert!(
            err.contains(&format!(
                "{file}: error: this article would be published as {place}, {what}"
            )),
            "{file}: {err}"
        );
        assert!(
            err.contains("1 error;"),
            "{file}: one error, the article's: {err}"
        );
    }
}

#[test]
fn a_collision_is_found_in_an_incremental_build_too() {
    let dir = site(&[("content/a.md", &article("", "Text.\n"))]);
    build_ok(&dir);
    let before = snapshot(&dir.path().join("public"));
    std::fs::write(dir.path().join("content/people.md"), article("", "Text.\n")).unwrap();
    let out = gloss(dir.path(), &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "content/people.md: error: this article would be published as people/index.html"
        ),
        "{err}"
    );
    assert_eq!(
        snapshot(&dir.path().join("public")),
        before,
        "the old output stays"
    );
}

/// Percent-decodes a relative href into the output path it names.
fn decoded(href: &str) -> String {
    percent_encoding::percent_decode_str(href)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

#[test]
fn file_names_become_working_relative_links_never_schemes() {
    let names = [
        "javascript:alert(document.domain)%2F%2F",
        "a b/#?%:x",
        "Übersicht 50%",
    ];
    let files: Vec<(String, String)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            (
                format!("content/{n}.md"),
                article(
                    &format!("[[claim]]\ntext = \"Satz\"\nverdict = \"false\"\nid = \"c{i}\"\n"),
                    "Satz.\n",
                ),
            )
        })
        .collect();
    let dir = site_of(&files);
    build_ok(&dir);
    let public = dir.path().join("public");
    let home = read(dir.path(), "public/index.html");
    let doc = scraper::Html::parse_document(&home);
    let hrefs: Vec<String> = doc
        .select(&scraper::Selector::parse("main a[href]").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    for n in names {
        let page = format!("{n}/");
        let href = hrefs
            .iter()
            .find(|h| decoded(h) == page)
            .unwrap_or_else(|| panic!("{n}: no link in {hrefs:?}"));
        // No scheme, query or fragment: a relative path, and it names the page's file.
        assert!(!href.contains([':', '?', '#', ' ']), "{href}");
        assert!(public.join(&page).join("index.html").is_file(), "{page}");
    }
    // The claims page links to each highlight: path encoded, fragment kept.
    let claims = read(dir.path(), "public/claims/index.html");
    assert!(
        claims.contains("href=\"../javascript%3Aalert%28document.domain%29%252F%252F/#c0\""),
        "{claims}"
    );
    let sitemap = read(dir.path(), "public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/t/a%20b/%23%3F%25%3Ax/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/t/%C3%9Cbersicht%2050%25/</loc>"),
        "{sitemap}"
    );
    let feed = read(dir.path(), "public/feed.xml");
    assert!(
        feed.contains("href=\"https://example.org/t/javascript%3Aalert"),
        "{feed}"
    );
    let search: String = all_output(&dir)
        .into_iter()
        .filter(|(p, _)| p.contains("/search/i/"))
        .map(|(_, t)| t)
        .collect();
    assert!(
        search.contains("/javascript%3Aalert"),
        "the search index links encoded"
    );
    assert!(!search.contains("\"/javascript:"), "{search}");
    let page = read(dir.path(), "public/a b/#?%:x/index.html");
    assert!(
        page.contains("\"url\":\"https://example.org/t/a%20b/%23%3F%25%3Ax/\""),
        "JSON-LD"
    );
}

#[test]
fn names_that_cannot_be_part_of_an_address_are_refused() {
    for name in [
        "content/bad\u{1}name.md",
        "content/tab\there/a.md",
        "content/back\\slash.png",
    ] {
        let dir = site(&[("content/a.md", &article("", "Text.\n")), (name, "x")]);
        let err = build_fails(&dir);
        assert!(
            err.contains("cannot be part of a web address"),
            "{name}: {err}"
        );
        assert!(err.contains("help: rename it"), "{err}");
    }
}

#[test]
fn check_finds_the_collisions_a_build_would_meet() {
    let dir = site(&[
        ("content/a.md", &article("", "Text.\n")),
        ("content/claims.md", &article("", "Text.\n")),
        ("content/feed.xml.md", &article("", "Text.\n")),
        ("static/logo.png", "THEME"),
        ("content/logo.png", "CONTENT"),
    ]);
    let out = gloss(dir.path(), &["check"]);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{all}");
    for (file, says) in [
        (
            "content/claims.md",
            "this article would be published as claims/index.html, a page gloss generates",
        ),
        (
            "content/feed.xml.md",
            "which cannot be beside feed.xml (a file gloss generates)",
        ),
        (
            "content/logo.png",
            "this file would be published as logo.png, a file of the theme",
        ),
    ] {
        assert!(
            all.contains(&format!("{file}: error: ")) && all.contains(says),
            "{file}: {all}"
        );
    }
}
