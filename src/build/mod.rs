//! Building: every page of the site written to the output folder, or nothing at all.
mod cache;
mod feeds;
mod listings;
pub(crate) mod output;
mod published;
pub mod record;
pub mod reuse;
mod search;
pub mod serve_support;
pub(crate) mod summary;
mod translations;

/// A file's identity, by which an unchanged file is known without reading it.
pub(crate) use cache::SourceStamp;
pub use published::PublishedIds;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::{Site, SiteLang};
use crate::content::{self, Article, Kind};
use crate::diagnostics::Diagnostic;
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
    /// A preview (`gloss serve`): published ids are kept, but what it shows is not
    /// remembered as published.
    pub preview: bool,
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
    /// Articles whose pages were kept from the previous build, unchanged.
    pub unchanged: usize,
    /// Images whose sizes the pages show.
    pub images: usize,
    /// Resized copies of images made (not found in the cache).
    pub resized: usize,
    /// Wall time of each stage, in order (for `--timings` and benchmarks).
    pub stages: Vec<(&'static str, Duration)>,
}

/// Wall time of consecutive stages.
struct Laps {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Laps {
    fn new() -> Self {
        Laps {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    /// Ends the stage `name`, begun when the previous one ended.
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}

/// The site-wide facts every page's template receives.
#[derive(Debug, Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    lang: &'a str,
}

/// The parts of every page's context that are the same on every page, serialized once per
/// build rather than once per page (the words alone are ~80 strings).
pub(crate) struct Shared {
    site: tera::Value,
    words: Vec<tera::Value>,
    /// The site's language, for its words (its title) on pages in another.
    site_lang: (crate::lang::Lang, String),
    /// site.toml's `languages`, which say where each language's listings are.
    languages: Vec<String>,
    /// The site's `[[nav]]` links, in each language.
    nav: Vec<tera::Value>,
}

/// One `[[nav]]` link as templates see it.
#[derive(Serialize)]
struct NavView<'a> {
    title: &'a str,
    /// The page's path below the site root, as `path` is on that page.
    path: String,
    /// The same, as a URL.
    href: String,
}

fn nav_view(site: &Site, lang: crate::lang::Lang) -> tera::Value {
    let items: Vec<NavView<'_>> = site
        .config
        .nav
        .iter()
        .map(|item| {
            let path = content::url_path_for(&item.file());
            NavView {
                title: item.title.get(lang),
                href: render::url_of_path(&path).into_owned(),
                path,
            }
        })
        .collect();
    tera::Value::from_serializable(&items)
}

impl Shared {
    pub(crate) fn new(site: &Site) -> Self {
        let view = SiteView {
            title: &site.config.title,
            description: &site.config.description,
            base_url: &site.config.base_url,
            lang: &site.config.language,
        };
        Shared {
            site: tera::Value::from_serializable(&view),
            words: crate::lang::Lang::all()
                .map(|l| tera::Value::from_serializable(&site.locales.get(l).words))
                .collect(),
            site_lang: (site.lang, site.config.language.clone()),
            languages: site.config.languages.clone(),
            nav: crate::lang::Lang::all()
                .map(|l| nav_view(site, l))
                .collect(),
        }
    }

    /// The common part of every page's context.
    pub(crate) fn context(
        &self,
        lang: crate::lang::Lang,
        lang_tag: &str,
        url_path: &str,
    ) -> Context {
        let mut cx = Context::new();
        cx.insert_value("site", self.site.clone());
        cx.insert("lang", lang_tag);
        cx.insert_value("t", self.words[lang.index()].clone());
        cx.insert(
            "site_lang",
            &(self.site_lang.0 != lang).then_some(self.site_lang.1.as_str()),
        );
        let root = render::root_prefix(url_path);
        // The home of the page's language: the site root, or its `<tag>/` on a site in
        // several languages.
        let prefix = crate::config::listing_prefix(&self.site_lang.1, &self.languages, lang_tag);
        cx.insert("home", &format!("{root}{prefix}"));
        // The page's place below its language's home, which the navigation marks.
        cx.insert(
            "section",
            url_path.strip_prefix(&prefix).unwrap_or(url_path),
        );
        cx.insert("root", &root);
        cx.insert_value("nav", self.nav[lang.index()].clone());
        cx.insert("path", url_path);
        let none: [render::Alternate; 0] = [];
        cx.insert("alternates", &none);
        cx.insert("switcher", &none);
        cx
    }
}

/// Renders pages into the staging folder and remembers what was written, for the sitemap.
pub(crate) struct Pages<'a> {
    theme: &'a Theme,
    shared: Shared,
    out: &'a reuse::Writer<'a>,
    written: Mutex<Vec<String>>,
}

impl<'a> Pages<'a> {
    /// Renders `site`'s pages with `theme`, writing them through `out`.
    pub(crate) fn new(site: &Site, theme: &'a Theme, out: &'a reuse::Writer<'a>) -> Self {
        Pages {
            theme,
            shared: Shared::new(site),
            out,
            written: Mutex::new(Vec::new()),
        }
    }

    /// Renders `template` with `cx` to `url_path/index.html`, a page gloss generates.
    pub(crate) fn render(
        &self,
        template: &str,
        cx: &Context,
        url_path: &str,
    ) -> Result<u128, Diagnostic> {
        self.render_as(&reuse::Owner::Generated, template, cx, url_path)
    }

    /// Renders `template` with `cx` to `url_path/index.html`, the page of `owner`.
    pub(crate) fn render_as(
        &self,
        owner: &reuse::Owner,
        template: &str,
        cx: &Context,
        url_path: &str,
    ) -> Result<u128, Diagnostic> {
        let html = self.theme.render(template, cx)?;
        let rel = Path::new(url_path).join("index.html");
        let hash = self
            .out
            .write_as(owner, &rel, html.as_bytes())
            .map_err(|e| io_error(&rel, e))?;
        self.wrote(url_path);
        Ok(hash)
    }

