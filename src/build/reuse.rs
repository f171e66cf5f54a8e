//! Keeping what the previous build wrote. A rebuild leaves every file whose bytes are
//! unchanged where it is and stages only the new and changed ones. When nothing changed, the
//! output already is the new one and nothing is written; otherwise the new output is
//! assembled beside the old one from the staged files and links to the unchanged ones, and
//! swapped in (see [`super::output::assemble`]). Writing a 10,000-article site is 1.5 GB and
//! 10,000 folders, while a newsroom's rebuild changes a few dozen files.
//!
//! The manifest remembers, for each file written, the hash of its bytes and the file's identity
//! (inode, size, modification and change times). A file is kept when its identity still
//! matches, as git trusts its index: no program can set a change time back, so an output
//! edited by hand, even to the same size with its old modification time put back, shows a new
//! one. Stamps whose times lie within the file system's clock tick of the moment the manifest
//! was saved prove nothing (a second edit in the same tick leaves the same times): those
//! files, and files whose change time alone moved (a hard link made or removed changes it),
//! are read back and hashed, and stamped again when their bytes are still the ones written.
//!
//! The manifest also stamps every folder of the tree it describes (inode, modification and
//! change times, as [`DirStamp`]): a file added, removed or renamed in a folder changes its
//! times. A rebuild needs to know what the tree it builds over holds, to leave out files left
//! by hand; a folder whose stamp is unchanged (and not racy) holds what the manifest says, so
//! only the folders changed since are read. At 10,000 articles that is a `stat` of each of
//! 106,000 folders instead of reading them all (the benchmarks measured 0.73 CPU-s for the
//! walk): the claim pages, one folder each, are most of them.
use rustc_hash::FxHashMap as HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Where a site keeps what one build leaves for the next (relative to the site root).
pub const CACHE_DIR: &str = ".gloss-cache";
/// Manifests are named `manifest-<hash of the output folder's path>`: one per output folder,
/// so that a build into another folder (`gloss serve` builds into a temporary one) does not
/// make the next build of the usual one start afresh.
const MANIFEST: &str = "manifest";

fn manifest_name(out: &Path) -> String {
    format!(
        "{MANIFEST}-{:016x}",
        xxhash_rust::xxh3::xxh3_64(out.as_os_str().as_encoded_bytes())
    )
}
const HEADER: &str = "gloss-manifest 5";

/// A manifest as the cache holds it: postcard, not text, since a rebuild at 10,000 articles
/// reads two of them (the output's and the spare's: 109,000 files and 106,000 folders each).
#[derive(serde::Deserialize)]
struct Stored {
    out: PathBuf,
    saved_ns: i128,
    folders: Option<Folders>,
    files: Vec<(String, Stamp)>,
}

/// [`Stored`], borrowed from the manifest being saved.
#[derive(serde::Serialize)]
struct StoredRef<'a> {
    out: &'a Path,
    saved_ns: i128,
    folders: Option<&'a Folders>,
    files: Vec<(&'a str, &'a Stamp)>,
}

/// The manifest of the spare (the output before last) is the output's manifest as it was
/// when that output was swapped out, under this suffix.
const SPARE: &str = ".spare";

/// A written file: the hash of its bytes and the identity of the file holding them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    /// xxh3-128 of the bytes.
    pub hash: u128,
    /// Size in bytes.
    pub len: u64,
    /// Inode number (0 where the platform has none).
    pub ino: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
    /// Change time (of the inode), nanoseconds since the epoch.
    pub ctime_ns: i128,
}

impl Stamp {
    fn of(hash: u128, meta: &std::fs::Metadata) -> Stamp {
        Stamp {
            hash,
            len: meta.len(),
            ino: inode(meta),
            mtime_ns: mtime_ns(meta),
            ctime_ns: ctime_ns(meta),
        }
    }

    /// Whether `meta` may still be the file this stamp was taken of (its bytes are then
    /// either unchanged or must be read to know; see [`Stamp::proves`]).
    fn same_file(&self, meta: &std::fs::Metadata) -> bool {
        meta.is_file() && meta.len() == self.len && inode(meta) == self.ino
    }

