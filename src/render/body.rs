//! An anchored article body to HTML: pulldown-cmark's own HTML, with highlights woven in.
use std::fmt::Write;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_html, escape_html_body_text};

use crate::annotate::figures::units::datetime;
use crate::annotate::{Anchored, Span, Target};
use crate::config::VerdictScale;
use crate::content::{Article, Detail};
use crate::markdown::Run;

/// The elements gloss's highlights are written as.
pub(crate) const GLOSS_TAGS: &[&str] = &["mark", "data", "time"];
/// The attributes gloss's own markup carries on any element. The sanitizer keeps exactly
/// these (and [`GLOSS_TAG_ATTRIBUTES`]) on raw HTML's pages: an attribute the writer adds
/// without adding it here would vanish from every highlight of a page with raw HTML.
pub(crate) const GLOSS_ATTRIBUTES: &[&str] = &[
    CLASS,
    ID,
    DATA_GL,
    DATA_UNIT,
    DATA_MAX,
    DATA_APPROX,
    DATA_YEAR,
];
/// The attributes gloss writes on one kind of element only.
pub(crate) const GLOSS_TAG_ATTRIBUTES: &[(&str, &[&str])] =
    &[("data", &[VALUE]), ("time", &[DATETIME])];

const CLASS: &str = "class";
const ID: &str = "id";
/// Which annotation or figure a highlight belongs to (its id).
const DATA_GL: &str = "data-gl";
const DATA_UNIT: &str = "data-unit";
/// The high end of a range; `value`/`datetime` hold the low end.
const DATA_MAX: &str = "data-max";
const DATA_APPROX: &str = "data-approx";
/// `inferred`: the year is gloss's inference from the article's date.
const DATA_YEAR: &str = "data-year";
const VALUE: &str = "value";
const DATETIME: &str = "datetime";

/// Renders the body of `article`. `numbers[i]` is the reader-facing number of annotation `i`
/// (its note's number). With `safe` (what `build` publishes), script links are defused, raw
/// HTML sanitized and links to article files pointed at their pages; with no highlights and
/// not `safe`, the output is exactly pulldown-cmark's but for embeds, footnotes and tables,
/// which are written as the site shows them.
pub fn body_html(
    article: &Article,
    anchored: &Anchored<'_>,
    numbers: &[usize],
    safe: bool,
) -> String {
    let locales = crate::i18n::Locales::default();
    body_html_on(
        article,
        &VerdictScale::default_scale(&locales),
        &locales.get(article.meta.lang).words,
        anchored,
        numbers,
        safe,
    )
}

/// [`body_html`] for a site whose verdicts stand on `scale`, its words (footnotes' heading,
/// embeds' placeholders) in `words`.
pub fn body_html_on(
    article: &Article,
    scale: &VerdictScale,
    words: &crate::i18n::Words,
    anchored: &Anchored<'_>,
    numbers: &[usize],
    safe: bool,
) -> String {
    body_html_images(article, scale, words, anchored, numbers, safe, None)
}

