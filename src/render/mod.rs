//! Rendering: an anchored article to an HTML fragment, and pages through the theme's templates.
mod body;
mod by_hand;
pub mod claim_page;
pub mod embed;
pub mod finish;
pub mod jsonld;
pub mod notes;
pub(crate) mod sanitize;
pub mod share;
pub mod theme;
pub mod wadm;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::annotate::{Anchored, figures};
use crate::config::Site;
use crate::content::{Article, Detail, Kind, Link};
use crate::i18n;

pub use body::{body_html, body_html_images, body_html_on};
pub use theme::Theme;

/// Markdown of front matter (notes, summaries) to HTML, always sanitized: front matter is
/// data, and data may come from anywhere. Written in the article file `from`, shown on a
/// page whose way to the site root is `root`: its links to article files lead to their pages.
pub fn markdown_html_in(md: &str, from: &std::path::Path, root: &str) -> String {
    let mut events: Vec<_> =
        pulldown_cmark::Parser::new_ext(md, crate::markdown::options()).collect();
    if !from.as_os_str().is_empty() {
        crate::links::rewrite(&mut events, from, root);
    }
    let raw_html = sanitize::defuse_links(&mut events);
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if raw_html {
        html = sanitize::clean_html(&html);
    }
    html
}

/// One annotation as a template sees it.
#[derive(Debug, Serialize)]
pub struct NoteView<'a> {
    /// HTML id of the highlight (`claim-1`); the note is `note-<id>`, the reference `ref-<id>`.
    pub id: &'a str,
    /// Number in reading order, shown on the reference.
    pub number: usize,
    /// `claim`, `quote`, `figure`, `note`, `correction`.
    pub kind: Kind,
    /// The kind in the article's language.
    pub kind_label: &'a str,
    /// The highlighted words.
    pub text: &'a str,
    /// The note, as HTML.
    pub note_html: Option<String>,
    /// Claim: verdict key, its label and rating.
    pub verdict: Option<&'a str>,
    /// The verdict's label in the article's language.
    pub verdict_label: Option<&'a str>,
    /// The verdict's position on the scale.
    pub rating: Option<u8>,
    /// Where the verdict stands on the scale, 1 (worst) to 5 (best): the `gl-r-N` class.
    pub tone: Option<u8>,
    /// Claim: its one-sentence conclusion.
    pub conclusion: Option<&'a str>,
    /// Claim: what is claimed, as the editor states it.
    pub statement: Option<&'a str>,
    /// Claim: its own page (`claims/<id>/` below the article).
    pub claim_href: Option<String>,
    /// Claim: the article itself makes it (`by = "@article"`).
    pub article_itself: bool,
    /// Claim: who claims it, as the registry files them.
    pub by: Option<&'a str>,
    /// Claim: who claims it as the text writes it, where that differs from `by`.
    pub by_as_written: Option<&'a str>,
    /// Claim: the claimant's page (`../../people/x/`), if the registry knows them.
    pub by_href: Option<String>,
    /// Quote: who said it, as the registry files them.
    pub speaker: Option<&'a str>,
    /// Quote: the speaker as the text writes it, where that differs from `speaker`.
    pub speaker_as_written: Option<&'a str>,
    /// Quote: the speaker's page, if the registry knows them.
    pub speaker_href: Option<String>,
    /// Quote: the speaker's role.
    pub role: Option<&'a str>,
    /// Correction: what is right.
    pub correct: Option<&'a str>,
    /// Figure: its normalized value (machine-readable).
    pub value: Option<&'a str>,
    /// Figure: unit.
    pub unit: Option<&'a str>,
    /// Figure: the value as a reader writes it ("0,5 %", "45 Tage"), the same words the
    /// figures panel shows.
    pub display: Option<String>,
    /// Figure: the value as HTML's `datetime` accepts it, when it is a date or duration
    /// HTML can express (then shown in `<time>`, else in `<data value>`).
    pub datetime: Option<String>,
    /// Sources of the check.
    pub sources: Vec<SourceView<'a>>,
}

/// A source of a check as a template sees it.
#[derive(Debug, Serialize)]
pub struct SourceView<'a> {
    /// What to show (the address when no title was given).
    pub title: &'a str,
    /// Where it points.
    pub url: &'a str,
    /// When it was published, as written.
    pub date: Option<&'a str>,
    /// An archived copy's address.
    pub archive: Option<&'a str>,
    /// When the editor last saw it, ISO (for `<time datetime>`).
    pub accessed: Option<String>,
    /// The same date as the page's readers write dates.
    pub accessed_display: Option<String>,
}

