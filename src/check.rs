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
}

/// A link written in an article: where it points, and where it is written in the source.
struct LinkRef {
    dest: String,
    at: std::ops::Range<usize>,
}

/// What checking one article gives.
#[derive(Default)]
struct ArticleCheck {
    findings: Vec<Diagnostic>,
    anchors: Vec<AnchorReport>,
    /// HTML ids of its rendered page (empty if it could not be rendered).
    ids: HashSet<String>,
    links: Vec<LinkRef>,
    /// What the site-wide pages need of it, if it could be rendered.
    summary: Option<ArticleSummary>,
}

/// Checks the site at `root`.
pub fn check(root: &Path, opts: &CheckOptions) -> Report {
    let mut report = Report::default();
    let site = match Site::load(root) {
        Ok(s) => s,
        Err(e) => return finish(report, e),
    };
    let theme = match Theme::load(root) {
        Ok(t) => Some(t),
        Err(mut e) => {
            report.findings.append(&mut e);
            None
        }
    };
    let content = match content::load(&site, opts.drafts) {
        Ok(c) => c,
        Err(mut e) => {
            report.findings.append(&mut e);
            return finish(report, Vec::new());
        }
    };
    let published = match build::PublishedIds::load(&site.root) {
        Ok(p) => p,
        Err(d) => {
            report.findings.push(d);
            build::PublishedIds::unreadable(&site.root)
        }
    };
    let checks: Vec<ArticleCheck> = content
        .articles
        .par_iter()
        .map(|a| check_article(&site, theme.as_ref(), &published, a))
        .collect();

    let mut pages = Pages::default();
    let mut checks = checks;
    for (a, c) in content.articles.iter().zip(&mut checks) {
        pages.add_page(a.url_path.clone(), std::mem::take(&mut c.ids));
        pages
            .files
            .insert(format!("{}annotations.jsonld", a.url_path));
    }
    if let Some(theme) = &theme {
        let summaries: Vec<ArticleSummary> =
            checks.iter_mut().filter_map(|c| c.summary.take()).collect();
        // Every place of the output that is not a site-wide page, taken as a build takes it.
        use build::reuse::Owner;
        let mut taken: Vec<(Owner, std::path::PathBuf)> = Vec::new();
        for a in &content.articles {
            for rel in build::article_outputs(&a.url_path) {
                taken.push((Owner::Content(a.path.clone()), rel));
            }
        }
        for f in SITE_FILES {
            taken.push((Owner::Generated, f.into()));
        }
        for rel in theme.static_files.keys() {
            taken.push((Owner::Theme, rel.clone()));
        }
        for rel in &content.assets {
            let owner = Owner::Content(Path::new(content::CONTENT_DIR).join(rel));
            taken.push((owner, rel.clone()));
        }
        site_pages(
            &site,
            theme,
            &summaries,
            &taken,
            &mut pages,
            &mut report.findings,
        );
        for rel in theme.static_files.keys() {
            pages.files.insert(slashed(rel));
        }
    }
    for rel in &content.assets {
        pages.files.insert(slashed(rel));
    }
    pages.files.extend(SITE_FILES.iter().map(|f| f.to_string()));

    // Every use of an external address, located where it is written.
    let mut external_uses: Vec<(String, Diagnostic)> = Vec::new();
    let want_external = opts.external.is_some();
    for (a, c) in content.articles.iter().zip(checks) {
        for link in &c.links {
            if want_external && external::is_checked(link.dest.trim()) {
                external_uses.push((link.dest.trim().to_string(), located(a, link.at.clone())));
            } else if let Some(d) = check_link(a, link, &pages) {
                report.findings.push(d);
            }
        }
        if want_external {
            external_uses.extend(front_matter_links(a));
        }
        report.findings.extend(c.findings);
        report.anchors.extend(c.anchors);
    }
    let registry = registry_files(&site);
    if let Some(ext) = &opts.external {
        external_uses.extend(registry_links(&site, &registry));
        check_external(external_uses, ext, &mut report);
    }
    report
        .findings
        .extend(unquoted_people(&site, &content.articles, &registry));
    report.summary.articles = content.articles.len();
    finish(report, Vec::new())
}

