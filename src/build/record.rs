//! The site's fact-check record as data: `claims.json`, every claim as a schema.org
//! `DataFeed` of `ClaimReview` items (the form fact-check aggregators read), and
//! `claims.csv`, one row per claim, for spreadsheets; beyond [`MAX_FILE_BYTES`], both are
//! indexes of parts (`claims-N.json`, `claims-N.csv`).
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

/// The most bytes one data file holds: beyond it, `claims.json` and `claims.csv` become
/// indexes of parts (`claims-1.json`, `claims-1.csv`, …), as `sitemap.xml` does beyond
/// 5,000 pages, so that no file of the site is over 1 MB (static hosts, crawlers and
/// aggregators limit the size of what they fetch).
pub const MAX_FILE_BYTES: usize = 1_000_000;

/// A schema.org `DataFeed`: all of `claims.json`, a part of it (`is_part_of`), or the index
/// of its parts (`has_part`). Keys in sorted order, as they were written before.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct DataFeed<'a, P: serde::Serialize> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_feed_element: Option<&'a [Box<serde_json::value::RawValue>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    has_part: &'a [PartRef],
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_part_of: Option<&'a str>,
    name: &'a str,
    publisher: &'a P,
    url: &'a str,
}

/// One part as the index names it: its feed, and the same claims as CSV.
#[derive(serde::Serialize)]
struct PartRef {
    #[serde(rename = "@type")]
    kind: &'static str,
    /// How many claims it holds (in the CSV index).
    #[serde(skip)]
    claims: usize,
    distribution: Download,
    url: String,
}

/// The CSV of a part, as a schema.org `DataDownload`.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Download {
    #[serde(rename = "@type")]
    kind: &'static str,
    content_url: String,
    encoding_format: &'static str,
}

/// The claims of one data file, as JSON (each element's text) and as CSV rows.
#[derive(Default)]
struct Part {
    reviews: Vec<Box<serde_json::value::RawValue>>,
    json_bytes: usize,
    rows: Vec<u8>,
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

/// The columns of `claims.csv` when it is the index of its parts: the part's number, how
/// many claims it holds, and its CSV and JSON files.
pub const CSV_INDEX_HEADER: [&str; 4] = ["part", "claims", "csv_url", "json_url"];

/// The site's claim data, each file handed to `write` by name (site-root relative) as it is
/// made: `claims.json`, a schema.org `DataFeed` whose elements are the site's ClaimReviews,
/// and `claims.csv`, one row per claim with the same facts (sources are the check's
/// addresses, separated by spaces). Both are compact. When either would be over
/// `max_bytes`, the claims (newest article first) are cut into parts of at most `max_bytes`
/// each, `claims-N.json` and `claims-N.csv` holding the same claims, and `claims.json` and
/// `claims.csv` are written last as the index of the parts.
pub fn claim_files<E, W: FnMut(String, Vec<u8>) -> Result<(), E>>(
    site: &Site,
    listed: &[&ArticleSummary],
    max_bytes: usize,
    mut write: W,
) -> Result<(), E> {
    let base = jsonld::site_url(site, "");
    let modified = listed
        .iter()
        .map(|a| a.updated.unwrap_or(a.date))
        .max()
        .map(|d| d.to_string());
    let name = format!(
        "{}: {}",
        site.config.title,
        site.locales.get(site.lang).words.get("claims")
    );
    let publisher = jsonld::feed_publisher(site, &base);
    let index_url = format!("{base}{JSON_FILE}");
    let feed = |part: Option<&Part>, url: &str, is_part_of: Option<&str>, has_part: &[PartRef]| {
        let mut out = serde_json::to_vec(&DataFeed {
            context: "https://schema.org",
            kind: "DataFeed",
            data_feed_element: part.map(|p| p.reviews.as_slice()),
            date_modified: modified.as_deref(),
            has_part,
            in_language: &site.config.language,
            is_part_of,
            name: &name,
            publisher: &publisher,
            url,
        })
        .unwrap_or_default();
        out.push(b'\n');
        out
    };
    let csv_header = csv_bytes(CSV_HEADER);
    // What a part's file holds beside its claims (the part's own address with the longest
    // number it could have, and a comma between elements).
    let json_frame = feed(
        Some(&Part::default()),
        &format!("{base}claims-{}.json", usize::MAX),
        Some(&index_url),
        &[],
    )
    .len();
    let fits = |p: &Part, json: usize, row: usize| {
        p.reviews.is_empty()
            || (json_frame + p.json_bytes + p.reviews.len() + json <= max_bytes
                && csv_header.len() + p.rows.len() + row <= max_bytes)
    };

    let mut parts: Vec<PartRef> = Vec::new();
    // Writes `part` as the next part file, pair, and names it in `parts`.
    let flush = |write: &mut W, part: Part, parts: &mut Vec<PartRef>| -> Result<(), E> {
        let n = parts.len() + 1;
        let (json_name, csv_name) = (format!("claims-{n}.json"), format!("claims-{n}.csv"));
        let url = format!("{base}{json_name}");
        write(json_name, feed(Some(&part), &url, Some(&index_url), &[]))?;
        write(
            csv_name.clone(),
            [csv_header.as_slice(), &part.rows].concat(),
        )?;
        parts.push(PartRef {
            kind: "DataFeed",
            claims: part.reviews.len(),
            distribution: Download {
                kind: "DataDownload",
                content_url: format!("{base}{csv_name}"),
                encoding_format: "text/csv",
            },
            url,
        });
        Ok(())
    };
    let mut part = Part::default();
    for_each_review(site, listed, &base, |a, c, review| {
        // A ClaimReview (strings, numbers, no maps) always serializes.
        let json = serde_json::value::to_raw_value(&review).unwrap_or_default();
        let row = csv_row(&base, a, c, &review);
        if !fits(&part, json.get().len(), row.len()) {
            flush(&mut write, std::mem::take(&mut part), &mut parts)?;
        }
        part.json_bytes += json.get().len();
        part.reviews.push(json);
        part.rows.extend_from_slice(&row);
        Ok(())
    })?;
    if parts.is_empty() {
        write(JSON_FILE.into(), feed(Some(&part), &index_url, None, &[]))?;
        return write(
            CSV_FILE.into(),
            [csv_header.as_slice(), &part.rows].concat(),
        );
    }
    flush(&mut write, part, &mut parts)?;
    let mut index = csv_bytes(CSV_INDEX_HEADER);
    for (i, p) in parts.iter().enumerate() {
        index.extend(csv_bytes([
            (i + 1).to_string().as_str(),
            &p.claims.to_string(),
            &p.distribution.content_url,
            &p.url,
        ]));
    }
    write(JSON_FILE.into(), feed(None, &index_url, None, &parts))?;
    write(CSV_FILE.into(), index)
}

/// One CSV record (RFC 4180 quoting by the `csv` crate), with its line end.
fn csv_bytes<'c>(cells: impl IntoIterator<Item = &'c str>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing into memory cannot fail.
    let _ = w.write_record(cells);
    w.into_inner().unwrap_or_default()
}