impl<'a> SourceView<'a> {
    /// `link` for a page whose dates `locale` writes.
    pub fn new(link: &'a Link, locale: &i18n::Locale) -> Self {
        SourceView {
            title: &link.title,
            url: &link.url,
            date: link.date.as_deref(),
            archive: link.archive.as_deref(),
            accessed: link.accessed.map(|d| d.to_string()),
            accessed_display: link.accessed.map(|d| locale.long_date(d)),
        }
    }
}

/// Where an article's text first appeared, as a template sees it.
#[derive(Debug, Serialize)]
pub struct OriginView<'a> {
    /// Publication name.
    pub name: &'a str,
    /// Address of the original.
    pub url: Option<&'a str>,
    /// Date of the original, ISO.
    pub date: Option<String>,
    /// The same date as the page's readers write dates.
    pub date_display: Option<String>,
    /// An archived copy of the original.
    pub archive: Option<&'a str>,
    /// When the editor last saw the original, ISO.
    pub accessed: Option<String>,
    /// The same date as the page's readers write dates.
    pub accessed_display: Option<String>,
}

/// The sentences of a text: where each ends, found once so that many figures can ask.
pub struct Sentences<'t> {
    text: &'t str,
    breaks: Vec<usize>,
}

impl<'t> Sentences<'t> {
    /// Finds the sentence ends of `text`.
    pub fn new(text: &'t str) -> Self {
        Sentences {
            text,
            breaks: sentence_breaks(text),
        }
    }

    /// The sentence around byte range `r`, at most a few hundred bytes either way.
    pub fn around(&self, r: std::ops::Range<usize>) -> &'t str {
        &self.text[self.around_range(r)]
    }

    /// Where [`Sentences::around`]'s sentence lies in the text.
    pub fn around_range(&self, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
        const REACH: usize = 300;
        let floor = crate::diagnostics::floor_char_boundary;
        let text = self.text;
        let lo = floor(text, r.start.saturating_sub(REACH));
        let hi = floor(text, (r.end + REACH).min(text.len()));
        let after_start = self.breaks.partition_point(|&b| b <= r.start);
        let start = after_start
            .checked_sub(1)
            .map_or(lo, |k| self.breaks[k].max(lo));
        let first_end = self.breaks.partition_point(|&b| b < r.end);
        let end = self.breaks.get(first_end).map_or(hi, |&b| b.min(hi));
        let inner = &text[start..end];
        let lead = inner.len() - inner.trim_start().len();
        let trail = inner.len() - inner.trim_end().len();
        if lead == inner.len() {
            return start..start;
        }
        start + lead..end - trail
    }
}

/// The sentence of `text` around byte range `r` (see [`Sentences`] for many lookups).
pub fn sentence_around(text: &str, r: std::ops::Range<usize>) -> &str {
    Sentences::new(text).around(r)
}

/// Positions where a sentence ends in `s`: after a line break, or after `.`, `!` or `?`
/// followed by white space and a capital letter ("1.000,5" and "z.B. hier" go on).
fn sentence_breaks(s: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, c) in s.char_indices() {
        if c == '\n' {
            out.push(i + 1);
        } else if matches!(c, '.' | '!' | '?') {
            let after = &s[i + 1..];
            let rest = after.trim_start();
            let spaced = rest.len() < after.len();
            if rest.is_empty() || (spaced && rest.starts_with(|c: char| c.is_uppercase())) {
                out.push(i + 1);
            }
        }
    }
    out
}