    /// Whether `meta` shows the file unchanged since the stamp was taken, for a manifest
    /// saved at `saved_ns`: the same identity and times, neither time within the racy window
    /// of the save (see [`racy_window`]).
    fn proves(&self, meta: &std::fs::Metadata, saved_ns: i128) -> bool {
        let latest = self.mtime_ns.max(self.ctime_ns);
        self.same_file(meta)
            && self.mtime_ns >= 0
            && self.ctime_ns > 0
            && mtime_ns(meta) == self.mtime_ns
            && ctime_ns(meta) == self.ctime_ns
            && latest + racy_window(self.mtime_ns).max(racy_window(self.ctime_ns)) < saved_ns
    }
}

#[cfg(unix)]
pub(crate) fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
pub(crate) fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// Writes `bytes` to the file `name` in the site's cache folder, replacing it atomically so
/// that a build killed meanwhile leaves the old file or the new one, never half of one. A
/// checksum follows the bytes (see [`read_from_cache`]).
pub(crate) fn save_in_cache(root: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let dir = root.join(CACHE_DIR);
    std::fs::create_dir_all(&dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.write_all(&xxhash_rust::xxh3::xxh3_128(bytes).to_le_bytes())?;
    tmp.persist(dir.join(name)).map_err(|e| e.error)?;
    Ok(())
}

/// The bytes [`save_in_cache`] saved as `name`, if they are still exactly those: a file
/// damaged in a way that still decodes (a flipped bit in a hash, a date, a title) must not
/// change what is published, so a file whose checksum does not match is no file.
pub(crate) fn read_from_cache(root: &Path, name: &str) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(root.join(CACHE_DIR).join(name)).ok()?;
    let at = bytes.len().checked_sub(16)?;
    let sum = u128::from_le_bytes(bytes[at..].try_into().ok()?);
    bytes.truncate(at);
    (xxhash_rust::xxh3::xxh3_128(&bytes) == sum).then_some(bytes)
}

/// Modification time in nanoseconds since the epoch; -1 where the platform has none.
pub(crate) fn mtime_ns(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(-1, |d| coarse(d.as_nanos() as i128))
}

/// The inode's change time in nanoseconds since the epoch; 0 where the platform has none.
#[cfg(unix)]
pub(crate) fn ctime_ns(meta: &std::fs::Metadata) -> i128 {
    use std::os::unix::fs::MetadataExt;
    coarse(i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()))
}

#[cfg(not(unix))]
pub(crate) fn ctime_ns(_: &std::fs::Metadata) -> i128 {
    0
}

static COARSE_TIMES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes gloss see every file time cut to whole seconds, as on a file system with 1-second
/// timestamps (ext3, HFS+, many network shares), so that tests can build on one. For tests.
#[doc(hidden)]
pub fn simulate_coarse_timestamps(on: bool) {
    COARSE_TIMES.store(on, Ordering::Relaxed);
}

fn coarse(ns: i128) -> i128 {
    if COARSE_TIMES.load(Ordering::Relaxed) {
        ns - ns.rem_euclid(1_000_000_000)
    } else {
        ns
    }
}

/// File times tick coarsely (a few milliseconds on Linux): a file changed within the same
/// tick as gloss wrote it keeps its stamp. As git does with its index, stamps this close to the
/// moment the manifest was saved are not trusted.
pub(crate) const RACY_NS: i128 = 100_000_000;

/// How long after a file time `time_ns` another change could still leave the same time
/// behind. Where times have no fraction of a second, the file system may well tick in
/// seconds (ext3, HFS+, network shares) or two (FAT): then two same-size edits within one
/// tick look alike, and a stamp proves nothing until two seconds have passed.
pub(crate) fn racy_window(time_ns: i128) -> i128 {
    if time_ns.rem_euclid(1_000_000_000) == 0 {
        2_000_000_000
    } else {
        RACY_NS
    }
}

/// Now, in nanoseconds since the epoch.
pub(crate) fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// A folder's identity and times: an entry added, removed or renamed in it changes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DirStamp {
    /// Inode number (0 where the platform has none).
    pub ino: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
    /// Change time, nanoseconds since the epoch.
    pub ctime_ns: i128,
}

impl DirStamp {
    /// The stamp of the folder whose metadata is `meta`; none for anything but a folder.
    pub fn of(meta: &std::fs::Metadata) -> Option<DirStamp> {
        meta.is_dir().then(|| DirStamp {
            ino: inode(meta),
            mtime_ns: mtime_ns(meta),
            ctime_ns: ctime_ns(meta),
        })
    }

