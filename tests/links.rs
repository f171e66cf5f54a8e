//! Links: a build fails on a broken internal link, image or `#fragment`; links to article
//! files lead to their pages; and every hint, followed, gives a build that links the right page.
mod common;
use common::*;

const SITE: &str = "title = \"Desk\"\nlanguage = \"en\"\n";

fn b() -> String {
    article(
        "[[claim]]\ntext = \"the sun\"\nby = \"@article\"\nverdict = \"true\"\n",
        "About the sun.\n",
    )
}

/// A site: `content/2026/a.md` with `front` and `body`, beside an article, a bundle with an
/// image, an image beside `a.md` and a bundle `transit-levy/`.
fn desk(front: &str, body: &str) -> tempfile::TempDir {
    let bundle = article("", "A chart: ![chart](chart.png)\n");
    let dir = site(&[
        ("site.toml", SITE),
        ("content/2026/a.md", &article(front, body)),
        ("content/2026/b.md", &b()),
        ("content/2026/pic.png", "png"),
        ("content/bund/index.md", &bundle),
        ("content/bund/chart.png", "png"),
        ("content/transit-levy/index.md", &b()),
    ]);
    // Real images: one gloss cannot read the size of is a warning.
    for p in ["content/2026/pic.png", "content/bund/chart.png"] {
        image::RgbImage::new(40, 30)
            .save(dir.path().join(p))
            .unwrap();
    }
    dir
}

/// The first `did you mean `…`?` (or `…: `…``) of a build's errors.
fn hint(err: &str) -> String {
    let at = err
        .find("did you mean `")
        .map(|i| i + "did you mean `".len())
        .or_else(|| err.find("relative to this page: `").map(|i| i + 24))
        .unwrap_or_else(|| panic!("no hint in: {err}"));
    err[at..].split('`').next().unwrap().to_string()
}

/// Where `href` on the page at `page` (`2026/a/`) leads: the output file and the fragment.
fn resolve(page: &str, href: &str) -> (String, Option<String>) {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    let mut parts: Vec<&str> = page.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop().expect("above the root");
            }
            s => parts.push(s),
        }
    }
    let mut file = parts.join("/");
    if path.is_empty() || path.ends_with('/') {
        file = if file.is_empty() {
            "index.html".into()
        } else {
            format!("{file}/index.html")
        };
    }
    (file, fragment)
}

/// The `href` (or `src`) of the element `selector` in the built `page`.
fn link_of(dir: &std::path::Path, page: &str, selector: &str) -> String {
    let html = read(dir, &format!("public/{page}index.html"));
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse(selector).unwrap();
    let el = doc
        .select(&sel)
        .next()
        .unwrap_or_else(|| panic!("no {selector} on {page}"));
    let v = el.value();
    v.attr("href").or(v.attr("src")).unwrap().to_string()
}

/// Asserts that `href` on `page` reaches `want` (an output file, `#fragment` optional) and
/// that the element with that id exists there.
fn reaches(dir: &std::path::Path, page: &str, href: &str, want: &str) {
    let (file, fragment) = resolve(page, href);
    let (want_file, want_fragment) = match want.split_once('#') {
        Some((f, id)) => (f, Some(id.to_string())),
        None => (want, None),
    };
    assert_eq!(file, want_file, "`{href}` on {page}");
    assert_eq!(fragment, want_fragment, "`{href}` on {page}");
    // Lossy: the target may be an image.
    let target = std::fs::read(dir.join(format!("public/{file}")))
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_else(|e| panic!("public/{file}: {e}"));
    if let Some(id) = fragment {
        assert!(target.contains(&format!(" id=\"{id}\"")), "#{id} in {file}");
    }
}

