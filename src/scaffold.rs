//! `gloss init` and `gloss new`: a new site, a new article, each ready to build as written.
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::config::{SITE_FILE, Site};
use crate::content::CONTENT_DIR;
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;

/// The files `init` and `new` start from, per language: the site settings, the example
/// article and its file name, and the template of a new article.
struct Scaffold {
    code: &'static str,
    site: &'static str,
    example: &'static str,
    example_name: &'static str,
    new: &'static str,
}

/// One entry per locale in [`crate::lang::FILES`] (a unit test holds them to it).
const SCAFFOLDS: &[Scaffold] = &[
    Scaffold {
        code: "de",
        site: include_str!("scaffold/site.de.toml"),
        example: include_str!("scaffold/example.de.md"),
        example_name: "beispiel.md",
        new: include_str!("scaffold/new.de.md"),
    },
    Scaffold {
        code: "en",
        site: include_str!("scaffold/site.en.toml"),
        example: include_str!("scaffold/example.en.md"),
        example_name: "example.md",
        new: include_str!("scaffold/new.en.md"),
    },
    Scaffold {
        code: "fr",
        site: include_str!("scaffold/site.fr.toml"),
        example: include_str!("scaffold/example.fr.md"),
        example_name: "exemple.md",
        new: include_str!("scaffold/new.fr.md"),
    },
    Scaffold {
        code: "es",
        site: include_str!("scaffold/site.es.toml"),
        example: include_str!("scaffold/example.es.md"),
        example_name: "ejemplo.md",
        new: include_str!("scaffold/new.es.md"),
    },
];

/// The scaffold of `lang`; English for a locale that has none yet.
fn scaffold(lang: Lang) -> &'static Scaffold {
    SCAFFOLDS
        .iter()
        .find(|s| s.code == lang.code())
        .unwrap_or(&SCAFFOLDS[1])
}

/// The language of `gloss init --lang TAG`: a language gloss has words for, else an error
/// that names those it has.
pub fn init_language(tag: &str) -> Result<Lang, Diagnostic> {
    crate::lang::page_language(tag)
        .map(|(_, lang)| lang)
        .map_err(|e| Diagnostic::file("--lang", e.message).with_help(e.help))
}

/// What `init` wrote, relative to the new site's folder.
#[derive(Debug)]
pub struct Created {
    /// The site's folder.
    pub root: PathBuf,
    /// The files written, relative to `root`.
    pub files: Vec<PathBuf>,
}

/// Creates a new site in `dir` (which must not exist, or be empty) in language `lang`.
pub fn init(dir: &Path, lang: Lang) -> Result<Created, Vec<Diagnostic>> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(vec![Diagnostic::file(dir, "exists and is not a folder")]);
        }
        let entries = std::fs::read_dir(dir).map_err(|e| {
            vec![Diagnostic::file(
                dir,
                format!("cannot read this folder: {e}"),
            )]
        })?;
        // A fresh `git init` is fine to write into; anything else might be someone's work.
        let foreign: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name != ".git")
            .collect();
        if !foreign.is_empty() {
            return Err(vec![
                Diagnostic::file(
                    dir,
                    format!(
                        "the folder is not empty (it holds {}); gloss init only writes into a new or empty folder",
                        preview(&foreign)
                    ),
                )
                .with_help("choose a new folder: `gloss init my-site`"),
            ]);
        }
    }
    let Scaffold {
        site,
        example,
        example_name,
        ..
    } = scaffold(lang);
    let example = example.replace("{{date}}", &today().to_string());
    let files = [
        (PathBuf::from(SITE_FILE), site.to_string()),
        (Path::new(CONTENT_DIR).join(example_name), example),
        // The built site and the build cache are made from the sources, not kept with them.
        (
            PathBuf::from(".gitignore"),
            "/public\n/.gloss-cache\n".to_string(),
        ),
    ];
    for (rel, text) in &files {
        write_new(&dir.join(rel), text).map_err(|d| vec![d])?;
    }
    Ok(Created {
        root: dir.to_path_buf(),
        files: files.into_iter().map(|(p, _)| p).collect(),
    })
}

/// Up to three names, for a message.
fn preview(names: &[String]) -> String {
    let mut shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    if names.len() > 3 {
        shown.push(format!("{} more", names.len() - 3));
    }
    shown.join(", ")
}

/// Today in the local time zone.
fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

/// Writes `text` to a file that must not exist yet, creating folders on the way.
fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::file(parent, format!("cannot create this folder: {e}")))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::file(path, "already exists; gloss does not overwrite it")
                    .with_help("choose another name, or delete the file first")
            } else {
                Diagnostic::file(path, format!("cannot create this file: {e}"))
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::file(path, format!("cannot write: {e}")))
}