    /// Whether the folder, stamped `now`, still holds the entries it held when this stamp
    /// was taken before `taken_ns`: the same times, neither within the racy window of that
    /// moment (a change in the same tick as the stamp leaves the same times behind).
    pub fn proves(&self, now: &DirStamp, taken_ns: i128) -> bool {
        let latest = self.mtime_ns.max(self.ctime_ns);
        self == now
            && self.ino != 0
            && self.mtime_ns >= 0
            && self.ctime_ns > 0
            && latest + racy_window(self.mtime_ns).max(racy_window(self.ctime_ns)) < taken_ns
    }
}

/// Every folder of an output tree (but its top), stamped, so that the next build that meets
/// the tree knows which folders' entries are still the manifest's without reading them: the
/// tree's files are then known from a `stat` per folder, not a walk of every one (at 10,000
/// articles 106,000 folders, 80,000 of them one claim page's each).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Folders {
    /// The top folder's inode: which tree the stamps are of (the output and the spare swap
    /// places, and a killed build may leave either in the other's).
    pub root_ino: u64,
    /// When the first of the stamps was taken.
    pub taken_ns: i128,
    /// Each folder below the top, `/`-separated, with its stamp.
    pub stamps: HashMap<String, DirStamp>,
}

/// The files one build wrote into one output folder.
#[derive(Debug, Default)]
pub struct Manifest {
    /// The output folder the stamps are of.
    pub out: PathBuf,
    files: HashMap<String, Stamp>,
    /// When the manifest was saved (0 before): stamps this close to it are racy.
    saved_ns: i128,
    /// The tree's folders, where the build knew them.
    pub folders: Option<Folders>,
}

impl Manifest {
    /// The manifest a previous build of the site at `root` left for `out`, if any. A
    /// missing, unreadable or foreign manifest is no manifest: it only saves work.
    pub fn load(root: &Path, out: &Path) -> Option<Manifest> {
        Manifest::load_named(root, out, &manifest_name(out))
    }

    /// The manifest of the spare of `out` (see [`Manifest::keep_as_spare`]), if any.
    pub fn load_spare(root: &Path, out: &Path) -> Option<Manifest> {
        Manifest::load_named(root, out, &(manifest_name(out) + SPARE))
    }

    /// Makes the manifest saved for `out` the spare's: the output it describes has just
    /// been swapped out and kept as the spare. Without one, the spare has none.
    pub fn keep_as_spare(root: &Path, out: &Path) {
        let dir = root.join(CACHE_DIR);
        let (name, spare) = (manifest_name(out), manifest_name(out) + SPARE);
        if std::fs::rename(dir.join(name), dir.join(&spare)).is_err() {
            let _ = std::fs::remove_file(dir.join(spare));
        }
    }

    /// Forgets the manifest of the spare of `out`.
    pub fn forget_spare(root: &Path, out: &Path) {
        let _ = std::fs::remove_file(root.join(CACHE_DIR).join(manifest_name(out) + SPARE));
    }

    fn load_named(root: &Path, out: &Path, name: &str) -> Option<Manifest> {
        let bytes = read_from_cache(root, name)?;
        let (header, stored): (String, Stored) = postcard::from_bytes(&bytes).ok()?;
        if header != HEADER || stored.out != out {
            return None;
        }
        Some(Manifest {
            out: stored.out,
            files: stored.files.into_iter().collect(),
            saved_ns: stored.saved_ns,
            folders: stored.folders,
        })
    }

    /// Saves the manifest for the site at `root`, replacing the previous one atomically. A
    /// manifest loaded keeps the time it was first saved at: that time dates its stamps.
    pub fn save(&self, root: &Path) -> std::io::Result<()> {
        let saved_ns = if self.saved_ns == 0 {
            now_ns()
        } else {
            self.saved_ns
        };
        let stored = StoredRef {
            out: &self.out,
            saved_ns,
            folders: self.folders.as_ref(),
            files: self
                .files
                .iter()
                .map(|(rel, s)| (rel.as_str(), s))
                .collect(),
        };
        let bytes = postcard::to_allocvec(&(HEADER, stored)).map_err(std::io::Error::other)?;
        save_in_cache(root, &manifest_name(&self.out), &bytes)
    }

