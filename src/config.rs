//! The site's configuration: site.toml, the verdict scale and the person registry.
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::toml_input;

/// The name of the file that marks a site's root folder.
pub const SITE_FILE: &str = "site.toml";

/// site.toml, as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's name, shown on every page.
    pub title: String,
    /// Where the site will be published; used for feeds, sitemaps and canonical links only.
    #[serde(default)]
    pub base_url: String,
    /// The site's language (BCP 47), the default for articles.
    #[serde(default = "default_language")]
    pub language: String,
    /// One line about the site.
    #[serde(default)]
    pub description: String,
    /// The output folder, relative to the site root.
    #[serde(default = "default_output_dir")]
    pub output_dir: String,
    /// Articles per page on the index and listing pages.
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    /// Automatic figure detection.
    #[serde(default)]
    pub figures: FiguresConfig,
    /// Markdown options.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// The static search index.
    #[serde(default)]
    pub search: SearchConfig,
    /// The verdict scale; empty means the default scale.
    #[serde(default, rename = "verdict")]
    pub verdicts: Vec<VerdictConfig>,
    /// People quoted on the site (more may come from people.toml).
    #[serde(default, rename = "person")]
    pub people: Vec<Person>,
}

fn default_language() -> String {
    "de".into()
}
fn default_output_dir() -> String {
    "public".into()
}
fn default_paginate_by() -> usize {
    20
}

/// `[figures]` in site.toml or an article.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FiguresConfig {
    /// Whether numbers are found automatically.
    #[serde(default = "yes")]
    pub auto: bool,
    /// Whether bare counts ("zwei", "(3)", "District 1") are marked too, not only figures
    /// that carry a quantity; unset in an article means the site's choice (default: no).
    #[serde(default)]
    pub counts: Option<bool>,
}

impl Default for FiguresConfig {
    fn default() -> Self {
        FiguresConfig {
            auto: true,
            counts: None,
        }
    }
}

fn yes() -> bool {
    true
}

