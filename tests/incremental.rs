//! Rebuilding a site that was built before: what did not change is kept, what changed is
//! built again, and the result is byte for byte what a build from nothing gives.
mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

fn claim_article(word: &str) -> String {
    article(
        &format!(
            "tags = [\"KI\"]\n[[claim]]\ntext = \"Microsoft investierte {word}\"\nverdict = \"true\"\n\
             [[quote]]\ntext = \"sagte Sam\"\nspeaker = \"Sam Unbekannt\"\n"
        ),
        &format!("Microsoft investierte {word} in OpenAI, sagte Sam.\n"),
    )
}

/// A site of two articles, each with a claim and a quote of a speaker not in the registry.
fn two_articles() -> tempfile::TempDir {
    site(&[
        ("content/a.md", &claim_article("1 Milliarde")),
        ("content/b.md", &claim_article("2 Milliarden")),
    ])
}

/// What a build from nothing gives for the site as it is now, from what a checkout of it
/// has: no cache, no output, but the ids the site published (`published-ids.jsonl`, which
/// the site commits), whose old ones stay on the page as anchors.
fn fresh(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    assert!(dir.join("published-ids.jsonl").is_file());
    from_nothing(dir)
}

#[cfg(unix)]
fn inode(p: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap())
}

#[cfg(unix)]
#[test]
fn an_unchanged_rebuild_keeps_every_page_and_says_so() {
    let dir = two_articles();
    build_ok(dir.path());
    let before = snapshot(&dir.path().join("public"));
    let page = dir.path().join("public/a/index.html");
    let ino = inode(&page);
    let log = build_ok(dir.path());
    assert!(log.contains("all unchanged"), "{log}");
    // Warnings of kept articles are still reported.
    assert!(
        log.contains("speaker `Sam Unbekannt` is not in the person registry"),
        "{log}"
    );
    assert_eq!(
        inode(&page),
        ino,
        "the page is the same file, not rewritten"
    );
    assert_eq!(snapshot(&dir.path().join("public")), before);
}

#[test]
fn an_edited_article_is_rebuilt_with_every_page_that_lists_it() {
    let dir = two_articles();
    build_ok(dir.path());
    std::fs::write(
        dir.path().join("content/a.md"),
        claim_article("3 Billionen"),
    )
    .unwrap();
    let log = build_ok(dir.path());
    assert!(log.contains("1 unchanged"), "{log}");
    let now = snapshot(&dir.path().join("public"));
    assert!(String::from_utf8_lossy(&now["claims/index.html"]).contains("3 Billionen"));
    assert_eq!(now, fresh(dir.path()), "same bytes as a build from nothing");
}

#[test]
fn a_deleted_article_leaves_the_listings_and_the_output() {
    let dir = two_articles();
    build_ok(dir.path());
    std::fs::remove_file(dir.path().join("content/b.md")).unwrap();
    build_ok(dir.path());
    let now = snapshot(&dir.path().join("public"));
    assert!(!now.contains_key("b/index.html"));
    assert!(!String::from_utf8_lossy(&now["index.html"]).contains("b/"));
    assert_eq!(now, fresh(dir.path()));
}

#[test]
fn a_changed_template_or_setting_rebuilds_every_page() {
    let dir = site(&[("content/a.md", &claim_article("1 Milliarde"))]);
    build_ok(dir.path());
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    let base = include_str!("../templates/base.html").replace("<body", "<body data-own=\"1\"");
    std::fs::write(dir.path().join("templates/base.html"), base).unwrap();
    let log = build_ok(dir.path());
    assert!(!log.contains("unchanged"), "{log}");
    assert!(read(dir.path(), "public/a/index.html").contains("data-own=\"1\""));
    let settings = std::fs::read_to_string(dir.path().join("site.toml")).unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        settings.replace("title = \"", "title = \"Neu: "),
    )
    .unwrap();
    build_ok(dir.path());
    assert!(read(dir.path(), "public/a/index.html").contains("Neu: "));
    assert_eq!(snapshot(&dir.path().join("public")), fresh(dir.path()));
}

#[test]
fn a_page_changed_or_removed_in_the_output_is_written_again() {
    let dir = two_articles();
    build_ok(dir.path());
    let out = dir.path().join("public");
    let right = snapshot(&out);
    // Let the clock move on, so that only the content can tell the edit apart.
    std::thread::sleep(std::time::Duration::from_millis(250));
    std::fs::write(out.join("a/index.html"), "tampered").unwrap();
    std::fs::remove_file(out.join("b/annotations.jsonld")).unwrap();
    std::fs::write(out.join("claims/index.html"), "tampered").unwrap();
    // Files a build from nothing would not have go, with the folders they made.
    std::fs::create_dir_all(out.join("stray/deep")).unwrap();
    std::fs::write(out.join("stray/deep/x.html"), "left by hand").unwrap();
    std::fs::write(out.join("a/old.txt"), "left by hand").unwrap();
    build_ok(dir.path());
    assert_eq!(snapshot(&out), right);
}

