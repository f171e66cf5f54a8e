//! Making hostile input inert: raw HTML is sanitized, script URLs are defused.
use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag, TagEnd};

/// Whether `url` may be a link target: relative, a fragment, or a scheme that cannot run code.
pub fn is_safe_url(url: &str) -> bool {
    // Browsers ignore leading spaces and control characters, and tabs or newlines inside a
    // scheme ("java\tscript:"), so compare what they would see.
    let seen: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let Some(colon) = seen.find(':') else {
        return true;
    };
    let before = &seen[..colon];
    if before.contains(['/', '?', '#']) {
        return true; // the colon is in a path, query or fragment: a relative URL
    }
    matches!(before, "http" | "https" | "mailto" | "tel" | "ftp")
}

/// Makes untrusted markdown inert at the event level, so that no sanitizer pass is needed
/// for what markdown itself writes: links and images with script-capable targets become
/// plain spans (an image's alt text stays readable), and heading attributes
/// (`# Hi {#id .class onfocus=…}`) keep only ids and classes of a safe shape. Returns
/// whether raw HTML was seen (which then needs [`clean_html`]).
///
/// Besides raw HTML, pulldown-cmark's HTML takes attribute values only from link and image
/// targets and titles, heading attributes, code block info strings and footnote labels; the
/// last three and titles are escaped into class, id or title values, which cannot run script.
pub fn defuse_links(events: &mut [Event<'_>]) -> bool {
    let mut raw_html = false;
    let mut defused_links: Vec<bool> = Vec::new();
    let mut defused_images: Vec<bool> = Vec::new();
    for e in events.iter_mut() {
        match e {
            Event::Html(_) | Event::InlineHtml(_) => raw_html = true,
            Event::Start(Tag::Link { dest_url, .. }) => {
                let bad = !is_safe_url(dest_url);
                defused_links.push(bad);
                if bad {
                    *e = Event::InlineHtml("<span class=\"gl-defused-link\">".into());
                }
            }
            // The guard pops for every link end, defused or not, keeping the stack in step.
            Event::End(TagEnd::Link) if defused_links.pop() == Some(true) => {
                *e = Event::InlineHtml("</span>".into());
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let bad = !is_safe_url(dest_url);
                defused_images.push(bad);
                if bad {
                    *e = Event::InlineHtml("<span class=\"gl-defused-image\">".into());
                }
            }
            Event::End(TagEnd::Image) if defused_images.pop() == Some(true) => {
                *e = Event::InlineHtml("</span>".into());
            }
            Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) => {
                // Any other attribute could be an event handler (`onfocus=…`, with
                // `autofocus` to fire it on load): none is kept.
                attrs.clear();
                if id.as_deref().is_some_and(|i| !is_safe_name(i, ID_RESERVED)) {
                    *id = None;
                }
                classes.retain(|c| is_safe_name(c, CLASS_RESERVED));
            }
            _ => {}
        }
    }
    raw_html
}

/// Id prefixes gloss's own markup and script use: an article's heading must not take them.
const ID_RESERVED: &[&str] = &["gl-", "note-", "ref-", "fn-"];
/// Class prefixes of gloss's own markup.
const CLASS_RESERVED: &[&str] = &["gl"];

/// Whether `name` is a plain id or class: a letter, then letters, digits, `-` and `_`, at
/// most 64 characters, not starting with one of `reserved`.
fn is_safe_name(name: &str, reserved: &[&str]) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(char::is_alphabetic)
        && chars.all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && name.chars().count() <= 64
        && !reserved.iter().any(|r| name.starts_with(r))
}

/// Sanitizes an HTML fragment, keeping what gloss itself writes (highlights, references,
/// footnotes, tables) and safe markup; scripts, event handlers and script URLs go.
pub fn clean_html(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// The one sanitizer, set up once: it keeps gloss's own elements and attributes (the
/// writer's lists in `body`), and of pulldown-cmark's, task list checkboxes and table cell
/// alignment.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    use super::body::{GLOSS_ATTRIBUTES, GLOSS_TAG_ATTRIBUTES, GLOSS_TAGS};
    let mut b = ammonia::Builder::default();
    b.add_tags(GLOSS_TAGS.iter().copied().chain(["input"]))
        .add_generic_attributes(GLOSS_ATTRIBUTES.iter().copied())
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        // What gloss writes on images (crate::images): the copies, and when to load them.
        .add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .link_rel(None);
    for (tag, attrs) in GLOSS_TAG_ATTRIBUTES {
        b.add_tag_attributes(*tag, attrs.iter().copied());
    }
    b
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_urls_are_unsafe_however_spelt() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:x",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
        ] {
            assert!(!is_safe_url(bad), "{bad:?}");
        }
        for good in [
            "https://x.org",
            "mailto:a@b",
            "../a/",
            "#x",
            "a/b:c",
            "?q=a:b",
            "",
        ] {
            assert!(is_safe_url(good), "{good:?}");
        }
    }

    fn render(md: &str) -> String {
        let mut events: Vec<_> =
            pulldown_cmark::Parser::new_ext(md, crate::markdown::options()).collect();
        assert!(!defuse_links(&mut events), "no raw HTML in {md:?}");
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }

    #[test]
    fn heading_attributes_keep_only_plain_ids_and_classes() {
        let html = render("# Hi {autofocus tabindex=0 onfocus=alert(1) #top .wide}\n");
        assert_eq!(html, "<h1 id=\"top\" class=\"wide\">Hi</h1>\n");
        let html = render("## A {#x\"y .gl-claim #note-1 .ok onclick=\"alert(1)\"}\n");
        assert!(
            !html.contains("onclick") && !html.contains("gl-claim"),
            "{html}"
        );
        assert!(!html.contains("id="), "an unsafe id goes: {html}");
        assert!(html.contains("class=\"ok\""), "{html}");
        assert_eq!(
            render("# Über {#über-uns}\n"),
            "<h1 id=\"über-uns\">Über</h1>\n"
        );
    }

    #[test]
    fn script_images_become_their_alt_text() {
        let html = render("![look *here*](javascript:alert(1)) ![ok](a.png)\n");
        assert_eq!(
            html,
            "<p><span class=\"gl-defused-image\">look <em>here</em></span> \
             <img src=\"a.png\" alt=\"ok\" /></p>\n"
        );
        assert!(!render("![x](data:image/png;base64,AAAA)").contains("<img"));
        assert!(!render("![x](data:image/svg+xml,<svg/onload=alert(1)>)").contains("<img"));
    }

    #[test]
    fn clean_keeps_highlights_and_drops_scripts() {
        let html = "<p><mark class=\"gl gl-claim\" data-gl=\"c\" id=\"c\">x</mark>\
                    <data class=\"gl\" value=\"5\" data-unit=\"USD\">5</data>\
                    <img src=x onerror=alert(1)><script>alert(1)</script>\
                    <a href=\"javascript:alert(1)\">y</a></p>";
        let out = clean_html(html);
        assert!(
            out.contains("<mark class=\"gl gl-claim\" data-gl=\"c\" id=\"c\">x</mark>"),
            "{out}"
        );
        assert!(out.contains("value=\"5\" data-unit=\"USD\""), "{out}");
        assert!(
            !out.contains("onerror") && !out.contains("<script") && !out.contains("javascript:"),
            "{out}"
        );
    }
}