    /// How many pages have been written.
    fn count(&self) -> usize {
        self.written.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// The pages written so far, in the order written.
    fn urls(&self) -> Vec<String> {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Notes a page written (by [`Pages::render`], or kept from the previous output).
    fn wrote(&self, url_path: &str) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(url_path.to_string());
    }
}

/// Builds the site at `root`.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    let mut laps = Laps::new();
    let mut site = Site::load(root)?;
    let (out, from) = match &opts.out {
        Some(p) => (p.clone(), output::OutputFrom::CommandLine),
        None => (
            root.join(&site.config.output_dir),
            output::OutputFrom::SiteToml,
        ),
    };
    let out = output::check_location(root, &out, from).map_err(|e| vec![e.into()])?;
    let theme = Theme::load(root)?;
    let content = content::discover(&site)?;
    // Every page shows its images' sizes: they are part of what every page depends on.
    let (images, image_warnings) = crate::images::scan(root, &content.assets);
    site.images = std::sync::Arc::new(images);
    let mut cache = cache::Cache::load(
        root,
        cache::site_key(root, site.images.key_with(theme.fingerprint()), opts.drafts),
    );
    let mut ids = PublishedIds::load(root).map_err(|d| vec![d])?;
    laps.lap("find content");
    let staging = output::Staging::new(&out).map_err(|e| vec![io_error(&out, e)])?;
    // An output this site's previous build wrote, and whose manifest it kept, is updated:
    // only what changed is written. Any other is written afresh.
    let previous = reuse::Manifest::load(root, &out).filter(|_| out.join(output::MARKER).is_file());
    let writer = match &previous {
        Some(previous) => reuse::Writer::update(staging.path(), previous)
            .map_err(|e| vec![io_error(staging.path(), e)])?,
        None => reuse::Writer::fresh(staging.path()),
    };
    let pages = Pages::new(&site, &theme, &writer);

    // The images' resized copies are made while the articles are built.
    let content_file =
        |from: &str| reuse::Owner::Content(Path::new(content::CONTENT_DIR).join(from));
    let (built, copies) = rayon::join(
        || build_articles(&site, &mut cache, &mut ids, &pages, &content.articles, opts),
        || {
            crate::images::publish(root, &site.images, &|from, rel, bytes| {
                let rel = Path::new(rel);
                writer
                    .write_as(&content_file(from), rel, bytes)
                    .map(|_| ())
                    .map_err(|e| io_error(rel, e))
            })
        },
    );
    let ((present, unchanged), copies) = match (built, copies) {
        (Ok(built), Ok(copies)) => (built, copies),
        (Err(mut a), Err(b)) => {
            a.extend(b);
            return Err(a);
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let ids = ids.unsaved();
    laps.lap("articles");
    let nav = nav_errors(&site, &|p| present.contains(p));
    if !nav.is_empty() {
        return Err(nav);
    }
    let mut warnings = image_warnings;
    let mut listed: Vec<&ArticleSummary> = Vec::with_capacity(present.len());
    let mut sources: Vec<&Path> = present.iter().copied().collect();
    sources.sort();
    for rel in sources {
        if let Some(entry) = cache.entry(rel) {
            listed.push(&entry.summary);
            warnings.extend(entry.warnings.iter().cloned());
        }
    }
    listed.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));

