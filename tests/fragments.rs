//! Snapshots (insta) of the fragments an article page is made of, as `gloss build` writes
//! them: the body with every kind of highlight, a margin note, a figure's note and the
//! figures panel. A change to any of them shows as a diff to review (`cargo insta review`,
//! or `INSTA_UPDATE=always cargo test --test fragments` and read the `.snap` diff).
mod common;

use common::*;

/// Every annotation kind, figures of every shape (approximate, a range, a date whose year
/// is inferred), a registered speaker's alias and raw HTML beside the highlights.
const ARTICLE: &str = include_str!("fixtures/every_kind.md");

const SITE: &str = "title = \"Testseite\"\nlanguage = \"de\"\nbase_url = \"https://example.org/t\"\n\
    [[person]]\nname = \"Sam Altman\"\nrole = \"CEO von OpenAI\"\naliases = [\"Sam Altmann\"]\n";

/// The outer HTML of the first element matching `selector`, one element per line for
/// readable diffs.
fn fragment(html: &str, selector: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    let el = doc
        .select(&sel)
        .next()
        .unwrap_or_else(|| panic!("no {selector}"));
    el.html().replace("><", ">\n<")
}

fn page() -> String {
    let dir = site(&[("site.toml", SITE), ("content/2019/alles.md", ARTICLE)]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    read(dir.path(), "public/2019/alles/index.html")
}

#[test]
fn article_fragments() {
    let page = page();
    insta::assert_snapshot!("body", fragment(&page, ".gl-body"));
    insta::assert_snapshot!("margin_note", fragment(&page, "li.gl-entry-note"));
    insta::assert_snapshot!("figure_note", fragment(&page, "li.gl-entry-figure"));
    insta::assert_snapshot!("claim_note", fragment(&page, "li.gl-entry-claim"));
    insta::assert_snapshot!("figures_panel", fragment(&page, ".gl-figures"));
}
