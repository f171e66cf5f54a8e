//! Loading: every `content/**/*.md` into an [`Article`], every error located.
mod frontmatter;
pub mod section;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;
use toml::Spanned;

use crate::config::{Site, read_text};
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use frontmatter::{RawAnnotation, RawFrontMatter, RawLink};

/// The folder, below the site root, that holds the articles.
pub const CONTENT_DIR: &str = "content";

/// The largest article file gloss builds, in bytes. A whole novel is 2 to 4 MB of text and
/// the longest newspaper features a few hundred kB; a build holds several working copies of
/// an article at once (its events, reader text, highlights, page), so an unbounded one is
/// unbounded memory (a 50 MB article took 5.2 GB).
pub const MAX_ARTICLE_BYTES: usize = 10_000_000;
/// The most annotations one article may have: heavily annotated articles have hundreds.
pub const MAX_ANNOTATIONS: usize = 10_000;
/// The most tags one article may have. Every tag page lists the article with all its tags,
/// so its tags cost their number squared in output (10,000 tags wrote 4.4 GB); newsrooms
/// tag with a handful.
pub const MAX_TAGS: usize = 100;

/// One article: its metadata, its markdown body and what the editor said about it.
#[derive(Debug, Clone)]
pub struct Article {
    /// The source file, relative to the site root (`content/2019/x.md`).
    pub path: PathBuf,
    /// The whole file, byte-order mark removed.
    pub source: String,
    /// Where the markdown body starts in `source`.
    pub body_offset: usize,
    /// The page's path below the site root, with a trailing slash (`2019/x/`).
    pub url_path: String,
    /// Front matter fields.
    pub meta: Meta,
    /// Claims, quotes, figures, notes and corrections, in front matter order by kind.
    pub annotations: Vec<Annotation>,
}

impl Article {
    /// The markdown body.
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }
}

/// An article's front matter, checked.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// Headline.
    pub title: String,
    /// Publication date.
    pub date: Date,
    /// Date of the last change, if any.
    pub updated: Option<Date>,
    /// After this day the article is no longer listed (its page stays).
    pub expires: Option<Date>,
    /// Where `date` is written in the source (for the warning of a scheduled article).
    #[serde(skip)]
    pub date_at: Option<Range<usize>>,
    /// Language tag (`de`).
    pub lang_tag: String,
    /// The language gloss uses for the theme's words and for figures.
    #[serde(skip)]
    pub lang: Lang,
    /// Authors.
    pub authors: Vec<String>,
    /// A sentence or two about the article.
    pub summary: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// The terms of each of the site's taxonomies it is in (`[taxonomies]`), by taxonomy
    /// name, in site.toml's order; only those it sets.
    pub taxonomies: Vec<(String, Vec<String>)>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// A standalone page (`kind = "page"`: About, how the site rates claims, a policy):
    /// outside the listings, feeds and search, without annotations. Its `date` is the day
    /// of its `updated` or `date` (the one readers see, if any), else [`UNDATED`].
    pub page: bool,
    /// Where the text first appeared.
    pub source: Option<SourceInfo>,
    /// The text is a translation.
    pub translation: Option<Translation>,
    /// The same article in other languages, by language.
    pub translations: Vec<TranslationLink>,
    /// Overrides the site's `[figures] auto`.
    pub figures_auto: Option<bool>,
    /// Whether bare counts are marked as figures (the article's `[figures] counts`, else
    /// the site's).
    pub figures_counts: bool,
}

/// The `date` of a page that gives none: never shown, only sorted by.
pub const UNDATED: Date = Date::constant(1970, 1, 1);

/// Where an article's text first appeared.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct SourceInfo {
    /// Publication name.
    pub name: String,
    /// Address of the original.
    pub url: Option<String>,
    /// Date of the original.
    pub date: Option<Date>,
    /// An archived copy of the original.
    pub archive: Option<String>,
    /// When the editor last saw the original.
    pub accessed: Option<Date>,
}

/// Which language an article was translated from, and by whom.
#[derive(Debug, Clone, Serialize)]
pub struct Translation {
    /// Language tag of the original.
    pub from: String,
    /// "machine", a name, …
    pub by: Option<String>,
}

/// One of `translations = { en = "../en/x.md" }`.
#[derive(Debug, Clone, Serialize)]
pub struct TranslationLink {
    /// The translation's language tag.
    pub lang: String,
    /// Its file, as written (relative to this one, or `@/…` from `content/`).
    pub file: String,
    /// Where `file` is written in the article's source.
    #[serde(skip)]
    pub span: Range<usize>,
}

/// A link to a source of a check.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Link {
    /// What to show; the URL itself when no title was given.
    pub title: String,
    /// Where it points.
    pub url: String,
    /// When the source was published, as written.
    pub date: Option<String>,
    /// An archived copy's address (a web archive's snapshot, a saved PDF beside the article).
    pub archive: Option<String>,
    /// When the editor last saw the source.
    pub accessed: Option<Date>,
    /// Where the source is written in the article's file (the string, or the table).
    #[serde(skip)]
    pub span: Range<usize>,
}

/// The kinds of annotation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A statement that was checked.
    Claim,
    /// Words someone said.
    Quote,
    /// An editorial remark.
    Note,
    /// Something the text got wrong.
    Correction,
    /// A number and what it means.
    Figure,
}

impl Kind {
    /// The front matter table name (`claim` for `[[claim]]`).
    pub fn key(self) -> &'static str {
        match self {
            Kind::Claim => "claim",
            Kind::Quote => "quote",
            Kind::Note => "note",
            Kind::Correction => "correction",
            Kind::Figure => "figure",
        }
    }
}

/// Where an annotation attaches: W3C TextQuoteSelector plus an occurrence index.
#[derive(Debug, Clone, Serialize)]
pub struct Anchor {
    /// The exact words in the article.
    pub text: String,
    /// Words just before.
    pub prefix: Option<String>,
    /// Words just after.
    pub suffix: Option<String>,
    /// Pick the Nth match (1-based).
    pub occurrence: Option<usize>,
    /// Every match (a correction of words the text repeats).
    pub all: bool,
}

/// One annotation of an article.
#[derive(Debug, Clone, Serialize)]
pub struct Annotation {
    /// Kind of annotation.
    pub kind: Kind,
    /// Unique within the article; used for HTML ids. The editor's `id`, else made from the
    /// kind and the annotation's own words (see [`default_ids`]).
    pub id: String,
    /// Byte range of the editor's `id` value in the article's source; `None` for a default id.
    #[serde(skip)]
    pub id_span: Option<Range<usize>>,
    /// 1-based place among the article's annotations of its kind: the number of the
    /// positional id (`claim-2`) earlier versions of gloss gave it.
    #[serde(skip)]
    pub position: usize,
    /// Where it attaches.
    pub anchor: Anchor,
    /// Byte range of the `text` value in the article's source, for errors.
    #[serde(skip)]
    pub span: Range<usize>,
    /// Markdown note.
    pub note: Option<String>,
    /// Sources of the check.
    pub sources: Vec<Link>,
    /// Kind-specific fields.
    pub detail: Detail,
}

