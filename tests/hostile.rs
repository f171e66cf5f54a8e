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
        err.contains("content/a.md:5:8: error: source `javascript:alert(1)` is not a web address"),
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
