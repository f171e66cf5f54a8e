//! Figures in built pages: one formatter everywhere, units checked, valid `<time>`, and
//! only figures that carry a quantity unless the site asks for counts.
mod common;
use common::*;

fn en_site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let mut all = vec![(
        "site.toml",
        "title = \"Desk\"\nlanguage = \"en\"\nbase_url = \"https://example.org/t\"\n",
    )];
    all.extend_from_slice(files);
    site(&all)
}

const EN_BODY: &str = "The levy is 0.5% of sales. The agency spent $96 million. \
The review took 45 days. The vote is on March 1, 2027.\n";

fn en_figures() -> String {
    format!(
        "+++\ntitle = \"Levy\"\ndate = 2026-11-02\nlang = \"en\"\n\
[[figure]]\ntext = \"0.5%\"\nvalue = \"0.005\"\nunit = \"percent\"\n\
[[figure]]\ntext = \"$96 million\"\nvalue = \"96000000\"\nunit = \"USD\"\nnote = \"From the *budget*.\"\n\
[[figure]]\ntext = \"45 days\"\nvalue = \"45\"\nunit = \"days\"\n\
[[figure]]\ntext = \"March 1, 2027\"\nvalue = \"2027-03-01\"\nunit = \"date\"\n\
+++\n{EN_BODY}"
    )
}

