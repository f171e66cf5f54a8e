//! The site's configuration: site.toml, the verdict scale and the person registry.
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

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
    /// The languages with listings of their own: home page, listings, feeds and search
    /// (`language` at the root, the others below `<tag>/`); empty means every language of
    /// the site's articles. An article in a language left out is listed with `language`'s.
    #[serde(default)]
    pub languages: Vec<String>,
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
    /// What `gloss check` insists on.
    #[serde(default)]
    pub check: CheckConfig,
    /// How pages look when shared (`og:image` of pages without an image of their own).
    #[serde(default)]
    pub share: ShareConfig,
    /// What the home page lists.
    #[serde(default)]
    pub home: HomeConfig,
    /// Links to standalone pages in the site's navigation, in this order.
    #[serde(default)]
    pub nav: Vec<NavItem>,
    /// The verdict scale; empty means the default scale.
    #[serde(default, rename = "verdict")]
    pub verdicts: Vec<VerdictConfig>,
    /// People quoted on the site (more may come from people.toml).
    #[serde(default, rename = "person")]
    pub people: Vec<Person>,
    /// Taxonomies beyond tags (`[[taxonomy]] name = "categories"`), each with its pages and
    /// feeds; articles set them in their `[taxonomies]` table.
    #[serde(default, rename = "taxonomy")]
    pub taxonomies: Vec<TaxonomyConfig>,
    /// `[feeds]`: what the Atom feeds carry.
    #[serde(default)]
    pub feeds: FeedsConfig,
    /// `[words]`: the theme's words as this site has them (see [`SiteWords`]).
    #[serde(default, skip_serializing)]
    pub words: SiteWords,
}

/// `[words]` in site.toml: any of the theme's words, changed for this site. A key set to a
/// word changes it in the site's language (`claims = "Fact checks"`); a table named by a
/// language's tag changes that language's (`[words.fr]`).
#[derive(Debug, Clone, Default)]
pub struct SiteWords(pub Vec<(Spanned<String>, SiteWord)>);

/// One entry of `[words]`.
#[derive(Debug, Clone)]
pub enum SiteWord {
    /// A word of the site's language.
    Word(String),
    /// A language's words, by key.
    Language(Vec<(Spanned<String>, String)>),
}

impl<'de> Deserialize<'de> for SiteWords {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = SiteWords;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table of words")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<SiteWords, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = m.next_key::<Spanned<String>>()? {
                    out.push((key, m.next_value::<SiteWord>()?));
                }
                Ok(SiteWords(out))
            }
        }
        d.deserialize_map(Entries)
    }
}

impl<'de> Deserialize<'de> for SiteWord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = SiteWord;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a word (a string), or a table of a language's words")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SiteWord, E> {
                Ok(SiteWord::Word(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<SiteWord, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = m.next_key::<Spanned<String>>()? {
                    out.push((key, m.next_value::<String>()?));
                }
                Ok(SiteWord::Language(out))
            }
        }
        d.deserialize_any(Entry)
    }
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

/// `[feeds]` in site.toml.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeedsConfig {
    /// Each entry carries the article's whole text (its annotated body), not only its
    /// summary.
    #[serde(default)]
    pub full_content: bool,
}

/// One `[[taxonomy]]` of site.toml: a way of grouping articles beyond tags (categories,
/// topics), with an index at `<name>/`, a page and a feed per term.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// The key in an article's `[taxonomies]` and the folder of its pages (`categories`).
    pub name: String,
    /// What readers see: a string, or `{ de = "…", en = "…" }`.
    pub title: Label,
}

/// Folders and keys a taxonomy's `name` may not take: gloss's own pages and feeds, and the
/// other ways front matter groups articles.
const RESERVED_TAXONOMY_NAMES: &[&str] = &[
    "tags",
    "authors",
    "people",
    "claims",
    "corrections",
    "search",
    "page",
    "taxonomies",
    "static",
];

/// `[home]` in site.toml.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HomeConfig {
    /// The sections (folders below content/ with an `_index.md`) whose articles the home
    /// page lists; empty: every article.
    #[serde(default)]
    pub sections: Vec<String>,
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

