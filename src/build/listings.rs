//! The pages no single article shows: the index, claims, people, corrections and tags, each
//! once per language of the site (see [`Listing`]). Each listing is a function of the site
//! and the articles' summaries: it puts the pages it wants (template, path, context) into an
//! [`Out`] as it makes them, which hands them on a batch at a time to
//! [`super::render_pages`], to be rendered and written; its warnings are its people's.
use std::collections::{BTreeMap, HashMap};
#[cfg(test)]
use std::path::Path;
use std::path::PathBuf;

use serde::Serialize;

use super::summary::ArticleSummary;
use crate::config::{Person, Site, SiteLang};
use crate::diagnostics::Diagnostic;
use crate::render::{Alternate, root_prefix, url_of_path};
use crate::slug::slugify;

/// A page a listing wants: its template, its path, its language and what its template gets
/// beyond what every page gets (see [`super::Shared::context`]).
#[derive(Debug)]
pub(crate) struct Page {
    /// The template.
    pub(crate) template: &'static str,
    /// The page's path below the site root (`claims/`, `en/claims/`, `` for the home page),
    /// as its template sees it.
    pub(crate) path: String,
    /// The language it is in, for its words.
    pub(crate) lang: crate::lang::Lang,
    /// Its BCP 47 tag (`lang` of the page).
    pub(crate) lang_tag: String,
    /// A file of its own instead of `path/index.html` (`404.html`); such a page is no page of
    /// the site's own (not in the sitemap, not linked to).
    pub(crate) own_file: Option<&'static str>,
    /// The template's variables, in the order set.
    pub(crate) vars: Vec<(&'static str, tera::Value)>,
}

impl Page {
    fn new(template: &'static str, path: impl Into<String>, lang: &SiteLang) -> Page {
        Page {
            template,
            path: path.into(),
            lang: lang.lang,
            lang_tag: lang.tag.clone(),
            own_file: None,
            vars: Vec::new(),
        }
    }

    /// Sets the template variable `name`.
    fn set(&mut self, name: &'static str, value: &(impl Serialize + ?Sized)) {
        self.vars
            .push((name, tera::Value::from_serializable(value)));
    }

    /// Where the page is written, below the output root.
    pub(crate) fn file(&self) -> PathBuf {
        match self.own_file {
            Some(f) => PathBuf::from(f),
            None => PathBuf::from(&self.path).join("index.html"),
        }
    }

    /// Whether it is one of the site's pages (in the sitemap, a link target).
    pub(crate) fn is_listed(&self) -> bool {
        self.own_file.is_none()
    }
}

/// The language one set of listings is in: its articles alone, in its words, below its home
/// (`en/`, or the site root for the site's `language`).
pub struct Listing<'a> {
    /// This language.
    pub lang: &'a SiteLang,
    /// Every language of the site, this one among them, for the language switcher.
    pub all: &'a [SiteLang],
}

impl Listing<'_> {
    /// The page `rest` (`claims/`) of this language, below the site root (`en/claims/`).
    fn here(&self, rest: &str) -> String {
        format!("{}{rest}", self.lang.prefix)
    }

    /// This language's page `rest` through `template`, its language versions set: on a
    /// section's first page (home, `claims/`, `tags/`, …) the same page in every language;
    /// on any page below one (a tag, a person, page 2), a switch to the others' section.
    fn page(&self, site: &Site, template: &'static str, rest: &str) -> Page {
        let here = self.here(rest);
        let root = root_prefix(&here);
        let mut page = Page::new(template, here, self.lang);
        if self.all.len() > 1 {
            let section = section_of(rest);
            let versions: Vec<Alternate> = self
                .all
                .iter()
                .map(|l| {
                    let current = l == self.lang && rest == section;
                    let target = format!("{}{section}", l.prefix);
                    let mut a = Alternate::new(site, &l.tag, &target, &root, current);
                    // Home pages by their file, as every link home.
                    if section.is_empty() && !current {
                        a.href = format!("{root}{}index.html", l.prefix);
                    }
                    a
                })
                .collect();
            if rest == section {
                let others: Vec<&Alternate> = versions.iter().filter(|a| !a.current).collect();
                page.set("switcher", &others);
                page.set("alternates", &versions);
            } else {
                let others: Vec<&Alternate> = versions
                    .iter()
                    .filter(|a| a.lang != self.lang.tag)
                    .collect();
                page.set("switcher", &others);
            }
        }
        page
    }
}

/// The first page of the section a listing page `rest` belongs to: `tags/` for
/// `tags/x/page/2/`, the home page (empty) for `page/2/`.
fn section_of(rest: &str) -> &str {
    match rest.split_once('/') {
        Some((first, _)) if first != "page" => &rest[..first.len() + 1],
        _ => "",
    }
}

/// What the listings want: their pages, in order, and their warnings.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct Listings {
    /// Pages to render.
    pub(crate) pages: Vec<Page>,
    /// Findings that do not stop a build (speakers not in the registry).
    pub(crate) warnings: Vec<Diagnostic>,
}

/// The site's languages, each with its articles (newest first) and the people index of
/// those articles.
pub(crate) type Languages<'a> = Vec<(SiteLang, Vec<&'a ArticleSummary>, People<'a>)>;

/// The site's languages (see [`Site::listing_langs`]), each with its articles of `listed`
/// (in `listed`'s order: an article is listed in its own language only) and their people.
pub(crate) fn by_language<'a>(site: &'a Site, listed: &[&'a ArticleSummary]) -> Languages<'a> {
    let langs = site.listing_langs(listed.iter().map(|a| a.lang.as_str()));
    let mut groups: Vec<(SiteLang, Vec<&ArticleSummary>)> =
        langs.into_iter().map(|l| (l, Vec::new())).collect();
    for a in listed {
        let primary = crate::config::primary_subtag(&a.lang);
        // A language site.toml's `languages` leaves out is listed with the site's own (its
        // passages marked with their `lang`).
        let i = groups
            .iter()
            .position(|(l, _)| crate::config::primary_subtag(&l.tag) == primary)
            .unwrap_or(0);
        groups[i].1.push(a);
    }
    groups
        .into_iter()
        .map(|(l, articles)| {
            let people = people(site, &articles);
            (l, articles, people)
        })
        .collect()
}

/// Every listing page of the site for its `languages`, each language's people first (the
/// first template error met in this order is the one reported), the 404 page last.
#[cfg(test)]
pub(crate) fn all(site: &Site, languages: &Languages<'_>) -> Result<Listings, Diagnostic> {
    let mut pages = Vec::new();
    each(site, languages, &mut |batch| {
        pages.extend(batch);
        Ok(())
    })?;
    let warnings = languages
        .iter()
        .flat_map(|(_, _, people)| people.warnings.iter().cloned())
        .collect();
    Ok(Listings { pages, warnings })
}

/// Hands every listing page of the site for its `languages` to `emit` as it is made, in
/// batches of [`BATCH`] and in the order of [`all`], so that only a batch's variables are
/// held at once (every page of one listing at once, the people pages of a language, was
/// 1.5 KB of Tera values per claim on the site); returns the first error met, `emit`'s
/// included. The listings' warnings are their people's (see [`People::warnings`]).
pub(crate) fn each(
    site: &Site,
    languages: &Languages<'_>,
    emit: &mut dyn FnMut(Vec<Page>) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    let langs: Vec<SiteLang> = languages.iter().map(|(l, _, _)| l.clone()).collect();
    let out = &mut Out {
        batch: Vec::with_capacity(BATCH),
        taken: std::collections::HashSet::new(),
        emit,
    };
    let made = (|| -> Result<(), Diagnostic> {
        for (lang, listed, people) in languages {
            let l = &Listing { lang, all: &langs };
            people_pages(site, l, people, out)?;
            claims(site, l, listed, out)?;
            tags(site, l, listed, out)?;
            authors(site, l, listed, people, out)?;
            taxonomies(site, l, listed, out)?;
            index(site, l, &home_articles(site, &current(site, listed))?, out)?;
            corrections(site, l, listed, out)?;
            if site.config.search.enabled {
                out.push(search_page(site, l))?;
            }
        }
        let everything = all_articles(languages);
        sections(site, &langs[0], &current(site, &everything), out)?;
        out.push(not_found(site))
    })();
    // The pages made before an error are rendered first: an error of theirs comes first.
    let flushed = out.flush();
    made.and(flushed)
}

/// How many listing pages are made before they are rendered: enough to keep every core
/// busy, few enough that no listing is ever held as Tera values whole.
const BATCH: usize = 64;

/// Where the listings put their pages as they make them: handed on in batches, in order.
pub(crate) struct Out<'e> {
    batch: Vec<Page>,
    /// The path of every page made so far (a section's page may not be one of them).
    taken: std::collections::HashSet<String>,
    emit: &'e mut dyn FnMut(Vec<Page>) -> Result<(), Diagnostic>,
}

