//! Sources of checks: `archive` and `accessed` on every source, shown in the page's language;
//! a source's keys checked like every other key of front matter.
mod common;

use common::*;

fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

#[test]
fn a_source_shows_its_archived_copy_and_access_date_in_the_page_language() {
    let front = "source = { name = \"Q\", url = \"https://q.example/a\", date = 2019-07-23, archive = \"https://web.archive.org/web/20190723/https://q.example/a\", accessed = 2024-05-03 }\n\
        [[claim]]\ntext = \"Eins\"\nverdict = \"true\"\n\
        sources = [\"https://a.example/\", { title = \"Bericht\", url = \"https://b.example/r\", date = \"Mai 2019\", archive = \"https://web.archive.org/web/2019/https://b.example/r\", accessed = \"2024-05-03\" }]\n";
    // `languages` keeps the English article in the German listings: on a site with `en/`
    // listings its page could not be `en/`.
    let dir = site(&[
        (
            "site.toml",
            "title = \"Testseite\"\nlanguage = \"de\"\nlanguages = [\"de\"]\nbase_url = \"https://example.org/t\"\n",
        ),
        ("content/de.md", &article(front, "Eins.\n")),
        (
            "content/en.md",
            &article(&format!("lang = \"en\"\n{front}"), "Eins.\n"),
        ),
    ]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for (page, archived, accessed, date) in [
        (
            "de",
            "archivierte Kopie",
            "abgerufen am 3. Mai 2024",
            "23. Juli 2019",
        ),
        (
            "en",
            "archived copy",
            "accessed May 3, 2024",
            "July 23, 2019",
        ),
    ] {
        let html = read(dir.path(), &format!("public/{page}/index.html"));
        let doc = scraper::Html::parse_document(&html);
        let items = select(&doc, ".gl-sources li");
        assert_eq!(items.len(), 2, "{page}");
        // A bare address: the link alone.
        assert!(select(&doc, ".gl-sources li:first-child .gl-archive").is_empty());
        let second = items[1].html();
        assert_eq!(
            select(
                &doc,
                ".gl-sources li:nth-child(2) a.gl-archive[href='https://web.archive.org/web/2019/https://b.example/r']"
            )
            .len(),
            1,
            "{second}"
        );
        let text: String = items[1].text().collect();
        assert!(
            text.contains(&format!("Bericht (Mai 2019) · {archived}")),
            "{text}"
        );
        assert!(text.contains(accessed), "{text}");
        assert!(
            second.contains("<time datetime=\"2024-05-03\">"),
            "{second}"
        );
        // The article's own source: the original's date and access date as readers write
        // dates, its archived copy linked.
        let origin: String = select(&doc, ".provenance")[0].text().collect();
        assert!(origin.contains(date), "{origin}");
        assert!(
            origin.contains(archived) && origin.contains(accessed),
            "{origin}"
        );
    }
}

#[test]
fn a_misspelt_key_of_a_source_is_located_with_the_right_one() {
    let front = "[[claim]]\ntext = \"Eins\"\nverdict = \"true\"\n\
        sources = [{ title = \"T\", url = \"https://b.example/\", archiv = \"https://web.archive.org/web/2019/https://b.example/\" }]\n";
    let dir = site(&[("content/a.md", &article(front, "Eins.\n"))]);
    let out = gloss(dir.path(), &["build"]);
    let err = stderr(&out);
    assert!(!out.status.success());
    let col = "sources = [{ title = \"T\", url = \"https://b.example/\", ".len() + 1;
    assert!(
        err.contains(&format!(
            "content/a.md:7:{col}: error: unknown key `archiv`, did you mean `archive`?"
        )),
        "{err}"
    );
    assert!(
        err.contains("`title`, `url`, `date`, `archive`, `accessed`"),
        "{err}"
    );
    assert!(!err.contains("untagged"), "{err}");
    assert!(!dir.path().join("public").exists());
}

#[test]
fn archive_and_accessed_on_the_articles_source_are_checked_too() {
    let front = "source = { name = \"Q\", url = \"https://q.example/a\", archive = \"javascript:alert(1)\", accessed = \"gestern\", archiv = 1 }\n";
    let dir = site(&[("content/a.md", &article(front, "Eins.\n"))]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(
        err.contains("content/a.md:4:")
            && err.contains("unknown key `archiv`, did you mean `archive`?"),
        "{err}"
    );
    let front = "source = { name = \"Q\", url = \"https://q.example/a\", archive = \"javascript:alert(1)\", accessed = \"gestern\" }\n";
    std::fs::write(dir.path().join("content/a.md"), article(front, "Eins.\n")).unwrap();
    let err = stderr(&gloss(dir.path(), &["build"]));
    let col = front.find("javascript").unwrap() + 1;
    assert!(
        err.contains(&format!(
            "content/a.md:4:{col}: error: source.archive `javascript:alert(1)` is not a web address"
        )),
        "{err}"
    );
    let col = front.find("\"gestern").unwrap() + 1;
    assert!(
        err.contains(&format!(
            "content/a.md:4:{col}: error: `source.accessed` is not a date"
        )),
        "{err}"
    );
}

#[test]
fn an_archive_without_a_scheme_or_with_a_script_is_refused_where_it_is_written() {
    let front = "[[note]]\ntext = \"Eins\"\nnote = \"N\"\n\
        sources = [{ url = \"https://b.example/\", archive = \"web.archive.org/web/2019/https://b.example/\" }, { url = \"https://c.example/\", archive = \"data:text/html,x\" }]\n";
    let dir = site(&[("content/a.md", &article(front, "Eins.\n"))]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    let line = front.lines().nth(3).unwrap();
    let col = line.find("web.archive").unwrap() + 1;
    assert!(
        err.contains(&format!(
            "content/a.md:7:{col}: error: archive `web.archive.org/web/2019/https://b.example/` has no scheme"
        )),
        "{err}"
    );
    assert!(
        err.contains("did you mean `https://web.archive.org/web/2019/https://b.example/`?"),
        "{err}"
    );
    let col = line.find("data:").unwrap() + 1;
    assert!(
        err.contains(&format!(
            "content/a.md:7:{col}: error: archive `data:text/html,x` is not a web address"
        )),
        "{err}"
    );
}
