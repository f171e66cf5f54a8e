//! Names filed under the registry everywhere: quotes, claimants, authors and translators, on
//! pages, listings, JSON-LD, the W3C export and in `check`; and corrections of every occurrence.
mod common;
use common::*;

const SITE: &str = "title = \"Desk\"\nlanguage = \"en\"\n\
    [[person]]\nname = \"Priya Raman\"\nrole = \"Analyst\"\naliases = [\"Priya Ramen\"]\n";

fn desk() -> tempfile::TempDir {
    let text = "+++\ntitle = \"Levy\"\ndate = 2026-01-02\nauthors = [\"priya  ramen\"]\n\
        translation = { from = \"de\", by = \"Priya Ramen\" }\n\
        [[claim]]\ntext = \"the levy doubles fares\"\nby = \"Priya Ramen\"\nverdict = \"false\"\n\
        [[quote]]\ntext = \"We will see\"\nspeaker = \"Priya  RAMEN\"\n+++\n\
        She says the levy doubles fares. \"We will see\", she said.\n";
    site(&[("site.toml", SITE), ("content/a.md", text)])
}

#[test]
fn claimants_speakers_authors_and_translators_are_filed_under_the_registry() {
    let dir = desk();
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(dir.path(), "public/a/index.html");
    // The note of the claim: registered name, linked to the person's page, as written beside it.
    let claimed = text_of(&page, ".gl-entry-claim .gl-note-more .gl-meta");
    assert_eq!(
        claimed,
        "Claimed by: Priya Raman (as written in the text: Priya Ramen)"
    );
    let quote = text_of(&page, ".gl-entry-quote .gl-note-gist p");
    assert_eq!(quote, "Priya Raman (as written in the text: Priya  RAMEN)");
    assert_eq!(
        text_of(&page, ".gl-glance .gl-inline li a:first-child"),
        "Priya Raman"
    );
    let doc = scraper::Html::parse_document(&page);
    let sel = scraper::Selector::parse(".gl-notes a[href$='people/priya-raman/']").unwrap();
    assert_eq!(
        doc.select(&sel).count(),
        2,
        "speaker and claimant link their page"
    );
    assert!(
        text_of(&page, ".dateline").contains("by Priya Raman"),
        "author"
    );
    assert!(
        text_of(&page, ".gl-translation").contains("by Priya Raman"),
        "translator"
    );
    // The person's page has the claim as well as the quote.
    let person = read(dir.path(), "public/people/priya-raman/index.html");
    assert!(person.contains("the levy doubles fares") && person.contains("We will see"));
    // The ledger.
    let ledger = text_of(
        &read(dir.path(), "public/claims/index.html"),
        ".claim-list .gl-meta",
    );
    assert!(
        ledger.contains("Claimed by: Priya Raman (as written in the text: Priya Ramen)"),
        "{ledger}"
    );
    // JSON-LD and the W3C export.
    assert!(
        !page.contains("\"name\":\"Priya Ramen\""),
        "JSON-LD uses the registry's name"
    );
    let export = read(dir.path(), "public/a/annotations.jsonld");
    assert!(export.contains("\"value\":\"Priya Raman\""), "{export}");
    // Everywhere a reader sees a name, it is the registry's.
    for file in [
        "public/a/index.html",
        "public/people/index.html",
        "public/claims/index.html",
        "public/feed.xml",
    ] {
        let html = read(dir.path(), file);
        let shown = html
            .replace("as written in the text: Priya Ramen", "")
            .replace("as written in the text: Priya  RAMEN", "");
        assert!(
            !shown.contains("Priya Ramen") && !shown.to_lowercase().contains("priya  ramen"),
            "{file}"
        );
    }
}

#[test]
fn check_files_names_by_the_same_rule() {
    let dir = desk();
    let out = stdout(&gloss(dir.path(), &["check"]));
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
    // A registered person named only as a claimant is no stray entry either.
    let text = article(
        "[[claim]]\ntext = \"x\"\nby = \"PRIYA RAMAN\"\nverdict = \"true\"\n",
        "x\n",
    );
    let dir = site(&[("site.toml", SITE), ("content/a.md", &text)]);
    let out = stdout(&gloss(dir.path(), &["check"]));
    assert!(out.contains("0 warnings"), "{out}");
}

