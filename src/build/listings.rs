//! The pages no single article shows: the index, claims, people, corrections and tags, each
//! once per language of the site (see [`Listing`]).
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;
use tera::Context;

use super::Pages;
use super::summary::ArticleSummary;
use crate::config::{Person, Site, SiteLang};
use crate::diagnostics::Diagnostic;
use crate::render::{Alternate, root_prefix, url_of_path};
use crate::slug::slugify;

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

    /// The context of this language's page `rest`, its language versions included: on a
    /// section's first page (home, `claims/`, `tags/`, …) the same page in every language;
    /// on any page below one (a tag, a person, page 2), a switch to the others' section.
    fn context(&self, site: &Site, pages: &Pages<'_>, rest: &str) -> Context {
        let here = self.here(rest);
        let mut cx = pages.shared.context(self.lang.lang, &self.lang.tag, &here);
        if self.all.len() > 1 {
            let section = section_of(rest);
            let root = root_prefix(&here);
            let versions: Vec<Alternate> = self
                .all
                .iter()
                .map(|l| {
                    let current = l == self.lang && rest == section;
                    let page = format!("{}{section}", l.prefix);
                    let mut a = Alternate::new(site, &l.tag, &page, &root, current);
                    // Home pages by their file, as every link home.
                    if section.is_empty() && !current {
                        a.href = format!("{root}{}index.html", l.prefix);
                    }
                    a
                })
                .collect();
            if rest == section {
                super::insert_alternates(&mut cx, &versions);
            } else {
                let others: Vec<&Alternate> = versions
                    .iter()
                    .filter(|a| a.lang != self.lang.tag)
                    .collect();
                cx.insert("switcher", &others);
            }
        }
        cx
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

/// The pager of page `n` of `total` of the listing at `base`, for a page whose way to the
/// site root is `root`.
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

/// Writes a listing of `items` at `base`, `paginate_by` to a page (one page, empty, when
/// there are none): `fill` puts each page's items into its context, given the page's way to
/// the site root; the pager is added. Returns the pages written.
fn each_page<T>(
    site: &Site,
    l: &Listing<'_>,
    pages: &Pages<'_>,
    template: &str,
    base: &str,
    items: &[T],
    fill: &dyn Fn(&mut Context, &[T], &str),
) -> Result<usize, Diagnostic> {
    let per_page = site.config.paginate_by.max(1);
    let chunks: Vec<&[T]> = if items.is_empty() {
        vec![&[]]
    } else {
        items.chunks(per_page).collect()
    };
    let total = chunks.len();
    for (i, chunk) in chunks.iter().enumerate() {
        let n = i + 1;
        let rest = page_path(base, n);
        let here = l.here(&rest);
        let root = root_prefix(&here);
        let mut cx = l.context(site, pages, &rest);
        fill(&mut cx, chunk, &root);
        cx.insert("pager", &pager(&l.here(base), n, total, &root));
        pages.render(template, &cx, &here)?;
    }
    Ok(total)
}

/// Writes a listing of `articles` at `base`, `paginate_by` to a page, with `extra` in each
/// page's context; returns the pages written.
fn paginated(
    site: &Site,
    l: &Listing<'_>,
    pages: &Pages<'_>,
    template: &str,
    base: &str,
    articles: &[&ArticleSummary],
    extra: &dyn Fn(&mut Context),
) -> Result<usize, Diagnostic> {
    each_page(
        site,
        l,
        pages,
        template,
        base,
        articles,
        &|cx, chunk, root| {
            let items: Vec<ListItem<'_>> =
                chunk.iter().map(|a| list_item(site, l, a, root)).collect();
            cx.insert("articles", &items);
            extra(cx);
        },
    )
}

/// The home page: every article, newest first.
pub fn index(
    site: &Site,
    l: &Listing<'_>,
    pages: &Pages<'_>,
    articles: &[&ArticleSummary],
) -> Result<usize, Diagnostic> {
    paginated(site, l, pages, "index.html", "", articles, &|_| {})
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
pub fn claims(
    site: &Site,
    l: &Listing<'_>,
    pages: &Pages<'_>,
    articles: &[&ArticleSummary],
) -> Result<usize, Diagnostic> {
    let mut by_verdict: Vec<Vec<Claim<'_>>> = vec![Vec::new(); site.scale.verdicts.len()];
    for a in articles {
        for c in &a.claims {
            if let Some(i) = site.scale.verdicts.iter().position(|v| v.key == c.verdict) {
                by_verdict[i].push((*a, c));
            }
        }
    }
    let per_page = site.config.paginate_by.max(1);
    let here = l.here("claims/");
    let root = root_prefix(&here);
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
    let mut cx = l.context(site, pages, "claims/");
    cx.insert(
        "scorecard",
        &scorecard(
            site,
            l.lang.lang,
            by_verdict.iter().flatten().map(|(_, c)| c.verdict.as_str()),
        ),
    );
    cx.insert("groups", &groups);
    cx.insert("total", &total);
    pages.render("claims.html", &cx, &here)?;
    drop(groups);
    let mut written = 1;
    for (v, list) in site.scale.verdicts.iter().zip(&by_verdict) {
        if list.is_empty() {
            continue;
        }
        let base = format!("claims/{}/", slugify(&v.key));
        written += each_page(
            site,
            l,
            pages,
            "verdict.html",
            &base,
            list,
            &|cx, chunk, root| {
                let claims = chunk
                    .iter()
                    .map(|c| claim_item(site, l, *c, root))
                    .collect();
                let href = format!("{root}{}", l.here(&base));
                let group = VerdictGroup::new(site, l, v, list.len(), href, claims);
                cx.insert("verdict", &group);
            },
        )?;
    }
    Ok(written)
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

/// What building the people pages leaves.
pub struct PeoplePages {
    /// Speakers missing from the registry.
    pub warnings: Vec<Diagnostic>,
    /// One search record per person.
    pub records: Vec<super::search::Record<'static>>,
}

/// people/ and people/<slug>/: everyone quoted and every registered claimant, quotes and
/// claims filed under the registry's name (aliases and misspellings included). A registered
/// person's page is `Site::person_page`, which article pages link to.
pub fn people<'a>(
    site: &'a Site,
    l: &Listing<'_>,
    pages: &Pages<'_>,
    articles: &[&'a ArticleSummary],
) -> Result<PeoplePages, Diagnostic> {
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
    let here = l.here("people/");
    let root = root_prefix(&here);
    let items: Vec<PersonItem<'_>> = speakers
        .iter()
        .zip(&slug_of)
        .map(|(s, slug)| PersonItem {
            name: &s.name,
            role: s.role.as_deref(),
            href: format!("{root}{}people/{slug}/", l.lang.prefix),
            quotes: s.quotes.len(),
            claims: s.claims.len(),
            registered: s.registered,
        })
        .collect();
    let mut cx = l.context(site, pages, "people/");
    cx.insert("people", &items);
    pages.render("people.html", &cx, &here)?;
    let mut records = Vec::with_capacity(speakers.len());
    for (s, slug) in speakers.iter().zip(&slug_of) {
        let rest = format!("people/{slug}/");
        let here = l.here(&rest);
        let mut content = s.name.clone();
        for extra in s.role.iter().chain(&s.aliases) {
            content.push(' ');
            content.push_str(extra);
        }
        for (_, q) in &s.quotes {
            content.push(' ');
            content.push_str(&q.text);
        }
        for (_, c) in &s.claims {
            content.push(' ');
            content.push_str(c.statement());
        }
        records.push(super::search::Record {
            more: "",
            url: format!("/{here}"),
            title: s.name.clone(),
            content,
            lang: l.lang.tag.clone(),
            kind: "person".into(),
        });
        // Paginated like the other listings, so that no page grows with the archive: at 10k
        // articles one page with each of a reporter's 6,700 quotes was 2.6 MB.
        let entries = s.quotes.len() + s.claims.len();
        let total = entries.div_ceil(PERSON_PAGE).max(1);
        for n in 1..=total {
            let (from, to) = ((n - 1) * PERSON_PAGE, (n * PERSON_PAGE).min(entries));
            let page_here = page_path(&here, n);
            let root = root_prefix(&page_here);
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
            let mut cx = l.context(site, pages, &page_path(&rest, n));
            cx.insert(
                "person",
                &PersonView {
                    name: &s.name,
                    role: s.role.as_deref(),
                    url: s.url.as_deref(),
                    aliases: &s.aliases,
                    registered: s.registered,
                    kind: s.kind,
                },
            );
            cx.insert("quotes", &quotes);
            cx.insert("quote_count", &s.quotes.len());
            cx.insert("claims", &claims);
            cx.insert("claim_count", &s.claims.len());
            cx.insert(
                "scorecard",
                &scorecard(
                    site,
                    l.lang.lang,
                    s.claims.iter().map(|(_, c)| c.verdict.as_str()),
                ),
            );
            cx.insert("groups", &groups);
            cx.insert("pager", &pager(&here, n, total, &root));
            pages.render("person.html", &cx, &page_here)?;
        }
    }
    Ok(PeoplePages { warnings, records })
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
pub fn corrections(
    site: &Site,
    l: &Listing<'_>,
    pages: &Pages<'_>,
    articles: &[&ArticleSummary],
) -> Result<usize, Diagnostic> {
    let here = l.here("corrections/");
    let root = root_prefix(&here);
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
    let mut cx = l.context(site, pages, "corrections/");
    cx.insert("corrections", &items);
    pages.render("corrections.html", &cx, &here)?;
    Ok(1)
}

#[derive(Debug, Serialize)]
struct TagItem {
    name: String,
    href: String,
    count: usize,
}

/// tags/ and tags/<slug>/ (paginated).
pub fn tags(
    site: &Site,
    l: &Listing<'_>,
    pages: &Pages<'_>,
    articles: &[&ArticleSummary],
) -> Result<usize, Diagnostic> {
    // Spellings of one tag ("KI", "ki") are one tag, shown as first written. Different tags
    // whose slugs agree would have to share a page, or one of them get a URL that depends on
    // the other: the editor decides which spelling is meant.
    let mut by_slug: BTreeMap<String, (String, Vec<&ArticleSummary>)> = BTreeMap::new();
    for a in articles {
        for t in &a.tags {
            let slug = crate::slug::tag_slug(t);
            let entry = by_slug
                .entry(slug.clone())
                .or_insert_with(|| (t.clone(), Vec::new()));
            if crate::slug::tag_key(&entry.0) != crate::slug::tag_key(t) {
                let first = entry.1.first().map(|f| f.source_path.display().to_string());
                return Err(Diagnostic::file(
                    &a.source_path,
                    format!(
                        "the tags `{t}` and `{}` (in {}) would share the page tags/{slug}/",
                        entry.0,
                        first.unwrap_or_default()
                    ),
                )
                .with_help(
                    "write the tag the same way in both articles, or name one differently",
                ));
            }
            // Articles come one at a time: only the last one listed can be this one.
            if !entry.1.last().is_some_and(|x| std::ptr::eq(*x, *a)) {
                entry.1.push(a);
            }
        }
    }
    let here = l.here("tags/");
    let root = root_prefix(&here);
    let items: Vec<TagItem> = by_slug
        .iter()
        .map(|(slug, (name, list))| TagItem {
            name: name.clone(),
            href: format!("{root}{}tags/{slug}/", l.lang.prefix),
            count: list.len(),
        })
        .collect();
    let mut cx = l.context(site, pages, "tags/");
    cx.insert("tags", &items);
    pages.render("tags.html", &cx, &here)?;
    let mut written = 1;
    for (slug, (name, list)) in &by_slug {
        let base = format!("tags/{slug}/");
        written += paginated(site, l, pages, "tag.html", &base, list, &|cx| {
            cx.insert("tag", name);
        })?;
    }
    Ok(written)
}

/// search/: the search page; the index itself is written by the build.
pub fn search_page(site: &Site, l: &Listing<'_>, pages: &Pages<'_>) -> Result<usize, Diagnostic> {
    let cx = l.context(site, pages, "search/");
    pages.render("search.html", &cx, &l.here("search/"))?;
    Ok(1)
}

/// 404.html: served for any missing path, so its links are absolute (from `base_url`).
pub fn not_found(site: &Site, pages: &Pages<'_>) -> Result<usize, Diagnostic> {
    let mut cx = pages.shared.context(site.lang, &site.config.language, "");
    // Absolute: the page is served for missing paths at any depth.
    cx.insert("root", &site.root_url());
    cx.insert("home", &site.root_url());
    let html = pages.theme.render("404.html", &cx)?;
    pages
        .out
        .write(Path::new("404.html"), html.as_bytes())
        .map_err(|e| super::io_error(Path::new("404.html"), e))?;
    Ok(1)
}