/// Everything the article template receives about the article itself.
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    /// Headline.
    pub title: &'a str,
    /// ISO date.
    pub date: String,
    /// Date as readers write it.
    pub date_display: String,
    /// ISO date of the last update.
    pub updated: Option<String>,
    /// The update date as readers write it.
    pub updated_display: Option<String>,
    /// Language tag.
    pub lang: &'a str,
    /// Authors, as the registry files them.
    pub authors: Vec<&'a str>,
    /// Summary as HTML.
    pub summary_html: Option<String>,
    /// Summary as plain text, for `<meta name="description">` and `og:description`.
    pub description: Option<String>,
    /// The absolute address of the image shown where the page is shared (`og:image`): its
    /// first image, else the site's `[share] image`.
    pub image: Option<String>,
    /// Tags.
    pub tags: &'a [String],
    /// The authors, each linked to their page (`authors/<slug>/` of the article's language).
    pub author_links: Vec<TermLink<'a>>,
    /// The tags, each linked to its page.
    pub tag_links: Vec<TermLink<'a>>,
    /// The article's terms of each of the site's taxonomies, in site.toml's order.
    pub taxonomies: Vec<TaxonomyLinks<'a>>,
    /// Where the text first appeared.
    pub source: Option<OriginView<'a>>,
    /// "translated from Chinese (machine)".
    pub translation: Option<String>,
    /// The body with its highlights.
    pub body_html: String,
    /// Annotations in reading order.
    pub notes: Vec<NoteView<'a>>,
    /// The notes section as HTML, when the default `article.html` is used (written by
    /// [`notes::html`]); empty otherwise.
    pub notes_html: String,
    /// The at-a-glance box as HTML, when the default `article.html` is used (written by
    /// [`notes::glance_html`]); empty otherwise.
    pub glance_html: String,
    /// The figures panel, rendered once in Rust (see [`figures_panel`]); empty without figures.
    pub figures_html: String,
    /// How many figures there are.
    pub figure_count: usize,
    /// How many claims of each verdict key.
    pub verdict_counts: BTreeMap<&'a str, usize>,
    /// The site's verdict keys, in the scale's order (best first, off-scale last).
    pub verdict_order: Vec<&'a str>,
    /// Page path below the site root (`2019/x/`).
    pub path: &'a str,
    /// schema.org JSON-LD, escaped for a `<script>` element (filled in by the build).
    pub jsonld: String,
}

/// A name (an author, a tag, a term) and the page that lists its articles.
#[derive(Debug, Serialize)]
pub struct TermLink<'a> {
    /// As shown.
    pub name: &'a str,
    /// Its page, from the page that links it.
    pub href: String,
}

/// An article's terms of one taxonomy.
#[derive(Debug, Serialize)]
pub struct TaxonomyLinks<'a> {
    /// The taxonomy's title in the page's language.
    pub title: &'a str,
    /// Its terms, linked.
    pub terms: Vec<TermLink<'a>>,
}

/// One language version of a page: for `<link rel="alternate" hreflang>` in its head, the
/// sitemap and the language switcher.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// Its language tag (`hreflang`, `lang`).
    pub lang: String,
    /// The language as its speakers call it ("Français"), the switcher's link text.
    pub name: String,
    /// Its address from the page that links it.
    pub href: String,
    /// Its absolute address (from `base_url`; `href` when the site has none).
    pub url: String,
    /// Whether it is the page itself.
    pub current: bool,
}

impl Alternate {
    /// The version in `lang` at `page` (below the site root), linked from a page whose way to
    /// the root is `root`.
    pub fn new(site: &Site, lang: &str, page: &str, root: &str, current: bool) -> Self {
        let href = if current {
            "./".to_string()
        } else {
            let h = format!("{root}{}", url_of_path(page));
            if h.is_empty() { "./".to_string() } else { h }
        };
        let base = site.base_url();
        Alternate {
            lang: lang.to_string(),
            name: i18n::endonym(lang),
            url: if base.is_empty() {
                href.clone()
            } else {
                format!("{base}/{}", url_of_path(page))
            },
            href,
            current,
        }
    }
}

/// An article's language versions, itself among them, by language tag; just itself when it
/// names no translations.
pub fn article_alternates(site: &Site, article: &Article) -> Vec<Alternate> {
    let root = root_prefix(&article.url_path);
    let mut all = vec![Alternate::new(
        site,
        &article.meta.lang_tag,
        &article.url_path,
        &root,
        true,
    )];
    for t in &article.meta.translations {
        let Some(file) = crate::links::source_link(&article.path, &t.file).and_then(|l| l.file)
        else {
            continue;
        };
        let page = crate::content::url_path_for(&file);
        all.push(Alternate::new(site, &t.lang, &page, &root, false));
    }
    all.sort_by(|a, b| a.lang.cmp(&b.lang));
    all
}

/// Reading-order numbers of an article's annotations, by annotation index.
pub fn reading_order(anchored: &Anchored<'_>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..anchored.placed.len()).collect();
    order.sort_by_key(|&i| anchored.placed[i].as_ref().map_or(usize::MAX, |r| r.start));
    let mut numbers = vec![0; order.len()];
    for (n, &i) in order.iter().enumerate() {
        numbers[i] = n + 1;
    }
    numbers
}

