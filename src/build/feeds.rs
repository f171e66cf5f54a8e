//! Machine-readable views: Atom feeds, sitemap.xml and robots.txt.
use std::str::FromStr;

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person as AtomPerson, Text};
use jiff::civil::Date;

use super::summary::ArticleSummary;
use std::collections::BTreeMap;

use crate::config::{Site, SiteLang};
use crate::render::url_of_path;

/// How many entries a feed holds.
const FEED_LEN: usize = 50;

fn timestamp(date: Date) -> FixedDateTime {
    FixedDateTime::from_str(&format!("{date}T00:00:00Z"))
        .unwrap_or_else(|_| FixedDateTime::from_str("1970-01-01T00:00:00Z").expect("epoch"))
}

fn link(href: String, rel: &str) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel.to_string());
    l
}

/// A feed in the language `l`, at `self_path` below its home, for the page `page` (below
/// the home too; `""` for the home page).
fn feed(
    site: &Site,
    l: &SiteLang,
    title: String,
    self_path: &str,
    page: &str,
    entries: Vec<Entry>,
    updated: Date,
) -> String {
    let base = site.root_url();
    let home = format!("{base}{}", l.prefix);
    let mut f = Feed::default();
    f.set_title(Text::plain(title));
    f.set_id(format!("{home}{self_path}"));
    f.set_updated(timestamp(updated));
    f.set_lang(Some(l.tag.clone()));
    f.set_links(vec![
        link(format!("{home}{self_path}"), "self"),
        link(format!("{home}{}", url_of_path(page)), "alternate"),
    ]);
    let mut author = AtomPerson::default();
    author.set_name(site.config.title.clone());
    f.set_authors(vec![author]);
    f.set_entries(entries);
    f.to_string()
}

/// feed.xml: the newest articles (of the language `l`, whose home it is below).
pub fn articles_feed(site: &Site, l: &SiteLang, articles: &[&ArticleSummary]) -> String {
    list_feed(site, l, site.config.title.clone(), "", articles)
}

/// The feed of the list of `articles` (newest first) at `page` below the home of the
/// language `l`, written to `<page>feed.xml`: its newest articles, each with its summary and,
/// with `[feeds] full_content`, its whole text. An entry of an article in another language
/// than the feed's says so (`xml:lang` on its title, summary and content).
pub fn list_feed(
    site: &Site,
    l: &SiteLang,
    title: String,
    page: &str,
    articles: &[&ArticleSummary],
) -> String {
    let base = site.root_url();
    let entries: Vec<Entry> = articles
        .iter()
        .take(FEED_LEN)
        .map(|a| {
            let lang = crate::lang::other(&a.lang, l.lang).map(str::to_string);
            let text = |t: Text| Text {
                lang: lang.clone(),
                ..t
            };
            let mut e = Entry::default();
            e.set_title(text(Text::plain(a.title.clone())));
            let url = format!("{base}{}", url_of_path(&a.path));
            e.set_id(url.clone());
            e.set_links(vec![link(url.clone(), "alternate")]);
            e.set_published(Some(timestamp(a.date)));
            e.set_updated(timestamp(a.updated.unwrap_or(a.date)));
            e.set_authors(
                a.authors
                    .iter()
                    .map(|name| {
                        let mut p = AtomPerson::default();
                        p.set_name(site.filed_name(name).to_string());
                        p
                    })
                    .collect::<Vec<_>>(),
            );
            if let Some(summary) = &a.summary_html {
                e.set_summary(Some(text(Text::html(summary.clone()))));
            }
            if let Some(body) = &a.content_html {
                let mut content = Content::default();
                content.set_content_type(Some("html".to_string()));
                // The body's links are relative to the article's page: its address resolves
                // them.
                content.set_base(Some(url));
                content.set_lang(lang.clone());
                content.set_value(Some(body.clone()));
                e.set_content(Some(content));
            }
            e
        })
        .collect();
    let updated = articles
        .iter()
        .map(|a| a.updated.unwrap_or(a.date))
        .max()
        .unwrap_or(Date::constant(1970, 1, 1));
    feed(
        site,
        l,
        title,
        &format!("{page}feed.xml"),
        page,
        entries,
        updated,
    )
}

/// `<section>/feed.xml`: the newest articles of `section` (`articles`, in its order), in
/// the site's language `l`; its page is the feed's alternate.
pub fn section_feed(
    site: &Site,
    l: &SiteLang,
    section: &crate::content::section::Section,
    articles: &[&ArticleSummary],
) -> String {
    let page = format!("{}{}", site.root_url(), url_of_path(&section.path));
    let whole = articles_feed(site, l, articles);
    let mut f = Feed::from_str(&whole).unwrap_or_default();
    f.set_title(Text::plain(format!(
        "{} – {}",
        section.title, site.config.title
    )));
    f.set_id(format!("{page}feed.xml"));
    f.set_links(vec![
        link(format!("{page}feed.xml"), "self"),
        link(page, "alternate"),
    ]);
    f.to_string()
}

