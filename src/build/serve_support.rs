//! What `gloss serve` needs of the build stage beyond [`super::build`] and
//! [`super::rebuild_article`]: the search index rewritten for the site's articles as they are
//! now, after edits that rebuilt single pages.
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::summary::ArticleSummary;
use super::{Pages, Shared, io_error, listings, output, search, search_records};
use crate::config::Site;
use crate::diagnostics::Diagnostic;
use crate::render::Theme;

/// Rewrites the search index below `out` (a built site) for `summaries` (every article, in
/// any order), as a full build would write it; returns the warnings. Files of the old index that the new one lacks are
/// removed, and `meta.js` (which names the shards) is written last, so a search never loads
/// a shard the index it read does not have.
pub fn write_search_index(
    site: &Site,
    theme: &Theme,
    mut summaries: Vec<ArticleSummary>,
    out: &Path,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    if !site.config.search.enabled {
        return Ok(Vec::new());
    }
    summaries.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
    let listed: Vec<&ArticleSummary> = summaries.iter().collect();
    // People's records are made while their pages are rendered; those pages go to a scratch
    // folder, as only their records are wanted here.
    let scratch = tempfile::tempdir().map_err(|e| vec![io_error(&std::env::temp_dir(), e)])?;
    let writer = super::reuse::Writer::fresh(scratch.path());
    let pages = Pages {
        theme,
        shared: Shared::new(site),
        out: &writer,
        written: Mutex::new(Vec::new()),
    };
    let people = listings::people(site, &pages, &listed).map_err(|d| vec![d])?;
    let mut records = search_records(site, &listed);
    records.extend(people.records);
    let files = search::index(records).map_err(|e| {
        vec![Diagnostic::file(
            search::DIR,
            format!("cannot build the search index: {e}"),
        )]
    })?;
    let meta = Path::new(search::DIR).join("meta.js");
    let keep: HashSet<PathBuf> = files.iter().map(|(rel, _)| rel.clone()).collect();
    let (last, first): (Vec<_>, Vec<_>) = files.into_iter().partition(|(rel, _)| *rel == meta);
    for (rel, bytes) in first.into_iter().chain(last) {
        output::write(out, &rel, &bytes).map_err(|e| vec![io_error(&rel, e)])?;
    }
    for entry in walkdir::WalkDir::new(out.join(search::DIR))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        if let Ok(rel) = entry.path().strip_prefix(out)
            && !keep.contains(rel)
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(people.warnings)
}