/// The template view of an anchored article.
pub fn article_view<'a>(
    site: &'a Site,
    article: &'a Article,
    anchored: &'a Anchored<'_>,
) -> ArticleView<'a> {
    let lang = article.meta.lang;
    let locale = site.locales.get(lang);
    let words = &locale.words;
    let numbers = reading_order(anchored);
    let root = root_prefix(&article.url_path);
    // People's pages are those of the article's language.
    let home = format!("{root}{}", site.prefix_of(&article.meta.lang_tag));
    let body = body_html_images(
        article,
        &site.scale,
        words,
        anchored,
        &numbers,
        !site.config.markdown.unsafe_html,
        Some(&crate::images::Render {
            table: &site.images,
            credit: words.get("image_credit"),
        }),
    );
    let mut notes: Vec<NoteView<'a>> = Vec::new();
    let mut verdict_counts = BTreeMap::new();
    for (i, ann) in article.annotations.iter().enumerate() {
        let Some(range) = &anchored.placed[i] else {
            continue;
        };
        let mut view = NoteView {
            id: &ann.id,
            number: numbers[i],
            kind: ann.kind,
            kind_label: kind_label(ann.kind, words),
            text: &anchored.reader.text[range.clone()],
            note_html: ann
                .note
                .as_deref()
                .map(|n| markdown_html_in(n, &article.path, &root)),
            verdict: None,
            verdict_label: None,
            rating: None,
            tone: None,
            conclusion: None,
            statement: None,
            claim_href: None,
            article_itself: false,
            by: None,
            by_as_written: None,
            by_href: None,
            speaker: None,
            speaker_as_written: None,
            speaker_href: None,
            role: None,
            correct: None,
            value: None,
            unit: None,
            display: None,
            datetime: None,
            sources: ann
                .sources
                .iter()
                .map(|l| SourceView::new(l, locale))
                .collect(),
        };
        match &ann.detail {
            Detail::Claim {
                statement,
                by,
                verdict,
                conclusion,
                ..
            } => {
                view.statement = statement.as_deref();
                // From the article's own folder (the claim page is below it), not via the
                // site root: the same page in a fraction of the bytes.
                view.claim_href = Some(url_of_path(&claim_page_path("", &ann.id)).into_owned());
                view.article_itself = by.as_deref() == Some(crate::content::ARTICLE_ITSELF);
                let by = crate::content::claimant(by.as_deref(), article.meta.source.as_ref());
                let v = site.scale.get(verdict);
                view.verdict = Some(verdict);
                view.verdict_label = v.map(|v| v.label.get(lang));
                view.rating = v.and_then(|v| v.rating);
                view.tone = site.scale.tone(verdict);
                view.conclusion = conclusion.as_deref();
                if let Some(by) = by {
                    let (filed, written, href) = filed(site, by, &home);
                    (view.by, view.by_as_written, view.by_href) = (Some(filed), written, href);
                }
                *verdict_counts.entry(verdict.as_str()).or_insert(0) += 1;
            }
            Detail::Quote { speaker, role } => {
                let (filed, written, href) = filed(site, speaker, &home);
                (view.speaker, view.speaker_as_written, view.speaker_href) =
                    (Some(filed), written, href);
                view.role = role.as_deref();
            }
            Detail::Figure { .. } => {
                // What the text shows: the editor's value, or the detector's.
                if let Some((value, unit, kind, max)) = anchored.figure_of(i) {
                    view.value = Some(value);
                    view.unit = unit;
                    view.display = Some(figure_display(kind, value, max, unit, locale));
                    view.datetime = figures::units::datetime(kind, value, unit);
                }
            }
            Detail::Correction { correct, .. } => view.correct = Some(correct),
            Detail::Note => {}
        }
        notes.push(view);
    }
    notes.sort_by_key(|n| n.number);
    let translation = article.meta.translation.as_ref().map(|t| {
        let from = locale.language_name(&t.from);
        let translated_from = words.get("translated_from");
        match t.by.as_deref() {
            Some("machine") => format!(
                "{translated_from} {from}, {}",
                words.get("translated_by_machine")
            ),
            Some(by) => format!(
                "{translated_from} {from} {} {}",
                words.get("by"),
                site.filed_name(by)
            ),
            None => format!("{translated_from} {from}"),
        }
    });
    let (figure_count, figures_html) = figures_panel(anchored, locale);
    // The listings of the article's language, where its authors, tags and terms have pages.
    let home = site.prefix_of(&article.meta.lang_tag);
    ArticleView {
        title: &article.meta.title,
        date: article.meta.date.to_string(),
        date_display: locale.long_date(article.meta.date),
        updated: article.meta.updated.map(|d| d.to_string()),
        updated_display: article.meta.updated.map(|d| locale.long_date(d)),
        lang: &article.meta.lang_tag,
        authors: article
            .meta
            .authors
            .iter()
            .map(|a| site.filed_name(a))
            .collect(),
        summary_html: article
            .meta
            .summary
            .as_deref()
            .map(|s| markdown_html_in(s, &article.path, &root)),
        description: Some(match article.meta.summary.as_deref() {
            Some(summary) => share::description(summary),
            None => share::opening(&anchored.reader.text),
        })
        .filter(|d| !d.is_empty()),
        image: share::article_image(
            site,
            &article.url_path,
            anchored.events.iter().map(|(e, _)| e),
        ),
        tags: &article.meta.tags,
        author_links: article
            .meta
            .authors
            .iter()
            .filter(|a| !a.trim().is_empty())
            .map(|a| TermLink {
                name: site.filed_name(a),
                href: format!("{root}{home}{}", site.author_page(a)),
            })
            .collect(),
        tag_links: article
            .meta
            .tags
            .iter()
            .map(|t| TermLink {
                name: t,
                href: format!("{root}{home}tags/{}/", crate::slug::tag_slug(t)),
            })
            .collect(),
        taxonomies: site
            .config
            .taxonomies
            .iter()
            .filter_map(|tx| {
                let (_, terms) = article
                    .meta
                    .taxonomies
                    .iter()
                    .find(|(n, _)| *n == tx.name)?;
                Some(TaxonomyLinks {
                    title: tx.title.get(article.meta.lang),
                    terms: terms
                        .iter()
                        .map(|t| TermLink {
                            name: t,
                            href: format!("{root}{home}{}/{}/", tx.name, crate::slug::tag_slug(t)),
                        })
                        .collect(),
                })
            })
            .collect(),
        source: article.meta.source.as_ref().map(|s| OriginView {
            name: &s.name,
            url: s.url.as_deref(),
            date: s.date.map(|d| d.to_string()),
            date_display: s.date.map(|d| locale.long_date(d)),
            archive: s.archive.as_deref(),
            accessed: s.accessed.map(|d| d.to_string()),
            accessed_display: s.accessed.map(|d| locale.long_date(d)),
        }),
        translation,
        body_html: body,
        notes,
        notes_html: String::new(),
        glance_html: String::new(),
        figure_count,
        figures_html,
        verdict_counts,
        verdict_order: site.scale.keys().collect(),
        path: &article.url_path,
        jsonld: String::new(),
    }
}