/// [`body_html_on`], its images written by [`crate::images::rewrite`] when `images` is
/// given (what a site publishes), else as pulldown-cmark writes them.
pub fn body_html_images(
    article: &Article,
    scale: &VerdictScale,
    words: &crate::i18n::Words,
    anchored: &Anchored<'_>,
    numbers: &[usize],
    safe: bool,
    images: Option<&crate::images::Render<'_>>,
) -> String {
    let mut events: Vec<Event<'_>> = anchored.events.iter().map(|(e, _)| e.clone()).collect();
    if safe {
        let root = super::root_prefix(&article.url_path);
        crate::links::rewrite(&mut events, &article.path, &root);
    }
    // Defused before weaving: highlight HTML is gloss's own and must not count as raw HTML.
    let raw_html = safe && super::sanitize::defuse_links(&mut events);
    // After the defusing, for the same reason: the images' HTML is gloss's own.
    if let Some(images) = images {
        crate::images::rewrite(&mut events, &article.url_path, images);
    }
    if !anchored.spans.is_empty() {
        weave(article, scale, anchored, numbers, &mut events);
    }
    // After weaving, which finds text by its event's index: these move events. gloss's own
    // markup, written before the sanitizer runs, so it must keep what they write (see
    // `sanitize`); none of it carries an address the article wrote.
    let events = super::embed::replace(events, &anchored.embeds, words);
    let events = super::finish::footnotes(events, words);
    let events = super::finish::tables(events, words);
    let events = super::finish::task_lists(events, words);
    let mut html = String::with_capacity(article.body().len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if raw_html {
        html = super::sanitize::clean_html(&html);
    }
    html
}

/// Replaces each text event that a highlight touches with HTML that wraps its pieces.
fn weave<'a>(
    article: &Article,
    scale: &VerdictScale,
    anchored: &Anchored<'a>,
    numbers: &[usize],
    events: &mut [Event<'a>],
) {
    let spans = &anchored.spans;
    let mut started = vec![false; spans.len()];
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    // Reference links wait while a link is open: an <a> may not hold another <a>.
    let mut link_depth = 0usize;
    let mut pending_refs = String::new();
    let mut run_iter = anchored.reader.runs.iter().peekable();
    #[allow(clippy::needless_range_loop)] // events[i] is replaced in place
    for i in 0..events.len() {
        match &events[i] {
            Event::Start(Tag::Link { .. }) => link_depth += 1,
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                if link_depth == 0 && !pending_refs.is_empty() {
                    let after = std::mem::take(&mut pending_refs);
                    // The link's end is kept; the refs follow it in the same event.
                    events[i] = Event::InlineHtml(format!("</a>{after}").into());
                }
                continue;
            }
            _ => {}
        }
        let Some(run) = run_iter.next_if(|r| r.event == i) else {
            continue;
        };
        while next < spans.len() && spans[next].range.start < run.range.end {
            active.push(next);
            next += 1;
        }
        active.retain(|&s| spans[s].range.end > run.range.start);
        if active.is_empty() {
            continue;
        }
        let is_code = matches!(events[i], Event::Code(_));
        let text = &anchored.reader.text[run.range.clone()];
        let mut out = String::with_capacity(text.len() + 64 * active.len());
        if is_code {
            out.push_str("<code>");
        }
        // Inside a link or code span the references wait for its end; elsewhere they
        // follow their highlight directly.
        let deferred = (link_depth > 0 || is_code).then_some(&mut pending_refs);
        write_run(
            article,
            scale,
            numbers,
            spans,
            &active,
            run,
            text,
            &mut started,
            &mut out,
            deferred,
        );
        if is_code {
            out.push_str("</code>");
            if link_depth == 0 {
                out.push_str(&std::mem::take(&mut pending_refs));
            }
        }
        events[i] = Event::InlineHtml(CowStr::from(out));
    }
}

#[allow(clippy::too_many_arguments)]
fn write_run(
    article: &Article,
    scale: &VerdictScale,
    numbers: &[usize],
    spans: &[Span],
    active: &[usize],
    run: &Run,
    text: &str,
    started: &mut [bool],
    out: &mut String,
    mut deferred: Option<&mut String>,
) {
    let (rs, re) = (run.range.start, run.range.end);
    let mut cuts: Vec<usize> = vec![rs, re];
    for &s in active {
        let r = &spans[s].range;
        cuts.extend([r.start, r.end].into_iter().filter(|&c| c > rs && c < re));
    }
    cuts.sort_unstable();
    cuts.dedup();
    // A sweep over the cuts: `covering` holds the highlights open over the current piece (by
    // their place in `active`, which keeps the outer ones first), so each piece costs what
    // covers it, not every highlight of the run (a 200 KB line of figures took a minute).
    let mut by_start: Vec<usize> = (0..active.len()).collect();
    by_start.sort_by_key(|&k| spans[active[k]].range.start);
    let mut by_end = by_start.clone();
    by_end.sort_by_key(|&k| spans[active[k]].range.end);
    let (mut starts, mut ends) = (by_start.iter().peekable(), by_end.iter().peekable());
    let mut covering: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
    // The elements open in the output, outermost first (as `covering` orders them).
    let mut open: Vec<usize> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        while let Some(&&k) = starts.peek() {
            if spans[active[k]].range.start > a {
                break;
            }
            covering.insert(k);
            starts.next();
        }
        while let Some(&&k) = ends.peek() {
            if spans[active[k]].range.end > a {
                break;
            }
            covering.remove(&k);
            ends.next();
        }
        // The open elements stay open while they still cover the piece in the same nesting:
        // only those from the first difference on are closed and (re)opened. Closing and
        // reopening every highlight around every figure inside it was a fifth of the body's
        // bytes on the generated archive.
        let keep = open
            .iter()
            .zip(covering.iter())
            .take_while(|(x, y)| x == y)
            .count();
        for &k in open[keep..].iter().rev() {
            out.push_str(close_tag(&spans[active[k]]));
        }
        open.truncate(keep);
        for &k in covering.iter().skip(keep) {
            let s = active[k];
            open_tag(article, scale, &spans[s], !started[s], out);
            started[s] = true;
            open.push(k);
        }
        let _ = escape_html_body_text(&mut *out, &text[a - rs..b - rs]);
        // What ends here closes, with everything opened inside it; the references follow,
        // outside every highlight (the ones still open reopen after them).
        if let Some(mut at) = open.iter().position(|&k| spans[active[k]].range.end == b) {
            let referenced = open[at..]
                .iter()
                .any(|&k| spans[active[k]].range.end == b && has_ref(&spans[active[k]]));
            if referenced && deferred.is_none() {
                at = 0;
            }
            for &k in open[at..].iter().rev() {
                out.push_str(close_tag(&spans[active[k]]));
            }
            for &k in &open[at..] {
                let s = active[k];
                if spans[s].range.end == b {
                    let target = match deferred.as_deref_mut() {
                        Some(d) => d,
                        None => &mut *out,
                    };
                    write_ref(article, scale, numbers, &spans[s], target);
                }
            }
            open.truncate(at);
        }
    }
    for &k in open.iter().rev() {
        out.push_str(close_tag(&spans[active[k]]));
    }
}

fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    let _ = escape_html(&mut *out, value);
    out.push('"');
}

/// ` gl-v-<key>`, and ` gl-r-<1..5>` for a verdict on the scale: themes colour verdicts by
/// their place on the scale, so that any site's scale looks like what it means.
fn verdict_classes(scale: &VerdictScale, verdict: &str, out: &mut String) {
    out.push_str(" gl-v-");
    let _ = escape_html(&mut *out, verdict);
    if let Some(tone) = scale.tone(verdict) {
        let _ = write!(out, " gl-r-{tone}");
    }
}

fn open_tag(article: &Article, scale: &VerdictScale, span: &Span, first: bool, out: &mut String) {
    match &span.target {
        Target::Annotation(i) => {
            let ann = &article.annotations[*i];
            out.push_str("<mark class=\"gl gl-");
            out.push_str(ann.kind.key());
            if let Detail::Claim { verdict, .. } = &ann.detail {
                verdict_classes(scale, verdict, out);
            }
            out.push('"');
            // Every place of one annotation answers to its note.
            attr(out, DATA_GL, &ann.id);
        }
        Target::Figure {
            value,
            unit,
            kind,
            approx,
            year_inferred,
            max,
            annotation,
        } => {
            match datetime(*kind, value, unit.as_deref()) {
                Some(dt) => {
                    out.push_str("<time class=\"gl gl-figure\"");
                    attr(out, DATETIME, &dt);
                }
                None => {
                    out.push_str("<data class=\"gl gl-figure\"");
                    attr(out, VALUE, value);
                }
            }
            if let Some(max) = max {
                // The high end of a range; `datetime`/`value` hold the low end.
                attr(out, DATA_MAX, max);
            }
            if let Some(unit) = unit {
                attr(out, DATA_UNIT, unit);
            }
            if let Some(approx) = approx {
                attr(out, DATA_APPROX, approx.key());
            }
            if *year_inferred {
                // Says that the year is gloss's inference from the article's date.
                attr(out, DATA_YEAR, "inferred");
            }
            // A figure with a note answers to it; a detected one has none to light up
            // (pointing at it lights the highlight around it instead), and its `id` is
            // enough to link it: 16 bytes on each of a hundred figures an article.
            if annotation.is_some() {
                attr(out, DATA_GL, &span.id);
            }
        }
    }
    if first {
        attr(out, ID, &span.id);
    }
    out.push('>');
    if first {
        // Ids the highlight was published under before: links to them land on its words.
        for alias in &span.aliases {
            out.push_str("<span class=\"gl-alias\"");
            attr(out, ID, alias);
            out.push_str("></span>");
        }
    }
}

fn close_tag(span: &Span) -> &'static str {
    match &span.target {
        Target::Annotation(_) => "</mark>",
        Target::Figure {
            kind, value, unit, ..
        } if datetime(*kind, value, unit.as_deref()).is_some() => "</time>",
        Target::Figure { .. } => "</data>",
    }
}

