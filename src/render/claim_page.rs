//! A page per claim, `<article>/claims/<id>/`: the statement, the verdict, the check and
//! the passage in context, with exactly one ClaimReview.
//!
//! Claim pages live below their article because an annotation id is unique only within its
//! article (two articles may both have `claim-1`): below the article, the page's address is
//! as stable as the id and the article's own, and it is rendered (and kept by incremental
//! builds) together with the article it quotes.
use serde::Serialize;

use crate::annotate::Anchored;
use crate::build::summary::ClaimEntry;
use crate::config::Site;
use crate::content::{Article, Link};

/// Where the claim was made, as the page shows it.
#[derive(Debug, Serialize)]
pub struct Appearance<'a> {
    /// The publication (the article's `source`), or the article's title.
    pub name: &'a str,
    /// Its address: the source's, or the article page's (relative).
    pub href: Option<String>,
    /// ISO date, if known.
    pub date: Option<String>,
    /// The date as readers write it.
    pub date_display: Option<String>,
    /// It is the article on this site (no `source`).
    pub this_site: bool,
}

/// Everything `claim.html` receives as `claim`.
#[derive(Debug, Serialize)]
pub struct ClaimPageView<'a> {
    /// The annotation id (the highlight's `#fragment` in the article).
    pub id: &'a str,
    /// What is claimed: the editor's statement, else the anchored words.
    pub statement: &'a str,
    /// The anchored words, when a statement was written as well.
    pub words: Option<&'a str>,
    /// Verdict key, label and place on the scale.
    pub verdict: &'a str,
    /// The verdict's word in the article's language.
    pub verdict_label: &'a str,
    /// 1 (worst) to 5 (best): the `gl-r-N` class; none off the scale.
    pub tone: Option<u8>,
    /// The one-sentence conclusion.
    pub conclusion: Option<&'a str>,
    /// The note, as HTML (links lead from this page).
    pub note_html: Option<String>,
    /// Sources of the check.
    pub sources: &'a [Link],
    /// Who claims it, as the registry files them.
    pub by: Option<&'a str>,
    /// As the article writes it, where that differs.
    pub by_as_written: Option<&'a str>,
    /// The claimant's page, if the registry knows them.
    pub by_href: Option<String>,
    /// The article itself makes the claim.
    pub article_itself: bool,
    /// When the claim was made (ISO), if known.
    pub made: Option<String>,
    /// The same, as readers write it.
    pub made_display: Option<String>,
    /// Where it was made.
    pub appearance: Appearance<'a>,
    /// The article's headline.
    pub article_title: &'a str,
    /// The article page, from this page.
    pub article_href: String,
    /// The article's date (ISO) and as readers write it.
    pub article_date: String,
    /// The article's date as readers write it.
    pub article_date_display: String,
    /// The passage around the claim, escaped, the claim's words in a `<mark>`.
    pub passage_html: String,
    /// The highlight in the article, from this page.
    pub highlight_href: String,
    /// The ClaimReview, escaped for a `<script>` element.
    pub jsonld: String,
    /// The home of the article's language, from this page (`../../../../`, `…/fr/`).
    pub home: String,
}

/// One claim page: its path below the site root and its view.
pub struct ClaimPage<'a> {
    /// `2019/x/claims/<id>/`.
    pub path: String,
    /// What the template receives as `claim`.
    pub view: ClaimPageView<'a>,
}

