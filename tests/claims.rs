//! The fact-checker's record: a page per claim, claimants' scorecards, `claims.json` and
//! `claims.csv`.
mod common;

use common::*;

/// A site whose claims cover a registered person, an organisation, someone only quoted
/// nowhere but claiming, the article itself (with a source) and a statement.
fn record_site() -> tempfile::TempDir {
    site(&[
        (
            "people.toml",
            "[[person]]\nname = \"Priya Raman\"\nrole = \"Analystin\"\naliases = [\"Priya Ramen\"]\n\n\
             [[person]]\nname = \"Stadtwerke\"\nkind = \"organization\"\n",
        ),
        (
            "content/2026/a.md",
            "+++\ntitle = \"Die Abgabe\"\ndate = 2026-03-02\n\
             source = { name = \"Tagblatt\", url = \"https://tagblatt.example/abgabe\", date = 2026-03-01 }\n\
             [[claim]]\ntext = \"verdoppelt jeden Fahrpreis\"\nclaim = \"Raman: Die Abgabe verdoppelt jeden Fahrpreis\"\nby = \"Priya Ramen\"\ndate = 2026-02-27\nverdict = \"false\"\nconclusion = \"Falsch: Die Fahrpreise bleiben.\"\nnote = \"Siehe den **Haushalt**.\"\nsources = [\"https://example.org/haushalt\"]\n\
             [[claim]]\ntext = \"Busse sind pünktlich\"\nby = \"Priya Raman\"\nverdict = \"true\"\n\
             [[claim]]\ntext = \"Strom wird billiger\"\nby = \"Stadtwerke\"\nverdict = \"mostly-true\"\n\
             [[claim]]\ntext = \"Der Mond zahlt\"\nby = \"=HYPERLINK(\\\"x\\\")\"\nverdict = \"misleading\"\n\
             [[claim]]\ntext = \"Alles wird teurer\"\nby = \"@article\"\nverdict = \"unverified\"\n\
             +++\nDie Abgabe verdoppelt jeden Fahrpreis, sagt sie. Busse sind pünktlich. \
             Strom wird billiger. Der Mond zahlt.\n\nAlles wird teurer.\n",
        ),
    ])
}

/// The JSON-LD blocks of a page.
fn jsonld(html: &str) -> Vec<serde_json::Value> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    doc.select(&sel)
        .map(|s| serde_json::from_str(&s.inner_html()).unwrap())
        .collect()
}

fn attr(html: &str, selector: &str, name: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(name).map(str::to_string))
        .collect()
}

#[test]
fn each_claim_has_a_page_with_one_claim_review_linked_from_everywhere() {
    let dir = record_site();
    build_ok(dir.path());
    let page = "public/2026/a/claims/claim-verdoppelt-jeden-fahrpreis/index.html";
    let html = read(dir.path(), page);
    // The statement, the verdict with its word and icon class, conclusion, note, sources,
    // who, where and when, and the passage with a link to its highlight.
    assert_eq!(
        text_of(&html, "h1"),
        "„Raman: Die Abgabe verdoppelt jeden Fahrpreis“"
    );
    assert_eq!(text_of(&html, ".gl-verdict-line .gl-verdict"), "Falsch");
    assert!(html.contains("gl-verdict gl-v-false gl-r-1"), "{html}");
    assert!(html.contains("Falsch: Die Fahrpreise bleiben."));
    assert!(html.contains("<strong>Haushalt</strong>"));
    assert!(html.contains("href=\"https://example.org/haushalt\""));
    assert!(html.contains("<a href=\"../../../../people/priya-raman/\">Priya Raman</a>"));
    assert!(html.contains("(im Text: Priya Ramen)"), "{html}");
    assert!(html.contains("<a href=\"https://tagblatt.example/abgabe\">Tagblatt</a>"));
    assert!(html.contains("<time datetime=\"2026-02-27\">27. Februar 2026</time>"));
    assert_eq!(
        text_of(&html, ".gl-passage"),
        "Die Abgabe verdoppelt jeden Fahrpreis, sagt sie. Busse sind pünktlich."
    );
    assert_eq!(
        text_of(&html, ".gl-passage mark"),
        "verdoppelt jeden Fahrpreis"
    );
    let hrefs = attr(&html, ".gl-context a", "href");
    assert_eq!(
        hrefs,
        // The article is two folders up: the same page as by the site root, in fewer bytes.
        ["../../#claim-verdoppelt-jeden-fahrpreis"]
    );
    // Exactly one ClaimReview, and it is about this claim.
    let blocks = jsonld(&html);
    assert_eq!(blocks.len(), 1);
    let r = &blocks[0];
    assert_eq!(r["@type"], "ClaimReview");
    assert_eq!(
        r["url"],
        "https://example.org/t/2026/a/claims/claim-verdoppelt-jeden-fahrpreis/"
    );
    assert_eq!(
        r["claimReviewed"],
        "Raman: Die Abgabe verdoppelt jeden Fahrpreis"
    );
    assert_eq!(r["itemReviewed"]["author"]["name"], "Priya Raman");
    assert_eq!(r["itemReviewed"]["author"]["@type"], "Person");
    assert_eq!(r["itemReviewed"]["datePublished"], "2026-02-27");
    assert_eq!(
        r["itemReviewed"]["appearance"]["url"],
        "https://tagblatt.example/abgabe"
    );

    // The ledger, the article's margin note and the claimant's page link to it.
    let target = "2026/a/claims/claim-verdoppelt-jeden-fahrpreis/";
    let ledger = read(dir.path(), "public/claims/index.html");
    assert!(
        attr(&ledger, ".claim-text a", "href").contains(&format!("../{target}")),
        "{ledger}"
    );
    let article = read(dir.path(), "public/2026/a/index.html");
    assert!(
        attr(
            &article,
            "#note-claim-verdoppelt-jeden-fahrpreis .gl-claim-link a",
            "href"
        ) == ["claims/claim-verdoppelt-jeden-fahrpreis/"],
        "{article}"
    );
    let person = read(dir.path(), "public/people/priya-raman/index.html");
    assert!(attr(&person, ".claim-text a", "href").contains(&format!("../../{target}")));
    // The statement is shown on the cards, the anchored words where there is none.
    assert!(ledger.contains("„Raman: Die Abgabe verdoppelt jeden Fahrpreis“"));
    assert!(ledger.contains("„Busse sind pünktlich“"));
    // Every claim page is in the sitemap.
    let sitemap = read(dir.path(), "public/sitemap.xml");
    assert_eq!(sitemap.matches("/2026/a/claims/").count(), 5, "{sitemap}");
}

