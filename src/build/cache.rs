//! What one build remembers of each article for the next: its summary and warnings, under a
//! key that changes whenever anything its page is made of changes. A newsroom rebuilds its
//! whole archive on every publish while touching a handful of articles; an article whose key
//! is unchanged is neither parsed, anchored nor rendered again, and its page is linked from the
//! previous output (see [`super::reuse`]).
//!
//! The key covers the article's path and text, the site's settings (site.toml, people.toml),
//! the theme's templates, the `--drafts`, `--future` and `--base-url` options and the gloss
//! binary itself, so a new gloss,
//! a changed template or setting rebuilds everything. An article page depends on nothing else.
//!
//! The site-wide files are remembered too, in three parts ([`SiteWide`]), each under a key of
//! what it reads of every article (the hashes [`Entry::new`] makes), so that an edit keeps
//! the parts it changes nothing of.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::reuse::{ctime_ns, mtime_ns, racy_window, read_from_cache, save_in_cache};
use super::summary::ArticleSummary;
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;

/// Articles are kept in this many files, so that an edit rewrites one small file, not all.
const SHARDS: u64 = 64;
/// Changes whenever what is stored changes shape.
const FORMAT: u32 = 10;

/// One article as a build left it.
#[derive(Debug)]
pub struct Entry {
    /// The article's key when it was built.
    pub key: u128,
    /// What listings, feeds and search need of it.
    pub summary: ArticleSummary,
    /// Warnings its build gave, shown again on every build until fixed.
    pub warnings: Vec<Diagnostic>,
    /// The source file as it was when its text was last read, if known.
    pub source: Option<SourceStamp>,
    /// The files its build wrote (`/`-separated, below the output root) with the hashes of
    /// their bytes: its files in an output are kept only while they hold exactly these.
    pub outputs: Vec<(String, u128)>,
    /// A hash of what the listings and feeds show of it (see [`Entry::new`]).
    pub shown: u128,
    /// A hash of what the search index has of it besides that: its words and lead.
    pub searched: u128,
}

/// A source file's identity (size, modification and change times, inode), and when it was
/// taken. While the file still has it, its text has not changed and need not be read again to
/// know so. The change time is there because no program can set it: a file put back with
/// its old modification time (`cp -p`, `touch -d`) still shows a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceStamp {
    len: u64,
    mtime_ns: i128,
    ctime_ns: i128,
    ino: u64,
    /// When the stamp was taken, nanoseconds since the epoch.
    taken_ns: i128,
}

impl SourceStamp {
    /// The stamp of a file whose metadata is `meta`, taken now (before its text is read).
    pub fn of(meta: &std::fs::Metadata) -> SourceStamp {
        SourceStamp {
            len: meta.len(),
            mtime_ns: mtime_ns(meta),
            ctime_ns: ctime_ns(meta),
            ino: super::reuse::inode(meta),
            taken_ns: super::reuse::now_ns(),
        }
    }

    /// Whether `meta` shows the file unchanged since this stamp was taken. A file modified
    /// shortly before the stamp was taken could be modified again within the same tick of
    /// the file system's clock, leaving the same times behind: such a stamp proves nothing
    /// (how long "shortly" is depends on how finely the file system keeps time; see
    /// [`racy_window`]).
    pub fn unchanged(&self, meta: &std::fs::Metadata) -> bool {
        let latest = self.mtime_ns.max(self.ctime_ns);
        self.mtime_ns >= 0
            && latest + racy_window(self.mtime_ns).max(racy_window(self.ctime_ns)) < self.taken_ns
            && meta.len() == self.len
            && mtime_ns(meta) == self.mtime_ns
            && ctime_ns(meta) == self.ctime_ns
            && super::reuse::inode(meta) == self.ino
    }
}

/// The hash of `value` as postcard writes it. A value that cannot be serialized (the cache
/// could not store it either) gets a key no stored part has, the time now, which keeps
/// nothing.
fn hash_of(value: &impl Serialize) -> u128 {
    match postcard::to_allocvec(value) {
        Ok(bytes) => xxhash_rust::xxh3::xxh3_128(&bytes),
        Err(_) => super::reuse::now_ns() as u128 ^ (1 << 127),
    }
}

/// An entry as stored: the summary's fields that templates never see (and serde skips) are
/// stored beside it.
#[derive(Serialize, Deserialize)]
struct Stored<S, T, L, W> {
    key: u128,
    source: Option<SourceStamp>,
    outputs: Vec<(String, u128)>,
    shown: u128,
    searched: u128,
    summary: S,
    words: T,
    lead: L,
    quote_locations: Vec<(usize, usize)>,
    warnings: W,
}

