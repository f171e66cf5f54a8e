//! The site's fact-check record as data: `claims.json`, every claim as a schema.org
//! `DataFeed` of `ClaimReview` items (the form fact-check aggregators read), and
//! `claims.csv`, one row per claim, for spreadsheets.
//!
//! Both are made from the same ClaimReviews the pages carry ([`jsonld::claim_review`]), so
//! the data says what the pages say. The CSV is written with the `csv` crate (the
//! best-kept Rust CSV library: RFC 4180 quoting of commas, quotes and line breaks).
use serde_json::{Value, json};

use super::summary::ArticleSummary;
use crate::config::Site;
use crate::render::jsonld::{self, ReviewedIn};

/// The file names, at the site root.
pub const JSON_FILE: &str = "claims.json";
/// See [`JSON_FILE`].
pub const CSV_FILE: &str = "claims.csv";

/// Every claim of `listed` (newest article first, claims in front matter order) with its
/// ClaimReview, as seen from the site root.
fn reviews<'a>(
    site: &'a Site,
    listed: &'a [&'a ArticleSummary],
) -> impl Iterator<Item = (&'a ArticleSummary, &'a super::summary::ClaimEntry, Value)> + 'a {
    let base = jsonld::site_url(site, "");
    listed.iter().flat_map(move |a| {
        let base = base.clone();
        a.claims.iter().map(move |c| {
            let review = jsonld::claim_review(site, &ReviewedIn::summary(a), c, &base);
            (*a, c, review)
        })
    })
}

/// `claims.json`: a schema.org `DataFeed` whose elements are the site's ClaimReviews.
pub fn claims_json(site: &Site, listed: &[&ArticleSummary]) -> String {
    let base = jsonld::site_url(site, "");
    let items: Vec<Value> = reviews(site, listed).map(|(_, _, r)| r).collect();
    let modified = listed.iter().map(|a| a.updated.unwrap_or(a.date)).max();
    let mut feed = json!({
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": format!("{}: {}", site.config.title, site.locales.get(site.lang).words.get("claims")),
        "url": format!("{base}{JSON_FILE}"),
        "inLanguage": site.config.language,
        "publisher": {
            "@type": "Organization",
            "name": site.config.title,
            "url": base,
        },
        "dataFeedElement": items,
    });
    if let Some(d) = modified {
        feed["dateModified"] = json!(d.to_string());
    }
    let mut text = serde_json::to_string_pretty(&feed).unwrap_or_default();
    text.push('\n');
    text
}

/// The columns of `claims.csv`.
pub const CSV_HEADER: [&str; 10] = [
    "id",
    "statement",
    "claimant",
    "verdict",
    "rating",
    "claim_date",
    "review_date",
    "article_url",
    "url",
    "sources",
];

/// `claims.csv`: one row per claim, the same facts as its ClaimReview. Sources are the
/// check's addresses, separated by spaces.
pub fn claims_csv(site: &Site, listed: &[&ArticleSummary]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing into memory cannot fail.
    let _ = w.write_record(CSV_HEADER);
    let base = jsonld::site_url(site, "");
    for (a, c, review) in reviews(site, listed) {
        let str_at = |v: &Value| v.as_str().unwrap_or("").to_string();
        let claim = &review["itemReviewed"];
        let claimant = match &claim["author"] {
            Value::Array(list) => list
                .iter()
                .map(|x| str_at(&x["name"]))
                .collect::<Vec<_>>()
                .join(", "),
            one => str_at(&one["name"]),
        };
        let rating = match &review["reviewRating"]["ratingValue"] {
            Value::Null => String::new(),
            v => v.to_string(),
        };
        let sources = c
            .sources
            .iter()
            .map(|s| s.url.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let row = [
            c.id.clone(),
            str_at(&review["claimReviewed"]),
            claimant,
            str_at(&review["reviewRating"]["alternateName"]),
            rating,
            str_at(&claim["datePublished"]),
            str_at(&review["datePublished"]),
            format!("{base}{}", crate::render::url_of_path(&a.path)),
            str_at(&review["url"]),
            sources,
        ];
        let _ = w.write_record(row.iter().map(|cell| inert(cell).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

/// A cell a spreadsheet shows as text: one that would start a formula (`=`, `+`, `-`, `@`,
/// a tab or carriage return) gets a leading `'`, as OWASP advises, so that a claim or a
/// name from an article cannot run as a formula in the newsroom's spreadsheet.
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_inert() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("-1+2"), "'-1+2");
        assert_eq!(inert("Microsoft"), "Microsoft");
    }
}