#[test]
fn claimants_have_scorecards_readable_as_text() {
    let dir = record_site();
    let log = build_ok(dir.path());
    let person = read(dir.path(), "public/people/priya-raman/index.html");
    // The chart is an image with a name that holds every count; the counts are text too.
    let names = attr(&person, ".gl-scorecard svg", "role");
    assert_eq!(names, ["img"]);
    let title = text_of(&person, ".gl-scorecard svg title");
    assert!(
        title.starts_with("Bilanz: Stimmt: 1, Stimmt überwiegend: 0, Teils, teils: 0, Überwiegend falsch: 0, Falsch: 1,"),
        "{title}"
    );
    let counts: Vec<String> = {
        let doc = scraper::Html::parse_document(&person);
        let sel = scraper::Selector::parse(".gl-score-count").unwrap();
        doc.select(&sel).map(|e| e.text().collect()).collect()
    };
    assert_eq!(counts, ["1", "0", "0", "0", "1", "0", "0"]);
    assert_eq!(
        text_of(&person, ".gl-scorecard figcaption"),
        "2 geprüfte Behauptungen"
    );
    // Claims grouped by verdict, in the scale's order.
    let headings: Vec<String> = {
        let doc = scraper::Html::parse_document(&person);
        let sel = scraper::Selector::parse(".gl-record h3").unwrap();
        doc.select(&sel).map(|e| e.text().collect()).collect()
    };
    assert_eq!(headings, ["Stimmt (1)", "Falsch (1)"]);
    // The longest bar is the full width of the chart, the others in proportion.
    assert!(
        person.contains("class=\"gl-score-bar\" x=\"0\" y=\"20\" width=\"85.0%\""),
        "{person}"
    );

    // An organisation gets the same page, says what it is, and its type reaches ClaimReview.
    let org = read(dir.path(), "public/people/stadtwerke/index.html");
    assert!(
        org.contains("<p class=\"gl-meta\">Organisation</p>"),
        "{org}"
    );
    let review = &jsonld(&read(
        dir.path(),
        "public/2026/a/claims/claim-strom-wird-billiger/index.html",
    ))[0];
    assert_eq!(review["itemReviewed"]["author"]["@type"], "Organization");
    // Someone who only makes claims gets a page, and a warning says to register them.
    let people = read(dir.path(), "public/people/index.html");
    assert!(people.contains("=HYPERLINK(&quot;x&quot;)"), "{people}");
    assert!(
        log.contains("warning: claimant `=HYPERLINK(\"x\")` is not in the person registry"),
        "{log}"
    );
    // So does the article's source, for the article's own claims.
    assert!(
        log.contains("warning: the article's source `Tagblatt` is not in the person registry"),
        "{log}"
    );
    assert!(people.contains("Tagblatt"));
    // The ledger opens with the chart of the whole site.
    let ledger = read(dir.path(), "public/claims/index.html");
    let chart = ledger.find("gl-scorecard").expect("site chart");
    assert!(chart < ledger.find("claim-list").unwrap());
    assert!(ledger.contains("5 geprüfte Behauptungen"));
}

