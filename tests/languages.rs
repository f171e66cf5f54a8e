//! Languages: locale files for the pages' words, a site's own words, checked language tags,
//! and `lang` on every passage whose language is not its page's.
mod common;

use common::*;

fn count(html: &str, selector: &str) -> usize {
    let doc = scraper::Html::parse_document(html);
    doc.select(&scraper::Selector::parse(selector).unwrap())
        .count()
}

fn site_in(language: &str, extra: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let config = format!(
        "title = \"Desk\"\nlanguage = \"{language}\"\nbase_url = \"https://example.org/t\"\n{extra}"
    );
    let mut all = vec![("site.toml", config.as_str())];
    all.extend_from_slice(files);
    site(&all)
}

const CHECKED: &str = "[[claim]]\ntext = \"doubles every fare\"\nverdict = \"true\"\nby = \"Tom\"\n\
     [[quote]]\ntext = \"We will see\"\nspeaker = \"Tom\"\n\
     [[correction]]\ntext = \"Okafer\"\ncorrect = \"Okafor\"\ndate = 2019-08-01\n";
const CHECKED_BODY: &str = "The levy doubles every fare, said Okafer. We will see.\n";

#[test]
fn french_and_spanish_pages_are_in_their_words() {
    for (lang, nav, date, verdict, none) in [
        (
            "fr",
            "Affirmations",
            "24 juillet 2019",
            "Vrai",
            "Aucun résultat pour «\u{a0}{q}\u{a0}».",
        ),
        (
            "es",
            "Afirmaciones",
            "24 de julio de 2019",
            "Verdadero",
            "Ningún resultado para «{q}».",
        ),
    ] {
        let front = format!("lang = \"{lang}\"\n{CHECKED}");
        let dir = site_in(
            lang,
            "",
            &[("content/a.md", &article(&front, CHECKED_BODY))],
        );
        let out = gloss(dir.path(), &["build"]);
        assert!(out.status.success(), "{lang}: {}", stderr(&out));
        let page = read(dir.path(), "public/a/index.html");
        assert!(page.contains(&format!("<html lang=\"{lang}\">")), "{page}");
        assert!(text_of(&page, "nav").contains(nav), "{lang}: {page}");
        assert!(text_of(&page, ".dateline").contains(date), "{lang}");
        assert!(text_of(&page, ".gl-verdict").contains(verdict), "{lang}");
        let claims = read(dir.path(), "public/claims/index.html");
        assert!(claims.contains(&format!(">{verdict}</span>")), "{claims}");
        let search = read(dir.path(), "public/search/index.html");
        assert!(
            search.contains(&format!("data-none=\"{none}\"")),
            "{search}"
        );
        // No German or English word of the theme is left.
        for word in ["Behauptung", "Startseite", "Claims", "Search", "Home"] {
            assert!(!page.contains(word), "{lang}: {word}");
        }
    }
}

#[test]
fn a_language_name_is_an_error_with_the_tag_meant() {
    let dir = site_in("german", "", &[]);
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("`german` is a language's name"), "{err}");
    assert!(err.contains("site.toml:2:12"), "{err}");
    assert!(err.contains("write \"de\""), "{err}");

    let dir = site_in(
        "en",
        "",
        &[("content/a.md", &article("lang = \"English\"\n", "Text.\n"))],
    );
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("content/a.md:4:8"), "{err}");
    assert!(err.contains("write \"en\""), "{err}");
    assert!(
        !dir.path().join("public").exists(),
        "no half-written output"
    );
}

#[test]
fn a_language_without_words_names_those_with() {
    let dir = site_in("it", "", &[]);
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("gloss has no words for the language `it`"),
        "{err}"
    );
    for known in [
        "`de` (Deutsch)",
        "`en` (English)",
        "`fr` (français)",
        "`es` (español)",
    ] {
        assert!(err.contains(known), "{err}");
    }
    // Malformed tags and translation sources are checked too.
    let front = "lang = \"de_AT\"\ntranslation = { from = \"Chinese\" }\n";
    let dir = site_in("de", "", &[("content/a.md", &article(front, "Text.\n"))]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(err.contains("write \"de-AT\""), "{err}");
    assert!(err.contains("translation.from"), "{err}");
    assert!(err.contains("write \"zh\""), "{err}");
}

