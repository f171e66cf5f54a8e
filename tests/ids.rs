//! Annotation ids are what readers and other sites link to (`…/#claim-…`): they never move
//! to other words, the old ones keep reaching their words, and every change is said.
mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use common::*;

/// Every id in the article's body and the words its highlight covers: a highlight's id,
/// and each old id kept as an empty anchor at the highlight's start.
fn targets(html: &str) -> BTreeMap<String, String> {
    let doc = scraper::Html::parse_document(html);
    let body = scraper::Selector::parse(".gl-body .gl[id], .gl-body .gl-alias").unwrap();
    let words = |gl: &str| -> String {
        let sel = scraper::Selector::parse(&format!(".gl-body .gl[data-gl=\"{gl}\"]")).unwrap();
        doc.select(&sel)
            .map(|e| e.text().collect::<String>())
            .collect::<String>()
    };
    let mut out = BTreeMap::new();
    for e in doc.select(&body) {
        let id = e.value().attr("id").unwrap().to_string();
        // Figures found in the text are numbered in reading order; they are not annotations.
        if id.starts_with("fig-") {
            continue;
        }
        let gl = match e.value().attr("data-gl") {
            Some(gl) => gl.to_string(),
            None => {
                assert!(e.value().classes().any(|c| c == "gl-alias"), "{id}: {html}");
                let parent = scraper::ElementRef::wrap(e.parent().unwrap()).unwrap();
                parent.value().attr("data-gl").unwrap().to_string()
            }
        };
        out.insert(id, words(&gl));
    }
    out
}

/// Fails on an id the page holds twice.
fn assert_unique_ids(html: &str) {
    let doc = scraper::Html::parse_document(html);
    let all = scraper::Selector::parse("[id]").unwrap();
    let mut seen = HashSet::new();
    for e in doc.select(&all) {
        let id = e.value().attr("id").unwrap();
        assert!(seen.insert(id.to_string()), "id `{id}` twice: {html}");
    }
}

fn claim(words: &str) -> String {
    format!("[[claim]]\ntext = \"{words}\"\nby = \"@article\"\nverdict = \"true\"\n")
}

fn write(dir: &Path, claims: &[&str], body: &str) {
    let front: String = claims.iter().map(|c| claim(c)).collect();
    std::fs::write(dir.join("content/a.md"), article(&front, body)).unwrap();
}

/// Builds and returns the page's targets and the build's messages.
fn build(dir: &Path) -> (BTreeMap<String, String>, String) {
    build_page(dir, "public/a/index.html")
}

/// Builds and returns the targets of the page `page` and the build's messages.
fn build_page(dir: &Path, page: &str) -> (BTreeMap<String, String>, String) {
    let out = gloss(dir, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir, page);
    assert_unique_ids(&html);
    (targets(&html), stderr(&out))
}

/// The record of published ids, which the site commits.
const RECORD: &str = "published-ids.jsonl";

/// Every id of `before` that `after` still has reaches the same words.
fn same_words(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) {
    for (id, words) in before {
        if let Some(now) = after.get(id) {
            assert_eq!(now, words, "`#{id}` now reaches other words");
        }
    }
}