impl Out<'_> {
    /// Adds `page`, handing the batch on when it is full.
    fn push(&mut self, page: Page) -> Result<(), Diagnostic> {
        self.taken.insert(page.path.clone());
        self.batch.push(page);
        if self.batch.len() < BATCH {
            return Ok(());
        }
        self.flush()
    }

    /// Hands on the pages not yet handed on.
    fn flush(&mut self) -> Result<(), Diagnostic> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        (self.emit)(batch)
    }
}

/// The pages a listing makes into [`Out`], collected (for tests that read them).
#[cfg(test)]
fn collected(
    make: impl FnOnce(&mut Out<'_>) -> Result<(), Diagnostic>,
) -> Result<Vec<Page>, Diagnostic> {
    let mut pages = Vec::new();
    let mut emit = |batch: Vec<Page>| {
        pages.extend(batch);
        Ok(())
    };
    let mut out = Out {
        batch: Vec::new(),
        taken: std::collections::HashSet::new(),
        emit: &mut emit,
    };
    make(&mut out)?;
    out.flush()?;
    Ok(pages)
}

/// Every article of `languages`, newest first (as each language lists them).
pub(crate) fn all_articles<'a>(languages: &Languages<'a>) -> Vec<&'a ArticleSummary> {
    let mut all: Vec<&ArticleSummary> = languages
        .iter()
        .flat_map(|(_, articles, _)| articles.iter().copied())
        .collect();
    all.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
    all
}

/// What the home page lists of `articles`: every one, or those of the sections site.toml's
/// `[home] sections` names (a name that is no section is an error at it).
fn home_articles<'a>(
    site: &Site,
    articles: &[&'a ArticleSummary],
) -> Result<Vec<&'a ArticleSummary>, Diagnostic> {
    if site.config.home.sections.is_empty() {
        return Ok(articles.to_vec());
    }
    let mut chosen = Vec::new();
    for name in &site.config.home.sections {
        let folder = format!("{}/", name.trim().trim_matches('/'));
        match site.sections.iter().find(|s| s.folder == folder) {
            Some(section) => chosen.push(section),
            None => return Err(unknown_home_section(site, name)),
        }
    }
    Ok(articles
        .iter()
        .copied()
        .filter(|a| chosen.iter().any(|s| s.holds(&a.source_path)))
        .collect())
}

/// The error for `[home] sections` naming `name`, which is no section, at that name.
fn unknown_home_section(site: &Site, name: &str) -> Diagnostic {
    let file = crate::config::SITE_FILE;
    let text = std::fs::read_to_string(site.root.join(file)).unwrap_or_default();
    let quoted = toml::Value::String(name.to_string()).to_string();
    let message = format!("`[home] sections` names `{name}`, which is no section");
    let known: Vec<&str> = site
        .sections
        .iter()
        .map(|s| s.folder.trim_end_matches('/'))
        .collect();
    let help = if known.is_empty() {
        format!(
            "a section is a folder of content/ with an `_index.md`: create content/{}/_index.md with `title = \"…\"`, or remove the name",
            name.trim_matches('/')
        )
    } else {
        format!(
            "name a folder of content/ that has an `_index.md`: {}",
            known.join(", ")
        )
    };
    let d = match text.find(&quoted) {
        Some(i) => Diagnostic::at(file, &text, i..i + quoted.len(), message),
        None => Diagnostic::file(file, message),
    };
    d.with_help(help)
}

/// A section as its page and its parent's list of subsections show it.
#[derive(Debug, Serialize)]
struct SectionView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    /// Its page, relative to the page showing it.
    href: String,
    /// Its articles (its subsections' included), listed today.
    count: usize,
    /// Its feed, relative to the page showing it.
    feed: String,
}

/// `s` as a page whose way to the site root is `root` shows it.
fn section_view<'a>(
    s: &'a crate::content::section::Section,
    articles: &[&ArticleSummary],
    root: &str,
) -> SectionView<'a> {
    SectionView {
        title: &s.title,
        description: s.description.as_deref(),
        href: format!("{root}{}", url_of_path(&s.path)),
        count: articles.iter().filter(|a| s.holds(&a.source_path)).count(),
        feed: format!("{root}{}feed.xml", url_of_path(&s.path)),
    }
}

/// A step of the way from the home page down to a section.
#[derive(Debug, Serialize)]
struct Crumb<'a> {
    title: &'a str,
    href: String,
}

/// The articles of `section` among `articles` (newest first), in the section's order.
pub(crate) fn section_articles<'a>(
    section: &crate::content::section::Section,
    articles: &[&'a ArticleSummary],
) -> Vec<&'a ArticleSummary> {
    let mut held: Vec<&ArticleSummary> = articles
        .iter()
        .copied()
        .filter(|a| section.holds(&a.source_path))
        .collect();
    if section.sort == crate::content::section::Sort::Title {
        held.sort_by_cached_key(|a| (a.title.to_lowercase(), a.path.clone()));
    }
    held
}

/// Each section's pages (`world/`, `world/page/2/`, …), in the language `lang` (the site's):
/// its title and description, the way down from the home page, its subsections, and every
/// article below its folder (its subsections' too), paginated by its `paginate` or the
/// site's `paginate_by`.
pub(crate) fn sections(
    site: &Site,
    lang: &SiteLang,
    articles: &[&ArticleSummary],
    out: &mut Out<'_>,
) -> Result<(), Diagnostic> {
    let all = &site.sections;
    let l = &Listing {
        lang,
        all: std::slice::from_ref(lang),
    };
    let held: Vec<Vec<&ArticleSummary>> = all
        .iter()
        .map(|section| section_articles(section, articles))
        .collect();
    let pages_of = |section: &crate::content::section::Section, held: &[&ArticleSummary]| {
        let per_page = section.paginate.unwrap_or(site.config.paginate_by).max(1);
        held.len().div_ceil(per_page).max(1)
    };
    // Every page's path is checked before the first is made.
    for (section, held) in all.iter().zip(&held) {
        let paths = (1..=pages_of(section, held)).map(|n| page_path(&section.path, n));
        refuse_taken(&out.taken, paths, site)?;
    }
    for (section, held) in all.iter().zip(&held) {
        let per_page = section.paginate.unwrap_or(site.config.paginate_by).max(1);
        let chunks: Vec<&[&ArticleSummary]> = if held.is_empty() {
            vec![&[]]
        } else {
            held.chunks(per_page).collect()
        };
        let total = chunks.len();
        debug_assert_eq!(total, pages_of(section, held));
        for (i, chunk) in chunks.iter().enumerate() {
            let n = i + 1;
            // No language switcher: a section is a folder of one site, in its language.
            let mut page = Page::new("section.html", page_path(&section.path, n), lang);
            let root = root_prefix(&page.path);
            let view = |s| section_view(s, articles, &root);
            page.set("this_section", &view(section));
            let mut crumbs = vec![Crumb {
                title: site.locales.get(lang.lang).words.get("home"),
                href: format!("{root}index.html"),
            }];
            let mut above: Vec<&crate::content::section::Section> = all
                .iter()
                .filter(|s| s.folder != section.folder && section.folder.starts_with(&s.folder))
                .collect();
            above.sort_by_key(|s| s.folder.len());
            crumbs.extend(above.iter().map(|s| Crumb {
                title: &s.title,
                href: format!("{root}{}", url_of_path(&s.path)),
            }));
            page.set("breadcrumbs", &crumbs);
            let subsections: Vec<SectionView<'_>> = all
                .iter()
                .filter(|s| section.is_parent_of(s, all))
                .map(view)
                .collect();
            page.set("subsections", &subsections);
            let items: Vec<ListItem<'_>> =
                chunk.iter().map(|a| list_item(site, l, a, &root)).collect();
            page.set("articles", &items);
            page.set("pager", &pager(&section.path, n, total, &root));
            out.push(page)?;
        }
    }
    Ok(())
}

