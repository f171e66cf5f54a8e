//! Building: every page of the site written to the output folder, or nothing at all.
mod feeds;
mod listings;
pub mod output;
mod search;
pub mod summary;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Site;
use crate::content::{self, Article, Kind};
use crate::diagnostics::Diagnostic;
use crate::i18n;
use crate::render::{self, Theme};
use summary::ArticleSummary;

/// Called as articles are built: (articles done, articles in all). From any thread.
pub type ProgressFn = std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>;

/// How to build.
#[derive(Clone, Default)]
pub struct BuildOptions {
    /// Output folder; site.toml's `output_dir` when not given.
    pub out: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
    /// Told of each article built, for a progress bar.
    pub progress: Option<ProgressFn>,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Articles built.
    pub articles: usize,
    /// Annotations by kind.
    pub annotations: BTreeMap<Kind, usize>,
    /// Figures found automatically.
    pub figures: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Where the site was written.
    pub out_dir: PathBuf,
    /// Findings that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Wall time.
    pub elapsed: Duration,
}

/// The site-wide facts every page's template receives.
#[derive(Debug, Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    lang: &'a str,
}

/// The common part of every page's context.
pub(crate) fn base_context(
    site: &Site,
    lang: crate::lang::Lang,
    lang_tag: &str,
    url_path: &str,
) -> Context {
    let mut cx = Context::new();
    cx.insert(
        "site",
        &SiteView {
            title: &site.config.title,
            description: &site.config.description,
            base_url: &site.config.base_url,
            lang: &site.config.language,
        },
    );
    cx.insert("lang", lang_tag);
    cx.insert("t", i18n::words(lang));
    cx.insert("root", &render::root_prefix(url_path));
    cx.insert("path", url_path);
    cx
}

/// Renders pages into the staging folder and remembers what was written, for the sitemap.
pub(crate) struct Pages<'a> {
    theme: &'a Theme,
    dir: &'a Path,
    written: Mutex<Vec<String>>,
}

impl Pages<'_> {
    /// Renders `template` with `cx` to `url_path/index.html`.
    pub(crate) fn render(
        &self,
        template: &str,
        cx: &Context,
        url_path: &str,
    ) -> Result<(), Diagnostic> {
        let html = self.theme.render(template, cx)?;
        let rel = Path::new(url_path).join("index.html");
        output::write(self.dir, &rel, html.as_bytes()).map_err(|e| io_error(&rel, e))?;
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(url_path.to_string());
        Ok(())
    }
}

