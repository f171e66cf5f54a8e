//! The output folder: where it may be, and replacing it only when a build succeeded.
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

use super::reuse::{DirStamp, Folders, Manifest};

/// The file that marks a folder as gloss's output, so that a rebuild may replace it.
pub const MARKER: &str = ".gloss-output";

/// Removes `.` and `..` without touching the file system (the folder may not exist yet).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Canonical form of `path` where it exists, so that links and `..` cannot disguise it.
fn resolve(path: &Path) -> PathBuf {
    let path = normalize(path);
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// A file going into the output that could not be read, or a file of the output that could
/// not be written: made where it happens, a [`Diagnostic`] at the edge.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file gloss copies or renders into the output (a theme's or content's asset).
    #[error("cannot read: {source}")]
    Read {
        /// The file, as the reader knows it (relative to the site or to `static/`).
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file or folder of the output.
    #[error("cannot write: {source}")]
    Write {
        /// The file below the output folder, or the folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl OutputError {
    /// A failed read of `path`.
    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        OutputError::Read {
            path: path.into(),
            source,
        }
    }

    /// A failed write of `path`.
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        OutputError::Write {
            path: path.into(),
            source,
        }
    }
}

impl From<OutputError> for Diagnostic {
    fn from(e: OutputError) -> Self {
        let (OutputError::Read { path, .. } | OutputError::Write { path, .. }) = &e;
        Diagnostic::file(path.clone(), e.to_string())
    }
}

/// Who named the output folder: what an error about it points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFrom {
    /// `--out DIR` (or `serve`'s own temporary folder).
    CommandLine,
    /// site.toml's `output_dir`.
    SiteToml,
}

/// Why an output folder may not be used.
#[derive(Debug, thiserror::Error)]
pub enum LocationError {
    /// The folder holds the site (or is it).
    #[error("the output folder {} would contain the site itself; building there would delete it", .out.display())]
    ContainsSite {
        /// The folder.
        out: PathBuf,
        /// Who named it.
        from: OutputFrom,
    },
    /// The folder is inside one of the site's own folders.
    #[error("the output folder {} lies inside the site's {folder}/ folder", .out.display())]
    InsideSite {
        /// The folder.
        out: PathBuf,
        /// `content`, `templates` or `static`.
        folder: &'static str,
        /// Who named it.
        from: OutputFrom,
    },
    /// The folder holds files gloss did not write.
    #[error("{} exists and was not made by gloss; gloss replaces its output folder and will not delete files it did not write", .out.display())]
    NotOurs {
        /// The folder.
        out: PathBuf,
        /// Who named it.
        from: OutputFrom,
    },
    /// The folder is a mount point, which no rename can replace.
    #[error("{} is a mount point: gloss builds the output beside it and swaps it in with a rename, which cannot replace a mount point", .out.display())]
    MountPoint {
        /// The folder.
        out: PathBuf,
        /// Who named it, where known.
        from: Option<OutputFrom>,
    },
}

impl From<LocationError> for Diagnostic {
    fn from(e: LocationError) -> Self {
        let message = e.to_string();
        match e {
            LocationError::MountPoint { out, from } => {
                let instead = format!("--out {}", out.join("site").display());
                let help = match from {
                    Some(OutputFrom::CommandLine) => {
                        format!("build into a folder inside it instead (`{instead}`), and serve that folder")
                    }
                    _ => format!(
                        "build into a folder inside it instead (`{instead}` or `output_dir` in site.toml), and serve that folder"
                    ),
                };
                Diagnostic::file(out, message).with_help(help)
            }
            LocationError::ContainsSite { out, from }
            | LocationError::InsideSite { out, from, .. }
            | LocationError::NotOurs { out, from } => match from {
                // The folder was named on the command line: site.toml is not to blame.
                OutputFrom::CommandLine => Diagnostic::file(out, message)
                    .with_help("choose another output folder with `--out DIR`"),
                OutputFrom::SiteToml => Diagnostic::file(crate::config::SITE_FILE, message)
                    .with_help(
                        "choose another output folder with `output_dir` in site.toml (or `--out DIR`)",
                    ),
            },
        }
    }
}