/// Renders the site-wide pages (index, claims, people, …) into a scratch folder, so that
/// every template is tried and links into those pages can be checked, ids included.
fn site_pages(
    site: &Site,
    theme: &Theme,
    summaries: &[ArticleSummary],
    taken: &[(build::reuse::Owner, std::path::PathBuf)],
    pages: &mut Pages,
    findings: &mut Vec<Diagnostic>,
) {
    let scratch = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            findings.push(Diagnostic::file(
                std::env::temp_dir(),
                format!("cannot create a scratch folder: {e}"),
            ));
            return;
        }
    };
    match build::render_site_pages_beside(site, theme, summaries, scratch.path(), taken) {
        Ok((written, warnings)) => {
            findings.extend(warnings);
            for page in written {
                let html = std::fs::read_to_string(scratch.path().join(&page).join("index.html"))
                    .unwrap_or_default();
                pages.add_page(page, html_ids(&html));
            }
        }
        Err(d) => findings.push(d),
    }
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
    theme: Option<&Theme>,
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
            annotate::history::reconcile(article, &mut anchored, remembered);
            out.findings.extend(anchored.warnings.iter().cloned());
            if let Some(theme) = theme {
                match build::render_article_html(site, theme, article, &anchored) {
                    Ok((html, view)) => {
                        out.ids = html_ids(&html);
                        out.summary = Some(ArticleSummary::new(site, article, &anchored, &view));
                    }
                    Err(d) => out.findings.push(d),
                }
            }
            out.links = body_links(article, &anchored.events);
            anchored.states
        }
        Err(errors) => {
            out.findings.extend(errors);
            out.links = body_links(article, &crate::markdown::parse(article.body()));
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
    out.links.extend(note_links(article));
    out
}

/// Links in the body, located at their destination in the source.
fn body_links(article: &Article, events: &crate::markdown::Events<'_>) -> Vec<LinkRef> {
    let mut links = Vec::new();
    for (event, range) in events {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            let start = article.body_offset + range.start;
            let end = article.body_offset + range.end;
            links.push(LinkRef {
                dest: dest_url.to_string(),
                at: find_in(&article.source, dest_url, start, end),
            });
        }
    }
    links
}

