//! `gloss import`: W3C Web Annotations (gloss's own `annotations.jsonld`, a Hypothesis API
//! export, or any collection or list of annotations with a `TextQuoteSelector`) written into
//! an article's front matter through the same anchor and writer as the preview's editor.
//!
//! Each annotation's kind is the tag that names one (`claim`, `quote`, `note`, `figure`,
//! `correction`), else its motivation: `assessing` → claim, `identifying` → quote, `editing`
//! → correction, `describing` → figure, anything else → note. The README's table says which
//! body becomes which key.
use std::path::Path;

use serde_json::Value;

use super::anchor::Selection;
use super::writer::{FieldValue, Source};
use super::{Change, EditError};
use crate::config::Site;
use crate::content::{Kind, default_id};

/// One annotation as read from the file, before it is mapped to a kind.
#[derive(Debug, Default)]
struct Item {
    /// How the report names it: its id, else its number in the file.
    label: String,
    /// The fragment of its id (`…#claim-x`): the id gloss gave it.
    fragment: Option<String>,
    motivation: Option<String>,
    tags: Vec<String>,
    /// Textual bodies: (purpose, value, format).
    texts: Vec<(String, String, String)>,
    /// Linked resources: (purpose, address).
    links: Vec<(String, String)>,
    quote: Option<Selection>,
    /// `created`, as `YYYY-MM-DD`.
    created: Option<String>,
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Ids of the annotations written, in the file's order.
    pub imported: Vec<String>,
    /// Annotations not written: (label, why).
    pub skipped: Vec<(String, String)>,
}

/// Reads the annotations of `json` and returns the text of the article file `rel` with
/// them added, and what was and was not imported.
pub fn import(
    site: &Site,
    rel: &Path,
    text: &str,
    json: &str,
) -> Result<(String, Report), EditError> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| EditError::Invalid(vec![format!("not JSON: {e}")]))?;
    let items = items_of(&value);
    if items.is_empty() {
        return Err(EditError::Invalid(vec![
            "no annotations found: expected a W3C AnnotationCollection, a list of annotations, or a Hypothesis export (`rows`)".into(),
        ]));
    }
    let article = super::load(site, rel, text)?;
    let article_date = article.meta.date.to_string();
    let mut text = text.to_string();
    let mut report = Report::default();
    for item in items {
        let change = match change_of(site, &item, &article_date) {
            Ok(c) => c,
            Err(why) => {
                report.skipped.push((item.label, why));
                continue;
            }
        };
        match super::plan(site, rel, &text, &change) {
            Ok(planned) => {
                text = planned.text;
                report.imported.push(planned.id);
            }
            Err(EditError::Refused(r)) => report.skipped.push((item.label, r.to_string())),
            Err(e) => report.skipped.push((item.label, e.to_string())),
        }
    }
    Ok((text, report))
}