    let (site_wide, site_wide_kept) =
        site_wide_files(&site, &cache, &pages, &present, &listed, &mut laps)?;
    warnings.extend(site_wide.warnings.iter().cloned());
    let page_count = pages.count();
    let mut files: Vec<&Path> = theme.static_files.keys().map(PathBuf::as_path).collect();
    files.extend(content.assets.iter().map(PathBuf::as_path));
    let html_of = |page: &str| writer.path_of(&Path::new(page).join("index.html"));
    let mut errors = Vec::new();
    match check_links(&listed, &pages.urls(), &files, &html_of) {
        Ok(w) => warnings.extend(w),
        Err(e) => errors.extend(e),
    }
    for d in translations::findings(&listed) {
        if d.severity == crate::diagnostics::Severity::Error {
            errors.push(d);
        } else {
            warnings.push(d);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for (rel, source) in &theme.static_files {
        copy_static(source, &writer, rel).map_err(|e| vec![e.into()])?;
    }
    let content_dir = root.join(content::CONTENT_DIR);
    for rel in &content.assets {
        let bytes = std::fs::read(content_dir.join(rel)).map_err(|e| {
            let shown = Path::new(content::CONTENT_DIR).join(rel);
            vec![output::OutputError::read(shown, e).into()]
        })?;
        let owner = reuse::Owner::Content(Path::new(content::CONTENT_DIR).join(rel));
        writer
            .write_as(&owner, rel, &bytes)
            .map_err(|e| vec![io_error(rel, e)])?;
    }
    let collisions = writer.collisions();
    if !collisions.is_empty() {
        let mut errors: Vec<Diagnostic> = collisions.iter().map(collision_error).collect();
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        return Err(errors);
    }
    laps.lap("static");
    let reuse::Written { manifest, moves } = writer.finish(&out);
    commit(staging, previous.as_ref(), &manifest, &moves)
        .map_err(|e| vec![output::commit_error(&out, e)])?;
    // The manifest and the cache only save work: a site folder that cannot take them builds
    // all the same.
    if previous.as_ref().is_none_or(|p| !p.same_files(&manifest)) {
        let _ = manifest.save(root);
    }
    let _ = cache.save(root);
    // Only once the output is in place: what was published is what readers may link to.
    if !opts.preview
        && let Some(ids) = &ids
        && let Err(e) = ids.save()
    {
        warnings.push(
            Diagnostic::file(
                published::FILE,
                format!("cannot write `{}`: {e}", published::FILE),
            )
            .with_help("the next build will not know which annotation ids this one published: make the site folder writable and build again")
            .warning(),
        );
    }
    if !site_wide_kept {
        let _ = site_wide.save(root);
    }
    laps.lap("commit");

    let mut report = BuildReport {
        articles: listed.iter().filter(|a| !a.page).count(),
        unchanged,
        images: site.images.len(),
        resized: copies.resized,
        pages: page_count + 1,
        out_dir: out,
        warnings,
        stages: laps.laps,
        ..BuildReport::default()
    };
    for a in &listed {
        for (k, n) in &a.kinds {
            *report.annotations.entry(*k).or_insert(0) += n;
        }
        report.figures += a.figures;
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Builds every article of `paths` that the cache does not know unchanged (keeping the files
/// of those it does) and records what each gave in `cache`; returns the articles present (not
/// drafts) and how many were unchanged. Each article is read, parsed, rendered and dropped in
/// one go, so that only its summary stays in memory.
fn build_articles<'p>(
    site: &Site,
    cache: &mut cache::Cache,
    ids: &mut PublishedIds,
    pages: &Pages<'_>,
    paths: &'p [PathBuf],
    opts: &BuildOptions,
) -> Result<(HashSet<&'p Path>, usize), Vec<Diagnostic>> {
    let total = paths.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let known_cache = &*cache;
    let known_ids = &*ids;
    let outcomes: Vec<Result<Outcome, Vec<Diagnostic>>> = paths
        .par_iter()
        .map(|rel| {
            let url = content::url_path_for(rel);
            // The article's files, with the bytes the cache says its last build gave them: they
            // are kept only if the output still holds exactly those.
            let outputs = known_cache.outputs(rel);
            let claim_ids: Vec<&str> = known_cache.entry(rel).map_or(Vec::new(), |e| {
                e.summary.claims.iter().map(|c| c.id.as_str()).collect()
            });
            let expected = article_files(&url, &claim_ids);
            let kept_pages = || {
                pages.wrote(&url);
                for id in &claim_ids {
                    pages.wrote(&render::claim_page_path(&url, id));
                }
            };
            // An article's page, annotation export and claim pages; a standalone page's one.
            let files: Option<Vec<(PathBuf, u128)>> = (outputs.len() == expected.len()
                || outputs.len() == 1)
                .then(|| expected.into_iter().zip(outputs.iter().copied()).collect());
            let owner = reuse::Owner::Content(rel.clone());
            // Without a record of published ids, every article is built so that the first
            // record knows them all.
            let keep = || {
                (known_ids.recorded() || opts.preview)
                    && files
                        .as_ref()
                        .is_some_and(|f| pages.out.keep_all(&owner, f))
            };
            // A source whose size, time and inode are as the cache last saw them is not even
            // read; any other is read and hashed.
            let meta = std::fs::metadata(site.root.join(rel)).ok();
            let stamp = meta.as_ref().map(cache::SourceStamp::of);
            let outcome = if meta
                .as_ref()
                .is_some_and(|m| known_cache.unchanged_source(rel, m))
                && keep()
            {
                kept_pages();
                Outcome::Kept(None)
            } else {
                let known = |rel: &Path, text: &str| known_cache.has(rel, text) && keep();
                match content::load_file(site, rel, opts.drafts, &known)? {
                    content::Loaded::Known => {
                        kept_pages();
                        Outcome::Kept(stamp)
                    }
                    content::Loaded::Draft => return Ok(Outcome::Draft),
                    content::Loaded::Article(article) => {
                        let remembered = known_ids.get(&article.path).map_err(|d| vec![d])?;
                        let (summary, warnings, outputs, record) =
                            build_article(site, pages, &article, remembered.as_deref())?;
                        // Only a record that changed goes on: 10k unchanged records held
                        // until the end of the loop were 60 MB of a first build's peak.
                        let record = (remembered.as_deref() != Some(&record)).then_some(record);
                        let key = cache::article_key(
                            known_cache.site_key(),
                            &article.path,
                            &article.source,
                        );
                        Outcome::Built(
                            Box::new(cache::Entry {
                                key,
                                summary,
                                warnings,
                                source: stamp,
                                outputs,
                            }),
                            record,
                        )
                    }
                }
            };
            if let Some(progress) = &opts.progress {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress(n, total);
            }
            Ok(outcome)
        })
        .collect();
    let mut errors = Vec::new();
    let mut present: HashSet<&Path> = HashSet::new();
    let mut unchanged = 0;
    for (rel, outcome) in paths.iter().zip(outcomes) {
        match outcome {
            Ok(Outcome::Kept(stamp)) => {
                // Counted as articles are, without the standalone pages.
                if !cache.entry(rel).is_some_and(|e| e.summary.page) {
                    unchanged += 1;
                }
                present.insert(rel);
                if let Some(stamp) = stamp {
                    cache.restamp(rel, stamp);
                }
            }
            Ok(Outcome::Built(entry, record)) => {
                cache.put(rel.clone(), *entry);
                if let Some(record) = record {
                    ids.put(rel.clone(), record);
                }
                present.insert(rel);
            }
            Ok(Outcome::Draft) => {}
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    cache.retain(&present);
    Ok((present, unchanged))
}

/// The site-wide files for the articles `present` (summaries `listed`, newest first): kept as
/// the previous build left them when neither the site nor any article changed since, else
/// written afresh. Returns their record and whether it was kept.
fn site_wide_files(
    site: &Site,
    cache: &cache::Cache,
    pages: &Pages<'_>,
    present: &HashSet<&Path>,
    listed: &[&ArticleSummary],
    laps: &mut Laps,
) -> Result<(cache::SiteWide, bool), Vec<Diagnostic>> {
    let key = cache::SiteWide::key(
        cache.site_key(),
        present
            .iter()
            .filter_map(|rel| cache.entry(rel).map(|e| (*rel, e.key))),
    );
    let kept = cache::SiteWide::load(&site.root, key).filter(|kept| {
        let files: Vec<(PathBuf, u128)> = kept
            .files
            .iter()
            .map(|(rel, hash)| (PathBuf::from(rel), *hash))
            .collect();
        pages.out.keep_all(&reuse::Owner::Generated, &files)
    });
    if let Some(kept) = kept {
        for url in &kept.pages {
            pages.wrote(url);
        }
        laps.lap("site pages (kept)");
        return Ok((kept, true));
    }
    let mark = (pages.out.mark(), pages.count());
    let people_warnings = write_site_wide(site, pages, listed, laps)?;
    let written = pages.urls();
    let record = cache::SiteWide {
        key,
        files: pages.out.written_since(mark.0),
        pages: written[mark.1.min(written.len())..].to_vec(),
        warnings: people_warnings,
    };
    Ok((record, false))
}

/// Checks every internal link, image and `#fragment` of the articles `listed`, as `gloss
/// check` does, against the pages written (`urls`) and the other `files`; returns the
/// warnings, or every broken link as an error. The ids of a page a fragment points into are
/// read from its HTML, which `html_of` finds.
fn check_links(
    listed: &[&ArticleSummary],
    urls: &[String],
    files: &[&Path],
    html_of: &dyn Fn(&str) -> PathBuf,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    use crate::check::{self, Target};
    let mut pages = check::Pages::default();
    for url in urls {
        pages.add_page(url.clone(), HashSet::new());
    }
    for a in listed {
        pages.sources.insert(slashed(&a.source_path));
        if !a.page {
            pages
                .files
                .insert(format!("{}{}", a.path, render::wadm::FILE_NAME));
        }
    }
    pages.files.extend(files.iter().map(|f| slashed(f)));
    pages
        .files
        .extend(check::SITE_FILES.iter().map(|f| f.to_string()));
    let mut read = HashSet::new();
    for a in listed {
        for link in a.links.iter().filter(|l| l.dest.contains('#')) {
            if let Ok(Some(Target::Page { page, .. })) = check::link_target(&a.path, link, &pages)
                && read.insert(page.clone())
            {
                let html = std::fs::read_to_string(html_of(&page)).unwrap_or_default();
                pages.add_page(page, check::html_ids(&html));
            }
        }
    }
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for a in listed {
        for link in &a.links {
            match check::check_link(&a.path, link, &pages) {
                Some(d) if d.severity == crate::diagnostics::Severity::Error => errors.push(d),
                Some(d) => warnings.push(d),
                None => {}
            }
        }
    }
    if errors.is_empty() {
        Ok(warnings)
    } else {
        Err(errors)
    }
}

fn slashed(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Puts the new output in place. An update that changed nothing leaves the output as it is
/// (it already holds exactly the new one); any other becomes a whole new output beside the
/// old one, unchanged files linked, and is swapped in.
fn commit(
    staging: output::Staging,
    previous: Option<&reuse::Manifest>,
    manifest: &reuse::Manifest,
    moves: &[(String, String)],
) -> std::io::Result<()> {
    if let Some(previous) = previous {
        let unchanged = moves.is_empty()
            && previous.paths().all(|rel| manifest.has(rel))
            && output::strays(&previous.out, |rel| manifest.has(rel)).is_empty();
        if unchanged {
            return Ok(());
        }
        let moved: HashSet<&str> = moves.iter().map(|(_, rel)| rel.as_str()).collect();
        let kept: Vec<&str> = manifest
            .paths()
            .filter(|rel| !moved.contains(rel))
            .collect();
        output::assemble(staging.path(), &previous.out, &kept, moves)?;
    }
    staging.commit()
}

/// Writes the site-wide files: listings, the search index, feeds and the sitemap; returns the
/// listings' warnings.
fn write_site_wide(
    site: &Site,
    pages: &Pages<'_>,
    listed: &[&ArticleSummary],
    laps: &mut Laps,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let all = listed;
    let listed = &articles_only(listed);
    let groups = by_language(site, listed);
    let langs: Vec<SiteLang> = groups.iter().map(|(l, _)| l.clone()).collect();
    // People first: their records go into the search index, which is then built while the
    // other listings render.
    let (records, warnings) = people_pages(site, pages, &groups, &langs).map_err(|d| vec![d])?;
    let (other, index) = rayon::join(
        || write_other_listings(site, pages, &groups, &langs).map_err(|d| vec![d]),
        || -> Result<(), Vec<Diagnostic>> {
            if !site.config.search.enabled {
                return Ok(());
            }
            // Each language's index, below its home, stemmed in its language.
            for ((l, articles), people) in groups.iter().zip(records) {
                let mut all = search_records(site, articles);
                all.extend(people);
                index_search(all, &|rel, bytes| {
                    pages
                        .out
                        .write(&Path::new(&l.prefix).join(rel), bytes)
                        .map(|_| ())
                })?;
            }
            Ok(())
        },
    );
    other?;
    index?;
    laps.lap("site pages, search");
    let mut written = pages.urls();
    written.sort();
    // Standalone pages are in the sitemap too, dated only when they say when they changed.
    let modified: HashMap<&str, jiff::civil::Date> = all
        .iter()
        .filter_map(|a| {
            let date = if a.page {
                a.updated?
            } else {
                a.updated.unwrap_or(a.date)
            };
            Some((a.path.as_str(), date))
        })
        .collect();
    let sitemap_pages: Vec<(String, Option<jiff::civil::Date>)> = written
        .iter()
        .map(|p| (p.clone(), modified.get(p.as_str()).copied()))
        .collect();
    let mut files = vec![(
        record::JSON_FILE.to_string(),
        record::claims_json(site, listed),
    )];
    for (l, articles) in &groups {
        files.push((
            format!("{}feed.xml", l.prefix),
            feeds::articles_feed(site, l, articles),
        ));
        files.push((
            format!("{}corrections.xml", l.prefix),
            feeds::corrections_feed(site, l, articles),
        ));
    }
    files.push(("robots.txt".into(), feeds::robots(site)));
    let alternates = feeds::alternates(site, listed, &langs);
    files.extend(feeds::sitemaps(site, &sitemap_pages, &alternates));
    for (name, text) in files {
        pages
            .out
            .write(Path::new(&name), text.as_bytes())
            .map_err(|e| vec![io_error(Path::new(&name), e)])?;
    }
    let csv = record::claims_csv(site, listed);
    pages
        .out
        .write(Path::new(record::CSV_FILE), &csv)
        .map_err(|e| vec![io_error(Path::new(record::CSV_FILE), e)])?;
    laps.lap("feeds");
    Ok(warnings)
}

/// Builds the search index for `records`, handing each file to `write` as it is made
/// (`meta.js`, which names the others, last).
fn index_search(
    records: Vec<search::Record<'_>>,
    write: &(dyn Fn(&Path, &[u8]) -> std::io::Result<()> + Sync),
) -> Result<(), Vec<Diagnostic>> {
    search::write_index(records, &|rel, bytes| {
        write(&rel, &bytes).map_err(|e| format!("cannot write {}: {e}", rel.display()))
    })
    .map_err(|e| {
        vec![
            Diagnostic::file(search::DIR, format!("cannot build the search index: {e}"))
                .with_help("check that the output folder is writable and the disk has room"),
        ]
    })
}

/// Writes every site-wide page (index, claims, people, corrections, tags, 404, search) for
/// the articles in `listed`, newest first.
fn write_site_pages(
    site: &Site,
    pages: &Pages<'_>,
    listed: &[&ArticleSummary],
) -> Result<Vec<Diagnostic>, Diagnostic> {
    let listed = &articles_only(listed);
    let groups = by_language(site, listed);
    let langs: Vec<SiteLang> = groups.iter().map(|(l, _)| l.clone()).collect();
    let (_, warnings) = people_pages(site, pages, &groups, &langs)?;
    write_other_listings(site, pages, &groups, &langs)?;
    Ok(warnings)
}

/// The site's languages (see [`Site::listing_langs`]), each with its articles of `listed`,
/// in `listed`'s order: an article is listed in its own language only.
pub(crate) fn by_language<'a>(
    site: &Site,
    listed: &[&'a ArticleSummary],
) -> Vec<(SiteLang, Vec<&'a ArticleSummary>)> {
    let langs = site.listing_langs(listed.iter().map(|a| a.lang.as_str()));
    let mut groups: Vec<(SiteLang, Vec<&ArticleSummary>)> =
        langs.into_iter().map(|l| (l, Vec::new())).collect();
    for a in listed {
        let primary = crate::config::primary_subtag(&a.lang);
        // A language site.toml's `languages` leaves out is listed with the site's own (its
        // passages marked with their `lang`).
        let i = groups
            .iter()
            .position(|(l, _)| crate::config::primary_subtag(&l.tag) == primary)
            .unwrap_or(0);
        groups[i].1.push(a);
    }
    groups
}

/// The people pages of every language of `groups`; returns each language's search records
/// of people, in `groups`' order, and the warnings.
fn people_pages(
    site: &Site,
    pages: &Pages<'_>,
    groups: &[(SiteLang, Vec<&ArticleSummary>)],
    langs: &[SiteLang],
) -> Result<(Vec<Vec<search::Record<'static>>>, Vec<Diagnostic>), Diagnostic> {
    let mut records = Vec::with_capacity(groups.len());
    let mut warnings = Vec::new();
    for (l, articles) in groups {
        let listing = listings::Listing {
            lang: l,
            all: langs,
        };
        let people = listings::people(site, &listing, pages, articles)?;
        records.push(people.records);
        warnings.extend(people.warnings);
    }
    Ok((records, warnings))
}

/// Each `[[nav]]` entry of site.toml whose `page` is no content file the site publishes
/// (`published` says which are), as an error at that `page`.
pub fn nav_errors(site: &Site, published: &dyn Fn(&Path) -> bool) -> Vec<Diagnostic> {
    let text =
        std::fs::read_to_string(site.root.join(crate::config::SITE_FILE)).unwrap_or_default();
    let mut errors = Vec::new();
    let mut from = 0;
    for item in &site.config.nav {
        let file = item.file();
        let quoted = toml::Value::String(item.page.clone()).to_string();
        let at = text[from..]
            .find(&quoted)
            .map(|i| from + i + 1..from + i + quoted.len() - 1);
        if let Some(at) = &at {
            from = at.end;
        }
        if published(&file) {
            continue;
        }
        let message = format!(
            "the navigation links `{}`, which is not a page of the site",
            item.page
        );
        let exists = site.root.join(&file).is_file();
        let help = if exists {
            "it is a draft: publish it (`draft = false`) or take it out of `[[nav]]`".to_string()
        } else {
            format!(
                "write the page's file relative to content/ (`about.md` for content/about.md); {} does not exist",
                file.display()
            )
        };
        let d = match at {
            Some(at) => Diagnostic::at(crate::config::SITE_FILE, &text, at, message),
            None => Diagnostic::file(crate::config::SITE_FILE, message),
        };
        errors.push(d.with_help(help));
    }
    errors
}

/// The articles of `listed`, without the standalone pages, which no listing, feed or search
/// shows.
pub(crate) fn articles_only<'a>(listed: &[&'a ArticleSummary]) -> Vec<&'a ArticleSummary> {
    listed.iter().copied().filter(|a| !a.page).collect()
}

/// Writes the site-wide pages other than people's, for each language of `groups`, the large
/// listings side by side.
fn write_other_listings(
    site: &Site,
    pages: &Pages<'_>,
    groups: &[(SiteLang, Vec<&ArticleSummary>)],
    langs: &[SiteLang],
) -> Result<(), Diagnostic> {
    listings::not_found(site, pages)?;
    for (l, listed) in groups {
        let l = &listings::Listing {
            lang: l,
            all: langs,
        };
        let (claims, (tags, rest)) = rayon::join(
            || listings::claims(site, l, pages, listed),
            || {
                rayon::join(
                    || listings::tags(site, l, pages, listed),
                    || -> Result<(), Diagnostic> {
                        listings::index(site, l, pages, listed)?;
                        listings::corrections(site, l, pages, listed)?;
                        if site.config.search.enabled {
                            listings::search_page(site, l, pages)?;
                        }
                        Ok(())
                    },
                )
            },
        );
        claims?;
        tags?;
        rest?;
    }
    Ok(())
}

/// What the search index holds: each article (its summary first, as the excerpt, then tags,
/// the verdict words, who claims and who is quoted, and its text, so that "irreführend" or a
/// name finds it), followed by each of its claims as a record of its own that links straight
/// to the highlight (its conclusion first, as the excerpt). People are added by the caller.
fn search_records<'a>(site: &Site, summaries: &[&'a ArticleSummary]) -> Vec<search::Record<'a>> {
    let claims: usize = summaries.iter().map(|a| a.claims.len()).sum();
    let mut records = Vec::with_capacity(summaries.len() + claims);
    for a in summaries {
        let mut content = String::with_capacity(256);
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
                push_name(&mut content, site, by);
            }
        }
        for q in &a.quotes {
            push_name(&mut content, site, &q.speaker);
        }
        content.push('\n');
        records.push(search::Record {
            url: format!("/{}", render::url_of_path(&a.path)),
            title: a.title.clone(),
            content,
            more: &a.text,
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
            content.push_str(label);
            content.push(' ');
            if let Some(by) = &c.by {
                push_name(&mut content, site, by);
            }
            records.push(search::Record {
                url: format!("/{}#{}", render::url_of_path(&a.path), c.id),
                title: format!(
                    "{label}: {}",
                    site.locales.get(a.lang_words).quoted(c.statement())
                ),
                content,
                more: "",
                lang: a.lang.clone(),
                kind: "claim".into(),
            });
        }
    }
    records
}