/// One `[[nav]]` entry of site.toml: a link in every page's navigation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NavItem {
    /// What the link says: a string, or `{ de = "…", en = "…" }`.
    pub title: Label,
    /// The content file it leads to, relative to `content/` (`about.md`, `@/about.md`).
    pub page: String,
}

impl NavItem {
    /// The content file, relative to the site root (`content/about.md`).
    pub fn file(&self) -> PathBuf {
        let page = self.page.trim();
        let page = page.strip_prefix("@/").unwrap_or(page);
        Path::new(crate::content::CONTENT_DIR).join(page.trim_start_matches('/'))
    }
}

/// `[check]` in site.toml.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Every source with an http(s) address needs an archived copy (`archive = "…"`):
    /// `gloss check` reports each one without as an error.
    #[serde(default)]
    pub require_archive: bool,
}

/// `[markdown]` in site.toml.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Pass raw HTML in articles through unsanitized (trusted authors only).
    #[serde(default)]
    pub unsafe_html: bool,
    /// Typographic quotes, dashes and ellipses (`"a"` → “a”, `--` → –, `...` → …).
    #[serde(default)]
    pub smart_punctuation: bool,
    /// GFM task lists (`- [ ]`, `- [x]`) as checkboxes.
    #[serde(default)]
    pub task_lists: bool,
}

impl MarkdownConfig {
    /// The markdown extensions these settings turn on.
    pub fn extensions(&self) -> crate::markdown::Extensions {
        crate::markdown::Extensions {
            smart_punctuation: self.smart_punctuation,
            task_lists: self.task_lists,
            trusted_html: self.unsafe_html,
        }
    }
}

/// `[share]` in site.toml.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShareConfig {
    /// The image social networks show for a page without one of its own: a file of
    /// `static/` or `content/`, by its path in the output, or an http(s) address.
    #[serde(default)]
    pub image: Option<String>,
}

/// The error of `[share] image` in site.toml (`text`) that names no file of the site at
/// `root`, if it does.
fn check_share(config: &SiteConfig, root: &Path, text: &str) -> Option<Diagnostic> {
    let image = config.share.image.as_deref()?;
    let lower = image.to_ascii_lowercase();
    let problem = if lower.starts_with("https://") || lower.starts_with("http://") {
        return None;
    } else if lower.contains(':') || image.starts_with('/') || image.split('/').any(|s| s == "..") {
        "`[share] image` must be an http(s) address or a path inside the output, like \"share.png\""
            .to_string()
    } else if ["static", "content"]
        .iter()
        .any(|d| root.join(d).join(image).is_file())
    {
        return None;
    } else {
        format!("`[share] image` names `{image}`, which is neither in static/ nor in content/")
    };
    let quoted = format!("\"{image}\"");
    let at = text.find(&quoted).map_or(0..0, |i| i..i + quoted.len());
    Some(
        Diagnostic::at(Path::new(SITE_FILE), text, at, problem).with_help(
            "put the image into static/ (`static/share.png` is `image = \"share.png\"`)",
        ),
    )
}

/// A verdict's label: one string, or one per language.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Label {
    /// The same word in every language.
    Plain(String),
    /// `{ de = "…", en = "…" }`, by language tag (checked when the site loads).
    PerLanguage(std::collections::BTreeMap<String, String>),
}

impl Label {
    /// The label in `lang`, falling back to English, then to any label there is.
    pub fn get(&self, lang: Lang) -> &str {
        match self {
            Label::Plain(s) => s,
            Label::PerLanguage(labels) => labels
                .iter()
                .find(|(tag, _)| Lang::from_tag(tag) == Some(lang))
                .or_else(|| {
                    labels
                        .iter()
                        .find(|(tag, _)| Lang::from_tag(tag) == Some(Lang::EN))
                })
                .or_else(|| labels.iter().next())
                .map_or("", |(_, l)| l.as_str()),
        }
    }