/// Checks that `out` (named by `from`) may be written and replaced: never the site root,
/// `content/`, `templates/`, `static/`, anything inside those, or a folder above the site.
pub fn check_location(root: &Path, out: &Path, from: OutputFrom) -> Result<PathBuf, LocationError> {
    let root = resolve(root);
    let out = resolve(out);
    if root.starts_with(&out) {
        return Err(LocationError::ContainsSite { out, from });
    }
    for folder in ["content", "templates", "static"] {
        if out.starts_with(root.join(folder)) {
            return Err(LocationError::InsideSite { out, folder, from });
        }
    }
    if is_mount_point(&out) {
        return Err(LocationError::MountPoint {
            out,
            from: Some(from),
        });
    }
    if out.exists() {
        let made_by_gloss = out.join(MARKER).exists();
        let empty = std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_none());
        if !out.is_dir() || !(made_by_gloss || empty) {
            return Err(LocationError::NotOurs { out, from });
        }
    }
    Ok(out)
}

/// Whether the folder `dir` is where another file system is mounted (its device differs from
/// its parent's). A bind mount of the same file system is found only when the swap fails.
fn is_mount_point(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let parent = dir.parent().unwrap_or(Path::new("/"));
        if let (Ok(d), Ok(p)) = (std::fs::symlink_metadata(dir), std::fs::metadata(parent)) {
            return d.is_dir() && d.dev() != p.dev();
        }
    }
    false
}

/// The error for a failed swap of the output `out`.
pub fn commit_error(out: &Path, e: std::io::Error) -> Diagnostic {
    #[cfg(target_os = "linux")]
    if e.raw_os_error() == Some(rustix::io::Errno::BUSY.raw_os_error()) {
        return LocationError::MountPoint {
            out: out.to_path_buf(),
            from: None,
        }
        .into();
    }
    OutputError::write(out, e).into()
}

/// A new output being written next to the final folder, swapped in by [`Staging::commit`].
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
    /// Held while this build runs, so that another build can tell its folder from a killed
    /// build's leftovers.
    _lock: Option<std::fs::File>,
    /// Where the output before last is kept between builds (see [`Staging::take_spare`]).
    spare: Option<PathBuf>,
    /// Whether the staging folder holds the spare (then it is no empty folder).
    from_spare: bool,
}

/// Locks the folder `dir` for as long as the returned file is open; none where the system
/// cannot lock folders (then leftovers are recognized by their age alone).
fn lock(dir: &Path) -> Option<std::fs::File> {
    let file = std::fs::File::open(dir).ok()?;
    file.try_lock().ok()?;
    Some(file)
}

impl Staging {
    /// Starts a build for `target`, in a hidden folder beside it (same file system, so the
    /// final rename is atomic).
    pub fn new(target: &Path) -> std::io::Result<Staging> {
        let parent = target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        recover(target, parent);
        let dir = tempfile::Builder::new()
            .prefix(".gloss-build-")
            .tempdir_in(parent)?;
        Ok(Staging {
            _lock: lock(dir.path()),
            dir,
            target: target.to_path_buf(),
            spare: None,
            from_spare: false,
        })
    }

    /// Where files go.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Makes the staging folder the spare at `spare`: the output as it was before the last
    /// change, which the commit of an update swapped out and kept (its unchanged files are the
    /// same files as the output's, hard links). An update then changes only what differs
    /// (see [`assemble`]) instead of linking every file into an empty folder. The spare is
    /// taken with one rename, so two builds never share it; a build killed while changing it
    /// leaves a staging folder, which the next build removes, and the output untouched.
    /// Returns whether the spare was taken; without one, the folder stays empty.
    pub fn take_spare(&mut self, spare: &Path) -> bool {
        self.spare = Some(spare.to_path_buf());
        // A rename replaces an empty folder.
        if std::fs::rename(spare, self.dir.path()).is_err() {
            return false;
        }
        // The lock was on the empty folder just replaced.
        self._lock = lock(self.dir.path());
        self.from_spare = true;
        true
    }

