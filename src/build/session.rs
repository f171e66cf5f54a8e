//! The build session: the site, the theme and, per article, what the pipeline made of it
//! (its summary, warnings and the hashes of its files, loaded from and saved to the cache;
//! with [`Session::keep_articles`] the parsed article too). `gloss build` opens one, writes
//! what changed and saves it; `gloss serve` keeps one for as long as it runs and updates it
//! with what an edit changed, so that nothing it already knows is parsed again.
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::sink::{InPlace, Output};
use super::summary::ArticleSummary;
use super::{
    BuildOptions, BuildReport, Committed, Laps, Pages, PublishedIds, build_article, cache,
    check_links, collision_errors, commit, io_error, output, published, reuse, write_files,
    write_site_wide,
};
use crate::config::{SITE_FILE, Site, read_text};
use crate::content::{self, Article};
use crate::diagnostics::Diagnostic;
use crate::render::Theme;

/// One site's pipeline state; see the module docs.
pub struct Session {
    /// The site's settings and registry.
    pub site: Site,
    /// The templates and static files.
    pub theme: Theme,
    opts: BuildOptions,
    cache: cache::Cache,
    ids: PublishedIds,
    /// Each article as last parsed, by its source path, when the session keeps them.
    articles: Option<HashMap<PathBuf, Arc<Article>>>,
    /// A hash of what parsing depends on besides an article's text (site.toml, people.toml):
    /// parsed articles are carried into a new session only while it is unchanged.
    settings: u128,
    /// How many article files this session parsed: a trace for tests of what is done again.
    parses: AtomicUsize,
    /// The content's files as the session found them when it opened (for its first build,
    /// which need not look again).
    found: Option<content::Files>,
    /// The warnings of reading the images' sizes (see [`crate::images::scan`]).
    image_warnings: Vec<Diagnostic>,
}

/// What became of one content file in a build.
enum Outcome {
    /// Unchanged since the last build: its files were kept. With the source's stamp when it
    /// had to be read to know so.
    Kept(Option<cache::SourceStamp>),
    /// Built afresh, with the ids it published if they differ from the site's record, and
    /// (when the session keeps them) the article as parsed.
    Built(
        Box<cache::Entry>,
        Option<crate::annotate::history::Published>,
        Option<Box<Article>>,
    ),
    /// A draft, left out.
    Draft,
    /// Dated after today: left out, with the warning that says when it will be published.
    Scheduled(Box<Diagnostic>),
}

impl Session {
    /// Opens the session of the site at `root`.
    pub fn open(root: &Path, opts: &BuildOptions) -> Result<Session, Vec<Diagnostic>> {
        Session::new(Site::load(root)?, opts)
    }

    /// The session of `site` (loaded already): its theme, what the cache holds of its
    /// articles and the ids it published.
    pub fn new(mut site: Site, opts: &BuildOptions) -> Result<Session, Vec<Diagnostic>> {
        opts.apply(&mut site);
        let theme = Theme::load(&site.root)?;
        let found = content::discover(&site)?;
        // Every page shows the sizes of its images: with the theme, what all pages depend on.
        let (images, image_warnings) = crate::images::scan(&site.root, &found.assets);
        site.images = Arc::new(images);
        let cache = cache::Cache::load(
            &site.root,
            cache::site_key(
                &site.root,
                site.images.key_with(theme.fingerprint()),
                &opts.key_bytes(),
            ),
        );
        let ids = PublishedIds::load(&site.root).map_err(|d| vec![d])?;
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for name in [SITE_FILE, "people.toml"] {
            h.update(&std::fs::read(site.root.join(name)).unwrap_or_default());
            h.update(&[0]);
        }
        h.update(&opts.key_bytes());
        Ok(Session {
            site,
            theme,
            opts: opts.clone(),
            cache,
            ids,
            articles: None,
            settings: h.digest128(),
            parses: AtomicUsize::new(0),
            found: Some(found),
            image_warnings,
        })
    }