    /// Whether `other` lists the same files with the same stamps (then it need not be saved:
    /// this one's save time still dates them).
    pub fn same_files(&self, other: &Manifest) -> bool {
        self.out == other.out && self.files == other.files
    }

    /// The same manifest with the stamps `folders` of its tree's folders.
    pub fn with_folders(self, folders: Folders) -> Manifest {
        Manifest {
            folders: Some(folders),
            ..self
        }
    }

    /// Every file listed but those of `moves` (written anew), with its inode: what an
    /// update links from the old output (see [`super::output::assemble`]).
    pub fn kept_beside(&self, moves: &[(String, String)]) -> Vec<(&str, u64)> {
        let moved: rustc_hash::FxHashSet<&str> = moves.iter().map(|(_, r)| r.as_str()).collect();
        self.stamps()
            .filter(|(rel, _)| !moved.contains(rel))
            .map(|(rel, s)| (rel, s.ino))
            .collect()
    }

    /// How many files the manifest lists.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the manifest lists no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Whether the manifest lists `rel` (a `/`-separated path).
    pub fn has(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    /// Every file listed, as `/`-separated paths, with its stamp.
    pub fn stamps(&self) -> impl Iterator<Item = (&str, &Stamp)> {
        self.files.iter().map(|(k, s)| (k.as_str(), s))
    }

    /// Every file listed, as `/`-separated paths.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// A manifest of no files, for `out`.
    #[cfg(test)]
    pub fn empty(out: &Path) -> Manifest {
        Manifest {
            out: out.to_path_buf(),
            ..Manifest::default()
        }
    }

    /// A manifest of the files `rels` in `out`, stamped with no times (an inode of 0 for a
    /// file not there).
    #[cfg(test)]
    pub fn of_files(out: &Path, rels: &[&str]) -> Manifest {
        let files = rels
            .iter()
            .map(|rel| {
                let ino = std::fs::symlink_metadata(out.join(rel)).map_or(0, |m| inode(&m));
                let stamp = Stamp {
                    hash: 0,
                    len: 0,
                    ino,
                    mtime_ns: 0,
                    ctime_ns: 0,
                };
                (rel.to_string(), stamp)
            })
            .collect();
        Manifest {
            out: out.to_path_buf(),
            files,
            ..Manifest::default()
        }
    }

    /// Forgets the manifest of the output `out` of the site at `root`.
    pub fn forget(root: &Path, out: &Path) {
        let _ = std::fs::remove_file(root.join(CACHE_DIR).join(manifest_name(out)));
    }

    /// The stamp of `rel` (a `/`-separated path), if the manifest has it.
    pub fn get(&self, rel: &str) -> Option<&Stamp> {
        self.files.get(rel)
    }
}

/// Where the output `out` of the site at `root` keeps its spare (the output before last, see
/// [`super::output::Staging::take_spare`]): in the site's cache folder, out of sight and
/// out of `git add`, when that is on the output's file system (a rename cannot cross file
/// systems); else beside the output.
pub fn spare_for(root: &Path, out: &Path) -> PathBuf {
    let name = format!(
        "spare-{:016x}",
        xxhash_rust::xxh3::xxh3_64(out.as_os_str().as_encoded_bytes())
    );
    let cache = root.join(CACHE_DIR);
    let parent = out.parent().unwrap_or(Path::new("."));
    if same_device(&cache, parent) {
        cache.join(name)
    } else {
        parent.join(format!(".gloss-{name}"))
    }
}

#[cfg(unix)]
fn same_device(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let _ = std::fs::create_dir_all(a);
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_device(_: &Path, _: &Path) -> bool {
    false
}

/// A new file at `path`. A file already there is removed first, never written through: in
/// the output it may be served or linked while the build runs.
fn create_new(path: &Path) -> std::io::Result<std::fs::File> {
    let open = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    match open() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            open()
        }
        other => other,
    }
}

/// A `/`-separated key for `rel`, the same on every platform.
pub(crate) fn key(rel: &Path) -> String {
    let mut k = String::new();
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            k.push('/');
        }
        k.push_str(&c.as_os_str().to_string_lossy());
    }
    k
}