#[test]
fn broken_links_images_and_fragments_fail_the_build_and_nothing_is_written() {
    let body = "Read [b](../nope/), ![i](gone.png) and [f](#nowhere).\n";
    let dir = desk("", body);
    let out = gloss(dir.path(), &["build"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    let line = 4; // title, date, +++ then the body
    let col = |needle: &str| body.find(needle).unwrap() + 1;
    for (needle, message) in [
        ("../nope/", "points to a page the site does not have"),
        ("gone.png", "points to a file the site does not have"),
        ("#nowhere", "has no element with id `nowhere`"),
    ] {
        let at = format!(
            "content/2026/a.md:{}:{}: error: link `{needle}`",
            line + 1,
            col(needle)
        );
        assert!(err.contains(&at), "{at} in {err}");
        assert!(err.contains(message), "{message} in {err}");
    }
    assert!(!dir.path().join("public").exists(), "nothing is written");
    // `check` finds the same.
    let check = stdout(&gloss(dir.path(), &["check"]));
    assert!(check.contains("3 errors"), "{check}");
    // A note's link to a missing article is located in the note.
    let front = "[[note]]\ntext = \"Read\"\nnote = \"See [x](@/2026/gone.md).\"\n";
    let dir = desk(front, "Read on.\n");
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(
        err.contains("content/2026/a.md:6:17: error: link `@/2026/gone.md` points to an article the site does not have"),
        "{err}"
    );
}

#[test]
fn a_broken_link_in_an_unchanged_article_fails_the_next_build() {
    let dir = desk("", "Read [b](b.md#claim-1).\n");
    assert!(gloss(dir.path(), &["build"]).status.success());
    // b loses its claim; a is not parsed again, but its link is checked all the same.
    std::fs::write(
        dir.path().join("content/2026/b.md"),
        article("", "About the sun.\n"),
    )
    .unwrap();
    let out = gloss(dir.path(), &["build"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("content/2026/a.md:5:10: error: link `b.md#claim-1`"),
        "{err}"
    );
    assert!(
        dir.path().join("public/2026/b/index.html").exists(),
        "the old output stays"
    );
}

#[test]
fn links_to_article_files_lead_to_their_pages() {
    let front = "summary = \"Compare [the levy](../transit-levy/index.md).\"\n\
        [[note]]\ntext = \"moon\"\nnote = \"See [b](@/2026/b.md#claim-1).\"\n";
    let body =
        "The moon. [b](b.md), [bund](../bund/index.md), [levy](@/transit-levy/index.md#claim-1).\n";
    let dir = desk(front, body);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = "2026/a/";
    let cases = [
        (".gl-body a[href$='2026/b/']", "2026/b/index.html"),
        (".gl-body a[href*='bund']", "bund/index.html"),
        (
            ".gl-body a[href*='transit-levy']",
            "transit-levy/index.html#claim-1",
        ),
        (".gl-note-text a", "2026/b/index.html#claim-1"),
        (".summary a", "transit-levy/index.html"),
    ];
    for (selector, want) in cases {
        reaches(dir.path(), page, &link_of(dir.path(), page, selector), want);
    }
    // The summary on the home page and on the tag-less listing leads there too.
    reaches(
        dir.path(),
        "",
        &link_of(dir.path(), "", ".summary a, article a[href*='levy']"),
        "transit-levy/index.html",
    );
}

#[test]
fn a_source_without_a_scheme_is_an_error_with_the_fix() {
    let front = "[[claim]]\ntext = \"moon\"\nby = \"@article\"\nverdict = \"false\"\nsources = [\"transit.example.gov/report\"]\n";
    let dir = desk(front, "The moon.\n");
    let out = gloss(dir.path(), &["build"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains(
            "content/2026/a.md:8:13: error: source `transit.example.gov/report` has no scheme"
        ),
        "{err}"
    );
    let fixed = hint(&err);
    assert_eq!(fixed, "https://transit.example.gov/report");
    let text = read(dir.path(), "content/2026/a.md")
        .replace("\"transit.example.gov/report\"", &format!("\"{fixed}\""));
    std::fs::write(dir.path().join("content/2026/a.md"), text).unwrap();
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(link_of(dir.path(), "2026/a/", ".gl-sources a"), fixed);
}

/// Each broken link, its hint followed, builds and reaches the page the writer meant.
#[test]
fn every_hint_followed_builds_and_reaches_the_right_page() {
    // (where the link is, the link, what it should reach)
    let cases = [
        ("a", "transit-levy/index.md", "transit-levy/index.html"),
        ("a", "../transit-levy.md", "transit-levy/index.html"),
        ("a", "@/2026/c.md", "2026/b/index.html"),
        ("a", "b.md#claim-9", "2026/b/index.html#claim-1"),
        ("a", "../2026/bb/", "2026/b/index.html"),
        ("a", "../../../2026/b/", "2026/b/index.html"),
        ("a", "#claim-9", "2026/a/index.html#claim-1"),
        ("img", "pic.PNG", "2026/pic.png"),
        ("img", "../../bund/chart.jpg", "bund/chart.png"),
    ];
    let front = "[[claim]]\ntext = \"moon\"\nby = \"@article\"\nverdict = \"false\"\n";
    for (tag, href, want) in cases {
        let written = if tag == "img" {
            format!("![x]({href})")
        } else {
            format!("[x]({href})")
        };
        let dir = desk(front, &format!("The moon.\n\n{written}\n"));
        let out = gloss(dir.path(), &["build"]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{href}: {err}");
        assert!(
            err.contains(&format!("error: link `{href}`")),
            "{href}: {err}"
        );
        let fix = hint(&err);
        let text = read(dir.path(), "content/2026/a.md")
            .replace(&format!("({href})"), &format!("({fix})"));
        std::fs::write(dir.path().join("content/2026/a.md"), text).unwrap();
        let out = gloss(dir.path(), &["build"]);
        assert!(out.status.success(), "{href} → {fix}: {}", stderr(&out));
        assert!(
            !stderr(&out).contains("warning"),
            "{href} → {fix}: {}",
            stderr(&out)
        );
        let got = link_of(dir.path(), "2026/a/", &format!(".gl-body p + p {tag}"));
        reaches(dir.path(), "2026/a/", &got, want);
    }
}

#[test]
fn the_hint_for_a_link_from_the_host_root_is_right() {
    let dir = desk("", "See [b](/2026/b/).\n");
    let out = gloss(dir.path(), &["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("starts at the host's root"), "{err}");
    let fix = hint(&err);
    let text = read(dir.path(), "content/2026/a.md").replace("(/2026/b/)", &format!("({fix})"));
    std::fs::write(dir.path().join("content/2026/a.md"), text).unwrap();
    let out = gloss(dir.path(), &["build"]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    reaches(
        dir.path(),
        "2026/a/",
        &link_of(dir.path(), "2026/a/", ".gl-body a"),
        "2026/b/index.html",
    );
}

/// Copies the fixture site `name` (tests/fixtures/NAME) into a temp folder.
fn fixture(name: &str) -> tempfile::TempDir {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let dir = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(&from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let to = dir.path().join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    dir
}

/// The fixture desk uses every link form (file links relative, to bundles and from the
/// content root, with fragments, in bodies, notes and summaries; images in and beside
/// bundles), a custom verdict scale and the registry's aliases: it builds and checks clean,
/// and every internal link and image of every page reaches a file and element that exist.
#[test]
fn the_desk_fixture_builds_clean_and_every_link_arrives() {
    let dir = fixture("desk");
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let check = stdout(&gloss(dir.path(), &["check"]));
    assert!(check.contains("0 errors, 0 warnings"), "{check}");
    let public = dir.path().join("public");
    let attr = scraper::Selector::parse("a[href], img[src]").unwrap();
    let mut links = 0;
    for e in walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e
            .path()
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with("index.html") {
            continue;
        }
        let page = rel.trim_end_matches("index.html");
        let doc = scraper::Html::parse_document(&std::fs::read_to_string(e.path()).unwrap());
        for el in doc.select(&attr) {
            let v = el.value();
            let href = v.attr("href").or(v.attr("src")).unwrap();
            if href.contains(':') || href.is_empty() {
                continue;
            }
            let (file, fragment) = resolve(page, href);
            let target = std::fs::read(public.join(&file))
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_else(|_| panic!("{rel}: `{href}` → {file} is missing"));
            if let Some(id) = fragment.filter(|f| !f.is_empty()) {
                assert!(
                    target.contains(&format!("id=\"{id}\"")),
                    "{rel}: `{href}`: no #{id} in {file}"
                );
            }
            links += 1;
        }
    }
    assert!(links > 100, "{links} links checked");
    let levy = read(dir.path(), "public/2026/transit-levy/index.html");
    for (selector, want) in [
        (".gl-body a[href*='explainer']", "2026/explainer/index.html"),
        (".gl-body a[href*='fares']", "2026/fares/index.html#claim-1"),
        (
            ".gl-note-text a[href*='fares']",
            "2026/fares/index.html#claim-1",
        ),
        (".summary a", "2026/fares/index.html"),
        (".gl-body img", "2026/transit-levy/chart.png"),
    ] {
        let doc = scraper::Html::parse_document(&levy);
        let sel = scraper::Selector::parse(selector).unwrap();
        let el = doc
            .select(&sel)
            .next()
            .unwrap_or_else(|| panic!("{selector}"));
        let href = el.value().attr("href").or(el.value().attr("src")).unwrap();
        reaches(dir.path(), "2026/transit-levy/", href, want);
    }
    // The custom scale's lowest verdict looks like the default `false`.
    assert!(levy.contains("class=\"gl gl-claim gl-v-pants-on-fire gl-r-1\""));
}