/// An error for a section whose pages would be written where another listing's are
/// (`content/tags/_index.md`, `content/en/_index.md` on a site with an English home).
fn refuse_taken(
    taken: &std::collections::HashSet<String>,
    paths: impl Iterator<Item = String>,
    site: &Site,
) -> Result<(), Diagnostic> {
    for path in paths {
        if taken.contains(path.as_str())
            && let Some(section) = site
                .sections
                .iter()
                .filter(|s| path.starts_with(&s.path))
                .max_by_key(|s| s.path.len())
        {
            return Err(Diagnostic::file(
                &section.file,
                format!("this section's page /{path} is a page gloss makes itself"),
            )
            .with_help(
                "rename the folder: gloss makes the home pages, page/, claims/, people/, corrections/, tags/ and search/ itself",
            ));
        }
    }
    Ok(())
}

/// The articles of `listed` that are listed today: all but those whose `expires` has
/// passed (their pages stay, and so do their claims, quotes and corrections in the record:
/// claims/, people/, corrections/, claims.json). In `listed`'s order.
pub(crate) fn current<'a>(site: &Site, listed: &[&'a ArticleSummary]) -> Vec<&'a ArticleSummary> {
    listed
        .iter()
        .copied()
        .filter(|a| site.schedule.listed(a.expires))
        .collect()
}

/// An article in a list, with its link relative to the listing page.
#[derive(Debug, Serialize)]
struct ListItem<'a> {
    /// The article's language where it is not the listing's (its text's `lang`).
    lang: Option<&'a str>,
    title: &'a str,
    href: String,
    date: String,
    date_display: String,
    summary_html: Option<std::borrow::Cow<'a, str>>,
    claims: usize,
    tags: Vec<TagLink<'a>>,
}

#[derive(Debug, Serialize)]
struct TagLink<'a> {
    name: &'a str,
    href: String,
}

fn list_item<'a>(site: &Site, l: &Listing<'_>, a: &'a ArticleSummary, root: &str) -> ListItem<'a> {
    ListItem {
        lang: crate::lang::other(&a.lang, l.lang.lang),
        title: &a.title,
        href: format!("{root}{}", url_of_path(&a.path)),
        date: a.date.to_string(),
        date_display: site.locales.get(l.lang.lang).long_date(a.date),
        // Links to article files lead to their pages from this listing's place.
        summary_html: match &a.summary {
            Some(s) if crate::links::has_file_links(s) => {
                Some(crate::render::markdown_html_in(s, &a.source_path, root).into())
            }
            _ => a.summary_html.as_deref().map(Into::into),
        },
        claims: a.claims.len(),
        tags: a
            .tags
            .iter()
            .map(|t| TagLink {
                name: t,
                href: format!("{root}{}tags/{}/", l.lang.prefix, crate::slug::tag_slug(t)),
            })
            .collect(),
    }
}

/// The pager a listing template receives.
#[derive(Debug, Serialize)]
struct Pager {
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
}

/// Page `n` (1-based) of a listing whose first page is at `base`.
fn page_path(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// The pager of page `n` of `total` of the listing at `base` (below the site root), for a
/// page whose way to the site root is `root`.
fn pager(base: &str, n: usize, total: usize, root: &str) -> Pager {
    let link = |m: usize| {
        let target = page_path(base, m);
        // A language's home page (the site root, `en/`: the only listing one folder deep)
        // by its file, as every link home.
        if m == 1 && base.matches('/').count() <= 1 {
            format!("{root}{target}index.html")
        } else {
            format!("{root}{target}")
        }
    };
    Pager {
        current: n,
        total,
        previous: (n > 1).then(|| link(n - 1)),
        next: (n < total).then(|| link(n + 1)),
    }
}

/// The pages of a listing of `items` at `base` (below the language's home), `paginate_by`
/// to a page (one page, empty, when there are none): `fill` sets each page's items, given
/// the page's way to the site root; the pager is added.
fn each_page<T>(
    site: &Site,
    l: &Listing<'_>,
    template: &'static str,
    base: &str,
    items: &[T],
    fill: &dyn Fn(&mut Page, &[T], &str),
    out: &mut Out<'_>,
) -> Result<(), Diagnostic> {
    let per_page = site.config.paginate_by.max(1);
    let chunks: Vec<&[T]> = if items.is_empty() {
        vec![&[]]
    } else {
        items.chunks(per_page).collect()
    };
    let total = chunks.len();
    for (i, chunk) in chunks.iter().enumerate() {
        let n = i + 1;
        let mut page = l.page(site, template, &page_path(base, n));
        let root = root_prefix(&page.path);
        fill(&mut page, chunk, &root);
        page.set("pager", &pager(&l.here(base), n, total, &root));
        out.push(page)?;
    }
    Ok(())
}

/// The pages of a listing of `articles` at `base`, `paginate_by` to a page, with `extra` set
/// on each.
fn paginated(
    site: &Site,
    l: &Listing<'_>,
    template: &'static str,
    base: &str,
    articles: &[&ArticleSummary],
    extra: &dyn Fn(&mut Page),
    out: &mut Out<'_>,
) -> Result<(), Diagnostic> {
    let fill = |page: &mut Page, chunk: &[&ArticleSummary], root: &str| {
        let items: Vec<ListItem<'_>> = chunk.iter().map(|a| list_item(site, l, a, root)).collect();
        page.set("articles", &items);
        extra(page);
    };
    each_page(site, l, template, base, articles, &fill, out)
}

/// The home page: every article, newest first.
pub(crate) fn index(
    site: &Site,
    l: &Listing<'_>,
    articles: &[&ArticleSummary],
    out: &mut Out<'_>,
) -> Result<(), Diagnostic> {
    paginated(site, l, "index.html", "", articles, &|_| {}, out)
}

#[derive(Debug, Serialize)]
struct ClaimItem<'a> {
    /// What is claimed: the editor's statement, else the anchored words.
    statement: &'a str,
    /// The article's language where it is not the listing's (its text's `lang`).
    lang: Option<&'a str>,
    /// The anchored words.
    text: &'a str,
    /// Who claims it, as the registry files them.
    by: Option<&'a str>,
    /// Who claims it as the article writes it, where that differs from `by`.
    by_as_written: Option<&'a str>,
    /// Their page, if the registry knows them.
    by_href: Option<String>,
    /// The article itself makes the claim.
    article_itself: bool,
    conclusion: Option<&'a str>,
    /// The claim's own page.
    href: String,
    /// The highlight in the article.
    passage_href: String,
    article_title: &'a str,
    date: String,
    date_display: String,
}

type Claim<'a> = (&'a ArticleSummary, &'a super::summary::ClaimEntry);