/// Where a written file comes from, to name both sides when two claim one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// A page or file gloss makes itself: a listing, a feed, the search index.
    Generated,
    /// A file of the theme (`static/`, the site's own or the embedded one).
    Theme,
    /// An article's page or a bundle file: the source, relative to the site root.
    Content(PathBuf),
}

/// Two sources that want the same place in the output: the same file, or a file where the
/// other needs a folder.
#[derive(Debug, Clone)]
pub struct Collision {
    /// The place the later writer wanted.
    pub key: String,
    /// Who wanted it.
    pub owner: Owner,
    /// The place already taken (`key`, or a folder of it, or a file below it).
    pub taken: String,
    /// Who took it.
    pub taken_by: Owner,
}

/// Which places of the output are taken, and by whom.
#[derive(Default)]
pub(crate) struct Claims {
    files: HashMap<String, Owner>,
    /// Each folder that holds a file, with one file below it.
    dirs: HashMap<String, String>,
    pub(crate) collisions: Vec<Collision>,
}

impl Claims {
    /// Takes `key` for `owner`; false (and the collision noted) when content would replace
    /// or be replaced by another file. Gloss's own files may replace each other as before (a
    /// site's `static/robots.txt` replaces the generated one): the theme is trusted.
    pub(crate) fn claim(&mut self, key: &str, owner: &Owner) -> bool {
        let taken = if let Some(o) = self.files.get(key) {
            Some((key.to_string(), o.clone()))
        } else if let Some(below) = self.dirs.get(key) {
            Some((below.clone(), self.files[below].clone()))
        } else {
            folders(key).find_map(|d| self.files.get(d).map(|o| (d.to_string(), o.clone())))
        };
        if let Some((taken, taken_by)) = taken {
            if matches!(owner, Owner::Content(_)) || matches!(taken_by, Owner::Content(_)) {
                self.collisions.push(Collision {
                    key: key.to_string(),
                    owner: owner.clone(),
                    taken,
                    taken_by,
                });
                return false;
            }
            return true;
        }
        self.files.insert(key.to_string(), owner.clone());
        for d in folders(key) {
            if !self.dirs.contains_key(d) {
                self.dirs.insert(d.to_string(), key.to_string());
            }
        }
        true
    }
}

/// The folders `a`, `a/b` of the `/`-separated path `a/b/c`.
fn folders(key: &str) -> impl Iterator<Item = &str> {
    key.match_indices('/').map(|(i, _)| &key[..i])
}

/// Where an update stages its new and changed files, flat, inside the staging folder.
pub const CHANGED_DIR: &str = ".gloss-changed";

/// Writes a build's files: either a whole new output into an empty folder, or only what
/// changed since the output a manifest describes.
pub struct Writer<'a> {
    dir: &'a Path,
    previous: Option<&'a Manifest>,
    written: Mutex<Vec<(String, Stamp)>>,
    /// In an update: files written into `dir/CHANGED_DIR` under a number, and where they go.
    moves: Mutex<Vec<(String, String)>>,
    next: AtomicUsize,
    claims: Mutex<Claims>,
}

/// What a [`Writer`] leaves: the manifest of the new output and, in an update, the new and
/// changed files (name in [`CHANGED_DIR`], `/`-separated destination).
pub struct Written {
    /// Every file of the new output.
    pub manifest: Manifest,
    /// New and changed files, staged: (name in [`CHANGED_DIR`], destination in the output).
    pub moves: Vec<(String, String)>,
}

impl<'a> Writer<'a> {
    /// Writes a whole new output into the empty folder `dir`.
    pub fn fresh(dir: &'a Path) -> Writer<'a> {
        Writer {
            dir,
            previous: None,
            written: Mutex::new(Vec::new()),
            moves: Mutex::new(Vec::new()),
            next: AtomicUsize::new(0),
            claims: Mutex::new(Claims::default()),
        }
    }

    /// Updates the output `previous` describes: a file it holds unchanged is left alone, a
    /// new or changed one is staged in `dir` (flat, under a number); see
    /// [`super::output::assemble`] for how they become the new output.
    pub fn update(dir: &'a Path, previous: &'a Manifest) -> std::io::Result<Writer<'a>> {
        std::fs::create_dir_all(dir.join(CHANGED_DIR))?;
        Ok(Writer {
            previous: Some(previous),
            ..Writer::fresh(dir)
        })
    }

