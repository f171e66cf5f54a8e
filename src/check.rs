//! `gloss check`: everything a build checks, without writing anything, plus what a build
//! cannot see on its own — each anchor's state, internal links and their `#fragment`s, and
//! people in the registry whom no article quotes; with `--external`, the http(s) links too.
mod external;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use pulldown_cmark::{Event, Tag};
use rayon::prelude::*;
use serde::Serialize;

use crate::annotate::{self, AnchorState};
use crate::build;
use crate::build::sink::Output;
use crate::build::summary::ArticleSummary;
use crate::config::Site;
use crate::content::{self, Article, Detail, Kind};
use crate::diagnostics::{Diagnostic, Severity, line_col};
use crate::render::Theme;
pub use external::{ExternalOptions, LinkError};

/// How to check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Check drafts too, as `build --drafts` would build them.
    pub drafts: bool,
    /// Check articles dated after today too, as `build --future` would build them.
    pub future: bool,
    /// Also check external http(s) links, over the network; `None` sends no request.
    pub external: Option<ExternalOptions>,
}

/// Where one annotation's anchor stands.
#[derive(Debug, Clone, Serialize)]
pub struct AnchorReport {
    /// The article file, relative to the site root.
    pub path: String,
    /// Line of the annotation's `text`.
    pub line: usize,
    /// Column of the annotation's `text`.
    pub col: usize,
    /// Kind of annotation.
    pub kind: Kind,
    /// The annotation's id.
    pub id: String,
    /// Exact, moved or orphaned.
    pub state: AnchorState,
}

/// The counts of the summary line.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Articles checked.
    pub articles: usize,
    /// Annotations checked.
    pub annotations: usize,
    /// Anchors found with their recorded context.
    pub exact: usize,
    /// Anchors found once, but their `prefix`/`suffix` changed.
    pub moved: usize,
    /// Anchors that could not be placed.
    pub orphaned: usize,
    /// Findings that would stop a build (or break a link).
    pub errors: usize,
    /// Findings that would not.
    pub warnings: usize,
    /// Distinct external addresses checked (only with `--external`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_links: Option<usize>,
    /// Sources without an archived copy (only with `--external`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unarchived_sources: Option<usize>,
}

/// Everything `check` found.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings, sorted by place.
    pub findings: Vec<Diagnostic>,
    /// Every annotation's anchor state.
    pub anchors: Vec<AnchorReport>,
    /// Counts.
    pub summary: Summary,
    /// Sources with an http(s) address but no archived copy, each located at its address
    /// (listed after `--external`; errors instead with `[check] require_archive`).
    pub unarchived: Vec<Diagnostic>,
}

/// A link written in an article: where it points, and where it is written in the source
/// (a finding there, its message still to be written).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct LinkRef {
    /// The destination, as written.
    pub dest: String,
    /// Where it is written.
    pub at: Diagnostic,
}

/// What checking one article gives.
#[derive(Default)]
struct ArticleCheck {
    findings: Vec<Diagnostic>,
    anchors: Vec<AnchorReport>,
    links: Vec<LinkRef>,
    /// What the site-wide pages need of it, if it could be rendered.
    summary: Option<ArticleSummary>,
}