/// What only one kind of annotation has.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Detail {
    /// A claim.
    Claim {
        /// What is claimed, as a statement; the anchored words when not given.
        statement: Option<String>,
        /// Who claims it: a name, or [`ARTICLE_ITSELF`].
        by: Option<String>,
        /// When the claim was made, if the editor says so.
        date: Option<Date>,
        /// A key of the site's verdict scale.
        verdict: String,
        /// One sentence with the verdict.
        conclusion: Option<String>,
    },
    /// A quote.
    Quote {
        /// Who said it, as the editor wrote it.
        speaker: String,
        /// Their role at the time.
        role: Option<String>,
    },
    /// A figure the editor describes.
    Figure {
        /// Normalized value (a decimal string).
        value: Option<String>,
        /// Unit of the value.
        unit: Option<String>,
        /// Silences a wrongly detected figure.
        ignore: bool,
    },
    /// A note.
    Note,
    /// A correction.
    Correction {
        /// What is right.
        correct: String,
        /// When the correction was made.
        date: Option<Date>,
    },
}

/// What a claim's `by` says for a claim the article itself makes: its claimant is the
/// article's `source` (or, without one, its authors), and it appeared where the article did.
pub const ARTICLE_ITSELF: &str = "@article";

/// Who makes a claim, as listings and pages file it: the name `by` gives (for
/// [`ARTICLE_ITSELF`], the name of the article's `source`), or `None` for the article itself
/// without a source, or for a claim that names nobody.
pub fn claimant<'a>(by: Option<&'a str>, source: Option<&'a SourceInfo>) -> Option<&'a str> {
    match by {
        Some(ARTICLE_ITSELF) => source
            .map(|s| s.name.as_str())
            .filter(|n| !n.trim().is_empty()),
        other => other,
    }
}

/// Warnings about an article's claims that do not stop a build: a claim that names no
/// claimant (its ClaimReview cannot say who made it).
pub fn claim_warnings(article: &Article) -> Vec<Diagnostic> {
    article
        .annotations
        .iter()
        .filter(|a| matches!(a.detail, Detail::Claim { by: None, .. }))
        .map(|a| {
            Diagnostic::at(&article.path, &article.source, a.span.clone(), "this claim names no claimant")
                .with_help(format!(
                    "add `by = \"…\"` with who made it (a name in the people registry), or `by = \"{ARTICLE_ITSELF}\"` if the article itself claims it"
                ))
                .warning()
        })
        .collect()
}

/// All articles of a site, and the other files of `content/` to copy.
#[derive(Debug, Default)]
pub struct Content {
    /// Articles, in path order.
    pub articles: Vec<Article>,
    /// Non-markdown files (bundle assets), relative to `content/`.
    pub assets: Vec<PathBuf>,
    /// A warning for each article dated after today, left out (see [`Loaded::Scheduled`]).
    pub scheduled: Vec<Diagnostic>,
    /// The sections (folders with an `_index.md`), in path order.
    pub sections: Vec<section::Section>,
}

/// The files of `content/`, found but not read.
#[derive(Debug, Default)]
pub struct Files {
    /// Markdown files, relative to the site root, in path order.
    pub articles: Vec<PathBuf>,
    /// Other files (bundle assets), relative to `content/`.
    pub assets: Vec<PathBuf>,
    /// Sections' `_index.md` files, relative to the site root, in path order.
    pub sections: Vec<PathBuf>,
}

