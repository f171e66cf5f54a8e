//! Every input a fuzzer (fuzz/) crashed on, fed through the same function as its target.
//! Inputs live in tests/fuzz_regressions/, named `<target>-<what>.bin`.
use std::path::{Path, PathBuf};

use gloss::config::Site;

/// The `build_site` target's site maker and checks (fuzz/fuzz_targets/build_site.rs).
#[path = "../fuzz/src/lib.rs"]
mod build_site;

/// The saved inputs of fuzz target `target`.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut found: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{target}-")))
        })
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    found.sort();
    found
}

/// As fuzz/fuzz_targets/front_matter.rs.
fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let _ = gloss::content::parse_article(
        &Site::standalone(),
        PathBuf::from("a.md"),
        text,
        "a/".into(),
    );
}

#[test]
fn front_matter_inputs_do_not_panic() {
    let inputs = inputs("front_matter");
    assert!(!inputs.is_empty());
    for (path, data) in inputs {
        println!("{}", path.display());
        front_matter(&data);
    }
}

/// The crash found by `front_matter`, reduced: a TOML error whose span starts on the '\r'
/// of a CRLF line (src/diagnostics.rs clamped with min > max).
#[test]
fn a_toml_error_at_a_carriage_return_is_a_located_error() {
    for text in [
        "+++\r\ntitle = \"a\r\n+++\r\nText\r\n",
        "+++\r\ntitle = \r\ndate = 2019-07-24\r\n+++\r\nText\r\n",
        "+++\ntitle = \"T\"\r\r\r\n+++\n",
    ] {
        let err = gloss::content::parse_article(
            &Site::standalone(),
            PathBuf::from("a.md"),
            text.to_string(),
            "a/".into(),
        )
        .expect_err(text);
        assert!(err[0].line >= 1, "{text:?}: {err:?}");
    }
}

/// As fuzz/fuzz_targets/anchoring.rs: note text up to the first 0xFF byte, then the body.
fn anchoring(data: &[u8]) {
    let split = data
        .iter()
        .position(|&b| b == 0xff)
        .unwrap_or(data.len().min(16));
    let note = String::from_utf8_lossy(&data[..split]);
    let body = String::from_utf8_lossy(data.get(split + 1..).unwrap_or(&[]));
    let mut quoted = String::from("\"");
    for c in note.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                quoted.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    let text = format!(
        "+++\ntitle = \"T\"\ndate = 2019-07-24\n[[note]]\ntext = {quoted}\nnote = \"n\"\n+++\n{body}"
    );
    if let Ok(article) = gloss::content::parse_article(
        &Site::standalone(),
        PathBuf::from("a.md"),
        text,
        "a/".into(),
    ) {
        let _ = gloss::annotate::anchor(&article, true);
    }
}

/// As fuzz/fuzz_targets/render.rs.
fn render(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let site = Site::standalone();
    let _ = gloss::build::render_fragment(&site, Path::new("a.md"), text.clone(), true, false);
    if let Ok(article) =
        gloss::content::parse_article(&site, PathBuf::from("a.md"), text, "a/".into())
        && let Ok(anchored) = gloss::annotate::anchor(&article, true)
    {
        let numbers = gloss::render::reading_order(&anchored);
        let _ = gloss::render::body_html(&article, &anchored, &numbers, true);
    }
}

/// Runs `f` on every saved input of `target`, each within `bound` (these inputs were
/// "slow units": a 1 kB annotation `text` found nowhere took 83 s to explain, because the
/// closest-passage search compared it with a window at every word of the article;
/// anchoring-slow-5707f27f, a 2 kB one, 5 s in a release build before that fix.
/// render-slow-7f83f115 is the seed article with most annotations missing from a mangled
/// body: 0.23 s in release, as every missing one had its own search budget).
fn each_within(target: &str, bound: std::time::Duration, f: fn(&[u8])) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty());
    for (path, data) in inputs {
        let started = std::time::Instant::now();
        f(&data);
        let took = started.elapsed();
        println!("{}: {took:?}", path.display());
        assert!(took < bound, "{}: {took:?}", path.display());
    }
}

#[test]
fn anchoring_inputs_do_not_panic_and_stay_fast() {
    each_within("anchoring", std::time::Duration::from_secs(10), anchoring);
}

#[test]
fn render_inputs_do_not_panic_and_stay_fast() {
    each_within("render", std::time::Duration::from_secs(10), render);
}

/// The slow unit, reduced: a long annotation `text` that occurs nowhere in a long article.
#[test]
fn a_long_annotation_that_is_nowhere_is_explained_quickly() {
    let paragraph = "Microsoft investierte 1 Milliarde US-Dollar in OpenAI für die Forschung. ";
    let body = paragraph.repeat(400);
    let text =
        "Ein ganz anderer Absatz über Azure und Rechenleistung, der nirgends steht. ".repeat(14);
    let source = format!(
        "+++\ntitle = \"T\"\ndate = 2019-07-24\n[[note]]\ntext = \"{text}\"\nnote = \"n\"\n+++\n{body}\n"
    );
    let article = gloss::content::parse_article(
        &Site::standalone(),
        PathBuf::from("a.md"),
        source,
        "a/".into(),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let err = gloss::annotate::anchor(&article, false).unwrap_err();
    let took = started.elapsed();
    println!("{took:?}: {}", err[0].message);
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
}

/// render-slow-7f83f115, scaled up: an article none of whose many annotations is in its
/// body (a body replaced by another version, say). Each missing annotation had its own
/// "did you mean" budget, so 1,000 of them took 3.3 s in a release build, 3,000 three times
/// that; now they share one, and the article is explained in 20 ms (release) or 1 to 2.5 s
/// (debug).
#[test]
fn many_missing_annotations_are_explained_quickly() {
    let paragraph = "Microsoft investierte 1 Milliarde US-Dollar in OpenAI für die Forschung. ";
    let body = paragraph.repeat(100);
    let mut front = String::new();
    let n = 3_000;
    for i in 0..n {
        front.push_str(&format!(
            "[[note]]\ntext = \"Satz{i:05} steht nirgends im Text\"\nnote = \"n\"\n"
        ));
    }
    // One near miss among them still gets its suggestion.
    front.push_str("[[note]]\ntext = \"Microsoft investierte 1 Miliarde\"\nnote = \"n\"\n");
    let source = format!("+++\ntitle = \"T\"\ndate = 2019-07-24\n{front}+++\n{body}\n");
    let article = gloss::content::parse_article(
        &Site::standalone(),
        PathBuf::from("a.md"),
        source,
        "a/".into(),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let err = gloss::annotate::anchor(&article, false).unwrap_err();
    let took = started.elapsed();
    println!("{took:?} for {} errors", err.len());
    assert_eq!(err.len(), n + 1);
    let help = err[n].help.as_deref().unwrap();
    assert!(
        help.contains("did you mean `Microsoft investierte 1 Milliarde`"),
        "{help}"
    );
    assert!(took < std::time::Duration::from_secs(8), "{took:?}");
}

/// As fuzz/fuzz_targets/build_site.rs: a whole site from the input, built twice. The kept
/// inputs `build_site-seed-*` are the run's seeds (odd file names, a bundle with HTML and
/// a script, articles where generated pages go, a broken site.toml); the run of 10 minutes
/// found nothing to add.
#[test]
fn build_site_inputs_do_not_panic() {
    each_within("build_site", std::time::Duration::from_secs(60), |data| {
        let files = build_site::site_from(data);
        println!("{:?}", files.iter().map(|(p, _)| p).collect::<Vec<_>>());
        build_site::build_twice(&files);
    });
}