#[test]
fn a_damaged_cache_is_ignored() {
    let dir = site(&[("content/a.md", &claim_article("1 Milliarde"))]);
    build_ok(dir.path());
    let cache = dir.path().join(".gloss-cache");
    for entry in std::fs::read_dir(&cache).unwrap() {
        std::fs::write(entry.unwrap().path(), b"\xff\x00garbage").unwrap();
    }
    let log = build_ok(dir.path());
    assert!(!log.contains("unchanged"), "{log}");
    assert_eq!(snapshot(&dir.path().join("public")), fresh(dir.path()));
}

#[test]
fn a_build_into_another_folder_leaves_the_usual_one_unchanged_next_time() {
    let dir = site(&[("content/a.md", &claim_article("1 Milliarde"))]);
    build_ok(dir.path());
    // As `gloss serve` does: a build of the same site into a folder of its own.
    let other = gloss(dir.path(), &["build", "--out", "elsewhere"]);
    assert!(other.status.success(), "{}", stderr(&other));
    let log = build_ok(dir.path());
    assert!(log.contains("all unchanged"), "{log}");
}

#[test]
fn an_unread_source_is_still_checked_and_an_edit_that_keeps_size_and_time_is_caught() {
    let dir = two_articles();
    // Old enough sources: their stamps are trusted, so the third build reads none of them.
    std::thread::sleep(std::time::Duration::from_millis(250));
    build_ok(dir.path());
    assert!(build_ok(dir.path()).contains("all unchanged"));
    assert!(build_ok(dir.path()).contains("all unchanged"));
    let path = dir.path().join("content/a.md");
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, claim_article("9 Milliarde")).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let log = build_ok(dir.path());
    assert!(log.contains("1 unchanged"), "{log}");
    let now = snapshot(&dir.path().join("public"));
    assert!(String::from_utf8_lossy(&now["a/index.html"]).contains("9 Milliarde"));
    assert_eq!(now, fresh(dir.path()));
}

#[test]
fn an_edit_built_elsewhere_first_still_reaches_the_usual_output() {
    let dir = two_articles();
    build_ok(dir.path());
    std::fs::write(
        dir.path().join("content/a.md"),
        claim_article("3 Billionen"),
    )
    .unwrap();
    // The cache learns the edit from a build into another folder; public/ still has the old.
    let other = gloss(dir.path(), &["build", "--out", "elsewhere"]);
    assert!(other.status.success(), "{}", stderr(&other));
    build_ok(dir.path());
    let now = snapshot(&dir.path().join("public"));
    assert!(String::from_utf8_lossy(&now["a/index.html"]).contains("3 Billionen"));
    assert_eq!(now, fresh(dir.path()));
}

#[test]
fn an_author_or_a_term_added_or_removed_updates_their_listings() {
    let site_toml = "title = \"T\"\nlanguage = \"de\"\nbase_url = \"https://example.org/t\"\n\
                     [[taxonomy]]\nname = \"ressorts\"\ntitle = \"Ressorts\"\n";
    let with = |author: &str, term: &str| {
        article(
            &format!("authors = [\"{author}\"]\ntaxonomies = {{ ressorts = [\"{term}\"] }}\n"),
            "Text.\n",
        )
    };
    let dir = site(&[
        ("site.toml", site_toml),
        ("content/a.md", &with("Ann", "Politik")),
        ("content/b.md", &with("Ann", "Politik")),
    ]);
    build_ok(dir.path());
    std::fs::write(dir.path().join("content/b.md"), with("Bo", "Kultur")).unwrap();
    let log = build_ok(dir.path());
    assert!(log.contains("1 unchanged"), "{log}");
    let now = snapshot(&dir.path().join("public"));
    for page in ["authors/bo/index.html", "ressorts/kultur/feed.xml"] {
        assert!(now.contains_key(page), "{page}");
    }
    assert!(String::from_utf8_lossy(&now["authors/index.html"]).contains("authors/bo/"));
    assert!(String::from_utf8_lossy(&now["ressorts/index.html"]).contains("Kultur"));
    assert_eq!(now, fresh(dir.path()), "same bytes as a build from nothing");

    std::fs::remove_file(dir.path().join("content/b.md")).unwrap();
    build_ok(dir.path());
    let now = snapshot(&dir.path().join("public"));
    assert!(!now.contains_key("authors/bo/index.html"));
    assert!(!now.contains_key("ressorts/kultur/index.html"));
    assert!(!String::from_utf8_lossy(&now["ressorts/index.html"]).contains("Kultur"));
    assert_eq!(now, fresh(dir.path()));
}