#[test]
fn a_site_changes_any_word_in_site_toml() {
    let words = "[words]\nclaims = \"Fact checks\"\n[words.de]\nclaims = \"Geprüftes\"\n";
    let dir = site_in(
        "en",
        words,
        &[("content/a.md", &article("lang = \"de\"\n", "Text.\n"))],
    );
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let home = read(dir.path(), "public/index.html");
    assert!(text_of(&home, "nav").contains("Fact checks"), "{home}");
    let page = read(dir.path(), "public/a/index.html");
    assert!(text_of(&page, "nav").contains("Geprüftes"), "{page}");

    let dir = site_in("en", "[words]\ncorections = \"Fixes\"\n", &[]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(
        err.contains("`corections` is not a word of the theme"),
        "{err}"
    );
    assert!(err.contains("did you mean `corrections`?"), "{err}");
    assert!(err.contains("site.toml:5:1"), "{err}");
    let dir = site_in("en", "[words.german]\nclaims = \"Checks\"\n", &[]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(err.contains("write \"de\""), "{err}");
    // A verdict's labels are by language tag too.
    let verdict = "[[verdict]]\nkey = \"ok\"\nlabel = { en = \"OK\", german = \"Gut\" }\n";
    let dir = site_in("en", verdict, &[]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(err.contains("site.toml:6:9"), "{err}");
    assert!(err.contains("write \"de\""), "{err}");
}

#[test]
fn english_pages_and_the_search_index_quote_in_english_marks() {
    let front = format!("lang = \"en\"\n{CHECKED}");
    let dir = site_in(
        "en",
        "",
        &[("content/a.md", &article(&front, CHECKED_BODY))],
    );
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let feed = read(dir.path(), "public/corrections.xml");
    assert!(feed.contains("“Okafer”"), "{feed}");
    let mut index = String::new();
    for e in walkdir::WalkDir::new(dir.path().join("public/search")) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            index.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
        }
    }
    assert!(index.contains("True: “doubles every fare”"), "{index}");
    for file in [feed.as_str(), index.as_str()] {
        assert!(!file.contains('„'), "German marks on an English site");
    }
}

#[test]
fn passages_in_another_language_carry_lang() {
    let front = format!("lang = \"de\"\nsummary = \"Die Abgabe.\"\n{CHECKED}");
    // `languages` without German: its article is listed with the English ones (a site in
    // several languages lists each apart, see tests/multilingual.rs).
    let dir = site_in(
        "en",
        "languages = [\"en\"]\n",
        &[
            ("content/de.md", &article(&front, CHECKED_BODY)),
            (
                "content/en.md",
                "+++\ntitle = \"English\"\ndate = 2019-07-25\nlang = \"en\"\nsummary = \"The levy.\"\n+++\nText.\n",
            ),
        ],
    );
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let home = read(dir.path(), "public/index.html");
    assert_eq!(count(&home, "h2[lang=de]"), 1, "{home}");
    assert_eq!(count(&home, ".summary[lang=de]"), 1, "{home}");
    assert_eq!(count(&home, "[lang=en]"), 1, "only <html>: {home}");
    let claims = read(dir.path(), "public/claims/index.html");
    assert_eq!(count(&claims, ".claim-text[lang=de]"), 1, "{claims}");
    assert_eq!(count(&claims, "cite[lang=de]"), 1, "{claims}");
    let person = read(dir.path(), "public/people/tom/index.html");
    assert_eq!(count(&person, "blockquote[lang=de]"), 1, "{person}");
    let fixes = read(dir.path(), "public/corrections/index.html");
    assert_eq!(count(&fixes, "del[lang=de]"), 1, "{fixes}");
    assert_eq!(count(&fixes, "ins[lang=de]"), 1, "{fixes}");
    // The German page shows the site's English title.
    let page = read(dir.path(), "public/de/index.html");
    assert!(page.contains("<html lang=\"de\">"));
    assert_eq!(count(&page, ".site-title[lang=en]"), 1, "{page}");
    let en = read(dir.path(), "public/en/index.html");
    assert_eq!(count(&en, ".site-title[lang]"), 0, "{en}");
    let feed = read(dir.path(), "public/corrections.xml");
    assert!(
        feed.contains("“&lt;span lang=&quot;de&quot;&gt;Okafer&lt;/span&gt;”"),
        "{feed}"
    );
}
