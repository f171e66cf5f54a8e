//! Building: every page of the site written to an output, or nothing at all.
//!
//! One pipeline, driven by `build`, `serve` and `check` alike: a [`Session`] holds the site,
//! the theme and what each article gave (its [`summary::ArticleSummary`], warnings and the
//! hashes of its files, from the cache); `write_article` renders and writes one anchored
//! article and makes its summary; `write_site_wide` turns the summaries
//! into the listings' pages (pure functions in `listings`, rendered by `render_pages`), the
//! search index ([`crate::search`]), the feeds and the sitemap. Everything goes through a
//! [`sink::Output`]: staged on disk for `build`, replaced in place for `serve`, kept in
//! memory for `check`.
mod cache;
mod feeds;
mod listings;
pub(crate) mod output;
mod published;
pub mod record;
pub mod reuse;
mod session;
pub(crate) mod sink;
pub(crate) mod summary;
mod translations;

/// The keys under which the site-wide files are kept.
pub(crate) use cache::Keys as SiteWideKeys;
/// A file's identity, by which an unchanged file is known without reading it.
pub(crate) use cache::SourceStamp;
pub use published::PublishedIds;
pub use session::Session;

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
use sink::Output;
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
    /// Publish articles dated after today (`--future`).
    pub future: bool,
    /// The day to publish for instead of today (else [`crate::config::TODAY_VAR`], else
    /// the computer's date).
    pub today: Option<jiff::civil::Date>,
    /// Replaces site.toml's `base_url` in every absolute address (`--base-url`, for a
    /// preview deploy).
    pub base_url: Option<String>,
}

impl BuildOptions {
    /// What these options change of a site's settings: its schedule and its `base_url`.
    pub fn apply(&self, site: &mut Site) {
        site.schedule.future = self.future;
        site.preview = self.preview;
        if let Some(today) = self.today {
            site.schedule.today = today;
        }
        if let Some(url) = &self.base_url {
            site.config.base_url = url.clone();
        }
    }

    /// What these options change of every page, for the cache's key: a page built under
    /// other options is not kept.
    fn key_bytes(&self) -> Vec<u8> {
        let mut bytes = vec![u8::from(self.drafts), u8::from(self.future)];
        if let Some(url) = &self.base_url {
            bytes.push(1);
            bytes.extend_from_slice(url.as_bytes());
        }
        bytes
    }
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
pub(crate) struct Laps {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Laps {
    pub(crate) fn new() -> Self {
        Laps {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    /// Ends the stage `name`, begun when the previous one ended.
    pub(crate) fn lap(&mut self, name: &'static str) {
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
    /// The absolute address of the image shared with a page that has none of its own.
    image: Option<String>,
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
    /// `base_url` without its trailing slash, for each page's canonical address.
    base_url: String,
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
            image: render::share::site_image(site),
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
            base_url: site.base_url().to_string(),
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
        // Absolute or not at all: a canonical link or og:url relative to the page says nothing.
        cx.insert(
            "canonical",
            &(!self.base_url.is_empty())
                .then(|| format!("{}/{}", self.base_url, render::url_of_path(url_path))),
        );
        let none: [render::Alternate; 0] = [];
        cx.insert("alternates", &none);
        cx.insert("switcher", &none);
        // A listing with a feed of its own (a tag, an author, a term) sets it.
        cx.insert("feed", &None::<String>);
        cx
    }
}

/// Files written: each `/`-separated path below the output root with the hash of its bytes.
pub(crate) type Written = Vec<(String, u128)>;

/// Renders pages with the theme and writes them to an output.
pub(crate) struct Pages<'a> {
    theme: &'a Theme,
    shared: Shared,
    out: &'a dyn Output,
}

impl<'a> Pages<'a> {
    /// Renders `site`'s pages with `theme`, writing them to `out`.
    pub(crate) fn new(site: &Site, theme: &'a Theme, out: &'a dyn Output) -> Self {
        Pages {
            theme,
            shared: Shared::new(site),
            out,
        }
    }

