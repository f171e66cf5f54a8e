//! `gloss check`: each kind of finding, located at `path:line:col`.
use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;

const SITE: &str = "title = \"T\"\nlanguage = \"de\"\n";

/// A site with `files` (path, text) in a temp folder.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), SITE).unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// An article: front matter on lines 1–3, then `front`, then `+++`, then `body`
/// (on line 5 when `front` is empty).
fn article(front: &str, body: &str) -> String {
    format!("+++\ntitle = \"A\"\ndate = 2019-07-24\n{front}+++\n{body}")
}

fn check(dir: &Path) -> assert_cmd::assert::Assert {
    Command::cargo_bin("gloss")
        .unwrap()
        .current_dir(dir)
        .arg("check")
        .assert()
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

#[test]
fn a_clean_site_passes_and_writes_nothing() {
    let dir = site(&[
        (
            "content/a.md",
            &article(
                "[[note]]\ntext = \"Zwei\"\nnote = \"Siehe [b](../b/#note-note-vier).\"\n",
                "Eins. Zwei. [Drei](../b/) und [oben](#main).\n",
            ),
        ),
        (
            "content/b.md",
            &article("[[note]]\ntext = \"Vier\"\nnote = \"n\"\n", "Vier.\n"),
        ),
    ]);
    let a = check(dir.path()).success();
    assert_eq!(
        stdout(&a),
        "2 articles, 2 annotations: 2 exact, 0 moved, 0 orphaned; 0 errors, 0 warnings\n"
    );
    assert!(!dir.path().join("public").exists());
}

#[test]
fn orphaned_anchor_is_an_error_at_its_text() {
    let dir = site(&[(
        "content/a.md",
        &article("[[note]]\ntext = \"Fünf\"\nnote = \"n\"\n", "Eins. Zwei.\n"),
    )]);
    let a = check(dir.path()).failure();
    let out = stdout(&a);
    assert!(
        out.contains("content/a.md:5:8: error: annotation `text` not found in the article"),
        "{out}"
    );
    assert!(
        out.contains("0 exact, 0 moved, 1 orphaned; 1 error"),
        "{out}"
    );
}

#[test]
fn moved_anchor_is_a_warning() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[note]]\ntext = \"Zwei\"\nprefix = \"Drei\"\nnote = \"n\"\n",
            "Eins. Zwei.\n",
        ),
    )]);
    let a = check(dir.path()).success();
    let out = stdout(&a);
    assert!(
        out.contains("content/a.md:5:8: warning: the recorded `prefix` no longer fits"),
        "{out}"
    );
    assert!(
        out.contains("0 exact, 1 moved, 0 orphaned; 0 errors, 1 warning"),
        "{out}"
    );
}

#[test]
fn anchor_states_are_reported_even_when_another_fails() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[note]]\ntext = \"Zwei\"\nnote = \"n\"\n[[note]]\ntext = \"Sieben\"\nnote = \"n\"\n",
            "Eins. Zwei.\n",
        ),
    )]);
    let a = Command::cargo_bin("gloss")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .assert()
        .failure();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    let states: Vec<(&str, &str)> = v["anchors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        [("note-zwei", "exact"), ("note-sieben", "orphaned")]
    );
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["exact"], 1);
    let f = &v["findings"][0];
    assert_eq!(
        (f["path"].as_str(), f["line"].as_u64(), f["col"].as_u64()),
        (Some("content/a.md"), Some(8), Some(8))
    );
    assert_eq!(f["severity"], "error");
}

#[test]
fn front_matter_errors_are_found_without_building() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[claim]]\ntext = \"Eins\"\nverdict = \"ture\"\n",
            "Eins.\n",
        ),
    )]);
    let a = check(dir.path()).failure();
    assert!(
        stdout(&a)
            .contains("content/a.md:6:11: error: unknown verdict `ture`, did you mean `true`?"),
        "{}",
        stdout(&a)
    );
}