    /// Deletes the output this commit swaps out instead of keeping it as the spare: when most
    /// files changed (a new theme), the spare would hold a second copy of the site.
    pub fn no_spare(&mut self) {
        self.spare = None;
    }

    /// Gives the spare back when the build needs no new output (nothing changed).
    pub fn give_back(self) {
        if let (true, Some(spare)) = (self.from_spare, &self.spare) {
            let _ = std::fs::remove_dir(self.dir.path().join(super::reuse::CHANGED_DIR));
            let dir = self.dir.keep();
            if std::fs::rename(&dir, spare).is_err() {
                remove_tree(&dir);
            }
        }
    }

    /// After the swap, `old` (the output swapped out) becomes the spare when one is wanted;
    /// else it is deleted.
    fn retire(spare: Option<&Path>, old: &Path) {
        if let Some(spare) = spare {
            if spare.exists() {
                remove_tree(spare);
            }
            if let Some(parent) = spare.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            if std::fs::rename(old, spare).is_ok() {
                return;
            }
        }
        remove_tree(old);
    }

    /// Puts the new output in place of the old one: in one exchange of the two folders where
    /// the system can (Linux), so that the output folder is there at every moment; elsewhere
    /// the old one is moved aside first, and put back by the next build if this one is killed
    /// between the two renames. The old output is deleted only once the new one is in place.
    pub fn commit(self) -> std::io::Result<()> {
        std::fs::write(self.dir.path().join(MARKER), "built by gloss\n")?;
        let spare = self.spare.clone();
        let staged = self.dir.keep();
        if self.target.exists() {
            match exchange(&staged, &self.target) {
                Ok(true) => {
                    // `staged` now holds the old output.
                    Staging::retire(spare.as_deref(), &staged);
                    return Ok(());
                }
                Ok(false) => {}
                Err(e) => {
                    let _ = std::fs::remove_dir_all(&staged);
                    return Err(e);
                }
            }
            let parent = self.target.parent().unwrap_or(Path::new("."));
            // On a full disk even this folder may not be made: then the whole new output
            // must not stay behind, taking the room.
            let aside = match tempfile::Builder::new()
                .prefix(".gloss-old-")
                .tempdir_in(parent)
            {
                Ok(aside) => aside.keep(),
                Err(e) => {
                    let _ = std::fs::remove_dir_all(&staged);
                    return Err(e);
                }
            };
            let _aside_lock = lock(&aside);
            let old = aside.join("out");
            if let Err(e) = std::fs::rename(&self.target, &old) {
                let _ = std::fs::remove_dir_all(&staged);
                let _ = std::fs::remove_dir_all(&aside);
                return Err(e);
            }
            if let Err(e) = std::fs::rename(&staged, &self.target) {
                let _ = std::fs::rename(&old, &self.target);
                let _ = std::fs::remove_dir_all(&staged);
                let _ = std::fs::remove_dir_all(&aside);
                return Err(e);
            }
            remove_tree(&aside);
        } else if let Err(e) = std::fs::rename(&staged, &self.target) {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e);
        }
        Ok(())
    }
}

/// Swaps the folders `a` and `b` in one step; `false` where this system or file system
/// cannot, so that the caller renames twice instead.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // Not supported by the kernel (before 3.15) or the file system (some network ones).
        Err(e)
            if [
                rustix::io::Errno::INVAL,
                rustix::io::Errno::NOSYS,
                rustix::io::Errno::NOTSUP,
            ]
            .contains(&e) =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Deletes the folder `dir` and everything in it, many subfolders at once. Deleting the old