#[test]
fn explicit_figures_are_shown_as_readers_write_them_in_the_margin() {
    let dir = en_site(&[("content/x.md", &en_figures())]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/x/index.html");
    let gist = |id: &str| text_of(&html, &format!("#note-{id} .gl-note-gist"));
    assert_eq!(gist("figure-0-5"), "Value: 0.5%");
    // A note is what the margin shows first; the value follows it.
    assert_eq!(
        gist("figure-96-million"),
        "From the budget.\nValue: 96 million USD"
    );
    assert_eq!(gist("figure-45-days"), "Value: 45 days");
    assert_eq!(gist("figure-march-1-2027"), "Value: March 1, 2027");
    assert!(
        html.contains("<time datetime=\"P45D\">45 days</time>"),
        "{html}"
    );
    assert!(html.contains("<time datetime=\"2027-03-01\">March 1, 2027</time>"));
    assert!(html.contains("<data value=\"0.005\">0.5%</data>"));
    // The highlight in the text says the same in its attributes.
    assert!(html.contains("<time class=\"gl gl-figure\" datetime=\"P45D\" data-unit=\"days\""));
    // The note is not repeated below the value.
    assert_eq!(html.matches("From the <em>budget</em>.").count(), 1);
    let export = read(dir.path(), "public/x/annotations.jsonld");
    assert!(export.contains("\"96 million USD\""), "{export}");
    assert!(export.contains("\"45 days\""), "{export}");
}

#[test]
fn an_unknown_unit_is_located_with_a_suggestion() {
    let bad = article(
        "[[figure]]\ntext = \"50 %\"\nvalue = \"0.5\"\nunit = \"procent\"\n",
        "Es sind 50 % mehr.\n",
    );
    let dir = site(&[("content/a.md", &bad)]);
    let out = gloss(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/a.md:7:8: error: unknown unit `procent`, did you mean `percent`?"),
        "{err}"
    );
    assert!(
        err.contains("`probability`") && err.contains("ISO 4217"),
        "{err}"
    );
}

#[test]
fn a_value_that_does_not_fit_its_unit_is_located() {
    let bad = article(
        "[[figure]]\ntext = \"2027\"\nvalue = \"2027\"\nunit = \"date\"\n",
        "Gewählt wird 2027.\n",
    );
    let dir = site(&[("content/a.md", &bad)]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(
        err.contains("content/a.md:6:9: error: `2027` is a year, not a date"),
        "{err}"
    );
    assert!(err.contains("unit = \"year\""), "{err}");
}

const COUNTS_BODY: &str = "Zwei Kinder und 3 Lehrer aus Bezirk 1 sagen: 40 Prozent fehlen, \
10–15 Prozent mehr als 2023.\n\n| 2023 | 2024 |\n|---|---|\n| 12 % | 15 % |\n";

#[test]
fn bare_counts_are_marked_only_when_the_site_asks() {
    let dir = site(&[("content/a.md", &article("", COUNTS_BODY))]);
    assert!(gloss(dir.path(), &["build"]).status.success());
    let html = read(dir.path(), "public/a/index.html");
    let marked = text_of(&html, ".gl-body .gl-figure");
    assert_eq!(marked, "40 Prozent10–15 Prozent202312 %15 %");
    assert!(
        html.contains("<data class=\"gl gl-figure\" value=\"0.1\" data-max=\"0.15\""),
        "{html}"
    );
    assert!(html.contains(">10–15 %</a>"), "the panel shows the range");

    let counting = site(&[
        (
            "site.toml",
            "title = \"T\"\nlanguage = \"de\"\nbase_url = \"https://example.org/t\"\n[figures]\ncounts = true\n",
        ),
        ("content/a.md", &article("", COUNTS_BODY)),
    ]);
    assert!(gloss(counting.path(), &["build"]).status.success());
    let html = read(counting.path(), "public/a/index.html");
    let marked = text_of(&html, ".gl-body .gl-figure");
    assert!(marked.starts_with("Zwei3"), "{marked}");
}

#[test]
fn the_figures_panel_links_each_figure_once_by_kind_without_reprinting_the_text() {
    let dir = site(&[("content/a.md", &article("", COUNTS_BODY))]);
    assert!(gloss(dir.path(), &["build"]).status.success());
    let html = read(dir.path(), "public/a/index.html");
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let ids: Vec<String> = doc
        .select(&sel(".gl-body .gl-figure[id]"))
        .map(|e| format!("#{}", e.value().id().unwrap()))
        .collect();
    let mut links: Vec<String> = doc
        .select(&sel(".gl-figures a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 5, "{html}");
    // Grouped by kind (percentages first, as they first appear, then the year), each once.
    assert_eq!(links, [&*ids[0], &ids[1], &ids[3], &ids[4], &ids[2]]);
    links.sort();
    links.dedup();
    assert_eq!(links.len(), ids.len());
    let kinds = text_of(&html, ".gl-figures dt");
    assert_eq!(kinds, "Prozent (4)Jahr (1)");
    assert!(
        html.contains("(5)</span></h2>"),
        "the panel counts every figure"
    );
    // The values as readers write them; the sentences stay in the body only.
    let panel = text_of(&html, ".gl-figures");
    assert!(
        panel.contains("40 %") && panel.contains("10–15 %"),
        "{panel}"
    );
    assert!(!panel.contains("Lehrer"), "{panel}");
}

/// Whether `v` is a valid HTML `datetime` value of the kinds gloss writes: a year, month,
/// date or yearless date, or a duration string (HTML's, not ISO's: no years, months or
/// weeks in the `P` form).
fn valid_html_datetime(v: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = v.split('-').collect();
    match parts.as_slice() {
        [y] if y.len() >= 4 && y.bytes().all(|b| b.is_ascii_digit()) => return y != &"0000",
        [y, m] => return digits(y, 4) && digits(m, 2),
        [y, m, d] => return digits(y, 4) && digits(m, 2) && digits(d, 2),
        ["", "", m, d] => return digits(m, 2) && digits(d, 2),
        _ => {}
    }
    let Some(rest) = v.strip_prefix('P') else {
        return false;
    };
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let date_ok = date.is_empty()
        || date
            .strip_suffix('D')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let mut time_ok = rest.contains('T') != time.is_empty();
    let mut t = time;
    for unit in ['H', 'M', 'S'] {
        if let Some(i) = t.find(unit) {
            let n = &t[..i];
            let (int, frac) = n.split_once('.').unwrap_or((n, ""));
            time_ok &= !int.is_empty()
                && int.bytes().all(|b| b.is_ascii_digit())
                && (frac.is_empty() || unit == 'S' && frac.len() <= 3)
                && frac.bytes().all(|b| b.is_ascii_digit());
            t = &t[i + 1..];
        }
    }
    date_ok && time_ok && t.is_empty() && !rest.is_empty() && rest != "T"
}

#[test]
fn every_time_element_of_the_desk_fixture_has_a_valid_datetime() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/desk");
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(&fixture) {
        let entry = entry.unwrap();
        let to = dir
            .path()
            .join(entry.path().strip_prefix(&fixture).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut seen = std::collections::BTreeSet::new();
    for page in [
        "public/figures/zahlen/index.html",
        "public/figures/numbers/index.html",
    ] {
        let html = read(dir.path(), page);
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("time[datetime]").unwrap();
        for t in doc.select(&sel) {
            let v = t.value().attr("datetime").unwrap();
            assert!(valid_html_datetime(v), "{page}: <time datetime=\"{v}\">");
            seen.insert(v.to_owned());
        }
    }
    // Detected weeks, explicit days and minutes, a yearless date: each in its HTML form.
    for v in ["P287D", "P280D", "P45D", "PT1H30M", "P1DT12H", "2027-03"] {
        assert!(seen.contains(v), "no <time datetime=\"{v}\"> in {seen:?}");
    }
    assert!(!seen.iter().any(|v| v.contains(['W', 'Y'])), "{seen:?}");
}

#[test]
fn the_checker_of_this_file_knows_valid_from_invalid() {
    for ok in [
        "2019",
        "2019-07",
        "2019-07-22",
        "--07-22",
        "P287D",
        "PT4H",
        "P1DT2H30M5.5S",
    ] {
        assert!(valid_html_datetime(ok), "{ok}");
    }
    for bad in [
        "45",
        "P41W",
        "P5Y",
        "PT",
        "P1.5D",
        "PT1.2345S",
        "P",
        "2019-7",
    ] {
        assert!(!valid_html_datetime(bad), "{bad}");
    }
}

#[test]
fn a_unit_without_value_takes_the_detected_value_and_checks_it() {
    let front = "[[figure]]\ntext = \"10–15 Prozent\"\nunit = \"percent\"\n";
    let dir = site(&[(
        "content/a.md",
        &article(front, "Die Mieten stiegen um 10–15 Prozent.\n"),
    )]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/a/index.html");
    assert_eq!(
        text_of(&html, "#note-figure-10-15-prozent .gl-note-gist"),
        "Wert: 10–15 %"
    );

    let front = "[[figure]]\ntext = \"Mieten\"\nunit = \"percent\"\n";
    let dir = site(&[("content/a.md", &article(front, "Die Mieten stiegen.\n"))]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(err.contains("has a `unit` but no `value`"), "{err}");
    let front = "[[figure]]\ntext = \"5 Jahre\"\nunit = \"year\"\n";
    let dir = site(&[("content/a.md", &article(front, "Es dauert 5 Jahre.\n"))]);
    let err = stderr(&gloss(dir.path(), &["build"]));
    assert!(err.contains("not a calendar year"), "{err}");
}

/// A site with one article in `lang` (the site's language too) and the given body.
fn site_in(lang: &str, body: &str) -> tempfile::TempDir {
    site(&[
        (
            "site.toml",
            &format!(
                "title = \"Desk\"\nlanguage = \"{lang}\"\nbase_url = \"https://example.org/t\"\n"
            ),
        ),
        (
            "content/a.md",
            &format!("+++\ntitle = \"A\"\ndate = 2026-11-02\nlang = \"{lang}\"\n+++\n{body}"),
        ),
    ])
}

#[test]
fn a_french_article_gets_french_figures() {
    let dir = site_in(
        "fr",
        "Le budget atteint 1,5 million d'euros depuis le 1er mars, soit 3,5 % de plus \
         qu'en 2025, pendant cinq ans. Rendez-vous à 20 heures, article 3.\n",
    );
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/a/index.html");
    let marked = text_of(&html, ".gl-body .gl-figure");
    assert_eq!(marked, "1,5 million d'euros1er mars3,5 %2025cinq ans");
    assert!(
        html.contains("<data class=\"gl gl-figure\" value=\"1500000\""),
        "{html}"
    );
    assert!(html.contains("<time class=\"gl gl-figure\" datetime=\"2026-03-01\""));
    assert!(html.contains("<data class=\"gl gl-figure\" value=\"0.035\""));
    // The figures panel writes them as French readers do.
    assert!(html.contains("1,5 million EUR<"), "{html}");
    assert!(html.contains("1er mars 2026<"), "{html}");
}

#[test]
fn a_spanish_article_gets_spanish_figures() {
    let dir = site_in(
        "es",
        "El plan cuesta 1.500 millones de euros desde el 22 de julio de 2019, entre 3 y 5 \
         millones de hogares. Empieza a las 20 horas.\n",
    );
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/a/index.html");
    let marked = text_of(&html, ".gl-body .gl-figure");
    assert_eq!(
        marked,
        "1.500 millones de euros22 de julio de 2019entre 3 y 5 millones"
    );
    assert!(html.contains("value=\"1500000000\""), "{html}");
    assert!(html.contains("datetime=\"2019-07-22\""));
    assert!(
        html.contains("value=\"3000000\" data-max=\"5000000\""),
        "{html}"
    );
    // The figures panel writes them as Spanish readers do.
    assert!(html.contains("1,5 mil millones EUR<"), "{html}");
    assert!(html.contains("3–5 millones<"), "{html}");
}

#[test]
fn figures_inside_a_highlight_nest_in_it_without_splitting_it() {
    let front = "[[claim]]\ntext = \"stieg der Umsatz 2023 um 5 Prozent auf 7 Millionen Euro\"\nverdict = \"true\"\n";
    let body = "Laut Bericht stieg der Umsatz 2023 um 5 Prozent auf 7 Millionen Euro an.\n";
    let dir = site(&[("content/a.md", &article(front, body))]);
    assert!(gloss(dir.path(), &["build"]).status.success());
    let html = read(dir.path(), "public/a/index.html");
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let marks: Vec<_> = doc.select(&sel(".gl-body mark.gl-claim")).collect();
    assert_eq!(marks.len(), 1, "one element for the whole claim: {html}");
    let inside: Vec<String> = marks[0]
        .select(&sel(".gl-figure"))
        .map(|f| f.text().collect())
        .collect();
    assert_eq!(inside, ["2023", "5 Prozent", "7 Millionen Euro"]);
    assert_eq!(
        marks[0].text().collect::<String>(),
        "stieg der Umsatz 2023 um 5 Prozent auf 7 Millionen Euro"
    );
}

#[test]
fn only_figures_with_a_note_answer_to_one() {
    let front = "[[figure]]\ntext = \"7 Millionen Euro\"\nnote = \"Laut Bericht.\"\n";
    let body = "Der Umsatz stieg 2023 um 5 Prozent auf 7 Millionen Euro.\n";
    let dir = site(&[("content/a.md", &article(front, body))]);
    assert!(gloss(dir.path(), &["build"]).status.success());
    let html = read(dir.path(), "public/a/index.html");
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse(".gl-body .gl-figure").unwrap();
    let figures: Vec<(String, Option<String>)> = doc
        .select(&sel)
        .map(|e| {
            (
                e.text().collect(),
                e.value().attr("data-gl").map(str::to_string),
            )
        })
        .collect();
    assert_eq!(figures.len(), 3, "{html}");
    assert_eq!(figures[0], ("2023".into(), None));
    assert_eq!(figures[1], ("5 Prozent".into(), None));
    assert_eq!(
        figures[2],
        (
            "7 Millionen Euro".into(),
            Some("figure-7-millionen-euro".into())
        )
    );
}
