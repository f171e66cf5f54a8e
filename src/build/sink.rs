//! Where a pipeline's files go. `build` stages a whole output beside the old one and swaps
//! it in ([`super::reuse::Writer`]); `serve` replaces files in the folder it serves, each in
//! one rename ([`InPlace`]); `check` keeps pages in memory to read their ids back and writes
//! nothing at all ([`Memory`]). The pipeline writes through [`Output`] alone, so all three
//! make the same files from the same code.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::reuse::{Claims, Collision, Owner, collisions_in, key, replace_file};

/// An output the pipeline writes its files into.
pub trait Output: Sync {
    /// Writes `bytes` from `owner` to `rel` (below the output root); returns their hash.
    /// Nothing is written when the place is content's and another's (see
    /// [`Output::collisions`]).
    fn write_as(&self, owner: &Owner, rel: &Path, bytes: &[u8]) -> std::io::Result<u128>;

    /// Writes `bytes`, a file gloss generates, to `rel`.
    fn write(&self, rel: &Path, bytes: &[u8]) -> std::io::Result<u128> {
        self.write_as(&Owner::Generated, rel, bytes)
    }

    /// Keeps every one of `files` (path and the hash of the bytes it must hold) as the
    /// previous output has it, or none (false). Only a staged update has a previous output.
    fn keep_all(&self, _owner: &Owner, _files: &[(PathBuf, u128)]) -> bool {
        false
    }

    /// Takes `rel` for `owner` without writing it (a file `check` need not copy to know that
    /// it will be there).
    fn reserve(&self, owner: &Owner, rel: &Path);

    /// The text the output holds at `rel`, if it is a page written or kept (to read its ids).
    fn read(&self, rel: &Path) -> Option<String>;

    /// Every file of the output so far, `/`-separated.
    fn files(&self) -> Vec<String>;

    /// Every place content wanted that was already taken, or that content had taken before
    /// another wanted it, in the order met.
    fn collisions(&self) -> Vec<Collision>;
}

/// Files replaced in a folder while it is served: each is written beside its place and
/// renamed over the old one, so that a reader gets the old file or the new one, never a
/// missing or half-written one. Places are not claimed: a full build already found the
/// site's collisions, and a change that could make one is a full build.
pub struct InPlace<'a> {
    dir: &'a Path,
    written: Mutex<Vec<String>>,
}

impl<'a> InPlace<'a> {
    /// Replaces files in `dir`.
    pub fn new(dir: &'a Path) -> Self {
        InPlace {
            dir,
            written: Mutex::new(Vec::new()),
        }
    }
}

impl Output for InPlace<'_> {
    fn write_as(&self, _owner: &Owner, rel: &Path, bytes: &[u8]) -> std::io::Result<u128> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        replace_file(&path, bytes)?;
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(key(rel));
        Ok(xxhash_rust::xxh3::xxh3_128(bytes))
    }

    fn reserve(&self, _owner: &Owner, _rel: &Path) {}

    fn read(&self, rel: &Path) -> Option<String> {
        std::fs::read_to_string(self.dir.join(rel)).ok()
    }

    fn files(&self) -> Vec<String> {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn collisions(&self) -> Vec<Collision> {
        Vec::new()
    }
}

/// An output in memory, for `gloss check`: pages are kept as text (their ids are read back),
/// other files only by name. Places are claimed as in a build, so collisions are found.
#[derive(Default)]
pub struct Memory {
    files: Mutex<BTreeMap<String, Option<String>>>,
    claims: Mutex<Claims>,
}

impl Memory {
    fn claim(&self, key: &str, owner: &Owner) -> bool {
        self.claims
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .claim(key, owner)
    }
}

impl Output for Memory {
    fn write_as(&self, owner: &Owner, rel: &Path, bytes: &[u8]) -> std::io::Result<u128> {
        let key = key(rel);
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        if self.claim(&key, owner) {
            let text = key
                .ends_with(".html")
                .then(|| String::from_utf8_lossy(bytes).into_owned());
            self.files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key, text);
        }
        Ok(hash)
    }

    fn reserve(&self, owner: &Owner, rel: &Path) {
        let key = key(rel);
        if self.claim(&key, owner) {
            self.files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(key)
                .or_insert(None);
        }
    }

    fn read(&self, rel: &Path) -> Option<String> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.get(&key(rel)).cloned().flatten()
    }

    fn files(&self) -> Vec<String> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.keys().cloned().collect()
    }

    fn collisions(&self) -> Vec<Collision> {
        collisions_in(&self.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_keeps_pages_as_text_and_finds_collisions() {
        let out = Memory::default();
        out.write(Path::new("a/index.html"), b"<p id=\"x\">")
            .unwrap();
        out.write(Path::new("feed.xml"), b"<feed/>").unwrap();
        let article = Owner::Content(PathBuf::from("content/feed.xml.md"));
        out.write_as(&article, Path::new("feed.xml"), b"other")
            .unwrap();
        assert_eq!(out.read(Path::new("a/index.html")).unwrap(), "<p id=\"x\">");
        assert_eq!(
            out.read(Path::new("feed.xml")),
            None,
            "only pages are kept as text"
        );
        assert_eq!(out.files(), ["a/index.html", "feed.xml"]);
        assert_eq!(out.collisions().len(), 1);
    }
}