    /// Where the bytes the new output will hold at `rel` are now: staged, or (in an update,
    /// unchanged) in the previous output.
    pub fn path_of(&self, rel: &Path) -> PathBuf {
        let Some(previous) = self.previous else {
            return self.dir.join(rel);
        };
        let key = key(rel);
        let moves = self.moves.lock().unwrap_or_else(|e| e.into_inner());
        match moves.iter().rev().find(|(_, dest)| *dest == key) {
            Some((name, _)) => self.dir.join(CHANGED_DIR).join(name),
            None => previous.out.join(rel),
        }
    }

    /// Writes `bytes` from `owner` to `rel` and returns their hash; in an update, nothing is
    /// written when the output already holds exactly these bytes there. Nothing is written
    /// either when the place is another's (see [`Writer::collisions`]).
    fn put(&self, owner: &Owner, rel: &Path, bytes: &[u8]) -> std::io::Result<u128> {
        let key = key(rel);
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        if !self.claim(&key, owner) {
            return Ok(hash);
        }
        if self.previous.is_some() {
            if let Some(stamp) = self.reusable(&key, rel, |s| s.hash == hash) {
                self.record(key, stamp);
                return Ok(hash);
            }
            let name = self.next.fetch_add(1, Ordering::Relaxed).to_string();
            let staged = self.dir.join(CHANGED_DIR).join(&name);
            let stamp = Stamp::of(hash, &write_file(&staged, bytes)?);
            self.moves
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((name, key.clone()));
            self.record(key, stamp);
            return Ok(hash);
        }
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let stamp = Stamp::of(hash, &write_file(&path, bytes)?);
        self.record(key, stamp);
        Ok(hash)
    }

    /// Keeps every one of `files` (path and the hash of the bytes it must hold) as the
    /// previous output has it, or none: false when one is missing there, changed since, or
    /// holds other bytes (as when the cache learned of an edit from a build into another
    /// folder). Always false for a fresh output.
    fn keep(&self, owner: &Owner, files: &[(PathBuf, u128)]) -> bool {
        let stamps: Option<Vec<Stamp>> = files
            .iter()
            .map(|(rel, hash)| self.reusable(&key(rel), rel, |s| s.hash == *hash))
            .collect();
        let Some(stamps) = stamps else {
            return false;
        };
        for ((rel, _), stamp) in files.iter().zip(stamps) {
            let key = key(rel);
            if self.claim(&key, owner) {
                self.record(key, stamp);
            }
        }
        true
    }

    fn claim(&self, key: &str, owner: &Owner) -> bool {
        self.claims
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .claim(key, owner)
    }

    /// The previous build's stamp of `rel` when `wanted` accepts it and the old file still
    /// holds the bytes it was taken of: proven by the file's stamp where it can be, else by
    /// reading the bytes back (then stamped anew).
    fn reusable(&self, key: &str, rel: &Path, wanted: impl Fn(&Stamp) -> bool) -> Option<Stamp> {
        let manifest = self.previous?;
        let stamp = manifest.get(key).filter(|s| wanted(s))?;
        let path = manifest.out.join(rel);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if stamp.proves(&meta, manifest.saved_ns) {
            return Some(*stamp);
        }
        if !stamp.same_file(&meta) {
            return None;
        }
        // Racy, or its change time moved: the stamp proves nothing, the bytes do. The new
        // stamp is the metadata from before the read, so that an edit during it shows.
        let bytes = std::fs::read(&path).ok()?;
        (xxhash_rust::xxh3::xxh3_128(&bytes) == stamp.hash).then(|| Stamp::of(stamp.hash, &meta))
    }

    fn record(&self, key: String, stamp: Stamp) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((key, stamp));
    }

    /// Every file of the new output so far, `/`-separated.
    fn keys(&self) -> Vec<String> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        written.iter().map(|(k, _)| k.clone()).collect()
    }

    /// What was written, for the output once it is at `out`.
    pub fn finish(self, out: &Path) -> Written {
        let written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        Written {
            manifest: Manifest {
                out: out.to_path_buf(),
                files: written.into_iter().collect(),
                saved_ns: 0,
                folders: None,
            },
            moves: self.moves.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }
}