fn claim_item<'a>(site: &'a Site, l: &Listing<'_>, (a, c): Claim<'a>, root: &str) -> ClaimItem<'a> {
    let person = c.by.as_deref().and_then(|by| site.person(by));
    let by = c.by.as_deref().map(|by| site.filed_name(by));
    let article = url_of_path(&a.path);
    ClaimItem {
        statement: c.statement(),
        lang: crate::lang::other(&a.lang, l.lang.lang),
        text: &c.text,
        by,
        by_as_written: c
            .by
            .as_deref()
            .filter(|w| Some(crate::annotate::fold(w).as_str()) != by),
        by_href: person.map(|(i, _)| format!("{root}{}{}", l.lang.prefix, site.person_page(i))),
        article_itself: c.article_itself,
        conclusion: c.conclusion.as_deref(),
        href: format!(
            "{root}{}",
            url_of_path(&crate::render::claim_page_path(&a.path, &c.id))
        ),
        passage_href: format!("{root}{article}#{}", c.id),
        article_title: &a.title,
        date: a.date.to_string(),
        date_display: site.locales.get(l.lang.lang).long_date(a.date),
    }
}

/// One bar of a scorecard.
#[derive(Debug, Serialize)]
struct ScoreRow<'a> {
    key: &'a str,
    label: &'a str,
    tone: Option<u8>,
    count: usize,
    /// The bar's length, in percent of the longest bar's.
    width: f64,
    /// The bar's top in the chart, in pixels (the label stands above it).
    y: usize,
}

/// Claims by verdict, as a bar chart (drawn by `partials/scorecard.html`) and as words.
#[derive(Debug, Serialize)]
struct Scorecard<'a> {
    /// Claims counted.
    total: usize,
    /// Every verdict of the scale, in its order, with how many of the claims have it.
    rows: Vec<ScoreRow<'a>>,
    /// The chart's height in pixels.
    height: usize,
    /// The chart as one sentence ("Stimmt: 6, …"), its accessible name.
    text: String,
}

/// The height of one scorecard row (label line and bar), in pixels.
const SCORE_ROW: usize = 42;

/// The scorecard of `claims` (verdict keys), in the site's language.
fn scorecard<'a>(
    site: &'a Site,
    lang: crate::lang::Lang,
    claims: impl Iterator<Item = &'a str>,
) -> Scorecard<'a> {
    let mut counts = vec![0usize; site.scale.verdicts.len()];
    let mut total = 0;
    for key in claims {
        if let Some(i) = site.scale.verdicts.iter().position(|v| v.key == key) {
            counts[i] += 1;
            total += 1;
        }
    }
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let rows: Vec<ScoreRow<'a>> = site
        .scale
        .verdicts
        .iter()
        .zip(&counts)
        .enumerate()
        .map(|(i, (v, &count))| ScoreRow {
            key: &v.key,
            label: v.label.get(lang),
            tone: site.scale.tone(&v.key),
            count,
            width: (count as f64 * 1000.0 / max as f64).round() / 10.0,
            y: i * SCORE_ROW + 20,
        })
        .collect();
    let text = rows
        .iter()
        .map(|r| format!("{}: {}", r.label, r.count))
        .collect::<Vec<_>>()
        .join(", ");
    Scorecard {
        total,
        height: rows.len() * SCORE_ROW,
        rows,
        text,
    }
}

#[derive(Debug, Serialize)]
struct VerdictGroup<'a> {
    key: &'a str,
    label: &'a str,
    rating: Option<u8>,
    /// Where the verdict stands on the scale (1 worst to 5 best), for the `gl-r-N` class.
    tone: Option<u8>,
    /// Claims with this verdict on the whole site.
    count: usize,
    /// The verdict's own listing.
    href: String,
    /// The newest of them.
    claims: Vec<ClaimItem<'a>>,
}

impl<'a> VerdictGroup<'a> {
    /// The group of verdict `v`, which `count` claims of the site have, showing `claims`.
    fn new(
        site: &'a Site,
        l: &Listing<'_>,
        v: &'a crate::config::VerdictConfig,
        count: usize,
        href: String,
        claims: Vec<ClaimItem<'a>>,
    ) -> Self {
        VerdictGroup {
            key: &v.key,
            label: v.label.get(l.lang.lang),
            rating: v.rating,
            tone: site.scale.tone(&v.key),
            count,
            href,
            claims,
        }
    }
}

/// claims/: every verdict of the scale that has claims, with its newest claims (as many as
/// `paginate_by`), and claims/<verdict>/ (paginated) with all of them. One page of every
/// claim would be 25 MB at 10,000 articles: too much for a browser, and for the build's
/// memory.
pub(crate) fn claims(
    site: &Site,
    l: &Listing<'_>,
    articles: &[&ArticleSummary],
    out: &mut Out<'_>,
) -> Result<(), Diagnostic> {
    let mut by_verdict: Vec<Vec<Claim<'_>>> = vec![Vec::new(); site.scale.verdicts.len()];
    for a in articles {
        for c in &a.claims {
            if let Some(i) = site.scale.verdicts.iter().position(|v| v.key == c.verdict) {
                by_verdict[i].push((*a, c));
            }
        }
    }
    let per_page = site.config.paginate_by.max(1);
    let mut page = l.page(site, "claims.html", "claims/");
    let root = root_prefix(&page.path);
    let mut total = 0;
    let mut groups = Vec::new();
    for (v, list) in site.scale.verdicts.iter().zip(&by_verdict) {
        if list.is_empty() {
            continue;
        }
        total += list.len();
        groups.push(VerdictGroup::new(
            site,
            l,
            v,
            list.len(),
            format!("{root}{}/", l.here(&format!("claims/{}", slugify(&v.key)))),
            list.iter()
                .take(per_page)
                .map(|c| claim_item(site, l, *c, &root))
                .collect(),
        ));
    }
    page.set(
        "scorecard",
        &scorecard(
            site,
            l.lang.lang,
            by_verdict.iter().flatten().map(|(_, c)| c.verdict.as_str()),
        ),
    );
    page.set("groups", &groups);
    page.set("total", &total);
    drop(groups);
    out.push(page)?;
    for (v, list) in site.scale.verdicts.iter().zip(&by_verdict) {
        if list.is_empty() {
            continue;
        }
        let base = format!("claims/{}/", slugify(&v.key));
        let fill = |page: &mut Page, chunk: &[Claim<'_>], root: &str| {
            let claims = chunk
                .iter()
                .map(|c| claim_item(site, l, *c, root))
                .collect();
            let href = format!("{root}{}", l.here(&base));
            let group = VerdictGroup::new(site, l, v, list.len(), href, claims);
            page.set("verdict", &group);
        };
        each_page(site, l, "verdict.html", &base, list, &fill, out)?;
    }
    Ok(())
}

/// A person with everything they said on the site.
struct Speaker<'a> {
    name: String,
    role: Option<String>,
    url: Option<String>,
    aliases: Vec<String>,
    registered: bool,
    kind: crate::config::PersonKind,
    quotes: Vec<(&'a ArticleSummary, &'a super::summary::QuoteEntry)>,
    /// What they claim.
    claims: Vec<Claim<'a>>,
}

impl Speaker<'_> {
    /// Someone the registry does not know, under `name` as written (folded).
    fn unregistered(name: &str, role: Option<String>) -> Self {
        Speaker {
            name: crate::annotate::fold(name),
            role,
            url: None,
            aliases: Vec::new(),
            registered: false,
            kind: crate::config::PersonKind::Person,
            quotes: Vec::new(),
            claims: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize)]
struct PersonItem<'a> {
    name: &'a str,
    role: Option<&'a str>,
    href: String,
    quotes: usize,
    claims: usize,
    registered: bool,
}

#[derive(Debug, Serialize)]
struct PersonView<'a> {
    name: &'a str,
    role: Option<&'a str>,
    url: Option<&'a str>,
    aliases: &'a [String],
    registered: bool,
    /// `person` or `organization`.
    kind: crate::config::PersonKind,
    /// A line or two about them, from the registry.
    bio: Option<&'a str>,
    /// Their articles' page (`authors/<slug>/`), if they wrote any.
    articles_href: Option<String>,
}

#[derive(Debug, Serialize)]
struct QuoteItem<'a> {
    /// The article's language where it is not the listing's (its text's `lang`).
    lang: Option<&'a str>,
    text: &'a str,
    as_written: &'a str,
    role: Option<&'a str>,
    href: String,
    article_title: &'a str,
    date: String,
    date_display: String,
}