/// The error for two sources that want one place in the output, located at the content
/// file of the two (the later one when both are content).
fn collision_error(c: &reuse::Collision) -> Diagnostic {
    use reuse::Owner;
    let ((path, key), (other, other_key)) = match (&c.owner, &c.taken_by) {
        (Owner::Content(p), _) => ((p, &c.key), (&c.taken_by, &c.taken)),
        (_, Owner::Content(p)) => ((p, &c.taken), (&c.owner, &c.key)),
        // Only collisions with content are noted; this is for completeness.
        _ => return Diagnostic::file(&c.key, format!("{} is written twice", c.key)),
    };
    let article = path.extension().is_some_and(|e| e == "md");
    let what = if article { "this article" } else { "this file" };
    let by = match other {
        Owner::Generated if other_key.ends_with("index.html") => {
            "a page gloss generates".to_string()
        }
        Owner::Generated => "a file gloss generates".to_string(),
        Owner::Theme => "a file of the theme".to_string(),
        Owner::Content(p) => format!("where {} goes", p.display()),
    };
    let message = if key == other_key {
        format!("{what} would be published as {key}, {by}")
    } else {
        format!(
            "{what} would be published as {key}, which cannot be beside {other_key} ({by}): one \
             needs as a folder the name the other takes"
        )
    };
    let help = if article {
        "rename or move the article: gloss makes index.html, page/, claims/, people/, \
         corrections/, tags/, search/, feed.xml, corrections.xml, sitemap.xml, robots.txt, \
         claims.json, claims.csv, 404.html, each article's claims/ and the theme's files itself"
    } else {
        "rename or move the file: a file of content/ never replaces a page or another file"
    };
    Diagnostic::file(path, message).with_help(help)
}

