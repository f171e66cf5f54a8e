//! W3C Web Annotation export: an article's annotations as an `AnnotationCollection`.
//!
//! Selectors describe the text a reader sees of the article body (`anchored.reader.text`):
//! a `TextQuoteSelector` with about 32 characters of context either side, and a
//! `TextPositionSelector` counted in Unicode code points, as the data model asks.
use std::ops::Range;

use serde_json::{Map, Value, json};

use super::jsonld::site_url;
use crate::annotate::Anchored;
use crate::config::Site;
use crate::content::{Annotation, Article, Detail, Kind};

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

/// The article's annotations as a W3C Web Annotation `AnnotationCollection` with one embedded
/// page. `page_url` is the article page's address (see [`super::jsonld::page_url`]).
pub fn annotation_collection(
    site: &Site,
    article: &Article,
    anchored: &Anchored<'_>,
    page_url: &str,
) -> Value {
    let text = &anchored.reader.text;
    let dir = match page_url.rfind('/') {
        Some(i) => &page_url[..=i],
        None => "./",
    };
    let collection_id = format!("{dir}{FILE_NAME}");
    let (creator, creator_ref) = creator(site, &article.url_path);
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

    // The annotated text, and its translations on the site (schema.org's terms, which the
    // annotation context names `schema:`).
    let mut source = obj([
        ("id", json!(page_url)),
        ("type", json!("Text")),
        ("format", json!("text/html")),
        ("language", json!(article.meta.lang_tag)),
    ]);
    let (of, translations) = super::jsonld::translation_urls(site, article);
    if let Some((_, url)) = of {
        source.insert("schema:translationOfWork".into(), json!({ "id": url }));
    }
    if !translations.is_empty() {
        let works: Vec<Value> = translations
            .into_iter()
            .map(|(_, url)| json!({ "id": url }))
            .collect();
        source.insert("schema:workTranslation".into(), Value::Array(works));
    }
    let source = Value::Object(source);
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
        let mut a = obj([
            ("id", json!(format!("{page_url}#{}", ann.id))),
            ("type", json!("Annotation")),
            ("motivation", json!(motivation(ann.kind))),
            ("created", json!(created)),
            ("creator", creator_ref.clone()),
        ]);
        let mut bodies = bodies(site, article, anchored, i, ann);
        for b in &mut bodies {
            if let Value::Object(b) = b {
                b.insert("creator".into(), creator_ref.clone());
            }
        }
        if !bodies.is_empty() {
            a.insert("body".into(), Value::Array(bodies));
        }
        a.insert(
            "target".into(),
            json!({
                "type": "SpecificResource",
                "source": source.clone(),
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": exact,
                        "prefix": prefix,
                        "suffix": suffix,
                    },
                    { "type": "TextPositionSelector", "start": start, "end": end },
                ],
            }),
        );
        items.push(Value::Object(a));
    }

    let words = &site.locales.get(article.meta.lang).words;
    let total = items.len();
    // Built by hand so that the items move in: `json!` would copy them, value by value.
    let mut first = Map::new();
    first.insert("id".into(), json!(format!("{collection_id}#page-1")));
    first.insert("type".into(), json!("AnnotationPage"));
    first.insert("startIndex".into(), json!(0));
    first.insert("items".into(), Value::Array(items));
    let mut collection = Map::new();
    collection.insert("@context".into(), json!("http://www.w3.org/ns/anno.jsonld"));
    collection.insert("id".into(), json!(collection_id));
    collection.insert("type".into(), json!("AnnotationCollection"));
    collection.insert(
        "label".into(),
        json!(format!(
            "{}: {}",
            words.get("annotations"),
            article.meta.title.trim()
        )),
    );
    collection.insert("creator".into(), creator);
    collection.insert("total".into(), json!(total));
    collection.insert("first".into(), Value::Object(first));
    Value::Object(collection)
}

/// The bodies of annotation `i`: what the editor wrote, as textual bodies in the article's
/// language, plus its sources as links.
fn bodies(
    site: &Site,
    article: &Article,
    anchored: &Anchored<'_>,
    i: usize,
    ann: &Annotation,
) -> Vec<Value> {
    let lang = &article.meta.lang_tag;
    let textual = |value: &str, format: &str, purpose: &str| {
        json!({
            "type": "TextualBody",
            "value": value,
            "format": format,
            "language": lang,
            "purpose": purpose,
        })
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
            out.push(textual(label, "text/plain", "assessing"));
            if let Some(c) = conclusion.as_deref().filter(|c| !c.trim().is_empty()) {
                out.push(textual(c, "text/plain", "assessing"));
            }
        }
        Detail::Quote { speaker, role } => {
            let person = site.person(speaker).map(|(_, p)| p);
            let name = person.map_or(speaker.as_str(), |p| p.name.as_str());
            let who = match role.as_deref().filter(|r| !r.trim().is_empty()) {
                Some(role) => format!("{name}, {role}"),
                None => name.to_string(),
            };
            out.push(textual(&who, "text/plain", "identifying"));
            if let Some(url) = person.and_then(|p| p.url.as_deref()).filter(|u| is_iri(u)) {
                out.push(json!({
                    "type": "SpecificResource",
                    "source": url,
                    "purpose": "identifying",
                }));
            }
        }
        Detail::Correction { correct, .. } => {
            out.push(textual(correct, "text/plain", "editing"));
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
                out.push(textual(&v, "text/plain", "describing"));
            }
        }
        Detail::Note => {}
    }
    if let Some(note) = ann.note.as_deref().filter(|n| !n.trim().is_empty()) {
        let purpose = match ann.kind {
            Kind::Figure => "describing",
            _ => "commenting",
        };
        out.push(textual(note.trim(), "text/markdown", purpose));
    }
    for link in ann.sources.iter().filter(|l| is_iri(&l.url)) {
        out.push(json!({
            "type": "SpecificResource",
            "source": link.url,
            "purpose": "linking",
        }));
    }
    // Who makes a claim, under the registry's name.
    if let Detail::Claim { by, .. } = &ann.detail
        && let Some(by) = crate::content::claimant(by.as_deref(), article.meta.source.as_ref())
        && !by.trim().is_empty()
    {
        out.push(textual(site.filed_name(by), "text/plain", "identifying"));
    }
    out
}

/// The site as the annotations' creator: the agent, described once on the collection, and
/// what each annotation and body says for it.
///
/// With an absolute home page the agent's `id` is that page and every annotation and body
/// names it by that IRI alone (WADM wants one `creator` on each): the description repeated in
/// every annotation and body was a third of each export's bytes. Without one there is no IRI
/// to refer by, so the description is repeated.
fn creator(site: &Site, url_path: &str) -> (Value, Value) {
    let mut o = obj([
        ("type", json!("Organization")),
        ("name", json!(site.config.title)),
    ]);
    let home = site_url(site, url_path);
    if is_iri(&home) {
        o.insert("id".into(), json!(home));
        o.insert("homepage".into(), json!(home));
        return (Value::Object(o), json!(home));
    }
    let o = Value::Object(o);
    (o.clone(), o)
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
    let mut chars = text.char_indices().peekable();
    let mut n = 0;
    for &b in bytes.iter() {
        while chars.next_if(|&(i, _)| i < b).is_some() {
            n += 1;
        }
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

fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
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
