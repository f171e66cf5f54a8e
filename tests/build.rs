//! Building real sites in temp folders and reading the HTML.
mod common;

use common::*;

const BODY: &str = "Microsoft *investierte* 1 Milliarde\nUS-Dollar in [OpenAI](https://openai.com).\n\n\
Am 22. Juli kündigte Microsoft eine Investition an.\n\n> —Cade Matz, Technologiereporter\n";

fn annotated() -> String {
    article(
        "lang = \"de\"\n\
         [[claim]]\ntext = \"Microsoft investierte 1 Milliarde US-Dollar in OpenAI\"\nverdict = \"true\"\nconclusion = \"Stimmt.\"\n\
         [[quote]]\ntext = \"Cade Matz, Technologiereporter\"\nspeaker = \"Cade Metz\"\n\
         [[correction]]\ntext = \"Cade Matz\"\ncorrect = \"Cade Metz\"\n\
         [[note]]\ntext = \"1 Milliarde\"\nnote = \"Eine *Milliarde* sind 10^9.\"\n",
        BODY,
    )
}

#[test]
fn builds_pages_with_highlights_that_span_markup() {
    let dir = site(&[("content/2019/x.md", &annotated())]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/2019/x/index.html");
    let doc = scraper::Html::parse_document(&html);
    let claim =
        scraper::Selector::parse("mark[data-gl='claim-microsoft-investierte-1-milliarde-us']")
            .unwrap();
    let pieces: Vec<_> = doc.select(&claim).collect();
    // The claim crosses <em>, a soft break and a link: one <mark> per text run.
    assert!(pieces.len() >= 4, "{html}");
    let joined: String = pieces
        .iter()
        .map(|m| m.text().collect::<String>())
        .collect();
    // The soft line break between the runs stays outside the marks.
    assert_eq!(
        joined,
        "Microsoft investierte 1 MilliardeUS-Dollar in OpenAI"
    );
    // Only the first piece carries the id; ids stay unique.
    assert_eq!(
        html.matches("id=\"claim-microsoft-investierte-1-milliarde-us\"")
            .count(),
        1
    );
    // Nested and overlapping highlights: the correction sits inside the quote.
    assert!(html.contains("<mark class=\"gl gl-quote\""), "{html}");
    assert!(text_of(&html, "mark.gl-quote mark.gl-correction").contains("Cade Matz"));
    // Highlight and note link to each other.
    assert!(html.contains("href=\"#note-claim-microsoft-investierte-1-milliarde-us\""));
    assert!(html.contains("id=\"note-claim-microsoft-investierte-1-milliarde-us\""));
    assert!(html.contains("href=\"#ref-claim-microsoft-investierte-1-milliarde-us\""));
    // Notes are markdown.
    assert!(html.contains("<em>Milliarde</em>"));
    // Relative links only: the folder works under any path.
    assert!(html.contains("href=\"../../gloss.css\""));
    // The icon is a file of the theme beside the stylesheet, linked like it, not a data:
    // address repeated in every page.
    assert!(
        html.contains("<link rel=\"icon\" href=\"../../favicon.svg\">"),
        "{html}"
    );
    assert!(!html.contains("data:"), "{html}");
    assert!(read(dir.path(), "public/favicon.svg").starts_with("<svg "));
    let index = read(dir.path(), "public/index.html");
    assert!(index.contains("href=\"2019/x/\""), "{index}");
}

#[test]
fn annotating_never_changes_the_text_a_reader_sees() {
    let plain = site(&[("content/x.md", &article("", BODY))]);
    let marked = site(&[("content/x.md", &annotated())]);
    for d in [&plain, &marked] {
        assert!(gloss(d.path(), &["build"]).status.success());
    }
    // The body's text, without the reference numbers that follow highlights.
    let strip = |d: &tempfile::TempDir| {
        let html = read(d.path(), "public/x/index.html");
        let doc = scraper::Html::parse_document(&html);
        let body = scraper::Selector::parse(".gl-body").unwrap();
        let mut text = String::new();
        for node in doc.select(&body).next().unwrap().descendants() {
            let Some(t) = node.value().as_text() else {
                continue;
            };
            let in_ref = node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| e.classes().any(|c| c == "gl-ref"))
            });
            if !in_ref {
                text.push_str(t);
            }
        }
        text
    };
    let a = strip(&plain);
    let b = strip(&marked);
    assert_eq!(a, b);
}