/// Quotes and claims on one page of a person's listing: a few hundred KB on the generated
/// archive, the limit being 1 MB a file.
const PERSON_PAGE: usize = 500;

/// Everyone the site quotes and every registered claimant, each with their page: what the
/// people pages and the search index both show, made once.
pub(crate) struct People<'a> {
    /// Those quoted or claiming anything, by name.
    speakers: Vec<Speaker<'a>>,
    /// Each speaker's page slug (`people/<slug>/`).
    slugs: Vec<String>,
    /// Speakers missing from the registry.
    pub(crate) warnings: Vec<Diagnostic>,
    /// The authors of the articles, by [`crate::config::name_key`] of their filed name: a
    /// speaker among them has an `authors/` page too.
    authors: std::collections::HashSet<String>,
}

impl People<'_> {
    /// The `people/<slug>/` page of `name` (as [`crate::config::name_key`] compares names),
    /// if they are quoted or make claims.
    pub(crate) fn page_of(&self, name: &str) -> Option<String> {
        let key = crate::config::name_key(name);
        self.speakers
            .iter()
            .zip(&self.slugs)
            .find(|(s, _)| crate::config::name_key(&s.name) == key)
            .map(|(_, slug)| format!("people/{slug}/"))
    }

    /// One search record per person, for the index of the language `lang`.
    pub(crate) fn records(&self, lang: &SiteLang) -> Vec<crate::search::Record<'static>> {
        self.speakers
            .iter()
            .zip(&self.slugs)
            .map(|(s, slug)| {
                crate::search::records::person(
                    &lang.tag,
                    &format!("{}people/{slug}/", lang.prefix),
                    &s.name,
                    s.role.iter().chain(&s.aliases).map(String::as_str),
                    s.quotes.iter().map(|(_, q)| *q),
                    s.claims.iter().map(|(_, c)| *c),
                )
            })
            .collect()
    }
}

/// Everyone quoted and every registered claimant, quotes and claims filed under the
/// registry's name (aliases and misspellings included). A registered person's page is
/// `Site::person_page`, which article pages link to.
pub(crate) fn people<'a>(site: &'a Site, articles: &[&'a ArticleSummary]) -> People<'a> {
    let mut speakers: Vec<Speaker<'_>> = site
        .people
        .iter()
        .map(|p: &Person| Speaker {
            name: p.name.clone(),
            role: p.role.clone(),
            url: p.url.clone(),
            aliases: p.aliases.clone(),
            registered: true,
            kind: p.kind,
            quotes: Vec::new(),
            claims: Vec::new(),
        })
        .collect();
    // Speakers the registry does not know, by the registry's rule for names.
    let mut unregistered: HashMap<String, usize> = HashMap::new();
    let mut warnings = Vec::new();
    for a in articles {
        for q in &a.quotes {
            let i = match site.person(&q.speaker) {
                Some((i, _)) => i,
                None => {
                    let key = crate::config::name_key(&q.speaker);
                    if let Some(&i) = unregistered.get(&key) {
                        speakers[i].quotes.push((a, q));
                        continue;
                    }
                    let mut d = Diagnostic::file(
                        &a.source_path,
                        format!("speaker `{}` is not in the person registry", q.speaker),
                    )
                    .warning()
                    .with_help(
                        "add a [[person]] with this name (or as an alias) to people.toml or site.toml",
                    );
                    (d.line, d.col) = q.location;
                    warnings.push(d);
                    speakers.push(Speaker::unregistered(&q.speaker, q.role.clone()));
                    unregistered.insert(key, speakers.len() - 1);
                    speakers.len() - 1
                }
            };
            speakers[i].quotes.push((a, q));
        }
        for c in &a.claims {
            let Some(by) = c.by.as_deref().filter(|b| !b.trim().is_empty()) else {
                continue;
            };
            let i = match site.person(by) {
                Some((i, _)) => i,
                None => {
                    // Someone who only makes claims has a record too, under the name as
                    // written.
                    let key = crate::config::name_key(by);
                    if let Some(&i) = unregistered.get(&key) {
                        speakers[i].claims.push((a, c));
                        continue;
                    }
                    let what = if c.article_itself {
                        "the article's source"
                    } else {
                        "claimant"
                    };
                    let mut d = Diagnostic::file(
                        &a.source_path,
                        format!("{what} `{by}` is not in the person registry"),
                    )
                    .warning()
                    .with_help(
                        "add a [[person]] with this name (or as an alias) to people.toml or site.toml; `kind = \"organization\"` for an organisation",
                    );
                    (d.line, d.col) = c.location;
                    warnings.push(d);
                    speakers.push(Speaker::unregistered(by, None));
                    unregistered.insert(key, speakers.len() - 1);
                    speakers.len() - 1
                }
            };
            speakers[i].claims.push((a, c));
        }
    }
    // Registered people keep the registry's slugs (article pages link them); the others
    // take what is left.
    let mut taken: std::collections::HashSet<String> = (0..site.people.len())
        .map(|i| site.person_page(i))
        .collect();
    let pages_of: Vec<String> = speakers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if s.registered {
                return site.person_page(i);
            }
            let base = slugify(&s.name);
            let mut n = 1;
            loop {
                let page = if n == 1 {
                    format!("people/{base}/")
                } else {
                    format!("people/{base}-{n}/")
                };
                if taken.insert(page.clone()) {
                    return page;
                }
                n += 1;
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..speakers.len())
        .filter(|&i| !speakers[i].quotes.is_empty() || !speakers[i].claims.is_empty())
        .collect();
    order.sort_by_key(|&i| speakers[i].name.to_lowercase());
    let slug_of: Vec<String> = order
        .iter()
        .map(|&i| {
            let page = &pages_of[i];
            page["people/".len()..page.len() - 1].to_string()
        })
        .collect();
    let speakers: Vec<Speaker<'_>> = {
        let mut all: Vec<Option<Speaker<'_>>> = speakers.into_iter().map(Some).collect();
        order.iter().filter_map(|&i| all[i].take()).collect()
    };
    let authors = articles
        .iter()
        .flat_map(|a| &a.authors)
        .map(|n| crate::config::name_key(site.filed_name(n)))
        .collect();
    People {
        speakers,
        slugs: slug_of,
        warnings,
        authors,
    }
}

