//! Markdown that looks finished: footnotes gathered under a heading with links back to
//! each reference, and tables in a container that scrolls sideways on a narrow screen.
//! Both work on the events after highlights are woven in (highlights find their text by
//! event index, and these move events), before the HTML is written and sanitized.
use std::collections::HashMap;
use std::fmt::Write;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_html, escape_html_body_text};

use crate::i18n::Words;

/// The id of the footnotes' heading: `gl-` is gloss's own, so no heading of the article
/// can take it.
pub const FOOTNOTES_ID: &str = "gl-footnotes";

fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_html(&mut out, s);
    out
}

/// The id of the `k`-th reference (1-based) to the footnote `name` (`fn-…`).
fn ref_id(name: &str, k: usize) -> String {
    if k == 1 {
        format!("gl-ref-{name}")
    } else {
        format!("gl-ref-{name}-{k}")
    }
}

/// Footnotes as a reader expects them: each reference a bracketed number (not a note
/// number's badge) that names itself a footnote to screen readers; the definitions taken
/// from where they stand, numbered in the order they are first referred to, and listed at
/// the end of the body under a heading in the page's language, each with a link back to
/// every reference to it.
pub fn footnotes<'a>(events: Vec<Event<'a>>, words: &Words) -> Vec<Event<'a>> {
    if !events.iter().any(|e| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    }) {
        return events;
    }
    let mut body = Vec::with_capacity(events.len());
    let mut defs: Vec<(CowStr<'a>, Vec<Event<'a>>)> = Vec::new();
    let mut iter = events.into_iter();
    while let Some(e) = iter.next() {
        let Event::Start(Tag::FootnoteDefinition(name)) = e else {
            body.push(e);
            continue;
        };
        let mut inner = Vec::new();
        for e in iter.by_ref() {
            if matches!(e, Event::End(TagEnd::FootnoteDefinition)) {
                break;
            }
            inner.push(e);
        }
        // A second definition of one name: markdown uses the first.
        if !defs.iter().any(|(n, _)| *n == name) {
            defs.push((name, inner));
        }
    }
    // name → (number, references so far)
    let mut numbers: HashMap<String, (usize, usize)> = HashMap::new();
    let footnote = escaped(words.get("footnote"));
    for e in body.iter_mut() {
        let Event::FootnoteReference(name) = e else {
            continue;
        };
        if !defs.iter().any(|(n, _)| n == name) {
            let text = format!("[^{}]", name.strip_prefix("fn-").unwrap_or(name));
            *e = Event::Text(text.into());
            continue;
        }
        let next = numbers.len() + 1;
        let entry = numbers.entry(name.to_string()).or_insert((next, 0));
        entry.1 += 1;
        let (n, k) = *entry;
        let html = format!(
            "<sup class=\"gl-fn-ref\"><a href=\"#{id}\" id=\"{back}\"><span class=\"visually-hidden\">{footnote} </span>{n}</a></sup>",
            id = escaped(name),
            back = escaped(&ref_id(name, k)),
        );
        *e = Event::InlineHtml(html.into());
    }
    // Referenced ones in the order of their numbers, then any never referenced.
    let mut order: Vec<usize> = (0..defs.len()).collect();
    order.sort_by_key(|&i| {
        numbers
            .get(defs[i].0.as_ref())
            .map_or(usize::MAX, |(n, _)| *n)
    });
    let back = escaped(words.get("back_to_text"));
    let mut head = String::new();
    let _ = write!(
        head,
        "<div class=\"gl-footnotes\">\n<h2 id=\"{FOOTNOTES_ID}\">"
    );
    let _ = escape_html_body_text(&mut head, words.get("footnotes"));
    head.push_str("</h2>\n<ol>\n");
    body.push(Event::Html(head.into()));
    let mut defs: Vec<Option<(CowStr<'a>, Vec<Event<'a>>)>> = defs.into_iter().map(Some).collect();
    for (shown, i) in order.into_iter().enumerate() {
        let Some((name, mut inner)) = defs[i].take() else {
            continue;
        };
        body.push(Event::Html(
            format!("<li id=\"{}\">\n", escaped(&name)).into(),
        ));
        let refs = numbers.get(name.as_ref()).map_or(0, |(_, k)| *k);
        let mut links = String::new();
        for k in 1..=refs {
            let _ = write!(
                links,
                " <a class=\"gl-fn-back\" href=\"#{}\">↩{}<span class=\"visually-hidden\"> {back} ({})</span></a>",
                escaped(&ref_id(&name, k)),
                if refs > 1 {
                    format!("<sup>{k}</sup>")
                } else {
                    String::new()
                },
                shown + 1,
            );
        }
        // The links go at the end of the note's last paragraph, as GitHub and Pandoc put
        // them; after it when the note ends otherwise (a list, a quote).
        let last_p = inner
            .iter()
            .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)))
            .filter(|&p| p + 1 == inner.len());
        match last_p {
            Some(p) => inner.insert(p, Event::InlineHtml(links.into())),
            None if !links.is_empty() => inner.push(Event::Html(
                format!("<p>{}</p>\n", links.trim_start()).into(),
            )),
            None => {}
        }
        body.extend(inner);
        body.push(Event::Html("</li>\n".into()));
    }
    body.push(Event::Html("</ol>\n</div>\n".into()));
    body
}