/// Builds the site at `root`.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    let site = Site::load(root)?;
    let out = match &opts.out {
        Some(p) => p.clone(),
        None => root.join(&site.config.output_dir),
    };
    let out = output::check_location(root, &out).map_err(|d| vec![d])?;
    let theme = Theme::load(root)?;
    let content = content::load(&site, opts.drafts)?;
    let staging = output::Staging::new(&out).map_err(|e| vec![io_error(&out, e)])?;
    let pages = Pages {
        theme: &theme,
        dir: staging.path(),
        written: Mutex::new(Vec::new()),
    };

    let total = content.articles.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<BuiltArticle, Vec<Diagnostic>>> = content
        .articles
        .par_iter()
        .map(|a| {
            let r = build_article(&site, &pages, a);
            if let Some(progress) = &opts.progress {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress(n, total);
            }
            r
        })
        .collect();
    let mut errors = Vec::new();
    let mut summaries = Vec::with_capacity(results.len());
    let mut warnings = Vec::new();
    for r in results {
        match r {
            Ok((summary, mut w)) => {
                summaries.push(summary);
                warnings.append(&mut w);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    summaries.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
    let listed: Vec<&ArticleSummary> = summaries.iter().collect();
    let people = write_site_pages(&site, &pages, &listed).map_err(|d| vec![d])?;
    warnings.extend(people.warnings);
    let dir = staging.path();
    if site.config.search.enabled {
        let mut records = search_records(&site, &summaries);
        records.extend(people.records);
        let index_files = search::index(records).map_err(|e| {
            vec![Diagnostic::file(
                search::DIR,
                format!("cannot build the search index: {e}"),
            )]
        })?;
        for (rel, bytes) in index_files {
            output::write(dir, &rel, &bytes).map_err(|e| vec![io_error(&rel, e)])?;
        }
    }
    let mut written = pages
        .written
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    written.sort();
    let modified: HashMap<&str, jiff::civil::Date> = summaries
        .iter()
        .map(|a| (a.path.as_str(), a.updated.unwrap_or(a.date)))
        .collect();
    let sitemap_pages: Vec<(String, Option<jiff::civil::Date>)> = written
        .iter()
        .map(|p| (p.clone(), modified.get(p.as_str()).copied()))
        .collect();
    let files = [
        ("feed.xml", feeds::articles_feed(&site, &listed)),
        ("corrections.xml", feeds::corrections_feed(&site, &listed)),
        ("sitemap.xml", feeds::sitemap(&site, &sitemap_pages)),
        ("robots.txt", feeds::robots(&site)),
    ];
    for (name, text) in files {
        output::write(dir, Path::new(name), text.as_bytes())
            .map_err(|e| vec![io_error(Path::new(name), e)])?;
    }
    for (rel, source) in &theme.static_files {
        copy_static(source, dir, rel).map_err(|e| vec![io_error(rel, e)])?;
    }
    let content_dir = root.join(content::CONTENT_DIR);
    for rel in &content.assets {
        let target = dir.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| vec![io_error(parent, e)])?;
        }
        std::fs::copy(content_dir.join(rel), &target).map_err(|e| vec![io_error(rel, e)])?;
    }
    staging.commit().map_err(|e| vec![io_error(&out, e)])?;

    let mut report = BuildReport {
        articles: summaries.len(),
        pages: written.len() + 1,
        out_dir: out,
        warnings,
        ..BuildReport::default()
    };
    for a in &summaries {
        for (k, n) in &a.kinds {
            *report.annotations.entry(*k).or_insert(0) += n;
        }
        report.figures += a.figures;
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Writes every site-wide page (index, claims, people, corrections, tags, 404, search) for
/// the articles in `listed`, newest first.
fn write_site_pages(
    site: &Site,
    pages: &Pages<'_>,
    listed: &[&ArticleSummary],
) -> Result<listings::PeoplePages, Diagnostic> {
    listings::index(site, pages, listed)?;
    listings::claims(site, pages, listed)?;
    let people = listings::people(site, pages, listed)?;
    listings::corrections(site, pages, listed)?;
    listings::tags(site, pages, listed)?;
    listings::not_found(site, pages)?;
    if site.config.search.enabled {
        listings::search_page(site, pages)?;
    }
    Ok(people)
}

/// What the search index holds: each article (its summary first, as the excerpt, then tags,
/// the verdict words, who claims and who is quoted, and its text, so that "irreführend" or a
/// name finds it), followed by each of its claims as a record of its own that links straight
/// to the highlight (its conclusion first, as the excerpt). People are added by the caller.
fn search_records(site: &Site, summaries: &[ArticleSummary]) -> Vec<search::Record> {
    let claims: usize = summaries.iter().map(|a| a.claims.len()).sum();
    let mut records = Vec::with_capacity(summaries.len() + claims);
    for a in summaries {
        let mut content = String::with_capacity(a.text.len() + 256);
        match &a.summary {
            Some(summary) => content.push_str(&search::plain_markdown(summary)),
            None => content.push_str(a.text.trim_start().split('\n').next().unwrap_or("")),
        }
        content.push('\n');
        for tag in &a.tags {
            content.push_str(tag);
            content.push(' ');
        }
        for c in &a.claims {
            if let Some(v) = site.scale.get(&c.verdict) {
                content.push_str(v.label.get(a.lang_words));
                content.push(' ');
            }
            if let Some(by) = &c.by {
                content.push_str(by);
                content.push(' ');
            }
        }
        for q in &a.quotes {
            content.push_str(&q.speaker);
            content.push(' ');
        }
        content.push('\n');
        content.push_str(&a.text);
        records.push(search::Record {
            url: format!("/{}", a.path),
            title: a.title.clone(),
            content,
            lang: a.lang.clone(),
            kind: "article".into(),
        });
        for c in &a.claims {
            let label = site
                .scale
                .get(&c.verdict)
                .map_or(c.verdict.as_str(), |v| v.label.get(a.lang_words));
            let mut content = match &c.conclusion {
                Some(conclusion) => search::plain_markdown(conclusion),
                None => a.title.clone(),
            };
            content.push('\n');
            for extra in [Some(label), c.by.as_deref()].into_iter().flatten() {
                content.push_str(extra);
                content.push(' ');
            }
            records.push(search::Record {
                url: format!("/{}#{}", a.path, c.id),
                title: format!("{label}: „{}“", c.text),
                content,
                lang: a.lang.clone(),
                kind: "claim".into(),
            });
        }
    }
    records
}

pub(crate) fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::file(path, format!("cannot write: {e}"))
        .with_help("check that the output folder is writable and the disk has room")
}

fn copy_static(
    source: &render::theme::StaticSource,
    dir: &Path,
    rel: &Path,
) -> std::io::Result<()> {
    match source {
        render::theme::StaticSource::Embedded(bytes) => output::write(dir, rel, bytes),
        render::theme::StaticSource::File(path) => {
            let target = dir.join(rel);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::copy(path, target).map(|_| ())
        }
    }
}

/// Whether figures are detected in `article`: its own setting, else the site's.
pub fn figures_enabled(site: &Site, article: &Article) -> bool {
    article
        .meta
        .figures_auto
        .unwrap_or(site.config.figures.auto)
}

/// What building one article leaves: its summary for listings, and its warnings.
type BuiltArticle = (ArticleSummary, Vec<Diagnostic>);

/// Anchors, renders and writes one article's page; returns what listings need of it.
fn build_article(
    site: &Site,
    pages: &Pages<'_>,
    article: &Article,
) -> Result<BuiltArticle, Vec<Diagnostic>> {
    let anchored = crate::annotate::anchor(article, figures_enabled(site, article))?;
    let mut view = render::article_view(site, article, &anchored);
    let mut cx = base_context(
        site,
        article.meta.lang,
        &article.meta.lang_tag,
        &article.url_path,
    );
    let url = render::jsonld::page_url(site, &article.url_path);
    view.jsonld = render::jsonld::article_jsonld(site, article, &anchored, &url);
    cx.insert("page", &view);
    pages
        .render("article.html", &cx, &article.url_path)
        .map_err(|d| vec![d])?;
    let anno = render::wadm::annotation_collection(site, article, &anchored, &url);
    let rel = Path::new(&article.url_path).join(render::wadm::FILE_NAME);
    let bytes = serde_json::to_vec(&anno)
        .map_err(|e| vec![Diagnostic::file(&rel, format!("cannot write: {e}"))])?;
    output::write(pages.dir, &rel, &bytes).map_err(|e| vec![io_error(&rel, e)])?;
    let summary = ArticleSummary::new(site, article, &anchored, &view);
    Ok((summary, anchored.warnings))
}

/// Renders one article (or a bare markdown snippet) to its body HTML, as the site would.
/// Input that starts with a `+++` line and closes it is an article; anything else is markdown.
pub fn render_fragment(
    site: &Site,
    path: &Path,
    text: String,
    figures: bool,
    require_front_matter: bool,
) -> Result<String, Vec<Diagnostic>> {
    let has_front_matter = {
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        lines.next().is_some_and(|l| l.trim_end() == "+++") && lines.any(|l| l.trim_end() == "+++")
    };
    let article = if has_front_matter || require_front_matter {
        content::parse_article(site, path.to_path_buf(), text, String::new())?
    } else {
        Article {
            path: path.to_path_buf(),
            source: text,
            body_offset: 0,
            url_path: String::new(),
            meta: content::Meta {
                title: String::new(),
                date: jiff::ZonedDateTime::now().date(),
                updated: None,
                lang_tag: site.config.language.clone(),
                lang: site.lang,
                authors: Vec::new(),
                summary: None,
                tags: Vec::new(),
                draft: false,
                source: None,
                translation: None,
                figures_auto: None,
            },
            annotations: Vec::new(),
        }
    };
    let detect = figures && figures_enabled(site, &article);
    let anchored = crate::annotate::anchor(&article, detect)?;
    let numbers = render::reading_order(&anchored);
    // The preview prints the renderer's output as is; `build` sanitizes what it publishes.
    Ok(render::body_html(&article, &anchored, &numbers, false))
}

/// Renders one article's page to HTML without writing anything, as [`build`] would; returns
/// the HTML and the view (for its [`ArticleSummary`]). For `gloss check`.
pub fn render_article_html<'a>(
    site: &'a Site,
    theme: &Theme,
    article: &'a Article,
    anchored: &'a crate::annotate::Anchored<'_>,
) -> Result<(String, render::ArticleView<'a>), Diagnostic> {
    let mut view = render::article_view(site, article, anchored);
    let url = render::jsonld::page_url(site, &article.url_path);
    view.jsonld = render::jsonld::article_jsonld(site, article, anchored, &url);
    let mut cx = base_context(
        site,
        article.meta.lang,
        &article.meta.lang_tag,
        &article.url_path,
    );
    cx.insert("page", &view);
    let html = theme.render("article.html", &cx)?;
    Ok((html, view))
}

/// Writes one article's files into an existing output folder exactly as a full build does;
/// for `gloss serve` after an edit that changes nothing other pages show. Returns warnings.
pub fn rebuild_article(
    site: &Site,
    theme: &Theme,
    article: &Article,
    out: &Path,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let pages = Pages {
        theme,
        dir: out,
        written: Mutex::new(Vec::new()),
    };
    build_article(site, &pages, article).map(|(_, warnings)| warnings)
}

/// Renders the site-wide pages for `summaries` into `dir`, a scratch folder (never the
/// output); returns the page paths written and the warnings. For `gloss check`, which needs
/// every template rendered and the set of pages the site will have.
pub fn render_site_pages(
    site: &Site,
    theme: &Theme,
    summaries: &[ArticleSummary],
    dir: &Path,
) -> Result<(Vec<String>, Vec<Diagnostic>), Diagnostic> {
    let pages = Pages {
        theme,
        dir,
        written: Mutex::new(Vec::new()),
    };
    let mut listed: Vec<&ArticleSummary> = summaries.iter().collect();
    listed.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
    let people = write_site_pages(site, &pages, &listed)?;
    let written = pages
        .written
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    Ok((written, people.warnings))
}