/// Checks the site at `root`.
pub fn check(root: &Path, opts: &CheckOptions) -> Report {
    let mut report = Report::default();
    let mut site = match Site::load(root) {
        Ok(s) => s,
        Err(e) => return finish(report, e),
    };
    site.schedule.future = opts.future;
    let theme = match Theme::load(root) {
        Ok(t) => Some(t),
        Err(mut e) => {
            report.findings.append(&mut e);
            None
        }
    };
    let mut content = match content::load(&site, opts.drafts) {
        Ok(c) => c,
        Err(mut e) => {
            report.findings.append(&mut e);
            return finish(report, Vec::new());
        }
    };
    report.findings.append(&mut content.scheduled);
    site.sections = std::mem::take(&mut content.sections);
    let published = match build::PublishedIds::load(&site.root) {
        Ok(p) => p,
        Err(d) => {
            report.findings.push(d);
            build::PublishedIds::unreadable(&site.root)
        }
    };
    // The site is rendered as a build renders it, into memory: every template is tried, the
    // places of the output are claimed as a build claims them, and the ids of each page are
    // read from its text.
    let memory = build::sink::Memory::default();
    let renderer = theme
        .as_ref()
        .map(|theme| build::Pages::new(&site, theme, &memory));
    let mut checks: Vec<ArticleCheck> = content
        .articles
        .par_iter()
        .map(|a| check_article(&site, renderer.as_ref(), &published, a))
        .collect();
    let published_files: HashSet<&Path> =
        content.articles.iter().map(|a| a.path.as_path()).collect();
    report
        .findings
        .extend(build::nav_errors(&site, &|p| published_files.contains(p)));
    let summaries: Vec<ArticleSummary> =
        checks.iter_mut().filter_map(|c| c.summary.take()).collect();
    report
        .findings
        .extend(build::translation_findings(&summaries));
    if let (Some(theme), Some(renderer)) = (&theme, &renderer) {
        let mut listed: Vec<&ArticleSummary> = summaries.iter().collect();
        listed.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
        let article_pages: Vec<&str> = listed.iter().map(|a| a.path.as_str()).collect();
        let mut laps = build::Laps::new();
        let written = build::write_site_wide(
            &site,
            renderer,
            &listed,
            &article_pages,
            false,
            None,
            build::SiteWideKeys::default(),
            &mut laps,
        );
        match written {
            Ok(written) => report.findings.extend(written.warnings().cloned()),
            Err(errors) => report.findings.extend(errors),
        }
        if let Err(errors) = build::write_files(&site, theme, &content.assets, &memory, false) {
            report.findings.extend(errors);
        }
        report.findings.extend(build::collision_errors(&memory));
    } else {
        // No theme, no pages: the articles' places and the content's files are still known.
        for a in &content.articles {
            for rel in build::article_outputs(a) {
                memory.reserve(&build::reuse::Owner::Content(a.path.clone()), &rel);
            }
        }
        for rel in &content.assets {
            let owner = build::reuse::Owner::Content(Path::new(content::CONTENT_DIR).join(rel));
            memory.reserve(&owner, rel);
        }
    }
    let mut pages = Pages::of_files(memory.files());
    let page_paths: Vec<String> = pages.pages.keys().cloned().collect();
    for page in page_paths {
        let html = memory
            .read(&Path::new(&page).join("index.html"))
            .unwrap_or_default();
        pages.add_page(page, html_ids(&html));
    }
    for a in &content.articles {
        pages.sources.insert(slashed(&a.path));
    }

    // Every use of an external address, located where it is written.
    let mut external_uses: Vec<ExternalUse> = Vec::new();
    let want_external = opts.external.is_some();
    for (a, c) in content.articles.iter().zip(checks) {
        for link in &c.links {
            if want_external && external::is_checked(link.dest.trim()) {
                external_uses.push(ExternalUse::plain((
                    link.dest.trim().to_string(),
                    link.at.clone(),
                )));
            } else if let Some(d) = check_link(&a.url_path, link, &pages) {
                report.findings.push(d);
            }
        }
        let sources = front_matter_sources(a);
        unarchived_sources(&site, &sources, want_external, &mut report);
        if want_external {
            for s in sources {
                let archive = s.archive.map(|(url, at)| {
                    if external::is_checked(&url) {
                        external_uses.push(ExternalUse::plain((url.clone(), at)));
                    }
                    url
                });
                external_uses.push(ExternalUse {
                    url: s.url,
                    at: s.at,
                    archive,
                });
            }
        }
        report.findings.extend(c.findings);
        report.anchors.extend(c.anchors);
    }
    let registry = registry_files(&site);
    if let Some(ext) = &opts.external {
        external_uses.extend(
            registry_links(&site, &registry)
                .into_iter()
                .map(ExternalUse::plain),
        );
        check_external(external_uses, ext, &mut report);
    }
    if want_external {
        report
            .unarchived
            .sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
        report.summary.unarchived_sources = Some(report.unarchived.len());
    }
    report
        .findings
        .extend(unquoted_people(&site, &content.articles, &registry));
    report.summary.articles = content.articles.len();
    finish(report, Vec::new())
}

/// Adds `more`, removes repeats (a broken template fails every page alike), sorts and counts.
fn finish(mut report: Report, more: Vec<Diagnostic>) -> Report {
    report.findings.extend(more);
    let mut seen = HashSet::new();
    report
        .findings
        .retain(|d| seen.insert((d.path.clone(), d.line, d.col, d.message.clone(), d.severity)));
    report
        .findings
        .sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    let s = &mut report.summary;
    s.annotations = report.anchors.len();
    for a in &report.anchors {
        match a.state {
            AnchorState::Exact => s.exact += 1,
            AnchorState::Moved => s.moved += 1,
            AnchorState::Orphaned => s.orphaned += 1,
        }
    }
    s.errors = report
        .findings
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    s.warnings = report.findings.len() - s.errors;
    report
}

