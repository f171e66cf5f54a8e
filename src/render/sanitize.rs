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
        .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
        // What gloss writes on images (crate::images): the copies, and when to load them.
        .add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        // gloss's own: an embed's placeholder (`embed`), a table's scroll container
        // (`finish`). Their values are held to what gloss writes; an embed's address is
        // checked again by gloss.js against the same allow-list before anything loads.
        .add_tags(["button"])
        .add_tag_attributes(
            "button",
            ["type", "hidden", "data-embed-src", "data-embed-title"],
        )
        .add_tag_attributes("div", ["role", "tabindex", "aria-label"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("button", "type") if value != "button" => None,
            ("div", "role") if value != "region" => None,
            ("div", "tabindex") if value != "0" => None,
            _ => Some(value.into()),
        })
        .link_rel(None);
    for (tag, attrs) in GLOSS_TAG_ATTRIBUTES {
        b.add_tag_attributes(*tag, attrs.iter().copied());
    }
    b
});

/// What the sanitizer allows, read from it once: the warnings say exactly what it removes.
struct Policy {
    tags: HashSet<&'static str>,
    dropped_with_content: HashSet<&'static str>,
    generic: HashSet<&'static str>,
    prefixes: Vec<&'static str>,
    per_tag: std::collections::HashMap<&'static str, HashSet<&'static str>>,
    schemes: HashSet<&'static str>,
}

static POLICY: LazyLock<Policy> = LazyLock::new(|| Policy {
    tags: CLEANER.clone_tags(),
    dropped_with_content: CLEANER.clone_clean_content_tags(),
    generic: CLEANER.clone_generic_attributes(),
    prefixes: CLEANER
        .clone_generic_attribute_prefixes()
        .map(|p| p.into_iter().collect())
        .unwrap_or_default(),
    per_tag: CLEANER.clone_tag_attributes(),
    schemes: CLEANER.clone_url_schemes(),
});

/// Attributes whose value the sanitizer reads as an address.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite", "action", "formaction", "poster"];

/// One thing of raw HTML the sanitizer removes, at a byte offset of the HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Removal {
    /// Where its tag or attribute starts.
    pub at: usize,
    /// The element.
    pub tag: String,
    /// The attribute, or `None` when the whole element goes.
    pub attribute: Option<String>,
    /// The element's `src`, for advice on embedding it.
    pub src: Option<String>,
}

impl Removal {
    fn describe(&self) -> String {
        match &self.attribute {
            None => format!("`<{}>`", self.tag),
            Some(a) => format!("`{a}` of `<{}>`", self.tag),
        }
    }
}

/// What [`clean_html`] removes from the raw HTML `html`, found by reading its tags: the
/// elements it does not allow, the attributes it does not allow on them, and addresses of
/// a scheme that can run script. Comments, which it also removes, are an editor's notes.
pub(crate) fn removals(html: &str) -> Vec<Removal> {
    let policy = &*POLICY;
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'<', &b[i..]).map(|k| i + k) {
        let rest = &html[k..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(html.len(), |e| k + e + 3);
            continue;
        }
        if !b.get(k + 1).is_some_and(u8::is_ascii_alphabetic) {
            i = k + 1;
            continue;
        }
        let mut j = k + 1;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
            j += 1;
        }
        let tag = html[k + 1..j].to_ascii_lowercase();
        let mut attrs: Vec<(usize, String, String)> = Vec::new();
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let name = html[start..j].to_ascii_lowercase();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = String::new();
            if b.get(j) == Some(&b'=') {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let end = memchr::memchr(q, &b[j + 1..]).map_or(b.len(), |e| j + 1 + e);
                        value = html[j + 1..end].to_string();
                        j = (end + 1).min(b.len());
                    }
                    _ => {
                        let s = j;
                        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                            j += 1;
                        }
                        value = html[s..j].to_string();
                    }
                }
            }
            if !name.is_empty() {
                attrs.push((start, name, value));
            }
            if j == start {
                j += 1;
            }
        }
        let src = attrs
            .iter()
            .find(|(_, n, _)| n == "src")
            .map(|(_, _, v)| v.clone());
        if !policy.tags.contains(tag.as_str()) {
            out.push(Removal {
                at: k,
                tag: tag.clone(),
                attribute: None,
                src,
            });
        } else {
            for (at, name, value) in &attrs {
                let allowed = policy.generic.contains(name.as_str())
                    || policy.prefixes.iter().any(|p| name.starts_with(p))
                    || policy
                        .per_tag
                        .get(tag.as_str())
                        .is_some_and(|a| a.contains(name.as_str()));
                let bad_url = allowed && URL_ATTRIBUTES.contains(&name.as_str()) && {
                    let v = value.trim().to_ascii_lowercase();
                    v.split_once(':').is_some_and(|(scheme, _)| {
                        !scheme.contains(['/', '?', '#']) && !policy.schemes.contains(scheme)
                    })
                };
                if !allowed || bad_url {
                    out.push(Removal {
                        at: *at,
                        tag: tag.clone(),
                        attribute: Some(name.clone()),
                        src: None,
                    });
                }
            }
        }
        i = (j + 1).min(html.len());
        // A script's or style's text is no markup (`a<b` in a script is no tag), and it
        // goes with its element.
        if policy.dropped_with_content.contains(tag.as_str()) {
            let close = format!("</{tag}");
            i = html[i..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(html.len(), |e| i + e);
        }
    }
    out
}

