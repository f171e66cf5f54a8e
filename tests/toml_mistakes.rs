//! The TOML mistakes editors make, each a located error in their words with the fix.
mod common;

use common::*;

/// The build's error output for an article with front matter `front` (the lines after `+++`).
fn error_for(front: &str) -> String {
    let dir = site(&[("content/a.md", &format!("+++\n{front}+++\nSatz.\n"))]);
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    assert!(!dir.path().join("public").exists());
    stderr(&out)
}

#[test]
fn a_single_bracket_annotation_table_says_to_write_two() {
    let one = "title = \"A\"\ndate = 2019-07-24\n[quote]\ntext = \"Satz\"\nspeaker = \"X\"\n";
    let err = error_for(one);
    assert!(
        err.contains("content/a.md:4:1: error: `[quote]` is one table; each quote is written `[[quote]]`, with two brackets"),
        "{err}"
    );
    assert!(err.contains("help: write `[[quote]]` here"), "{err}");
    // Two of them: TOML sees the second as a duplicate; the message is the same, at the second.
    let err = error_for(&format!("{one}[quote]\ntext = \"Satz\"\nspeaker = \"Y\"\n"));
    assert!(
        err.contains(
            "content/a.md:7:2: error: `[quote]` is one table; each quote is written `[[quote]]`"
        ),
        "{err}"
    );
    assert!(!err.contains("duplicate key"), "{err}");
}

#[test]
fn a_key_set_twice_is_named() {
    let err = error_for("title = \"A\"\ntitle = \"B\"\ndate = 2019-07-24\n");
    assert!(
        err.contains("content/a.md:3:1: error: `title` is set twice"),
        "{err}"
    );
}

#[test]
fn a_date_as_readers_write_it_gets_the_iso_form() {
    for (written, col) in [("18.11.2026", 13), ("18/11/2026", 8)] {
        let err = error_for(&format!("title = \"A\"\ndate = {written}\n"));
        assert!(
            err.contains(&format!(
                "content/a.md:3:{col}: error: `{written}` is not a date TOML can read"
            )),
            "{err}"
        );
        assert!(
            err.contains("help: write `date = 2026-11-18` (year-month-day)"),
            "{err}"
        );
    }
    // In quotes TOML reads it, as text; gloss then says which date to write.
    let err = error_for("title = \"A\"\ndate = \"24.07.2019\"\n");
    assert!(
        err.contains("content/a.md:3:8: error: `date` is not a date"),
        "{err}"
    );
    assert!(err.contains("help: write `date = 2019-07-24`"), "{err}");
}

#[test]
fn a_number_where_text_is_wanted_says_to_quote_it() {
    let err = error_for(
        "title = \"A\"\ndate = 2019-07-24\n[[figure]]\ntext = \"Satz\"\nvalue = 96000000\n",
    );
    assert!(
        err.contains("content/a.md:6:9: error: `value` is written as text, but this is a number"),
        "{err}"
    );
    assert!(
        err.contains("help: put it in quotes: `value = \"96000000\"`"),
        "{err}"
    );
}

#[test]
fn a_list_or_table_left_open_says_what_is_missing() {
    let err = error_for("title = \"A\"\ndate = 2019-07-24\ntags = [\"a\", \"b\"\n");
    assert!(
        err.contains("content/a.md:4:17: error: this list is never closed: `]` is missing"),
        "{err}"
    );
    let err = error_for("title = \"A\"\ndate = 2019-07-24\nsource = { name = \"X\"\n");
    assert!(
        err.contains("content/a.md:4:22: error: this table is never closed: `}` is missing"),
        "{err}"
    );
    let err = error_for("title = \"A\"\ndate = 2019-07-24\n[[quote]\ntext = \"Satz\"\n");
    assert!(
        err.contains("content/a.md:4:9: error: this table header is never closed: `]]` is missing"),
        "{err}"
    );
}

#[test]
fn yaml_front_matter_is_recognised_and_the_toml_shown() {
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: Ein Artikel\ndate: 2019-07-24\ndraft: false\n---\nSatz.\n",
    )]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(
        err.contains("content/a.md:1:1: error: the front matter is YAML (`---`); gloss reads TOML between `+++` lines"),
        "{err}"
    );
    assert!(
        err.contains("`title = \"Ein Artikel\"`, `date = 2019-07-24`, `draft = false`"),
        "{err}"
    );
}

#[test]
fn a_misspelt_key_in_site_toml_is_located_too() {
    let dir = site(&[(
        "site.toml",
        "title = \"T\"\n[check]\nrequire_archiv = true\n",
    )]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(
        err.contains(
            "site.toml:3:1: error: unknown key `require_archiv`, did you mean `require_archive`?"
        ),
        "{err}"
    );
}
