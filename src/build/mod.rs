//! Building: every page of the site written to the output folder, or nothing at all.
pub mod output;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Site;
use crate::content::{self, Article, Kind};
use crate::diagnostics::Diagnostic;
use crate::i18n;
use crate::render::{self, Theme};

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Output folder; site.toml's `output_dir` when not given.
    pub out: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
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

/// One article in a list.
#[derive(Debug, Serialize)]
struct ListItem {
    title: String,
    path: String,
    date: String,
    date_display: String,
    summary_html: Option<String>,
    claims: usize,
    annotations: usize,
}

/// What the build keeps of each article after writing its page.
struct Built {
    item: ListItem,
    date: jiff::civil::Date,
    kinds: BTreeMap<Kind, usize>,
    figures: usize,
    warnings: Vec<Diagnostic>,
}

/// The common part of every page's context.
fn base_context(site: &Site, lang: crate::lang::Lang, lang_tag: &str, url_path: &str) -> Context {
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
    let dir = staging.path();

    let results: Vec<Result<Built, Vec<Diagnostic>>> = content
        .articles
        .par_iter()
        .map(|a| build_article(&site, &theme, a, dir))
        .collect();
    let mut errors = Vec::new();
    let mut built = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(b) => built.push(b),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    built.sort_by(|a, b| b.date.cmp(&a.date).then(a.item.path.cmp(&b.item.path)));
    let mut pages = built.len();
    pages += write_index(&site, &theme, &built, dir)?;
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
        articles: built.len(),
        pages,
        out_dir: out,
        ..BuildReport::default()
    };
    for b in built {
        for (k, n) in b.kinds {
            *report.annotations.entry(k).or_insert(0) += n;
        }
        report.figures += b.figures;
        report.warnings.extend(b.warnings);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
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

/// Anchors, renders and writes one article's page.
fn build_article(
    site: &Site,
    theme: &Theme,
    article: &Article,
    dir: &Path,
) -> Result<Built, Vec<Diagnostic>> {
    let anchored = crate::annotate::anchor(article, figures_enabled(site, article))?;
    let view = render::article_view(site, article, &anchored);
    let mut cx = base_context(
        site,
        article.meta.lang,
        &article.meta.lang_tag,
        &article.url_path,
    );
    cx.insert("page", &view);
    let html = theme.render("article.html", &cx).map_err(|d| vec![d])?;
    let rel = Path::new(&article.url_path).join("index.html");
    output::write(dir, &rel, html.as_bytes()).map_err(|e| vec![io_error(&rel, e)])?;
    let mut kinds = BTreeMap::new();
    for a in &article.annotations {
        *kinds.entry(a.kind).or_insert(0) += 1;
    }
    Ok(Built {
        item: ListItem {
            title: article.meta.title.clone(),
            path: article.url_path.clone(),
            date: article.meta.date.to_string(),
            date_display: view.date_display.clone(),
            summary_html: view.summary_html.clone(),
            claims: kinds.get(&Kind::Claim).copied().unwrap_or(0),
            annotations: article.annotations.len(),
        },
        date: article.meta.date,
        kinds,
        figures: anchored.figures.len(),
        warnings: anchored.warnings,
    })
}

/// Page `n` (1-based) of a paginated listing whose first page is at `base`.
fn page_path(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// The pager a listing template receives.
#[derive(Debug, Serialize)]
struct Pager {
    current: usize,
    total: usize,
    /// Relative link to the previous page, from the current one.
    previous: Option<String>,
    /// Relative link to the next page.
    next: Option<String>,
}

/// Writes the paginated index; returns the number of pages written.
fn write_index(
    site: &Site,
    theme: &Theme,
    built: &[Built],
    dir: &Path,
) -> Result<usize, Vec<Diagnostic>> {
    let per_page = site.config.paginate_by.max(1);
    let chunks: Vec<&[Built]> = if built.is_empty() {
        vec![&[]]
    } else {
        built.chunks(per_page).collect()
    };
    let total = chunks.len();
    for (i, chunk) in chunks.iter().enumerate() {
        let n = i + 1;
        let here = page_path("", n);
        let root = render::root_prefix(&here);
        let link = |m: usize| {
            let target = page_path("", m);
            if target.is_empty() {
                format!("{root}index.html")
            } else {
                format!("{root}{target}")
            }
        };
        let items: Vec<&ListItem> = chunk.iter().map(|b| &b.item).collect();
        let mut cx = base_context(site, site.lang, &site.config.language, &here);
        cx.insert("articles", &items);
        cx.insert(
            "pager",
            &Pager {
                current: n,
                total,
                previous: (n > 1).then(|| link(n - 1)),
                next: (n < total).then(|| link(n + 1)),
            },
        );
        let html = theme.render("index.html", &cx).map_err(|d| vec![d])?;
        let rel = Path::new(&here).join("index.html");
        output::write(dir, &rel, html.as_bytes()).map_err(|e| vec![io_error(&rel, e)])?;
    }
    Ok(total)
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
    Ok(render::body_html(&article, &anchored, &numbers))
}