fn slashed(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Anchors and renders one article as a build would, and collects its links.
fn check_article(
    site: &Site,
    renderer: Option<&build::Pages<'_>>,
    published: &build::PublishedIds,
    article: &Article,
) -> ArticleCheck {
    let mut out = ArticleCheck::default();
    let states = match annotate::anchor(article, build::figures_enabled(site, article)) {
        Ok(mut anchored) => {
            // Against what the last build published: ids that moved or went, words that
            // drifted to another passage.
            let remembered = published.get(&article.path).unwrap_or_else(|d| {
                out.findings.push(d);
                None
            });
            annotate::history::reconcile(article, &mut anchored, remembered.as_deref());
            out.findings.extend(anchored.warnings.iter().cloned());
            out.findings.extend(content::claim_warnings(article));
            out.findings
                .extend(crate::images::alt_warnings(article, &anchored.events));
            if let Some(renderer) = renderer {
                match build::write_article(site, renderer, article, &anchored) {
                    Ok((summary, _)) => out.summary = Some(summary),
                    Err(errors) => out.findings.extend(errors),
                }
            }
            out.links = article_links(article, &anchored.events);
            anchored.states
        }
        Err(errors) => {
            out.findings.extend(errors);
            out.links = article_links(article, &crate::markdown::parse(article.body()));
            // The article as a whole failed; anchor each annotation alone to know which
            // ones stand and which do not.
            let mut states = Vec::with_capacity(article.annotations.len());
            for ann in &article.annotations {
                let mut single = article.clone();
                single.annotations = vec![ann.clone()];
                match annotate::anchor(&single, false) {
                    Ok(a) => {
                        out.findings.extend(a.warnings);
                        states.push(a.states[0]);
                    }
                    Err(_) => states.push(AnchorState::Orphaned),
                }
            }
            states
        }
    };
    for (ann, state) in article.annotations.iter().zip(states) {
        let (line, col) = line_col(&article.source, ann.span.start);
        out.anchors.push(AnchorReport {
            path: slashed(&article.path),
            line,
            col,
            kind: ann.kind,
            id: ann.id.clone(),
            state,
        });
    }
    out
}

/// Every link of an article whose body parses to `events`: in the body, its notes and its
/// summary, each located where its destination is written.
pub(crate) fn article_links(
    article: &Article,
    events: &crate::markdown::Events<'_>,
) -> Vec<LinkRef> {
    let lines = Lines::new(&article.source);
    let mut links = body_links(article, events, &lines);
    links.extend(note_links(article, &lines));
    links.extend(translations_at(article, &lines));
    links
}

/// The files `translations` names, located where each is written: links that must lead to
/// an article like any other.
pub(crate) fn translation_links(article: &Article) -> Vec<LinkRef> {
    translations_at(article, &Lines::new(&article.source))
}

fn translations_at(article: &Article, lines: &Lines) -> Vec<LinkRef> {
    article
        .meta
        .translations
        .iter()
        .map(|t| LinkRef {
            dest: t.file.clone(),
            at: lines.locate(article, t.span.clone()),
        })
        .collect()
}

/// Where each line of a source starts, so that many findings in a large file are located
/// without counting its lines again for each.
struct Lines(Vec<usize>);

impl Lines {
    fn new(source: &str) -> Self {
        let starts =
            std::iter::once(0).chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1));
        Lines(starts.collect())
    }

    /// A finding at `at` in `article`, its message still to be written.
    fn locate(&self, article: &Article, at: std::ops::Range<usize>) -> Diagnostic {
        let line = self.0.partition_point(|&s| s <= at.start).saturating_sub(1);
        let begin = self.0.get(line).copied().unwrap_or(0).min(at.start);
        let mut d = Diagnostic::at(
            &article.path,
            &article.source[begin..],
            at.start - begin..at.end - begin,
            String::new(),
        );
        d.line += line;
        if let Some(e) = d.excerpt.as_mut() {
            e.line_start += line;
        }
        d
    }
}

/// Links in the body, located at their destination in the source.
fn body_links(
    article: &Article,
    events: &crate::markdown::Events<'_>,
    lines: &Lines,
) -> Vec<LinkRef> {
    let mut links = Vec::new();
    for (event, range) in events {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            let start = article.body_offset + range.start;
            let end = article.body_offset + range.end;
            links.push(LinkRef {
                dest: dest_url.to_string(),
                at: lines.locate(article, find_in(&article.source, dest_url, start, end)),
            });
        }
    }
    links
}