/// output is waiting, not work: each removed folder waits for the file system's journal (and,
/// on disks mounted with `discard`, for the freed blocks to be trimmed), so a dozen threads
/// finish in a fraction of the time one takes.
pub fn remove_tree(dir: &Path) {
    const THREADS: usize = 16;
    let mut subtrees = Vec::new();
    if let Ok(top) = std::fs::read_dir(dir) {
        for entry in top.filter_map(Result::ok) {
            let path = entry.path();
            match std::fs::read_dir(&path) {
                Ok(inner) if entry.file_type().is_ok_and(|t| t.is_dir()) => {
                    subtrees.extend(inner.filter_map(Result::ok).map(|e| e.path()));
                }
                _ => subtrees.push(path),
            }
        }
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..THREADS.min(subtrees.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(path) = subtrees.get(i) else { break };
                    let _ = match std::fs::symlink_metadata(path) {
                        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
                        _ => std::fs::remove_file(path),
                    };
                }
            });
        }
    });
    let _ = std::fs::remove_dir_all(dir);
}

/// How old a leftover staging folder must be before a new build removes it, where folders
/// cannot be locked: younger ones may belong to a build that is still running.
const STALE: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Cleans up after a build that was killed: puts back an output that was moved aside but not
/// replaced (a kill between the two renames of [`Staging::commit`]), and removes the staging
/// folders of builds that are no longer running: at once when no build holds its lock, by
/// age where folders cannot be locked.
fn recover(target: &Path, parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let old = name.starts_with(".gloss-old-");
        if !old && !name.starts_with(".gloss-build-") {
            continue;
        }
        let path = entry.path();
        let owner_gone = match std::fs::File::open(&path).map(|f| (f.try_lock(), f)) {
            Ok((Ok(()), _)) => true,
            Ok((Err(std::fs::TryLockError::WouldBlock), _)) => false,
            _ => entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE)),
        };
        if !owner_gone {
            continue;
        }
        let aside = path.join("out");
        if old && !target.exists() && aside.join(MARKER).exists() {
            let _ = std::fs::rename(&aside, target);
        }
        remove_tree(&path);
    }
}

/// Builds the new output in `dir`, the staging folder, for [`Staging::commit`]: each file
/// of `kept` (`/`-separated paths, with the inode the old output holds it in) linked from
/// the old output `old` (copied where links cannot be made), each new or changed file of
/// `moves` moved from where the writer staged it. Links cost no data, so the old output,
/// kept or deleted after the swap, takes almost no room; the output is replaced in one
/// rename, never left half old and half new.
///
/// `present` is what `dir` holds ([`list`]). When `dir` is the spare (the output before
/// last, see [`Staging::take_spare`]), only what differs is changed: a file it holds as the
/// very inode the old output keeps is the same bytes and stays; any other file (changed
/// since, removed, left by hand) goes. An edit at 10,000 articles then links a few dozen
/// files, not 108,000. Returns the stamps of the new output's folders, for its manifest:
/// those `present` found, the ones changed here stamped again.
pub fn assemble(
    dir: &Path,
    old: &Path,
    kept: &[(&str, u64)],
    moves: &[(String, String)],
    mut present: Listing,
) -> std::io::Result<Folders> {
    use rayon::prelude::*;
    let changed = dir.join(super::reuse::CHANGED_DIR);
    let wanted: rustc_hash::FxHashMap<&str, u64> = kept.iter().copied().collect();
    let moved: rustc_hash::FxHashSet<&str> = moves.iter().map(|(_, r)| r.as_str()).collect();
    // What the spare holds that the new output does not, or holds otherwise.
    let remove: Vec<&String> = present
        .files
        .iter()
        .filter(|(rel, ino)| {
            moved.contains(rel.as_str()) || wanted.get(rel.as_str()).is_none_or(|w| w != ino)
        })
        .map(|(rel, _)| rel)
        .collect();
    // Every folder whose entries this changes (and those above it, which it may create).
    remove
        .par_iter()
        .try_for_each(|rel| match std::fs::remove_file(dir.join(rel)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        })?;
    // Folders emptied by that (a deleted article's) go, as a build from nothing has none.
    for rel in &remove {
        for (i, _) in rel.rmatch_indices('/') {
            if std::fs::remove_dir(dir.join(&rel[..i])).is_err() {
                break;
            }
        }
    }
    let have: rustc_hash::FxHashSet<&str> = present
        .files
        .iter()
        .filter(|(rel, ino)| wanted.get(rel.as_str()) == Some(ino) && !moved.contains(rel.as_str()))
        .map(|(rel, _)| rel.as_str())
        .collect();
    let place = |rel: &str| -> std::io::Result<PathBuf> {
        let to = dir.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(to)
    };
    let link: Vec<&str> = kept
        .iter()
        .map(|(rel, _)| *rel)
        .filter(|rel| !have.contains(rel))
        .collect();
    link.par_iter().try_for_each(|rel| {
        let (from, to) = (old.join(rel), place(rel)?);
        std::fs::hard_link(&from, &to).or_else(|_| std::fs::copy(&from, &to).map(|_| ()))
    })?;
    moves
        .par_iter()
        .try_for_each(|(name, rel)| std::fs::rename(changed.join(name), place(rel)?))?;
    match std::fs::remove_dir(&changed) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }?;
    // Every folder whose entries this changed (and those above it, which it may have made).
    let mut touched: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let changed_files = remove.iter().map(|r| r.as_str());
    for rel in changed_files
        .chain(link)
        .chain(moves.iter().map(|(_, r)| r.as_str()))
    {
        for (i, _) in rel.rmatch_indices('/') {
            if !touched.insert(&rel[..i]) {
                break;
            }
        }
    }
    let restamped: Vec<(&str, Option<DirStamp>)> = touched
        .par_iter()
        .map(|rel| (*rel, stamp_of(&dir.join(rel))))
        .collect();
    for (rel, stamp) in restamped {
        match stamp {
            Some(s) => present.folders.insert(rel.to_string(), s),
            None => present.folders.remove(rel),
        };
    }
    Ok(present.into_folders())
}