    /// Renders a listing's `page` in its language and writes it; returns its file and the
    /// hash of its bytes.
    fn render(&self, page: &listings::Page) -> Result<(String, u128), Diagnostic> {
        let mut cx = self.shared.context(page.lang, &page.lang_tag, &page.path);
        for (name, value) in &page.vars {
            cx.insert_value(*name, value.clone());
        }
        let html = self.theme.render(page.template, &cx)?;
        let rel = page.file();
        let hash = self
            .out
            .write(&rel, html.as_bytes())
            .map_err(|e| io_error(&rel, e))?;
        Ok((reuse::key(&rel), hash))
    }
}

/// `url` if it can stand for site.toml's `base_url` (`--base-url`): an absolute http(s)
/// address, else an error saying how to write one.
pub fn check_base_url(url: &str) -> Result<String, Diagnostic> {
    let url = url.trim();
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| rest.split('/').next().unwrap_or_default());
    match host {
        Some(host) if !host.is_empty() && !url.contains(char::is_whitespace) => Ok(url.to_string()),
        _ => Err(Diagnostic::file(
            "--base-url",
            format!("--base-url `{url}` is not an absolute http(s) address"),
        )
        .with_help(
            "write the address the site is published at, as base_url is written in site.toml: `--base-url https://preview.example.org/site`",
        )),
    }
}

/// Builds the site at `root`: loads its session and writes what changed.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    let laps = Laps::new();
    let site = Site::load(root)?;
    let (out, from) = match &opts.out {
        Some(p) => (p.clone(), output::OutputFrom::CommandLine),
        None => (
            root.join(&site.config.output_dir),
            output::OutputFrom::SiteToml,
        ),
    };
    let out = output::check_location(root, &out, from).map_err(|e| vec![e.into()])?;
    let mut session = Session::new(site, opts)?;
    let mut report = session.build_timed(&out, laps)?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Renders and writes every one of `list` (in parallel), dropping each page's variables once
/// it is written; returns each file written with the hash of its bytes and the path of each
/// page of the site's own (see [`listings::Page::is_listed`]), in the order of `list`, or the
/// first error in that order.
fn render_pages(
    pages: &Pages<'_>,
    list: Vec<listings::Page>,
) -> Result<(Written, Vec<String>), Diagnostic> {
    /// A page's file and hash, and its path if it is one of the site's own.
    type Done = ((String, u128), Option<String>);
    let done: Vec<Result<Done, Diagnostic>> = list
        .into_par_iter()
        .map(|page| {
            let written = pages.render(&page)?;
            Ok((written, page.is_listed().then_some(page.path)))
        })
        .collect();
    let mut written = Vec::with_capacity(done.len());
    let mut paths = Vec::with_capacity(done.len());
    for d in done {
        let (file, path) = d?;
        written.push(file);
        paths.extend(path);
    }
    Ok((written, paths))
}

/// Writes the site-wide files for the articles `listed` (newest first), whose pages are at
/// `article_pages`: the listings, the search index (where `search`), the feeds and the
/// sitemap. Each of the three parts that `before` (the previous build's) holds under the key
/// `keys` gives it now, and whose files the output still holds as it left them, is kept as it
/// is; the others are made.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_site_wide(
    site: &Site,
    pages: &Pages<'_>,
    listed: &[&ArticleSummary],
    article_pages: &[&str],
    search: bool,
    before: Option<cache::SiteWide>,
    keys: cache::Keys,
    laps: &mut Laps,
) -> Result<cache::SiteWide, Vec<Diagnostic>> {
    let all = listed;
    let listed = &articles_only(listed);
    let keep = |part: cache::Part, key: u128| -> Result<cache::Part, cache::Part> {
        if part.key != key {
            return Err(part);
        }
        let files: Vec<(PathBuf, u128)> = part
            .files
            .iter()
            .map(|(rel, hash)| (PathBuf::from(rel), *hash))
            .collect();
        match pages.out.keep_all(&reuse::Owner::Generated, &files) {
            true => Ok(part),
            false => Err(part),
        }
    };
    // The search index not kept whole is remade from the previous one (`search_before`),
    // partition by partition.
    let (mut kept_listings, mut kept_search, mut kept_feeds, mut search_before) = match before {
        Some(b) => {
            let (kept, before) = match keep(b.search, keys.search) {
                Ok(part) => (Some(part), None),
                Err(part) => (None, Some(part)),
            };
            (
                keep(b.listings, keys.listings).ok(),
                kept,
                keep(b.feeds, keys.feeds).ok(),
                before,
            )
        }
        None => (None, None, None, None),
    };
    if !search {
        kept_search = Some(cache::Part {
            key: keys.search,
            ..cache::Part::default()
        });
    }
    // What the parts to be made are made of; none when all are kept.
    let mut languages = Vec::new();
    let mut listing_warnings = Vec::new();
    if kept_listings.is_none() || kept_search.is_none() || kept_feeds.is_none() {
        languages = listings::by_language(site, listed);
        listing_warnings = take_warnings(&mut languages);
    }
    let lap = match (&kept_listings, &kept_search) {
        (None, None) => "site pages, search",
        (Some(_), None) => "search (listings kept)",
        (None, Some(_)) if search => "site pages (search kept)",
        (None, Some(_)) => "site pages",
        (Some(_), Some(_)) => "site pages, search (kept)",
    };
    let (listed_part, search_part) = rayon::join(
        || match kept_listings.take() {
            Some(part) => Ok(part),
            None => render_listings(site, pages, &languages)
                .map(|Rendered { files, paths }| cache::Part {
                    key: keys.listings,
                    files,
                    paths,
                    warnings: listing_warnings,
                    index: Vec::new(),
                })
                .map_err(|d| vec![d]),
        },
        || match kept_search.take() {
            Some(part) => Ok(part),
            None => write_searches(site, &languages, pages.out, search_before.take().as_ref()).map(
                |(files, index)| cache::Part {
                    key: keys.search,
                    files,
                    index,
                    ..cache::Part::default()
                },
            ),
        },
    );
    let (listings, search) = (listed_part?, search_part?);
    laps.lap(lap);
    let feeds = match kept_feeds.take() {
        Some(part) => {
            laps.lap("feeds (kept)");
            part
        }
        None => {
            let files = write_feeds(
                site,
                pages,
                all,
                listed,
                &languages,
                article_pages,
                &listings.paths,
            )?;
            laps.lap("feeds");
            cache::Part {
                key: keys.feeds,
                files,
                ..cache::Part::default()
            }
        }
    };
    Ok(cache::SiteWide {
        listings,
        search,
        feeds,
    })
}

/// Writes the feeds, robots.txt, the sitemaps and the claims' data files for the articles
/// and pages `all` (`listed` the articles alone, in `languages`), whose pages are at
/// `article_pages` and the listings' at `listing_paths`; returns the files written.
fn write_feeds(
    site: &Site,
    pages: &Pages<'_>,
    all: &[&ArticleSummary],
    listed: &[&ArticleSummary],
    languages: &listings::Languages<'_>,
    article_pages: &[&str],
    listing_paths: &[String],
) -> Result<Written, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut written: Vec<&str> = article_pages.to_vec();
    written.extend(listing_paths.iter().map(String::as_str));
    written.sort_unstable();
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
        .map(|p| (p.to_string(), modified.get(p).copied()))
        .collect();
    // Each file is written as soon as it is made, so that no two of the big ones are held
    // at once.
    let mut emit = |name: String, bytes: Vec<u8>| -> Result<(), Vec<Diagnostic>> {
        let hash = pages
            .out
            .write(Path::new(&name), &bytes)
            .map_err(|e| vec![io_error(Path::new(&name), e)])?;
        files.push((name, hash));
        Ok(())
    };
    for (l, articles, _) in languages {
        emit(
            format!("{}feed.xml", l.prefix),
            feeds::articles_feed(site, l, &listings::current(site, articles)).into_bytes(),
        )?;
        emit(
            format!("{}corrections.xml", l.prefix),
            feeds::corrections_feed(site, l, articles).into_bytes(),
        )?;
        for (page, title, list) in listings::feed_lists(site, l, articles).map_err(|d| vec![d])? {
            let text = feeds::list_feed(site, l, title, &page, &list);
            emit(format!("{}{page}feed.xml", l.prefix), text.into_bytes())?;
        }
    }
    if let Some((site_lang, _, _)) = languages.first() {
        let everything = listings::current(site, &listings::all_articles(languages));
        for section in &site.sections {
            // Newest first, whatever order the section's page lists them in.
            let held: Vec<&ArticleSummary> = everything
                .iter()
                .copied()
                .filter(|a| section.holds(&a.source_path))
                .collect();
            emit(
                format!("{}feed.xml", section.path),
                feeds::section_feed(site, site_lang, section, &held).into_bytes(),
            )?;
        }
    }
    emit("robots.txt".into(), feeds::robots(site).into_bytes())?;
    let langs: Vec<SiteLang> = languages.iter().map(|(l, _, _)| l.clone()).collect();
    let alternates = feeds::alternates(site, listed, &langs);
    for (name, text) in feeds::sitemaps(site, &sitemap_pages, &alternates) {
        emit(name, text.into_bytes())?;
    }
    record::claim_files(site, listed, record::MAX_FILE_BYTES, &mut emit)?;
    Ok(files)
}