/// Links in annotations' notes and the summary. These sit in front matter strings, so each
/// link is pointed at where its destination is written in the annotation's table (or after
/// `summary`).
fn note_links(article: &Article, lines: &Lines) -> Vec<LinkRef> {
    let mut links = Vec::new();
    let summary = article.meta.summary.as_deref().map(|s| {
        let from = article.source[..article.body_offset]
            .find("summary")
            .unwrap_or(0);
        (s, from)
    });
    let notes = article
        .annotations
        .iter()
        .filter_map(|ann| Some((ann.note.as_deref()?, table_start(article, ann))));
    for (md, from) in summary.into_iter().chain(notes) {
        for event in pulldown_cmark::Parser::new_ext(md, crate::markdown::options()) {
            if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
                let at = find_in(&article.source, &dest_url, from, article.body_offset);
                links.push(LinkRef {
                    at: lines.locate(article, at),
                    dest: dest_url.to_string(),
                });
            }
        }
    }
    links
}

/// Where the `[[kind]]` table of `ann` begins: its keys (`note`, `sources`) may be written
/// before or after its `text`, but never before this.
fn table_start(article: &Article, ann: &crate::content::Annotation) -> usize {
    let before = article.source.get(..ann.span.start).unwrap_or_default();
    before.rfind("\n[[").map_or(0, |i| i + 1)
}

/// A finding's place: `at` in `article`, its message still to be written.
fn located(article: &Article, at: std::ops::Range<usize>) -> Diagnostic {
    Diagnostic::at(&article.path, &article.source, at, String::new())
}

/// A source of an article (its `source`, or one of an annotation's `sources`) that has an
/// http(s) address, located where its address is written.
struct SourceUse {
    url: String,
    at: Diagnostic,
    /// Its archived copy's address, and where that is written.
    archive: Option<(String, Diagnostic)>,
}

/// The http(s) sources of an article's front matter.
fn front_matter_sources(article: &Article) -> Vec<SourceUse> {
    let mut out = Vec::new();
    let front = article.body_offset;
    let src = &article.source;
    if let Some(s) = article.meta.source.as_ref()
        && let Some(url) = s.url.as_deref().filter(|u| external::is_checked(u))
    {
        out.push(SourceUse {
            url: url.to_string(),
            at: located(article, find_in(src, url, 0, front)),
            archive: s
                .archive
                .as_ref()
                .map(|a| (a.clone(), located(article, find_in(src, a, 0, front)))),
        });
    }
    for ann in &article.annotations {
        for link in &ann.sources {
            if !external::is_checked(&link.url) {
                continue;
            }
            let (from, to) = if link.span.is_empty() {
                (table_start(article, ann), front)
            } else {
                (link.span.start, link.span.end)
            };
            out.push(SourceUse {
                url: link.url.clone(),
                at: located(article, find_in(src, &link.url, from, to)),
                archive: link.archive.as_ref().map(|a| {
                    // After the address: an archive's address usually holds the live one.
                    let after = find_in(src, &link.url, from, to).end;
                    (
                        a.clone(),
                        located(article, find_in(src, a, after.min(to), to)),
                    )
                }),
            });
        }
    }
    out
}

/// One place an external address is written, and the archived copy that stands in for it.
struct ExternalUse {
    url: String,
    at: Diagnostic,
    archive: Option<String>,
}

impl ExternalUse {
    fn plain((url, at): (String, Diagnostic)) -> Self {
        ExternalUse {
            url,
            at,
            archive: None,
        }
    }
}

/// What `gloss check` says about sources that have no archived copy: with `[check]
/// require_archive`, an error each; else, after `--external`, a list (`unarchived`).
fn unarchived_sources(
    site: &Site,
    sources: &[SourceUse],
    want_external: bool,
    report: &mut Report,
) {
    for s in sources.iter().filter(|s| s.archive.is_none()) {
        if site.config.check.require_archive {
            let mut d = s.at.clone();
            d.message = format!("source `{}` has no archived copy", s.url);
            d.help = Some(format!(
                "add `archive = \"…\"` with a copy in a web archive (e.g. https://web.archive.org/web/{}): the site asks for one (`[check] require_archive` in site.toml)",
                s.url
            ));
            report.findings.push(d);
        } else if want_external {
            let mut d = s.at.clone();
            d.message = s.url.clone();
            d.severity = Severity::Warning;
            report.unarchived.push(d);
        }
    }
}

/// The registry's files (site.toml and people.toml) as written, for locating its entries.
fn registry_files(site: &Site) -> Vec<(&'static str, String)> {
    [crate::config::SITE_FILE, "people.toml"]
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(site.root.join(f)).ok()?;
            Some((f, text))
        })
        .collect()
}