/// people/ and people/<slug>/.
pub(crate) fn people_pages(
    site: &Site,
    l: &Listing<'_>,
    people: &People<'_>,
    out: &mut Out<'_>,
) -> Result<(), Diagnostic> {
    let mut page = l.page(site, "people.html", "people/");
    let root = root_prefix(&page.path);
    let items: Vec<PersonItem<'_>> = people
        .speakers
        .iter()
        .zip(&people.slugs)
        .map(|(s, slug)| PersonItem {
            name: &s.name,
            role: s.role.as_deref(),
            href: format!("{root}{}people/{slug}/", l.lang.prefix),
            quotes: s.quotes.len(),
            claims: s.claims.len(),
            registered: s.registered,
        })
        .collect();
    page.set("people", &items);
    drop(items);
    out.push(page)?;
    for (s, slug) in people.speakers.iter().zip(&people.slugs) {
        let rest = format!("people/{slug}/");
        // Paginated like the other listings, so that no page grows with the archive: at 10k
        // articles one page with each of a reporter's 6,700 quotes was 2.6 MB.
        let entries = s.quotes.len() + s.claims.len();
        let total = entries.div_ceil(PERSON_PAGE).max(1);
        for n in 1..=total {
            let (from, to) = ((n - 1) * PERSON_PAGE, (n * PERSON_PAGE).min(entries));
            let mut page = l.page(site, "person.html", &page_path(&rest, n));
            let root = root_prefix(&page.path);
            let quotes: Vec<QuoteItem<'_>> = s.quotes
                [from.min(s.quotes.len())..to.min(s.quotes.len())]
                .iter()
                .map(|(a, q)| QuoteItem {
                    lang: crate::lang::other(&a.lang, l.lang.lang),
                    text: &q.text,
                    as_written: &q.speaker,
                    role: q.role.as_deref(),
                    href: format!("{root}{}#{}", url_of_path(&a.path), q.id),
                    article_title: &a.title,
                    date: a.date.to_string(),
                    date_display: site.locales.get(l.lang.lang).long_date(a.date),
                })
                .collect();
            let claims_at = |i: usize| i.saturating_sub(s.quotes.len());
            let on_page = &s.claims[claims_at(from)..claims_at(to)];
            let claims: Vec<ClaimItem<'_>> = on_page
                .iter()
                .map(|c| claim_item(site, l, *c, &root))
                .collect();
            // The page's claims by verdict, in the scale's order; the scorecard counts all.
            let groups: Vec<VerdictGroup<'_>> = site
                .scale
                .verdicts
                .iter()
                .filter_map(|v| {
                    let list: Vec<ClaimItem<'_>> = on_page
                        .iter()
                        .filter(|(_, c)| c.verdict == v.key)
                        .map(|c| claim_item(site, l, *c, &root))
                        .collect();
                    let count = s.claims.iter().filter(|(_, c)| c.verdict == v.key).count();
                    (!list.is_empty()).then(|| {
                        VerdictGroup::new(site, l, v, count, format!("#v-{}", v.key), list)
                    })
                })
                .collect();
            page.set(
                "person",
                &PersonView {
                    name: &s.name,
                    role: s.role.as_deref(),
                    url: s.url.as_deref(),
                    aliases: &s.aliases,
                    registered: s.registered,
                    kind: s.kind,
                    bio: site.person(&s.name).and_then(|(_, p)| p.bio.as_deref()),
                    articles_href: people
                        .authors
                        .contains(&crate::config::name_key(&s.name))
                        .then(|| format!("{root}{}{}", l.lang.prefix, site.author_page(&s.name))),
                },
            );
            page.set("quotes", &quotes);
            page.set("quote_count", &s.quotes.len());
            page.set("claims", &claims);
            page.set("claim_count", &s.claims.len());
            page.set(
                "scorecard",
                &scorecard(
                    site,
                    l.lang.lang,
                    s.claims.iter().map(|(_, c)| c.verdict.as_str()),
                ),
            );
            page.set("groups", &groups);
            page.set("pager", &pager(&l.here(&rest), n, total, &root));
            out.push(page)?;
        }
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct CorrectionItem<'a> {
    /// The article's language where it is not the listing's (its text's `lang`).
    lang: Option<&'a str>,
    text: &'a str,
    correct: &'a str,
    note_html: Option<&'a str>,
    href: String,
    article_title: &'a str,
    date: String,
    date_display: String,
}

/// Every correction of the site, newest first.
pub fn all_corrections<'a>(
    articles: &[&'a ArticleSummary],
) -> Vec<(&'a ArticleSummary, &'a super::summary::CorrectionEntry)> {
    let mut all: Vec<_> = articles
        .iter()
        .flat_map(|a| a.corrections.iter().map(move |c| (*a, c)))
        .collect();
    all.sort_by(|x, y| y.1.date.cmp(&x.1.date).then(x.0.path.cmp(&y.0.path)));
    all
}

/// corrections/: every correction, newest first.
pub(crate) fn corrections(
    site: &Site,
    l: &Listing<'_>,
    articles: &[&ArticleSummary],
    out: &mut Out<'_>,
) -> Result<(), Diagnostic> {
    let mut page = l.page(site, "corrections.html", "corrections/");
    let root = root_prefix(&page.path);
    let items: Vec<CorrectionItem<'_>> = all_corrections(articles)
        .into_iter()
        .map(|(a, c)| CorrectionItem {
            lang: crate::lang::other(&a.lang, l.lang.lang),
            text: &c.text,
            correct: &c.correct,
            note_html: c.note_html.as_deref(),
            href: format!("{root}{}#{}", url_of_path(&a.path), c.id),
            article_title: &a.title,
            date: c.date.to_string(),
            date_display: site.locales.get(l.lang.lang).long_date(c.date),
        })
        .collect();
    page.set("corrections", &items);
    drop(items);
    out.push(page)
}

#[derive(Debug, Serialize)]
struct TagItem {
    name: String,
    href: String,
    count: usize,
}

/// tags/ and tags/<slug>/ (paginated).
pub(crate) fn tags(
    site: &Site,
    l: &Listing<'_>,
    articles: &[&ArticleSummary],
    out: &mut Out<'_>,
) -> Result<(), Diagnostic> {
    let by_slug = group_terms(articles, "tags", "tags", &|a| a.tags.clone(), &|t| {
        (crate::slug::tag_slug(t), crate::slug::tag_key(t))
    })?;
    // A tag's page lists the articles listed today; a tag only expired articles have keeps
    // its (empty) page, which their pages link to, but leaves tags/.
    let by_slug: Vec<(&String, &String, Vec<&ArticleSummary>)> = by_slug
        .iter()
        .map(|(slug, (name, list))| (slug, name, current(site, list)))
        .collect();
    let mut page = l.page(site, "tags.html", "tags/");
    let root = root_prefix(&page.path);
    let items: Vec<TagItem> = by_slug
        .iter()
        .filter(|(_, _, list)| !list.is_empty())
        .map(|(slug, name, list)| TagItem {
            name: name.to_string(),
            href: format!("{root}{}tags/{slug}/", l.lang.prefix),
            count: list.len(),
        })
        .collect();
    page.set("tags", &items);
    drop(items);
    out.push(page)?;
    for (slug, name, list) in &by_slug {
        let base = format!("tags/{slug}/");
        let extra = |page: &mut Page| {
            page.set("tag", name);
            let root = root_prefix(&page.path);
            page.set("feed", &format!("{root}{}feed.xml", l.here(&base)));
        };
        paginated(site, l, "tag.html", &base, list, &extra, out)?;
    }
    Ok(())
}

/// Articles by term (a tag, an author, a taxonomy's term), by the slug of the term's page:
/// the term as first written and its articles, in the order of `articles`.
type Terms<'a> = BTreeMap<String, (String, Vec<&'a ArticleSummary>)>;

/// `articles` grouped by the terms `terms_of` gives each, under `folder/<slug>/`; `slug_key`
/// gives a term's slug and what makes two spellings one term. Spellings of one term ("KI",
/// "ki") are one term, shown as first written. Different terms whose slugs agree would have
/// to share a page, or one of them get a URL that depends on the other: the editor decides
/// which spelling is meant (`what` names them in the error: "tags", "authors").
fn group_terms<'a>(
    articles: &[&'a ArticleSummary],
    what: &str,
    folder: &str,
    terms_of: &dyn Fn(&ArticleSummary) -> Vec<String>,
    slug_key: &dyn Fn(&str) -> (String, String),
) -> Result<Terms<'a>, Diagnostic> {
    let mut by_slug: Terms<'a> = BTreeMap::new();
    for a in articles {
        for t in terms_of(a) {
            let (slug, key) = slug_key(&t);
            let entry = by_slug
                .entry(slug.clone())
                .or_insert_with(|| (t.clone(), Vec::new()));
            if slug_key(&entry.0).1 != key {
                let first = entry.1.first().map(|f| f.source_path.display().to_string());
                return Err(Diagnostic::file(
                    &a.source_path,
                    format!(
                        "the {what} `{t}` and `{}` (in {}) would share the page {folder}/{slug}/",
                        entry.0,
                        first.unwrap_or_default()
                    ),
                )
                .with_help("write it the same way in both articles, or name one differently"));
            }
            // Articles come one at a time: only the last one listed can be this one.
            if !entry.1.last().is_some_and(|x| std::ptr::eq(*x, *a)) {
                entry.1.push(a);
            }
        }
    }
    Ok(by_slug)
}