    /// Reads the sizes of the images among `assets` again; where pages would show them
    /// otherwise than before, the cache is the one kept under the new sizes.
    fn rescan_images(&mut self, assets: &[PathBuf]) {
        let (images, warnings) = crate::images::scan(&self.site.root, assets);
        self.image_warnings = warnings;
        if images.fingerprint() != self.site.images.fingerprint() {
            self.site.images = Arc::new(images);
            let key = self.site.images.key_with(self.theme.fingerprint());
            self.cache = cache::Cache::load(
                &self.site.root,
                cache::site_key(&self.site.root, key, &self.opts.key_bytes()),
            );
        } else {
            self.site.images = Arc::new(images);
        }
    }

    /// Keeps every article the session parses, so that a template change renders them again
    /// without reading content (`gloss serve`).
    pub fn keep_articles(&mut self) {
        self.articles.get_or_insert_with(HashMap::new);
    }

    /// A new session of the site as it is on disk now, for a full build: it shares this
    /// one's parsed articles while the settings they were parsed under are unchanged (an
    /// article whose text changed is parsed again by the build). This one stays as it is,
    /// for when the build fails.
    pub fn reopen(&self) -> Result<Session, Vec<Diagnostic>> {
        let mut next = Session::open(&self.site.root, &self.opts)?;
        if let Some(known) = &self.articles {
            next.articles = Some(if next.settings == self.settings {
                known.clone()
            } else {
                HashMap::new()
            });
        }
        Ok(next)
    }

    /// How many article files this session has parsed.
    pub fn parses(&self) -> usize {
        self.parses.load(Ordering::Relaxed)
    }

    /// Every article's summary, newest first.
    fn listed(&self) -> Vec<&ArticleSummary> {
        let mut listed: Vec<&ArticleSummary> =
            self.cache.entries().map(|(_, e)| &e.summary).collect();
        listed.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
        listed
    }

    /// Builds the site into `out` (checked already): the articles that changed, then the
    /// site-wide files when anything they show changed, staged beside the old output and
    /// swapped in only when all is written; saves the cache, the output's manifest and the
    /// ids published.
    pub fn build(&mut self, out: &Path) -> Result<BuildReport, Vec<Diagnostic>> {
        let started = std::time::Instant::now();
        let mut report = self.build_timed(out, Laps::new())?;
        report.elapsed = started.elapsed();
        Ok(report)
    }