/// The pages of every placed claim of `article`, in front matter order.
pub fn claim_pages<'a>(
    site: &'a Site,
    article: &'a Article,
    anchored: &'a Anchored<'_>,
) -> Vec<ClaimPage<'a>> {
    let lang = article.meta.lang;
    let locale = site.locales.get(lang);
    let text = &anchored.reader.text;
    let sentences = super::Sentences::new(text);
    let reviewed = super::jsonld::ReviewedIn::article(article);
    let mut out = Vec::new();
    for (i, ann) in article.annotations.iter().enumerate() {
        let Some(range) = anchored.placed[i].clone() else {
            continue;
        };
        let words = &text[range.clone()];
        let Some(entry) = ClaimEntry::of(article, ann, words) else {
            continue;
        };
        let crate::content::Detail::Claim {
            statement,
            verdict,
            conclusion,
            ..
        } = &ann.detail
        else {
            continue;
        };
        let path = super::claim_page_path(&article.url_path, &ann.id);
        let root = super::root_prefix(&path);
        // People's pages are below the home of the article's language (`fr/people/…` on a
        // site in several languages).
        let home = format!("{root}{}", site.prefix_of(&article.meta.lang_tag));
        let view_home = home.clone();
        // The article is two folders up (`<article>/claims/<id>/`): shorter than by the
        // site root, and the same page.
        let article_href = String::from("../../");
        let v = site.scale.get(verdict);
        let claimant = crate::content::claimant(
            match &ann.detail {
                crate::content::Detail::Claim { by, .. } => by.as_deref(),
                _ => None,
            },
            article.meta.source.as_ref(),
        );
        let (by, by_as_written, by_href) = match claimant {
            Some(name) => {
                let (filed, written, href) = super::filed(site, name, &home);
                (Some(filed), written, href)
            }
            None => (None, None, None),
        };
        let made = entry
            .date
            .or(article.meta.source.as_ref().and_then(|s| s.date))
            .or(entry.article_itself.then_some(article.meta.date));
        let appearance = match article.meta.source.as_ref().filter(|s| s.url.is_some()) {
            Some(s) => Appearance {
                name: &s.name,
                href: s.url.clone(),
                date: s.date.map(|d| d.to_string()),
                date_display: s.date.map(|d| locale.long_date(d)),
                this_site: false,
            },
            None => Appearance {
                name: &article.meta.title,
                href: Some(article_href.clone()),
                date: Some(article.meta.date.to_string()),
                date_display: Some(locale.long_date(article.meta.date)),
                this_site: true,
            },
        };
        let passage = context(&sentences, text, range.clone());
        let base = super::jsonld::site_url(site, &path);
        let mut review = super::jsonld::claim_review(site, &reviewed, &entry, &base);
        review.context = Some("https://schema.org");
        let jsonld = super::script_json(&review);
        out.push(ClaimPage {
            view: ClaimPageView {
                id: &ann.id,
                statement: statement.as_deref().unwrap_or(words),
                words: statement.is_some().then_some(words),
                verdict,
                verdict_label: v.map_or(verdict.as_str(), |v| v.label.get(lang)),
                tone: site.scale.tone(verdict),
                conclusion: conclusion.as_deref(),
                note_html: ann
                    .note
                    .as_deref()
                    .map(|n| super::markdown_html_in(n, &article.path, &root)),
                sources: &ann.sources,
                by,
                by_as_written,
                by_href,
                article_itself: entry.article_itself,
                made: made.map(|d| d.to_string()),
                made_display: made.map(|d| locale.long_date(d)),
                appearance,
                article_title: &article.meta.title,
                article_date: article.meta.date.to_string(),
                article_date_display: locale.long_date(article.meta.date),
                passage_html: {
                    let mut html = String::new();
                    if passage.start > 0 && !text[..passage.start].ends_with('\n') {
                        html.push_str("… ");
                    }
                    html.push_str(&super::marked_text(
                        text,
                        passage.clone(),
                        std::slice::from_ref(&range),
                        "gl-claim",
                    ));
                    if !text[passage.end..]
                        .trim_start_matches(' ')
                        .starts_with('\n')
                        && !text[..passage.end].ends_with(['.', '!', '?', '“', '"', ':'])
                        && passage.end < text.len()
                    {
                        html.push_str(" …");
                    }
                    html
                },
                highlight_href: format!("{article_href}#{}", ann.id),
                article_href,
                jsonld,
                home: view_home,
            },
            path,
        });
    }
    out
}