/// The annotations of a collection (`first.items`, `items`), a list, a Hypothesis export
/// (`rows`) or a single annotation.
fn items_of(v: &Value) -> Vec<Item> {
    let list: Vec<&Value> = if let Some(rows) = v.get("rows").and_then(Value::as_array) {
        rows.iter().collect()
    } else if let Some(items) = v
        .get("first")
        .and_then(|f| f.get("items"))
        .or_else(|| v.get("items"))
        .and_then(Value::as_array)
    {
        items.iter().collect()
    } else if let Some(list) = v.as_array() {
        list.iter().collect()
    } else if v.get("target").is_some() {
        vec![v]
    } else {
        Vec::new()
    };
    list.iter()
        .enumerate()
        .map(|(i, a)| item_of(i, a))
        .collect()
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// `v` as a list: an array's elements, or `v` alone.
fn many(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

fn item_of(i: usize, a: &Value) -> Item {
    let id = str_of(a, "id");
    let mut item = Item {
        label: id
            .clone()
            .unwrap_or_else(|| format!("annotation {}", i + 1)),
        fragment: id.and_then(|id| id.split_once('#').map(|(_, f)| f.to_string())),
        motivation: many(a.get("motivation"))
            .first()
            .and_then(|m| m.as_str())
            .map(|m| m.trim_start_matches("oa:").to_string()),
        created: str_of(a, "created").and_then(|c| c.get(..10).map(str::to_string)),
        ..Item::default()
    };
    for tag in many(a.get("tags")) {
        if let Some(t) = tag.as_str() {
            item.tags.push(t.to_string());
        }
    }
    // Hypothesis: the annotation's text is its one body, in markdown.
    if let Some(t) = str_of(a, "text").filter(|t| !t.trim().is_empty()) {
        item.texts
            .push(("commenting".into(), t, "text/markdown".into()));
    }
    for body in many(a.get("body")) {
        let purpose = str_of(body, "purpose").unwrap_or_else(|| "commenting".into());
        let kind = str_of(body, "type").unwrap_or_default();
        if let Some(value) = str_of(body, "value") {
            if purpose == "tagging" {
                item.tags.push(value);
            } else {
                let format = str_of(body, "format").unwrap_or_else(|| "text/plain".into());
                item.texts.push((purpose, value, format));
            }
        } else if kind == "SpecificResource"
            && let Some(src) = str_of(body, "source")
        {
            item.links.push((purpose, src));
        } else if let Some(src) = body
            .as_str()
            .map(str::to_string)
            .or_else(|| str_of(body, "id"))
        {
            item.links.push((purpose, src));
        }
    }
    for target in many(a.get("target")) {
        for sel in many(target.get("selector")) {
            match str_of(sel, "type").as_deref() {
                Some("TextQuoteSelector") if item.quote.is_none() => {
                    item.quote = Some(Selection {
                        exact: str_of(sel, "exact").unwrap_or_default(),
                        prefix: str_of(sel, "prefix").unwrap_or_default(),
                        suffix: str_of(sel, "suffix").unwrap_or_default(),
                        position: None,
                    });
                }
                Some("TextPositionSelector") => {
                    let start = sel.get("start").and_then(Value::as_u64);
                    if let (Some(q), Some(s)) = (item.quote.as_mut(), start) {
                        q.position = Some(s as usize);
                    } else if let Some(s) = start {
                        item.links.push(("position".into(), s.to_string()));
                    }
                }
                _ => {}
            }
        }
    }
    // A position selector listed before the quote selector.
    if let Some(q) = item.quote.as_mut()
        && q.position.is_none()
        && let Some((_, s)) = item.links.iter().find(|(p, _)| p == "position")
    {
        q.position = s.parse().ok();
    }
    item.links.retain(|(p, _)| p != "position");
    item
}

fn kind_of(item: &Item) -> Kind {
    let named = item
        .tags
        .iter()
        .find_map(|t| match t.to_lowercase().as_str() {
            "claim" => Some(Kind::Claim),
            "quote" => Some(Kind::Quote),
            "note" => Some(Kind::Note),
            "figure" => Some(Kind::Figure),
            "correction" => Some(Kind::Correction),
            _ => None,
        });
    named.unwrap_or(match item.motivation.as_deref() {
        Some("assessing") => Kind::Claim,
        Some("identifying") => Kind::Quote,
        Some("editing") => Kind::Correction,
        Some("describing") => Kind::Figure,
        _ => Kind::Note,
    })
}

/// The verdict key `word` names: a key of the scale, or its label in any language.
fn verdict_of(site: &Site, word: &str) -> Option<String> {
    let word = word.trim();
    site.scale.verdicts.iter().find_map(|v| {
        let label_fits = match &v.label {
            crate::config::Label::Plain(l) => l == word,
            crate::config::Label::PerLanguage(ls) => ls.values().any(|l| l == word),
        };
        (v.key == word || label_fits).then(|| v.key.clone())
    })
}

fn change_of(site: &Site, item: &Item, article_date: &str) -> Result<Change, String> {
    let selection = item.quote.clone().ok_or_else(|| {
        "it has no TextQuoteSelector (a page note or a reply): there are no words to attach it to"
            .to_string()
    })?;
    let kind = kind_of(item);
    let mut fields: Vec<(String, FieldValue)> = Vec::new();
    let mut put = |k: &str, v: String| fields.push((k.to_string(), FieldValue::Str(v)));
    let texts = |purpose: &'static str| {
        item.texts
            .iter()
            .filter(move |(p, _, _)| p == purpose)
            .map(|(_, v, f)| (v.as_str(), f.as_str()))
    };
    // Bodies that comment, joined as paragraphs of one note; a figure's markdown description
    // too (its plain one is the value as the page showed it).
    let note: Vec<&str> = item
        .texts
        .iter()
        .filter(|(p, _, f)| {
            p == "commenting" || (kind == Kind::Figure && p == "describing" && f == "text/markdown")
        })
        .map(|(_, v, _)| v.trim())
        .collect();
    match kind {
        Kind::Claim => {
            let mut assessing = texts("assessing").map(|(v, _)| v);
            let from_tag = item.tags.iter().find_map(|t| verdict_of(site, t));
            let verdict = match from_tag {
                Some(v) => v,
                None => {
                    let first = assessing.next().ok_or(
                        "a claim needs a verdict: tag it with a key of the site's verdict scale",
                    )?;
                    verdict_of(site, first).ok_or_else(|| {
                        format!(
                            "`{first}` is not a verdict of the site's scale (its keys: {})",
                            site.scale.keys().collect::<Vec<_>>().join(", ")
                        )
                    })?
                }
            };
            if let Some((by, _)) = texts("identifying").next() {
                put("by", by.to_string());
            }
            put("verdict", verdict);
            if let Some(c) = assessing.next() {
                put("conclusion", c.to_string());
            }
        }
        Kind::Quote => {
            let (who, _) = texts("identifying")
                .next()
                .ok_or("a quote needs a speaker: an `identifying` body naming them")?;
            let (speaker, role) = split_speaker(site, who);
            put("speaker", speaker);
            if let Some(r) = role {
                put("role", r);
            }
        }
        Kind::Correction => {
            let (correct, _) = texts("editing")
                .next()
                .ok_or("a correction needs the correct words: an `editing` body")?;
            put("correct", correct.to_string());
        }
        Kind::Figure | Kind::Note => {}
    }
    if !note.is_empty() {
        put("note", note.join("\n\n"));
    }
    if kind == Kind::Correction
        && let Some(d) = item.created.as_deref().filter(|d| *d != article_date)
        && d.parse::<jiff::civil::Date>().is_ok()
    {
        fields.push(("date".into(), FieldValue::Date(d.to_string())));
    }
    let sources: Vec<Source> = item
        .links
        .iter()
        .filter(|(p, _)| p == "linking")
        .map(|(_, url)| Source {
            url: url.clone(),
            ..Source::default()
        })
        .collect();
    if !sources.is_empty() {
        fields.push(("sources".into(), FieldValue::Sources(sources)));
    }
    // The id gloss gave it, when the words alone would give another.
    if let Some(f) = &item.fragment
        && *f != default_id(kind, &crate::annotate::fold(&selection.exact))
        && crate::content::check_id(kind, f).is_ok()
    {
        fields.push(("id".into(), FieldValue::Str(f.clone())));
    }
    Ok(Change::Add {
        kind,
        selection,
        fields,
    })
}

/// "Name, role" as gloss exports a quote's speaker: the registry's name (which may itself
/// hold a comma) first, else everything before the first comma.
fn split_speaker(site: &Site, who: &str) -> (String, Option<String>) {
    let known = site.people.iter().find_map(|p| {
        let rest = who.strip_prefix(p.name.as_str())?;
        (rest.is_empty() || rest.starts_with(", ")).then_some((p.name.clone(), rest))
    });
    let (name, rest) = match known {
        Some((n, rest)) => (n, rest.trim_start_matches(", ").to_string()),
        None => match who.split_once(", ") {
            Some((n, r)) => (n.to_string(), r.to_string()),
            None => (who.to_string(), String::new()),
        },
    };
    let role = Some(rest.trim().to_string()).filter(|r| !r.is_empty());
    (name.trim().to_string(), role)
}

/// The report's lines for the terminal: one per skipped annotation, with the closest passage
/// when its words are not in the article.
pub fn describe(report: &Report) -> Vec<String> {
    report
        .skipped
        .iter()
        .map(|(label, why)| format!("not imported: {label}: {why}"))
        .collect()
}

/// `gloss import FILE --into ARTICLE`: imports the annotations of `file` into the article
/// `into` (a `.md` file below `content/` of the site at `root`) and saves it. Annotations
/// that could not be imported are warnings; none imported is an error, and leaves the file.
pub fn run(
    root: &Path,
    file: &Path,
    into: &str,
) -> Result<Vec<crate::diagnostics::Diagnostic>, Vec<crate::diagnostics::Diagnostic>> {
    use crate::diagnostics::Diagnostic;
    let fail = |msg: String| vec![Diagnostic::file(into, msg)];
    let site = Site::load(root)?;
    let rel = into.trim_start_matches("./");
    let path = super::resolve(root, rel).map_err(|e| {
        vec![Diagnostic::file(into, e.to_string()).with_help(
            "name the article as its path from the site's folder, such as `content/2019/article.md`",
        )]
    })?;
    let json = std::fs::read_to_string(file)
        .map_err(|e| vec![Diagnostic::file(file, format!("cannot read: {e}"))])?;
    let bytes = std::fs::read(&path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes.clone()).map_err(|_| fail("not UTF-8 text".into()))?;
    let (new_text, report) = import(&site, Path::new(rel), &text, &json).map_err(|e| match e {
        EditError::Invalid(lines) if lines.len() == 1 => vec![Diagnostic::file(file, &lines[0])],
        e => fail(e.to_string()),
    })?;
    let warnings: Vec<Diagnostic> = describe(&report)
        .into_iter()
        .map(|line| Diagnostic::file(file, line).warning())
        .collect();
    if report.imported.is_empty() {
        let mut all = warnings;
        all.push(Diagnostic::file(
            file,
            "no annotation could be imported; the article is unchanged",
        ));
        return Err(all);
    }
    super::writer::save(&path, &super::writer::fingerprint(&bytes), &new_text)
        .map_err(|e| fail(e.to_string()))?;
    eprintln!(
        "imported {} annotation{} into {rel}",
        report.imported.len(),
        if report.imported.len() == 1 { "" } else { "s" }
    );
    Ok(warnings)
}
