//! W3C Web Annotation export: an article's annotations as an `AnnotationCollection`.
//!
//! Selectors describe the text a reader sees of the article body (`anchored.reader.text`):
//! a `TextQuoteSelector` with about 32 characters of context either side, and a
//! `TextPositionSelector` counted in Unicode code points, as the data model asks.
use std::ops::Range;

use serde::Serialize;
use serde_json::Value;

use super::jsonld::site_url;
use crate::annotate::Anchored;
use crate::config::Site;
use crate::content::{Annotation as Annotation_, Article, Detail, Kind};

/// The export's file name, written beside the article's `index.html`.
pub const FILE_NAME: &str = "annotations.jsonld";

/// Characters of context kept before and after the quoted words.
const CONTEXT_CHARS: usize = 32;

/// The W3C motivation of an annotation kind.
pub fn motivation(kind: Kind) -> &'static str {
    match kind {
        Kind::Claim => "assessing",
        Kind::Quote => "identifying",
        Kind::Note => "commenting",
        Kind::Correction => "editing",
        Kind::Figure => "describing",
    }
}

/// The export's JSON: fields in sorted order (as the `serde_json::Value` objects it was
/// built from before had them), so that exports stay byte for byte what they were.
#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    creator: &'a Agent<'a>,
    first: AnnotationPage<'a>,
    id: String,
    label: String,
    total: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AnnotationPage<'a> {
    id: String,
    items: Vec<Annotation<'a>>,
    start_index: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The site as creator: described (on the collection), or named by its IRI.
#[derive(Serialize, Clone, Copy)]
#[serde(untagged)]
enum Creator<'a> {
    Iri(&'a str),
    Described(&'a Agent<'a>),
}

#[derive(Serialize)]
struct Agent<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    homepage: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Annotation<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    body: Vec<Body<'a>>,
    created: String,
    creator: Creator<'a>,
    id: String,
    motivation: &'static str,
    target: Target<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    Textual {
        creator: Creator<'a>,
        format: &'static str,
        language: &'a str,
        purpose: &'static str,
        #[serde(rename = "type")]
        kind: &'static str,
        value: std::borrow::Cow<'a, str>,
    },
    Resource {
        creator: Creator<'a>,
        purpose: &'static str,
        source: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
    },
}

#[derive(Serialize)]
struct Target<'a> {
    selector: (QuoteSelector<'a>, PositionSelector),
    source: &'a Source,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct PositionSelector {
    end: usize,
    start: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The annotated text, and its translations on the site (schema.org's terms, which the
/// annotation context names `schema:`).
#[derive(Serialize)]
struct Source {
    format: &'static str,
    id: String,
    language: String,
    #[serde(
        rename = "schema:translationOfWork",
        skip_serializing_if = "Option::is_none"
    )]
    translation_of_work: Option<Work>,
    #[serde(
        rename = "schema:workTranslation",
        skip_serializing_if = "Vec::is_empty"
    )]
    work_translation: Vec<Work>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Work {
    id: String,
}

/// The article's annotations as a W3C Web Annotation `AnnotationCollection` with one embedded
/// page. `page_url` is the article page's address (see [`super::jsonld::page_url`]).
pub fn annotation_collection(
    site: &Site,
    article: &Article,
    anchored: &Anchored<'_>,
    page_url: &str,
) -> Value {
    let mut value = Value::Null;
    with_collection(site, article, anchored, page_url, |c| {
        value = serde_json::to_value(c).unwrap_or_default();
    });
    value
}

/// The export as the file `annotations.jsonld` holds it (the JSON text of
/// [`annotation_collection`], written straight from the article).
pub fn annotation_json(
    site: &Site,
    article: &Article,
    anchored: &Anchored<'_>,
    page_url: &str,
) -> Vec<u8> {
    let mut out = Vec::new();
    with_collection(site, article, anchored, page_url, |c| {
        out = serde_json::to_vec(c).unwrap_or_default();
    });
    out
}

