//! Sections: a folder of `content/` with an `_index.md` (as Hugo and Zola spell it) is a
//! section with its own listing page at the folder's address, its feed and its title. Its
//! front matter says how it is titled and listed; its body, if any, is not shown.
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::config::{Site, read_text};
use crate::diagnostics::Diagnostic;

/// The file that makes its folder a section.
pub const FILE: &str = "_index.md";

/// How a section orders its articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Newest first, as every listing.
    #[default]
    Date,
    /// By title, alphabetically.
    Title,
}

/// One section, checked.
#[derive(Debug, Clone)]
pub struct Section {
    /// Its `_index.md`, relative to the site root.
    pub file: PathBuf,
    /// Its folder below `content/`, `/`-separated, with a trailing slash (`world/europe/`).
    pub folder: String,
    /// Its listing page below the site root (the folder's address, `world/europe/`).
    pub path: String,
    /// Its name.
    pub title: String,
    /// One line about it.
    pub description: Option<String>,
    /// The order of its articles.
    pub sort: Sort,
    /// Articles on one of its pages (else the site's `paginate_by`).
    pub paginate: Option<usize>,
}

impl Section {
    /// Whether the article whose source is `source` (relative to the site root) is below
    /// this section's folder, in a subsection or not.
    pub fn holds(&self, source: &Path) -> bool {
        source
            .strip_prefix(super::CONTENT_DIR)
            .is_ok_and(|rel| rel.starts_with(&self.folder))
    }

    /// Whether `other` is a section directly below this one (no section between them).
    pub fn is_parent_of(&self, other: &Section, all: &[Section]) -> bool {
        other.folder != self.folder
            && other.folder.starts_with(&self.folder)
            && !all.iter().any(|s| {
                s.folder != self.folder
                    && s.folder != other.folder
                    && s.folder.starts_with(&self.folder)
                    && other.folder.starts_with(&s.folder)
            })
    }
}

/// `_index.md`'s front matter, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    sort: Option<Spanned<String>>,
    #[serde(default)]
    paginate: Option<Spanned<i64>>,
}

/// Whether the content file `rel` is a section's `_index.md`.
pub fn is_section_file(rel: &Path) -> bool {
    rel.file_name().is_some_and(|n| n == FILE)
}

/// Reads and checks the sections `files` (relative to the site root, in path order); every
/// error at once, located.
pub fn load(site: &Site, files: &[PathBuf]) -> Result<Vec<Section>, Vec<Diagnostic>> {
    let mut sections = Vec::new();
    let mut errors = Vec::new();
    for rel in files {
        match load_one(site, rel) {
            Ok(s) => sections.push(s),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(sections)
    } else {
        Err(errors)
    }
}

fn load_one(site: &Site, rel: &Path) -> Result<Section, Vec<Diagnostic>> {
    let text = read_text(&site.root.join(rel)).map_err(|d| vec![d.relative_to(&site.root)])?;
    let source = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let folder = rel
        .parent()
        .and_then(|p| p.strip_prefix(super::CONTENT_DIR).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    if folder.is_empty() {
        return Err(vec![
            Diagnostic::file(rel, "content/_index.md would make the home page a section")
                .with_help(
                    "the home page lists every article, or the sections site.toml's `[home] sections = [\"…\"]` names; move this file into a folder of content/ to make that folder a section",
                ),
        ]);
    }
    let (fm, fm_start) = match front_matter(source) {
        Some(found) => found,
        None => {
            return Err(vec![
                Diagnostic::at(
                    rel,
                    source,
                    0..0,
                    "a section's _index.md has no front matter",
                )
                .with_help("start it with `+++`, `title = \"…\"`, `+++`: the section's name"),
            ]);
        }
    };
    let raw: RawSection =
        crate::toml_input::parse(rel, source, fm, fm_start).map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let at = |span: std::ops::Range<usize>| span.start + fm_start..span.end + fm_start;
    if raw.title.get_ref().trim().is_empty() {
        errors.push(
            Diagnostic::at(
                rel,
                source,
                at(raw.title.span()),
                "the section's title is empty",
            )
            .with_help("write the section's name, as readers see it"),
        );
    }
    let sort = match &raw.sort {
        None => Sort::Date,
        Some(s) => match s.get_ref().as_str() {
            "date" => Sort::Date,
            "title" => Sort::Title,
            other => {
                let msg = match crate::toml_input::closest(other, ["date", "title"]) {
                    Some(best) => format!("unknown sort `{other}`, did you mean `{best}`?"),
                    None => format!("unknown sort `{other}`"),
                };
                errors.push(Diagnostic::at(rel, source, at(s.span()), msg).with_help(
                    "write `sort = \"date\"` (newest first, the default) or `sort = \"title\"`",
                ));
                Sort::Date
            }
        },
    };
    let paginate = match &raw.paginate {
        None => None,
        Some(n) if *n.get_ref() >= 1 => Some(*n.get_ref() as usize),
        Some(n) => {
            errors.push(
                Diagnostic::at(rel, source, at(n.span()), "`paginate` must be 1 or more")
                    .with_help(
                        "write how many articles one page of the section lists: `paginate = 20`",
                    ),
            );
            None
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let folder = format!("{folder}/");
    Ok(Section {
        file: rel.to_path_buf(),
        path: folder.clone(),
        folder,
        title: raw.title.into_inner(),
        description: raw.description.filter(|d| !d.trim().is_empty()),
        sort,
        paginate,
    })
}

/// The front matter between `+++` lines and where it starts, if the text has one.
fn front_matter(text: &str) -> Option<(&str, usize)> {
    let first = text.find('\n')?;
    if text[..first].trim_end() != "+++" {
        return None;
    }
    let start = first + 1;
    let mut pos = start;
    while pos <= text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "+++" {
            return Some((&text[start..pos], start));
        }
        if end == text.len() {
            break;
        }
        pos = end + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(folder: &str) -> Section {
        Section {
            file: PathBuf::from(format!("content/{folder}_index.md")),
            folder: folder.into(),
            path: folder.into(),
            title: folder.into(),
            description: None,
            sort: Sort::Date,
            paginate: None,
        }
    }

    #[test]
    fn a_section_holds_what_is_below_its_folder_and_knows_its_children() {
        let world = section("world/");
        assert!(world.holds(Path::new("content/world/x.md")));
        assert!(world.holds(Path::new("content/world/europe/y/index.md")));
        assert!(!world.holds(Path::new("content/worldwide/x.md")));
        assert!(!world.holds(Path::new("content/x.md")));
        let all = [
            world.clone(),
            section("world/europe/"),
            section("world/europe/east/"),
        ];
        assert!(all[0].is_parent_of(&all[1], &all));
        assert!(!all[0].is_parent_of(&all[2], &all));
        assert!(all[1].is_parent_of(&all[2], &all));
        assert!(!all[1].is_parent_of(&all[0], &all));
    }

    #[test]
    fn front_matter_is_found_between_its_lines() {
        assert_eq!(
            front_matter("+++\ntitle = \"W\"\n+++\nbody"),
            Some(("title = \"W\"\n", 4))
        );
        assert_eq!(
            front_matter("+++\ntitle = \"W\"\n+++"),
            Some(("title = \"W\"\n", 4))
        );
        assert_eq!(front_matter("title = \"W\""), None);
        assert_eq!(front_matter("+++\ntitle = \"W\"\n"), None);
    }
}