/// The `claims.csv` row of claim `c` of article `a`, from its `review`.
fn csv_row(
    base: &str,
    a: &ArticleSummary,
    c: &super::summary::ClaimEntry,
    review: &jsonld::ClaimReview<'_>,
) -> Vec<u8> {
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
    let cells: Vec<std::borrow::Cow<'_, str>> = row.iter().map(|cell| inert(cell)).collect();
    csv_bytes(cells.iter().map(|c| c.as_ref()))
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
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    /// Three articles of four claims each, newest first.
    fn site_and_summaries() -> (Site, Vec<ArticleSummary>) {
        let mut site = Site::standalone();
        site.config.base_url = "https://example.org/t".into();
        let summaries = (1..=3)
            .rev()
            .map(|n| {
                let claims: String = (0..4)
                    .map(|i| {
                        format!(
                            "[[claim]]\ntext = \"claim {n}.{i}\"\nverdict = \"true\"\n\
                             sources = [\"https://example.org/s/{n}/{i}\"]\n"
                        )
                    })
                    .collect();
                let words: String = (0..4).map(|i| format!("Here is claim {n}.{i}. ")).collect();
                let text =
                    format!("+++\ntitle = \"A{n}\"\ndate = 2026-01-0{n}\n{claims}+++\n{words}\n");
                let path = format!("content/2026/a{n}.md");
                let article = crate::content::parse_article(
                    &site,
                    PathBuf::from(&path),
                    text,
                    format!("2026/a{n}/"),
                )
                .unwrap();
                let anchored = crate::annotate::anchor(&article, true).unwrap();
                ArticleSummary::new(&article, &anchored)
            })
            .collect();
        (site, summaries)
    }

    fn files(site: &Site, listed: &[ArticleSummary], max: usize) -> BTreeMap<String, Vec<u8>> {
        let listed: Vec<&ArticleSummary> = listed.iter().collect();
        let mut out = BTreeMap::new();
        claim_files::<(), _>(site, &listed, max, |name, bytes| {
            assert!(out.insert(name, bytes).is_none(), "a file written twice");
            Ok(())
        })
        .unwrap();
        out
    }

    /// The claims' page addresses in a DataFeed's elements, and in a CSV's `url` column.
    fn feed_urls(bytes: &[u8]) -> Vec<String> {
        let feed: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        feed["dataFeedElement"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["url"].as_str().unwrap().to_string())
            .collect()
    }

    fn csv_urls(bytes: &[u8]) -> Vec<String> {
        let mut r = csv::Reader::from_reader(bytes);
        assert_eq!(r.headers().unwrap(), CSV_HEADER.as_slice());
        r.records().map(|row| row.unwrap()[8].to_string()).collect()
    }

    #[test]
    fn small_sites_get_one_compact_file_of_each() {
        let (site, listed) = site_and_summaries();
        let out = files(&site, &listed, MAX_FILE_BYTES);
        assert_eq!(
            out.keys().collect::<Vec<_>>(),
            [CSV_FILE, JSON_FILE],
            "no parts"
        );
        let json = &out[JSON_FILE];
        assert!(!json.starts_with(b"{\n"), "compact, not pretty-printed");
        let urls = feed_urls(json);
        assert_eq!(urls.len(), 12);
        assert_eq!(
            urls[0],
            "https://example.org/t/2026/a3/claims/claim-claim-3-0/"
        );
        assert_eq!(
            csv_urls(&out[CSV_FILE]),
            urls,
            "the same claims, in the same order"
        );
    }

    #[test]
    fn beyond_the_limit_the_files_are_indexes_of_parts_holding_every_claim_once() {
        let (site, listed) = site_and_summaries();
        let whole = files(&site, &listed, MAX_FILE_BYTES);
        let all = feed_urls(&whole[JSON_FILE]);
        // Room for about three reviews a file.
        let max = 3_000;
        let out = files(&site, &listed, max);
        for (name, bytes) in &out {
            assert!(bytes.len() <= max, "{name}: {} bytes", bytes.len());
        }
        let index: serde_json::Value = serde_json::from_slice(&out[JSON_FILE]).unwrap();
        assert_eq!(index["@type"], "DataFeed");
        assert_eq!(index["url"], "https://example.org/t/claims.json");
        assert!(index.get("dataFeedElement").is_none());
        let parts = index["hasPart"].as_array().unwrap();
        assert!(parts.len() > 2, "{parts:?}");
        let mut csv_index = csv::Reader::from_reader(out[CSV_FILE].as_slice());
        assert_eq!(csv_index.headers().unwrap(), CSV_INDEX_HEADER.as_slice());
        let rows: Vec<csv::StringRecord> = csv_index.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), parts.len());
        let (mut from_json, mut from_csv) = (Vec::new(), Vec::new());
        for (i, (p, row)) in parts.iter().zip(&rows).enumerate() {
            let file = |url: &str| {
                url.strip_prefix("https://example.org/t/")
                    .unwrap()
                    .to_string()
            };
            let json_name = file(p["url"].as_str().unwrap());
            let csv_name = file(p["distribution"]["contentUrl"].as_str().unwrap());
            assert_eq!(json_name, format!("claims-{}.json", i + 1));
            assert_eq!(csv_name, format!("claims-{}.csv", i + 1));
            assert_eq!(p["distribution"]["encodingFormat"], "text/csv");
            assert_eq!(&row[0], (i + 1).to_string());
            assert_eq!(file(&row[2]), csv_name);
            assert_eq!(file(&row[3]), json_name);
            let part: serde_json::Value = serde_json::from_slice(&out[&json_name]).unwrap();
            assert_eq!(part["isPartOf"], "https://example.org/t/claims.json");
            assert_eq!(part["url"], p["url"]);
            let urls = feed_urls(&out[&json_name]);
            assert_eq!(row[1], urls.len().to_string());
            assert_eq!(csv_urls(&out[&csv_name]), urls, "part {i}: the same claims");
            from_json.extend(urls);
            from_csv.extend(csv_urls(&out[&csv_name]));
        }
        assert_eq!(
            out.len(),
            2 + 2 * parts.len(),
            "nothing the index does not name"
        );
        assert_eq!(from_json, all, "every claim once, in order");
        assert_eq!(from_csv, all);
    }

    #[test]
    fn formulas_are_made_inert() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("-1+2"), "'-1+2");
        assert_eq!(inert("Microsoft"), "Microsoft");
    }
}