/// The articles' authors by the slug of their page (see [`Site::author_page`]), each under
/// the name the registry files them by.
fn authors_of<'a>(site: &Site, articles: &[&'a ArticleSummary]) -> Result<Terms<'a>, Diagnostic> {
    group_terms(
        articles,
        "authors",
        "authors",
        &|a| {
            a.authors
                .iter()
                .filter(|n| !n.trim().is_empty())
                .map(|n| crate::annotate::fold(site.filed_name(n)))
                .collect()
        },
        &|name| {
            let page = site.author_page(name);
            let slug = page["authors/".len()..page.len() - 1].to_string();
            (slug, crate::config::name_key(name))
        },
    )
}

/// The terms of the taxonomy `name` among `articles`, by slug (as tags are).
fn terms_of<'a>(name: &str, articles: &[&'a ArticleSummary]) -> Result<Terms<'a>, Diagnostic> {
    group_terms(
        articles,
        name,
        name,
        &|a| {
            a.taxonomies
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, terms)| terms.clone())
                .unwrap_or_default()
        },
        &|t| (crate::slug::tag_slug(t), crate::slug::tag_key(t)),
    )
}

/// A list that has a feed of its own: its page below the language's home (`tags/ki/`), the
/// feed's title and its articles, newest first.
pub(crate) type FeedList<'a> = (String, String, Vec<&'a ArticleSummary>);

/// Every list with a feed of its own beside `feed.xml` in the language `l`: each tag, each
/// author and each term of each taxonomy (their feeds are `<page>feed.xml`).
pub(crate) fn feed_lists<'a>(
    site: &Site,
    l: &SiteLang,
    articles: &[&'a ArticleSummary],
) -> Result<Vec<FeedList<'a>>, Diagnostic> {
    let articles = &current(site, articles);
    let title = |what: &str, name: &str| format!("{} – {what}: {name}", site.config.title);
    let words = &site.locales.get(l.lang).words;
    let mut out = Vec::new();
    let tags = group_terms(articles, "tags", "tags", &|a| a.tags.clone(), &|t| {
        (crate::slug::tag_slug(t), crate::slug::tag_key(t))
    })?;
    for (slug, (name, list)) in tags {
        out.push((
            format!("tags/{slug}/"),
            title(words.get("tag"), &name),
            list,
        ));
    }
    for (slug, (name, list)) in authors_of(site, articles)? {
        out.push((
            format!("authors/{slug}/"),
            title(words.get("author"), &name),
            list,
        ));
    }
    for t in &site.config.taxonomies {
        for (slug, (name, list)) in terms_of(&t.name, articles)? {
            let page = format!("{}/{slug}/", t.name);
            out.push((page, title(t.title.get(l.lang), &name), list));
        }
    }
    Ok(out)
}

#[derive(Debug, Serialize)]
struct AuthorItem<'a> {
    name: &'a str,
    role: Option<&'a str>,
    href: String,
    count: usize,
    registered: bool,
}

#[derive(Debug, Serialize)]
struct AuthorView<'a> {
    name: &'a str,
    role: Option<&'a str>,
    url: Option<&'a str>,
    bio: Option<&'a str>,
    registered: bool,
    /// `person` or `organization`.
    kind: crate::config::PersonKind,
    /// Their page in `people/`, where they are quoted or make claims too.
    person_href: Option<String>,
    /// Their articles in all.
    count: usize,
}