/// One verdict of the site's scale, as `partials/verdict_scale.html` lists it.
#[derive(Debug, Serialize)]
pub struct ScaleEntry<'a> {
    /// What front matter writes.
    pub key: &'a str,
    /// What readers see, in the page's language.
    pub label: &'a str,
    /// Its rating, if it is on the scale.
    pub rating: Option<u8>,
    /// Its place on the scale, 1 (worst) to 5 (best): the `gl-r-N` class.
    pub tone: Option<u8>,
    /// The scale's best rating, for "4 of 5".
    pub best: Option<u8>,
    /// What it means, in the page's language.
    pub description: Option<&'a str>,
}

/// The site's verdict scale in `lang`, in its order (best first, off-scale verdicts last).
pub fn scale_view(site: &Site, lang: crate::lang::Lang) -> Vec<ScaleEntry<'_>> {
    site.scale
        .verdicts
        .iter()
        .map(|v| ScaleEntry {
            key: &v.key,
            label: v.label.get(lang),
            rating: v.rating,
            tone: site.scale.tone(&v.key),
            best: v
                .rating
                .and(site.scale.rating_bounds().map(|(best, _)| best)),
            description: v
                .description
                .as_ref()
                .map(|d| d.get(lang))
                .filter(|d| !d.is_empty()),
        })
        .collect()
}