/// The staged disk output of `gloss build`.
impl super::sink::Output for Writer<'_> {
    fn write_as(&self, owner: &Owner, rel: &Path, bytes: &[u8]) -> std::io::Result<u128> {
        self.put(owner, rel, bytes)
    }

    fn keep_all(&self, owner: &Owner, files: &[(PathBuf, u128)]) -> bool {
        self.keep(owner, files)
    }

    fn reserve(&self, owner: &Owner, rel: &Path) {
        self.claim(&key(rel), owner);
    }

    fn read(&self, rel: &Path) -> Option<String> {
        std::fs::read_to_string(self.path_of(rel)).ok()
    }

    fn files(&self) -> Vec<String> {
        self.keys()
    }

    fn collisions(&self) -> Vec<Collision> {
        collisions_in(&self.claims)
    }
}

/// The collisions `claims` noted, in the order met.
pub(crate) fn collisions_in(claims: &Mutex<Claims>) -> Vec<Collision> {
    claims
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .collisions
        .clone()
}

/// Puts `bytes` at `path` by writing a hidden file beside it and renaming that over it;
/// returns the new file's metadata (a rename leaves its inode, size and time as they are).
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<std::fs::Metadata> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.gloss-new"));
    let meta = write_file(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    Ok(meta)
}