/// Loads every article below `site.root/content`; drafts only when `drafts` is set.
pub fn load(site: &Site, drafts: bool) -> Result<Content, Vec<Diagnostic>> {
    let files = discover(site)?;
    let sections = section::load(site, &files.sections)?;
    let results: Vec<Result<Loaded, Vec<Diagnostic>>> = files
        .articles
        .par_iter()
        .map(|rel| load_file(site, rel, drafts, &|_, _| false))
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    let mut scheduled = Vec::new();
    for r in results {
        match r {
            Ok(Loaded::Article(a)) => articles.push(*a),
            Ok(Loaded::Scheduled(d)) => scheduled.push(*d),
            Ok(Loaded::Known | Loaded::Draft) => {}
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(Content {
            articles,
            assets: files.assets,
            scheduled,
            sections,
        })
    } else {
        Err(errors)
    }
}

/// Finds the files below `site.root/content`: articles and assets. Refuses links out of the
/// site and two articles that would become one page (which the paths alone decide).
pub fn discover(site: &Site) -> Result<Files, Vec<Diagnostic>> {
    let content_dir = site.root.join(CONTENT_DIR);
    let mut errors = Vec::new();
    let mut md_files = Vec::new();
    let mut assets = Vec::new();
    if !content_dir.is_dir() {
        return Ok(Files::default());
    }
    let canonical_root = site
        .root
        .canonicalize()
        .unwrap_or_else(|_| site.root.clone());
    let canonical_content = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.clone());
    let mut walker = walkdir::WalkDir::new(&content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_default();
                errors.push(Diagnostic::file(
                    rel(&site.root, &path),
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        if entry.depth() > 0
            && let Err(why) = url_safe_name(entry.file_name())
        {
            errors.push(
                Diagnostic::file(
                    rel(&site.root, path),
                    format!(
                        "the name {:?} cannot be part of a web address: {why}",
                        entry.file_name()
                    ),
                )
                .with_help("rename it: its name becomes part of the page's or file's address"),
            );
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() {
            // A link out of the site would publish files the editor never meant to publish.
            let target = path.canonicalize();
            let inside = target
                .as_ref()
                .is_ok_and(|t| t.starts_with(&canonical_root));
            if !inside {
                errors.push(
                    Diagnostic::file(
                        rel(&site.root, path),
                        "symbolic link points outside the site",
                    )
                    .with_help("copy the file into the site instead of linking to it"),
                );
                continue;
            }
            // Inside the site but not below content/: `.env`, `.git/config`, site.toml.
            let published = entry.depth() == 0
                || target
                    .as_ref()
                    .is_ok_and(|t| t.starts_with(&canonical_content));
            if !published {
                let to = target
                    .as_ref()
                    .ok()
                    .and_then(|t| t.strip_prefix(&canonical_root).ok())
                    .map(|t| t.display().to_string())
                    .unwrap_or_default();
                errors.push(
                    Diagnostic::file(
                        rel(&site.root, path),
                        format!("symbolic link points outside content/ (to {to})"),
                    )
                    .with_help("only files below content/ are published: copy the file into content/ if it is meant to be"),
                );
                continue;
            }
        }
        if !path.is_file() {
            continue;
        }
        if path.extension().is_some_and(|e| e == "md") {
            md_files.push(path.to_path_buf());
        } else if is_editor_file(entry.file_name()) {
            // An editor's backup or autosave: never meant to be published, and refusing it
            // would fail every build while the file is open.
        } else if let Ok(r) = path.strip_prefix(&content_dir) {
            match publishable(r) {
                Ok(()) => assets.push(r.to_path_buf()),
                Err((why, help)) => {
                    errors.push(Diagnostic::file(rel(&site.root, path), why).with_help(help));
                }
            }
        }
    }
    let (sections, articles): (Vec<PathBuf>, Vec<PathBuf>) = md_files
        .iter()
        .map(|p| rel(&site.root, p))
        .partition(|p| section::is_section_file(p));
    let mut by_url: HashMap<String, &Path> = HashMap::new();
    for path in &articles {
        let url = url_path_for(path);
        if let Some(first) = by_url.insert(url.clone(), path) {
            errors.push(
                Diagnostic::file(
                    path,
                    format!(
                        "this article and {} both become the page /{url}",
                        first.display(),
                    ),
                )
                .with_help("rename or move one of them"),
            );
        }
    }
    for file in &sections {
        // The section's listing is the folder's page.
        let url = url_path_for(file.parent().unwrap_or(file));
        if let Some(article) = by_url.get(url.as_str()) {
            errors.push(
                Diagnostic::file(
                    file,
                    format!(
                        "this section's page /{url} is where {} goes",
                        article.display()
                    ),
                )
                .with_help(
                    "a folder is a section (`_index.md`, its page lists its articles) or a bundle (`index.md`, one article), not both; rename or move the article",
                ),
            );
        }
    }
    if errors.is_empty() {
        Ok(Files {
            articles,
            assets,
            sections,
        })
    } else {
        Err(errors)
    }
}

/// Why a file or folder name in `content/` cannot become part of a URL path, if it cannot.
/// Everything else is percent-encoded where gloss links to it
/// ([`crate::render::url_of_path`]).
fn url_safe_name(name: &std::ffi::OsStr) -> Result<(), &'static str> {
    let Some(name) = name.to_str() else {
        return Err("it is not valid UTF-8");
    };
    if name.chars().any(char::is_control) {
        return Err("it holds a control character");
    }
    if name.contains('\\') {
        // A folder separator on Windows, and browsers read `\` in an address as `/`.
        return Err("it holds a backslash");
    }
    Ok(())
}

/// Whether `name` is an editor's backup, autosave or probe file (`x.md~`, `#x.md#`, vim's
/// `4913`, swap files).
fn is_editor_file(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// The file types a bundle may publish from `content/`, by extension (lower case): media
/// and data a browser shows or offers for download but never runs as a page or script.
pub const PUBLISHED_TYPES: &[&str] = &[
    // images (SVG, which can hold script, is not one of them)
    "png", "jpg", "jpeg", "gif", "webp", "avif", //
    // audio, video and their captions
    "mp3", "m4a", "aac", "oga", "ogg", "opus", "wav", "flac", "mp4", "m4v", "webm", "ogv", "mov",
    "vtt", //
    // documents and data
    "pdf", "csv", "tsv", "json", "txt",
];

/// Whether the non-markdown file `rel` (relative to `content/`) may be published, else the
/// error and its help. Articles come from contributors who are not trusted: a file a browser
/// runs (HTML, SVG, JavaScript, XML with a stylesheet) would run on the site's own address,
/// with its cookies and storage.
pub fn publishable(rel: &Path) -> Result<(), (String, String)> {
    let ext = rel
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if PUBLISHED_TYPES.contains(&ext.as_str()) {
        return Ok(());
    }
    let trusted =
        "if the file is trusted, put it in `static/` (the theme's files are published as they are)";
    let (why, help) = match ext.as_str() {
        "svg" | "svgz" => (
            "an SVG image can run script on the site's address".to_string(),
            format!("convert it to PNG or WebP; {trusted}"),
        ),
        "html" | "htm" | "xhtml" | "xht" | "shtml" | "mht" | "mhtml" | "xml" | "xsl" | "xslt" => (
            format!("a .{ext} file can run script on the site's address"),
            format!("write the page as a markdown article (`.md`); {trusted}"),
        ),
        "js" | "mjs" | "cjs" | "wasm" | "css" => (
            format!(
                "a .{ext} file from content/ is not published: scripts and styles belong to the theme"
            ),
            trusted.to_string(),
        ),
        _ => (
            if ext.is_empty() {
                "a file without an extension is not published from content/".to_string()
            } else {
                format!("a .{ext} file is not one of the types published from content/")
            },
            format!(
                "publishable beside an article: {}; move other files out of content/",
                PUBLISHED_TYPES.join(", ")
            ),
        ),
    };
    Err((why, help))
}

/// Tells whether the caller already knows what an article file makes (by its path relative to
/// the site root and its text), so it need not be parsed.
pub type Known<'a> = dyn Fn(&Path, &str) -> bool + Sync + 'a;

/// What reading one article file gave.
#[derive(Debug)]
pub enum Loaded {
    /// The article, parsed.
    Article(Box<Article>),
    /// The caller knows this file already (`known` said so); not parsed.
    Known,
    /// A draft, left out.
    Draft,
    /// An article dated after today (without `--future`), left out: the warning that says
    /// when it will be published.
    Scheduled(Box<Diagnostic>),
}

fn rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Reads the article file `rel` (relative to the site root) and parses it unless `known`
/// recognises it; a draft is left out unless `drafts`.
pub fn load_file(
    site: &Site,
    rel: &Path,
    drafts: bool,
    known: &Known<'_>,
) -> Result<Loaded, Vec<Diagnostic>> {
    refuse_huge(site, rel)?;
    let text = read_text(&site.root.join(rel)).map_err(|d| vec![d.relative_to(&site.root)])?;
    if known(rel, &text) {
        return Ok(Loaded::Known);
    }
    let article = parse_article(site, rel.to_path_buf(), text, url_path_for(rel))?;
    Ok(if !drafts && article.meta.draft {
        Loaded::Draft
    } else if let Some(warning) = scheduled(site, &article) {
        Loaded::Scheduled(Box::new(warning))
    } else {
        Loaded::Article(Box::new(article))
    })
}

/// The warning for an article that `site`'s schedule does not publish yet (dated after
/// today, built without `--future`), located at its `date`; `None` for one it publishes.
pub fn scheduled(site: &Site, article: &Article) -> Option<Diagnostic> {
    let date = article.meta.date;
    if article.meta.page || site.schedule.published(date) {
        return None;
    }
    let message = format!(
        "this article is dated {date}, after today ({}): it is not published until then",
        site.schedule.today
    );
    let help = format!(
        "the first build on or after {date} publishes it (page, listings, feeds, search); `--future` publishes it now"
    );
    let d = match &article.meta.date_at {
        Some(at) => Diagnostic::at(&article.path, &article.source, at.clone(), message),
        None => Diagnostic::file(&article.path, message),
    };
    Some(d.with_help(help).warning())
}

/// An article file larger than [`MAX_ARTICLE_BYTES`] is refused before it is read.
fn refuse_huge(site: &Site, rel: &Path) -> Result<(), Vec<Diagnostic>> {
    match std::fs::metadata(site.root.join(rel)) {
        Ok(meta) if meta.len() > MAX_ARTICLE_BYTES as u64 => Err(vec![too_large(rel, meta.len())]),
        _ => Ok(()),
    }
}

fn too_large(path: &Path, len: u64) -> Diagnostic {
    crate::config::LoadError::TooLarge {
        path: path.to_path_buf(),
        len,
    }
    .into()
}

/// The page path of a content file: `content/a/b.md` → `a/b/`, `content/a/index.md` → `a/`.
pub fn url_path_for(rel_path: &Path) -> String {
    let inner = rel_path.strip_prefix(CONTENT_DIR).unwrap_or(rel_path);
    let mut parts: Vec<String> = inner
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.strip_suffix(".md").unwrap_or(&last).to_string();
        if stem != "index" {
            parts.push(stem);
        }
    }
    let mut url = parts.join("/");
    if !url.is_empty() {
        url.push('/');
    }
    url
}

/// Splits `+++` front matter from the body: (front matter range, body start).
pub(crate) fn split_front_matter(text: &str) -> Option<Result<(Range<usize>, usize), ()>> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "+++" {
        return None;
    }
    let fm_start = (first_line_end + 1).min(text.len());
    let mut pos = fm_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "+++" {
            return Some(Ok((fm_start..pos, (end + 1).min(text.len()))));
        }
        pos = end + 1;
    }
    Some(Err(()))
}