/// People's `url`s in the registry, located after their name where it is written.
fn registry_links(site: &Site, files: &[(&str, String)]) -> Vec<(String, Diagnostic)> {
    let mut out = Vec::new();
    for p in &site.people {
        let Some(url) = p.url.as_deref().filter(|u| external::is_checked(u)) else {
            continue;
        };
        let name = toml::Value::String(p.name.clone()).to_string();
        let d = files
            .iter()
            .find_map(|(f, text)| {
                let from = text.find(&name)?;
                let at = find_in(text, url, from, text.len());
                (!at.is_empty()).then(|| Diagnostic::at(*f, text, at, String::new()))
            })
            .or_else(|| {
                files.iter().find_map(|(f, text)| {
                    let i = text.find(url)?;
                    Some(Diagnostic::at(*f, text, i..i + url.len(), String::new()))
                })
            })
            .unwrap_or_else(|| Diagnostic::file(crate::config::SITE_FILE, String::new()));
        out.push((url.to_string(), d));
    }
    out
}

/// Asks each distinct address once and turns every use of a failed one into a finding. A
/// source whose page is gone but whose archived copy answers is a warning: readers still
/// reach what it said (the archive's own address is checked as a use of its own).
fn check_external(uses: Vec<ExternalUse>, opts: &ExternalOptions, report: &mut Report) {
    let urls: HashSet<String> = uses.iter().map(|u| external::request_url(&u.url)).collect();
    report.summary.external_links = Some(urls.len());
    let failed = external::check_urls(urls, opts);
    for ExternalUse {
        url,
        mut at,
        archive,
    } in uses
    {
        let Some(e) = failed.get(&external::request_url(&url)) else {
            continue;
        };
        at.message = format!("link `{url}`: {e}");
        at.help = Some(e.help());
        at.severity = e.severity();
        let archive_answers = archive.as_deref().filter(|a| {
            !external::is_checked(a) || !failed.contains_key(&external::request_url(a))
        });
        if at.severity == Severity::Error
            && let Some(archive) = archive_answers
        {
            at.severity = Severity::Warning;
            at.message
                .push_str("; its archived copy is still there, and readers are offered it");
            at.help = Some(format!(
                "keep `archive = \"{archive}\"`; if the page moved, link where it is now"
            ));
        }
        report.findings.push(at);
    }
}

/// The range of `needle` in `source[from..to]`, or `from..from` when it is not written
/// there literally (escapes, reference definitions).
fn find_in(source: &str, needle: &str, from: usize, to: usize) -> std::ops::Range<usize> {
    let to = to.clamp(from, source.len());
    source
        .get(from..to)
        .and_then(|hay| hay.find(needle))
        .map_or(from..from, |i| from + i..from + i + needle.len())
}

/// Every `id="…"` in a page.
pub(crate) fn html_ids(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    for (i, _) in html.match_indices("id=\"") {
        let before = html[..i].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = &html[i + 4..];
        if let Some(end) = rest.find('"') {
            ids.insert(decode_entities(&rest[..end]));
        }
    }
    ids
}

fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The pages and files the site will have.
#[derive(Default)]
pub(crate) struct Pages {
    /// Page path (`2019/x/`, `` for the index) → the ids on it, where known.
    pub(crate) pages: BTreeMap<String, HashSet<String>>,
    /// Other files (`gloss.css`, `2019/x/bild.png`).
    pub(crate) files: BTreeSet<String>,
    /// The articles' files, relative to the site root (`content/2019/x.md`).
    pub(crate) sources: BTreeSet<String>,
}

impl Pages {
    /// The pages and files of an output that holds `files` (`/`-separated paths): each
    /// `…index.html` is a page, without ids yet.
    pub(crate) fn of_files(files: Vec<String>) -> Pages {
        let mut pages = Pages::default();
        for f in &files {
            if let Some(page) = f.strip_suffix("index.html")
                && (page.is_empty() || page.ends_with('/'))
            {
                pages.pages.entry(page.to_string()).or_default();
            }
        }
        pages.files = files.into_iter().collect();
        pages
    }

    /// Adds the page at `path` with the ids on it.
    pub(crate) fn add_page(&mut self, path: String, ids: HashSet<String>) {
        self.pages.entry(path).or_default().extend(ids);
    }
}