fn with_collection(
    site: &Site,
    article: &Article,
    anchored: &Anchored<'_>,
    page_url: &str,
    write: impl FnOnce(&Collection<'_>),
) {
    let text = &anchored.reader.text;
    let dir = match page_url.rfind('/') {
        Some(i) => &page_url[..=i],
        None => "./",
    };
    let collection_id = format!("{dir}{FILE_NAME}");
    let home = site_url(site, &article.url_path);
    let agent = creator(site, &home);
    let created = date_time(article.meta.date);

    // Code-point offsets for every anchor boundary, found in one pass over the text.
    let mut bounds: Vec<usize> = anchored
        .placed
        .iter()
        .flatten()
        .flat_map(|r| [r.start, r.end])
        .collect();
    let points = code_points(text, &mut bounds);
    let point = |byte: usize| {
        bounds
            .binary_search(&byte)
            .ok()
            .and_then(|i| points.get(i).copied())
    };

    let (of, translations) = super::jsonld::translation_urls(site, article);
    let source = Source {
        format: "text/html",
        id: page_url.to_string(),
        language: article.meta.lang_tag.clone(),
        translation_of_work: of.map(|(_, id)| Work { id }),
        work_translation: translations
            .into_iter()
            .map(|(_, id)| Work { id })
            .collect(),
        kind: "Text",
    };
    let creator_ref = match agent.id {
        Some(iri) => Creator::Iri(iri),
        None => Creator::Described(&agent),
    };
    let mut items = Vec::new();
    for (i, ann) in article.annotations.iter().enumerate() {
        let Some(range) = anchored.placed.get(i).and_then(Option::as_ref) else {
            continue;
        };
        let (Some(exact), Some(start), Some(end)) = (
            text.get(range.clone()),
            point(range.start),
            point(range.end),
        ) else {
            continue;
        };
        // Empty context at either end of the text is still recorded: nothing precedes or follows.
        let (prefix, suffix) = context(text, range);
        let created = match &ann.detail {
            Detail::Correction { date: Some(d), .. } => date_time(*d),
            _ => created.clone(),
        };
        items.push(Annotation {
            body: bodies(site, article, anchored, i, ann, creator_ref),
            created,
            creator: creator_ref,
            id: format!("{page_url}#{}", ann.id),
            motivation: motivation(ann.kind),
            target: Target {
                selector: (
                    QuoteSelector {
                        exact,
                        prefix,
                        suffix,
                        kind: "TextQuoteSelector",
                    },
                    PositionSelector {
                        end,
                        start,
                        kind: "TextPositionSelector",
                    },
                ),
                source: &source,
                kind: "SpecificResource",
            },
            kind: "Annotation",
        });
    }

    let words = &site.locales.get(article.meta.lang).words;
    let total = items.len();
    let collection = Collection {
        context: "http://www.w3.org/ns/anno.jsonld",
        creator: &agent,
        first: AnnotationPage {
            id: format!("{collection_id}#page-1"),
            items,
            start_index: 0,
            kind: "AnnotationPage",
        },
        id: collection_id.clone(),
        label: format!(
            "{}: {}",
            words.get("annotations"),
            article.meta.title.trim()
        ),
        total,
        kind: "AnnotationCollection",
    };
    write(&collection);
}

/// The bodies of annotation `i`: what the editor wrote, as textual bodies in the article's
/// language, plus its sources as links; each names `creator`.
fn bodies<'a>(
    site: &'a Site,
    article: &'a Article,
    anchored: &Anchored<'_>,
    i: usize,
    ann: &'a Annotation_,
    creator: Creator<'a>,
) -> Vec<Body<'a>> {
    let lang = &article.meta.lang_tag;
    let textual =
        |value: std::borrow::Cow<'a, str>, format: &'static str, purpose: &'static str| {
            Body::Textual {
                creator,
                format,
                language: lang,
                purpose,
                kind: "TextualBody",
                value,
            }
        };
    let link = |source: &'a str, purpose: &'static str| Body::Resource {
        creator,
        purpose,
        source,
        kind: "SpecificResource",
    };
    let mut out = Vec::new();
    match &ann.detail {
        Detail::Claim {
            verdict,
            conclusion,
            ..
        } => {
            let label = site
                .scale
                .get(verdict)
                .map_or(verdict.as_str(), |v| v.label.get(article.meta.lang));
            out.push(textual(label.into(), "text/plain", "assessing"));
            if let Some(c) = conclusion.as_deref().filter(|c| !c.trim().is_empty()) {
                out.push(textual(c.into(), "text/plain", "assessing"));
            }
        }
        Detail::Quote { speaker, role } => {
            let person = site.person(speaker).map(|(_, p)| p);
            let name = person.map_or(speaker.as_str(), |p| p.name.as_str());
            let who = match role.as_deref().filter(|r| !r.trim().is_empty()) {
                Some(role) => format!("{name}, {role}").into(),
                None => name.into(),
            };
            out.push(textual(who, "text/plain", "identifying"));
            if let Some(url) = person.and_then(|p| p.url.as_deref()).filter(|u| is_iri(u)) {
                out.push(link(url, "identifying"));
            }
        }
        Detail::Correction { correct, .. } => {
            out.push(textual(correct.as_str().into(), "text/plain", "editing"));
        }
        Detail::Figure { .. } => {
            if let Some((value, unit, kind, max)) = anchored.figure_of(i) {
                // The words a reader of the page sees, from the one formatter.
                let v = crate::render::figure_display(
                    kind,
                    value,
                    max,
                    unit,
                    site.locales.get(article.meta.lang),
                );
                out.push(textual(v.into(), "text/plain", "describing"));
            }
        }
        Detail::Note => {}
    }
    if let Some(note) = ann.note.as_deref().filter(|n| !n.trim().is_empty()) {
        let purpose = match ann.kind {
            Kind::Figure => "describing",
            _ => "commenting",
        };
        out.push(textual(note.trim().into(), "text/markdown", purpose));
    }
    for l in ann.sources.iter().filter(|l| is_iri(&l.url)) {
        out.push(link(&l.url, "linking"));
    }
    // Who makes a claim, under the registry's name.
    if let Detail::Claim { by, .. } = &ann.detail
        && let Some(by) = crate::content::claimant(by.as_deref(), article.meta.source.as_ref())
        && !by.trim().is_empty()
    {
        out.push(textual(
            site.filed_name(by).into(),
            "text/plain",
            "identifying",
        ));
    }
    out
}

