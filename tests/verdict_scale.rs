//! A site's own verdict scale looks like what it means: colour and icon follow a verdict's
//! place on the scale, not its key.
mod common;
use common::*;

const CUSTOM: &str = "title = \"Desk\"\nlanguage = \"en\"\n\
    [[verdict]]\nkey = \"true\"\nlabel = \"True\"\nrating = 6\n\
    [[verdict]]\nkey = \"half-true\"\nlabel = \"Half true\"\nrating = 4\n\
    [[verdict]]\nkey = \"pants-on-fire\"\nlabel = \"Pants on fire\"\nrating = 1\n\
    [[verdict]]\nkey = \"satire\"\nlabel = \"Satire\"\n";

fn claim(verdict: &str) -> String {
    article(
        &format!("[[claim]]\ntext = \"the moon is cheese\"\nverdict = \"{verdict}\"\n"),
        "They said the moon is cheese.\n",
    )
}

/// The classes of the first element matching `selector`.
fn classes(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    let el = doc
        .select(&sel)
        .next()
        .unwrap_or_else(|| panic!("{selector}"));
    el.value().classes().map(str::to_string).collect()
}

/// The classes that carry a verdict's look (`gl-r-N`, and `gl-v-KEY` off the scale).
fn look(classes: &[String]) -> Vec<String> {
    let toned = classes.iter().any(|c| c.starts_with("gl-r-"));
    classes
        .iter()
        .filter(|c| c.starts_with("gl-r-") || (!toned && c.starts_with("gl-v-")))
        .cloned()
        .collect()
}

#[test]
fn the_lowest_custom_verdict_looks_like_false() {
    let default = site(&[("content/a.md", &claim("false"))]);
    let custom = site(&[
        ("site.toml", CUSTOM),
        ("content/a.md", &claim("pants-on-fire")),
    ]);
    for dir in [&default, &custom] {
        let out = gloss(dir.path(), &["build"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let page = |dir: &tempfile::TempDir| read(dir.path(), "public/a/index.html");
    let (d, c) = (page(&default), page(&custom));
    for selector in [
        "mark.gl-claim",
        "sup.gl-ref",
        ".gl-entry .gl-verdict",
        ".gl-glance .gl-verdict",
    ] {
        let (want, got) = (look(&classes(&d, selector)), look(&classes(&c, selector)));
        assert_eq!(want, ["gl-r-1"], "{selector}");
        assert_eq!(got, want, "{selector}");
    }
    let ledger = |dir: &tempfile::TempDir, v: &str| {
        let html = read(dir.path(), &format!("public/claims/{v}/index.html"));
        look(&classes(&html, "h1 .gl-verdict"))
    };
    assert_eq!(ledger(&custom, "pants-on-fire"), ledger(&default, "false"));
    let css = read(default.path(), "public/gloss.css");
    assert!(
        css.contains(".gl-verdict.gl-r-1::before { content: \"✗\""),
        "the theme styles the tone"
    );
}

#[test]
fn off_scale_verdicts_keep_their_own_look() {
    let dir = site(&[("site.toml", CUSTOM), ("content/a.md", &claim("satire"))]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/a/index.html");
    assert_eq!(look(&classes(&html, "mark.gl-claim")), ["gl-v-satire"]);
    let top = site(&[("site.toml", CUSTOM), ("content/a.md", &claim("true"))]);
    assert!(gloss(top.path(), &["build"]).status.success());
    let html = read(top.path(), "public/a/index.html");
    assert_eq!(look(&classes(&html, "mark.gl-claim")), ["gl-r-5"]);
}