    /// Whether the label is the same word in every language.
    pub fn is_plain(&self) -> bool {
        matches!(self, Label::Plain(_))
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
    /// What the verdict means, for the list of verdicts (`{{ verdict_scale() }}`).
    #[serde(default)]
    pub description: Option<Label>,
}

/// The verdict scale of a site.
#[derive(Debug, Clone)]
pub struct VerdictScale {
    /// In order, best first.
    pub verdicts: Vec<VerdictConfig>,
}

impl VerdictScale {
    /// The scale of DESIGN.md, labelled in every language gloss has words for (the words
    /// `verdict_<key>` of the locale files, or of the site's `[words]`).
    pub fn default_scale(locales: &crate::i18n::Locales) -> Self {
        let v = |key: &str, rating: Option<u8>| {
            let word = format!("verdict_{}", key.replace('-', "_"));
            VerdictConfig {
                key: key.into(),
                label: Label::PerLanguage(
                    Lang::all()
                        .map(|l| {
                            (
                                l.code().to_string(),
                                locales.get(l).words.get(&word).to_string(),
                            )
                        })
                        .collect(),
                ),
                rating,
                description: Some(Label::PerLanguage(
                    Lang::all()
                        .map(|l| {
                            (
                                l.code().to_string(),
                                locales
                                    .get(l)
                                    .words
                                    .get(&format!("{word}_description"))
                                    .to_string(),
                            )
                        })
                        .collect(),
                )),
            }
        };
        VerdictScale {
            verdicts: vec![
                v("true", Some(5)),
                v("mostly-true", Some(4)),
                v("mixed", Some(3)),
                v("mostly-false", Some(2)),
                v("false", Some(1)),
                v("misleading", None),
                v("unverified", None),
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

    /// Where verdict `key` stands on the scale, from 1 (its worst rating) to 5 (its best), so
    /// that a theme styles a custom scale by meaning rather than by key; `None` off the scale.
    pub fn tone(&self, key: &str) -> Option<u8> {
        let rating = self.get(key)?.rating?;
        let (best, worst) = self.rating_bounds()?;
        if best == worst {
            return Some(3);
        }
        let (r, b, w) = (u32::from(rating), u32::from(best), u32::from(worst));
        // Rounded to the nearest of five steps: 1 + 4·(r − w)/(b − w).
        Some((1 + (8 * (r - w) + (b - w)) / (2 * (b - w))) as u8)
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
    /// A line or two about them, shown on their pages (plain text).
    #[serde(default)]
    pub bio: Option<String>,
    /// What the entry is: a person (the default) or an organisation; ClaimReview names
    /// claimants with this schema.org type.
    #[serde(default)]
    pub kind: PersonKind,
}

/// What a registry entry is: `kind = "person"` or `kind = "organization"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonKind {
    /// A person (the default).
    #[default]
    Person,
    /// A company, party, ministry, newspaper, …
    Organization,
}

impl PersonKind {
    /// The schema.org type: `Person` or `Organization`.
    pub fn schema_type(self) -> &'static str {
        match self {
            PersonKind::Person => "Person",
            PersonKind::Organization => "Organization",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleFile {
    #[serde(default)]
    person: Vec<Person>,
}

/// One language the site publishes listings in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLang {
    /// Its tag, as the site writes it (`en`).
    pub tag: String,
    /// The theme's words it gets.
    pub lang: Lang,
    /// Where its listings are, below the site root: empty for the site's `language`, else
    /// `en/`.
    pub prefix: String,
}

/// The primary subtag of a language tag, lowercased (`de-AT` → `de`): what tells the site's
/// languages apart.
pub fn primary_subtag(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Where the listings of articles in `tag` are, below the site root, on a site in
/// `language` whose site.toml names `languages`: nothing for the site's language (and for
/// one `languages` leaves out), `<primary subtag>/` for any other (`en/`).
pub fn listing_prefix(language: &str, languages: &[String], tag: &str) -> String {
    let primary = primary_subtag(tag);
    let listed = languages.is_empty() || languages.iter().any(|l| primary_subtag(l) == primary);
    if primary == primary_subtag(language) || !listed {
        String::new()
    } else {
        format!("{primary}/")
    }
}

/// Everything loaded from the site's configuration files.
#[derive(Debug, Clone)]
pub struct Site {
    /// The folder that holds site.toml.
    pub root: PathBuf,
    /// site.toml.
    pub config: SiteConfig,
    /// The site's language (checked: gloss has words for it).
    pub lang: Lang,
    /// Every language's words as this site shows them.
    pub locales: crate::i18n::Locales,
    /// The verdict scale in force.
    pub scale: VerdictScale,
    /// site.toml's and people.toml's people.
    pub people: Vec<Person>,
    /// `people` by [`name_key`] of each name and alias, and each one's page slug; made on
    /// first use (see [`Site::person`]).
    registry: std::sync::OnceLock<Registry>,
    /// The images of `content/` and their sizes, as the build found them (empty until a
    /// build reads them: pages rendered without it show images without sizes).
    pub images: std::sync::Arc<crate::images::Table>,
    /// What is published today: the day, and whether articles dated later are.
    pub schedule: Schedule,
    /// The sections of `content/` (folders with an `_index.md`), in path order; set by the
    /// build once it has found them.
    pub sections: Vec<crate::content::section::Section>,
    /// Built for `gloss serve`: the pages that link absolutely to the site itself (404.html)
    /// link to the server's root instead of `base_url`.
    pub preview: bool,
}

/// The environment variable that stands in for today's date (`2026-12-01`), so that
/// scheduled articles build the same whatever day tests or a preview run.
pub const TODAY_VAR: &str = "GLOSS_TODAY";

/// Which dated articles a build publishes: those dated `today` or earlier, or all of them
/// with `future` (`--future`); those whose `expires` is before `today` leave the listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// The day the build publishes for.
    pub today: jiff::civil::Date,
    /// Articles dated after `today` are published too.
    pub future: bool,
}

impl Schedule {
    /// Today in the computer's time zone, or [`TODAY_VAR`] when set; an unreadable value is
    /// an error saying how to write it.
    pub fn from_env() -> Result<Schedule, Diagnostic> {
        let today = match std::env::var(TODAY_VAR) {
            Ok(v) if !v.trim().is_empty() => {
                v.trim().parse::<jiff::civil::Date>().map_err(|e| {
                    Diagnostic::file(TODAY_VAR, format!("{TODAY_VAR}={v} is not a date: {e}"))
                        .with_help(format!(
                            "write it as year-month-day, `{TODAY_VAR}=2026-12-01`, or unset it"
                        ))
                })?
            }
            _ => jiff::ZonedDateTime::now().date(),
        };
        Ok(Schedule {
            today,
            future: false,
        })
    }

    /// Whether an article dated `date` is published.
    pub fn published(&self, date: jiff::civil::Date) -> bool {
        self.future || date <= self.today
    }

    /// Whether an article that `expires` on that day is still listed: through the day
    /// itself, not after it.
    pub fn listed(&self, expires: Option<jiff::civil::Date>) -> bool {
        expires.is_none_or(|e| e >= self.today)
    }
}

/// The registry's index: the one place names are looked up.
#[derive(Debug, Clone, Default)]
struct Registry {
    by_key: std::collections::HashMap<String, usize>,
    slugs: Vec<String>,
}

/// The one rule by which a name as written is compared with the registry's names and
/// aliases: white space folded, case ignored ("Priya  RAMEN" is "priya ramen").
pub fn name_key(name: &str) -> String {
    crate::annotate::fold(name).to_lowercase()
}

impl Site {
    fn registry(&self) -> &Registry {
        self.registry.get_or_init(|| {
            let mut r = Registry::default();
            for (i, p) in self.people.iter().enumerate() {
                // The name first: an alias never takes another person's name.
                r.by_key.entry(name_key(&p.name)).or_insert(i);
            }
            for (i, p) in self.people.iter().enumerate() {
                for alias in &p.aliases {
                    r.by_key.entry(name_key(alias)).or_insert(i);
                }
            }
            let mut seen: std::collections::HashMap<String, usize> = Default::default();
            for p in &self.people {
                let base = crate::slug::slugify(&p.name);
                let n = seen.entry(base.clone()).or_insert(0);
                *n += 1;
                r.slugs
                    .push(if *n == 1 { base } else { format!("{base}-{n}") });
            }
            r
        })
    }

    /// The registry's entry for `name` (a name or an alias, as [`name_key`] compares them)
    /// and its index in `people`.
    pub fn person(&self, name: &str) -> Option<(usize, &Person)> {
        let i = *self.registry().by_key.get(&name_key(name))?;
        Some((i, &self.people[i]))
    }

    /// `name` as the registry files it: the registered name, else `name` as written.
    pub fn filed_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.person(name).map_or(name, |(_, p)| p.name.as_str())
    }

    /// `base_url` as addresses are built on it: trimmed, without its trailing slash; empty
    /// when the site has none. The one rule for every absolute address gloss writes.
    pub fn base_url(&self) -> &str {
        self.config.base_url.trim().trim_end_matches('/')
    }

    /// The site's root address, absolute: [`Site::base_url`] and a slash (`/` alone when the
    /// site has no `base_url`).
    pub fn root_url(&self) -> String {
        format!("{}/", self.base_url())
    }

    /// The page of registered person `i` below the site root: `people/<slug>/`.
    pub fn person_page(&self, i: usize) -> String {
        format!("people/{}/", self.registry().slugs[i])
    }

    /// The page of the author `name` (a byline) below a language's home: `authors/<slug>/`,
    /// the registry's slug for someone it knows (the slug of their `people/` page), else a
    /// slug of the name as written. Made from the name alone, so an article's page links its
    /// authors without knowing the other articles.
    pub fn author_page(&self, name: &str) -> String {
        let slug = match self.person(name) {
            Some((i, _)) => self.registry().slugs[i].clone(),
            None => crate::slug::slugify(&crate::annotate::fold(name)),
        };
        format!("authors/{slug}/")
    }

    /// Where the listings of the language `tag` are, below the site root (see
    /// [`listing_prefix`]).
    pub fn prefix_of(&self, tag: &str) -> String {
        listing_prefix(&self.config.language, &self.config.languages, tag)
    }

    /// The languages the site lists articles in, its `language` first: those of site.toml's
    /// `languages`, else the site's and those of the articles' tags `tags`, by tag.
    pub fn listing_langs<'t>(&self, tags: impl IntoIterator<Item = &'t str>) -> Vec<SiteLang> {
        let mut seen: Vec<String> = vec![primary_subtag(&self.config.language)];
        let mut out = vec![SiteLang {
            tag: self.config.language.clone(),
            lang: self.lang,
            prefix: String::new(),
        }];
        let explicit: Vec<&str> = self.config.languages.iter().map(String::as_str).collect();
        let mut others: Vec<&str> = if explicit.is_empty() {
            tags.into_iter().collect()
        } else {
            explicit
        };
        others.sort_by_key(|t| primary_subtag(t));
        for tag in others {
            let primary = primary_subtag(tag);
            if seen.contains(&primary) {
                continue;
            }
            seen.push(primary.clone());
            out.push(SiteLang {
                tag: if self.config.languages.is_empty() {
                    primary.clone()
                } else {
                    tag.to_string()
                },
                lang: Lang::from_tag(tag).unwrap_or_default(),
                prefix: format!("{primary}/"),
            });
        }
        out
    }
}

impl Site {
    /// Loads site.toml (and people.toml, if there is one) from `root`.
    pub fn load(root: &Path) -> Result<Site, Vec<Diagnostic>> {
        let path = root.join(SITE_FILE);
        let text = read_text(&path).map_err(|d| vec![d])?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut config: SiteConfig =
            toml_input::parse(Path::new(SITE_FILE), text, text, 0).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        if let Err(e) = crate::i18n::check_builtins() {
            return Err(vec![Diagnostic::file(Path::new(SITE_FILE), e)]);
        }
        let spans: Spans = toml::from_str(text).unwrap_or_default();
        let at = |span: Option<std::ops::Range<usize>>, e: crate::lang::TagError| {
            Diagnostic::at(Path::new(SITE_FILE), text, span.unwrap_or(0..0), e.message)
                .with_help(e.help)
        };
        let lang = match crate::lang::page_language(&config.language) {
            Ok((tag, lang)) => {
                config.language = tag;
                lang
            }
            Err(e) => {
                errors.push(at(spans.language.as_ref().map(|l| l.span()), e));
                Lang::default()
            }
        };
        let mut tags = |label: Option<&Label>, span: Option<&Spanned<toml::Value>>| {
            if let Some(Label::PerLanguage(labels)) = label {
                for tag in labels.keys() {
                    if let Err(e) = crate::lang::page_language(tag) {
                        errors.push(at(span.map(|l| l.span()), e));
                    }
                }
            }
        };
        for (v, spanned) in config.verdicts.iter().zip(&spans.verdict) {
            tags(Some(&v.label), spanned.label.as_ref());
            tags(v.description.as_ref(), spanned.description.as_ref());
        }
        for (item, spanned) in config.nav.iter().zip(&spans.nav) {
            tags(Some(&item.title), spanned.title.as_ref());
        }
        for (t, spanned) in config.taxonomies.iter().zip(&spans.taxonomy) {
            tags(Some(&t.title), spanned.title.as_ref());
        }
        let locales = crate::i18n::Locales::new(site_words(&config.words, lang, text, &mut errors));
        let scale = if config.verdicts.is_empty() {
            VerdictScale::default_scale(&locales)
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
        errors.extend(check_languages(&config, text));
        errors.extend(check_share(&config, root, text));
        errors.extend(check_taxonomies(&config, text, &spans));
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Site {
            root: root.to_path_buf(),
            lang,
            locales,
            config,
            scale,
            people,
            registry: Default::default(),
            images: Default::default(),
            schedule: Schedule::from_env().map_err(|d| vec![d])?,
            preview: false,
            sections: Vec::new(),
        })
    }

    /// A site with default settings, for rendering an article that lives in no site.
    pub fn standalone() -> Site {
        let config: SiteConfig = toml::from_str("title = \"gloss\"").expect("default config");
        let locales = crate::i18n::Locales::default();
        Site {
            root: PathBuf::from("."),
            lang: Lang::from_tag(&config.language).unwrap_or_default(),
            scale: VerdictScale::default_scale(&locales),
            locales,
            people: Vec::new(),
            registry: Default::default(),
            images: Default::default(),
            schedule: Schedule {
                today: jiff::ZonedDateTime::now().date(),
                future: true,
            },
            preview: false,
            sections: Vec::new(),
            config,
        }
    }
}

/// The errors of site.toml's `languages` (`text`): each a language tag, no two of one
/// language, the site's `language` among them.
fn check_languages(config: &SiteConfig, text: &str) -> Vec<Diagnostic> {
    if config.languages.is_empty() {
        return Vec::new();
    }
    let path = Path::new(SITE_FILE);
    // Each tag is located where it is written (its first occurrence after `languages`).
    let key = text
        .lines()
        .scan(0, |at, line| {
            let start = *at;
            *at += line.len() + 1;
            Some((start, line))
        })
        .find(|(_, line)| {
            line.trim_start()
                .strip_prefix("languages")
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map_or(0, |(start, _)| start);
    let key_span = key..(key + "languages".len()).min(text.len());
    let at = |tag: &str| {
        let quoted = format!("\"{tag}\"");
        match text[key..].find(&quoted) {
            Some(i) => key + i..key + i + quoted.len(),
            None => key_span.clone(),
        }
    };
    let mut errors = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for tag in &config.languages {
        if let Err(e) = crate::lang::page_language(tag) {
            errors.push(Diagnostic::at(path, text, at(tag), e.message).with_help(e.help));
            continue;
        }
        let primary = primary_subtag(tag);
        if seen.contains(&primary) {
            errors.push(
                Diagnostic::at(
                    path,
                    text,
                    at(tag),
                    format!("`{tag}` is a second tag of the language `{primary}`"),
                )
                .with_help("name each language once: its listings have one place, `<tag>/`"),
            );
        }
        seen.push(primary);
    }
    if !seen.contains(&primary_subtag(&config.language)) {
        errors.push(
            Diagnostic::at(
                path,
                text,
                key_span.clone(),
                format!(
                    "`languages` does not hold the site's `language`, `{}`",
                    config.language
                ),
            )
            .with_help(format!(
                "add \"{}\" to `languages`: its listings are the site's home page",
                config.language
            )),
        );
    }
    errors
}

/// Why a source file (site.toml, an article, a template) could not be loaded: made where
/// the file is read, a [`Diagnostic`] at the edge.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read at all.
    #[error("cannot read this file: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not UTF-8 from byte `at` on (1-based `line` and `col` of that byte).
    #[error("not valid UTF-8 (byte {at})")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The first byte that is not UTF-8.
        at: usize,
        /// Its line.
        line: usize,
        /// Its column, in characters.
        col: usize,
    },
    /// An article file larger than gloss builds.
    #[error(
        "the article is {:.1} MB; gloss builds articles of up to {} MB",
        *.len as f64 / 1e6,
        crate::content::MAX_ARTICLE_BYTES / 1_000_000
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        len: u64,
    },
}

impl From<LoadError> for Diagnostic {
    fn from(e: LoadError) -> Self {
        let message = e.to_string();
        match e {
            LoadError::Read { path, .. } => Diagnostic::file(path, message),
            LoadError::NotUtf8 {
                path, line, col, ..
            } => {
                let mut d = Diagnostic::file(path, message).with_help("save the file as UTF-8");
                (d.line, d.col) = (line, col);
                d
            }
            LoadError::TooLarge { path, .. } => Diagnostic::file(path, message).with_help(
                "split it into several articles (a series), or cut what readers do not need",
            ),
        }
    }
}

/// The places in site.toml of what is checked after parsing.
#[derive(Deserialize, Default)]
struct Spans {
    language: Option<Spanned<String>>,
    #[serde(default)]
    verdict: Vec<VerdictSpans>,
    #[serde(default)]
    nav: Vec<NavSpans>,
    #[serde(default)]
    taxonomy: Vec<TaxonomySpans>,
}

#[derive(Deserialize, Default)]
struct TaxonomySpans {
    name: Option<Spanned<String>>,
    title: Option<Spanned<toml::Value>>,
}

/// Each `[[taxonomy]]` whose `name` cannot be a folder of the site and a key of front matter
/// (not a slug, one of gloss's own, given twice), as an error at that name.
fn check_taxonomies(config: &SiteConfig, text: &str, spans: &Spans) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, t) in config.taxonomies.iter().enumerate() {
        let span = spans
            .taxonomy
            .get(i)
            .and_then(|s| s.name.as_ref())
            .map_or(0..0, Spanned::span);
        let name = t.name.as_str();
        let slug = crate::slug::slugify(name);
        let problem = if slug != name {
            Some((
                format!("the taxonomy name `{name}` is not a folder name of the site"),
                format!("write `name = \"{slug}\"`: lowercase letters, digits and `-`"),
            ))
        } else if RESERVED_TAXONOMY_NAMES.contains(&name) {
            Some((
                format!("the taxonomy name `{name}` is taken by gloss's own pages"),
                "name it differently (`categories`, `topics`, `regions`); tags and authors have their pages already".to_string(),
            ))
        } else if !seen.insert(name) {
            Some((
                format!("the taxonomy `{name}` is declared twice"),
                "keep one `[[taxonomy]]` with this name".to_string(),
            ))
        } else {
            None
        };
        if let Some((message, help)) = problem {
            errors.push(Diagnostic::at(Path::new(SITE_FILE), text, span, message).with_help(help));
        }
    }
    errors
}