/// Writes `bytes` to a new file at `path`; returns its metadata.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<std::fs::Metadata> {
    let mut file = create_new(path)?;
    file.write_all(bytes)?;
    file.metadata()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::sink::Output;

    /// Lets the clock move past the racy window of the last save.
    fn later() {
        std::thread::sleep(std::time::Duration::from_nanos(RACY_NS as u64 * 2));
    }

    fn build(root: &Path, out: &Path, files: &[(&str, &str)]) -> Manifest {
        build_then(root, out, files, later)
    }

    /// A build; `before_save` runs between writing the files and saving the manifest.
    fn build_then(
        root: &Path,
        out: &Path,
        files: &[(&str, &str)],
        before_save: impl FnOnce(),
    ) -> Manifest {
        let previous = Manifest::load(root, out);
        let staging = tempfile::tempdir_in(root).unwrap();
        let writer = match &previous {
            Some(previous) => Writer::update(staging.path(), previous).unwrap(),
            None => Writer::fresh(staging.path()),
        };
        for (rel, text) in files {
            writer.write(Path::new(rel), text.as_bytes()).unwrap();
        }
        let Written { manifest, moves } = writer.finish(out);
        if let Some(previous) = &previous {
            let kept = manifest.kept_beside(&moves);
            let present = super::super::output::list(staging.path(), None, true);
            super::super::output::assemble(staging.path(), &previous.out, &kept, &moves, present)
                .unwrap();
        }
        let _ = std::fs::remove_dir_all(out);
        std::fs::rename(staging.keep(), out).unwrap();
        before_save();
        manifest.save(root).unwrap();
        manifest
    }

    #[cfg(unix)]
    fn ino(p: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap())
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_stay_the_same_file_and_changed_ones_are_new() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        build(
            site.path(),
            &out,
            &[("a/index.html", "one"), ("b.txt", "bee")],
        );
        let (a, b) = (ino(&out.join("a/index.html")), ino(&out.join("b.txt")));
        build(
            site.path(),
            &out,
            &[("a/index.html", "one"), ("b.txt", "BEE")],
        );
        assert_eq!(
            ino(&out.join("a/index.html")),
            a,
            "same bytes: the same file"
        );
        assert_ne!(ino(&out.join("b.txt")), b, "new bytes: a new file");
        assert_eq!(std::fs::read_to_string(out.join("b.txt")).unwrap(), "BEE");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_edited_in_the_output_is_written_again() {
        // Same length: only the file's time tells the edit apart.
        let after = rebuilt_after_edit(|path| std::fs::write(path, "wrong").unwrap());
        assert_eq!(after, "right");
    }

    #[test]
    fn a_same_size_edit_with_its_old_time_put_back_is_written_again() {
        let after = rebuilt_after_edit(|path| {
            let written = std::fs::metadata(path).unwrap().modified().unwrap();
            // Rewritten in place (same inode), same size, old time back: only the bytes tell.
            std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|mut f| f.write_all(b"wrong"))
                .unwrap();
            std::fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(written)
                .unwrap();
        });
        assert_eq!(after, "right");
    }

    /// Builds `a.html` = "right", lets `edit` change the output's copy a moment later, builds
    /// the same again: what the output's `a.html` then holds.
    fn rebuilt_after_edit(edit: impl FnOnce(&Path)) -> String {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        build(site.path(), &out, &[("a.html", "right")]);
        later();
        edit(&out.join("a.html"));
        build(site.path(), &out, &[("a.html", "right")]);
        std::fs::read_to_string(out.join("a.html")).unwrap()
    }

    #[test]
    fn a_damaged_cache_file_is_no_file() {
        let site = tempfile::tempdir().unwrap();
        save_in_cache(site.path(), "x.bin", b"twelve bytes").unwrap();
        assert_eq!(
            read_from_cache(site.path(), "x.bin").as_deref(),
            Some(&b"twelve bytes"[..])
        );
        let path = site.path().join(CACHE_DIR).join("x.bin");
        let mut bytes = std::fs::read(&path).unwrap();
        for at in [0, 5, bytes.len() - 1] {
            bytes[at] ^= 0x20;
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(read_from_cache(site.path(), "x.bin"), None, "byte {at}");
            bytes[at] ^= 0x20;
        }
        std::fs::write(&path, &bytes[..4]).unwrap();
        assert_eq!(read_from_cache(site.path(), "x.bin"), None, "cut short");
    }

    #[test]
    fn an_edit_in_the_same_clock_tick_as_the_build_is_caught() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        // Saved at once after writing, as a quick build does: the stamp is racy.
        build_then(site.path(), &out, &[("a.html", "right")], || {});
        let path = out.join("a.html");
        let written = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, "wrong").unwrap();
        // An edit within the same tick leaves the same time behind.
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(written)
            .unwrap();
        later();
        build(site.path(), &out, &[("a.html", "right")]);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "right");
    }

    #[test]
    fn a_manifest_of_another_output_is_not_used() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        build(site.path(), &out, &[("a.html", "x")]);
        assert!(Manifest::load(site.path(), &out).is_some());
        assert!(Manifest::load(site.path(), &site.path().join("docs")).is_none());
    }

    #[test]
    fn keep_needs_the_same_bytes_unchanged_in_the_previous_output() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        build(site.path(), &out, &[("a.html", "x"), ("b.html", "y")]);
        std::fs::write(out.join("b.html"), "z").unwrap();
        let previous = Manifest::load(site.path(), &out).unwrap();
        let staging = tempfile::tempdir_in(site.path()).unwrap();
        let writer = Writer::update(staging.path(), &previous).unwrap();
        let hash = |t: &str| xxhash_rust::xxh3::xxh3_128(t.as_bytes());
        let keep = |rel: &str, t: &str| {
            writer.keep_all(&Owner::Generated, &[(PathBuf::from(rel), hash(t))])
        };
        assert!(keep("a.html", "x"));
        assert!(
            !keep("a.html", "other bytes"),
            "the output holds other bytes"
        );
        assert!(!keep("b.html", "y"), "edited since");
        assert!(!keep("c.html", "x"), "never written");
        let written = writer.finish(&out);
        assert!(written.manifest.has("a.html") && !written.manifest.has("b.html"));
        assert!(written.moves.is_empty(), "nothing to move for a kept file");
    }

    #[test]
    fn a_served_file_is_replaced_whole_never_rewritten_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/index.html");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "old").unwrap();
        // A server that opened the old page keeps reading the old page.
        let mut reader = std::fs::File::open(&path).unwrap();
        super::super::sink::InPlace::new(dir.path())
            .write(Path::new("a/index.html"), b"new")
            .unwrap();
        let mut seen = String::new();
        std::io::Read::read_to_string(&mut reader, &mut seen).unwrap();
        assert_eq!(seen, "old");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["index.html"], "no temporary file left");
    }

    #[test]
    fn a_file_no_longer_written_is_removed_with_its_empty_folder() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        build(site.path(), &out, &[("a/index.html", "x"), ("b.html", "y")]);
        build(site.path(), &out, &[("b.html", "y")]);
        assert!(!out.join("a").exists());
        assert!(out.join("b.html").exists());
    }
}