/// Whether [`write_ref`] writes a reference for `span`: every annotation does, a detected
/// figure does not.
fn has_ref(span: &Span) -> bool {
    !matches!(
        span.target,
        Target::Figure {
            annotation: None,
            ..
        }
    )
}

/// The small numbered link from a highlight to its note.
fn write_ref(
    article: &Article,
    scale: &VerdictScale,
    numbers: &[usize],
    span: &Span,
    refs: &mut String,
) {
    let index = match &span.target {
        Target::Annotation(i) => *i,
        Target::Figure {
            annotation: Some(i),
            ..
        } => *i,
        Target::Figure { .. } => return,
    };
    let ann = &article.annotations[index];
    let _ = write!(refs, "<sup class=\"gl-ref gl-ref-{}", ann.kind.key());
    if let Detail::Claim { verdict, .. } = &ann.detail {
        verdict_classes(scale, verdict, refs);
    }
    let _ = write!(
        refs,
        "\"><a href=\"#note-{note}\" id=\"ref-{id}\">{}</a></sup>",
        numbers[index],
        note = EscapedId(&ann.id),
        id = EscapedId(&span.id),
    );
}

/// An id, escaped for an attribute.
struct EscapedId<'a>(&'a str);

impl std::fmt::Display for EscapedId<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::new();
        let _ = escape_html(&mut s, self.0);
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Site;
    use crate::content::parse_article;
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    /// An article with every kind of annotation and every kind of figure gloss marks up
    /// (approximate, a range, a date with an inferred year, a unit), and raw HTML.
    const EVERY_KIND: &str = include_str!("../../tests/fixtures/every_kind.md");
    const RAW: &str = "<span class=\"roh\">roh</span>";

    fn render(text: &str, safe: bool) -> String {
        let site = Site::standalone();
        let article = parse_article(
            &site,
            PathBuf::from("content/2019/alles.md"),
            text.into(),
            "2019/alles/".into(),
        )
        .unwrap();
        let anchored = crate::annotate::anchor(&article, true).unwrap();
        let numbers: Vec<usize> = (1..=article.annotations.len()).collect();
        body_html(&article, &anchored, &numbers, safe)
    }

    /// Every (element, attribute) pair in `html`.
    fn attributes(html: &str) -> BTreeSet<(String, String)> {
        let doc = scraper::Html::parse_fragment(html);
        doc.root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
            .flat_map(|e| {
                let tag = e.value().name().to_string();
                e.value()
                    .attrs()
                    .map(move |(a, _)| (tag.clone(), a.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn the_sanitizer_keeps_every_attribute_the_writer_writes() {
        let html = render(EVERY_KIND, false);
        let written = attributes(&html);
        let listed = |tag: &str, a: &str| {
            GLOSS_ATTRIBUTES.contains(&a)
                || GLOSS_TAG_ATTRIBUTES
                    .iter()
                    .any(|(t, attrs)| *t == tag && attrs.contains(&a))
        };
        // Links (the note references) are markdown's own, which the sanitizer always keeps.
        for (tag, a) in written
            .iter()
            .filter(|(t, a)| (t.as_str(), a.as_str()) != ("a", "href"))
        {
            assert!(listed(tag, a), "<{tag} {a}> is written but not listed");
        }
        // The fixture shows every listed attribute, so that the sanitizer is tried on each.
        for a in GLOSS_ATTRIBUTES {
            assert!(
                written.iter().any(|(_, w)| w == a),
                "{a} is not in the fixture"
            );
        }
        assert_eq!(super::super::sanitize::clean_html(&html), html);
    }

    #[test]
    fn raw_html_keeps_the_figures_attributes() {
        let html = render(EVERY_KIND, true);
        assert!(html.contains(RAW), "{html}");
        for a in [
            "data-approx=\"about\"",
            "data-max=",
            "data-year=\"inferred\"",
            "data-unit=",
        ] {
            assert!(html.contains(a), "{a} lost: {html}");
        }
        let plain = render(&EVERY_KIND.replace(RAW, "roh"), true);
        assert!(!plain.contains(RAW));
        let mut raw = attributes(&html);
        raw.remove(&("span".to_string(), "class".to_string()));
        assert_eq!(
            raw,
            attributes(&plain),
            "gloss's own attributes are all kept"
        );
    }
}
