//! Machine-readable views: Atom feeds, sitemap.xml and robots.txt.
use std::str::FromStr;

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person as AtomPerson, Text};
use jiff::civil::Date;

use super::summary::ArticleSummary;
use crate::config::Site;
use crate::render::url_of_path;

/// How many entries a feed holds.
const FEED_LEN: usize = 50;

/// `base_url` with a trailing slash ("/" when the site has none).
pub fn absolute_base(site: &Site) -> String {
    let base = site.config.base_url.trim_end_matches('/');
    format!("{base}/")
}

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

fn feed(site: &Site, title: String, self_path: &str, entries: Vec<Entry>, updated: Date) -> String {
    let base = absolute_base(site);
    let mut f = Feed::default();
    f.set_title(Text::plain(title));
    f.set_id(format!("{base}{self_path}"));
    f.set_updated(timestamp(updated));
    f.set_lang(Some(site.config.language.clone()));
    f.set_links(vec![
        link(format!("{base}{self_path}"), "self"),
        link(base.clone(), "alternate"),
    ]);
    let mut author = AtomPerson::default();
    author.set_name(site.config.title.clone());
    f.set_authors(vec![author]);
    f.set_entries(entries);
    f.to_string()
}

/// feed.xml: the newest articles.
pub fn articles_feed(site: &Site, articles: &[&ArticleSummary]) -> String {
    let base = absolute_base(site);
    let entries: Vec<Entry> = articles
        .iter()
        .take(FEED_LEN)
        .map(|a| {
            let mut e = Entry::default();
            e.set_title(Text::plain(a.title.clone()));
            let url = format!("{base}{}", url_of_path(&a.path));
            e.set_id(url.clone());
            e.set_links(vec![link(url, "alternate")]);
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
                e.set_summary(Some(Text::html(summary.clone())));
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
        site.config.title.clone(),
        "feed.xml",
        entries,
        updated,
    )
}

/// corrections.xml: every correction, newest first.
pub fn corrections_feed(site: &Site, articles: &[&ArticleSummary]) -> String {
    let base = absolute_base(site);
    let locale = site.locales.get(site.lang);
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
            let passage = |text: &str| match crate::lang::other(&a.lang, site.lang) {
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
        format!("{} – {}", site.config.title, words.get("corrections")),
        "corrections.xml",
        entries,
        updated,
    )
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// sitemap.xml for `paths` (page paths below the root, `""` for the home page).
pub fn sitemap(site: &Site, pages: &[(String, Option<Date>)]) -> String {
    let base = absolute_base(site);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, modified) in pages {
        out.push_str("<url><loc>");
        out.push_str(&escape(&format!("{base}{}", url_of_path(path))));
        out.push_str("</loc>");
        if let Some(d) = modified {
            out.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// robots.txt: everything may be crawled; the sitemap is named when the site has a base URL.
pub fn robots(site: &Site) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if !site.config.base_url.is_empty() {
        out.push_str(&format!("Sitemap: {}sitemap.xml\n", absolute_base(site)));
    }
    out
}