/// The shortcode a standalone page writes as a paragraph of its own to list the site's
/// verdict scale: Zola's form, `{{ verdict_scale() }}`, or Hugo's, `{{< verdict_scale >}}`.
const SHORTCODES: [&str; 2] = ["{{verdict_scale()}}", "{{&lt;verdict_scale&gt;}}"];

/// The shortcode's paragraphs in `html` (a rendered body), as byte ranges.
fn shortcode_paragraphs(html: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find("<p>{{") {
        let start = from + i;
        let Some(len) = html[start..].find("</p>") else {
            break;
        };
        let end = start + len + "</p>".len();
        let inner: String = html[start + 3..start + len]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if SHORTCODES.contains(&inner.as_str()) {
            found.push(start..end);
        }
        from = end;
    }
    found
}

/// Whether a rendered page body holds the verdict scale's shortcode.
pub fn has_shortcode(html: &str) -> bool {
    !shortcode_paragraphs(html).is_empty()
}

/// `html` with each shortcode paragraph replaced by `list` (the theme's rendering of the
/// scale). What replaces it comes from the trusted theme; the shortcode's own text cannot
/// carry anything into it.
pub fn expand_shortcodes(html: &str, list: &str) -> String {
    let mut out = String::with_capacity(html.len() + list.len());
    let mut at = 0;
    for r in shortcode_paragraphs(html) {
        out.push_str(&html[at..r.start]);
        out.push_str(list.trim());
        at = r.end;
    }
    out.push_str(&html[at..]);
    out
}

/// `name` as the registry files it, `name` as written where that differs, and the person's
/// page from a page whose way to the people pages' `people/` is `root`, if the registry knows them.
fn filed<'a>(
    site: &'a Site,
    name: &'a str,
    root: &str,
) -> (&'a str, Option<&'a str>, Option<String>) {
    match site.person(name) {
        Some((i, p)) => {
            let written = (crate::annotate::fold(name) != p.name).then_some(name);
            (
                &p.name,
                written,
                Some(format!("{root}{}", site.person_page(i))),
            )
        }
        None => (name, None, None),
    }
}

/// The figures panel: every figure of the text, grouped by kind in the order the kinds first
/// appear, each as its value in the reader's notation linking to where it stands.
///
/// The text around a figure is one click away, and the body's `<data>`/`<time>` carry the
/// machine-readable value, unit and id, so the panel does not reprint sentences or values: on
/// the generated archive the sentences and rows were 40 % of every article page's bytes.
/// Written here rather than in the template because it is a hundred rows per article (the
/// template loop was 1.6–2.6 CPU-s of a 10k first build). Returns the figure count and the
/// panel's HTML (empty without figures).
pub fn figures_panel(anchored: &Anchored<'_>, locale: &i18n::Locale) -> (usize, String) {
    use std::fmt::Write;
    let words = &locale.words;
    let word = |key: &str| {
        let mut out = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut out, words.get(key));
        out
    };
    let (approx_word, inferred_word) = (word("approx"), word("year_inferred"));
    let mut groups: Vec<(figures::FigureKind, usize, String)> = Vec::new();
    let mut count = 0;
    for span in &anchored.spans {
        let crate::annotate::Target::Figure {
            value,
            unit,
            kind,
            approx,
            year_inferred,
            max,
            ..
        } = &span.target
        else {
            continue;
        };
        count += 1;
        let at = match groups.iter().position(|(k, _, _)| k == kind) {
            Some(at) => at,
            None => {
                groups.push((*kind, 0, String::with_capacity(2048)));
                groups.len() - 1
            }
        };
        let (_, n, html) = &mut groups[at];
        *n += 1;
        html.push_str("<li><a href=\"#");
        escape_attr(html, &span.id);
        html.push_str("\">");
        if approx.is_some() {
            let _ = write!(html, "<abbr title=\"{approx_word}\">≈</abbr> ");
        }
        let display = figure_display(*kind, value, max.as_deref(), unit.as_deref(), locale);
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut *html, &display);
        html.push_str("</a>");
        if *year_inferred {
            let _ = write!(html, " <span class=\"gl-meta\">({inferred_word})</span>");
        }
    }
    if count == 0 {
        return (0, String::new());
    }
    let mut out = String::with_capacity(groups.iter().map(|g| g.2.len() + 96).sum::<usize>() + 256);
    let _ = write!(
        out,
        "<section class=\"gl-figures\" aria-labelledby=\"figures-heading\">\n<details>\n\
         <summary><h2 id=\"figures-heading\">{} <span class=\"count\">({count})</span></h2></summary>\n\
         <dl class=\"gl-figure-kinds\">\n",
        word("figures_in_text")
    );
    for (kind, n, html) in &groups {
        let _ = write!(
            out,
            "<dt>{} <span class=\"count\">({n})</span></dt>\n<dd><ul class=\"gl-figure-list\">{html}</ul></dd>\n",
            word(figure_kind_key(*kind))
        );
    }
    out.push_str("</dl>\n</details>\n</section>\n");
    (count, out)
}