#[derive(Deserialize, Default)]
struct VerdictSpans {
    label: Option<Spanned<toml::Value>>,
    description: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize, Default)]
struct NavSpans {
    title: Option<Spanned<toml::Value>>,
}

/// `[words]` checked against the locales' keys and languages: (language, key, word) for each
/// valid entry, a located error with the closest valid key for each other.
fn site_words(
    words: &SiteWords,
    site_lang: Lang,
    text: &str,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(Lang, String, String)> {
    let reference = crate::i18n::builtin(Lang::default());
    let mut out = Vec::new();
    let mut word = |lang: Lang, key: &Spanned<String>, w: &str, errors: &mut Vec<Diagnostic>| {
        let k = key.get_ref();
        if reference.words.keys().any(|known| known == k) {
            out.push((lang, k.clone(), w.to_string()));
            return;
        }
        let help = match toml_input::closest(k, reference.words.keys()) {
            Some(best) => format!(
                "did you mean `{best}`? The keys are those of [words] in the locale files (README, \"Languages\")"
            ),
            None => "the keys are those of [words] in the locale files (README, \"Languages\")"
                .to_string(),
        };
        errors.push(
            Diagnostic::at(
                Path::new(SITE_FILE),
                text,
                key.span(),
                format!("`{k}` is not a word of the theme"),
            )
            .with_help(help),
        );
    };
    for (key, entry) in &words.0 {
        match entry {
            SiteWord::Word(w) => word(site_lang, key, w, errors),
            SiteWord::Language(table) => match crate::lang::page_language(key.get_ref()) {
                Ok((_, lang)) => {
                    for (k, w) in table {
                        word(lang, k, w, errors);
                    }
                }
                Err(e) => errors.push(
                    Diagnostic::at(
                        Path::new(SITE_FILE),
                        text,
                        key.span(),
                        format!("[words.{}]: {}", key.get_ref(), e.message),
                    )
                    .with_help(e.help),
                ),
            },
        }
    }
    out
}

/// Reads a UTF-8 file; an unreadable or non-UTF-8 file is a located error.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    read_utf8(path).map_err(Diagnostic::from)
}

