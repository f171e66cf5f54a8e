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
    assert_eq!(gist("figure-1"), "Value: 0.5%");
    // A note is what the margin shows first; the value follows it.
    assert_eq!(gist("figure-2"), "From the budget.\nValue: 96 million USD");
    assert_eq!(gist("figure-3"), "Value: 45 days");
    assert_eq!(gist("figure-4"), "Value: March 1, 2027");
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
    assert!(html.contains("10–15 %</data>"), "the panel shows the range");

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