/// Where `gloss new PATH` writes, relative to the site root, and the headline the path
/// gives: `content/PATH.md`, its file name made a slug (`2026/Harbour Bridge` →
/// `content/2026/harbour-bridge.md`, titled "Harbour Bridge"); a PATH ending in `/` is a
/// bundle (`2026/x/` → `content/2026/x/index.md`). PATH may start with `content/` and may
/// end with `.md`; it may not leave the content folder.
pub fn article_path(path: &str) -> Result<(PathBuf, String), Diagnostic> {
    let given = Path::new(path);
    let inner = given.strip_prefix(CONTENT_DIR).unwrap_or(given);
    let leaves = inner
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    let names: Vec<String> = inner
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if leaves || path.is_empty() {
        return Err(Diagnostic::file(
            path,
            "the article's path must lie inside the content folder",
        )
        .with_help("give a path below content/, e.g. `gloss new 2024/city-council`"));
    }
    // `.`, `x/.` and `content/` name a folder that is no new bundle: made a file name, `.`
    // would become the folder's own name (`gloss new .` wrote content.md beside site.toml).
    let bundle = path.ends_with(['/', std::path::MAIN_SEPARATOR]);
    let names_a_folder = matches!(inner.components().next_back(), Some(Component::CurDir))
        || path.ends_with("/.")
        || names.is_empty();
    if names_a_folder {
        return Err(
            Diagnostic::file(path, "the article's path names a folder, not a file")
                .with_help("add the article's file name, e.g. `gloss new 2024/city-council`, or a bundle's folder, `gloss new 2024/city-council/`"),
        );
    }
    // The build skips names that start with a dot: such an article would never be published.
    if names.iter().any(|n| n.starts_with('.')) {
        return Err(Diagnostic::file(
            path,
            "names starting with a dot are hidden files, which the build skips",
        )
        .with_help("choose a name that starts with a letter or digit"));
    }
    let (folders, last) = names.split_at(names.len() - 1);
    let last = &last[0];
    let stem = if bundle {
        last.as_str()
    } else {
        last.strip_suffix(".md").unwrap_or(last)
    };
    // The folders are kept as written (they may exist already); the new name becomes its
    // address, so it is made a slug, and the words typed become the headline.
    let slug = if is_slug(stem) {
        stem.to_string()
    } else {
        crate::slug::slugify(stem)
    };
    let title = if stem == slug {
        title_from(stem)
    } else {
        stem.trim().to_string()
    };
    let mut rel = Path::new(CONTENT_DIR).join(folders.iter().collect::<PathBuf>());
    if bundle {
        rel.push(&slug);
        rel.push("index.md");
    } else {
        rel.push(format!("{slug}.md"));
    }
    Ok((rel, title))
}

/// Whether `name` is already fit for an address: lowercase ASCII letters, digits, `-`, `_`.
fn is_slug(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_'))
}

/// A headline from a slug: `city-council` → `City council`.
fn title_from(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".into(),
    }
}

/// Writes a new article below `root`'s content folder, in the language `lang` (a BCP 47 tag;
/// default: the site's); returns its path relative to `root`.
pub fn new_article(
    root: &Path,
    path: &str,
    title: Option<&str>,
    lang: Option<&str>,
) -> Result<PathBuf, Vec<Diagnostic>> {
    let site = Site::load(root)?;
    let (rel, from_path) = article_path(path).map_err(|d| vec![d])?;
    let title = title.map_or(from_path, str::to_string);
    let (tag, lang) = match lang {
        Some(tag) => {
            let lang = init_language(tag).map_err(|d| vec![d])?;
            (tag.to_string(), lang)
        }
        None => (site.config.language.clone(), site.lang),
    };
    // The new article's comments are in its language.
    let template = scaffold(lang).new;
    let verdicts: Vec<&str> = site.scale.keys().collect();
    let text = template
        // A TOML string literal, so quotes and backslashes in the title stay valid.
        .replace("{{title}}", &toml::Value::String(title).to_string())
        .replace("{{date}}", &today().to_string())
        .replace("{{lang}}", &tag)
        .replace("{{verdicts}}", &verdicts.join(", "));
    let target = root.join(&rel);
    write_new(&target, &text).map_err(|d| vec![d.relative_to(root)])?;
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_paths_stay_inside_content() {
        assert_eq!(
            article_path("2024/x").unwrap().0,
            Path::new("content/2024/x.md")
        );
        assert_eq!(
            article_path("content/2024/x.md").unwrap().0,
            Path::new("content/2024/x.md")
        );
        assert!(article_path("../x").is_err());
        assert!(article_path("/etc/x").is_err());
        assert!(article_path("").is_err());
        assert_eq!(
            article_path("./a/./b").unwrap().0,
            Path::new("content/a/b.md")
        );
    }

    #[test]
    fn folders_and_hidden_names_are_not_articles() {
        for bad in [
            ".",
            "./",
            "content",
            "content/",
            "content/.",
            "2024/.",
            ".env",
            "a/.b",
        ] {
            let e = article_path(bad).unwrap_err();
            assert!(!e.message.is_empty(), "{bad}");
        }
    }

    #[test]
    fn every_locale_has_a_scaffold() {
        for lang in Lang::all() {
            assert_eq!(scaffold(lang).code, lang.code());
        }
        assert_eq!(SCAFFOLDS.len(), Lang::all().count());
    }

    #[test]
    fn titles_come_from_file_names() {
        assert_eq!(title_from("city-council"), "City council");
        let (rel, title) = article_path("content/a_b/").unwrap();
        assert_eq!(
            (rel.as_path(), title.as_str()),
            (Path::new("content/a_b/index.md"), "A b")
        );
    }

    #[test]
    fn a_name_in_words_becomes_a_slug_and_keeps_its_words_as_title() {
        let (rel, title) = article_path("2026/Harbour Bridge").unwrap();
        assert_eq!(rel, Path::new("content/2026/harbour-bridge.md"));
        assert_eq!(title, "Harbour Bridge");
        let (rel, title) = article_path("Politik/Neue Brücke.md").unwrap();
        assert_eq!(rel, Path::new("content/Politik/neue-bruecke.md"));
        assert_eq!(title, "Neue Brücke");
        let (rel, title) = article_path("2026/Hafen Brücke/").unwrap();
        assert_eq!(rel, Path::new("content/2026/hafen-bruecke/index.md"));
        assert_eq!(title, "Hafen Brücke");
    }
}
