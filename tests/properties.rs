//! Properties of rendering on generated markdown: it never panics, annotations never change
//! the text a reader sees, every highlight closes inside its parent, output is UTF-8.
use std::path::{Path, PathBuf};

use gloss::config::Site;
use proptest::prelude::*;
use proptest::sample::Index;

/// A word, a number or a phrase with figures; some with umlauts, entities and escapes.
fn word() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        4 => "[a-zA-ZäöüßÄÖÜ]{1,8}",
        1 => Just("Microsoft".to_string()),
        1 => Just("1 Milliarde US-Dollar".to_string()),
        1 => Just("50 %".to_string()),
        1 => Just("am 22. Juli 2019".to_string()),
        1 => Just("3,5 Mio. Euro".to_string()),
        1 => Just("&amp;".to_string()),
        1 => Just("\\*".to_string()),
        1 => Just("„Zitat“".to_string()),
        1 => Just("naïve—café".to_string()),
        1 => "[0-9]{1,6}",
    ]
}

/// One inline piece: text, emphasis, a link, code or balanced raw HTML.
fn inline() -> impl Strategy<Value = String> {
    let w = word();
    prop_oneof![
        6 => w.clone(),
        1 => w.clone().prop_map(|w| format!("*{w}*")),
        1 => (w.clone(), word()).prop_map(|(a, b)| format!("**{a} {b}**")),
        1 => (w.clone(), word()).prop_map(|(a, b)| format!("*{a} **{b}***")),
        1 => w.clone().prop_map(|w| format!("[{w}](https://example.org/{w})")),
        1 => w.clone().prop_map(|w| format!("[*{w}* x](https://example.org/)")),
        1 => w.clone().prop_map(|w| format!("`{w}`")),
        1 => w.clone().prop_map(|w| format!("<b>{w}</b>")),
        1 => w.clone().prop_map(|w| format!("<span class=\"s\">{w}</span>")),
        1 => w.prop_map(|w| format!("{w}  \n")),
    ]
}

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(inline(), 1..10).prop_map(|v| v.join(" "))
}

/// Blocks: paragraphs, headings, code, raw HTML blocks, and (recursively) lists and quotes.
fn block() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        6 => paragraph(),
        1 => paragraph().prop_map(|p| format!("## {}", p.replace('\n', " "))),
        1 => word().prop_map(|w| format!("```\n{w} <i>code</i>\n```")),
        1 => word().prop_map(|w| format!("<div>{w}</div>")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|items| {
                items
                    .iter()
                    .map(|i| format!("- {}", indent(i, "  ")))
                    .collect::<Vec<_>>()
                    .join("\n")
            }),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|items| {
                items
                    .iter()
                    .enumerate()
                    .map(|(n, i)| format!("{}. {}", n + 1, indent(i, "   ")))
                    .collect::<Vec<_>>()
                    .join("\n")
            }),
            inner.prop_map(|b| format!("> {}", indent(&b, "> "))),
        ]
    })
}

fn indent(text: &str, prefix: &str) -> String {
    text.replace('\n', &format!("\n{prefix}"))
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(block(), 1..8).prop_map(|v| v.join("\n\n") + "\n")
}

/// A TOML basic string holding `s`.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An article whose `[[note]]`s anchor at `texts`.
fn article_source(body: &str, texts: &[(String, usize)]) -> String {
    let mut s = String::from("+++\ntitle = \"T\"\ndate = 2019-07-24\n");
    for (t, occurrence) in texts {
        s.push_str(&format!(
            "[[note]]\ntext = {}\noccurrence = {occurrence}\nnote = \"n\"\n",
            toml_string(t)
        ));
    }
    s.push_str("+++\n");
    s.push_str(body);
    s
}

fn parse(source: String) -> gloss::content::Article {
    gloss::content::parse_article(
        &Site::standalone(),
        PathBuf::from("a.md"),
        source,
        "a/".into(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"))
}

/// Body HTML of `article`, as the site publishes it (`safe`) or as the preview prints it.
fn body(article: &gloss::content::Article, figures: bool, safe: bool) -> String {
    let anchored = gloss::annotate::anchor(article, figures).unwrap_or_else(|e| {
        panic!(
            "anchoring failed: {e:?}\n--- source ---\n{}",
            article.source
        )
    });
    let order = gloss::render::reading_order(&anchored);
    gloss::render::body_html(article, &anchored, &order, safe)
}

/// The text a reader sees in `html`: every text node outside the note references.
fn reader_text(html: &str) -> String {
    let doc = scraper::Html::parse_fragment(html);
    let mut out = String::new();
    for node in doc.root_element().descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let in_ref = node.ancestors().any(|a| {
            a.value().as_element().is_some_and(|e| {
                e.name() == "sup" && e.has_class("gl-ref", scraper::CaseSensitivity::CaseSensitive)
            })
        });
        if !in_ref {
            out.push_str(text);
        }
    }
    out
}

/// Checks that the tags in `html` nest: every element closes inside its parent, in order.
/// Returns the first mismatch.
fn check_nesting(html: &str) -> Result<(), String> {
    const VOID: &[&str] = &["br", "hr", "img", "input", "meta", "link", "wbr"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        let gt = rest.find('>').ok_or("unterminated tag")?;
        let tag = &rest[..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            match stack.pop() {
                Some(open) if open == name => {}
                other => {
                    return Err(format!("</{name}> closes {other:?}; open: {stack:?}"));
                }
            }
        } else if !tag.starts_with('!') && !tag.ends_with('/') {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if !VOID.contains(&name.as_str()) {
                stack.push(name);
            }
        }
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("left open: {stack:?}"))
    }
}

