//! Making hostile input inert: raw HTML is sanitized, script URLs are defused.
use std::collections::HashSet;

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

/// Replaces links with script-capable targets by plain spans; returns whether raw HTML
/// was seen (which then needs [`clean_html`]).
pub fn defuse_links(events: &mut [Event<'_>]) -> bool {
    let mut raw_html = false;
    let mut defused: Vec<bool> = Vec::new();
    for e in events.iter_mut() {
        match e {
            Event::Html(_) | Event::InlineHtml(_) => raw_html = true,
            Event::Start(Tag::Link { dest_url, .. }) => {
                let bad = !is_safe_url(dest_url);
                defused.push(bad);
                if bad {
                    *e = Event::InlineHtml("<span class=\"gl-defused-link\">".into());
                }
            }
            // The guard pops for every link end, defused or not, keeping the stack in step.
            Event::End(TagEnd::Link) if defused.pop() == Some(true) => {
                *e = Event::InlineHtml("</span>".into());
            }
            _ => {}
        }
    }
    raw_html
}

/// Sanitizes an HTML fragment, keeping what gloss itself writes (highlights, references,
/// footnotes, tables) and safe markup; scripts, event handlers and script URLs go.
pub fn clean_html(html: &str) -> String {
    let mut b = ammonia::Builder::default();
    b.add_tags(["mark", "data", "time", "input"])
        .add_generic_attributes([
            "class",
            "id",
            "data-gl",
            "data-unit",
            "data-max",
            "data-approx",
            "data-year",
        ])
        .add_tag_attributes("data", ["value"])
        .add_tag_attributes("time", ["datetime"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .link_rel(None);
    b.clean(html).to_string()
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
