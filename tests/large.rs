//! Large input stays fast: a 5 MB article, 10,000 annotations on one article, lists and
//! quotes nested 1,000 deep. Each builds (or fails cleanly) within a bound that a quadratic
//! algorithm would exceed. The bounds are 5× what these took in a debug `cargo test` run
//! (measured times in the comments); a quadratic step over this much input takes far longer.
//! In a release build (`cargo test --release --test large`) each takes about a second or less.
mod common;

use std::time::{Duration, Instant};

use common::*;

/// Builds the site and returns how long it took; the build must succeed.
fn timed_build(dir: &tempfile::TempDir) -> (Duration, std::process::Output) {
    let started = Instant::now();
    let out = gloss(dir.path(), &["build"]);
    (started.elapsed(), out)
}

fn assert_within(what: &str, took: Duration, bound: Duration) {
    println!("{what}: {took:?} (bound {bound:?})");
    assert!(took <= bound, "{what} took {took:?}, more than {bound:?}");
}

#[test]
fn a_five_megabyte_article_builds() {
    let paragraph = "Microsoft investierte 1 Milliarde US-Dollar in *OpenAI* für die Forschung \
                     und Entwicklung von [AGI](https://example.org/agi). Am 22. Juli 2019 \
                     sagten 50 % der Befragten „ja“, rund 3,5 Mio. Euro flossen.\n\n";
    let body = paragraph.repeat(5_000_000 / paragraph.len() + 1);
    assert!(body.len() >= 5_000_000);
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[claim]]\ntext = \"Microsoft investierte 1 Milliarde US-Dollar\"\noccurrence = 7\nverdict = \"true\"\n",
            &body,
        ),
    )]);
    let (took, out) = timed_build(&dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(dir.path(), "public/a/index.html").len() > 5_000_000);
    // measured: 43 s (debug, both cores busy with two fuzzers); 1.0 s in release, and
    // linear: 1, 2, 5, 10 and 20 MB built in 0.3, 0.4, 0.9, 2.5 and 3.4 s.
    assert_within("5 MB article", took, Duration::from_secs(215));
}

#[test]
fn ten_thousand_annotations_build() {
    let n = 10_000;
    let mut front = String::new();
    let mut body = String::new();
    for i in 0..n {
        let kind = ["claim", "note", "quote", "figure"][i % 4];
        let text = format!("Satz{i:05} sagt etwas");
        front.push_str(&format!("[[{kind}]]\ntext = \"{text}\"\n"));
        match kind {
            "claim" => front.push_str("verdict = \"mixed\"\n"),
            "note" => front.push_str("note = \"Eine *Anmerkung*.\"\n"),
            "quote" => front.push_str("speaker = \"Sam Altman\"\n"),
            _ => front.push_str("value = \"1\"\n"),
        }
        body.push_str(&format!("Hier {text} über **OpenAI**. "));
        if i % 10 == 9 {
            body.push_str("\n\n");
        }
    }
    let dir = site(&[("content/a.md", &article(&front, &body))]);
    let (took, out) = timed_build(&dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/a/index.html");
    // Highlights in the body only: the theme's panels use <mark> of their own.
    assert_eq!(
        html.matches("<mark class=\"gl gl-").count(),
        n * 3 / 4,
        "every annotation but figures is one <mark> in the body"
    );
    // measured: under 100 s (debug, both cores busy with two fuzzers); 0.7 s in release.
    // Not quite linear: each annotation's words are looked for in the whole text, and here
    // the text grows with the annotations (2,500 to 40,000: 0.2, 0.5, 1.3, 2.9, 6.4 s in
    // release; at 40,000 that search is 60 % of the build).
    assert_within("10,000 annotations", took, Duration::from_secs(300));
}

#[test]
fn lists_and_quotes_nested_a_thousand_deep_build() {
    let depth = 1_000;
    let quotes = format!("{}Zitat tief unten.\n", "> ".repeat(depth));
    let lists = format!("{}Punkt tief unten.\n", "- ".repeat(depth));
    let mut indented = String::new();
    for d in 0..depth {
        indented.push_str(&format!("{}- Ebene {d}\n", "  ".repeat(d)));
    }
    let mixed = format!("{}gemischt <b>fett</b>\n", "> - ".repeat(depth / 2));
    let body = format!("Anfang.\n\n{quotes}\n{lists}\n{indented}\n{mixed}\nEnde.\n");
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[note]]\ntext = \"tief unten\"\noccurrence = 1\nnote = \"n\"\n",
            &body,
        ),
    )]);
    let (took, out) = timed_build(&dir);
    let err = stderr(&out);
    assert!(
        !err.contains("panicked") && !err.contains("overflow"),
        "{err}"
    );
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{err}"
    );
    if out.status.success() {
        let html = read(dir.path(), "public/a/index.html");
        assert!(html.contains("Ende."));
    }
    // measured: 6.8 s (debug, both cores busy with two fuzzers); 0.12 s in release, and
    // 2,000 and 4,000 deep 0.4 and 0.7 s.
    assert_within("nesting 1,000 deep", took, Duration::from_secs(35));
}