/// Parses and checks one article's text. `path` is only used in messages.
pub fn parse_article(
    site: &Site,
    path: PathBuf,
    text: String,
    url_path: String,
) -> Result<Article, Vec<Diagnostic>> {
    if text.len() > MAX_ARTICLE_BYTES {
        return Err(vec![too_large(&path, text.len() as u64)]);
    }
    let source = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let (fm, body_offset) = match split_front_matter(&source) {
        Some(Ok(found)) => found,
        Some(Err(())) => {
            return Err(vec![
                Diagnostic::at(&path, &source, 0..3, "front matter never closes")
                    .with_help("end the front matter with a line that holds only `+++`"),
            ]);
        }
        None if source.starts_with("---") => {
            return Err(vec![yaml_front_matter(&path, &source)]);
        }
        None => {
            let d = if source.trim().is_empty() {
                Diagnostic::file(&path, "empty file").with_help(
                    "an article starts with front matter: `+++`, `title = \"…\"`, `date = …`, `+++`",
                )
            } else {
                Diagnostic::at(&path, &source, 0..0, "article has no front matter").with_help(
                    "start the file with a line `+++`, then `title = \"…\"` and `date = YYYY-MM-DD`, then `+++`",
                )
            };
            return Err(vec![d]);
        }
    };
    let raw: RawFrontMatter =
        crate::toml_input::parse(&path, &source, &source[fm.clone()], fm.start)
            .map_err(|d| vec![taxonomy_at_top(site, d)])?;
    let mut cx = Checker {
        site,
        path: &path,
        source: &source,
        offset: fm.start,
        errors: Vec::new(),
    };
    cx.limits(&raw, &source[fm.clone()]);
    let meta = cx.meta(&raw, &source[fm.clone()]);
    let annotations = cx.annotations(raw);
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    let meta = meta.ok_or_else(Vec::new)?;
    Ok(Article {
        path,
        source,
        body_offset,
        url_path,
        meta,
        annotations,
    })
}

/// The error for front matter written in YAML (`---` lines, `key: value`), as Hugo, Jekyll
/// and Zola's YAML option write it: its help shows the first lines as TOML.
fn yaml_front_matter(path: &Path, source: &str) -> Diagnostic {
    let mut lines = source.lines().skip(1);
    let mut shown = Vec::new();
    for line in lines.by_ref() {
        if line.trim_end() == "---" || shown.len() == 3 {
            break;
        }
        if let Some((key, value)) = line.split_once(':')
            && !key.trim().is_empty()
            && !key.starts_with([' ', '\t', '-', '#'])
        {
            let value = value.trim();
            let toml_value = if value.is_empty()
                || value.parse::<Date>().is_ok()
                || value.starts_with(['"', '[', '{'])
                || matches!(value, "true" | "false")
                || value.parse::<f64>().is_ok()
            {
                value.to_string()
            } else {
                toml::Value::String(value.trim_matches('\'').to_string()).to_string()
            };
            shown.push(format!("`{} = {toml_value}`", key.trim()));
        }
    }
    let example = if shown.is_empty() {
        "`title = \"…\"`, `date = 2019-07-24`".to_string()
    } else {
        shown.join(", ")
    };
    Diagnostic::at(path, source, 0..3, "the front matter is YAML (`---`); gloss reads TOML between `+++` lines")
        .with_help(format!(
            "replace both `---` lines with `+++` and write each `key: value` as `key = value`, text in quotes: {example}"
        ))
}

/// Where the top-level key `key` is written in the front matter `front` (the key itself), or
/// the front matter's start when it cannot be told.
/// An unknown key of front matter that names one of the site's taxonomies
/// (`categories = […]` at the top) gets help saying where it goes; any other error is `d`.
fn taxonomy_at_top(site: &Site, d: Diagnostic) -> Diagnostic {
    let Some(key) = d
        .message
        .strip_prefix("unknown key `")
        .and_then(|r| r.split('`').next())
    else {
        return d;
    };
    if !site.config.taxonomies.iter().any(|t| t.name == key) {
        return d;
    }
    Diagnostic {
        message: format!("`{key}` is a taxonomy: its terms go in the `[taxonomies]` table"),
        ..d
    }
    .with_help(format!(
        "write `taxonomies = {{ {key} = […] }}` among the keys at the top, or `[taxonomies]` and `{key} = […]` below them (before any `[[claim]]`)"
    ))
}

fn key_span(front: &str, key: &str) -> Range<usize> {
    let mut at = 0;
    for line in front.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            break;
        }
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let start = at + (line.len() - trimmed.len());
            return start..start + key.len();
        }
        at += line.len();
    }
    0..0
}