/// `[search]` in site.toml.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Whether a search index and page are built (the index is the slowest part of a build
    /// of a large archive).
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[markdown]` in site.toml.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Pass raw HTML in articles through unsanitized (trusted authors only).
    #[serde(default)]
    pub unsafe_html: bool,
}

/// A verdict's label: one string, or one per language.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Label {
    /// The same word in every language.
    Plain(String),
    /// `{ de = "…", en = "…" }`.
    PerLanguage {
        /// German.
        de: Option<String>,
        /// English.
        en: Option<String>,
    },
}

impl Label {
    /// The label in `lang`, falling back to any label there is.
    pub fn get(&self, lang: Lang) -> &str {
        match self {
            Label::Plain(s) => s,
            Label::PerLanguage { de, en } => {
                let (first, second) = match lang {
                    Lang::De => (de, en),
                    Lang::En => (en, de),
                };
                first.as_deref().or(second.as_deref()).unwrap_or("")
            }
        }
    }
}

/// One `[[verdict]]` of site.toml.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictConfig {
    /// What front matter writes in `verdict = "…"`.
    pub key: String,
    /// What readers see.
    pub label: Label,
    /// Position on the true-to-false scale (ClaimReview ratingValue); none for verdicts off it.
    #[serde(default)]
    pub rating: Option<u8>,
}

/// The verdict scale of a site.
#[derive(Debug, Clone)]
pub struct VerdictScale {
    /// In order, best first.
    pub verdicts: Vec<VerdictConfig>,
}

impl VerdictScale {
    /// The scale of DESIGN.md, labelled in German and English.
    pub fn default_scale() -> Self {
        let v = |key: &str, de: &str, en: &str, rating: Option<u8>| VerdictConfig {
            key: key.into(),
            label: Label::PerLanguage {
                de: Some(de.into()),
                en: Some(en.into()),
            },
            rating,
        };
        VerdictScale {
            verdicts: vec![
                v("true", "Stimmt", "True", Some(5)),
                v("mostly-true", "Stimmt überwiegend", "Mostly true", Some(4)),
                v("mixed", "Teils, teils", "Mixed", Some(3)),
                v(
                    "mostly-false",
                    "Überwiegend falsch",
                    "Mostly false",
                    Some(2),
                ),
                v("false", "Falsch", "False", Some(1)),
                v("misleading", "Irreführend", "Misleading", None),
                v("unverified", "Nicht belegt", "Unverified", None),
            ],
        }
    }

    /// The verdict for `key`.
    pub fn get(&self, key: &str) -> Option<&VerdictConfig> {
        self.verdicts.iter().find(|v| v.key == key)
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.verdicts.iter().map(|v| v.key.as_str())
    }

    /// The best and worst ratings on the scale, for ClaimReview.
    pub fn rating_bounds(&self) -> Option<(u8, u8)> {
        let ratings = self.verdicts.iter().filter_map(|v| v.rating);
        let best = ratings.clone().max()?;
        let worst = ratings.min()?;
        Some((best, worst))
    }
}

/// One person in the registry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The name to file quotes under.
    pub name: String,
    /// What they do.
    #[serde(default)]
    pub role: Option<String>,
    /// Other spellings, misspellings in articles included.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Their page elsewhere.
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleFile {
    #[serde(default)]
    person: Vec<Person>,
}

/// Everything loaded from the site's configuration files.
#[derive(Debug, Clone)]
pub struct Site {
    /// The folder that holds site.toml.
    pub root: PathBuf,
    /// site.toml.
    pub config: SiteConfig,
    /// The site's language, if gloss has words for it (English otherwise).
    pub lang: Lang,
    /// The verdict scale in force.
    pub scale: VerdictScale,
    /// site.toml's and people.toml's people.
    pub people: Vec<Person>,
}

impl Site {
    /// Loads site.toml (and people.toml, if there is one) from `root`.
    pub fn load(root: &Path) -> Result<Site, Vec<Diagnostic>> {
        let path = root.join(SITE_FILE);
        let text = read_text(&path).map_err(|d| vec![d])?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let config: SiteConfig =
            toml_input::parse(Path::new(SITE_FILE), text, text, 0).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        let scale = if config.verdicts.is_empty() {
            VerdictScale::default_scale()
        } else {
            VerdictScale {
                verdicts: config.verdicts.clone(),
            }
        };
        let mut people = config.people.clone();
        let people_path = root.join("people.toml");
        if people_path.exists() {
            match read_text(&people_path).and_then(|t| {
                let t = t.strip_prefix('\u{feff}').unwrap_or(&t);
                toml_input::parse::<PeopleFile>(Path::new("people.toml"), t, t, 0)
            }) {
                Ok(file) => people.extend(file.person),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Site {
            root: root.to_path_buf(),
            lang: Lang::from_tag(&config.language).unwrap_or(Lang::En),
            config,
            scale,
            people,
        })
    }

    /// A site with default settings, for rendering an article that lives in no site.
    pub fn standalone() -> Site {
        let config: SiteConfig = toml::from_str("title = \"gloss\"").expect("default config");
        Site {
            root: PathBuf::from("."),
            lang: Lang::from_tag(&config.language).unwrap_or_default(),
            scale: VerdictScale::default_scale(),
            people: Vec::new(),
            config,
        }
    }
}

/// Reads a UTF-8 file; an unreadable or non-UTF-8 file is a located error.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::file(path, format!("cannot read this file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
        let (line, col) = crate::diagnostics::line_col(&valid, at);
        let mut d = Diagnostic::file(path, format!("not valid UTF-8 (byte {at})"))
            .with_help("save the file as UTF-8");
        d.line = line;
        d.col = col;
        d
    })
}

/// The site root: `start` or the nearest folder above it that holds site.toml.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(SITE_FILE).is_file())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scale_has_ratings_and_off_scale_verdicts() {
        let scale = VerdictScale::default_scale();
        assert_eq!(scale.rating_bounds(), Some((5, 1)));
        assert_eq!(scale.get("misleading").unwrap().rating, None);
        assert_eq!(scale.get("true").unwrap().label.get(Lang::En), "True");
    }

    #[test]
    fn root_is_found_upward() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SITE_FILE), "title = \"t\"").unwrap();
        let deep = dir.path().join("content/2019");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(find_root(&deep).as_deref(), Some(dir.path()));
    }
}