/// Annotations at the substrings `picks` of `reader` (start and length, in chars, of the
/// text with white space folded as anchoring folds it): their `text` and `occurrence`.
/// Picks that are blank or overlap an earlier match of the same words are dropped.
fn substrings(reader: &str, picks: &[(Index, Index)]) -> Vec<(String, usize)> {
    let folded = gloss::annotate::Folded::new(reader).text;
    let chars: Vec<(usize, char)> = folded.char_indices().collect();
    if chars.is_empty() {
        return Vec::new();
    }
    picks
        .iter()
        .filter_map(|(start, len)| {
            let s = start.index(chars.len());
            let n = 1 + len.index((chars.len() - s).min(60));
            let from = chars[s].0;
            let to = chars.get(s + n).map_or(folded.len(), |c| c.0);
            let piece = &folded[from..to];
            let text = piece.trim();
            if text.is_empty() {
                return None;
            }
            let at = from + (piece.len() - piece.trim_start().len());
            let occurrence = folded.match_indices(text).position(|(i, _)| i == at)?;
            Some((text.to_string(), occurrence + 1))
        })
        .collect()
}

/// The article's reader text, as anchoring sees it.
fn article_reader_text(body: &str) -> String {
    let article = parse(article_source(body, &[]));
    let anchored = gloss::annotate::anchor(&article, false).unwrap();
    anchored.reader.text.clone()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn rendering_never_panics_and_is_utf8(md in markdown(), figures in any::<bool>()) {
        let site = Site::standalone();
        // As markdown, as `gloss render` prints it.
        let html = gloss::build::render_fragment(&site, Path::new("a.md"), md.clone(), figures, false)
            .unwrap_or_else(|e| panic!("{e:?}"));
        prop_assert!(std::str::from_utf8(html.as_bytes()).is_ok());
        // As an article, as `build` publishes it.
        let html = body(&parse(article_source(&md, &[])), figures, true);
        prop_assert!(std::str::from_utf8(html.as_bytes()).is_ok());
    }

    #[test]
    fn rendering_arbitrary_text_never_panics(text in "\\PC{0,200}", figures in any::<bool>()) {
        let site = Site::standalone();
        let _ = gloss::build::render_fragment(&site, Path::new("a.md"), text, figures, false);
    }

    #[test]
    fn annotating_never_changes_the_text_a_reader_sees(
        md in markdown(),
        picks in prop::collection::vec((any::<Index>(), any::<Index>()), 1..5),
    ) {
        let reader = article_reader_text(&md);
        let texts = substrings(&reader, &picks);
        let plain = body(&parse(article_source(&md, &[])), false, true);
        let annotated = body(&parse(article_source(&md, &texts)), true, true);
        prop_assert_eq!(reader_text(&plain), reader_text(&annotated), "annotations: {:?}", texts);
    }

    #[test]
    fn every_highlight_closes_inside_its_parent(
        md in markdown(),
        picks in prop::collection::vec((any::<Index>(), any::<Index>()), 1..5),
    ) {
        let reader = article_reader_text(&md);
        let texts = substrings(&reader, &picks);
        let article = parse(article_source(&md, &texts));
        // Unsanitized: the renderer's own output, before ammonia could repair anything.
        let html = body(&article, true, false);
        if let Err(e) = check_nesting(&html) {
            return Err(TestCaseError::fail(format!("{e}\n--- html ---\n{html}\n--- annotations ---\n{texts:?}")));
        }
        prop_assert_eq!(html.matches("<mark").count(), html.matches("</mark>").count());
    }
}

#[test]
fn nesting_check_catches_a_highlight_that_crosses_its_parent() {
    assert!(check_nesting("<p><mark class=\"gl\">a</mark></p>").is_ok());
    assert!(check_nesting("<p><mark class=\"gl\">a</p><p>b</mark></p>").is_err());
    assert!(check_nesting("<p><mark>a</p>").is_err());
}