/// Renders the listings alone for `listed` (newest first), for `gloss serve` after a
/// template change (the search index and feeds, which no template shapes, stay); returns
/// their warnings.
pub(crate) fn write_listings(
    site: &Site,
    pages: &Pages<'_>,
    listed: &[&ArticleSummary],
) -> Result<Vec<Diagnostic>, Diagnostic> {
    let listed = &articles_only(listed);
    let mut languages = listings::by_language(site, listed);
    let warnings = take_warnings(&mut languages);
    render_listings(site, pages, &languages)?;
    Ok(warnings)
}

/// What [`render_listings`] wrote.
struct Rendered {
    /// Every page's file with the hash of its bytes, in the listings' order.
    files: Written,
    /// The path of each page of the site's own, for the sitemap.
    paths: Vec<String>,
}

/// The listings' warnings, taken out of `languages`' people (80k of them on the benchmark's
/// corpus: moved, not copied).
fn take_warnings(languages: &mut listings::Languages<'_>) -> Vec<Diagnostic> {
    languages
        .iter_mut()
        .flat_map(|(_, _, people)| std::mem::take(&mut people.warnings))
        .collect()
}

/// Renders and writes every listing page of `languages`, a batch of pages at a time (see
/// [`listings::each`]).
fn render_listings(
    site: &Site,
    pages: &Pages<'_>,
    languages: &listings::Languages<'_>,
) -> Result<Rendered, Diagnostic> {
    let mut files = Vec::new();
    let mut paths = Vec::new();
    listings::each(site, languages, &mut |batch| {
        let (written, listed) = render_pages(pages, batch)?;
        files.extend(written);
        paths.extend(listed);
        Ok(())
    })?;
    Ok(Rendered { files, paths })
}

