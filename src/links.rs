//! Links to other articles as a writer writes them: to the article's file (`../other.md`,
//! `other/index.md` for a bundle, Zola's `@/2026/other.md` from `content/`). They are turned
//! into the page's URL when rendered, and `build` and `check` report those that lead nowhere.
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Tag};

use crate::content::{CONTENT_DIR, url_path_for};

/// A link to an article's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLink {
    /// The file, relative to the site root (`content/2026/other.md`); `None` when the link
    /// climbs out of `content/`.
    pub file: Option<PathBuf>,
    /// `?query` and `#fragment`, as written.
    pub rest: String,
}

/// `href`, written in the article file `from` (relative to the site root), as a link to an
/// article's file; `None` when it is another kind of link.
pub fn source_link(from: &Path, href: &str) -> Option<SourceLink> {
    let href = href.trim();
    if href.is_empty() || crate::check::is_external(href) {
        return None;
    }
    let cut = href.find(['?', '#']).unwrap_or(href.len());
    let (path, rest) = href.split_at(cut);
    let path = crate::check::percent_decode(path);
    let joined = match path.strip_prefix("@/") {
        Some(inner) => format!("{CONTENT_DIR}/{inner}"),
        None if path.ends_with(".md") && !path.starts_with('/') => {
            let dir = from.parent().unwrap_or(Path::new(""));
            format!("{}/{path}", slashed(dir))
        }
        None => return None,
    };
    let file = crate::check::normalize(&joined)
        .filter(|f| f.starts_with(&format!("{CONTENT_DIR}/")))
        .map(PathBuf::from);
    Some(SourceLink {
        file,
        rest: rest.to_string(),
    })
}

/// The address of `link`'s page from a page whose way to the site root is `root` (`../../`).
pub fn page_href(link: &SourceLink, root: &str) -> Option<String> {
    let page = url_path_for(link.file.as_deref()?);
    let href = format!("{root}{page}");
    Some(if href.is_empty() {
        format!("./{}", link.rest)
    } else {
        format!("{href}{}", link.rest)
    })
}

/// Points every link to an article's file in `events` (markdown of the article file `from`,
/// shown on a page whose way to the site root is `root`) at the article's page.
pub fn rewrite(events: &mut [Event<'_>], from: &Path, root: &str) {
    for event in events {
        if let Event::Start(Tag::Link { dest_url, .. }) = event
            && let Some(href) = source_link(from, dest_url).and_then(|l| page_href(&l, root))
        {
            *dest_url = href.into();
        }
    }
}

/// Whether markdown `md` may hold links to article files (a quick test, for skipping work).
pub fn has_file_links(md: &str) -> bool {
    md.contains(".md") || md.contains("@/")
}

/// How the article file `from` links the file `to` (both relative to the site root):
/// `../other.md`.
pub fn file_link(from: &Path, to: &str) -> String {
    let from_dir: Vec<String> = from
        .parent()
        .unwrap_or(Path::new(""))
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let to: Vec<&str> = to.split('/').collect();
    let (dirs, name) = to.split_at(to.len().saturating_sub(1));
    let common = from_dir
        .iter()
        .zip(dirs)
        .take_while(|(a, b)| a.as_str() == **b)
        .count();
    let mut out = "../".repeat(from_dir.len() - common);
    for d in &dirs[common..] {
        out.push_str(d);
        out.push('/');
    }
    out.push_str(name.first().copied().unwrap_or_default());
    out
}

/// Whether `url`, which has no scheme, begins with what looks like a host name
/// (`transit.example.gov/…`, `www.example.org`) rather than a file (`report.pdf`).
pub fn looks_like_host(url: &str) -> bool {
    let url = url.trim();
    let host = url.split(['/', '?', '#']).next().unwrap_or("");
    // A scheme ends before the first `/`; a `://` further on belongs to the path (a web
    // archive's address holds the archived one: `web.archive.org/web/2019/https://…`).
    if host.contains(':') || url.starts_with(['/', '.', '#', '?']) {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let Some(tld) = labels.last() else {
        return false;
    };
    const FILES: &[&str] = &[
        "html", "htm", "pdf", "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "csv", "json",
        "xml", "txt", "md", "doc", "docx", "xls", "xlsx", "ods", "odt", "zip", "mp3", "mp4",
        "webm",
    ];
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && !FILES.contains(&tld.to_ascii_lowercase().as_str())
}

fn slashed(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(from: &str, href: &str, root: &str) -> Option<String> {
        page_href(&source_link(Path::new(from), href)?, root)
    }

    #[test]
    fn links_to_files_become_page_addresses() {
        let a = "content/2026/a.md";
        assert_eq!(page(a, "b.md", "../../").as_deref(), Some("../../2026/b/"));
        assert_eq!(
            page(a, "../b.md#x", "../../").as_deref(),
            Some("../../b/#x")
        );
        assert_eq!(
            page(a, "c/index.md", "../../").as_deref(),
            Some("../../2026/c/")
        );
        assert_eq!(page(a, "@/index.md", "").as_deref(), Some("./"));
        assert_eq!(
            page("content/2026/a/index.md", "@/2026/b.md?x#y", "../../").as_deref(),
            Some("../../2026/b/?x#y")
        );
        assert_eq!(page(a, "../b/", "../../"), None);
        assert_eq!(page(a, "https://x.org/a.md", "../../"), None);
        assert_eq!(
            source_link(Path::new(a), "../../../x.md").unwrap().file,
            None
        );
    }

    #[test]
    fn file_links_are_relative_to_the_linking_file() {
        let a = Path::new("content/2026/a.md");
        assert_eq!(file_link(a, "content/2026/b.md"), "b.md");
        assert_eq!(file_link(a, "content/t/index.md"), "../t/index.md");
        assert_eq!(
            file_link(Path::new("content/a.md"), "content/x/y.md"),
            "x/y.md"
        );
    }

    #[test]
    fn host_names_are_told_from_files() {
        assert!(looks_like_host("transit.example.gov/report"));
        assert!(looks_like_host("www.example.org"));
        assert!(looks_like_host("example.org"));
        assert!(!looks_like_host("report.pdf"));
        assert!(!looks_like_host("files/report.pdf"));
        assert!(!looks_like_host("../x/"));
        assert!(!looks_like_host("https://example.org"));
        assert!(!looks_like_host("v1.2/notes"));
        assert!(looks_like_host(
            "web.archive.org/web/2019/https://example.org/"
        ));
        assert!(!looks_like_host("mailto:a@example.org"));
    }
}