/// Links in annotations' notes. Notes sit in front matter strings, so each link is pointed
/// at where its destination is written in the annotation's table.
fn note_links(article: &Article) -> Vec<LinkRef> {
    let mut links = Vec::new();
    for ann in &article.annotations {
        let Some(note) = &ann.note else { continue };
        for event in pulldown_cmark::Parser::new_ext(note, crate::markdown::options()) {
            if let Event::Start(Tag::Link { dest_url, .. }) = event {
                links.push(LinkRef {
                    at: find_in(
                        &article.source,
                        &dest_url,
                        table_start(article, ann),
                        article.body_offset,
                    ),
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

/// External addresses in front matter: the article's `source.url` and each annotation's
/// `sources`, located where they are written.
fn front_matter_links(article: &Article) -> Vec<(String, Diagnostic)> {
    let mut out = Vec::new();
    let front = article.body_offset;
    if let Some(url) = article.meta.source.as_ref().and_then(|s| s.url.as_deref())
        && external::is_checked(url)
    {
        out.push((
            url.to_string(),
            located(article, find_in(&article.source, url, 0, front)),
        ));
    }
    for ann in &article.annotations {
        for link in &ann.sources {
            if external::is_checked(&link.url) {
                let at = find_in(&article.source, &link.url, table_start(article, ann), front);
                out.push((link.url.clone(), located(article, at)));
            }
        }
    }
    out
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

/// Asks each distinct address once and turns every use of a failed one into a finding.
fn check_external(uses: Vec<(String, Diagnostic)>, opts: &ExternalOptions, report: &mut Report) {
    let urls: HashSet<String> = uses.iter().map(|(u, _)| external::request_url(u)).collect();
    report.summary.external_links = Some(urls.len());
    let failed = external::check_urls(urls, opts);
    for (url, mut d) in uses {
        if let Some(e) = failed.get(&external::request_url(&url)) {
            d.message = format!("link `{url}`: {e}");
            d.help = Some(e.help());
            d.severity = e.severity();
            report.findings.push(d);
        }
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
fn html_ids(html: &str) -> HashSet<String> {
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
struct Pages {
    /// Page path (`2019/x/`, `` for the index) → the ids on it, where known.
    pages: BTreeMap<String, HashSet<String>>,
    /// Other files (`gloss.css`, `2019/x/bild.png`).
    files: BTreeSet<String>,
}

/// Files every build writes besides pages (see `build::build`).
const SITE_FILES: &[&str] = &[
    "feed.xml",
    "corrections.xml",
    "sitemap.xml",
    "robots.txt",
    "404.html",
];

impl Pages {
    fn add_page(&mut self, path: String, ids: HashSet<String>) {
        self.pages.entry(path).or_default().extend(ids);
    }
}

/// Whether `href` points to another host or scheme (those are `--external`'s business).
fn is_external(href: &str) -> bool {
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
fn percent_decode(s: &str) -> String {
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

/// Checks one internal link of `article`; `None` when it is fine or external.
fn check_link(article: &Article, link: &LinkRef, pages: &Pages) -> Option<Diagnostic> {
    let href = link.dest.trim();
    if href.is_empty() || is_external(href) {
        return None;
    }
    let at =
        |message: String| Diagnostic::at(&article.path, &article.source, link.at.clone(), message);
    let (rest, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (href, None),
    };
    let path = percent_decode(rest.split('?').next().unwrap_or(""));
    let absolute = path.starts_with('/');
    let joined = if path.is_empty() {
        article.url_path.clone()
    } else if absolute {
        path.clone()
    } else {
        format!("{}{path}", article.url_path)
    };
    let Some(target) = normalize(&joined) else {
        return Some(
            at(format!("link `{href}` points above the site's root folder"))
                .with_help("remove a `../`"),
        );
    };
    let page = if target.is_empty() || target.ends_with('/') {
        Some(target.clone())
    } else if let Some(dir) = target.strip_suffix("index.html") {
        Some(dir.to_string())
    } else if pages.files.contains(&target) {
        None
    } else if pages.pages.contains_key(&format!("{target}/")) {
        Some(format!("{target}/"))
    } else {
        let mut d = at(format!(
            "link `{href}` points to a file the site does not have"
        ));
        if let Some(stem) = target.strip_suffix(".md") {
            d = d.with_help(format!(
                "link the page, not its source: `{}`",
                relative_hint(href, stem)
            ));
        }
        return Some(d);
    };
    if let Some(page) = page {
        match pages.pages.get(&page) {
            Some(ids) => {
                if let Some(f) = fragment.filter(|f| !f.is_empty())
                    && !ids.contains(&f)
                {
                    let shown = if page.is_empty() { "/" } else { &page };
                    let mut d = at(format!(
                        "link `{href}`: the page {shown} has no element with id `{f}`"
                    ));
                    if let Some(c) = crate::toml_input::closest(&f, ids.iter().map(String::as_str))
                    {
                        d = d.with_help(format!("did you mean `#{c}`?"));
                    }
                    return Some(d);
                }
            }
            None => {
                let mut d = at(format!(
                    "link `{href}` points to a page the site does not have"
                ));
                if let Some(c) =
                    crate::toml_input::closest(&page, pages.pages.keys().map(String::as_str))
                {
                    d = d.with_help(format!("did you mean the page /{c}?"));
                }
                return Some(d);
            }
        }
    }
    if absolute {
        return Some(
            at(format!(
                "link `{href}` starts at the host's root; it breaks when the site is published under a sub-path"
            ))
            .with_help("write the link relative to this page, e.g. `../other-article/`")
            .warning(),
        );
    }
    None
}

/// `href` with its `.md` target replaced by the page folder.
fn relative_hint(href: &str, stem: &str) -> String {
    let name = stem.rsplit('/').next().unwrap_or(stem);
    match href.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{name}/"),
        None => format!("../{name}/"),
    }
}

/// `a/b/../c/` → `a/c/`; `None` when `..` climbs above the root.
fn normalize(path: &str) -> Option<String> {
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

/// People in the registry whom no `[[quote]]` names, by name or alias.
fn unquoted_people(
    site: &Site,
    articles: &[Article],
    sources: &[(&str, String)],
) -> Vec<Diagnostic> {
    let key = |s: &str| s.trim().to_lowercase();
    let speakers: HashSet<String> = articles
        .iter()
        .flat_map(|a| &a.annotations)
        .filter_map(|ann| match &ann.detail {
            Detail::Quote { speaker, .. } => Some(key(speaker)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for p in &site.people {
        let quoted = std::iter::once(&p.name)
            .chain(&p.aliases)
            .any(|n| speakers.contains(&key(n)));
        if quoted {
            continue;
        }
        let literal = toml::Value::String(p.name.clone()).to_string();
        let message = format!(
            "`{}` is in the people registry, but no article quotes them",
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
                "remove the entry, or add a [[quote]] with `speaker = {literal}`"
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
    format!(
        "{}, {}: {} exact, {} moved, {} orphaned{external}; {}, {}",
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
    let value = serde_json::json!({
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