impl Entry {
    /// The entry of the article `rel` built under `key`: with the hashes of what the site-wide
    /// files are made of, by which they are kept while an edit changes nothing they show.
    /// `shown` covers every field of the summary that serde writes (all the listings and feeds
    /// read), its source path and its quotes' places (the listings' warnings name them);
    /// `searched` the fields only the index reads.
    pub fn new(
        rel: &Path,
        key: u128,
        summary: ArticleSummary,
        warnings: Vec<Diagnostic>,
        source: Option<SourceStamp>,
        outputs: Vec<(String, u128)>,
    ) -> Entry {
        let locations: Vec<(usize, usize)> = summary.quotes.iter().map(|q| q.location).collect();
        let rel_bytes = rel.as_os_str().as_encoded_bytes();
        let shown = hash_of(&(rel_bytes, &summary, &locations));
        let searched = hash_of(&(&summary.words, &summary.lead));
        Entry {
            key,
            summary,
            warnings,
            source,
            outputs,
            shown,
            searched,
        }
    }

    fn stored(&self) -> Stored<&ArticleSummary, &crate::search::Terms, &str, &[Diagnostic]> {
        Stored {
            key: self.key,
            source: self.source,
            outputs: self.outputs.clone(),
            shown: self.shown,
            searched: self.searched,
            summary: &self.summary,
            words: &self.summary.words,
            lead: &self.summary.lead,
            quote_locations: self.summary.quotes.iter().map(|q| q.location).collect(),
            warnings: &self.warnings,
        }
    }