/// Turns raw front matter into checked data, collecting every error rather than the first.
struct Checker<'a> {
    site: &'a Site,
    path: &'a Path,
    source: &'a str,
    offset: usize,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        let span = span.start + self.offset..span.end + self.offset;
        self.errors
            .push(Diagnostic::at(self.path, self.source, span, message).with_help(help));
    }

    fn date(&mut self, value: &Spanned<toml::Value>, key: &str) -> Option<Date> {
        let parsed = match value.get_ref() {
            toml::Value::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), _) => Date::new(d.year as i16, d.month as i8, d.day as i8).ok(),
                _ => None,
            },
            toml::Value::String(s) => s.get(..10).and_then(|d| d.parse::<Date>().ok()),
            _ => None,
        };
        if parsed.is_none() {
            let iso = match value.get_ref() {
                toml::Value::String(s) => crate::toml_input::iso_date(s),
                _ => None,
            };
            self.error(
                value.span(),
                format!("`{key}` is not a date"),
                format!(
                    "write `{key} = {}` (year-month-day)",
                    iso.as_deref().unwrap_or("2019-07-24")
                ),
            );
        }
        parsed
    }

    /// Checks an address the page will link to (`key` names it in messages, `whose` in the
    /// help): an http(s) address or a relative path; never a script or `data:` URL, nor an
    /// address without its scheme, which would be a broken path on this site.
    fn address(&mut self, url: &str, span: Range<usize>, key: &str, whose: &str) {
        let span = self.unquoted(span);
        if crate::links::looks_like_host(url) {
            self.error(
                span,
                format!(
                    "{key} `{}` has no scheme, so it would link to a page of this site",
                    url.trim()
                ),
                format!("did you mean `https://{}`?", url.trim()),
            );
        } else if !crate::render::sanitize::is_safe_url(url) {
            self.error(
                span,
                format!("{key} `{url}` is not a web address"),
                format!("write {whose} http(s) address (or a path relative to the article); script and data URLs are refused"),
            );
        }
    }

    /// A string value's span (front matter relative) without its quotes, so that an error
    /// points at the address itself.
    fn unquoted(&self, span: Range<usize>) -> Range<usize> {
        let text = self
            .source
            .get(self.offset + span.start..self.offset + span.end)
            .unwrap_or_default();
        let q = |c: char| c == '"' || c == '\'';
        if text.len() >= 2 && text.starts_with(q) && text.ends_with(q) {
            span.start + 1..span.end - 1
        } else {
            span
        }
    }

    /// One entry of `sources`, checked: its addresses as [`Checker::address`] says, its
    /// `accessed` a date.
    fn link(&mut self, raw: Spanned<RawLink>) -> Link {
        let span = raw.span();
        match raw.into_inner() {
            RawLink::Url(url) => {
                self.address(&url, span.clone(), "source", "the source's");
                Link {
                    title: url.clone(),
                    url,
                    date: None,
                    archive: None,
                    accessed: None,
                    span: span.start + self.offset..span.end + self.offset,
                }
            }
            RawLink::Titled(t) => {
                self.address(t.url.get_ref(), t.url.span(), "source", "the source's");
                if let Some(archive) = &t.archive {
                    self.address(
                        archive.get_ref(),
                        archive.span(),
                        "archive",
                        "the archived copy's",
                    );
                }
                let date = t.date.map(|d| match d.into_inner() {
                    toml::Value::String(s) => s,
                    other => other.to_string(),
                });
                let accessed = t.accessed.as_ref().and_then(|d| self.date(d, "accessed"));
                let url = t.url.into_inner();
                Link {
                    title: t
                        .title
                        .filter(|t| !t.trim().is_empty())
                        .unwrap_or_else(|| url.clone()),
                    url,
                    date,
                    archive: t.archive.map(Spanned::into_inner),
                    accessed,
                    span: span.start + self.offset..span.end + self.offset,
                }
            }
        }
    }

    fn meta(&mut self, raw: &RawFrontMatter, front: &str) -> Option<Meta> {
        let page = match &raw.kind {
            None => false,
            Some(k) => match k.get_ref().as_str() {
                "article" => false,
                "page" => true,
                other => {
                    let msg = match crate::toml_input::closest(other, ["article", "page"]) {
                        Some(best) => format!("unknown kind `{other}`, did you mean `{best}`?"),
                        None => format!("unknown kind `{other}`"),
                    };
                    self.error(
                        k.span(),
                        msg,
                        "write `kind = \"page\"` for a standalone page (About, a policy); articles need no `kind`",
                    );
                    false
                }
            },
        };
        let date = raw.date.as_ref().and_then(|d| self.date(d, "date"));
        let updated = raw.updated.as_ref().and_then(|u| self.date(u, "updated"));
        let expires = raw.expires.as_ref().and_then(|e| self.date(e, "expires"));
        if let (Some(date), Some(expires), Some(at)) = (date, expires, &raw.expires)
            && expires < date
        {
            self.error(
                at.span(),
                format!("the article expires ({expires}) before it is published ({date})"),
                "`expires` is the last day the article is listed: a day on or after its `date`",
            );
        }
        if raw.date.is_none() && !page {
            self.error(
                0..0,
                "missing required key `date`",
                "add `date = YYYY-MM-DD` (the day the article was published); a standalone page needs `kind = \"page\"` instead",
            );
        }
        if page {
            self.page_keys(raw, front);
        }
        let (date, updated) = if page {
            // A page shows one date, the day it was last changed.
            let shown = updated.or(date);
            (Some(shown.unwrap_or(UNDATED)), shown)
        } else {
            (date, updated)
        };
        let lang_tag = match &raw.lang {
            Some(l) => l.get_ref().trim().to_string(),
            None => self.site.config.language.clone(),
        };
        // The article's language is its page's: a tag gloss has words for.
        let (lang_tag, lang) = match crate::lang::page_language(&lang_tag) {
            Ok(ok) => ok,
            Err(e) => {
                let span = raw.lang.as_ref().map_or(0..0, Spanned::span);
                let message = match &raw.lang {
                    Some(_) => format!("lang: {}", e.message),
                    None => format!("the site's language: {}", e.message),
                };
                self.error(span, message, e.help);
                (lang_tag, Lang::default())
            }
        };
        let translated_from = raw.translation.as_ref().map(|t| {
            // The original may be in any language, named by a well-formed tag.
            match crate::lang::well_formed(t.from.get_ref()) {
                Ok(tag) => tag,
                Err(e) => {
                    self.error(
                        t.from.span(),
                        format!("translation.from: {}", e.message),
                        e.help,
                    );
                    t.from.get_ref().clone()
                }
            }
        });
        let mut translations = Vec::new();
        for (tag, file) in &raw.translations {
            let primary = crate::config::primary_subtag(tag);
            // A translation is a page too: in a language gloss has words for.
            if let Err(e) = crate::lang::page_language(tag) {
                self.error(file.span(), format!("translations: {}", e.message), e.help);
                continue;
            }
            if primary == crate::config::primary_subtag(&lang_tag) {
                self.error(
                    file.span(),
                    format!("a translation in `{tag}`, the article's own language"),
                    "list only the article in other languages; another version in the same language is a different article",
                );
                continue;
            }
            let written = file.get_ref().trim();
            if !(written.ends_with(".md") || written.starts_with("@/")) || written.contains('#') {
                self.error(
                    file.span(),
                    format!("`{written}` is not an article's file"),
                    "write the translation's file as you would link it: `../en/article.md`, or `@/en/article.md` from content/",
                );
                continue;
            }
            translations.push(TranslationLink {
                lang: tag.clone(),
                file: written.to_string(),
                span: file.span().start + self.offset..file.span().end + self.offset,
            });
        }
        if raw.title.get_ref().trim().is_empty() {
            self.error(raw.title.span(), "the title is empty", "write the headline");
        }
        let source = raw.source.as_ref().map(|s| {
            if let Some(url) = &s.url {
                self.address(url.get_ref(), url.span(), "source.url", "the original's");
            }
            if let Some(archive) = &s.archive {
                self.address(
                    archive.get_ref(),
                    archive.span(),
                    "source.archive",
                    "the archived copy's",
                );
            }
            SourceInfo {
                name: s.name.clone(),
                url: s.url.as_ref().map(|u| u.get_ref().clone()),
                date: s.date.as_ref().and_then(|d| self.date(d, "source.date")),
                archive: s.archive.as_ref().map(|a| a.get_ref().clone()),
                accessed: s
                    .accessed
                    .as_ref()
                    .and_then(|d| self.date(d, "source.accessed")),
            }
        });
        Some(Meta {
            title: raw.title.get_ref().clone(),
            date: date?,
            updated,
            expires,
            date_at: raw
                .date
                .as_ref()
                .map(|d| d.span().start + self.offset..d.span().end + self.offset),
            lang_tag,
            lang,
            authors: raw.authors.clone(),
            summary: raw.summary.clone(),
            tags: raw.tags.clone(),
            taxonomies: self.taxonomies(raw),
            draft: raw.draft,
            page,
            source,
            translation: raw.translation.as_ref().map(|t| Translation {
                from: translated_from.clone().unwrap_or_default(),
                by: t.by.clone(),
            }),
            translations,
            figures_auto: raw.figures.as_ref().map(|f| f.auto),
            figures_counts: raw
                .figures
                .as_ref()
                .and_then(|f| f.counts)
                .or(self.site.config.figures.counts)
                .unwrap_or(false),
        })
    }

    /// The article's `[taxonomies]`, each checked to be one site.toml declares (else an error
    /// at its terms with the closest name), in site.toml's order.
    fn taxonomies(&mut self, raw: &RawFrontMatter) -> Vec<(String, Vec<String>)> {
        let declared = &self.site.config.taxonomies;
        for (name, terms) in &raw.taxonomies {
            if declared.iter().any(|t| &t.name == name) {
                if terms.get_ref().len() > MAX_TAGS {
                    self.error(
                        terms.span(),
                        format!(
                            "{} terms of `{name}`; an article may have at most {MAX_TAGS}",
                            terms.get_ref().len()
                        ),
                        "keep the terms readers would look for this article under",
                    );
                }
                continue;
            }
            let names: Vec<&str> = declared.iter().map(|t| t.name.as_str()).collect();
            let (message, help) = match crate::toml_input::closest(name, names.iter().copied()) {
                Some(best) => (
                    format!("unknown taxonomy `{name}`, did you mean `{best}`?"),
                    format!("write `{best} = […]`; the site's taxonomies: {}", names.join(", ")),
                ),
                None if names.is_empty() => (
                    format!("unknown taxonomy `{name}`"),
                    "the site declares no taxonomies: add `[[taxonomy]]` with `name = \"…\"` and `title = \"…\"` to site.toml, or use `tags`".to_string(),
                ),
                None => (
                    format!("unknown taxonomy `{name}`"),
                    format!("the site's taxonomies: {}", names.join(", ")),
                ),
            };
            self.error(terms.span(), message, help);
        }
        declared
            .iter()
            .filter_map(|t| {
                let terms = raw.taxonomies.get(&t.name)?.get_ref();
                (!terms.is_empty()).then(|| (t.name.clone(), terms.clone()))
            })
            .collect()
    }

    /// Refuses on a page (`kind = "page"`) what only an article has: annotations, tags,
    /// authors, a source, a translation, figure settings. A page is about the site, not a
    /// text that was checked; each would be dropped, or would put the page in a listing.
    fn page_keys(&mut self, raw: &RawFrontMatter, front: &str) {
        let help = "a standalone page has none: remove it, or make this an article (remove `kind = \"page\"` and give it a `date`)";
        let set = [
            ("tags", !raw.tags.is_empty()),
            ("taxonomies", !raw.taxonomies.is_empty()),
            ("authors", !raw.authors.is_empty()),
            ("source", raw.source.is_some()),
            ("translation", raw.translation.is_some()),
            ("figures", raw.figures.is_some()),
            ("expires", raw.expires.is_some()),
        ];
        for (key, is_set) in set {
            if is_set {
                let span = key_span(front, key);
                let span = if span.is_empty() && key == "figures" {
                    front.find("[figures]").map_or(0..0, |i| i..i + 9)
                } else {
                    span
                };
                self.error(span, format!("a page has no `{key}`"), help);
            }
        }
        let annotations = [
            ("claim", &raw.claim),
            ("quote", &raw.quote),
            ("figure", &raw.figure),
            ("note", &raw.note),
            ("correction", &raw.correction),
        ];
        for (kind, list) in annotations {
            if let Some(first) = list.first() {
                self.error(
                    first.text.span(),
                    format!("a page has no annotations, but this is a [[{kind}]]"),
                    "annotate articles; link the article from the page instead, or make this page an article (remove `kind = \"page\"` and give it a `date`)",
                );
            }
        }
    }

    /// Refuses more tags or annotations than any article needs (see [`MAX_TAGS`],
    /// [`MAX_ANNOTATIONS`]); `front` is the front matter's text.
    fn limits(&mut self, raw: &RawFrontMatter, front: &str) {
        if raw.tags.len() > MAX_TAGS {
            self.error(
                key_span(front, "tags"),
                format!(
                    "{} tags; an article may have at most {MAX_TAGS}",
                    raw.tags.len()
                ),
                "keep the tags readers would look for this article under",
            );
        }
        let all = [
            &raw.claim,
            &raw.quote,
            &raw.figure,
            &raw.note,
            &raw.correction,
        ];
        let count: usize = all.iter().map(|l| l.len()).sum();
        if let Some(first_too_many) = all.into_iter().flatten().nth(MAX_ANNOTATIONS) {
            self.error(
                first_too_many.text.span(),
                format!("{count} annotations; an article may have at most {MAX_ANNOTATIONS}"),
                "annotate what readers need explained, or split the article",
            );
        }
    }

    fn annotations(&mut self, raw: RawFrontMatter) -> Vec<Annotation> {
        let mut out = Vec::new();
        let groups = [
            (Kind::Claim, raw.claim),
            (Kind::Quote, raw.quote),
            (Kind::Figure, raw.figure),
            (Kind::Note, raw.note),
            (Kind::Correction, raw.correction),
        ];
        let mut ids: HashMap<String, Range<usize>> = HashMap::new();
        for (kind, list) in groups {
            for (i, a) in list.into_iter().enumerate() {
                if let Some(ann) = self.annotation(kind, i + 1, a) {
                    if let Some(id_span) = &ann.id_span
                        && let Some(first) = ids.insert(ann.id.clone(), id_span.clone())
                    {
                        let (line, _) = crate::diagnostics::line_col(self.source, first.start);
                        let span = id_span.start - self.offset..id_span.end - self.offset;
                        self.error(
                            span,
                            format!("two annotations have the id `{}`", ann.id),
                            format!("the other is on line {line}; give each a different `id`"),
                        );
                    }
                    out.push(ann);
                }
            }
        }
        default_ids(&mut out);
        out
    }

    fn annotation(&mut self, kind: Kind, n: usize, a: RawAnnotation) -> Option<Annotation> {
        let before = self.errors.len();
        for (key, span) in a.foreign_keys(kind.key()) {
            self.error(
                span,
                format!("`{key}` does not belong in a [[{}]]", kind.key()),
                format!("remove `{key}`, or move it to the annotation it belongs to"),
            );
        }
        let text_span = a.text.span();
        if a.text.get_ref().trim().is_empty() {
            self.error(
                text_span.clone(),
                "`text` is empty",
                "copy the words this annotation is about from the article",
            );
        }
        let occurrence = match &a.occurrence {
            Some(o) if *o.get_ref() < 1 => {
                self.error(
                    o.span(),
                    "`occurrence` counts from 1",
                    "write `occurrence = 1` for the first match",
                );
                None
            }
            Some(o) => Some(*o.get_ref() as usize),
            None => None,
        };
        let all = a.all.as_ref().is_some_and(|a| *a.get_ref());
        if let (true, Some(o)) = (all, &a.occurrence) {
            self.error(
                o.span(),
                "`occurrence` picks one place, `all = true` every one",
                "remove one of them",
            );
        }
        let required = |this: &mut Self, field: &Option<Spanned<String>>, key: &str| match field {
            Some(v) if !v.get_ref().trim().is_empty() => Some(v.get_ref().clone()),
            _ => {
                this.error(
                    text_span.clone(),
                    format!("a [[{}]] needs `{key}`", kind.key()),
                    format!("add `{key} = \"…\"` to this annotation"),
                );
                None
            }
        };
        let detail = match kind {
            Kind::Claim => {
                let verdict = required(self, &a.verdict, "verdict");
                if let (Some(v), Some(spanned)) = (&verdict, &a.verdict)
                    && self.site.scale.get(v).is_none()
                {
                    let keys: Vec<&str> = self.site.scale.keys().collect();
                    let msg = match crate::toml_input::closest(v, keys.iter().copied()) {
                        Some(best) => format!("unknown verdict `{v}`, did you mean `{best}`?"),
                        None => format!("unknown verdict `{v}`"),
                    };
                    let help = format!(
                        "the site's verdicts are: {}",
                        keys.iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    self.error(spanned.span(), msg, help);
                }
                let statement = match &a.claim {
                    Some(c) if c.get_ref().trim().is_empty() => {
                        self.error(
                            c.span(),
                            "`claim` is empty",
                            "write what is claimed as a short statement, or remove `claim`",
                        );
                        None
                    }
                    Some(c) => Some(crate::annotate::fold(c.get_ref())),
                    None => None,
                };
                let by = match &a.by {
                    Some(b) if b.get_ref().trim().is_empty() => None,
                    Some(b) if b.get_ref().trim().starts_with('@') => {
                        if b.get_ref().trim() != ARTICLE_ITSELF {
                            self.error(
                                b.span(),
                                format!("`{}` is not a claimant", b.get_ref().trim()),
                                format!(
                                    "write `by = \"{ARTICLE_ITSELF}\"` for a claim the article itself makes, or the claimant's name"
                                ),
                            );
                        }
                        Some(ARTICLE_ITSELF.to_string())
                    }
                    Some(b) => Some(b.get_ref().clone()),
                    None => None,
                };
                Detail::Claim {
                    statement,
                    by,
                    date: a.date.as_ref().and_then(|d| self.date(d, "date")),
                    verdict: verdict.unwrap_or_default(),
                    conclusion: a.conclusion.map(Spanned::into_inner),
                }
            }
            Kind::Quote => Detail::Quote {
                speaker: required(self, &a.speaker, "speaker").unwrap_or_default(),
                role: a.role.map(Spanned::into_inner),
            },
            Kind::Figure => {
                let mut value = a.value.as_ref().map(|v| v.get_ref().clone());
                let unit_known = match &a.unit {
                    Some(u) if crate::annotate::figures::units::kind(u.get_ref()).is_none() => {
                        let (msg, help) = crate::annotate::figures::units::unknown(u.get_ref());
                        self.error(u.span(), msg, help);
                        false
                    }
                    _ => true,
                };
                if let Some(v) = &a.value {
                    match &a.unit {
                        Some(u) if unit_known => {
                            match crate::annotate::figures::units::normalize(
                                u.get_ref(),
                                v.get_ref(),
                            ) {
                                Ok(n) => value = Some(n),
                                Err((msg, help)) => self.error(v.span(), msg, help),
                            }
                        }
                        Some(_) => {}
                        None if !is_decimal(v.get_ref()) && !is_iso_time(v.get_ref()) => {
                            self.error(
                                v.span(),
                                format!("`{}` is neither a decimal number nor an ISO date", v.get_ref()),
                                "write a decimal string (\"1000000000\", \"0.5\"), a date (\"2019-07-22\") or a duration (\"P5Y\")",
                            );
                        }
                        None => {}
                    }
                }
                Detail::Figure {
                    value,
                    unit: a.unit.map(Spanned::into_inner),
                    ignore: a.ignore.is_some_and(|i| *i.get_ref()),
                }
            }
            Kind::Note => {
                if a.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                    self.error(
                        text_span.clone(),
                        "a [[note]] needs `note`",
                        "add `note = \"…\"` with what the reader should know",
                    );
                }
                Detail::Note
            }
            Kind::Correction => Detail::Correction {
                correct: required(self, &a.correct, "correct").unwrap_or_default(),
                date: a.date.as_ref().and_then(|d| self.date(d, "date")),
            },
        };
        let sources: Vec<Link> = a.sources.into_iter().map(|l| self.link(l)).collect();
        if self.errors.len() > before {
            return None;
        }
        let (id, id_span) = match a.id {
            Some(id) => {
                let span = id.span();
                if let Err((problem, suggestion)) = check_id(kind, id.get_ref()) {
                    self.error(
                        span.clone(),
                        format!("`{}` cannot be an id: {problem}", id.get_ref()),
                        format!("write `id = \"{suggestion}\"`"),
                    );
                    return None;
                }
                (
                    id.into_inner(),
                    Some(span.start + self.offset..span.end + self.offset),
                )
            }
            // Filled in by `default_ids` once every editor's id is known.
            None => (String::new(), None),
        };
        Some(Annotation {
            kind,
            id,
            id_span,
            position: n,
            anchor: Anchor {
                text: a.text.get_ref().clone(),
                prefix: a.prefix,
                suffix: a.suffix,
                occurrence,
                all,
            },
            span: text_span.start + self.offset..text_span.end + self.offset,
            note: a.note,
            sources,
            detail,
        })
    }
}