/// Adds `name` to a search record's words under the registry's name, and as written where
/// that differs, so that either finds it.
fn push_name(content: &mut String, site: &Site, name: &str) {
    let filed = site.filed_name(name);
    content.push_str(filed);
    content.push(' ');
    if filed != name {
        content.push_str(name);
        content.push(' ');
    }
}

pub(crate) fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::from(output::OutputError::write(path, e))
        .with_help("check that the output folder is writable and the disk has room")
}

fn copy_static(
    source: &render::theme::StaticSource,
    out: &reuse::Writer<'_>,
    rel: &Path,
) -> Result<(), output::OutputError> {
    let bytes = match source {
        render::theme::StaticSource::Embedded(bytes) => std::borrow::Cow::Borrowed(*bytes),
        render::theme::StaticSource::File(path) => std::fs::read(path)
            .map_err(|e| output::OutputError::read(Path::new("static").join(rel), e))?
            .into(),
    };
    out.write_as(&reuse::Owner::Theme, rel, &bytes)
        .map(|_| ())
        .map_err(|e| output::OutputError::write(rel, e))
}

/// Whether figures are detected in `article`: its own setting, else the site's.
pub fn figures_enabled(site: &Site, article: &Article) -> bool {
    // A page is the site's own text about itself: no figures panel.
    !article.meta.page
        && article
            .meta
            .figures_auto
            .unwrap_or(site.config.figures.auto)
}