    fn from_stored(
        rel: &Path,
        s: Stored<ArticleSummary, crate::search::Terms, String, Vec<Diagnostic>>,
    ) -> Entry {
        let mut summary = s.summary;
        summary.source_path = rel.to_path_buf();
        summary.lang_words = Lang::from_tag(&summary.lang).unwrap_or_default();
        summary.words = s.words;
        summary.lead = s.lead;
        for (q, loc) in summary.quotes.iter_mut().zip(s.quote_locations) {
            q.location = loc;
        }
        Entry {
            key: s.key,
            summary,
            warnings: s.warnings,
            source: s.source,
            outputs: s.outputs,
            shown: s.shown,
            searched: s.searched,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Shard<P, E> {
    format: u32,
    site_key: u128,
    entries: Vec<(P, E)>,
}

/// What builds remember of articles, by source path relative to the site root.
pub struct Cache {
    site_key: u128,
    entries: HashMap<PathBuf, Entry>,
    /// Shards whose stored entries differ from `entries`.
    dirty: [bool; SHARDS as usize],
}

/// The key of everything every article page depends on besides the article itself.
pub fn site_key(root: &Path, theme_fingerprint: u128, options: &[u8]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&FORMAT.to_le_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    // The binary itself: a rebuilt gloss may render differently under the same version.
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        h.update(&meta.len().to_le_bytes());
        h.update(&mtime_ns(&meta).to_le_bytes());
    }
    for name in [crate::config::SITE_FILE, "people.toml"] {
        h.update(name.as_bytes());
        h.update(&std::fs::read(root.join(name)).unwrap_or_default());
    }
    h.update(&theme_fingerprint.to_le_bytes());
    h.update(options);
    h.digest128()
}

/// The key of one article: the site's key, its path and its text.
pub fn article_key(site_key: u128, rel: &Path, text: &str) -> u128 {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&site_key.to_le_bytes());
    h.update(rel.as_os_str().as_encoded_bytes());
    h.update(&[0]);
    h.update(text.as_bytes());
    h.digest128()
}

fn shard_of(rel: &Path) -> usize {
    (xxhash_rust::xxh3::xxh3_64(rel.as_os_str().as_encoded_bytes()) % SHARDS) as usize
}

fn shard_name(shard: usize) -> String {
    format!("articles-{shard:02}.bin")
}

impl Cache {
    /// What earlier builds of the site at `root` left under `site_key`; an unreadable or
    /// outdated cache is an empty one, as the cache only saves work.
    pub fn load(root: &Path, site_key: u128) -> Cache {
        let shards: Vec<Option<Vec<(PathBuf, Entry)>>> = (0..SHARDS as usize)
            .into_par_iter()
            .map(|i| {
                let bytes = read_from_cache(root, &shard_name(i))?;
                let shard = postcard::from_bytes::<Shard<PathBuf, Stored<_, _, _, _>>>(&bytes)
                    .ok()
                    .filter(|s| s.format == FORMAT && s.site_key == site_key)?;
                Some(
                    shard
                        .entries
                        .into_iter()
                        .map(|(rel, s)| {
                            let entry = Entry::from_stored(&rel, s);
                            (rel, entry)
                        })
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let mut cache = Cache {
            site_key,
            entries: HashMap::new(),
            dirty: [false; SHARDS as usize],
        };
        for (i, shard) in shards.into_iter().enumerate() {
            match shard {
                Some(entries) => cache.entries.extend(entries),
                // Missing or stale: written afresh on save.
                None => cache.dirty[i] = true,
            }
        }
        cache
    }

    /// The entry for `rel` if it was built under `key`.
    pub fn get(&self, rel: &Path, key: u128) -> Option<&Entry> {
        self.entries.get(rel).filter(|e| e.key == key)
    }

    /// Whether the cache holds `rel` under `key`.
    pub fn has(&self, rel: &Path, text: &str) -> bool {
        self.get(rel, article_key(self.site_key, rel, text))
            .is_some()
    }

    /// Whether the source `rel`, whose metadata is `meta`, is unchanged since the cache
    /// last read it (then its entry holds; see [`SourceStamp::unchanged`]).
    pub fn unchanged_source(&self, rel: &Path, meta: &std::fs::Metadata) -> bool {
        self.entries
            .get(rel)
            .and_then(|e| e.source)
            .is_some_and(|s| s.unchanged(meta))
    }

    /// The files `rel`'s last build wrote, with the hashes of their bytes (none when it was
    /// never built).
    pub fn outputs(&self, rel: &Path) -> &[(String, u128)] {
        self.entries.get(rel).map_or(&[], |e| &e.outputs)
    }

    /// Records that `rel` was read again and found unchanged, as the file `stamp` describes
    /// (its time may have changed, not its text).
    pub fn restamp(&mut self, rel: &Path, stamp: SourceStamp) {
        if let Some(e) = self.entries.get_mut(rel)
            && e.source != Some(stamp)
        {
            e.source = Some(stamp);
            self.dirty[shard_of(rel)] = true;
        }
    }

    /// The site key the cache was loaded for.
    pub fn site_key(&self) -> u128 {
        self.site_key
    }

    /// Records an article built afresh.
    pub fn put(&mut self, rel: PathBuf, entry: Entry) {
        self.dirty[shard_of(&rel)] = true;
        self.entries.insert(rel, entry);
    }

    /// Forgets every article not in `present`.
    pub fn retain(&mut self, present: &std::collections::HashSet<&Path>) {
        let dirty = &mut self.dirty;
        self.entries.retain(|rel, _| {
            let keep = present.contains(rel.as_path());
            if !keep {
                dirty[shard_of(rel)] = true;
            }
            keep
        });
    }

    /// What the cache holds for `rel`, if anything.
    pub fn entry(&self, rel: &Path) -> Option<&Entry> {
        self.entries.get(rel)
    }

    /// Every entry, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = (&PathBuf, &Entry)> {
        self.entries.iter()
    }

    /// Writes the shards that changed.
    pub fn save(&self, root: &Path) -> std::io::Result<()> {
        let mut shards: Vec<Vec<(&Path, &Entry)>> = (0..SHARDS).map(|_| Vec::new()).collect();
        for (rel, entry) in &self.entries {
            let i = shard_of(rel);
            if self.dirty[i] {
                shards[i].push((rel, entry));
            }
        }
        shards
            .into_par_iter()
            .enumerate()
            .filter(|(i, _)| self.dirty[*i])
            .try_for_each(|(i, mut entries)| {
                entries.sort_by(|a, b| a.0.cmp(b.0));
                let shard = Shard {
                    format: FORMAT,
                    site_key: self.site_key,
                    entries: entries
                        .into_iter()
                        .map(|(rel, e)| (rel, e.stored()))
                        .collect(),
                };
                let bytes = postcard::to_allocvec(&shard).map_err(std::io::Error::other)?;
                save_in_cache(root, &shard_name(i), &bytes)
            })
    }
}

/// One part of the site-wide files as a build left it, under the key of what it is made of.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Part {
    /// Key of the site and of what the part shows of every article.
    pub key: u128,
    /// Files written, `/`-separated, relative to the output, with the hashes of their bytes.
    pub files: Vec<(String, u128)>,
    /// The path of each page of the site's own, for the sitemap (the listings').
    pub paths: Vec<String>,
    /// Warnings it gave (the listings': speakers not in the registry).
    pub warnings: Vec<Diagnostic>,
    /// The search index's: what each language's index (by its home) was made of, so that a
    /// rebuild remakes only its partitions whose words changed.
    pub index: Indexes,
}

/// What each language's search index (by its home) was made of.
pub type Indexes = Vec<(String, crate::search::Made)>;

/// The site-wide files as a build left them, in three parts that are each kept while what
/// they are made of is unchanged: an edit of an article's text alone changes its words, and
/// with them the search index, but no listing or feed.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SiteWide {
    /// The listing pages.
    pub listings: Part,
    /// The search index.
    pub search: Part,
    /// The feeds, the sitemaps, robots.txt and the claims' data files.
    pub feeds: Part,
}

/// The keys of the three parts of [`SiteWide`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Keys {
    /// Of the listings: the site's listings key and what each article shows.
    pub listings: u128,
    /// Of the search index: that, and each article's words.
    pub search: u128,
    /// Of the feeds and sitemaps: the listings' key and every page the articles wrote.
    pub feeds: u128,
}

