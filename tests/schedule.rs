//! Scheduling: an article dated after today is not published until its day (`--future`
//! publishes it now), one past its `expires` leaves the listings, feeds and search but keeps
//! its page; `--base-url` publishes for another address. "Today" is `GLOSS_TODAY`, so these
//! tests read the same whatever day they run.
mod common;

use std::path::Path;
use std::process::Output;

use common::*;

/// `gloss ARGS` in `dir` on the day `today`.
fn gloss_on(dir: &Path, today: &str, args: &[&str]) -> Output {
    assert_cmd::Command::cargo_bin("gloss")
        .unwrap()
        .current_dir(dir)
        .env("GLOSS_TODAY", today)
        .args(args)
        .output()
        .unwrap()
}

fn build_on(dir: &Path, today: &str, args: &[&str]) -> String {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let out = gloss_on(dir, today, &all);
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

fn dated(title: &str, date: &str, front: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\ntags = [\"Hafen\"]\n{front}\
         [[claim]]\ntext = \"kostet Geld\"\nverdict = \"true\"\nby = \"@article\"\n+++\n\
         Der Hafen kostet Geld, sagt {title}.\n"
    )
}

/// Three articles: one published, one dated after 2026-12-01, one that expires then.
fn schedule_site() -> tempfile::TempDir {
    site(&[
        ("content/jetzt.md", &dated("Jetzt", "2026-11-01", "")),
        ("content/spaeter.md", &dated("Spaeter", "2026-12-24", "")),
        (
            "content/alt.md",
            &dated("Altmeldung", "2026-10-01", "expires = 2026-12-01\n"),
        ),
    ])
}

/// Every file of the output that mentions `word`, by path.
fn mentions(dir: &Path, word: &str) -> Vec<String> {
    snapshot(&dir.join("public"))
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(word))
        .map(|(path, _)| path)
        .collect()
}

#[test]
fn an_article_dated_after_today_waits_for_its_day_with_a_warning() {
    let dir = schedule_site();
    let err = build_on(dir.path(), "2026-12-01", &[]);
    // The warning says when, at the date itself.
    assert!(
        err.contains("content/spaeter.md:3:8: warning: this article is dated 2026-12-24, after today (2026-12-01)"),
        "{err}"
    );
    assert!(err.contains("`--future` publishes it now"), "{err}");
    assert!(!dir.path().join("public/spaeter").exists());
    // Nowhere: no listing, feed, sitemap, search index or claim record names it.
    assert_eq!(mentions(dir.path(), "Spaeter"), Vec::<String>::new());
    assert_eq!(mentions(dir.path(), "spaeter"), Vec::<String>::new());
    assert!(read(dir.path(), "public/index.html").contains("Jetzt"));

    // `--future` publishes it everywhere, and `check --future` checks it without a word.
    build_on(dir.path(), "2026-12-01", &["--future"]);
    let found = mentions(dir.path(), "Spaeter");
    for file in [
        "spaeter/index.html",
        "index.html",
        "feed.xml",
        "tags/hafen/index.html",
        "claims.json",
    ] {
        assert!(found.iter().any(|f| f == file), "{file} not in {found:?}");
    }
    assert!(read(dir.path(), "public/claims.csv").contains("/spaeter/"));
    assert!(read(dir.path(), "public/sitemap.xml").contains("/spaeter/"));
    assert!(
        found.iter().any(|f| f.starts_with("search/i/")),
        "{found:?}"
    );
    let check = gloss_on(dir.path(), "2026-12-01", &["check"]);
    assert!(
        stdout(&check).contains("this article is dated 2026-12-24"),
        "{}",
        stdout(&check)
    );
    let check = gloss_on(dir.path(), "2026-12-01", &["check", "--future"]);
    assert!(!stdout(&check).contains("2026-12-24"), "{}", stdout(&check));
}