/// What an output tree holds: each file (`/`-separated, but the marker and the writer's
/// staged files) with its inode, and each folder below the top with its stamp.
#[derive(Debug, Default)]
pub struct Listing {
    /// Every file with its inode.
    pub files: Vec<(String, u64)>,
    /// Every folder below the top, stamped before its entries were read.
    pub folders: rustc_hash::FxHashMap<String, DirStamp>,
    /// When the first stamp was taken.
    pub taken_ns: i128,
    /// The top folder's inode.
    pub root_ino: u64,
    /// Whether the folders' stamps in `recorded` were of this tree and used.
    pub recorded: bool,
}

impl Listing {
    /// The stamps of the tree's folders, for its manifest.
    pub fn into_folders(self) -> Folders {
        Folders {
            root_ino: self.root_ino,
            taken_ns: self.taken_ns,
            stamps: self.folders,
        }
    }
}

/// The stamp of the folder at `path`; none if it is no folder (or gone).
fn stamp_of(path: &Path) -> Option<DirStamp> {
    std::fs::symlink_metadata(path)
        .ok()
        .and_then(|m| DirStamp::of(&m))
}

/// What the tree at `dir` holds. Where `recorded`, the manifest of the build that left the
/// tree, stamped its folders, a folder whose stamp still proves its entries unchanged is
/// not read: its files are the manifest's (a file changed in place keeps its entry, and
/// its stamp in the manifest is what tells). Every other folder, the top, and every folder
/// the record does not know are read. With `prune`, empty folders met are removed.
pub fn list(dir: &Path, recorded: Option<&Manifest>, prune: bool) -> Listing {
    use rayon::prelude::*;
    let taken_ns = super::reuse::now_ns();
    let top_ino = std::fs::symlink_metadata(dir).map_or(0, |m| super::reuse::inode(&m));
    let record = recorded
        .and_then(|m| m.folders.as_ref().map(|f| (m, f)))
        .filter(|(_, f)| f.root_ino != 0 && f.root_ino == top_ino);
    let Some((manifest, folders)) = record else {
        // Each folder at the top read in parallel with the others.
        let top: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|name| name != super::reuse::CHANGED_DIR)
                    .collect()
            })
            .unwrap_or_default();
        let rels: Vec<&str> = std::iter::once("")
            .chain(top.iter().map(String::as_str))
            .collect();
        let mut listing = read_folders(dir, &rels, &|rel| !rel.contains('/'), prune);
        listing.taken_ns = taken_ns;
        listing.root_ino = top_ino;
        return listing;
    };
    let recorded: Vec<(&String, &DirStamp)> = folders.stamps.iter().collect();
    let stamped: Vec<(&String, &DirStamp, Option<DirStamp>)> = recorded
        .par_iter()
        .map(|&(rel, was)| (rel, was, stamp_of(&dir.join(rel))))
        .collect();
    let mut unchanged: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let mut read: Vec<&str> = vec![""];
    let mut stamps = rustc_hash::FxHashMap::default();
    for (rel, was, now) in stamped {
        // A folder gone is missing from its parent's entries, whose stamp changed.
        let Some(now) = now else { continue };
        if was.proves(&now, folders.taken_ns) {
            unchanged.insert(rel.as_str());
            stamps.insert(rel.clone(), now);
        } else {
            read.push(rel.as_str());
        }
    }
    let known = |rel: &str| folders.stamps.contains_key(rel);
    let mut listing = read_folders(dir, &read, &known, prune);
    listing.files.extend(
        manifest
            .stamps()
            .filter(|(rel, _)| unchanged.contains(rel.rsplit_once('/').map_or("", |(p, _)| p)))
            .map(|(rel, s)| (rel.to_string(), s.ino)),
    );
    listing.folders.extend(stamps);
    listing.taken_ns = taken_ns;
    listing.root_ino = top_ino;
    listing.recorded = true;
    listing
}

