//! The static search index (Pagefind): articles, claims and people, searchable from the
//! published folder with no server.
use std::collections::BTreeMap;
use std::path::PathBuf;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

/// One searchable thing.
#[derive(Debug, Clone)]
pub struct Record {
    /// Root-relative URL (`/2019/x/#claim-1`); Pagefind prefixes the folder the site is
    /// published under, which it learns from where its own script was loaded.
    pub url: String,
    /// Shown as the result's title.
    pub title: String,
    /// The text that is searched.
    pub content: String,
    /// Language tag; Pagefind stems German and English words.
    pub lang: String,
    /// "article", "claim" or "person", as a filter.
    pub kind: String,
}

/// Builds the index for `records`: files to write below the output root.
pub fn index(records: Vec<Record>) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let config = PagefindServiceConfig::builder().build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        for r in records {
            let meta = BTreeMap::from([("title".to_string(), r.title)]);
            let filters = BTreeMap::from([("kind".to_string(), vec![r.kind])]);
            index
                .add_custom_record(r.url, r.content, r.lang, Some(meta), Some(filters), None)
                .await
                .map_err(|e| e.to_string())?;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        Ok(files
            .into_iter()
            .map(|f| (PathBuf::from("pagefind").join(f.filename), f.contents))
            .collect())
    })
}