#[test]
fn published_ids_keep_their_words_when_claims_are_inserted_reordered_and_removed() {
    let dir = site(&[("content/a.md", "")]);
    let p = dir.path();
    write(
        p,
        &["Eins ist eins", "Zwei ist zwei", "Drei ist drei"],
        "Eins ist eins. Zwei ist zwei. Drei ist drei.\n",
    );
    let (first, log) = build(p);
    assert!(!log.contains("warning"), "{log}");
    assert_eq!(first["claim-eins-ist-eins"], "Eins ist eins");
    // The positional ids earlier versions published keep their words too.
    assert_eq!(first["claim-1"], "Eins ist eins");
    assert_eq!(first["claim-2"], "Zwei ist zwei");

    // A claim above the others: nothing moves.
    write(
        p,
        &[
            "Null ist null",
            "Eins ist eins",
            "Zwei ist zwei",
            "Drei ist drei",
        ],
        "Null ist null. Eins ist eins. Zwei ist zwei. Drei ist drei.\n",
    );
    let (inserted, log) = build(p);
    assert!(!log.contains("warning"), "{log}");
    same_words(&first, &inserted);
    assert_eq!(inserted.len(), first.len() + 1, "{inserted:?}");
    assert_eq!(inserted["claim-null-ist-null"], "Null ist null");
    assert_eq!(inserted["claim-1"], "Eins ist eins");

    // Reordered, in the front matter and in the text.
    write(
        p,
        &[
            "Drei ist drei",
            "Zwei ist zwei",
            "Eins ist eins",
            "Null ist null",
        ],
        "Drei ist drei. Zwei ist zwei. Eins ist eins. Null ist null.\n",
    );
    let (reordered, log) = build(p);
    assert!(!log.contains("warning"), "{log}");
    same_words(&inserted, &reordered);
    assert_eq!(reordered.len(), inserted.len());

    // One removed: said, with every id it had; the others stay.
    write(
        p,
        &["Drei ist drei", "Eins ist eins", "Null ist null"],
        "Drei ist drei. Eins ist eins. Null ist null.\n",
    );
    let (removed, log) = build(p);
    assert!(
        log.contains(
            "warning: the claim published as `#claim-zwei-ist-zwei`, `#claim-2` („Zwei ist zwei“, line 21 at the last build) is gone"
        ),
        "{log}"
    );
    same_words(&reordered, &removed);
    assert!(!removed.contains_key("claim-2") && removed.len() == reordered.len() - 2);

    // Words edited: a new default id, the old one kept as an anchor, and the fix said.
    write(
        p,
        &["Drei ist drei", "Eins ist genau eins", "Null ist null"],
        "Drei ist drei. Eins ist genau eins. Null ist null.\n",
    );
    let check = gloss(p, &["check"]);
    let said = stdout(&check);
    let (edited, log) = build(p);
    for out in [&said, &log] {
        assert!(
            out.contains("warning: this claim was published as `#claim-eins-ist-eins` and is now `#claim-eins-ist-genau-eins`"),
            "{out}"
        );
        assert!(
            out.contains("write `id = \"claim-eins-ist-eins\"` in this [[claim]]"),
            "{out}"
        );
    }
    assert_eq!(edited["claim-eins-ist-eins"], "Eins ist genau eins");
    assert_eq!(edited["claim-1"], "Eins ist genau eins");
    assert_eq!(edited["claim-eins-ist-genau-eins"], "Eins ist genau eins");

    // The editor takes the advice: the old id is the id again, and the newer one stays.
    std::fs::write(
        p.join("content/a.md"),
        article(
            &format!(
                "{}[[claim]]\ntext = \"Eins ist genau eins\"\nid = \"claim-eins-ist-eins\"\nby = \"@article\"\nverdict = \"true\"\n{}",
                claim("Drei ist drei"),
                claim("Null ist null")
            ),
            "Drei ist drei. Eins ist genau eins. Null ist null.\n",
        ),
    )
    .unwrap();
    let (kept, log) = build(p);
    same_words(&edited, &kept);
    assert_eq!(kept.len(), edited.len(), "{kept:?}");
    let html = read(p, "public/a/index.html");
    assert!(html.contains("data-gl=\"claim-eins-ist-eins\""), "{html}");
    // Rebuilt once more: nothing more to say.
    let (_, again) = build(p);
    assert!(!again.contains("warning"), "{log}\n{again}");
}

#[test]
fn an_anchor_that_lands_in_another_passage_is_reported_moved() {
    let front = "[[note]]\ntext = \"1 Milliarde\"\noccurrence = 2\nnote = \"n\"\n";
    let dir = site(&[(
        "content/a.md",
        &article(
            front,
            "Microsoft gab 1 Milliarde.\n\nDie Stadt plant 1 Milliarde für Schulen.\n",
        ),
    )]);
    let p = dir.path();
    let (before, _) = build(p);
    assert_eq!(before["note-1-milliarde"], "1 Milliarde");
    // The same words, added further up: `occurrence = 2` now picks the first passage.
    std::fs::write(
        p.join("content/a.md"),
        article(
            front,
            "Es geht um 1 Milliarde.\n\nMicrosoft gab 1 Milliarde.\n\nDie Stadt plant 1 Milliarde für Schulen.\n",
        ),
    )
    .unwrap();
    let check = gloss(p, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(v["anchors"][0]["state"], "moved", "{v}");
    assert_eq!(v["summary"]["moved"], 1, "{v}");
    let text = stdout(&gloss(p, &["check"]));
    let out = gloss(p, &["build"]);
    assert!(out.status.success());
    let log = stderr(&out);
    for said in [&text, &log] {
        assert!(
            said.contains(
                "content/a.md:5:8: warning: this note's words now stand in another passage than at the last build: on line 11 „…um 1 Milliarde. Microsoft gab [1 Milliarde]. Die Stadt plant 1 Milliarde…“, where they stood on line 11 „…1 Milliarde. Die Stadt plant [1 Milliarde] für Schulen.…“; that passage is still there, now on line 13"
            ),
            "{said}"
        );
    }
    // Said on the build that moved it; after that, the new passage is the known one.
    std::fs::write(
        p.join("content/a.md"),
        article(
            front,
            "Es geht um 1 Milliarde.\n\nMicrosoft gab 1 Milliarde.\n\nDie Stadt plant 1 Milliarde für Schulen!\n",
        ),
    )
    .unwrap();
    let (_, log) = build(p);
    assert!(!log.contains("another passage"), "{log}");
}

#[test]
fn a_bad_id_stops_the_build_at_its_place() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[claim]]\ntext = \"Eins\"\nverdict = \"true\"\nid = \"gl-pop\"\n",
            "Eins.\n",
        ),
    )]);
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/a.md:7:6: error: `gl-pop` cannot be an id: ids starting with `gl-` are gloss's own"),
        "{err}"
    );
    assert!(err.contains("write `id = \"claim-gl-pop\"`"), "{err}");
    assert!(!dir.path().join("public").exists());
}