/// A claim page as the default `claim.html` renders it, written into `frame` (the default
/// `base.html` around it) without a template context: a claim page is one of eight pages
/// of an article on the generated archive, and Tera took a third of what one cost.
/// `tests/claims.rs` holds it to the bytes Tera renders from `claim.html`.
pub fn html(
    claim: &ClaimPageView<'_>,
    frame: &super::theme::Frame,
    words: &crate::i18n::Words,
    site_title: &str,
) -> String {
    let mut o = String::with_capacity(4096 + claim.passage_html.len() + claim.jsonld.len());
    use super::by_hand::{escape as e, link_or_text, some, time};
    let t = |key: &'static str| -> &str { words.get(key) };
    let [p0, p1, p2, p3, p4] = &frame.parts;
    o.push_str(p0);
    e(&mut o, claim.statement);
    o.push_str(" – ");
    e(&mut o, t("fact_check"));
    o.push_str(" – ");
    e(&mut o, site_title);
    o.push_str(p1);
    o.push_str("\n<script type=\"application/ld+json\">");
    o.push_str(&claim.jsonld);
    o.push_str("</script>\n");
    o.push_str(p2);
    o.push_str("page page-claim");
    o.push_str(p3);
    o.push_str("\n<article class=\"gl-claim-page\">\n<p class=\"kicker\"><a href=\"");
    e(&mut o, &claim.home);
    o.push_str("claims/\">");
    e(&mut o, t("fact_check"));
    o.push_str("</a></p>\n<h1 class=\"gl-statement\">");
    e(&mut o, t("quote_open"));
    e(&mut o, claim.statement);
    e(&mut o, t("quote_close"));
    o.push_str("</h1>\n<p class=\"gl-verdict-line\"><span class=\"gl-label\">");
    e(&mut o, t("verdict"));
    o.push_str("</span> <strong class=\"gl-verdict gl-v-");
    e(&mut o, claim.verdict);
    if let Some(tone) = claim.tone.filter(|&t| t != 0) {
        o.push_str(" gl-r-");
        o.push_str(itoa::Buffer::new().format(tone));
    }
    o.push_str("\">");
    e(&mut o, claim.verdict_label);
    o.push_str("</strong></p>\n");
    if let Some(c) = some(claim.conclusion) {
        o.push_str("<p class=\"lead gl-conclusion\">");
        e(&mut o, c);
        o.push_str("</p>");
    }
    o.push_str("\n<dl class=\"gl-claim-facts\">\n<dt>");
    e(&mut o, t("claimed_by"));
    o.push_str("</dt>\n<dd>");
    if let Some(by) = some(claim.by) {
        link_or_text(&mut o, claim.by_href.as_deref(), by);
        if let Some(w) = some(claim.by_as_written) {
            o.push_str(" <span class=\"gl-meta\">(");
            e(&mut o, t("as_written_in_text"));
            o.push_str(": ");
            e(&mut o, w);
            o.push_str(")</span>");
        }
    } else if claim.article_itself {
        e(&mut o, t("the_article_itself"));
    } else {
        e(&mut o, t("claimant_unknown"));
    }
    o.push_str("</dd>\n<dt>");
    e(&mut o, t("appeared_in"));
    o.push_str("</dt>\n<dd>");
    let ap = &claim.appearance;
    match some(ap.href.as_deref()) {
        Some(href) => {
            o.push_str("<a href=\"");
            e(&mut o, href);
            o.push_str("\">");
            if ap.this_site {
                o.push_str("<cite>");
                e(&mut o, ap.name);
                o.push_str("</cite>");
            } else {
                e(&mut o, ap.name);
            }
            o.push_str("</a>");
        }
        None => e(&mut o, ap.name),
    }
    if let Some(date) = some(ap.date.as_deref()) {
        o.push_str(", ");
        time(&mut o, date, ap.date_display.as_deref().unwrap_or(""));
    }
    o.push_str("</dd>\n");
    if let Some(made) = some(claim.made.as_deref()) {
        o.push_str("<dt>");
        e(&mut o, t("claimed_on"));
        o.push_str("</dt>\n<dd>");
        time(&mut o, made, claim.made_display.as_deref().unwrap_or(""));
        o.push_str("</dd>");
    }
    o.push('\n');
    if !ap.this_site {
        o.push_str("<dt>");
        e(&mut o, t("checked_in"));
        o.push_str("</dt>\n<dd><a href=\"");
        e(&mut o, &claim.article_href);
        o.push_str("\"><cite>");
        e(&mut o, claim.article_title);
        o.push_str("</cite></a>, ");
        time(&mut o, &claim.article_date, &claim.article_date_display);
        o.push_str("</dd>");
    }
    o.push_str("\n</dl>\n<section class=\"gl-context\" aria-labelledby=\"context-heading\">\n<h2 id=\"context-heading\">");
    e(&mut o, t("in_context"));
    o.push_str("</h2>\n<blockquote class=\"gl-passage\"><p>");
    o.push_str(&claim.passage_html);
    o.push_str("</p></blockquote>\n<p><a href=\"");
    e(&mut o, &claim.highlight_href);
    o.push_str("\">");
    e(&mut o, t("to_the_passage"));
    o.push_str(" →</a></p>\n</section>\n");
    if let Some(note) = some(claim.note_html.as_deref()) {
        o.push_str("\n<section class=\"gl-check\" aria-labelledby=\"check-heading\">\n<h2 id=\"check-heading\">");
        e(&mut o, t("the_check"));
        o.push_str("</h2>\n<div class=\"gl-note-text\">");
        o.push_str(note);
        o.push_str("</div>\n</section>\n");
    }
    o.push('\n');
    if !claim.sources.is_empty() {
        o.push_str("\n<section aria-labelledby=\"sources-heading\">\n<h2 id=\"sources-heading\">");
        e(&mut o, t("sources"));
        o.push_str("</h2>\n<ul class=\"gl-sources\">\n");
        for s in claim.sources {
            o.push_str("<li><a href=\"");
            e(&mut o, &s.url);
            o.push_str("\">");
            e(&mut o, &s.title);
            o.push_str("</a>");
            if let Some(d) = some(s.date.as_deref()) {
                o.push_str(" (");
                e(&mut o, d);
                o.push(')');
            }
            if let Some(a) = some(s.archive.as_deref()) {
                o.push_str(" · <a href=\"");
                e(&mut o, a);
                o.push_str("\" class=\"gl-archive\">");
                e(&mut o, t("archived_copy"));
                o.push_str("<span class=\"visually-hidden\">: ");
                e(&mut o, &s.title);
                o.push_str("</span></a>");
            }
            if let Some(day) = s.accessed {
                let day = day.to_string();
                o.push_str(" · ");
                e(&mut o, t("accessed"));
                o.push(' ');
                time(&mut o, &day, &day);
            }
            o.push_str("</li>\n");
        }
        o.push_str("</ul>\n</section>\n");
    }
    o.push_str("\n</article>\n");
    o.push_str(p4);
    o
}