/// Whether `href` points to another host or scheme (those are `--external`'s business).
pub(crate) fn is_external(href: &str) -> bool {
    if href.starts_with("//") {
        return true;
    }
    let scheme_end = href.find(':');
    let first_delim = href.find(['/', '?', '#']);
    match (scheme_end, first_delim) {
        (Some(c), Some(d)) => c < d && c > 0,
        (Some(c), None) => c > 0,
        _ => false,
    }
}

/// `%xx` escapes decoded; anything malformed is left as written.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Where an internal link leads.
pub(crate) enum Target {
    /// To a page (`2019/x/`, `` for the index), perhaps to an element on it.
    Page {
        /// The page's path.
        page: String,
        /// The `#fragment`, decoded, without its `#`.
        fragment: Option<String>,
    },
    /// To a file the site has.
    File,
}

/// Where the internal link `link` of the page at `url_path` leads; `Ok(None)` for an
/// external or empty one, `Err` with the finding when it leads nowhere the site has.
pub(crate) fn link_target(
    url_path: &str,
    link: &LinkRef,
    pages: &Pages,
) -> Result<Option<Target>, Diagnostic> {
    let href = link.dest.trim();
    if href.is_empty() || is_external(href) {
        return Ok(None);
    }
    let at = |message: String| {
        let mut d = link.at.clone();
        d.message = message;
        d
    };
    let root = crate::render::root_prefix(url_path);
    let (rest, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (href, None),
    };
    let hash = fragment.as_ref().map_or(String::new(), |_| {
        format!("#{}", href.split_once('#').map_or("", |(_, f)| f))
    });
    if let Some(source) = crate::links::source_link(&link.at.path, href) {
        let file = source.file.as_ref().map(|f| slashed(f));
        if let Some(file) = file.filter(|f| pages.sources.contains(f)) {
            let page = content::url_path_for(Path::new(&file));
            return Ok(Some(Target::Page { page, fragment }));
        }
        let message = if source.file.is_none() {
            format!("link `{href}` points outside the content folder")
        } else {
            format!("link `{href}` points to an article the site does not have")
        };
        let wanted = source
            .file
            .as_ref()
            .map_or(rest.to_string(), |f| slashed(f));
        let mut d = at(message);
        let best = crate::toml_input::closest(&wanted, pages.sources.iter().map(String::as_str))
            .or_else(|| {
                // The file's name alone, wherever it lies.
                let name = wanted.rsplit('/').next().unwrap_or(&wanted);
                let mut same = pages
                    .sources
                    .iter()
                    .filter(|s| s.rsplit('/').next() == Some(name));
                same.next()
                    .filter(|_| same.next().is_none())
                    .map(String::as_str)
            });
        if let Some(best) = best {
            let link = crate::links::file_link(&link.at.path, best);
            d = d.with_help(format!("did you mean `{link}{hash}`?"));
        } else {
            d = d.with_help("link the article's file, e.g. `../other.md` or `@/2026/other.md`");
        }
        return Err(d);
    }
    let path = percent_decode(rest.split('?').next().unwrap_or(""));
    let absolute = path.starts_with('/');
    let joined = if path.is_empty() {
        url_path.to_string()
    } else if absolute {
        path.clone()
    } else {
        format!("{url_path}{path}")
    };
    let Some(target) = normalize(&joined) else {
        let mut d = at(format!("link `{href}` points above the site's root folder"));
        // The same link with the `../` too many removed, if that leads somewhere.
        let mut fixed = rest;
        while let Some(shorter) = fixed.strip_prefix("../") {
            fixed = shorter;
            if normalize(&format!("{url_path}{fixed}")).is_some() {
                break;
            }
        }
        let candidate = format!("{fixed}{hash}");
        let probe = LinkRef {
            dest: candidate.clone(),
            at: link.at.clone(),
        };
        let leads =
            candidate != href && matches!(link_target(url_path, &probe, pages), Ok(Some(_)));
        d = if leads && !candidate.is_empty() {
            d.with_help(format!("did you mean `{candidate}`?"))
        } else {
            d.with_help(format!(
                "from this page the site's root is `{}`",
                if root.is_empty() { "./" } else { &root }
            ))
        };
        return Err(d);
    };
    let page = if target.is_empty() || target.ends_with('/') {
        target.clone()
    } else if let Some(dir) = target.strip_suffix("index.html") {
        dir.to_string()
    } else if pages.files.contains(&target) {
        return Ok(Some(Target::File));
    } else if pages.pages.contains_key(&format!("{target}/")) {
        format!("{target}/")
    } else {
        let mut d = at(format!(
            "link `{href}` points to a file the site does not have"
        ));
        let dir = rest
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| format!("{d}/"));
        // Beside this page's folder, too: a file that sits beside a non-bundle article's
        // `.md` is published one folder above its page.
        let above = (!absolute)
            .then(|| normalize(&format!("{url_path}../{path}")))
            .flatten();
        if let Some(name) = similar_file(&target, pages) {
            d = d.with_help(format!("did you mean `{dir}{name}`?"));
        } else if let Some(name) = above.as_deref().and_then(|t| similar_file(t, pages)) {
            d = d.with_help(format!("did you mean `../{dir}{name}`?"));
        }
        return Err(d);
    };
    if !pages.pages.contains_key(&page) {
        let mut d = at(format!(
            "link `{href}` points to a page the site does not have"
        ));
        if let Some(c) = crate::toml_input::closest(&page, pages.pages.keys().map(String::as_str)) {
            // The fragment goes along only where the suggested page has it.
            let keep = fragment
                .as_ref()
                .is_some_and(|f| pages.pages.get(c).is_some_and(|ids| ids.contains(f)));
            let hint = format!("{root}{c}{}", if keep { hash.as_str() } else { "" });
            let hint = if hint.is_empty() {
                "./".to_string()
            } else {
                hint
            };
            d = d.with_help(format!("did you mean `{hint}`?"));
        }
        return Err(d);
    }
    Ok(Some(Target::Page { page, fragment }))
}