#[test]
fn a_preview_keeps_published_ids_but_records_nothing() {
    let dir = site(&[("content/a.md", "")]);
    let p = dir.path();
    write(p, &["Eins ist eins"], "Eins ist eins.\n");
    let preview = tempfile::tempdir().unwrap();
    let opts = gloss::build::BuildOptions {
        out: Some(preview.path().join("out")),
        preview: true,
        ..Default::default()
    };
    gloss::build::build(p, &opts).unwrap();
    let recorded = || p.join(RECORD).exists();
    assert!(!recorded(), "a preview published nothing");
    let check = gloss(p, &["check"]);
    assert!(check.status.success(), "{}", stdout(&check));
    assert!(!recorded(), "a check published nothing");
    build(p);
    assert!(recorded());
    // Neither a preview nor a check touches the record once there is one.
    let record = std::fs::read(p.join(RECORD)).unwrap();
    write(p, &["Eins ist anders"], "Eins ist anders.\n");
    gloss::build::build(p, &opts).unwrap();
    gloss(p, &["check"]);
    assert_eq!(std::fs::read(p.join(RECORD)).unwrap(), record);
    // Previewed after an edit: the published id is still an anchor, and still remembered.
    write(p, &["Eins ist genau eins"], "Eins ist genau eins.\n");
    let report = gloss::build::build(p, &opts).unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message.contains("published as `#claim-eins-ist-eins`")),
        "{:?}",
        report.warnings
    );
    let (_, log) = build(p);
    assert!(log.contains("published as `#claim-eins-ist-eins`"), "{log}");
}

#[test]
fn published_ids_survive_a_fresh_checkout() {
    let dir = site(&[("content/a.md", "")]);
    let p = dir.path();
    write(
        p,
        &["Eins ist eins", "Zwei ist zwei"],
        "Eins ist eins. Zwei ist zwei.\n",
    );
    let (first, _) = build(p);
    assert_eq!(first["claim-2"], "Zwei ist zwei");
    let record = std::fs::read_to_string(p.join(RECORD)).unwrap();
    assert!(record.contains("\"article\":\"content/a.md\""), "{record}");

    // CI checks the site out afresh: no cache, no output, only what is committed.
    std::fs::remove_dir_all(p.join(".gloss-cache")).unwrap();
    std::fs::remove_dir_all(p.join("public")).unwrap();
    // A claim inserted above, and the second one's words edited.
    write(
        p,
        &["Null ist null", "Eins ist eins", "Zwei ist genau zwei"],
        "Null ist null. Eins ist eins. Zwei ist genau zwei.\n",
    );
    let (after, log) = build(p);
    assert_eq!(after["claim-1"], "Eins ist eins");
    assert_eq!(after["claim-2"], "Zwei ist genau zwei");
    assert_eq!(after["claim-eins-ist-eins"], "Eins ist eins");
    assert_eq!(after["claim-zwei-ist-zwei"], "Zwei ist genau zwei");
    assert!(
        log.contains("warning: this claim was published as `#claim-zwei-ist-zwei` and is now `#claim-zwei-ist-genau-zwei`"),
        "{log}"
    );
    assert!(
        log.contains("write `id = \"claim-zwei-ist-zwei\"` in this [[claim]]"),
        "{log}"
    );
    // The inserted claim has its own id and nothing else.
    let null: Vec<&String> = after
        .iter()
        .filter(|(_, words)| *words == "Null ist null")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(null, ["claim-null-ist-null"]);
}