/// What became of one content file in a build.
enum Outcome {
    /// Unchanged since the last build: its files were kept. With the source's stamp when it
    /// had to be read to know so.
    Kept(Option<cache::SourceStamp>),
    /// Built afresh, with the ids it published if they differ from the site's record.
    Built(
        Box<cache::Entry>,
        Option<crate::annotate::history::Published>,
    ),
    /// A draft, left out.
    Draft,
}

/// What building one article leaves: its summary for listings, its warnings, the hashes
/// of its files (in the order of [`article_files`]) and the ids it published.
type BuiltArticle = (
    ArticleSummary,
    Vec<Diagnostic>,
    Vec<u128>,
    crate::annotate::history::Published,
);

/// The files an article's build writes, below the output root: its page, its annotation
/// export and the page of each of its claims (`claim_ids`, in front matter order).
fn article_files(url_path: &str, claim_ids: &[&str]) -> Vec<PathBuf> {
    let mut files = vec![
        Path::new(url_path).join("index.html"),
        Path::new(url_path).join(render::wadm::FILE_NAME),
    ];
    for id in claim_ids {
        files.push(Path::new(&render::claim_page_path(url_path, id)).join("index.html"));
    }
    files
}

/// Anchors, renders and writes one article's page, keeping the ids its last build published
/// (`remembered`); returns what listings need of it.
fn build_article(
    site: &Site,
    pages: &Pages<'_>,
    article: &Article,
    remembered: Option<&crate::annotate::history::Published>,
) -> Result<BuiltArticle, Vec<Diagnostic>> {
    let mut anchored = crate::annotate::anchor(article, figures_enabled(site, article))?;
    let record = crate::annotate::history::reconcile(article, &mut anchored, remembered);
    let (html, view) =
        render_view(site, pages.theme, &pages.shared, article, &anchored).map_err(|d| vec![d])?;
    let owner = reuse::Owner::Content(article.path.clone());
    let index = Path::new(&article.url_path).join("index.html");
    let page = pages
        .out
        .write_as(&owner, &index, html.as_bytes())
        .map_err(|e| vec![io_error(&index, e)])?;
    pages.wrote(&article.url_path);
    if article.meta.page {
        // A page has no annotations to export.
        let summary = ArticleSummary::new(site, article, &anchored, &view);
        let mut warnings = anchored.warnings;
        warnings.extend(crate::images::alt_warnings(article, &anchored.events));
        return Ok((summary, warnings, vec![page], record));
    }
    let url = render::jsonld::page_url(site, &article.url_path);
    let anno = render::wadm::annotation_collection(site, article, &anchored, &url);
    let rel = Path::new(&article.url_path).join(render::wadm::FILE_NAME);
    let bytes = serde_json::to_vec(&anno)
        .map_err(|e| vec![Diagnostic::file(&rel, format!("cannot write: {e}"))])?;
    let export = pages
        .out
        .write_as(&owner, &rel, &bytes)
        .map_err(|e| vec![io_error(&rel, e)])?;
    let mut hashes = vec![page, export];
    for claim in render::claim_page::claim_pages(site, article, &anchored) {
        let mut cx = pages
            .shared
            .context(article.meta.lang, &article.meta.lang_tag, &claim.path);
        cx.insert("claim", &claim.view);
        hashes.push(
            pages
                .render_as(&owner, "claim.html", &cx, &claim.path)
                .map_err(|d| vec![d])?,
        );
    }
    let summary = ArticleSummary::new(site, article, &anchored, &view);
    let mut warnings = anchored.warnings;
    warnings.extend(content::claim_warnings(article));
    warnings.extend(crate::images::alt_warnings(article, &anchored.events));
    Ok((summary, warnings, hashes, record))
}