#[test]
fn broken_link_to_a_page_in_the_body() {
    let dir = site(&[
        (
            "content/2019/a.md",
            &article("", "Siehe\n[den Text](../c/).\n"),
        ),
        ("content/2019/b.md", &article("", "B.\n")),
    ]);
    let a = check(dir.path()).failure();
    let out = stdout(&a);
    assert!(
        out.contains(
            "content/2019/a.md:6:12: error: link `../c/` points to a page the site does not have (help: did you mean `../../2019/b/`?)"
        ),
        "{out}"
    );
}

#[test]
fn link_to_a_markdown_source_outside_content_suggests_the_file() {
    let dir = site(&[
        (
            "content/a.md",
            &article("", "Siehe [b](../b.md), [c](b.md).\n"),
        ),
        ("content/b.md", &article("", "B.\n")),
    ]);
    let out = stdout(&check(dir.path()).failure());
    assert!(
        out.contains("content/a.md:5:11: error: link `../b.md` points outside the content folder (help: did you mean `b.md`?)"),
        "{out}"
    );
    assert!(out.contains("1 error"), "`b.md` is the page b/: {out}");
}

#[test]
fn missing_fragment_on_the_target_page() {
    let dir = site(&[
        (
            "content/a.md",
            &article("", "Siehe [b](../b/#claim-9) und [hier](#note-claim-1).\n"),
        ),
        (
            "content/b.md",
            &article("[[claim]]\ntext = \"B\"\nverdict = \"true\"\n", "B.\n"),
        ),
    ]);
    let out = stdout(&check(dir.path()).failure());
    assert!(
        // `claim-b` and the positional `claim-1` kept for old links are as close.
        out.contains("content/a.md:5:11: error: link `../b/#claim-9`: the page b/ has no element with id `claim-9` (help: did you mean `../b/#claim-"),
        "{out}"
    );
    assert!(
        out.contains("content/a.md:5:37: error: link `#note-claim-1`: the page a/ has no element with id `note-claim-1`"),
        "{out}"
    );
}

#[test]
fn broken_link_in_a_note() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[note]]\ntext = \"Eins\"\nnote = \"Mehr [dort](../fehlt/).\"\n",
            "Eins.\n",
        ),
    )]);
    let out = stdout(&check(dir.path()).failure());
    assert!(
        out.contains(
            "content/a.md:6:21: error: link `../fehlt/` points to a page the site does not have"
        ),
        "{out}"
    );
}

#[test]
fn links_to_files_and_static_assets_pass_and_absolute_links_warn() {
    let dir = site(&[
        (
            "content/a/index.md",
            &article("", "![Bild](bild.png) [css](../gloss.css) [x](/a/)\n"),
        ),
        ("content/a/bild.png", "png"),
    ]);
    let a = check(dir.path()).success();
    let out = stdout(&a);
    assert!(
        out.contains("content/a/index.md:5:43: warning: link `/a/` starts at the host's root"),
        "{out}"
    );
    assert!(out.contains("0 errors, 1 warning"), "{out}");
}

#[test]
fn people_nobody_quotes_are_a_warning_at_their_entry() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "source = { name = \"Beispielzeitung\", url = \"https://example.com/a\" }\n\
             [[quote]]\ntext = \"Eins\"\nspeaker = \"Cade Matz\"\n\
             [[claim]]\ntext = \"Zwei\"\nby = \"Microsoft\"\nverdict = \"true\"\n\
             [[claim]]\ntext = \"Drei\"\nby = \"@article\"\nverdict = \"true\"\n",
            "Eins. Zwei. Drei.\n",
        ),
    )]);
    std::fs::write(
        dir.path().join("people.toml"),
        "[[person]]\nname = \"Cade Metz\"\naliases = [\"Cade Matz\"]\n\n[[person]]\nname = \"Niemand\"\n\n\
         [[person]]\nname = \"Microsoft\"\nkind = \"organization\"\n\n\
         [[person]]\nname = \"Beispielzeitung\"\nkind = \"organization\"\n",
    )
    .unwrap();
    let out = stdout(&check(dir.path()).success());
    assert!(
        out.contains("people.toml:6:8: warning: `Niemand` is in the people registry, but no article quotes them or names them as a claimant"),
        "{out}"
    );
    // Claimants have a record: neither a claimant nor the source of the article's own claims
    // is an entry to remove.
    assert!(!out.contains("Cade Metz"), "{out}");
    assert!(!out.contains("`Microsoft`"), "{out}");
    assert!(!out.contains("`Beispielzeitung`"), "{out}");
    assert!(out.contains("0 errors, 1 warning"), "{out}");
}