#[test]
fn claims_json_is_a_data_feed_of_the_pages_claim_reviews() {
    let dir = record_site();
    build_ok(dir.path());
    let feed: serde_json::Value =
        serde_json::from_str(&read(dir.path(), "public/claims.json")).unwrap();
    assert_eq!(feed["@context"], "https://schema.org");
    assert_eq!(feed["@type"], "DataFeed");
    assert_eq!(feed["url"], "https://example.org/t/claims.json");
    let items = feed["dataFeedElement"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    // The same review as the claim's page carries.
    let page = read(
        dir.path(),
        "public/2026/a/claims/claim-verdoppelt-jeden-fahrpreis/index.html",
    );
    let mut on_page = jsonld(&page).remove(0);
    on_page.as_object_mut().unwrap().remove("@context");
    assert_eq!(items[0], on_page);
    for r in items {
        assert_eq!(r["@type"], "ClaimReview");
    }
}

#[test]
fn claims_csv_has_one_row_per_claim_and_no_formulas() {
    let dir = record_site();
    build_ok(dir.path());
    let text = read(dir.path(), "public/claims.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            "statement",
            "claimant",
            "verdict",
            "rating",
            "claim_date",
            "review_date",
            "article_url",
            "url",
            "sources"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    let first = &rows[0];
    assert_eq!(&first[0], "claim-verdoppelt-jeden-fahrpreis");
    assert_eq!(&first[1], "Raman: Die Abgabe verdoppelt jeden Fahrpreis");
    assert_eq!(&first[2], "Priya Raman");
    assert_eq!(&first[3], "Falsch");
    assert_eq!(&first[4], "1");
    assert_eq!(&first[5], "2026-02-27");
    assert_eq!(&first[6], "2026-03-02");
    assert_eq!(&first[7], "https://example.org/t/2026/a/");
    assert_eq!(
        &first[8],
        "https://example.org/t/2026/a/claims/claim-verdoppelt-jeden-fahrpreis/"
    );
    assert_eq!(&first[9], "https://example.org/haushalt");
    // Off the scale: no rating. A claimant that looks like a formula stays text.
    let moon = rows.iter().find(|r| &r[1] == "Der Mond zahlt").unwrap();
    assert_eq!(&moon[4], "");
    assert_eq!(&moon[2], "'=HYPERLINK(\"x\")");
    // The article's own claim: its source made it, when the source appeared.
    let own = rows.iter().find(|r| &r[1] == "Alles wird teurer").unwrap();
    assert_eq!(&own[2], "Tagblatt");
    assert_eq!(&own[5], "2026-03-01");
}

/// The shared structured-data checker (`../shared/tools/structured-data.py`) on the seed
/// site's pages and on `claims.json`, embedded in a page as a crawler would meet it: no
/// errors and no warnings. Needs python3 with extruct, as CI has.
#[test]
fn the_seed_site_and_its_claims_json_pass_the_structured_data_checker() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // `.ci/run` exports SHARED_DIR, and there the checker must run; a checkout without the
    // shared tools (or without extruct) skips this test, saying so.
    let required = std::env::var_os("SHARED_DIR");
    let shared = required
        .clone()
        .map_or_else(|| root.join("../shared"), std::path::PathBuf::from);
    let tool = shared.join("tools/structured-data.py");
    let usable = tool.is_file()
        && std::process::Command::new("python3")
            .args(["-c", "import extruct"])
            .status()
            .is_ok_and(|s| s.success());
    if !usable {
        assert!(
            required.is_none(),
            "SHARED_DIR is set, but {} cannot run (is extruct installed?)",
            tool.display()
        );
        eprintln!(
            "skipped: {} or python3's extruct is missing",
            tool.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for f in ["site.toml", "people.toml", "published-ids.jsonl"] {
        std::fs::copy(root.join(f), dir.path().join(f)).unwrap();
    }
    copy_dir(&root.join("content"), &dir.path().join("content"));
    build_ok(dir.path());
    let public = dir.path().join("public");
    let feed = std::fs::read_to_string(public.join("claims.json")).unwrap();
    std::fs::write(
        public.join("claims-json.html"),
        format!(
            "<!DOCTYPE html><html lang=\"de\"><title>claims.json</title>\
             <script type=\"application/ld+json\">{}</script></html>",
            feed.replace('<', "\\u003c")
        ),
    )
    .unwrap();
    let out = std::process::Command::new("python3")
        .arg(&tool)
        .arg(&public)
        .output()
        .expect("python3 runs the structured-data checker");
    let log = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{log}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(log.contains(", 0 errors, 0 warnings"), "{log}");
    // The seed's 11 claims: each on its claim's page and in claims.json; the article page
    // names them (`hasPart`) without repeating them.
    assert!(log.contains("found 1 NewsArticle, 22 ClaimReview"), "{log}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn claim_fields_are_checked_where_they_are_written() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[claim]]\ntext = \"Eins\"\nclaim = \"  \"\nby = \"@quelle\"\nverdict = \"true\"\n\
             [[claim]]\ntext = \"Zwei\"\nverdict = \"true\"\n",
            "Eins. Zwei.\n",
        ),
    )]);
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    let log = stderr(&out);
    assert!(
        log.contains("content/a.md:6:9: error: `claim` is empty"),
        "{log}"
    );
    assert!(
        log.contains("content/a.md:7:6: error: `@quelle` is not a claimant"),
        "{log}"
    );
    assert!(log.contains("by = \"@article\""), "{log}");
    // Without the errors, the claim that names nobody is a warning.
    std::fs::write(
        dir.path().join("content/a.md"),
        article(
            "[[claim]]\ntext = \"Eins\"\nby = \"@article\"\nverdict = \"true\"\n\
             [[claim]]\ntext = \"Zwei\"\nverdict = \"true\"\n",
            "Eins. Zwei.\n",
        ),
    )
    .unwrap();
    let log = build_ok(dir.path());
    assert!(
        log.contains("content/a.md:9:8: warning: this claim names no claimant"),
        "{log}"
    );
    assert_eq!(log.matches("warning:").count(), 1, "{log}");
}

