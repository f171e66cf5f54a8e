//! What a page says of itself when it is shared or found: its description and the image
//! social networks show (`og:image`), absolute from `base_url` as Open Graph requires.
use pulldown_cmark::{Event, Tag};

use crate::config::Site;

/// The absolute address of `[share] image` (a file of the output, or an address as given);
/// `None` without one, or for a file on a site without `base_url`.
pub fn site_image(site: &Site) -> Option<String> {
    let image = site.config.share.image.as_deref()?;
    absolute(site.base_url(), "", image)
}

/// The absolute address of the article's first image (a bundle's photo, or one on another
/// host), else of the site's default; `None` when neither can be given absolutely.
pub fn article_image<'e>(
    site: &Site,
    url_path: &str,
    events: impl IntoIterator<Item = &'e Event<'e>>,
) -> Option<String> {
    events
        .into_iter()
        .find_map(|e| match e {
            Event::Start(Tag::Image { dest_url, .. })
                if super::sanitize::is_safe_url(dest_url) && !dest_url.starts_with("mailto:") =>
            {
                absolute(site.base_url(), url_path, dest_url)
            }
            _ => None,
        })
        .or_else(|| site_image(site))
}

/// `url` as written on the page at `url_path` (below the site root, `2019/x/`), made
/// absolute from `base` (without its trailing slash).
fn absolute(base: &str, url_path: &str, url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Some(url.to_string());
    }
    if base.is_empty() || lower.contains(':') || url.starts_with("//") {
        return None;
    }
    let url = url.split(['#', '?']).next().unwrap_or_default();
    if url.is_empty() {
        return None;
    }
    let mut segments: Vec<&str> = if url.starts_with('/') {
        Vec::new()
    } else {
        url_path.split('/').filter(|s| !s.is_empty()).collect()
    };
    for s in url.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    Some(format!("{base}/{}", segments.join("/")))
}

/// A summary (markdown) as the plain text of `<meta name="description">`.
pub fn description(summary: &str) -> String {
    crate::markdown::plain_text(summary)
}

/// How long a description taken from the text may be: search engines show about 160
/// characters.
const OPENING_CHARS: usize = 160;

/// The opening words of an article's text (what a reader sees), for the description of an
/// article without a summary: at most [`OPENING_CHARS`] characters, cut at a word's end.
pub fn opening(text: &str) -> String {
    let folded = crate::annotate::fold(text);
    if folded.chars().count() <= OPENING_CHARS {
        return folded;
    }
    let cut = folded
        .char_indices()
        .nth(OPENING_CHARS)
        .map_or(folded.len(), |(i, _)| i);
    let head = &folded[..cut];
    let head = head.rfind(' ').map_or(head, |i| &head[..i]);
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_made_absolute_from_the_page() {
        let base = "https://news.example/site";
        assert_eq!(
            absolute(base, "2026/x/", "photo.jpg").as_deref(),
            Some("https://news.example/site/2026/x/photo.jpg")
        );
        assert_eq!(
            absolute(base, "2026/x/", "../../img/a.png#f").as_deref(),
            Some("https://news.example/site/img/a.png")
        );
        assert_eq!(
            absolute(base, "2026/x/", "https://cdn.example/a.png").as_deref(),
            Some("https://cdn.example/a.png")
        );
        assert_eq!(absolute("", "2026/x/", "photo.jpg"), None);
        assert_eq!(absolute(base, "2026/x/", "javascript:alert(1)"), None);
    }

    #[test]
    fn the_opening_words_are_cut_at_a_word() {
        assert_eq!(opening("Short\ntext."), "Short text.");
        let long = "word ".repeat(50);
        let d = opening(&long);
        assert!(
            d.ends_with("word…") && d.chars().count() <= OPENING_CHARS + 1,
            "{d}"
        );
    }

    #[test]
    fn the_first_image_is_shared_else_the_sites() {
        let mut site = Site::standalone();
        site.config.base_url = "https://news.example/".into();
        let events = crate::markdown::parse("Text ![a](javascript:x) ![b](b.png) ![c](c.png)\n");
        let events: Vec<_> = events.into_iter().map(|(e, _)| e).collect();
        assert_eq!(
            article_image(&site, "2026/x/", &events).as_deref(),
            Some("https://news.example/2026/x/b.png")
        );
        assert_eq!(article_image(&site, "2026/x/", &[]), None);
        site.config.share.image = Some("share.png".into());
        assert_eq!(
            article_image(&site, "2026/x/", &[]).as_deref(),
            Some("https://news.example/share.png")
        );
    }
}