#[test]
fn template_errors_are_found_by_rendering() {
    let dir = site(&[
        ("content/a.md", &article("", "Eins.\n")),
        (
            "templates/article.html",
            "{% extends \"base.html\" %}\n{% block main %}\n{{ page.nope.deeper }}\n{% endblock main %}\n",
        ),
    ]);
    let out = stdout(&check(dir.path()).failure());
    let line = out
        .lines()
        .find(|l| l.starts_with("templates/article.html:3:"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains(": error: "), "{line}");
    assert!(out.contains("1 error"), "{out}");
}

#[test]
fn json_lists_findings_and_the_summary() {
    let dir = site(&[("content/a.md", &article("", "[x](../y/)\n"))]);
    let a = Command::cargo_bin("gloss")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .assert()
        .failure()
        .stdout(contains("\"summary\""));
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(v["findings"][0]["line"], 5);
    assert_eq!(v["findings"][0]["col"], 5);
    assert_eq!(v["summary"]["articles"], 1);
}

#[test]
fn links_into_site_wide_pages_are_checked_with_their_ids() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[claim]]\ntext = \"Eins\"\nverdict = \"true\"\n",
            "Eins. [Alle](../claims/) [Tag](../tags/nirgends/) [x](../claims/#gibtsnicht)\n",
        ),
    )]);
    let out = stdout(&check(dir.path()).failure());
    assert!(
        out.contains("content/a.md:8:32: error: link `../tags/nirgends/` points to a page the site does not have"),
        "{out}"
    );
    assert!(
        out.contains("content/a.md:8:55: error: link `../claims/#gibtsnicht`: the page claims/ has no element with id `gibtsnicht`"),
        "{out}"
    );
    assert!(out.contains("2 errors"), "{out}");
}

#[test]
fn speakers_missing_from_the_registry_are_warned_as_the_build_does() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[quote]]\ntext = \"Eins\"\nspeaker = \"Unbekannt\"\n",
            "Eins.\n",
        ),
    )]);
    let out = stdout(&check(dir.path()).success());
    assert!(
        out.contains(
            "content/a.md:5:8: warning: speaker `Unbekannt` is not in the person registry"
        ),
        "{out}"
    );
}

/// Every file and folder below `dir` with its size and modification time.
fn tree(dir: &Path) -> Vec<(std::path::PathBuf, u64, std::time::SystemTime)> {
    let mut all: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            (e.path().to_path_buf(), meta.len(), meta.modified().unwrap())
        })
        .collect();
    all.sort();
    all
}

#[test]
fn check_renders_into_memory_and_writes_nowhere() {
    let dir = site(&[
        (
            "content/a.md",
            &article(
                "tags = [\"KI\"]\n[[claim]]\ntext = \"Zwei\"\nverdict = \"true\"\nby = \"@article\"\n",
                "Eins. Zwei. [Behauptungen](../claims/#main), [Feed](../feed.xml), \
                 [Export](annotations.jsonld).\n",
            ),
        ),
        ("content/b/index.md", &article("", "[Bild](bild.png)\n")),
        ("content/b/bild.png", "png"),
    ]);
    let before = tree(dir.path());
    // No temporary folder can be made: a check that needs one to render fails.
    let not_a_folder = dir.path().join("tmp-is-a-file");
    std::fs::write(&not_a_folder, "").unwrap();
    let before_tmp = tree(dir.path());
    let a = Command::cargo_bin("gloss")
        .unwrap()
        .current_dir(dir.path())
        .env("TMPDIR", &not_a_folder)
        .arg("check")
        .assert()
        .success();
    assert_eq!(
        stdout(&a),
        "2 articles, 1 annotation: 1 exact, 0 moved, 0 orphaned; 0 errors, 0 warnings\n"
    );
    assert_eq!(tree(dir.path()), before_tmp, "nothing written in the site");
    assert_eq!(before.len() + 1, before_tmp.len());
}