/// Ids the default theme gives elements of an article page, which no annotation may take.
pub const RESERVED_IDS: &[&str] = &["main", "glance-heading", "notes-heading", "figures-heading"];

/// Id prefixes gloss uses on an article page: an annotation's note (`note-<id>`) and
/// reference (`ref-<id>`), footnotes (`fn-`), detected figures (`fig-3`) and the theme's own
/// elements (`gl-pop`).
pub const RESERVED_PREFIXES: &[&str] = &["note-", "ref-", "fn-", "fig-", "gl-"];

/// Longest slug of an annotation's words in its default id, in bytes; cut at a word's end.
const SLUG_MAX: usize = 40;

/// Whether `id` can be an annotation's HTML id and a URL fragment that works unescaped in
/// every link, export and script gloss makes: else what is wrong and a suggestion.
pub fn check_id(kind: Kind, id: &str) -> Result<(), (String, String)> {
    let suggest = || {
        let slug = crate::slug::slugify(id);
        if slug == "-" {
            return format!("{}-…", kind.key());
        }
        let reserved = RESERVED_IDS.contains(&slug.as_str())
            || RESERVED_PREFIXES.iter().any(|p| slug.starts_with(p));
        if reserved {
            format!("{}-{slug}", kind.key())
        } else {
            slug
        }
    };
    let problem = if id.is_empty() {
        Some("it is empty".to_string())
    } else if let Some(c) = id
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        let what = if c.is_whitespace() {
            "white space".to_string()
        } else {
            format!("`{}`", c.escape_debug())
        };
        Some(format!(
            "it holds {what}; an id may hold letters, digits, `-`, `_` and `.`"
        ))
    } else if !id.starts_with(char::is_alphanumeric) {
        Some("it must start with a letter or digit".to_string())
    } else if RESERVED_IDS.contains(&id) {
        Some("the page uses this id itself".to_string())
    } else {
        RESERVED_PREFIXES
            .iter()
            .find(|p| id.starts_with(**p))
            .map(|p| format!("ids starting with `{p}` are gloss's own"))
    };
    match problem {
        Some(p) => Err((p, suggest())),
        None => Ok(()),
    }
}