#[test]
fn a_correction_may_apply_to_every_occurrence() {
    let text = article(
        "[[correction]]\ntext = \"Smiht\"\ncorrect = \"Smith\"\nall = true\n",
        "Smiht came. Later *Smiht* left; Smiht returned.\n",
    );
    let dir = site(&[("site.toml", SITE), ("content/a.md", &text)]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(dir.path(), "public/a/index.html");
    let doc = scraper::Html::parse_document(&page);
    let marks = scraper::Selector::parse("mark.gl-correction").unwrap();
    let ids: Vec<&str> = doc.select(&marks).filter_map(|m| m.value().id()).collect();
    assert_eq!(
        ids,
        [
            "correction-smiht",
            "correction-smiht-2",
            "correction-smiht-3"
        ]
    );
    let data: Vec<&str> = doc
        .select(&marks)
        .filter_map(|m| m.value().attr("data-gl"))
        .collect();
    assert_eq!(
        data, ["correction-smiht"; 3],
        "every place answers to the one note"
    );
    let refs = scraper::Selector::parse("sup.gl-ref a").unwrap();
    let hrefs: Vec<&str> = doc
        .select(&refs)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, ["#note-correction-smiht"; 3]);
    assert!(page.contains("id=\"note-correction-smiht\""));
    let all_ids = scraper::Selector::parse("[id]").unwrap();
    let mut seen = std::collections::HashSet::new();
    for el in doc.select(&all_ids) {
        assert!(
            seen.insert(el.value().id().unwrap()),
            "id {:?} twice",
            el.value().id()
        );
    }
    // `all` with `occurrence` is a located error.
    let text = article(
        "[[correction]]\ntext = \"Smiht\"\ncorrect = \"Smith\"\nall = true\noccurrence = 2\n",
        "Smiht. Smiht.\n",
    );
    let dir = site(&[("site.toml", SITE), ("content/a.md", &text)]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(
        err.contains("content/a.md:8:14: error: `occurrence` picks one place"),
        "{err}"
    );
}

#[test]
fn a_person_with_many_quotes_and_claims_gets_pages_that_stay_small() {
    // 420 quotes and 200 claims of one person: two pages of 500 entries, quotes first.
    let mut front = String::from("+++\ntitle = \"Many\"\ndate = 2026-01-02\n");
    let mut body = String::new();
    for i in 0..620 {
        if i < 420 {
            front.push_str(&format!(
                "[[quote]]\ntext = \"said q{i:03}x\"\nspeaker = \"Priya Raman\"\n"
            ));
            body.push_str(&format!("She said q{i:03}x here. "));
        } else {
            front.push_str(&format!(
                "[[claim]]\ntext = \"claimed c{i:03}x\"\nby = \"Priya Raman\"\nverdict = \"false\"\n"
            ));
            body.push_str(&format!("She claimed c{i:03}x there. "));
        }
    }
    front.push_str("+++\n");
    let dir = site(&[
        ("site.toml", SITE),
        ("content/a.md", &format!("{front}{body}\n")),
    ]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = read(dir.path(), "public/people/priya-raman/index.html");
    let second = read(dir.path(), "public/people/priya-raman/page/2/index.html");
    assert!(!dir.path().join("public/people/priya-raman/page/3").exists());
    let count = |html: &str, sel: &str| {
        let doc = scraper::Html::parse_document(html);
        doc.select(&scraper::Selector::parse(sel).unwrap()).count()
    };
    assert_eq!(count(&first, ".quote-list > li"), 420);
    assert_eq!(count(&first, ".claim-list > li"), 80);
    assert_eq!(count(&second, ".quote-list > li"), 0);
    assert_eq!(count(&second, ".claim-list > li"), 120);
    // Each page counts all the person said, not what it shows, and links the other.
    assert_eq!(text_of(&first, "h2 .count"), "(420)(200)");
    assert_eq!(text_of(&second, "h2 .count"), "(200)");
    assert!(first.contains("href=\"page/2/\"") || first.contains("people/priya-raman/page/2/"));
    assert!(second.contains("rel=\"prev\""));
    // Every link from the second, deeper page still reaches the article.
    assert!(second.contains("href=\"../../../../a/#claim-"), "{second}");
}