    pub(crate) fn build_timed(
        &mut self,
        out: &Path,
        mut laps: Laps,
    ) -> Result<BuildReport, Vec<Diagnostic>> {
        let content = match self.found.take() {
            Some(found) => found,
            None => {
                let found = content::discover(&self.site)?;
                self.rescan_images(&found.assets);
                found
            }
        };
        self.site.sections = content::section::load(&self.site, &content.sections)?;
        laps.lap("find content");
        let mut staging = output::Staging::new(out).map_err(|e| vec![io_error(out, e)])?;
        // An output this site's previous build wrote, and whose manifest it kept, is updated:
        // only what changed is written. Any other is written afresh.
        let previous = reuse::Manifest::load(&self.site.root, out)
            .filter(|_| out.join(output::MARKER).is_file());
        let spare = reuse::spare_for(&self.site.root, out);
        let mut spare_manifest = None;
        if previous.is_some() {
            if staging.take_spare(&spare) {
                spare_manifest = reuse::Manifest::load_spare(&self.site.root, out);
            }
        } else {
            // A spare of an output that is no more would only be brought up to date.
            output::remove_tree(&spare);
        }
        let writer = match &previous {
            Some(previous) => reuse::Writer::update(staging.path(), previous)
                .map_err(|e| vec![io_error(staging.path(), e)])?,
            None => reuse::Writer::fresh(staging.path()),
        };
        let pages = Pages::new(&self.site, &self.theme, &writer);
        // The images' resized copies are made while the articles are built.
        let root = &self.site.root;
        let (built, copies) = rayon::join(
            || {
                build_articles(
                    &self.site,
                    &mut self.cache,
                    &mut self.ids,
                    &mut self.articles,
                    &self.parses,
                    &pages,
                    &content.articles,
                    &self.opts,
                )
            },
            || {
                crate::images::publish(root, &self.site.images, &|from, rel, bytes| {
                    let owner = reuse::Owner::Content(Path::new(content::CONTENT_DIR).join(from));
                    let rel = Path::new(rel);
                    writer
                        .write_as(&owner, rel, bytes)
                        .map(|_| ())
                        .map_err(|e| io_error(rel, e))
                })
            },
        );
        let ((unchanged, scheduled), copies) = match (built, copies) {
            (Ok(built), Ok(copies)) => (built, copies),
            (Err(mut a), Err(b)) => {
                a.extend(b);
                return Err(a);
            }
            (Err(e), _) | (_, Err(e)) => return Err(e),
        };
        // A build that goes no further lets go of the record as read once every article is
        // built, keeping it only if something is left to save (the file is 47 MB at 10k
        // articles, and memory peaks in the site-wide pages); a session that goes on
        // (`serve`) keeps it to reconcile later edits against.
        let to_save = if self.articles.is_none() {
            std::mem::replace(&mut self.ids, PublishedIds::unreadable(&self.site.root)).unsaved()
        } else {
            None
        };
        laps.lap("articles");
        let nav = super::nav_errors(&self.site, &|p| self.cache.entry(p).is_some());
        if !nav.is_empty() {
            return Err(nav);
        }
        // The articles' warnings are copied out of the cache only once the site-wide files are
        // written (80k of them at 10k articles on the benchmark's corpus), after these and
        // before those found later.
        let mut first = scheduled;
        first.extend(self.image_warnings.iter().cloned());
        let mut warnings = Vec::new();
        let mut sources: Vec<(&PathBuf, &cache::Entry)> = self.cache.entries().collect();
        sources.sort_by(|a, b| a.0.cmp(b.0));
        // Every page an article's build wrote (its own, its claims'), for the sitemap.
        let mut article_pages: Vec<&str> = sources
            .iter()
            .flat_map(|(_, e)| e.outputs.iter())
            .filter_map(|(f, _)| f.strip_suffix("index.html"))
            .collect();
        article_pages.sort_unstable();
        let mut listed: Vec<&ArticleSummary> = sources.iter().map(|(_, e)| &e.summary).collect();
        listed.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));

        // The site-wide files depend on the site's key and on what the articles' summaries
        // hold alone: each of their parts is kept as the previous build left it while what
        // it is made of is unchanged.
        let keys = cache::Keys::new(
            listings_key(self.cache.site_key(), &self.site, &listed),
            &sources,
            &article_pages,
        );
        let before = cache::SiteWide::load(&self.site.root);
        let site_wide_kept = before.as_ref().is_some_and(|b| b.keys() == keys);
        let site_wide = write_site_wide(
            &self.site,
            &pages,
            &listed,
            &article_pages,
            self.site.config.search.enabled,
            before,
            keys,
            &mut laps,
        )?;
        warnings.extend(site_wide.warnings().cloned());
        write_files(&self.site, &self.theme, &content.assets, &writer, true)?;
        let mut errors = Vec::new();
        match check_links(&listed, &writer) {
            Ok(w) => warnings.extend(w),
            Err(e) => errors.extend(e),
        }
        for d in super::translations::findings(&listed) {
            if d.severity == crate::diagnostics::Severity::Error {
                errors.push(d);
            } else {
                warnings.push(d);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let collisions = collision_errors(&writer);
        if !collisions.is_empty() {
            return Err(collisions);
        }
        laps.lap("static");
        let reuse::Written {
            mut manifest,
            moves,
        } = writer.finish(out);
        let committed = commit(
            staging,
            previous.as_ref(),
            spare_manifest.as_ref(),
            &manifest,
            &moves,
        )
        .map_err(|e| vec![output::commit_error(out, e)])?;
        laps.lap("commit");
        let root = &self.site.root;
        // The manifests and the cache only save work: a site folder that cannot take them
        // builds all the same.
        match committed {
            Committed::Unchanged(found) => match previous {
                Some(previous) if previous.same_files(&manifest) => {
                    if let Some(folders) = found {
                        let _ = previous.with_folders(folders).save(root);
                    }
                }
                previous => {
                    manifest.folders = found.or(previous.and_then(|p| p.folders));
                    let _ = manifest.save(root);
                }
            },
            Committed::Replaced { folders, spare } => {
                // The output swapped out is the spare now, and its manifest the spare's.
                if spare {
                    reuse::Manifest::keep_as_spare(root, out);
                } else {
                    reuse::Manifest::forget_spare(root, out);
                }
                manifest.folders = folders;
                let _ = manifest.save(root);
            }
        }
        let _ = self.cache.save(root);
        // Only once the output is in place: what was published is what readers may link to.
        let ids = to_save
            .as_ref()
            .or(self.articles.is_some().then_some(&self.ids));
        if !self.opts.preview
            && let Some(ids) = ids
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
        laps.lap("save cache");
        let count: usize = sources.iter().map(|(_, e)| e.warnings.len()).sum();
        first.reserve(count + warnings.len());
        for (_, entry) in &sources {
            first.extend(entry.warnings.iter().cloned());
        }
        first.append(&mut warnings);
        let warnings = first;

        let mut report = BuildReport {
            articles: listed.iter().filter(|a| !a.page).count(),
            unchanged,
            images: self.site.images.len(),
            resized: copies.resized,
            pages: article_pages.len() + site_wide.pages(),
            out_dir: out.to_path_buf(),
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
        Ok(report)
    }

    /// Rebuilds the edited articles `rels` into the served folder `out`, each file replaced
    /// in one rename, if their front matter (all that other pages show of them) is unchanged;
    /// `None` when the whole site must be built (the session keeps no articles, or one is
    /// new or shows other pages something new). Returns the articles' warnings.
    pub fn update_articles(
        &mut self,
        rels: &[PathBuf],
        out: &Path,
    ) -> Option<Result<Vec<Diagnostic>, Vec<Diagnostic>>> {
        let known = self.articles.as_ref()?;
        let mut parsed = Vec::with_capacity(rels.len());
        let mut errors = Vec::new();
        for rel in rels {
            let old = known.get(rel)?;
            let meta = std::fs::metadata(self.site.root.join(rel)).ok();
            let stamp = meta.as_ref().map(cache::SourceStamp::of);
            let text = match read_text(&self.site.root.join(rel)) {
                Ok(t) => t,
                Err(d) => {
                    errors.push(d.relative_to(&self.site.root));
                    continue;
                }
            };
            self.parses.fetch_add(1, Ordering::Relaxed);
            let url = content::url_path_for(rel);
            match content::parse_article(&self.site, rel.clone(), text, url) {
                Ok(a) if a.source[..a.body_offset] == old.source[..old.body_offset] => {
                    parsed.push((a, stamp));
                }
                Ok(_) => return None,
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Some(Err(errors));
        }
        let out = InPlace::new(out);
        let pages = Pages::new(&self.site, &self.theme, &out);
        let mut warnings = Vec::new();
        for (article, stamp) in parsed {
            // A preview keeps the ids the last build published, and records nothing.
            let built = self
                .ids
                .get(&article.path)
                .map_err(|d| vec![d])
                .and_then(|remembered| {
                    build_article(&self.site, &pages, &article, remembered.as_deref())
                });
            let built = match built {
                Ok(b) => b,
                Err(e) => return Some(Err(e)),
            };
            warnings.extend(built.warnings.iter().cloned());
            let key = cache::article_key(self.cache.site_key(), &article.path, &article.source);
            self.cache.put(
                article.path.clone(),
                cache::Entry::new(
                    &article.path,
                    key,
                    built.summary,
                    built.warnings,
                    stamp,
                    built.files,
                ),
            );
            if let Some(known) = &mut self.articles {
                known.insert(article.path.clone(), Arc::new(article));
            }
        }
        Some(Ok(warnings))
    }

    /// Loads the theme again and renders every page with it into the served folder `out`,
    /// from the articles and summaries the session holds: no content file is read (but one
    /// the session never parsed), and the search index, feeds and static files, which no
    /// template shapes, stay as they are. Returns the warnings; on an error some pages may
    /// be new and some old, which only a full build sets right.
    pub fn rerender(&mut self, out: &Path) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
        self.theme = Theme::load(&self.site.root)?;
        let known = self.articles.get_or_insert_with(HashMap::new);
        let missing: Vec<PathBuf> = self
            .cache
            .entries()
            .map(|(rel, _)| rel)
            .filter(|rel| !known.contains_key(*rel))
            .cloned()
            .collect();
        for rel in missing {
            self.parses.fetch_add(1, Ordering::Relaxed);
            match content::load_file(&self.site, &rel, self.opts.drafts, &|_, _| false)? {
                content::Loaded::Article(a) => {
                    known.insert(rel, Arc::from(a));
                }
                content::Loaded::Known | content::Loaded::Draft | content::Loaded::Scheduled(_) => {
                }
            }
        }
        let out = InPlace::new(out);
        let pages = Pages::new(&self.site, &self.theme, &out);
        let articles: Vec<&Arc<Article>> = known.values().collect();
        let results: Vec<Result<Vec<Diagnostic>, Vec<Diagnostic>>> = articles
            .par_iter()
            .map(|a| {
                let remembered = self.ids.get(&a.path).map_err(|d| vec![d])?;
                build_article(&self.site, &pages, a, remembered.as_deref()).map(|b| b.warnings)
            })
            .collect();
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(mut w) => warnings.append(&mut w),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let listed = self.listed();
        warnings.extend(super::write_listings(&self.site, &pages, &listed).map_err(|d| vec![d])?);
        Ok(warnings)
    }

    /// Rewrites the search index in the served folder `out` for the articles as the session
    /// holds them, as a full build would write it. Files of the old index that the new one
    /// lacks are removed, and `meta.js` (which names the shards) is written last, so a search
    /// never loads a shard the index it read does not have.
    pub fn write_search(&self, out: &Path) -> Result<(), Vec<Diagnostic>> {
        if !self.site.config.search.enabled {
            return Ok(());
        }
        let listed = super::articles_only(&self.listed());
        let languages = super::listings::by_language(&self.site, &listed);
        let (written, _) = super::write_searches(&self.site, &languages, &InPlace::new(out), None)?;
        let keep: HashSet<String> = written.into_iter().map(|(rel, _)| rel).collect();
        for (l, _, _) in &languages {
            for entry in walkdir::WalkDir::new(out.join(&l.prefix).join(crate::search::DIR))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
            {
                if let Ok(rel) = entry.path().strip_prefix(out)
                    && !keep.contains(&reuse::key(rel))
                {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Ok(())
    }
}

/// `site_key` with what the listings depend on besides the articles' text: the sections
/// (their `_index.md`) and which articles have expired by today (which changes from one day
/// to the next).
fn listings_key(site_key: u128, site: &Site, listed: &[&ArticleSummary]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&site_key.to_le_bytes());
    h.update(format!("{:?}", site.sections).as_bytes());
    for a in listed.iter().filter(|a| !site.schedule.listed(a.expires)) {
        h.update(a.path.as_bytes());
        h.update(&[0]);
    }
    h.digest128()
}

/// Builds every article of `paths` that the cache does not know unchanged (keeping the files
/// of those it does) and records what each gave in `cache`; returns how many were
/// unchanged, and the warning of each article left out as scheduled. Each article is read, parsed, rendered and dropped in one go, so that only its
/// summary stays in memory (unless `articles` keeps them).
#[allow(clippy::too_many_arguments)]
fn build_articles(
    site: &Site,
    cache: &mut cache::Cache,
    ids: &mut PublishedIds,
    articles: &mut Option<HashMap<PathBuf, Arc<Article>>>,
    parses: &AtomicUsize,
    pages: &Pages<'_>,
    paths: &[PathBuf],
    opts: &BuildOptions,
) -> Result<(usize, Vec<Diagnostic>), Vec<Diagnostic>> {
    let total = paths.len();
    let done = AtomicUsize::new(0);
    let known_cache = &*cache;
    let known_ids = &*ids;
    let keep_parsed = articles.is_some();
    let outcomes: Vec<Result<Outcome, Vec<Diagnostic>>> = paths
        .par_iter()
        .map(|rel| {
            // The article's files, with the bytes the cache says its last build gave them: they
            // are kept only if the output still holds exactly those.
            let files: Vec<(PathBuf, u128)> = known_cache
                .outputs(rel)
                .iter()
                .map(|(f, hash)| (PathBuf::from(f), *hash))
                .collect();
            let owner = reuse::Owner::Content(rel.clone());
            // Without a record of published ids, every article is built so that the first
            // record knows them all.
            // An article the cache knows as published but that is dated after today (a
            // build for an earlier day, `GLOSS_TODAY`) is read again, to be left out.
            let due = known_cache
                .entry(rel)
                .is_none_or(|e| e.summary.page || site.schedule.published(e.summary.date));
            let keep = || {
                due && (known_ids.recorded() || opts.preview)
                    && !files.is_empty()
                    && pages.out.keep_all(&owner, &files)
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
                Outcome::Kept(None)
            } else {
                let known = |rel: &Path, text: &str| known_cache.has(rel, text) && keep();
                let loaded = content::load_file(site, rel, opts.drafts, &known)?;
                if !matches!(loaded, content::Loaded::Known) {
                    parses.fetch_add(1, Ordering::Relaxed);
                }
                match loaded {
                    content::Loaded::Known => Outcome::Kept(stamp),
                    content::Loaded::Draft => return Ok(Outcome::Draft),
                    content::Loaded::Scheduled(d) => return Ok(Outcome::Scheduled(d)),
                    content::Loaded::Article(article) => {
                        let remembered = known_ids.get(&article.path).map_err(|d| vec![d])?;
                        let built = build_article(site, pages, &article, remembered.as_deref())?;
                        // Only a record that changed goes on: 10k unchanged records held
                        // until the end of the loop were 60 MB of a first build's peak.
                        let record =
                            (remembered.as_deref() != Some(&built.record)).then_some(built.record);
                        let key = cache::article_key(
                            known_cache.site_key(),
                            &article.path,
                            &article.source,
                        );
                        Outcome::Built(
                            Box::new(cache::Entry::new(
                                &article.path,
                                key,
                                built.summary,
                                built.warnings,
                                stamp,
                                built.files,
                            )),
                            record,
                            keep_parsed.then_some(article),
                        )
                    }
                }
            };
            if let Some(progress) = &opts.progress {
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress(n, total);
            }
            Ok(outcome)
        })
        .collect();
    let mut errors = Vec::new();
    let mut present: HashSet<&Path> = HashSet::new();
    let mut unchanged = 0;
    let mut parsed = Vec::new();
    let mut scheduled = Vec::new();
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
            Ok(Outcome::Built(entry, record, article)) => {
                cache.put(rel.clone(), *entry);
                if let Some(record) = record {
                    ids.put(rel.clone(), record);
                }
                present.insert(rel);
                parsed.extend(article.map(|a| (rel.clone(), Arc::from(a))));
            }
            Ok(Outcome::Draft) => {}
            Ok(Outcome::Scheduled(d)) => scheduled.push(*d),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    cache.retain(&present);
    if let Some(known) = articles {
        known.retain(|rel, _| present.contains(rel.as_path()));
        known.extend(parsed);
    }
    Ok((unchanged, scheduled))
}