/// The default id of an annotation of `kind` on `text`: the kind and a slug of the words,
/// cut at a word's end, so that it depends on nothing but the annotation itself.
pub fn default_id(kind: Kind, text: &str) -> String {
    let slug = crate::slug::slugify(text);
    let mut slug = slug.trim_matches('-');
    if slug.len() > SLUG_MAX {
        let cut = &slug[..SLUG_MAX];
        slug = match cut.rfind('-') {
            Some(i) if slug.as_bytes()[SLUG_MAX] != b'-' => &cut[..i],
            _ => cut,
        };
    }
    if slug.is_empty() {
        // Words with no letter or digit ("–", "?!"): a short hash of them.
        let h = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        return format!("{}-{:08x}", kind.key(), h as u32);
    }
    format!("{}-{slug}", kind.key())
}

/// Gives every annotation without an editor's id its default id. The same words twice get
/// `-2`, `-3`, … in front matter order among themselves only; the editors' ids, and the
/// note and reference ids the page makes of every id (`note-<id>`), are never taken.
fn default_ids(annotations: &mut [Annotation]) {
    let mut taken: std::collections::HashSet<String> = annotations
        .iter()
        .filter(|a| a.id_span.is_some())
        .map(|a| a.id.clone())
        .collect();
    let clashes = |id: &str, taken: &std::collections::HashSet<String>| {
        taken.contains(id)
            || taken.contains(&format!("note-{id}"))
            || id
                .strip_prefix("note-")
                .is_some_and(|rest| taken.contains(rest))
    };
    // First come, first served for the plain ids, then the repeats: an annotation whose
    // words are unique keeps its id whatever else is added.
    let mut repeats = Vec::new();
    for (i, a) in annotations.iter_mut().enumerate() {
        if a.id_span.is_some() {
            continue;
        }
        let base = default_id(a.kind, &a.anchor.text);
        if clashes(&base, &taken) {
            repeats.push((i, base));
        } else {
            taken.insert(base.clone());
            a.id = base;
        }
    }
    for (i, base) in repeats {
        let id = (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| !clashes(id, &taken))
            .unwrap_or_default();
        taken.insert(id.clone());
        annotations[i].id = id;
    }
}