#[test]
fn reader_text_ignores_references_only() {
    assert_eq!(
        reader_text("<p>a <mark>b</mark><sup class=\"gl-ref\"><a>1</a></sup> c</p>"),
        "a b c"
    );
    assert_ne!(
        reader_text("<p>a b</p>"),
        reader_text("<p>a <mark>B</mark></p>")
    );
}

/// One step of an editor's (or a mishap's) work between two builds.
#[derive(Debug, Clone)]
enum Step {
    /// New words for article `n`'s body (most often another size).
    Edit(Index, String),
    /// One letter of article `n`'s body changed: same size, and in the same second.
    SameSize(Index, Index, char),
    /// As `SameSize`, with the file's old modification time put back (`cp -p`, `touch -d`).
    Restored(Index, Index, char),
    /// Other tags for article `n`.
    Retag(Index, Vec<String>),
    /// A new article.
    Add(String),
    /// Article `n` deleted.
    Delete(Index),
    /// A byte of a file in `.gloss-cache/` damaged.
    DamageCache(Index, Index, u8),
    /// An output file edited in place, same size, its old modification time put back.
    DamageOutput(Index, Index, char),
    /// A file left by hand in a folder of the output (the top or any below it).
    Stray(Index),
}

fn step() -> impl Strategy<Value = Step> {
    let words = "[a-z]{1,6}( [a-z]{1,6}){0,6}";
    let letter = proptest::char::range('a', 'z');
    prop_oneof![
        2 => (any::<Index>(), words).prop_map(|(n, w)| Step::Edit(n, w)),
        3 => (any::<Index>(), any::<Index>(), letter.clone()).prop_map(|(n, i, c)| Step::SameSize(n, i, c)),
        2 => (any::<Index>(), any::<Index>(), letter.clone()).prop_map(|(n, i, c)| Step::Restored(n, i, c)),
        1 => (any::<Index>(), prop::collection::vec("[A-Za-z]{1,5}", 0..3)).prop_map(|(n, t)| Step::Retag(n, t)),
        1 => words.prop_map(Step::Add),
        1 => any::<Index>().prop_map(Step::Delete),
        2 => (any::<Index>(), any::<Index>(), 1..=255u8).prop_map(|(f, i, x)| Step::DamageCache(f, i, x)),
        2 => (any::<Index>(), any::<Index>(), letter).prop_map(|(f, i, c)| Step::DamageOutput(f, i, c)),
        1 => any::<Index>().prop_map(Step::Stray),
    ]
}

/// An article of a site in the incremental-build property: its claim is always found.
fn site_article(words: &str, tags: &[String]) -> String {
    format!(
        "+++\ntitle = \"T {words}\"\ndate = 2019-07-24\ntags = {tags:?}\n[[claim]]\ntext = \"Microsoft investierte\"\nverdict = \"true\"\n+++\nMicrosoft investierte {words}.\n"
    )
}

