//! Helpers for integration tests: real sites in temp folders, the real binary.
#![allow(dead_code)]
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

/// A site in a temp folder with `files` (path, contents); site.toml gets a default.
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let has_config = files.iter().any(|(p, _)| *p == "site.toml");
    if !has_config {
        std::fs::write(
            dir.path().join("site.toml"),
            "title = \"Testseite\"\nlanguage = \"de\"\nbase_url = \"https://example.org/t\"\n",
        )
        .unwrap();
    }
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// [`site`] with files made at run time (path, contents).
pub fn site_of(files: &[(String, String)]) -> tempfile::TempDir {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    site(&refs)
}

/// Runs `gloss ARGS` in `dir`.
pub fn gloss(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("gloss")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Reads a built file.
pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// An article with front matter `front` (after title and date) and `body`.
pub fn article(front: &str, body: &str) -> String {
    format!("+++\ntitle = \"Ein Artikel\"\ndate = 2019-07-24\n{front}+++\n{body}")
}

/// The text content of the element matching `selector` in `html`.
pub fn text_of(html: &str, selector: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join("")
}

/// Every file below `dir` and its bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Builds the site at `dir`, which must succeed; returns what the build printed.
pub fn build_ok(dir: &Path) -> String {
    let out = gloss(dir, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

/// What a build from nothing gives for the site at `dir` as it is now: a copy of it without
/// its output and cache (its `published-ids.jsonl` kept, as a checkout has it), built.
pub fn from_nothing(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let copy = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(dir).unwrap();
        let first = rel.components().next().map(|c| c.as_os_str().to_owned());
        if first.is_some_and(|f| f == "public" || f == ".gloss-cache") {
            continue;
        }
        let target = copy.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    build_ok(copy.path());
    snapshot(&copy.path().join("public"))
}