/// The site as the annotations' creator, described once on the collection; each annotation
/// and body names it (see [`Creator`]).
///
/// With an absolute home page (`home`) the agent's `id` is that page and every annotation
/// and body names it by that IRI alone (WADM wants one `creator` on each): the description
/// repeated in every annotation and body was a third of each export's bytes. Without one
/// there is no IRI to refer by, so the description is repeated.
fn creator<'a>(site: &'a Site, home: &'a str) -> Agent<'a> {
    let iri = is_iri(home).then_some(home);
    Agent {
        homepage: iri,
        id: iri,
        name: &site.config.title,
        kind: "Organization",
    }
}

/// Midnight UTC of `date`, as `xsd:dateTime`.
fn date_time(date: jiff::civil::Date) -> String {
    format!("{date}T00:00:00Z")
}

/// Whether `s` is an absolute IRI (a scheme, then a colon).
fn is_iri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(char::is_whitespace)
}

/// Sorts and dedups the byte offsets in `bytes`; returns the code-point offset of each.
/// An offset that is not on a character boundary of `text` counts the character it splits.
fn code_points(text: &str, bytes: &mut Vec<usize>) -> Vec<usize> {
    bytes.sort_unstable();
    bytes.dedup();
    let mut out = Vec::with_capacity(bytes.len());
    let text = text.as_bytes();
    let (mut n, mut from) = (0, 0);
    for &b in bytes.iter() {
        let b = b.min(text.len());
        // The characters that start before `b`: the bytes that are no UTF-8 continuation
        // byte (counted a slice at a time, which vectorizes; char by char it was 1.6 % of
        // a first build's instructions).
        n += text[from..b]
            .iter()
            .filter(|&&x| (x as i8) >= -0x40)
            .count();
        from = b;
        out.push(n);
    }
    out
}