/// corrections.xml: every correction (of the language `l`), newest first.
pub fn corrections_feed(site: &Site, l: &SiteLang, articles: &[&ArticleSummary]) -> String {
    let base = site.root_url();
    let locale = site.locales.get(l.lang);
    let words = &locale.words;
    let all = super::listings::all_corrections(articles);
    let updated = all
        .first()
        .map(|(_, c)| c.date)
        .unwrap_or(Date::constant(1970, 1, 1));
    let entries: Vec<Entry> = all
        .iter()
        .take(FEED_LEN)
        .map(|(a, c)| {
            let url = format!("{base}{}#{}", url_of_path(&a.path), c.id);
            let mut e = Entry::default();
            e.set_title(Text::plain(format!(
                "{}: {} → {}",
                a.title, c.text, c.correct
            )));
            e.set_id(url.clone());
            e.set_links(vec![link(url, "alternate")]);
            e.set_updated(timestamp(c.date));
            let mut content = Content::default();
            content.set_content_type(Some("html".to_string()));
            // The correction's words are the article's language; the feed's and its
            // quotation marks, the site's.
            let colon = words.get("colon");
            let passage = |text: &str| match crate::lang::other(&a.lang, l.lang) {
                None => locale.quoted(&escape(text)),
                Some(tag) => {
                    locale.quoted(&format!("<span lang=\"{tag}\">{}</span>", escape(text)))
                }
            };
            let html = format!(
                "<p>{}{colon} {} – {}{colon} {}</p>{}",
                words.get("text_says"),
                passage(&c.text),
                words.get("correct_is"),
                passage(&c.correct),
                c.note_html.as_deref().unwrap_or("")
            );
            content.set_value(Some(html));
            e.set_content(Some(content));
            e
        })
        .collect();
    feed(
        site,
        l,
        format!("{} – {}", site.config.title, words.get("corrections")),
        "corrections.xml",
        "corrections/",
        entries,
        updated,
    )
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// Each page's language versions, itself among them: (language tag, page path), by page
/// path. Pages in one language are not in it.
pub type Alternates = BTreeMap<String, Vec<(String, String)>>;

/// The language versions of the pages of a site in `langs` whose articles are `listed`: each
/// article with the translations it names (those that are the site's articles), and each
/// section's first page (home, claims, people, corrections, tags, search) in every language.
pub fn alternates(site: &Site, listed: &[&ArticleSummary], langs: &[SiteLang]) -> Alternates {
    let mut out = Alternates::new();
    let pages: std::collections::HashSet<&str> = listed.iter().map(|a| a.path.as_str()).collect();
    for a in listed {
        let mut versions: Vec<(String, String)> = a
            .translations
            .iter()
            .filter(|t| pages.contains(t.page.as_str()) && t.page != a.path)
            .map(|t| (t.lang.clone(), t.page.clone()))
            .collect();
        if versions.is_empty() {
            continue;
        }
        versions.push((a.lang.clone(), a.path.clone()));
        versions.sort();
        out.insert(a.path.clone(), versions);
    }
    if langs.len() > 1 {
        let mut sections = vec![
            "",
            "claims/",
            "people/",
            "corrections/",
            "tags/",
            "authors/",
        ];
        if site.config.search.enabled {
            sections.push("search/");
        }
        let indexes: Vec<String> = site
            .config
            .taxonomies
            .iter()
            .map(|t| format!("{}/", t.name))
            .collect();
        sections.extend(indexes.iter().map(String::as_str));
        for section in sections {
            let versions: Vec<(String, String)> = langs
                .iter()
                .map(|l| (l.tag.clone(), format!("{}{section}", l.prefix)))
                .collect();
            for (_, page) in &versions {
                out.insert(page.clone(), versions.clone());
            }
        }
    }
    out
}

/// Addresses in one sitemap file: about 400 KB, so that no file of the site grows with the
/// archive (the protocol allows 50,000; one file for a 10k archive was 1.3 MB).
const SITEMAP_URLS: usize = 5_000;

/// The sitemap files for `pages` (page paths below the root, `""` for the home page), by
/// name: `sitemap.xml` alone, or, beyond [`SITEMAP_URLS`] addresses, `sitemap.xml` as the
/// index of `sitemap-1.xml`, `sitemap-2.xml`, … (robots.txt names `sitemap.xml` either way).
pub fn sitemaps(
    site: &Site,
    pages: &[(String, Option<Date>)],
    alternates: &Alternates,
) -> Vec<(String, String)> {
    if pages.len() <= SITEMAP_URLS {
        return vec![("sitemap.xml".into(), sitemap(site, pages, alternates))];
    }
    let base = site.root_url();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut files = Vec::new();
    for (i, chunk) in pages.chunks(SITEMAP_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str("<sitemap><loc>");
        index.push_str(&escape(&format!("{base}{name}")));
        index.push_str("</loc>");
        if let Some(d) = chunk.iter().filter_map(|(_, d)| *d).max() {
            index.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        index.push_str("</sitemap>\n");
        files.push((name, sitemap(site, chunk, alternates)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index));
    files
}

/// One sitemap file (a `urlset`) for `pages`, each page with its language versions of
/// `alternates` (as `xhtml:link`, which search engines read).
fn sitemap(site: &Site, pages: &[(String, Option<Date>)], alternates: &Alternates) -> String {
    let base = site.root_url();
    let mut out = String::with_capacity(pages.len() * 96 + 128);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if !alternates.is_empty() {
        out.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    out.push_str(">\n");
    for (path, modified) in pages {
        out.push_str("<url><loc>");
        out.push_str(&escape(&format!("{base}{}", url_of_path(path))));
        out.push_str("</loc>");
        if let Some(d) = modified {
            out.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        for (lang, page) in alternates.get(path).into_iter().flatten() {
            out.push_str("<xhtml:link rel=\"alternate\" hreflang=\"");
            out.push_str(&escape(lang));
            out.push_str("\" href=\"");
            out.push_str(&escape(&format!("{base}{}", url_of_path(page))));
            out.push_str("\"/>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// robots.txt: everything may be crawled; the sitemap is named when the site has a base URL.
pub fn robots(site: &Site) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if !site.base_url().is_empty() {
        out.push_str(&format!("Sitemap: {}sitemap.xml\n", site.root_url()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_absolute_address_takes_base_url_by_one_rule() {
        let mut site = Site::standalone();
        site.config.base_url = " https://example.org/t/ ".into();
        assert_eq!(
            robots(&site),
            "User-agent: *\nAllow: /\nSitemap: https://example.org/t/sitemap.xml\n"
        );
        let sitemap = sitemap(&site, &[("a/".into(), None)], &Alternates::new());
        assert!(
            sitemap.contains("<loc>https://example.org/t/a/</loc>"),
            "{sitemap}"
        );
        assert_eq!(
            crate::render::jsonld::page_url(&site, "a/"),
            "https://example.org/t/a/"
        );
        site.config.base_url = "  ".into();
        assert_eq!(robots(&site), "User-agent: *\nAllow: /\n");
        assert_eq!(site.root_url(), "/");
    }

    #[test]
    fn a_large_sitemap_is_split_under_an_index() {
        let site = Site::standalone();
        let date = Date::new(2026, 1, 2).unwrap();
        let few: Vec<(String, Option<Date>)> =
            vec![(String::new(), None), ("a/".into(), Some(date))];
        let one = sitemaps(&site, &few, &Alternates::new());
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0, "sitemap.xml");
        assert!(
            one[0].1.contains("<urlset")
                && one[0]
                    .1
                    .contains("<loc>/a/</loc><lastmod>2026-01-02</lastmod>")
        );

        let many: Vec<(String, Option<Date>)> = (0..SITEMAP_URLS * 2 + 1)
            .map(|i| (format!("p{i}/"), (i == 7).then_some(date)))
            .collect();
        let files = sitemaps(&site, &many, &Alternates::new());
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        let index = &files[0].1;
        assert!(index.contains("<sitemapindex"), "{index}");
        assert!(
            index.contains(
                "<sitemap><loc>/sitemap-1.xml</loc><lastmod>2026-01-02</lastmod></sitemap>"
            )
        );
        assert!(index.contains("<sitemap><loc>/sitemap-3.xml</loc></sitemap>"));
        // Every address once, in order, none in the index itself.
        let locs: Vec<&str> = files[1..]
            .iter()
            .flat_map(|(_, text)| {
                text.split("<loc>")
                    .skip(1)
                    .map(|l| &l[..l.find('<').unwrap()])
            })
            .collect();
        assert_eq!(locs.len(), many.len());
        assert_eq!(locs[0], "/p0/");
        assert_eq!(locs[many.len() - 1], format!("/p{}/", many.len() - 1));
        assert!(files[1..].iter().all(|(_, t)| t.len() < 1_000_000));
    }
}