impl Keys {
    /// The keys for the articles `entries` (sorted by source path), whose pages are at
    /// `article_pages`, under `listings_key` (the site's, see `session::listings_key`).
    pub fn new(listings_key: u128, entries: &[(&PathBuf, &Entry)], article_pages: &[&str]) -> Keys {
        let part = |name: &str| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(&FORMAT.to_le_bytes());
            h.update(name.as_bytes());
            h.update(&listings_key.to_le_bytes());
            h
        };
        let (mut listings, mut search) = (part("listings"), part("search"));
        for (_, e) in entries {
            listings.update(&e.shown.to_le_bytes());
            search.update(&e.shown.to_le_bytes());
            search.update(&e.searched.to_le_bytes());
        }
        let listings = listings.digest128();
        let mut feeds = part("feeds");
        feeds.update(&listings.to_le_bytes());
        for page in article_pages {
            feeds.update(page.as_bytes());
            feeds.update(&[0]);
        }
        Keys {
            listings,
            search: search.digest128(),
            feeds: feeds.digest128(),
        }
    }
}

const SITE_WIDE: &str = "site.bin";

impl SiteWide {
    /// What the previous build left, if it was of this gloss.
    pub fn load(root: &Path) -> Option<SiteWide> {
        let bytes = read_from_cache(root, SITE_WIDE)?;
        postcard::from_bytes::<(u32, SiteWide)>(&bytes)
            .ok()
            .filter(|(format, _)| *format == FORMAT)
            .map(|(_, s)| s)
    }

    /// The parts' keys.
    pub fn keys(&self) -> Keys {
        Keys {
            listings: self.listings.key,
            search: self.search.key,
            feeds: self.feeds.key,
        }
    }

    /// Pages rendered: the listings' files, one a page (the other parts' files are none).
    pub fn pages(&self) -> usize {
        self.listings.files.len()
    }

    /// The warnings of all parts.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        [&self.listings, &self.search, &self.feeds]
            .into_iter()
            .flat_map(|p| &p.warnings)
    }

    /// Saves it for the next build.
    pub fn save(&self, root: &Path) -> std::io::Result<()> {
        let bytes = postcard::to_allocvec(&(FORMAT, self)).map_err(std::io::Error::other)?;
        save_in_cache(root, SITE_WIDE, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settle() {
        std::thread::sleep(std::time::Duration::from_nanos(
            super::super::reuse::RACY_NS as u64 * 2,
        ));
    }

    #[test]
    fn a_stamp_vouches_for_a_file_only_while_it_is_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "eins").unwrap();
        settle();
        let stamp = SourceStamp::of(&std::fs::metadata(&path).unwrap());
        assert!(stamp.unchanged(&std::fs::metadata(&path).unwrap()));
        // Same size, and the old modification time put back: the change time still tells.
        let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, "zwei").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        assert!(!stamp.unchanged(&std::fs::metadata(&path).unwrap()));
    }

    #[test]
    fn a_time_in_whole_seconds_vouches_for_nothing_for_two_seconds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "eins").unwrap();
        // As a file system that keeps whole seconds leaves it.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap();
        let whole = std::time::UNIX_EPOCH + std::time::Duration::from_secs(now.as_secs());
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(whole)
            .unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let stamp = SourceStamp::of(&meta);
        let at = |later_ns: i128| SourceStamp {
            taken_ns: stamp.taken_ns + later_ns,
            ..stamp
        };
        // A second edit within that second would leave the same time: not trusted yet.
        assert!(!at(1_000_000_000).unchanged(&meta));
        assert!(at(3_000_000_000).unchanged(&meta));
    }

    #[test]
    fn a_stamp_taken_just_after_a_write_vouches_for_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "eins").unwrap();
        // Another write within the same clock tick could leave every field as it is.
        let stamp = SourceStamp::of(&std::fs::metadata(&path).unwrap());
        assert!(!stamp.unchanged(&std::fs::metadata(&path).unwrap()));
    }
}