#[test]
fn a_scheduled_article_appears_on_its_day_as_a_build_from_nothing_has_it() {
    let dir = schedule_site();
    build_on(dir.path(), "2026-12-01", &[]);
    assert!(!dir.path().join("public/spaeter").exists());
    // The day comes: an incremental build publishes it, byte for byte as a fresh build.
    let err = build_on(dir.path(), "2026-12-24", &[]);
    assert!(!err.contains("warning"), "{err}");
    assert!(read(dir.path(), "public/index.html").contains("Spaeter"));
    let incremental = snapshot(&dir.path().join("public"));
    let fresh = tempfile::tempdir().unwrap();
    // As a checkout has it: with the ids the site published, without cache and output.
    for rel in [
        "site.toml",
        "published-ids.jsonl",
        "content/jetzt.md",
        "content/spaeter.md",
        "content/alt.md",
    ] {
        let to = fresh.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(dir.path().join(rel), to).unwrap();
    }
    build_on(fresh.path(), "2026-12-24", &[]);
    assert_eq!(
        incremental.keys().collect::<Vec<_>>(),
        snapshot(&fresh.path().join("public"))
            .keys()
            .collect::<Vec<_>>()
    );
    for (path, bytes) in snapshot(&fresh.path().join("public")) {
        assert!(incremental[&path] == bytes, "{path} differs");
    }
    // A build for an earlier day (a clock set back) takes it off again, cache or not.
    build_on(dir.path(), "2026-12-01", &[]);
    assert!(!dir.path().join("public/spaeter").exists());
    assert!(!read(dir.path(), "public/index.html").contains("Spaeter"));
}

#[test]
fn an_expired_article_leaves_listings_feeds_and_search_but_keeps_its_page() {
    let dir = schedule_site();
    // On its `expires` day it is still listed.
    build_on(dir.path(), "2026-12-01", &[]);
    let listed = mentions(dir.path(), "Altmeldung");
    for file in ["index.html", "feed.xml", "tags/hafen/index.html"] {
        assert!(listed.iter().any(|f| f == file), "{file} not in {listed:?}");
    }
    assert!(listed.iter().any(|f| f.starts_with("search/i/")));
    // The day after, incrementally: off the home page, tag pages, feed and search.
    build_on(dir.path(), "2026-12-02", &[]);
    let listed = mentions(dir.path(), "Altmeldung");
    for file in ["index.html", "feed.xml", "tags/hafen/index.html"] {
        assert!(!listed.iter().any(|f| f == file), "{file} in {listed:?}");
    }
    assert!(
        !listed.iter().any(|f| f.starts_with("search/i/")),
        "{listed:?}"
    );
    // Its page stays where readers' links lead, in the sitemap, and its claim in the record.
    assert!(listed.iter().any(|f| f == "alt/index.html"), "{listed:?}");
    assert!(read(dir.path(), "public/sitemap.xml").contains("/alt/"));
    assert!(listed.iter().any(|f| f == "claims.json"), "{listed:?}");
}

#[test]
fn expires_before_the_date_is_an_error_at_the_key() {
    let dir = site(&[(
        "content/a.md",
        &dated("A", "2026-11-01", "expires = 2026-10-01\n"),
    )]);
    let out = gloss_on(dir.path(), "2026-12-01", &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/a.md:5:11: error: the article expires (2026-10-01) before it is published (2026-11-01)"),
        "{err}"
    );
}

#[test]
fn base_url_on_the_command_line_replaces_site_tomls_everywhere() {
    let dir = schedule_site();
    build_on(
        dir.path(),
        "2026-12-01",
        &["--base-url", "https://preview.example.net/pr-7/"],
    );
    let old = mentions(dir.path(), "example.org/t");
    assert_eq!(old, Vec::<String>::new());
    let new = mentions(dir.path(), "https://preview.example.net/pr-7/");
    for file in [
        "feed.xml",
        "sitemap.xml",
        "404.html",
        "robots.txt",
        "claims.json",
        "jetzt/index.html",
    ] {
        assert!(new.iter().any(|f| f == file), "{file} not in {new:?}");
    }
    // Built again without it, every page is site.toml's again (the cache knows the difference).
    build_on(dir.path(), "2026-12-01", &[]);
    assert_eq!(
        mentions(dir.path(), "preview.example.net"),
        Vec::<String>::new()
    );

    let out = gloss_on(
        dir.path(),
        "2026-12-01",
        &["build", "--base-url", "preview.example.net"],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out)
            .contains("--base-url `preview.example.net` is not an absolute http(s) address"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_bad_gloss_today_is_an_error_that_says_how_to_write_it() {
    let dir = schedule_site();
    let out = gloss_on(dir.path(), "1.12.2026", &["build"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("GLOSS_TODAY=1.12.2026 is not a date"),
        "{}",
        stderr(&out)
    );
}