#[test]
fn an_edit_of_the_text_alone_keeps_the_listings_and_feeds_and_rebuilds_the_search() {
    let dir = two_articles();
    build_ok(dir.path());
    let edited = claim_article("1 Milliarde")
        .replace("sagte Sam.\n", "sagte Sam.\n\nZebrafinken sangen dazu.\n");
    std::fs::write(dir.path().join("content/a.md"), &edited).unwrap();
    let out = gloss(dir.path(), &["build", "--timings"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let log = format!("{}{}", stdout(&out), stderr(&out));
    assert!(log.contains("1 unchanged"), "{log}");
    // Nothing a listing or feed shows changed; the words did.
    assert!(log.contains("search (listings kept)"), "{log}");
    assert!(log.contains("feeds (kept)"), "{log}");
    let now = snapshot(&dir.path().join("public"));
    assert!(
        now.iter().any(|(rel, bytes)| rel.starts_with("search/i/t/")
            && String::from_utf8_lossy(bytes).contains("zebrafinken")),
        "the new word is in the index"
    );
    assert_eq!(now, fresh(dir.path()), "same bytes as a build from nothing");

    // A claim's verdict is shown by the listings: they are made again.
    std::fs::write(
        dir.path().join("content/a.md"),
        edited.replace("verdict = \"true\"", "verdict = \"false\""),
    )
    .unwrap();
    let out = gloss(dir.path(), &["build", "--timings"]);
    let log = format!("{}{}", stdout(&out), stderr(&out));
    assert!(log.contains("site pages, search "), "{log}");
    assert!(!log.contains("feeds (kept)"), "{log}");
    assert_eq!(snapshot(&dir.path().join("public")), fresh(dir.path()));
}

#[test]
fn files_left_in_the_output_between_edits_are_gone_after_the_next_ones() {
    // Enough articles that an edit changes few files, so the old output is kept as the
    // spare, with its folders' stamps, and later edits are assembled over it.
    let files: Vec<(String, String)> = (0..12)
        .map(|i| {
            (
                format!("content/a{i}.md"),
                claim_article(&format!("{i} Milliarden")),
            )
        })
        .collect();
    let dir = site_of(&files);
    let out = dir.path().join("public");
    let edit = |n: usize| {
        let text = claim_article("0 Milliarden").replace(
            "in OpenAI, sagte Sam.",
            &format!("in OpenAI, sagte Sam.\n\nNachtrag {n}."),
        );
        std::fs::write(dir.path().join("content/a0.md"), text).unwrap();
        // Old enough stamps of files and folders are trusted; strays must still show.
        std::thread::sleep(std::time::Duration::from_millis(250));
        build_ok(dir.path());
        std::thread::sleep(std::time::Duration::from_millis(250));
    };
    build_ok(dir.path());
    for n in 1..=3 {
        edit(n);
    }
    let spare_manifest = std::fs::read_dir(dir.path().join(".gloss-cache"))
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().ends_with(".spare"));
    assert!(spare_manifest, "the spare has a manifest, with its folders");
    // Left by hand in the output: in a folder of an article, in a claim page's folder, in a
    // folder of its own, at the top. The output becomes the spare at the next edit, and
    // the one after is assembled over it.
    let claim = std::fs::read_dir(out.join("a5/claims"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(out.join("a5/old.txt"), "left by hand").unwrap();
    std::fs::write(claim.join("old.txt"), "left by hand").unwrap();
    std::fs::create_dir_all(out.join("stray/deep")).unwrap();
    std::fs::write(out.join("stray/deep/x.html"), "left by hand").unwrap();
    std::fs::write(out.join("top.txt"), "left by hand").unwrap();
    for n in 4..=6 {
        edit(n);
        assert_eq!(snapshot(&out), fresh(dir.path()), "after edit {n}");
    }
    assert!(build_ok(dir.path()).contains("all unchanged"));
    std::fs::write(out.join("a7/old.txt"), "left by hand").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(250));
    build_ok(dir.path());
    assert_eq!(
        snapshot(&out),
        fresh(dir.path()),
        "after an unchanged build"
    );
}
