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

/// With the default `article.html`, the notes section is written in Rust
/// (`render::notes`); a site that overrides the template gets Tera's loop. Every page of a
/// site with every kind of note, claimant, speaker, source and hostile text is byte for
/// byte the same either way.
#[test]
fn notes_written_in_rust_are_the_bytes_tera_renders_from_article_html() {
    let hostile = "+++\ntitle = \"Die <Abgabe> & \\\"Fahrpreise\\\"\"\ndate = 2026-03-04\n\
        [[claim]]\ntext = \"Fahrpreise & Tarife\"\nclaim = \"Es <b>steigt</b> & 'fällt'\"\nby = \"O'Brien <script>\"\nverdict = \"false\"\nconclusion = \"\"\n\
        sources = [{ url = \"https://example.org/a?x=1&y=2\", title = \"Quelle \\\"A\\\" <1>\", date = \"März & April 2026\", archive = \"https://archive.example/a\", accessed = 2026-03-03 }, \"https://example.org/b\", { url = \"https://example.org/c\", accessed = 2026-01-02 }]\n\
        [[claim]]\ntext = \"zahlt\"\nby = \"@article\"\nverdict = \"unverified\"\nnote = \"[Haushalt](../../2019/alles/) und <em>mehr</em> <script>x</script>\"\n\
        [[claim]]\ntext = \"Mond\"\nby = \"Sam Altmann\"\nverdict = \"true\"\nconclusion = \"Stimmt & <so>.\"\n\
        [[quote]]\ntext = \"sagt sie\"\nspeaker = \"Jo <O'Neil>\"\nrole = \"<b>Chefin</b> & Co\"\n\
        [[quote]]\ntext = \"sagt nein\"\nspeaker = \"Jo <O'Neil>\"\n\
        [[quote]]\ntext = \"Ja\"\nspeaker = \"Jo\"\n\
        [[correction]]\ntext = \"Der\"\ncorrect = \"Die <x> & 'y'\"\nnote = \"Verwechselt.\"\n\
        [[figure]]\ntext = \"am 3. März 2026\"\n\
        [[figure]]\ntext = \"12 Prozent\"\nnote = \"Anteil & <Rest>.\"\n\
        +++\nDie Fahrpreise & Tarife, sagt sie. Der Mond zahlt 12 Prozent, am 3. März 2026. Sie sagt nein. Ja.\n";
    // Figures but no annotations: the glance box has only the key.
    let figures_only =
        "+++\ntitle = \"Zahlen\"\ndate = 2026-03-05\n+++\nEs kostet 5 Millionen Euro.\n";
    let files = [
        ("site.toml", SITE),
        ("content/2019/alles.md", ARTICLE),
        ("content/2026/b.md", hostile),
        ("content/2026/c.md", figures_only),
    ];
    let fast = site(&files);
    build_ok(fast.path());
    let tera = site(&files);
    // The same template, overridden: only Tera renders it.
    std::fs::create_dir_all(tera.path().join("templates")).unwrap();
    std::fs::write(
        tera.path().join("templates/article.html"),
        format!(
            "{}{{# the site's own #}}\n",
            include_str!("../templates/article.html")
        ),
    )
    .unwrap();
    build_ok(tera.path());
    let (fast, tera) = (
        snapshot(&fast.path().join("public")),
        snapshot(&tera.path().join("public")),
    );
    assert_eq!(
        fast.keys().collect::<Vec<_>>(),
        tera.keys().collect::<Vec<_>>()
    );
    let page = String::from_utf8_lossy(&fast["2026/c/index.html"]);
    assert!(
        page.contains("gl-glance") && !page.contains("gl-notes"),
        "{page}"
    );
    let page = String::from_utf8_lossy(&fast["2026/b/index.html"]);
    assert_eq!(
        page.matches(">Jo &lt;O&#39;Neil&gt;</a></li>").count(),
        1,
        "{page}"
    );
    for part in [
        "gl-entry-quote",
        "gl-entry-correction",
        "gl-source-meta",
        "gl-claim-link",
        "<time datetime=\"2026-03-03\">",
    ] {
        assert!(page.contains(part), "{part}: {page}");
    }
    for (path, bytes) in &fast {
        assert_eq!(
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&tera[path]),
            "{path}"
        );
    }
}
