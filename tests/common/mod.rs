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