/// What the translations the articles `summaries` name say of each other: errors and
/// warnings, located at each `translations` entry (for `gloss check`).
pub fn translation_findings(summaries: &[ArticleSummary]) -> Vec<Diagnostic> {
    let listed: Vec<&ArticleSummary> = summaries.iter().collect();
    translations::findings(&listed)
}

/// Puts a page's language versions into its context: `alternates`, every version
/// (itself too) for `<link rel="alternate" hreflang>`, and `switcher`, the others, for the
/// visible language switcher. Nothing for a page in one language only.
pub(crate) fn insert_alternates(cx: &mut Context, versions: &[render::Alternate]) {
    if versions.len() < 2 {
        return;
    }
    cx.insert("alternates", versions);
    let others: Vec<&render::Alternate> = versions.iter().filter(|a| !a.current).collect();
    cx.insert("switcher", &others);
}

/// Forgets what builds of the site at `root` remembered of the output folder `out` (for a
/// temporary output about to be deleted).
pub fn forget_output(root: &Path, out: &Path) {
    if let Ok(out) = output::check_location(root, out, output::OutputFrom::CommandLine) {
        reuse::Manifest::forget(root, &out);
    }
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
                page: false,
                source: None,
                translation: None,
                translations: Vec::new(),
                figures_auto: None,
                figures_counts: site.config.figures.counts.unwrap_or(false),
            },
            annotations: Vec::new(),
        }
    };
    let detect = figures && figures_enabled(site, &article);
    let anchored = crate::annotate::anchor(&article, detect)?;
    let numbers = render::reading_order(&anchored);
    // The preview prints the renderer's output as is; `build` sanitizes what it publishes.
    Ok(render::body_html_on(
        &article,
        &site.scale,
        &anchored,
        &numbers,
        false,
    ))
}

