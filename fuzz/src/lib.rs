//! What the `build_site` target and its regression test (tests/fuzz_regressions.rs, which
//! includes this file) share: how an input becomes a site, and what a build of it must do.
use std::collections::BTreeMap;
use std::path::Path;

/// Folders a file may go to: mostly content, nested, a bundle; rarely the theme or the root.
const FOLDERS: &[&str] = &[
    "content/",
    "content/",
    "content/2019/",
    "content/a/",
    "content/a/b/",
    "static/",
    "",
];
const EXTENSIONS: &[&str] = &[
    ".md",
    ".md",
    ".md",
    "/index.md",
    ".png",
    ".html",
    ".css",
    ".js",
    ".svg",
    "",
];

/// Reads an input front to back; past its end, every read gives zeros and empty text. (No
/// `arbitrary` crate, so that the test suite replaying these inputs needs nothing more.)
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        let (&b, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        b
    }

    fn choose<'l>(&mut self, from: &[&'l str]) -> &'l str {
        from[usize::from(self.byte()) % from.len()]
    }

    /// Up to 255 bytes, their length first.
    fn bytes(&mut self) -> Vec<u8> {
        let n = usize::from(self.byte()).min(self.0.len());
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        taken.to_vec()
    }

    fn text(&mut self) -> String {
        String::from_utf8_lossy(&self.bytes()).into_owned()
    }
}

/// The files of a site (path relative to its root, bytes).
pub fn site_from(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut input = Input(data);
    let mut files = Vec::new();
    let n = 1 + input.byte() % 4;
    for _ in 0..n {
        let folder = input.choose(FOLDERS);
        let mut name: String = input.text().chars().take(24).collect();
        // A NUL or an empty name cannot be created at all; `/` would make another folder.
        name.retain(|c| c != '\0' && c != '/');
        if name.is_empty() || name == "." || name == ".." {
            name.push('x');
        }
        let ext = input.choose(EXTENSIONS);
        let path = format!("{folder}{name}{ext}");
        let bytes = if ext.ends_with(".md") && input.byte() % 2 == 0 {
            // Mostly a valid article, so that the build goes past parsing.
            let title = input.text();
            let tags: Vec<String> = (0..input.byte() % 4).map(|_| input.text()).collect();
            let claim = input.text();
            let body = input.text();
            format!(
                "+++\ntitle = {title:?}\ndate = 2019-07-24\ntags = {tags:?}\n[[claim]]\ntext = {claim:?}\nverdict = \"true\"\n+++\n{body} {claim}\n"
            )
            .into_bytes()
        } else {
            input.bytes()
        };
        files.push((path, bytes));
    }
    files
}

/// Every file below `dir` and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<std::path::PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

/// Builds `files` as a site twice: no panic, no output from a failed build, the same output
/// from the second (incremental) build as from the first.
pub fn build_twice(files: &[(String, Vec<u8>)]) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("site.toml"),
        "title = \"T\"\nlanguage = \"de\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap();
    for (rel, bytes) in files {
        let path = root.join(rel);
        if std::fs::create_dir_all(path.parent().unwrap()).is_err() {
            continue;
        }
        // A name the file system refuses (too long, a folder already there) is no site.
        let _ = std::fs::write(&path, bytes);
    }
    let out = root.join("public");
    // The input may have put a file there itself.
    let existed = out.exists();
    let opts = gloss::build::BuildOptions::default();
    let first = gloss::build::build(root, &opts);
    if first.is_err() {
        assert!(
            existed || !out.exists(),
            "a failed build left {}",
            out.display()
        );
        return;
    }
    let built = snapshot(&out);
    let second = gloss::build::build(root, &opts);
    assert!(
        second.is_ok(),
        "the second build failed: {:?}",
        second.err()
    );
    assert!(
        built == snapshot(&out),
        "the second build changed the output"
    );
}
