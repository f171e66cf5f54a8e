//! The article page's notes section (`<section class="gl-notes">`) and its at-a-glance box
//! (`<aside class="gl-glance">`), written in Rust for the default `article.html`.
//!
//! Written by hand rather than by Tera's loops because they were the largest part of an
//! article page's template: ~17 notes an article, each a few dozen variable lookups and
//! conditions, and the notes put into Tera values only for these loops, all of it work
//! whose result Rust already knows. The bytes are the default template's: a site that
//! overrides `article.html` or `partials/sources.html` gets its own template's loops (see
//! [`super::theme::Theme::article_template`]), and `tests/fragments.rs` holds these bytes
//! to what Tera renders from the default template.
use super::NoteView;
use super::by_hand::{escape as e, link_or_text, some, time};
use crate::content::Kind;
use crate::i18n::Words;

/// What the default `article.html` renders between `{% if page.notes %}` and its
/// `{% endif %}`: nothing without notes.
pub fn html(notes: &[NoteView<'_>], words: &Words) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let mut o = String::with_capacity(notes.len() * 900);
    let t = |key: &'static str| -> &str { words.get(key) };
    o.push_str("\n<section class=\"gl-notes\" aria-labelledby=\"notes-heading\">\n<h2 id=\"notes-heading\">");
    e(&mut o, t("annotations"));
    o.push_str("</h2>\n<ol data-more=\"");
    e(&mut o, t("more"));
    o.push_str("\">\n");
    let mut num = itoa::Buffer::new();
    for n in notes {
        let number = num.format(n.number).to_string();
        let kind = n.kind.key();
        o.push_str("<li id=\"note-");
        e(&mut o, n.id);
        o.push_str("\" class=\"gl-entry gl-entry-");
        o.push_str(kind);
        o.push_str("\">\n<p class=\"gl-note-head\"><span class=\"gl-num\">");
        o.push_str(&number);
        o.push_str("</span> <span class=\"gl-kind\">");
        e(&mut o, n.kind_label);
        o.push_str("</span>");
        if let Some(verdict) = some(n.verdict) {
            o.push_str(" <strong class=\"gl-verdict gl-v-");
            e(&mut o, verdict);
            if let Some(tone) = n.tone.filter(|&t| t != 0) {
                o.push_str(" gl-r-");
                o.push_str(itoa::Buffer::new().format(tone));
            }
            o.push_str("\">");
            // `default` stands in only for a label that is missing, not for an empty one.
            e(&mut o, n.verdict_label.unwrap_or(""));
            o.push_str("</strong>");
        }
        o.push_str("</p>\n");
        let correct = some(n.correct);
        if correct.is_none() {
            o.push_str("<p class=\"gl-quoted\">");
            e(&mut o, t("quote_open"));
            e(&mut o, n.text);
            e(&mut o, t("quote_close"));
            o.push_str("</p>\n");
        }
        let note_html = some(n.note_html.as_deref());
        let display = some(n.display.as_deref());
        let own_text = matches!(n.kind, Kind::Note | Kind::Figure);
        let gist = some(n.conclusion).is_some()
            || some(n.speaker).is_some()
            || correct.is_some()
            || display.is_some()
            || (note_html.is_some() && own_text);
        let claim_href = some(n.claim_href.as_deref());
        let more = some(n.by).is_some()
            || n.article_itself
            || !n.sources.is_empty()
            || claim_href.is_some()
            || (note_html.is_some() && !own_text);
        if gist {
            o.push_str("<div class=\"gl-note-gist\">");
            if let Some(c) = some(n.conclusion) {
                o.push_str("<p class=\"gl-conclusion\">");
                e(&mut o, c);
                o.push_str("</p>");
            }
            if let Some(speaker) = some(n.speaker) {
                o.push_str("<p>");
                link_or_text(&mut o, n.speaker_href.as_deref(), speaker);
                if let Some(role) = some(n.role) {
                    o.push_str(", <span class=\"gl-role\">");
                    e(&mut o, role);
                    o.push_str("</span>");
                }
                if let Some(w) = some(n.speaker_as_written) {
                    o.push_str(" <span class=\"gl-meta\">(");
                    label(&mut o, words, "as_written_in_text");
                    e(&mut o, w);
                    o.push_str(")</span>");
                }
                o.push_str("</p>");
            }
            if let Some(correct) = correct {
                o.push_str("<p>");
                label(&mut o, words, "text_says");
                o.push_str("<del>");
                e(&mut o, n.text);
                o.push_str("</del><br>");
                label(&mut o, words, "correct_is");
                o.push_str("<ins>");
                e(&mut o, correct);
                o.push_str("</ins></p>");
            }
            if let (Kind::Figure, Some(h)) = (n.kind, note_html) {
                note_text(&mut o, h);
            }
            if let Some(display) = display {
                o.push_str("<p class=\"gl-figure-value\">");
                label(&mut o, words, "value");
                match some(n.datetime.as_deref()) {
                    Some(dt) => time(&mut o, dt, display),
                    None => {
                        o.push_str("<data value=\"");
                        e(&mut o, n.value.unwrap_or(""));
                        o.push_str("\">");
                        e(&mut o, display);
                        o.push_str("</data>");
                    }
                }
                o.push_str("</p>");
            }
            if let (Kind::Note, Some(h)) = (n.kind, note_html) {
                note_text(&mut o, h);
            }
            o.push_str("</div>\n");
        }
        if more {
            o.push_str("<div class=\"gl-note-more\">");
            if let Some(by) = some(n.by) {
                o.push_str("<p class=\"gl-meta\">");
                label(&mut o, words, "claimed_by");
                link_or_text(&mut o, n.by_href.as_deref(), by);
                if let Some(w) = some(n.by_as_written) {
                    o.push_str(" (");
                    label(&mut o, words, "as_written_in_text");
                    e(&mut o, w);
                    o.push(')');
                }
                o.push_str("</p>");
            } else if n.article_itself {
                o.push_str("<p class=\"gl-meta\">");
                label(&mut o, words, "claimed_by");
                e(&mut o, t("the_article_itself"));
                o.push_str("</p>");
            }
            if let Some(h) = note_html.filter(|_| !own_text) {
                note_text(&mut o, h);
            }
            if !n.sources.is_empty() {
                o.push_str("<p class=\"gl-sources-head\">");
                e(&mut o, t("sources"));
                o.push_str("</p>\n<ul class=\"gl-sources\">\n");
                for s in &n.sources {
                    o.push_str("<li><a href=\"");
                    e(&mut o, s.url);
                    o.push_str("\">");
                    e(&mut o, s.title);
                    o.push_str("</a>");
                    if let Some(d) = some(s.date) {
                        o.push_str(" (");
                        e(&mut o, d);
                        o.push(')');
                    }
                    let archive = some(s.archive);
                    let accessed = some(s.accessed.as_deref());
                    if archive.is_some() || accessed.is_some() {
                        o.push_str("<span class=\"gl-source-meta\">");
                        if let Some(a) = archive {
                            o.push_str(" · <a href=\"");
                            e(&mut o, a);
                            o.push_str("\" class=\"gl-archive\">");
                            e(&mut o, t("archived_copy"));
                            o.push_str("<span class=\"visually-hidden\">: ");
                            e(&mut o, s.title);
                            o.push_str("</span></a>");
                        }
                        if let Some(day) = accessed {
                            o.push_str(" · ");
                            e(&mut o, t("accessed"));
                            o.push(' ');
                            time(&mut o, day, s.accessed_display.as_deref().unwrap_or(""));
                        }
                        o.push_str("</span>");
                    }
                    o.push_str("</li>\n");
                }
                o.push_str("</ul>\n");
            }
            if let Some(href) = claim_href {
                o.push_str("<p class=\"gl-claim-link\"><a href=\"");
                e(&mut o, href);
                o.push_str("\">");
                e(&mut o, t("full_check"));
                o.push_str("<span class=\"visually-hidden\"> (");
                e(&mut o, n.kind_label);
                o.push(' ');
                o.push_str(&number);
                o.push_str(")</span></a></p>");
            }
            o.push_str("</div>\n");
        }
        o.push_str("<p class=\"gl-note-foot\"><a class=\"gl-back\" href=\"#ref-");
        e(&mut o, n.id);
        o.push_str("\" aria-label=\"");
        e(&mut o, t("back_to_text"));
        o.push_str(" (");
        o.push_str(&number);
        o.push_str(")\">↩</a></p>\n</li>\n");
    }
    o.push_str("</ol>\n</section>\n");
    o
}

/// What the default `article.html` renders from `{% if page.notes or page.figure_count %}`
/// to its `{% endif %}`: the claims by verdict (in `verdict_order`, then any other verdict
/// in the order first met), the corrections, the people quoted and the key of highlights.
pub fn glance_html(
    notes: &[NoteView<'_>],
    figure_count: usize,
    verdict_order: &[&str],
    words: &Words,
) -> String {
    if notes.is_empty() && figure_count == 0 {
        return String::new();
    }
    let t = |key: &'static str| -> &str { words.get(key) };
    let of = |kind: Kind| notes.iter().filter(move |n| n.kind == kind);
    let claims: Vec<&NoteView<'_>> = of(Kind::Claim).collect();
    let fixes: Vec<&NoteView<'_>> = of(Kind::Correction).collect();
    let quotes: Vec<&NoteView<'_>> = of(Kind::Quote).collect();
    let mut num = itoa::Buffer::new();
    let mut o = String::with_capacity(2048);
    o.push_str("\n<aside class=\"gl-glance\" aria-labelledby=\"glance-heading\">\n<h2 id=\"glance-heading\">");
    e(&mut o, t("at_a_glance"));
    o.push_str("</h2>\n<dl>\n");
    if !claims.is_empty() {
        o.push_str("\n<dt>");
        e(&mut o, t("claims"));
        o.push_str(" <span class=\"count\">(");
        o.push_str(num.format(claims.len()));
        o.push_str(")</span></dt>\n<dd><ul class=\"gl-verdicts\">\n\n\n");
        // `group_by(attribute="verdict")`: the verdicts in the order first met.
        let mut groups: Vec<(&str, Vec<&NoteView<'_>>)> = Vec::new();
        for c in &claims {
            let Some(v) = c.verdict else { continue };
            match groups.iter_mut().find(|(k, _)| *k == v) {
                Some((_, g)) => g.push(c),
                None => groups.push((v, vec![c])),
            }
        }
        let group = |key: &str| groups.iter().find(|(k, _)| *k == key).map(|(_, g)| g);
        for key in verdict_order {
            if let Some(g) = group(key) {
                verdict_item(&mut o, key, g, words);
            }
        }
        o.push('\n');
        for (key, g) in &groups {
            if !verdict_order.contains(key) {
                verdict_item(&mut o, key, g, words);
            }
        }
        o.push_str("\n</ul></dd>\n");
    }
    o.push('\n');
    if !fixes.is_empty() {
        o.push_str("\n<dt>");
        e(&mut o, t("corrections"));
        o.push_str(" <span class=\"count\">(");
        o.push_str(num.format(fixes.len()));
        o.push_str(")</span></dt>\n<dd><ul class=\"gl-inline\">");
        for c in &fixes {
            o.push_str("<li><a href=\"#");
            e(&mut o, c.id);
            o.push_str("\"><del>");
            e(&mut o, c.text);
            o.push_str("</del> → <ins>");
            e(&mut o, c.correct.unwrap_or(""));
            o.push_str("</ins></a></li>");
        }
        o.push_str("</ul></dd>\n");
    }
    o.push('\n');
    if !quotes.is_empty() {
        o.push_str("\n\n<dt>");
        e(&mut o, t("people_quoted"));
        o.push_str("</dt>\n<dd><ul class=\"gl-inline\">");
        // The template's `seen`: each speaker once, matched as `|name|` in a `|`-joined list.
        let mut seen = String::from("|");
        for q in &quotes {
            let Some(speaker) = some(q.speaker) else {
                continue;
            };
            if seen.contains(&format!("|{speaker}|")) {
                continue;
            }
            seen.push_str(speaker);
            seen.push('|');
            o.push_str("<li><a href=\"#");
            e(&mut o, q.id);
            o.push_str("\">");
            e(&mut o, speaker);
            o.push_str("</a></li>");
        }
        o.push_str("</ul></dd>\n");
    }
    o.push_str("\n</dl>\n<div class=\"gl-tools\">\n<button type=\"button\" class=\"gl-toggle\" aria-pressed=\"true\">");
    e(&mut o, t("highlights"));
    o.push_str("</button>\n<p class=\"gl-key\"><span class=\"gl-label\">");
    e(&mut o, t("key"));
    o.push_str("</span>\n");
    let has_note = of(Kind::Note).next().is_some();
    let has_figure = figure_count != 0 || of(Kind::Figure).next().is_some();
    for (shown, class, word, space) in [
        (!claims.is_empty(), "claim", "claim", " "),
        (!quotes.is_empty(), "quote", "quote", " "),
        (has_note, "note", "note", " "),
        (!fixes.is_empty(), "correction", "correction", " "),
        (has_figure, "figure", "figure", ""),
    ] {
        if shown {
            o.push_str("<span class=\"gl-k gl-k-");
            o.push_str(class);
            o.push_str("\">");
            e(&mut o, t(word));
            o.push_str("</span>");
            o.push_str(space);
        }
        o.push('\n');
    }
    o.push_str("</p>\n</div>\n</aside>\n");
    o
}

/// One verdict's line of the glance box: its label, how many claims, a link to each.
fn verdict_item(o: &mut String, key: &str, group: &[&NoteView<'_>], words: &Words) {
    let first = group[0];
    o.push_str("\n<li><span class=\"gl-verdict gl-v-");
    e(o, key);
    if let Some(tone) = first.tone.filter(|&t| t != 0) {
        o.push_str(" gl-r-");
        o.push_str(itoa::Buffer::new().format(tone));
    }
    o.push_str("\">");
    // `default` stands in only for a label that is missing, not for an empty one.
    e(o, first.verdict_label.unwrap_or(""));
    o.push_str("</span> <span class=\"count\">");
    o.push_str(itoa::Buffer::new().format(group.len()));
    o.push_str("</span> <span class=\"gl-jump\">");
    for (i, c) in group.iter().enumerate() {
        let number = itoa::Buffer::new().format(c.number).to_string();
        o.push_str("<a href=\"#");
        e(o, c.id);
        o.push_str("\" aria-label=\"");
        e(o, words.get("claim"));
        o.push(' ');
        o.push_str(&number);
        o.push_str("\">");
        o.push_str(&number);
        o.push_str("</a>");
        if i + 1 < group.len() {
            o.push(' ');
        }
    }
    o.push_str("</span></li>\n");
}

/// A word of the theme and the language's colon, as the templates write
/// `{{ t.key }}{{ t.colon }} `.
fn label(o: &mut String, words: &Words, key: &str) {
    e(o, words.get(key));
    e(o, words.get("colon"));
    o.push(' ');
}

/// A note's own text, already HTML.
fn note_text(o: &mut String, html: &str) {
    o.push_str("<div class=\"gl-note-text\">");
    o.push_str(html);
    o.push_str("</div>");
}