/// `text[sentence]` escaped, with each of `marks` (sorted) that lies inside it in a `<mark>`
/// of class `class`.
fn marked_text(
    text: &str,
    sentence: std::ops::Range<usize>,
    marks: &[std::ops::Range<usize>],
    class: &str,
) -> String {
    let mut html = String::with_capacity(sentence.len() + marks.len() * 40);
    let mut at = sentence.start;
    for m in marks {
        if m.start < at || m.end > sentence.end {
            continue;
        }
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, &text[at..m.start]);
        html.push_str("<mark class=\"");
        html.push_str(class);
        html.push_str("\">");
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, &text[m.clone()]);
        html.push_str("</mark>");
        at = m.end;
    }
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, &text[at..sentence.end]);
    html
}

/// `s` escaped for a double-quoted attribute value.
fn escape_attr(out: &mut String, s: &str) {
    let _ = pulldown_cmark_escape::escape_html(&mut *out, s);
}

/// A figure as readers of `locale`'s language write it: the one formatter of the margin, the figures
/// panel and the annotation export (see [`figures::units::display`]).
pub fn figure_display(
    kind: figures::FigureKind,
    value: &str,
    max: Option<&str>,
    unit: Option<&str>,
    locale: &i18n::Locale,
) -> String {
    figures::units::display(kind, value, max, unit, locale)
}

/// The locale's key for a figure kind's name.
fn figure_kind_key(kind: crate::annotate::figures::FigureKind) -> &'static str {
    use crate::annotate::figures::FigureKind as K;
    match kind {
        K::Number => "fig_number",
        K::Money => "fig_money",
        K::Percent => "fig_percent",
        K::PercentagePoints => "fig_percentage_points",
        K::Year => "fig_year",
        K::Date => "fig_date",
        K::Duration => "fig_duration",
    }
}

/// The kind's name in the language of `words`.
pub fn kind_label(kind: Kind, words: &i18n::Words) -> &str {
    words.get(match kind {
        Kind::Claim => "claim",
        Kind::Quote => "quote",
        Kind::Figure => "figure",
        Kind::Note => "note",
        Kind::Correction => "correction",
    })
}

/// What a path segment keeps unencoded: RFC 3986's unreserved characters. Everything else,
/// `:` included, is encoded, so that no file name can make a link with a scheme
/// (`javascript:…`), a query or a fragment, and every address is valid in a sitemap.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A `/`-separated path below the site root (an article's `url_path`, an asset) as a relative
/// URL: each segment percent-encoded. The output file stays at the raw path; a server or
/// `file://` decodes the URL back to it.
pub fn url_of_path(path: &str) -> std::borrow::Cow<'_, str> {
    if path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~'))
    {
        return path.into();
    }
    let mut out = String::with_capacity(path.len() + 16);
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.extend(percent_encoding::utf8_percent_encode(segment, PATH_SEGMENT));
    }
    out.into()
}

/// The page of claim `id` of the article at `article_path`, below the site root
/// (`2019/x/claims/claim-id/`): below its article, as ids are the article's own.
pub fn claim_page_path(article_path: &str, id: &str) -> String {
    format!("{article_path}claims/{id}/")
}

/// The relative path from a page at `url_path` back to the site root (`../../` for `a/b/`).
pub fn root_prefix(url_path: &str) -> String {
    "../".repeat(url_path.matches('/').count())
}

/// JSON text made safe to embed in an HTML `<script>` element: `<`, `>`, `&` and the
/// JavaScript line terminators U+2028/U+2029 become `\u` escapes. Only valid on JSON, where
/// these characters can occur only inside strings.
pub fn script_safe(json: &str) -> String {
    let mut out = Vec::with_capacity(json.len() + 16);
    push_script_safe(&mut out, json);
    // Only whole characters were replaced by ASCII.
    String::from_utf8(out).unwrap_or_default()
}