/// Renders one article's page to HTML without writing anything, as [`build`] would; returns
/// the HTML and the view (for its [`ArticleSummary`]). For `gloss check`.
pub fn render_article_html<'a>(
    site: &'a Site,
    theme: &Theme,
    article: &'a Article,
    anchored: &'a crate::annotate::Anchored<'_>,
) -> Result<(String, render::ArticleView<'a>), Diagnostic> {
    render_view(site, theme, &Shared::new(site), article, anchored)
}

/// An article's page through `article.html`, or a standalone page's through `page.html`
/// (with the verdict scale, which `{{ verdict_scale() }}` in its text lists); and its view.
fn render_view<'a>(
    site: &'a Site,
    theme: &Theme,
    shared: &Shared,
    article: &'a Article,
    anchored: &'a crate::annotate::Anchored<'_>,
) -> Result<(String, render::ArticleView<'a>), Diagnostic> {
    let mut view = render::article_view(site, article, anchored);
    let mut cx = shared.context(article.meta.lang, &article.meta.lang_tag, &article.url_path);
    if article.meta.page {
        cx.insert("scale", &render::scale_view(site, article.meta.lang));
        if render::has_shortcode(&view.body_html) {
            let list = theme.render("partials/verdict_scale.html", &cx)?;
            view.body_html = render::expand_shortcodes(&view.body_html, &list);
        }
        cx.insert("page", &view);
        let html = theme.render("page.html", &cx)?;
        return Ok((html, view));
    }
    let url = render::jsonld::page_url(site, &article.url_path);
    view.jsonld = render::jsonld::article_jsonld(site, article, anchored, &url);
    cx.insert("page", &view);
    insert_alternates(&mut cx, &render::article_alternates(site, article));
    let html = theme.render("article.html", &cx)?;
    Ok((html, view))
}

/// Writes one article's files into an existing output folder exactly as a full build does,
/// against the published ids `ids`; for `gloss serve` after an edit that changes nothing
/// other pages show. Returns warnings.
pub fn rebuild_article(
    site: &Site,
    theme: &Theme,
    article: &Article,
    ids: &PublishedIds,
    out: &Path,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let writer = reuse::Writer::replacing(out);
    let pages = Pages::new(site, theme, &writer);
    // A preview keeps the ids the last build published, and records nothing.
    let remembered = ids.get(&article.path).map_err(|d| vec![d])?;
    build_article(site, &pages, article, remembered.as_deref()).map(|(_, warnings, _, _)| warnings)
}

/// Renders the site-wide pages for `summaries` into `dir`; returns the page paths written and
/// the warnings. For `gloss check` (into a scratch folder: it needs every template rendered
/// and the set of pages the site will have) and for `gloss serve` after a template change
/// (into the served folder, each page replaced in one rename).
pub fn render_site_pages(
    site: &Site,
    theme: &Theme,
    summaries: &[ArticleSummary],
    dir: &Path,
) -> Result<(Vec<String>, Vec<Diagnostic>), Diagnostic> {
    render_site_pages_beside(site, theme, summaries, dir, &[])
}

/// [`render_site_pages`], with the places of `taken` (articles' files, content files, the
/// theme's and the feeds, which are not written) taken first: a page that would take the
/// place of one of them, or one of them the place of another, is an error among the
/// warnings, as in a build. For `gloss check`.
pub fn render_site_pages_beside(
    site: &Site,
    theme: &Theme,
    summaries: &[ArticleSummary],
    dir: &Path,
    taken: &[(reuse::Owner, PathBuf)],
) -> Result<(Vec<String>, Vec<Diagnostic>), Diagnostic> {
    let writer = reuse::Writer::replacing(dir);
    for (owner, rel) in taken {
        writer.reserve(owner, rel);
    }
    let pages = Pages::new(site, theme, &writer);
    let mut listed: Vec<&ArticleSummary> = summaries.iter().collect();
    listed.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
    let mut warnings = write_site_pages(site, &pages, &listed)?;
    let written = pages
        .written
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    warnings.extend(writer.collisions().iter().map(collision_error));
    Ok((written, warnings))
}

/// The files an article's build writes (its page, annotation export and claim pages),
/// below the output root.
pub fn article_outputs(article: &Article) -> Vec<PathBuf> {
    let ids: Vec<&str> = article
        .annotations
        .iter()
        .filter(|a| a.kind == Kind::Claim)
        .map(|a| a.id.as_str())
        .collect();
    article_files(&article.url_path, &ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_static_file_is_a_failed_read() {
        let out = tempfile::tempdir().unwrap();
        let writer = reuse::Writer::fresh(out.path());
        let gone = render::theme::StaticSource::File(out.path().join("gone.css"));
        let e = copy_static(&gone, &writer, Path::new("gone.css")).unwrap_err();
        assert!(
            matches!(&e, output::OutputError::Read { path, .. } if path == Path::new("static/gone.css")),
            "{e:?}"
        );
        let d = Diagnostic::from(e);
        assert!(d.message.starts_with("cannot read: "), "{}", d.message);
        let here = render::theme::StaticSource::Embedded(b"x");
        copy_static(&here, &writer, Path::new("a.css")).unwrap();
    }
}