/// Builds the search index of each of `languages` below its home into `out`, from the
/// previous build's (`before`) where it can; returns the files written and what each
/// language's index was made of.
pub(crate) fn write_searches(
    site: &Site,
    languages: &listings::Languages<'_>,
    out: &dyn Output,
    before: Option<&cache::Part>,
) -> Result<(Written, cache::Indexes), Vec<Diagnostic>> {
    let mut written = Vec::new();
    let mut made = Vec::new();
    let old_files: rustc_hash::FxHashMap<&str, u128> = before
        .map(|b| b.files.iter().map(|(rel, h)| (rel.as_str(), *h)).collect())
        .unwrap_or_default();
    for (l, articles, people) in languages {
        let mut records =
            crate::search::records::articles(site, &listings::current(site, articles));
        records.extend(people.records(l));
        let old = before.and_then(|b| b.index.iter().find(|(prefix, _)| *prefix == l.prefix));
        let (files, index) =
            write_search(records, &l.prefix, out, old.map(|(_, m)| (m, &old_files)))?;
        written.extend(files);
        made.push((l.prefix.clone(), index));
    }
    Ok((written, made))
}

/// Builds the search index for `records` into `out` below `prefix` (a language's home;
/// `meta.js`, which names the other files, last), keeping what it can of `before` (the
/// previous build's index there, and the hashes of the files it wrote); returns the files
/// written and what the index was made of.
fn write_search(
    records: Vec<crate::search::Record<'_>>,
    prefix: &str,
    out: &dyn Output,
    before: Option<(&crate::search::Made, &rustc_hash::FxHashMap<&str, u128>)>,
) -> Result<(Written, crate::search::Made), Vec<Diagnostic>> {
    let written = Mutex::new(Vec::new());
    let keep = |files: &[String]| -> bool {
        let Some((_, hashes)) = before else {
            return false;
        };
        let files: Option<Vec<(PathBuf, u128)>> = files
            .iter()
            .map(|f| {
                let rel = Path::new(prefix).join(f);
                hashes.get(reuse::key(&rel).as_str()).map(|h| (rel, *h))
            })
            .collect();
        let Some(files) = files else {
            return false;
        };
        if !out.keep_all(&reuse::Owner::Generated, &files) {
            return false;
        }
        written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(files.iter().map(|(rel, h)| (reuse::key(rel), *h)));
        true
    };
    let previous = before.map(|(made, _)| crate::search::Previous { made, keep: &keep });
    let made = crate::search::write_index(
        records,
        &|rel, bytes| {
            let rel = Path::new(prefix).join(rel);
            let hash = out
                .write(&rel, &bytes)
                .map_err(|e| format!("cannot write {}: {e}", rel.display()))?;
            written
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((reuse::key(&rel), hash));
            Ok(())
        },
        previous,
    )
    .map_err(|e| {
        vec![
            Diagnostic::file(
                crate::search::DIR,
                format!("cannot build the search index: {e}"),
            )
            .with_help("check that the output folder is writable and the disk has room"),
        ]
    })?;
    Ok((
        written.into_inner().unwrap_or_else(|e| e.into_inner()),
        made,
    ))
}

