//! Embeds that keep an article untrusted-safe: a fenced block
//!
//! ````markdown
//! ```embed
//! https://www.youtube.com/watch?v=aqz-KE-bpKQ
//! The harbour bridge opening, filmed by the city
//! ```
//! ````
//!
//! names a video, a social post or a document by its address (the first line; the lines
//! after it are the caption). The address must be one of an allow-list of providers and is
//! taken apart into what identifies the item (a video's id, a post's number); gloss builds
//! the embed's address and the link to the original from those parts, so nothing the
//! contributor wrote reaches an `src` as written. The page shows a placeholder: a notice, a
//! link to the original and a button (shown by `gloss.js`) that loads the embed only when
//! the reader asks, so no other host learns of the reader before that (DESIGN: pages load
//! nothing from other hosts). A fenced block degrades well elsewhere: other markdown tools
//! show the address as code.
use std::fmt::Write;

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;

use crate::i18n::Words;

/// The info string of an embed block.
pub const INFO: &str = "embed";

/// Whether a code block is an embed block (`` ```embed ``).
pub fn is_embed(kind: &CodeBlockKind<'_>) -> bool {
    matches!(kind, CodeBlockKind::Fenced(info)
        if info.split_whitespace().next() == Some(INFO))
}

/// What kind of thing an embed shows; it decides the words and the placeholder's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A video player (16:9).
    Video,
    /// A social media post.
    Post,
    /// A document viewer.
    Document,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Video => "video",
            Kind::Post => "post",
            Kind::Document => "document",
        }
    }
}

/// One allow-listed embed, with the addresses gloss built for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    /// The provider's name as readers know it ("YouTube").
    pub provider: &'static str,
    /// Video, post or document.
    pub kind: Kind,
    /// The address the player or viewer is loaded from, once the reader asks.
    pub src: String,
    /// The item on the provider's own site, for readers without JavaScript or who prefer it.
    pub original: String,
    /// The editor's caption (the block's lines after the address), plain text.
    pub caption: Option<String>,
}

/// What the allow-list says of an address: the providers and the forms of address gloss
/// knows, for messages.
pub const PROVIDERS_HELP: &str = "videos: YouTube (youtube.com/watch?v=…, youtu.be/…, …/shorts/…), \
    Vimeo (vimeo.com/123…); posts: X/Twitter (x.com/NAME/status/123…), Instagram \
    (instagram.com/p/…, …/reel/…), TikTok (tiktok.com/@NAME/video/123…); documents: \
    DocumentCloud (documentcloud.org/documents/123-slug), Scribd (scribd.com/document/123…)";

/// An address split into its parts: lowercase host without `www.`/`m.`, path segments,
/// query pairs.
struct Parts<'u> {
    host: String,
    segments: Vec<&'u str>,
    query: Vec<(&'u str, &'u str)>,
}

fn split(url: &str) -> Option<Parts<'_>> {
    let lower = url.get(..8)?.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return None;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..end].to_ascii_lowercase();
    // A user name or a port in the address is no form a provider gives out.
    if host.contains(['@', ':']) || host.is_empty() {
        return None;
    }
    let host = host
        .strip_prefix("www.")
        .or_else(|| host.strip_prefix("m."))
        .or_else(|| host.strip_prefix("mobile."))
        .unwrap_or(&host)
        .to_string();
    let rest = &rest[end..];
    let rest = rest.split('#').next().unwrap_or_default();
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    Some(Parts {
        host,
        segments: path.split('/').filter(|s| !s.is_empty()).collect(),
        query: query
            .split('&')
            .filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
            .filter(|(k, _)| !k.is_empty())
            .collect(),
    })
}

impl Parts<'_> {
    fn param(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}

/// Whether every character of `s` is one `ok` accepts, and there are `min..=max` of them.
fn shaped(s: &str, min: usize, max: usize, ok: impl Fn(u8) -> bool) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(ok)
}

fn id_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn digits(s: &str, max: usize) -> bool {
    shaped(s, 1, max, |b| b.is_ascii_digit())
}

/// `t=90`, `t=90s`, `t=1m30s`, `t=1h2m3s` as seconds.
fn seconds(t: &str) -> Option<u64> {
    if digits(t, 6) {
        return t.parse().ok();
    }
    let mut total = 0u64;
    let mut n = String::new();
    for c in t.chars() {
        match c {
            '0'..='9' if n.len() < 6 => n.push(c),
            'h' | 'm' | 's' if !n.is_empty() => {
                let v: u64 = n.parse().ok()?;
                total += v * [3600, 60, 1]["hms".find(c)?];
                n.clear();
            }
            _ => return None,
        }
    }
    n.is_empty().then_some(total)
}