/// Whether `s` is a plain decimal number ("-12", "0.5", "1000000000").
pub fn is_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `s` is an ISO 8601 date ("2019", "2019-07", "2019-07-22") or duration ("P5Y").
pub fn is_iso_time(s: &str) -> bool {
    if let Some(d) = s.strip_prefix('P') {
        return !d.is_empty()
            && d.bytes()
                .all(|b| b.is_ascii_digit() || b"YMWDTHS.".contains(&b));
    }
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Article, Vec<Diagnostic>> {
        parse_article(
            &Site::standalone(),
            PathBuf::from("content/a.md"),
            text.to_string(),
            "a/".into(),
        )
    }

    #[test]
    fn url_paths_mirror_file_paths() {
        assert_eq!(url_path_for(Path::new("content/2019/x.md")), "2019/x/");
        assert_eq!(
            url_path_for(Path::new("content/2019/x/index.md")),
            "2019/x/"
        );
        assert_eq!(url_path_for(Path::new("content/index.md")), "");
    }

    #[test]
    fn front_matter_and_body_split() {
        let a = parse("+++\ntitle = \"T\"\ndate = 2019-07-24\n+++\nBody *text*\n").unwrap();
        assert_eq!(a.meta.title, "T");
        assert_eq!(a.meta.date.to_string(), "2019-07-24");
        assert_eq!(a.body(), "Body *text*\n");
    }

    #[test]
    fn crlf_and_bom_work() {
        let a = parse("\u{feff}+++\r\ntitle = \"T\"\r\ndate = \"2019-07-24\"\r\n+++\r\nBody\r\n")
            .unwrap();
        assert_eq!(a.meta.title, "T");
        assert_eq!(a.body(), "Body\r\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = parse("+++\ntitle = \"T\"\n").unwrap_err();
        assert_eq!(e[0].message, "front matter never closes");
        assert_eq!(e[0].line, 1);
    }

    #[test]
    fn unknown_verdict_lists_valid_keys() {
        let e = parse(
            "+++\ntitle = \"T\"\ndate = 2019-07-24\n[[claim]]\ntext = \"x\"\nverdict = \"ture\"\n+++\nx\n",
        )
        .unwrap_err();
        assert_eq!(e[0].message, "unknown verdict `ture`, did you mean `true`?");
        assert_eq!(e[0].line, 6);
        assert!(e[0].help.as_deref().unwrap().contains("`mostly-true`"));
    }

    #[test]
    fn keys_of_other_kinds_are_refused() {
        let e = parse(
            "+++\ntitle = \"T\"\ndate = 2019-07-24\n[[quote]]\ntext = \"x\"\nspeaker = \"A\"\nverdict = \"true\"\n+++\nx\n",
        )
        .unwrap_err();
        assert_eq!(e[0].message, "`verdict` does not belong in a [[quote]]");
        assert_eq!(e[0].line, 7);
    }

    #[test]
    fn several_errors_are_reported_together() {
        let e = parse(
            "+++\ntitle = \"T\"\ndate = \"gestern\"\n[[claim]]\ntext = \"x\"\n[[quote]]\ntext = \"y\"\n+++\nx\n",
        )
        .unwrap_err();
        let messages: Vec<&str> = e.iter().map(|d| d.message.as_str()).collect();
        assert!(messages.contains(&"`date` is not a date"), "{messages:?}");
        assert!(
            messages.contains(&"a [[claim]] needs `verdict`"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"a [[quote]] needs `speaker`"),
            "{messages:?}"
        );
    }

    fn ids(front: &str) -> Vec<String> {
        let a = parse(&format!(
            "+++\ntitle = \"T\"\ndate = 2019-07-24\n{front}+++\nx\n"
        ))
        .unwrap();
        a.annotations.into_iter().map(|a| a.id).collect()
    }

    #[test]
    fn default_ids_come_from_the_annotations_own_words() {
        let note = |t: &str| format!("[[note]]\ntext = \"{t}\"\nnote = \"n\"\n");
        assert_eq!(
            ids(&format!(
                "[[claim]]\ntext = \"Microsoft investierte 1 Milliarde US-Dollar in OpenAI\"\nverdict = \"true\"\n{}",
                note("Größe")
            )),
            ["claim-microsoft-investierte-1-milliarde-us", "note-groesse"]
        );
        // The same words twice: the second in order gets `-2`, whatever comes before.
        let twice = format!("{}{}", note("Cade Matz"), note("Cade Matz"));
        assert_eq!(ids(&twice), ["note-cade-matz", "note-cade-matz-2"]);
        assert_eq!(
            ids(&format!("{}{twice}", note("Davor"))),
            ["note-davor", "note-cade-matz", "note-cade-matz-2"]
        );
        // An editor's id wins, and the default steps aside.
        assert_eq!(
            ids(&format!(
                "{}[[claim]]\ntext = \"b\"\nid = \"a\"\nverdict = \"true\"\n",
                note("a")
            )),
            ["a", "note-a-2"],
            "the note of the claim `a` is `note-a`"
        );
        // Words without letters or digits still give an id.
        assert!(ids(&note("?!"))[0].starts_with("note-"));
        assert_eq!(
            default_id(Kind::Quote, &"wort ".repeat(20)).len(),
            "quote-".len() + 39
        );
    }

    #[test]
    fn ids_that_break_links_or_the_page_are_refused_with_a_slug() {
        for (id, problem, suggestion) in [
            ("a b", "white space", "a-b"),
            ("50%", "`%`", "50"),
            ("gl-pop", "gloss's own", "claim-gl-pop"),
            ("note-1", "gloss's own", "claim-note-1"),
            ("main", "uses this id itself", "claim-main"),
            ("x\\\"y", "`\\\"`", "x-y"),
            ("#frag", "`#`", "frag"),
            ("-x", "start with a letter", "x"),
        ] {
            let e = parse(&format!(
                "+++\ntitle = \"T\"\ndate = 2019-07-24\n[[claim]]\ntext = \"x\"\nverdict = \"true\"\nid = \"{id}\"\n+++\nx\n"
            ))
            .unwrap_err();
            assert_eq!(e.len(), 1, "{id}: {e:?}");
            assert!(e[0].message.contains(problem), "{id}: {}", e[0].message);
            assert_eq!((e[0].line, e[0].col), (7, 6), "{id}");
            assert_eq!(
                e[0].help.as_deref(),
                Some(format!("write `id = \"{suggestion}\"`").as_str()),
                "{id}"
            );
        }
        assert_eq!(
            ids("[[claim]]\ntext = \"x\"\nverdict = \"true\"\nid = \"Prüfung_2.a\"\n"),
            ["Prüfung_2.a"]
        );
    }

    #[test]
    fn iso_times() {
        assert!(is_iso_time("2019-07-22") && is_iso_time("2019") && is_iso_time("P5Y"));
        assert!(!is_iso_time("22.07.2019") && !is_iso_time("P") && !is_iso_time("2019-7-2"));
    }

    #[test]
    fn decimals() {
        assert!(is_decimal("1000000000"));
        assert!(is_decimal("0.5"));
        assert!(is_decimal("-3"));
        assert!(!is_decimal("1e9"));
        assert!(!is_decimal("0,5"));
        assert!(!is_decimal("."));
    }
}