/// Reads the folders `rels` of the tree at `dir` (`""` the top), in parallel: their files,
/// and the whole of each subfolder `known` does not name, each folder stamped before it is
/// read.
fn read_folders(
    dir: &Path,
    rels: &[&str],
    known: &(dyn Fn(&str) -> bool + Sync),
    prune: bool,
) -> Listing {
    use rayon::prelude::*;
    fn read(
        path: &Path,
        prefix: &str,
        known: &(dyn Fn(&str) -> bool + Sync),
        prune: bool,
        out: &mut Listing,
    ) {
        let stamp = stamp_of(path);
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        let mut any = false;
        for e in entries.filter_map(Result::ok) {
            any = true;
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                if name == MARKER || name == super::reuse::CHANGED_DIR {
                    continue;
                }
                name
            } else {
                format!("{prefix}/{name}")
            };
            match e.file_type() {
                Ok(t) if t.is_dir() => {
                    if !known(&rel) {
                        read(&e.path(), &rel, &|_| false, prune, out);
                    }
                }
                _ => out.files.push((rel, dir_entry_inode(&e))),
            }
        }
        if prefix.is_empty() {
            return;
        }
        if !any && prune && std::fs::remove_dir(path).is_ok() {
            return;
        }
        if let Some(stamp) = stamp {
            out.folders.insert(prefix.to_string(), stamp);
        }
    }
    let parts: Vec<Listing> = rels
        .par_iter()
        .map(|rel| {
            let mut out = Listing::default();
            read(&dir.join(rel), rel, known, prune, &mut out);
            out
        })
        .collect();
    let mut all = Listing::default();
    for part in parts {
        all.files.extend(part.files);
        all.folders.extend(part.folders);
    }
    all
}
#[cfg(unix)]
fn dir_entry_inode(e: &std::fs::DirEntry) -> u64 {
    std::os::unix::fs::DirEntryExt::ino(e)
}