/// The embed an address names, or why it names none (the message of a located error).
pub fn resolve(url: &str, caption: Option<String>) -> Result<Embed, String> {
    let not_allowed =
        || format!("`{url}` is not the address of a video, post or document gloss can embed");
    let p = split(url.trim()).ok_or_else(not_allowed)?;
    let seg = |i: usize| p.segments.get(i).copied().unwrap_or("");
    let wrong_form = |provider: &str, form: &str| {
        format!("`{url}` is a {provider} address, but not of a {form} gloss can embed")
    };
    let embed = |provider, kind, src: String, original: String| Embed {
        provider,
        kind,
        src,
        original,
        caption: caption.clone(),
    };
    match p.host.as_str() {
        "youtube.com" | "youtube-nocookie.com" | "youtu.be" => {
            let id = if p.host == "youtu.be" {
                seg(0)
            } else if seg(0) == "watch" {
                p.param("v").unwrap_or("")
            } else if matches!(seg(0), "embed" | "shorts" | "live" | "v") {
                seg(1)
            } else {
                ""
            };
            if !shaped(id, 11, 11, id_char) {
                return Err(wrong_form("YouTube", "video"));
            }
            let start = p.param("t").or(p.param("start")).and_then(seconds);
            let (at_src, at_original) = match start {
                Some(s) if s > 0 => (format!("?start={s}"), format!("&t={s}s")),
                _ => (String::new(), String::new()),
            };
            // youtube-nocookie.com: YouTube's own privacy-enhanced player, which sets no
            // cookie until the video plays.
            Ok(embed(
                "YouTube",
                Kind::Video,
                format!("https://www.youtube-nocookie.com/embed/{id}{at_src}"),
                format!("https://www.youtube.com/watch?v={id}{at_original}"),
            ))
        }
        "vimeo.com" | "player.vimeo.com" => {
            let (id, hash) = match (seg(0), seg(1), seg(2), seg(3)) {
                ("video", id, "", _) => (id, p.param("h").unwrap_or("")),
                ("channels", _, id, h) => (id, h),
                (id, h, "", _) => (id, h),
                _ => ("", ""),
            };
            let hash_ok = hash.is_empty() || shaped(hash, 6, 20, |b| b.is_ascii_hexdigit());
            if !digits(id, 12) || !hash_ok {
                return Err(wrong_form("Vimeo", "video"));
            }
            let (h_src, h_original) = if hash.is_empty() {
                (String::new(), String::new())
            } else {
                (format!("&h={hash}"), format!("/{hash}"))
            };
            // dnt=1: Vimeo's player then tracks no session data.
            Ok(embed(
                "Vimeo",
                Kind::Video,
                format!("https://player.vimeo.com/video/{id}?dnt=1{h_src}"),
                format!("https://vimeo.com/{id}{h_original}"),
            ))
        }
        "x.com" | "twitter.com" => {
            let (user, id) = (seg(0), seg(2));
            if seg(1) != "status" || !shaped(user, 1, 15, id_char) || !digits(id, 20) {
                return Err(wrong_form("X", "post"));
            }
            Ok(embed(
                "X",
                Kind::Post,
                format!("https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true"),
                format!("https://x.com/{user}/status/{id}"),
            ))
        }
        "instagram.com" => {
            let code = seg(1);
            if !matches!(seg(0), "p" | "reel" | "tv") || !shaped(code, 5, 40, id_char) {
                return Err(wrong_form("Instagram", "post"));
            }
            Ok(embed(
                "Instagram",
                Kind::Post,
                format!("https://www.instagram.com/p/{code}/embed/"),
                format!("https://www.instagram.com/p/{code}/"),
            ))
        }
        "tiktok.com" => {
            let (user, id) = (seg(0), seg(2));
            let user_ok = user
                .strip_prefix('@')
                .is_some_and(|u| shaped(u, 1, 30, |b| id_char(b) || b == b'.'));
            if seg(1) != "video" || !user_ok || !digits(id, 25) {
                return Err(wrong_form("TikTok", "video post"));
            }
            Ok(embed(
                "TikTok",
                Kind::Post,
                format!("https://www.tiktok.com/embed/v2/{id}"),
                format!("https://www.tiktok.com/{user}/video/{id}"),
            ))
        }
        "documentcloud.org" | "embed.documentcloud.org" => {
            let doc = seg(1);
            let ok = seg(0) == "documents"
                && doc.split_once('-').is_some_and(|(id, slug)| {
                    digits(id, 12)
                        && shaped(slug, 1, 200, |b| {
                            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'
                        })
                });
            if !ok {
                return Err(wrong_form("DocumentCloud", "document"));
            }
            Ok(embed(
                "DocumentCloud",
                Kind::Document,
                format!("https://embed.documentcloud.org/documents/{doc}/?embed=1"),
                format!("https://www.documentcloud.org/documents/{doc}"),
            ))
        }
        "scribd.com" => {
            let id = seg(1);
            if !matches!(seg(0), "document" | "doc" | "embeds") || !digits(id, 15) {
                return Err(wrong_form("Scribd", "document"));
            }
            Ok(embed(
                "Scribd",
                Kind::Document,
                format!("https://www.scribd.com/embeds/{id}/content"),
                format!("https://www.scribd.com/document/{id}"),
            ))
        }
        _ => Err(not_allowed()),
    }
}

