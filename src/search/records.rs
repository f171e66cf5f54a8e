//! What is searchable: each article, each of its claims and each person, made from the build
//! session's article summaries (no article is parsed or rendered again for them).
use crate::build::summary::{ArticleSummary, ClaimEntry, QuoteEntry};
use crate::config::Site;
use crate::markdown::plain_text;
use crate::render;

use super::Record;

/// Each article (its summary first, as the excerpt, then tags, the verdict words, who claims
/// and who is quoted, and its text, so that "irreführend" or a name finds it), followed by
/// each of its claims as a record of its own that links straight to the highlight (its
/// conclusion first, as the excerpt), for the articles `summaries` in the order listed.
pub fn articles<'a>(site: &Site, summaries: &[&'a ArticleSummary]) -> Vec<Record<'a>> {
    let claims: usize = summaries.iter().map(|a| a.claims.len()).sum();
    let mut records = Vec::with_capacity(summaries.len() + claims);
    for a in summaries {
        let mut content = String::with_capacity(256);
        match &a.summary {
            Some(summary) => content.push_str(&plain_text(summary)),
            None => content.push_str(&a.lead),
        }
        content.push('\n');
        for tag in &a.tags {
            content.push_str(tag);
            content.push(' ');
        }
        for c in &a.claims {
            if let Some(v) = site.scale.get(&c.verdict) {
                content.push_str(v.label.get(a.lang_words));
                content.push(' ');
            }
            if let Some(by) = &c.by {
                push_name(&mut content, site, by);
            }
        }
        for q in &a.quotes {
            push_name(&mut content, site, &q.speaker);
        }
        content.push('\n');
        records.push(Record {
            url: format!("/{}", render::url_of_path(&a.path)),
            title: a.title.clone(),
            content,
            more: Some(&a.words),
            lang: a.lang.clone(),
            kind: "article".into(),
        });
        for c in &a.claims {
            let label = site
                .scale
                .get(&c.verdict)
                .map_or(c.verdict.as_str(), |v| v.label.get(a.lang_words));
            let mut content = match &c.conclusion {
                Some(conclusion) => plain_text(conclusion),
                None => a.title.clone(),
            };
            content.push('\n');
            content.push_str(label);
            content.push(' ');
            if let Some(by) = &c.by {
                push_name(&mut content, site, by);
            }
            records.push(Record {
                url: format!("/{}#{}", render::url_of_path(&a.path), c.id),
                title: format!(
                    "{label}: {}",
                    site.locales.get(a.lang_words).quoted(c.statement())
                ),
                content,
                more: None,
                lang: a.lang.clone(),
                kind: "claim".into(),
            });
        }
    }
    records
}

/// A person's record: their name, then their role and other names, what they are quoted
/// saying and what they claim; `page` is their page (`people/x/`, `en/people/x/`), in the
/// language `lang` (its listing's).
pub fn person<'a>(
    lang: &str,
    page: &str,
    name: &str,
    also: impl Iterator<Item = &'a str>,
    quotes: impl Iterator<Item = &'a QuoteEntry>,
    claims: impl Iterator<Item = &'a ClaimEntry>,
) -> Record<'static> {
    let mut content = name.to_string();
    let said = quotes.map(|q| q.text.as_str());
    for extra in also.chain(said).chain(claims.map(|c| c.statement())) {
        content.push(' ');
        content.push_str(extra);
    }
    Record {
        more: None,
        url: format!("/{page}"),
        title: name.to_string(),
        content,
        lang: lang.to_string(),
        kind: "person".into(),
    }
}

/// Adds `name` to a search record's words under the registry's name, and as written where
/// that differs, so that either finds it.
fn push_name(content: &mut String, site: &Site, name: &str) {
    let filed = site.filed_name(name);
    content.push_str(filed);
    content.push(' ');
    if filed != name {
        content.push_str(name);
        content.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bug the hand scanner had: a heading's `## ` and a reference link's brackets
    /// stayed in the search text (and the excerpt).
    #[test]
    fn summaries_are_searched_as_a_reader_sees_them() {
        let site = Site::standalone();
        let mut a: ArticleSummary = serde_json::from_value(serde_json::json!({
            "title": "T", "path": "a/", "date": "2019-07-24", "updated": null, "lang": "de",
            "authors": [], "summary_html": null, "tags": [], "kinds": {}, "claims": [],
            "quotes": [], "corrections": [], "figures": 0, "links": [],
            "summary": "## Kurz\n\nEine **fette** [Quelle][r1] und `code`, snake_case.\n\n[r1]: https://x.org/a_b",
        }))
        .unwrap();
        a.lead = "Text".into();
        let records = articles(&site, &[&a]);
        let first = records[0].content.split('\n').next().unwrap();
        assert_eq!(first, "Kurz Eine fette Quelle und code, snake_case.");
    }
}