/// The passage around `range`: its sentence(s), with the sentence before and the one after
/// where they stand in the same paragraph.
fn context(
    sentences: &super::Sentences<'_>,
    text: &str,
    range: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    let own = sentences.around_range(range.clone());
    let (mut start, mut end) = (own.start.min(range.start), own.end.max(range.end));
    // Whether a sentence ends at `i` (not a cut made by the reach of `Sentences`).
    let ends = |i: usize| {
        text[..i]
            .trim_end()
            .ends_with(['.', '!', '?', '“', '"', ':'])
    };
    if start > 0
        && ends(start)
        && let Some(before) = text[..start]
            .char_indices()
            .rfind(|(_, c)| !c.is_whitespace())
            .map(|(i, _)| i)
    {
        let prev = sentences.around_range(before..before);
        if !text[prev.start..start].contains('\n') {
            start = prev.start.min(start);
        }
    }
    if end < text.len()
        && ends(end)
        && let Some(after) = text[end..]
            .char_indices()
            .find(|(_, c)| !c.is_whitespace())
            .map(|(i, _)| end + i)
    {
        let next = sentences.around_range(after..after);
        if !text[end..next.end.max(end)].contains('\n') {
            end = next.end.max(end);
        }
    }
    // A sentence longer than the reach of [`super::Sentences`] is cut: at a word's end.
    if end < text.len()
        && !text[end..].starts_with(char::is_whitespace)
        && let Some(space) = text[range.end..end].rfind(char::is_whitespace)
    {
        end = range.end + space;
    }
    if start > 0
        && !text[..start].ends_with(char::is_whitespace)
        && let Some(space) = text[start..range.start].find(char::is_whitespace)
    {
        start += space + 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_passage_is_the_sentence_with_its_neighbours_in_the_paragraph() {
        let text = "Überschrift\nErster Satz. Zweiter Satz mit der Behauptung. Dritter Satz.\nNächster Absatz.";
        let s = super::super::Sentences::new(text);
        let at = text.find("der Behauptung").unwrap();
        let r = context(&s, text, at..at + "der Behauptung".len());
        assert_eq!(
            &text[r],
            "Erster Satz. Zweiter Satz mit der Behauptung. Dritter Satz."
        );
    }

    #[test]
    fn a_long_sentence_is_cut_at_a_word_end() {
        let long = "wort ".repeat(100);
        let text = format!("Die Behauptung steht hier, {long}und endet.");
        let s = super::super::Sentences::new(&text);
        let r = context(&s, &text, 4..14);
        assert!(text[r.clone()].starts_with("Die Behauptung"));
        assert!(text[r.clone()].ends_with("wort"), "{:?}", &text[r]);
    }
}