#[test]
fn unknown_key_is_located_with_a_suggestion() {
    let bad = article(
        "[[claim]]\ntext = \"Microsoft\"\nverdikt = \"true\"\n",
        BODY,
    );
    let dir = site(&[("content/a.md", &bad)]);
    let out = gloss(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/a.md:6:1: error: unknown key `verdikt`, did you mean `verdict`?"),
        "{err}"
    );
    assert!(err.contains("verdikt = \"true\""), "snippet shown: {err}");
    assert!(!dir.path().join("public").exists(), "nothing written");
}

#[test]
fn missing_anchor_shows_the_closest_passage() {
    let bad = article(
        "[[quote]]\ntext = \"Cade Matz, Technologiereporterin\"\nspeaker = \"Cade Metz\"\n",
        BODY,
    );
    let dir = site(&[("content/a.md", &bad)]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(
        err.contains("content/a.md:5:8: error: annotation `text` not found in the article"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `Cade Matz, Technologiereporter`"),
        "{err}"
    );
}

#[test]
fn ambiguous_anchor_lists_occurrences() {
    let bad = article("[[note]]\ntext = \"Microsoft\"\nnote = \"x\"\n", BODY);
    let dir = site(&[("content/a.md", &bad)]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(
        err.contains("content/a.md:5:8: error: annotation `text` occurs 2 times"),
        "{err}"
    );
    assert!(err.contains("occurrence 1 on line 8"), "{err}");
    assert!(err.contains("occurrence 2 on line 11"), "{err}");
    assert!(err.contains("`occurrence = N`"), "{err}");
}

#[test]
fn every_error_is_reported_at_once_and_the_old_output_survives() {
    let dir = site(&[("content/ok.md", &article("", "Hallo.\n"))]);
    assert!(gloss(dir.path(), &["build"]).status.success());
    let before = read(dir.path(), "public/ok/index.html");
    std::fs::write(dir.path().join("content/a.md"), "+++\ntitle = \"A\"\n").unwrap();
    std::fs::write(
        dir.path().join("content/b.md"),
        article(
            "[[claim]]\ntext = \"Hallo\"\nverdict = \"richtig\"\n",
            "Hallo.\n",
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/c.md"),
        "+++\ntitle = 3\ndate = 2019-01-01\n+++\n",
    )
    .unwrap();
    let out = gloss(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/a.md:1:1: error: front matter never closes"),
        "{err}"
    );
    assert!(
        err.contains("content/b.md:6:11: error: unknown verdict `richtig`"),
        "{err}"
    );
    assert!(err.contains("`mostly-true`"), "valid keys listed: {err}");
    assert!(
        err.contains("content/c.md:2:9: error: `title` is written as text, but this is a number"),
        "{err}"
    );
    assert!(err.contains("3 errors; nothing was written"), "{err}");
    assert_eq!(read(dir.path(), "public/ok/index.html"), before);
}

#[test]
fn invalid_toml_and_missing_fields_are_located() {
    let dir = site(&[
        ("content/a.md", "+++\ntitle = \"A\ndate = 2019-01-01\n+++\n"),
        ("content/b.md", "+++\ntitle = \"B\"\n+++\nText\n"),
    ]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(err.contains("content/a.md:2:"), "{err}");
    assert!(
        err.contains("content/b.md:2:1: error: missing required key `date`"),
        "{err}"
    );
}

#[test]
fn output_folder_may_not_be_the_site_or_its_sources() {
    let dir = site(&[("content/a.md", &article("", "x\n"))]);
    for bad in [".", "content", "templates", "static", "..", "content/out"] {
        let out = gloss(dir.path(), &["build", "--out", bad]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(
            stderr(&out).contains("output folder"),
            "{bad}: {}",
            stderr(&out)
        );
    }
    assert!(dir.path().join("content/a.md").exists());
    std::fs::create_dir_all(dir.path().join("mine")).unwrap();
    std::fs::write(dir.path().join("mine/keep.txt"), "x").unwrap();
    let out = gloss(dir.path(), &["build", "--out", "mine"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("was not made by gloss"));
    assert!(dir.path().join("mine/keep.txt").exists());
}

#[test]
fn templates_and_static_files_are_overridable() {
    let dir = site(&[
        ("content/a.md", &article("", "x\n")),
        (
            "templates/article.html",
            "<!DOCTYPE html><title>{{ page.title }}</title><p>eigen {{ page.title }}</p>",
        ),
        ("static/gloss.css", "body{color:red}"),
        (
            "static/img/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(dir.path(), "public/a/index.html").contains("<p>eigen Ein Artikel</p>"));
    assert_eq!(read(dir.path(), "public/gloss.css"), "body{color:red}");
    assert!(dir.path().join("public/img/logo.svg").exists());
}

#[test]
fn template_errors_point_at_the_template_line() {
    let dir = site(&[
        ("content/a.md", &article("", "x\n")),
        ("templates/article.html", "<p>\n{{ page.title </p>\n"),
    ]);
    let out = gloss(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("templates/article.html:2:"), "{err}");
}

#[test]
fn bundles_copy_their_files_and_drafts_wait() {
    let dir = site(&[
        (
            "content/2020/b/index.md",
            &article("", "![Bild](foto.png)\n"),
        ),
        ("content/2020/b/foto.png", "PNG"),
        ("content/entwurf.md", &article("draft = true\n", "geheim\n")),
    ]);
    assert!(gloss(dir.path(), &["build"]).status.success());
    assert_eq!(read(dir.path(), "public/2020/b/foto.png"), "PNG");
    assert!(read(dir.path(), "public/2020/b/index.html").contains("src=\"foto.png\""));
    assert!(!dir.path().join("public/entwurf").exists());
    assert!(gloss(dir.path(), &["build", "--drafts"]).status.success());
    assert!(dir.path().join("public/entwurf/index.html").exists());
}

#[test]
fn site_toml_is_found_from_below_and_index_is_newest_first() {
    let dir = site(&[
        (
            "content/alt.md",
            "+++\ntitle = \"Alt\"\ndate = 2018-01-01\n+++\nx\n",
        ),
        (
            "content/neu.md",
            "+++\ntitle = \"Neu\"\ndate = 2020-01-01\n+++\nx\n",
        ),
    ]);
    let out = gloss(&dir.path().join("content"), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let index = read(dir.path(), "public/index.html");
    assert!(index.find("Neu").unwrap() < index.find("Alt").unwrap());
}

#[test]
fn two_files_for_one_url_are_refused() {
    let dir = site(&[
        ("content/a.md", &article("", "x\n")),
        ("content/a/index.md", &article("", "y\n")),
    ]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(err.contains("both become the page /a/"), "{err}");
}

#[test]
fn render_prints_a_fragment() {
    let dir = site(&[("content/x.md", &annotated())]);
    let out = gloss(dir.path(), &["render", "--no-figures", "content/x.md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = stdout(&out);
    assert!(
        html.starts_with("<p><mark class=\"gl gl-claim gl-v-true gl-r-5\""),
        "{html}"
    );
    let mut cmd = assert_cmd::Command::cargo_bin("gloss").unwrap();
    let out = cmd
        .current_dir(dir.path())
        .args(["render", "--no-figures", "-"])
        .write_stdin("# Hallo *Welt*\n\n| a |\n|---|\n| b |\n\nx[^1]\n\n[^1]: Fuß\n")
        .output()
        .unwrap();
    let html = stdout(&out);
    assert!(html.starts_with("<h1>Hallo <em>Welt</em></h1>"), "{html}");
    assert!(html.contains("<table>"), "{html}");
    assert!(html.contains("id=\"fn-1\""), "{html}");
}

/// The count of pages a build reports is the pages it wrote, kept ones included: counted
/// from the pages themselves (the 404 page is one), not from a number added on.
#[test]
fn the_pages_reported_are_the_pages_written() {
    let dir = site(&[
        ("content/a.md", &annotated()),
        (
            "content/b.md",
            &article("tags = [\"KI\", \"Neu\"]\n", "Zweiter Text.\n"),
        ),
    ]);
    let reported = |out: &std::process::Output| -> usize {
        let err = stderr(out);
        let tail = err.split("), ").nth(1).unwrap_or_else(|| panic!("{err}"));
        tail.split(' ').next().unwrap().parse().unwrap()
    };
    let written = || {
        walkdir::WalkDir::new(dir.path().join("public"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .count()
    };
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(reported(&out), written());
    // Nothing changed: every page kept, the same count.
    let again = gloss(dir.path(), &["build"]);
    assert_eq!(reported(&again), written());
    assert_eq!(reported(&again), reported(&out));
}
