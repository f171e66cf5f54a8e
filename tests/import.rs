//! `gloss import`: W3C Web Annotations into an article's front matter.
mod common;

use std::path::Path;

use common::{gloss, read, site, stderr};

const SEED: &str = "content/2019/microsoft-openai.md";

/// The repository's own site (its configuration, people and seed article) in a temp folder.
fn seed_site() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = |p: &str| std::fs::read_to_string(repo.join(p)).unwrap();
    let mut files = vec![
        ("site.toml".to_string(), text("site.toml")),
        ("people.toml".to_string(), text("people.toml")),
    ];
    for entry in walkdir::WalkDir::new(repo.join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(repo)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            files.push((rel.clone(), text(&rel)));
        }
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    site(&files)
}

/// `file` without any annotation tables, everything else kept.
fn without_annotations(file: &str) -> String {
    let start = file.find('\n').unwrap() + 1;
    let end = start + file[start..].find("\n+++\n").unwrap() + 1;
    let mut doc: toml_edit::DocumentMut = file[start..end].parse().unwrap();
    for kind in ["claim", "quote", "note", "figure", "correction"] {
        doc.remove(kind);
    }
    format!("{}{}{}", &file[..start], doc, &file[end..])
}

fn annotations(file: &str) -> toml::Table {
    let start = file.find('\n').unwrap() + 1;
    let end = start + file[start..].find("\n+++\n").unwrap() + 1;
    toml::from_str(&file[start..end]).unwrap()
}

#[test]
fn the_seed_articles_own_export_imported_into_a_bare_copy_gives_back_its_annotations() {
    let dir = seed_site();
    let root = dir.path();
    let out = gloss(root, &["build", "--out", "first"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let export_path = "first/2019/microsoft-openai/annotations.jsonld";
    let export = read(root, export_path);
    let original = read(root, SEED);
    let bare = without_annotations(&original);
    std::fs::write(root.join(SEED), &bare).unwrap();

    let out = gloss(root, &["import", export_path, "--into", SEED]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("not imported"), "{}", stderr(&out));
    let imported = read(root, SEED);
    // The body and the front matter's own keys are untouched.
    assert!(imported.starts_with(&bare[..bare.find("\n+++\n").unwrap()]));
    assert!(imported.ends_with(&original[original.find("\n+++\n").unwrap()..]));

    // What the export carries comes back key for key.
    let (was, now) = (annotations(&original), annotations(&imported));
    let carried = [
        "text",
        "verdict",
        "conclusion",
        "note",
        "speaker",
        "role",
        "correct",
        "by",
    ];
    for kind in ["claim", "quote", "note", "correction"] {
        let was = was[kind].as_array().unwrap();
        let now = now[kind].as_array().unwrap();
        assert_eq!(was.len(), now.len(), "{kind}");
        for (w, n) in was.iter().zip(now) {
            for key in carried {
                let (wv, nv) = (w.get(key), n.get(key));
                let trim = |v: Option<&toml::Value>| {
                    v.and_then(|v| v.as_str()).map(|s| s.trim().to_string())
                };
                // `@article` without a source names nobody in the export.
                if key == "by" && trim(wv).as_deref() == Some("@article") {
                    assert_eq!(nv, None);
                    continue;
                }
                assert_eq!(trim(wv), trim(nv), "{kind} {key} of {:?}", w.get("text"));
            }
            let urls = |v: &toml::Value| -> Vec<String> {
                v.get("sources")
                    .and_then(|s| s.as_array())
                    .map(|a| {
                        a.iter()
                            .map(|s| {
                                s.get("url")
                                    .and_then(|u| u.as_str())
                                    .unwrap_or_else(|| s.as_str().unwrap())
                                    .to_string()
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            };
            assert_eq!(urls(w), urls(n));
        }
    }
    // Figures: the two the export lists (an ignored one is not annotated on the page).
    let figures: Vec<&str> = now["figure"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert_eq!(figures, ["50 %", "22. Juli"]);

    // And the page's annotations, as any tool reads them, are the same.
    let out = gloss(root, &["build", "--out", "second"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let again = read(root, "second/2019/microsoft-openai/annotations.jsonld");
    let (a, b): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&export).unwrap(),
        serde_json::from_str(&again).unwrap(),
    );
    assert_eq!(a, b);
}

#[test]
fn a_hypothesis_export_maps_tags_and_reports_what_it_cannot_anchor() {
    let dir = site(&[(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 2019-07-24\n# kept\n+++\nDer Rat beschloss am Montag 40 Millionen Euro. Der Rat tagt.\n",
    )]);
    let hypothesis = r#"{"total": 4, "rows": [
      {"id": "h1", "text": "Laut *Protokoll*.", "tags": ["claim", "false"],
       "target": [{"source": "https://example.org/a/", "selector": [
         {"type": "RangeSelector", "startContainer": "/p[1]"},
         {"type": "TextPositionSelector", "start": 0, "end": 7},
         {"type": "TextQuoteSelector", "exact": "Der Rat", "prefix": "", "suffix": " beschloss am"}]}]},
      {"id": "https://example.org/a/#betrag", "text": "Ein Betrag.", "tags": ["figure"],
       "target": [{"selector": [{"type": "TextQuoteSelector", "exact": "40 Millionen Euro", "prefix": "am Montag ", "suffix": "."}]}]},
      {"id": "h3", "text": "Fehlt.", "tags": [],
       "target": [{"selector": [{"type": "TextQuoteSelector", "exact": "Der Rat tagte", "prefix": "", "suffix": ""}]}]},
      {"id": "h4", "text": "Eine Seitennotiz.", "tags": [], "target": [{"source": "https://example.org/a/"}]}
    ]}"#;
    std::fs::write(dir.path().join("h.json"), hypothesis).unwrap();
    let out = gloss(dir.path(), &["import", "h.json", "--into", "content/a.md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("h3") && err.contains("closest passage: “Der Rat tagt.”"),
        "{err}"
    );
    assert!(
        err.contains("h4") && err.contains("no TextQuoteSelector"),
        "{err}"
    );
    insta::assert_snapshot!(read(dir.path(), "content/a.md"));
    let check = gloss(dir.path(), &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn an_import_into_a_file_outside_content_is_refused() {
    let dir = site(&[(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 2019-07-24\n+++\nText.\n",
    )]);
    std::fs::write(dir.path().join("x.json"), "[]").unwrap();
    std::fs::write(
        dir.path().join("site.md"),
        "+++\ntitle = \"A\"\ndate = 2019-07-24\n+++\nText.\n",
    )
    .unwrap();
    let out = gloss(dir.path(), &["import", "x.json", "--into", "site.md"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("is not a `.md` file below `content/`"),
        "{}",
        stderr(&out)
    );
}