/// Up to [`CONTEXT_CHARS`] characters of `text` before and after `range`.
fn context<'a>(text: &'a str, range: &Range<usize>) -> (&'a str, &'a str) {
    let before = text.get(..range.start).unwrap_or("");
    let after = text.get(range.end..).unwrap_or("");
    let cut = before
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let end = after
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(after.len(), |(i, _)| i);
    (&before[cut..], &after[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_article;
    use std::path::PathBuf;

    const ARTICLE: &str = r#"+++
title = "Übergänge"
date = 2019-07-24
lang = "de"

[[claim]]
text = "fünf Jahren"
by = "der Artikel"
verdict = "mostly-true"
conclusion = "Weitgehend richtig."
note = "Laut *NYT*."
sources = ["https://example.com/nyt", "nicht-absolut"]

[[quote]]
text = "Was ist OpenAI?"
speaker = "Merity"

[[figure]]
text = "50 %"
value = "0.5"
unit = "probability"
note = "Eine Wahrscheinlichkeit."

[[note]]
text = "Cade Matz"
note = "Gemeint ist Cade Metz."

[[correction]]
text = "Cade Matz"
correct = "Cade Metz"
date = 2019-08-02
id = "fix"
+++
Der Übergang – „ähnlich“ – dauert *innerhalb von fünf
Jahren*, schreibt Cade Matz. „Was ist OpenAI?“, fragt er. Zu 50 % sicher. 🙂 Ende.
"#;

    fn site() -> Site {
        let mut site = Site::standalone();
        site.config.base_url = "https://example.org/gloss".into();
        site.people.push(crate::config::Person {
            name: "Stephen Merity".into(),
            role: None,
            aliases: vec!["Merity".into()],
            url: Some("https://smerity.com/".into()),
            bio: None,
            kind: Default::default(),
        });
        site
    }

    fn export(site: &Site, text: &str) -> (Value, String) {
        let article = parse_article(
            site,
            PathBuf::from("content/2019/x.md"),
            text.into(),
            "2019/x/".into(),
        )
        .unwrap();
        let anchored = crate::annotate::anchor(&article, true).unwrap();
        let url = super::super::jsonld::page_url(site, &article.url_path);
        let v = annotation_collection(site, &article, &anchored, &url);
        (v, anchored.reader.text.clone())
    }

    fn chars(s: &str, start: u64, end: u64) -> String {
        s.chars()
            .skip(start as usize)
            .take((end - start) as usize)
            .collect()
    }

    #[test]
    fn collection_shape() {
        let (v, _) = export(&site(), ARTICLE);
        assert_eq!(v["@context"], "http://www.w3.org/ns/anno.jsonld");
        assert_eq!(v["type"], "AnnotationCollection");
        assert_eq!(
            v["id"],
            "https://example.org/gloss/2019/x/annotations.jsonld"
        );
        assert_eq!(v["label"], "Anmerkungen: Übergänge");
        assert_eq!(v["total"], 5);
        // The creator is described once, and named by its IRI in each annotation and body.
        assert_eq!(v["creator"]["name"], "gloss");
        assert_eq!(v["creator"]["id"], "https://example.org/gloss/");
        assert_eq!(v["first"]["type"], "AnnotationPage");
        let items = v["first"]["items"].as_array().unwrap();
        assert_eq!(items.len(), 5);
        let motivations: Vec<&str> = items
            .iter()
            .map(|a| a["motivation"].as_str().unwrap())
            .collect();
        assert_eq!(
            motivations,
            [
                "assessing",
                "identifying",
                "describing",
                "commenting",
                "editing"
            ]
        );
        for a in items {
            assert_eq!(a["type"], "Annotation");
            assert_eq!(
                a["target"]["source"]["id"],
                "https://example.org/gloss/2019/x/"
            );
            assert_eq!(a["target"]["source"]["language"], "de");
            assert_eq!(a["creator"], "https://example.org/gloss/");
            assert_eq!(a["body"][0]["creator"], a["creator"]);
            assert!(
                a["id"]
                    .as_str()
                    .unwrap()
                    .starts_with("https://example.org/gloss/2019/x/#")
            );
        }
        assert_eq!(items[0]["created"], "2019-07-24T00:00:00Z");
        assert_eq!(items[4]["created"], "2019-08-02T00:00:00Z");
        assert_eq!(items[4]["id"], "https://example.org/gloss/2019/x/#fix");
    }

    #[test]
    fn claim_bodies_carry_verdict_and_links() {
        let (v, _) = export(&site(), ARTICLE);
        let body = v["first"]["items"][0]["body"].as_array().unwrap();
        assert_eq!(body[0]["type"], "TextualBody");
        assert_eq!(body[0]["purpose"], "assessing");
        assert_eq!(body[0]["value"], "Stimmt überwiegend");
        assert_eq!(body[0]["language"], "de");
        assert_eq!(body[1]["value"], "Weitgehend richtig.");
        assert_eq!(body[1]["format"], "text/plain");
        assert_eq!(body[2]["value"], "Laut *NYT*.");
        assert_eq!(body[2]["format"], "text/markdown");
        assert_eq!(body[3]["source"], "https://example.com/nyt");
        assert_eq!(body[3]["purpose"], "linking");
        assert_eq!(body[4]["value"], "der Artikel");
        assert_eq!(body[4]["purpose"], "identifying");
        assert_eq!(body.len(), 5, "relative source links are left out");
        let quote = v["first"]["items"][1]["body"].as_array().unwrap();
        assert_eq!(quote[0]["value"], "Stephen Merity");
        assert_eq!(quote[1]["source"], "https://smerity.com/");
        let figure = v["first"]["items"][2]["body"].as_array().unwrap();
        assert_eq!(figure[0]["value"], "50 %");
        assert_eq!(figure[1]["value"], "Eine Wahrscheinlichkeit.");
        let fix = v["first"]["items"][4]["body"].as_array().unwrap();
        assert_eq!(fix[0]["value"], "Cade Metz");
        assert_eq!(fix[0]["purpose"], "editing");
    }

    #[test]
    fn positions_count_code_points_and_quotes_match_the_text() {
        let (v, text) = export(&site(), ARTICLE);
        for a in v["first"]["items"].as_array().unwrap() {
            let sel = &a["target"]["selector"];
            let quote = &sel[0];
            let pos = &sel[1];
            assert_eq!(quote["type"], "TextQuoteSelector");
            assert_eq!(pos["type"], "TextPositionSelector");
            let (start, end) = (pos["start"].as_u64().unwrap(), pos["end"].as_u64().unwrap());
            let exact = quote["exact"].as_str().unwrap();
            assert_eq!(chars(&text, start, end), exact);
            let prefix = quote["prefix"].as_str().unwrap();
            let suffix = quote["suffix"].as_str().unwrap();
            assert!(prefix.chars().count() <= 32 && suffix.chars().count() <= 32);
            assert!(text.contains(&format!("{prefix}{exact}{suffix}")));
            assert_eq!(
                chars(&text, start - prefix.chars().count() as u64, start),
                prefix
            );
        }
        let claim = &v["first"]["items"][0]["target"]["selector"];
        // The quote spans a line break inside emphasis; `exact` is the reader's text as is.
        assert_eq!(claim[0]["exact"], "fünf\nJahren");
        let before = "Der Übergang – „ähnlich“ – dauert innerhalb von ";
        assert_eq!(claim[1]["start"], before.chars().count());
        assert_ne!(claim[1]["start"], before.len(), "bytes, not code points");
        assert_eq!(claim[0]["prefix"].as_str().unwrap().chars().count(), 32);
        assert!(before.ends_with(claim[0]["prefix"].as_str().unwrap()));
    }

    #[test]
    fn context_stops_at_the_ends() {
        let text = "äb 🙂c";
        let (p, s) = context(text, &(0..2));
        assert_eq!((p, s), ("", "b 🙂c"));
        let (p, s) = context(text, &(text.len() - 1..text.len()));
        assert_eq!((p, s), ("äb 🙂", ""));
        let mut b = vec![text.len(), 0, 2, 2, 3];
        assert_eq!(code_points(text, &mut b), [0, 1, 2, 5]);
        assert_eq!(b, [0, 2, 3, 9]);
        // Inside `ä` and inside `🙂`: the character split counts.
        assert_eq!(code_points(text, &mut vec![1, 5, 99]), [1, 4, 5]);
    }

    #[test]
    fn no_annotations_no_items() {
        let (v, _) = export(
            &Site::standalone(),
            "+++\ntitle = \"T\"\ndate = 2019-07-24\n+++\nText.\n",
        );
        assert_eq!(v["total"], 0);
        assert_eq!(v["id"], "./annotations.jsonld");
        assert!(v["first"]["items"].as_array().unwrap().is_empty());
        assert!(v["creator"].get("homepage").is_none());
        assert!(v["creator"].get("id").is_none());
    }

    #[test]
    fn iris() {
        assert!(is_iri("https://example.org/x"));
        assert!(is_iri("urn:isbn:123"));
        assert!(!is_iri("./x"));
        assert!(!is_iri("x y:z"));
        assert!(!is_iri("https://exa mple.org"));
    }
}
