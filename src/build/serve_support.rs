//! What `gloss serve` needs of the build stage beyond [`super::build`] and
//! [`super::rebuild_article`]: the search index rewritten for the site's articles as they are
//! now, after edits that rebuilt single pages.
use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use super::summary::ArticleSummary;
use super::{Pages, io_error, listings, output, search, search_records};
use crate::config::Site;
use crate::diagnostics::Diagnostic;
use crate::render::Theme;

/// Rewrites the search index below `out` (a built site) for `summaries` (every article, in
/// any order), as a full build would write it; returns the warnings. Files of the old index
/// that the new one lacks are removed, and `meta.js` (which names the shards) is written
/// last, so a search never loads a shard the index it read does not have.
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
    let listed: Vec<&ArticleSummary> = summaries.iter().filter(|a| !a.page).collect();
    // People's records are made while their pages are rendered; those pages go to a scratch
    // folder, as only their records are wanted here.
    let scratch = tempfile::tempdir().map_err(|e| vec![io_error(&std::env::temp_dir(), e)])?;
    let writer = super::reuse::Writer::fresh(scratch.path());
    let pages = Pages::new(site, theme, &writer);
    let groups = super::by_language(site, &listed);
    let langs: Vec<crate::config::SiteLang> = groups.iter().map(|(l, _)| l.clone()).collect();
    let mut warnings = Vec::new();
    for (l, articles) in &groups {
        let listing = listings::Listing {
            lang: l,
            all: &langs,
        };
        let people = listings::people(site, &listing, &pages, articles).map_err(|d| vec![d])?;
        warnings.extend(people.warnings);
        let mut records = search_records(site, articles);
        records.extend(people.records);
        let written = Mutex::new(HashSet::new());
        super::index_search(records, &|rel, bytes| {
            let rel = Path::new(&l.prefix).join(rel);
            output::write(out, &rel, bytes)?;
            written
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(rel);
            Ok(())
        })?;
        let keep = written.into_inner().unwrap_or_else(|e| e.into_inner());
        for entry in walkdir::WalkDir::new(out.join(&l.prefix).join(search::DIR))
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
    }
    Ok(warnings)
}