#[test]
fn a_site_with_a_record_gives_no_positional_ids_it_never_published() {
    let dir = site(&[("content/a.md", "")]);
    let p = dir.path();
    write(p, &["Eins ist eins"], "Eins ist eins.\n");
    build(p);
    assert!(p.join(RECORD).exists());

    // An article added since: its positions were never published.
    let front = format!("{}{}", claim("Eins ist eins"), claim("Zwei ist zwei"));
    std::fs::write(
        p.join("content/b.md"),
        article(&front, "Eins ist eins. Zwei ist zwei.\n"),
    )
    .unwrap();
    let (added, _) = build_page(p, "public/b/index.html");
    assert!(
        !added.contains_key("claim-1") && !added.contains_key("claim-2"),
        "{added:?}"
    );

    // An article whose line the record lost (say, in a merge): `claim-2` may have been
    // published for other words than those second now, so it is given to none.
    let (a, _) = build(p);
    assert_eq!(a["claim-1"], "Eins ist eins");
    let record = std::fs::read_to_string(p.join(RECORD)).unwrap();
    let kept: String = record
        .lines()
        .filter(|l| !l.contains("\"content/a.md\""))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(kept, record);
    std::fs::write(p.join(RECORD), kept).unwrap();
    write(
        p,
        &["Null ist null", "Eins ist eins"],
        "Null ist null. Eins ist eins.\n",
    );
    let (inserted, _) = build(p);
    assert!(
        !inserted.contains_key("claim-1") && !inserted.contains_key("claim-2"),
        "{inserted:?}"
    );
}

#[test]
fn an_unchanged_rebuild_leaves_the_record_as_it_was() {
    let dir = site(&[("content/a.md", ""), ("content/b.md", "")]);
    let p = dir.path();
    for name in ["a", "b"] {
        std::fs::write(
            p.join(format!("content/{name}.md")),
            article(
                &format!("{}{}", claim("Eins ist eins"), claim("Zwei ist zwei")),
                "Eins ist eins. Zwei ist zwei.\n",
            ),
        )
        .unwrap();
    }
    build(p);
    let before = read(p, RECORD);
    let lines: Vec<&str> = before.lines().collect();
    assert_eq!(lines.len(), 3, "a header, then one line an article");
    assert!(lines[1].contains("content/a.md") && lines[2].contains("content/b.md"));
    #[cfg(unix)]
    let inode = || std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p.join(RECORD)).unwrap());
    #[cfg(unix)]
    let first = inode();
    // Unchanged, and then built from nothing (every article anchored again): the same
    // record, not even written again.
    build(p);
    std::fs::remove_dir_all(p.join(".gloss-cache")).unwrap();
    std::fs::remove_dir_all(p.join("public")).unwrap();
    build(p);
    assert_eq!(read(p, RECORD), before);
    #[cfg(unix)]
    assert_eq!(inode(), first, "the record was written again");
    // Deleted while the cache knows every article: the next build anchors them all again,
    // so that the record it writes is whole.
    std::fs::remove_file(p.join(RECORD)).unwrap();
    build(p);
    assert_eq!(read(p, RECORD), before);
}

#[test]
fn a_damaged_record_stops_the_build_at_its_place() {
    let dir = site(&[("content/a.md", "")]);
    let p = dir.path();
    write(p, &["Eins ist eins"], "Eins ist eins.\n");
    build(p);
    let record = std::fs::read_to_string(p.join(RECORD)).unwrap();
    std::fs::remove_dir_all(p.join("public")).unwrap();
    std::fs::write(p.join(RECORD), record.replace("\"id\":", "\"id\"")).unwrap();
    let out = gloss(p, &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("published-ids.jsonl:2:") && err.contains("is damaged: expected `:`"),
        "{err}"
    );
    assert!(err.contains("git checkout -- published-ids.jsonl"), "{err}");
    assert!(!p.join("public").exists());
    let check = stdout(&gloss(p, &["check"]));
    assert!(check.contains("published-ids.jsonl:2:"), "{check}");

    // Two branches' builds, merged with a conflict.
    std::fs::write(
        p.join(RECORD),
        format!("{}<<<<<<< HEAD\n=======\n>>>>>>> other\n", record),
    )
    .unwrap();
    let err = stderr(&gloss(p, &["build"]));
    assert!(
        err.contains(
            "published-ids.jsonl:3:1: error: `published-ids.jsonl` holds a merge conflict"
        ),
        "{err}"
    );
}