/// Without inodes, no file of the spare is known to be the old output's: all are replaced.
#[cfg(not(unix))]
fn dir_entry_inode(_: &std::fs::DirEntry) -> u64 {
    u64::MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `bytes` to `dir/rel` as `gloss serve` replaces a file.
    fn write(dir: &Path, rel: &Path, bytes: &[u8]) -> std::io::Result<()> {
        use crate::build::sink::{InPlace, Output};
        InPlace::new(dir).write(rel, bytes).map(|_| ())
    }

    #[test]
    fn refuses_root_ancestors_and_protected_folders() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        for bad in [".", "..", "content", "content/x", "templates", "static/out"] {
            assert!(
                check_location(root, &root.join(bad), OutputFrom::SiteToml).is_err(),
                "{bad}"
            );
        }
        assert!(check_location(root, &root.join("public"), OutputFrom::SiteToml).is_ok());
        assert!(
            check_location(root, &root.join("content/../public"), OutputFrom::SiteToml).is_ok()
        );
    }

    #[test]
    fn refuses_a_foreign_folder() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("docs");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let e = check_location(site.path(), &out, OutputFrom::SiteToml).unwrap_err();
        assert!(matches!(e, LocationError::NotOurs { .. }), "{e:?}");
    }

    #[test]
    fn an_output_moved_aside_by_a_killed_build_is_put_back() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let aside = site.path().join(".gloss-old-x/out");
        std::fs::create_dir_all(&aside).unwrap();
        std::fs::write(aside.join(MARKER), "").unwrap();
        std::fs::write(aside.join("index.html"), "old").unwrap();
        let staging = Staging::new(&out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        drop(staging);
    }

    #[test]
    fn leftovers_of_dead_builds_are_removed_at_once_and_a_running_builds_kept() {
        let site = tempfile::tempdir().unwrap();
        let dead = site.path().join(".gloss-build-dead");
        let dead_old = site.path().join(".gloss-old-dead");
        let running = site.path().join(".gloss-build-running");
        for d in [&dead, &dead_old, &running] {
            std::fs::create_dir_all(d.join("a")).unwrap();
            std::fs::write(d.join("a/index.html"), "x").unwrap();
        }
        // What a build that is still running holds (its lock dies with its process).
        let _held = lock(&running).unwrap();
        let _staging = Staging::new(&site.path().join("public")).unwrap();
        assert!(!dead.exists());
        assert!(!dead_old.exists());
        assert!(running.join("a/index.html").exists());
    }

    #[test]
    fn a_build_holds_its_staging_folder() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let first = Staging::new(&out).unwrap();
        std::fs::write(first.path().join("x"), "x").unwrap();
        // A second build at the same time leaves the first one's folder alone.
        let second = Staging::new(&out).unwrap();
        assert!(first.path().join("x").exists());
        drop(second);
        first.commit().unwrap();
        assert!(out.join("x").exists());
    }

    #[test]
    fn the_output_folder_is_there_at_every_moment_of_a_commit() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let staging = Staging::new(&out).unwrap();
        write(staging.path(), Path::new("index.html"), b"0").unwrap();
        staging.commit().unwrap();
        let done = std::sync::atomic::AtomicBool::new(false);
        let missing = std::thread::scope(|s| {
            let watcher = s.spawn(|| {
                let mut missing = 0;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    if std::fs::symlink_metadata(&out).is_err() {
                        missing += 1;
                    }
                }
                missing
            });
            for round in 1..300 {
                let staging = Staging::new(&out).unwrap();
                write(
                    staging.path(),
                    Path::new("index.html"),
                    round.to_string().as_bytes(),
                )
                .unwrap();
                staging.commit().unwrap();
            }
            done.store(true, std::sync::atomic::Ordering::Relaxed);
            watcher.join().unwrap()
        });
        // Where the system cannot exchange two folders, the moment between two renames stays.
        if cfg!(target_os = "linux") {
            assert_eq!(missing, 0, "public/ was missing {missing} times");
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "299"
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_update_over_the_spare_keeps_only_the_old_outputs_own_files() {
        use std::os::unix::fs::MetadataExt;
        let site = tempfile::tempdir().unwrap();
        let (old, dir) = (site.path().join("old"), site.path().join("spare"));
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        for (rel, text) in [("a.html", "A"), ("b/index.html", "B"), ("f.html", "F")] {
            std::fs::create_dir_all(old.join(rel).parent().unwrap()).unwrap();
            std::fs::write(old.join(rel), text).unwrap();
        }
        // The spare: one file the very old output's, one an older version, one edited by
        // hand in place of a link, a stray, a deleted article and an empty folder.
        for d in ["b", "c", "e", crate::build::reuse::CHANGED_DIR] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        std::fs::hard_link(old.join("a.html"), dir.join("a.html")).unwrap();
        std::fs::write(dir.join("b/index.html"), "B, before").unwrap();
        std::fs::write(dir.join("f.html"), "F").unwrap();
        std::fs::write(dir.join("stray.txt"), "?").unwrap();
        std::fs::write(dir.join("c/index.html"), "C").unwrap();
        std::fs::write(dir.join(crate::build::reuse::CHANGED_DIR).join("0"), "N").unwrap();
        let a = ino(&dir.join("a.html"));
        let kept: Vec<(&str, u64)> = ["a.html", "b/index.html", "f.html"]
            .into_iter()
            .map(|rel| (rel, ino(&old.join(rel))))
            .collect();
        let present = list(&dir, None, true);
        assemble(
            &dir,
            &old,
            &kept,
            &[("0".into(), "n/index.html".into())],
            present,
        )
        .unwrap();
        assert_eq!(
            ino(&dir.join("a.html")),
            a,
            "the old output's own file stays"
        );
        for rel in ["b/index.html", "f.html"] {
            assert_eq!(ino(&dir.join(rel)), ino(&old.join(rel)), "{rel} is linked");
        }
        let mut files: Vec<String> = walkdir::WalkDir::new(&dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                crate::build::reuse::key(e.path().strip_prefix(&dir).unwrap())
            })
            .collect();
        files.sort();
        assert_eq!(
            files,
            ["a.html", "b", "b/index.html", "f.html", "n", "n/index.html"]
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("n/index.html")).unwrap(),
            "N"
        );
    }

    #[test]
    fn a_folder_unchanged_since_its_stamp_is_not_read_and_a_changed_one_is() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        for d in ["x", "y"] {
            std::fs::create_dir_all(out.join(d)).unwrap();
        }
        for f in [MARKER, "a.html", "x/y.txt", "y/z.txt"] {
            std::fs::write(out.join(f), "").unwrap();
        }
        let mut first = list(&out, None, false);
        first.files.sort();
        let names = |l: &Listing| l.files.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>();
        assert_eq!(names(&first), ["a.html", "x/y.txt", "y/z.txt"]);
        assert!(!first.recorded);
        // A record that says `x` holds a file it does not: a folder whose stamp proves it
        // unchanged is taken from the record, so the file is listed, unread.
        std::thread::sleep(std::time::Duration::from_millis(250));
        let mut files: Vec<&str> = first.files.iter().map(|(r, _)| r.as_str()).collect();
        files.push("x/recorded.txt");
        let top = std::fs::symlink_metadata(&out).map(|m| super::super::reuse::inode(&m));
        let manifest = Manifest::of_files(&out, &files).with_folders(Folders {
            root_ino: top.unwrap(),
            taken_ns: super::super::reuse::now_ns(),
            stamps: first.folders.clone().into_iter().collect(),
        });
        let mut again = list(&out, Some(&manifest), false);
        again.files.sort();
        assert!(again.recorded);
        assert_eq!(
            names(&again),
            ["a.html", "x/recorded.txt", "x/y.txt", "y/z.txt"]
        );
        // A file added to `y` changes its stamp: `y` is read, `x` still is not.
        std::fs::write(out.join("y/stray.txt"), "").unwrap();
        let mut third = list(&out, Some(&manifest), false);
        third.files.sort();
        assert_eq!(
            names(&third),
            [
                "a.html",
                "x/recorded.txt",
                "x/y.txt",
                "y/stray.txt",
                "y/z.txt"
            ]
        );
    }

    #[test]
    fn commit_replaces_the_old_output() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        for round in ["one", "two"] {
            let staging = Staging::new(&out).unwrap();
            write(staging.path(), Path::new("a/index.html"), round.as_bytes()).unwrap();
            staging.commit().unwrap();
            assert_eq!(
                std::fs::read_to_string(out.join("a/index.html")).unwrap(),
                round
            );
        }
        let leftovers: Vec<_> = std::fs::read_dir(site.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only public/ remains");
    }
}