/// Appends `s` to `out` with the characters [`script_safe`] escapes escaped.
fn push_script_safe(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (escape, len): (&[u8], usize) = match bytes[i] {
            b'<' => (b"\\u003c", 1),
            b'>' => (b"\\u003e", 1),
            b'&' => (b"\\u0026", 1),
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => {
                (b"\\u2028", 3)
            }
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => {
                (b"\\u2029", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[from..i]);
        out.extend_from_slice(escape);
        i += len;
        from = i;
    }
    out.extend_from_slice(&bytes[from..]);
}

/// A `serde_json` formatter for JSON inside a `<script>` element: compact, with every string
/// escaped as [`script_safe`] escapes it, in the one pass that writes it.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if !fragment
            .bytes()
            .any(|b| matches!(b, b'<' | b'>' | b'&' | 0xE2))
        {
            return writer.write_all(fragment.as_bytes());
        }
        let mut out = Vec::with_capacity(fragment.len() + 16);
        push_script_safe(&mut out, fragment);
        writer.write_all(&out)
    }
}

/// `value` as compact JSON, safe inside a `<script>` element (the text of
/// `script_safe(&serde_json::to_string(value))`, written once).
pub fn script_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::with_capacity(1024);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, ScriptSafe);
    // Writing into memory cannot fail, and the types written have string keys.
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_escapes_what_could_end_a_script_or_a_line() {
        let json = serde_json::json!({"t": "</script><!--&\u{2028}\u{2029}ü"}).to_string();
        let safe = script_safe(&json);
        assert_eq!(
            safe,
            r#"{"t":"\u003c/script\u003e\u003c!--\u0026\u2028\u2029ü"}"#
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["t"], "</script><!--&\u{2028}\u{2029}ü");
        // Written in one pass, the same text, keys too.
        let v = serde_json::json!({"a<&>\u{2028}": ["x</script>\u{2029}", 1, null, "\u{2027}é"]});
        assert_eq!(script_json(&v), script_safe(&v.to_string()));
        assert_eq!(
            script_json(&serde_json::json!({"t": "</script><!--&\u{2028}\u{2029}ü"})),
            safe
        );
    }

    #[test]
    fn paths_become_relative_urls() {
        assert_eq!(url_of_path("2019/x-y_z.1~/"), "2019/x-y_z.1~/");
        assert_eq!(
            url_of_path("javascript:alert(document.domain)%2F%2F/"),
            "javascript%3Aalert%28document.domain%29%252F%252F/"
        );
        assert_eq!(url_of_path("a b/#?\\ü/"), "a%20b/%23%3F%5C%C3%BC/");
    }

    #[test]
    fn the_scale_shortcode_is_a_paragraph_of_its_own() {
        let html = "<p>Vorher</p>\n<p>{{ verdict_scale() }}</p>\n<p>{{&lt; verdict_scale &gt;}}</p>\n<p>{{ verdict_scale() }} und mehr</p>\n<pre><code>{{ verdict_scale() }}\n</code></pre>\n";
        assert!(has_shortcode(html));
        assert_eq!(
            expand_shortcodes(html, "<ul>S</ul>\n"),
            "<p>Vorher</p>\n<ul>S</ul>\n<ul>S</ul>\n<p>{{ verdict_scale() }} und mehr</p>\n<pre><code>{{ verdict_scale() }}\n</code></pre>\n"
        );
        assert!(!has_shortcode("<p>{{ other() }}</p>"));
    }

    #[test]
    fn sentence_is_cut_at_sentence_ends() {
        let t = "Erster Satz. Microsoft investierte 1 Milliarde US-Dollar in OpenAI. Dritter.";
        let at = t.find("1 Milliarde").unwrap();
        assert_eq!(
            sentence_around(t, at..at + 11),
            "Microsoft investierte 1 Milliarde US-Dollar in OpenAI."
        );
        assert_eq!(sentence_around("3,5 Prozent", 0..11), "3,5 Prozent");
        let t = "Vorher. Rund 1.000,5 Euro, z.B. hier. Danach.";
        let at = t.find("1.000,5").unwrap();
        assert_eq!(
            sentence_around(t, at..at + 7),
            "Rund 1.000,5 Euro, z.B. hier."
        );
    }
}