/// Task list checkboxes named, so that a screen reader says what they are ("Task,
/// checkbox, checked"): pulldown-cmark writes them without a label.
pub fn task_lists<'a>(events: Vec<Event<'a>>, words: &Words) -> Vec<Event<'a>> {
    if !events.iter().any(|e| matches!(e, Event::TaskListMarker(_))) {
        return events;
    }
    let label = escaped(words.get("task"));
    events
        .into_iter()
        .map(|e| match e {
            Event::TaskListMarker(done) => Event::InlineHtml(
                format!(
                    "<input type=\"checkbox\" disabled=\"\"{} aria-label=\"{label}\"> ",
                    if done { " checked=\"\"" } else { "" }
                )
                .into(),
            ),
            e => e,
        })
        .collect()
}

/// Each table in a container that scrolls sideways when the table is wider than the
/// screen: focusable, so that a keyboard can scroll it, and named ("Table 2") as a region,
/// so that a screen reader says what it is.
pub fn tables<'a>(events: Vec<Event<'a>>, words: &Words) -> Vec<Event<'a>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::Table(_))))
    {
        return events;
    }
    let label = escaped(words.get("table"));
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut n = 0;
    for e in events {
        match e {
            Event::Start(Tag::Table(_)) => {
                n += 1;
                out.push(Event::Html(
                    format!(
                        "<div class=\"gl-table\" role=\"region\" tabindex=\"0\" aria-label=\"{label} {n}\">\n"
                    )
                    .into(),
                ));
                out.push(e);
            }
            Event::End(TagEnd::Table) => {
                out.push(e);
                out.push(Event::Html("</div>\n".into()));
            }
            e => out.push(e),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        let words = crate::i18n::Locales::default()
            .get(crate::lang::Lang::EN)
            .words
            .clone();
        let events: Vec<_> = crate::markdown::parse(md)
            .into_iter()
            .map(|(e, _)| e)
            .collect();
        let events = tables(footnotes(events, &words), &words);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter());
        out
    }

    #[test]
    fn footnotes_are_listed_at_the_end_in_reference_order_with_links_back() {
        let out = html("A[^b] B[^a] C[^b].\n\n[^a]: Note *a*.\n\n[^b]: Note b.\n\nEnd.\n");
        let end = out.find("<p>End.</p>").unwrap();
        let list = out.find("<div class=\"gl-footnotes\">").unwrap();
        assert!(end < list, "notes after the text: {out}");
        assert!(
            out.contains("<h2 id=\"gl-footnotes\">Footnotes</h2>"),
            "{out}"
        );
        // b is referred to first: number 1, twice.
        assert!(out.contains("<a href=\"#fn-b\" id=\"gl-ref-fn-b\"><span class=\"visually-hidden\">Footnote </span>1</a>"), "{out}");
        assert!(out.contains("id=\"gl-ref-fn-b-2\""), "{out}");
        assert!(
            out.contains(
                "id=\"gl-ref-fn-a\"><span class=\"visually-hidden\">Footnote </span>2</a>"
            ),
            "{out}"
        );
        let b = out.find("<li id=\"fn-b\">").unwrap();
        let a = out.find("<li id=\"fn-a\">").unwrap();
        assert!(b < a, "{out}");
        assert!(
            out.contains("Note b. <a class=\"gl-fn-back\" href=\"#gl-ref-fn-b\">↩<sup>1</sup>"),
            "{out}"
        );
        assert!(out.contains("href=\"#gl-ref-fn-b-2\""), "{out}");
        assert!(
            out.contains("<em>a</em>. <a class=\"gl-fn-back\" href=\"#gl-ref-fn-a\">↩<span"),
            "{out}"
        );
        assert!(!out.contains("footnote-definition"), "{out}");
    }

    #[test]
    fn tables_scroll_in_a_named_focusable_region() {
        let out = html("| a | b |\n|---|---|\n| 1 | 2 |\n\n| c |\n|---|\n| 3 |\n");
        assert!(out.contains("<div class=\"gl-table\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1\">\n<table>"), "{out}");
        assert!(out.contains("aria-label=\"Table 2\""), "{out}");
        assert_eq!(out.matches("</table>\n</div>").count(), 2, "{out}");
    }
}