/// The name of a file in `target`'s folder whose name differs from `target`'s only in case or
/// extension (`Photo.JPG`, `photo.png` for `photo.jpg`).
fn similar_file(target: &str, pages: &Pages) -> Option<String> {
    let (dir, name) = target
        .rsplit_once('/')
        .map_or(("", target), |(d, n)| (d, n));
    let stem = |n: &str| n.rsplit_once('.').map_or(n, |(s, _)| s).to_lowercase();
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let in_dir = pages.files.iter().filter_map(|f| {
        let n = f.strip_prefix(&prefix)?;
        (!n.contains('/')).then_some(n)
    });
    let mut best: Option<&str> = None;
    for n in in_dir {
        if n.eq_ignore_ascii_case(name) {
            return Some(n.to_string());
        }
        if best.is_none() && stem(n) == stem(name) {
            best = Some(n);
        }
    }
    best.map(str::to_string)
}

/// Checks one internal link of the page at `url_path`; `None` when it is fine or external.
pub(crate) fn check_link(url_path: &str, link: &LinkRef, pages: &Pages) -> Option<Diagnostic> {
    let target = match link_target(url_path, link, pages) {
        Ok(Some(t)) => t,
        Ok(None) => return None,
        Err(d) => return Some(d),
    };
    let href = link.dest.trim();
    let at = |message: String| {
        let mut d = link.at.clone();
        d.message = message;
        d
    };
    if let Target::Page {
        page,
        fragment: Some(f),
    } = &target
        && !f.is_empty()
        && let Some(ids) = pages.pages.get(page)
        && !ids.contains(f)
    {
        let shown = if page.is_empty() { "/" } else { page };
        let mut d = at(format!(
            "link `{href}`: the page {shown} has no element with id `{f}`"
        ));
        if let Some(c) = crate::toml_input::closest(f, ids.iter().map(String::as_str)) {
            let before = href.split_once('#').map_or("", |(p, _)| p);
            d = d.with_help(format!("did you mean `{before}#{c}`?"));
        }
        return Some(d);
    }
    if href.starts_with('/') && !href.starts_with("//") {
        let root = crate::render::root_prefix(url_path);
        let relative = format!("{root}{}", href.trim_start_matches('/'));
        let relative = if relative.is_empty() {
            "./".to_string()
        } else {
            relative
        };
        return Some(
            at(format!(
                "link `{href}` starts at the host's root; it breaks when the site is published under a sub-path"
            ))
            .with_help(format!("write the link relative to this page: `{relative}`"))
            .warning(),
        );
    }
    None
}