/// One embed block of a body: the embed, or why its address names none, and where its
/// address is (a byte range of the body).
pub struct Found {
    /// The embed, or the message of the error.
    pub embed: Result<Embed, String>,
    /// Where the block's address is written in the body (the block when it has none).
    pub at: std::ops::Range<usize>,
}

/// Every embed block of `events` (parsed from `body`), in order.
pub fn find(body: &str, events: &[(Event<'_>, std::ops::Range<usize>)]) -> Vec<Found> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let (Event::Start(Tag::CodeBlock(kind)), block) = &events[i]
            && is_embed(kind)
        {
            let mut text = String::new();
            let mut text_at = block.clone();
            let mut first = true;
            i += 1;
            while i < events.len() && !matches!(events[i].0, Event::End(TagEnd::CodeBlock)) {
                if let Event::Text(t) = &events[i].0 {
                    if first {
                        text_at = events[i].1.clone();
                        first = false;
                    }
                    text.push_str(t);
                }
                i += 1;
            }
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let url = lines.next();
            let caption: Vec<&str> = lines.collect();
            let caption = (!caption.is_empty()).then(|| caption.join(" "));
            let at = match url {
                Some(u) => body[text_at.clone()].find(u).map_or(text_at.clone(), |k| {
                    text_at.start + k..text_at.start + k + u.len()
                }),
                None => block.clone(),
            };
            found.push(Found {
                embed: url.map_or_else(
                    || Err("this embed block names no address".to_string()),
                    |u| resolve(u, caption),
                ),
                at,
            });
        }
        i += 1;
    }
    found
}

/// `template` (a locale's word) with `{provider}` replaced, escaped for HTML.
fn word(words: &Words, key: &str, provider: &str) -> String {
    let mut out = String::new();
    let _ = escape_html(&mut out, &words.get(key).replace("{provider}", provider));
    out
}

/// The placeholder of `embed` in the language of `words`: nothing in it loads from another
/// host. `gloss.js` shows its button and, on a click, puts the player in its place.
pub fn placeholder(embed: &Embed, words: &Words) -> String {
    let kind = embed.kind.key();
    let p = embed.provider;
    let mut html = String::with_capacity(1024);
    let _ = write!(
        html,
        "<figure class=\"gl-embed gl-embed-{kind}\">\n<div class=\"gl-embed-box\">\n\
         <p class=\"gl-embed-notice\">{}</p>\n\
         <p class=\"gl-embed-actions\"><button type=\"button\" class=\"gl-embed-load\" data-embed-src=\"",
        word(words, &format!("embed_notice_{kind}"), p),
    );
    let _ = escape_html(&mut html, &embed.src);
    html.push_str("\" data-embed-title=\"");
    let title = match &embed.caption {
        Some(c) => c.clone(),
        None => format!("{} ({p})", words.get(&format!("embed_{kind}"))),
    };
    let _ = escape_html(&mut html, &title);
    let _ = write!(
        html,
        "\" hidden>{}</button> <a class=\"gl-embed-original\" href=\"",
        word(words, &format!("embed_load_{kind}"), p)
    );
    let _ = escape_html(&mut html, &embed.original);
    let _ = write!(
        html,
        "\">{}</a></p>\n</div>\n",
        word(words, &format!("embed_open_{kind}"), p)
    );
    if let Some(caption) = &embed.caption {
        html.push_str("<figcaption>");
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, caption);
        html.push_str("</figcaption>\n");
    }
    html.push_str("</figure>\n");
    html
}