/// A warning for each piece of the article's raw HTML (an HTML block, an inline tag) that
/// the sanitizer changes, located at the first thing it removes, saying what goes and how
/// to embed or write it instead.
pub(crate) fn removal_warnings(
    article: &crate::content::Article,
    events: &[(Event<'_>, std::ops::Range<usize>)],
) -> Vec<crate::diagnostics::Diagnostic> {
    let body = article.body();
    let mut warnings = Vec::new();
    for (e, range) in events {
        if !matches!(e, Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_)) {
            continue;
        }
        let piece = &body[range.clone()];
        let removed = removals(piece);
        let Some(first) = removed.first() else {
            continue;
        };
        let mut names: Vec<String> = Vec::new();
        for r in &removed {
            let d = r.describe();
            if !names.contains(&d) {
                names.push(d);
            }
        }
        let shown = if names.len() > 4 {
            format!("{} and {} more", names[..4].join(", "), names.len() - 4)
        } else {
            names.join(", ")
        };
        let start = article.body_offset + range.start + first.at;
        let len = if first.attribute.is_some() {
            first.attribute.as_ref().map_or(1, String::len)
        } else {
            first.tag.len() + 1
        };
        warnings.push(
            crate::diagnostics::Diagnostic::at(
                &article.path,
                &article.source,
                start..start + len,
                format!("the sanitizer removes {shown} from this HTML: readers will not see it"),
            )
            .with_help(removal_help(piece, &removed))
            .warning(),
        );
    }
    warnings
}

/// How to say what `removed` tried to say: the embed block for an allow-listed address in
/// the HTML, else what articles may hold.
fn removal_help(piece: &str, removed: &[Removal]) -> String {
    use super::embed;
    // The address of an iframe first, then any address in the HTML (a social post's
    // blockquote names its post before the script that would render it).
    let candidates =
        removed
            .iter()
            .filter_map(|r| r.src.clone())
            .chain(piece.match_indices("http").map(|(i, _)| {
                piece[i..]
                    .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
                    .next()
                    .unwrap_or_default()
                    .to_string()
            }));
    for url in candidates {
        let url = url.replace("&amp;", "&");
        if let Ok(e) = embed::resolve(&url, None) {
            return format!(
                "to embed it, write instead:\n```embed\n{}\n```\nreaders then see a placeholder and load it from {} with a click",
                e.original, e.provider
            );
        }
    }
    if removed
        .iter()
        .any(|r| r.attribute.as_deref().is_some_and(|a| a.starts_with("on")))
    {
        return "event handlers (`on…`) run script, which an article may not: remove them"
            .to_string();
    }
    format!(
        "articles hold only markup that cannot run script or load from other hosts; write it \
         in markdown, or embed a video, post or document with an ```embed block holding its \
         address ({})",
        embed::PROVIDERS_HELP
    )
}

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
    fn removals_are_what_the_sanitizer_removes() {
        let found =
            |html: &str| -> Vec<String> { removals(html).iter().map(Removal::describe).collect() };
        assert_eq!(
            found("<iframe src=\"https://www.youtube.com/embed/aqz-KE-bpKQ\"></iframe>"),
            ["`<iframe>`"]
        );
        assert_eq!(
            found(
                "<p class=x onclick='alert(1)' title=\"t\">a < b</p><a href=\"javascript:x\">y</a>"
            ),
            ["`onclick` of `<p>`", "`href` of `<a>`"]
        );
        assert_eq!(
            found("<script>if (a<b) {}</script><!-- <iframe> --><span>ok</span>"),
            ["`<script>`"]
        );
        assert!(found("<table><tr><td style=\"text-align: left\">1</td></tr></table>").is_empty());
        // Each one found is really removed by the sanitizer.
        for (html, gone) in [
            ("<iframe src=x></iframe>", "<iframe"),
            ("<p onclick=x>a</p>", "onclick"),
            ("<a href=\"javascript:x\">y</a>", "javascript"),
            ("<div dir=rtl>a</div>", "dir="),
        ] {
            assert_eq!(removals(html).len(), 1, "{html}");
            assert!(!clean_html(html).contains(gone), "{html}");
        }
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