/// Every file below `dir` (relative path, bytes), the cache left out.
fn files_below(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn sorted_files(dir: &Path) -> Vec<PathBuf> {
    files_below(dir)
        .into_keys()
        .map(|rel| dir.join(rel))
        .collect()
}

/// Rewrites the file at `path` with `bytes`, and puts its old modification time back when
/// `restore` (else the time as a 1-second file system would keep it: the same second).
fn rewrite(path: &Path, bytes: &[u8], restore: bool) {
    let before = std::fs::metadata(path).unwrap().modified().unwrap();
    std::fs::write(path, bytes).unwrap();
    if restore {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(before)
            .unwrap();
    }
}

/// Changes the letter at `at` (among the body's letters after the claim) of the article at
/// `path` to `c`: a same-size edit.
fn change_letter(path: &Path, at: Index, c: char, restore: bool) {
    let text = std::fs::read_to_string(path).unwrap();
    let body = text.rfind("investierte ").unwrap() + "investierte ".len();
    let letters: Vec<usize> = text[body..]
        .char_indices()
        .filter(|(_, l)| l.is_ascii_lowercase())
        .map(|(i, _)| body + i)
        .collect();
    if letters.is_empty() {
        return;
    }
    let i = letters[at.index(letters.len())];
    let mut bytes = text.into_bytes();
    bytes[i] = c as u8;
    rewrite(path, &bytes, restore);
}

fn apply(root: &Path, step: &Step, next: &mut usize) {
    let content = root.join("content");
    let articles = sorted_files(&content);
    let pick = |n: &Index| (!articles.is_empty()).then(|| &articles[n.index(articles.len())]);
    match step {
        Step::Edit(n, words) => {
            if let Some(p) = pick(n) {
                std::fs::write(p, site_article(words, &[])).unwrap();
            }
        }
        Step::SameSize(n, at, c) | Step::Restored(n, at, c) => {
            if let Some(p) = pick(n) {
                change_letter(p, *at, *c, matches!(step, Step::Restored(..)));
            }
        }
        Step::Retag(n, tags) => {
            if let Some(p) = pick(n) {
                let text = std::fs::read_to_string(p).unwrap();
                let words = text.rsplit("investierte ").next().unwrap().trim_end();
                let words = words.trim_end_matches('.');
                std::fs::write(p, site_article(words, tags)).unwrap();
            }
        }
        Step::Add(words) => {
            *next += 1;
            std::fs::write(
                content.join(format!("n{next}.md")),
                site_article(words, &[]),
            )
            .unwrap();
        }
        Step::Delete(n) => {
            // One article always stays, so that there is a site to compare.
            if articles.len() > 1 {
                std::fs::remove_file(pick(n).unwrap()).unwrap();
            }
        }
        Step::DamageCache(f, i, x) => {
            let files = sorted_files(&root.join(".gloss-cache"));
            if !files.is_empty() {
                let p = &files[f.index(files.len())];
                let mut bytes = std::fs::read(p).unwrap();
                if !bytes.is_empty() {
                    let at = i.index(bytes.len());
                    bytes[at] ^= x;
                    rewrite(p, &bytes, true);
                }
            }
        }
        Step::DamageOutput(f, i, c) => {
            let files: Vec<PathBuf> = sorted_files(&root.join("public"))
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "html"))
                .collect();
            if !files.is_empty() {
                let p = &files[f.index(files.len())];
                let mut bytes = std::fs::read(p).unwrap();
                let at = i.index(bytes.len());
                if bytes[at].is_ascii_alphabetic() {
                    bytes[at] = *c as u8;
                    rewrite(p, &bytes, true);
                }
            }
        }
        Step::Stray(f) => {
            let out = root.join("public");
            let folders: Vec<PathBuf> = walkdir::WalkDir::new(&out)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_dir())
                .map(|e| e.into_path())
                .collect();
            let folder = &folders[f.index(folders.len())];
            std::fs::write(folder.join("left-by-hand.txt"), "?").unwrap();
        }
    }
}

/// The output a build of `root`'s content from nothing gives.
fn built_from_nothing(root: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let fresh = tempfile::tempdir().unwrap();
    std::fs::copy(root.join("site.toml"), fresh.path().join("site.toml")).unwrap();
    // What a checkout has: the record of published ids is committed with the site.
    let record = root.join("published-ids.jsonl");
    if record.is_file() {
        std::fs::copy(&record, fresh.path().join("published-ids.jsonl")).unwrap();
    }
    std::fs::create_dir(fresh.path().join("content")).unwrap();
    for p in sorted_files(&root.join("content")) {
        std::fs::copy(
            &p,
            fresh.path().join("content").join(p.file_name().unwrap()),
        )
        .unwrap();
    }
    gloss::build::build(fresh.path(), &gloss::build::BuildOptions::default())
        .unwrap_or_else(|e| panic!("{e:?}"));
    files_below(&fresh.path().join("public"))
}

proptest! {
    // Each case is up to a dozen builds in a temp folder: 20 to 60 s for all in a debug build.
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// Whatever happens between builds (edits of any size at any time, times put back,
    /// damaged cache or output files), an incremental build publishes exactly the bytes a
    /// build from nothing does. Times are seen as a file system with 1-second timestamps
    /// keeps them, where two edits within a second leave the same times behind.
    #[test]
    fn an_incremental_build_publishes_what_a_build_from_nothing_does(
        steps in prop::collection::vec(step(), 1..7),
    ) {
        gloss::build::reuse::simulate_coarse_timestamps(true);
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::write(
            root.join("site.toml"),
            "title = \"T\"\nlanguage = \"de\"\nbase_url = \"https://example.org/\"\n",
        )
        .unwrap();
        std::fs::create_dir(root.join("content")).unwrap();
        for (i, words) in ["eins zwei", "drei vier", "fuenf"].iter().enumerate() {
            std::fs::write(root.join(format!("content/a{i}.md")), site_article(words, &[])).unwrap();
        }
        let opts = gloss::build::BuildOptions::default();
        gloss::build::build(root, &opts).unwrap_or_else(|e| panic!("{e:?}"));
        let mut next = 0;
        for (n, step) in steps.iter().enumerate() {
            apply(root, step, &mut next);
            gloss::build::build(root, &opts).unwrap_or_else(|e| panic!("{e:?}"));
            let incremental = files_below(&root.join("public"));
            let fresh = built_from_nothing(root);
            let differ: std::collections::BTreeSet<&PathBuf> = fresh
                .keys()
                .chain(incremental.keys())
                .filter(|k| fresh.get(*k) != incremental.get(*k))
                .collect();
            prop_assert!(differ.is_empty(), "after step {} of {:?}: {:?} differ", n + 1, steps, differ);
        }
    }
}
