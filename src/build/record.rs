//! The site's fact-check record as data: `claims.json`, every claim as a schema.org
//! `DataFeed` of `ClaimReview` items (the form fact-check aggregators read), and
//! `claims.csv`, one row per claim, for spreadsheets.
//!
//! Both are made from the same ClaimReviews the pages carry ([`jsonld::claim_review`]), so
//! the data says what the pages say. The CSV is written with the `csv` crate (the
//! best-kept Rust CSV library: RFC 4180 quoting of commas, quotes and line breaks).
use super::summary::ArticleSummary;
use crate::config::Site;
use crate::render::jsonld::{self, ReviewedIn};

/// The file names, at the site root.
pub const JSON_FILE: &str = "claims.json";
/// See [`JSON_FILE`].
pub const CSV_FILE: &str = "claims.csv";

/// Every claim of `listed` (newest article first, claims in front matter order) with its
/// article, handed to `each` with its ClaimReview as seen from the site root (`base`).
fn for_each_review<'a, E>(
    site: &'a Site,
    listed: &'a [&'a ArticleSummary],
    base: &'a str,
    mut each: impl FnMut(
        &'a ArticleSummary,
        &'a super::summary::ClaimEntry,
        jsonld::ClaimReview<'_>,
    ) -> Result<(), E>,
) -> Result<(), E> {
    for a in listed {
        let reviewed = ReviewedIn::summary(a);
        for c in &a.claims {
            each(a, c, jsonld::claim_review(site, &reviewed, c, base))?;
        }
    }
    Ok(())
}

/// The feed's elements, written one by one as the feed is written (80,000 reviews at 10k
/// articles were 300 MB as a tree of values).
struct Reviews<'a> {
    site: &'a Site,
    listed: &'a [&'a ArticleSummary],
    base: &'a str,
}

impl serde::Serialize for Reviews<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let count = self.listed.iter().map(|a| a.claims.len()).sum();
        let mut seq = s.serialize_seq(Some(count))?;
        for_each_review(self.site, self.listed, self.base, |_, _, r| {
            seq.serialize_element(&r)
        })?;
        seq.end()
    }
}

/// `claims.json`'s top level (keys in sorted order, as they were written before).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct DataFeed<'a, P: serde::Serialize> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    data_feed_element: Reviews<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    in_language: &'a str,
    name: String,
    publisher: P,
    url: String,
}

/// `claims.json`: a schema.org `DataFeed` whose elements are the site's ClaimReviews.
pub fn claims_json(site: &Site, listed: &[&ArticleSummary]) -> String {
    let base = jsonld::site_url(site, "");
    let modified = listed.iter().map(|a| a.updated.unwrap_or(a.date)).max();
    let feed = DataFeed {
        context: "https://schema.org",
        kind: "DataFeed",
        data_feed_element: Reviews {
            site,
            listed,
            base: &base,
        },
        date_modified: modified.map(|d| d.to_string()),
        in_language: &site.config.language,
        name: format!(
            "{}: {}",
            site.config.title,
            site.locales.get(site.lang).words.get("claims")
        ),
        publisher: jsonld::feed_publisher(site, &base),
        url: format!("{base}{JSON_FILE}"),
    };
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
    let _ = for_each_review(site, listed, &base, |a, c, review| {
        let claim = &review.item_reviewed;
        let sources = c
            .sources
            .iter()
            .map(|s| s.url.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let row = [
            c.id.clone(),
            review.claim_reviewed.clone(),
            claim.author.as_ref().map(|a| a.names()).unwrap_or_default(),
            review.review_rating.alternate_name.to_string(),
            review
                .review_rating
                .rating_value
                .map(|v| v.to_string())
                .unwrap_or_default(),
            claim.date_published.clone().unwrap_or_default(),
            review.date_published.clone(),
            format!("{base}{}", crate::render::url_of_path(&a.path)),
            review.url.clone(),
            sources,
        ];
        w.write_record(row.iter().map(|cell| inert(cell).into_owned()))
    });
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