/// Reads a UTF-8 file.
pub fn read_utf8(path: &Path) -> Result<String, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
        let (line, col) = crate::diagnostics::line_col(&valid, at);
        LoadError::NotUtf8 {
            path: path.to_path_buf(),
            at,
            line,
            col,
        }
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
    fn unreadable_and_non_utf8_files_are_load_errors() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone.md");
        assert!(matches!(read_utf8(&gone), Err(LoadError::Read { path, .. }) if path == gone));
        let bad = dir.path().join("bad.md");
        std::fs::write(&bad, b"ok\n\xc3\xa4 \xff").unwrap();
        let e = read_utf8(&bad).unwrap_err();
        assert!(
            matches!(
                e,
                LoadError::NotUtf8 {
                    at: 6,
                    line: 2,
                    col: 3,
                    ..
                }
            ),
            "{e:?}"
        );
        let d = Diagnostic::from(e);
        assert_eq!((d.line, d.col), (2, 3));
        assert_eq!(d.message, "not valid UTF-8 (byte 6)");
    }

    #[test]
    fn default_scale_has_ratings_and_off_scale_verdicts() {
        let scale = VerdictScale::default_scale(&crate::i18n::Locales::default());
        assert_eq!(scale.rating_bounds(), Some((5, 1)));
        assert_eq!(scale.get("misleading").unwrap().rating, None);
        let tones: Vec<Option<u8>> = scale.keys().map(|k| scale.tone(k)).collect();
        assert_eq!(
            tones,
            [Some(5), Some(4), Some(3), Some(2), Some(1), None, None]
        );
        assert_eq!(scale.get("true").unwrap().label.get(Lang::EN), "True");
    }

    #[test]
    fn a_custom_scale_is_toned_by_rating() {
        let v = |key: &str, rating| VerdictConfig {
            key: key.into(),
            label: Label::Plain(key.into()),
            rating,
            description: None,
        };
        let scale = VerdictScale {
            verdicts: vec![
                v("true", Some(6)),
                v("half-true", Some(4)),
                v("pants-on-fire", Some(1)),
                v("satire", None),
            ],
        };
        assert_eq!(scale.tone("true"), Some(5));
        assert_eq!(scale.tone("half-true"), Some(3));
        assert_eq!(scale.tone("pants-on-fire"), Some(1));
        assert_eq!(scale.tone("satire"), None);
    }

    #[test]
    fn names_are_looked_up_by_one_rule() {
        let person = |name: &str, aliases: &[&str]| Person {
            name: name.into(),
            role: None,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            url: None,
            bio: None,
            kind: PersonKind::Person,
        };
        let mut site = Site::standalone();
        site.people = vec![
            person("Priya Raman", &["Priya Ramen", "Jose"]),
            person("José", &[]),
            person("Jose", &[]),
        ];
        assert_eq!(site.filed_name(" priya  RAMEN "), "Priya Raman");
        assert_eq!(site.person("PRIYA RAMAN").unwrap().0, 0);
        // A name wins over another person's alias.
        assert_eq!(site.person("jose").unwrap().0, 2);
        assert_eq!(site.filed_name("Someone Else"), "Someone Else");
        let pages: Vec<String> = (0..3).map(|i| site.person_page(i)).collect();
        assert_eq!(
            pages,
            ["people/priya-raman/", "people/jose/", "people/jose-2/"]
        );
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
