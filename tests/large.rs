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
    // Linear since all annotations are looked for in one pass over the text: 2,500, 5,000
    // and 10,000 notes took 0.04, 0.10 and 0.20 s of CPU in release (before, each searched
    // the whole text: 100,000 took 83 s; now more than 10,000 are refused, see below).
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

#[test]
fn a_long_line_of_figures_builds_in_linear_time() {
    // Every digit is a figure: 100,000 highlights in one text run. Each cut between them
    // looked at every highlight of the run, so 200 kB took 56 s in release.
    let line: Vec<String> = (0..100_000).map(|i| (i % 10).to_string()).collect();
    // Bare digits are figures only where the site or article asks for counts.
    let dir = site(&[(
        "content/a.md",
        &article("[figures]\ncounts = true\n", &(line.join(" ") + "\n")),
    )]);
    let bound = Duration::from_secs(120);
    let started = Instant::now();
    // Killed at the bound: a quadratic build would take many minutes.
    let out = assert_cmd::Command::cargo_bin("gloss")
        .unwrap()
        .current_dir(dir.path())
        .arg("build")
        .timeout(bound)
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(out.status.success(), "{took:?}: {}", stderr(&out));
    let html = read(dir.path(), "public/a/index.html");
    assert!(html.contains("<data class=\"gl gl-figure\" value=\"7\""));
    // measured: 34 s (debug, two cores shared by six builds and a fuzzer); in release 50, 100, 200 and
    // 400 kB took 0.09, 0.15, 0.34 and 0.72 s of CPU (the output, 470 times the input, is
    // most of it: every figure is also listed in the figures panel).
    assert_within("200 kB line of figures", took, bound);
}

/// The first error of a build that must fail, with its location and help.
fn refused(files: &[(&str, &str)]) -> String {
    let dir = site(files);
    let out = gloss(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        !dir.path().join("public").exists(),
        "a failed build wrote output"
    );
    stderr(&out)
}

#[test]
fn an_article_may_have_a_hundred_tags_not_more() {
    let tags = |n: usize| {
        let list: Vec<String> = (0..n).map(|i| format!("\"Tag {i}\"")).collect();
        format!("tags = [{}]\n", list.join(", "))
    };
    let dir = site(&[("content/a.md", &article(&tags(100), "Text.\n"))]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Each tag page lists the article with all its tags: 100 pages of 100 links. 10,000
    // tags were 100 million links (103 s, 4.4 GB); 25, 50 and 100 tags wrote 0.4, 0.6 and
    // 1.4 MB.
    let tag_page = read(dir.path(), "public/tags/tag-99/index.html");
    assert!(tag_page.contains("Tag 0"));
    let err = refused(&[("content/a.md", &article(&tags(101), "Text.\n"))]);
    // Line 4: after `+++`, the title and the date.
    assert!(err.contains("content/a.md:4:1"), "{err}");
    assert!(
        err.contains("101 tags; an article may have at most 100"),
        "{err}"
    );
    assert!(err.contains("help:"), "{err}");
}

#[test]
fn an_article_may_have_ten_thousand_annotations_not_more() {
    let mut front = String::new();
    let mut body = String::new();
    for i in 0..10_001 {
        front.push_str(&format!("[[note]]\ntext = \"Satz{i:05}\"\nnote = \"n\"\n"));
        body.push_str(&format!("Satz{i:05}. "));
    }
    let err = refused(&[("content/a.md", &article(&front, &body))]);
    // The 10,001st note's `text`, 3 lines each after the title and the date.
    let line = 3 + 10_000 * 3 + 2;
    assert!(err.contains(&format!("content/a.md:{line}:")), "{err}");
    assert!(
        err.contains("10001 annotations; an article may have at most 10000"),
        "{err}"
    );
    assert!(err.contains("help:"), "{err}");
}

#[test]
fn an_article_over_ten_megabytes_is_refused() {
    // A build holds several copies of an article at once: 1, 2, 5 and 10 MB articles took
    // 0.13, 0.25, 0.55 and 1.1 GB at most in release (and 0.12, 0.26, 0.67, 1.1 s of CPU);
    // before the limit a 50 MB one took 5.2 GB.
    let body = "Ein Satz, der sich wiederholt.\n\n".repeat(10_000_000 / 32 + 1);
    let err = refused(&[("content/a.md", &article("", &body))]);
    assert!(err.contains("content/a.md"), "{err}");
    assert!(
        err.contains("gloss builds articles of up to 10 MB"),
        "{err}"
    );
    assert!(err.contains("help: split it"), "{err}");
}

#[test]
fn ten_thousand_annotations_in_a_long_article_are_found_in_one_pass() {
    // Each annotation's words were looked for in the whole text, one search each: the
    // annotations times the text. Here 10,000 notes on 2 MB.
    let n = 10_000;
    let filler = "Microsoft investierte in OpenAI, und die Forschung ging weiter. ".repeat(30_000);
    let mut front = String::new();
    let mut body = filler.clone();
    for i in 0..n {
        front.push_str(&format!(
            "[[note]]\ntext = \"Satz{i:05} sagt\"\nnote = \"n\"\n"
        ));
        body.push_str(&format!("Satz{i:05} sagt etwas. "));
    }
    let source = article(&front, &body);
    let article = gloss::content::parse_article(
        &gloss::config::Site::standalone(),
        "a.md".into(),
        source,
        "a/".into(),
    )
    .unwrap();
    let started = Instant::now();
    let anchored = gloss::annotate::anchor(&article, false).unwrap();
    let took = started.elapsed();
    assert_eq!(anchored.spans.len(), n);
    // measured: 0.6 s (debug, busy machine); with one search per annotation, 182 s.
    assert_within(
        "anchoring 10,000 notes on 2 MB",
        took,
        Duration::from_secs(10),
    );
}

#[test]
fn figures_described_among_many_detected_ones_are_matched_quickly() {
    // Each [[figure]] looked through every detected figure for those it replaces.
    let n = 4_000;
    let digits: Vec<String> = (0..200_000).map(|i| (i % 10).to_string()).collect();
    let mut front = String::new();
    let mut body = digits.join(" ") + "\n\n";
    for i in 0..n {
        front.push_str(&format!(
            "[[figure]]\ntext = \"Wert{i:05} 7\"\nvalue = \"7\"\n"
        ));
        body.push_str(&format!("Wert{i:05} 7 ist da. "));
    }
    let article = gloss::content::parse_article(
        &gloss::config::Site::standalone(),
        "a.md".into(),
        article(&front, &body),
        "a/".into(),
    )
    .unwrap();
    let started = Instant::now();
    let anchored = gloss::annotate::anchor(&article, true).unwrap();
    let took = started.elapsed();
    let described = anchored
        .spans
        .iter()
        .filter(|s| {
            matches!(
                s.target,
                gloss::annotate::Target::Figure {
                    annotation: Some(_),
                    ..
                }
            )
        })
        .count();
    assert_eq!(described, n);
    // measured: 0.6 s (debug, busy machine); with a pass over all detected figures for
    // each, 17 s (and 2,000 among 100,000: 0.29 s against 6.8 s).
    assert_within(
        "4,000 [[figure]]s among 200,000 figures",
        took,
        Duration::from_secs(8),
    );
}
