//! `gloss init` and `gloss new`: what they write builds at once.
use assert_cmd::Command;
use predicates::str::contains;
use scraper::{Html, Selector};

fn gloss(dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("gloss").unwrap();
    cmd.current_dir(dir);
    cmd
}

fn marks(html: &str) -> Vec<(String, String)> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse("mark[id], data[id], time[id]").unwrap();
    doc.select(&sel)
        .map(|m| {
            (
                m.value().attr("id").unwrap().to_string(),
                m.text().collect::<String>(),
            )
        })
        .collect()
}

#[test]
fn init_then_build_highlights_every_kind() {
    for (lang, page, words) in [
        ("de", "beispiel", "das längste Radwegenetz des Landes"),
        ("en", "example", "the longest cycle network in the"),
        ("fr", "exemple", "le plus long réseau cyclable"),
        ("es", "ejemplo", "la red de carriles bici"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        gloss(tmp.path())
            .args(["init", "site", "--lang", lang])
            .assert()
            .success();
        let site = tmp.path().join("site");
        let toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
        assert!(toml.contains(&format!("language = \"{lang}\"")), "{toml}");
        gloss(&site).arg("build").assert().success();
        let html = std::fs::read_to_string(site.join(format!("public/{page}/index.html"))).unwrap();
        let found = marks(&html);
        for kind in ["claim-", "quote-", "figure-", "note-", "correction-"] {
            assert!(
                found.iter().any(|(id, _)| id.starts_with(kind)),
                "{lang}: no highlight {kind} in {found:?}"
            );
        }
        assert!(
            found.iter().any(|(_, text)| text.contains(words)),
            "{lang}: {found:?}"
        );
        gloss(&site)
            .arg("check")
            .assert()
            .success()
            .stdout(contains(
                "5 annotations: 5 exact, 0 moved, 0 orphaned; 0 errors, 0 warnings",
            ));
    }
}

/// The text a reader sees on a page, its tags removed.
fn visible(html: &str) -> String {
    Html::parse_document(html)
        .root_element()
        .text()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn init_in_french_and_spanish_makes_pages_in_that_language() {
    for (lang, page, words, people) in [
        (
            "fr",
            "exemple",
            ["Affirmé par", "Plutôt faux", "Citation"],
            "1 Citation · 1 Affirmation",
        ),
        (
            "es",
            "ejemplo",
            ["Afirmado por", "Mayormente falso", "Cita"],
            "1 Cita · 1 Afirmación",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        gloss(tmp.path())
            .args(["init", "site", "--lang", lang])
            .assert()
            .success();
        let site = tmp.path().join("site");
        gloss(&site).arg("build").assert().success();
        let html = std::fs::read_to_string(site.join(format!("public/{page}/index.html"))).unwrap();
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
        let text = visible(&html);
        for w in words {
            assert!(text.contains(w), "{lang}: no {w:?} in {text}");
        }
        let people_page = std::fs::read_to_string(site.join("public/people/index.html")).unwrap();
        assert!(
            visible(&people_page).contains(people),
            "{lang}: {people_page}"
        );
        // A new article in that site starts from that language's template.
        gloss(&site)
            .args(["new", "deux", "--title", "Deux"])
            .assert()
            .success();
        let new = std::fs::read_to_string(site.join("content/deux.md")).unwrap();
        let comment = if lang == "fr" {
            "# Annotations : retirez le `#`"
        } else {
            "# Anotaciones: quite el `#`"
        };
        assert!(new.contains(comment), "{lang}: {new}");
        gloss(&site).arg("build").assert().success();
    }
}

#[test]
fn init_names_the_languages_gloss_has() {
    let tmp = tempfile::tempdir().unwrap();
    let mut out = gloss(tmp.path())
        .args(["init", "site", "--lang", "it"])
        .assert()
        .failure()
        .stderr(contains("gloss has no words for the language `it`"));
    for lang in gloss::lang::Lang::all() {
        out = out.stderr(contains(format!("`{}`", lang.code())));
    }
    assert!(!tmp.path().join("site").exists());
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    gloss(tmp.path())
        .arg("init")
        .assert()
        .failure()
        .stderr(contains("the folder is not empty"))
        .stderr(contains("`notes.txt`"));
    assert!(!tmp.path().join("site.toml").exists());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn init_writes_into_the_current_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    gloss(tmp.path()).arg("init").assert().success();
    assert!(tmp.path().join("site.toml").is_file());
    assert!(tmp.path().join("content/beispiel.md").is_file());
}

#[test]
fn new_fills_front_matter_and_builds_as_is() {
    let tmp = tempfile::tempdir().unwrap();
    gloss(tmp.path())
        .args(["init", "--lang", "en"])
        .assert()
        .success();
    gloss(tmp.path())
        .args([
            "new",
            "2024/council-vote",
            "--title",
            "Council \"votes\" \\ again",
        ])
        .assert()
        .success();
    let path = tmp.path().join("content/2024/council-vote.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let today = jiff::ZonedDateTime::now().date().to_string();
    assert!(text.contains(&format!("date = {today}")), "{text}");
    assert!(text.contains("lang = \"en\""), "{text}");
    for kind in ["claim", "quote", "figure", "note", "correction"] {
        assert!(text.contains(&format!("# [[{kind}]]")), "{kind}: {text}");
    }
    gloss(tmp.path()).arg("build").assert().success();
    let html =
        std::fs::read_to_string(tmp.path().join("public/2024/council-vote/index.html")).unwrap();
    assert!(
        html.contains("Council &quot;votes&quot; \\ again"),
        "{html}"
    );
    gloss(tmp.path()).arg("check").assert().success();
}

#[test]
fn new_takes_the_title_from_the_file_name_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    gloss(tmp.path()).arg("init").assert().success();
    gloss(tmp.path())
        .args(["new", "content/stadtrat-tagt.md"])
        .assert()
        .success();
    let path = tmp.path().join("content/stadtrat-tagt.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("title = \"Stadtrat tagt\""), "{text}");
    assert!(text.contains("lang = \"de\""), "{text}");
    std::fs::write(&path, "edited").unwrap();
    gloss(tmp.path())
        .args(["new", "stadtrat-tagt"])
        .assert()
        .failure()
        .stderr(contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited");
    gloss(tmp.path())
        .args(["new", "../outside"])
        .assert()
        .failure()
        .stderr(contains("inside the content folder"));
    assert!(!tmp.path().join("outside.md").exists());
    for folder in [".", "content/.", "content/"] {
        gloss(tmp.path())
            .args(["new", folder])
            .assert()
            .failure()
            .stderr(contains("names a folder, not a file"));
    }
    assert!(!tmp.path().join("content.md").exists());
}

#[test]
fn new_makes_a_slug_of_the_words_keeps_them_as_title_and_makes_bundles() {
    let tmp = tempfile::tempdir().unwrap();
    gloss(tmp.path())
        .args(["init", "--lang", "en"])
        .assert()
        .success();
    gloss(tmp.path())
        .args(["new", "2026/Harbour Bridge"])
        .assert()
        .success()
        .stderr(contains("content/2026/harbour-bridge.md"));
    let text = std::fs::read_to_string(tmp.path().join("content/2026/harbour-bridge.md")).unwrap();
    assert!(text.contains("title = \"Harbour Bridge\""), "{text}");
    gloss(tmp.path())
        .args(["new", "2026/x/"])
        .assert()
        .success();
    let text = std::fs::read_to_string(tmp.path().join("content/2026/x/index.md")).unwrap();
    assert!(text.contains("title = \"X\""), "{text}");
    // --lang: the article's language, and its comments in it.
    gloss(tmp.path())
        .args(["new", "2026/pont", "--lang", "fr"])
        .assert()
        .success();
    let text = std::fs::read_to_string(tmp.path().join("content/2026/pont.md")).unwrap();
    assert!(text.contains("lang = \"fr\""), "{text}");
    let french = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/scaffold/new.fr.md"),
    )
    .unwrap();
    let comment = french.lines().find(|l| l.starts_with("# ")).unwrap();
    assert!(text.contains(comment), "{text}");
    gloss(tmp.path())
        .args(["new", "2026/y", "--lang", "xx-bogus"])
        .assert()
        .failure()
        .stderr(contains("--lang"));
    gloss(tmp.path()).arg("build").assert().success();
    assert!(
        tmp.path()
            .join("public/2026/harbour-bridge/index.html")
            .exists()
    );
    assert!(tmp.path().join("public/2026/x/index.html").exists());
    let html = std::fs::read_to_string(tmp.path().join("public/2026/pont/index.html")).unwrap();
    assert!(html.contains("lang=\"fr\""), "{html}");
}

#[test]
fn the_generated_settings_name_no_file_the_site_does_not_have() {
    for lang in ["de", "en", "fr", "es"] {
        let tmp = tempfile::tempdir().unwrap();
        gloss(tmp.path())
            .args(["init", "--lang", lang])
            .assert()
            .success();
        let toml = std::fs::read_to_string(tmp.path().join("site.toml")).unwrap();
        // Every file name in it (a word ending in .md, .toml, .html, …) is a file of the site.
        for word in
            toml.split(|c: char| c.is_whitespace() || matches!(c, '"' | '(' | ')' | '`' | ','))
        {
            let word = word.trim_end_matches(['.', ':', ';']);
            let is_file = [".md", ".toml", ".html", ".css", ".js"]
                .iter()
                .any(|e| word.ends_with(e));
            if is_file {
                assert!(
                    tmp.path().join(word).exists(),
                    "{lang}: site.toml names {word}"
                );
            }
        }
        // Its commented examples are valid settings.
        let uncommented = toml
            .replace("# [share]", "[share]")
            .replace("# image", "image");
        let image = uncommented
            .lines()
            .find_map(|l| l.strip_prefix("image = \""))
            .unwrap()
            .trim_end_matches('"')
            .to_string();
        std::fs::create_dir_all(tmp.path().join("static")).unwrap();
        std::fs::write(tmp.path().join("static").join(&image), "png").unwrap();
        std::fs::write(tmp.path().join("site.toml"), uncommented).unwrap();
        gloss(tmp.path()).arg("build").assert().success();
    }
}

#[test]
fn new_needs_a_site() {
    let tmp = tempfile::tempdir().unwrap();
    gloss(tmp.path())
        .args(["new", "x"])
        .assert()
        .failure()
        .stderr(contains("no site.toml"));
}
