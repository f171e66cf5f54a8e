//! The output folder: where it may be, and replacing it only when a build succeeded.
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

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

/// Checks that `out` may be written and replaced: never the site root, `content/`,
/// `templates/`, `static/`, anything inside those, or a folder above the site.
pub fn check_location(root: &Path, out: &Path) -> Result<PathBuf, Diagnostic> {
    let root = resolve(root);
    let out = resolve(out);
    let refuse = |why: String| {
        Diagnostic::file(crate::config::SITE_FILE, why)
            .with_help("choose another output folder with `--out DIR` or `output_dir` in site.toml")
    };
    if root.starts_with(&out) {
        return Err(refuse(format!(
            "the output folder {} would contain the site itself; building there would delete it",
            out.display()
        )));
    }
    for protected in ["content", "templates", "static"] {
        if out.starts_with(root.join(protected)) {
            return Err(refuse(format!(
                "the output folder {} lies inside the site's {protected}/ folder",
                out.display()
            )));
        }
    }
    if out.exists() {
        let made_by_gloss = out.join(MARKER).exists();
        let empty = std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_none());
        if !out.is_dir() || !(made_by_gloss || empty) {
            return Err(refuse(format!(
                "{} exists and was not made by gloss; gloss replaces its output folder and will not delete files it did not write",
                out.display()
            )));
        }
    }
    Ok(out)
}

/// A new output being written next to the final folder, swapped in by [`Staging::commit`].
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
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
            dir,
            target: target.to_path_buf(),
        })
    }

    /// Where files go.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Puts the new output in place of the old one. The old one is moved aside first and
    /// deleted only once the new one is in place.
    pub fn commit(self) -> std::io::Result<()> {
        std::fs::write(self.dir.path().join(MARKER), "built by gloss\n")?;
        let staged = self.dir.keep();
        if self.target.exists() {
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

/// How old a leftover staging folder must be before a new build removes it: younger ones may
/// belong to a build that is still running.
const STALE: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Cleans up after a build that was killed: puts back an output that was moved aside but not
/// replaced (a kill between the two renames of [`Staging::commit`]), and removes staging
/// folders left by killed builds once they are old enough not to belong to a running one.
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
        let aside = path.join("out");
        if old && !target.exists() && aside.join(MARKER).exists() {
            let _ = std::fs::rename(&aside, target);
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE));
        if stale {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Makes the staging folder `dir` of an update a whole new output, to be swapped in by
/// [`Staging::commit`]: each file of `kept` (`/`-separated paths) linked from the old output
/// `old` (copied where links cannot be made), each new or changed file of `moves` moved from
/// where the writer staged it. Links cost no data, so the old output, deleted after the swap,
/// frees almost nothing; the output is replaced in one rename, never left half old and half
/// new.
pub fn assemble(
    dir: &Path,
    old: &Path,
    kept: &[&str],
    moves: &[(String, String)],
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let changed = dir.join(super::reuse::CHANGED_DIR);
    let place = |rel: &str| -> std::io::Result<PathBuf> {
        let to = dir.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(to)
    };
    kept.par_iter().try_for_each(|rel| {
        let (from, to) = (old.join(rel), place(rel)?);
        std::fs::hard_link(&from, &to).or_else(|_| std::fs::copy(&from, &to).map(|_| ()))
    })?;
    moves
        .par_iter()
        .try_for_each(|(name, rel)| std::fs::rename(changed.join(name), place(rel)?))?;
    match std::fs::remove_dir(&changed) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Files in the output folder `out` that `wanted` does not name (`/`-separated paths), other
/// than gloss's marker: left by hand, or by a build whose manifest was lost. A build from
/// nothing would not have them.
pub fn strays(out: &Path, wanted: impl Fn(&str) -> bool + Sync) -> Vec<String> {
    use rayon::prelude::*;
    let Ok(top) = std::fs::read_dir(out) else {
        return Vec::new();
    };
    let top: Vec<PathBuf> = top.filter_map(Result::ok).map(|e| e.path()).collect();
    top.par_iter()
        .flat_map_iter(|path| {
            walkdir::WalkDir::new(path)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| !e.file_type().is_dir())
                .filter_map(|e| {
                    let rel = e.path().strip_prefix(out).ok()?;
                    let key = super::reuse::key(rel);
                    (key != MARKER && !wanted(&key)).then_some(key)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Writes `bytes` to `dir/rel`, creating folders on the way; a file already there is replaced
/// in one rename, so that a server reading it meanwhile never gets half of it.
pub fn write(dir: &Path, rel: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    super::reuse::replace_file(&path, bytes).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_root_ancestors_and_protected_folders() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        for bad in [".", "..", "content", "content/x", "templates", "static/out"] {
            assert!(check_location(root, &root.join(bad)).is_err(), "{bad}");
        }
        assert!(check_location(root, &root.join("public")).is_ok());
        assert!(check_location(root, &root.join("content/../public")).is_ok());
    }

    #[test]
    fn refuses_a_foreign_folder() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("docs");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let e = check_location(site.path(), &out).unwrap_err();
        assert!(e.message.contains("was not made by gloss"), "{}", e.message);
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
    fn stale_staging_folders_are_removed_and_fresh_ones_kept() {
        let site = tempfile::tempdir().unwrap();
        let stale = site.path().join(".gloss-build-stale");
        let fresh = site.path().join(".gloss-build-fresh");
        std::fs::create_dir_all(&stale).unwrap();
        std::fs::create_dir_all(&fresh).unwrap();
        let long_ago = std::time::SystemTime::now() - STALE * 2;
        std::fs::File::open(&stale)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        let _staging = Staging::new(&site.path().join("public")).unwrap();
        assert!(!stale.exists());
        assert!(fresh.exists());
    }

    #[test]
    fn strays_are_files_nobody_wrote() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        std::fs::create_dir_all(out.join("x")).unwrap();
        for f in [MARKER, "a.html", "x/y.txt"] {
            std::fs::write(out.join(f), "").unwrap();
        }
        assert_eq!(
            strays(&out, |rel| rel == "a.html"),
            vec!["x/y.txt".to_string()]
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