/// `events` with each embed block replaced by its placeholder, the `embeds` found in the
/// body in the same order.
pub fn replace<'a>(events: Vec<Event<'a>>, embeds: &[Embed], words: &Words) -> Vec<Event<'a>> {
    if embeds.is_empty() {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut next = embeds.iter();
    let mut skipping = false;
    for e in events {
        match &e {
            Event::Start(Tag::CodeBlock(kind)) if is_embed(kind) => {
                skipping = true;
                if let Some(embed) = next.next() {
                    out.push(Event::Html(placeholder(embed, words).into()));
                }
            }
            Event::End(TagEnd::CodeBlock) if skipping => skipping = false,
            _ if skipping => {}
            _ => out.push(e),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(url: &str) -> String {
        resolve(url, None).map(|e| e.src).unwrap_or_else(|e| e)
    }

    #[test]
    fn each_provider_s_addresses_become_an_embed_gloss_builds() {
        let yt = "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ";
        for url in [
            "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "https://youtube.com/watch?feature=x&v=aqz-KE-bpKQ#c",
            "https://youtu.be/aqz-KE-bpKQ",
            "https://m.youtube.com/shorts/aqz-KE-bpKQ",
            "https://www.youtube.com/embed/aqz-KE-bpKQ",
        ] {
            assert_eq!(src(url), yt, "{url}");
        }
        assert_eq!(
            src("https://youtu.be/aqz-KE-bpKQ?t=1m30s"),
            format!("{yt}?start=90")
        );
        assert_eq!(
            src("https://vimeo.com/76979871"),
            "https://player.vimeo.com/video/76979871?dnt=1"
        );
        assert_eq!(
            src("https://vimeo.com/76979871/abc123def0"),
            "https://player.vimeo.com/video/76979871?dnt=1&h=abc123def0"
        );
        assert_eq!(
            src("https://twitter.com/nasa/status/1234567890123"),
            "https://platform.twitter.com/embed/Tweet.html?id=1234567890123&dnt=true"
        );
        let e = resolve("https://x.com/nasa/status/1234567890123?s=20", None).unwrap();
        assert_eq!(e.original, "https://x.com/nasa/status/1234567890123");
        assert_eq!(e.kind, Kind::Post);
        assert_eq!(
            src("https://www.instagram.com/reel/C1a2B3c4D5e/?igsh=x"),
            "https://www.instagram.com/p/C1a2B3c4D5e/embed/"
        );
        assert_eq!(
            src("https://www.tiktok.com/@city.news/video/7234567890123456789"),
            "https://www.tiktok.com/embed/v2/7234567890123456789"
        );
        assert_eq!(
            src("https://www.documentcloud.org/documents/2432-budget-2026"),
            "https://embed.documentcloud.org/documents/2432-budget-2026/?embed=1"
        );
        assert_eq!(
            src("https://www.scribd.com/document/123456/Budget"),
            "https://www.scribd.com/embeds/123456/content"
        );
    }

    #[test]
    fn hostile_or_unknown_addresses_embed_nothing() {
        for url in [
            "javascript:alert(1)",
            "https://evil.example/embed/aqz-KE-bpKQ",
            "https://youtube.com.evil.example/watch?v=aqz-KE-bpKQ",
            "https://user@youtube.com/watch?v=aqz-KE-bpKQ",
            "https://youtube.com:8080/watch?v=aqz-KE-bpKQ",
            "https://www.youtube.com/watch?v=aqz\"onload=x",
            "https://www.youtube.com/watch?v=aqz-KE-bpKQ\"><script>",
            "https://youtu.be/../../evil",
            "https://vimeo.com/123abc",
            "https://x.com/a/status/1<script>",
            "https://www.instagram.com/p/\"x\"/",
            "data:text/html,<script>alert(1)</script>",
            "//youtu.be/aqz-KE-bpKQ",
        ] {
            assert!(resolve(url, None).is_err(), "{url}");
        }
        // Extra parameters are dropped, not passed on.
        assert_eq!(
            src("https://youtu.be/aqz-KE-bpKQ?autoplay=1&list=x&t=evil"),
            "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"
        );
    }

    #[test]
    fn the_placeholder_escapes_the_caption_and_names_the_provider() {
        let words = crate::i18n::Locales::default()
            .get(crate::lang::Lang::EN)
            .words
            .clone();
        let e = resolve(
            "https://youtu.be/aqz-KE-bpKQ",
            Some("<img src=x onerror=alert(1)> \"q\"".into()),
        )
        .unwrap();
        let html = placeholder(&e, &words);
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;img"), "{html}");
        assert!(html.contains("YouTube"), "{html}");
        assert!(html.contains(" hidden>"), "{html}");
        assert!(
            !html.contains("<iframe"),
            "nothing loads before a click: {html}"
        );
    }
}