/// Checks every internal link, image and `#fragment` of the articles `listed`, as `gloss
/// check` does, against what `out` holds; returns the warnings, or every broken link as an
/// error. The ids of a page a fragment points into are read from its HTML.
fn check_links(
    listed: &[&ArticleSummary],
    out: &dyn Output,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    use crate::check::{self, Target};
    let mut pages = check::Pages::of_files(out.files());
    for a in listed {
        pages.sources.insert(slashed(&a.source_path));
    }
    let mut read = HashSet::new();
    for a in listed {
        for link in a.links.iter().filter(|l| l.dest.contains('#')) {
            if let Ok(Some(Target::Page { page, .. })) = check::link_target(&a.path, link, &pages)
                && read.insert(page.clone())
            {
                let html = out
                    .read(&Path::new(&page).join("index.html"))
                    .unwrap_or_default();
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

/// Writes the files of the theme's `static/` and the content's assets (bundle files) to
/// `out`; with `copy` false only takes their places (for `check`, which reads none).
pub(crate) fn write_files(
    site: &Site,
    theme: &Theme,
    assets: &[PathBuf],
    out: &dyn Output,
    copy: bool,
) -> Result<(), Vec<Diagnostic>> {
    for (rel, source) in &theme.static_files {
        if copy {
            copy_static(source, out, rel).map_err(|e| vec![e.into()])?;
        } else {
            out.reserve(&reuse::Owner::Theme, rel);
        }
    }
    let content_dir = site.root.join(content::CONTENT_DIR);
    for rel in assets {
        let owner = reuse::Owner::Content(Path::new(content::CONTENT_DIR).join(rel));
        if !copy {
            out.reserve(&owner, rel);
            continue;
        }
        let bytes = std::fs::read(content_dir.join(rel)).map_err(|e| {
            let shown = Path::new(content::CONTENT_DIR).join(rel);
            vec![output::OutputError::read(shown, e).into()]
        })?;
        out.write_as(&owner, rel, &bytes)
            .map_err(|e| vec![io_error(rel, e)])?;
    }
    Ok(())
}

/// The collisions `out` met, as errors sorted by file.
pub(crate) fn collision_errors(out: &dyn Output) -> Vec<Diagnostic> {
    let mut errors: Vec<Diagnostic> = out.collisions().iter().map(collision_error).collect();
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    errors
}

fn slashed(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// What a commit left, for the manifests the build saves.
pub(crate) enum Committed {
    /// The output was already the new one and stays. The stamps of its folders, when its
    /// manifest had none of this tree and they were found now.
    Unchanged(Option<reuse::Folders>),
    /// A new output was swapped in: the stamps of its folders (none when it was written
    /// afresh), and whether the old one was kept as the spare.
    Replaced {
        folders: Option<reuse::Folders>,
        spare: bool,
    },
}

/// Puts the new output in place. An update that changed nothing leaves the output as it is
/// (it already holds exactly the new one); any other becomes a whole new output beside the
/// old one, unchanged files linked, and is swapped in. `spare` is the manifest of the spare
/// the staging folder may hold: with its folders' stamps, only the folders changed since
/// are read (see [`output::list`]).
fn commit(
    mut staging: output::Staging,
    previous: Option<&reuse::Manifest>,
    spare: Option<&reuse::Manifest>,
    manifest: &reuse::Manifest,
    moves: &[(String, String)],
) -> std::io::Result<Committed> {
    let Some(previous) = previous else {
        staging.commit()?;
        return Ok(Committed::Replaced {
            folders: None,
            spare: false,
        });
    };
    if moves.is_empty() && previous.paths().all(|rel| manifest.has(rel)) {
        let now = output::list(&previous.out, Some(previous), false);
        if now.files.iter().all(|(rel, _)| manifest.has(rel)) {
            staging.give_back();
            let folders = (!now.recorded).then(|| now.into_folders());
            return Ok(Committed::Unchanged(folders));
        }
    }
    let kept = manifest.kept_beside(moves);
    let present = output::list(staging.path(), spare, true);
    let folders = output::assemble(staging.path(), &previous.out, &kept, moves, present)?;
    // The spare keeps the old bytes of every file that changed: worth it for a few.
    let keep_spare = moves.len() * 4 <= manifest.len();
    if !keep_spare {
        staging.no_spare();
    }
    staging.commit()?;
    Ok(Committed::Replaced {
        folders: Some(folders),
        spare: keep_spare,
    })
}

/// Renders and writes one anchored article's files (its page, its W3C export and the page
/// of each of its claims; a standalone page's one page) and makes its summary, the one place
/// either is made; returns the summary and each file written with the hash of its bytes.
pub(crate) fn write_article(
    site: &Site,
    pages: &Pages<'_>,
    article: &Article,
    anchored: &crate::annotate::Anchored<'_>,
) -> Result<(ArticleSummary, Written), Vec<Diagnostic>> {
    // The feeds carry the body only when the site asks for it: it is the summary's largest
    // part, kept in the cache with the rest.
    let keep_body = site.config.feeds.full_content && !article.meta.page;
    let (html, body) = render_view(
        site,
        pages.theme,
        &pages.shared,
        article,
        anchored,
        keep_body,
    )
    .map_err(|d| vec![d])?;
    let owner = reuse::Owner::Content(article.path.clone());
    let page = Path::new(&article.url_path).join("index.html");
    let page_hash = pages
        .out
        .write_as(&owner, &page, html.as_bytes())
        .map_err(|e| vec![io_error(&page, e)])?;
    drop(html);
    let mut files = vec![(reuse::key(&page), page_hash)];
    if article.meta.page {
        // A page has no annotations to export.
        return Ok((ArticleSummary::new(article, anchored), files));
    }
    let summary = ArticleSummary {
        content_html: body,
        // Counted here, beside the page, not again for the index while the article is
        // unchanged.
        words: match site.config.search.enabled {
            true => crate::search::Terms::of(&anchored.reader.text),
            false => crate::search::Terms::default(),
        },
        ..ArticleSummary::new(article, anchored)
    };
    let url = render::jsonld::page_url(site, &article.url_path);
    let export = Path::new(&article.url_path).join(render::wadm::FILE_NAME);
    let bytes = render::wadm::annotation_json(site, article, anchored, &url);
    let export_hash = pages
        .out
        .write_as(&owner, &export, &bytes)
        .map_err(|e| vec![io_error(&export, e)])?;
    files.push((reuse::key(&export), export_hash));
    // With the default templates, one frame serves every claim page of the article: they
    // differ from each other in `path` only, which base.html compares with no claim's path.
    let mut frame = None;
    for claim in render::claim_page::claim_pages(site, article, anchored) {
        let cx = || {
            pages
                .shared
                .context(article.meta.lang, &article.meta.lang_tag, &claim.path)
        };
        if frame.is_none() {
            frame = Some(
                pages
                    .theme
                    .claim_frame(&cx())
                    .transpose()
                    .map_err(|d| vec![d])?,
            );
        }
        let html = match frame.as_ref().and_then(Option::as_ref) {
            Some(frame) => {
                let words = &site.locales.get(article.meta.lang).words;
                render::claim_page::html(&claim.view, frame, words, &site.config.title)
            }
            None => {
                let mut cx = cx();
                cx.insert("claim", &claim.view);
                pages.theme.render("claim.html", &cx).map_err(|d| vec![d])?
            }
        };
        let rel = Path::new(&claim.path).join("index.html");
        let hash = pages
            .out
            .write_as(&owner, &rel, html.as_bytes())
            .map_err(|e| vec![io_error(&rel, e)])?;
        files.push((reuse::key(&rel), hash));
    }
    Ok((summary, files))
}

/// An article's page through `article.html`, or a standalone page's through `page.html`
/// (with the verdict scale, which `{{ verdict_scale() }}` in its text lists).
fn render_view(
    site: &Site,
    theme: &Theme,
    shared: &Shared,
    article: &Article,
    anchored: &crate::annotate::Anchored<'_>,
    keep_body: bool,
) -> Result<(String, Option<String>), Diagnostic> {
    let mut view = render::article_view(site, article, anchored);
    let mut cx = shared.context(article.meta.lang, &article.meta.lang_tag, &article.url_path);
    if article.meta.page {
        cx.insert("scale", &render::scale_view(site, article.meta.lang));
        if render::has_shortcode(&view.body_html) {
            let list = theme.render("partials/verdict_scale.html", &cx)?;
            view.body_html = render::expand_shortcodes(&view.body_html, &list);
        }
        cx.insert("page", &view);
        return Ok((theme.render("page.html", &cx)?, None));
    }
    let url = render::jsonld::page_url(site, &article.url_path);
    view.jsonld = render::jsonld::article_jsonld(site, article, anchored, &url);
    let (template, notes_in_rust) = theme.article_template();
    if notes_in_rust {
        let words = &site.locales.get(article.meta.lang).words;
        view.notes_html = render::notes::html(&view.notes, words);
        view.glance_html =
            render::notes::glance_html(&view.notes, view.figure_count, &view.verdict_order, words);
        // The template does not read them: not made into Tera values.
        view.notes = Vec::new();
    }
    cx.insert("page", &view);
    insert_alternates(&mut cx, &render::article_alternates(site, article));
    let html = theme.render(template, &cx)?;
    Ok((html, keep_body.then_some(view.body_html)))
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

/// An article's page as the site shows it (for `check`, which reads its ids).
pub fn render_article_html(
    site: &Site,
    theme: &Theme,
    article: &Article,
    anchored: &crate::annotate::Anchored<'_>,
) -> Result<String, Diagnostic> {
    render_view(site, theme, &Shared::new(site), article, anchored, false).map(|(html, _)| html)
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

/// The files an article's build writes (its page, annotation export and claim pages; a
/// standalone page's one page), below the output root.
pub(crate) fn article_outputs(article: &Article) -> Vec<PathBuf> {
    let page = Path::new(&article.url_path).join("index.html");
    if article.meta.page {
        return vec![page];
    }
    let mut files = vec![
        page,
        Path::new(&article.url_path).join(render::wadm::FILE_NAME),
    ];
    for a in article.annotations.iter().filter(|a| a.kind == Kind::Claim) {
        files
            .push(Path::new(&render::claim_page_path(&article.url_path, &a.id)).join("index.html"));
    }
    files
}

/// Anchors one article against the ids its last build published (`remembered`), renders and
/// writes it; returns what it gave and the ids it published.
pub(crate) fn build_article(
    site: &Site,
    pages: &Pages<'_>,
    article: &Article,
    remembered: Option<&crate::annotate::history::Published>,
) -> Result<BuiltArticle, Vec<Diagnostic>> {
    let mut anchored = crate::annotate::anchor(article, figures_enabled(site, article))?;
    let record = crate::annotate::history::reconcile(article, &mut anchored, remembered);
    let (summary, files) = write_article(site, pages, article, &anchored)?;
    let mut warnings = anchored.warnings;
    warnings.extend(content::claim_warnings(article));
    warnings.extend(crate::images::alt_warnings(article, &anchored.events));
    Ok(BuiltArticle {
        summary,
        warnings,
        files,
        record,
    })
}

/// What building one article leaves: its summary for listings, its warnings, its files
/// with the hashes of their bytes and the ids it published.
pub(crate) struct BuiltArticle {
    pub(crate) summary: ArticleSummary,
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) files: Written,
    pub(crate) record: crate::annotate::history::Published,
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
         corrections/, tags/, authors/, each taxonomy's folder, search/, feed.xml, corrections.xml, sitemap.xml, robots.txt, \
         claims.json, claims.csv, 404.html, each article's claims/ and the theme's files itself"
    } else {
        "rename or move the file: a file of content/ never replaces a page or another file"
    };
    Diagnostic::file(path, message).with_help(help)
}

pub(crate) fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::from(output::OutputError::write(path, e))
        .with_help("check that the output folder is writable and the disk has room")
}

fn copy_static(
    source: &render::theme::StaticSource,
    out: &dyn Output,
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

/// Forgets what builds of the site at `root` remembered of the output folder `out` (for a
/// temporary output about to be deleted).
pub fn forget_output(root: &Path, out: &Path) {
    if let Ok(out) = output::check_location(root, out, output::OutputFrom::CommandLine) {
        reuse::Manifest::forget(root, &out);
        output::remove_tree(&reuse::spare_for(root, &out));
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
                expires: None,
                date_at: None,
                lang_tag: site.config.language.clone(),
                lang: site.lang,
                authors: Vec::new(),
                summary: None,
                tags: Vec::new(),
                taxonomies: Vec::new(),
                draft: false,
                page: false,
                source: None,
                translation: None,
                translations: Vec::new(),
                figures_auto: None,
                figures_counts: site.config.figures.counts.unwrap_or(false),
                markdown: site.config.markdown.extensions(),
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
        &site.locales.get(article.meta.lang).words,
        &anchored,
        &numbers,
        false,
    ))
}