/// Claim pages are written without Tera while the theme's `claim.html` and `base.html` are
/// the default ones: every claim page of a site with every kind of claimant, appearance,
/// source and hostile text is byte for byte what Tera renders from `claim.html` (which a
/// site that overrides the template gets).
#[test]
fn claim_pages_written_in_rust_are_the_bytes_tera_renders_from_claim_html() {
    let extra = (
        "content/2026/b.md",
        "+++\ntitle = \"Die <Abgabe> & \\\"Fahrpreise\\\"\"\ndate = 2026-03-04\nauthors = [\"Priya Raman\"]\n\
         [[claim]]\ntext = \"Fahrpreise & Tarife\"\nclaim = \"Es <b>steigt</b> & 'fällt'\"\nby = \"O'Brien <script>\"\nverdict = \"false\"\nconclusion = \"\"\n\
         sources = [{ url = \"https://example.org/a?x=1&y=2\", title = \"Quelle \\\"A\\\" <1>\", date = \"März & April 2026\", archive = \"https://archive.example/a\", accessed = 2026-03-03 }, \"https://example.org/b\"]\n\
         [[claim]]\ntext = \"zahlt\"\nby = \"@article\"\nverdict = \"unverified\"\nnote = \"[Haushalt](a.md) und <em>mehr</em>\"\n\
         +++\nDie Fahrpreise & Tarife, sagt sie. Der Mond zahlt.\n",
    );
    let claim_pages = |dir: &std::path::Path| -> std::collections::BTreeMap<String, Vec<u8>> {
        snapshot(&dir.join("public"))
            .into_iter()
            .filter(|(path, _)| path.contains("/claims/claim-"))
            .collect()
    };
    // The frame prints the site's title (in <title>, the feed link, the header): escaped.
    let config = (
        "site.toml",
        "title = \"Test <i>seite</i> & 'Co'\"\nlanguage = \"de\"\nbase_url = \"https://example.org/t\"\n",
    );
    let fast = record_site();
    for (path, text) in [extra, config] {
        std::fs::write(fast.path().join(path), text).unwrap();
    }
    build_ok(fast.path());
    let tera = record_site();
    for (path, text) in [extra, config] {
        std::fs::write(tera.path().join(path), text).unwrap();
    }
    std::fs::create_dir_all(tera.path().join("templates")).unwrap();
    // The same template, overridden: only Tera renders it.
    std::fs::write(
        tera.path().join("templates/claim.html"),
        format!(
            "{}{{# the site's own #}}\n",
            include_str!("../templates/claim.html")
        ),
    )
    .unwrap();
    build_ok(tera.path());
    let (fast, tera) = (claim_pages(fast.path()), claim_pages(tera.path()));
    assert_eq!(fast.len(), 7, "{:?}", fast.keys());
    for (path, bytes) in &fast {
        let html = String::from_utf8_lossy(bytes);
        assert!(!html.contains("<i>seite"), "{path}: {html}");
        assert!(
            html.contains("Test &lt;i&gt;seite&lt;/i&gt; &amp; &#39;Co&#39;"),
            "{path}"
        );
    }
    assert_eq!(
        fast.keys().collect::<Vec<_>>(),
        tera.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &fast {
        assert_eq!(
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&tera[path]),
            "{path}"
        );
    }
}