/// `a/b/../c/` → `a/c/`; `None` when `..` climbs above the root.
pub(crate) fn normalize(path: &str) -> Option<String> {
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// People in the registry whom no `[[quote]]` or claim's `by` names, by name or alias.
fn unquoted_people(
    site: &Site,
    articles: &[Article],
    sources: &[(&str, String)],
) -> Vec<Diagnostic> {
    let named: HashSet<usize> = articles
        .iter()
        .flat_map(|a| a.annotations.iter().map(move |ann| (a, ann)))
        .filter_map(|(a, ann)| match &ann.detail {
            Detail::Quote { speaker, .. } => site.person(speaker),
            // A claimant has a record too, the source of an article's own claims included.
            Detail::Claim { by, .. } => content::claimant(by.as_deref(), a.meta.source.as_ref())
                .and_then(|n| site.person(n)),
            _ => None,
        })
        .map(|(i, _)| i)
        .collect();
    let mut out = Vec::new();
    for (i, p) in site.people.iter().enumerate() {
        if named.contains(&i) {
            continue;
        }
        let literal = toml::Value::String(p.name.clone()).to_string();
        let message = format!(
            "`{}` is in the people registry, but no article quotes them or names them as a claimant",
            p.name
        );
        let d = sources
            .iter()
            .find_map(|(f, text)| {
                text.find(&literal)
                    .map(|i| Diagnostic::at(*f, text, i..i + literal.len(), message.clone()))
            })
            .unwrap_or_else(|| Diagnostic::file(crate::config::SITE_FILE, message.clone()));
        out.push(
            d.with_help(format!(
                "remove the entry, or add a [[quote]] with `speaker = {literal}` or a [[claim]] with `by = {literal}`"
            ))
            .warning(),
        );
    }
    out
}

/// The report as text: one line per finding, then the summary line.
pub fn to_text(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.findings {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!("{}: {kind}: {}", d.location(), d.message));
        if let Some(help) = &d.help {
            out.push_str(" (help: ");
            out.push_str(&help.replace('\n', "; "));
            out.push(')');
        }
        out.push('\n');
    }
    if !report.unarchived.is_empty() {
        out.push_str(&format!(
            "sources without an archived copy ({}; `archive = \"…\"` adds one):\n",
            report.unarchived.len()
        ));
        for d in &report.unarchived {
            out.push_str(&format!("  {}: {}\n", d.location(), d.message));
        }
    }
    out.push_str(&summary_line(&report.summary));
    out.push('\n');
    out
}

/// `N articles, N annotations: N exact, N moved, N orphaned; E errors, W warnings` (with
/// `; N external addresses checked` before the errors after `--external`).
pub fn summary_line(s: &Summary) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let external = s.external_links.map_or(String::new(), |n| {
        format!(
            "; {} checked",
            plural(n, "external address", "external addresses")
        )
    });
    let unarchived = s
        .unarchived_sources
        .filter(|n| *n > 0)
        .map_or(String::new(), |n| {
            format!(
                ", {} without an archived copy",
                plural(n, "source", "sources")
            )
        });
    format!(
        "{}, {}: {} exact, {} moved, {} orphaned{external}{unarchived}; {}, {}",
        plural(s.articles, "article", "articles"),
        plural(s.annotations, "annotation", "annotations"),
        s.exact,
        s.moved,
        s.orphaned,
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
    )
}

/// One finding as JSON.
#[derive(Serialize)]
struct FindingJson<'a> {
    path: String,
    line: usize,
    col: usize,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
}

/// The whole report as JSON, for tools: `{ "findings": [...], "anchors": [...], "summary": {...} }`.
pub fn to_json(report: &Report) -> String {
    let findings: Vec<FindingJson<'_>> = report
        .findings
        .iter()
        .map(|d| FindingJson {
            path: slashed(&d.path),
            line: d.line,
            col: d.col,
            severity: d.severity,
            message: &d.message,
            help: d.help.as_deref(),
        })
        .collect();
    let unarchived: Vec<serde_json::Value> = report
        .unarchived
        .iter()
        .map(|d| {
            serde_json::json!({ "path": slashed(&d.path), "line": d.line, "col": d.col, "url": d.message })
        })
        .collect();
    let value = serde_json::json!({
        "unarchived": unarchived,
        "findings": findings,
        "anchors": report.anchors,
        "summary": report.summary,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizing_paths() {
        assert_eq!(normalize("2019/x/../y/").as_deref(), Some("2019/y/"));
        assert_eq!(normalize("a/./b").as_deref(), Some("a/b"));
        assert_eq!(normalize("a/../../b"), None);
        assert_eq!(normalize("a/..").as_deref(), Some(""));
    }

    #[test]
    fn external_links() {
        assert!(is_external("https://x.org/a"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("//x.org"));
        assert!(!is_external("../a/"));
        assert!(!is_external("#f"));
        assert!(!is_external("a/b:c"));
    }

    #[test]
    fn ids_are_collected() {
        let ids = html_ids(r#"<p id="a"><mark class="x" id="claim-1">t</mark><div data-id="no">"#);
        assert!(ids.contains("a") && ids.contains("claim-1") && !ids.contains("no"));
    }
}