/// authors/ (everyone with a byline, by name) and authors/<slug>/ (their articles, newest
/// first, paginated, with a feed). An author the registry knows is the registry's person:
/// the same name, the slug of their `people/` page (which links here), their role and bio.
pub(crate) fn authors(
    site: &Site,
    l: &Listing<'_>,
    articles: &[&ArticleSummary],
    people: &People<'_>,
    out: &mut Out<'_>,
) -> Result<(), Diagnostic> {
    // As tags: an author only expired articles have keeps the page their bylines link to,
    // empty, but leaves authors/.
    let by_slug: Terms<'_> = authors_of(site, articles)?
        .into_iter()
        .map(|(slug, (name, list))| (slug, (name, current(site, &list))))
        .collect();
    let mut sorted: Vec<(&String, &(String, Vec<&ArticleSummary>))> = by_slug
        .iter()
        .filter(|(_, (_, list))| !list.is_empty())
        .collect();
    sorted.sort_by_key(|(_, (name, _))| name.to_lowercase());
    let mut page = l.page(site, "authors.html", "authors/");
    let root = root_prefix(&page.path);
    let items: Vec<AuthorItem<'_>> = sorted
        .iter()
        .map(|(slug, (name, list))| {
            let person = site.person(name).map(|(_, p)| p);
            AuthorItem {
                name,
                role: person.and_then(|p| p.role.as_deref()),
                href: format!("{root}{}authors/{slug}/", l.lang.prefix),
                count: list.len(),
                registered: person.is_some(),
            }
        })
        .collect();
    page.set("authors", &items);
    drop(items);
    out.push(page)?;
    for (slug, (name, list)) in &by_slug {
        let base = format!("authors/{slug}/");
        let person = site.person(name).map(|(_, p)| p);
        let person_page = people.page_of(name);
        let extra = |page: &mut Page| {
            let root = root_prefix(&page.path);
            page.set(
                "author",
                &AuthorView {
                    name,
                    role: person.and_then(|p| p.role.as_deref()),
                    url: person.and_then(|p| p.url.as_deref()),
                    bio: person.and_then(|p| p.bio.as_deref()),
                    registered: person.is_some(),
                    kind: person.map_or(crate::config::PersonKind::Person, |p| p.kind),
                    person_href: person_page
                        .as_ref()
                        .map(|p| format!("{root}{}{p}", l.lang.prefix)),
                    count: list.len(),
                },
            );
            page.set("feed", &format!("{root}{}feed.xml", l.here(&base)));
        };
        paginated(site, l, "author.html", &base, list, &extra, out)?;
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct TaxonomyView<'a> {
    /// Its name, the folder of its pages (`categories`).
    name: &'a str,
    /// What readers see, in the page's language.
    title: &'a str,
    /// Its index page.
    href: String,
}

/// Each taxonomy of site.toml: `<name>/` (its terms, with counts) and `<name>/<slug>/` (a
/// term's articles, paginated, with a feed).
pub(crate) fn taxonomies(
    site: &Site,
    l: &Listing<'_>,
    articles: &[&ArticleSummary],
    out: &mut Out<'_>,
) -> Result<(), Diagnostic> {
    // Every taxonomy's terms first: a clash in any of them is this listing's error, before
    // any of its pages.
    let mut grouped = Vec::with_capacity(site.config.taxonomies.len());
    for t in &site.config.taxonomies {
        let by_slug: Terms<'_> = terms_of(&t.name, articles)?
            .into_iter()
            .map(|(slug, (name, list))| (slug, (name, current(site, &list))))
            .collect();
        grouped.push((t, by_slug));
    }
    for (t, by_slug) in &grouped {
        let index = format!("{}/", t.name);
        let view = |root: &str| TaxonomyView {
            name: &t.name,
            title: t.title.get(l.lang.lang),
            href: format!("{root}{}", l.here(&index)),
        };
        let mut page = l.page(site, "taxonomy.html", &index);
        let root = root_prefix(&page.path);
        let items: Vec<TagItem> = by_slug
            .iter()
            .filter(|(_, (_, list))| !list.is_empty())
            .map(|(slug, (name, list))| TagItem {
                name: name.clone(),
                href: format!("{root}{}{slug}/", l.here(&index)),
                count: list.len(),
            })
            .collect();
        page.set("taxonomy", &view(&root));
        page.set("terms", &items);
        drop(items);
        out.push(page)?;
        for (slug, (name, list)) in by_slug {
            let base = format!("{index}{slug}/");
            let extra = |page: &mut Page| {
                let root = root_prefix(&page.path);
                page.set("taxonomy", &view(&root));
                page.set("term", name);
                page.set("feed", &format!("{root}{}feed.xml", l.here(&base)));
            };
            paginated(site, l, "term.html", &base, list, &extra, out)?;
        }
    }
    Ok(())
}

/// search/: the search page; the index itself is [`crate::search`]'s.
pub(crate) fn search_page(site: &Site, l: &Listing<'_>) -> Page {
    l.page(site, "search.html", "search/")
}

/// 404.html: served for any missing path, so its links are absolute (from `base_url`).
pub(crate) fn not_found(site: &Site) -> Page {
    let lang = SiteLang {
        lang: site.lang,
        tag: site.config.language.clone(),
        prefix: String::new(),
    };
    let mut page = Page::new("404.html", "", &lang);
    page.own_file = Some("404.html");
    // Absolute: the page is served for missing paths at any depth; a preview's from the
    // server's root, for the site is not at `base_url` yet.
    let root = if site.preview {
        "/".to_string()
    } else {
        site.root_url()
    };
    page.set("root", &root);
    page.set("home", &root);
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small site: a registry of one, three articles (two on one tag, spelled two ways),
    /// claims of two verdicts, quotes by a registered and an unregistered speaker, a
    /// correction, two to a page.
    fn desk() -> (tempfile::TempDir, Site, Vec<ArticleSummary>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.toml"),
            "title = \"Desk\"\nlanguage = \"en\"\nbase_url = \"https://example.org/desk\"\n\
             paginate_by = 2\n[[person]]\nname = \"Priya Raman\"\nrole = \"Analyst\"\n\
             aliases = [\"Priya Ramen\"]\n",
        )
        .unwrap();
        let site = Site::load(dir.path()).unwrap();
        let articles = [
            (
                "content/2026/levy.md",
                "+++\ntitle = \"Levy\"\ndate = 2026-01-02\ntags = [\"Transit\", \"AI\"]\n\
                 summary = \"The **levy**, in [brief](https://example.org/).\"\n\
                 [[claim]]\ntext = \"the levy doubles fares\"\nby = \"Priya Ramen\"\n\
                 verdict = \"false\"\nconclusion = \"It adds a tenth.\"\n\
                 [[quote]]\ntext = \"We will see\"\nspeaker = \"Priya Raman\"\n+++\n\
                 She says the levy doubles fares. \"We will see\", she said.\n",
            ),
            (
                "content/2026/tram.md",
                "+++\ntitle = \"Tram\"\ndate = 2026-01-03\ntags = [\"transit\"]\n\
                 [[claim]]\ntext = \"The tram runs\"\nverdict = \"true\"\n\
                 [[quote]]\ntext = \"on time\"\nspeaker = \"Jo Bloggs\"\nrole = \"Driver\"\n\
                 [[correction]]\ntext = \"Mondya\"\ncorrect = \"Monday\"\n\
                 note = \"A *typo*.\"\ndate = 2026-01-04\n+++\n\
                 The tram runs on time since Mondya.\n",
            ),
            (
                "content/2025/old.md",
                "+++\ntitle = \"Old\"\ndate = 2025-12-31\n+++\nNothing to see.\n",
            ),
        ];
        let summaries = articles
            .iter()
            .map(|(path, text)| {
                let url = crate::content::url_path_for(Path::new(path));
                let article = crate::content::parse_article(
                    &site,
                    PathBuf::from(path),
                    text.to_string(),
                    url,
                )
                .unwrap();
                let anchored = crate::annotate::anchor(&article, true).unwrap();
                ArticleSummary::new(&article, &anchored)
            })
            .collect();
        (dir, site, summaries)
    }

    /// The pages as a snapshot shows them: template, path, file and variables.
    fn shown(pages: &[Page]) -> String {
        let pages: Vec<serde_json::Value> = pages
            .iter()
            .map(|p| {
                let vars: serde_json::Map<String, serde_json::Value> = p
                    .vars
                    .iter()
                    .map(|(k, v)| (k.to_string(), serde_json::to_value(v).unwrap()))
                    .collect();
                serde_json::json!({
                    "template": p.template,
                    "path": p.path,
                    "file": p.file(),
                    "listed": p.is_listed(),
                    "vars": vars,
                })
            })
            .collect();
        serde_json::to_string_pretty(&pages).unwrap()
    }

    fn listed(summaries: &[ArticleSummary]) -> Vec<&ArticleSummary> {
        let mut listed: Vec<&ArticleSummary> = summaries.iter().collect();
        listed.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
        listed
    }

    /// The site's one language.
    fn only_language(site: &Site) -> SiteLang {
        let langs = site.listing_langs(std::iter::empty());
        assert_eq!(langs.len(), 1);
        langs.into_iter().next().unwrap()
    }

    #[test]
    fn each_listing_wants_its_pages() {
        let (_dir, site, summaries) = desk();
        let listed = listed(&summaries);
        let lang = only_language(&site);
        let l = &Listing {
            lang: &lang,
            all: std::slice::from_ref(&lang),
        };
        let made = |make: &dyn Fn(&mut Out<'_>) -> Result<(), Diagnostic>| {
            shown(&collected(make).unwrap())
        };
        insta::assert_snapshot!("index", made(&|out| index(&site, l, &listed, out)));
        insta::assert_snapshot!("claims", made(&|out| claims(&site, l, &listed, out)));
        insta::assert_snapshot!("tags", made(&|out| tags(&site, l, &listed, out)));
        insta::assert_snapshot!(
            "corrections",
            made(&|out| corrections(&site, l, &listed, out))
        );
        let people = people(&site, &listed);
        insta::assert_snapshot!("people", made(&|out| people_pages(&site, l, &people, out)));
        insta::assert_snapshot!("not_found", shown(&[not_found(&site)]));
        let warnings: Vec<&str> = people.warnings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            warnings,
            ["speaker `Jo Bloggs` is not in the person registry"]
        );
    }

    #[test]
    fn all_listings_come_in_one_list_people_first() {
        let (_dir, site, summaries) = desk();
        let listed = listed(&summaries);
        let all = all(&site, &by_language(&site, &listed)).unwrap();
        let paths: Vec<String> = all
            .pages
            .iter()
            .map(|p| p.file().to_string_lossy().into_owned())
            .collect();
        insta::assert_snapshot!("all", paths.join("\n"));
        assert_eq!(all.warnings.len(), 1);
    }

    /// 300 articles, each with a tag of its own, make listings (tags, the home page) of far
    /// more than a batch of pages: none of them may reach the renderer whole.
    #[test]
    fn listings_are_handed_on_a_batch_at_a_time_in_order() {
        let (_dir, site, summaries) = desk();
        let many: Vec<ArticleSummary> = (0..300)
            .map(|i| {
                let mut a = summaries[1].clone();
                a.path = format!("2026/tram-{i}/");
                a.tags = vec![format!("line {i}")];
                a
            })
            .collect();
        let listed = listed(&many);
        let languages = by_language(&site, &listed);
        let mut batches = Vec::new();
        each(&site, &languages, &mut |batch| {
            batches.push(batch.iter().map(|p| p.path.clone()).collect::<Vec<_>>());
            Ok(())
        })
        .unwrap();
        let all: Vec<String> = all(&site, &languages)
            .unwrap()
            .pages
            .into_iter()
            .map(|p| p.path)
            .collect();
        assert!(all.len() > 3 * BATCH, "{} pages", all.len());
        assert!(batches.iter().all(|b| !b.is_empty() && b.len() <= BATCH));
        assert_eq!(batches.len(), all.len().div_ceil(BATCH));
        assert_eq!(batches.concat(), all);
    }

    #[test]
    fn people_records_need_no_pages() {
        let (_dir, site, summaries) = desk();
        let listed = listed(&summaries);
        let records = people(&site, &listed).records(&only_language(&site));
        let shown: Vec<(&str, &str, &str)> = records
            .iter()
            .map(|r| (r.url.as_str(), r.title.as_str(), r.content.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "/people/jo-bloggs/",
                    "Jo Bloggs",
                    "Jo Bloggs Driver on time"
                ),
                (
                    "/people/priya-raman/",
                    "Priya Raman",
                    "Priya Raman Analyst Priya Ramen We will see the levy doubles fares"
                ),
            ]
        );
    }
}
